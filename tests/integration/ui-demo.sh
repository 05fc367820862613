#!/bin/sh
# ./bootstrap demo's script: fake-twitch with simulated chat and stitch on
# the seeded channels in a grid, offline, signed in to the fake as its
# demo moderator (Helix panels work); Ctrl+C twice ends both.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"
[ -x "$FAKE" ] || skip_all "fake-twitch is not built"

tm new-session -d -s demo -x 160 -y 45 \
    "env top_builddir=$top_builddir TMPDIR=$TEST_TMP sh $top_srcdir/tests/demo.sh 2>$TEST_TMP/demo.err; echo EXITED=\$?; sleep 600"
ui_wait demo "1 #" 15
ok $? "the demo opens stitch with panes"
ui_wait demo "[1/1 ready]" 15
ok $? "connected to the bundled fake server"
n=$(ui_screen demo | grep -c '^ *[0-9]* #[a-z0-9_]*\|│ [0-9]* #[a-z0-9_]*')
[ "$n" -ge 2 ]
ok $? "several channels in a grid ($n title rows)"
# Simulated chat arrives: a timestamped line from someone.
wait_for 15 sh -c "$TMUX_BIN -L $UI_SOCK -f /dev/null capture-pane -p -t demo | grep -q '[0-9][0-9]:[0-9][0-9] .*: '"
ok $? "simulated chat is shown"
ui_has demo "[modmarta]"
ok $? "no account needed: signed in to the fake as its demo moderator"
ui_wait demo "Helix: signed in as modmarta" 15
ok $? "Helix on the fake too"
ui_keys demo F2
ui_wait demo "chatters" 15 && ui_has demo "Helix"
ok $? "F2: the chatters panel, from the fake's Helix"
ui_keys demo F2
ui_keys demo C-c
ui_wait demo "press Ctrl+C again"
ok $? "Ctrl+C asks to confirm"
ui_has demo "[1/1 ready]"
ok $? "and the fake server is still up"
ui_keys demo C-c
ui_wait demo "EXITED=0"
ok $? "the second Ctrl+C ends the demo cleanly"
wait_for 10 sh -c "! ls -d $TEST_TMP/stitch-demo.* >/dev/null 2>&1"
ok $? "the demo cleaned up after itself (fake stopped, files gone)"

done_testing
