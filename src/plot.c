/*
 * plot.c: charts as SVG 1.1 or terminal braille (see plot.h).
 *
 * Everything drawn goes through plot_fmt(), which formats with integer
 * arithmetic, so a German locale's decimal comma can never reach the SVG
 * and two runs give the same bytes. Text from the user (title, label, axis
 * names) is sanitized by text_sanitize() first, then XML-escaped.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plot.h"
#include "text.h"
#include "tsvread.h"

struct plot_point {
	double	x, y;
	size_t	i;		/* order of arrival, for a stable sort */
};

struct plot_span {
	double	x0, x1;
};

struct plot {
	struct plot_point	*pts;
	size_t			 n, alloc;
	struct plot_span	*spans;
	size_t			 nspans, spalloc;
};

struct plot_canvas {
	int		 cols, rows;
	uint8_t		*cells;		/* braille dot bits */
	uint8_t		*shade;		/* per column */
};

/* Where the data goes in the picture, and the ranges it maps. */
struct plot_map {
	double	ax, ay, aw, ah;		/* area: left, top, width, height */
	double	r[4];			/* xmin, xmax, ymin, ymax */
};

#define PLOT_TITLE_MAX	1024		/* bytes of a title or label kept */

void
plot_opts_init(struct plot_opts *o)
{
	memset(o, 0, sizeof *o);
	o->type = PLOT_SCATTER;
	o->xmin = o->xmax = o->ymin = o->ymax = NAN;
	o->width = 800;
	o->height = 400;
}

struct plot *
plot_new(void)
{
	struct plot	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		abort();
	return p;
}

void
plot_free(struct plot *p)
{
	if (p == NULL)
		return;
	free(p->pts);
	free(p->spans);
	free(p);
}

/* Grow *v (of *alloc elements of size sz) to hold one more. */
static void
plot_grow(void **v, size_t *alloc, size_t n, size_t sz)
{
	size_t	na;

	if (n < *alloc)
		return;
	na = *alloc < 64 ? 64 : *alloc * 2;
	if ((*v = realloc(*v, na * sz)) == NULL)
		abort();
	*alloc = na;
}

/* Finite and no larger than PLOT_MAX_ABS. */
static int
plot_ok(double v)
{
	return isfinite(v) && fabs(v) <= PLOT_MAX_ABS;
}

int
plot_add(struct plot *p, double x, double y)
{
	if (p->n >= PLOT_MAX_POINTS || !plot_ok(x) || !plot_ok(y))
		return -1;
	plot_grow((void **)&p->pts, &p->alloc, p->n, sizeof *p->pts);
	p->pts[p->n].x = x;
	p->pts[p->n].y = y;
	p->pts[p->n].i = p->n;
	p->n++;
	return 0;
}

int
plot_add_span(struct plot *p, double x0, double x1)
{
	if (p->nspans >= PLOT_MAX_SPANS || !plot_ok(x0) || !plot_ok(x1))
		return -1;
	plot_grow((void **)&p->spans, &p->spalloc, p->nspans,
	    sizeof *p->spans);
	p->spans[p->nspans].x0 = x0 < x1 ? x0 : x1;
	p->spans[p->nspans].x1 = x0 < x1 ? x1 : x0;
	p->nspans++;
	return 0;
}

size_t
plot_npoints(const struct plot *p)
{
	return p->n;
}

/* By x, then by arrival: qsort() is not stable, the chart must be. */
static int
plot_cmp_x(const void *a, const void *b)
{
	const struct plot_point	*pa = a, *pb = b;

	if (pa->x != pb->x)
		return pa->x < pb->x ? -1 : 1;
	return pa->i < pb->i ? -1 : pa->i > pb->i;
}

void
plot_cumulate(struct plot *p)
{
	size_t	i;

	if (p->n > 0)
		qsort(p->pts, p->n, sizeof *p->pts, plot_cmp_x);
	for (i = 0; i < p->n; i++)
		p->pts[i].y = (double)(i + 1);
}

/* A copy of the points in x order, for lines. Caller frees. */
static struct plot_point *
plot_sorted(const struct plot *p)
{
	struct plot_point	*s;

	if ((s = malloc((p->n ? p->n : 1) * sizeof *s)) == NULL)
		abort();
	if (p->n > 0) {
		memcpy(s, p->pts, p->n * sizeof *s);
		qsort(s, p->n, sizeof *s, plot_cmp_x);
	}
	return s;
}

/*
 * Numbers and ranges.
 */

void
plot_fmt(char *out, size_t outsz, double v, int dec)
{
	static const long long	p10[] = { 1, 10, 100, 1000, 10000, 100000,
				    1000000 };
	long long		r, ip, fp;

	if (dec < 0)
		dec = 0;
	if (dec > 6)
		dec = 6;
	if (!isfinite(v))
		v = 0;
	if (v > PLOT_MAX_ABS)
		v = PLOT_MAX_ABS;
	if (v < -PLOT_MAX_ABS)
		v = -PLOT_MAX_ABS;
	/* Fewer decimals for huge values, so v * 10^dec fits a long long. */
	while (dec > 0 && fabs(v) * (double)p10[dec] > 9e18)
		dec--;
	r = llround(v * (double)p10[dec]);
	ip = llabs(r) / p10[dec];
	fp = llabs(r) % p10[dec];
	if (dec == 0)
		snprintf(out, outsz, "%s%lld", r < 0 ? "-" : "", ip);
	else
		snprintf(out, outsz, "%s%lld.%0*lld", r < 0 ? "-" : "", ip,
		    dec, fp);
}

