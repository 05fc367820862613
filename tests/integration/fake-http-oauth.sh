#!/bin/sh
# fake-twitch OAuth: the device code grant (pending, slow_down, approval
# on the admin port or by itself, denial, expiry), validate, refresh
# (single-use refresh tokens, the old access token stops working), revoke,
# admin "expire"; a token issued here works for Helix and for chat.
. "$top_srcdir/tests/integration/fake-http-lib.sh"
fake_http_start --device-interval 1
GRANT=urn:ietf:params:oauth:grant-type:device_code

device() {	# device SCOPES: start a flow; sets DC and UC
	req POST /oauth2/device -d "client_id=$CID" --data-urlencode "scopes=$1"
	DC=$(js 'j["device_code"]') UC=$(js 'j["user_code"]')
}
poll() {	# poll [DEVICE_CODE]
	req POST /oauth2/token -d "client_id=$CID" \
	    -d "device_code=${1:-$DC}" --data-urlencode "grant_type=$GRANT"
}

device "chat:read chat:edit moderator:read:chatters"
[ "$(status)" = 200 ] &&
    is 200 '[j["expires_in"], j["interval"], len(j["device_code"]) >= 30, len(j["user_code"])]' '[1800, 1, true, 8]' &&
    is 200 'j["verification_uri"].startswith("https://www.twitch.tv/activate")' true
ok $? "device: device_code, user_code, verification_uri, expires_in, interval"
req POST /oauth2/device -d "scopes=chat:read"
is 400 'j' '{"status": 400, "message": "missing client_id"}'
ok $? "device without client_id: 400 in Twitch's shape"
poll
is 400 'j' '{"status": 400, "message": "authorization_pending"}'
ok $? "token: authorization_pending before approval"
poll
is 400 'j["message"]' slow_down
ok $? "token: polled again at once: slow_down"
poll nosuchcode
is 400 'j["message"]' "invalid device code"
ok $? "token: an unknown device code"
admin approve "$UC" carol > "$TEST_TMP/a"
grep -q '^ok approved' "$TEST_TMP/a"
ok $? "admin approve USER_CODE LOGIN"
sleep 1.1
poll
is 200 '[j["token_type"], j["expires_in"], j["scope"], len(j["access_token"]), len(j["refresh_token"]) > 0]' '["bearer", 14400, ["chat:read", "chat:edit", "moderator:read:chatters"], 30, true]'
ok $? "token: approved: access_token, refresh_token, expires_in, scope[], bearer"
AT=$(js 'j["access_token"]') RT=$(js 'j["refresh_token"]')
sleep 1.1
poll
is 400 'j["message"]' "invalid device code"
ok $? "token: a device code is used once"

# -- validate, Helix, chat --
req GET /oauth2/validate -H "Authorization: OAuth $AT"
is 200 '[j["login"], j["user_id"], j["client_id"], j["scopes"], 14000 <= j["expires_in"] <= 14400]' '["carol", "1003", "stitch-test-client", ["chat:read", "chat:edit", "moderator:read:chatters"], true]'
ok $? "validate: login, user_id, client_id, scopes, expires_in"
req GET /oauth2/validate -H "Authorization: OAuth not-a-token"
is 401 'j' '{"status": 401, "message": "invalid access token"}'
ok $? "validate: a bad token: 401 invalid access token"
req GET /oauth2/validate
is 401 'j["status"]' 401
ok $? "validate: no token: 401"
helix GET 'chat/chatters?broadcaster_id=1001&moderator_id=1003&first=1' "$AT"
is 200 'j["total"]' 2504
ok $? "the issued token works for Helix"
ftc --caps --pass "$AT" --nick carol --until ' 376 ' \
    --until 'NOTICE' "ws://127.0.0.1:$WS/" > "$TEST_TMP/chat"
grep -q ' 001 carol ' "$TEST_TMP/chat"
ok $? "the issued token logs in to chat"

# -- refresh --
req POST /oauth2/token -d "client_id=$CID" -d grant_type=refresh_token \
    --data-urlencode "refresh_token=$RT"
