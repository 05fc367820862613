#!/bin/sh
# About 30 s of real use under valgrind against fake-twitch: stitch tail
# over TLS in three channels with a simulated crowd talking, hostile lines,
# a RECONNECT and an abrupt close (each followed by a rejoin), a clean
# SIGINT exit; then stitch report runs (a paged report through the file
# cache, the same again from the cache, JSON Lines, a 500 storm that
# fails). Every run must end with no valgrind error and no definite leak.
. "$top_srcdir/tests/integration/rest-lib.sh"
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind not found"
# ASan and valgrind cannot watch the same process (CI's sanitizer build).
! grep -q '^STITCH_CFLAGS = .*-fsanitize' "$top_builddir/Makefile" 2>/dev/null ||
    skip_all "stitch is built with sanitizers; valgrind needs a plain build"
rest_start --chat-rate 100 --reconnect-grace 0.3 --max-lifetime 200

SUPP=$top_srcdir/tests/valgrind/stitch.supp
# vg NAME CMD...: CMD under valgrind, its log in NAME.vg. A definite
# leak or any error makes the status 99. A script, so that timeout(1) can
# run it and signal valgrind, which hands the signal to stitch.
cat > "$TEST_TMP/vg" <<VG
#!/bin/sh
n=\$1
shift
exec valgrind --leak-check=full --errors-for-leak-kinds=definite \\
    --show-leak-kinds=definite --error-exitcode=99 \\
    --suppressions="$SUPP" --log-file="$TEST_TMP/\$n.vg" "\$@"
VG
chmod +x "$TEST_TMP/vg"
vg() { "$TEST_TMP/vg" "$@"; }
# clean NAME: valgrind ran stitch, and its log shows no error and no
# definite leak. Prints the log into the TAP stream otherwise.
clean() {
	grep -q "Command: $STITCH" "$TEST_TMP/$1.vg" &&
	    grep -q 'ERROR SUMMARY: 0 errors' "$TEST_TMP/$1.vg" &&
	    ! grep -q 'definitely lost: [1-9]' "$TEST_TMP/$1.vg" ||
	    { sed 's/^/# /' "$TEST_TMP/$1.vg" | tail -n 40; false; }
}
# summary NAME: valgrind's heap and error lines, for the log.
summary() {
	diag "$1: $(sed -n 's/^==[0-9]*== *\(total heap usage:.*\)/\1/p; s/^==[0-9]*== *\(ERROR SUMMARY: [0-9]* errors\).*/\1/p; s/^==[0-9]*== *\(definitely lost:.*\)/\1/p' "$TEST_TMP/$1.vg" | tr '\n' ' ')"
}

# stitch tail, stdout through a fifo to a reader, as a pipe would have
# it; tail.pid is timeout(1)'s, which passes SIGINT on.
mkfifo "$TEST_TMP/tail.fifo"
(
	cat "$TEST_TMP/tail.fifo" > "$TEST_TMP/tail.out" &
	timeout --preserve-status -s INT 120 "$TEST_TMP/vg" tail "$STITCH" tail \
	    --server "wss://localhost:$WSS/" --ca-file "$TEST_TMP/tls/ca.pem" \
	    alice bob carol > "$TEST_TMP/tail.fifo" 2> "$TEST_TMP/tail.err" &
	echo $! > "$TEST_TMP/tail.pid"
	wait $!
	echo $? > "$TEST_TMP/tail.rc.tmp"
	wait
	mv "$TEST_TMP/tail.rc.tmp" "$TEST_TMP/tail.rc"
) &
wait_for 10 test -s "$TEST_TMP/tail.pid"
on_exit "kill -INT \$(cat '$TEST_TMP/tail.pid')"
wait_for 30 grep -q 'ready, 3 channels' "$TEST_TMP/tail.err"
ok $? "tail under valgrind: logged in over TLS, 3 channels joined"
sleep 10
admin fault escapes alice > /dev/null
admin fault badutf8 bob > /dev/null
admin fault longline carol > /dev/null
admin say alice someone marker-before >/dev/null
wait_for 20 grep -q 'marker-before' "$TEST_TMP/tail.out"
ok $? "chat and hostile lines flow"