/* Data range of one coordinate (0: x, 1: y); x falls back on the spans. */
static int
plot_data_range(const struct plot *p, int axis, double *lo, double *hi)
{
	size_t	i;
	double	v;

	if (p->n == 0 && (axis == 1 || p->nspans == 0))
		return -1;
	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < p->n; i++) {
		v = axis == 0 ? p->pts[i].x : p->pts[i].y;
		if (v < *lo)
			*lo = v;
		if (v > *hi)
			*hi = v;
	}
	for (i = 0; p->n == 0 && i < p->nspans; i++) {
		if (p->spans[i].x0 < *lo)
			*lo = p->spans[i].x0;
		if (p->spans[i].x1 > *hi)
			*hi = p->spans[i].x1;
	}
	return 0;
}

static void
plot_range1(const struct plot *p, int axis, int date, double gmin,
    double gmax, double *lo, double *hi)
{
	double	dlo, dhi, pad;

	if (plot_data_range(p, axis, &dlo, &dhi) != 0) {
		dlo = 0;
		dhi = date ? 86400 : 1;
	}
	if (!isnan(gmin))
		gmin = fmax(-PLOT_MAX_ABS, fmin(PLOT_MAX_ABS, gmin));
	if (!isnan(gmax))
		gmax = fmax(-PLOT_MAX_ABS, fmin(PLOT_MAX_ABS, gmax));
	if (!isnan(gmin))
		dlo = gmin;
	if (!isnan(gmax))
		dhi = gmax;
	if (dhi < dlo) {
		/* Only one bound given, on the wrong side of the data. */
		if (!isnan(gmin))
			dhi = dlo;
		else
			dlo = dhi;
	}
	if (dhi == dlo) {
		pad = date ? 3600 : (fabs(dlo) > 1 ? fabs(dlo) / 10 : 1);
		*lo = isnan(gmin) ? dlo - pad : dlo;
		*hi = isnan(gmax) || !isnan(gmin) ? dhi + pad : dhi;
		return;
	}
	pad = (dhi - dlo) * 0.03;
	*lo = isnan(gmin) ? dlo - pad : dlo;
	*hi = isnan(gmax) ? dhi + pad : dhi;
	/* A count that starts at or above 0 does not get a negative axis. */
	if (isnan(gmin) && dlo >= 0 && *lo < 0)
		*lo = 0;
}

void
plot_range(const struct plot *p, const struct plot_opts *o, double r[4])
{
	plot_range1(p, 0, o->xdate, o->xmin, o->xmax, &r[0], &r[1]);
	plot_range1(p, 1, o->ydate, o->ymin, o->ymax, &r[2], &r[3]);
}

/*
 * Ticks.
 */

double
plot_nice_step(double range, int n)
{
	double	raw, e, f;

	if (n < 1)
		n = 1;
	if (!(range > 0) || !isfinite(range))
		return 1;
	raw = range / n;
	e = pow(10, floor(log10(raw)));
	f = raw / e;
	if (f <= 1.0 + 1e-9)
		return e;
	if (f <= 2.0 + 1e-9)
		return 2 * e;
	if (f <= 5.0 + 1e-9)
		return 5 * e;
	return 10 * e;
}

size_t
plot_ticks_num(double lo, double hi, int n, struct plot_tick *t, size_t max)
{
	double	step, v, first;
	size_t	k = 0, i;
	int	dec;

	if (max > PLOT_MAX_TICKS)
		max = PLOT_MAX_TICKS;
	if (!(hi > lo))
		return 0;
	step = plot_nice_step(hi - lo, n);
	dec = (int)-floor(log10(step) + 1e-9);
	if (dec < 0)
		dec = 0;
	first = ceil(lo / step - 1e-9) * step;
	for (i = 0; k < max; i++) {
		v = first + (double)i * step;
		if (v > hi + step * 1e-9)
			break;
		if (fabs(v) < step * 1e-9)
			v = 0;
		t[k].v = v;
		plot_fmt(t[k].label, sizeof t[k].label, v, dec);
		k++;
	}
	return k;
}

enum plot_datefmt {
	PLOT_HMS,		/* 08:30:15 */
	PLOT_HM,		/* 08:30 */
	PLOT_MDHM,		/* 11-24 08:30 */
	PLOT_YMD,		/* 2026-11-24 */
	PLOT_YM,		/* 2026-11 */
	PLOT_Y,			/* 2026 */
};

