/*
 * xmalloc.h: allocation that cannot fail (tmux's xmalloc.c idea). Running
 * out of memory is fatal in stitch, so callers never test for NULL: these
 * print one line to stderr and abort. Sizes are checked for overflow.
 */
#ifndef STITCH_XMALLOC_H
#define STITCH_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t size);			/* size 0 gives a valid pointer */
void	*xcalloc(size_t n, size_t size);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
/* The first n bytes of s (it need not be NUL-terminated) and a NUL. */
char	*xstrndup(const char *s, size_t n);

#endif
