/*
 * irc.c: the IRCv3 line parser and the outgoing line serializer (see irc.h).
 *
 * The parser is on the hot path of every chat line, so it scans with
 * memchr() where spans are long (the NUL check, the end of the tags), 8
 * bytes a word where they are a dozen (the source, a parameter, a tag: see
 * irc_scan) and byte by byte only for the command. It never calls a
 * function per byte.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#include "irc.h"

/* Longest escaped form of one byte in a tag value ("\s"). */
#define IRC_ESCAPE_MAX	2

#if defined(__GNUC__)
#define IRC_INLINE	static inline __attribute__((always_inline))
#else
#define IRC_INLINE	static inline
#endif

/*
 * Find the first byte equal to a or b in [p, end), or end. Tags, nicks and
 * channels are a dozen bytes, too short for memchr() to pay for its call,
 * so this looks at 8 bytes a word where the compiler lets it. SWAR: with
 * x = word ^ c.., a byte equal to c gets its top bit set in
 * (x - 0x01..) & ~x & 0x80..; a false hit (from the borrow) can only come
 * after a real one, so the lowest hit is exact. Never reads past end.
 */
IRC_INLINE const char *
irc_scan(const char *p, const char *end, unsigned char a, unsigned char b)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t	 ones = 0x0101010101010101ULL;
	const uint64_t	 highs = 0x8080808080808080ULL;
	uint64_t	 w, x, y, hit;

	while (end - p >= 8) {
		memcpy(&w, p, sizeof w);
		x = w ^ (ones * a);
		y = w ^ (ones * b);
		hit = ((x - ones) & ~x) | ((y - ones) & ~y);
		if ((hit &= highs) != 0)
			return p + (__builtin_ctzll(hit) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p != (char)a && *p != (char)b)
		p++;
	return p;
}

