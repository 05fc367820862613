#!/bin/bash
# Helix in the chat client, as a person sees it in tmux, against
# fake-twitch over http: a moderator's panels filled from Helix (chatters
# who never spoke, label Helix; stats live, title, viewers, followers), the
# user card's account and follow dates and its confirmed keys, /timeout,
# /ban, /unban, /delete and /slow taking effect in chat (CLEARCHAT and
# CLEARMSG from the fake dim and delete the lines), a missing scope and a
# 429 shown while chat keeps flowing, the cache sparing requests on a
# second start, a non-moderator's fallback to what chat shows, and no
# login at all.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-helix.json"
[ -f "$SEED" ] || skip_all "no Helix seed"
fake_start "$SEED" || { ok 1 "fake-twitch starts"; done_testing; }
HTTP=$(sed -n 's/^http=//p' "$TEST_TMP/ports")
HELIX="http://127.0.0.1:$HTTP/helix"
ESC=$(printf '\033')

# requests PATH: how many Helix requests the fake counted for PATH.
requests() {
	admin http-stats | sed -n "s|^stat http path=/helix/$1 method=[A-Z]* requests=||p" |
	    awk '{ n += $1 } END { print n + 0 }'
}
# The side panel alone: what is right of the last border on each row.
panel_has() { ui_screen "$1" | sed -n 's/^.*│//p' | grep -F -q -- "$2"; }
panel_wait() {
	if wait_for "${3:-10}" panel_has "$1" "$2"; then
		return 0
	fi
	diag "timed out waiting for '$2' in the panel of $1; the screen was:"
	ui_screen "$1" | sed 's/^/#   | /'
	return 1
}
# as NAME LOGIN TOKEN [ARGS...]: stitch as LOGIN in #alice with Helix.
as() {
	_n=$1 _l=$2 _t=$3
	shift 3
	ui_start "$_n" 140 40 STITCH_TOKEN="$_t" \
	    TWITCH_CLIENT_ID=stitch-test-client \
	    XDG_CACHE_HOME="$UI_HOME/cache" -- --server "$FAKE_URL" \
	    --helix "$HELIX" --nick "$_l" --layout single "$@" alice
}
say() { admin "say alice $1 $2" >/dev/null; }

# --- a moderator: carol ---
as c carol tok-carol
ui_wait c "joined #alice" 15
ok $? "carol joined #alice"
ui_wait c "Helix: signed in as carol"
ok $? "Helix validated the token at start and says whose it is"
ui_maps_has c libcurl.so
ok $? "libcurl was loaded for Helix"

ui_keys c F2
panel_wait c "2504 chatters" 15
ok $? "the chatters panel counts every page of Helix's 2504 chatters"
panel_has c "Helix"
ok $? "the list says it comes from Helix"
panel_has c "Viewer00001" && panel_has c "dave"
ok $? "people who never spoke in chat are listed"
chatters=$(requests chat/chatters)
[ "$chatters" -ge 3 ] && [ "$chatters" -le 5 ]
ok $? "one probe and three pages of 1000 (requests: $chatters)"

ui_keys c F4
panel_wait c "live: yes"
ok $? "F4: the stats say the channel is live"
panel_has c "title: Any% practice" && panel_has c "viewers: 2504" &&
    panel_has c "game: Celeste" && panel_has c "followers: 153"
ok $? "title, game, viewers and the follower total from Helix"
panel_has c "uptime: "
ok $? "an uptime for the live stream"
ui_keys c F4
wait_for 5 ui_lacks c "Stats #alice"

# Moderation through Helix; the fake tells chat, chat tells the pane.
say bob "hello from bob"
say dave "a line to delete"
ui_wait c "a line to delete"
ok $? "bob and dave spoke"
bob_before=$(ui_screen_e c | grep -F "hello from bob" | sed 's/│.*//')
ui_type c "/timeout bob 600 calm down"
ui_wait c "/timeout: bob is timed out for 600 s in #alice"
ok $? "/timeout confirms"
ui_wait c "bob was timed out"
ok $? "the fake's CLEARCHAT reached the pane"
bob_after=$(ui_screen_e c | grep -F "hello from bob" | sed 's/│.*//')
[ -n "$bob_after" ] && [ "$bob_after" != "$bob_before" ] &&
    printf '%s' "$bob_after" | grep -q "${ESC}\[38;5;242m"
