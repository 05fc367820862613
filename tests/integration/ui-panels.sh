#!/bin/bash
# The side panels against fake-twitch, as a person sees them: chatters by
# group with counts and a filter typed into the panel, moderators, stats
# with a sparkline and "needs Helix" placeholders, a user card from /user,
# from Enter in the list and from a click on a nick, panes reflowing when
# the panel opens, closes and the terminal is resized, and a hostile
# display name shown harmless.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-chat-min.json"
[ -f "$SEED" ] || skip_all "no test seed"
fake_start "$SEED" --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

ESC=$(printf '\033')
BEL=$(printf '\007')
TS="tmi-sent-ts=1700000000000"

# msg LOGIN BADGES DISPLAY TEXT: a PRIVMSG in #alice with those tags.
msg() {
	admin "raw alice @badges=$2;display-name=$3;$TS :$1!$1@$1.tmi.twitch.tv PRIVMSG #alice :$4" >/dev/null
}

# The side panel alone: what is right of the last border on each row.
panel_screen() { ui_screen "$1" | sed -n 's/^.*│//p'; }
panel_has() { panel_screen "$1" | grep -F -q -- "$2"; }
panel_lacks() { ! panel_has "$1" "$2"; }
panel_wait() {
	if wait_for "${3:-10}" panel_has "$1" "$2"; then
		return 0
	fi
	diag "timed out waiting for '$2' in the panel of $1; the screen was:"
	ui_screen "$1" | sed 's/^/#   | /'
	return 1
}

# The row (1-based) of the first screen line holding TEXT, or nothing.
row_of() { ui_screen "$1" | grep -n -F -- "$2" | head -1 | cut -d: -f1; }

# click NAME X Y: a left click at 0-based (X, Y), as xterm reports one
# (ESC [ M button x+33 y+33, then the release).
click() {
	tm send-keys -t "$1" -H 1b 5b 4d 20 "$(printf '%x' $(($2 + 33)))" \
	    "$(printf '%x' $(($3 + 33)))" 1b 5b 4d 23 \
	    "$(printf '%x' $(($2 + 33)))" "$(printf '%x' $(($3 + 33)))"
}

ui_start p 120 32 -- --server "$FAKE_URL" --layout single alice
ui_wait p "joined #alice" 15
ok $? "stitch joined #alice"

# Who talks: the broadcaster, two moderators, a VIP who subscribes, a
# subscriber whose display name is not their login, and plain viewers who
# only JOIN or are NAMEd (an anonymous reader among them).
msg alice "broadcaster/1" Alice "welcome everyone"
msg carol "moderator/1" Carol "i am a mod"
msg zed "moderator/1" Zed "me too"
msg dave "vip/1,subscriber/12" Dave "vip here"
admin "say alice bob hello there" >/dev/null
admin "say alice bob second line from bob" >/dev/null
admin "raw alice :erin!erin@erin.tmi.twitch.tv JOIN #alice" >/dev/null
admin "raw alice :tmi.twitch.tv 353 justinfan1 = #alice :frank grace justinfan777" >/dev/null
msg carol "moderator/1" Carol "another mod line"
ui_wait p "another mod line"
ok $? "the chat lines arrived"

# Chatters.
ui_keys p F2
ui_wait p "Chatters #alice"
ok $? "F2 opens the chatters panel"
ui_has p "seen in chat"
ok $? "it says where its list comes from"
ui_has p "8 chatters"
ok $? "the total counts senders, JOIN and NAMES, not the anonymous reader"
ui_has p "broadcaster (1)" && ui_has p "moderators (2)" && ui_has p "VIPs (1)" &&
    ui_has p "subscribers (1)" && ui_has p "others (3)"
ok $? "each group has a heading with its count"
order=""
for n in "Alice" "Carol" "Zed" "Dave" "(bob)" " erin" " frank" " grace"; do
	order="$order $(panel_screen p | grep -n -F -- "$n" | head -1 | cut -d: -f1)"
done
sorted=$(printf '%s\n' $order | sort -n | tr '\n' ' ')
[ "$(printf '%s\n' $order | tr '\n' ' ')" = "$sorted" ] &&
    [ "$(printf '%s\n' $order | wc -l)" -eq 8 ]
ok $? "sorted broadcaster, mods, VIPs, subs, others, alphabetical inside (rows$order)"
panel_has p "Böb the Builder (bob)"
ok $? "a display name that is not the login shows both"
ui_lacks p "justinfan"
ok $? "anonymous readers are not listed"

