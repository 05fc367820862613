#!/bin/sh
# helix.c's typed calls, the refresher hook, http.c's parallel cap and the
# paging iterator, driven from C (rest-driver) against fake-twitch, and
# what the moderation calls did seen in the fake's chat.
. "$top_srcdir/tests/integration/rest-lib.sh"
DRIVER=$top_builddir/tests/integration/rest-driver
[ -x "$DRIVER" ] || skip_all "rest-driver not built"
rest_start

drv() {
	_tok=$1 _name=$2
	shift 2
	STITCH_TOKEN=$_tok timeout 60 "$DRIVER" "$BASE" "$@" \
	    > "$TEST_TMP/$_name.out" 2> "$TEST_TMP/$_name.err"
	echo $? > "$TEST_TMP/$_name.rc"
}
line() { grep -q -x -F -e "$2" "$TEST_TMP/$1.out"; }

drv tok-alice calls calls
[ "$(rc_of calls)" = 0 ] && line calls "loop closed"
ok $? "calls: all done, every handle closed"
line calls "whoami login=alice"
ok $? "whoami: the token's account"
line calls "users status=200 n=2 auth=0 error=-"
ok $? "get_users: two logins, two users"
line calls "by-id status=200 n=2 auth=0 error=-" && line calls "by-id login=alice"
ok $? "get_users_by_id: two ids, two users"
line calls "follows follower=dave since=1723710600" &&
    line calls "follows-not status=200 n=0 auth=0 error=-"
ok $? "get_follow: dave follows since 2024-08-15T08:30:00Z; carol does not"
line calls "stream status=200 n=1 auth=0 error=-" &&
    line calls "channel status=200 n=1 auth=0 error=-"
ok $? "get_stream, get_channel"
line calls "settings status=200 n=1 auth=0 error=-" &&
    line calls "patch status=200 n=1 auth=0 error=-"
ok $? "chat settings: get and patch"
line calls "badges status=200 n=4 auth=0 error=-" &&
    grep -q '^badges-global status=200 n=[1-9]' "$TEST_TMP/calls.out"
ok $? "badges: a channel's 4 versions, and the global ones"
line calls "emotes status=200 n=1 auth=0 error=-" &&
    grep -q '^emotes-global status=200 n=[1-9]' "$TEST_TMP/calls.out"
ok $? "emotes: the channel's and the global ones"
line calls "timeout status=200 n=1 auth=0 error=-" &&
    line calls "timeout end_time_set=1"
ok $? "timeout: accepted, with an end time"
line calls "ban status=200 n=1 auth=0 error=-" && line calls "ban end_time_set=0"
ok $? "ban: accepted, no end"
line calls "unban status=204 n=0 auth=0 error=-"
ok $? "unban: 204"
line calls "clear status=204 n=0 auth=0 error=-"
ok $? "delete all messages: 204"
grep -q '^delete-long-id status=404 ' "$TEST_TMP/calls.out"
ok $? "delete with a 255-byte id that escapes to 765: the id goes along (404 unknown, not 204 cleared)"
line calls "whisper status=204 n=0 auth=0 error=-"
ok $? "whisper: 204"

drv tok-alice par parallel 6
line par "running=2 queued=4"
ok $? "parallel cap: 2 running, 4 queued"
line par "max_running=1 done=6 started=6" || grep -q 'max_running=[12] done=6 started=6' "$TEST_TMP/par.out"
ok $? "parallel cap: all 6 done, never more than 2 at once"

grep -q '^budget limit=800 remaining=[0-9]* reset_set=1$' "$TEST_TMP/par.out"
ok $? "budget: Ratelimit-Limit, -Remaining and -Reset kept from the replies"

drv tok-alice cap cap 4096
grep -q '^one status=0 len=0 attempts=1 error=127.0.0.1:[0-9]*: reply larger than 4096 bytes$' "$TEST_TMP/cap.out"
ok $? "body cap: a 76 kB page into 4 kB is an error, not a blow-up"
drv tok-alice nocap cap 1000000
grep -q '^one status=200 len=[0-9]' "$TEST_TMP/nocap.out"
ok $? "body cap: the same page fits in 1 MB"
admin helix-fault 1 slow | grep -q '^ok'
drv tok-alice slow timeout 500
grep -q '^one status=0 len=0 attempts=1 error=127.0.0.1:[0-9]*: timed out' "$TEST_TMP/slow.out"
ok $? "time-out: a reply 2 s late fails at 0.5 s, said so, no retry asked"

