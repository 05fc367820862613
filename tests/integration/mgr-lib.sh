# mgr-lib.sh: helpers for the mgr-*.sh tests (stitch tail and the shard
# managers against tests/fake-twitch), sourced after tests/lib.sh. Needs
# bash (/dev/tcp for the fake's admin port). Everything started here is
# stopped on exit; every wait has a time-out.

FAKE=$top_builddir/tests/fake-twitch/fake-twitch
STITCH=$top_builddir/stitch

mgr_require() {
	[ -x "$FAKE" ] || skip_all "fake-twitch not built"
	[ -x "$STITCH" ] || skip_all "stitch not built"
	command -v timeout >/dev/null 2>&1 || skip_all "no timeout(1)"
	# No test may read the user's own config or token.
	export HOME=$TEST_TMP/home XDG_CONFIG_HOME=$TEST_TMP/home/.config
	export XDG_DATA_HOME=$TEST_TMP/home/.local/share
	mkdir -p "$XDG_CONFIG_HOME"
	unset STITCH_TOKEN
}

# The seed file fake-twitch reads.
mgr_seed() {
	_f="$top_srcdir/tests/data/seed-chat-min.json"
	[ -f "$_f" ] || return 1
	echo "$_f"
}

# fake_start [fake-twitch options...]: start it with --open-channels (any
# valid name can be joined, as on Twitch), wait for its port file, set
# FAKE_WS FAKE_WSS FAKE_ADMIN FAKE_PID.
fake_start() {
	_pf=$TEST_TMP/ports
	rm -f "$_pf"
	_seed=$(mgr_seed) || skip_all "no fake-twitch seed file"
	"$FAKE" --seed "$_seed" --port-file "$_pf" --max-lifetime 300 \
	    --open-channels "$@" >"$TEST_TMP/fake.log" 2>&1 &
	FAKE_PID=$!
	on_exit "kill $FAKE_PID 2>/dev/null; wait $FAKE_PID 2>/dev/null"
	if ! wait_for 15 test -s "$_pf"; then
		diag "fake-twitch did not start:"
		sed 's/^/# /' "$TEST_TMP/fake.log"
		return 1
	fi
	FAKE_WS=$(sed -n 's/^chat_ws=//p' "$_pf")
	FAKE_WSS=$(sed -n 's/^chat_wss=//p' "$_pf")
	FAKE_ADMIN=$(sed -n 's/^admin=//p' "$_pf")
	return 0
}

# admin COMMAND...: one command on the admin port; prints the reply lines
# up to the first "ok ..." or "err ..." (5 s at most).
admin() {
	exec 9<>"/dev/tcp/127.0.0.1/$FAKE_ADMIN" || return 1
	printf '%s\n' "$*" >&9
	while IFS= read -r -t 5 _l <&9; do
		_l=${_l%$'\r'}
		printf '%s\n' "$_l"
		case $_l in ok*|err*) break ;; esac
	done
	exec 9<&- 9>&-
}

# admin_batch FILE: every line of FILE on one admin connection; prints the
# replies (30 s at most).
admin_batch() {
	_n=$(wc -l <"$1")
	exec 9<>"/dev/tcp/127.0.0.1/$FAKE_ADMIN" || return 1
	cat "$1" >&9 &
	_cat=$!
	_i=0
	while [ "$_i" -lt "$_n" ] && IFS= read -r -t 30 _l <&9; do
		_l=${_l%$'\r'}
		printf '%s\n' "$_l"
		case $_l in ok*|err*) _i=$((_i + 1)) ;; esac
	done
	wait "$_cat"
	exec 9<&- 9>&-
}

# tail_start NAME [stitch tail options...]: run stitch tail with stdout
# through a pipe (so it flushes as lines come, as a reader would see it)
# into $TEST_TMP/NAME.out, stderr into NAME.err, the exit status into
# NAME.rc once it ended and its output is all written; NAME.pid is the pid
# to signal (timeout(1), which passes INT and TERM on). Killed after 120 s
# whatever happens.
tail_start() {
	_name=$1
	shift
	rm -f "$TEST_TMP/$_name.rc" "$TEST_TMP/$_name.fifo"
	mkfifo "$TEST_TMP/$_name.fifo"
	(
		cat "$TEST_TMP/$_name.fifo" >"$TEST_TMP/$_name.out" &
		_cat=$!
		timeout -s KILL 120 "$STITCH" tail "$@" \
		    >"$TEST_TMP/$_name.fifo" 2>"$TEST_TMP/$_name.err" &
		echo $! >"$TEST_TMP/$_name.pid"
		wait $!
		_rc=$?
		wait $_cat
		echo $_rc >"$TEST_TMP/$_name.rc"
	) &
	on_exit "kill \$(cat $TEST_TMP/$_name.pid 2>/dev/null) 2>/dev/null"
	wait_for 5 test -s "$TEST_TMP/$_name.pid"
}

# tail_signal NAME SIG
tail_signal() {
	kill -s "$2" "$(cat "$TEST_TMP/$1.pid")"
}

# tail_wait NAME SECS: wait until it exited; 1 on time-out.
tail_wait() {
	wait_for "$2" test -s "$TEST_TMP/$1.rc"
}

tail_rc() {
	cat "$TEST_TMP/$1.rc" 2>/dev/null
}

# wait_out NAME SECS REGEX / wait_err NAME SECS REGEX
wait_out() {
	wait_for "$2" grep -Eq -- "$3" "$TEST_TMP/$1.out"
}
wait_err() {
	wait_for "$2" grep -Eq -- "$3" "$TEST_TMP/$1.err"
}

# Show a tail's output and errors in the TAP stream (on failure).
show_tail() {
	diag "--- $1.out"
	sed 's/^/# /' "$TEST_TMP/$1.out" 2>/dev/null | tail -n "${2:-20}"
	diag "--- $1.err"
	sed 's/^/# /' "$TEST_TMP/$1.err" 2>/dev/null | tail -n "${2:-20}"
	return 0
}
