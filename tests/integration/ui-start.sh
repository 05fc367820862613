#!/bin/sh
# The terminal UI without a server: what a newcomer sees, /help, joining
# panes into a grid, focus keys, resize without a key press, /quit
# restoring the terminal, the layout surviving a restart, a bad config
# line reported with its file and line.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

# Nothing listens on port 9 of 127.0.0.1: no network, connections fail.
NONET="--server ws://127.0.0.1:9"

ui_start s1 120 40 -- $NONET
ui_wait s1 "Join a channel: type /join CHANNEL"
ok $? "a newcomer sees how to join"
ui_has s1 "To chat, log in"
ok $? "and how to log in"
ui_has s1 "[anonymous]"
ok $? "the status bar says anonymous"

ui_type s1 "/help"
ui_wait s1 "/quit - leave stitch"
ok $? "/help lists commands"
missing=""
for c in join part me clear search layout theme set help quit; do
	ui_has s1 "/$c " || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "/help lists every command (missing:${missing:- none})"

ui_type s1 "/join aaa"
ui_type s1 "/join bbb"
ui_type s1 "/join #CCC"
ui_type s1 "/layout grid"
ui_wait s1 "3 #ccc"
ok $? "joined channels get panes (name normalized)"
# The grid comes a moment after the third pane: wait for all three titles.
grid_all() { ui_has s1 "1 #aaa" && ui_has s1 "2 #bbb" && ui_has s1 "3 #ccc"; }
wait_for 10 grid_all
ok $? "grid shows every pane"
ui_lacks s1 "Welcome to stitch"
ok $? "the welcome pane made way for the channels"

# Alt+1, then Ctrl+N: the input prompt names the focused channel.
ui_keys s1 M-1
ui_wait s1 "[#aaa]"
ok $? "Alt+1 focuses the first pane"
ui_keys s1 C-n
ui_wait s1 "[#bbb]"
ok $? "Ctrl+N focuses the next"
ui_keys s1 M-Down
ui_wait s1 "[#ccc]"
ok $? "Alt+Down moves the focus to the pane below"
ui_keys s1 M-Up
wait_for 10 sh -c "$TMUX_BIN -L $UI_SOCK -f /dev/null capture-pane -p -t s1 | grep -q -e '^\[#aaa\]' -e '^\[#bbb\]'"
ok $? "Alt+Up moves it back up"

# Resize with no key press: the layout follows at once.
tm resize-window -t s1 -x 64 -y 20
wait_for 5 sh -c "[ \"\$($TMUX_BIN -L $UI_SOCK -f /dev/null display -p -t s1 '#{window_width}')\" = 64 ]"
ui_wait s1 "3 #ccc" && ui_has s1 "1 #aaa"
ok $? "after a resize every pane is still shown"
width_ok=$(ui_screen s1 | awk '{ if (length($0) > 64) bad = 1 } END { print bad ? 1 : 0 }')
[ "$width_ok" = 0 ]
ok $? "nothing drawn past the new width"

ui_type s1 "/theme light"
ui_wait s1 "theme: light"
ok $? "/theme switches live"
ui_type s1 "/theme nosuchtheme"
ui_wait s1 "/theme: no theme"
ok $? "an unknown theme is explained"

ui_type s1 "/quit"
ui_wait s1 "EXITED=0"
ok $? "/quit leaves with status 0"
ui_lacks s1 "[#"
ok $? "the terminal is restored (no UI left on screen)"

# The layout and channels come back on the next start.
ui_start s2 120 40 -- $NONET
ui_wait s2 "3 #ccc" && ui_has s2 "1 #aaa" && ui_has s2 "2 #bbb"
ok $? "the layout survives a restart"
grep -q '^layout grid' "$UI_HOME/state/stitch/layout"
ok $? "saved under XDG_STATE_HOME"
ui_keys s2 C-c
ui_wait s2 "press Ctrl+C again"
ok $? "one Ctrl+C asks for confirmation"
ui_keys s2 C-c
ui_wait s2 "EXITED=0"
ok $? "the second Ctrl+C quits"

# A bad config line is reported with file and line; the rest loads.
printf 'timestamps = %%H:%%M:%%S\nthis is not a setting\n' \
    > "$UI_HOME/config/stitch/config"
ui_start s3 120 40 -- $NONET --layout single
ui_wait s3 "config:2"
ok $? "a bad config line is shown with its file and line"
ui_type s3 "/quit"
ui_wait s3 "EXITED=0"
ok $? "quit again"

done_testing
