#!/bin/bash
# The terminal UI against fake-twitch, asserting what a person sees: chat
# in a grid of panes, a hostile line made harmless, a deleted line, a
# timed-out user's lines dimmed, scrolling with "more below", search,
# resize, an anonymous send refused with a reason, and a line typed in one
# stitch showing up in another.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-chat-min.json"
[ -f "$SEED" ] || skip_all "no test seed"
fake_start "$SEED" --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

ui_start s1 160 48 -- --server "$FAKE_URL" --layout grid uitest1 uitest2
ui_wait s1 "joined #uitest2" 15 && ui_has s1 "joined #uitest1"
ok $? "both channels joined, each in its pane"
ui_has s1 "1 #uitest1" && ui_has s1 "2 #uitest2"
ok $? "pane titles name the channels"
# Reading anonymously makes no Helix request: libcurl (about 3 MB resident
# with what it brings) is never loaded.
ui_pid s1 >/dev/null && [ -r "/proc/$(ui_pid s1)/maps" ] && ! ui_maps_has s1 libcurl.so
ok $? "an anonymous session does not load libcurl"

admin "say uitest1 viewer_one hello from the fake" >/dev/null
ui_wait s1 "viewer_one: hello from the fake"
ok $? "a chat line shows in its pane"

# A hostile line: escape sequences in the text and in the display name.
ESC=$(printf '\033')
BEL=$(printf '\007')
admin "raw uitest1 @display-name=Ev${ESC}[41mil;color=#FF0000;tmi-sent-ts=1700000000000 :evil!evil@evil.tmi.twitch.tv PRIVMSG #uitest1 :${ESC}[2J${ESC}]0;pwned${BEL}boom ${ESC}[5mblink" >/dev/null
ui_wait s1 "boom"
ok $? "the hostile line is shown"
ui_has s1 "$(printf '\342\220\233')[2J"
ok $? "its ESC is shown as a visible symbol"
ui_screen_e s1 > "$TEST_TMP/esc.txt"
! grep -q "${ESC}\[2J\|${ESC}\]0;\|${ESC}\[5m\|${ESC}\[41m\|$BEL" "$TEST_TMP/esc.txt"
ok $? "no escape sequence from chat reaches the terminal"
title=$(tm display -p -t s1 '#{pane_title}')
[ "$title" != pwned ]
ok $? "the pane title was not changed by chat (it is '$title')"

# CLEARMSG: the line stays, marked deleted.
reply=$(admin "say uitest1 viewer_two please delete me")
id=$(printf '%s\n' "$reply" | sed -n 's/.*id=\([^ ]*\).*/\1/p')
ui_wait s1 "please delete me"
admin "raw uitest1 @login=viewer_two;target-msg-id=$id;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARMSG #uitest1 :please delete me" >/dev/null
ui_wait s1 "please delete me (deleted)"
ok $? "a deleted message is marked, not silently removed (id $id)"

# CLEARCHAT with a duration: a notice, and that user's lines dimmed.
admin "say uitest1 viewer_three first annoying line" >/dev/null
admin "say uitest1 viewer_four an innocent line" >/dev/null
ui_wait s1 "an innocent line"
admin "raw uitest1 @ban-duration=600;target-user-id=9999;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #uitest1 :viewer_three" >/dev/null
ui_wait s1 "viewer_three was timed out for 10m"
ok $? "a timeout shows a notice"
dim=$(ui_screen_e s1 | grep -F "first annoying line" | head -1)
inn=$(ui_screen_e s1 | grep -F "an innocent line" | head -1)
case $dim in *"38;5;242m"*) d=0 ;; *) d=1 ;; esac
ok $d "the timed-out user's line is drawn dimmed"
case $inn in *"38;5;242m"*) d=1 ;; *) d=0 ;; esac
ok $d "other users' lines are not"

# A whole-chat clear is shown, not executed.
admin "raw uitest1 @tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #uitest1" >/dev/null
ui_wait s1 "chat was cleared by a moderator"
ok $? "a chat clear is announced"
ui_has s1 "an innocent line"
ok $? "and the lines stay"

# Scrollback in the focused pane (uitest2).
ui_keys s1 M-2
for i in $(seq 1 60); do
	admin "say uitest2 scroller line$i-end" >/dev/null
