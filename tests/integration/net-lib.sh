# net-lib.sh: helpers for the net-*.sh tests, sourced after tests/lib.sh.
# Starts tests/fake-twitch on loopback ports it picks, talks to its admin
# port, and runs tests/integration/net-driver with commands from a FIFO.
# Everything started here is stopped on exit, every wait has a time-out.

FAKE=$top_builddir/tests/fake-twitch/fake-twitch
DRIVER=$top_builddir/tests/integration/net-driver

net_require() {
	[ -x "$FAKE" ] || skip_all "fake-twitch not built"
	[ -x "$DRIVER" ] || skip_all "net-driver not built"
	command -v timeout >/dev/null 2>&1 || skip_all "no timeout(1)"
}

# The seed file fake-twitch reads (users, tokens, channels).
net_seed() {
	for f in "$top_srcdir/tests/data/seed-chat-min.json"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# fake_start [fake-twitch options...]: start it, wait for its port file,
# set FAKE_WS FAKE_WSS FAKE_ADMIN FAKE_PID.
fake_start() {
	_pf=$TEST_TMP/ports
	rm -f "$_pf"
	_seed=$(net_seed) || skip_all "no fake-twitch seed file"
	"$FAKE" --seed "$_seed" --port-file "$_pf" --max-lifetime 300 "$@" \
	    >"$TEST_TMP/fake.log" 2>&1 &
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

# admin COMMAND...: send one command to the admin port, print the reply
# lines up to the first "ok ..." or "err ..." line (5 s at most).
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

# admin_batch FILE: send every line of FILE on one admin connection and
# print every reply (a reply per command); 30 s at most.
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

# The "stat ..." value of KEY on the line that has MATCH (e.g. account=bob).
fake_stat() {
	admin stats | grep -- "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}

# driver_start NAME [net-driver options...]: run the driver, its stdin a
# FIFO fed by drv NAME, its output in $TEST_TMP/NAME.log.
driver_start() {
	_name=$1
	shift
	mkfifo "$TEST_TMP/$_name.in"
	timeout 120 "$DRIVER" "$@" <"$TEST_TMP/$_name.in" \
	    >"$TEST_TMP/$_name.log" 2>"$TEST_TMP/$_name.err" &
	eval "DRV_${_name}_PID=$!"
	# Hold the FIFO open so the driver does not see EOF between commands.
	eval "exec {DRV_${_name}_FD}>\"\$TEST_TMP/\$_name.in\""
	on_exit "kill $! 2>/dev/null"
}

# drv NAME COMMAND: a command on the driver's stdin.
drv() {
	eval "printf '%s\n' \"\$2\" >&\$DRV_${1}_FD"
}

# driver_wait NAME SECS: let the driver finish (after "quit" or its
# --duration); 1 on time-out.
driver_wait() {
	eval "_pid=\$DRV_${1}_PID"
	wait_for "$2" sh -c "! kill -0 $_pid 2>/dev/null"
}

# log_has NAME REGEX: does the driver's output have a matching line?
log_has() {
	grep -Eq -- "$2" "$TEST_TMP/$1.log"
}

# wait_log NAME SECS REGEX
wait_log() {
	wait_for "$2" grep -Eq -- "$3" "$TEST_TMP/$1.log"
}

# Show a driver's output in the TAP stream (on failure).
show_log() {
	diag "--- $1.log"
	sed 's/^/# /' "$TEST_TMP/$1.log" | tail -n "${2:-40}"
	[ -s "$TEST_TMP/$1.err" ] && sed 's/^/# err: /' "$TEST_TMP/$1.err" |
	    tail -n 20
	return 0
}
