#!/bin/bash
# net-basic.sh: one shard against fake-twitch: anonymous login, join and
# receive over ws:// and wss:// (a test CA trusted with --ca-file while
# connecting to localhost), refusal of an untrusted certificate with a
# clear reason, a malformed line counted and skipped, a clean shutdown.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
net_require
sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/pki" &&
    sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/other" ||
    skip_all "cannot make test certificates"
fake_start --tls "$TEST_TMP/pki/cert.pem" "$TEST_TMP/pki/key.pem" \
    --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

# ws://, anonymous.
driver_start a --url "ws://localhost:$FAKE_WS/" --duration 60000 alpha
wait_log a 10 '^state main-shard ready'
ok $? "ws: anonymous login reaches ready"
wait_log a 10 '^join alpha ok'
ok $? "ws: the join is echoed"
id=$(admin say alpha someone hello from the fake |
    sed -n 's/^ok .*id=\([^ ]*\).*/\1/p')
[ -n "$id" ]
ok $? "the fake says something in #alpha"
wait_log a 5 "^ev PRIVMSG alpha someone $id hello from the fake\$"
ok $? "ws: the line arrives, parsed, with its id"
drv a "send alpha hi"
wait_log a 5 '^refused .*anonymous'
ok $? "an anonymous shard refuses to send, saying why"
admin fault garbage alpha >/dev/null
admin say alpha someone after the garbage >/dev/null
wait_log a 5 'after the garbage$'
ok $? "the shard keeps going after a garbage line"
admin fault longline alpha >/dev/null
admin say alpha someone after the long line >/dev/null
wait_log a 5 'after the long line$'
ok $? "a 64 KB line is dropped whole and the next one arrives"
log_has a 'AAAAAAAAAAAAAAAA'
[ $? -ne 0 ]
ok $? "no piece of the long line is shown"
drv a stats
wait_log a 5 '^stats lines_in=[1-9]'
ok $? "lines are counted"
drv a quit
driver_wait a 10
ok $? "the driver quits"
log_has a '^closed clean'
ok $? "everything is closed cleanly (loop closes)"

# wss:// with the test CA, host name localhost for SNI and the
# certificate, numeric address for the connection.
driver_start b --url "wss://localhost:$FAKE_WSS/" \
    --ca-file "$TEST_TMP/pki/ca.pem" --duration 60000 beta
wait_log b 10 '^join beta ok'
ok $? "wss: login and join with the test CA trusted"
admin say beta someone over tls >/dev/null
wait_log b 5 'ev PRIVMSG beta someone .* over tls$'
ok $? "wss: a line arrives"
drv b quit
driver_wait b 10
log_has b '^closed clean'
ok $? "wss: clean close"

# Not trusted: the system store only, or the wrong CA.
driver_start c --url "wss://localhost:$FAKE_WSS/" --backoff-min 60000 \
    --duration 60000 gamma
wait_log c 10 'certificate verify failed'
ok $? "wss without the CA is refused: $(grep -m1 -o 'TLS.*;' \
    "$TEST_TMP/c.log")"
log_has c 'join gamma ok'
[ $? -ne 0 ]
ok $? "and nothing is joined"
drv c quit
driver_start d --url "wss://localhost:$FAKE_WSS/" --backoff-min 60000 \
    --ca-file "$TEST_TMP/other/ca.pem" --duration 60000 delta
wait_log d 10 'certificate verify failed'
ok $? "wss with another CA is refused too"
drv d quit

# A refused token: a clear reason, and no hammering (the first retry
# waits at least 12 s: back-off step 4).
STITCH_TOKEN=not-a-token driver_start f --url "ws://localhost:$FAKE_WS/" \
    --nick bob --duration 60000 foxtrot
wait_log f 10 '^state main-shard waiting login failed: the token for bob was refused'
ok $? "a refused token is reported: $(grep -m1 -o 'login failed.*stitch login' \
    "$TEST_TMP/f.log")"
d=$(sed -n 's/.*reconnecting in \([0-9]*\)\..*/\1/p' "$TEST_TMP/f.log" | head -1)
[ -n "$d" ] && [ "$d" -ge 12 ]
ok $? "and the next try waits ${d:-?} s"
grep -q 'not-a-token' "$TEST_TMP/f.log" "$TEST_TMP/f.err" "$TEST_TMP/fake.log"
[ $? -ne 0 ]
ok $? "the token is in no output"
drv f quit

# A CA file that is not a certificate is refused before anything starts.
echo "not a certificate" >"$TEST_TMP/bad.pem"
"$DRIVER" --url "wss://localhost:$FAKE_WSS/" --ca-file "$TEST_TMP/bad.pem" \
    --duration 100 x </dev/null >"$TEST_TMP/e.log" 2>&1
grep -q '^error ca_file .*no PEM certificate' "$TEST_TMP/e.log"
ok $? "a bad ca_file is refused with a clear message"

# A bad URL is refused without touching the network.
"$DRIVER" --url "http://localhost:$FAKE_WS/" --duration 100 x </dev/null \
    >"$TEST_TMP/u.log" 2>&1
grep -q 'ws:// or wss://' "$TEST_TMP/u.log"
ok $? "an http:// URL is refused, saying what is expected"

[ "$tap_failed" -eq 0 ] || { show_log a; show_log b; show_log c; }
done_testing
