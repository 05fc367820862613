#!/bin/bash
# net-limits.sh: a logged-in shard never goes past Twitch's limits (the
# fake records the most JOINs and messages it saw in any window), a
# message typed while the link is down goes out after the rejoin, one that
# cannot go in time is reported failed, Twitch's refusals reach the user,
# and the account's channel cap refuses a join with a way forward.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
net_require
fake_start --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

chans=""
i=0
while [ "$i" -lt 25 ]; do
	i=$((i + 1))
	chans="$chans lim$i"
done
# Anonymous watcher in #chan1: sees what bob sends.
driver_start w --url "ws://localhost:$FAKE_WS/" --duration 110000 chan1
STITCH_TOKEN=tok-bob driver_start a --url "ws://localhost:$FAKE_WS/" \
    --nick bob --duration 110000 --send-timeout 100000 --backoff-min 2000 \
    chan1 $chans
wait_log a 10 '^join chan1 ok'
ok $? "bob logs in with his token and joins"
grep -q 'tok-bob' "$TEST_TMP/a.log" "$TEST_TMP/a.err" "$TEST_TMP/fake.log"
[ $? -ne 0 ]
ok $? "the token appears in no output"
wait_log w 10 '^join chan1 ok'

# 22 messages at once: 19 go, the rest wait for the 32 s window.
i=0
while [ "$i" -lt 22 ]; do
	i=$((i + 1))
	drv a "send chan1 message number $i"
done
sent_all() { [ "$(grep -c '^send [0-9]* ok' "$TEST_TMP/a.log")" -ge 22 ]; }
wait_for 60 sent_all
ok $? "all 22 messages reported sent: $(grep -c '^send [0-9]* ok' \
    "$TEST_TMP/a.log")"
wait_log w 5 'ev PRIVMSG chan1 bob .* message number 22$'
ok $? "the watcher saw the last one"
got=$(grep -c 'ev PRIVMSG chan1 bob .* message number' "$TEST_TMP/w.log")
[ "$got" -eq 22 ]
ok $? "the watcher saw each once ($got)"
joined_all() { [ "$(grep -c '^join lim[0-9]* ok' "$TEST_TMP/a.log")" -ge 25 ]; }
wait_for 30 joined_all
ok $? "26 channels joined in all"
admin stats >"$TEST_TMP/stats"
line=$(grep 'account=bob ' "$TEST_TMP/stats")
diag "$line"
mm=$(echo "$line" | tr ' ' '\n' | sed -n 's/^max_msgs_window=//p')
mj=$(echo "$line" | tr ' ' '\n' | sed -n 's/^max_joins_window=//p')
rf=$(echo "$line" | tr ' ' '\n' | sed -n 's/^msgs_refused=//p')
jr=$(echo "$line" | tr ' ' '\n' | sed -n 's/^joins_refused=//p')
[ -n "$mm" ] && [ "$mm" -le 20 ] && [ "$mm" -ge 15 ]
ok $? "never more than 20 messages in any 30 s (most seen: $mm)"
[ -n "$mj" ] && [ "$mj" -le 20 ] && [ "$mj" -ge 15 ]
ok $? "never more than 20 JOINs in any 10 s (most seen: $mj)"
[ "$rf" = 0 ] && [ "$jr" = 0 ]
ok $? "the fake refused nothing (messages $rf, joins $jr)"

# Twitch's refusal reaches the user as on_send failure and as a NOTICE.
drv a "send chan1 message number 22"
wait_log a 10 '^send [0-9]* fail refused by Twitch \(msg_duplicate\)'
ok $? "a duplicate is reported refused, in Twitch's words"
wait_log a 2 '^ev NOTICE chan1 .* msg_duplicate:'
ok $? "and the NOTICE is an event too"

# Typed while the link is down: goes out after the reconnect and rejoin.
admin fault close lim1 >/dev/null
wait_log a 10 '^state main-shard waiting'
ok $? "the link dropped"
drv a "send chan1 typed while down"
wait_log w 20 'ev PRIVMSG chan1 bob .* typed while down$'
ok $? "the message typed while down arrived after the reconnect"
n=$(grep -c '^send [0-9]* ok' "$TEST_TMP/a.log")
[ "$n" -eq 23 ]
ok $? "and was reported sent ($n sent in all)"
drv a quit
drv w quit

# Nothing to connect to: the message fails after --send-timeout.
STITCH_TOKEN=tok-bob driver_start b --url "ws://localhost:1/" --nick bob \
    --duration 20000 --send-timeout 1500 --backoff-min 300 chan1
drv b "send chan1 into the void"
wait_log b 5 '^send [0-9]* fail not sent: no connection'
ok $? "a message that cannot go in time is reported failed"
drv b quit

# The account's channel cap, with the way forward in the message.
STITCH_TOKEN=tok-bob driver_start c --url "ws://localhost:$FAKE_WS/" \
    --nick bob --duration 20000 --channel-limit 3 chan1 chan2 chan3 chan4
wait_log c 5 '^join chan4 fail .*another account'
ok $? "a join past the account's channel limit says how to go on"
drv c quit
driver_wait a 10
[ "$tap_failed" -eq 0 ] || { show_log a 30; show_log w 10; show_log c 5; }
done_testing