/* strftime() with literal formats only: all digits, no locale. */
static void
plot_date_label(struct plot_tick *t, enum plot_datefmt f)
{
	struct tm	tm;
	time_t		s = (time_t)floor(t->v);
	size_t		n = 0;

	if (gmtime_r(&s, &tm) != NULL) {
		switch (f) {
		case PLOT_HMS:
			n = strftime(t->label, sizeof t->label, "%H:%M:%S", &tm);
			break;
		case PLOT_HM:
			n = strftime(t->label, sizeof t->label, "%H:%M", &tm);
			break;
		case PLOT_MDHM:
			n = strftime(t->label, sizeof t->label, "%m-%d %H:%M",
			    &tm);
			break;
		case PLOT_YMD:
			n = strftime(t->label, sizeof t->label, "%Y-%m-%d", &tm);
			break;
		case PLOT_YM:
			n = strftime(t->label, sizeof t->label, "%Y-%m", &tm);
			break;
		case PLOT_Y:
			n = strftime(t->label, sizeof t->label, "%Y", &tm);
			break;
		}
	}
	if (n == 0)
		t->label[0] = '\0';
}

/* Ticks at multiples of step seconds from origin. */
static size_t
plot_ticks_fixed(double lo, double hi, double step, double origin,
    enum plot_datefmt fmt, struct plot_tick *t, size_t max)
{
	double	first, v;
	size_t	k = 0, i;

	first = ceil((lo - origin) / step) * step + origin;
	for (i = 0; k < max; i++) {
		v = first + (double)i * step;
		if (v > hi)
			break;
		t[k].v = v;
		plot_date_label(&t[k], fmt);
		k++;
	}
	return k;
}

/* Ticks on the first of every kth month, or of January every kth year. */
static size_t
plot_ticks_cal(double lo, double hi, int k, int years, struct plot_tick *t,
    size_t max)
{
	struct tm	tm;
	time_t		s = (time_t)floor(lo);
	long		m, step;
	double		v;
	size_t		n = 0;

	if (gmtime_r(&s, &tm) == NULL)
		return 0;
	/* Months since year 0, aligned down to the step. */
	m = (long)(tm.tm_year + 1900) * 12 + tm.tm_mon;
	step = years ? 12L * k : k;
	m = m / step * step;
	for (; n < max && m / 12 <= 9999; m += step) {
		v = (double)tsvread_days((int)(m / 12), (int)(m % 12) + 1, 1) *
		    86400;
		if (v > hi)
			break;
		if (v < lo)
			continue;
		t[n].v = v;
		plot_date_label(&t[n], years ? PLOT_Y : PLOT_YM);
		n++;
	}
	return n;
}

size_t
plot_ticks_date(double lo, double hi, int n, struct plot_tick *t,
    size_t max)
{
	static const double	steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300,
				    600, 900, 1800, 3600, 7200, 10800, 21600,
				    43200, 86400, 172800, 604800 };
	static const int	months[] = { 1, 2, 3, 6 };
	static const int	years[] = { 1, 2, 5, 10, 20, 50, 100, 200,
				    500, 1000 };
	double			span = hi - lo, st;
	size_t			i;
	enum plot_datefmt	 fmt;

	if (max > PLOT_MAX_TICKS)
		max = PLOT_MAX_TICKS;
	if (!(span > 0) || n < 1)
		return 0;
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		st = steps[i];
		if (span / st > n)
			continue;
		if (st < 60)
			fmt = PLOT_HMS;
		else if (st < 86400)
			fmt = span >= 86400 ? PLOT_MDHM : PLOT_HM;
		else
			fmt = PLOT_YMD;
		/* Weeks start on Mondays; 1970-01-05 was one. */
		return plot_ticks_fixed(lo, hi, st, st == 604800 ?
		    4 * 86400.0 : 0, fmt, t, max);
	}
	/* Average Gregorian month and year, to pick the step only. */
	for (i = 0; i < sizeof months / sizeof months[0]; i++)
		if (span / (months[i] * 2629746.0) <= n)
			return plot_ticks_cal(lo, hi, months[i], 0, t, max);
	for (i = 0; i < sizeof years / sizeof years[0]; i++)
		if (span / (years[i] * 31556952.0) <= n)
			return plot_ticks_cal(lo, hi, years[i], 1, t, max);
	return plot_ticks_cal(lo, hi, 1000, 1, t, max);
}

/* At least 2 ticks asked, whichever kind the axis has. */
static size_t
plot_ticks(double lo, double hi, int date, int n, struct plot_tick *t)
{
	if (n < 2)
		n = 2;
	if (date)
		return plot_ticks_date(lo, hi, n, t, PLOT_MAX_TICKS);
	return plot_ticks_num(lo, hi, n, t, PLOT_MAX_TICKS);
}

/*
 * SVG.
 */

/* Sanitized, XML-escaped text, at most PLOT_TITLE_MAX bytes of input. */
static int
plot_xml_text(struct buf *b, const char *s)
{
	char	 out[TEXT_SANITIZE_SIZE(PLOT_TITLE_MAX)];
	size_t	 n, i;
	int	 rc = 0;

	n = text_sanitize(s, strlen(s), out, sizeof out);
	for (i = 0; i < n && rc == 0; i++) {
		switch (out[i]) {
		case '&':	rc = buf_adds(b, "&amp;"); break;
		case '<':	rc = buf_adds(b, "&lt;"); break;
		case '>':	rc = buf_adds(b, "&gt;"); break;
		case '"':	rc = buf_adds(b, "&quot;"); break;
		case '\'':	rc = buf_adds(b, "&#39;"); break;
		default:	rc = buf_addc(b, out[i]); break;
		}
	}
	return rc;
}

