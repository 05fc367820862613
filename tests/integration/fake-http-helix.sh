#!/bin/sh
# fake-twitch Helix: authentication (401 shapes), scopes, roles (403),
# the read endpoints a chat client's panels use, and Twitch's cursor
# paging through 2,504 chatters; over http and https (test CA, verified).
. "$top_srcdir/tests/integration/fake-http-lib.sh"
fake_http_start

# -- authentication --
req GET /helix/users -H "Client-Id: $CID"
is 401 'j["message"]' "OAuth token is missing" &&
    [ "$(js 'j["error"]')" = Unauthorized ] && [ "$(js 'j["status"]')" = 401 ]
ok $? "no token: 401 with Twitch's error shape"
for t in tok-nosuch tok-expired tok-revoked; do
	helix GET users "$t"
	is 401 'j' '{"error": "Unauthorized", "status": 401, "message": "Invalid OAuth token"}'
	ok $? "$t: 401 Invalid OAuth token"
done
req GET /helix/users -H "Authorization: Bearer tok-alice"
is 401 'j["message"]' "Client ID is missing"
ok $? "no Client-Id: 401"
helix GET users tok-otherclient
is 401 'j["message"]' "Client ID and OAuth token do not match"
ok $? "a token of another client id: 401"
req GET /helix/users -H "Client-Id: $CID" -H "Authorization: OAuth tok-alice"
is 401 'j["message"]' "Invalid OAuth token"
ok $? "Helix wants Bearer, not OAuth"

# -- users --
helix GET users tok-alice
is 200 '[u["login"] for u in j["data"]]' '["alice"]'
ok $? "users without arguments: the token's user"
helix GET 'users?login=bob&id=1003&login=viewer00042&login=nobody' tok-alice
is 200 'sorted(u["login"] for u in j["data"])' '["bob", "carol", "viewer00042"]'
ok $? "users by repeated login= and id=; unknown ones left out"
is 200 '[u["display_name"] for u in j["data"] if u["login"] == "carol"][0]' 'キャロル' &&
    is 200 '[u["created_at"] for u in j["data"] if u["login"] == "bob"][0]' '2018-07-15T12:00:00Z'
ok $? "users: non-ASCII display name and created_at as seeded"
is 200 'sorted(j["data"][0].keys())' '["broadcaster_type", "created_at", "description", "display_name", "id", "login", "offline_image_url", "profile_image_url", "type", "view_count"]'
ok $? "users: Twitch's fields"
q=$(python3 -c 'print("&".join("id=%d" % i for i in range(1001, 1061)))')
helix GET "users?$q" tok-alice
is 200 'len(j["data"])' 5
ok $? "users: 60 ids in one request, the 5 seeded found"

# -- streams and channels --
helix GET 'streams?user_login=alice&user_login=bob' tok-dave
is 200 '[(s["user_login"], s["type"], s["viewer_count"], s["game_name"]) for s in j["data"]]' '[["alice", "live", 2504, "Celeste"]]' &&
    is 200 'j["pagination"]' '{}'
ok $? "streams: the live one listed, the offline one absent"
is 200 'j["data"][0]["started_at"] + " " + j["data"][0]["title"]' '2026-12-01T18:00:00Z Any% practice — come say hi'
ok $? "streams: started_at and title as seeded"
helix GET 'streams?user_login=bob' tok-dave
is 200 'j["data"]' '[]'
ok $? "streams: an offline channel gives empty data"
helix GET 'streams?first=1' tok-dave
is 200 '[s["user_login"] for s in j["data"]]' '["alice"]' &&
    cur=$(js 'j["pagination"]["cursor"]') &&
    helix GET "streams?first=1&after=$cur" tok-dave &&
    is 200 '[s["user_login"] for s in j["data"]] + list(j["pagination"].keys())' '["carol"]'
