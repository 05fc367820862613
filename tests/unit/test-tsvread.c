/*
 * test-tsvread.c: the report reader: header and records, escapes undone,
 * CRLF, empty lines, missing and extra fields, over-long lines, NUL and
 * bad UTF-8, each error naming its line; and ISO-8601 times.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "tsvread.h"

/* Every record of input as "a|b|c" lines, errors as "E:message". */
static void
dump(const char *in, size_t len, size_t maxline, char *out, size_t outsz)
{
	struct tsvread	*r = tsvread_new_mem(in, len, "t.tsv", maxline);
	char		 err[256];
	size_t		 i, n = 0;
	int		 rc;

	out[0] = '\0';
	if (tsvread_header(r, err, sizeof err) != 0) {
		snprintf(out, outsz, "E:%s", err);
		tsvread_free(r);
		return;
	}
	for (i = 0; i < tsvread_nfields(r); i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s%s", i ? "|" : "",
		    tsvread_name(r, i));
	while ((rc = tsvread_next(r, err, sizeof err)) != 0 && n < outsz) {
		n += (size_t)snprintf(out + n, outsz - n, "\n");
		if (rc < 0) {
			n += (size_t)snprintf(out + n, outsz - n, "E:%s", err);
			continue;
		}
		for (i = 0; i < tsvread_nfields(r) && n < outsz; i++)
			n += (size_t)snprintf(out + n, outsz - n, "%s%s",
			    i ? "|" : "", tsvread_value(r, i, NULL));
	}
	tsvread_free(r);
}

static const struct {
	const char	*what;
	const char	*in;
	size_t		 maxline;	/* 0: default */
	const char	*want;
} cases[] = {
	{ "plain", "a\tb\n1\t2\n3\t4\n", 0, "a|b\n1|2\n3|4" },
	{ "no final LF", "a\tb\n1\t2", 0, "a|b\n1|2" },
	{ "CRLF", "a\tb\r\n1\t2\r\n", 0, "a|b\n1|2" },
	{ "empty lines skipped", "a\tb\n\n1\t2\n\r\n\n3\t4\n", 0,
	    "a|b\n1|2\n3|4" },
	{ "empty values", "a\tb\tc\n\t\t\n", 0, "a|b|c\n||" },
	{ "escapes undone", "a\tb\nx\\ty\tl1\\nl2\\r\\\\\n", 0,
	    "a|b\nx\ty|l1\nl2\r\\" },
	{ "other backslashes kept", "p\nC:\\dir\\x\\\n", 0,
	    "p\nC:\\dir\\x\\" },
	{ "missing field", "a\tb\tc\n1\t2\n4\t5\t6\n", 0,
	    "a|b|c\nE:t.tsv: line 2: 2 fields, the header has 3\n4|5|6" },
	{ "extra field", "a\n1\t2\n3\n", 0,
	    "a\nE:t.tsv: line 2: 2 fields, the header has 1\n3" },
	{ "over-long line, then going on", "a\n123\n12345678901\n5\n", 10,
	    "a\n123\nE:t.tsv: line 3: longer than 10 bytes\n5" },
	{ "a line just at the cap", "a\n1234567890\n", 10,
	    "a\n1234567890" },
	{ "bad UTF-8", "a\nok\xc3\xa9\n\xff\xfe\n\xe2\x82\n", 0,
	    "a\nok\xc3\xa9\nE:t.tsv: line 3: invalid UTF-8 at byte 1\n"
	    "E:t.tsv: line 4: invalid UTF-8 at byte 1" },
	{ "overlong encoding is bad UTF-8", "a\nx\xc0\xaf\n", 0,
	    "a\nE:t.tsv: line 2: invalid UTF-8 at byte 2" },
	{ "empty input", "", 0, "E:t.tsv: empty, no header line" },
	{ "only empty lines", "\n\r\n\n", 0,
	    "E:t.tsv: empty, no header line" },
	{ "header over the cap", "abcdefghijkl\n", 4,
	    "E:t.tsv: line 1: longer than 4 bytes" },
};

static void
test_cases(void)
{
	char	out[2048];
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dump(cases[i].in, strlen(cases[i].in), cases[i].maxline, out,
		    sizeof out);
		tap_is_str(out, cases[i].want, cases[i].what);
	}
}

