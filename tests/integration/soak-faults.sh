#!/bin/bash
# soak-faults.sh: a minute of flood with a forced disconnect every 1.2 s.
#
# fake-twitch floods 50 channels at 2,000 lines/s while the admin port
# breaks the link 50 times (abrupt closes, RECONNECTs, stalls that only a
# keepalive PING can notice, within 0.9 s, before the next fault) and turns PONGs off and on between them. One
# shard, logged in as bob (a verified bot's JOIN allowance on both sides,
# or 50 rejoins would take 25 s each time), is joined to all 50 and types a
# message every 2 s. At the end every channel must be joined and
# receiving, every typed message must have been taken by the server once
# or reported failed to the user (none silently lost, none twice), and the
# shard must still be alive. It prints reconnects, rejoins and losses.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
net_require

NCHAN=50
NFAULT=50
fake_start --open-channels --reconnect-grace 0.5 --chat-rate 2000 \
    --limit-joins 2000/10 --ping-interval 30 ||
    { ok 1 "fake-twitch starts"; done_testing; }

chans=""
i=0
while [ "$i" -lt "$NCHAN" ]; do
	i=$((i + 1))
	chans="$chans soak$i"
done

# shellcheck disable=SC2086
STITCH_TOKEN=tok-bob driver_start a --url "ws://localhost:$FAKE_WS/" \
    --nick bob --join-limit 2000/10000 --ping-idle 300 --pong-timeout 600 \
    --backoff-min 100 --backoff-max 1000 --send-timeout 30000 \
    --duration 115000 $chans
wait_for 20 sh -c "[ \$(grep -c '^join soak[0-9]* ok' '$TEST_TMP/a.log') -ge $NCHAN ]"
ok $? "bob joins all $NCHAN channels"
wait_log a 10 '^ev PRIVMSG soak'
ok $? "the flood arrives"

# The faults, and a message typed every 2 s (every other fault) meanwhile.
kinds=(close reconnect stall)
typed=0
f=0
start=$(date +%s)
late=0
while [ "$f" -lt "$NFAULT" ]; do
	f=$((f + 1))
	# Each fault breaks a link that is up: wait (bounded) until the shard
	# has come back from the one before and rejoined every channel (a
	# round of NCHAN "join ... ok" lines per link), so every fault counts.
	wait_for 10 sh -c "[ \$(grep -c '^join soak[0-9]* ok' '$TEST_TMP/a.log') -ge $((f * NCHAN)) ]" ||
	    late=$((late + 1))
	k=${kinds[$((f % 3))]}
	case $k in
	stall)	admin fault stall 3000 >>"$TEST_TMP/faults" ;;
	*)	admin fault "$k" >>"$TEST_TMP/faults" ;;
	esac
	[ $((f % 7)) -eq 0 ] && admin fault nopong on >>"$TEST_TMP/faults"
	[ $((f % 7)) -eq 3 ] && admin fault nopong off >>"$TEST_TMP/faults"
	if [ $((f % 2)) -eq 0 ]; then
		typed=$((typed + 1))
		drv a "send soak$(( (typed % NCHAN) + 1 )) typed line $typed of the soak"
	fi
	sleep 1.2
done
admin fault nopong off >>"$TEST_TMP/faults"
elapsed=$(( $(date +%s) - start ))
nhit=$(grep -c '^ok fault \(close\|reconnect\|stall\) hit=[1-9]' "$TEST_TMP/faults")
[ "$nhit" -eq "$NFAULT" ] && [ "$late" -eq 0 ]
ok $? "$NFAULT forced disconnects in ${elapsed} s ($nhit hit a connection, $late while still down)"

# Every typed message settles: sent, or reported failed. None unanswered.
wait_for 60 sh -c "[ \$(grep -c '^send [0-9]* \(ok\|fail\)' '$TEST_TMP/a.log') -ge $typed ]"
nq=$(grep -c '^queued [0-9]*' "$TEST_TMP/a.log")
nok=$(grep -c '^send [0-9]* ok' "$TEST_TMP/a.log")
nfail=$(grep -c '^send [0-9]* fail' "$TEST_TMP/a.log")
nref=$(grep -c '^refused' "$TEST_TMP/a.log")
[ "$nq" -eq "$typed" ] && [ $((nok + nfail)) -eq "$typed" ]
ok $? "every typed message is sent or reported failed ($typed typed, $nok sent, $nfail failed, $nref refused)"

# What the server took from bob: each message once (a resend after a lost
# confirmation is refused by the server as a duplicate, not shown twice).
got=$(fake_stat account=bob msgs_ok)
[ "${got:-x}" = "$nok" ]
ok $? "the server took $got messages from bob, as many as were reported sent"

# Every channel rejoined and receiving: a marker said in each arrives.
: >"$TEST_TMP/mark"
for c in $chans; do
	echo "say $c someone marker after the soak in $c"
done >"$TEST_TMP/mark.cmds"
admin chatrate 0 >/dev/null
admin_batch "$TEST_TMP/mark.cmds" >"$TEST_TMP/mark"
wait_for 20 sh -c "[ \$(grep -c '^ev PRIVMSG soak[0-9]* .* marker after the soak' '$TEST_TMP/a.log') -ge $NCHAN ]"
r=$?
nmark=$(grep -c '^ev PRIVMSG soak[0-9]* .* marker after the soak' "$TEST_TMP/a.log")
ok $r "all $NCHAN channels rejoined and receiving ($nmark markers seen)"

drv a stats
wait_log a 5 '^stats '
st=$(grep '^stats ' "$TEST_TMP/a.log" | tail -n 1)
rec=$(echo "$st" | sed -n 's/.*reconnects=\([0-9]*\).*/\1/p')
rej=$(echo "$st" | sed -n 's/.*rejoins=\([0-9]*\).*/\1/p')
lines=$(echo "$st" | sed -n 's/.*lines_in=\([0-9]*\).*/\1/p')
bad=$(echo "$st" | sed -n 's/.* bad=\([0-9]*\).*/\1/p')
# A RECONNECT moves the shard to a new link without counting as a
# reconnect; every new link rejoins all channels, so rejoins tell: one
# round of NCHAN joins after each fault.
[ "${rej:-0}" -ge $((NFAULT * NCHAN)) ]
ok $? "every fault was followed by a rejoin of all channels: $rec reconnects, $rej rejoins, $lines lines in, $bad malformed"

drv a quit
driver_wait a 15
ok $? "the shard is alive at the end and quits cleanly"
! grep -q 'AddressSanitizer\|runtime error' "$TEST_TMP/a.err"
ok $? "no sanitizer report"
diag "soak: $typed typed, $nok sent, $nfail failed, 0 lost; $rec reconnects, $rej rejoins, $lines lines in"
grep '^send [0-9]* fail' "$TEST_TMP/a.log" | sort | uniq -c | sed 's/^/# /' | head -n 10
[ "$tap_failed" -eq 0 ] || { show_log a 40; tail -n 20 "$TEST_TMP/faults" | sed 's/^/# /'; }
[ -n "${SOAK_KEEP:-}" ] && cp -r "$TEST_TMP" "$SOAK_KEEP"	# for a post-mortem
done_testing
