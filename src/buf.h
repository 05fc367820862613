/*
 * buf.h: a growable byte buffer with a hard size cap (curl's dynbuf idea).
 *
 * Appends past the cap fail cleanly with -1 and leave the buffer as it was,
 * so a hostile peer can never make us grow without bound. Running out of
 * memory below the cap is fatal (abort with a message), like every
 * allocation in stitch. The bytes are always followed by a NUL, so a buffer
 * of text can be used as a C string; binary data may hold NULs of its own.
 *
 * Embed a struct buf anywhere; buf_init() allocates nothing.
 */
#ifndef STITCH_BUF_H
#define STITCH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;		/* bytes held, the final NUL not counted */
	size_t	 alloc;		/* bytes allocated, NUL included */
	size_t	 cap;		/* the most len may ever be */
};

/* An empty buffer that may hold at most cap bytes (cap >= 1). */
void		 buf_init(struct buf *, size_t cap);
/* Free the memory; the buffer is empty again, same cap, and may be reused.
 * NULL ok. */
void		 buf_free(struct buf *);
/* Forget the contents, keep the memory for the next appends. */
void		 buf_reset(struct buf *);

/* Append len bytes. 0, or -1 (buffer unchanged) if the cap would be
 * passed. */
int		 buf_add(struct buf *, const void *, size_t);
int		 buf_addc(struct buf *, char);
int		 buf_adds(struct buf *, const char *);
/* Append printf-style text: 0, or -1 (buffer unchanged) if it would pass
 * the cap or the format fails. */
int		 buf_addf(struct buf *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 buf_vaddf(struct buf *, const char *, va_list)
		     __attribute__((format(printf, 2, 0)));

/* Remove the first n bytes (all if n >= len): what a send queue does after
 * a partial write. */
void		 buf_consume(struct buf *, size_t);
/* Shorten to len bytes (no-op if already shorter). */
void		 buf_truncate(struct buf *, size_t);

/* The bytes, NUL-terminated: "" when empty, never NULL. Borrowed: valid
 * until the next call that changes the buffer. */
const char	*buf_ptr(const struct buf *);
size_t		 buf_len(const struct buf *);
size_t		 buf_cap(const struct buf *);
/* Take the bytes away as a NUL-terminated string the caller frees; the
 * buffer is left empty. Never NULL (an empty buffer gives ""). */
char		*buf_take(struct buf *);

#endif