is 200 '[j["token_type"], j["scope"]]' '["bearer", ["chat:read", "chat:edit", "moderator:read:chatters"]]'
ok $? "refresh: a new pair with the same scopes"
AT2=$(js 'j["access_token"]') RT2=$(js 'j["refresh_token"]')
[ "$AT2" != "$AT" ] && [ "$RT2" != "$RT" ]
ok $? "refresh: both tokens are new"
req GET /oauth2/validate -H "Authorization: OAuth $AT"
[ "$(status)" = 401 ]
ok $? "refresh: the old access token stops working"
req POST /oauth2/token -d "client_id=$CID" -d grant_type=refresh_token \
    --data-urlencode "refresh_token=$RT"
is 400 'j' '{"status": 400, "message": "Invalid refresh token"}'
ok $? "refresh: a refresh token is spent once used"
helix GET users "$AT2"
is 200 '[u["login"] for u in j["data"]]' '["carol"]'
ok $? "refresh: the new token works"

# -- expire (admin) and refresh again --
admin expire "$AT2" > "$TEST_TMP/a"
grep -q '^ok expire' "$TEST_TMP/a" && ! grep -q -F "$AT2" "$TEST_TMP/a"
ok $? "admin expire TOKEN (the answer does not echo the token)"
helix GET users "$AT2"
is 401 'j["message"]' "Invalid OAuth token"
ok $? "an expired token: Helix 401"
req GET /oauth2/validate -H "Authorization: OAuth $AT2"
[ "$(status)" = 401 ]
ok $? "an expired token: validate 401"
ftc --caps --pass "$AT2" --nick carol --until ' 376 ' \
    --until 'NOTICE' "ws://127.0.0.1:$WS/" > "$TEST_TMP/chat"
grep -q 'Login authentication failed' "$TEST_TMP/chat"
ok $? "an expired token no longer logs in to chat"
req POST /oauth2/token -d "client_id=$CID" -d grant_type=refresh_token \
    --data-urlencode "refresh_token=$RT2"
AT3=$(js 'j["access_token"]')
[ "$(status)" = 200 ] && helix GET users "$AT3" && [ "$(status)" = 200 ]
ok $? "after expiry a refresh gets a working token"

# -- revoke --
req POST /oauth2/revoke -d "client_id=other-client" --data-urlencode "token=$AT3"
[ "$(status)" = 404 ]
ok $? "revoke with another client id: 404"
req POST /oauth2/revoke -d "client_id=$CID" --data-urlencode "token=$AT3"
[ "$(status)" = 200 ] && [ ! -s "$TEST_TMP/body" ]
ok $? "revoke: 200, empty body"
req GET /oauth2/validate -H "Authorization: OAuth $AT3"
[ "$(status)" = 401 ]
ok $? "revoke: the token no longer validates"
ftc --caps --pass "$AT3" --nick carol --until ' 376 ' \
    --until 'NOTICE' "ws://127.0.0.1:$WS/" > "$TEST_TMP/chat"
grep -q 'Login authentication failed' "$TEST_TMP/chat"
ok $? "revoke: the token no longer logs in to chat"
req POST /oauth2/revoke -d "client_id=$CID" -d "token=nosuch"
is 400 'j["message"]' "Invalid token"
ok $? "revoke: an unknown token: 400"

# -- deny --
device "chat:read"
admin deny "$UC" > /dev/null
poll
is 400 'j["message"]' access_denied
ok $? "deny: access_denied"
fake_http_stop "$AT" "$RT" "$AT2" "$RT2" "$AT3" "$DC"

# -- approval by itself after N polls, and expiry --
fake_http_start --device-interval 1 --device-auto-approve 2
device "chat:read"
poll
is 400 'j["message"]' authorization_pending
ok $? "auto-approve 2: the first poll is pending"
sleep 1.1
poll
is 200 '[j["token_type"], j["scope"]]' '["bearer", ["chat:read"]]'
AT=$(js 'j["access_token"]')
ok $? "auto-approve 2: the second poll gets the token"
req GET /oauth2/validate -H "Authorization: OAuth $AT"
is 200 'j["login"]' erin
ok $? "auto-approve logs in as the seed's device_login"
device "chat:read"
admin expire "$UC" > "$TEST_TMP/a"
poll
grep -q '^ok expire device code' "$TEST_TMP/a" && is 400 'j["message"]' expired_token
ok $? "a device code past expires_in (admin expire USER_CODE): expired_token"
fake_http_stop "$AT" "$DC"
done_testing
