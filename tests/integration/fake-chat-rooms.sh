#!/bin/sh
# fake-twitch chat: room modes (subs-only, emote-only, slow) and bans or
# timeouts (CLEARCHAT) refuse messages with Twitch's NOTICE msg-ids.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
fake_start
out=$TEST_TMP/out

say() {	# say TOKEN NICK TEXT...: send to #alice, wait for the outcome
	_t=$1 _n=$2
	shift 2
	ftc --caps --pass "$_t" --nick "$_n" --join '#alice' \
	    --send "PRIVMSG #alice :$*" --send 'PING :end' --until 'PONG' \
	    "ws://127.0.0.1:$WS/" > "$out"
}
sent() { [ "$(grep -c 'USERSTATE #alice$' "$out")" -eq 2 ]; }

admin roomstate alice subs-only 1 > /dev/null
say tok-dave dave hello subs
sent	# dave is a VIP: exempt
ok $? "subs-only: a VIP may talk"
ftc --caps --pass tok-alice --nick alice --send 'JOIN #bob' \
    --send 'PRIVMSG #bob :x' --send 'PING :e' --until PONG \
    "ws://127.0.0.1:$WS/" > /dev/null
admin roomstate bob subs-only 1 > /dev/null
ftc --caps --pass tok-alice --nick alice --join '#bob' \
    --send 'PRIVMSG #bob :not a sub here' --until 'NOTICE' \
    "ws://127.0.0.1:$WS/" > "$out"
has "$out" "@msg-id=msg_subsonly :tmi.twitch.tv NOTICE #bob :This room is in subscribers only mode."
ok $? "subs-only: a non-subscriber gets msg_subsonly"
say tok-bob bob a subscriber talks
sent
ok $? "subs-only: a subscriber may talk"
admin roomstate alice subs-only 0 > /dev/null

admin roomstate alice emote-only 1 > /dev/null
say tok-bob bob words here
has "$out" "@msg-id=msg_emoteonly :tmi.twitch.tv NOTICE #alice :This room is in emote-only mode."
ok $? "emote-only: words get msg_emoteonly"
say tok-bob bob Kappa LUL
sent
ok $? "emote-only: emotes only pass"
admin roomstate alice emote-only 0 > /dev/null

admin roomstate bob subs-only 0 > /dev/null
admin roomstate bob slow 30 > /dev/null
ftc --caps --pass tok-dave --nick dave --join '#bob' \
    --send 'PRIVMSG #bob :slow one' --send 'PRIVMSG #bob :slow two' \
    --send 'PING :end' --until 'PONG' "ws://127.0.0.1:$WS/" > "$out"
[ "$(grep -c 'USERSTATE #bob$' "$out")" -eq 2 ] &&
    has "$out" "@msg-id=msg_slowmode :tmi.twitch.tv NOTICE #bob :This room is in slow mode"
ok $? "slow: the second message within 30 s gets msg_slowmode"
admin roomstate alice slow 30 > /dev/null
say tok-carol carol a moderator in slow mode
sent
ok $? "slow: a moderator is exempt"
admin roomstate alice slow 0 > /dev/null

: > "$TEST_TMP/d"	# before the job starts: no stale match
ftc --caps --pass tok-dave --nick dave --join '#alice' --timeout 20 \
    --until 'CLEARCHAT' "ws://127.0.0.1:$WS/" > "$TEST_TMP/d" &
dpid=$!
wait_for 20 has "$TEST_TMP/d" "ROOMSTATE #alice"
admin clearchat alice bob 600 > "$TEST_TMP/a"
wait "$dpid"
grep -q '^@ban-duration=600;room-id=1001;target-user-id=1002;tmi-sent-ts=[0-9]* :tmi.twitch.tv CLEARCHAT #alice :bob$' "$TEST_TMP/d"
ok $? "a timeout: CLEARCHAT with ban-duration to the channel"
say tok-bob bob am I timed out
has "$out" "@msg-id=msg_timedout :tmi.twitch.tv NOTICE #alice :You are timed out for "
ok $? "a timed-out user gets msg_timedout"
admin clearchat alice bob > /dev/null
say tok-bob bob am I banned
has "$out" "@msg-id=msg_banned :tmi.twitch.tv NOTICE #alice :You are permanently banned from talking in alice."
ok $? "a banned user gets msg_banned"
admin unban alice bob > /dev/null
say tok-bob bob free again
sent
ok $? "after unban the user talks again"
done_testing
