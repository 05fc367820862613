/*
 * plot.h: charts of report data, pure: points and spans in, SVG 1.1 text
 * or terminal braille text out. No files, no terminal, no locale: numbers
 * are formatted with fixed decimals by our own code, so the same input
 * gives the same bytes on every machine.
 *
 * Dates are plain numbers here: seconds since the epoch, UTC, with the
 * axis marked as a date axis so its ticks fall on minutes, hours, days,
 * months or years.
 */
#ifndef STITCH_PLOT_H
#define STITCH_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define PLOT_MAX_TICKS	24
#define PLOT_MAX_POINTS	(10 * 1000 * 1000)
#define PLOT_MAX_SPANS	100000
/* The largest magnitude of a value: past it, spans and steps would no
 * longer be finite doubles (and dates end long before). */
#define PLOT_MAX_ABS	1e15

enum plot_type {
	PLOT_SCATTER,
	PLOT_LINE,
	PLOT_MIXED,		/* a line through the points, and the points */
};

struct plot_tick {
	double	v;
	char	label[24];
};

struct plot_opts {
	enum plot_type	 type;
	const char	*title;		/* any bytes: escaped, sanitized */
	const char	*label;		/* the series' name in the legend */
	const char	*xname;		/* axis captions */
	const char	*yname;
	int		 xdate;		/* x values are epoch seconds */
	int		 ydate;
	double		 xmin, xmax;	/* NAN: from the data */
	double		 ymin, ymax;
	int		 width;		/* SVG pixels, or terminal cells */
	int		 height;
	int		 density;	/* colour points by local density */
};

struct plot;

/* Defaults: scatter, 800x400, every range from the data. */
void		 plot_opts_init(struct plot_opts *);

struct plot	*plot_new(void);
/* NULL ok. */
void		 plot_free(struct plot *);
/* Add a point or a span [x0, x1] of x (a stream). -1 past the caps
 * PLOT_MAX_POINTS / PLOT_MAX_SPANS or for a value that is not finite or
 * larger than PLOT_MAX_ABS. */
int		 plot_add(struct plot *, double x, double y);
int		 plot_add_span(struct plot *, double x0, double x1);
size_t		 plot_npoints(const struct plot *);
/* Sort the points by x, and give each the running count 1, 2, ... as y:
 * "how many so far" when a report has no y column. */
void		 plot_cumulate(struct plot *);

/*
 * The ranges drawn: opts' where given, else the data's, widened a little
 * so no point sits on the frame (and to a unit around a single value).
 * Given bounds are clamped to PLOT_MAX_ABS.
 * r = { xmin, xmax, ymin, ymax }, always with min < max.
 */
void		 plot_range(const struct plot *, const struct plot_opts *,
		     double r[4]);

/* A 1-2-5 step (1, 2, 5, 10, 20, ...) that cuts range in about n parts.
 * range > 0, n >= 1. */
double		 plot_nice_step(double range, int n);
/* Ticks at multiples of a nice step inside [lo, hi], at most max (<=
 * PLOT_MAX_TICKS), about n. Labels with as many decimals as the step
 * needs. Returns the count. */
size_t		 plot_ticks_num(double lo, double hi, int n,
		     struct plot_tick *, size_t max);
/* Ticks for dates (epoch seconds) on whole seconds, minutes, hours, days,
 * weeks (Mondays), months or years, the step chosen by the span; labels
 * "HH:MM:SS", "HH:MM", "MM-DD HH:MM", "YYYY-MM-DD", "YYYY-MM", "YYYY". */
size_t		 plot_ticks_date(double lo, double hi, int n,
		     struct plot_tick *, size_t max);

/* v with dec (0-6) decimals, no locale, no exponent: "-12.50". |v| is
 * clamped to PLOT_MAX_ABS, and has at most 3 decimals near it. */
void		 plot_fmt(char *out, size_t outsz, double v, int dec);

/* Append the chart as a standalone SVG 1.1 document. 0, or -1 if the
 * buffer's cap was reached. */
int		 plot_svg(const struct plot *, const struct plot_opts *,
		     struct buf *out);
/* Append the chart as lines of text for a terminal opts->width columns
 * by opts->height rows, data drawn in braille cells; only display-safe
 * UTF-8 and LF. 0, or -1 if the cap was reached or the size is too small
 * (under 20x5). */
int		 plot_term(const struct plot *, const struct plot_opts *,
		     struct buf *out);

/*
 * A braille canvas: cols x rows cells of 2 x 4 dots. Dot (0, 0) is the
 * top left. Dots outside the canvas are ignored.
 */
struct plot_canvas;

struct plot_canvas *plot_canvas_new(int cols, int rows);
void		 plot_canvas_free(struct plot_canvas *);
void		 plot_canvas_dot(struct plot_canvas *, int x, int y);
void		 plot_canvas_line(struct plot_canvas *, int x0, int y0, int x1,
		     int y1);
/* Shade cell column col where it has no dots (a stream span). */
void		 plot_canvas_shade(struct plot_canvas *, int col);
/* Append row's cells as UTF-8: braille, or U+2591 for a shaded empty
 * cell, or a space. */
int		 plot_canvas_row(const struct plot_canvas *, int row,
		     struct buf *out);

#endif
