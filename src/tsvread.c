/*
 * tsvread.c: the TSV reader of reports and recordings (see tsvread.h).
 *
 * One buffer of maxline + 1 bytes holds the current line; fields are cut
 * in place (TAB -> NUL) and unescaped in place, which only ever shortens
 * them, so a record costs no allocation.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tsvread.h"

struct tsvread {
	FILE		*fp;		/* NULL: reading from memory */
	const char	*mem;
	size_t		 memlen;
	size_t		 mempos;
	char		*name;

	char		*line;		/* maxline + 1 bytes */
	size_t		 maxline;
	unsigned long	 lineno;
	int		 failed;	/* read error: the end, for good */

	char		*names;		/* the header, cut into fields */
	const char	*namev[TSVREAD_MAX_FIELDS];
	size_t		 nnames;

	const char	*valv[TSVREAD_MAX_FIELDS];
	size_t		 vallen[TSVREAD_MAX_FIELDS];
	size_t		 nvals;
};

enum {
	TSVREAD_LINE,		/* a line is in r->line */
	TSVREAD_EOF,
	TSVREAD_LONG,		/* over the cap, skipped */
	TSVREAD_NUL,		/* held a NUL byte */
	TSVREAD_IOERR,
};

static struct tsvread *
tsvread_alloc(const char *name, size_t maxline)
{
	struct tsvread	*r;

	if (maxline == 0)
		maxline = TSVREAD_MAX_LINE;
	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->line = malloc(maxline + 1)) == NULL ||
	    (r->name = strdup(name != NULL ? name : "input")) == NULL)
		abort();
	r->maxline = maxline;
	return r;
}

struct tsvread *
tsvread_new_file(FILE *fp, const char *name, size_t maxline)
{
	struct tsvread	*r = tsvread_alloc(name, maxline);

	r->fp = fp;
	return r;
}

struct tsvread *
tsvread_new_mem(const char *data, size_t len, const char *name,
    size_t maxline)
{
	struct tsvread	*r = tsvread_alloc(name, maxline);

	r->mem = data;
	r->memlen = len;
	return r;
}

void
tsvread_free(struct tsvread *r)
{
	if (r == NULL)
		return;
	free(r->line);
	free(r->names);
	free(r->name);
	free(r);
}

/* One line from a file into r->line, LF removed; *len its length. */
static int
tsvread_getline_file(struct tsvread *r, size_t *len)
{
	size_t	n = 0;
	int	c, nul = 0, got = 0;

	while ((c = getc_unlocked(r->fp)) != EOF) {
		got = 1;
		if (c == '\n')
			break;
		if (c == '\0')
			nul = 1;
		if (n < r->maxline)
			r->line[n] = (char)c;
		n++;
	}
	if (ferror(r->fp))
		return TSVREAD_IOERR;
	if (!got)
		return TSVREAD_EOF;
	*len = n;
	if (n > r->maxline)
		return TSVREAD_LONG;
	return nul ? TSVREAD_NUL : TSVREAD_LINE;
}

static int
tsvread_getline_mem(struct tsvread *r, size_t *len)
{
	const char	*p, *end;
	size_t		 n, left;

	if (r->mempos >= r->memlen)
		return TSVREAD_EOF;
	p = r->mem + r->mempos;
	left = r->memlen - r->mempos;
	end = memchr(p, '\n', left);
	n = end != NULL ? (size_t)(end - p) : left;
	r->mempos += n + (end != NULL);
	*len = n;
	if (n > r->maxline)
		return TSVREAD_LONG;
	memcpy(r->line, p, n);
	return memchr(p, '\0', n) != NULL ? TSVREAD_NUL : TSVREAD_LINE;
}

/* Undo \t \n \r \\ in place; returns the new length. */
static size_t
tsvread_unescape(char *s, size_t len)
{
	size_t	i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			switch (s[i + 1]) {
			case 't':	s[o++] = '\t'; i++; continue;
			case 'n':	s[o++] = '\n'; i++; continue;
			case 'r':	s[o++] = '\r'; i++; continue;
			case '\\':	s[o++] = '\\'; i++; continue;
			}
		}
		s[o++] = s[i];
	}
	s[o] = '\0';
	return o;
}

/* Byte offset of the first invalid UTF-8 sequence, or len if none. */
static size_t
tsvread_bad_utf8(const char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = text_decode_cp(s + i, len - i, &cp);
		if (cp == TEXT_INVALID_CP)
			return i;
		i += n;
	}
	return len;
}

/*
 * The next non-empty line, checked and cut into fields in vals/lens.
 * 1 for a line, 0 at the end, -1 with err set.
 */
