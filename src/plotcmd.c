/*
 * plotcmd.c: `stitch plot [options] [INFILE] [OUTFILE]`, itch-plot's
 * options on stitch's reports: read TSV (tsvread), turn two columns into
 * points and a streams file into spans, and write plot_svg() or
 * plot_term() output.
 *
 * Values are numbers or ISO-8601 dates; which one a column holds is
 * decided by its first value. Without -y each record counts one, so a
 * followers report becomes "followers over time". Bad records are skipped
 * with a message naming the line (the first few only); nothing from the
 * input is ever printed raw.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "buf.h"
#include "plot.h"
#include "plotcmd.h"
#include "text.h"
#include "tsvread.h"
#include "textout.h"

#define PLOTCMD_MAX_WARN	5
#define PLOTCMD_OUT_CAP		((size_t)1 << 30)	/* 1 GiB of SVG */

enum {
	PLOTCMD_OPT_TERM = 256,
};

static const struct option plotcmd_options[] = {
	{ "xfield",	required_argument, NULL, 'x' },
	{ "yfield",	required_argument, NULL, 'y' },
	{ "xmin",	required_argument, NULL, 'm' },
	{ "xmax",	required_argument, NULL, 'M' },
	{ "ymin",	required_argument, NULL, 'n' },
	{ "ymax",	required_argument, NULL, 'N' },
	{ "type",	required_argument, NULL, 't' },
	{ "title",	required_argument, NULL, 'T' },
	{ "label",	required_argument, NULL, 'l' },
	{ "streams",	required_argument, NULL, 'S' },
	{ "density",	no_argument,	   NULL, 'D' },
	{ "term",	no_argument,	   NULL, PLOTCMD_OPT_TERM },
	{ "width",	required_argument, NULL, 'W' },
	{ "height",	required_argument, NULL, 'H' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL,		0,		   NULL, 0 },
};

struct plotcmd {
	const char	*xfield, *yfield;
	const char	*bounds[4];	/* xmin xmax ymin ymax, as given */
	const char	*streams;
	const char	*infile, *outfile;
	int		 term;
	int		 width, height;	/* 0: default */
	struct plot_opts opts;
	struct plot	*plot;
	unsigned long	 warned;
	unsigned long	 skipped;
};

/* A message on stderr, sanitized: it may quote a file name. */
__attribute__((format(printf, 1, 2)))
static void
plotcmd_status(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	textout_vstatus("plot", fmt, ap);
	va_end(ap);
}

/* A skipped record: told for the first few, counted for all. */
static void
plotcmd_skip(struct plotcmd *pc, const char *msg)
{
	pc->skipped++;
	if (pc->warned++ < PLOTCMD_MAX_WARN)
		plotcmd_status("%s (skipped)", msg);
}

static void
plotcmd_usage(void)
{
	fprintf(stderr, "usage: stitch plot [options] [INFILE] [OUTFILE]\n\n"
	    "  -x, --xfield FIELD   x values (default: the first date column, "
	    "else the first)\n"
	    "  -y, --yfield FIELD   y values (default: a running count of "
	    "records)\n"
	    "  -m, --xmin V  -M, --xmax V  -n, --ymin V  -N, --ymax V\n"
	    "                       the ranges shown (numbers or ISO-8601 "
	    "dates)\n"
	    "  -t, --type scatter|line|mixed\n"
	    "  -T, --title TEXT     -l, --label TEXT (legend)\n"
	    "  -S, --streams FILE   TSV with started_at and ended_at (or "
	    "duration):\n"
	    "                       drawn as shaded spans\n"
	    "  -D, --density        colour points by how crowded they are\n"
	    "      --term           draw in the terminal with braille "
	    "characters\n"
	    "  -W, --width N  -H, --height N\n"
	    "                       SVG pixels (800x400), or terminal cells "
	    "with --term\n\n"
	    "INFILE and OUTFILE default to stdin and stdout.\n");
}

/* A whole number in [lo, hi]. */
static int
plotcmd_int(const char *s, long lo, long hi, int *out)
{
	char	*end;
	long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* A number no larger than PLOT_MAX_ABS, whole string. */
static int
plotcmd_number(const char *s, double *out)
{
	char	*end;
	double	 v;

	if (*s == '\0' || *s == ' ' || *s == '\t')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno == ERANGE || *end != '\0' || !isfinite(v) ||
	    fabs(v) > PLOT_MAX_ABS)
		return -1;
	*out = v;
	return 0;
}

/* A value of a date or number column. */
static int
plotcmd_value(const char *s, int date, double *out)
{
	int64_t	ms;

	if (!date)
		return plotcmd_number(s, out);
	if (tsvread_time(s, &ms) != 0)
		return -1;
	*out = (double)ms / 1000;
	return 0;
}

