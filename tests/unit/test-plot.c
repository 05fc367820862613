/*
 * test-plot.c: nice 1-2-5 ticks, date ticks over a minute, a day, weeks,
 * a year and years; fixed formatting; ranges; the SVG's structure (points,
 * line vertices, span rects), XML escaping of hostile text, density
 * colours, reproducible bytes; the braille canvas and a terminal chart
 * against snapshots.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"
#include "tap.h"

#define T_2026_11_24	1795478400.0
#define T_2026_01_01	1767225600.0
#define T_2027_01_01	1798761600.0
#define T_2010_01_01	1262304000.0
#define T_2026_11_01	1793491200.0

/* The labels of a tick list joined by spaces. */
static const char *
labels(const struct plot_tick *t, size_t n)
{
	static char	out[1024];
	size_t		i, k = 0;

	out[0] = '\0';
	for (i = 0; i < n && k < sizeof out; i++)
		k += (size_t)snprintf(out + k, sizeof out - k, "%s%s",
		    i ? " " : "", t[i].label);
	return out;
}

/* How many times needle occurs in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_nice(void)
{
	struct plot_tick	t[PLOT_MAX_TICKS];
	size_t			n;

	tap_ok(plot_nice_step(10, 5) == 2, "nice: 10 in 5 -> 2");
	tap_ok(plot_nice_step(100, 5) == 20, "nice: 100 in 5 -> 20");
	tap_ok(plot_nice_step(7, 5) == 2, "nice: 7 in 5 -> 2");
	tap_ok(plot_nice_step(1000, 4) == 500, "nice: 1000 in 4 -> 500");
	tap_ok(fabs(plot_nice_step(1, 10) - 0.1) < 1e-12, "nice: 1 in 10 -> "
	    "0.1");
	tap_ok(fabs(plot_nice_step(0.003, 3) - 0.001) < 1e-15,
	    "nice: 0.003 in 3 -> 0.001");
	tap_ok(plot_nice_step(12345, 3) == 5000, "nice: 12345 in 3 -> 5000");

	n = plot_ticks_num(0, 10, 5, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "0 2 4 6 8 10", "ticks: 0..10");
	n = plot_ticks_num(-1, 1, 4, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "-1.0 -0.5 0.0 0.5 1.0",
	    "ticks: -1..1, one decimal, a plain 0.0");
	n = plot_ticks_num(0.013, 0.087, 4, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "0.02 0.04 0.06 0.08",
	    "ticks: only inside the range");
	n = plot_ticks_num(3, 1003, 5, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "200 400 600 800 1000", "ticks: 3..1003");
	n = plot_ticks_num(0, 1e6, 100, t, 3);
	tap_is_int((long long)n, 3, "ticks: the max is kept");
	tap_is_int((long long)plot_ticks_num(5, 5, 5, t, PLOT_MAX_TICKS), 0,
	    "ticks: an empty range has none");
}

static void
test_dates(void)
{
	struct plot_tick	t[PLOT_MAX_TICKS];
	size_t			n;

	n = plot_ticks_date(1700000000, 1700000060, 6, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "22:13:20 22:13:30 22:13:40 22:13:50 "
	    "22:14:00 22:14:10 22:14:20", "date ticks: a minute, every 10 s");
	n = plot_ticks_date(1700000005, 1700000295, 5, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "22:14 22:15 22:16 22:17 22:18",
	    "date ticks: five minutes, whole minutes");
	n = plot_ticks_date(T_2026_11_24, T_2026_11_24 + 86400, 6, t,
	    PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "11-24 00:00 11-24 06:00 11-24 12:00 "
	    "11-24 18:00 11-25 00:00", "date ticks: a day, every 6 hours");
	n = plot_ticks_date(T_2026_11_24 + 3600, T_2026_11_24 + 7 * 3600, 6,
	    t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "01:00 02:00 03:00 04:00 05:00 06:00 07:00",
	    "date ticks: hours");
	n = plot_ticks_date(T_2026_11_01, T_2026_11_01 + 42 * 86400, 6, t,
	    PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "2026-11-02 2026-11-09 2026-11-16 "
	    "2026-11-23 2026-11-30 2026-12-07", "date ticks: weeks, Mondays");
	n = plot_ticks_date(T_2026_01_01, T_2027_01_01, 6, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "2026-01 2026-03 2026-05 2026-07 2026-09 "
	    "2026-11 2027-01", "date ticks: a year, every 2 months");
	n = plot_ticks_date(T_2026_01_01 + 86400, T_2027_01_01, 12, t,
	    PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "2026-02 2026-03 2026-04 2026-05 2026-06 "
	    "2026-07 2026-08 2026-09 2026-10 2026-11 2026-12 2027-01",
	    "date ticks: months, from the first whole one");
	n = plot_ticks_date(T_2010_01_01, T_2026_11_24, 6, t, PLOT_MAX_TICKS);
	tap_is_str(labels(t, n), "2010 2015 2020 2025",
	    "date ticks: years, every 5");
}

static void
test_fmt(void)
{
	char	s[32];

	plot_fmt(s, sizeof s, 1234.5678, 2);
	tap_is_str(s, "1234.57", "fmt: 2 decimals, rounded");
	plot_fmt(s, sizeof s, -3, 0);
	tap_is_str(s, "-3", "fmt: negative, no decimals");
	plot_fmt(s, sizeof s, -0.001, 2);
	tap_is_str(s, "0.00", "fmt: no minus zero");
	plot_fmt(s, sizeof s, 0.5, 3);
	tap_is_str(s, "0.500", "fmt: padded decimals");
	plot_fmt(s, sizeof s, 1e20, 0);
	tap_is_str(s, "1000000000000000", "fmt: clamped, no exponent");
	plot_fmt(s, sizeof s, -1e15, 6);
	tap_is_str(s, "-1000000000000000.000", "fmt: fewer decimals when huge");
	plot_fmt(s, sizeof s, NAN, 1);
	tap_is_str(s, "0.0", "fmt: NaN is 0");
}

static void
test_range(void)
{
	struct plot_opts	 o;
	struct plot		*p = plot_new();
	double			 r[4];

	plot_opts_init(&o);
	plot_add(p, 0, 10);
	plot_add(p, 100, 20);
	plot_range(p, &o, r);
	tap_ok(r[0] == 0 && fabs(r[1] - 103) < 1e-9, "range: x widened by "
	    "3%%, not below 0 (%g..%g)", r[0], r[1]);
	tap_ok(fabs(r[2] - 9.7) < 1e-9 && fabs(r[3] - 20.3) < 1e-9,
	    "range: y widened by 3%% (%g..%g)", r[2], r[3]);
	o.xmin = 10;
	o.xmax = 50;
	o.ymin = -5;
	plot_range(p, &o, r);
	tap_ok(r[0] == 10 && r[1] == 50 && r[2] == -5, "range: given bounds "
	    "are kept exactly");
	tap_ok(plot_add(p, INFINITY, 1) == -1 && plot_add(p, 1, NAN) == -1,
	    "points that are not finite are refused");
	plot_free(p);

	p = plot_new();
	plot_opts_init(&o);
	plot_add(p, 5, 5);
	plot_range(p, &o, r);
	tap_ok(r[0] < 5 && r[1] > 5 && r[2] < 5 && r[3] > 5,
	    "range: one point gets a range around it");
	plot_free(p);
	plot_free(NULL);
}

/* The fixture of the SVG tests: 10 points, 3 spans of which one lies
 * wholly outside. */
