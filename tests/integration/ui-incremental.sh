#!/bin/bash
# Incremental drawing: under chat a following pane only moves its rows up
# and draws the new lines. What that leaves on screen must be exactly what
# drawing everything afresh gives (Ctrl+L), in a grid and in one pane,
# after a flood of simulated chat (wrapping, wide characters, colours),
# after a line is deleted, and after the panes are scrolled and back.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-chat-min.json"
[ -f "$SEED" ] || skip_all "no test seed"
fake_start "$SEED" --open-channels --chat-rate 0 ||
    { ok 1 "fake-twitch starts"; done_testing; }

# The panes' rows with their colours (the last two rows, status and
# input, hold a clock and are left out).
panes() { ui_screen_e "$1" | head -n "$(( $2 - 2 ))"; }

# same_after_redraw NAME HEIGHT LABEL
same_after_redraw() {
	sleep 0.5			# the last chat frame is out
	panes "$1" "$2" >"$TEST_TMP/inc.txt"
	ui_keys "$1" C-l
	sleep 0.5
	panes "$1" "$2" >"$TEST_TMP/full.txt"
	if cmp -s "$TEST_TMP/inc.txt" "$TEST_TMP/full.txt"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "incremental vs full redraw:"
		diff "$TEST_TMP/inc.txt" "$TEST_TMP/full.txt" | head -20 |
		    sed 's/^/#   /'
	fi
}

flood() {	# RATE SECONDS
	admin "chatrate $1" >/dev/null
	sleep "$2"
	admin "chatrate 0" >/dev/null
}

ui_start g 150 40 -- --server "$FAKE_URL" --layout grid inc1 inc2 inc3 inc4
ui_wait g "joined #inc4" 15
ok $? "four channels joined in a grid"
flood 150 3
ui_screen g | grep -c ": " >"$TEST_TMP/n"
[ "$(cat "$TEST_TMP/n")" -gt 8 ]
ok $? "the flood filled the panes ($(cat "$TEST_TMP/n") chat rows)"
same_after_redraw g 40 "grid: the incrementally drawn panes equal a full redraw"

reply=$(admin "say inc2 viewer_two a line to delete")
id=$(printf '%s\n' "$reply" | sed -n 's/.*id=\([^ ]*\).*/\1/p')
ui_wait g "a line to delete"
admin "say inc2 viewer_one a line after it" >/dev/null
ui_wait g "a line after it"
admin "raw inc2 @login=viewer_two;target-msg-id=$id;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARMSG #inc2 :a line to delete" >/dev/null
ui_wait g "a line to delete (deleted)"
ok $? "a deleted line is marked in place"
flood 100 1
same_after_redraw g 40 "grid: after a delete and more chat, equal to a full redraw"

ui_keys g PPage
sleep 0.3
flood 100 1
ui_keys g NPage NPage NPage
sleep 0.3
flood 100 1
same_after_redraw g 40 "grid: after scrolling back and following again, equal"

ui_start s 100 30 -- --server "$FAKE_URL" --layout single inc1 inc2
ui_wait s "joined #inc1" 15
ok $? "two channels in one pane"
flood 150 2
same_after_redraw s 30 "single: the incrementally drawn pane equals a full redraw"
done_testing
