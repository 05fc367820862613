/*
 * fuzz-irc.c: irc_parse() on arbitrary bytes (NULs included) must never
 * read or write outside the line, and what it returns must hold together:
 * atoms inside the line and NUL-terminated, a valid command, middle
 * parameters without spaces, tags that iterate, look up and unescape
 * (snprintf-style into a small buffer) consistently. A parsed line written
 * back with irc_format() must be one line (no CR or LF but the final CR LF)
 * that parses into the same atoms; so must irc_format_privmsg()'s.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-irc: %s failed at line %d\n",	\
		    #c, __LINE__);					\
		abort();						\
	}								\
} while (0)

/* Biggest output irc_format() can need for a line of n bytes. */
#define FMT_SIZE(n)	((n) + 64)

/* s is a NUL-terminated string lying inside [lo, hi]. */
static void
check_inside(const char *s, const char *lo, const char *hi)
{
	CHECK(s >= lo && s <= hi);
	CHECK(memchr(s, '\0', (size_t)(hi - s) + 1) != NULL);
}

static void
check_span(struct irc_span sp, const char *lo, const char *hi)
{
	if (sp.p == NULL) {
		CHECK(sp.len == 0);
		return;
	}
	CHECK(sp.p >= lo && sp.p + sp.len <= hi);
}

static int
command_ok(const char *c)
{
	size_t	n = strlen(c), i;

	if (n == 3 && c[0] >= '0' && c[0] <= '9')
		return c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9';
	for (i = 0; i < n; i++)
		if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z')))
			return 0;
	return n > 0;
}

/* Iterate the tags: each one unescapes the same into a small buffer as
 * into a big one, and irc_tag_get() finds the last of each key. */
static void
check_tags(const struct irc_msg *msg, const char *lo, const char *hi)
{
	struct irc_tag_iter	 it;
	struct irc_tag		 tag, last;
	struct irc_span		 v;
	char			 small[8], *big, key[64];
	size_t			 n, m;
	int			 looked = 0;

	irc_tag_iter_init(&it, msg);
	while (irc_tag_next(&it, &tag)) {
		check_span(tag.key, lo, hi);
		check_span(tag.value, lo, hi);
		CHECK(tag.key.len > 0);
		CHECK(memchr(tag.key.p, ';', tag.key.len) == NULL);
		CHECK(memchr(tag.key.p, '=', tag.key.len) == NULL);
		CHECK(memchr(tag.value.p, ';', tag.value.len) == NULL);
		if ((big = malloc(tag.value.len + 1)) == NULL)
			abort();
		n = irc_tag_unescape(tag.value.p, tag.value.len, big,
		    tag.value.len + 1);
		CHECK(n <= tag.value.len && big[n] == '\0');
		m = irc_tag_unescape(tag.value.p, tag.value.len, small,
		    sizeof small);
		CHECK(m == n);
		CHECK(strlen(small) == (n < sizeof small ? n : sizeof small - 1));
		CHECK(memcmp(small, big, strlen(small)) == 0);
		free(big);

		/* The last tag with this key is what irc_tag_get() gives.
		 * Only for the first few: it is quadratic. */
		if (++looked > 16 || tag.key.len >= sizeof key ||
		    memchr(tag.key.p, '\0', tag.key.len) != NULL)
			continue;
		memcpy(key, tag.key.p, tag.key.len);
		key[tag.key.len] = '\0';
		{
			struct irc_tag_iter it2 = it;

			last = tag;
			while (irc_tag_next(&it2, &tag))
				if (tag.key.len == last.key.len &&
				    memcmp(tag.key.p, key, tag.key.len) == 0)
					last = tag;
		}
		CHECK(irc_tag_get(msg, key, &v));
		CHECK(v.p == last.value.p && v.len == last.value.len);
	}
}

/* out (len bytes) is one line: only its final CR LF breaks it. */
static void
check_one_line(const char *out, size_t len)
{
	CHECK(len >= 2 && out[len] == '\0' && strlen(out) == len);
	CHECK(out[len - 2] == '\r' && out[len - 1] == '\n');
	CHECK(strcspn(out, "\r\n") == len - 2);
}

/* Write msg back and parse it again: the same command and params. */
static void
check_format(const struct irc_msg *msg, size_t size)
{
	struct irc_msg	 again;
	char		*out;
	size_t		 len;
	int		 r, i, has_break = 0;

	for (i = 0; i < msg->nparams; i++)
		has_break |= strcspn(msg->params[i], "\r\n") !=
		    strlen(msg->params[i]);
	if ((out = malloc(FMT_SIZE(size))) == NULL)
		abort();
	r = irc_format(out, FMT_SIZE(size), &len, msg->command, msg->nparams,
	    msg->params);
	if (has_break) {
		CHECK(r == IRC_ERR_BAD_PARAM && out[0] == '\0');
		free(out);
		return;
	}
	CHECK(r == IRC_OK);
	check_one_line(out, len);
	CHECK(irc_parse_max(out, len, &again, SIZE_MAX) == IRC_OK);
	CHECK(strcmp(again.command, msg->command) == 0);
	CHECK(again.nparams == msg->nparams);
	for (i = 0; i < msg->nparams; i++)
		CHECK(strcmp(again.params[i], msg->params[i]) == 0);
	free(out);
}