/* 1 for a date, 0 for a number, -1 for neither. */
static int
plotcmd_kind(const char *s)
{
	double	v;
	int64_t	ms;

	if (plotcmd_number(s, &v) == 0)
		return 0;
	return tsvread_time(s, &ms) == 0 ? 1 : -1;
}

/* Options and operands into pc: 0, 1 for --help, -1 for a usage error
 * (told on stderr). */
static int
plotcmd_args(struct plotcmd *pc, int argc, char **argv)
{
	int	c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":x:y:m:M:n:N:t:T:l:S:DW:H:h",
	    plotcmd_options, NULL)) != -1) {
		switch (c) {
		case 'x':	pc->xfield = optarg; break;
		case 'y':	pc->yfield = optarg; break;
		case 'm':	pc->bounds[0] = optarg; break;
		case 'M':	pc->bounds[1] = optarg; break;
		case 'n':	pc->bounds[2] = optarg; break;
		case 'N':	pc->bounds[3] = optarg; break;
		case 'T':	pc->opts.title = optarg; break;
		case 'l':	pc->opts.label = optarg; break;
		case 'S':	pc->streams = optarg; break;
		case 'D':	pc->opts.density = 1; break;
		case PLOTCMD_OPT_TERM: pc->term = 1; break;
		case 'h':	return 1;
		case 't':
			if (strcmp(optarg, "scatter") == 0)
				pc->opts.type = PLOT_SCATTER;
			else if (strcmp(optarg, "line") == 0)
				pc->opts.type = PLOT_LINE;
			else if (strcmp(optarg, "mixed") == 0)
				pc->opts.type = PLOT_MIXED;
			else {
				plotcmd_status("--type: scatter, line or mixed");
				return -1;
			}
			break;
		case 'W':
		case 'H':
			if (plotcmd_int(optarg, 1, 20000, c == 'W' ?
			    &pc->width : &pc->height) != 0) {
				plotcmd_status("--%s: a number from 1 to 20000",
				    c == 'W' ? "width" : "height");
				return -1;
			}
			break;
		case ':':
			plotcmd_status("option needs a value: %s",
			    argv[optind - 1]);
			return -1;
		default:
			plotcmd_status("unknown option: %s", argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind > 2) {
		plotcmd_status("too many arguments (INFILE OUTFILE at most)");
		return -1;
	}
	if (optind < argc && strcmp(argv[optind], "-") != 0)
		pc->infile = argv[optind];
	if (optind + 1 < argc && strcmp(argv[optind + 1], "-") != 0)
		pc->outfile = argv[optind + 1];
	return 0;
}

/* The x column: -x, else the first column whose first value is a date,
 * else the first. */
static int
plotcmd_xcolumn(struct plotcmd *pc, struct tsvread *r)
{
	size_t	i;
	int	col;

	if (pc->xfield != NULL) {
		if ((col = tsvread_column(r, pc->xfield)) < 0)
			plotcmd_status("-x: no field called '%s' in the header",
			    pc->xfield);
		return col;
	}
	for (i = 0; i < tsvread_nfields(r); i++)
		if (plotcmd_kind(tsvread_value(r, i, NULL)) == 1)
			return (int)i;
	return 0;
}

/* Read every record into points. */
static int
plotcmd_read(struct plotcmd *pc, struct tsvread *r)
{
	char		 err[512], msg[600];
	const char	*xs, *ys;
	double		 x, y = 0;
	int		 xc = -1, yc = -1, rc, first = 1;

	if (tsvread_header(r, err, sizeof err) != 0) {
		plotcmd_status("%s", err);
		return -1;
	}
	if (pc->yfield != NULL && (yc = tsvread_column(r, pc->yfield)) < 0) {
		plotcmd_status("-y: no field called '%s' in the header",
		    pc->yfield);
		return -1;
	}
	while ((rc = tsvread_next(r, err, sizeof err)) != 0) {
		if (rc < 0) {
			if (tsvread_failed(r)) {
				plotcmd_status("%s", err);
				return -1;
			}
			plotcmd_skip(pc, err);
			continue;
		}
		if (first) {
			/* The first record decides what the columns hold. */
			if ((xc = plotcmd_xcolumn(pc, r)) < 0)
				return -1;
			xs = tsvread_value(r, (size_t)xc, NULL);
			ys = yc >= 0 ? tsvread_value(r, (size_t)yc, NULL) : "0";
			pc->opts.xdate = plotcmd_kind(xs) == 1;
			pc->opts.ydate = plotcmd_kind(ys) == 1;
			pc->opts.xname = tsvread_name(r, (size_t)xc);
			pc->opts.yname = yc >= 0 ? tsvread_name(r, (size_t)yc) :
			    "count";
			first = 0;
		}
		xs = tsvread_value(r, (size_t)xc, NULL);
		if (plotcmd_value(xs, pc->opts.xdate, &x) != 0 || (yc >= 0 &&
		    plotcmd_value(tsvread_value(r, (size_t)yc, NULL),
		    pc->opts.ydate, &y) != 0)) {
			snprintf(msg, sizeof msg, "line %lu: not a number "
			    "(up to 1e15) or date", tsvread_lineno(r));
			plotcmd_skip(pc, msg);
			continue;
		}
		if (plot_add(pc->plot, x, y) != 0) {
			plotcmd_status("more than %d points: the rest is left "
			    "out", PLOT_MAX_POINTS);
			break;
		}
	}
	if (yc < 0)
		plot_cumulate(pc->plot);
	return 0;
}

/* "5400", "1h30m", "90m", "45s": a stream's length in seconds. */
static int
plotcmd_duration(const char *s, double *out)
{
	double	 t = 0, v;
	char	*end;

	if (plotcmd_number(s, out) == 0)
		return *out >= 0 ? 0 : -1;
	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		v = strtod(s, &end);
		if (*end == 'h')
			t += v * 3600;
		else if (*end == 'm')
			t += v * 60;
		else if (*end == 's')
			t += v;
		else
			return -1;
		s = end + 1;
	}
	*out = t;
	return 0;
}