# Typing filters while the panel has the keyboard.
tm send-keys -t p -l "ra"
ui_wait p "filter: ra"
ok $? "typed text shows on the filter line"
ui_wait p "2 of 8 chatters match"
ok $? "the count says how many match"
panel_has p " frank" && panel_has p " grace" && panel_lacks p "Carol"
ok $? "only the matching names are listed"
! ui_screen p | tail -1 | grep -q "ra"
ok $? "the typed text did not go to the input line"
ui_keys p BSpace BSpace
ui_wait p "8 chatters"
ok $? "Backspace widens the filter again"

# Enter on the selection opens its card (the first: the broadcaster).
ui_keys p Down Enter
ui_wait p "User #alice"
ok $? "Enter opens the selected chatter's card"
panel_has p "badges: moderator" && panel_has p "i am a mod"
ok $? "the card is the selected one's (Down moved to Carol)"
ui_keys p Escape
panel_wait p "Chatters #alice" && panel_lacks p "User #alice"
ok $? "Esc on the card goes back to the list"
# (Each Esc is waited out: Esc with a key right behind it is Alt+key.)
ui_keys p Escape
panel_wait p "F2: type to filter"
ok $? "Esc gives the keyboard back to the input line"

# PART takes a chatter out.
admin "raw alice :erin!erin@erin.tmi.twitch.tv PART #alice" >/dev/null
panel_wait p "7 chatters" && panel_lacks p "erin"
ok $? "a PART removes them from the list"

# Moderators.
ui_keys p F3
ui_wait p "Moderators #alice"
ok $? "F3 shows the moderators"
ui_has p "seen through badges" && ui_has p "2 moderators"
ok $? "labelled as seen through badges, with a count"
panel_has p "⚔ Carol" && panel_has p "⚔ Zed" && panel_lacks p "Dave"
ok $? "the moderators and no one else"

# Stats.
ui_keys p F4
ui_wait p "Stats #alice"
ok $? "F4 shows the channel stats"
panel_screen p | grep -q "messages/min: [1-9]"
ok $? "messages per minute are counted"
panel_has p "last hour: 7 lines"
ok $? "the hour holds the 7 lines"
panel_has p "unique chatters, 5 min: 5"
ok $? "five people spoke in the last 5 minutes"
panel_has p "█"
ok $? "the sparkline has a full bar for this minute"
panel_has p "modes: followers 10m"
ok $? "room modes"
for m in "slow 30" "subs-only 1" "emote-only 1" "r9k 1"; do
	admin "roomstate alice $m" >/dev/null
done
panel_wait p "modes: slow 30s subs emote r9k" && panel_has p "  followers 10m"
ok $? "five modes wrap onto a second row"
for m in "slow 0" "subs-only 0" "emote-only 0" "r9k 0"; do
	admin "roomstate alice $m" >/dev/null
done
panel_wait p "modes: followers 10m"
ui_has p "lines stored:"
ok $? "lines stored"
ui_has p "live: needs Helix" && ui_has p "title: needs Helix" &&
    ui_has p "viewers: needs Helix" && ui_has p "followers: needs Helix"
ok $? "live, title, viewers, followers wait for the REST layer"

# The user card from /user.
ui_type p "/user Carol"
ui_wait p "User #alice"
ok $? "/user opens a card"
panel_has p "badges: moderator" && panel_has p "messages: 2"
ok $? "with badges and the message count"
panel_has p "first seen" && panel_has p "last seen"
ok $? "first and last seen"
panel_has p "i am a mod" && panel_has p "another mod line"
ok $? "and the user's recent lines"
panel_lacks p "me too"
ok $? "and no one else's"
ui_keys p Escape
panel_wait p "Stats #alice" && panel_lacks p "User #alice"
ok $? "Esc closes it, back to the panel it covered"
ui_type p "/panel off"
wait_for 5 ui_lacks p "Stats #alice"
ok $? "/panel off closes the panel"
ui_type p "/user no-such-login!"
ui_wait p "not a Twitch login"
ok $? "/user with a bad name says why"

# The panes reflow: a 100-column line fits on one row without the panel,
# and wraps with it.
long="wide-start-$(printf 'x%.0s' $(seq 1 80))-wide-end"
admin "say alice frank $long" >/dev/null
ui_wait p "wide-end"
ui_has p "wide-start-xxx" && ui_screen p | grep -q "wide-start.*wide-end"
ok $? "without a panel a long line fits on one row"
ui_type p "/chatters"
panel_wait p "Chatters #alice"
wait_for 5 sh -c "! $TMUX_BIN -L $UI_SOCK -f /dev/null capture-pane -p -t p | grep -q 'wide-start.*wide-end'"
ok $? "with the panel open the pane is narrower and the line wraps"
ui_keys p Escape
panel_wait p "F2: type to filter"
ui_keys p F2
panel_wait p "filter:"
ok $? "F2 on the open list gives it the keyboard again"
ui_keys p F2
wait_for 5 ui_lacks p "Chatters #alice"
ok $? "F2 on the list with the keyboard closes it"
wait_for 5 sh -c "$TMUX_BIN -L $UI_SOCK -f /dev/null capture-pane -p -t p | grep -q 'wide-start.*wide-end'"
ok $? "and the pane takes the width back"

