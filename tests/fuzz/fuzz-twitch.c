/*
 * fuzz-twitch.c: arbitrary bytes through irc_parse() and twitch_decode(),
 * with a scratch buffer of a size that varies with the input and is
 * allocated to the byte, so an overrun is an ASan report. Every span of the
 * event must lie in the line or in the scratch buffer, the emotes must be
 * sorted, disjoint, inside the text and on character boundaries. The same
 * bytes, cut in two, go through twitch_emotes_parse() as tag and text.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irc.h"
#include "twitch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-twitch: %s failed at line %d\n",	\
		    #c, __LINE__);					\
		abort();						\
	}								\
} while (0)

struct area {
	const char	*line, *line_end;
	const char	*scratch, *scratch_end;
};

static void
check_span(const struct area *a, struct irc_span sp)
{
	if (sp.len == 0)
		return;
	CHECK(sp.p != NULL);
	CHECK((sp.p >= a->line && sp.p + sp.len <= a->line_end) ||
	    (sp.p >= a->scratch && sp.p + sp.len <= a->scratch_end));
}

/* Emotes: non-empty byte ranges inside the text, sorted, disjoint. */
static void
check_emotes(const struct twitch_emote *e, int n, size_t textlen)
{
	int	i;

	CHECK(n >= 0 && n <= TWITCH_MAX_EMOTES);
	for (i = 0; i < n; i++) {
		CHECK(e[i].start < e[i].end);
		CHECK(e[i].end <= textlen);
		CHECK(e[i].id.len > 0);
		if (i > 0)
			CHECK(e[i - 1].end <= e[i].start);
	}
}

static void
check_event(const struct area *a, const struct twitch_event *ev)
{
	char	name[64];
	int	i;

	CHECK((unsigned)ev->kind < TWITCH_KIND_COUNT);
	CHECK(twitch_kind_name(ev->kind) != NULL);
	check_span(a, ev->channel);
	check_span(a, ev->login);
	check_span(a, ev->display_name);
	check_span(a, ev->text);
	check_span(a, ev->id);
	check_span(a, ev->user_id);
	check_span(a, ev->room_id);
	check_span(a, ev->reply_msg_id);
	check_span(a, ev->reply_login);
	check_span(a, ev->reply_display_name);
	check_span(a, ev->reply_body);
	check_span(a, ev->msg_id);
	check_span(a, ev->system_msg);
	check_span(a, ev->recipient);
	check_span(a, ev->target);
	check_span(a, ev->target_user_id);
	check_span(a, ev->target_msg_id);
	check_span(a, ev->list);
	CHECK(ev->sent_ms >= 0);
	CHECK(!ev->has_color || ev->color <= 0xffffff);
	CHECK(ev->nbadges >= 0 && ev->nbadges <= TWITCH_MAX_BADGES);
	for (i = 0; i < ev->nbadges; i++) {
		check_span(a, ev->badges[i].name);
		check_span(a, ev->badges[i].version);
		if (ev->badges[i].name.len < sizeof name &&
		    memchr(ev->badges[i].name.p, '\0',
		    ev->badges[i].name.len) == NULL) {
			memcpy(name, ev->badges[i].name.p,
			    ev->badges[i].name.len);
			name[ev->badges[i].name.len] = '\0';
			CHECK(twitch_has_badge(ev, name));
		}
	}
	check_emotes(ev->emotes, ev->nemotes, ev->text.len);
	for (i = 0; i < ev->nemotes; i++)
		check_span(a, ev->emotes[i].id);
	if (ev->room.present & TWITCH_ROOM_FOLLOWERS)
		CHECK(ev->room.followers >= -1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irc_msg		 msg;
	struct twitch_event	*ev;
	struct twitch_emote	 em[TWITCH_MAX_EMOTES];
	struct area		 a;
	char			*line, *scratch;
	size_t			 scratchsz = size % 257, cut;
	int			 n;

	if ((line = malloc(size + 1)) == NULL ||
	    (scratch = malloc(scratchsz > 0 ? scratchsz : 1)) == NULL ||
	    (ev = malloc(sizeof *ev)) == NULL)
		abort();
	memcpy(line, data, size);
	line[size] = '\0';
	if (irc_parse(line, size, &msg) == IRC_OK) {
		a.line = line;
		a.line_end = line + size + 1;
		a.scratch = scratch;
		a.scratch_end = scratch + scratchsz;
		CHECK(twitch_decode(&msg, ev, scratch, scratchsz) == ev->kind);
		check_event(&a, ev);
	}

	/* The raw bytes as an emotes tag and a text. */
	cut = size > 0 ? data[0] % (size + 1) : 0;
	n = twitch_emotes_parse((const char *)data, cut,
	    (const char *)data + cut, size - cut, em, TWITCH_MAX_EMOTES);
	check_emotes(em, n, size - cut);
	free(ev);
	free(scratch);
	free(line);
	return 0;
}
