#!/bin/sh
# stitch report with an account stitch login stored: when Helix says 401
# (the fake expired the token), the report asks auth for a new token,
# which refreshes it once, stores it, and the report succeeds with it. A
# token from STITCH_TOKEN has no refresh token: the 401 is the answer.
. "$top_srcdir/tests/integration/rest-lib.sh"
"$FAKE" --help 2>&1 | grep -q -- --device-auto-approve ||
    skip_all "fake-twitch has no OAuth half"
rest_start --device-interval 1 --device-auto-approve 1
OAUTH=http://127.0.0.1:$HTTP/oauth2

timeout 60 "$STITCH" login --oauth "$OAUTH" > "$TEST_TMP/login.out" \
    2> "$TEST_TMP/login.err"
ok $? "stitch login (approved by the fake)"
login=$(sed -n 's/^Logged in as \([a-z0-9_]*\) .*/\1/p' "$TEST_TMP/login.out")
tokfile=$XDG_CONFIG_HOME/stitch/accounts/$login/token
old=$(cat "$tokfile" 2>/dev/null)
[ -n "$login" ] && [ -n "$old" ]
ok $? "an account and its token are stored ($login)"

admin expire "$old" | grep -q '^ok'
ok $? "admin: the stored token now answers 401"
before=$(requests /oauth2/token)
timeout 60 "$STITCH" report --helix "$BASE" --oauth "$OAUTH" -c none \
    created > "$TEST_TMP/ref.out" 2> "$TEST_TMP/ref.err"
rc=$?
[ $rc = 0 ] && [ "$(sed -n 2p "$TEST_TMP/ref.out" | cut -f1)" = "$login" ]
ok $? "report: the 401 refreshed, the report complete (exit $rc)"
new=$(cat "$tokfile")
[ -n "$new" ] && [ "$new" != "$old" ]
ok $? "the new token is stored"
[ $(( $(requests /oauth2/token) - before )) = 1 ]
ok $? "one refresh request"

admin expire "$new" | grep -q '^ok'
STITCH_TOKEN=$new timeout 60 "$STITCH" report --helix "$BASE" \
    --oauth "$OAUTH" -c none created > "$TEST_TMP/env.out" \
    2> "$TEST_TMP/env.err"
rc=$?
[ $rc = 3 ] && grep -q 'run stitch login' "$TEST_TMP/env.err"
ok $? "a token from STITCH_TOKEN is not refreshed: exit 3, run stitch login"

! grep -q -F -e "$old" -e "$new" "$TEST_TMP"/*.out "$TEST_TMP"/*.err
ok $? "neither token in any output"
fake_stop
done_testing
