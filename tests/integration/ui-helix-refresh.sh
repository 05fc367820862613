#!/bin/bash
# The chat client with an account `stitch login` stored, in tmux against
# fake-twitch: its token expired, validation at start refreshes it through
# auth (one request to the OAuth server), the new token is stored, and
# Helix signs in with it, chat's next login uses it too, and commands
# work as that user.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-helix.json"
[ -f "$SEED" ] || skip_all "no Helix seed"
"$FAKE" --help 2>&1 | grep -q -- --device-auto-approve ||
    skip_all "fake-twitch has no OAuth half"
fake_start "$SEED" --device-interval 1 --device-auto-approve 1 ||
    { ok 1 "fake-twitch starts"; done_testing; }
HTTP=$(sed -n 's/^http=//p' "$TEST_TMP/ports")
OAUTH=http://127.0.0.1:$HTTP/oauth2

# requests PATH: what the fake counted for PATH.
requests() {
	admin http-stats | sed -n "s|^stat http path=$1 method=[A-Z]* requests=||p" |
	    awk '{ n += $1 } END { print n + 0 }'
}

env HOME="$UI_HOME" XDG_CONFIG_HOME="$UI_HOME/config" \
    TWITCH_CLIENT_ID=stitch-test-client timeout 60 "$STITCH" login \
    --oauth "$OAUTH" > "$TEST_TMP/login.out" 2> "$TEST_TMP/login.err"
ok $? "stitch login (approved by the fake)"
login=$(sed -n 's/^Logged in as \([a-z0-9_]*\) .*/\1/p' "$TEST_TMP/login.out")
tokfile=$UI_HOME/config/stitch/accounts/$login/token
old=$(cat "$tokfile" 2>/dev/null)
[ "$login" = erin ] && [ -n "$old" ]
ok $? "erin's token is stored"
admin "expire $old" | grep -q '^ok'
ok $? "admin: the stored token expired"

before=$(requests /oauth2/token)
ui_start r 140 30 TWITCH_CLIENT_ID=stitch-test-client \
    XDG_CACHE_HOME="$UI_HOME/cache" -- --server "$FAKE_URL" \
    --helix "http://127.0.0.1:$HTTP/helix" --oauth "$OAUTH" --nick erin \
    --layout single alice
ui_wait r "Helix: signed in as erin" 30
ok $? "Helix signs in with the refreshed token"
new=$(cat "$tokfile")
[ -n "$new" ] && [ "$new" != "$old" ]
ok $? "the new token is stored"
[ $(( $(requests /oauth2/token) - before )) = 1 ]
ok $? "one refresh request ($(( $(requests /oauth2/token) - before )))"
ui_wait r "joined #alice" 40
ok $? "chat, refused with the expired token, logs in with the new one"
ui_type r "/vips"
ui_wait r "/vips:"
ok $? "a command goes to Helix as erin and is answered"
ui_type r "/quit"
ui_wait r "EXITED=0"
ok $? "/quit"

! grep -q -F -e "$old" -e "$new" "$TEST_TMP"/*.err "$TEST_TMP"/*.out
ok $? "neither token in any output"
ui_lacks r "$new" && ui_lacks r "$old"
ok $? "nor on screen"
! cat "$TEST_TMP"/*.err 2>/dev/null | grep -q -i -e 'sanitizer' -e 'runtime error'
ok $? "no sanitizer report from any stitch"

done_testing
