/*
 * irc.h: the IRCv3 line parser and the outgoing line serializer.
 *
 * Pure: no sockets, no globals, no allocation. irc_parse() cuts a line in
 * place (it writes NULs into it) and hands out pointers into it, the way
 * irssi does; the line must outlive the struct irc_msg.
 */
#ifndef STITCH_IRC_H
#define STITCH_IRC_H

#include <stddef.h>

#define IRC_MAX_PARAMS		15
/* IRCv3 message-tags: 8191 bytes for the tags section, '@' and the space
 * after it included; 512 for the rest of the line, CR LF included (so 510
 * bytes of it before the CR LF, whether or not the copy parsed has them). */
#define IRC_MAX_TAGS		8191
#define IRC_MAX_REST		512
/* Twitch does not keep to 512: its limit is 500 characters of text, and a
 * character may take 4 bytes of UTF-8, so real lines carry up to ~2,100
 * bytes after the tags (4 of the 5,000 lines of a busy channel captured in
 * 2019 are over 512). irc_parse() allows this much, CR LF included;
 * irc_parse_max() takes any limit, IRC_MAX_REST for strict IRCv3. */
#define IRC_MAX_REST_TWITCH	4096
/* Twitch's limit for one chat message, in Unicode characters. */
#define IRC_MAX_MESSAGE_CHARS	500

enum irc_error {
	IRC_OK = 0,
	IRC_ERR_EMPTY,		/* nothing but white space */
	IRC_ERR_TAGS_TOO_LONG,	/* tags section over IRC_MAX_TAGS */
	IRC_ERR_TOO_LONG,	/* rest of the line over the limit (see
				 * IRC_MAX_REST_TWITCH) */
	IRC_ERR_NO_COMMAND,	/* tags or source but no command */
	IRC_ERR_BAD_COMMAND,	/* command neither letters nor 3 digits */
	IRC_ERR_TOO_MANY_PARAMS,/* more than IRC_MAX_PARAMS */
	IRC_ERR_NUL,		/* a NUL byte inside the line */
	IRC_ERR_BAD_PARAM,	/* serializer: CR, LF or NUL in a parameter, a
				 * middle parameter with a space or leading ':',
				 * or an empty middle parameter */
	IRC_ERR_MESSAGE_TOO_LONG,/* serializer: chat text over 500 characters */
	IRC_ERR_NO_SPACE,	/* serializer: the output buffer is too small */
};

/* A borrowed view of bytes in the parsed line; not NUL-terminated. */
struct irc_span {
	const char	*p;
	size_t		 len;
};

struct irc_msg {
	/* The tags section without the leading '@', NUL-terminated, still
	 * escaped; NULL when the line had none. */
	const char	*tags;
	size_t		 tags_len;
	/* The source without the leading ':', NUL-terminated; NULL if none. */
	const char	*source;
	/* source cut at '!' and '@': nick is the whole source when it has
	 * neither. Empty spans (p NULL, len 0) when absent. */
	struct irc_span	 nick;
	struct irc_span	 user;
	struct irc_span	 host;
	/* Command as sent (case kept), NUL-terminated. */
	const char	*command;
	/* Parameters, each NUL-terminated; the last is the trailing one when
	 * trailing is 1. */
	int		 nparams;
	int		 trailing;
	const char	*params[IRC_MAX_PARAMS];
};

/* One tag while iterating: key and value point into the line; the value is
 * still escaped (see irc_tag_unescape). A key without '=' has an empty
 * value (value.p points at the end of the key, len 0). */
struct irc_tag {
	struct irc_span	 key;
	struct irc_span	 value;
};

struct irc_tag_iter {
	const char	*p;
	const char	*end;
};