ok $? "bob's line is drawn dimmed (the theme's grey) after the timeout"
ui_type c "/delete dave"
ui_wait c "/delete: the message is deleted"
ok $? "/delete USER confirms"
ui_wait c "a line to delete (deleted)"
ok $? "the fake's CLEARMSG marked dave's line deleted"
ui_type c "/ban erin spam"
ui_wait c "/ban: erin is banned from #alice"
ok $? "/ban confirms"
ui_wait c "erin was banned"
ok $? "the ban reached chat"
ui_type c "/ban erin"
ui_wait c "/ban: Twitch: user is already banned"
ok $? "banning again: Twitch's reason in the pane"
ui_type c "/unban erin"
ui_wait c "/unban: erin may chat in #alice again"
ok $? "/unban confirms"
ui_type c "/slow 30"
ui_wait c "/slow: slow mode on: one line per 30 s"
ok $? "/slow confirms"
ui_wait c "slow 30"
ok $? "the room's modes show slow mode from the fake's ROOMSTATE"
ui_type c "/slowoff"
ui_wait c "/slowoff: slow mode off"
ok $? "/slowoff confirms"
ui_type c "/color hot_pink"
ui_wait c "user:manage:chat_color"
ok $? "/color without the scope names the scope it needs"
ui_type c "/followers 5"
ui_wait c "/followers: followers-only chat on (followed 5 min ago or more)"
ok $? "/followers MINUTES confirms"
ui_wait c "followers 5m"
ok $? "and the room shows it"
ui_type c "/w bob psst"
ui_wait c "/w: needs the user:manage:whispers scope"
ok $? "a missing scope: what to do, in the pane"
ui_type c "/timeout bob soon"
ui_wait c "usage: /timeout USER SECONDS"
ok $? "a bad number: the usage"

# The user card.
ui_type c "/user bob"
panel_wait c "created 2018-07-15"
ok $? "the card has the account's creation date"
panel_has c "follows since 2024-06-01"
ok $? "and the follow date (a moderator may see it)"
panel_has c "t timeout  b ban  d delete" && panel_has c "Up/Down: which line"
ok $? "a moderator's card offers its keys"
before=$(requests moderation/bans)
ui_keys c b
panel_wait c "ban: bob? y/n"
ok $? "b asks first"
ui_keys c n
panel_wait c "t timeout  b ban"
[ "$(requests moderation/bans)" = "$before" ]
ok $? "n: nothing was sent"
ui_keys c t
panel_wait c "time out for 600 s: bob? y/n"
ui_keys c y
ui_wait c "/timeout: bob is timed out for 600 s"
ok $? "t then y times bob out for 600 s"
say bob "bob again"
ui_wait c "bob again"
panel_wait c "bob again"
ui_keys c Up
ui_keys c d
ui_keys c y
ui_wait c "hello from bob (deleted)"
ok $? "Up selects bob's older line, d then y deletes it"
ui_lacks c "bob again (deleted)"
ok $? "and only that one"
ui_keys c Down
ui_keys c d
panel_wait c "delete the selected line of bob? y/n"
ui_keys c y
ui_wait c "bob again (deleted)"
ok $? "Down back to the newest, d then y deletes it"
ui_keys c Escape
wait_for 5 ui_lacks c "User #alice"

