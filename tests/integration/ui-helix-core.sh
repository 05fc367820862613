#!/bin/sh
# The interactive client's Helix session (src/apphelix) alone, against
# fake-twitch over http: logins become ids (and an unknown one is said
# so), every page of a list arrives, the stats of a live and an offline
# channel, a user card with and without a follow, Twitch's refusals in
# words, a dead token failing every request with auth set, no session
# without a token or a client id, and a cancelled request never answered.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
SEED=$top_srcdir/tests/data/seed-helix.json
DRV=$top_builddir/tests/integration/apphelix-driver
[ -x "$DRV" ] || skip_all "apphelix-driver not built"
export TWITCH_CLIENT_ID=stitch-test-client XDG_CACHE_HOME="$TEST_TMP/cache"
fake_start
URL=http://127.0.0.1:$HTTP/helix

# run NAME TOKEN ARGS...: the driver's output into $TEST_TMP/NAME.
run() {
	_n=$1 _t=$2
	shift 2
	STITCH_TOKEN=$_t timeout 60 "$DRV" "$URL" "$@" > "$TEST_TMP/$_n" \
	    2>> "$TEST_TMP/driver.err"
}
out() { cat "$TEST_TMP/$1"; }

run live tok-carol carol stats alice
has "$TEST_TMP/live" "stats live=1 title=Any% practice — come say hi game=Celeste viewers=2504 followers=153"
ok $? "stats of a live channel: title, game, viewers, follower total"
grep -q "started=1796148000" "$TEST_TMP/live"
ok $? "and when the stream started"
has "$TEST_TMP/live" "news ok=1 msg=Helix: signed in as carol"
ok $? "validated first, and says whose the token is"
! has "$TEST_TMP/live" "early callback"
ok $? "the answer never comes before apphelix_do() returns"

run off tok-carol carol stats bob
has "$TEST_TMP/off" "stats live=0 title=building things game=Minecraft viewers=-1 followers=1"
ok $? "an offline channel: title and game from the channel, no viewers"

run list tok-carol carol list-chatters alice
[ "$(grep -c '^page ' "$TEST_TMP/list")" = 3 ] && has "$TEST_TMP/list" "end ok=1 auth=0 pages=3 msg=2504"
ok $? "every page of 2504 chatters, then the end with the count"
run lim tok-carol carol list-chatters alice - 5
has "$TEST_TMP/lim" "page n=5" && has "$TEST_TMP/lim" "msg=5"
ok $? "a limit stops the walk"
run vips tok-alice alice list-vips alice
has "$TEST_TMP/vips" "end ok=1 auth=0 pages=1 msg=1"
ok $? "the broadcaster's VIPs"
run nomods tok-carol carol list-mods alice
grep -q "end ok=0 auth=1 .*msg=only the broadcaster can list moderators" "$TEST_TMP/nomods"
ok $? "a moderator may not list the moderators: said so, auth set"

run card tok-carol carol card alice bob 1
has "$TEST_TMP/card" "card login=bob name=Böb the Builder created=1531656000 followed=1717243200 note=-"
ok $? "a card: display name, creation and follow dates"
run card2 tok-carol carol card alice carol 1
has "$TEST_TMP/card2" "created=1577836800 followed=-1 note=-"
ok $? "a moderator's card of a user who does not follow: -1, no note"
run card3 tok-dave dave card alice bob 0
has "$TEST_TMP/card3" "note=only the broadcaster and moderators can see it"
ok $? "a VIP cannot see the follow date: the card says why"

run who tok-carol carol ban alice nosuchuser
has "$TEST_TMP/who" "end ok=0 auth=0 pages=0 msg=Twitch knows no user called nosuchuser"
ok $? "an unknown login is said so before any ban is tried"
run to tok-carol carol timeout alice bob 60 "calm down"
has "$TEST_TMP/to" "end ok=1 auth=0 pages=0 msg=bob is timed out for 60 s in #alice"
ok $? "a timeout, confirmed"
run un tok-carol carol unban alice bob
has "$TEST_TMP/un" "msg=bob may chat in #alice again"
ok $? "an unban, confirmed"
run un2 tok-carol carol unban alice bob
has "$TEST_TMP/un2" "end ok=0 auth=0 pages=0 msg=Twitch: user is not banned"
ok $? "unbanning again: Twitch's reason"
run vipban tok-dave dave ban alice bob
grep -q "end ok=0 auth=1 .*only the broadcaster or a moderator can ban" "$TEST_TMP/vipban"
ok $? "a VIP may not ban"
run wh tok-alice alice whisper - bob
run wh tok-alice alice whisper x bob 0 "hi there"
has "$TEST_TMP/wh" "end ok=1 auth=0 pages=0 msg=whisper sent to bob"
ok $? "a whisper needs no channel"

run dead tok-revoked dave timeout alice bob 10
has "$TEST_TMP/dead" "news ok=0" && grep -q "end ok=0 auth=1 .*msg=Helix: " "$TEST_TMP/dead"
ok $? "a revoked token: validation fails, the request ends with it, auth set"

unset TWITCH_CLIENT_ID
run nocid tok-carol carol stats alice
has "$TEST_TMP/nocid" "no session: needs a client id"
ok $? "no client id: no session, and what to set"
export TWITCH_CLIENT_ID=stitch-test-client
run notok "" carol stats alice
has "$TEST_TMP/notok" "no session: needs a login: run stitch login"
ok $? "no token: no session, and how to log in"

run cancel tok-carol carol cancel alice
has "$TEST_TMP/cancel" "no callback"
ok $? "a cancelled request is never answered"

! grep -q -i -e 'tok-[a-z]' "$TEST_TMP"/* 2>/dev/null
ok $? "no token in any output"
! grep -q -i -e sanitizer -e 'runtime error' "$TEST_TMP/driver.err"
ok $? "no sanitizer report"

done_testing
