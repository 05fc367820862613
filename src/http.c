/*
 * http.c: libcurl's multi-socket interface on the libuv loop (see http.h).
 *
 * curl tells us which sockets to watch (http_on_socket: one uv_poll_t per
 * socket) and when to call it back (http_on_curl_timer: one uv_timer_t);
 * we tell curl what happened with curl_multi_socket_action() and then
 * collect finished transfers. A call lives on one of three lists: queued
 * (waiting for a slot), running (in the multi handle) or waiting (for its
 * retry time; one shared timer wakes the earliest).
 *
 * The only file that includes curl/curl.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include <curl/curl.h>

#include "buf.h"
#include "dynlib.h"
#include "http.h"
#include "ossl.h"

/*
 * libcurl is loaded by the first http_new() (dynlib.h), not linked: with
 * what it brings (gnutls, kerberos, ldap, ssh, ...) it holds about 3 MB
 * resident from the start, and a session reading chat anonymously never
 * makes a request. The calls below keep their libcurl names.
 */
struct http_curl_fns {
	CURLcode		(*global_init)(long);
	CURL			*(*easy_init)(void);
	CURLcode		(*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode		(*easy_getinfo)(CURL *, CURLINFO, ...);
	void			(*easy_cleanup)(CURL *);
	const char		*(*easy_strerror)(CURLcode);
	CURLM			*(*multi_init)(void);
	CURLMcode		(*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode		(*multi_add_handle)(CURLM *, CURL *);
	CURLMcode		(*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode		(*multi_assign)(CURLM *, curl_socket_t, void *);
	CURLMcode		(*multi_socket_action)(CURLM *, curl_socket_t,
				    int, int *);
	CURLMsg			*(*multi_info_read)(CURLM *, int *);
	CURLMcode		(*multi_cleanup)(CURLM *);
	struct curl_slist	*(*slist_append)(struct curl_slist *,
				    const char *);
	void			(*slist_free_all)(struct curl_slist *);
};
static struct http_curl_fns	 http_curl;
static void			*http_curl_lib;

#define CURL_SYM(m)	DYNLIB_SYM(struct http_curl_fns, m, "curl_" #m)
static const struct dynlib_sym http_curl_syms[] = {
	CURL_SYM(global_init), CURL_SYM(easy_init), CURL_SYM(easy_setopt),
	CURL_SYM(easy_getinfo), CURL_SYM(easy_cleanup),
	CURL_SYM(easy_strerror), CURL_SYM(multi_init),
	CURL_SYM(multi_setopt), CURL_SYM(multi_add_handle),
	CURL_SYM(multi_remove_handle), CURL_SYM(multi_assign),
	CURL_SYM(multi_socket_action), CURL_SYM(multi_info_read),
	CURL_SYM(multi_cleanup), CURL_SYM(slist_append),
	CURL_SYM(slist_free_all)
};

/* curl.h may define the first few as type-checking macros. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init	http_curl.global_init
#define curl_easy_init		http_curl.easy_init
#define curl_easy_setopt	http_curl.easy_setopt
#define curl_easy_getinfo	http_curl.easy_getinfo
#define curl_easy_cleanup	http_curl.easy_cleanup
#define curl_easy_strerror	http_curl.easy_strerror
#define curl_multi_init		http_curl.multi_init
#define curl_multi_setopt	http_curl.multi_setopt
#define curl_multi_add_handle	http_curl.multi_add_handle
#define curl_multi_remove_handle http_curl.multi_remove_handle
#define curl_multi_assign	http_curl.multi_assign
#define curl_multi_socket_action http_curl.multi_socket_action
#define curl_multi_info_read	http_curl.multi_info_read
#define curl_multi_cleanup	http_curl.multi_cleanup
#define curl_slist_append	http_curl.slist_append
#define curl_slist_free_all	http_curl.slist_free_all

enum http_state {
	HTTP_QUEUED,
	HTTP_RUNNING,
	HTTP_WAITING,
};

struct http_list {
	struct http_call	*head;
	struct http_call	*tail;
	size_t			 n;
};

struct http_call {
	struct http		*h;
	struct http_call	*prev;
	struct http_call	*next;
	struct http_list	*list;		/* the one it is on */

	char			*method;
	char			*url;
	char			*body;
	size_t			 body_len;
	int			 post;		/* not idempotent */
	struct curl_slist	*headers;	/* may hold a token */

	CURL			*easy;
	struct buf		 resp;
	int			 too_big;
	char			 ctype[128];
	long			 rl_limit;
	long			 rl_remaining;
	int64_t			 rl_reset;
	char			 errbuf[CURL_ERROR_SIZE];

	unsigned		 attempts;
	unsigned		 retries;	/* 5xx and network */
	unsigned		 waits;		/* 429 */
	uint64_t		 due;		/* loop ms, when waiting */

	http_done_cb		 cb;
	void			*arg;
	int			 in_cb;		/* its callback is running */
};

struct http_sock {
	uv_poll_t		 poll;
	curl_socket_t		 fd;
	struct http		*h;
	struct http_sock	*prev;
	struct http_sock	*next;
};

struct http {
	uv_loop_t		*loop;
	CURLM			*multi;
	uv_timer_t		 curl_timer;
	uv_timer_t		 wait_timer;
	int			 open_handles;
	int			 closing;

	struct http_opts	 o;
	char			*ca_file;
	char			*user_agent;

	struct http_list	 queued;
	struct http_list	 running;
	struct http_list	 waiting;
	struct http_sock	*socks;

	struct http_budget	 budget;
	struct http_stats	 stats;
	uint64_t		 rng;
};

static int	 http_curl_ready;

static void	 http_pump(struct http *);

/* Out of memory is fatal everywhere in stitch. */
static void
http_oom(void)
{
	fputs("stitch: out of memory\n", stderr);
	abort();
}

/* strdup() that never fails. */
static char *
http_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		http_oom();
	return p;
}

/* Put c on l, first or last. */
static void
http_list_add(struct http_list *l, struct http_call *c, int at_head)
{
	c->list = l;
	if (at_head) {
		c->prev = NULL;
		c->next = l->head;
		if (l->head != NULL)
			l->head->prev = c;
		else
			l->tail = c;
		l->head = c;
	} else {
		c->next = NULL;
		c->prev = l->tail;
		if (l->tail != NULL)
			l->tail->next = c;
		else
			l->head = c;
		l->tail = c;
	}
	l->n++;
}

/* Take c off whichever list holds it (none: no-op). */
static void
http_list_del(struct http_call *c)
{
	struct http_list	*l = c->list;

	if (l == NULL)
		return;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
	c->list = NULL;
	l->n--;
}

/* Wall-clock ms, for Ratelimit-Reset (epoch seconds). */
static int64_t
http_wall_ms(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* xorshift64: jitter needs no more than this. */
static uint64_t
http_rand(struct http *h)
{
	h->rng ^= h->rng << 13;
	h->rng ^= h->rng >> 7;
	h->rng ^= h->rng << 17;
	return h->rng;
}

/*
 * Sockets and timers: curl's side of the loop.
 */

/* The poll handle is closed: its memory can go. */
static void
http_sock_closed(uv_handle_t *handle)
{
	free(handle->data);
}

/* Stop watching a socket and close its handle (freed later). */
static void
http_sock_close(struct http_sock *s)
{
	struct http	*h = s->h;

	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		h->socks = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	uv_poll_stop(&s->poll);
	uv_close((uv_handle_t *)&s->poll, http_sock_closed);
}

static void	http_check_done(struct http *);

/* A watched socket is ready: tell curl, then collect what finished. */
static void
http_on_poll(uv_poll_t *p, int status, int events)
{
	struct http_sock	*s = p->data;
	struct http		*h = s->h;
	int			 flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	/* s may be freed by this call (CURL_POLL_REMOVE). */
	curl_multi_socket_action(h->multi, s->fd, flags, &running);
	http_check_done(h);
}

/* curl says which events of fd to watch (or to forget it). */
static int
http_on_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *sockp)
{
	struct http		*h = userp;
	struct http_sock	*s = sockp;
	int			 events = 0;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			curl_multi_assign(h->multi, fd, NULL);
			http_sock_close(s);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof *s)) == NULL)
			http_oom();
		s->fd = fd;
		s->h = h;
		if (uv_poll_init_socket(h->loop, &s->poll, fd) != 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		s->next = h->socks;
		if (h->socks != NULL)
			h->socks->prev = s;
		h->socks = s;
		curl_multi_assign(h->multi, fd, s);
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, http_on_poll);
	return 0;
}

