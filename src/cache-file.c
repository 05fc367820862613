/*
 * cache-file.c: the "file" cache backend, one file a key in a tree:
 *
 *   DIR/ab/abcdef...   (DIR/<first two hex digits>/<the 64-digit key>)
 *
 * DIR is $XDG_CACHE_HOME/stitch, else ~/.cache/stitch. Directories are
 * 0700 and files 0600: a Helix reply may name who moderates where, which
 * is nobody else's business on a shared machine. A file is written whole
 * to a temporary name and renamed, so a reader sees the old entry or the
 * new one, never half of one (and a crash leaves a temporary file the
 * next eviction removes).
 *
 * The tree is kept under max_bytes: the bytes held are counted at the
 * first write and kept up to date; past the cap, the tree is scanned and the
 * entries written longest ago removed until a tenth of the cap is free, so
 * a scan happens once every many writes, not on each.
 *
 * A file that is not a whole entry for its own name (truncated, corrupt,
 * written by something else, a symlink) is a miss and is removed. A tree
 * that cannot be written (disk full, permissions, a file where a directory
 * should be) turns the cache off with one warning.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache-int.h"

/* A temporary file older than this is the leftover of a crash. */
#define CACHE_FILE_TMP_AGE	3600
#define CACHE_FILE_TMP_PREFIX	".tmp-"
/* The default cap when the caller gives none. */
#define CACHE_FILE_DEFAULT_MAX	(64u * 1024 * 1024)

struct cache_file {
	char	*root;
	size_t	 max_bytes;
	size_t	 total;		/* bytes in entries, as far as we know */
	int	 counted;	/* total was counted by a scan */
};

/* One entry seen by a scan. */
struct cache_file_ent {
	long long	mtime_ns;
	size_t		size;
	char		dir[3];
	char		name[CACHE_KEY_LEN + 1];
};

static void
cache_file_oom(size_t n)
{
	fprintf(stderr, "stitch: out of memory (%zu bytes)\n", n);
	abort();
}

/* DIR/ab/KEY into buf (sz >= PATH_MAX); the root length was checked. */
static void
cache_file_path(const struct cache_file *f, const char *key, char *buf,
    size_t sz)
{
	snprintf(buf, sz, "%s/%.2s/%s", f->root, key, key);
}

/* mkdir -p with 0700 for what it creates. 0, or -1 with errno. */
static int
cache_file_mkdirs(const char *path)
{
	char		 tmp[PATH_MAX];
	struct stat	 st;
	size_t		 len = strlen(path), i;

	if (len == 0 || len >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) == 0) {
			/* Exactly 0700 whatever the umask says. */
			if (chmod(tmp, 0700) == -1)
				return -1;
		} else if (errno != EEXIST ||
		    stat(tmp, &st) == -1 || !S_ISDIR(st.st_mode)) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			return -1;
		}
		tmp[i] = path[i];
	}
	return 0;
}

/* Where the tree lives: opts, then XDG_CACHE_HOME, then HOME. The spec
 * says a relative XDG path is to be ignored. */
static char *
cache_file_root(const struct cache_opts *opts, char *err, size_t errsz)
{
	const char	*x;
	char		 buf[PATH_MAX];
	int		 n;

	if (opts->dir != NULL && *opts->dir != '\0')
		n = snprintf(buf, sizeof buf, "%s", opts->dir);
	else if ((x = getenv("XDG_CACHE_HOME")) != NULL && *x == '/')
		n = snprintf(buf, sizeof buf, "%s/stitch", x);
	else if ((x = getenv("HOME")) != NULL && *x == '/')
		n = snprintf(buf, sizeof buf, "%s/.cache/stitch", x);
	else {
		snprintf(err, errsz, "no cache directory: set XDG_CACHE_HOME "
		    "or HOME");
		return NULL;
	}
	/* Room for "/ab/", the key and a temporary suffix. */
	if (n < 0 || (size_t)n + CACHE_KEY_LEN + 32 >= sizeof buf) {
		snprintf(err, errsz, "cache directory name too long");
		return NULL;
	}
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	if ((x = strdup(buf)) == NULL)
		cache_file_oom(strlen(buf) + 1);
	return (char *)x;
}

static int
cache_file_is_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

/* A growing list of entries seen by a scan. */
struct cache_file_list {
	struct cache_file_ent	*v;
	size_t			 n;
	size_t			 alloc;
};

static void
cache_file_list_add(struct cache_file_list *l, const char *dir,
    const char *name, const struct stat *st)
{
	struct cache_file_ent	*e;

	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 256;
		if ((l->v = realloc(l->v, l->alloc * sizeof *l->v)) == NULL)
			cache_file_oom(l->alloc * sizeof *l->v);
	}
	e = &l->v[l->n++];
	e->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000 +
	    st->st_mtim.tv_nsec;
	e->size = (size_t)st->st_size;
	memcpy(e->dir, dir, sizeof e->dir);
	memcpy(e->name, name, sizeof e->name);
}

