#!/bin/bash
# auth-tls.sh: stitch login over https against fake-twitch with a test
# CA: refused (with a message about the certificate) until --ca-file
# names the CA, then the whole flow works and the token is stored; logout
# over https too.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
. "$top_srcdir/tests/integration/auth-lib.sh"
auth_require
sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/pki" >/dev/null 2>&1 ||
    skip_all "cannot make test certificates"
auth_fake --device-interval 1 --device-auto-approve 2 \
    --tls "$TEST_TMP/pki/cert.pem" "$TEST_TMP/pki/key.pem" ||
    { ok 1 "fake-twitch starts"; done_testing; }
FAKE_HTTPS=$(sed -n 's/^https=//p' "$TEST_TMP/ports")
[ -n "$FAKE_HTTPS" ]
ok $? "fake-twitch serves https"
SOAUTH=https://localhost:$FAKE_HTTPS/oauth2

run n login --oauth "$SOAUTH"
[ "$(run_rc n)" = 1 ] && grep -qi 'certificate\|TLS\|SSL' "$TEST_TMP/n.err"
ok $? "without the test CA: refused, and says it is the certificate"
[ ! -e "$STORE/accounts" ]
ok $? "without the test CA: nothing stored"

run a login --oauth "$SOAUTH" --ca-file "$TEST_TMP/pki/ca.pem"
ok $? "with --ca-file: login succeeds over https"
login=$(sed -n 's/^Logged in as \([a-z0-9_]*\) .*/\1/p' "$TEST_TMP/a.out")
[ -n "$login" ] && [ -n "$(stored_token "$login")" ]
ok $? "with --ca-file: the token is stored"
remember_secrets "$login"
run c login --oauth "$SOAUTH" --ca-file "$TEST_TMP/pki/ca.pem" --check
[ "$(run_rc c)" = 0 ] && grep -q "^$login: valid$" "$TEST_TMP/c.out"
ok $? "check over https: valid"
run o logout --oauth "$SOAUTH" --ca-file "$TEST_TMP/pki/ca.pem"
[ "$(run_rc o)" = 0 ] && grep -q 'revoked' "$TEST_TMP/o.out" &&
    [ ! -e "$STORE/accounts/$login" ]
ok $? "logout over https: revoked and deleted"

no_secret_anywhere
ok $? "no token or refresh token in any output or log"
done_testing
