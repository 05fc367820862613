/*
 * layout.c: pane placement (see layout.h).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

static const char *const layout_names[LAYOUT_MODE_COUNT] = {
	"single", "tabs", "hsplit", "vsplit", "grid",
};

int
layout_mode_parse(const char *name)
{
	int	i;

	if (strcmp(name, "split") == 0)
		return LAYOUT_VSPLIT;
	for (i = 0; i < LAYOUT_MODE_COUNT; i++)
		if (strcmp(name, layout_names[i]) == 0)
			return i;
	return -1;
}

const char *
layout_mode_name(enum layout_mode m)
{
	if ((int)m < 0 || m >= LAYOUT_MODE_COUNT)
		return "single";
	return layout_names[m];
}

/* Largest number of columns / rows of minimum-size cells that fit. */
static int
layout_max_cols(int w)
{
	int	c = (w + 1) / (LAYOUT_MIN_W + 1);

	return c < 1 ? 1 : c;
}

static int
layout_max_rows(int h)
{
	int	r = h / LAYOUT_MIN_H;

	return r < 1 ? 1 : r;
}

/*
 * Grid shape for n cells: the column count whose cells come closest to a
 * chat-friendly shape (about 3 columns of text per row, since a terminal
 * cell is twice as tall as wide and chat lines are long).
 */
static void
layout_grid_shape(int n, int w, int h, int *cols, int *rows)
{
	int	c, r, cw, ch, best = 1, maxc = layout_max_cols(w);
	long	score, best_score = LONG_MAX;

	if (maxc > n)
		maxc = n;
	for (c = 1; c <= maxc; c++) {
		r = (n + c - 1) / c;
		if (r > layout_max_rows(h))
			continue;
		cw = (w - (c - 1)) / c;
		ch = h / r;
		score = labs((long)cw - 3L * ch);
		if (score < best_score) {
			best_score = score;
			best = c;
		}
	}
	if (best_score == LONG_MAX)		/* does not fit: page it */
		best = maxc;
	*cols = best;
	*rows = (n + best - 1) / best;
	if (*rows > layout_max_rows(h))
		*rows = layout_max_rows(h);
}

/* Tile cells [first, first + cnt) in cols x rows over the area. */
static void
layout_tile(struct layout_rect *out, int first, int cnt, int cols, int rows,
    int x, int y, int w, int h)
{
	int	i, c, r, x0, x1, y0, y1, usew = w - (cols - 1);

	for (i = 0; i < cnt; i++) {
		c = i % cols;
		r = i / cols;
		/* Spread the remainder so cells differ by at most one. */
		x0 = x + c + usew * c / cols;
		x1 = x + c + usew * (c + 1) / cols;
		y0 = y + h * r / rows;
		y1 = y + h * (r + 1) / rows;
		/* The last row's panes share the width among themselves. */
		if (r == (cnt - 1) / cols && cnt % cols != 0) {
			int lastn = cnt - r * cols, lw = w - (lastn - 1);

			x0 = x + c + lw * c / lastn;
			x1 = x + c + lw * (c + 1) / lastn;
		}
		out[first + i].x = x0;
		out[first + i].y = y0;
		out[first + i].w = x1 - x0;
		out[first + i].h = y1 - y0;
	}
}

int
layout_place(enum layout_mode mode, int n, int focus, int x, int y, int w,
    int h, struct layout_rect *out, int *cols, int *rows)
{
	int	c = 1, r = 1, per_page, first, cnt;

	if (n <= 0)
		return 0;
	memset(out, 0, (size_t)n * sizeof *out);
	if (focus < 0 || focus >= n)
		focus = 0;
	if (w < 1 || h < 1)
		return 0;
	switch (mode) {
	case LAYOUT_HSPLIT:
		c = n < layout_max_cols(w) ? n : layout_max_cols(w);
		break;
	case LAYOUT_VSPLIT:
		r = n < layout_max_rows(h) ? n : layout_max_rows(h);
		break;
	case LAYOUT_GRID:
		layout_grid_shape(n, w, h, &c, &r);
		break;
	default:
		break;
	}
	per_page = c * r;
	first = focus / per_page * per_page;
	cnt = n - first < per_page ? n - first : per_page;
	if (cnt < per_page && mode == LAYOUT_GRID)
		r = (cnt + c - 1) / c;
	layout_tile(out, first, cnt, c, r, x, y, w, h);
	if (cols != NULL)
		*cols = c;
	if (rows != NULL)
		*rows = r;
	return cnt;
}

/* Distance from a to b along dir, or -1 when b is not that way. */
static long
layout_distance(const struct layout_rect *a, const struct layout_rect *b,
    enum layout_dir dir)
{
	long	ax = a->x * 2L + a->w, ay = a->y * 2L + a->h;	/* centres x2 */
	long	bx = b->x * 2L + b->w, by = b->y * 2L + b->h;
	long	along, across;

	switch (dir) {
	case LAYOUT_LEFT:
		if (b->x + b->w > a->x)
			return -1;
		along = ax - bx;
		across = labs(ay - by);
		break;
	case LAYOUT_RIGHT:
		if (b->x < a->x + a->w)
			return -1;
		along = bx - ax;
		across = labs(ay - by);
		break;
	case LAYOUT_UP:
		if (b->y + b->h > a->y)
			return -1;
		along = ay - by;
		across = labs(ax - bx);
		break;
	default:
		if (b->y < a->y + a->h)
			return -1;
		along = by - ay;
		across = labs(ax - bx);
		break;
	}
	/* Prefer the pane straight across over a nearer one off to the side. */
	return along + 4 * across;
}

int
layout_neighbor(const struct layout_rect *r, int n, int focus,
    enum layout_dir dir)
{
	int	i, best = focus;
	long	d, best_d = LONG_MAX;

	if (focus < 0 || focus >= n || r[focus].w == 0)
		return focus;
	for (i = 0; i < n; i++) {
		if (i == focus || r[i].w == 0)
			continue;
		d = layout_distance(&r[focus], &r[i], dir);
		if (d >= 0 && d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

int
layout_hit(const struct layout_rect *r, int n, int x, int y)
{
	int	i;

	for (i = 0; i < n; i++)
		if (r[i].w > 0 && x >= r[i].x && x < r[i].x + r[i].w &&
		    y >= r[i].y && y < r[i].y + r[i].h)
			return i;
	return -1;
}
