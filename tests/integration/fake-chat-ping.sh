#!/bin/sh
# fake-twitch chat: server PING and dropping a client that does not PONG;
# client PINGs answered in Twitch's three shapes.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
fake_start --ping-interval 0.3 --pong-timeout 0.6
out=$TEST_TMP/out

ftc --pass tok-bob --nick bob --send 'PING' --send 'PING asd' \
    --send 'PING :asd def' --until 'asd def' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "PONG :tmi.twitch.tv" &&
    has "$out" ":tmi.twitch.tv PONG tmi.twitch.tv :asd" &&
    has "$out" ":tmi.twitch.tv PONG tmi.twitch.tv :asd def"
ok $? "client PINGs are answered"

# ftclient answers PINGs by itself: still there after several intervals.
ftc --pass tok-bob --nick bob --timeout 2 "ws://127.0.0.1:$WS/" > "$out"
[ "$(grep -c '^PING :tmi.twitch.tv$' "$out")" -ge 3 ] && has "$out" "#timeout" &&
    ! has "$out" "#closed"
ok $? "server PINGs; a client that PONGs stays connected"

ftc --pass tok-bob --nick bob --no-pong --timeout 20 --until '#closed' \
    "ws://127.0.0.1:$WS/" > "$out"
ok $? "a client that does not PONG is dropped"
has "$out" "PING :tmi.twitch.tv"
ok $? "after being PINGed"
has "$TEST_TMP/fake.log" "no PONG in time"
ok $? "the fake logs why"
done_testing