/*
 * Parse one IRC line in place. len is the line's length; a trailing CR LF or
 * LF is allowed and stripped. line must be writable for len + 1 bytes: the
 * byte at line[len] (a C string's terminator will do) may receive the NUL
 * that ends the last atom. Every pointer in *msg aims into line. Returns
 * IRC_OK, or an enum irc_error saying why the line was rejected (lines over
 * the limits are rejected, never truncated; a NUL anywhere in the len bytes
 * is IRC_ERR_NUL). Atoms may be parted by several spaces (RFC 1459); the
 * command is letters or exactly 3 digits; a sixteenth parameter is refused,
 * so the fifteenth holds spaces only when it is a ':' trailing one. On an
 * error *msg holds what was read so far and line may be partly cut.
 * Limits: IRC_MAX_TAGS and IRC_MAX_REST_TWITCH. Never allocates.
 */
int		 irc_parse(char *line, size_t len, struct irc_msg *msg);

/* irc_parse() with another limit for the rest of the line, CR LF included
 * (IRC_MAX_REST for strict IRCv3). */
int		 irc_parse_max(char *line, size_t len, struct irc_msg *msg,
		    size_t max_rest);

/* A short English reason for an enum irc_error; never NULL, borrowed. */
const char	*irc_strerror(int err);

/* Start iterating over msg's tags. */
void		 irc_tag_iter_init(struct irc_tag_iter *it,
		    const struct irc_msg *msg);

/* Fill *tag with the next tag; returns 1, or 0 at the end. Empty entries
 * (";;") are skipped. */
int		 irc_tag_next(struct irc_tag_iter *it, struct irc_tag *tag);

/* Find a tag by key. Returns 1 and fills *value (still escaped), or 0 when
 * the key is absent. The last occurrence wins, as IRCv3 says. */
int		 irc_tag_get(const struct irc_msg *msg, const char *key,
		    struct irc_span *value);

/*
 * Unescape a tag value per IRCv3 message-tags (\: -> ';', \s -> ' ',
 * \\ -> '\', \r -> CR, \n -> LF, a backslash before any other character is
 * dropped, a trailing lone backslash is dropped) into buf, NUL-terminated.
 * Returns the unescaped length; if bufsz is too small the output is
 * truncated (always NUL-terminated when bufsz > 0) and the return value is
 * the length it would have had, as snprintf does.
 */
size_t		 irc_tag_unescape(const char *value, size_t len, char *buf,
		    size_t bufsz);

/*
 * Serialize one outgoing line "COMMAND p1 p2 :last\r\n" into buf,
 * NUL-terminated. The last parameter is sent as trailing when it is empty,
 * contains a space or starts with ':'. Refuses (returns an enum irc_error,
 * buf untouched beyond its first byte, which is set to NUL) any parameter
 * with CR or LF, so a user's text can never smuggle a second command; a C
 * string cannot hold a NUL, so whatever follows one is never seen, never
 * sent. Middle parameters must be non-empty, without a space or a leading
 * ':' (IRC_ERR_BAD_PARAM); the command must be letters or 3 digits
 * (IRC_ERR_BAD_COMMAND); at most IRC_MAX_PARAMS. No 512-byte cap: Twitch
 * takes longer lines (see IRC_MAX_REST_TWITCH); bufsz is the only cap
 * (IRC_ERR_NO_SPACE). On success returns IRC_OK and stores the length
 * (without the NUL) in *outlen if not NULL.
 */
int		 irc_format(char *buf, size_t bufsz, size_t *outlen,
		    const char *command, int nparams,
		    const char *const params[]);

/*
 * "PRIVMSG #channel :text\r\n", with Twitch's rules on top of irc_format():
 * text must be 1..500 Unicode characters (IRC_ERR_MESSAGE_TOO_LONG past
 * that, IRC_ERR_BAD_PARAM when empty or holding CR or LF). Characters are
 * UTF-8 code points; each byte that is not part of a well-formed sequence
 * counts as one. channel is given without '#' and may not hold a space, a
 * ',' or a line break. reply_to, when not NULL, adds the
 * @reply-parent-msg-id tag, its value escaped per IRCv3 (it may not be
 * empty).
 */
int		 irc_format_privmsg(char *buf, size_t bufsz, size_t *outlen,
		    const char *channel, const char *text,
		    const char *reply_to);

#endif
