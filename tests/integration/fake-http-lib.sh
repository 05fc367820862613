# Shared by the fake-http-*.sh tests: fake-twitch with the Helix seed,
# and curl helpers that keep status, headers and body apart.
SEED_HTTP=$top_srcdir/tests/data/seed-helix.json
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
SEED=$SEED_HTTP
: "${CURL_BIN:=curl}"
command -v "$CURL_BIN" >/dev/null 2>&1 || skip_all "curl not found"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
CID=stitch-test-client
BASE=
CURL_TLS=

# req METHOD PATH [CURL ARGS...]: a request to $BASE; the status goes to
# $TEST_TMP/status, headers to $TEST_TMP/hdr, the body to $TEST_TMP/body.
req() {
	_m=$1 _p=$2
	shift 2
	"$CURL_BIN" -s --max-time 10 $CURL_TLS -X "$_m" -D "$TEST_TMP/hdr" \
	    -o "$TEST_TMP/body" -w '%{http_code}' "$@" "$BASE$_p" \
	    > "$TEST_TMP/status" 2>"$TEST_TMP/curl.err" ||
	    echo 000 > "$TEST_TMP/status"
}

# helix METHOD PATH TOKEN [CURL ARGS...]: with Client-Id and Bearer.
helix() {
	_m=$1 _p=$2 _t=$3
	shift 3
	req "$_m" "/helix/$_p" -H "Client-Id: $CID" \
	    -H "Authorization: Bearer $_t" "$@"
}

status() { cat "$TEST_TMP/status"; }

# js EXPR: evaluate a Python expression over the body parsed as j.
js() {
	python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
r = eval(sys.argv[2])
print(json.dumps(r, ensure_ascii=False) if not isinstance(r, str) else r)' "$TEST_TMP/body" "$1"
}

# is STATUS EXPR WANT: status matches and js EXPR prints WANT.
is() {
	[ "$(status)" = "$1" ] && [ "$(js "$2" 2>/dev/null)" = "$3" ]
}

# hdr NAME: a reply header's value (case-insensitive name).
hdr() {
	tr -d '\r' < "$TEST_TMP/hdr" | sed -n "s/^$1: *//Ip" | tail -n 1
}

# fake_http_start [FLAGS...]: start with TLS (the test CA) and set BASE.
fake_http_start() {
	sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/tls" >/dev/null 2>&1 ||
	    skip_all "cannot make a test certificate"
	fake_start --tls "$TEST_TMP/tls/cert.pem" "$TEST_TMP/tls/key.pem" \
	    "$@"
	BASE=http://127.0.0.1:$HTTP
}

# fake_http_stop [SECRET...]: stop the fake; then two checks of its log:
# no sanitizer report, and none of the given tokens written anywhere.
fake_http_stop() {
	fake_stop
	! grep -q -E 'Sanitizer|runtime error:' "$TEST_TMP/fake.log"
	ok $? "the fake's log holds no sanitizer report"
	_leak=0
	for _s in "$@"; do
		[ -n "$_s" ] && grep -q -F -e "$_s" "$TEST_TMP/fake.log" && _leak=1
	done
	[ "$_leak" = 0 ]
	ok $? "the fake's log holds none of the tokens used"
}
