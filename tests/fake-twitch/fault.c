/*
 * fault.c: faults armed by --fault and fired from uv timers (see fault.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "fault.h"

#define FAULT_MAX		32
#define FAULT_STALL_MS		3000

struct fault_timer {
	uv_timer_t	 timer;
	char		 kind[16];
	unsigned	 dur_ms;
	int		 phase;		/* nopong: 0 on, 1 off */
	int		 used;
};

static struct {
	uv_loop_t		*loop;
	struct fault_timer	 t[FAULT_MAX];
	int			 n;
	int			 stopped;
} fault;

static const char *const fault_kinds[] = {
	"reconnect", "close", "nopong", "garbage", "longline", "badutf8",
	"escapes", "stall", NULL
};

/* "5s", "500ms", "1.5": milliseconds. */
static int
fault_time(const char *s, size_t len, unsigned *ms)
{
	char	 buf[32], *end;
	double	 d, scale = 1000;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (len > 2 && strcmp(buf + len - 2, "ms") == 0) {
		buf[len - 2] = '\0';
		scale = 1;
	} else if (buf[len - 1] == 's')
		buf[len - 1] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (errno != 0 || end == buf || *end != '\0' || d < 0 ||
	    d * scale > 86400000.0)
		return -1;
	*ms = (unsigned)(d * scale + 0.5);
	return 0;
}

static int
fault_parse(const char *spec, char *kind, size_t ksz, unsigned *at_ms,
    unsigned *dur_ms)
{
	const char	*at, *slash;
	size_t		 i;

	if ((at = strchr(spec, '@')) == NULL || (size_t)(at - spec) >= ksz)
		return -1;
	memcpy(kind, spec, (size_t)(at - spec));
	kind[at - spec] = '\0';
	for (i = 0; fault_kinds[i] != NULL; i++)
		if (strcmp(kind, fault_kinds[i]) == 0)
			break;
	if (fault_kinds[i] == NULL)
		return -1;
	at++;
	*dur_ms = 0;
	if ((slash = strchr(at, '/')) != NULL) {
		if (fault_time(slash + 1, strlen(slash + 1), dur_ms) != 0)
			return -1;
	} else
		slash = at + strlen(at);
	return fault_time(at, (size_t)(slash - at), at_ms);
}

int
fault_check(const char *spec)
{
	char		kind[16];
	unsigned	at, dur;

	return fault_parse(spec, kind, sizeof kind, &at, &dur);
}

long
fault_now(const char *kind, const char *channel, unsigned dur_ms)
{
	long	n;

	if (strcmp(kind, "reconnect") == 0)
		n = chat_fault(CHAT_FAULT_RECONNECT, channel, 0);
	else if (strcmp(kind, "close") == 0)
		n = chat_fault(CHAT_FAULT_CLOSE, channel, 0);
	else if (strcmp(kind, "garbage") == 0)
		n = chat_fault(CHAT_FAULT_GARBAGE, channel, 0);
	else if (strcmp(kind, "longline") == 0)
		n = chat_fault(CHAT_FAULT_LONGLINE, channel, 0);
	else if (strcmp(kind, "badutf8") == 0)
		n = chat_fault(CHAT_FAULT_BADUTF8, channel, 0);
	else if (strcmp(kind, "escapes") == 0)
		n = chat_fault(CHAT_FAULT_ESCAPES, channel, 0);
	else if (strcmp(kind, "stall") == 0)
		n = chat_fault(CHAT_FAULT_STALL, channel,
		    dur_ms != 0 ? dur_ms : FAULT_STALL_MS);
	else if (strcmp(kind, "nopong") == 0) {
		chat_set_nopong(1);
		n = 0;
	} else
		return -1;
	fprintf(stderr, "fake-twitch: fault %s%s%s: %ld connection(s)\n",
	    kind, channel != NULL ? " #" : "", channel != NULL ? channel : "",
	    n);
	return n;
}

static void
fault_fire(uv_timer_t *h)
{
	struct fault_timer	*t = h->data;

	if (strcmp(t->kind, "nopong") == 0 && t->phase == 1) {
		chat_set_nopong(0);
		fprintf(stderr, "fake-twitch: fault nopong over\n");
		return;
	}
	fault_now(t->kind, NULL, t->dur_ms);
	if (strcmp(t->kind, "nopong") == 0 && t->dur_ms != 0) {
		t->phase = 1;
		uv_timer_start(&t->timer, fault_fire, t->dur_ms, 0);
	}
}

void
fault_start(uv_loop_t *loop)
{
	fault.loop = loop;
}

int
fault_schedule(const char *spec)
{
	struct fault_timer	*t;
	unsigned		 at;

	if (fault.n == FAULT_MAX)
		return -1;
	t = &fault.t[fault.n];
	if (fault_parse(spec, t->kind, sizeof t->kind, &at, &t->dur_ms) != 0)
		return -1;
	fault.n++;
	t->used = 1;
	uv_timer_init(fault.loop, &t->timer);
	t->timer.data = t;
	uv_timer_start(&t->timer, fault_fire, at, 0);
	return 0;
}

void
fault_stop(void)
{
	int	i;

	if (fault.stopped)
		return;
	fault.stopped = 1;
	for (i = 0; i < fault.n; i++) {
		uv_timer_stop(&fault.t[i].timer);
		uv_close((uv_handle_t *)&fault.t[i].timer, NULL);
	}
}
