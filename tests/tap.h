/*
 * A tiny TAP producer for the C tests, read by automake's tap-driver.sh.
 * Header-only so each test is one file. Every check prints "ok N - what" or
 * "not ok N - what" with the values that differed, and tap_done() prints the
 * plan and returns the exit status.
 */
#ifndef STITCH_TAP_H
#define STITCH_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n;
static int tap_failed;

__attribute__((format(printf, 2, 3)))
static int __attribute__((unused))
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	return cond;
}

/* Compare two strings; NULL equals only NULL. */
static int __attribute__((unused))
tap_is_str(const char *got, const char *want, const char *what)
{
	int eq = (got == NULL || want == NULL) ? got == want :
	    strcmp(got, want) == 0;

	if (!tap_ok(eq, "%s", what))
		printf("#   got:  %s%s%s\n#   want: %s%s%s\n",
		    got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
		    want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	return eq;
}

/* Compare a (pointer, length) view with a C string. */
static int __attribute__((unused))
tap_is_mem(const char *got, size_t len, const char *want, const char *what)
{
	int eq = (got == NULL || want == NULL) ? got == want :
	    (strlen(want) == len && memcmp(got, want, len) == 0);

	if (!tap_ok(eq, "%s", what))
		printf("#   got:  \"%.*s\"\n#   want: \"%s\"\n",
		    got ? (int)len : 4, got ? got : "NULL",
		    want ? want : "NULL");
	return eq;
}

static int __attribute__((unused))
tap_is_int(long long got, long long want, const char *what)
{
	int eq = got == want;

	if (!tap_ok(eq, "%s", what))
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	return eq;
}

static void __attribute__((unused))
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Print the plan; returns the exit status for main(). */
static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
