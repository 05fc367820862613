#!/bin/bash
# bench-ingest.sh [BUILD_DIR]: fake-twitch floods 100 channels at 2,000 and
# 10,000 lines/s into `stitch tail` (distributed manager, 4 shards of 25)
# writing to /dev/null, and prints for each rate: stitch CPU µs per line
# during the flood (utime+stime from /proc/PID/stat), lines the fake sent
# vs lines stitch received (nothing may be dropped), and peak RSS (VmHWM).
# It prints figures and never fails a build; it is not in TESTS. Use an
# -O2 build without sanitizers for figures worth reporting.
#
#   BENCH_SECONDS=N   flood length per rate (default 10)
#   BENCH_RATES="..." rates to run (default "2000 10000")
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${1:-${top_builddir:-.}}
top_builddir=$(cd "$top_builddir" && pwd)
FAKE=$top_builddir/tests/fake-twitch/fake-twitch
STITCH=$top_builddir/stitch
SECONDS_PER_RATE=${BENCH_SECONDS:-10}
RATES=${BENCH_RATES:-2000 10000}
HZ=$(getconf CLK_TCK)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-ingest.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for b in "$FAKE" "$STITCH"; do
	[ -x "$b" ] || { echo "bench-ingest: $b not built"; exit 0; }
done
seed=""
for f in "$top_srcdir/tests/data/seed-test.json" \
    "$top_srcdir/tests/data/seed-demo.json" \
    "$top_srcdir/tests/fake-twitch/seed.json"; do
	[ -f "$f" ] && { seed=$f; break; }
done
[ -n "$seed" ] || { echo "bench-ingest: no fake-twitch seed file"; exit 0; }

# wait_for SECONDS COMMAND...: poll every 0.1 s; 1 on time-out.
wait_for() {
	_n=$(( $1 * 10 )); shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# admin COMMAND: one command on the fake's admin port, replies printed.
admin() {
	exec 9<>"/dev/tcp/127.0.0.1/$ADMIN" || return 1
	printf '%s\n' "$*" >&9
	while IFS= read -r -t 5 _l <&9; do
		_l=${_l%$'\r'}
		printf '%s\n' "$_l"
		case $_l in ok*|err*) break ;; esac
	done
	exec 9<&- 9>&-
}

# stat KEY: a number from the fake's first stats line.
fake_stat() {
	admin stats | sed -n "s/.* $1=\([0-9]*\).*/\1/p; s/^stat $1=\([0-9]*\).*/\1/p" |
	    head -1
}

# CPU ticks (utime + stime) of PID.
cpu_ticks() {
	# Fields after the ")" of comm: utime is the 12th, stime the 13th.
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

chans=$(seq -f 'c%03g' 0 99)
printf 'join_limit = 2000\n' >"$TMP/stitch.conf"
export HOME=$TMP XDG_CONFIG_HOME=$TMP/config
unset STITCH_TOKEN

echo "bench-ingest: 100 channels, ${SECONDS_PER_RATE} s per rate, stitch tail > /dev/null"
echo "bench-ingest: build $top_builddir"
printf '%8s %10s %10s %8s %10s %10s %10s\n' rate sent received dropped \
    cpu_s us/line peak_rss
for rate in $RATES; do
	"$FAKE" --seed "$seed" --port-file "$TMP/ports" --max-lifetime 300 \
	    --open-channels --limit-joins 2000/10 >"$TMP/fake.log" 2>&1 &
	fake=$!
	pids="$pids $fake"
	wait_for 15 test -s "$TMP/ports" || { echo "fake-twitch did not start"; exit 0; }
	WS=$(sed -n 's/^chat_ws=//p' "$TMP/ports")
	ADMIN=$(sed -n 's/^admin=//p' "$TMP/ports")

	"$STITCH" tail --config "$TMP/stitch.conf" --server "ws://127.0.0.1:$WS/" \
	    --shard-manager distributed --max-shards 4 $chans \
	    >/dev/null 2>"$TMP/tail.err" &
	st=$!
	pids="$pids $st"
	if ! wait_for 20 sh -c "[ \$(grep -c 'ready, 25 channels' '$TMP/tail.err') -ge 4 ]"; then
		echo "stitch did not get ready:"; cat "$TMP/tail.err"; exit 0
	fi
	# Let every JOIN finish before the flood.
	_i=0
	while [ "$(admin stats | grep -c 'members=1 ')" -lt 100 ] && [ $_i -lt 100 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	sleep 1
	s0=$(fake_stat sim_lines)
	c0=$(cpu_ticks "$st")
	admin chatrate "$rate" >/dev/null
	sleep "$SECONDS_PER_RATE"
	admin chatrate 0 >/dev/null
	sleep 1			# let stitch drain what is in flight
	s1=$(fake_stat sim_lines)
	c1=$(cpu_ticks "$st")
	rss=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$st/status")
	kill -INT "$st"
	wait "$st"
	sent=$(fake_stat lines_sent)
	got=$(sed -n 's/.* \([0-9]*\) lines received, \([0-9]*\) malformed.*/\1 \2/p' \
	    "$TMP/tail.err" | awk '{ print $1 + $2 }')
	kill "$fake" 2>/dev/null
	wait "$fake" 2>/dev/null
	rm -f "$TMP/ports"
	lines=$((s1 - s0))
	awk -v r="$rate" -v sent="$sent" -v got="${got:-0}" -v lines="$lines" \
	    -v t="$((c1 - c0))" -v hz="$HZ" -v rss="$rss" 'BEGIN {
		cpu = t / hz
		printf "%8d %10d %10d %8d %10.2f %10.2f %10s\n", r, sent, got,
		    sent - got, cpu, (lines > 0 ? cpu * 1e6 / lines : 0), rss
	}'
done
echo "bench-ingest: sent/received count every line on the connections (flood,"
echo "joins, pings); us/line is stitch CPU during the flood per flood line."
