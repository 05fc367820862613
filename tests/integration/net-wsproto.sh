#!/bin/bash
# net-wsproto.sh: stitch's own ws:// client against a scripted WebSocket
# server (ws-script-server.py) doing what fake-twitch never does: a message
# in fragments cut across TCP writes mid-header with a ping between them
# (answered with a pong), a close frame with a code and reason (answered,
# and reported as the reason), a masked frame from the server and a 404
# instead of the upgrade (both refused with a sentence saying why), a
# ping flood from a server that does not read (memory stays bounded, the
# latest ping is answered), and nothing sent after a close frame.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
[ -x "$DRIVER" ] || skip_all "net-driver not built"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
command -v timeout >/dev/null 2>&1 || skip_all "no timeout(1)"
SERVER="$top_srcdir/tests/integration/ws-script-server.py"

# script_start NAME SCENARIO: the server, its port in $PORT.
script_start() {
	timeout 30 python3 "$SERVER" "$2" "$TEST_TMP/$1.port" \
	    "$TEST_TMP/$1.srv" 20 2>"$TEST_TMP/$1.srverr" &
	on_exit "kill $! 2>/dev/null"
	wait_for 10 test -s "$TEST_TMP/$1.port" || return 1
	PORT=$(cat "$TEST_TMP/$1.port")
}

script_start chat chat || { ok 1 "the scripted server starts"; done_testing; }
driver_start c --url "ws://127.0.0.1:$PORT/" --duration 8000 \
    --backoff-min 60000 alpha
wait_log c 10 "^ev WELCOME" || show_log c
ok $? "the login over our WebSocket is welcomed"
grep -q '^line NICK' "$TEST_TMP/chat.srv"
ok $? "the server got the NICK as a masked text frame"
! grep -q 'unmasked client frame' "$TEST_TMP/chat.srv"
ok $? "every client frame was masked"
wait_log c 10 '^ev PRIVMSG alpha someone .* hello split world$'
ok $? "a message in three fragments cut mid-header arrives whole" ||
    show_log c
wait_for 10 grep -q '^pong are-you-there$' "$TEST_TMP/chat.srv"
ok $? "a ping between fragments is answered with its payload"
wait_log c 10 'closed by the server \(close code 4000: bye\)'
ok $? "the server's close frame is the reason given" || show_log c
wait_for 10 grep -q '^close 4000$' "$TEST_TMP/chat.srv"
ok $? "and it is answered with a close frame"

script_start m masked || { ok 1 "the scripted server starts"; done_testing; }
driver_start m --url "ws://127.0.0.1:$PORT/" --duration 4000 \
    --backoff-min 60000 alpha
wait_log m 10 'broke the WebSocket protocol: the server sent a masked frame'
ok $? "a masked frame from the server is refused, saying so" || show_log m

script_start h http404 || { ok 1 "the scripted server starts"; done_testing; }
driver_start h --url "ws://127.0.0.1:$PORT/" --duration 4000 \
    --backoff-min 60000 alpha
wait_log h 10 'handshake with 127.0.0.1 failed: the server answered HTTP 404 Not Found'
ok $? "a 404 instead of the upgrade is reported as such" || show_log h

# A server that pings without reading: one pong in flight at most, the
# latest ping remembered; memory does not follow the flood (it grew by
# 1.6 times the pings' bytes when every pong was queued).
script_start p pingflood || { ok 1 "the scripted server starts"; done_testing; }
driver_start p --url "ws://127.0.0.1:$PORT/" --duration 8000 \
    --backoff-min 60000 alpha
drv_pid() { eval "pgrep -P \$DRV_${1}_PID | head -n 1"; }
wait_log p 10 '^state main-shard logging in'
pid=$(drv_pid p)
rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
wait_for 15 grep -q '^pongs ' "$TEST_TMP/p.srv"
grep -q '^pongs [0-9]* last last$' "$TEST_TMP/p.srv"
ok $? "the latest ping is answered ($(grep '^pongs' "$TEST_TMP/p.srv"))"
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
[ -n "$rss0" ] && [ -n "$hwm" ] && [ $((hwm - rss0)) -lt 2048 ]
ok $? "5 MB of pings grew the client by $(( (${hwm:-0} - ${rss0:-0}) / 1024 )) MB (< 2)"

# The server closes the WebSocket and keeps TCP open: what is sent then
# must not go out (RFC 6455 5.5.1).
script_start o closeopen || { ok 1 "the scripted server starts"; done_testing; }
STITCH_TOKEN=oauth:any driver_start o --url "ws://127.0.0.1:$PORT/" \
    --nick someone --duration 8000 --backoff-min 60000 alpha
wait_log o 10 '^join alpha ok'
ok $? "logged in and joined" || show_log o
wait_for 10 grep -q '^close 1000$' "$TEST_TMP/o.srv"
ok $? "the server's close frame is answered"
drv o "send alpha too late"
sleep 1
! grep -q "^after-close" "$TEST_TMP/o.srv"
ok $? "nothing is sent after it" || sed 's/^/# /' "$TEST_TMP/o.srv"

done_testing
