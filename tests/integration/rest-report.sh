#!/bin/sh
# stitch report against fake-twitch: every kind, paging through 2,500
# chatters, limit and direction, TSV and JSON Lines, https with the test
# CA, the error messages and exit codes a script relies on, and no token
# anywhere in the output.
. "$top_srcdir/tests/integration/rest-lib.sh"
rest_start

T='	'
rep tok-alice created created -c none alice
ok $? "created: runs"
[ "$(rc_of created)" = 0 ] && [ "$(out created)" = "login${T}id${T}created_at
alice${T}1001${T}2016-03-01T10:00:00Z" ]
ok $? "created: header and an ISO-8601 UTC date, exit 0"

rep tok-alice user -c none user alice
[ "$(sed -n 2p "$TEST_TMP/user.out")" = \
    "1001${T}alice${T}Alice${T}${T}partner${T}2016-03-01T10:00:00Z${T}Speedruns and chat" ]
ok $? "user: every column, an empty type kept as an empty field"

rep tok-carol self -c none created
[ "$(sed -n 2p "$TEST_TMP/self.out" | cut -f1)" = carol ]
ok $? "no CHANNEL: the token's own account"

rep tok-alice stream -c none stream alice
[ "$(sed -n 2p "$TEST_TMP/stream.out")" = \
    "alice${T}1${T}2026-12-01T18:00:00Z${T}2504${T}Celeste${T}Any% practice — come say hi" ]
ok $? "stream: live, start, viewers, game, title (UTF-8 kept)"
rep tok-alice offline -c none stream bob
[ "$(sed -n 2p "$TEST_TMP/offline.out")" = "bob${T}0${T}${T}${T}${T}" ]
ok $? "stream: offline is live 0 and empty fields"

rep tok-alice nf -c none num_followers alice
[ "$(sed -n 2p "$TEST_TMP/nf.out")" = "alice${T}153" ]
ok $? "num_followers: Twitch's total"

before=$(requests /helix/chat/chatters)
rep tok-alice chatters -c none chatters alice
after=$(requests /helix/chat/chatters)
[ "$(rc_of chatters)" = 0 ] && [ "$(rows chatters)" = 2504 ]
ok $? "chatters: all 2,504 through every page"
[ $((after - before)) = 3 ]
ok $? "chatters: 3 requests of 1,000 (got $((after - before)))"
tail -n +2 "$TEST_TMP/chatters.out" | cut -f1 | LC_ALL=C sort -c 2>/dev/null
ok $? "chatters: sorted by login, ascending by default"
[ "$(tail -n +2 "$TEST_TMP/chatters.out" | cut -f1 | sort -u | wc -l)" = 2504 ]
ok $? "chatters: no one twice across pages"
[ "$(awk -F "$T" 'NF != 3' "$TEST_TMP/chatters.out" | wc -l)" = 0 ]
ok $? "chatters: every line has 3 fields"

rep tok-alice lim -c none -l 1500 -d desc chatters alice
[ "$(rows lim)" = 1500 ]
ok $? "-l 1500: exactly 1,500 records"
tail -n +2 "$TEST_TMP/lim.out" | cut -f1 | LC_ALL=C sort -r -c 2>/dev/null
ok $? "-d desc: sorted by login, descending"

rep tok-alice fol -c none followers alice
[ "$(rows fol)" = 153 ] &&
    [ "$(sed -n 2p "$TEST_TMP/fol.out")" = "2024-08-15T08:30:00Z${T}dave${T}dave${T}1004" ]
ok $? "followers: all 153, newest first"
tail -n +2 "$TEST_TMP/fol.out" | cut -f1 | sort -r -c 2>/dev/null
ok $? "followers: dates never increase (desc)"
rep tok-alice fol5 -c none -l 5 --direction asc followers alice
[ "$(rows fol5)" = 5 ] && tail -n +2 "$TEST_TMP/fol5.out" | cut -f1 | sort -c 2>/dev/null &&
    [ "$(tail -n 1 "$TEST_TMP/fol5.out" | cut -f2)" = dave ]
ok $? "-l 5 -d asc: the newest 5, oldest first"

rep tok-dave fing -c none following
[ "$(out fing)" = "followed_at${T}login${T}display_name${T}id
2025-01-01T00:00:00Z${T}bob${T}Böb the Builder${T}1002
2024-08-15T08:30:00Z${T}alice${T}Alice${T}1001" ]
ok $? "following: whom the account follows, newest first"
rep tok-dave nfing -c none num_following
[ "$(sed -n 2p "$TEST_TMP/nfing.out")" = "dave${T}2" ]
ok $? "num_following: the total"
rep tok-dave fing-other -c none following alice
[ "$(rc_of fing-other)" = 3 ] && grep -q 'only the account itself' "$TEST_TMP/fing-other.err"
ok $? "following of another account: only the account itself can, exit 3"

rep tok-alice json -c none --json -l 2 followers alice
[ "$(sed -n 1p "$TEST_TMP/json.out")" = \
    '{"followed_at":"2024-08-15T08:30:00Z","login":"dave","display_name":"dave","id":"1004"}' ] &&
    [ "$(wc -l < "$TEST_TMP/json.out")" = 2 ]
ok $? "--json: one object a line, no header"
rep tok-alice jstream -c none --json stream bob
[ "$(out jstream)" = '{"login":"bob","live":false,"started_at":null,"viewers":null,"game":"","title":""}' ]
ok $? "--json: booleans, nulls for what is not there"

rep tok-alice mods -c none mods alice
[ "$(out mods)" = "login${T}display_name${T}id
carol${T}キャロル${T}1003" ]
ok $? "mods: the broadcaster lists them"
rep tok-alice vips -c none vips
[ "$(sed -n 2p "$TEST_TMP/vips.out" | cut -f1)" = dave ]
ok $? "vips: of the account's own channel"

# Over https, verified against the test CA, and refused without it.
STITCH_TOKEN=tok-alice timeout 60 "$STITCH" report --helix "$SBASE" \
    --ca-file "$TEST_TMP/tls/ca.pem" -c none created alice \
    > "$TEST_TMP/tls.out" 2> "$TEST_TMP/tls.err"
[ $? = 0 ] && [ "$(sed -n 2p "$TEST_TMP/tls.out" | cut -f1)" = alice ]
ok $? "https: with --ca-file the test CA is trusted"
STITCH_TOKEN=tok-alice timeout 60 "$STITCH" report --helix "$SBASE" \
    -c none created alice > "$TEST_TMP/notls.out" 2> "$TEST_TMP/notls.err"
[ $? = 4 ] && [ ! -s "$TEST_TMP/notls.out" ] && grep -q 'TLS' "$TEST_TMP/notls.err"
ok $? "https: an unknown CA is refused (exit 4, says TLS)"

# Errors: what a person reads, and the code a script branches on.
rep tok-noscope noscope -c none chatters alice
[ "$(rc_of noscope)" = 3 ] && [ ! -s "$TEST_TMP/noscope.out" ] &&
    grep -q 'needs the moderator:read:chatters scope' "$TEST_TMP/noscope.err"
ok $? "missing scope: named, exit 3, nothing on stdout"
rep tok-carol notbc -c none mods alice
[ "$(rc_of notbc)" = 3 ] && grep -q 'only the broadcaster' "$TEST_TMP/notbc.err"
ok $? "a moderator asking for mods: only the broadcaster can, exit 3"
rep tok-carol notmod -c none followers bob
[ "$(rc_of notmod)" = 3 ] && [ ! -s "$TEST_TMP/notmod.out" ] &&
    grep -q "lists bob's followers only to the broadcaster and moderators.* 1 follow" "$TEST_TMP/notmod.err"
ok $? "followers of a channel one does not moderate: why it is empty, exit 3"
rep tok-expired expired -c none created alice
[ "$(rc_of expired)" = 3 ] && grep -q 'run stitch login' "$TEST_TMP/expired.err"
ok $? "expired token: run stitch login, exit 3"
rep "" notoken -c none created alice
[ "$(rc_of notoken)" = 3 ]
ok $? "no token at all: exit 3"
rep tok-alice nouser -c none created nosuchuser
[ "$(rc_of nouser)" = 1 ] && grep -q 'no such user: nosuchuser' "$TEST_TMP/nouser.err"
ok $? "unknown user: said, exit 1"
rep tok-alice badkind -c none plants alice
[ "$(rc_of badkind)" = 2 ]
ok $? "unknown kind: exit 2"
rep tok-alice badlimit -c none -l 0 chatters alice
[ "$(rc_of badlimit)" = 2 ]
ok $? "-l 0: exit 2"
rep tok-alice baddir -c none -d up chatters alice
[ "$(rc_of baddir)" = 2 ]
ok $? "-d up: exit 2"
(STITCH_TOKEN=tok-alice timeout 60 "$STITCH" report --helix \
    http://127.0.0.1:1/helix -c none created alice \
    > "$TEST_TMP/down.out" 2> "$TEST_TMP/down.err"; echo $? > "$TEST_TMP/down.rc")
[ "$(rc_of down)" = 4 ] && grep -q 'cannot connect.*(4 tries)' "$TEST_TMP/down.err"
ok $? "nothing listening: cannot connect after 4 tries, exit 4"

# chatlog: stitch tail under the report's option names.
timeout 60 "$STITCH" report chatlog -l 3 -c none -d asc \
    --server "ws://127.0.0.1:$WS/" alice > "$TEST_TMP/log.out" \
    2> "$TEST_TMP/log.err"
[ $? = 0 ] && [ "$(sed -n 1p "$TEST_TMP/log.out")" = \
    "time${T}channel${T}login${T}display_name${T}kind${T}text" ] &&
    [ "$(rows log)" = 3 ] && [ "$(sed -n 2p "$TEST_TMP/log.out" | cut -f2)" = alice ]
ok $? "chatlog: live chat as TSV, -l counts events, -c and -d ignored"
timeout 60 "$STITCH" report --json chatlog -l2 --server \
    "ws://127.0.0.1:$WS/" alice > "$TEST_TMP/logj.out" 2> "$TEST_TMP/logj.err"
[ $? = 0 ] && [ "$(wc -l < "$TEST_TMP/logj.out")" = 2 ] &&
    [ "$(grep -c '^{"time":"' "$TEST_TMP/logj.out")" = 2 ]
ok $? "chatlog --json -l2: JSON Lines"
rep tok-alice user-chatlog -c none created chatlog
grep -q 'no such user: chatlog' "$TEST_TMP/user-chatlog.err"
ok $? "a channel named chatlog after another kind is a channel"

# The progress line: only when stderr is a terminal (script(1) gives one).
! grep -q "$(printf '\r')" "$TEST_TMP/chatters.err"
ok $? "progress: none when stderr is not a terminal"
if command -v script >/dev/null 2>&1; then
	STITCH_TOKEN=tok-alice timeout 60 script -q -c "'$STITCH' report \
	    --helix '$BASE' -c none chatters alice 2>&1 >'$TEST_TMP/pty.out'" \
	    /dev/null > "$TEST_TMP/pty.err" 2>&1
	grep -q 'stitch report: 2000 of 2504' "$TEST_TMP/pty.err" &&
	    [ "$(tail -c 3 "$TEST_TMP/pty.err" | od -An -c | tr -d ' ')" = '033[K' ] &&
	    [ "$(rows pty)" = 2504 ]
	ok $? "progress: counted on a terminal, the line cleared at the end, stdout intact"
else
	ok 0 "# SKIP progress on a terminal: no script(1)"
fi

no_token
ok $? "no token in any output or message"

fake_stop
done_testing
