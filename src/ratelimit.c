/*
 * ratelimit.c: exact sliding windows over a ring of send times (see
 * ratelimit.h). A window of count sends needs only the count most recent
 * times, so the ring has as many slots as the largest count asked for.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"

static size_t
ratelimit_clamp(size_t count)
{
	if (count < 1)
		return 1;
	return count > RATELIMIT_MAX_COUNT ? RATELIMIT_MAX_COUNT : count;
}

/* Give the ring size slots, oldest time first, keeping every kept time. */
static void
ratelimit_grow(struct ratelimit *rl, size_t size)
{
	uint64_t	*ring;
	size_t		 i;

	if ((ring = calloc(size, sizeof *ring)) == NULL) {
		fprintf(stderr, "stitch: out of memory (rate limit of %zu)\n",
		    size);
		abort();
	}
	for (i = 0; i < rl->n; i++)
		ring[i] = rl->ring[(rl->head + i) % rl->size];
	free(rl->ring);
	rl->ring = ring;
	rl->size = size;
	rl->head = 0;
}

void
ratelimit_init(struct ratelimit *rl, size_t count, uint64_t window_ms)
{
	memset(rl, 0, sizeof *rl);
	ratelimit_set(rl, count, window_ms);
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	free(rl->ring);
	memset(rl, 0, sizeof *rl);
}

void
ratelimit_set(struct ratelimit *rl, size_t count, uint64_t window_ms)
{
	rl->count = ratelimit_clamp(count);
	rl->window_ms = window_ms == 0 ? 1 : window_ms;
	if (rl->count > rl->size)
		ratelimit_grow(rl, rl->count);
}

/* The i-th most recent kept time, 0 being the newest; i < n. */
static uint64_t
ratelimit_recent(const struct ratelimit *rl, size_t i)
{
	return rl->ring[(rl->head + rl->n - 1 - i) % rl->size];
}

uint64_t
ratelimit_wait_ms(const struct ratelimit *rl, uint64_t now)
{
	uint64_t	t;

	/* Fewer than count sends ever: nothing to wait for. Otherwise the
	 * count-th most recent send must have left the window, that is
	 * t + window <= now. */
	if (rl->n < rl->count)
		return 0;
	t = ratelimit_recent(rl, rl->count - 1);
	if (t > UINT64_MAX - rl->window_ms)
		return UINT64_MAX;
	return t + rl->window_ms <= now ? 0 : t + rl->window_ms - now;
}

void
ratelimit_record(struct ratelimit *rl, uint64_t now)
{
	/* A clock that steps back must not let the ring go out of order. */
	if (rl->n > 0 && now < ratelimit_recent(rl, 0))
		now = ratelimit_recent(rl, 0);
	if (rl->n == rl->size) {
		rl->ring[rl->head] = now;
		rl->head = (rl->head + 1) % rl->size;
	} else {
		rl->ring[(rl->head + rl->n) % rl->size] = now;
		rl->n++;
	}
}

int
ratelimit_try(struct ratelimit *rl, uint64_t now)
{
	if (ratelimit_wait_ms(rl, now) != 0)
		return 0;
	ratelimit_record(rl, now);
	return 1;
}

size_t
ratelimit_used(const struct ratelimit *rl, uint64_t now)
{
	size_t	i;

	for (i = 0; i < rl->n; i++) {
		uint64_t	t = ratelimit_recent(rl, i);

		if (t <= UINT64_MAX - rl->window_ms && t + rl->window_ms <= now)
			break;
	}
	return i;
}
