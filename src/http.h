/*
 * http.h: HTTP requests on the libuv loop, through libcurl's multi-socket
 * interface (CURLMOPT_SOCKETFUNCTION on uv_poll, CURLMOPT_TIMERFUNCTION on
 * a uv_timer): no thread, no busy loop, nothing blocks. http.c is the only
 * file that includes curl/curl.h.
 *
 * What every request gets, so callers (Helix, OAuth) need not care:
 *   - TLS verification, always: the system CAs, plus ca_file when given.
 *     There is no option to turn it off.
 *   - Connect and total time-outs; only http:// and https://, no redirects.
 *   - At most max_parallel transfers at once; the rest wait in order.
 *   - Retries with exponential back-off and jitter on network errors and
 *     5xx replies, a bounded number of times. A POST is retried only when
 *     it surely never reached the server (connect or resolve failure), so
 *     a whisper is never sent twice.
 *   - 429: wait until Ratelimit-Reset (capped), then try again, a bounded
 *     number of times.
 *   - The body is read into a capped buffer: a larger reply is an error,
 *     not a memory blow-up.
 *   - The Helix budget (Ratelimit-Limit, -Remaining, -Reset of the latest
 *     reply that had them) is kept for http_budget().
 *
 * Request headers may carry a token: they are never logged, never copied
 * into an error message, and wiped from memory when the request ends.
 */
#ifndef STITCH_HTTP_H
#define STITCH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct http;
struct http_call;

/* Zero it, then fill what you want; 0 or NULL means the default. */
struct http_opts {
	const char	*ca_file;	   /* an extra trusted CA (PEM) */
	const char	*user_agent;	   /* "stitch/VERSION" */
	unsigned	 connect_timeout_ms; /* 10000 */
	unsigned	 timeout_ms;	   /* whole transfer: 30000 */
	unsigned	 max_parallel;	   /* 4 */
	unsigned	 retries;	   /* network errors and 5xx: 3;
					    * HTTP_NO_RETRY for none */
	unsigned	 backoff_ms;	   /* first retry waits about this: 500 */
	unsigned	 max_backoff_ms;   /* 8000 */
	unsigned	 retries_429;	   /* 3 */
	unsigned	 max_wait_429_s;   /* longest wait for a reset: 60 */
	size_t		 max_body;	   /* bytes: 8 MiB */
};

#define HTTP_NO_RETRY	(~0u)
#define HTTP_MAX_HEADERS 8

/* One request. Everything is copied by http_request(); the caller may free
 * it at once. */
struct http_req {
	const char	*method;	/* "GET" (NULL), "POST", "PATCH", ... */
	const char	*url;
	/* "Name: value" lines, NULL-terminated (at most HTTP_MAX_HEADERS). May
	 * hold a token: never logged. */
	const char	*headers[HTTP_MAX_HEADERS + 1];
	const char	*body;		/* NULL: none */
	size_t		 body_len;
};

/* What came back; borrowed by the callback for the duration of the call. */
struct http_resp {
	long		 status;	/* 0: no reply at all (see error) */
	const char	*body;		/* NUL-terminated; "" if none */
	size_t		 body_len;
	const char	*content_type;	/* "" if none */
	/* Helix's budget headers; -1 when absent. */
	long		 rl_limit;
	long		 rl_remaining;
	int64_t		 rl_reset;	/* epoch seconds */
	/* NULL when a reply came (whatever its status); else what went wrong
	 * in words a person can act on ("cannot connect to api.twitch.tv:
	 * Connection refused", "TLS: certificate verify failed ..."). */
	const char	*error;
	unsigned	 attempts;	/* 1 + retries made */
};

/* Called once per request, from the loop, unless it was cancelled. The
 * callback may start new requests and cancel others. */
typedef void	(*http_done_cb)(void *arg, const struct http_resp *);

/* The latest budget Helix told us; -1 fields when never told. */
struct http_budget {
	long		 limit;
	long		 remaining;
	int64_t		 reset;		/* epoch seconds */
};

/* Counters, for tests and the status line. */
struct http_stats {
	uint64_t	 started;	/* transfers put on the wire */
	uint64_t	 retried;	/* of which were retries (5xx, network) */
	uint64_t	 waited_429;	/* 429s waited out */
	uint64_t	 done;		/* callbacks made */
	size_t		 running;	/* transfers now */
	size_t		 queued;	/* waiting for a slot or a retry time */
};

/* A client on loop. Returns NULL with err filled if libcurl cannot start. */
struct http	*http_new(uv_loop_t *loop, const struct http_opts *,
		    char *err, size_t errsz);
/*
 * Drop every request (no callbacks) and free the client; its uv handles
 * close on the next loop turns, so run the loop (UV_RUN_NOWAIT) before
 * uv_loop_close(). NULL ok. Not from inside a completion callback.
 */
void		 http_free(struct http *);

/*
 * Start (or queue) a request. Returns a handle valid until cb has been
 * called or http_cancel() is called, or NULL with err filled for a request
 * that cannot be made (no URL, too many headers).
 */
struct http_call *http_request(struct http *, const struct http_req *,
		    http_done_cb cb, void *arg, char *err, size_t errsz);
/* Forget a request: its callback will not be called. */
void		 http_cancel(struct http_call *);

void		 http_budget(const struct http *, struct http_budget *);
void		 http_get_stats(const struct http *, struct http_stats *);

/* Write s into out percent-encoded for a query value (RFC 3986 unreserved
 * kept). Returns 0, or -1 if it does not fit (out then holds a prefix,
 * NUL-terminated). */
int		 http_escape(const char *s, char *out, size_t outsz);

#endif