/* One fan-out directory (fd, named dir): the bytes its entries hold.
 * Temporary files left by a crash go; other names are not ours and stay
 * uncounted. Lists the entries in l when l is not NULL. Closes fd. */
static size_t
cache_file_scan_dir(struct cache *c, int fd, const char *dir,
    struct cache_file_list *l)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 total = 0;
	time_t		 now = cache_int_now(c);

	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (strncmp(de->d_name, CACHE_FILE_TMP_PREFIX,
		    strlen(CACHE_FILE_TMP_PREFIX)) == 0) {
			if (st.st_mtime + CACHE_FILE_TMP_AGE < now)
				unlinkat(fd, de->d_name, 0);
			continue;
		}
		if (!cache_file_is_hex(de->d_name, CACHE_KEY_LEN) ||
		    strncmp(de->d_name, dir, 2) != 0)
			continue;
		total += (size_t)st.st_size;
		if (l != NULL)
			cache_file_list_add(l, dir, de->d_name, &st);
	}
	closedir(d);
	return total;
}

/* Walk the tree: the bytes held, and every entry in l when l is not
 * NULL (the caller frees l->v). */
static size_t
cache_file_scan(struct cache *c, struct cache_file_list *l)
{
	struct cache_file	*f = c->be_data;
	struct dirent		*de;
	DIR			*d;
	size_t			 total = 0;
	int			 fd;

	if ((d = opendir(f->root)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!cache_file_is_hex(de->d_name, 2))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (fd != -1)
			total += cache_file_scan_dir(c, fd, de->d_name, l);
	}
	closedir(d);
	return total;
}