/* A number with 2 decimals: every coordinate in the SVG. */
static int
plot_num(struct buf *b, double v)
{
	char	s[32];

	plot_fmt(s, sizeof s, v, 2);
	return buf_adds(b, s);
}

/* attr="v" with a leading space. */
static int
plot_attr(struct buf *b, const char *attr, double v)
{
	if (buf_addf(b, " %s=\"", attr) != 0 || plot_num(b, v) != 0)
		return -1;
	return buf_addc(b, '"');
}

static double
plot_px(const struct plot_map *m, double x)
{
	return m->ax + (x - m->r[0]) / (m->r[1] - m->r[0]) * m->aw;
}

static double
plot_py(const struct plot_map *m, double y)
{
	return m->ay + m->ah - (y - m->r[2]) / (m->r[3] - m->r[2]) * m->ah;
}

/* Streams as shaded rects behind everything, cut to the x range; a span
 * wholly outside it is not drawn at all. */
static int
plot_svg_spans(const struct plot *p, const struct plot_map *m,
    struct buf *b)
{
	double	x0, x1;
	size_t	i;
	int	rc;

	rc = buf_adds(b, "<g class=\"spans\" fill=\"#9ecae1\" "
	    "fill-opacity=\"0.45\">\n");
	for (i = 0; i < p->nspans && rc == 0; i++) {
		x0 = p->spans[i].x0 > m->r[0] ? p->spans[i].x0 : m->r[0];
		x1 = p->spans[i].x1 < m->r[1] ? p->spans[i].x1 : m->r[1];
		if (x1 < x0 || p->spans[i].x1 < m->r[0] ||
		    p->spans[i].x0 > m->r[1])
			continue;
		rc |= buf_adds(b, "<rect class=\"span\"");
		rc |= plot_attr(b, "x", plot_px(m, x0));
		rc |= plot_attr(b, "y", m->ay);
		rc |= plot_attr(b, "width", plot_px(m, x1) - plot_px(m, x0));
		rc |= plot_attr(b, "height", m->ah);
		rc |= buf_adds(b, "/>\n");
	}
	return rc | buf_adds(b, "</g>\n");
}

/* Grid lines and tick labels of both axes. */
static int
plot_svg_axes(const struct plot_opts *o, const struct plot_map *m,
    struct buf *b)
{
	struct plot_tick	t[PLOT_MAX_TICKS];
	size_t			n, i;
	double			v;
	int			rc;

	rc = buf_adds(b, "<g class=\"grid\" stroke=\"#dddddd\" "
	    "stroke-width=\"1\" fill=\"none\">\n");
	n = plot_ticks(m->r[0], m->r[1], o->xdate, (int)(m->aw /
	    (o->xdate ? 120 : 80)), t);
	for (i = 0; i < n; i++) {
		rc |= buf_adds(b, "<path d=\"M");
		rc |= plot_num(b, plot_px(m, t[i].v));
		rc |= buf_addc(b, ' ');
		rc |= plot_num(b, m->ay);
		rc |= buf_adds(b, "V");
		rc |= plot_num(b, m->ay + m->ah);
		rc |= buf_adds(b, "\"/>\n");
	}
	rc |= buf_adds(b, "</g>\n<g class=\"xticks\" font-family=\"sans-serif\" "
	    "font-size=\"11\" fill=\"#333333\" text-anchor=\"middle\">\n");
	for (i = 0; i < n; i++) {
		rc |= buf_adds(b, "<text");
		rc |= plot_attr(b, "x", plot_px(m, t[i].v));
		rc |= plot_attr(b, "y", m->ay + m->ah + 16);
		rc |= buf_addf(b, ">%s</text>\n", t[i].label);
	}
	n = plot_ticks(m->r[2], m->r[3], o->ydate, (int)(m->ah / 40), t);
	rc |= buf_adds(b, "</g>\n<g class=\"yticks\" font-family=\"sans-serif\" "
	    "font-size=\"11\" fill=\"#333333\" text-anchor=\"end\">\n");
	for (i = 0; i < n; i++) {
		v = plot_py(m, t[i].v);
		rc |= buf_adds(b, "<path stroke=\"#dddddd\" d=\"M");
		rc |= plot_num(b, m->ax);
		rc |= buf_addc(b, ' ');
		rc |= plot_num(b, v);
		rc |= buf_adds(b, "H");
		rc |= plot_num(b, m->ax + m->aw);
		rc |= buf_adds(b, "\"/>\n<text");
		rc |= plot_attr(b, "x", m->ax - 6);
		rc |= plot_attr(b, "y", v + 4);
		rc |= buf_addf(b, ">%s</text>\n", t[i].label);
	}
	return rc | buf_adds(b, "</g>\n");
}

