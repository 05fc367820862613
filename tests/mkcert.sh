#!/bin/sh
# mkcert.sh DIR: a throwaway CA and a certificate for localhost signed by
# it, made at test time so wss:// and https:// are tested with
# verification on and the test CA trusted explicitly.
#   DIR/ca.pem             the CA certificate (give it to --ca-file/--cacert)
#   DIR/cert.pem DIR/key.pem  the server's certificate and key (--tls)
# Uses $OPENSSL_BIN when set, else openssl from PATH.
set -eu
dir=${1:?usage: mkcert.sh DIR}
ossl=${OPENSSL_BIN:-openssl}
mkdir -p "$dir"
cd "$dir"
"$ossl" req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=stitch test CA" \
	-keyout ca-key.pem -out ca.pem \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
"$ossl" req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
	-keyout key.pem -out cert.csr >/dev/null 2>&1
cat > cert.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
EXT
"$ossl" x509 -req -in cert.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
	-days 2 -extfile cert.ext -out cert.pem >/dev/null 2>&1
rm -f cert.csr cert.ext ca.srl
