#!/bin/sh
# fake-twitch Helix moderation and sending, seen from chat: a timeout or
# ban is CLEARCHAT, a deleted message CLEARMSG, a cleared chat CLEARCHAT
# without a user, a chat settings PATCH a ROOMSTATE, POST chat/messages a
# PRIVMSG with the returned id; and the refusals (403, 400, 404, 422).
. "$top_srcdir/tests/integration/fake-http-lib.sh"
fake_http_start
L=$TEST_TMP/listen
ftc --caps --pass tok-dave --nick dave --join '#alice' --timeout 40 \
    --until 'PRIVMSG #alice :the end' "ws://127.0.0.1:$WS/" > "$L" &
lpid=$!
wait_for 10 has "$L" "ROOMSTATE #alice"
ok $? "a listener is in #alice"
MOD='broadcaster_id=1001&moderator_id=1003'
J='Content-Type: application/json'

helix POST "moderation/bans?$MOD" tok-carol -H "$J" \
    -d '{"data":{"user_id":"1002","duration":600,"reason":"calm down"}}'
is 200 '[j["data"][0][k] for k in ("broadcaster_id", "moderator_id", "user_id")] + [j["data"][0]["end_time"] > j["data"][0]["created_at"]]' '["1001", "1003", "1002", true]'
ok $? "POST moderation/bans with duration: the timeout, end_time after created_at"
wait_for 10 grep -q '^@ban-duration=600;room-id=1001;target-user-id=1002;.* CLEARCHAT #alice :bob$' "$L"
ok $? "the timeout reaches chat as CLEARCHAT with ban-duration"
helix POST "moderation/bans?$MOD" tok-carol -H "$J" -d '{"data":{"user_id":"1002"}}'
is 200 'j["data"][0]["end_time"]' null
ok $? "a ban: end_time null"
wait_for 10 grep -q '^@room-id=1001;target-user-id=1002;.* CLEARCHAT #alice :bob$' "$L"
ok $? "the ban reaches chat as CLEARCHAT without ban-duration"
ftc --caps --pass tok-bob --nick bob --join '#alice' \
    --send 'PRIVMSG #alice :let me talk' --until NOTICE \
    "ws://127.0.0.1:$WS/" > "$TEST_TMP/bob"
has "$TEST_TMP/bob" "msg_banned"
ok $? "the banned user gets msg_banned in chat"
helix POST "moderation/bans?$MOD" tok-carol -H "$J" -d '{"data":{"user_id":"1002","duration":60}}'
is 400 'j["message"]' "user is already banned"
ok $? "a banned user cannot be put in a timeout: 400 user is already banned"
helix GET 'moderation/banned?broadcaster_id=1001' tok-alice
is 200 '[(b["user_login"], b["expires_at"], b["moderator_login"], b["reason"]) for b in j["data"]]' '[["bob", "", "carol", ""]]'
ok $? "GET moderation/banned: the ban, permanent, by carol"
helix GET 'moderation/banned?broadcaster_id=1001' tok-carol
[ "$(status)" = 401 ]
ok $? "GET moderation/banned is the broadcaster's: 401 for a moderator"
helix DELETE "moderation/bans?$MOD&user_id=1002" tok-carol
[ "$(status)" = 204 ]
ok $? "DELETE moderation/bans: 204"
helix DELETE "moderation/bans?$MOD&user_id=1002" tok-carol
is 400 'j["message"]' "user is not banned"
ok $? "unbanning again: 400 user is not banned"
ftc --caps --pass tok-bob --nick bob --join '#alice' \
    --send 'PRIVMSG #alice :free again' --send 'PING :x' --until PONG \
    "ws://127.0.0.1:$WS/" > "$TEST_TMP/bob"
! has "$TEST_TMP/bob" "msg_banned" && wait_for 10 has "$L" "PRIVMSG #alice :free again"
ok $? "after the unban the user talks again"

