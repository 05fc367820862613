/*
 * test-editor.c: the input line's editing rules, without a terminal.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "editor.h"
#include "tap.h"

static void
type(struct editor *ed, const char *s)
{
	editor_insert(ed, s, strlen(s));
}

static int
at(struct editor *ed, const char *text, size_t cursor, const char *what)
{
	int	ok;

	ok = tap_is_str(editor_text(ed, NULL), text, what);
	if (ok && editor_cursor(ed) != cursor) {
		tap_diag("cursor at %zu, want %zu", editor_cursor(ed), cursor);
		return 0;
	}
	return ok;
}

static void
test_insert(void)
{
	struct editor	*ed = editor_new(32, 10);

	type(ed, "hi \xe4\xbd\xa0\xe5\xa5\xbd");	/* "hi 你好" */
	at(ed, "hi \xe4\xbd\xa0\xe5\xa5\xbd", 9, "UTF-8 text is inserted whole");
	editor_set(ed, "");
	type(ed, "a\x1b[2Jb\x07\x7f" "c\xc2\x9b" "d\te");
	at(ed, "a[2Jbcd e", 9, "ESC, BEL, DEL and C1 controls are dropped, tab is a space");
	editor_set(ed, "");
	type(ed, "x\xff\xc3y\xed\xa0\x80z");
	at(ed, "xyz", 3, "invalid UTF-8 (stray, truncated, surrogate) is dropped");
	editor_set(ed, "");
	type(ed, "\xe2\x80\xae" "evil");
	at(ed, "evil", 4, "a bidi override cannot be typed");
	editor_set(ed, "");
	type(ed, "0123456789012345678901234567890123456789");
	tap_is_int((long long)strlen(editor_text(ed, NULL)), 32,
	    "the line stops at its byte cap");
	tap_is_int(editor_insert_cp(ed, 'x'), 0, "a full line refuses more");
	editor_free(ed);
}

static void
test_motion(void)
{
	struct editor	*ed = editor_new(256, 10);

	type(ed, "ae\xcc\x81z");	/* a, e + combining acute, z */
	editor_left(ed);
	at(ed, "ae\xcc\x81z", 4, "left steps over z");
	editor_left(ed);
	at(ed, "ae\xcc\x81z", 1, "left steps over e and its combining mark");
	editor_right(ed);
	at(ed, "ae\xcc\x81z", 4, "right steps over them again");
	editor_backspace(ed);
	at(ed, "az", 1, "backspace removes the mark with its base");
	editor_home(ed);
	at(ed, "az", 0, "home");
	tap_is_int(editor_left(ed), 0, "left at the start changes nothing");
	editor_delete(ed);
	at(ed, "z", 0, "delete");
	editor_end(ed);
	at(ed, "z", 1, "end");

	editor_set(ed, "one two  three");
	editor_word_left(ed);
	at(ed, "one two  three", 9, "word left");
	editor_word_left(ed);
	at(ed, "one two  three", 4, "word left over double spaces");
	editor_word_right(ed);
	at(ed, "one two  three", 7, "word right");

	editor_set(ed, "ab");
	editor_transpose(ed);
	at(ed, "ba", 2, "Ctrl+T at the end swaps the last two");
	editor_free(ed);
}

static void
test_kill(void)
{
	struct editor	*ed = editor_new(256, 10);

	type(ed, "hello big world");
	editor_kill_word(ed);
	at(ed, "hello big ", 10, "Ctrl+W kills the word before the cursor");
	editor_kill_word(ed);
	at(ed, "hello ", 6, "Ctrl+W again kills the previous word and its space");
	editor_yank(ed);
	at(ed, "hello big ", 10, "Ctrl+Y yanks the last kill");
	editor_home(ed);
	editor_word_right(ed);
	editor_kill_to_end(ed);
	at(ed, "hello", 5, "Ctrl+K kills to the end");
	editor_left(ed);
	editor_kill_to_start(ed);
	at(ed, "o", 0, "Ctrl+U kills to the start");
	editor_free(ed);
}

