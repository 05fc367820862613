/*
 * fuzz-tsvread.c: the TSV reader over any bytes, with a small line cap so
 * over-long lines are reached, every value checked (valid UTF-8, no NUL
 * inside, its length right) and given to the time parser; then the same
 * bytes as a replay recording (TSV or JSON Lines). Nothing may crash,
 * leak or read out of bounds, and every message must be one line.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "text.h"
#include "tsvread.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_msg(const char *err)
{
	for (; *err != '\0'; err++)
		if (*err == '\n' || *err == '\r')
			abort();
}

/* The reader promises valid UTF-8 in every value. */
static int
fuzz_valid_utf8(const char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	while (i < len) {
		n = text_decode_cp(s + i, len - i, &cp);
		if (n == 0 || cp == TEXT_INVALID_CP)
			return 0;
		i += n;
	}
	return 1;
}

static void
fuzz_tsv(const uint8_t *data, size_t size)
{
	struct tsvread	*r;
	const char	*v;
	char		 err[512];
	size_t		 i, len;
	int64_t		 ms;
	int		 rc, n = 0;

	r = tsvread_new_mem((const char *)data, size, "fuzz", 200);
	if (tsvread_header(r, err, sizeof err) != 0) {
		fuzz_check_msg(err);
		tsvread_free(r);
		return;
	}
	if (tsvread_nfields(r) < 1 || tsvread_nfields(r) > TSVREAD_MAX_FIELDS)
		abort();
	while ((rc = tsvread_next(r, err, sizeof err)) != 0 && n++ < 10000) {
		if (rc < 0) {
			fuzz_check_msg(err);
			continue;
		}
		for (i = 0; i < tsvread_nfields(r); i++) {
			v = tsvread_value(r, i, &len);
			if (v == NULL || strlen(v) != len ||
			    !fuzz_valid_utf8(v, len))
				abort();
			tsvread_time(v, &ms);
		}
		tsvread_column(r, tsvread_name(r, 0));
	}
	tsvread_free(r);
}

static void
fuzz_replay(const uint8_t *data, size_t size)
{
	struct replay_reader	*r;
	struct replay_event	 ev;
	FILE			*fp;
	char			 err[512];
	int			 rc, n = 0;

	if (size == 0 || (fp = fmemopen((void *)data, size, "r")) == NULL)
		return;
	r = replay_reader_new(fp, "fuzz");
	while ((rc = replay_reader_next(r, &ev, err, sizeof err)) != 0 &&
	    n++ < 10000) {
		if (rc < 0) {
			fuzz_check_msg(err);
			if (replay_reader_failed(r))
				break;
			continue;
		}
		if (ev.channel == NULL || ev.login == NULL || ev.text == NULL ||
		    ev.kind == NULL || ev.display_name == NULL ||
		    ev.ntags > REPLAY_MAX_TAGS)
			abort();
	}
	replay_reader_free(r);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_tsv(data, size);
	fuzz_replay(data, size);
	return 0;
}