static struct plot *
fixture(void)
{
	struct plot	*p = plot_new();
	int		 i;

	for (i = 0; i < 10; i++)
		plot_add(p, T_2026_11_24 + i * 3600, (i * 7) % 10);
	plot_add_span(p, T_2026_11_24 + 1800, T_2026_11_24 + 5400);
	plot_add_span(p, T_2026_11_24 + 6 * 3600, T_2026_11_24 + 8 * 3600);
	plot_add_span(p, T_2026_11_24 - 9 * 86400, T_2026_11_24 - 8 * 86400);
	return p;
}

static void
test_svg(void)
{
	struct plot_opts	 o;
	struct plot		*p = fixture();
	struct buf		 b, b2;
	const char		*s, *d;

	buf_init(&b, 1 << 24);
	buf_init(&b2, 1 << 24);
	plot_opts_init(&o);
	o.xdate = 1;
	tap_is_int(plot_svg(p, &o, &b), 0, "svg: rendered");
	s = buf_ptr(&b);
	tap_ok(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
	    "xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"800\" "
	    "height=\"400\"", 110) == 0, "svg: an SVG 1.1 document, 800x400");
	tap_ok(strcmp(s + buf_len(&b) - 7, "</svg>\n") == 0, "svg: closed");
	tap_is_int((long long)count(s, "<circle"), 10, "svg: 10 points");
	tap_is_int((long long)count(s, "class=\"span\""), 2,
	    "svg: 2 span rects (the third is out of range)");
	tap_is_int((long long)count(s, "class=\"line\""), 0,
	    "svg: scatter has no line");
	tap_ok(strstr(s, ">00:00<") != NULL && strstr(s, ">08:00<") != NULL,
	    "svg: date tick labels, every 2 hours");
	tap_ok(strstr(s, ",") == NULL, "svg: no decimal comma anywhere");

	plot_svg(p, &o, &b2);
	tap_ok(buf_len(&b) == buf_len(&b2) && memcmp(buf_ptr(&b),
	    buf_ptr(&b2), buf_len(&b)) == 0, "svg: the same bytes twice");

	buf_reset(&b);
	o.type = PLOT_LINE;
	plot_svg(p, &o, &b);
	s = buf_ptr(&b);
	d = strstr(s, "class=\"line\"");
	tap_ok(d != NULL, "line: a path");
	tap_is_int((long long)count(s, "<circle"), 0, "line: no points");
	tap_is_int(d != NULL ? (long long)count(d, " L") : -1, 9,
	    "line: 10 vertices (M and 9 L)");

	buf_reset(&b);
	o.type = PLOT_MIXED;
	o.xmin = T_2026_11_24 + 3 * 3600 - 1;
	plot_svg(p, &o, &b);
	s = buf_ptr(&b);
	tap_is_int((long long)count(s, "<circle"), 7,
	    "mixed, --xmin: the 7 points in range");
	d = strstr(s, "class=\"line\"");
	tap_is_int(d != NULL ? (long long)count(d, " L") : -1, 7,
	    "mixed: the line keeps one point before the range (8 vertices)");
	tap_is_int((long long)count(s, "class=\"span\""), 1,
	    "mixed, --xmin: 1 span left");

	buf_free(&b);
	buf_free(&b2);
	plot_free(p);
}