# A click on a nick opens that user's card.
msg plainuser "" plainuser "click my name"
ui_wait p "plainuser: click my name"
y=$(row_of p "plainuser: click my name")
click p 8 $((y - 1))
ui_wait p "User #alice"
ok $? "a click on a nick opens a card"
panel_has p " plainuser" && panel_has p "badges: none"
ok $? "the card of the nick clicked"
ui_keys p Escape
wait_for 5 ui_lacks p "User #alice"
click p 1 $((y - 1))
ui_type p "/panel"		# keys are taken in order: once its answer
ui_wait p "usage: /panel"	# shows, the click was handled
ui_lacks p "User #alice"
ok $? "a click on the timestamp opens nothing"

# A click on a name in the list.
ui_keys p F2
panel_wait p "Chatters #alice"
ui_keys p Escape
panel_wait p "F2: type to filter"
panel_wait p "⚔ Zed"
y=$(ui_screen p | grep -n -F "│ ⚔ Zed" | head -1 | cut -d: -f1)
x=$(ui_screen p | sed -n "${y}p" | sed 's/│.*//' | wc -m)
click p $((x + 3)) $((y - 1))
panel_wait p "User #alice" && panel_wait p "messages: 1"
ok $? "a click on a name in the list opens its card"
ui_keys p Escape

# Resize with the panel open.
panel_wait p "Chatters #alice"
tm resize-window -t p -x 70 -y 24
wait_for 5 sh -c "[ \"\$($TMUX_BIN -L $UI_SOCK -f /dev/null display -p -t p '#{window_width}')\" = 70 ]"
ui_wait p "Chatters #alice" && ui_wait p "wide-end"
ok $? "after a resize the panel and the chat are both drawn"
line=$(ui_screen p | grep -F "Chatters #alice")
[ "${line%%│*}" != "$line" ] && [ "$(printf '%s' "${line%%│*}" | wc -m)" -lt 50 ]
ok $? "the panes reflowed to the narrower terminal"
tm resize-window -t p -x 40 -y 24
wait_for 5 ui_lacks p "Chatters #alice" && ui_wait p "wide-end"
ok $? "too narrow for a panel: it steps aside"
tm resize-window -t p -x 120 -y 32
ui_wait p "Chatters #alice"
ok $? "and comes back when there is room"

# A hostile display name: escapes in the panel and the card are symbols.
admin "raw alice @display-name=Ev${ESC}[41mil${BEL};$TS :evil!evil@evil.tmi.twitch.tv PRIVMSG #alice :${ESC}]0;pwned${BEL}hi" >/dev/null
panel_wait p "(evil)"
ok $? "a hostile display name is listed"
panel_has p "Ev$(printf '\342\220\233')[41mil"
ok $? "its ESC shows as a visible symbol"
ui_keys p Escape
panel_wait p "F2: type to filter"
ui_type p "/user evil"
ui_wait p "User #alice"
ui_screen_e p > "$TEST_TMP/esc.txt"
! grep -q "${ESC}\[41m\|${ESC}\]0;\|$BEL" "$TEST_TMP/esc.txt"
ok $? "no escape sequence from the name reaches the terminal"
title=$(tm display -p -t p '#{pane_title}')
[ "$title" != pwned ]
ok $? "the terminal title was not changed (it is '$title')"

# A key bound in the config opens a panel too.
ui_type p "/quit"
ui_wait p "EXITED=0"
ok $? "/quit with a panel open"
printf 'bind.f6 = /stats\n' > "$UI_HOME/config/stitch/config"
ui_start q 120 30 -- --server "$FAKE_URL" --layout grid alice bob
ui_wait q "joined #alice" 15 && ui_wait q "joined #bob" 15
ui_keys q F6
panel_wait q "Stats #alice"
ok $? "bind.f6 = /stats in the config opens the stats"
admin "say bob dave a line in bob" >/dev/null
ui_wait q "a line in bob"
ui_keys q M-2
panel_wait q "Stats #bob" && panel_wait q "last hour: 1 line"
ok $? "the panel follows the focused pane"

done_testing
