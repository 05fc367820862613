/*
 * dynlib.c: load a library's functions when first needed (see dynlib.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "dynlib.h"

int
dynlib_load(void **lib, const char *soname, const char *package,
    const struct dynlib_sym *syms, size_t nsyms, void *table, char *err,
    size_t errsz)
{
	void	*h, *fn;
	size_t	 i;

	if (*lib != NULL)
		return 0;
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(err, errsz, "cannot load %s (is the %s package "
		    "installed?)", soname, package);
		return -1;
	}
	for (i = 0; i < nsyms; i++) {
		if ((fn = dlsym(h, syms[i].name)) == NULL) {
			snprintf(err, errsz, "%s has no %s", soname,
			    syms[i].name);
			dlclose(h);
			return -1;
		}
		/* POSIX: what dlsym returns is the function's address, and
		 * every function pointer has the size of a void *. */
		memcpy((char *)table + syms[i].off, &fn, sizeof fn);
	}
	*lib = h;
	return 0;
}