static void
test_history(void)
{
	struct editor	*ed = editor_new(256, 2);
	char		*line;

	type(ed, "first");
	free(editor_take(ed));
	type(ed, "second");
	line = editor_take(ed);
	tap_is_str(line, "second", "Enter returns the line");
	free(line);
	at(ed, "", 0, "and clears the editor");
	type(ed, "second");
	free(editor_take(ed));		/* a repeat is not added again */
	type(ed, "third");
	free(editor_take(ed));		/* pushes "first" out (2 kept) */
	type(ed, "draft");
	editor_history_prev(ed);
	at(ed, "third", 5, "Up shows the newest entry");
	editor_history_prev(ed);
	at(ed, "second", 6, "Up again the one before");
	tap_is_int(editor_history_prev(ed), 0, "the oldest entry was dropped");
	editor_history_next(ed);
	editor_history_next(ed);
	at(ed, "draft", 5, "Down past the newest brings the draft back");
	free(editor_take(ed));
	editor_set(ed, "");
	free(editor_take(ed));
	editor_history_prev(ed);
	at(ed, "draft", 5, "an empty line is not added to the history");
	editor_free(ed);
}

static size_t
provider(void *arg, enum editor_complete_kind kind, const char *prefix,
    size_t plen, const char **out, size_t max)
{
	static const char *const nicks[] = { "alice", "Alfred", "bob" };
	static const char *const cmds[] = { "/join", "/me", "/part" };
	const char *const	*list = kind == EDITOR_COMPLETE_COMMAND ? cmds : nicks;
	size_t			 i, n = 0;

	*(int *)arg = (int)kind;
	for (i = 0; i < 3 && n < max; i++)
		if (strncasecmp(list[i], prefix, plen) == 0)
			out[n++] = list[i];
	return n;
}

static void
test_complete(void)
{
	struct editor	*ed = editor_new(256, 10);
	int		 kind = -1;

	type(ed, "hey al");
	editor_complete(ed, provider, &kind);
	at(ed, "hey alice ", 10, "Tab completes a nick");
	tap_is_int(kind, EDITOR_COMPLETE_WORD, "a plain word asks for words");
	editor_complete(ed, provider, &kind);
	at(ed, "hey Alfred ", 11, "Tab again cycles");
	editor_complete(ed, provider, &kind);
	at(ed, "hey alice ", 10, "and wraps around");
	type(ed, "x");
	at(ed, "hey alice x", 11, "typing ends the cycle");

	editor_set(ed, "@B");
	editor_complete(ed, provider, &kind);
	at(ed, "@bob ", 5, "an @nick keeps its @");
	tap_is_int(kind, EDITOR_COMPLETE_NICK, "and asks for nicks");

	editor_set(ed, "/jo");
	editor_complete(ed, provider, &kind);
	at(ed, "/join ", 6, "a command at the start completes");
	tap_is_int(kind, EDITOR_COMPLETE_COMMAND, "and asks for commands");

	editor_set(ed, "zzz");
	tap_is_int(editor_complete(ed, provider, &kind), 0,
	    "no candidate changes nothing");
	at(ed, "zzz", 3, "the word is left as typed");
	editor_free(ed);
}

static void
test_view(void)
{
	struct editor	*ed = editor_new(256, 10);
	size_t		 start;
	int		 col;

	type(ed, "abc");
	editor_view(ed, 10, &start, &col);
	tap_ok(start == 0 && col == 3, "a short line is not scrolled");
	editor_set(ed, "0123456789abcdef");
	editor_view(ed, 10, &start, &col);
	tap_ok(start == 7 && col == 9,
	    "a long line scrolls so the cursor fits (start %zu col %d)",
	    start, col);
	editor_set(ed, "\xe4\xbd\xa0\xe4\xbd\xa0\xe4\xbd\xa0\xe4\xbd\xa0");
	editor_view(ed, 5, &start, &col);
	tap_ok(start == 6 && col == 4,
	    "wide characters count two columns (start %zu col %d)",
	    start, col);
	editor_home(ed);
	editor_view(ed, 5, &start, &col);
	tap_ok(start == 0 && col == 0, "home scrolls back");
	editor_free(ed);
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		tap_diag("no C.UTF-8 locale: widths may be off");
	test_insert();
	test_motion();
	test_kill();
	test_history();
	test_complete();
	test_view();
	return tap_done();
}
