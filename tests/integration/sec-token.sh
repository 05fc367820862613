#!/bin/bash
# sec-token.sh: the token never shows. stitch runs logged in (token from
# STITCH_TOKEN, and from a token file) in the UI with chat logs on and in
# `stitch tail`; every screen capture, log, stderr, the fake's own log and
# the process's argv are searched for the token, and none may hold it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-chat-min.json"
[ -f "$SEED" ] || skip_all "no test seed"
fake_start "$SEED" --open-channels || { ok 1 "fake-twitch starts"; done_testing; }
TOKEN=tok-bob

cat >"$UI_HOME/config/stitch/config" <<EOF
log = on
log_dir = $TEST_TMP/logs
EOF

ui_start s1 120 40 STITCH_TOKEN=$TOKEN -- --server "$FAKE_URL" --nick bob alice
ui_wait s1 "joined #alice" 15
ok $? "stitch logs in as bob and joins #alice"
ui_type s1 "hello from bob, who keeps his token"
admin "say alice carol hi @bob, what is your token?" >/dev/null
ui_wait s1 "what is your token"
ok $? "chat flows both ways"
ui_type s1 "/help"
ui_type s1 "/set nick bob"
sleep 0.5
ui_screen_e s1 >"$TEST_TMP/screen1"
pid=$(ui_pid s1)
if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ]; then
	tr '\0' ' ' <"/proc/$pid/cmdline" >"$TEST_TMP/cmdline"
	! grep -q -- "$TOKEN" "$TEST_TMP/cmdline"
	ok $? "not in argv: $(cat "$TEST_TMP/cmdline")"
else
	skip "no /proc to read argv from"
fi
ui_type s1 "/quit"
ui_wait s1 "EXITED=0" 10
ok $? "/quit leaves cleanly"
ui_screen_e s1 >"$TEST_TMP/screen2"

# The token from a file, in the headless mode.
printf 'oauth:%s\n' "$TOKEN" >"$TEST_TMP/tokfile"
chmod 600 "$TEST_TMP/tokfile"
env -u STITCH_TOKEN HOME="$UI_HOME" XDG_CONFIG_HOME="$UI_HOME/config" \
    timeout 20 "$STITCH" tail --server "$FAKE_URL" --nick bob \
    --token-file "$TEST_TMP/tokfile" --count 1 alice \
    >"$TEST_TMP/tail.out" 2>"$TEST_TMP/tail.err" &
tpid=$!
wait_for 10 grep -q 'ready' "$TEST_TMP/tail.err"
admin "say alice carol one line for the tail" >/dev/null
wait "$tpid"
ok $? "stitch tail with a token file logs in and exits after one line"
grep -q 'logged in as bob' "$TEST_TMP/fake.err"
ok $? "the fake saw bob log in (so a token was really used)"

: >"$TEST_TMP/hits"
for f in "$TEST_TMP"/screen* "$TEST_TMP"/*.err "$TEST_TMP/tail.out" \
    $(find "$TEST_TMP/logs" "$UI_HOME" -type f 2>/dev/null); do
	[ -f "$f" ] || continue
	case $f in */tokfile) continue ;; esac
	grep -l -a -- "$TOKEN" "$f" >>"$TEST_TMP/hits"
done
[ ! -s "$TEST_TMP/hits" ]
ok $? "no screen, log, stderr or file holds the token ($(wc -l <"$TEST_TMP/hits") hits)"
[ -s "$TEST_TMP/hits" ] && sed 's/^/# in: /' "$TEST_TMP/hits"
find "$TEST_TMP/logs" -type f 2>/dev/null | grep -q .
ok $? "chat logs were written (and searched)"
done_testing
