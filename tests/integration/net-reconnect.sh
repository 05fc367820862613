#!/bin/bash
# net-reconnect.sh: Twitch's RECONNECT in the middle of a flood loses no
# line and shows none twice (the new connection logs in and rejoins while
# the old one still delivers; the overlap is de-duplicated by message id).
# Every id the fake reports sending must appear exactly once.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
net_require
fake_start --open-channels --reconnect-grace 3 ||
    { ok 1 "fake-twitch starts"; done_testing; }

driver_start a --url "ws://localhost:$FAKE_WS/" --duration 90000 flood
wait_log a 10 '^join flood ok'
ok $? "joined #flood"

# 40 batches of 25 lines, about 4 s in all; RECONNECT after the 10th.
# (fake-twitch stops delivering to a connection once it has sent it
# RECONNECT, so lines it sent to nobody, "delivered=0", are not expected;
# Twitch keeps the old connection delivering until it closes it.)
: >"$TEST_TMP/replies"
b=0
while [ "$b" -lt 40 ]; do
	b=$((b + 1))
	i=0
	while [ "$i" -lt 25 ]; do
		i=$((i + 1))
		echo "say flood user$i line $b.$i of the flood"
	done >"$TEST_TMP/batch"
	[ "$b" -eq 10 ] && echo "fault reconnect all" >>"$TEST_TMP/batch"
	admin_batch "$TEST_TMP/batch" >>"$TEST_TMP/replies"
	sleep 0.1
done
grep '^ok fault' "$TEST_TMP/replies" >"$TEST_TMP/fault"
grep -q '^ok fault reconnect hit=[1-9]' "$TEST_TMP/fault"
ok $? "the fake sent RECONNECT mid-flood"
sed -n 's/^ok .*id=\([^ ]*\) delivered=[1-9].*/\1/p' "$TEST_TMP/replies" |
    sort >"$TEST_TMP/sent"
nsent=$(wc -l <"$TEST_TMP/sent")
n0=$(grep -c 'delivered=0' "$TEST_TMP/replies")
[ "$nsent" -ge 900 ] && [ $((nsent + n0)) -eq 1000 ]
ok $? "the fake delivered $nsent lines to us ($n0 to nobody)"

last=$(tail -n 1 "$TEST_TMP/replies" | sed -n 's/.*id=\([^ ]*\).*/\1/p')
wait_log a 15 "^ev PRIVMSG flood [^ ]* $last "
ok $? "the last line arrived"
wait_log a 15 'moved to a new connection'
ok $? "the shard moved to the new connection"

awk '$1 == "ev" && $2 == "PRIVMSG" && $3 == "flood" { print $5 }' \
    "$TEST_TMP/a.log" | sort >"$TEST_TMP/got"
ndup=$(uniq -d "$TEST_TMP/got" | wc -l)
[ "$ndup" -eq 0 ]
ok $? "no line shown twice ($ndup duplicates)"
nlost=$(comm -23 "$TEST_TMP/sent" "$TEST_TMP/got" | wc -l)
[ "$nlost" -eq 0 ]
ok $? "no line lost ($nlost missing of $nsent)"
nextra=$(sort -u "$TEST_TMP/got" | comm -13 "$TEST_TMP/sent" - | wc -l)
[ "$nextra" -eq 0 ]
ok $? "no line from nowhere ($nextra)"

drv a quit
driver_wait a 10
log_has a '^closed clean'
ok $? "clean close after the move"
[ "$tap_failed" -eq 0 ] || { show_log a 30; diag "$(cat "$TEST_TMP/fault")"; }
done_testing
