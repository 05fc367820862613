#!/bin/bash
# ui-logfull.sh: chat logs on a full disk. stitch runs with a 2 KB file
# size limit (ulimit -f), as a full disk or a quota would stop it; once the
# channel's log cannot grow the pane says so once, logging stops there, and
# chat goes on as before.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-chat-min.json"
[ -f "$SEED" ] || skip_all "no test seed"
fake_start "$SEED" --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

cat >"$UI_HOME/config/stitch/config" <<EOF
log = on
log_dir = $TEST_TMP/logs
EOF
tm new-session -d -s s1 -x 120 -y 40 \
    "ulimit -f 2; $(ui_env) $STITCH --server $FAKE_URL logfull 2>>$TEST_TMP/s1.err; echo EXITED=\$?; sleep 600"
ui_wait s1 "joined #logfull" 15
ok $? "stitch joins #logfull with logging on"

# About 6 KB of chat: past the 2 KB limit.
i=0
while [ "$i" -lt 40 ]; do
	i=$((i + 1))
	echo "say logfull talker line $i of a chat that fills the log file with words"
done >"$TEST_TMP/cmds"
while read -r l; do admin "$l" >/dev/null; done <"$TEST_TMP/cmds"
ui_wait s1 "line 40 of a chat" 15
ok $? "all the chat arrives"
ui_wait s1 "cannot write the log of #logfull" 10
ok $? "the pane says the log cannot be written"
[ "$(ui_screen s1 | grep -c 'cannot write the log')" -eq 1 ]
ok $? "once"
admin "say logfull talker after the log stopped" >/dev/null
ui_wait s1 "talker: after the log stopped" 10
ok $? "chat goes on after logging stopped"
! ui_has s1 EXITED
ok $? "stitch is still running"
sz=$(wc -c <"$TEST_TMP/logs/logfull.log" 2>/dev/null || echo 0)
[ "$sz" -gt 0 ] && [ "$sz" -le 2048 ]
ok $? "the log holds what fitted ($sz bytes)"
ui_type s1 "/quit"
ui_wait s1 "EXITED=0" 10
ok $? "/quit leaves cleanly"
done_testing