helix POST "moderation/bans?broadcaster_id=1001&moderator_id=1004" tok-dave \
    -H "$J" -d '{"data":{"user_id":"1002"}}'
is 403 'j["error"]' Forbidden
ok $? "a VIP with the scope may not ban: 403"
helix POST "moderation/bans?$MOD" tok-carol -H "$J" -d '{"data":{"user_id":"1001"}}'
[ "$(status)" = 400 ]
ok $? "the broadcaster cannot be banned: 400"
helix POST "moderation/bans?$MOD" tok-noscope -H "$J" -d '{"data":{"user_id":"1002"}}'
is 401 'j["message"]' "Missing scope: moderator:manage:banned_users"
ok $? "ban without the scope: 401 Missing scope"
helix POST "moderation/bans?$MOD" tok-carol -H "$J" -d '{"data":'
is 400 'j["status"]' 400
ok $? "a body that is not JSON: 400"

# -- sending and deleting --
helix POST chat/messages tok-carol -H "$J" \
    -d '{"broadcaster_id":"1001","sender_id":"1003","message":"hello from helix Kappa"}'
is 200 'j["data"][0]["is_sent"]' true
ok $? "POST chat/messages: is_sent"
MID=$(js 'j["data"][0]["message_id"]')
wait_for 10 grep -q "id=$MID;.*:carol!carol@carol.tmi.twitch.tv PRIVMSG #alice :hello from helix Kappa$" "$L"
ok $? "the message appears in chat with the returned id"
helix DELETE "moderation/chat?$MOD&message_id=$MID" tok-carol
[ "$(status)" = 204 ]
ok $? "DELETE moderation/chat with message_id: 204"
wait_for 10 grep -q "^@login=carol;.*target-msg-id=$MID;.* CLEARMSG #alice :hello from helix Kappa$" "$L"
ok $? "the delete reaches chat as CLEARMSG"
helix DELETE "moderation/chat?$MOD&message_id=00000000-0000-4000-8000-000000000000" tok-carol
[ "$(status)" = 404 ]
ok $? "deleting an unknown message: 404"
helix POST chat/messages tok-alice -H "$J" \
    -d '{"broadcaster_id":"1001","sender_id":"1001","message":"broadcaster speaking"}'
BID=$(js 'j["data"][0]["message_id"]')
helix DELETE "moderation/chat?$MOD&message_id=$BID" tok-carol
is 400 'j["message"]' "You may not delete the broadcaster's messages."
ok $? "the broadcaster's messages cannot be deleted: 400"
helix DELETE "moderation/chat?$MOD" tok-carol
[ "$(status)" = 204 ] && wait_for 10 grep -q '^@room-id=1001;tmi-sent-ts=[0-9]* :tmi.twitch.tv CLEARCHAT #alice$' "$L"
ok $? "DELETE moderation/chat without message_id clears the chat: CLEARCHAT"
long=$(python3 -c 'print("\u00e9" * 501)')
helix POST chat/messages tok-carol -H "$J" \
    -d "{\"broadcaster_id\":\"1001\",\"sender_id\":\"1003\",\"message\":\"$long\"}"
[ "$(status)" = 422 ]
ok $? "a message of 501 characters: 422"
helix POST chat/messages tok-carol -H "$J" \
    -d '{"broadcaster_id":"1001","sender_id":"1001","message":"spoof"}'
[ "$(status)" = 401 ]
ok $? "sender_id must be the token's user: 401"

# -- chat settings --
helix PATCH "chat/settings?$MOD" tok-carol -H "$J" \
    -d '{"slow_mode":true,"slow_mode_wait_time":10,"emote_mode":true}'
is 200 '[j["data"][0][k] for k in ("slow_mode", "slow_mode_wait_time", "emote_mode", "moderator_id")]' '[true, 10, true, "1003"]'
ok $? "PATCH chat/settings: the new settings in the reply"
wait_for 10 grep -q '^@slow=10;room-id=1001 :tmi.twitch.tv ROOMSTATE #alice$' "$L" &&
    grep -q '^@emote-only=1;room-id=1001 :tmi.twitch.tv ROOMSTATE #alice$' "$L"
