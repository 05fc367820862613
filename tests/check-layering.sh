#!/bin/sh
# The core in src/ must build without the front end: no curses, nothing
# from ui/. The front end may include the core; never the reverse.
. "${top_srcdir:-.}/tests/lib.sh"

bad=$(grep -lE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|\.\./ui/|ui/)' \
	"$top_srcdir"/src/*.c "$top_srcdir"/src/*.h 2>/dev/null | grep -v '/src/main\.c$')
[ -z "$bad" ]
ok $? "no file in src/ (but main.c) includes curses or ui/ headers"
[ -z "$bad" ] || diag "offenders: $bad"

bad=$(grep -lE '#[[:space:]]*include[[:space:]]*<libwebsockets\.h>' "$top_srcdir"/src/*.c 2>/dev/null |
	grep -vE '/src/ws\.c$')
[ -z "$bad" ]
ok $? "only src/ws.c includes libwebsockets.h"
[ -z "$bad" ] || diag "offenders: $bad"

bad=$(grep -lE '#[[:space:]]*include[[:space:]]*<curl/curl\.h>' "$top_srcdir"/src/*.c 2>/dev/null |
	grep -vE '/src/http\.c$')
[ -z "$bad" ]
ok $? "only src/http.c includes curl/curl.h"
[ -z "$bad" ] || diag "offenders: $bad"

bad=$(grep -nE '\<(strcpy|sprintf|strtok|atoi|gets)[[:space:]]*\(' \
	"$top_srcdir"/src/*.c "$top_srcdir"/ui/*.c 2>/dev/null)
[ -z "$bad" ]
ok $? "no banned functions (strcpy, sprintf, strtok, atoi, gets)"
[ -z "$bad" ] || diag "$bad"

done_testing
