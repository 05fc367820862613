#!/bin/sh
# Helix misbehaving against stitch report: malformed JSON for every kind
# of report, 500 and 429 storms, a reply that only trickles, one that
# never ends, JSON nested too deep and strings full of terminal escapes.
# Each must end with a clear message and its exit code, stdout empty or
# whole, and the fake's request counters must show every retry bounded.
. "$top_srcdir/tests/integration/rest-lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
rest_start --max-lifetime 240

fault() { admin helix-fault "$1" "$2" | grep -q '^ok'; }
# total: every Helix request the fake has counted.
total() {
	admin http-stats | sed -n 's|^stat http path=/helix/[^ ]* method=[A-Z]* requests=||p' |
	    awk '{ n += $1 } END { print n + 0 }'
}

# The trickle takes the longest (each try runs into the 10 s low-speed
# time-out), so it goes first, in the background, while the rest runs.
python3 "$top_srcdir/tests/integration/harden-helix.py" "$TEST_TMP/py.port" \
    "$TEST_TMP/py.log" 240 &
pypid=$!
on_exit "kill $pypid"
wait_for 10 test -s "$TEST_TMP/py.port"
ok $? "the misbehaving server is up"
PY=http://127.0.0.1:$(cat "$TEST_TMP/py.port")
t0=$(date +%s)
(STITCH_TOKEN=tok-alice timeout 200 "$STITCH" report --helix "$PY/trickle/helix" \
    -c none created alice > "$TEST_TMP/trickle.out" 2> "$TEST_TMP/trickle.err"
    echo $? > "$TEST_TMP/trickle.rc") &
trickle=$!
on_exit "kill $trickle"

# Malformed JSON as the first reply of every kind of report: one clear
# sentence, exit 4, nothing half-printed, and a cut reply is not retried.
for kind in created user stream chatters mods vips followers num_followers \
    following num_following; do
	fault 1 malformed
	before=$(total)
	rep tok-alice "bad-$kind" -c none "$kind" alice
	after=$(total)
	[ "$(rc_of "bad-$kind")" = 4 ] && [ ! -s "$TEST_TMP/bad-$kind.out" ] &&
	    grep -q 'not JSON' "$TEST_TMP/bad-$kind.err" &&
	    [ "$(wc -l < "$TEST_TMP/bad-$kind.err")" -le 2 ]
	ok $? "malformed reply, $kind: 'not JSON', exit 4, stdout empty"
	[ $((after - before)) = 1 ]
	ok $? "malformed reply, $kind: asked once (requests $((after - before)))"
done
admin helix-fault 0 malformed >/dev/null

# A cut reply must not be cached: with the file cache, the next run
# (the fault gone) gives the right answer.
fault 1 malformed
rep tok-alice cache-bad created alice
rep tok-alice cache-good created alice
[ "$(rc_of cache-bad)" = 4 ] && [ "$(rc_of cache-good)" = 0 ] &&
    [ "$(sed -n 2p "$TEST_TMP/cache-good.out" | cut -f1)" = alice ]
ok $? "a malformed reply is not cached: the next run is right"

# 500 storm over a paged report (2504 chatters, 1000 a page): three 500s
# are absorbed, the report is complete.
fault 3 500
rep tok-alice chat500 -c none chatters alice
[ "$(rc_of chat500)" = 0 ] && [ "$(rows chat500)" = 2504 ]
ok $? "three 500s, then a paged report: all 2504 chatters, exit 0"
fault 1000 500
before=$(total)
t=$(date +%s)
rep tok-alice chatdead -c none chatters alice
diag "500 storm: gave up after $(( $(date +%s) - t )) s"
after=$(total)
admin helix-fault 0 500 >/dev/null
[ "$(rc_of chatdead)" = 4 ] && [ ! -s "$TEST_TMP/chatdead.out" ] &&
    grep -q 'HTTP 500' "$TEST_TMP/chatdead.err"