/* The streams file: one span per record; an empty end is a stream still
 * live, drawn to the end of the data. */
static int
plotcmd_streams(struct plotcmd *pc, double live_end)
{
	struct tsvread	*r;
	FILE		*fp;
	char		 err[512], msg[600];
	const char	*end;
	double		 x0, x1;
	int		 sc, ec, dc, rc, ret = -1;

	if ((fp = fopen(pc->streams, "r")) == NULL) {
		plotcmd_status("%s: %s", pc->streams, strerror(errno));
		return -1;
	}
	r = tsvread_new_file(fp, pc->streams, 0);
	if (tsvread_header(r, err, sizeof err) != 0) {
		plotcmd_status("%s", err);
		goto out;
	}
	sc = tsvread_column(r, "started_at");
	ec = tsvread_column(r, "ended_at");
	dc = tsvread_column(r, "duration");
	if (sc < 0 || (ec < 0 && dc < 0)) {
		plotcmd_status("%s: needs the fields started_at and ended_at "
		    "(or duration)", pc->streams);
		goto out;
	}
	while ((rc = tsvread_next(r, err, sizeof err)) != 0) {
		if (rc < 0 && tsvread_failed(r)) {
			plotcmd_status("%s", err);
			goto out;
		}
		if (rc < 0) {
			plotcmd_skip(pc, err);
			continue;
		}
		end = tsvread_value(r, (size_t)(ec >= 0 ? ec : dc), NULL);
		if (plotcmd_value(tsvread_value(r, (size_t)sc, NULL), 1,
		    &x0) != 0 || (*end != '\0' && (ec >= 0 ?
		    plotcmd_value(end, 1, &x1) : plotcmd_duration(end,
		    &x1)) != 0)) {
			snprintf(msg, sizeof msg, "%.400s: line %lu: not a "
			    "stream interval", pc->streams, tsvread_lineno(r));
			plotcmd_skip(pc, msg);
			continue;
		}
		if (*end == '\0')
			x1 = live_end > x0 ? live_end : x0;
		else if (ec < 0)
			x1 += x0;
		if (plot_add_span(pc->plot, x0, x1) != 0)
			break;
	}
	ret = 0;
out:
	tsvread_free(r);
	fclose(fp);
	return ret;
}

/* -m -M -n -N, read once we know which axes hold dates. */
static int
plotcmd_bounds(struct plotcmd *pc)
{
	static const char	*names[4] = { "--xmin", "--xmax", "--ymin",
				    "--ymax" };
	double			*dst[4] = { &pc->opts.xmin, &pc->opts.xmax,
				    &pc->opts.ymin, &pc->opts.ymax };
	int			 i, date;

	for (i = 0; i < 4; i++) {
		if (pc->bounds[i] == NULL)
			continue;
		date = i < 2 ? pc->opts.xdate : pc->opts.ydate;
		if (plotcmd_value(pc->bounds[i], date, dst[i]) != 0) {
			plotcmd_status("%s: not %s", names[i], date ?
			    "an ISO-8601 date" : "a number up to 1e15");
			return -1;
		}
	}
	if (pc->opts.xmin >= pc->opts.xmax || pc->opts.ymin >= pc->opts.ymax) {
		/* NAN compares false: only two given bounds get here. */
		plotcmd_status("--%cmin must be less than --%cmax",
		    pc->opts.xmin >= pc->opts.xmax ? 'x' : 'y',
		    pc->opts.xmin >= pc->opts.xmax ? 'x' : 'y');
		return -1;
	}
	return 0;
}

