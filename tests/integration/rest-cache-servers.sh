#!/bin/sh
# stitch report with -c redis and -c memcache against real servers on
# loopback ports (REDIS_PORT, MEMCACHE_SERVERS as itch had them): a second
# report is served from the server, and a server that is gone costs a
# warning, not the report.
. "$top_srcdir/tests/integration/rest-lib.sh"
REDIS_BIN=$(command -v redis-server 2>/dev/null)
MEMC_BIN=$(command -v memcached 2>/dev/null)
[ -n "$REDIS_BIN" ] || [ -n "$MEMC_BIN" ] ||
    skip_all "neither redis-server nor memcached is installed"
rest_start

port() { echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000)); }

# serve NAME CMD...: start a server on $P (tried on a few ports); sets SPID.
serve() {
	_name=$1
	shift
	for _try in 1 2 3 4 5; do
		P=$(port)
		listening "$P" && continue
		eval "exec $*" > "$TEST_TMP/$_name.log" 2>&1 &
		SPID=$!
		on_exit "kill $SPID"
		wait_for 10 listening "$P" && return 0
		kill "$SPID" 2>/dev/null
	done
	return 1
}

# twice KIND NAME: two chatters reports with -c KIND; the second must
# not ask the fake for a chatters page.
twice() {
	rep tok-alice "$2-1" -c "$1" chatters alice
	_n=$(requests /helix/chat/chatters)
	rep tok-alice "$2-2" -c "$1" chatters alice
	[ "$(rc_of "$2-1")" = 0 ] && [ "$(rc_of "$2-2")" = 0 ] &&
	    cmp -s "$TEST_TMP/$2-1.out" "$TEST_TMP/$2-2.out" &&
	    [ "$(rows "$2-2")" = 2504 ] &&
	    [ "$(requests /helix/chat/chatters)" = "$_n" ]
}

# listening PORT: something accepts on 127.0.0.1:PORT (bash's /dev/tcp).
command -v bash >/dev/null 2>&1 || skip_all "no bash for /dev/tcp"
listening() { bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

if [ -n "$REDIS_BIN" ] && serve redis "'$REDIS_BIN' --port \$P --bind 127.0.0.1 --save '' --appendonly no"; then
	export REDIS_HOST=127.0.0.1 REDIS_PORT=$P
	twice redis redis
	ok $? "redis: the second report from the cache, no chatters page asked"
	kill "$SPID"
	wait_for 10 sh -c "! kill -0 $SPID"
	rep tok-alice redis-gone -c redis created alice
	[ "$(rc_of redis-gone)" = 0 ] &&
	    [ "$(sed -n 2p "$TEST_TMP/redis-gone.out" | cut -f1)" = alice ] &&
	    grep -q 'cache' "$TEST_TMP/redis-gone.err"
	ok $? "redis gone: the report still right, a cache warning on stderr"
	[ "$(grep -c cache "$TEST_TMP/redis-gone.err")" = 1 ]
	ok $? "redis gone: warned once"
	unset REDIS_HOST REDIS_PORT
else
	ok 0 "# SKIP redis-server could not be started"
	ok 0 "# SKIP"
	ok 0 "# SKIP"
fi

if [ -n "$MEMC_BIN" ] && serve memcached "'$MEMC_BIN' -l 127.0.0.1 -p \$P -U 0 -u $(id -un)"; then
	export MEMCACHE_SERVERS=127.0.0.1:$P
	twice memcache memc
	ok $? "memcached: the second report from the cache, no chatters page asked"
	unset MEMCACHE_SERVERS
else
	ok 0 "# SKIP memcached could not be started"
fi

no_token
ok $? "no token in any output or message"
fake_stop
done_testing