/* The viridis ramp at t in [0, 1], as #rrggbb. */
static void
plot_ramp(double t, char out[8])
{
	static const unsigned char	stops[5][3] = {
		{ 0x44, 0x01, 0x54 }, { 0x3b, 0x52, 0x8b }, { 0x21, 0x91, 0x8c },
		{ 0x5e, 0xc9, 0x62 }, { 0xfd, 0xe7, 0x25 },
	};
	double				f;
	int				i, c[3], k;

	if (!(t > 0))
		t = 0;
	if (t > 1)
		t = 1;
	i = (int)(t * 4);
	if (i > 3)
		i = 3;
	f = t * 4 - i;
	for (k = 0; k < 3; k++)
		c[k] = (int)lround(stops[i][k] + (stops[i + 1][k] -
		    stops[i][k]) * f);
	snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

static int
plot_in(const struct plot_map *m, const struct plot_point *pt)
{
	return pt->x >= m->r[0] && pt->x <= m->r[1] && pt->y >= m->r[2] &&
	    pt->y <= m->r[3];
}

/*
 * Points in a 6-pixel grid: a point's density is the count in its cell
 * and the 8 around it (itself included), shown on a log scale (a few dense clusters would
 * flatten a linear one).
 */
static unsigned *
plot_density(const struct plot *p, const struct plot_map *m, unsigned *max)
{
	unsigned	*grid, *d;
	size_t		 gw = (size_t)(m->aw / 6) + 1, gh = (size_t)(m->ah / 6) + 1;
	size_t		 i, gx, gy;
	long		 cx, cy, x, y;

	if ((grid = calloc(gw * gh, sizeof *grid)) == NULL ||
	    (d = calloc(p->n ? p->n : 1, sizeof *d)) == NULL)
		abort();
	for (i = 0; i < p->n; i++) {
		if (!plot_in(m, &p->pts[i]))
			continue;
		gx = (size_t)((plot_px(m, p->pts[i].x) - m->ax) / 6);
		gy = (size_t)((plot_py(m, p->pts[i].y) - m->ay) / 6);
		grid[(gy < gh ? gy : gh - 1) * gw + (gx < gw ? gx : gw - 1)]++;
	}
	*max = 1;
	for (i = 0; i < p->n; i++) {
		if (!plot_in(m, &p->pts[i]))
			continue;
		cx = (long)((plot_px(m, p->pts[i].x) - m->ax) / 6);
		cy = (long)((plot_py(m, p->pts[i].y) - m->ay) / 6);
		for (y = cy - 1; y <= cy + 1; y++)
			for (x = cx - 1; x <= cx + 1; x++)
				if (x >= 0 && y >= 0 && (size_t)x < gw &&
				    (size_t)y < gh)
					d[i] += grid[(size_t)y * gw + (size_t)x];
		if (d[i] > *max)
			*max = d[i];
	}
	free(grid);
	return d;
}

/* Density order: sparse points first, so the crowded ones are drawn on
 * top and the hot centre of a cloud stays visible. */
struct plot_order {
	unsigned	d;
	size_t		i;
};

static int
plot_cmp_order(const void *a, const void *b)
{
	const struct plot_order	*oa = a, *ob = b;

	if (oa->d != ob->d)
		return oa->d < ob->d ? -1 : 1;
	return oa->i < ob->i ? -1 : oa->i > ob->i;
}

static int
plot_svg_points(const struct plot *p, const struct plot_opts *o,
    const struct plot_map *m, struct buf *b)
{
	struct plot_order	*ord;
	unsigned		*d = NULL, max = 1;
	char			 col[8];
	size_t			 k, i;
	int			 rc;

	if ((ord = malloc((p->n ? p->n : 1) * sizeof *ord)) == NULL)
		abort();
	if (o->density)
		d = plot_density(p, m, &max);
	for (i = 0; i < p->n; i++) {
		ord[i].d = d != NULL ? d[i] : 0;
		ord[i].i = i;
	}
	if (d != NULL && p->n > 0)
		qsort(ord, p->n, sizeof *ord, plot_cmp_order);
	rc = buf_adds(b, "<g class=\"points\" fill=\"#1f77b4\">\n");
	for (k = 0; k < p->n && rc == 0; k++) {
		i = ord[k].i;
		if (!plot_in(m, &p->pts[i]))
			continue;
		rc |= buf_adds(b, "<circle");
		rc |= plot_attr(b, "cx", plot_px(m, p->pts[i].x));
		rc |= plot_attr(b, "cy", plot_py(m, p->pts[i].y));
		rc |= buf_adds(b, p->n > 5000 ? " r=\"1.5\"" : " r=\"2.5\"");
		if (d != NULL) {
			/* Neighbours only: a lone point is the coolest. */
			plot_ramp(log1p(d[i] - 1) / log1p(max - 1 > 0 ? max - 1 :
			    1), col);
			rc |= buf_addf(b, " fill=\"%s\"", col);
		}
		rc |= buf_adds(b, "/>\n");
	}
	free(ord);
	free(d);
	return rc | buf_adds(b, "</g>\n");
}

/* One path through the points in x order, clipped to the area; the
 * points just outside the x range are kept so the line reaches the
 * frame. */
static int
plot_svg_line(const struct plot *p, const struct plot_map *m, struct buf *b)
{
	struct plot_point	*s = plot_sorted(p);
	size_t			 i, lo = 0, hi = p->n, k = 0;
	int			 rc;

	while (lo < p->n && s[lo].x < m->r[0])
		lo++;
	while (hi > lo && s[hi - 1].x > m->r[1])
		hi--;
	if (lo > 0)
		lo--;
	if (hi < p->n)
		hi++;
	rc = buf_adds(b, "<path class=\"line\" clip-path=\"url(#area)\" "
	    "fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" d=\"");
	for (i = lo; i < hi && rc == 0; i++, k++) {
		rc |= buf_adds(b, k == 0 ? "M" : " L");
		rc |= plot_num(b, plot_px(m, s[i].x));
		rc |= buf_addc(b, ' ');
		rc |= plot_num(b, plot_py(m, s[i].y));
	}
	free(s);
	return rc | buf_adds(b, "\"/>\n");
}

/* A <text> element of the given class holding user text. */
static int
plot_svg_text(struct buf *b, const char *cls, double x, double y,
    const char *attrs, const char *s)
{
	int	rc;

	rc = buf_addf(b, "<text class=\"%s\"", cls);
	rc |= plot_attr(b, "x", x);
	rc |= plot_attr(b, "y", y);
	rc |= buf_addf(b, " %s>", attrs);
	rc |= plot_xml_text(b, s);
	return rc | buf_adds(b, "</text>\n");
}

/* Title, axis names and legend: the only user text in the picture,
 * each through plot_xml_text(). */
static int
plot_svg_labels(const struct plot_opts *o, const struct plot_map *m,
    int w, int h, struct buf *b)
{
	char	attrs[160];
	int	rc = 0;

	if (o->title != NULL && *o->title != '\0')
		rc |= plot_svg_text(b, "title", w / 2.0, 24, "font-family="
		    "\"sans-serif\" font-size=\"16\" text-anchor=\"middle\" "
		    "fill=\"#111111\"", o->title);
	if (o->xname != NULL && *o->xname != '\0')
		rc |= plot_svg_text(b, "xname", m->ax + m->aw / 2, h - 8,
		    "font-family=\"sans-serif\" font-size=\"12\" "
		    "text-anchor=\"middle\" fill=\"#333333\"", o->xname);
	if (o->yname != NULL && *o->yname != '\0') {
		snprintf(attrs, sizeof attrs, "font-family=\"sans-serif\" "
		    "font-size=\"12\" text-anchor=\"middle\" fill=\"#333333\" "
		    "transform=\"rotate(-90 14 %d)\"", (int)(m->ay + m->ah / 2));
		rc |= plot_svg_text(b, "yname", 14, m->ay + m->ah / 2, attrs,
		    o->yname);
	}
	if (o->label != NULL && *o->label != '\0') {
		rc |= buf_adds(b, "<circle class=\"legend\" fill=\"#1f77b4\" "
		    "r=\"4\"");
		rc |= plot_attr(b, "cx", m->ax + m->aw - 150);
		rc |= plot_attr(b, "cy", m->ay - 8);
		rc |= buf_adds(b, "/>\n");
		rc |= plot_svg_text(b, "label", m->ax + m->aw - 140,
		    m->ay - 4, "font-family=\"sans-serif\" font-size=\"12\" "
		    "fill=\"#333333\"", o->label);
	}
	return rc;
}

/* Sizes that leave room for the margins and stay a sane document. */
static void
plot_clamp_size(int *w, int *h)
{
	if (*w < 200)
		*w = 200;
	if (*w > 20000)
		*w = 20000;
	if (*h < 120)
		*h = 120;
	if (*h > 20000)
		*h = 20000;
}

int
plot_svg(const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	struct plot_map	m;
	int		w = o->width, h = o->height, rc;

	plot_clamp_size(&w, &h);
	plot_range(p, o, m.r);
	m.ax = 72;
	m.ay = 40;
	m.aw = w - m.ax - 24;
	m.ah = h - m.ay - 48;

	rc = buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	rc |= buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "version=\"1.1\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\">\n<title>", w, h, w, h);
	rc |= plot_xml_text(b, o->title != NULL ? o->title : "");
	rc |= buf_adds(b, "</title>\n<defs><clipPath id=\"area\"><rect");
	rc |= plot_attr(b, "x", m.ax);
	rc |= plot_attr(b, "y", m.ay);
	rc |= plot_attr(b, "width", m.aw);
	rc |= plot_attr(b, "height", m.ah);
	rc |= buf_addf(b, "/></clipPath></defs>\n<rect class=\"background\" "
	    "width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
	rc |= plot_svg_spans(p, &m, b);
	rc |= plot_svg_axes(o, &m, b);
	rc |= buf_adds(b, "<rect class=\"frame\" fill=\"none\" "
	    "stroke=\"#333333\"");
	rc |= plot_attr(b, "x", m.ax);
	rc |= plot_attr(b, "y", m.ay);
	rc |= plot_attr(b, "width", m.aw);
	rc |= plot_attr(b, "height", m.ah);
	rc |= buf_adds(b, "/>\n");
	if (o->type != PLOT_SCATTER && p->n > 0)
		rc |= plot_svg_line(p, &m, b);
	if (o->type != PLOT_LINE)
		rc |= plot_svg_points(p, o, &m, b);
	rc |= plot_svg_labels(o, &m, w, h, b);
	rc |= buf_adds(b, "</svg>\n");
	return rc != 0 ? -1 : 0;
}

/*
 * Braille canvas.
 */

struct plot_canvas *
plot_canvas_new(int cols, int rows)
{
	struct plot_canvas	*c;

	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->cells = calloc((size_t)cols * (size_t)rows, 1)) == NULL ||
	    (c->shade = calloc((size_t)cols, 1)) == NULL)
		abort();
	c->cols = cols;
	c->rows = rows;
	return c;
}

