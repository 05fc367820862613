/*
 * curses.h: the one place the front end includes curses (htop's habit), so
 * the library, its feature macros and any portability shims live here.
 * Build with pkg-config's ncursesw cflags: they define _XOPEN_SOURCE, which
 * the wide-character functions (wget_wch, waddnwstr) need.
 */
#ifndef STITCH_UI_CURSES_H
#define STITCH_UI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
/* <ncursesw/curses.h> first: a plain <curses.h> could find this very file
 * when ui/ is on the include path. */
#if defined(__has_include)
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#else
#include <curses.h>
#endif

#endif
