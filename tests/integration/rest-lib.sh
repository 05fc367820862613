# Shared by the rest-*.sh tests: fake-twitch with the Helix seed over http
# and https (a test CA from mkcert.sh), and `stitch report` pointed at it
# with a throwaway config and cache directory, the token from the
# environment only.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
SEED=$top_srcdir/tests/data/seed-helix.json
STITCH=$top_builddir/stitch
[ -x "$STITCH" ] || skip_all "stitch not built"

export XDG_CONFIG_HOME="$TEST_TMP/config" XDG_CACHE_HOME="$TEST_TMP/cache"
export TWITCH_CLIENT_ID=stitch-test-client
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
unset STITCH_TOKEN REDIS_HOST MEMCACHE_SERVERS

# rest_start [FLAGS...]: the fake with TLS; sets BASE and SBASE.
rest_start() {
	sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/tls" >/dev/null 2>&1 ||
	    skip_all "cannot make a test certificate"
	fake_start --tls "$TEST_TMP/tls/cert.pem" "$TEST_TMP/tls/key.pem" "$@"
	BASE=http://127.0.0.1:$HTTP/helix
	SBASE=https://localhost:$HTTPS/helix
}

# rep TOKEN NAME ARGS...: stitch report as TOKEN's owner, over http;
# stdout to $TEST_TMP/NAME.out, stderr to NAME.err, status to NAME.rc.
# Bounded: a report that hangs is killed after 60 s.
rep() {
	_tok=$1 _name=$2
	shift 2
	STITCH_TOKEN=$_tok timeout 60 "$STITCH" report --helix "$BASE" "$@" \
	    > "$TEST_TMP/$_name.out" 2> "$TEST_TMP/$_name.err"
	echo $? > "$TEST_TMP/$_name.rc"
}

rc_of() { cat "$TEST_TMP/$1.rc"; }
out() { cat "$TEST_TMP/$1.out"; }
rows() { tail -n +2 "$TEST_TMP/$1.out" | wc -l | tr -d ' '; }

# requests PATH: how many requests the fake counted for PATH (all methods).
requests() {
	admin http-stats | sed -n "s|^stat http path=$1 method=[A-Z]* requests=||p" |
	    awk '{ n += $1 } END { print n + 0 }'
}

# no_token: no output file of the test holds a token the seed knows.
no_token() {
	! grep -r -q -e 'tok-[a-z]' "$TEST_TMP"/*.out "$TEST_TMP"/*.err
}
