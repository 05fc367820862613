/*
 * ossl.h: the OpenSSL calls stitch makes itself (the TLS error texts of
 * ws.c, the extra CA file of http.c, the cache's SHA-256), from libssl and
 * libcrypto loaded when first needed (dynlib.h) instead of linked. Merely
 * mapping libcrypto costs about 1.5 MB resident (its relocations), and a
 * session on plain ws:// that makes no Helix request never needs it.
 *
 * Include this instead of the OpenSSL headers; call ossl_load() before
 * the first call. The calls keep their OpenSSL names.
 */
#ifndef STITCH_OSSL_H
#define STITCH_OSSL_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

struct ossl_fns {
	/* libssl */
	int		 (*ssl_pending)(const SSL *);
	X509_STORE	*(*ssl_ctx_get_cert_store)(const SSL_CTX *);
	/* libcrypto */
	int		 (*digest_final_ex)(EVP_MD_CTX *, unsigned char *,
			    unsigned int *);
	int		 (*digest_init_ex)(EVP_MD_CTX *, const EVP_MD *,
			    ENGINE *);
	int		 (*digest_update)(EVP_MD_CTX *, const void *, size_t);
	void		 (*md_ctx_free)(EVP_MD_CTX *);
	EVP_MD_CTX	*(*md_ctx_new)(void);
	const EVP_MD	*(*sha256)(void);
	X509		*(*pem_read_x509)(FILE *, X509 **, pem_password_cb *,
			    void *);
	int		 (*store_ctx_get_error)(const X509_STORE_CTX *);
	int		 (*store_load_file)(X509_STORE *, const char *);
	void		 (*x509_free)(X509 *);
	const char	*(*verify_cert_error_string)(long);
};
extern struct ossl_fns	ossl;

/* Load both libraries once: 0, or -1 with err filled. */
int	ossl_load(char *err, size_t errsz);

#ifndef OSSL_NO_NAMES
#undef SSL_pending
#undef SSL_CTX_get_cert_store
#undef EVP_DigestFinal_ex
#undef EVP_DigestInit_ex
#undef EVP_DigestUpdate
#undef EVP_MD_CTX_free
#undef EVP_MD_CTX_new
#undef EVP_sha256
#undef PEM_read_X509
#undef X509_STORE_CTX_get_error
#undef X509_STORE_load_file
#undef X509_free
#undef X509_verify_cert_error_string
#define SSL_pending			ossl.ssl_pending
#define SSL_CTX_get_cert_store		ossl.ssl_ctx_get_cert_store
#define EVP_DigestFinal_ex		ossl.digest_final_ex
#define EVP_DigestInit_ex		ossl.digest_init_ex
#define EVP_DigestUpdate		ossl.digest_update
#define EVP_MD_CTX_free			ossl.md_ctx_free
#define EVP_MD_CTX_new			ossl.md_ctx_new
#define EVP_sha256			ossl.sha256
#define PEM_read_X509			ossl.pem_read_x509
#define X509_STORE_CTX_get_error	ossl.store_ctx_get_error
#define X509_STORE_load_file		ossl.store_load_file
#define X509_free			ossl.x509_free
#define X509_verify_cert_error_string	ossl.verify_cert_error_string
#endif

#endif
