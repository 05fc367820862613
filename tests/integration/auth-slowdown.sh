#!/bin/bash
# auth-slowdown.sh: slow_down honoured end to end. A stand-in OAuth server
# (auth-slowdown.py) says slow_down to the first poll: the next poll must
# come at least 1 + 5 s later, and so must the one after it (the longer
# interval stays), and stitch says it slowed down. Only lower bounds are
# checked: a loaded machine makes gaps longer, never shorter.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
. "$top_srcdir/tests/integration/auth-lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
auth_require
python3 "$top_srcdir/tests/integration/auth-slowdown.py" \
    "$TEST_TMP/stub.port" "$TEST_TMP/stub.log" 2>"$TEST_TMP/stub.err" &
stub=$!
on_exit "kill $stub 2>/dev/null"
wait_for 10 test -s "$TEST_TMP/stub.port" || skip_all "the stub did not start"
OAUTH=http://127.0.0.1:$(cat "$TEST_TMP/stub.port")/oauth2

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
done_testing