static int
irc_is_letter(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A command is letters only, or exactly three digits. */
static int
irc_command_ok(const char *p, size_t len)
{
	const unsigned char	*u = (const unsigned char *)p;
	size_t			 i;

	if (len == 0)
		return 0;
	if (u[0] >= '0' && u[0] <= '9') {
		if (len != 3)
			return 0;
		for (i = 1; i < 3; i++)
			if (u[i] < '0' || u[i] > '9')
				return 0;
		return 1;
	}
	for (i = 0; i < len; i++)
		if (!irc_is_letter(u[i]))
			return 0;
	return 1;
}

/* Skip the spaces at p; RFC 1459 lets atoms be parted by several. */
static char *
irc_skip_spaces(char *p, char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Cut source (NUL-terminated, len bytes) into nick, user and host. */
static void
irc_split_source(struct irc_msg *msg, const char *src, size_t len)
{
	const char	*at, *bang, *nick_end;

	at = irc_scan(src, src + len, '@', '@');
	bang = irc_scan(src, at, '!', '!');
	if (at == src + len)
		at = NULL;
	if (bang == (at != NULL ? at : src + len))
		bang = NULL;
	nick_end = bang != NULL ? bang : at != NULL ? at : src + len;
	if (nick_end > src) {
		msg->nick.p = src;
		msg->nick.len = (size_t)(nick_end - src);
	}
	if (bang != NULL) {
		msg->user.p = bang + 1;
		msg->user.len = (size_t)((at != NULL ? at : src + len) -
		    (bang + 1));
	}
	if (at != NULL) {
		msg->host.p = at + 1;
		msg->host.len = (size_t)(src + len - (at + 1));
	}
}

/*
 * Cut the parameters out of [p, end), which starts after the command. A
 * parameter starting with ':' is the trailing one and runs to the end of
 * the line, spaces and all. Up to IRC_MAX_PARAMS are kept; a sixteenth is
 * refused rather than glued onto the fifteenth.
 */
static int
irc_parse_params(struct irc_msg *msg, char *p, char *end)
{
	char	*sp;

	for (;;) {
		p = irc_skip_spaces(p, end);
		if (p == end)
			return IRC_OK;
		if (msg->nparams == IRC_MAX_PARAMS)
			return IRC_ERR_TOO_MANY_PARAMS;
		if (*p == ':') {
			msg->params[msg->nparams++] = p + 1;
			msg->trailing = 1;
			return IRC_OK;	/* *end is already NUL */
		}
		msg->params[msg->nparams++] = p;
		if ((sp = (char *)irc_scan(p, end, ' ', ' ')) == end)
			return IRC_OK;
		*sp = '\0';
		p = sp + 1;
	}
}

/*
 * The limits, as IRCv3 message-tags counts them: the tags section is '@',
 * the tags and the one space after them, at most IRC_MAX_TAGS bytes; the
 * rest is every byte after that space, spaces included, plus the CR LF
 * ending the line, whether or not this copy of the line still has it. So
 * max_rest - 2 bytes of content are allowed: 510 of them for IRC_MAX_REST.
 */
int
irc_parse_max(char *line, size_t len, struct irc_msg *msg, size_t max_rest)
{
	char	*p = line, *end, *sp, *cmd;
	size_t	 n;

	memset(msg, 0, sizeof *msg);
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (memchr(line, '\0', len) != NULL)
		return IRC_ERR_NUL;
	end = line + len;

	if (len > 0 && *p == '@') {
		sp = memchr(p, ' ', len);
		n = (sp != NULL ? (size_t)(sp - p) : len) + 1;
		if (n > IRC_MAX_TAGS)
			return IRC_ERR_TAGS_TOO_LONG;
		if (sp == NULL)
			return IRC_ERR_NO_COMMAND;
		*sp = '\0';
		msg->tags = p + 1;
		msg->tags_len = n - 2;
		p = sp + 1;
	}
	if (max_rest < 2 || (size_t)(end - p) > max_rest - 2)
		return IRC_ERR_TOO_LONG;
	/* From here on, cutting at the end of an atom may write into the
	 * CR or LF just stripped, or into line[len] which the caller owns as
	 * the terminator: write the terminator now so every atom ends. */
	*end = '\0';

	p = irc_skip_spaces(p, end);
	if (p == end)
		return msg->tags != NULL ? IRC_ERR_NO_COMMAND : IRC_ERR_EMPTY;
	if (*p == ':') {
		p++;
		sp = (char *)irc_scan(p, end, ' ', ' ');
		msg->source = p;
		irc_split_source(msg, p, (size_t)(sp - p));
		if (sp == end)
			return IRC_ERR_NO_COMMAND;
		*sp = '\0';
		p = irc_skip_spaces(sp + 1, end);
		if (p == end)
			return IRC_ERR_NO_COMMAND;
	}

	cmd = p;
	while (p < end && *p != ' ')
		p++;
	if (!irc_command_ok(cmd, (size_t)(p - cmd)))
		return IRC_ERR_BAD_COMMAND;
	msg->command = cmd;
	if (p == end)
		return IRC_OK;
	*p = '\0';
	return irc_parse_params(msg, p + 1, end);
}

int
irc_parse(char *line, size_t len, struct irc_msg *msg)
{
	return irc_parse_max(line, len, msg, IRC_MAX_REST_TWITCH);
}

const char *
irc_strerror(int err)
{
	switch (err) {
	case IRC_OK:
		return "no error";
	case IRC_ERR_EMPTY:
		return "empty line";
	case IRC_ERR_TAGS_TOO_LONG:
		return "tags longer than 8191 bytes";
	case IRC_ERR_TOO_LONG:
		return "line too long";
	case IRC_ERR_NO_COMMAND:
		return "no command in the line";
	case IRC_ERR_BAD_COMMAND:
		return "command is neither a word nor a 3-digit number";
	case IRC_ERR_TOO_MANY_PARAMS:
		return "more than 15 parameters";
	case IRC_ERR_NUL:
		return "NUL byte inside the line";
	case IRC_ERR_BAD_PARAM:
		return "parameter with a line break, a NUL or a misplaced "
		    "space or colon";
	case IRC_ERR_MESSAGE_TOO_LONG:
		return "message longer than 500 characters";
	case IRC_ERR_NO_SPACE:
		return "output buffer too small";
	}
	return "unknown error";
}

void
irc_tag_iter_init(struct irc_tag_iter *it, const struct irc_msg *msg)
{
	it->p = msg->tags;
	it->end = msg->tags != NULL ? msg->tags + msg->tags_len : NULL;
}

/*
 * Find where the tag at p ends: returns its ';' (or end) and sets *eq to
 * its first '=' (NULL if none). Both come out of one pass, 16 bytes a step
 * with SSE2 (every x86-64 has it), else 8 with irc_scan's word trick: the
 * lowest hit of each mask is exact, so the '=' mask is cut below the
 * lowest ';' before its lowest hit is taken.
 */
IRC_INLINE const char *
irc_tag_end(const char *p, const char *end, const char **eq)
{
#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i	 semi = _mm_set1_epi8(';'), equal = _mm_set1_epi8('=');
	__m128i		 w;
	unsigned int	 ms, me;

	*eq = NULL;
	while (end - p >= 16) {
		w = _mm_loadu_si128((const __m128i *)(const void *)p);
		ms = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(w, semi));
		if (*eq == NULL) {
			me = (unsigned int)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(w, equal));
			if (ms != 0)
				me &= (ms & -ms) - 1;
			if (me != 0)
				*eq = p + __builtin_ctz(me);
		}
		if (ms != 0)
			return p + __builtin_ctz(ms);
		p += 16;
	}
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t	 ones = 0x0101010101010101ULL;
	const uint64_t	 highs = 0x8080808080808080ULL;
	uint64_t	 w, x, ms, me;

	*eq = NULL;
	while (end - p >= 8) {
		memcpy(&w, p, sizeof w);
		x = w ^ (ones * ';');
		ms = (x - ones) & ~x & highs;
		if (*eq == NULL) {
			x = w ^ (ones * '=');
			me = (x - ones) & ~x & highs;
			if (ms != 0)
				me &= (ms & -ms) - 1;
			if (me != 0)
				*eq = p + (__builtin_ctzll(me) >> 3);
		}
		if (ms != 0)
			return p + (__builtin_ctzll(ms) >> 3);
		p += 8;
	}
#else
	*eq = NULL;
#endif
	for (; p < end && *p != ';'; p++)
		if (*p == '=' && *eq == NULL)
			*eq = p;
	return p;
}