/* curl's timer ran out: let it act on time-outs. */
static void
http_on_curl_timeout(uv_timer_t *t)
{
	struct http	*h = t->data;
	int		 running;

	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done(h);
}

/* curl asks to be called back in timeout_ms (-1: never). */
static int
http_on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http	*h = userp;

	if (h->closing)
		return 0;
	if (timeout_ms < 0)
		uv_timer_stop(&h->curl_timer);
	else
		uv_timer_start(&h->curl_timer, http_on_curl_timeout,
		    (uint64_t)timeout_ms, 0);
	return 0;
}

/*
 * One transfer.
 */

/* Body bytes into the capped buffer; past the cap, stop the transfer. */
static size_t
http_on_write(char *p, size_t size, size_t n, void *arg)
{
	struct http_call	*c = arg;

	if (buf_add(&c->resp, p, n) != 0) {
		c->too_big = 1;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	return n;
}

/* A non-negative decimal header value, or -1. */
static int64_t
http_header_num(const char *v, size_t len)
{
	int64_t	n = 0;
	size_t	i;

	if (len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n;
}

/* Keep the reply headers we care about, from the last response only. */
static size_t
http_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_call	*c = arg;
	const char		*colon, *v, *end = p + n;
	size_t			 namelen, vlen;

	/* Each response of the exchange (a 100 Continue, the real one) starts
	 * with its status line: forget what an earlier one said. */
	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		c->ctype[0] = '\0';
		c->rl_limit = c->rl_remaining = -1;
		c->rl_reset = -1;
		return n;
	}
	if ((colon = memchr(p, ':', n)) == NULL)
		return n;
	namelen = (size_t)(colon - p);
	for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' '))
		end--;
	vlen = (size_t)(end - v);
