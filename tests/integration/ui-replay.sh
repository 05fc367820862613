#!/bin/bash
# stitch replay FILE in the chat client, in tmux: one pane per recorded
# channel with its lines in their recorded order and times, a replayed
# timeout dimming the line as live chat does, hostile text harmless, JSON
# Lines with their tags (a CLEARMSG by id), the status bar's "replay x
# SPEED" and its end, and typing refused as read-only.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

D=$top_srcdir/tests/data/plot
[ -f "$D/chat.tsv" ] && [ -f "$D/chat.jsonl" ] || skip_all "no recordings"
ESC=$(printf '\033')

# The row (1-based) of the first screen line holding TEXT.
row_of() { ui_screen "$1" | grep -n -F -- "$2" | head -1 | cut -d: -f1; }

ui_start r 120 24 -- replay "$D/chat.tsv" --speed 10
ui_wait r "replay x 10"
ok $? "the status bar says replay x 10"
ui_wait r "replay x 10: ended" 20
ok $? "and when the recording ended"
ui_has r "1:alpha" && ui_has r "2:beta"
ok $? "one pane per recorded channel, in the order they first spoke"
order=""
for t in "Ann: hello chat" "Bob: tab" "Evil:" "Dan subscribed" "bob was timed out"; do
	order="$order $(row_of r "$t")"
done
sorted=$(printf '%s\n' $order | sort -n | tr '\n' ' ')
[ "$(printf '%s\n' $order | wc -l)" = 5 ] && [ "$sorted" = "$(printf '%s ' $order)" ]
ok $? "#alpha's lines in their recorded order (rows$order)"
ui_has r "20:00 Ann: hello chat"
ok $? "lines carry their recorded time, not the time of the replay"
ui_has r "replay ended: 7 events, 0 bad lines skipped"
ok $? "the pane says how much was replayed"
ui_screen_e r | grep -F "Bob: tab" | grep -q "${ESC}\[38;5;242m"
ok $? "the replayed timeout dimmed bob's line, as live chat would"
ui_has r '␛[2J' && ! ui_screen_e r | grep -q "${ESC}\]0;"
ok $? "escape sequences in the recording are shown, not obeyed"
ui_type r "hello?"
ui_wait r "replay: read-only"
ok $? "typing says replay: read-only"
ui_keys r M-2
ui_wait r "* Cat waves"
ok $? "Alt+2: #beta has its action"
ui_has r "Ann: bye é❤"
ok $? "and its UTF-8 line"
ui_type r "/quit"
ui_wait r "EXITED=0"
ok $? "/quit leaves with status 0"

# JSON Lines: tags come along (ids, colours), so a CLEARMSG finds its line.
ui_start j 120 24 -- replay "$D/chat.jsonl" --speed 0
ui_wait j "replay, no waiting: ended" 20
ok $? "--speed 0 replays without waiting"
ui_has j "Ann: hello chat"
ok $? "the JSONL recording's lines are shown"
ui_has j "bob was timed out for 10m"
ok $? "its timeout keeps its length"
ui_type j "/quit"

# A moderator's deletion, recorded with the ids: the line shows deleted.
cat > "$TEST_TMP/del.jsonl" <<'EOF2'
{"time":"2026-11-24T20:00:00.000Z","channel":"gamma","kind":"privmsg","login":"ann","display_name":"Ann","text":"keep me","tags":{"id":"k1"}}
{"time":"2026-11-24T20:00:01.000Z","channel":"gamma","kind":"privmsg","login":"spam","display_name":"Spam","text":"buy followers","tags":{"id":"s1"}}
{"time":"2026-11-24T20:00:02.000Z","channel":"gamma","kind":"clearmsg","login":"spam","display_name":"","text":"buy followers","tags":{"login":"spam","target-msg-id":"s1"}}
EOF2
ui_start g 120 24 -- replay "$TEST_TMP/del.jsonl" --speed 0
ui_wait g "ended" 20
ui_has g "Spam: buy followers (deleted)" && ! ui_has g "keep me (deleted)"
ok $? "a recorded CLEARMSG deletes the line with that id, only that one"
ui_type g "/quit"

# A slow replay is still going: the status bar has no end yet.
ui_start s 120 24 -- replay "$D/chat.tsv" --speed 0.05
ui_wait s "replay x 0.05"
ok $? "a slow replay says its speed"
ui_lacks s "ended"
ok $? "and is not over after its first line"
ui_type s "/quit"
ui_wait s "EXITED=0"
ok $? "it can be left before the end"

ui_start m 120 24 -- replay "$TEST_TMP/missing.tsv"
ui_wait m "EXITED=1"
ok $? "a missing recording: exit 1"
grep -q "missing.tsv: No such file" "$TEST_TMP/m.err"
ok $? "and a message naming it"

! cat "$TEST_TMP"/*.err 2>/dev/null | grep -q -i -e 'sanitizer' -e 'runtime error'
ok $? "no sanitizer report from any stitch"

done_testing