ok $? "500 for ever: exit 4 with HTTP 500 named, stdout empty"
[ $((after - before)) = 4 ]
ok $? "500 for ever: 1 try and 3 retries in all (requests $((after - before)))"

# 429 storm: waits bounded in number, then a rate-limit failure.
fault 1000 429
before=$(total)
t=$(date +%s)
rep tok-alice storm -c none followers alice
diag "429 storm: gave up after $(( $(date +%s) - t )) s"
after=$(total)
admin helix-fault 0 429 >/dev/null
[ "$(rc_of storm)" = 4 ] && grep -q 'rate limit' "$TEST_TMP/storm.err"
ok $? "429 storm: exit 4, says rate limit"
[ $((after - before)) = 4 ]
ok $? "429 storm: 1 try and 3 waits in all (requests $((after - before)))"
# The storm passed: the next report goes through.
rep tok-alice calm -c none followers alice
[ "$(rc_of calm)" = 0 ] && [ "$(rows calm)" = 153 ]
ok $? "after the storm: all 153 followers, exit 0"

# Every reply 2 s late: slow is not broken, the paged report completes.
fault 4 slow
rep tok-alice slow -c none chatters alice
admin helix-fault 0 slow >/dev/null
[ "$(rc_of slow)" = 0 ] && [ "$(rows slow)" = 2504 ]
ok $? "every reply 2 s late: all 2504 chatters, exit 0"

# From the misbehaving server: a body that never ends, JSON too deep and
# strings carrying escape sequences.
pyrep() {
	STITCH_TOKEN=tok-alice timeout 60 "$STITCH" report --helix "$PY/$1/helix" \
	    -c none user alice > "$TEST_TMP/$1.out" 2> "$TEST_TMP/$1.err"
	echo $? > "$TEST_TMP/$1.rc"
}
pyrep huge
[ "$(rc_of huge)" = 4 ] && grep -q 'reply larger than' "$TEST_TMP/huge.err" &&
    [ "$(grep -c '^huge ' "$TEST_TMP/py.log")" = 1 ]
ok $? "a body that never ends: stopped at the size cap, exit 4, not retried"
pyrep deep
[ "$(rc_of deep)" = 4 ] && grep -q 'not JSON' "$TEST_TMP/deep.err"
ok $? "JSON nested 200000 deep: refused, exit 4, no crash"
pyrep hostile
[ "$(rc_of hostile)" = 0 ] && grep -q '^1001' "$TEST_TMP/hostile.out"
ok $? "strings with terminal escapes: the user is printed, exit 0"
esc=$(printf '\033')
bel=$(printf '\007')
! grep -q "[$esc$bel]" "$TEST_TMP/hostile.out" "$TEST_TMP/hostile.err"
ok $? "no ESC or BEL byte reaches the output"
[ "$(sed -n 2p "$TEST_TMP/hostile.out" | awk -F '	' '{ print NF }')" = \
    "$(sed -n 1p "$TEST_TMP/hostile.out" | awk -F '	' '{ print NF }')" ] &&
    [ "$(wc -l < "$TEST_TMP/hostile.out")" = 2 ]
ok $? "a CR LF inside a description does not break the TSV row"

# The trickle: each try ends at the low-speed time-out, 1 try and 3
# retries, then a clear failure; never the 200 s the watchdog allows.
wait_for 200 test -s "$TEST_TMP/trickle.rc"
diag "trickle: gave up after $(( $(date +%s) - t0 )) s"
[ "$(rc_of trickle)" = 4 ] && grep -q 'timed out' "$TEST_TMP/trickle.err" &&
    [ ! -s "$TEST_TMP/trickle.out" ]
ok $? "a reply that trickles: 'timed out', exit 4 (rc $(rc_of trickle))"
[ "$(grep -c '^trickle ' "$TEST_TMP/py.log")" = 4 ]
ok $? "a reply that trickles: 1 try and 3 retries ($(grep -c '^trickle ' "$TEST_TMP/py.log") requests)"

no_token
ok $? "no token in any output or message"
fake_stop
done_testing
