#!/bin/sh
# fake-twitch faults, by flag and on the admin port: RECONNECT then close,
# abrupt close, no PONG, garbage, an over-long line, invalid UTF-8,
# terminal escapes, stall.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
out=$TEST_TMP/out
ESC=$(printf '\033')

fake_start --reconnect-grace 0.3 --fault garbage@1.5s --fault escapes@1.5s
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until 'evil' "ws://127.0.0.1:$WS/" > "$out"
has "$out" "@@@ ::: " 
ok $? "--fault garbage@: a line that is not IRC"
grep -a 'evil' "$out" | grep -a -q "display-name=Evil${ESC}\[2J${ESC}\]0;pwned" &&
    grep -a 'evil' "$out" | grep -a -q "${ESC}\]52;c;" &&
    grep -a 'evil' "$out" | grep -a -q "${ESC}\[10;10H"
ok $? "--fault escapes@: CSI, OSC 0 and OSC 52 in the text and display-name"
fake_stop

fake_start --reconnect-grace 0.3
: > "$out"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until '#closed' "ws://127.0.0.1:$WS/" > "$out" &
cpid=$!
wait_for 20 has "$out" "ROOMSTATE #bob"
admin fault reconnect all > "$TEST_TMP/a"
has "$TEST_TMP/a" "ok fault reconnect hit=1"
r=$?
ok $r "admin: fault reconnect answers ok"
[ $r -eq 0 ] ||
    diag "admin said: $(cat "$TEST_TMP/a"); client saw: $(tail -n 3 "$out" | tr '\n' '|')"
wait "$cpid"
ok $? "after RECONNECT the connection closes"
has "$out" ":tmi.twitch.tv RECONNECT"
ok $? "RECONNECT comes first"

for f in garbage longline badutf8; do
	: > "$out"	# before the job starts: no stale match
	ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
	    --until "$f" --until '@@@' "ws://127.0.0.1:$WS/" > "$out" &
	cpid=$!
	wait_for 20 has "$out" "ROOMSTATE #bob"
	admin fault "$f" bob > "$TEST_TMP/a"
	wait "$cpid"
	r=$?
	ok $r "admin: fault $f reaches the client"
	[ $r -eq 0 ] || diag "ftclient exit $r; admin: $(cat "$TEST_TMP/a");" \
	    "client saw: $(tail -n 3 "$out" | cut -c 1-200 | tr '\n' '|')"
done
[ "$(grep longline "$out" | wc -c)" -gt 0 ] || true
: > "$out"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until "longline" "ws://127.0.0.1:$WS/" > "$out" &
cpid=$!
wait_for 20 has "$out" "ROOMSTATE #bob"
admin fault longline > /dev/null
wait "$cpid"
[ "$(grep longline "$out" | wc -c)" -gt 65000 ]
ok $? "the long line is over 64 KB"
: > "$out"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until "badutf8" "ws://127.0.0.1:$WS/" > "$out" &
cpid=$!
wait_for 20 has "$out" "ROOMSTATE #bob"
admin fault badutf8 > /dev/null
wait "$cpid"
grep -a badutf8 "$out" | grep -a -q "$(printf 'bad \303\050')"
ok $? "invalid UTF-8 arrives as sent"

: > "$out"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until '#closed' "ws://127.0.0.1:$WS/" > "$out" &
cpid=$!
wait_for 20 has "$out" "ROOMSTATE #bob"
admin fault close > /dev/null
wait "$cpid"
ok $? "admin: fault close closes the connection"
! has "$out" "RECONNECT"
ok $? "without a RECONNECT"

admin fault nopong on > /dev/null
ftc --pass tok-bob --nick bob --send 'PING :a' --send 'PING :b' \
    --send 'WHO' --until ' 421 ' "ws://127.0.0.1:$WS/" > "$out"
has "$out" " 421 " && ! has "$out" "PONG"
ok $? "fault nopong on: client PINGs go unanswered"
admin fault nopong off > /dev/null
ftc --pass tok-bob --nick bob --send 'PING :a' --until PONG \
    "ws://127.0.0.1:$WS/" > "$out"
ok $? "fault nopong off: answered again"

: > "$out"	# before the job starts: no stale match
ftc --caps --pass tok-bob --nick bob --join '#bob' --timeout 20 \
    --until 'after the stall' "ws://127.0.0.1:$WS/" > "$out" &
cpid=$!
wait_for 20 has "$out" "ROOMSTATE #bob"
admin fault stall 500 > "$TEST_TMP/a"
admin say bob alice after the stall > /dev/null
wait "$cpid"
ok $? "fault stall: lines queued during the stall arrive after it"
has "$TEST_TMP/fake.log" "stall over"
ok $? "the stall ended"
admin fault bogus > "$TEST_TMP/a"
has "$TEST_TMP/a" "err unknown fault bogus"
ok $? "an unknown fault is an err"
done_testing