#define HTTP_IS(name) (namelen == sizeof(name) - 1 && \
	strncasecmp(p, name, namelen) == 0)
	if (HTTP_IS("Content-Type")) {
		if (vlen >= sizeof c->ctype)
			vlen = sizeof c->ctype - 1;
		memcpy(c->ctype, v, vlen);
		c->ctype[vlen] = '\0';
	} else if (HTTP_IS("Ratelimit-Limit"))
		c->rl_limit = (long)http_header_num(v, vlen);
	else if (HTTP_IS("Ratelimit-Remaining"))
		c->rl_remaining = (long)http_header_num(v, vlen);
	else if (HTTP_IS("Ratelimit-Reset"))
		c->rl_reset = http_header_num(v, vlen);
#undef HTTP_IS
	return n;
}

/* Trust ca_file on top of the system store OpenSSL already loaded. */
static CURLcode
http_on_ssl_ctx(CURL *easy, void *sslctx, void *arg)
{
	struct http	*h = arg;
	X509_STORE	*st = SSL_CTX_get_cert_store(sslctx);

	if (st == NULL || X509_STORE_load_file(st, h->ca_file) != 1)
		return CURLE_SSL_CACERT_BADFILE;
	return CURLE_OK;
}

/* The easy handle of a call, set up once for all its attempts. */
static void
http_setup(struct http_call *c)
{
	struct http	*h = c->h;
	CURL		*e;

	if ((e = c->easy = curl_easy_init()) == NULL)
		http_oom();
	curl_easy_setopt(e, CURLOPT_URL, c->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, c);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)h->o.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)h->o.timeout_ms);
	/* A server that trickles is as good as dead: Helix replies are small
	 * and quick, so under 64 bytes/s for 10 s ends the try early. */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 64L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 10L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
	if (h->ca_file != NULL) {
		curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, h);
		/* Not an OpenSSL build: ca_file alone, still verified. */
		if (curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION,
		    http_on_ssl_ctx) != CURLE_OK)
			curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->headers);
	if (strcmp(c->method, "GET") == 0)
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else {
		if (strcmp(c->method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, c->method);
		if (c->body != NULL || strcmp(c->method, "POST") == 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDS,
			    c->body != NULL ? c->body : "");
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)c->body_len);
		}
	}
}

/* Put one attempt of c on the wire. */
static void
http_start(struct http_call *c)
{
	struct http	*h = c->h;

	if (c->easy == NULL)
		http_setup(c);
	buf_reset(&c->resp);
	c->too_big = 0;
	c->errbuf[0] = '\0';
	c->ctype[0] = '\0';
	c->rl_limit = c->rl_remaining = -1;
	c->rl_reset = -1;
	c->attempts++;
	h->stats.started++;
	if (c->attempts > 1 + c->waits)
		h->stats.retried++;
	http_list_add(&h->running, c, 0);
	curl_multi_add_handle(h->multi, c->easy);
}