static void
test_escape(void)
{
	struct plot_opts	 o;
	struct plot		*p = fixture();
	struct buf		 b;
	const char		*s;

	buf_init(&b, 1 << 24);
	plot_opts_init(&o);
	o.title = "<script>alert('x')</script> & \"q\" \x1b[31mred\x07";
	o.label = "]]><!-- \xff -->";
	o.xname = "x<y";
	o.yname = "a&b";
	plot_svg(p, &o, &b);
	s = buf_ptr(&b);
	tap_ok(strstr(s, "<script") == NULL, "escape: no <script element");
	tap_ok(strstr(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
	    "&amp; &quot;q&quot;") != NULL, "escape: the title escaped");
	tap_ok(strchr(s, 0x1b) == NULL && strchr(s, 0x07) == NULL,
	    "escape: no ESC or BEL byte");
	tap_ok(strstr(s, "\xe2\x90\x9b[31mred") != NULL,
	    "escape: ESC shown as U+241B");
	tap_ok(strstr(s, "]]&gt;&lt;!-- \xef\xbf\xbd --&gt;") != NULL,
	    "escape: the label escaped, a bad byte is U+FFFD");
	tap_ok(strstr(s, ">x&lt;y<") != NULL && strstr(s, ">a&amp;b<") != NULL,
	    "escape: axis names");
	buf_free(&b);
	plot_free(p);
}

