#!/bin/bash
# auth-helix.sh: Helix's 401 refresh through struct auth: two Helix
# clients of one account, two calls each, the stored token expired by the
# fake. Every call gets a 401, both clients ask auth_refresher, one
# refresh request answers both, the new pair is stored, every call is
# retried and succeeds. No token in any output.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
. "$top_srcdir/tests/integration/auth-lib.sh"
DRIVER=$top_builddir/tests/integration/auth-helix
[ -x "$DRIVER" ] || skip_all "auth-helix not built"
auth_require
auth_fake --device-interval 1 --device-auto-approve 1 ||
    { ok 1 "fake-twitch starts"; done_testing; }
HELIX=http://127.0.0.1:$FAKE_HTTP/helix

run a login --oauth "$OAUTH"
ok $? "login (approved by the fake)"
login=$(sed -n 's/^Logged in as \([a-z0-9_]*\) .*/\1/p' "$TEST_TMP/a.out")
old=$(stored_token "$login")
remember_secrets "$login"
admin expire "$old" | grep -q '^ok'
ok $? "admin: expire the stored token"

before=$(requests /oauth2/token POST)
users_before=$(requests /helix/users GET)
timeout -s KILL 60 "$DRIVER" --oauth "$OAUTH" --helix "$HELIX" "$login" \
    >"$TEST_TMP/d.out" 2>"$TEST_TMP/d.err"
ok $? "driver: every call succeeded"
[ "$(grep -c '^call: ok, HTTP 200$' "$TEST_TMP/d.out")" = 4 ]
ok $? "driver: four calls, four 200s"
[ "$(requests /oauth2/token POST)" -eq $((before + 1)) ]
ok $? "one refresh request for two clients and four 401s (the fake counted)"
grep -q '^done: 4 of 4 calls ok, 1 request(s) to the OAuth server$' \
    "$TEST_TMP/d.out"
ok $? "and stitch counted one too"
[ "$(requests /helix/users GET)" -eq $((users_before + 8)) ]
ok $? "each call was tried, refused and retried once (8 Helix requests)"
new=$(stored_token "$login")
remember_secrets "$login"
[ -n "$new" ] && [ "$new" != "$old" ] && [ "$(validate_status "$new")" = 200 ]
ok $? "the new token is stored and works"
[ "$(mode_of "$STORE/accounts/$login/token")" = 600 ]
ok $? "and its file is still 0600"
grep -q "^auth: $login: refreshed" "$TEST_TMP/d.out"
ok $? "auth told of the refresh"
grep -v '^call: ok\|^done\|^auth' "$TEST_TMP/d.out" | sed 's/^/# /'

no_secret_anywhere
ok $? "no token or refresh token in any output or log"
done_testing
