#!/bin/sh
# fake-twitch over TLS: wss:// and https:// with a throwaway CA made at
# test time, verification on, the test CA trusted explicitly.
. "$top_srcdir/tests/integration/fake-chat-lib.sh"
[ -n "${OPENSSL_BIN:-}" ] || OPENSSL_BIN=$(command -v openssl || true)
[ -n "$OPENSSL_BIN" ] || skip_all "no openssl"
export OPENSSL_BIN
sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/ca" || skip_all "mkcert failed"
fake_start --tls "$TEST_TMP/ca/cert.pem" "$TEST_TMP/ca/key.pem"
out=$TEST_TMP/out

[ -n "$WSS" ] && [ -n "$HTTPS" ]
ok $? "the port file has chat_wss and https"
ftc --ca-file "$TEST_TMP/ca/ca.pem" --pass tok-bob --nick bob \
    --until ' 376 ' "wss://localhost:$WSS/" > "$out"
ok $? "wss with the test CA trusted: login"
ftc --pass tok-bob --nick bob --until ' 376 ' "wss://localhost:$WSS/" \
    > "$out" 2>/dev/null
[ $? -eq 2 ]
ok $? "wss without the test CA: the certificate is refused"
if [ -n "${CURL_BIN:-}" ] || CURL_BIN=$(command -v curl); then
	code=$("$CURL_BIN" -s -o /dev/null -w '%{http_code}' \
	    --cacert "$TEST_TMP/ca/ca.pem" "https://localhost:$HTTPS/helix/users")
	[ -n "$code" ] && [ "$code" != "000" ]
	ok $? "https with the test CA: an HTTP answer ($code)"
	"$CURL_BIN" -s -o /dev/null "https://localhost:$HTTPS/helix/users"
	[ $? -eq 60 ]
	ok $? "https without the test CA: refused"
fi
done_testing