/* An entry with an empty key (";=x;") is not a tag: it is skipped like an
 * empty one. */
int
irc_tag_next(struct irc_tag_iter *it, struct irc_tag *tag)
{
	const char	*p = it->p, *end = it->end, *start, *eq;

	if (p == NULL)
		return 0;
	while (p < end) {
		start = p;
		p = irc_tag_end(p, end, &eq);
		if (eq == start || p == start) {
			if (p < end)
				p++;
			continue;
		}
		tag->key.p = start;
		if (eq != NULL) {
			tag->key.len = (size_t)(eq - start);
			tag->value.p = eq + 1;
		} else {
			tag->key.len = (size_t)(p - start);
			tag->value.p = p;
		}
		tag->value.len = (size_t)(p - tag->value.p);
		it->p = p < end ? p + 1 : p;
		return 1;
	}
	it->p = p;
	return 0;
}

int
irc_tag_get(const struct irc_msg *msg, const char *key,
    struct irc_span *value)
{
	struct irc_tag_iter	 it;
	struct irc_tag		 tag;
	size_t			 klen = strlen(key);
	int			 found = 0;

	irc_tag_iter_init(&it, msg);
	while (irc_tag_next(&it, &tag)) {
		if (tag.key.len == klen && memcmp(tag.key.p, key, klen) == 0) {
			*value = tag.value;
			found = 1;
		}
	}
	return found;
}

/* What "\c" in a tag value stands for. */
static char
irc_unescape_char(char c)
{
	switch (c) {
	case ':':
		return ';';
	case 's':
		return ' ';
	case 'r':
		return '\r';
	case 'n':
		return '\n';
	}
	return c;	/* "\\" and any other "\c" stand for c */
}

size_t
irc_tag_unescape(const char *value, size_t len, char *buf, size_t bufsz)
{
	const char	*p = value, *end = value + len, *bs;
	size_t		 out = 0, n;
	char		 c;

	while (p < end) {
		bs = memchr(p, '\\', (size_t)(end - p));
		n = (size_t)((bs != NULL ? bs : end) - p);
		if (out < bufsz)
			memcpy(buf + out, p, out + n < bufsz ? n : bufsz - out);
		out += n;
		if (bs == NULL || bs + 1 == end)
			break;	/* a trailing lone backslash is dropped */
		c = irc_unescape_char(bs[1]);
		if (out < bufsz)
			buf[out] = c;
		out++;
		p = bs + 2;
	}
	if (bufsz > 0)
		buf[out < bufsz ? out : bufsz - 1] = '\0';
	return out;
}

/* Does s hold CR or LF? (NUL cannot be inside a C string: see irc.h.) */
static int
irc_has_break(const char *s)
{
	return s[strcspn(s, "\r\n")] != '\0';
}

/* Check a parameter; last says whether it may go trailing. Sets *colon
 * when it must. */
static int
irc_param_ok(const char *s, int last, int *colon)
{
	if (s == NULL || irc_has_break(s))
		return 0;
	*colon = s[0] == '\0' || s[0] == ':' || strchr(s, ' ') != NULL;
	return last || !*colon;
}

/* Append n bytes to the line being written; the caller checked the size. */
static char *
irc_put(char *out, const char *s, size_t n)
{
	memcpy(out, s, n);
	return out + n;
}

