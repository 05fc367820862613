# cache-lib.sh: shared by cache-redis.sh and cache-memcache.sh. Starts a
# real server on a random loopback port (they cannot take port 0: a port in
# use makes the server exit, and we try another), runs
# tests/integration/cache-driver against it, and stops the server on exit
# whatever happened (it is killed by the pid it wrote, after checking that
# pid is still that server).
. "$top_srcdir/tests/lib.sh"

DRIVER=$top_builddir/tests/integration/cache-driver
SERVER_PID_FILE=$TEST_TMP/server.pid
START=$TEST_TMP/start.sh

cache_require() {	# cache_require BINARY-NAME PATH-FROM-CONFIGURE
	[ -x "$DRIVER" ] || skip_all "cache-driver not built"
	command -v timeout >/dev/null 2>&1 || skip_all "no timeout(1)"
	SERVER_BIN=$2
	[ -n "$SERVER_BIN" ] && [ -x "$SERVER_BIN" ] ||
		SERVER_BIN=$(command -v "$1" 2>/dev/null) ||
		skip_all "$1 is not installed (the bootstrap installs it)"
	SERVER_NAME=$1
}

# The server's pid, if it is still our server.
server_pid() {
	[ -s "$SERVER_PID_FILE" ] || return 1
	_p=$(cat "$SERVER_PID_FILE")
	kill -0 "$_p" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null | grep -q "$SERVER_NAME" ||
		return 1
	echo "$_p"
}

server_stop() {
	_p=$(server_pid) || return 0
	kill -CONT "$_p" 2>/dev/null
	kill -9 "$_p" 2>/dev/null
	rm -f "$SERVER_PID_FILE"
}
on_exit server_stop

random_port() {
	echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
}

# drive ARGS...: the driver, bounded in time, output in $TEST_TMP/out.
drive() {
	timeout 60 "$DRIVER" "$@" >"$TEST_TMP/out" 2>&1
	_rc=$?
	sed 's/^/#   /' "$TEST_TMP/out"
	return $_rc
}

# skip_one REASON: one TAP test skipped.
skip_one() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# has LINE: the last drive printed exactly LINE.
has() { grep -qxF "$1" "$TEST_TMP/out"; }

# server_start PROBE-ARGS...: write $START from server_command (the
# caller's, using $PORT), run it, and wait until the driver run with
# PROBE-ARGS stores a probe. Tries up to 8 ports. Sets PORT, and calls
# the caller's server_on_port so the driver's environment follows.
server_start() {
	_try=0
	while [ $_try -lt 8 ]; do
		_try=$((_try + 1))
		PORT=$(random_port)
		server_on_port "$PORT"
		{
			echo "echo \$\$ >'$SERVER_PID_FILE'"
			echo "exec $(server_command) \\"
			echo "    >>'$TEST_TMP/server.log' 2>&1"
		} >"$START"
		rm -f "$SERVER_PID_FILE"
		sh "$START" &
		if server_wait_up "$@"; then
			return 0
		fi
		server_stop
		diag "port $PORT did not work; trying another"
	done
	return 1
}

# server_wait_up PROBE-ARGS...: 10 s at most.
server_wait_up() {
	_i=0
	while [ $_i -lt 100 ]; do
		_i=$((_i + 1))
		if [ $_i -gt 5 ] && ! server_pid >/dev/null; then
			return 1	# gone: the port was taken
		fi
		timeout 10 "$DRIVER" -t 500 "$@" set probe x 5 2>/dev/null |
			grep -qx "set probe 0" && return 0
		sleep 0.1
	done
	return 1
}

# A script the driver runs to bring the server back on the same port.
write_restart() {	# write_restart PROBE-ARGS...
	{
		echo "sh '$START' &"
		echo "i=0"
		echo "while [ \$i -lt 100 ]; do"
		echo "  i=\$((i + 1))"
		echo "  timeout 10 '$DRIVER' -t 500 $* set probe x 5 \\"
		echo "    2>/dev/null |"
		echo "    grep -qx 'set probe 0' && exit 0"
		echo "  sleep 0.1"
		echo "done"
		echo "exit 1"
	} >"$TEST_TMP/restart.sh"
}

# A script the driver runs to stall the server: SIGSTOP, then wait (5 s at
# most) until every thread of it has stopped; a stop is not instant, and a
# thread still running would answer. Prints nothing; exit 1 on time-out.
write_stall() {
	{
		echo "kill -STOP \$1 || exit 1"
		echo "i=0"
		echo "while [ \$i -lt 50 ]; do"
		echo "  i=\$((i + 1))"
		echo "  grep -h '^State:' /proc/\$1/task/*/status 2>/dev/null |"
		echo "    grep -qv 'T (stopped)' || exit 0"
		echo "  sleep 0.1"
		echo "done"
		echo "exit 1"
	} >"$TEST_TMP/stall.sh"
}
write_stall

# kill_and_back KIND SERVER: the server is killed mid-session (kill -9),
# then restarted on its port (restart.sh): no crash, one warning naming
# it, then it acts as none, and 30 s later it is used again.
kill_and_back() {
	_kind=$1 _srv=$2
	_pid=$(server_pid)
	drive -t 2000 "$_kind" set a hello 60 get a sh "kill -9 $_pid" \
		big b 4000000 60 warn warn get a set c x 60 del c warn kind \
		sh "sh '$TEST_TMP/restart.sh'" get c clock 31 set c y 60 \
		get c kind warn
	ok $? "killing the server mid-session: no crash"
	has "get a hit hello"
	ok $? "a hit before the kill"
	has "big b -1"
	ok $? "the write after the kill fails (not a SIGPIPE)"
	[ "$(grep -c "^warn $_srv at 127.0.0.1:" "$TEST_TMP/out")" -eq 1 ] &&
		grep -q "^warn $_srv at 127.0.0.1:$PORT: .*; caching is off\$" \
		"$TEST_TMP/out"
	ok $? "exactly one warning, naming the server and saying caching is off"
	has "get a miss" && has "set c 0" && has "kind none"
	ok $? "then it acts as none: misses, sets dropped"
	has "del c -1"
	ok $? "a del while it is down says it may not have happened"
	has "sh 0"
	ok $? "the server came back on the same port"
	has "get c miss" && has "get c hit y" && has "kind $_kind"
	ok $? "30 s later the cache connects again and hits"
	[ "$(grep -c '^warn' "$TEST_TMP/out")" -eq 4 ] &&
		[ "$(grep -c '^warn none$' "$TEST_TMP/out")" -eq 3 ]
	ok $? "and says nothing more"
}
