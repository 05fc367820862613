#!/bin/sh
# Helix replies cached through cache.h (-c file, a temporary
# XDG_CACHE_HOME): a second report is served from the cache, seen as
# requests the fake did not get; -c none always asks; one account's
# cached answers never serve another; the cache holds no token.
. "$top_srcdir/tests/integration/rest-lib.sh"
rest_start

rep tok-alice c1 -c file chatters alice
c_chat=$(requests /helix/chat/chatters)
c_users=$(requests /helix/users)
[ "$(rc_of c1)" = 0 ] && [ "$(rows c1)" = 2504 ]
ok $? "first run: every chatter, from the server"
[ -n "$(find "$XDG_CACHE_HOME" -type f 2>/dev/null | head -n 1)" ]
ok $? "the cache tree has entries under XDG_CACHE_HOME"

rep tok-alice c2 -c file chatters alice
[ "$(rc_of c2)" = 0 ] && cmp -s "$TEST_TMP/c1.out" "$TEST_TMP/c2.out"
ok $? "second run: the same report"
[ "$(requests /helix/chat/chatters)" = "$c_chat" ]
ok $? "second run: no chatters page asked for (all 3 from the cache)"
# Only whoami went out: who a token belongs to is never cached.
[ "$(requests /helix/users)" = $((c_users + 1)) ]
ok $? "second run: the user lookup cached, whoami asked again"

rep tok-alice c3 -c none chatters alice
[ "$(requests /helix/chat/chatters)" = $((c_chat + 3)) ]
ok $? "-c none: every page asked for again"

# carol is a moderator of alice: same URL, her own cache entries.
before=$(requests /helix/chat/chatters)
rep tok-carol c4 -c file chatters alice
[ "$(rc_of c4)" = 0 ] && [ "$(requests /helix/chat/chatters)" = $((before + 3)) ]
ok $? "another account: not served from alice's entries"

rep tok-alice f1 -c file num_followers alice
before=$(requests /helix/channels/followers)
rep tok-alice f2 -c file num_followers alice
[ "$(requests /helix/channels/followers)" = "$before" ] && cmp -s "$TEST_TMP/f1.out" "$TEST_TMP/f2.out"
ok $? "num_followers: cached too"

! grep -r -a -q -e 'tok-' "$XDG_CACHE_HOME"
ok $? "no token in the cache files"
no_token
ok $? "no token in any output or message"
fake_stop
done_testing