/* Forget c wherever it is, wiping what may hold a token. */
static void
http_call_free(struct http_call *c)
{
	struct curl_slist	*l;

	if (c->easy != NULL) {
		if (c->list == &c->h->running)
			curl_multi_remove_handle(c->h->multi, c->easy);
		curl_easy_cleanup(c->easy);
	}
	http_list_del(c);
	/* Authorization lines hold tokens. */
	for (l = c->headers; l != NULL; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(c->headers);
	if (c->body != NULL) {
		explicit_bzero(c->body, c->body_len);
		free(c->body);
	}
	buf_free(&c->resp);
	free(c->method);
	free(c->url);
	free(c);
}

static void	http_on_wait(uv_timer_t *);

/* Wake up for the earliest waiting call, or not at all. */
static void
http_arm_wait(struct http *h)
{
	struct http_call	*c;
	uint64_t		 first = UINT64_MAX, now = uv_now(h->loop);

	for (c = h->waiting.head; c != NULL; c = c->next)
		if (c->due < first)
			first = c->due;
	if (first == UINT64_MAX)
		uv_timer_stop(&h->wait_timer);
	else
		uv_timer_start(&h->wait_timer, http_on_wait,
		    first > now ? first - now : 0, 0);
}

/* Calls whose time has come go first in the queue: they were asked for
 * before anything queued since. */
static void
http_on_wait(uv_timer_t *t)
{
	struct http		*h = t->data;
	struct http_call	*c, *next, *back = NULL;
	uint64_t		 now = uv_now(h->loop);

	for (c = h->waiting.head; c != NULL; c = next) {
		next = c->next;
		if (c->due > now)
			continue;
		http_list_del(c);
		if (back == NULL)
			http_list_add(&h->queued, c, 1);
		else {
			/* After the last one moved, keeping their order. */
			c->prev = back;
			c->next = back->next;
			if (back->next != NULL)
				back->next->prev = c;
			else
				h->queued.tail = c;
			back->next = c;
			c->list = &h->queued;
			h->queued.n++;
		}
		back = c;
	}
	http_arm_wait(h);
	http_pump(h);
}

/* Park c until ms from now (a retry or a 429's reset). */
static void
http_wait(struct http_call *c, uint64_t ms)
{
	struct http	*h = c->h;

	c->due = uv_now(h->loop) + ms;
	http_list_add(&h->waiting, c, 0);
	http_arm_wait(h);
}

/* Exponential back-off with "equal jitter": half fixed, half random, so
 * many clients that failed together do not come back together. */
static uint64_t
http_backoff(struct http *h, unsigned retry)
{
	uint64_t	d = h->o.backoff_ms;
	unsigned	i;

	for (i = 1; i < retry && d < h->o.max_backoff_ms; i++)
		d *= 2;
	if (d > h->o.max_backoff_ms)
		d = h->o.max_backoff_ms;
	return d / 2 + http_rand(h) % (d / 2 + 1);
}

/* Network failures worth another try; a certificate that does not verify
 * or a bad URL will fail the same way again. */
static int
http_transient(CURLcode rc, int post)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return 1;
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		/* The request may have been acted on. */
		return !post;
	default:
		return 0;
	}
}

/* host[:port] of the URL, for messages. */
static void
http_host(const char *url, char *out, size_t outsz)
{
	const char	*p = strstr(url, "://"), *e;

	p = p != NULL ? p + 3 : url;
	for (e = p; *e != '\0' && *e != '/' && *e != '?' && *e != '#'; e++)
		;
	snprintf(out, outsz, "%.*s", (int)(e - p), p);
}

/* What went wrong, in words a person can act on, naming the host only. */
static void
http_error(struct http_call *c, CURLcode rc, char *out, size_t outsz)
{
	const char	*why = c->errbuf[0] != '\0' ? c->errbuf :
			    curl_easy_strerror(rc);
	char		 host[256];

	http_host(c->url, host, sizeof host);
	switch (rc) {
	case CURLE_WRITE_ERROR:
		if (c->too_big) {
			snprintf(out, outsz, "%s: reply larger than %zu bytes",
			    host, c->h->o.max_body);
			return;
		}
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(out, outsz, "cannot find %s: %s", host, why);
		return;
	case CURLE_COULDNT_CONNECT:
		snprintf(out, outsz, "cannot connect to %s: %s", host, why);
		return;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(out, outsz, "%s: timed out (%s)", host, why);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(out, outsz, "%s: TLS: %s", host, why);
		return;
	default:
		break;
	}
	snprintf(out, outsz, "%s: %s", host, why);
}

