/*
 * fuzz-oauth.c: the OAuth reply decoders and the device flow on any
 * bytes, as a hostile server could send them. Nothing may read or write
 * out of bounds, and whatever is accepted must hold what oauth.h promises:
 * printable ASCII in what is shown, no blank in a token, a Twitch login,
 * digits in a user id, numbers in range.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "oauth.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every byte of s in [lo, hi], and s ends inside its buffer. */
static void
fuzz_check(const char *s, size_t size, unsigned char lo, unsigned char hi)
{
	size_t	i;

	if (memchr(s, '\0', size) == NULL)
		abort();
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < lo || (unsigned char)s[i] > hi)
			abort();
}

static void
fuzz_device(const char *s, size_t len)
{
	struct oauth_device	d;
	char			err[256];

	if (oauth_parse_device(s, len, &d, err, sizeof err) != 0) {
		if (err[0] == '\0' || d.device_code[0] != '\0')
			abort();
		return;
	}
	fuzz_check(d.device_code, sizeof d.device_code, 0x21, 0x7e);
	fuzz_check(d.user_code, sizeof d.user_code, 0x21, 0x7e);
	fuzz_check(d.verification_uri, sizeof d.verification_uri, 0x21, 0x7e);
	if (strncmp(d.verification_uri, "http", 4) != 0 || d.interval < 1 ||
	    d.interval > 60 || d.expires_in < 1 || d.expires_in > 86400)
		abort();
}

static void
fuzz_token(const char *s, size_t len)
{
	struct oauth_token	t;
	char			err[256];

	if (oauth_parse_token(s, len, &t, err, sizeof err) != 0) {
		if (err[0] == '\0' || t.access[0] != '\0')
			abort();
		return;
	}
	fuzz_check(t.access, sizeof t.access, 0x21, 0x7e);
	fuzz_check(t.refresh, sizeof t.refresh, 0x21, 0x7e);
	fuzz_check(t.scopes, sizeof t.scopes, 0x20, 0x7e);
	if (t.access[0] == '\0')
		abort();
}

static void
fuzz_validate(const char *s, size_t len)
{
	struct oauth_validate	v;
	char			err[256];

	if (oauth_parse_validate(s, len, &v, err, sizeof err) != 0)
		return;
	fuzz_check(v.login, sizeof v.login, 0x21, 0x7e);
	if (strspn(v.login, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
	    strlen(v.login) || strlen(v.login) > 25 || v.login[0] == '\0' ||
	    strspn(v.user_id, "0123456789") != strlen(v.user_id))
		abort();
	fuzz_check(v.scopes, sizeof v.scopes, 0x20, 0x7e);
}

/* The flow: a /device reply that works, then the input as every poll's
 * reply, with a 400 and a 200 status in turn. */
static void
fuzz_flow(const char *s, size_t len)
{
	static const char	 start[] = "{\"device_code\":\"d\","
	    "\"expires_in\":60,\"interval\":5,\"user_code\":\"U\","
	    "\"verification_uri\":\"https://x/\"}";
	struct auth_device	 d;
	uint64_t		 now = 0, wait;
	char			 err[256];
	int			 i;

	if (auth_device_start(&d, start, sizeof start - 1, now, err,
	    sizeof err) != 0)
		abort();
	for (i = 0; i < 20; i++) {
		switch (auth_device_step(&d, now, &wait)) {
		case AUTH_DEVICE_WAIT:
			if (wait == 0)
				abort();
			now += wait;
			continue;
		case AUTH_DEVICE_POLL:
			auth_device_reply(&d, i % 2 ? 200 : 400, s, len, now);
			continue;
		case AUTH_DEVICE_BUSY:
			abort();	/* every poll was answered */
		default:
			fuzz_check(d.error, sizeof d.error, 0x20, 0x7e);
			auth_device_clear(&d);
			return;
		}
	}
	auth_device_clear(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, msg[128];

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_device(s, size);
	fuzz_token(s, size);
	fuzz_validate(s, size);
	oauth_parse_error(s, size, msg, sizeof msg);
	fuzz_check(msg, sizeof msg, 0x20, 0x7e);
	fuzz_flow(s, size);
	free(s);
	return 0;
}
