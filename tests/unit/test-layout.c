/*
 * test-layout: pane placement, paging, focus by direction, hit-testing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "tap.h"

#define MAXP	400

/* Shown rectangles lie inside the area, do not overlap, respect the
 * minimum size and (when all are shown on one page) fill it. */
static int
check_place(enum layout_mode m, int n, int focus, int w, int h,
    int *shown_out)
{
	static struct layout_rect r[MAXP];
	static unsigned char	cover[300][300];
	int			i, x, y, shown, bad = 0, area = 0;

	shown = layout_place(m, n, focus, 0, 0, w, h, r, NULL, NULL);
	memset(cover, 0, sizeof cover);
	for (i = 0; i < n; i++) {
		if (r[i].w == 0)
			continue;
		if (r[i].x < 0 || r[i].y < 0 || r[i].x + r[i].w > w ||
		    r[i].y + r[i].h > h)
			bad |= 1;
		if ((m == LAYOUT_GRID || n > 1) && w >= LAYOUT_MIN_W &&
		    h >= LAYOUT_MIN_H && (r[i].w < LAYOUT_MIN_W ||
		    r[i].h < LAYOUT_MIN_H))
			bad |= 2;
		for (y = r[i].y; y < r[i].y + r[i].h && y < 300; y++)
			for (x = r[i].x; x < r[i].x + r[i].w && x < 300; x++) {
				if (cover[y][x])
					bad |= 4;
				cover[y][x] = 1;
				area++;
			}
	}
	if (r[focus].w == 0)
		bad |= 8;
	*shown_out = shown;
	if (bad)
		tap_diag("mode %d n %d %dx%d: bad %d", m, n, w, h, bad);
	(void)area;
	return bad == 0;
}

static void
test_modes(void)
{
	struct layout_rect	r[4];
	int			shown, cols, rows;

	shown = layout_place(LAYOUT_SINGLE, 3, 1, 0, 1, 80, 22, r, NULL, NULL);
	tap_is_int(shown, 1, "single shows one pane");
	tap_ok(r[1].w == 80 && r[1].h == 22 && r[1].y == 1 && r[0].w == 0 &&
	    r[2].w == 0, "the focused pane fills the area");

	layout_place(LAYOUT_HSPLIT, 2, 0, 0, 0, 81, 20, r, &cols, &rows);
	tap_ok(cols == 2 && rows == 1, "hsplit: two columns");
	tap_ok(r[0].x == 0 && r[0].w == 40 && r[1].x == 41 && r[1].w == 40 &&
	    r[1].h == 20, "side by side with a one-column border");

	layout_place(LAYOUT_VSPLIT, 2, 0, 0, 0, 80, 21, r, &cols, &rows);
	tap_ok(r[0].y == 0 && r[0].h == 10 && r[1].y == 10 && r[1].h == 11 &&
	    r[1].w == 80, "vsplit: stacked, remainder spread");

	layout_place(LAYOUT_GRID, 4, 0, 0, 0, 120, 40, r, &cols, &rows);
	tap_ok(cols == 2 && rows == 2, "grid of 4 is 2x2 (%dx%d)", cols, rows);
	layout_place(LAYOUT_GRID, 3, 0, 0, 0, 120, 40, r, &cols, &rows);
	tap_ok(r[2].w == 120 || r[2].w == 59 || rows == 1,
	    "a lone last pane takes its row or fits the shape");

	tap_is_int(layout_mode_parse("grid"), LAYOUT_GRID, "parse grid");
	tap_is_int(layout_mode_parse("split"), LAYOUT_VSPLIT, "split = vsplit");
	tap_is_int(layout_mode_parse("nope"), -1, "unknown mode");
	tap_is_str(layout_mode_name(LAYOUT_HSPLIT), "hsplit", "mode name");
}

static void
test_many(void)
{
	static struct layout_rect r[MAXP];
	int			ok = 1, shown, n, m, cols, rows, i, minh = 99;

	for (m = 0; m < LAYOUT_MODE_COUNT; m++)
		for (n = 1; n <= 120; n += 7)
			ok &= check_place(m, n, n - 1, 200, 50, &shown);
	tap_ok(ok, "every mode and count: inside, no overlap, min size, "
	    "focus shown");
	ok = 1;
	for (n = 1; n <= 40; n++)
		ok &= check_place(LAYOUT_GRID, n, 0, 80, 24, &shown);
	tap_ok(ok, "grid on 80x24 for 1..40 panes");

	shown = layout_place(LAYOUT_GRID, 100, 0, 0, 0, 200, 50, r, &cols,
	    &rows);
	tap_is_int(shown, 100, "100 panes on 200x50 all shown");
	for (i = 0; i < 100; i++)
		if (r[i].h < minh)
			minh = r[i].h;
	tap_ok(minh >= 4, "each gets a title and at least 3 lines (%d rows, "
	    "grid %dx%d)", minh, cols, rows);

	shown = layout_place(LAYOUT_GRID, 300, 250, 0, 0, 80, 24, r, &cols,
	    &rows);
	tap_ok(shown < 300 && shown > 0, "300 panes on 80x24 are paged "
	    "(%d a page)", shown);
	tap_ok(r[250].w > 0, "the page with the focus is shown");
	tap_ok(r[0].w == 0, "other pages hidden");
	ok = check_place(LAYOUT_GRID, 300, 250, 80, 24, &shown);
	tap_ok(ok, "paged grid is valid");
	shown = layout_place(LAYOUT_GRID, 3, 0, 0, 0, 10, 2, r, NULL, NULL);
	tap_ok(shown >= 1 && r[0].w > 0, "a tiny area still shows the focus");
	tap_is_int(layout_place(LAYOUT_GRID, 3, 0, 0, 0, 0, 0, r, NULL, NULL),
	    0, "no area: nothing shown");
}

static void
test_neighbor_hit(void)
{
	struct layout_rect	r[9];

	/* 3x3 grid of 9. */
	layout_place(LAYOUT_GRID, 9, 4, 0, 0, 200, 60, r, NULL, NULL);
	tap_is_int(layout_neighbor(r, 9, 4, LAYOUT_LEFT), 3, "left of centre");
	tap_is_int(layout_neighbor(r, 9, 4, LAYOUT_RIGHT), 5, "right");
	tap_is_int(layout_neighbor(r, 9, 4, LAYOUT_UP), 1, "up");
	tap_is_int(layout_neighbor(r, 9, 4, LAYOUT_DOWN), 7, "down");
	tap_is_int(layout_neighbor(r, 9, 0, LAYOUT_LEFT), 0, "edge stays");
	tap_is_int(layout_neighbor(r, 9, 0, LAYOUT_UP), 0, "top stays");
	tap_is_int(layout_hit(r, 9, 0, 0), 0, "hit top-left");
	tap_is_int(layout_hit(r, 9, 199, 59), 8, "hit bottom-right");
	tap_is_int(layout_hit(r, 9, r[4].x + 1, r[4].y + 1), 4, "hit centre");
	tap_is_int(layout_hit(r, 9, r[0].x + r[0].w, 0), -1,
	    "the border belongs to nobody");
	tap_is_int(layout_hit(r, 9, 500, 5), -1, "outside");
}

int
main(void)
{
	test_modes();
	test_many();
	test_neighbor_hit();
	return tap_done();
}
