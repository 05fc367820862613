#!/bin/sh
# fake-twitch chat: per-account limits, lowered by flags, with their NOTICE
# msg-ids and the counters on the admin port.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
fake_start --limit-msgs 3/30 --limit-msgs-priv 5 --limit-joins 4/10 \
    --max-channels 2 --max-len 20
out=$TEST_TMP/out

ftc --caps --pass tok-dave --nick dave --join '#bob' \
    --send 'PRIVMSG #bob :one' --send 'PRIVMSG #bob :two' \
    --send 'PRIVMSG #bob :three' --send 'PRIVMSG #bob :four' \
    --send 'PRIVMSG #bob :five' --send 'PING :end' --until 'PONG' \
    "ws://127.0.0.1:$WS/" > "$out"
[ "$(grep -c 'USERSTATE #bob$' "$out")" -eq 4 ] # 1 on JOIN + 3 sent
ok $? "3 messages in the window are accepted"
[ "$(grep -c '^@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #bob :Your message was not sent because you are sending messages too quickly.$' "$out")" -eq 2 ]
ok $? "the other 2 get NOTICE msg_ratelimit"
stat_of "account=dave " | grep -q "msgs_ok=3 msgs_refused=2 .* max_msgs_window=3 "
ok $? "counters: 3 accepted, 2 refused, at most 3 in a window"

# The limit is per account: a second connection of dave is refused too.
ftc --caps --pass tok-dave --nick dave --join '#bob' \
    --send 'PRIVMSG #bob :six' --until 'NOTICE' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "msg-id=msg_ratelimit"
ok $? "the message limit is shared by the account's connections"

# carol moderates #alice: the higher limit (5) there.
ftc --caps --pass tok-carol --nick carol --join '#alice' \
    --send 'PRIVMSG #alice :m1' --send 'PRIVMSG #alice :m1' \
    --send 'PRIVMSG #alice :m3' --send 'PRIVMSG #alice :m4' \
    --send 'PRIVMSG #alice :m5' --send 'PRIVMSG #alice :m6' \
    --send 'PING :end' --until 'PONG' "ws://127.0.0.1:$WS/" > "$out"
[ "$(grep -c 'USERSTATE #alice$' "$out")" -eq 6 ] &&
    [ "$(grep -c 'msg_ratelimit' "$out")" -eq 1 ]
ok $? "a moderator gets the higher limit, and no duplicate check"

ftc --caps --pass tok-bob --nick bob --join '#alice' \
    --send 'PRIVMSG #alice :same' --send 'PRIVMSG #alice :same' \
    --send 'PRIVMSG #alice :this one is far too long to pass' \
    --send 'PING :end' --until 'PONG' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #alice :Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago."
ok $? "the same message twice: msg_duplicate"
has "$out" "@msg-id=msg_too_long :tmi.twitch.tv NOTICE #alice :"
ok $? "over --max-len code points: msg_too_long"

# Channel count (2, moderated ones not counted), then the JOIN rate (4/10 s:
# bob already joined #alice above, so the 4th JOIN #chan1 is the 5th).
ftc --caps --pass tok-alice --nick alice \
    --send 'JOIN #chan1' --send 'JOIN #chan2' --send 'JOIN #chan3' \
    --send 'PING :end' --until 'PONG' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "JOIN #chan1" && has "$out" "JOIN #chan2" &&
    has "$out" "@msg-id=msg_channel_limit :tmi.twitch.tv NOTICE #chan3 :"
ok $? "past --max-channels: msg_channel_limit"
ftc --caps --pass tok-carol --nick carol \
    --send 'JOIN #chan1,#chan2' --send 'JOIN #alice' \
    --send 'PING :end' --until 'PONG' "ws://127.0.0.1:$WS/" > "$out"
has "$out" ":carol!carol@carol.tmi.twitch.tv JOIN #alice"
ok $? "a moderated channel does not count against the channel limit"
ftc --caps --pass tok-bob --nick bob \
    --send 'JOIN #chan1' --send 'PART #chan1' --send 'JOIN #chan1' \
    --send 'PART #chan1' --send 'JOIN #chan1' --send 'PART #chan1' \
    --send 'JOIN #chan1' --send 'PING :end' \
    --until 'PONG' "ws://127.0.0.1:$WS/" > "$out"
[ "$(grep -c 'bob.tmi.twitch.tv JOIN #chan1' "$out")" -eq 3 ] &&
    has "$out" "@msg-id=msg_join_ratelimit :tmi.twitch.tv NOTICE #chan1 :"
ok $? "past --limit-joins: the JOIN is dropped with msg_join_ratelimit"
stat_of "account=bob " | grep -q "joins_ok=4 joins_refused=1 .*max_joins_window=4 "
ok $? "join counters: 4 accepted, 1 refused"
done_testing