drv tok-alice cached cached "$TEST_TMP/cache-dir"
line cached "early miss"
ok $? "cache: nothing stored before the acting user is known"
line cached "users hit len=312 token=0" || grep -q '^users hit len=[0-9]* token=0$' "$TEST_TMP/cached.out"
ok $? "cache: the reply stored under (GET, URL, user id), no token in it"
line cached "users-other-account miss"
ok $? "cache: another account's key misses"
line cached "whoami miss" && line cached "whoami-anon miss"
ok $? "cache: whose token it is, never stored"
line cached "again cached"
ok $? "cache: the same call again is a hit, said so"

drv tok-alice it iter chatters 1001 2200
line it "pages=3 items=2200 more=0" && line it "page n=200"
ok $? "iterator: limit 2200 = pages of 1000, 1000, 200, then over"
drv tok-alice itf iter followers 1001 0
line itf "pages=2 items=153 more=0"
ok $? "iterator: no limit walks to the last page (100 + 53)"
drv tok-dave itm iter moderators 1001 0
grep -q '^iter error=' "$TEST_TMP/itm.out" && line itm "pages=0 items=0 more=0"
ok $? "iterator: an error ends the walk"

# A server that repeats its cursor must not be paged for ever.
if command -v python3 >/dev/null 2>&1; then
	python3 "$top_srcdir/tests/integration/rest-standin.py" \
	    > "$TEST_TMP/loop.port" 2>/dev/null &
	lpid=$!
	on_exit "kill $lpid"
	wait_for 10 test -s "$TEST_TMP/loop.port"
	STITCH_TOKEN=x timeout 30 "$DRIVER" \
	    "http://127.0.0.1:$(cat "$TEST_TMP/loop.port")/helix" iter \
	    chatters 1 0 > "$TEST_TMP/loop.out" 2>&1
	line loop "pages=2 items=2 more=0"
	ok $? "iterator: a cursor handed back again ends the walk"
	LBASE=http://127.0.0.1:$(cat "$TEST_TMP/loop.port")/helix
	STITCH_TOKEN=x timeout 30 "$STITCH" report --helix "$LBASE" -c none \
	    streams > "$TEST_TMP/streams.out" 2> "$TEST_TMP/streams.err"
	T='	'
	[ $? = 0 ] && [ "$(cat "$TEST_TMP/streams.out")" = "started_at${T}ended_at${T}duration${T}id${T}title${T}views
2026-11-05T18:00:00Z${T}2026-11-06T01:00:00Z${T}25200${T}v3${T}third\\ttab${T}30
2026-11-03T18:00:00Z${T}2026-11-03T22:30:00Z${T}16200${T}v2${T}second${T}20
2026-11-01T18:00:00Z${T}2026-11-01T18:59:59Z${T}3599${T}v1${T}first${T}10" ]
	ok $? "report streams: past broadcasts over two pages, start, end, seconds"
	STITCH_TOKEN=x timeout 30 "$STITCH" report --helix "$LBASE" -c none \
	    -d asc -l 2 streams > "$TEST_TMP/streams2.out" 2>&1
	[ "$(tail -n +2 "$TEST_TMP/streams2.out" | cut -f4 | tr '\n' ' ')" = "v2 v3 " ]
	ok $? "report streams -l 2 -d asc: the newest two, oldest first"
	kill $lpid
else
	ok 0 "# SKIP no python3 for the misbehaving server"
	ok 0 "# SKIP no python3 for the videos stand-in"
	ok 0 "# SKIP no python3 for the videos stand-in"
fi

admin expire tok-dave | grep -q '^ok'
ok $? "admin: dave's token now answers 401"
DRIVER_LOGIN=dave drv tok-dave ref refresh tok-alice
line ref "refreshes=1" && [ "$(grep -c '^refresh asked for login=dave$' "$TEST_TMP/ref.out")" = 1 ]
ok $? "refresher: three 401s, one refresh, asked for the account's login"
[ "$(grep -c '^r[123] status=200 n=1 auth=0 error=-$' "$TEST_TMP/ref.out")" = 3 ]
ok $? "refresher: each call retried once with the new token, all succeed"
drv tok-dave reff refresh -
line reff "refreshes=1" &&
    [ "$(grep -c 'status=401 n=0 auth=1 error=token expired or revoked, and it could not be refreshed: run stitch login' "$TEST_TMP/reff.out")" = 3 ]
ok $? "refresher fails: one try, each call a 401 saying run stitch login"
drv tok-dave refx refresh tok-expired
line refx "refreshes=1" &&
    [ "$(grep -c 'status=401 n=0 auth=1 error=token expired or revoked, run stitch login' "$TEST_TMP/refx.out")" = 3 ]
ok $? "new token also refused: retried once only, then the 401"

no_token() { ! grep -q -e 'tok-' "$TEST_TMP"/*.err; }
no_token
ok $? "no token on stderr"
fake_stop
done_testing
