#!/bin/sh
# The redis cache backend against a real redis-server on loopback (no
# persistence, a password, database 2): set, get, del, expiry, keys apart
# per user and under "stitch:", a wrong password refused; then the server
# killed, stalled and missing mid-session: one warning each time, never a
# crash, and the cache back once the server is.
. "$top_srcdir/tests/integration/cache-lib.sh"
cache_require redis-server "${REDIS_SERVER_BIN:-}"

PW=test-pw-$$
server_command() {
	echo "'$SERVER_BIN' --port $PORT --bind 127.0.0.1 --save '' \
--appendonly no --requirepass '$PW' --dir '$TEST_TMP' --daemonize no"
}
REDIS_HOST=127.0.0.1 REDIS_PASSWORD=$PW REDIS_DB=2
export REDIS_HOST REDIS_PASSWORD REDIS_DB
server_on_port() { REDIS_PORT=$1; export REDIS_PORT; }
server_start redis
ok $? "redis-server started on 127.0.0.1:$PORT"
[ -n "$(server_pid)" ] || { tail -5 "$TEST_TMP/server.log"; done_testing; }
write_restart redis

# A server with nothing under our keys yet.
drive -t 2000 redis kind set a hello 60 get a as 99 get a as 1234 \
	del a get a del a set e gone 1 waitmiss e 5 big b 1000000 60 get b \
	warn
ok $? "the driver ran to its end"
has "kind redis"
ok $? "kind is redis"
has "set a 0" && has "get a hit hello"
ok $? "set then get: a hit with the value"
[ "$(grep -c '^get a miss$' "$TEST_TMP/out")" -eq 2 ]
ok $? "another user misses the same URL; del makes a miss"
has "del a 0"
ok $? "del (also of a missing key) succeeds"
has "waitmiss e miss"
ok $? "an entry with a TTL of 1 s expires (5 s at most)"
has "get b hit 1000000 bytes intact"
ok $? "a 1 MB value comes back intact"
has "warn none"
ok $? "no warning while the server is there"

# What the server holds: our prefix, in database 2, with a TTL.
CLI=$(command -v redis-cli 2>/dev/null)
if [ -n "$CLI" ]; then
	cli() { REDISCLI_AUTH=$PW "$CLI" -h 127.0.0.1 -p "$PORT" "$@"; }
	drive redis set ttl x 60 >/dev/null
	cli -n 2 --scan >"$TEST_TMP/keys"
	sed 's/^/#   key: /' "$TEST_TMP/keys"
	[ -s "$TEST_TMP/keys" ] &&
		! grep -vqE '^stitch:[0-9a-f]{64}$' "$TEST_TMP/keys"
	ok $? "every key in database 2 is stitch: and 64 hex digits"
	[ -z "$(cli -n 1 --scan)" ]
	ok $? "database 1 holds nothing (REDIS_DB is honoured)"
	ttls=$(for k in $(cat "$TEST_TMP/keys"); do cli -n 2 TTL "$k"; done)
	echo "$ttls" | awk '$1 < 1 || $1 > 60 { bad = 1 } END { exit bad }'
	ok $? "every key has a TTL of at most 60 s (no key lives forever)"
else
	skip_one "redis-cli not installed"
	skip_one "redis-cli not installed"
	skip_one "redis-cli not installed"
fi

# Wrong settings are the user's to fix: open fails, the password unsaid.
REDIS_PASSWORD=wrong-$PW drive redis kind
grep -q "^open failed: redis at 127.0.0.1:$PORT refused AUTH" "$TEST_TMP/out"
ok $? "a wrong password: open fails saying AUTH was refused"
! grep -q "$PW" "$TEST_TMP/out"
ok $? "the password appears in no message"
REDIS_PORT=http drive redis kind
grep -q "^open failed: REDIS_PORT" "$TEST_TMP/out"
ok $? "REDIS_PORT that is not a number: open fails naming it"

# Killed mid-session, then back.
kill_and_back redis redis
! grep -q "$PW" "$TEST_TMP/out"
ok $? "the password appears in no warning"

# Stalled (SIGSTOP): the command time-out bounds the wait.
pid=$(server_pid)
drive -t 200 redis set s x 60 sh "sh '$TEST_TMP/stall.sh' $pid" \
	get s warn kind sh "kill -CONT $pid"
[ $? -eq 0 ] && [ "$(grep -c '^sh 0$' "$TEST_TMP/out")" -eq 2 ]
ok $? "a stalled server: no crash, no hang"
has "warn redis at 127.0.0.1:$PORT: no answer in 200 ms; caching is off"
ok $? "one warning saying it did not answer in time"
has "get s miss" && has "kind none"
ok $? "and the cache is off"

# Not there at all when the cache opens.
server_stop
drive -t 200 redis kind get a set a x 60 get a warn warn
ok $? "no server at open: no crash"
has "kind redis" && [ "$(grep -c '^get a miss$' "$TEST_TMP/out")" -eq 2 ]
ok $? "open succeeds; every get misses"
grep -q "^warn redis at 127.0.0.1:$PORT: Connection refused; caching is off$" \
	"$TEST_TMP/out" && [ "$(grep -c '^warn none$' "$TEST_TMP/out")" -eq 1 ]
ok $? "one warning: connection refused"

done_testing