static int
cache_file_ent_cmp(const void *a, const void *b)
{
	const struct cache_file_ent *x = a, *y = b;

	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Over the cap: remove the entries written longest ago until a tenth of
 * the cap is free. */
static void
cache_file_evict(struct cache *c)
{
	struct cache_file	*f = c->be_data;
	struct cache_file_list	 l = { NULL, 0, 0 };
	struct cache_file_ent	*e;
	char			 path[PATH_MAX];
	size_t			 i, goal = f->max_bytes - f->max_bytes / 10;

	f->total = cache_file_scan(c, &l);
	if (f->total > f->max_bytes) {
		qsort(l.v, l.n, sizeof *l.v, cache_file_ent_cmp);
		for (i = 0; i < l.n && f->total > goal; i++) {
			e = &l.v[i];
			snprintf(path, sizeof path, "%s/%s/%s", f->root,
			    e->dir, e->name);
			if (unlink(path) == 0 || errno == ENOENT)
				f->total -= e->size < f->total ? e->size :
				    f->total;
		}
	}
	free(l.v);
}

static int
cache_file_open(struct cache *c, const struct cache_opts *opts, char *err,
    size_t errsz)
{
	struct cache_file	*f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		cache_file_oom(sizeof *f);
	if ((f->root = cache_file_root(opts, err, errsz)) == NULL) {
		free(f);
		return -1;
	}
	if (cache_file_mkdirs(f->root) == -1) {
		snprintf(err, errsz, "cache directory %s: %s", f->root,
		    strerror(errno));
		free(f->root);
		free(f);
		return -1;
	}
	f->max_bytes = opts->max_bytes ? opts->max_bytes :
	    CACHE_FILE_DEFAULT_MAX;
	c->be_data = f;
	return 0;
}

static void
cache_file_close(struct cache *c)
{
	struct cache_file	*f = c->be_data;

	if (f == NULL)
		return;
	free(f->root);
	free(f);
	c->be_data = NULL;
}

/* Read a whole regular file of at most CACHE_ENTRY_MAX bytes. Returns the
 * malloc'd bytes, or NULL (with *bad set when the file is not a possible
 * entry and should go). */
static unsigned char *
cache_file_read(const char *path, size_t *len, int *bad)
{
	struct stat	 st;
	unsigned char	*b;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	*bad = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		*bad = errno == ELOOP;
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < CACHE_ENTRY_HDR || st.st_size > CACHE_ENTRY_MAX) {
		*bad = 1;
		*len = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
		close(fd);
		return NULL;
	}
	if ((b = malloc((size_t)st.st_size)) == NULL)
		cache_file_oom((size_t)st.st_size);
	while (got < (size_t)st.st_size) {
		r = read(fd, b + got, (size_t)st.st_size - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		*bad = 1;
		free(b);
		return NULL;
	}
	*len = got;
	return b;
}

/* Remove an entry that is expired or bad, keeping the count right. */
static void
cache_file_drop(struct cache_file *f, const char *path, size_t size)
{
	if (unlink(path) == 0)
		f->total -= size < f->total ? size : f->total;
}

static int
cache_file_get(struct cache *c, const char *key, char **val, size_t *len)
{
	struct cache_file	*f = c->be_data;
	char			 path[PATH_MAX];
	unsigned char		*b;
	size_t			 blen = 0;
	int			 bad, r;

	cache_file_path(f, key, path, sizeof path);
	if ((b = cache_file_read(path, &blen, &bad)) == NULL) {
		if (bad)
			cache_file_drop(f, path, blen);
		return 0;
	}
	r = cache_entry_decode(b, blen, key, cache_int_now(c), val, len, NULL);
	free(b);
	if (r != 1)
		cache_file_drop(f, path, blen);
	return r == 1;
}

/* Write all of buf to fd. 0, or -1 with errno. */
static int
cache_file_write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t	r;

	while (len > 0) {
		r = write(fd, buf, len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/* The tree cannot be written: say so once, and the cache goes off. */
static int
cache_file_fail(struct cache *c, const char *what, int err)
{
	struct cache_file	*f = c->be_data;

	cache_int_warn(c, "cache directory %s: %s: %s", f->root, what,
	    strerror(err));
	return CACHE_DOWN;
}

/*
 * A temporary file next to key's entry, 0600, into tmp. The fan-out
 * directory is made only when it is missing: a mkdir on every write costs
 * as much as the write. Returns the fd, or -1 (cannot create) or -2
 * (cannot make the directory) with errno.
 */
static int
cache_file_mktemp(struct cache_file *f, const char *key, char *tmp,
    size_t sz)
{
	char	dir[PATH_MAX];
	int	fd;

	snprintf(tmp, sz, "%s/%.2s/" CACHE_FILE_TMP_PREFIX "XXXXXX", f->root,
	    key);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) != -1 || errno != ENOENT)
		return fd;
	snprintf(dir, sizeof dir, "%s/%.2s", f->root, key);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return -2;
	/* Exactly 0700 whatever the umask says. */
	chmod(dir, 0700);
	snprintf(tmp, sz, "%s/%.2s/" CACHE_FILE_TMP_PREFIX "XXXXXX", f->root,
	    key);
	return mkostemp(tmp, O_CLOEXEC);
}

static int
cache_file_set(struct cache *c, const char *key, const void *val,
    size_t len, unsigned ttl_s)
{
	struct cache_file	*f = c->be_data;
	struct timespec		 ts[2];
	struct stat		 st;
	char			 path[PATH_MAX], tmp[PATH_MAX];
	unsigned char		*e;
	size_t			 elen, old = 0;
	time_t			 now = cache_int_now(c);
	int			 fd, err;

	if ((e = cache_entry_encode(key, val, len, now + (time_t)ttl_s,
	    &elen)) == NULL)
		return -1;
	if (elen > f->max_bytes) {
		free(e);
		return -1;
	}
	if ((fd = cache_file_mktemp(f, key, tmp, sizeof tmp)) < 0) {
		err = errno;
		free(e);
		return cache_file_fail(c, fd == -2 ? "cannot make a directory" :
		    "cannot write", err);
	}
	/* mtime is the cache's clock, so eviction order follows it. */
	ts[0].tv_sec = ts[1].tv_sec = now;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (fchmod(fd, 0600) == -1 || cache_file_write_all(fd, e, elen) == -1 ||
	    futimens(fd, ts) == -1) {
		err = errno;
		close(fd);
		unlink(tmp);
		free(e);
		return cache_file_fail(c, "cannot write", err);
	}
	free(e);
	if (close(fd) == -1) {
		err = errno;
		unlink(tmp);
		return cache_file_fail(c, "cannot write", err);
	}
	cache_file_path(f, key, path, sizeof path);
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		old = (size_t)st.st_size;
	if (rename(tmp, path) == -1) {
		err = errno;
		unlink(tmp);
		/* A directory someone made where this entry goes costs this
		 * entry, not the cache. */
		if (err == EISDIR || err == ENOTEMPTY || err == EEXIST)
			return -1;
		return cache_file_fail(c, "cannot rename", err);
	}
	/* The first write counts what earlier runs left, so a cache only
	 * read from never walks the tree. */
	if (!f->counted) {
		f->total = cache_file_scan(c, NULL);
		f->counted = 1;
	} else {
		f->total -= old < f->total ? old : f->total;
		f->total += elen;
	}
	if (f->total > f->max_bytes)
		cache_file_evict(c);
	return 0;
}

static int
cache_file_del(struct cache *c, const char *key)
{
	struct cache_file	*f = c->be_data;
	struct stat		 st;
	char			 path[PATH_MAX];
	size_t			 size = 0;

	cache_file_path(f, key, path, sizeof path);
	if (lstat(path, &st) == 0)
		size = (size_t)st.st_size;
	if (unlink(path) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	f->total -= size < f->total ? size : f->total;
	return 0;
}

const struct cache_backend cache_file_backend = {
	.name = "file",
	.open = cache_file_open,
	.close = cache_file_close,
	.get = cache_file_get,
	.set = cache_file_set,
	.del = cache_file_del,
	.reconnect = NULL,
};
