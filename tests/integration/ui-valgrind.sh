#!/bin/bash
# ui-valgrind.sh: about 30 s of the interactive client under valgrind, in
# tmux against fake-twitch: three channels in a grid with simulated chat,
# a line typed and sent, the chatters, moderators and stats panels and a
# user card opened and closed, a forced reconnect and an abrupt close,
# scrolling, /quit. valgrind must report no error and no definite leak.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind not found"
# ASan and valgrind cannot watch the same process (CI's sanitizer build).
! grep -q '^STITCH_CFLAGS = .*-fsanitize' "$top_builddir/Makefile" 2>/dev/null ||
    skip_all "stitch is built with sanitizers; valgrind needs a plain build"

SEED="$top_srcdir/tests/data/seed-chat-min.json"
[ -f "$SEED" ] || skip_all "no test seed"
fake_start "$SEED" --open-channels --chat-rate 30 --reconnect-grace 0.3 ||
    { ok 1 "fake-twitch starts"; done_testing; }
SUPP=$top_srcdir/tests/valgrind/stitch.supp
VG="valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --error-exitcode=99 --suppressions=$SUPP --log-file=$TEST_TMP/ui.vg"

tm new-session -d -s s1 -x 160 -y 45 \
    "$(ui_env) STITCH_TOKEN=tok-bob $VG $STITCH --server $FAKE_URL --nick bob --layout grid alice bob chan1 2>>$TEST_TMP/s1.err; echo EXITED=\$?; sleep 600"
ui_wait s1 "joined #chan1" 60
ok $? "stitch under valgrind joins three channels"
ui_type s1 "a line typed under valgrind"
admin "say alice carol hello @bob under valgrind" >/dev/null
ui_wait s1 "hello @bob under valgrind" 20
ok $? "chat arrives"
ui_keys s1 F2
ui_wait s1 "seen in chat" 20
ok $? "the chatters panel opens"
for k in F3 F4; do
	ui_keys s1 "$k"
	sleep 2
done
ui_type s1 "/user carol"
ui_wait s1 "carol" 20
sleep 1
ui_keys s1 Escape
sleep 1
ui_type s1 "/panel off"
ui_keys s1 PPage
sleep 1
ui_keys s1 NPage
admin "fault reconnect all" >/dev/null
sleep 4
admin "fault close all" >/dev/null
ui_wait s1 "ready" 30
sleep 8
admin "say chan1 someone after the faults" >/dev/null
ui_wait s1 "after the faults" 30
ok $? "still receiving after a RECONNECT and an abrupt close"
ui_type s1 "/quit"
ui_wait s1 "EXITED=" 60
ok $? "/quit ends it"
ui_has s1 "EXITED=0"
ok $? "exit status 0 (valgrind's 99 would mean errors or a definite leak)"
grep -q 'ERROR SUMMARY: 0 errors' "$TEST_TMP/ui.vg" &&
    ! grep -q 'definitely lost: [1-9]' "$TEST_TMP/ui.vg"
r=$?
ok $r "valgrind: no error, no definite leak"
[ $r -eq 0 ] || sed 's/^/# /' "$TEST_TMP/ui.vg" | tail -n 40
diag "$(sed -n 's/^==[0-9]*== *\(total heap usage:.*\)/\1/p; s/^==[0-9]*== *\(ERROR SUMMARY: [0-9]* errors\).*/\1/p' "$TEST_TMP/ui.vg" | tr '\n' ' ')"
done_testing