static int
tsvread_line(struct tsvread *r, const char **vals, size_t *lens,
    size_t *nvals, char *err, size_t errsz)
{
	size_t	 len = 0, bad, n;
	char	*p, *tab, *end;
	int	 st;

	if (r->failed) {
		snprintf(err, errsz, "%s: a read error ended the input",
		    r->name);
		return -1;
	}
	do {
		st = r->fp != NULL ? tsvread_getline_file(r, &len) :
		    tsvread_getline_mem(r, &len);
		if (st == TSVREAD_EOF)
			return 0;
		if (st == TSVREAD_IOERR) {
			r->failed = 1;
			snprintf(err, errsz, "%s: read error after line %lu: "
			    "%s", r->name, r->lineno, strerror(errno));
			return -1;
		}
		r->lineno++;
		if (st == TSVREAD_LONG) {
			snprintf(err, errsz, "%s: line %lu: longer than %zu "
			    "bytes", r->name, r->lineno, r->maxline);
			return -1;
		}
		if (len > 0 && r->line[len - 1] == '\r')
			len--;
	} while (len == 0 && st == TSVREAD_LINE);
	if (st == TSVREAD_NUL) {
		snprintf(err, errsz, "%s: line %lu: a NUL byte", r->name,
		    r->lineno);
		return -1;
	}
	if ((bad = tsvread_bad_utf8(r->line, len)) < len) {
		snprintf(err, errsz, "%s: line %lu: invalid UTF-8 at byte %zu",
		    r->name, r->lineno, bad + 1);
		return -1;
	}
	r->line[len] = '\0';
	p = r->line;
	end = r->line + len;
	for (n = 0;; n++) {
		if (n == TSVREAD_MAX_FIELDS) {
			snprintf(err, errsz, "%s: line %lu: more than %d "
			    "fields", r->name, r->lineno, TSVREAD_MAX_FIELDS);
			return -1;
		}
		tab = memchr(p, '\t', (size_t)(end - p));
		if (tab == NULL)
			tab = end;
		vals[n] = p;
		lens[n] = tsvread_unescape(p, (size_t)(tab - p));
		if (tab == end)
			break;
		p = tab + 1;
	}
	*nvals = n + 1;
	return 1;
}

int
tsvread_header(struct tsvread *r, char *err, size_t errsz)
{
	size_t	lens[TSVREAD_MAX_FIELDS], i, len;
	int	rc;

	rc = tsvread_line(r, r->namev, lens, &r->nnames, err, errsz);
	if (rc == 0)
		snprintf(err, errsz, "%s: empty, no header line", r->name);
	if (rc != 1)
		return -1;
	/* Keep the names: the line buffer is reused for records. The last
	 * name ends the used part of it. */
	len = (size_t)(r->namev[r->nnames - 1] - r->line) +
	    lens[r->nnames - 1] + 1;
	if ((r->names = malloc(len)) == NULL)
		abort();
	memcpy(r->names, r->line, len);
	for (i = 0; i < r->nnames; i++)
		r->namev[i] = r->names + (r->namev[i] - r->line);
	return 0;
}

int
tsvread_next(struct tsvread *r, char *err, size_t errsz)
{
	int	rc;

	r->nvals = 0;
	rc = tsvread_line(r, r->valv, r->vallen, &r->nvals, err, errsz);
	if (rc == 1 && r->nvals != r->nnames) {
		snprintf(err, errsz, "%s: line %lu: %zu field%s, the header "
		    "has %zu", r->name, r->lineno, r->nvals,
		    r->nvals == 1 ? "" : "s", r->nnames);
		r->nvals = 0;
		return -1;
	}
	if (rc != 1)
		r->nvals = 0;
	return rc;
}

size_t
tsvread_nfields(const struct tsvread *r)
{
	return r->nnames;
}

const char *
tsvread_name(const struct tsvread *r, size_t i)
{
	return i < r->nnames ? r->namev[i] : NULL;
}

int
tsvread_column(const struct tsvread *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nnames; i++)
		if (strcmp(r->namev[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
tsvread_value(const struct tsvread *r, size_t i, size_t *len)
{
	if (i >= r->nvals)
		return NULL;
	if (len != NULL)
		*len = r->vallen[i];
	return r->valv[i];
}

unsigned long
tsvread_lineno(const struct tsvread *r)
{
	return r->lineno;
}

int
tsvread_failed(const struct tsvread *r)
{
	return r->failed;
}

/*
 * Times.
 */

int64_t
tsvread_days(int y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	/* Howard Hinnant's days_from_civil: March-based years make the leap
	 * day the last of the year. */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n digits at *s as a number in [lo, hi]; advances *s. */
static int
tsvread_digits(const char **s, int n, int lo, int hi, int *out)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*s += n;
	*out = v;
	return 0;
}

static int
tsvread_mdays(int y, int m)
{
	static const int	mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			leap = (y % 4 == 0 && y % 100 != 0) ||
				    y % 400 == 0;

	return mdays[m - 1] + (m == 2 && leap);
}

int
tsvread_time(const char *s, int64_t *out)
{
	int	y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, oh, om, sign, i;
	int64_t	t;

	if (tsvread_digits(&s, 4, 1000, 9999, &y) != 0 || *s++ != '-' ||
	    tsvread_digits(&s, 2, 1, 12, &mo) != 0 || *s++ != '-' ||
	    tsvread_digits(&s, 2, 1, 31, &d) != 0 ||
	    d > tsvread_mdays(y, mo))
		return -1;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (tsvread_digits(&s, 2, 0, 23, &h) != 0 || *s++ != ':' ||
		    tsvread_digits(&s, 2, 0, 59, &mi) != 0)
			return -1;
		if (*s == ':') {
			s++;
			/* 60: a leap second, counted as the next one. */
			if (tsvread_digits(&s, 2, 0, 60, &sec) != 0)
				return -1;
			if (*s == '.' || *s == ',') {
				s++;
				if (*s < '0' || *s > '9')
					return -1;
				for (i = 0; *s >= '0' && *s <= '9'; s++, i++)
					if (i < 3)
						ms = ms * 10 + (*s - '0');
				for (; i < 3; i++)
					ms *= 10;
			}
		}
		if (*s == 'Z')
			s++;
		else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (tsvread_digits(&s, 2, 0, 23, &oh) != 0)
				return -1;
			if (*s == ':')
				s++;
			if (tsvread_digits(&s, 2, 0, 59, &om) != 0)
				return -1;
			/* 08:30+02:00 is 06:30Z. */
			h -= sign * oh;
			mi -= sign * om;
		}
	}
	if (*s != '\0')
		return -1;
	t = tsvread_days(y, mo, d) * 86400 + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + sec;
	*out = t * 1000 + ms;
	return 0;
}