static void
test_density(void)
{
	struct plot_opts	 o;
	struct plot		*p = plot_new();
	struct buf		 b;
	const char		*s;
	int			 i;

	for (i = 0; i < 200; i++)
		plot_add(p, 50 + (i % 5) * 0.01, 50 + (i % 7) * 0.01);
	plot_add(p, 0, 0);
	plot_add(p, 100, 100);
	buf_init(&b, 1 << 24);
	plot_opts_init(&o);
	o.density = 1;
	plot_svg(p, &o, &b);
	s = buf_ptr(&b);
	tap_is_int((long long)count(s, "<circle"), 202, "density: every point");
	tap_is_int((long long)count(s, "fill=\"#fde725\""), 200,
	    "density: the cluster in the hottest colour");
	tap_is_int((long long)count(s, "fill=\"#440154\""), 2,
	    "density: the lone points in the coolest");
	tap_ok(strstr(s, "fill=\"#440154\"") < strstr(s, "fill=\"#fde725\""),
	    "density: sparse points drawn first, crowded ones on top");
	buf_free(&b);
	plot_free(p);
}

static void
test_canvas(void)
{
	struct plot_canvas	*c = plot_canvas_new(4, 2);
	struct buf		 b;
	int			 r;

	buf_init(&b, 4096);
	plot_canvas_dot(c, 0, 0);
	plot_canvas_dot(c, 1, 3);
	plot_canvas_dot(c, 100, 100);	/* outside: ignored */
	plot_canvas_dot(c, -1, 0);
	plot_canvas_line(c, 0, 7, 7, 4);
	plot_canvas_shade(c, 3);
	for (r = 0; r < 2; r++) {
		plot_canvas_row(c, r, &b);
		buf_addc(&b, '\n');
	}
	/* Row 0: dots 1 and 8 in cell 0; then empty, empty, shaded.
	 * Row 1: the line from bottom left up to the right. */
	tap_is_str(buf_ptr(&b), "\xe2\xa2\x81  \xe2\x96\x91\n"
	    "\xe2\xa3\x80\xe2\xa0\xa4\xe2\xa0\x92\xe2\xa0\x89\n",
	    "canvas: dots, a line, a shaded column");
	plot_canvas_free(c);
	plot_canvas_free(NULL);
	buf_free(&b);
}

