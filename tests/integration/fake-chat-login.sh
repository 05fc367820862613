#!/bin/sh
# fake-twitch chat: login with a good token, a bad one, PASS after NICK,
# anonymous justinfan read-only.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
fake_start
out=$TEST_TMP/out

ftc --caps --pass tok-bob --nick bob --until GLOBALUSERSTATE \
    "ws://127.0.0.1:$WS/" > "$out"
ok $? "a good token logs in"
has "$out" ":tmi.twitch.tv 001 bob :Welcome, GLHF!" &&
    has "$out" ":tmi.twitch.tv 376 bob :>"
ok $? "welcome numerics 001 to 376"
has "$out" '@badge-info=;badges=;color=#00FF00;display-name=Böb\sthe\sBuilder;emote-sets=0;user-id=1002;user-type= :tmi.twitch.tv GLOBALUSERSTATE'
ok $? "GLOBALUSERSTATE with the escaped non-ASCII display name"

ftc --pass tok-nope --nick bob --until '#closed' "ws://127.0.0.1:$WS/" > "$out"
ok $? "a bad token is closed"
has "$out" ":tmi.twitch.tv NOTICE * :Login authentication failed"
ok $? "a bad token gets Login authentication failed"
! has "$out" " 001 "
ok $? "a bad token gets no welcome"

ftc --pass tok-expired --nick dave --until '#closed' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "Login authentication failed"
ok $? "an expired token fails"
ftc --pass tok-noscope --nick dave --until '#closed' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "Login authentication failed"
ok $? "a token without chat:read fails"

ftc --nick bob --send 'PASS oauth:tok-bob' --until '#closed' \
    "ws://127.0.0.1:$WS/" > "$out"
has "$out" ":tmi.twitch.tv NOTICE * :Improperly formatted auth"
ok $? "NICK before PASS: Improperly formatted auth"

grep -q 'tok-' "$TEST_TMP/fake.log"
ok $((! $?)) "no token in the fake's log"
has "$TEST_TMP/fake.log" "PASS ****"
ok $? "the log says PASS ****"

# Anonymous: bob listens in #bob; justinfan joins and talks; nothing
# reaches bob.
: > "$TEST_TMP/bob"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until 'endmarker' "ws://127.0.0.1:$WS/" > "$TEST_TMP/bob" &
bobpid=$!
wait_for 20 has "$TEST_TMP/bob" " 366 bob #bob"
ftc --caps --nick justinfan12345 --join '#bob' \
    --send 'PRIVMSG #bob :anonymous says hi' --send 'PING :done' \
    --until 'PONG' "ws://127.0.0.1:$WS/" > "$out"
ok $? "justinfan logs in without PASS"
has "$out" ":justinfan12345!justinfan12345@justinfan12345.tmi.twitch.tv JOIN #bob" &&
    has "$out" ":justinfan12345.tmi.twitch.tv 366 justinfan12345 #bob :End of /NAMES list"
ok $? "justinfan joins (JOIN echo, 366)"
! has "$out" GLOBALUSERSTATE
ok $? "justinfan gets no GLOBALUSERSTATE"
# Everything justinfan sent was handled before its PONG; the marker comes
# after, so bob has seen whatever justinfan's message would have made.
admin say bob someone endmarker > /dev/null
wait "$bobpid"
has "$TEST_TMP/bob" "endmarker" && ! has "$TEST_TMP/bob" "anonymous says hi"
ok $? "justinfan's PRIVMSG is dropped"

fake_stop
ok $? "fake-twitch exits on SIGTERM"
has "$TEST_TMP/fake.log" "fake-twitch: exit"
ok $? "and closes cleanly"
done_testing