void
plot_canvas_free(struct plot_canvas *c)
{
	if (c == NULL)
		return;
	free(c->cells);
	free(c->shade);
	free(c);
}

void
plot_canvas_dot(struct plot_canvas *c, int x, int y)
{
	/* Unicode's braille dot numbering: 1-2-3 down the left column,
	 * 4-5-6 down the right, then 7 and 8 under them. */
	static const uint8_t	bits[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 },
	};

	if (x < 0 || y < 0 || x >= c->cols * 2 || y >= c->rows * 4)
		return;
	c->cells[(size_t)(y / 4) * (size_t)c->cols + (size_t)(x / 2)] |=
	    bits[y % 4][x % 2];
}

void
plot_canvas_line(struct plot_canvas *c, int x0, int y0, int x1, int y1)
{
	int	dx = abs(x1 - x0), dy = -abs(y1 - y0), err, e2, n = 0;
	int	sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;

	/* Bresenham; the step bound keeps a wild coordinate from looping
	 * for long. */
	err = dx + dy;
	while (n++ < 100000) {
		plot_canvas_dot(c, x0, y0);
		if (x0 == x1 && y0 == y1)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

void
plot_canvas_shade(struct plot_canvas *c, int col)
{
	if (col >= 0 && col < c->cols)
		c->shade[col] = 1;
}

int
plot_canvas_row(const struct plot_canvas *c, int row, struct buf *b)
{
	char	u[4];
	int	col, rc = 0;
	uint8_t	v;

	if (row < 0 || row >= c->rows)
		return 0;
	for (col = 0; col < c->cols && rc == 0; col++) {
		v = c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
		if (v == 0 && c->shade[col])
			rc = buf_adds(b, "\xe2\x96\x91");	/* U+2591 */
		else if (v == 0)
			rc = buf_addc(b, ' ');
		else {
			/* U+2800 + v: E2 A0+(v>>6) 80+(v&63). */
			u[0] = (char)0xe2;
			u[1] = (char)(0xa0 | (v >> 6));
			u[2] = (char)(0x80 | (v & 0x3f));
			rc = buf_add(b, u, 3);
		}
	}
	return rc;
}

/*
 * Terminal chart.
 */

/* Sanitized text cut to cols columns. */
static int
plot_term_text(struct buf *b, const char *s, int cols)
{
	char	out[TEXT_SANITIZE_SIZE(PLOT_TITLE_MAX)];
	size_t	n, i = 0, k;
	int	w, used = 0;

	n = text_sanitize(s, strlen(s), out, sizeof out);
	while (i < n) {
		k = text_next_char(out + i, n - i, &w);
		if (used + w > cols)
			break;
		used += w;
		i += k;
	}
	return buf_add(b, out, i);
}

/* Dot coordinates of a data point; may lie outside the canvas. */
static void
plot_term_dot(const struct plot_map *m, double x, double y, int *dx, int *dy)
{
	double	fx, fy;

	fx = (x - m->r[0]) / (m->r[1] - m->r[0]) * (m->aw - 1);
	fy = (m->ah - 1) - (y - m->r[2]) / (m->r[3] - m->r[2]) * (m->ah - 1);
	/* Clamped well outside, so the int conversion is defined; a range
	 * too wide for doubles gives NaN, drawn nowhere. */
	if (!isfinite(fx))
		fx = -1e6;
	if (!isfinite(fy))
		fy = -1e6;
	*dx = (int)lround(fx < -1e6 ? -1e6 : fx > 1e6 ? 1e6 : fx);
	*dy = (int)lround(fy < -1e6 ? -1e6 : fy > 1e6 ? 1e6 : fy);
}

/* Spans first (shading only shows in cells left empty), then the line,
 * then the points. */
static void
plot_term_draw(const struct plot *p, const struct plot_opts *o,
    const struct plot_map *m, struct plot_canvas *c)
{
	struct plot_point	*s;
	size_t			 i;
	int			 x, y, px = 0, py = 0, c0, c1;

	for (i = 0; i < p->nspans; i++) {
		if (p->spans[i].x1 < m->r[0] || p->spans[i].x0 > m->r[1])
			continue;
		plot_term_dot(m, p->spans[i].x0, 0, &c0, &y);
		plot_term_dot(m, p->spans[i].x1, 0, &c1, &y);
		for (x = c0 < 0 ? 0 : c0 / 2; x <= c1 / 2 && x < c->cols; x++)
			plot_canvas_shade(c, x);
	}
	if (o->type != PLOT_SCATTER) {
		s = plot_sorted(p);
		for (i = 0; i < p->n; i++) {
			plot_term_dot(m, s[i].x, s[i].y, &x, &y);
			if (i > 0)
				plot_canvas_line(c, px, py, x, y);
			px = x;
			py = y;
		}
		free(s);
	}
	if (o->type != PLOT_LINE)
		for (i = 0; i < p->n; i++) {
			if (!plot_in(m, &p->pts[i]))
				continue;
			plot_term_dot(m, p->pts[i].x, p->pts[i].y, &x, &y);
			plot_canvas_dot(c, x, y);
		}
}

/* The x axis: a rule with a mark at each tick, then the labels under
 * them, each centred where it does not run into the previous one. */
static int
plot_term_xaxis(const struct plot_canvas *c, const struct plot_map *m,
    const struct plot_tick *t, size_t n, int lw, struct buf *b)
{
	char	line[1024];
	int	col, i, len, start, end = -1, rc;
	int	tc[PLOT_MAX_TICKS], x, y;
	size_t	k;

	for (k = 0; k < n; k++) {
		plot_term_dot(m, t[k].v, m->r[2], &x, &y);
		tc[k] = x / 2;
	}
	rc = buf_addf(b, "%*s\xe2\x94\x94", lw, "");		/* └ */
	for (col = 0; col < c->cols; col++) {
		for (k = 0; k < n && tc[k] != col; k++)
			;
		rc |= buf_adds(b, k < n ? "\xe2\x94\xac" :	/* ┬ */
		    c->shade[col] ? "\xe2\x94\x81" : "\xe2\x94\x80");
	}
	rc |= buf_addc(b, '\n');
	len = lw + 1 + c->cols;
	if (len > (int)sizeof line - 1)
		len = (int)sizeof line - 1;
	memset(line, ' ', (size_t)len);
	for (k = 0; k < n; k++) {
		i = (int)strlen(t[k].label);
		start = lw + 1 + tc[k] - i / 2;
		if (start < 0)
			start = 0;
		if (start + i > len)
			start = len - i;
		if (start <= end || start < 0)
			continue;
		memcpy(line + start, t[k].label, (size_t)i);
		end = start + i;
	}
	while (len > 0 && line[len - 1] == ' ')
		len--;
	rc |= buf_add(b, line, (size_t)len);
	return rc | buf_addc(b, '\n');
}

int
plot_term(const struct plot *p, const struct plot_opts *o, struct buf *b)
{
	struct plot_tick	 yt[PLOT_MAX_TICKS], xt[PLOT_MAX_TICKS];
	struct plot_canvas	*c;
	struct plot_map		 m;
	size_t			 ny, nx, k;
	int			 w = o->width, h = o->height, lw = 0, cw, ch;
	int			 row, x, y, rc = 0;

	if (w < 20 || h < 5 || w > 1000 || h > 1000)
		return -1;
	plot_range(p, o, m.r);
	ch = h - 2 - (o->title && *o->title) - (o->label && *o->label);
	if (ch < 2)
		return -1;
	ny = plot_ticks(m.r[2], m.r[3], o->ydate, ch / 3, yt);
	for (k = 0; k < ny; k++)
		if ((int)strlen(yt[k].label) > lw)
			lw = (int)strlen(yt[k].label);
	lw++;
	cw = w - lw - 1;
	if (cw < 8)
		return -1;
	m.ax = m.ay = 0;
	m.aw = cw * 2;
	m.ah = ch * 4;
	nx = plot_ticks(m.r[0], m.r[1], o->xdate, cw / (o->xdate ? 14 : 10),
	    xt);
	c = plot_canvas_new(cw, ch);
	plot_term_draw(p, o, &m, c);

	if (o->title && *o->title) {
		rc |= plot_term_text(b, o->title, w);
		rc |= buf_addc(b, '\n');
	}
	for (row = 0; row < ch; row++) {
		for (k = 0; k < ny; k++) {
			plot_term_dot(&m, m.r[0], yt[k].v, &x, &y);
			if (y / 4 == row)
				break;
		}
		if (k < ny)
			rc |= buf_addf(b, "%*s \xe2\x94\xa4", lw - 1,	/* ┤ */
			    yt[k].label);
		else
			rc |= buf_addf(b, "%*s\xe2\x94\x82", lw, "");	/* │ */
		rc |= plot_canvas_row(c, row, b);
		rc |= buf_addc(b, '\n');
	}
	rc |= plot_term_xaxis(c, &m, xt, nx, lw, b);
	if (o->label && *o->label) {
		rc |= buf_adds(b, "\xe2\xa3\xbf ");			/* ⣿ */
		rc |= plot_term_text(b, o->label, w - 2);
		rc |= buf_addc(b, '\n');
	}
	plot_canvas_free(c);
	return rc != 0 ? -1 : 0;
}
