#!/bin/bash
# auth-flow.sh: the ways a device code flow ends besides approval, and
# the rules around it: --device-auto-approve (approval after N pending
# polls), access_denied and expired_token with clear messages and nothing
# stored, slow_down honoured, no client id, a second account beside the
# first, tokens never from argv.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
. "$top_srcdir/tests/integration/auth-lib.sh"
auth_require
auth_fake --device-interval 1 --device-auto-approve 3 \
    || { ok 1 "fake-twitch starts"; done_testing; }

# No client id: a clear error before any request.
(unset TWITCH_CLIENT_ID; run n login --oauth "$OAUTH")
[ "$(run_rc n)" != 0 ] && grep -q 'no client id' "$TEST_TMP/n.err" &&
    grep -q 'TWITCH_CLIENT_ID' "$TEST_TMP/n.err"
ok $? "no client id: refused, says where to put one"
run v login --oauth "$OAUTH" oauth:abcdefghij
[ "$(run_rc v)" != 0 ] && ! grep -q 'abcdefghij' "$TEST_TMP/v.err"
ok $? "a token on the command line is refused and not echoed"

# Approval by the fake itself after 3 polls.
run a login --oauth "$OAUTH"
ok $? "auto-approve: login succeeds"
grep -q '^Logged in as ' "$TEST_TMP/a.out"
ok $? "auto-approve: says who"
first=$(sed -n 's/^Logged in as \([a-z0-9_]*\) .*/\1/p' "$TEST_TMP/a.out")
[ -n "$first" ] && [ -n "$(stored_token "$first")" ]
ok $? "auto-approve: the token is stored"
remember_secrets "$first"
fake_stop

# Denied: the admin says no.
auth_fake --device-interval 1 || { ok 1 "fake-twitch restarts"; done_testing; }
run_start d login --oauth "$OAUTH"
wait_for 10 grep -q 'enter the code' "$TEST_TMP/d.out"
admin deny "$(user_code d)" | grep -q '^ok'
ok $? "admin: deny the code"
run_wait d 15
ok $? "denied: login ends"
[ "$(run_rc d)" = 1 ] && grep -q 'denied' "$TEST_TMP/d.err"
ok $? "denied: exit status 1 and says authorization was denied"
[ "$(ls "$STORE/accounts")" = "$first" ]
ok $? "denied: nothing new stored"

# Scopes: a bad one is refused before any request; the ones asked for
# are the ones stored.
run s1 login --oauth "$OAUTH" --scopes 'chat:read,Bad Scope'
[ "$(run_rc s1)" = 2 ] && grep -q -- '--scopes: a scope is lowercase' \
    "$TEST_TMP/s1.err"
ok $? "scopes: a bad one is a usage error (exit 2)"
# A second account beside the first, asking for two scopes only.
run_start b login --oauth "$OAUTH" --scopes 'chat:read, chat:edit'
wait_for 10 grep -q 'enter the code' "$TEST_TMP/b.out"
admin approve "$(user_code b)" carol >/dev/null
run_wait b 15 && [ "$(run_rc b)" = 0 ]
ok $? "second account: carol logs in"
[ -n "$(stored_token carol)" ] && [ -n "$(stored_token "$first")" ]
ok $? "second account: both tokens are stored side by side"
remember_secrets carol
grep -q '^scopes = chat:read chat:edit$' "$STORE/accounts/carol/session"
ok $? "scopes: the two asked for are the two granted and stored"
[ "$(cat "$STORE/default-account")" = "$first" ]
ok $? "second account: the default account stays the first"
# (The first account's token came from the fake run before this one,
# which forgot it: only carol's can validate here.)
run c login --oauth "$OAUTH" --check carol
[ "$(run_rc c)" = 0 ] && grep -q '^carol: valid$' "$TEST_TMP/c.out"
ok $? "check: carol's token is valid"
[ "$(run_rc c)" = 0 ] || show c
run c2 login --oauth "$OAUTH" --check
[ "$(run_rc c2)" = 1 ] && grep -q "^stitch login: $first: .*run stitch login" \
    "$TEST_TMP/c2.err" && grep -q '^carol: valid$' "$TEST_TMP/c2.out"
ok $? "check: all accounts; the one the fake forgot fails, with what to do"
[ "$(run_rc c2)" = 1 ] || show c2
# A damaged session file: named, with its line, and what to do.
cp "$STORE/accounts/carol/session" "$TEST_TMP/session.good"
printf 'login = carol\nuser_id = not-a-number\n' >"$STORE/accounts/carol/session"
run c3 login --oauth "$OAUTH" --check carol
[ "$(run_rc c3)" = 1 ] &&
    grep -q 'accounts/carol/session:2: user_id is not a number; run stitch login again' \
    "$TEST_TMP/c3.err"
ok $? "check: a damaged session file is named with its line"
run c4 login --oauth "$OAUTH" --check
[ "$(run_rc c4)" = 1 ] && grep -q 'session:2: user_id' "$TEST_TMP/c4.err" &&
    grep -q "^stitch login: $first: " "$TEST_TMP/c4.err"
ok $? "check of all: the damaged one is told, the others still checked"
cp "$TEST_TMP/session.good" "$STORE/accounts/carol/session"

run o logout --oauth "$OAUTH"
[ "$(run_rc o)" = 0 ] && [ "$(ls "$STORE/accounts")" = carol ] &&
    [ ! -e "$STORE/default-account" ]
ok $? "logout with no login: the default account goes, carol stays"
run o2 logout --oauth "$OAUTH"
[ "$(run_rc o2)" = 0 ] && [ -z "$(ls "$STORE/accounts")" ]
ok $? "logout again: the only account left goes"
fake_stop

# Expired: the code times out before anyone approves it.
auth_fake --device-interval 1 --device-expires 3 \
    || { ok 1 "fake-twitch restarts"; done_testing; }
run e login --oauth "$OAUTH"
[ "$(run_rc e)" = 1 ] && grep -q 'expired' "$TEST_TMP/e.err"
ok $? "expired: exit status 1 and says the code expired"
grep -q 'run stitch login again' "$TEST_TMP/e.err"
ok $? "expired: says what to do"
fake_stop

no_secret_anywhere
ok $? "no token or refresh token in any output or log"
done_testing
