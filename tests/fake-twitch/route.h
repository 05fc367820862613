/*
 * route.h: the front of fake-twitch's HTTP half: fake_http_dispatch
 * (http.h) sends /helix/ to helix.c and /oauth2/ to oauth.c, counts
 * requests per path for the admin port's "stats", and holds the helpers
 * both handlers use to read arguments and write JSON replies.
 */
#ifndef FAKE_ROUTE_H
#define FAKE_ROUTE_H

#include <stddef.h>
#include <stdio.h>

#include "http.h"

struct cJSON;

/* The admin port's line out: one call per answer line. */
typedef void (*route_emit_fn)(void *arg, const char *line);

/*
 * The idx-th value of name in a query string or a form body, decoded
 * (%XX, and + as a space) into buf. Returns its length, or -1 when absent,
 * too long for buf, or holding a NUL.
 */
int	route_arg(const char *query, const char *name, int idx, char *buf,
	    size_t bufsz);
/* How many times name appears. */
int	route_nargs(const char *query, const char *name);

/* Reply with root printed (root is freed here). */
void	route_json(struct fake_http_resp *, int status, struct cJSON *root);
/* Helix's error shape {"error","status","message"}. */
void	route_helix_error(struct fake_http_resp *, int status,
	    const char *message);
/* OAuth's shape {"status","message"}. */
void	route_oauth_error(struct fake_http_resp *, int status,
	    const char *message);
/* The reason phrase of an HTTP status ("Unauthorized"). */
const char *route_reason(int status);

/* Handlers: 0 when they answered, -1 for a path they do not know. */
int	helix_handle(struct fake_world *, const struct fake_http_req *,
	    struct fake_http_resp *);
int	oauth_handle(struct fake_world *, const struct fake_http_req *,
	    struct fake_http_resp *);

/* Admin commands of the HTTP half (see control.h). Returns 0 when cmd is
 * one of them (the answer went out through emit), -1 otherwise. */
int	route_control(const char *cmd, char *args, route_emit_fn, void *arg);
/* The HTTP half's part of fake-twitch --help. */
void	route_usage(FILE *);
/* "stat ..." lines: requests per path, buckets, faults. */
void	route_stats(route_emit_fn, void *arg);

/* helix.c: the next n replies become kind (500, 429, malformed, slow). */
int	helix_fault_set(unsigned n, const char *kind);
unsigned helix_fault_left(void);
void	helix_bucket_set(struct fake_world *, unsigned size);
/* oauth.c: approve or deny a pending device code. */
int	oauth_approve(struct fake_world *, const char *user_code,
	    const char *login, char *msg, size_t msgsz);
int	oauth_deny(struct fake_world *, const char *user_code, char *msg,
	    size_t msgsz);

#endif