ok $? "streams: every live stream, most viewers first, paged"
helix GET 'streams/followed?user_id=1004' tok-dave
is 200 '[s["user_login"] for s in j["data"]]' '["alice"]'
ok $? "streams/followed: the live ones among the user's follows"
helix GET 'streams/followed?user_id=1004' tok-noscope
is 401 'j["message"]' "Missing scope: user:read:follows"
ok $? "streams/followed without the scope: 401"
helix GET 'channels?broadcaster_id=1002' tok-dave
is 200 '[(c["broadcaster_login"], c["broadcaster_name"], c["title"], c["game_name"]) for c in j["data"]]' '[["bob", "Böb the Builder", "building things", "Minecraft"]]'
ok $? "channels by broadcaster_id"
helix GET channels tok-dave
is 400 'j["message"]' 'Missing required parameter "broadcaster_id"'
ok $? "channels without broadcaster_id: 400"

# -- chatters: scope, role, paging --
CH='chat/chatters?broadcaster_id=1001'
helix GET "$CH&moderator_id=1004" tok-noscope
is 401 'j["message"]' "Missing scope: moderator:read:chatters"
ok $? "chatters without the scope: 401 Missing scope"
helix GET "$CH&moderator_id=1004" tok-dave
is 403 'j["error"]' "Forbidden"
ok $? "chatters as a VIP (not a moderator): 403"
helix GET "$CH&moderator_id=1001" tok-carol
[ "$(status)" = 401 ]
ok $? "chatters with someone else's moderator_id: 401"
helix GET "$CH&moderator_id=1003" tok-carol
is 200 'len(j["data"])' 100 && is 200 'j["total"]' 2504
ok $? "chatters as a moderator: 100 by default, total 2504"
helix GET "$CH&moderator_id=1003&first=1001" tok-carol
[ "$(status)" = 400 ]
ok $? "chatters: first over 1000 is 400"
helix GET "$CH&moderator_id=1003&after=bm90LWEtY3Vyc29y" tok-carol
[ "$(status)" = 400 ]
ok $? "chatters: a cursor that is not ours is 400"
: > "$TEST_TMP/logins"
after= pages=0 sizes=
while [ "$pages" -lt 10 ]; do
	helix GET "$CH&moderator_id=1001&first=1000$after" tok-alice
	[ "$(status)" = 200 ] || break
	pages=$((pages + 1))
	sizes="$sizes $(js 'len(j["data"])')"
	js '"\n".join(u["user_login"] for u in j["data"])' >> "$TEST_TMP/logins"
	cur=$(js 'j["pagination"].get("cursor", "")')
	[ -n "$cur" ] || break
	after="&after=$cur"
done
[ "$pages" = 3 ] && [ "$sizes" = " 1000 1000 504" ]
ok $? "chatters: 2,504 in pages of 1000, 1000, 504; no cursor on the last"
[ "$(sort -u "$TEST_TMP/logins" | wc -l)" = 2504 ] &&
    grep -qx viewer02500 "$TEST_TMP/logins" && grep -qx carol "$TEST_TMP/logins"
ok $? "chatters: every chatter once, seeded ones and generated ones"

# -- moderators, VIPs, followers, followed --
helix GET 'moderation/moderators?broadcaster_id=1001' tok-alice
is 200 '[m["user_login"] for m in j["data"]]' '["carol"]'
ok $? "moderators: the broadcaster sees them"
helix GET 'moderation/moderators?broadcaster_id=1001' tok-carol
[ "$(status)" = 401 ]
ok $? "moderators: a moderator's token is not the broadcaster's: 401"
helix GET 'channels/vips?broadcaster_id=1001' tok-alice
is 200 '[m["user_name"] for m in j["data"]]' '["dave"]'
ok $? "vips"
helix GET 'channels/followers?broadcaster_id=1001' tok-noscope
is 200 '[j["data"], j["total"]]' '[[], 153]'
ok $? "followers without scope: total only"
helix GET 'channels/followers?broadcaster_id=1001&first=2' tok-carol
is 200 '[(f["user_login"], f["followed_at"]) for f in j["data"]]' '[["dave", "2024-08-15T08:30:00Z"], ["bob", "2024-06-01T12:00:00Z"]]' &&
    is 200 '"cursor" in j["pagination"]' true
