#ifndef STITCH_DYNLIB_H
#define STITCH_DYNLIB_H

/*
 * Libraries loaded when first needed (dlopen) instead of linked, so a
 * session that never uses one does not pay its resident memory: libcurl
 * (src/http.c) and libmemcached (src/cache-memcache.c).
 *
 * A user keeps a struct of function pointers and describes it with a table
 * of { symbol name, offsetof(struct, member) }; dynlib_load() fills every
 * member or none.
 */

#include <stddef.h>

struct dynlib_sym {
	const char	*name;
	size_t		 off;		/* of a function pointer in the table */
};

#define DYNLIB_SYM(type, member, name)	{ name, offsetof(type, member) }

/*
 * Load soname once (*lib is the handle, kept for the life of the process)
 * and fill table. 0, or -1 with err filled naming the library and, when it
 * is missing, package: the Debian package that has it.
 */
int	dynlib_load(void **lib, const char *soname, const char *package,
	    const struct dynlib_sym *syms, size_t nsyms, void *table,
	    char *err, size_t errsz);

#endif
