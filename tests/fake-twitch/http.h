/*
 * http.h: the seam between fake-twitch's network core (which speaks HTTP
 * through libwebsockets) and its REST handlers (Helix under /helix, OAuth
 * under /oauth2), which are plain functions over the seeded world so they
 * can be written and tested without sockets.
 */
#ifndef FAKE_HTTP_H
#define FAKE_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct fake_world;		/* seed.h */

#define FAKE_HTTP_MAX_HEADERS	16

struct fake_http_header {
	char	name[64];	/* e.g. "Ratelimit-Remaining" */
	char	value[256];
};

/* One request, fully read. Every string is NUL-terminated and owned by the
 * network core for the duration of the call. */
struct fake_http_req {
	const char	*method;	/* "GET", "POST", "DELETE", "PATCH", "PUT" */
	const char	*path;		/* "/helix/users", no query */
	const char	*query;		/* "login=a&login=b", "" if none; still
					 * percent-encoded */
	const char	*authorization;	/* Authorization header or NULL */
	const char	*client_id;	/* Client-Id header or NULL */
	const char	*content_type;	/* or NULL */
	const char	*body;		/* request body, NUL-terminated; "" if none */
	size_t		 body_len;
	uint64_t	 now_ms;	/* the server's clock */
};

/* The reply a handler fills. body is malloc'd by the handler (or NULL for
 * an empty body) and freed by the network core after sending. */
struct fake_http_resp {
	int		 status;	/* 200, 204, 400, 401, 403, 404, 429, ... */
	const char	*content_type;	/* static string; NULL means JSON */
	char		*body;
	size_t		 body_len;
	int		 nheaders;
	struct fake_http_header headers[FAKE_HTTP_MAX_HEADERS];
};

/*
 * Route a request: /helix/... to the Helix handlers, /oauth2/... to the
 * OAuth handlers, anything else 404. Always fills resp (status and body).
 * Side effects on chat (a timeout sends CLEARCHAT, a delete CLEARMSG, a
 * chat message a PRIVMSG) go through the world's chat hooks (seed.h).
 */
void	fake_http_dispatch(struct fake_world *w, const struct fake_http_req *req,
	    struct fake_http_resp *resp);

/* Add a header to resp; silently ignores past FAKE_HTTP_MAX_HEADERS. */
void	fake_http_header_add(struct fake_http_resp *resp, const char *name,
	    const char *value);

#endif
