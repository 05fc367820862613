/*
 * ossl.c: OpenSSL's libssl and libcrypto, loaded when first needed (see
 * ossl.h).
 */
#include "config.h"

#define OSSL_NO_NAMES
#include "dynlib.h"
#include "ossl.h"

struct ossl_fns	 ossl;

#define OSSL_SYM(m, name)	DYNLIB_SYM(struct ossl_fns, m, name)
static const struct dynlib_sym ossl_ssl_syms[] = {
	OSSL_SYM(ssl_pending, "SSL_pending"),
	OSSL_SYM(ssl_ctx_get_cert_store, "SSL_CTX_get_cert_store"),
};
static const struct dynlib_sym ossl_crypto_syms[] = {
	OSSL_SYM(digest_final_ex, "EVP_DigestFinal_ex"),
	OSSL_SYM(digest_init_ex, "EVP_DigestInit_ex"),
	OSSL_SYM(digest_update, "EVP_DigestUpdate"),
	OSSL_SYM(md_ctx_free, "EVP_MD_CTX_free"),
	OSSL_SYM(md_ctx_new, "EVP_MD_CTX_new"),
	OSSL_SYM(sha256, "EVP_sha256"),
	OSSL_SYM(pem_read_x509, "PEM_read_X509"),
	OSSL_SYM(store_ctx_get_error, "X509_STORE_CTX_get_error"),
	OSSL_SYM(store_load_file, "X509_STORE_load_file"),
	OSSL_SYM(x509_free, "X509_free"),
	OSSL_SYM(verify_cert_error_string, "X509_verify_cert_error_string"),
};

int
ossl_load(char *err, size_t errsz)
{
	static void	*crypto, *ssl;

	if (dynlib_load(&crypto, CRYPTO_SONAME, "libssl3", ossl_crypto_syms,
	    sizeof ossl_crypto_syms / sizeof ossl_crypto_syms[0], &ossl, err,
	    errsz) != 0)
		return -1;
	return dynlib_load(&ssl, SSL_SONAME, "libssl3", ossl_ssl_syms,
	    sizeof ossl_ssl_syms / sizeof ossl_ssl_syms[0], &ossl, err, errsz);
}
