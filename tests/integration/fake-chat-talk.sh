#!/bin/sh
# fake-twitch chat: CAP ACK/NAK, tags only for those who asked, two
# clients talking with server-made tags, roles as badges, USERSTATE back
# to the sender, /me, client-nonce, replies, PART, membership.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
fake_start
out=$TEST_TMP/out

ftc --send 'CAP REQ :twitch.tv/tags twitch.tv/commands' \
    --send 'CAP REQ :twitch.tv/membership twitch.tv/bogus' \
    --until 'NAK' "ws://127.0.0.1:$WS/" > "$out"
has "$out" ":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands"
ok $? "CAP REQ of known capabilities: ACK"
has "$out" ":tmi.twitch.tv CAP * NAK :twitch.tv/membership twitch.tv/bogus"
ok $? "CAP REQ with an unknown one: NAK of the whole request"

# B (tags) and P (no caps) listen in #alice; alice, carol (mod), dave
# (VIP) and bob (subscriber) talk there.
: > "$TEST_TMP/b"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#alice' --timeout 20 \
    --until 'PRIVMSG #alice :done' "ws://127.0.0.1:$WS/" > "$TEST_TMP/b" &
bpid=$!
: > "$TEST_TMP/p"	# before the job starts: no stale match
ftc --pass tok-dave --nick dave --join '#alice' --timeout 20 \
    --until 'PRIVMSG #alice :done' "ws://127.0.0.1:$WS/" > "$TEST_TMP/p" &
ppid=$!
wait_for 20 has "$TEST_TMP/b" "ROOMSTATE #alice"
wait_for 20 has "$TEST_TMP/p" " 366 dave #alice"
has "$TEST_TMP/b" "@emote-only=0;followers-only=10;r9k=0;room-id=1001;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #alice"
ok $? "JOIN gets the full ROOMSTATE from the seed's chat settings"
has "$TEST_TMP/b" "@badge-info=subscriber/14;badges=subscriber/12;color=#00FF00;display-name=Böb\\sthe\\sBuilder;emote-sets=0;mod=0;subscriber=1;user-type= :tmi.twitch.tv USERSTATE #alice"
ok $? "JOIN gets USERSTATE with the subscriber badge"

ftc --caps --pass tok-alice --nick alice --join '#alice' \
    --send 'PRIVMSG #alice :hello Kappa 👉 Kappa' \
    --send '@client-nonce=n0nce PRIVMSG #alice :/me waves LUL' \
    --until ';id=' "ws://127.0.0.1:$WS/" > "$TEST_TMP/a"
ok $? "alice sends and gets a USERSTATE with the message id"
ftc --caps --pass tok-carol --nick carol --join '#alice' \
    --send 'PRIVMSG #alice :mod here' --until ';id=' \
    "ws://127.0.0.1:$WS/" > /dev/null
ftc --caps --pass tok-dave --nick dave --join '#alice' \
    --send 'PRIVMSG #alice :vip here' --send 'PRIVMSG #alice :done' \
    --until 'PRIVMSG #alice :done' --until '#closed' \
    --send 'PING :x' --until PONG "ws://127.0.0.1:$WS/" > /dev/null
wait "$bpid" "$ppid"

line=$(grep 'PRIVMSG #alice :hello' "$TEST_TMP/b")
echo "$line" | grep -q '^@badge-info=;badges=broadcaster/1,premium/1;color=#FF0000;display-name=Alice;emotes=25:6-10,14-18;first-msg=0;flags=;id=[0-9a-f]\{8\}-[0-9a-f]\{4\}-4[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\};mod=0;returning-chatter=0;room-id=1001;subscriber=0;tmi-sent-ts=[0-9]\{13\};turbo=0;user-id=1001;user-type= :alice!alice@alice.tmi.twitch.tv PRIVMSG #alice :hello Kappa 👉 Kappa$'
ok $? "B gets A's PRIVMSG with Twitch's tags (emote ranges in code points)"
has "$TEST_TMP/b" "client-nonce=n0nce;" && has "$TEST_TMP/b" "emotes=425618:6-8;" &&
    grep -q "PRIVMSG #alice :$(printf '\001')ACTION waves LUL$(printf '\001')\$" "$TEST_TMP/b"
ok $? "/me becomes ACTION, emotes counted after it, client-nonce kept"
has "$TEST_TMP/b" "display-name=キャロル;" && has "$TEST_TMP/b" "mod=1;" &&
    grep 'mod here' "$TEST_TMP/b" | grep -q 'badges=moderator/1;.*user-type=mod :'
ok $? "a moderator's message has mod=1, moderator badge, user-type=mod"
grep 'vip here' "$TEST_TMP/b" | grep -q 'badges=vip/1;.*;vip=1 :dave!dave@dave'
ok $? "a VIP's message has vip=1 and the vip badge"
has "$TEST_TMP/p" ":alice!alice@alice.tmi.twitch.tv PRIVMSG #alice :hello Kappa 👉 Kappa" &&
    ! grep -q '^@' "$TEST_TMP/p"
ok $? "a client without tags gets plain lines only"
! grep -q 'PRIVMSG #alice :hello' "$TEST_TMP/a"
ok $? "the sender does not get its own message back"
! grep -q 'USERSTATE' "$TEST_TMP/p" && ! grep -q 'ROOMSTATE' "$TEST_TMP/p"
ok $? "no USERSTATE/ROOMSTATE without the commands capability"
has "$TEST_TMP/b" ":carol!carol@carol.tmi.twitch.tv JOIN #alice"
ok $? "membership: others' JOIN reaches B"
! has "$TEST_TMP/p" ":carol!carol@carol.tmi.twitch.tv JOIN #alice"
ok $? "no others' JOIN without membership"

# Reply to a known message: reply-parent tags.
: > "$TEST_TMP/b2"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until 'PRIVMSG #bob :reply' "ws://127.0.0.1:$WS/" > "$TEST_TMP/b2" &
bpid=$!
wait_for 20 has "$TEST_TMP/b2" "ROOMSTATE #bob"
ftc --caps --pass tok-alice --nick alice --join '#bob' \
    --send 'PRIVMSG #bob :first' --until ';id=' \
    "ws://127.0.0.1:$WS/" > "$out"
id=$(sed -n 's/.*;id=\([^;]*\);.*USERSTATE #bob$/\1/p' "$out" | tail -1)
ftc --caps --pass tok-carol --nick carol --join '#bob' \
    --send "@reply-parent-msg-id=$id PRIVMSG #bob :reply" --until ';id=' \
    "ws://127.0.0.1:$WS/" > /dev/null
wait "$bpid"
grep 'PRIVMSG #bob :reply' "$TEST_TMP/b2" | grep -q "reply-parent-display-name=Alice;reply-parent-msg-body=first;reply-parent-msg-id=$id;reply-parent-user-id=1001;reply-parent-user-login=alice;"
ok $? "a reply carries the reply-parent tags"
has "$TEST_TMP/b2" ":alice!alice@alice.tmi.twitch.tv PART #bob"
ok $? "membership: PART of others when they leave"

ftc --caps --pass tok-bob --nick bob --join '#nosuchchannel' \
    --until 'NOTICE' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #nosuchchannel :This channel does not exist or has been suspended."
ok $? "an unknown channel: msg_channel_suspended"
ftc --caps --pass tok-bob --nick bob --send 'WHO #x' --until ' 421 ' \
    "ws://127.0.0.1:$WS/" > "$out"
has "$out" ":tmi.twitch.tv 421 bob WHO :Unknown command"
ok $? "an unknown command: 421"
done_testing
