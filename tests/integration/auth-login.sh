#!/bin/bash
# auth-login.sh: `stitch login` against fake-twitch's /oauth2: pending
# until an admin approves the code, then the token validated and stored
# (0600 files in 0700 directories); the stored token works for `stitch
# tail` on chat; --check validates; after `expire TOKEN` it refreshes
# (and stores the new pair); --refresh with three callers sends one
# request; logout revokes (validate then says 401) and deletes; no token
# in any output.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
. "$top_srcdir/tests/integration/auth-lib.sh"
auth_require
auth_fake --device-interval 1 || { ok 1 "fake-twitch starts"; done_testing; }
WS=ws://127.0.0.1:$FAKE_WS/
tab=$(printf '\t')

# Pending, then approved by the admin.
run_start a login --oauth "$OAUTH"
wait_for 10 grep -q 'enter the code' "$TEST_TMP/a.out"
ok $? "login: prints the address and the code"
code=$(user_code a)
[ -n "$code" ] && grep -q "^    https://www.twitch.tv/activate" "$TEST_TMP/a.out"
ok $? "login: the code and the verification address, plain text"
# Two polls answered authorization_pending: still waiting, nothing
# stored.
wait_for 15 polled_at_least 2
ok $? "login: polls while the code is pending"
[ ! -e "$STORE/accounts" ] && [ ! -s "$TEST_TMP/a.rc" ]
ok $? "login: pending: still waiting, nothing stored"
admin approve "$code" bob | grep -q '^ok'
ok $? "admin: approve the code as bob"
run_wait a 15
ok $? "login: ends after the approval"
[ "$(run_rc a)" = 0 ]
ok $? "login: exit status 0"
grep -q '^Logged in as bob (user id 1002)' "$TEST_TMP/a.out"
ok $? "login: says who (validate gave login and user id)"
[ -n "$(stored_token bob)" ]
ok $? "store: a token for bob"
[ "$(mode_of "$STORE/accounts")" = 700 ] &&
    [ "$(mode_of "$STORE/accounts/bob")" = 700 ]
ok $? "store: directories 0700"
[ "$(mode_of "$STORE/accounts/bob/token")" = 600 ] &&
    [ "$(mode_of "$STORE/accounts/bob/session")" = 600 ] &&
    [ "$(mode_of "$STORE/default-account")" = 600 ]
ok $? "store: files 0600"
grep -q '^user_id = 1002$' "$STORE/accounts/bob/session" &&
    grep -q '^refresh = .' "$STORE/accounts/bob/session" &&
    grep -q '^scopes = .*chat:read' "$STORE/accounts/bob/session"
ok $? "store: user id, refresh token and scopes in the session"
[ "$(cat "$STORE/default-account")" = bob ]
ok $? "store: bob is the default account"
remember_secrets bob
first=$(stored_token bob)
[ "$(validate_status "$first")" = 200 ]
ok $? "the stored token validates"

# Chat with it: no --nick, no token file: default-account and the store.
tail_start t --server "$WS" alpha
wait_err t 10 'main-shard: ready'
ok $? "tail: logs in to chat with the stored token"
admin say alpha someone hello-bob >/dev/null
wait_out t 10 'hello-bob'
ok $? "tail: reads chat"
grep -Eq "${tab}bob${tab}[^$tab]*${tab}join${tab}" "$TEST_TMP/t.out" &&
    ! grep -q 'anonymous' "$TEST_TMP/t.err"
ok $? "tail: joined as bob, not anonymously"
tail_signal t INT
tail_wait t 10 && [ "$(tail_rc t)" = 0 ] || show_tail t

# --check: valid.
run c1 login --oauth "$OAUTH" --check
ok $? "check: exit status 0"
grep -q '^bob: valid$' "$TEST_TMP/c1.out"
ok $? "check: bob is valid"

# The fake expires the access token: --check refreshes it.
admin expire "$first" | grep -q '^ok'
ok $? "admin: expire bob's token"
[ "$(validate_status "$first")" = 401 ]
ok $? "the expired token no longer validates"
run c2 login --oauth "$OAUTH" --check
ok $? "check after expire: exit status 0"
grep -q '^bob: refreshed' "$TEST_TMP/c2.out"
ok $? "check after expire: refreshed"
second=$(stored_token bob)
[ -n "$second" ] && [ "$second" != "$first" ]
ok $? "refresh: a new token is stored"
remember_secrets bob
[ "$(validate_status "$second")" = 200 ]
ok $? "refresh: and it validates"
[ "$(mode_of "$STORE/accounts/bob/token")" = 600 ]
ok $? "refresh: the rewritten token file is still 0600"

# --refresh: three callers at once, one request.
before=$(requests /oauth2/token POST)
run r login --oauth "$OAUTH" --refresh bob
ok $? "refresh: exit status 0"
grep -q '3 callers were answered by 1 request' "$TEST_TMP/r.out"
ok $? "refresh: three callers, one request (coalesced), says stitch"
[ "$(requests /oauth2/token POST)" -eq $((before + 1)) ]
ok $? "refresh: and the fake saw exactly one"
third=$(stored_token bob)
remember_secrets bob
[ "$third" != "$second" ] && [ "$(validate_status "$third")" = 200 ]
ok $? "refresh: the newest pair is stored and works"

# Logging in again as bob: the new pair replaces the old, which is
# revoked.
run_start a2 login --oauth "$OAUTH"
wait_for 10 grep -q 'enter the code' "$TEST_TMP/a2.out"
admin approve "$(user_code a2)" bob >/dev/null
run_wait a2 15 && [ "$(run_rc a2)" = 0 ]
ok $? "login again as bob"
grep -q '^The previous token of bob is revoked' "$TEST_TMP/a2.out" &&
    [ "$(validate_status "$third")" = 401 ]
ok $? "login again: the previous token is revoked at Twitch"
remember_secrets bob
third=$(stored_token bob)
[ "$(validate_status "$third")" = 200 ]
ok $? "login again: the new one works"

# Logout: revoke, then delete.
run o logout --oauth "$OAUTH"
ok $? "logout: exit status 0"
grep -q 'revoked' "$TEST_TMP/o.out"
ok $? "logout: says it revoked the token"
[ "$(validate_status "$third")" = 401 ]
ok $? "logout: the fake's validate then says 401"
[ ! -e "$STORE/accounts/bob" ] && [ ! -e "$STORE/default-account" ]
ok $? "logout: the files are gone"
run o2 logout --oauth "$OAUTH" bob
[ $? -ne 0 ] && grep -q 'not logged in' "$TEST_TMP/o2.err"
ok $? "logout again: not logged in"

no_secret_anywhere
ok $? "no token or refresh token in any output or log"
done_testing
