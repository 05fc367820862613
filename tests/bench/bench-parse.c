/*
 * bench-parse.c: how fast lines are (a) parsed with every tag split and
 * (b) parsed and decoded into a typed Twitch event. Reads a corpus of real
 * lines (a .gz file or plain text; '#' lines are comments), holds them in
 * memory and runs over them enough times to last about a second each,
 * copying each line into a work buffer first since parsing cuts it in place.
 * Prints; never fails on the figures.
 *
 *	bench-parse [corpus [iterations]]
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "irc.h"
#include "twitch.h"

#define BENCH_CORPUS \
	"/../shared/vectors/twitch-lines/gempir-go-twitch-irc.channel-xqcow-2019.txt.gz"
#define BENCH_SAMPLE	"/tests/data/twitch-sample.txt"
#define BENCH_LINE_MAX	(IRC_MAX_TAGS + IRC_MAX_REST_TWITCH + 2)

struct bench_corpus {
	char	**lines;
	size_t	 *lens;
	size_t	  n;
	size_t	  cap;
	size_t	  bytes;
};

static void
bench_add(struct bench_corpus *c, const char *s, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->lines = realloc(c->lines, c->cap * sizeof *c->lines);
		c->lens = realloc(c->lens, c->cap * sizeof *c->lens);
		if (c->lines == NULL || c->lens == NULL) {
			fputs("bench-parse: out of memory\n", stderr);
			exit(1);
		}
	}
	if ((c->lines[c->n] = malloc(len + 1)) == NULL) {
		fputs("bench-parse: out of memory\n", stderr);
		exit(1);
	}
	memcpy(c->lines[c->n], s, len);
	c->lines[c->n][len] = '\0';
	c->lens[c->n++] = len;
	c->bytes += len;
}

/* gzgets reads plain files too, so one reader serves both. */
static int
bench_load(struct bench_corpus *c, const char *path)
{
	static char	 buf[BENCH_LINE_MAX];
	gzFile		 f;
	size_t		 len;

	if ((f = gzopen(path, "rb")) == NULL)
		return -1;
	while (gzgets(f, buf, sizeof buf) != NULL) {
		len = strcspn(buf, "\r\n");
		if (len == 0 || buf[0] == '#')
			continue;
		bench_add(c, buf, len);
	}
	gzclose(f);
	return c->n > 0 ? 0 : -1;
}

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keeps the compiler from dropping the work. */
static volatile size_t bench_sink;

static double
bench_split(const struct bench_corpus *c, long iters, char *work)
{
	struct irc_msg		 msg;
	struct irc_tag_iter	 it;
	struct irc_tag		 tag;
	size_t			 i, acc = 0;
	double			 t0 = bench_now();
	long			 k;

	for (k = 0; k < iters; k++) {
		for (i = 0; i < c->n; i++) {
			memcpy(work, c->lines[i], c->lens[i] + 1);
			if (irc_parse(work, c->lens[i], &msg) != IRC_OK)
				continue;
			irc_tag_iter_init(&it, &msg);
			while (irc_tag_next(&it, &tag))
				acc += tag.value.len;
		}
	}
	bench_sink = acc;
	return bench_now() - t0;
}

static double
bench_decode(const struct bench_corpus *c, long iters, char *work)
{
	static struct twitch_event	 ev;
	static char			 scratch[8192];
	struct irc_msg			 msg;
	size_t				 i, acc = 0;
	double				 t0 = bench_now();
	long				 k;

	for (k = 0; k < iters; k++) {
		for (i = 0; i < c->n; i++) {
			memcpy(work, c->lines[i], c->lens[i] + 1);
			if (irc_parse(work, c->lens[i], &msg) != IRC_OK)
				continue;
			twitch_decode(&msg, &ev, scratch, sizeof scratch);
			acc += ev.text.len + (size_t)ev.nemotes;
		}
	}
	bench_sink = acc;
	return bench_now() - t0;
}

static void
bench_print(const char *what, size_t lines, double secs)
{
	printf("%-28s %10.0f lines/s %8.1f ns/line  (%.2f s)\n", what,
	    (double)lines / secs, secs * 1e9 / (double)lines, secs);
}

/* Parse an iteration count: digits only, 1..1e6. */
static long
bench_iters(const char *s)
{
	long	n = 0;

	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > 100000)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n > 0 && n <= 1000000 ? n : -1;
}

int
main(int argc, char **argv)
{
	struct bench_corpus	 c;
	const char		*top = getenv("top_srcdir");
	char			 path[4096], *work;
	const char		*used = NULL;
	long			 iters = 0;
	size_t			 i, bad = 0, ntags = 0;
	struct irc_msg		 msg;
	struct irc_tag_iter	 it;
	struct irc_tag		 tag;

	memset(&c, 0, sizeof c);
	if (top == NULL)
		top = ".";
	if (argc > 1) {
		if (bench_load(&c, argv[1]) == -1) {
			fprintf(stderr, "bench-parse: cannot read %s\n",
			    argv[1]);
			return 1;
		}
		used = argv[1];
	} else {
		snprintf(path, sizeof path, "%s%s", top, BENCH_CORPUS);
		if (bench_load(&c, path) == 0)
			used = path;
		else {
			snprintf(path, sizeof path, "%s%s", top, BENCH_SAMPLE);
			if (bench_load(&c, path) == -1) {
				fprintf(stderr, "bench-parse: no corpus (set "
				    "top_srcdir or give a path)\n");
				return 1;
			}
			used = path;
		}
	}
	if (argc > 2 && (iters = bench_iters(argv[2])) == -1) {
		fprintf(stderr, "bench-parse: bad iteration count\n");
		return 1;
	}
	if ((work = malloc(BENCH_LINE_MAX + 1)) == NULL)
		return 1;

	/* Count what the parser refuses and the tags per line. */
	for (i = 0; i < c.n; i++) {
		memcpy(work, c.lines[i], c.lens[i] + 1);
		if (irc_parse(work, c.lens[i], &msg) != IRC_OK) {
			bad++;
			continue;
		}
		irc_tag_iter_init(&it, &msg);
		while (irc_tag_next(&it, &tag))
			ntags++;
	}
	/* About 3 million lines a pass unless told. */
	if (iters == 0)
		iters = (long)(3000000 / c.n) + 1;

	printf("corpus: %s\n", used);
	printf("lines: %zu (%zu refused by the parser), average %.1f bytes, "
	    "%.1f tags\n", c.n, bad, (double)c.bytes / (double)c.n,
	    (double)ntags / (double)(c.n - bad > 0 ? c.n - bad : 1));
	printf("iterations: %ld (%zu lines each way)\n", iters,
	    c.n * (size_t)iters);
	bench_print("(a) parse + tag split", c.n * (size_t)iters,
	    bench_split(&c, iters, work));
	bench_print("(b) parse + twitch_decode", c.n * (size_t)iters,
	    bench_decode(&c, iters, work));

	for (i = 0; i < c.n; i++)
		free(c.lines[i]);
	free(c.lines);
	free(c.lens);
	free(work);
	return 0;
}
