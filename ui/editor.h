/*
 * editor.h: the input line's editor. Pure (no curses): the UI maps keys to
 * these calls and draws what editor_view() says, so every editing rule is
 * unit-tested without a terminal.
 *
 * The buffer only ever holds valid UTF-8 without control characters; the
 * cursor is a byte offset that always sits on a character boundary.
 */
#ifndef STITCH_EDITOR_H
#define STITCH_EDITOR_H

#include <stddef.h>
#include <stdint.h>

struct editor;

/* What a completion provider is asked for. */
enum editor_complete_kind {
	EDITOR_COMPLETE_WORD,		/* a plain word: nicks and emote names */
	EDITOR_COMPLETE_NICK,		/* after '@' */
	EDITOR_COMPLETE_COMMAND,	/* "/jo" at the start of the line: the
					 * prefix and candidates include '/' */
};

/*
 * Fill out[] with at most max candidates starting with prefix (ASCII
 * case-insensitive), best first; return how many. The strings are borrowed
 * and need only last until the call returns (the editor copies them).
 */
typedef size_t (*editor_complete_fn)(void *arg, enum editor_complete_kind,
    const char *prefix, size_t prefixlen, const char **out, size_t max);

/* max_bytes caps the line (a chat line is at most 500 characters; the
 * editor allows more so a command with a reason fits); history_max lines
 * are kept. */
struct editor	*editor_new(size_t max_bytes, size_t history_max);
void		 editor_free(struct editor *);		/* NULL ok */

/* Insert UTF-8 text at the cursor: invalid sequences and control characters
 * (C0, DEL, C1) are dropped, a tab becomes a space. Returns 1 if anything
 * was inserted, 0 if nothing (or the line is full). */
int		 editor_insert(struct editor *, const char *text, size_t len);
/* Insert one code point (from wget_wch). Same rules. */
int		 editor_insert_cp(struct editor *, uint32_t cp);

/* Cursor and deletion. Each returns 1 if something changed. Zero-width
 * characters (combining marks, ZWJ, variation selectors) move and delete
 * with the character before them. */
int		 editor_left(struct editor *);
int		 editor_right(struct editor *);
int		 editor_home(struct editor *);		/* Home, Ctrl+A */
int		 editor_end(struct editor *);		/* End, Ctrl+E */
int		 editor_word_left(struct editor *);	/* Alt+B, Ctrl+Left */
int		 editor_word_right(struct editor *);	/* Alt+F, Ctrl+Right */
int		 editor_backspace(struct editor *);
int		 editor_delete(struct editor *);		/* Delete, Ctrl+D */
int		 editor_kill_to_end(struct editor *);	/* Ctrl+K */
int		 editor_kill_to_start(struct editor *);	/* Ctrl+U */
int		 editor_kill_word(struct editor *);	/* Ctrl+W */
int		 editor_yank(struct editor *);		/* Ctrl+Y */
int		 editor_transpose(struct editor *);	/* Ctrl+T */

/* History: Up/Down. The line being typed is kept and comes back after the
 * newest entry. */
int		 editor_history_prev(struct editor *);
int		 editor_history_next(struct editor *);

/* Tab: complete the word before the cursor; pressed again, cycle through
 * the candidates; any other edit ends the cycle. A nick completed at the
 * start of the line keeps its '@' if one was typed; a space follows. */
int		 editor_complete(struct editor *, editor_complete_fn, void *arg);

/* The line: borrowed, NUL-terminated, valid until the next edit. */
const char	*editor_text(const struct editor *, size_t *len);
size_t		 editor_cursor(const struct editor *);	/* byte offset */
int		 editor_empty(const struct editor *);

/* Replace the whole line (cursor at the end). */
void		 editor_set(struct editor *, const char *text);

/* Enter: return the line (caller frees), add it to the history unless it is
 * empty or the same as the newest entry, and clear the editor. */
char		*editor_take(struct editor *);

/*
 * What to draw in a field width columns wide: the line scrolls sideways so
 * the cursor stays visible. *start is the byte offset of the first visible
 * character, *cursor_col the cursor's column inside the field.
 */
void		 editor_view(const struct editor *, int width, size_t *start,
		    int *cursor_col);

#endif
