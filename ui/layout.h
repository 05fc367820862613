/*
 * layout.h: where panes go. Pure arithmetic (no curses, no globals): given
 * a mode, the number of panes, the focused one and the area, it says which
 * rectangle each pane gets, which pane lies left/right/up/down of another,
 * and which pane a mouse click hit.
 *
 * Each rectangle includes the pane's title row. Panes side by side are
 * separated by one blank column (drawn as a border by the UI).
 *
 * When panes do not fit at their minimum size (LAYOUT_MIN_W x LAYOUT_MIN_H)
 * the grid is paged: the page holding the focused pane is shown and the
 * others are hidden (rect w = h = 0). 100 panes on 200x50 fit on one page
 * (9 columns x 12 rows of 21x4 cells).
 */
#ifndef STITCH_LAYOUT_H
#define STITCH_LAYOUT_H

enum layout_mode {
	LAYOUT_SINGLE = 0,	/* the focused pane fills the area */
	LAYOUT_TABS,		/* same, with a tab row (drawn by the UI) */
	LAYOUT_HSPLIT,		/* side by side (tmux split-window -h) */
	LAYOUT_VSPLIT,		/* stacked */
	LAYOUT_GRID,		/* tiles as square as fits */
	LAYOUT_MODE_COUNT
};

#define LAYOUT_MIN_W	20	/* a title and a short line */
#define LAYOUT_MIN_H	3	/* a title row and two lines */

struct layout_rect {
	int	x, y, w, h;	/* w == 0: hidden */
};

enum layout_dir {
	LAYOUT_LEFT,
	LAYOUT_RIGHT,
	LAYOUT_UP,
	LAYOUT_DOWN,
};

/* "grid" -> LAYOUT_GRID ("split" is LAYOUT_VSPLIT); -1 if unknown. */
int		 layout_mode_parse(const char *name);
const char	*layout_mode_name(enum layout_mode);	/* borrowed */

/*
 * Place n panes in a w x h area at (x, y); out has n entries. Returns the
 * number of panes shown. focus (0..n-1) decides which page is shown.
 * *cols and *rows (may be NULL) receive the grid used.
 */
int		 layout_place(enum layout_mode, int n, int focus, int x, int y,
		    int w, int h, struct layout_rect *out, int *cols,
		    int *rows);

/* The shown pane nearest to focus in that direction, or focus itself. */
int		 layout_neighbor(const struct layout_rect *, int n, int focus,
		    enum layout_dir);

/* The shown pane whose rectangle holds (x, y), or -1. */
int		 layout_hit(const struct layout_rect *, int n, int x, int y);

#endif
