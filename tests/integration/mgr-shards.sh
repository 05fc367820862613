#!/bin/bash
# mgr-shards.sh: the distributed shard manager through `stitch tail`,
# anonymous, against fake-twitch: 130 channels with the defaults fill 5
# shards of 25 and each of the other 5 gets a message saying what to
# raise; with --max-shards 6 all 130 are joined on 6 shards and every one
# of them receives.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
mgr_require
# Anonymous logins get 20 JOINs per 10 s; the fake and stitch both allow
# more here (as for a verified bot) so 130 joins take seconds, not a
# minute. Pacing itself is the net tests' business.
fake_start --limit-joins 2000/10 || { ok 1 "fake-twitch starts"; done_testing; }
printf 'join_limit = 2000\n' >"$TEST_TMP/stitch.conf"
WS=ws://localhost:$FAKE_WS/
chans=$(seq -f 'c%03g' 0 129)
tab=$(printf '\t')

# Defaults: 25 per shard, at most 5.
tail_start a --config "$TEST_TMP/stitch.conf" --server "$WS" \
    --shard-manager distributed $chans
wait_err a 10 'channels on [0-9]+ shards'
grep -q '125 of 130 channels on 5 shards' "$TEST_TMP/a.err"
ok $? "defaults: 125 of 130 channels on 5 shards (stderr says so)"
n=$(grep -c 'cannot join #c1[23][0-9]: all 5 shards hold 25 channels each; raise --max-shards or --channels-per-shard' "$TEST_TMP/a.err")
[ "$n" -eq 5 ]
ok $? "defaults: each of the other 5 gets a message saying what to raise"
wait_for 20 sh -c "[ \$(grep -c 'ready, 25 channels' '$TEST_TMP/a.err') -eq 5 ]"
ok $? "defaults: 5 shards ready, 25 channels each"
grep -Eq 'initial-shard-1 \(25\).*extended-shard-4 \(25\)' "$TEST_TMP/a.err"
ok $? "defaults: named initial-shard-1 ... extended-shard-4"
tail_signal a TERM
tail_wait a 10
ok $? "defaults: SIGTERM ends it"
[ "$(tail_rc a)" = 0 ]
ok $? "defaults: exit status 0"
[ "$(tail_rc a)" = 0 ] || show_tail a

# --max-shards 6: everything fits, and every channel receives.
tail_start b --config "$TEST_TMP/stitch.conf" --server "$WS" \
    --shard-manager distributed --max-shards 6 $chans
wait_err b 10 'channels on [0-9]+ shards'
grep -q '130 of 130 channels on 6 shards' "$TEST_TMP/b.err"
ok $? "max 6: 130 of 130 channels on 6 shards"
! grep -q 'cannot join' "$TEST_TMP/b.err"
ok $? "max 6: nothing refused"
# Every channel's JOIN echoed back means every join went through.
wait_for 30 sh -c "[ \$(grep -c '${tab}join${tab}' '$TEST_TMP/b.out') -ge 130 ]"
ok $? "max 6: all 130 joins echoed"
for c in $chans; do echo "say $c someone probe-$c"; done >"$TEST_TMP/say"
admin_batch "$TEST_TMP/say" >"$TEST_TMP/say.replies"
wait_for 20 sh -c "[ \$(grep -c '${tab}privmsg${tab}probe-' '$TEST_TMP/b.out') -ge 130 ]"
ok $? "max 6: a line said in each channel arrives"
got=$(awk -F'\t' '$5 == "privmsg" && $6 == "probe-" $2 { print $2 }' \
    "$TEST_TMP/b.out" | sort -u | wc -l)
[ "$got" -eq 130 ]
ok $? "max 6: all 130 channels received their own line (got $got)"
tail_signal b INT
tail_wait b 10
ok $? "max 6: SIGINT ends it"
grep -q '0 malformed lines' "$TEST_TMP/b.err"
ok $? "max 6: no malformed line"
[ "$got" -eq 130 ] || show_tail b

done_testing
