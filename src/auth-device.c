/*
 * auth-device.c: the device code flow (RFC 8628 as Twitch does it) as a
 * state machine on the caller's clock (see auth.h): no network, no timers,
 * so tests drive it with a fake clock.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"

#define AUTH_DEVICE_MAX_INTERVAL_MS	120000

int
auth_device_start(struct auth_device *d, const char *body, size_t len,
    uint64_t now_ms, char *err, size_t errsz)
{
	memset(d, 0, sizeof *d);
	if (oauth_parse_device(body, len, &d->code, err, errsz) != 0)
		return -1;
	d->interval_ms = (uint64_t)d->code.interval * 1000;
	d->deadline_ms = now_ms + (uint64_t)d->code.expires_in * 1000;
	/* The user cannot have typed the code yet: the first poll waits
	 * one interval too. */
	d->next_ms = now_ms + d->interval_ms;
	d->state = AUTH_DEVICE_WAIT;
	return 0;
}

enum auth_device_state
auth_device_step(struct auth_device *d, uint64_t now_ms, uint64_t *wait_ms)
{
	uint64_t	until;

	if (wait_ms != NULL)
		*wait_ms = 0;
	if (d->state != AUTH_DEVICE_WAIT)
		return d->state;
	if (now_ms >= d->deadline_ms) {
		d->state = AUTH_DEVICE_EXPIRED;
		snprintf(d->error, sizeof d->error, "the code expired before "
		    "it was entered; run stitch login again");
		return d->state;
	}
	if (now_ms >= d->next_ms) {
		d->state = AUTH_DEVICE_BUSY;
		d->polls++;
		return AUTH_DEVICE_POLL;
	}
	until = d->next_ms < d->deadline_ms ? d->next_ms : d->deadline_ms;
	if (wait_ms != NULL)
		*wait_ms = until - now_ms;
	return AUTH_DEVICE_WAIT;
}

/* Poll again after the interval. */
static void
auth_device_again(struct auth_device *d, uint64_t now_ms)
{
	d->next_ms = now_ms + d->interval_ms;
	d->state = AUTH_DEVICE_WAIT;
}

void
auth_device_reply(struct auth_device *d, int status, const char *body,
    size_t len, uint64_t now_ms)
{
	enum oauth_error code;
	char	msg[128], err[256];

	if (d->state != AUTH_DEVICE_BUSY)
		return;
	if (status == 200) {
		if (oauth_parse_token(body, len, &d->token, err,
		    sizeof err) == 0)
			d->state = AUTH_DEVICE_DONE;
		else {
			d->state = AUTH_DEVICE_FAILED;
			snprintf(d->error, sizeof d->error, "%s", err);
		}
		return;
	}
	if (status == 0 || status == 429 || status >= 500) {
		/* Not an answer about the code: the network or the server
		 * is having a bad moment. */
		if (++d->errors >= AUTH_DEVICE_MAX_ERRORS) {
			d->state = AUTH_DEVICE_FAILED;
			snprintf(d->error, sizeof d->error, "the OAuth server "
			    "did not answer %u polls in a row (last: %s)",
			    d->errors, status == 0 ? "no reply" : "HTTP error");
		} else
			auth_device_again(d, now_ms);
		return;
	}
	d->errors = 0;
	code = oauth_parse_error(body, len, msg, sizeof msg);
	oauth_redact(msg, d->code.device_code);
	switch (code) {
	case OAUTH_ERR_PENDING:
		auth_device_again(d, now_ms);
		return;
	case OAUTH_ERR_SLOW_DOWN:
		d->slow_downs++;
		if (d->interval_ms + 5000 <= AUTH_DEVICE_MAX_INTERVAL_MS)
			d->interval_ms += 5000;
		auth_device_again(d, now_ms);
		return;
	case OAUTH_ERR_EXPIRED:
		d->state = AUTH_DEVICE_EXPIRED;
		snprintf(d->error, sizeof d->error, "the code expired before "
		    "it was entered; run stitch login again");
		return;
	case OAUTH_ERR_DENIED:
		d->state = AUTH_DEVICE_DENIED;
		snprintf(d->error, sizeof d->error, "authorization was denied "
		    "on Twitch; nothing was stored");
		return;
	default:
		d->state = AUTH_DEVICE_FAILED;
		snprintf(d->error, sizeof d->error, "the OAuth server "
		    "refused: %s (HTTP %d)", *msg != '\0' ? msg :
		    "no reason given", status);
		return;
	}
}

void
auth_device_clear(struct auth_device *d)
{
	if (d != NULL)
		explicit_bzero(d, sizeof *d);
}