done
ui_wait s1 "line60-end"
ok $? "sixty lines arrived"
ui_lacks s1 "line5-end"
ok $? "the oldest are out of view"
ui_keys s1 PPage
ui_keys s1 PPage
ui_wait s1 "more below"
ok $? "PgUp scrolls back and says how much is below"
ui_lacks s1 "line60-end"
ok $? "the newest line is below the view"
admin "say uitest2 scroller while-scrolled-end" >/dev/null
sleep 0.3
ui_lacks s1 "while-scrolled-end"
ok $? "new chat does not move a scrolled pane"
for i in 1 2 3 4 5; do ui_keys s1 NPage; done
ui_wait s1 "while-scrolled-end" && ui_lacks s1 "more below"
ok $? "PgDn to the bottom resumes following"

# Search.
ui_type s1 "/search line7-end"
ui_wait s1 "found"
ok $? "/search finds an older line"
ui_has s1 "line7-end"
ok $? "and shows it"
ui_keys s1 Escape
ui_wait s1 "while-scrolled-end"
ok $? "Esc goes back to the newest line"

# Resize: long lines rewrap at once.
long="start-of-a-long-line $(printf 'word%s ' $(seq 1 30))end-of-long-line"
admin "say uitest2 talker $long" >/dev/null
ui_wait s1 "end-of-long-line"
tm resize-window -t s1 -x 70 -y 30
wait_for 5 sh -c "[ \"\$($TMUX_BIN -L $UI_SOCK -f /dev/null display -p -t s1 '#{window_width}')\" = 70 ]"
ui_wait s1 "end-of-long-line" && ui_has s1 "start-of-a-long-line"
ok $? "after a resize the long line is rewrapped whole"

# Sending while anonymous is refused with a reason.
ui_type s1 "hello?"
ui_wait s1 "Log in to chat"
ok $? "an anonymous send says how to log in"
ui_type s1 "/quit"
ui_wait s1 "EXITED=0"
ok $? "/quit"

# Two logged-in stitches: what one types, the other shows.
# The first seeded token with chat:edit, and its login.
tokline=$(grep '"token"' "$SEED" | grep 'chat:edit' | head -1)
TOKEN_A=$(printf '%s\n' "$tokline" | sed -n 's/.*"token"[ ]*:[ ]*"\([^"]*\)".*/\1/p')
LOGIN_A=$(printf '%s\n' "$tokline" | sed -n 's/.*"login"[ ]*:[ ]*"\([^"]*\)".*/\1/p')
if [ -n "$TOKEN_A" ] && [ -n "$LOGIN_A" ]; then
	rm -f "$UI_HOME/state/stitch/layout"
	ui_start a 120 30 "STITCH_TOKEN=$TOKEN_A" -- --server "$FAKE_URL" \
	    --nick "$LOGIN_A" --layout single uitest3
	ui_start b 120 30 -- --server "$FAKE_URL" --layout single uitest3
	ui_wait a "joined #uitest3" 15 && ui_wait b "joined #uitest3" 15
	ok $? "two stitches joined"
	ui_type a "typed in stitch a"
	ui_wait b "typed in stitch a"
	ok $? "a line typed in one stitch shows in the other"
	ui_wait a "typed in stitch a" && ui_lacks a "(sending"
	ok $? "the sender sees it sent"

	# A second channel, not on screen: its lines count in the hotlist
	# (drawn at a calmer pace than chat on screen), mentions stand out.
	ui_type a "/join uitest4"
	ui_wait a "[#uitest4]"
	ui_keys a M-1
	ui_wait a "[#uitest3]"
	admin "say uitest4 viewer_one first off-screen line" >/dev/null
	admin "say uitest4 viewer_two second off-screen line" >/dev/null
	ui_wait a "2:uitest4(2)"
	ok $? "lines in a pane not on screen count in the hotlist"
	admin "say uitest4 viewer_three hey $LOGIN_A look" >/dev/null
	ui_wait a "2:uitest4(1!)"
	ok $? "a mention there stands out in the hotlist"
	ui_lacks a "first off-screen line"
	ok $? "and its lines stay off screen"
else
	diag "no token in $SEED: two-stitch test skipped"
fi

done_testing