/* The terminal's size, or 80x24 when it has none. */
static void
plotcmd_termsize(int *cols, int *rows)
{
	struct winsize	ws;
	const char	*s;
	int		 v;

	*cols = 80;
	*rows = 24;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	} else if ((s = getenv("COLUMNS")) != NULL &&
	    plotcmd_int(s, 1, 1000, &v) == 0)
		*cols = v;
}

/* SVG, or braille sized to the terminal unless --width/--height say. */
static int
plotcmd_render(struct plotcmd *pc, struct buf *out)
{
	int	cols, rows;

	if (!pc->term) {
		if (pc->width)
			pc->opts.width = pc->width;
		if (pc->height)
			pc->opts.height = pc->height;
		return plot_svg(pc->plot, &pc->opts, out);
	}
	plotcmd_termsize(&cols, &rows);
	pc->opts.width = pc->width ? pc->width : cols > 1000 ? 1000 : cols;
	/* Half the screen, so the prompt and what led to it stay. */
	pc->opts.height = pc->height ? pc->height : rows / 2 < 12 ? 12 :
	    rows / 2 > 40 ? 40 : rows / 2;
	if (plot_term(pc->plot, &pc->opts, out) != 0) {
		plotcmd_status("--term: %dx%d is too small or too large (from "
		    "20x5 to 1000x1000)", pc->opts.width, pc->opts.height);
		return -1;
	}
	return 0;
}

/* The whole chart at once: a failed write leaves no half SVG unnoticed. */
static int
plotcmd_write(struct plotcmd *pc, const struct buf *out)
{
	FILE	*fp = stdout;

	if (pc->outfile != NULL && (fp = fopen(pc->outfile, "w")) == NULL) {
		plotcmd_status("%s: %s", pc->outfile, strerror(errno));
		return -1;
	}
	if (fwrite(buf_ptr(out), 1, buf_len(out), fp) != buf_len(out) ||
	    fflush(fp) != 0) {
		plotcmd_status("%s: %s", pc->outfile ? pc->outfile : "stdout",
		    strerror(errno));
		if (fp != stdout)
			fclose(fp);
		return -1;
	}
	if (fp != stdout && fclose(fp) != 0) {
		plotcmd_status("%s: %s", pc->outfile, strerror(errno));
		return -1;
	}
	return 0;
}

/* Read, check the bounds, add the streams, render, write; the exit
 * status. */
static int
plotcmd_run(struct plotcmd *pc)
{
	struct tsvread	*r;
	struct buf	 out;
	FILE		*fp = stdin;
	double		 range[4];
	int		 rc = 1;

	if (pc->infile != NULL && (fp = fopen(pc->infile, "r")) == NULL) {
		plotcmd_status("%s: %s", pc->infile, strerror(errno));
		return 1;
	}
	r = tsvread_new_file(fp, pc->infile ? pc->infile : "stdin", 0);
	pc->plot = plot_new();
	buf_init(&out, PLOTCMD_OUT_CAP);
	if (plotcmd_read(pc, r) != 0)
		goto out;
	if (plot_npoints(pc->plot) == 0) {
		plotcmd_status("no points to plot");
		goto out;
	}
	if (plotcmd_bounds(pc) != 0) {
		rc = 2;
		goto out;
	}
	if (pc->streams != NULL) {
		if (!pc->opts.xdate) {
			plotcmd_status("--streams needs dates on the x axis");
			rc = 2;
			goto out;
		}
		plot_range(pc->plot, &pc->opts, range);
		if (plotcmd_streams(pc, range[1]) != 0)
			goto out;
	}
	if (plotcmd_render(pc, &out) != 0) {
		if (!pc->term)
			plotcmd_status("the chart is larger than %zu bytes",
			    PLOTCMD_OUT_CAP);
		goto out;
	}
	if (plotcmd_write(pc, &out) == 0)
		rc = 0;
	if (pc->skipped > 0)
		plotcmd_status("%lu records skipped", pc->skipped);
out:
	buf_free(&out);
	plot_free(pc->plot);
	tsvread_free(r);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int
plotcmd_main(int argc, char **argv)
{
	struct plotcmd	pc;
	int		rc;

	/* strtod() reads "1.5" whatever the user's locale says. */
	setlocale(LC_NUMERIC, "C");
	memset(&pc, 0, sizeof pc);
	plot_opts_init(&pc.opts);
	rc = plotcmd_args(&pc, argc, argv);
	if (rc == 1) {
		plotcmd_usage();
		return 0;
	}
	if (rc != 0) {
		plotcmd_usage();
		return 2;
	}
	return plotcmd_run(&pc);
}