admin fault reconnect all > /dev/null
wait_for 30 grep -q 'ready (moved to a new connection.*every channel rejoined' "$TEST_TMP/tail.err"
ok $? "after a RECONNECT: back, 3 channels rejoined"
sleep 6
admin fault close > /dev/null
wait_for 30 sh -c "[ \$(grep -c 'ready, 3 channels' '$TEST_TMP/tail.err') -ge 2 ]"
ok $? "after an abrupt close: back, 3 channels rejoined"
admin say carol someone marker-after >/dev/null
wait_for 20 grep -q 'marker-after' "$TEST_TMP/tail.out"
ok $? "chat flows after the reconnects"
sleep 8

kill -INT "$(cat "$TEST_TMP/tail.pid")"
wait_for 60 test -s "$TEST_TMP/tail.rc"
[ "$(cat "$TEST_TMP/tail.rc")" = 0 ]
ok $? "SIGINT: a clean exit, status 0 (rc $(cat "$TEST_TMP/tail.rc"))"
lines=$(tail -n +2 "$TEST_TMP/tail.out" | wc -l | tr -d ' ')
[ "$lines" -gt 100 ]
ok $? "tail printed $lines events under valgrind"
clean tail
ok $? "tail: no valgrind error, no definite leak"
diag "tail: $(sed -n 's/^stitch tail: \(.*events printed.*\)/\1/p' "$TEST_TMP/tail.err")"

# stitch report: a paged report filling the cache, then the same from it.
export STITCH_TOKEN=tok-alice
vg rep1 "$STITCH" report --helix "$BASE" chatters alice > "$TEST_TMP/rep1.out" \
    2> "$TEST_TMP/rep1.err"
ok $? "report chatters (file cache) under valgrind: exit 0"
[ "$(rows rep1)" = 2504 ]
ok $? "report chatters: all 2504 rows"
clean rep1
ok $? "report chatters: no valgrind error, no definite leak"
before=$(requests /helix/chat/chatters)
vg rep2 "$STITCH" report --helix "$BASE" chatters alice > "$TEST_TMP/rep2.out" \
    2> "$TEST_TMP/rep2.err"
rc=$?
[ "$rc" = 0 ] && cmp -s "$TEST_TMP/rep1.out" "$TEST_TMP/rep2.out" &&
    [ "$(requests /helix/chat/chatters)" = "$before" ]
ok $? "report chatters again: the same answer from the cache"
clean rep2
ok $? "report from the cache: no valgrind error, no definite leak"
vg rep3 "$STITCH" report --helix "$BASE" -c none --json followers alice \
    > "$TEST_TMP/rep3.out" 2> "$TEST_TMP/rep3.err"
[ $? = 0 ] && [ "$(wc -l < "$TEST_TMP/rep3.out")" = 153 ] && clean rep3
ok $? "report followers --json: 153 lines, no valgrind error or leak"
admin helix-fault 1000 500 > /dev/null
vg rep4 "$STITCH" report --helix "$BASE" -c none created alice \
    > "$TEST_TMP/rep4.out" 2> "$TEST_TMP/rep4.err"
rc=$?
admin helix-fault 0 500 > /dev/null
[ "$rc" = 4 ] && grep -q 'HTTP 500' "$TEST_TMP/rep4.err" && clean rep4
ok $? "report against a 500 storm: exit 4, no valgrind error or leak (rc $rc)"
unset STITCH_TOKEN

for n in tail rep1 rep2 rep3 rep4; do summary $n; done
no_token && ! grep -q -e 'tok-[a-z]' "$TEST_TMP"/*.vg
ok $? "no token in any output, message or valgrind log"
fake_stop
done_testing
