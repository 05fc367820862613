/*
 * oauth.h: decoders for the replies of Twitch's OAuth server (id.twitch.tv
 * /oauth2: device, token, validate) and the form bodies sent to it. Pure:
 * bytes in, fixed-size structs out, nothing allocated that outlives a call.
 * One of the two files that include cJSON.h (helix.c is the other).
 *
 * Everything decoded comes from the network and is checked before it is
 * kept: a field that is missing, too long, or holds a byte that has no
 * business there (a control character in a user code that will be printed,
 * a blank in a token) fails the whole reply with a message that never
 * quotes the value (it may be a secret).
 */
#ifndef STITCH_OAUTH_H
#define STITCH_OAUTH_H

#include <stddef.h>

#define OAUTH_MAX_BODY		(64 * 1024)	/* a reply we will parse */
#define OAUTH_TOKEN_SIZE	256		/* Twitch's are 30 bytes */
#define OAUTH_SCOPES_SIZE	2048

/* POST /device */
struct oauth_device {
	char		 device_code[OAUTH_TOKEN_SIZE];	/* secret: never shown */
	char		 user_code[64];		/* printable ASCII only */
	char		 verification_uri[512];	/* http(s)://, printable ASCII */
	unsigned long	 interval;		/* s, 1..60; 5 if missing */
	unsigned long	 expires_in;		/* s, 1..86400 */
};

/* POST /token (device code grant or refresh). */
struct oauth_token {
	char		 access[OAUTH_TOKEN_SIZE];	/* never shown */
	char		 refresh[OAUTH_TOKEN_SIZE];	/* "" if none */
	char		 scopes[OAUTH_SCOPES_SIZE];	/* space-separated */
	unsigned long	 expires_in;			/* s; 0 if not said */
};

/* GET /validate */
struct oauth_validate {
	char		 login[32];		/* [a-z0-9_]{1,25} */
	char		 user_id[32];		/* digits */
	char		 client_id[128];
	char		 scopes[OAUTH_SCOPES_SIZE];
	unsigned long	 expires_in;		/* s; 0: does not expire */
};

/* What a failed /token poll meant. */
enum oauth_error {
	OAUTH_ERR_OTHER,	/* anything else: the message says what */
	OAUTH_ERR_PENDING,	/* authorization_pending: poll again */
	OAUTH_ERR_SLOW_DOWN,	/* slow_down: poll again, 5 s slower */
	OAUTH_ERR_EXPIRED,	/* expired_token: the code timed out */
	OAUTH_ERR_DENIED,	/* access_denied: the user said no */
	OAUTH_ERR_INVALID,	/* invalid device code / refresh token */
};

/*
 * Decode a reply body of len bytes (any bytes). Each returns 0, or -1 with
 * err filled ("device reply: no user_code"); out is left zeroed on failure.
 */
int	oauth_parse_device(const char *body, size_t len,
	    struct oauth_device *out, char *err, size_t errsz);
int	oauth_parse_token(const char *body, size_t len,
	    struct oauth_token *out, char *err, size_t errsz);
int	oauth_parse_validate(const char *body, size_t len,
	    struct oauth_validate *out, char *err, size_t errsz);

/*
 * An error reply: Twitch's {"status":400,"message":"authorization_pending"}
 * or RFC 8628's {"error":"slow_down"}; both keys are looked at. msg gets the
 * text, made safe to print (printable ASCII, cut at msgsz); "" if none.
 */
enum oauth_error oauth_parse_error(const char *body, size_t len, char *msg,
	    size_t msgsz);

/* A server's message may quote what it was sent: every occurrence of
 * secret (when at least 8 bytes) in msg becomes "****". */
void	oauth_redact(char *msg, const char *secret);

/* Wipe the secrets in a decoded struct (explicit_bzero: the compiler may
 * not drop it). NULL ok. */
void	oauth_device_clear(struct oauth_device *);
void	oauth_token_clear(struct oauth_token *);

/*
 * Append name=value to a form body (application/x-www-form-urlencoded)
 * in buf of bufsz bytes, with '&' between fields and value percent-encoded.
 * buf must hold a string ("" to start). Returns 0, or -1 if the field does
 * not fit (buf is then left as it was).
 */
int	oauth_form_add(char *buf, size_t bufsz, const char *name,
	    const char *value);

#endif
