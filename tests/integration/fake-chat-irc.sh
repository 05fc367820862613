#!/bin/sh
# fake-twitch: the plain IRC port (CR LF lines over TCP) has the same chat
# as the WebSocket one; the two talk to each other.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
fake_start
out=$TEST_TMP/out

: > "$TEST_TMP/b"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#alice' --timeout 20 \
    --until 'over irc' "irc://127.0.0.1:$IRC" > "$TEST_TMP/b" &
bpid=$!
wait_for 20 has "$TEST_TMP/b" "ROOMSTATE #alice"
has "$TEST_TMP/b" ":tmi.twitch.tv 001 bob :Welcome, GLHF!"
ok $? "IRC port: login"
ftc --caps --pass tok-alice --nick alice --join '#alice' \
    --send 'PRIVMSG #alice :hello over irc' --until ';id=' \
    "ws://127.0.0.1:$WS/" > /dev/null
wait "$bpid"
ok $? "IRC client gets the WebSocket client's message"
grep 'hello over irc' "$TEST_TMP/b" | grep -q '^@badge-info=;badges=broadcaster/1,premium/1;'
ok $? "with tags"
ftc --pass tok-bob --nick bob --until '#closed' --send 'QUIT' \
    "irc://127.0.0.1:$IRC" > "$out"
ok $? "QUIT closes"
done_testing