static void
test_term(void)
{
	static const char	 want[] =
	    "Chat <b>\xe2\x90\x9b\n"
	    "   \xe2\x94\x82\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91        \xe2\xa2\x80\xe2\x96\x91\xe2\x96\x91\xe2\xa0\x90\xe2\x96\x91\xe2\x96\x91          \n"
	    "10 \xe2\x94\xa4\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91   \xe2\xa0\x84  \xe2\xa0\x81 \xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91       \xe2\xa0\xa0  \n"
	    "   \xe2\x94\x82\xe2\x96\x91\xe2\xa0\xa0\xe2\x96\x91\xe2\x96\x91\xe2\xa0\x81       \xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91 \xe2\xa0\xa0  \xe2\xa0\x88     \n"
	    "   \xe2\x94\x82\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91        \xe2\x96\x91\xe2\x96\x91\xe2\xa0\x84\xe2\x96\x91\xe2\x96\x91\xe2\xa0\x81          \n"
	    "   \xe2\x94\x82\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91 \xe2\xa2\x80  \xe2\xa0\x90  \xe2\xa0\x81\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91      \xe2\xa1\x80 \xe2\xa0\x90 \n"
	    " 0 \xe2\x94\xa4\xe2\xa1\x80\xe2\x96\x91\xe2\x96\x91\xe2\xa0\x82        \xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\xa2\x80  \xe2\xa0\x82      \n"
	    "   \xe2\x94\x94\xe2\x94\xac\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x81\xe2\x94\x81\xe2\x94\xac\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\n"
	    "    0            10\n"
	    "\xe2\xa3\xbf lines\n";
	struct plot_opts	 o;
	struct plot		*p = plot_new();
	struct buf		 b;
	const char		*s;
	int			 i;

	for (i = 0; i < 20; i++)
		plot_add(p, i, (i * 7) % 13);
	plot_add_span(p, 0, 2.5);
	plot_add_span(p, 9, 12.5);
	buf_init(&b, 1 << 20);
	plot_opts_init(&o);
	o.title = "Chat <b>\x1b";
	o.label = "lines";
	o.width = 32;
	o.height = 10;
	tap_is_int(plot_term(p, &o, &b), 0, "term: rendered");
	s = buf_ptr(&b);
	tap_ok(strcmp(s, want) == 0, "term: snapshot");
	if (strcmp(s, want) != 0)
		printf("# got:\n%s", s);
	tap_ok(strchr(s, 0x1b) == NULL, "term: no ESC byte");
	tap_ok(strstr(s, "\xe2\xa3\xbf lines\n") != NULL, "term: the legend");
	o.width = 10;
	buf_reset(&b);
	tap_is_int(plot_term(p, &o, &b), -1, "term: too narrow is refused");
	buf_free(&b);
	plot_free(p);
}

/* Values at the edges: huge, tiny ranges, refused ones. Nothing may
 * overflow (the sanitizer build checks) and the output stays sane. */
static void
test_extremes(void)
{
	static const double	 sets[][4] = {
		{ -1e15, 1e15, 1e15, -1e15 },
		{ 1, 1 + 1e-12, 2, 2 + 1e-12 },
		{ 0, 0, 0, 0 },
		{ 1795478400, 0, 1795478400.5, 1 },
	};
	struct plot_opts	 o;
	struct plot		*p;
	struct buf		 b;
	size_t			 i;
	int			 t, ok = 1;

	buf_init(&b, 1 << 24);
	for (i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		for (t = 0; t < 2; t++) {
			p = plot_new();
			plot_add(p, sets[i][0], sets[i][1]);
			plot_add(p, sets[i][2], sets[i][3]);
			plot_add_span(p, sets[i][0], sets[i][2]);
			plot_opts_init(&o);
			o.type = PLOT_MIXED;
			o.density = 1;
			o.xdate = i == 3;
			buf_reset(&b);
			if (t == 0)
				ok &= plot_svg(p, &o, &b) == 0;
			else {
				o.width = 40;
				o.height = 8;
				ok &= plot_term(p, &o, &b) == 0;
			}
			ok &= strstr(buf_ptr(&b), "nan") == NULL &&
			    strstr(buf_ptr(&b), "inf") == NULL;
			plot_free(p);
		}
	}
	tap_ok(ok, "extremes: huge and tiny ranges render, no nan or inf");
	p = plot_new();
	tap_ok(plot_add(p, 1e16, 0) == -1 && plot_add(p, 0, -1e16) == -1 &&
	    plot_add_span(p, 0, 1e300) == -1 && plot_npoints(p) == 0,
	    "extremes: values past 1e15 are refused");
	plot_free(p);
	buf_free(&b);
}

int
main(void)
{
	test_nice();
	test_dates();
	test_fmt();
	test_range();
	test_svg();
	test_escape();
	test_density();
	test_canvas();
	test_term();
	test_extremes();
	return tap_done();
}