# Trouble: Helix answers 429 for a while, chat goes on.
admin "helix-fault 40 429" >/dev/null
ui_type c "/emoteonly"
ui_wait c "/emoteonly: Helix rate limit reached" 30
ok $? "a 429 that does not pass: the pane says so"
ui_type c "/join carol"
ui_wait c "joined #carol" 15
ui_keys c F4
panel_wait c "live: Helix rate limit reached" 30
ok $? "the stats panel shows the 429 in place of the values"
ui_keys c F4
ui_keys c M-1
ui_wait c "/emoteonly: Helix rate limit reached"
say bob "chat still flows"
ui_wait c "chat still flows"
ok $? "chat kept flowing"
admin "helix-fault 0 429" >/dev/null
ui_type c "/emoteonly"
ui_wait c "/emoteonly: emote-only on"
ok $? "once Helix answers again, the next command goes through"
ui_type c "/emoteonlyoff"
ui_wait c "/emoteonlyoff: emote-only off"

# The cache: a second start asks Helix again only for what expired.
ui_type c "/quit"
ui_wait c "EXITED=0"
ok $? "/quit ends stitch"
streams=$(requests streams)
users=$(requests users)
as c2 carol tok-carol
ui_wait c2 "joined #alice" 15
ui_keys c2 F4
panel_wait c2 "viewers: 2504"
ok $? "the stats again after a restart"
[ "$(requests streams)" = "$streams" ] && [ "$(requests users)" -le $((users + 1)) ]
ok $? "from the cache: no new streams request, no new user lookup but whoami (streams $streams -> $(requests streams), users $users -> $(requests users))"
ls "$UI_HOME/cache/stitch" >/dev/null 2>&1
ok $? "the cache lives under XDG_CACHE_HOME"
ui_type c2 "/quit"
ui_wait c2 "EXITED=0"

# --- a VIP who is no moderator: dave ---
as d dave tok-dave
ui_wait d "joined #alice" 15
ui_wait d "only the broadcaster or a moderator can list chatters"
ok $? "a non-moderator is told why the panels show chat"
ui_keys d F2
panel_wait d "seen in chat"
ok $? "the chatters panel falls back to who was seen in chat"
ui_keys d F2
ui_type d "/ban bob"
ui_wait d "/ban: only the broadcaster or a moderator can ban"
ok $? "a non-moderator's /ban: Helix's refusal in words"
ui_type d "/user bob"
panel_wait d "created 2018-07-15"
panel_has d "follow: only the broadcaster and"
ok $? "the card says the follow date is not the VIP's to see"
! panel_has d "t timeout"
ok $? "and offers no moderator keys"
ui_type d "/quit"

# --- no login ---
ui_start a 120 30 -- --server "$FAKE_URL" --helix "$HELIX" --layout single alice
ui_wait a "joined #alice" 15
ui_type a "/timeout bob 10"
ui_wait a "/timeout needs a login: run stitch login"
ok $? "without a token the moderation commands say how to log in"
ui_keys a F2
panel_wait a "seen in chat"
ok $? "and the panels stay chat-only"

# A token but no client id: Helix is off, and the pane says why.
ui_start n 140 30 STITCH_TOKEN=tok-carol -- --server "$FAKE_URL" \
    --helix "$HELIX" --nick carol --layout single alice
ui_wait n "Helix is off"
ui_has n "needs a client id: set client_id in the config or"
ok $? "a token without a client id: Helix is off and the pane says what to set"
ui_type n "/ban bob"
ui_wait n "/ban needs a client id"
ok $? "and the commands say it again"
ui_type n "/quit"

# /help lists the commands.
ui_keys a F2
ui_type a "/help ban"
ui_wait a "/ban USER [REASON]"
ok $? "/help knows /ban"

! grep -r -q -e 'tok-[a-z]' "$TEST_TMP"/*.err
ok $? "no token in stitch's stderr"
for s in a d n; do ui_screen "$s"; done | grep -q 'tok-[a-z]'
[ $? != 0 ]
ok $? "no token on screen"

! cat "$TEST_TMP"/*.err 2>/dev/null | grep -q -i -e 'sanitizer' -e 'runtime error'
ok $? "no sanitizer report from any stitch"

done_testing