int
irc_format(char *buf, size_t bufsz, size_t *outlen, const char *command,
    int nparams, const char *const params[])
{
	char	*out;
	size_t	 need, clen;
	int	 i, colon = 0;

	if (bufsz > 0)
		buf[0] = '\0';
	if (command == NULL || !irc_command_ok(command, strlen(command)))
		return IRC_ERR_BAD_COMMAND;
	if (nparams < 0)
		return IRC_ERR_BAD_PARAM;
	if (nparams > IRC_MAX_PARAMS)
		return IRC_ERR_TOO_MANY_PARAMS;
	clen = strlen(command);
	need = clen + 2 + 1;	/* CR LF NUL */
	for (i = 0; i < nparams; i++) {
		if (!irc_param_ok(params[i], i == nparams - 1, &colon))
			return IRC_ERR_BAD_PARAM;
		need += 1 + strlen(params[i]);
	}
	need += colon;		/* only the last one's colon is left */
	if (need > bufsz)
		return IRC_ERR_NO_SPACE;

	out = irc_put(buf, command, clen);
	for (i = 0; i < nparams; i++) {
		*out++ = ' ';
		if (i == nparams - 1 && colon)
			*out++ = ':';
		out = irc_put(out, params[i], strlen(params[i]));
	}
	out = irc_put(out, "\r\n", 3);
	if (outlen != NULL)
		*outlen = need - 1;
	return IRC_OK;
}

/*
 * Count the characters of UTF-8 text: a well-formed sequence is one, and
 * so is each byte that is not part of one, the way a terminal shows it.
 */
static size_t
irc_count_chars(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n = 0, need, i;
	unsigned char		 lo, hi;

	while (*u != '\0') {
		n++;
		if (*u < 0xc2 || *u > 0xf4) {
			u++;
			continue;
		}
		need = *u < 0xe0 ? 1 : *u < 0xf0 ? 2 : 3;
		/* The second byte's range rules out overlongs, surrogates and
		 * values past U+10FFFF (Unicode's table 3-7). */
		lo = *u == 0xe0 ? 0xa0 : *u == 0xf0 ? 0x90 : 0x80;
		hi = *u == 0xed ? 0x9f : *u == 0xf4 ? 0x8f : 0xbf;
		for (i = 1; i <= need; i++) {
			if (u[i] < lo || u[i] > hi)
				break;
			lo = 0x80;
			hi = 0xbf;
		}
		u += i > need ? need + 1 : 1;
	}
	return n;
}

/* Escape a tag value per IRCv3 message-tags into out (sized by the caller
 * for IRC_ESCAPE_MAX bytes per input byte); returns the end. */
static char *
irc_tag_escape(char *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case ';':
			out = irc_put(out, "\\:", 2);
			break;
		case ' ':
			out = irc_put(out, "\\s", 2);
			break;
		case '\\':
			out = irc_put(out, "\\\\", 2);
			break;
		case '\r':
			out = irc_put(out, "\\r", 2);
			break;
		case '\n':
			out = irc_put(out, "\\n", 2);
			break;
		default:
			*out++ = *s;
		}
	}
	return out;
}

/* Bytes irc_tag_escape() writes for s. */
static size_t
irc_tag_escaped_len(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		n += strchr("; \\\r\n", *s) != NULL ? IRC_ESCAPE_MAX : 1;
	return n;
}

/* A channel name as irc_format_privmsg() takes it: no '#', nothing that
 * would part or end the line, no ',' that would name a second channel. */
static int
irc_channel_ok(const char *channel)
{
	return channel != NULL && channel[0] != '\0' && channel[0] != '#' &&
	    channel[strcspn(channel, " ,\r\n")] == '\0';
}

int
irc_format_privmsg(char *buf, size_t bufsz, size_t *outlen,
    const char *channel, const char *text, const char *reply_to)
{
	static const char	 tag[] = "@reply-parent-msg-id=";
	char			*out;
	size_t			 need, clen, tlen, rlen = 0;

	if (bufsz > 0)
		buf[0] = '\0';
	if (!irc_channel_ok(channel) || text == NULL || text[0] == '\0' ||
	    irc_has_break(text))
		return IRC_ERR_BAD_PARAM;
	if (reply_to != NULL && reply_to[0] == '\0')
		return IRC_ERR_BAD_PARAM;
	if (irc_count_chars(text) > IRC_MAX_MESSAGE_CHARS)
		return IRC_ERR_MESSAGE_TOO_LONG;
	clen = strlen(channel);
	tlen = strlen(text);
	if (reply_to != NULL)
		rlen = sizeof tag - 1 + irc_tag_escaped_len(reply_to) + 1;
	need = rlen + sizeof "PRIVMSG #" - 1 + clen + 2 + tlen + 2 + 1;
	if (need > bufsz)
		return IRC_ERR_NO_SPACE;

	out = buf;
	if (reply_to != NULL) {
		out = irc_put(out, tag, sizeof tag - 1);
		out = irc_tag_escape(out, reply_to);
		*out++ = ' ';
	}
	out = irc_put(out, "PRIVMSG #", sizeof "PRIVMSG #" - 1);
	out = irc_put(out, channel, clen);
	out = irc_put(out, " :", 2);
	out = irc_put(out, text, tlen);
	out = irc_put(out, "\r\n", 3);
	if (outlen != NULL)
		*outlen = need - 1;
	return IRC_OK;
}
