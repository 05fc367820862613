#!/bin/bash
# bench-tui: stitch in a 200x50 tmux pane against fake-twitch (Twitch caps,
# tags and all), beside irssi on the same simulated traffic over the fake's
# plain IRC port. For each case it prints CPU seconds, microseconds of CPU
# per line, peak RSS, and lag: the time from asking the fake to send a
# unique marker line to the marker being visible in the pane (polled with
# capture-pane every 10 ms, so the figure includes up to ~10 ms of polling).
#
# Rates are lines a second in all, spread by the fake over the channels.
# stitch runs twice: "stitch" in one pane (--layout single: one channel on
# screen, the rest in the hotlist, as irssi shows one window) and
# "grid" (--layout grid: every pane that fits on screen, drawn at once).
# The ratios to irssi are printed for both; like for like is "stitch".
# Lag is timed on a channel on screen: bench1 for stitch (the focused pane,
# top left in the grid), the last joined for irssi (its active window).
# It prints; it never fails (timing is not a test).
#
#   tests/bench/bench-tui.sh [quick]     quick: 5 s per case
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
STITCH="$top_builddir/stitch"
FAKE="$top_builddir/tests/fake-twitch/fake-twitch"
SEED=${BENCH_SEED:-$top_srcdir/tests/data/seed-chat-min.json}
IRSSI=$(command -v irssi || true)
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
QUICK=${1:-}

say() { printf '%s\n' "$*"; }
for f in "$STITCH" "$FAKE" "$TMUX_BIN"; do
	if [ ! -x "$f" ]; then
		say "bench-tui: $f missing; nothing measured"
		exit 0
	fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/stitch-bench.XXXXXX")
SOCK="stitch-bench-$$"
tm() { "$TMUX_BIN" -L "$SOCK" -f /dev/null "$@"; }
FAKE_PID=""
cleanup() {
	tm kill-server 2>/dev/null
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

admin() {	# one command, first reply line
	exec 3<>"/dev/tcp/127.0.0.1/$ADMIN" || return 1
	printf '%s\n' "$*" >&3
	IFS= read -r -t 5 reply <&3
	exec 3<&-
	printf '%s\n' "$reply"
}

sim_lines() {	# lines the simulated crowd has sent so far
	exec 3<>"/dev/tcp/127.0.0.1/$ADMIN" || return 1
	printf 'stats\n' >&3
	while IFS= read -r -t 5 l <&3; do
		l=${l%$'\r'}	# the admin port ends its lines with CR LF
		case $l in
		*sim_lines=*) n=${l##*sim_lines=}; n=${n%% *} ;;
		ok*) break ;;
		esac
	done
	exec 3<&-
	printf '%s\n' "${n:-0}"
}

start_fake() {
	rm -f "$TMP/ports"
	"$FAKE" --seed "$SEED" --port-file "$TMP/ports" --open-channels \
	    --max-lifetime 900 --chat-rate 0 2>"$TMP/fake.log" &
	FAKE_PID=$!
	for _ in $(seq 100); do [ -s "$TMP/ports" ] && break; sleep 0.1; done
	CHAT_WS=$(sed -n 's/^chat_ws=//p' "$TMP/ports")
	IRC=$(sed -n 's/^irc=//p' "$TMP/ports")
	ADMIN=$(sed -n 's/^admin=//p' "$TMP/ports")
}

stop_fake() {
	kill "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=""
}

# The client process: the pane's own process once sh and env have exec'd
# into it, else the first child of the pane's shell.
client_pid() {
	local sh c comm
	sh=$(tm display -p -t bench '#{pane_pid}')
	for _ in $(seq 50); do
		comm=$(cat "/proc/$sh/comm" 2>/dev/null)
		case $comm in stitch|irssi) echo "$sh"; return ;; esac
		c=$(pgrep -P "$sh" | head -1)
		[ -n "$c" ] && { echo "$c"; return; }
		sleep 0.1
	done
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
peak_rss_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
# Private memory now (RssAnon): peak RSS is mostly shared library pages.
anon_kb() { awk '/^RssAnon/ { print $2 }' "/proc/$1/status"; }

visible() { tm capture-pane -p -t bench | grep -F -q -- "$1"; }