ok $? "followers as a moderator: newest first with followed_at, paged"
helix GET 'channels/followers?broadcaster_id=1001&first=100&after=eyJiIjpudWxsLCJhIjp7Ik9mZnNldCI6MTAwfX0' tok-carol
is 200 'len(j["data"])' 53 && is 200 'j["pagination"]' '{}'
ok $? "followers: the last page has no cursor"
helix GET 'channels/followed?user_id=1004' tok-dave
is 200 '[(f["broadcaster_login"], f["followed_at"]) for f in j["data"]] + [j["total"]]' '[["bob", "2025-01-01T00:00:00Z"], ["alice", "2024-08-15T08:30:00Z"], 2]'
ok $? "followed: the user's follows, newest first, total"
helix GET 'channels/followed?user_id=1001' tok-dave
[ "$(status)" = 401 ]
ok $? "followed: only one's own"

# -- chat settings, badges, emotes --
helix GET 'chat/settings?broadcaster_id=1001' tok-dave
is 200 '[j["data"][0][k] for k in ("follower_mode", "follower_mode_duration", "slow_mode", "slow_mode_wait_time")]' '[true, 10, false, null]' &&
    is 200 '"moderator_id" in j["data"][0]' false
ok $? "chat settings: as seeded, null when a mode is off"
helix GET 'chat/badges/global' tok-dave
is 200 '[b["set_id"] for b in j["data"] if b["set_id"] in ("moderator", "subscriber")]' '["moderator", "subscriber"]' &&
    is 200 'sorted(j["data"][0]["versions"][0].keys())' '["click_action", "click_url", "description", "id", "image_url_1x", "image_url_2x", "image_url_4x", "title"]'
ok $? "global badges in Twitch's shape"
helix GET 'chat/badges?broadcaster_id=1001' tok-dave
is 200 '[v["id"] for v in j["data"][0]["versions"]]' '["0", "3", "6", "12"]'
ok $? "channel badges as seeded"
helix GET 'chat/emotes/global' tok-dave
is 200 '[e["id"] for e in j["data"] if e["name"] == "Kappa"]' '["25"]' &&
    is 200 '"{{id}}" in j["template"]' true
ok $? "global emotes: Kappa is 25, as in chat's emotes tag; template"
helix GET 'chat/emotes?broadcaster_id=1001' tok-dave
is 200 '[(e["name"], e["tier"], e["emote_type"]) for e in j["data"]]' '[["aliceHi", "1000", "subscriptions"]]'
ok $? "channel emotes as seeded"
helix GET nothing/here tok-dave
[ "$(status)" = 404 ]
ok $? "an unknown Helix path: 404"

# PUT chat/color: a named colour or #RRGGBB, for the token's own user.
helix PUT 'chat/color?user_id=1001&color=hot_pink' tok-alice
[ "$(status)" = 204 ]
ok $? "PUT chat/color with a named colour: 204"
helix GET 'chat/color?user_id=1001' tok-alice
is 200 'j["data"][0]["color"]' '#FF69B4'
ok $? "GET chat/color then has it"
helix PUT 'chat/color?user_id=1001&color=%2300AA11' tok-alice
helix GET 'chat/color?user_id=1001' tok-alice
is 200 'j["data"][0]["color"]' '#00AA11'
ok $? "a #RRGGBB colour too"
helix PUT 'chat/color?user_id=1001&color=mauve' tok-alice
[ "$(status)" = 400 ]
ok $? "an unknown colour name: 400"
helix PUT 'chat/color?user_id=1004&color=red' tok-dave
[ "$(status)" = 401 ] && grep -q 'user:manage:chat_color' "$TEST_TMP/body"
ok $? "without user:manage:chat_color: 401 naming the scope"

# -- https with the test CA, verification on --
BASE=https://localhost:$HTTPS CURL_TLS="--cacert $TEST_TMP/tls/ca.pem"
helix GET 'users?login=bob' tok-alice
is 200 '[u["id"] for u in j["data"]]' '["1002"]'
ok $? "https: users with the test CA trusted"
CURL_TLS=
helix GET 'users?login=bob' tok-alice
[ "$(status)" != 200 ]
ok $? "https: refused without the test CA"
fake_http_stop tok-alice tok-carol tok-dave tok-noscope
done_testing