/* Hand the outcome to the caller's callback. */
static void
http_deliver(struct http_call *c, CURLcode rc, long status)
{
	struct http		*h = c->h;
	struct http_resp	 r;
	char			 err[CURL_ERROR_SIZE + 320];

	memset(&r, 0, sizeof r);
	r.status = status;
	r.body = buf_ptr(&c->resp);
	r.body_len = buf_len(&c->resp);
	r.content_type = c->ctype;
	r.rl_limit = c->rl_limit;
	r.rl_remaining = c->rl_remaining;
	r.rl_reset = c->rl_reset;
	r.attempts = c->attempts;
	if (rc != CURLE_OK) {
		http_error(c, rc, err, sizeof err);
		r.error = err;
		r.status = 0;
	}
	h->stats.done++;
	c->in_cb = 1;
	c->cb(c->arg, &r);
	c->in_cb = 0;
}

/* One attempt is over: retry it, wait out a 429, or deliver. */
static void
http_finished(struct http_call *c, CURLcode rc)
{
	struct http	*h = c->h;
	long		 status = 0;
	int64_t		 ms;

	curl_multi_remove_handle(h->multi, c->easy);
	http_list_del(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
	/* Keep the budget even from error replies: a 429 carries it too. */
	if (rc == CURLE_OK && c->rl_remaining >= 0) {
		h->budget.limit = c->rl_limit;
		h->budget.remaining = c->rl_remaining;
		h->budget.reset = c->rl_reset;
	}
	if (rc == CURLE_OK && status == 429 && c->waits < h->o.retries_429) {
		c->waits++;
		h->stats.waited_429++;
		if (c->rl_reset >= 0) {
			/* A little past the reset, so the bucket has
			 * surely refilled when we come back. */
			ms = c->rl_reset * 1000 - http_wall_ms() + 100;
			if (ms < 0)
				ms = 0;
			if (ms > (int64_t)h->o.max_wait_429_s * 1000)
				ms = (int64_t)h->o.max_wait_429_s * 1000;
		} else
			ms = (int64_t)http_backoff(h, c->waits);
		http_wait(c, (uint64_t)ms);
		return;
	}
	if (c->retries < h->o.retries && ((rc == CURLE_OK && status >= 500 &&
	    !c->post) || (rc != CURLE_OK && http_transient(rc, c->post)))) {
		c->retries++;
		http_wait(c, http_backoff(h, c->retries));
		return;
	}
	http_deliver(c, rc, status);
	http_call_free(c);
}

/* Collect every finished transfer, then start queued ones. */
static void
http_check_done(struct http *h)
{
	struct http_call	*c;
	CURLMsg			*m;
	int			 left;

	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		c = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &c);
		if (c != NULL)
			http_finished(c, m->data.result);
	}
	http_pump(h);
}

/* Start queued calls while there is a free slot. */
static void
http_pump(struct http *h)
{
	struct http_call	*c;

	while (!h->closing && h->running.n < h->o.max_parallel &&
	    (c = h->queued.head) != NULL) {
		http_list_del(c);
		http_start(c);
	}
}

/*
 * The client.
 */

struct http *
http_new(uv_loop_t *loop, const struct http_opts *o, char *err,
    size_t errsz)
{
	struct http	*h;

	if (!http_curl_ready) {
		if (dynlib_load(&http_curl_lib, CURL_SONAME, "libcurl",
		    http_curl_syms, sizeof http_curl_syms /
		    sizeof http_curl_syms[0], &http_curl, err, errsz) != 0)
			return NULL;
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(err, errsz, "cannot start libcurl");
			return NULL;
		}
		http_curl_ready = 1;
	}
	/* The extra CA file is added to OpenSSL's store (http_on_ssl_ctx). */
	if (o != NULL && o->ca_file != NULL && ossl_load(err, errsz) != 0)
		return NULL;
	if ((h = calloc(1, sizeof *h)) == NULL)
		http_oom();
	h->loop = loop;
	if (o != NULL)
		h->o = *o;
#define HTTP_DEF(f, v) if (h->o.f == 0) h->o.f = (v)
	HTTP_DEF(connect_timeout_ms, 10000);
	HTTP_DEF(timeout_ms, 30000);
	HTTP_DEF(max_parallel, 4);
	HTTP_DEF(retries, 3);
	HTTP_DEF(backoff_ms, 500);
	HTTP_DEF(max_backoff_ms, 8000);
	HTTP_DEF(retries_429, 3);
	HTTP_DEF(max_wait_429_s, 60);
	HTTP_DEF(max_body, 8 * 1024 * 1024);
