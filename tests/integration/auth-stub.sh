#!/bin/bash
# auth-stub.sh: against a stand-in OAuth server (auth-stub.py) that says
# what fake-twitch never does on purpose. slow_down honoured end to end:
# it says slow_down to the first poll, so the next must come at least
# 1 + 5 s later, and so must the one after it (the longer interval
# stays), and stitch says it slowed down; only lower bounds are checked (a
# loaded machine makes gaps longer, never shorter). Hostile replies: a
# user code with escapes is refused, an error message with escapes and
# the device code comes out harmless and redacted.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
. "$top_srcdir/tests/integration/auth-lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
auth_require
ESC=$(printf '\033') BEL=$(printf '\007')

# stub_start MODE: (re)start the stand-in; sets OAUTH.
stub_start() {
	[ -n "${stub:-}" ] && kill "$stub" 2>/dev/null
	rm -f "$TEST_TMP/stub.port" "$TEST_TMP/stub.log"
	python3 "$top_srcdir/tests/integration/auth-stub.py" \
	    "$TEST_TMP/stub.port" "$TEST_TMP/stub.log" "$1" \
	    2>>"$TEST_TMP/stub.err" &
	stub=$!
	on_exit "kill $stub 2>/dev/null"
	wait_for 10 test -s "$TEST_TMP/stub.port" || return 1
	OAUTH=http://127.0.0.1:$(cat "$TEST_TMP/stub.port")/oauth2
}
stub_start slowdown || skip_all "the stub did not start"

run a login --oauth "$OAUTH"
ok $? "login succeeds after slow_down and pending"
[ "$(wc -l <"$TEST_TMP/stub.log")" -eq 3 ]
ok $? "three polls in all"
grep -q 'poll more slowly: every 6 s' "$TEST_TMP/a.err"
ok $? "stitch says it polls every 6 s now"
gaps=$(awk '{ t[$2] = $3 } END { printf "%.3f %.3f", t[2] - t[1], t[3] - t[2] }' \
    "$TEST_TMP/stub.log")
diag "gaps between polls: $gaps s"
awk -v g="${gaps% *}" 'BEGIN { exit !(g >= 5.9) }'
ok $? "after slow_down: the next poll 6 s later, not 1 s"
awk -v g="${gaps#* }" 'BEGIN { exit !(g >= 5.9) }'
ok $? "and the one after: the interval stays longer"
[ "$(stored_token slowpoke)" = slowpoke-access-token-0001 ]
ok $? "the token is stored"
! grep -rqF -e slowpoke-access-token-0001 -e slowpoke-refresh-token-01 \
    -e slow-device-code "$TEST_TMP"/*.out "$TEST_TMP"/*.err
ok $? "neither the token nor the device code is in any output"

stub_start hostile-code || { ok 1 "the stub restarts"; done_testing; }
run h1 login --oauth "$OAUTH"
[ "$(run_rc h1)" = 1 ] && grep -q 'user_code holds characters it should not' \
    "$TEST_TMP/h1.err"
ok $? "hostile user code: refused, saying why"
! grep -q "$ESC\|$BEL" "$TEST_TMP/h1.out" "$TEST_TMP/h1.err"
ok $? "hostile user code: no escape reaches the terminal"

stub_start hostile-error || { ok 1 "the stub restarts"; done_testing; }
run h2 login --oauth "$OAUTH"
[ "$(run_rc h2)" = 1 ] && grep -q 'the OAuth server refused: .* bad \*\*\*\*' \
    "$TEST_TMP/h2.err"
ok $? "hostile error: shown, with the device code it quoted redacted"
! grep -q "$ESC\|$BEL" "$TEST_TMP/h2.out" "$TEST_TMP/h2.err"
ok $? "hostile error: no escape reaches the terminal"
! grep -rqF slow-device-code "$TEST_TMP"/*.out "$TEST_TMP"/*.err
ok $? "hostile error: the device code is in no output"
done_testing
