#!/bin/bash
# net-faults.sh: an abrupt close and a server that stops answering PING
# both end in a reconnect (with back-off) and every channel rejoined, and
# chat flows again afterwards.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
net_require
fake_start --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

driver_start a --url "ws://localhost:$FAKE_WS/" --duration 90000 \
    --ping-idle 400 --pong-timeout 600 --backoff-min 200 \
    --backoff-max 1000 one two
wait_log a 10 '^join one ok' && wait_log a 10 '^join two ok'
ok $? "joined #one and #two"

count() { grep -c -- "$2" "$TEST_TMP/$1.log"; }
joined_twice() { [ "$(count a '^join one ok')" -ge "$1" ] &&
    [ "$(count a '^join two ok')" -ge "$1" ]; }

admin fault close all >"$TEST_TMP/fault"
grep -q '^ok fault close hit=[1-9]' "$TEST_TMP/fault"
ok $? "the fake closes the connection"
wait_log a 10 '^state main-shard waiting .*reconnecting in'
ok $? "the drop is reported with the back-off: $(grep -m1 \
    '^state main-shard waiting' "$TEST_TMP/a.log" | cut -c 26-)"
wait_for 10 joined_twice 2
ok $? "both channels rejoined after the close"
admin say two someone after the close >/dev/null
wait_log a 5 'ev PRIVMSG two someone .* after the close$'
ok $? "chat flows again"

# PONG silence: the link looks open but the server no longer answers.
admin fault nopong on >/dev/null
wait_log a 10 'no reply to PING within 0.6 s'
ok $? "a missing PONG is noticed"
admin fault nopong off >/dev/null
wait_for 10 joined_twice 3
ok $? "both channels rejoined after the PONG time-out"
admin say one someone after the silence >/dev/null
wait_log a 5 'ev PRIVMSG one someone .* after the silence$'
ok $? "chat flows again"

drv a stats
wait_log a 5 '^stats .*reconnects=[2-9].*'
ok $? "reconnects and rejoins counted: $(grep '^stats' "$TEST_TMP/a.log" |
    tail -n 1)"
drv a quit
driver_wait a 10
log_has a '^closed clean'
ok $? "clean close"
[ "$tap_failed" -eq 0 ] || show_log a
done_testing
