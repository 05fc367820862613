#!/bin/sh
# plot-term.sh: `stitch plot --term`: braille charts in the terminal. A
# fixture against a snapshot; the width from COLUMNS when stdout is no
# terminal; nothing but display-safe text, whatever the title holds.
. "$top_srcdir/tests/lib.sh"
STITCH=$top_builddir/stitch
D=$top_srcdir/tests/data/plot
T=$TEST_TMP
ESC=$(printf '\033')
export LC_ALL=C.UTF-8

"$STITCH" plot --term -W 60 -H 16 -S "$D/streams.tsv" -T 'Followers' \
    -l 'followers over time' "$D/followers.tsv" >"$T/t.txt" 2>"$T/t.err"
ok $? "term: exit status 0"
cmp -s "$T/t.txt" "$D/followers-term.txt"
ok $? "term: matches the snapshot"
cmp -s "$T/t.txt" "$D/followers-term.txt" ||
    { diag "got:"; sed 's/^/# /' "$T/t.txt"; }
[ "$(wc -l <"$T/t.txt")" = 16 ]
ok $? "term: 16 rows"
[ "$(wc -L <"$T/t.txt")" -le 60 ]
ok $? "term: no row wider than 60 columns"

COLUMNS=50 "$STITCH" plot --term -y viewers --type line "$D/viewers.tsv" >"$T/c.txt"
ok $? "COLUMNS=50: exit status 0"
[ "$(wc -L <"$T/c.txt")" -le 50 ] && [ "$(wc -L <"$T/c.txt")" -ge 45 ]
ok $? "COLUMNS=50: the chart fills 50 columns, no more"
grep -q "$(printf '\342\240')\|$(printf '\342\241')\|$(printf '\342\242')\|$(printf '\342\243')" "$T/c.txt"
ok $? "COLUMNS=50: braille cells drawn"

"$STITCH" plot --term -W 40 -H 8 -T "$(printf '\033[2J\033]0;x\007title\342\200\256')" \
    "$D/followers.tsv" >"$T/h.txt"
ok $? "hostile title: exit status 0"
! grep -q "$ESC" "$T/h.txt" && ! grep -q "$(printf '\007')" "$T/h.txt" &&
    ! grep -q "$(printf '\342\200\256')" "$T/h.txt"
ok $? "hostile title: no ESC, BEL or bidi override reaches the terminal"
head -n 1 "$T/h.txt" | grep -q 'title$'
ok $? "hostile title: shown as text"
"$STITCH" plot --term -W 10 -H 3 "$D/followers.tsv" >/dev/null 2>"$T/e.err"
[ $? = 1 ] && grep -q 'too small' "$T/e.err"
ok $? "too small a terminal: exit status 1 and a message"

done_testing