#undef HTTP_DEF
	if (h->o.retries == HTTP_NO_RETRY)
		h->o.retries = 0;
	h->ca_file = o != NULL && o->ca_file != NULL ?
	    http_strdup(o->ca_file) : NULL;
	h->user_agent = http_strdup(o != NULL && o->user_agent != NULL ?
	    o->user_agent : PACKAGE_NAME "/" PACKAGE_VERSION);
	h->budget.limit = h->budget.remaining = -1;
	h->budget.reset = -1;
	h->rng = uv_hrtime() | 1;

	if ((h->multi = curl_multi_init()) == NULL)
		http_oom();
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_on_curl_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	uv_timer_init(loop, &h->curl_timer);
	uv_timer_init(loop, &h->wait_timer);
	h->curl_timer.data = h->wait_timer.data = h;
	h->open_handles = 2;
	return h;
}

/* One of the client's timers closed; the last frees the client. */
static void
http_closed(uv_handle_t *handle)
{
	struct http	*h = handle->data;

	if (--h->open_handles > 0)
		return;
	free(h->ca_file);
	free(h->user_agent);
	free(h);
}

/* Free every call on l, without callbacks. */
static void
http_drop(struct http_list *l)
{
	while (l->head != NULL)
		http_call_free(l->head);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	h->closing = 1;
	http_drop(&h->running);
	http_drop(&h->queued);
	http_drop(&h->waiting);
	curl_multi_cleanup(h->multi);
	h->multi = NULL;
	/* Sockets curl did not tell us to forget. */
	while (h->socks != NULL)
		http_sock_close(h->socks);
	uv_timer_stop(&h->curl_timer);
	uv_timer_stop(&h->wait_timer);
	uv_close((uv_handle_t *)&h->curl_timer, http_closed);
	uv_close((uv_handle_t *)&h->wait_timer, http_closed);
}

struct http_call *
http_request(struct http *h, const struct http_req *req, http_done_cb cb,
    void *arg, char *err, size_t errsz)
{
	struct http_call	*c;
	struct curl_slist	*l;
	size_t			 i;

	if (req->url == NULL || (strncmp(req->url, "http://", 7) != 0 &&
	    strncmp(req->url, "https://", 8) != 0)) {
		snprintf(err, errsz, "not an http:// or https:// URL");
		return NULL;
	}
	if ((c = calloc(1, sizeof *c)) == NULL)
		http_oom();
	c->h = h;
	c->cb = cb;
	c->arg = arg;
	c->method = http_strdup(req->method != NULL ? req->method : "GET");
	c->post = strcmp(c->method, "POST") == 0;
	c->url = http_strdup(req->url);
	if (req->body != NULL) {
		if ((c->body = malloc(req->body_len + 1)) == NULL)
			http_oom();
		memcpy(c->body, req->body, req->body_len);
		c->body[req->body_len] = '\0';
		c->body_len = req->body_len;
	}
	/* No "Expect: 100-continue" round trip for small bodies. */
	if ((c->headers = curl_slist_append(NULL, "Expect:")) == NULL)
		http_oom();
	for (i = 0; i < HTTP_MAX_HEADERS && req->headers[i] != NULL; i++) {
		if ((l = curl_slist_append(c->headers, req->headers[i])) ==
		    NULL)
			http_oom();
		c->headers = l;
	}
	buf_init(&c->resp, h->o.max_body);
	http_list_add(&h->queued, c, 0);
	http_pump(h);
	return c;
}

void
http_cancel(struct http_call *c)
{
	/* From its own callback: it is freed when the callback returns. */
	if (c != NULL && !c->in_cb)
		http_call_free(c);
}

void
http_budget(const struct http *h, struct http_budget *b)
{
	*b = h->budget;
}

void
http_get_stats(const struct http *h, struct http_stats *st)
{
	*st = h->stats;
	st->running = h->running.n;
	st->queued = h->queued.n + h->waiting.n;
}

int
http_escape(const char *s, char *out, size_t outsz)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 o = 0;
	unsigned char		 ch;

	if (outsz == 0)
		return -1;
	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~') {
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)ch;
		} else {
			if (o + 3 >= outsz)
				break;
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return *s == '\0' ? 0 : -1;
}