# run_case CLIENT CHANNELS RATE SECONDS [LAYOUT]: prints "cpu_s us_per_line
# rss_mb lag_s lines anon_mb"
run_case() {
	local client=$1 nch=$2 rate=$3 secs=$4 layout=${5:-single} chans="" i
	local pid t0 c0 c1 l0 l1
	local marker lag hz=$(getconf CLK_TCK)

	for i in $(seq "$nch"); do chans="$chans bench$i"; done
	start_fake
	mkdir -p "$TMP/h/config/stitch" "$TMP/h/state" "$TMP/h/data"
	printf 'log = off\n' > "$TMP/h/config/stitch/config"
	if [ "$client" = stitch ]; then
		tm new-session -d -s bench -x 200 -y 50 "env -i PATH=$PATH \
		    HOME=$TMP/h XDG_CONFIG_HOME=$TMP/h/config \
		    XDG_STATE_HOME=$TMP/h/state XDG_DATA_HOME=$TMP/h/data \
		    TERM=tmux-256color LANG=C.UTF-8 $STITCH \
		    --server ws://127.0.0.1:$CHAT_WS --layout $layout $chans"
		watch="bench1"
	else
		rm -rf "$TMP/irssi"
		mkdir -p "$TMP/irssi"
		tm new-session -d -s bench -x 200 -y 50 "env -i PATH=$PATH \
		    HOME=$TMP/h TERM=tmux-256color LANG=C.UTF-8 $IRSSI \
		    --home=$TMP/irssi -n justinfan4711 \
		    -c 127.0.0.1 -p $IRC"
		sleep 2
		tm send-keys -t bench "/join $(echo $chans | sed 's/ /,#/g; s/^/#/')" Enter
		watch="bench$nch"
	fi
	pid=$(client_pid)
	# Wait until the watched channel is joined (its name is on screen).
	for _ in $(seq 100); do visible "$watch" && break; sleep 0.1; done
	sleep 2
	c0=$(cpu_ticks "$pid")
	l0=$(sim_lines)
	admin "chatrate $rate" >/dev/null
	sleep "$secs"
	marker="MARK$RANDOM$RANDOM"
	t0=$(date +%s.%N)
	admin "marker $watch $marker" >/dev/null
	# The marker ends the flood: it stays the newest line, so it can be
	# seen however fast the lines before it scrolled by.
	admin "chatrate 0" >/dev/null
	lag=timeout
	for _ in $(seq 500); do
		if visible "$marker"; then
			lag=$(echo "$(date +%s.%N) - $t0" | bc)
			break
		fi
		sleep 0.01
	done
	admin "chatrate 0" >/dev/null
	l1=$(sim_lines)
	c1=$(cpu_ticks "$pid")
	rss=$(peak_rss_kb "$pid")
	anon=$(anon_kb "$pid")
	tm kill-server 2>/dev/null
	stop_fake
	lines=$((l1 - l0))
	[ "$lines" -gt 0 ] || lines=1
	cpu=$(echo "scale=3; ($c1 - $c0) / $hz" | bc)
	us=$(echo "scale=2; ($c1 - $c0) * 1000000 / $hz / $lines" | bc)
	echo "$cpu $us $(echo "scale=1; $rss / 1024" | bc) $lag $lines $(echo "scale=1; $anon / 1024" | bc)"
}

ratio() { if [ "$2" = 0 ] || [ -z "$2" ]; then echo "-"; else echo "scale=2; $1 / $2" | bc; fi; }

cases="10:200:20 100:2000:20 1:10000:10"
[ "$QUICK" = quick ] && cases="10:200:5 100:2000:5 1:10000:5"
cases=${BENCH_CASES:-$cases}	# CHANNELS:RATE:SECONDS ...
say "bench-tui: 200x50 tmux pane, fake-twitch with Twitch caps; rates in lines/s in all"
printf '%-22s %-7s %9s %9s %9s %8s %9s %8s\n' case client cpu_s us/line rss_MB lag_s lines anon_MB
for c in $cases; do
	IFS=: read -r nch rate secs <<EOF
$c
EOF
	name="${nch}ch x ${rate}/s ${secs}s"
	read -r s_cpu s_us s_rss s_lag s_lines s_anon <<EOF
$(run_case stitch "$nch" "$rate" "$secs" single)
EOF
	printf '%-22s %-7s %9s %9s %9s %8s %9s %8s\n' "$name" stitch "$s_cpu" "$s_us" "$s_rss" "$s_lag" "$s_lines" "$s_anon"
	read -r g_cpu g_us g_rss g_lag g_lines g_anon <<EOF
$(run_case stitch "$nch" "$rate" "$secs" grid)
EOF
	printf '%-22s %-7s %9s %9s %9s %8s %9s %8s\n' "$name" grid "$g_cpu" "$g_us" "$g_rss" "$g_lag" "$g_lines" "$g_anon"
	if [ -n "$IRSSI" ]; then
		read -r i_cpu i_us i_rss i_lag i_lines i_anon <<EOF
$(run_case irssi "$nch" "$rate" "$secs")
EOF
		printf '%-22s %-7s %9s %9s %9s %8s %9s %8s\n' "$name" irssi "$i_cpu" "$i_us" "$i_rss" "$i_lag" "$i_lines" "$i_anon"
		printf '%-22s %-7s %9s %9s %9s %8s %9s %8s\n' "$name" ratio "" "$(ratio "$s_us" "$i_us")" "$(ratio "$s_rss" "$i_rss")" "" "" "$(ratio "$s_anon" "$i_anon")"
		printf '%-22s %-7s %9s %9s %9s %8s %9s %8s\n' "$name" ratio-g "" "$(ratio "$g_us" "$i_us")" "$(ratio "$g_rss" "$i_rss")" "" "" "$(ratio "$g_anon" "$i_anon")"
	fi
done
say "floors (issue 5): CPU/line <= 1/3 of irssi's, peak RSS <= 1/2, lag <= 0.1 s"
