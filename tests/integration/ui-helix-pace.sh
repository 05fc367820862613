#!/bin/bash
# Fifty panes and one Helix budget, in tmux against fake-twitch: only the
# focused pane's open panel asks Helix, a closed panel asks nothing, a
# refresh waits while Helix says the bucket is nearly empty (a command
# still goes through), and resumes once it is not.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/ui-lib.sh"

SEED="$top_srcdir/tests/data/seed-helix.json"
[ -f "$SEED" ] || skip_all "no Helix seed"
fake_start "$SEED" --open-channels || { ok 1 "fake-twitch starts"; done_testing; }
HTTP=$(sed -n 's/^http=//p' "$TEST_TMP/ports")

# All Helix requests the fake counted, or those for one PATH.
requests() {
	admin http-stats | sed -n "s|^stat http path=/helix/${1:-[^ ]*} method=[A-Z]* requests=||p" |
	    awk '{ n += $1 } END { print n + 0 }'
}
panel_has() { ui_screen "$1" | sed -n 's/^.*│//p' | grep -F -q -- "$2"; }

chans="alice bob carol"
for i in $(seq -w 1 47); do chans="$chans chan$i"; done
ui_start p 140 40 STITCH_TOKEN=tok-alice TWITCH_CLIENT_ID=stitch-test-client \
    XDG_CACHE_HOME="$UI_HOME/cache" \
    STITCH_CACHE=none -- --server "$FAKE_URL" \
    --helix "http://127.0.0.1:$HTTP/helix" --nick alice --layout tabs $chans
ui_wait p "Helix: signed in as alice" 15
ok $? "alice in 50 channels, Helix validated"
ui_keys p M-1
ui_wait p "joined #alice" 20
ui_keys p F4
wait_for 10 panel_has p "viewers: 2504"
ok $? "the stats of the focused pane, from Helix"
sleep 3
[ "$(requests streams)" = 1 ]
ok $? "one streams request for 50 panes (got $(requests streams))"
n=$(requests)
[ "$n" -le 6 ]
ok $? "Helix was asked $n times in all: whoami, the channel's id, its stream and follower total"
ui_keys p F3
wait_for 10 panel_has p "1 moderator"
ok $? "F3: the broadcaster's moderators from Helix"
panel_has p "carol" && panel_has p "Helix"
ok $? "carol, who never spoke, labelled Helix"
ui_keys p F3
before=$(requests)
sleep 3
[ "$(requests)" = "$before" ]
ok $? "with the panel closed, nothing more is asked"

# The bucket nearly empty (3 points a minute): a command goes, panel
# refreshes wait; the bucket back to 800, the next reply says so.
admin "helix-bucket 3" >/dev/null
ui_type p "/slowoff"
ui_wait p "/slowoff: slow mode off"
ok $? "a command goes through on a nearly empty bucket"
ui_keys p F2
chatters=$(requests chat/chatters)
sleep 3
[ "$(requests chat/chatters)" = "$chatters" ]
ok $? "the chatters panel does not ask while Helix says the budget is low"
ui_keys p Tab
admin "helix-bucket 800" >/dev/null
ui_type p "/emoteonlyoff"
ui_wait p "/emoteonlyoff: emote-only off"
wait_for 10 panel_has p "2504 chatters"
ok $? "once a reply says the bucket refilled, the panel asks again"
[ "$(requests chat/chatters)" -gt "$chatters" ]
ok $? "(chat/chatters requests $chatters -> $(requests chat/chatters))"
ui_type p "/quit"
ui_wait p "EXITED=0"
ok $? "/quit"

! cat "$TEST_TMP"/*.err 2>/dev/null | grep -q -i -e 'sanitizer' -e 'runtime error'
ok $? "no sanitizer report from any stitch"

done_testing