ok $? "the changes reach chat as ROOMSTATE"
helix GET 'chat/settings?broadcaster_id=1001' tok-noscope
is 200 '[j["data"][0]["slow_mode_wait_time"], j["data"][0]["emote_mode"]]' '[10, true]'
ok $? "GET chat/settings shows them"
helix PATCH "chat/settings?$MOD" tok-carol -H "$J" -d '{"slow_mode_wait_time":500}'
[ "$(status)" = 400 ]
ok $? "PATCH with a wait time out of range: 400"
helix PATCH "chat/settings?$MOD" tok-carol -H "$J" -d '{"slow_mode":false,"emote_mode":false}'
wait_for 10 grep -q '^@slow=0;room-id=1001 :tmi.twitch.tv ROOMSTATE #alice$' "$L"
ok $? "slow mode off: ROOMSTATE slow=0"

# -- announcements and colors --
helix POST "chat/announcements?$MOD" tok-carol -H "$J" -d '{"message":"raffle at nine","color":"blue"}'
[ "$(status)" = 204 ] && wait_for 10 grep -q '^@badge-info=;badges=moderator/1;.*login=carol;mod=1;msg-id=announcement;msg-param-color=BLUE;room-id=1001;.* USERNOTICE #alice :raffle at nine$' "$L"
ok $? "POST chat/announcements: 204, a USERNOTICE announcement in chat"
helix POST "chat/announcements?$MOD" tok-carol -H "$J" -d '{"message":"x","color":"plaid"}'
[ "$(status)" = 400 ]
ok $? "an announcement color Twitch lacks: 400"
helix GET 'chat/color?user_id=1001&user_id=1003&user_id=90000007' tok-noscope
is 200 '[(u["user_login"], u["color"]) for u in j["data"]]' '[["alice", "#FF0000"], ["carol", ""], ["viewer00007", ""]]'
ok $? "GET chat/color"

# -- whispers --
helix POST 'whispers?from_user_id=1004&to_user_id=1002' tok-dave -H "$J" -d '{"message":"psst"}'
[ "$(status)" = 204 ] && [ ! -s "$TEST_TMP/body" ]
ok $? "POST whispers: 204, no body"
helix POST 'whispers?from_user_id=1003&to_user_id=1002' tok-carol -H "$J" -d '{"message":"psst"}'
is 401 'j["message"]' "Missing scope: user:manage:whispers"
ok $? "whispers without the scope: 401"

# -- someone of the simulated crowd, known to chat only --
admin say alice zed_crowd hi from the crowd > /dev/null
wait_for 10 has "$L" ":zed_crowd!zed_crowd@zed_crowd.tmi.twitch.tv PRIVMSG #alice :hi from the crowd"
ZID=$(grep 'PRIVMSG #alice :hi from the crowd$' "$L" | sed -n 's/.*;user-id=\([0-9]*\).*/\1/p')
helix GET "users?id=$ZID&login=zed_crowd" tok-noscope
[ -n "$ZID" ] && is 200 '[(u["login"], u["id"]) for u in j["data"]]' "[[\"zed_crowd\", \"$ZID\"], [\"zed_crowd\", \"$ZID\"]]"
ok $? "a chatter chat has seen is a user to Helix, with chat's user-id"
helix POST "moderation/bans?$MOD" tok-carol -H "$J" -d "{\"data\":{\"user_id\":\"$ZID\",\"duration\":30}}"
[ "$(status)" = 200 ] && wait_for 10 grep -q "^@ban-duration=30;room-id=1001;target-user-id=$ZID;.* CLEARCHAT #alice :zed_crowd$" "$L"
ok $? "and can be timed out by that id"

admin marker alice the end > /dev/null
wait "$lpid"
ok $? "the listener saw it all and ended on the marker"
fake_http_stop tok-alice tok-carol tok-dave tok-noscope
done_testing
