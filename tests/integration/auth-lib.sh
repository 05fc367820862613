# auth-lib.sh: helpers for the auth-*.sh tests (stitch login / logout
# against fake-twitch's /oauth2), sourced after tests/lib.sh and
# mgr-lib.sh. Every run of stitch is bounded by timeout(1); whatever is
# started is stopped on exit.

CLIENT_ID=stitch-test-client

# auth_require: what mgr_require does (a private HOME and config), plus
# the client id and no stray TWITCH_* from the caller.
auth_require() {
	mgr_require
	export TWITCH_CLIENT_ID=$CLIENT_ID
	STORE=$XDG_CONFIG_HOME/stitch
}

# auth_fake [fake-twitch options...]: fake_start, then FAKE_HTTP and
# OAUTH (the /oauth2 base URL). The whole test is skipped (call it before
# any output) when fake-twitch was built without its HTTP half, which
# answers 503 to everything.
auth_fake() {
	"$FAKE" --help 2>&1 | grep -q -- --device-interval ||
	    skip_all "fake-twitch has no OAuth half (no --device-interval)"
	fake_start "$@" || return 1
	FAKE_HTTP=$(sed -n 's/^http=//p' "$TEST_TMP/ports")
	[ -n "$FAKE_HTTP" ] || skip_all "fake-twitch has no HTTP port"
	OAUTH=http://127.0.0.1:$FAKE_HTTP/oauth2
	command -v "${CURL_BIN:-curl}" >/dev/null 2>&1 || skip_all "no curl"
	_st=$("${CURL_BIN:-curl}" -s -o /dev/null -w '%{http_code}' -m 10 \
	    "$OAUTH/validate")
	[ "$_st" = 401 ] || skip_all "fake-twitch's /oauth2 is not there \
(validate without a token: HTTP $_st)"
}

# run_start NAME ARGS...: `stitch ARGS...` in the background, stdout into
# $TEST_TMP/NAME.out, stderr NAME.err, exit status NAME.rc (killed after
# 60 s whatever happens).
run_start() {
	_name=$1
	shift
	rm -f "$TEST_TMP/$_name.rc" "$TEST_TMP/$_name.pid"
	(
		timeout -s KILL 60 "$STITCH" "$@" >"$TEST_TMP/$_name.out" \
		    2>"$TEST_TMP/$_name.err" &
		echo $! >"$TEST_TMP/$_name.pid"
		wait $!
		echo $? >"$TEST_TMP/$_name.rc"
	) &
	on_exit "kill \$(cat $TEST_TMP/$_name.pid 2>/dev/null) 2>/dev/null"
	wait_for 5 test -s "$TEST_TMP/$_name.pid"
}

# run NAME ARGS...: the same, waiting up to 30 s for it to end; returns
# its exit status (124 if it did not end).
run() {
	run_start "$@"
	wait_for 30 test -s "$TEST_TMP/$1.rc" || return 124
	return "$(cat "$TEST_TMP/$1.rc")"
}

# run_wait NAME SECS: wait for a run_start'ed run to end; 1 on time-out.
run_wait() {
	wait_for "$2" test -s "$TEST_TMP/$1.rc"
}
run_rc() {
	cat "$TEST_TMP/$1.rc" 2>/dev/null
}

# user_code NAME: the code stitch login printed (the indented line that
# is not the address).
user_code() {
	sed -n 's/^    \([A-Za-z0-9-]\{1,\}\)$/\1/p' "$TEST_TMP/$1.out" | head -n 1
}

# stored_token LOGIN: the access token in the store (never printed by the
# tests; only compared and grepped for).
stored_token() {
	head -n 1 "$STORE/accounts/$1/token" 2>/dev/null
}

# mode_of PATH: octal permission bits.
mode_of() {
	stat -c %a "$1" 2>/dev/null
}

# validate_status TOKEN: the HTTP status of GET /oauth2/validate with it,
# the header given to curl in a file, so not even the test's own argv
# holds the token.
validate_status() {
	printf 'Authorization: OAuth %s\n' "$1" >"$TEST_TMP/hdr"
	"${CURL_BIN:-curl}" -s -o /dev/null -w '%{http_code}' -m 10 \
	    -H @"$TEST_TMP/hdr" "$OAUTH/validate"
	rm -f "$TEST_TMP/hdr"
}

# show NAME: a run's output and errors in the TAP stream (on failure).
show() {
	diag "--- $1.out"
	sed 's/^/# /' "$TEST_TMP/$1.out" 2>/dev/null | tail -n 20
	diag "--- $1.err"
	sed 's/^/# /' "$TEST_TMP/$1.err" 2>/dev/null | tail -n 20
	return 0
}

# SECRETS: every token and refresh token seen, for no_secret_anywhere.
SECRETS=""
remember_secrets() {	# LOGIN
	_t=$(stored_token "$1")
	_r=$(sed -n 's/^refresh = //p' "$STORE/accounts/$1/session" 2>/dev/null)
	SECRETS="$SECRETS $_t $_r"
}

# no_secret_anywhere: 0 if no remembered secret is in any captured output
# (every *.out and *.err of the test, and the fake's log).
no_secret_anywhere() {
	for _s in $SECRETS; do
		[ ${#_s} -ge 8 ] || continue
		if grep -rlF -e "$_s" "$TEST_TMP"/*.out "$TEST_TMP"/*.err \
		    "$TEST_TMP/fake.log" 2>/dev/null; then
			return 1
		fi
	done
	return 0
}

# requests PATH METHOD: how many requests the fake has had for it.
requests() {
	_n=$(admin stats | sed -n "s|^stat http path=$1 method=$2 requests=||p")
	echo "${_n:-0}"
}

# polled_at_least N: the fake has had N token polls.
polled_at_least() {
	[ "$(requests /oauth2/token POST)" -ge "$1" ]
}
