#!/bin/sh
# The memcache cache backend against a real memcached on loopback: set,
# get, del, expiry, keys apart per user, an item too big for the server
# lost alone; then the server killed, stalled and missing mid-session: one
# warning each time, never a crash, and the cache back once the server is.
. "$top_srcdir/tests/integration/cache-lib.sh"
cache_require memcached "${MEMCACHED_BIN:-}"

# memcached will not run as root without being told whom to run as.
as_user=
[ "$(id -u)" -eq 0 ] && as_user="-u root"
server_command() {
	echo "'$SERVER_BIN' -l 127.0.0.1 -p $PORT -U 0 -m 16 $as_user"
}
server_on_port() {
	MEMCACHE_SERVERS=127.0.0.1:$1; export MEMCACHE_SERVERS
}
server_start memcache
ok $? "memcached started on 127.0.0.1:$PORT"
[ -n "$(server_pid)" ] || { tail -5 "$TEST_TMP/server.log"; done_testing; }
write_restart memcache

drive -t 2000 memcache kind set a hello 60 get a as 99 get a as 1234 \
	del a get a del a set e gone 1 waitmiss e 5 big b 900000 60 get b \
	big huge 2000000 60 get huge warn kind
ok $? "the driver ran to its end"
has "kind memcache"
ok $? "kind is memcache"
has "set a 0" && has "get a hit hello"
ok $? "set then get: a hit with the value"
[ "$(grep -c '^get a miss$' "$TEST_TMP/out")" -eq 2 ]
ok $? "another user misses the same URL; del makes a miss"
has "del a 0"
ok $? "del (also of a missing key) succeeds"
has "waitmiss e miss"
ok $? "an entry with a TTL of 1 s expires (5 s at most)"
has "get b hit 900000 bytes intact"
ok $? "a 900 kB value comes back intact"
has "big huge -1" && has "get huge miss"
ok $? "2 MB (past memcached's item size) is not stored"
has "warn none" && [ "$(grep -c '^kind memcache$' "$TEST_TMP/out")" -eq 2 ]
ok $? "and that costs the one entry, not the cache: no warning, still on"

MEMCACHE_SERVERS=127.0.0.1 drive memcache kind
grep -q "^open failed: MEMCACHE_SERVERS is not a list of host:port" \
	"$TEST_TMP/out"
ok $? "MEMCACHE_SERVERS without a port: open fails naming it"

# Killed mid-session, then back.
kill_and_back memcache memcached

# Stalled (SIGSTOP): the time-outs bound the wait.
pid=$(server_pid)
drive -t 200 memcache set s x 60 sh "sh '$TEST_TMP/stall.sh' $pid" \
	get s warn kind sh "kill -CONT $pid"
[ $? -eq 0 ] && [ "$(grep -c '^sh 0$' "$TEST_TMP/out")" -eq 2 ]
ok $? "a stalled server: no crash, no hang"
has "warn memcached at 127.0.0.1:$PORT: no answer in 200 ms; caching is off"
ok $? "one warning saying it did not answer in time"
has "get s miss" && has "kind none"
ok $? "and the cache is off"

# Not there at all when the cache opens.
server_stop
drive -t 200 memcache kind get a set a x 60 get a warn warn
ok $? "no server at open: no crash"
has "kind memcache" && [ "$(grep -c '^get a miss$' "$TEST_TMP/out")" -eq 2 ]
ok $? "open succeeds; every get misses"
grep -q "^warn memcached at 127.0.0.1:$PORT: .*; caching is off$" \
	"$TEST_TMP/out" && [ "$(grep -c '^warn none$' "$TEST_TMP/out")" -eq 1 ]
ok $? "one warning"

done_testing
