/*
 * tsvread.h: a reader for the tab-separated reports stitch writes (`stitch
 * tail`, `stitch report`) and for other tools' TSV of the same shape.
 *
 * The first line is the header: the field names. Every later line is one
 * record with exactly as many fields as the header. In names and values
 * the escapes \t \n \r \\ are undone; any other backslash is kept as it is
 * (so a Windows path survives). A CR before the LF is dropped (CRLF files),
 * empty lines are skipped, and the last line needs no LF.
 *
 * Nothing in the input is trusted: a line longer than the cap, a record
 * with the wrong number of fields, a NUL byte or invalid UTF-8 is an error
 * that names the line ("line 12: ..."); the reader then stands on the next
 * line, so a caller may skip bad records or stop. The reader allocates
 * once, in tsvread_new(); reading a record never allocates.
 */
#ifndef STITCH_TSVREAD_H
#define STITCH_TSVREAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TSVREAD_MAX_LINE	(1024 * 1024)	/* bytes, default cap */
#define TSVREAD_MAX_FIELDS	256

struct tsvread;

/* A reader of fp (not closed by tsvread_free) or of len bytes at data
 * (borrowed: they must outlive the reader). maxline: the longest line in
 * bytes, LF not counted; 0 means TSVREAD_MAX_LINE. name is used in error
 * messages (a file name, "stdin"); copied. */
struct tsvread	*tsvread_new_file(FILE *fp, const char *name, size_t maxline);
struct tsvread	*tsvread_new_mem(const char *data, size_t len, const char *name,
		    size_t maxline);
/* NULL ok. */
void		 tsvread_free(struct tsvread *);

/*
 * Read the header line. 0, or -1 with a message in err (empty input, a bad
 * line, more than TSVREAD_MAX_FIELDS fields). Call once, first.
 */
int		 tsvread_header(struct tsvread *, char *err, size_t errsz);
/*
 * Read the next record: 1 (fields available until the next call), 0 at the
 * end of the input, -1 for a bad line (message in err; the next call reads
 * the line after it) or a read error (then every later call returns -1).
 */
int		 tsvread_next(struct tsvread *, char *err, size_t errsz);

/* The header's fields. */
size_t		 tsvread_nfields(const struct tsvread *);
/* Field name i (borrowed; NULL past the end). */
const char	*tsvread_name(const struct tsvread *, size_t i);
/* The index of the first field called name, or -1. */
int		 tsvread_column(const struct tsvread *, const char *name);
/* Value of field i in the current record, unescaped and NUL-terminated
 * (borrowed until the next tsvread_next(); NULL past the end). A value may
 * hold a TAB or LF that was escaped; *len (may be NULL) gets its length. */
const char	*tsvread_value(const struct tsvread *, size_t i, size_t *len);
/* The number of the line last read, from 1. */
unsigned long	 tsvread_lineno(const struct tsvread *);
/* 1 if a read error (not a bad line) ended the input. */
int		 tsvread_failed(const struct tsvread *);

/*
 * An ISO-8601 time as ms since the epoch, UTC: "2026-11-24",
 * "2026-11-24T08:30", "2026-11-24T08:30:00", with optional fraction
 * (".123", more digits are cut), and an optional "Z" or "+HH:MM"/"-HH:MM"
 * offset; a space may stand for the T. Years 1000-9999. 0, or -1 (out
 * untouched) for anything else, trailing bytes included.
 */
int		 tsvread_time(const char *s, int64_t *out);
/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t		 tsvread_days(int year, int month, int day);

#endif
