#!/bin/sh
# The REST layer under trouble, through stitch report: a 429 waited out
# until Ratelimit-Reset then success, 500s retried then success, retries
# that stop at their bound with a clear failure, a reply cut short, and
# Ctrl+C in the middle leaving whole lines.
. "$top_srcdir/tests/integration/rest-lib.sh"
rest_start

T='	'
fault() { admin helix-fault "$1" "$2" | grep -q '^ok'; }

fault 1 429
ok $? "admin: the next reply is a 429"
before=$(requests /helix/users)
rep tok-alice r429 -c none created alice
after=$(requests /helix/users)
[ "$(rc_of r429)" = 0 ] && [ "$(sed -n 2p "$TEST_TMP/r429.out" | cut -f1)" = alice ]
ok $? "429 then success: the report is complete, exit 0"
# whoami (429, again) and the user lookup.
[ $((after - before)) = 3 ]
ok $? "429: asked again after the reset, once (requests $((after - before)))"

fault 2 500
before=$(requests /helix/users)
rep tok-alice r500 -c none created alice
after=$(requests /helix/users)
[ "$(rc_of r500)" = 0 ] && [ "$(sed -n 2p "$TEST_TMP/r500.out")" = \
    "alice${T}1001${T}2016-03-01T10:00:00Z" ]
ok $? "500, 500, then success: exit 0 and the right line"
[ $((after - before)) = 4 ]
ok $? "500: two retries before the success (requests $((after - before)))"

fault 50 500
before=$(requests /helix/users)
rep tok-alice dead -c none created alice
after=$(requests /helix/users)
[ "$(rc_of dead)" = 4 ] && [ ! -s "$TEST_TMP/dead.out" ] &&
    grep -q "Twitch's server failed (HTTP 500).*(4 tries)" "$TEST_TMP/dead.err"
ok $? "500 for ever: a clear failure, exit 4, nothing on stdout"
[ $((after - before)) = 4 ]
ok $? "500 for ever: 1 try + 3 retries, then it stops (requests $((after - before)))"
admin helix-fault 0 500 >/dev/null

fault 50 429
rep tok-alice limited -c none created alice
[ "$(rc_of limited)" = 4 ] && grep -q 'rate limit.*(4 tries)' "$TEST_TMP/limited.err"
ok $? "429 for ever: gives up after its waits, says rate limit, exit 4"
admin helix-fault 0 429 >/dev/null

fault 1 malformed
rep tok-alice cut -c none created alice
[ "$(rc_of cut)" = 4 ] && grep -q 'not JSON' "$TEST_TMP/cut.err"
ok $? "a reply cut short: not JSON, exit 4"

# Ctrl+C while replies are slow: exit 130 and only whole lines.
admin helix-fault 20 slow >/dev/null
STITCH_TOKEN=tok-alice "$STITCH" report --helix "$BASE" -c none \
    followers alice > "$TEST_TMP/int.out" 2> "$TEST_TMP/int.err" &
pid=$!
on_exit "kill $pid"
sleep 1
kill -INT $pid
wait_for 20 sh -c "! kill -0 $pid"
wait $pid
[ $? = 130 ]
ok $? "Ctrl+C: exit 130"
[ ! -s "$TEST_TMP/int.out" ] || [ "$(tail -c 1 "$TEST_TMP/int.out" | od -An -c | tr -d ' ')" = '\n' ]
ok $? "Ctrl+C: stdout ends on a whole line"
grep -q interrupted "$TEST_TMP/int.err"
ok $? "Ctrl+C: says so on stderr"
admin helix-fault 0 slow >/dev/null

no_token
ok $? "no token in any output or message"
fake_stop
done_testing