static void
test_nul(void)
{
	static const char	in[] = "a\tb\nx\0y\t1\n2\t3\n";
	char			out[512];

	dump(in, sizeof in - 1, 0, out, sizeof out);
	tap_is_str(out, "a|b\nE:t.tsv: line 2: a NUL byte\n2|3",
	    "a NUL byte is an error on its line");
}

static void
test_columns(void)
{
	static const char	 in[] = "time\tlogin\ttext\ttime\n"
				    "t\tbob\ttab\\there\tt2\n";
	struct tsvread		*r;
	const char		*v;
	char			 err[256];
	size_t			 len = 0;

	r = tsvread_new_mem(in, sizeof in - 1, "c", 0);
	tap_is_int(tsvread_header(r, err, sizeof err), 0, "header read");
	tap_is_int(tsvread_column(r, "login"), 1, "column by name");
	tap_is_int(tsvread_column(r, "time"), 0, "a repeated name: first");
	tap_is_int(tsvread_column(r, "nope"), -1, "an unknown name: -1");
	tap_is_int(tsvread_next(r, err, sizeof err), 1, "record read");
	v = tsvread_value(r, 2, &len);
	tap_is_str(v, "tab\there", "value unescaped");
	tap_is_int((long long)len, 8, "its length");
	tap_ok(tsvread_value(r, 4, NULL) == NULL, "past the end: NULL");
	tap_is_int((long long)tsvread_lineno(r), 2, "line number");
	tap_is_int(tsvread_next(r, err, sizeof err), 0, "then the end");
	tap_ok(tsvread_value(r, 0, NULL) == NULL, "no value after the end");
	tsvread_free(r);
	tsvread_free(NULL);
}

static void
test_file(void)
{
	static char	 in[] = "a\tb\r\n1\t2\r\n3\t\\\\\r\n";
	struct tsvread	*r;
	FILE		*fp = fmemopen(in, sizeof in - 1, "r");
	char		 err[256];

	r = tsvread_new_file(fp, "f", 0);
	tap_is_int(tsvread_header(r, err, sizeof err), 0, "file: header");
	tap_is_int(tsvread_next(r, err, sizeof err), 1, "file: record 1");
	tap_is_str(tsvread_value(r, 1, NULL), "2", "file: CR dropped");
	tap_is_int(tsvread_next(r, err, sizeof err), 1, "file: record 2");
	tap_is_str(tsvread_value(r, 1, NULL), "\\", "file: backslash");
	tap_is_int(tsvread_next(r, err, sizeof err), 0, "file: end");
	tap_ok(!tsvread_failed(r), "file: no read error");
	tsvread_free(r);
	fclose(fp);
}

static const struct {
	const char	*s;
	long long	 ms;		/* -1: must be rejected */
} times[] = {
	{ "1970-01-01", 0 },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2023-11-14T22:13:20.123Z", 1700000000123LL },
	{ "2023-11-14T22:13:20.1239Z", 1700000000123LL },
	{ "2023-11-14T22:13:20.1Z", 1700000000100LL },
	{ "2023-11-14 22:13:20", 1700000000000LL },
	{ "2023-11-14T22:13Z", 1699999980000LL },
	{ "2023-11-15T00:13:20+02:00", 1700000000000LL },
	{ "2023-11-14T20:43:20-0130", 1700000000000LL },
	{ "2024-02-29", 1709164800000LL },
	{ "2023-02-29", -1 },
	{ "2023-13-01", -1 },
	{ "2023-11-14T24:00:00Z", -1 },
	{ "2023-11-14T22:13:20Zjunk", -1 },
	{ "2023-11-14T", -1 },
	{ "2023-11-14T22:13:20.Z", -1 },
	{ "23-11-14", -1 },
	{ "", -1 },
	{ "1700000000", -1 },
};

static void
test_times(void)
{
	int64_t	ms;
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof times / sizeof times[0]; i++) {
		ms = -1;
		rc = tsvread_time(times[i].s, &ms);
		if (times[i].ms < 0)
			tap_ok(rc == -1 && ms == -1, "time '%s' rejected",
			    times[i].s);
		else
			tap_ok(rc == 0 && ms == times[i].ms, "time '%s' = %lld "
			    "(got %lld)", times[i].s, times[i].ms,
			    (long long)ms);
	}
	tap_is_int(tsvread_days(2000, 3, 1), 11017, "days: 2000-03-01");
	tap_is_int(tsvread_days(1969, 12, 31), -1, "days: before the epoch");
}

int
main(void)
{
	test_cases();
	test_nul();
	test_columns();
	test_file();
	test_times();
	return tap_done();
}
