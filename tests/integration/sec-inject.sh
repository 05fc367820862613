#!/bin/bash
# sec-inject.sh: text the user types can never become a second IRC
# command. A CR inside a message or a channel name is refused with a
# reason before anything is written; the server (fake-twitch) never sees
# the smuggled command, and a listener in the channel never sees it either.
# (A LF or NUL cannot come through a line of input at all; the serializer's
# refusal of them is in tests/unit/test-irc.c.)
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
net_require
fake_start --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

driver_start b --url "ws://localhost:$FAKE_WS/" --duration 60000 inj
STITCH_TOKEN=tok-bob driver_start a --url "ws://localhost:$FAKE_WS/" \
    --nick bob --duration 60000 inj
wait_log a 10 '^join inj ok' && wait_log b 10 '^join inj ok'
ok $? "a sender (bob) and a listener join #inj"

CR=$'\r'
drv a "send inj hello${CR}PRIVMSG #inj :smuggled by CR"
wait_log a 5 '^refused .*(CR|line break|control)'
ok $? "a message with a CR is refused: $(grep -m1 '^refused' "$TEST_TMP/a.log")"
drv a "send inj${CR}JOIN${CR}#evil hello"
wait_for 5 sh -c "[ \$(grep -c '^refused' '$TEST_TMP/a.log') -ge 2 ]"
ok $? "a channel name with a CR is refused too"
drv a "send inj ${CR}QUIT"
wait_for 5 sh -c "[ \$(grep -c '^refused' '$TEST_TMP/a.log') -ge 3 ]"
ok $? "so is a message that is a CR and a command"

drv a "send inj the honest line after them"
wait_log b 10 '^ev PRIVMSG inj bob .* the honest line after them'
ok $? "the connection is still fine: the next line arrives"

! grep -q 'smuggled\|QUIT' "$TEST_TMP/b.log"
ok $? "the listener never saw the smuggled text or command"
[ "$(fake_stat account=bob msgs_ok)" = 1 ]
ok $? "the server took exactly one message from bob"
[ "$(fake_stat account=bob channels)" = 1 ] && ! admin stats | grep -q 'channel=evil'
ok $? "and no JOIN: bob is in one channel, #evil does not exist"
log_has a '^state main-shard ready' && ! log_has a 'waiting'
ok $? "bob's shard never dropped"

drv a quit
drv b quit
driver_wait a 10 && driver_wait b 10
ok $? "both quit cleanly"
[ "$tap_failed" -eq 0 ] || { show_log a 20; show_log b 20; }
done_testing
