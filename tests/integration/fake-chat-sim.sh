#!/bin/sh
# fake-twitch's simulated crowd and control commands: say, marker, event,
# roomstate, chatrate, stats; then a short rate measurement (printed, never
# a failure).
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
fake_start --chat-rate 300
out=$TEST_TMP/out

ftc --caps --nick justinfan77 --join '#chan1' --lines 120 \
    "ws://127.0.0.1:$WS/" > "$out"
ok $? "a crowd talks in a joined channel"
[ "$(grep -c '^@badge-info=.* PRIVMSG #chan1 :' "$out")" -ge 50 ]
ok $? "tagged PRIVMSGs"
admin chatrate 0 > "$TEST_TMP/a"
has "$TEST_TMP/a" "ok chatrate 0"
ok $? "chatrate 0"

: > "$out"	# before the job starts: no stale match
ftc --caps --nick justinfan77 --join '#chan1' --timeout 20 \
    --until 'USERNOTICE #chan1' "ws://127.0.0.1:$WS/" > "$out" &
cpid=$!
wait_for 20 has "$out" "ROOMSTATE #chan1"
admin event chan1 raid > "$TEST_TMP/a"
wait "$cpid"
ok $? "event raid: a USERNOTICE"
grep -q 'msg-id=raid;msg-param-displayName=.*USERNOTICE #chan1$' "$out"
ok $? "shaped like Twitch's raid"

ftc --caps --nick justinfan77 --join '#chan1' --timeout 20 \
    --until 'ROOMSTATE #chan1' --until 'marker text' \
    "ws://127.0.0.1:$WS/" > /dev/null
: > "$out"	# before the job starts: no stale match
ftc --caps --nick justinfan77 --join '#chan1' --timeout 20 \
    --until 'marker text' "ws://127.0.0.1:$WS/" > "$out" &
cpid=$!
wait_for 20 has "$out" "ROOMSTATE #chan1"
admin marker chan1 marker text > "$TEST_TMP/a"
wait "$cpid"
ok $? "marker: a PRIVMSG"
grep -q '^ok sent_ms=[0-9]\{13\} id=[0-9a-f-]\{36\} delivered=1$' "$TEST_TMP/a"
ok $? "marker answers the send time in ms"
admin say nosuchchannel bob hi > "$TEST_TMP/a"
has "$TEST_TMP/a" "err no channel"
ok $? "say to an unknown channel: err"
admin stats > "$TEST_TMP/a"
grep -q '^stat connections=[0-9]* conns_total=[0-9]*' "$TEST_TMP/a" &&
    grep -q '^stat channel=chan1 members=0 joins=[0-9]* lines=' "$TEST_TMP/a" &&
    grep -q '^ok stats$' "$TEST_TMP/a"
ok $? "stats lists connections and channels"
admin nonsense > "$TEST_TMP/a"
has "$TEST_TMP/a" "err unknown command nonsense"
ok $? "unknown command: err"

# A short measurement for the log (benchmarks print, never fail).
admin chatrate 20000 > /dev/null
ftc --count-only --caps --nick justinfan78 --join '#chan1' --timeout 2 \
    "ws://127.0.0.1:$WS/" > "$out"
diag "simulated chat at 20000 lines/s, one ws client: $(cat "$out")"
admin chatrate 0 > /dev/null
admin quit > "$TEST_TMP/a"
has "$TEST_TMP/a" "ok quit"
ok $? "quit"
wait_for 10 sh -c "! kill -0 $FAKE_PID 2>/dev/null"
ok $? "the fake exits after quit"
done_testing