/* Send the last param to the first as a chat message, as a reply to the
 * first tag's value; it must come back as one line with the same text. */
static void
check_privmsg(const struct irc_msg *msg, size_t size)
{
	struct irc_tag_iter	 it;
	struct irc_tag		 tag;
	struct irc_msg		 again;
	struct irc_span		 v;
	char			*out, *reply = NULL, *back;
	const char		*chan, *text;
	size_t			 len, bufsz = FMT_SIZE(3 * size);
	int			 r;

	if (msg->nparams < 2)
		return;
	chan = msg->params[0][0] == '#' ? msg->params[0] + 1 : msg->params[0];
	text = msg->params[msg->nparams - 1];
	irc_tag_iter_init(&it, msg);
	if (irc_tag_next(&it, &tag)) {
		if ((reply = malloc(tag.value.len + 1)) == NULL)
			abort();
		irc_tag_unescape(tag.value.p, tag.value.len, reply,
		    tag.value.len + 1);
		if (reply[0] == '\0') {
			free(reply);
			reply = NULL;
		}
	}
	if ((out = malloc(bufsz)) == NULL)
		abort();
	r = irc_format_privmsg(out, bufsz, &len, chan, text, reply);
	if (r == IRC_OK) {
		check_one_line(out, len);
		CHECK(strlen(text) > 0 && strcspn(text, "\r\n") == strlen(text));
		CHECK(irc_parse_max(out, len, &again, SIZE_MAX) == IRC_OK);
		CHECK(strcmp(again.command, "PRIVMSG") == 0);
		CHECK(again.nparams == 2 && again.trailing);
		CHECK(strcmp(again.params[1], text) == 0);
		CHECK(again.params[0][0] == '#' &&
		    strcmp(again.params[0] + 1, chan) == 0);
		if (reply != NULL) {
			CHECK(irc_tag_get(&again, "reply-parent-msg-id", &v));
			if ((back = malloc(v.len + 1)) == NULL)
				abort();
			CHECK(irc_tag_unescape(v.p, v.len, back, v.len + 1) ==
			    strlen(reply));
			CHECK(strcmp(back, reply) == 0);
			free(back);
		}
	} else {
		CHECK(out[0] == '\0');
		CHECK(r == IRC_ERR_BAD_PARAM || r == IRC_ERR_MESSAGE_TOO_LONG);
		if (r == IRC_ERR_MESSAGE_TOO_LONG)
			CHECK(strlen(text) > IRC_MAX_MESSAGE_CHARS);
	}
	free(reply);
	free(out);
}

static void
check_msg(const struct irc_msg *msg, const char *lo, const char *hi)
{
	int	i;

	check_inside(msg->command, lo, hi);
	CHECK(command_ok(msg->command));
	CHECK(msg->nparams >= 0 && msg->nparams <= IRC_MAX_PARAMS);
	for (i = 0; i < msg->nparams; i++) {
		check_inside(msg->params[i], lo, hi);
		if (i < msg->nparams - 1 || !msg->trailing) {
			CHECK(msg->params[i][0] != '\0');
			CHECK(msg->params[i][0] != ':');
			CHECK(strchr(msg->params[i], ' ') == NULL);
		}
	}
	if (msg->tags != NULL) {
		check_inside(msg->tags, lo, hi);
		CHECK(msg->tags[msg->tags_len] == '\0');
	}
	if (msg->source != NULL) {
		check_inside(msg->source, lo, hi);
		CHECK(strchr(msg->source, ' ') == NULL);
	}
	check_span(msg->nick, lo, hi);
	check_span(msg->user, lo, hi);
	check_span(msg->host, lo, hi);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irc_msg	 msg, strict;
	char		*line, *copy;
	int		 r, rs;

	/* Exactly len + 1 bytes, the last not a NUL: ASan sees any access
	 * past the byte irc_parse() may write. */
	if ((line = malloc(size + 1)) == NULL ||
	    (copy = malloc(size + 1)) == NULL)
		abort();
	memcpy(line, data, size);
	line[size] = 'X';
	memcpy(copy, line, size + 1);

	r = irc_parse(line, size, &msg);
	CHECK(r >= IRC_OK && r <= IRC_ERR_NUL);
	CHECK(irc_strerror(r) != NULL);
	if (memchr(data, '\0', size) != NULL)
		CHECK(r == IRC_ERR_NUL);
	if (r == IRC_OK) {
		check_msg(&msg, line, line + size);
		check_tags(&msg, line, line + size);
		check_format(&msg, size);
		check_privmsg(&msg, size);
	}

	/* Strict IRCv3 limits: fewer lines pass, the same way. */
	rs = irc_parse_max(copy, size, &strict, IRC_MAX_REST);
	CHECK(rs == r || rs == IRC_ERR_TOO_LONG);
	if (rs == IRC_OK)
		CHECK(strcmp(strict.command, msg.command) == 0 &&
		    strict.nparams == msg.nparams);

	free(copy);
	free(line);
	return 0;
}
