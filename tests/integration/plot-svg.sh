#!/bin/sh
# plot-svg.sh: `stitch plot` on fixture reports: the SVG is well-formed XML
# (xmllint), has one <circle> per record and one span <rect> per stream in
# range, renders to a PNG of the asked size (rsvg-convert), is the same
# bytes on every run, and keeps hostile text inert; usage and input errors
# give distinct exit codes and messages naming the line.
. "$top_srcdir/tests/lib.sh"
STITCH=$top_builddir/stitch
D=$top_srcdir/tests/data/plot
T=$TEST_TMP
ESC=$(printf '\033')

skip() {	# skip WHY DESCRIPTION
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $2 # SKIP $1"
}

# The width and height in a PNG's IHDR, "W H".
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{
		printf "%d %d\n", (($1*256+$2)*256+$3)*256+$4,
		    (($5*256+$6)*256+$7)*256+$8 }'
}

"$STITCH" plot "$D/followers.tsv" "$T/f.svg" 2>"$T/f.err"
ok $? "followers: exit status 0"
[ "$(grep -c '<circle' "$T/f.svg")" = 40 ]
ok $? "followers: 40 records, 40 points"
grep -q '>count</text>' "$T/f.svg" && grep -q '>followed_at</text>' "$T/f.svg"
ok $? "followers: x is the date column, y a running count"
grep -q '>2026-11-0[0-9]</text>\|>11-0[0-9] [0-9:]*</text>' "$T/f.svg"
ok $? "followers: date ticks on the x axis"
[ ! -s "$T/f.err" ]
ok $? "followers: nothing on stderr"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$T/f.svg" 2>"$T/x.err"
	ok $? "followers: the SVG is well-formed XML"
else
	skip "no xmllint" "followers: the SVG is well-formed XML"
fi

"$STITCH" plot -S "$D/streams.tsv" -T 'Followers & streams' -l followers \
    "$D/followers.tsv" "$T/s.svg"
ok $? "streams: exit status 0"
[ "$(grep -c 'class="span"' "$T/s.svg")" = 3 ]
ok $? "streams: 3 spans drawn (one lies before the data, one is live)"
"$STITCH" plot -S "$D/streams-duration.tsv" "$D/followers.tsv" "$T/sd.svg" \
    2>"$T/sd.err"
[ "$(grep -c 'class="span"' "$T/sd.svg")" = 3 ] &&
    grep -q 'streams-duration.tsv: line 5: not a stream interval' "$T/sd.err"
ok $? "streams: started_at with durations (1h30m, seconds); a bad one named"
grep -q '<title>Followers &amp; streams</title>' "$T/s.svg"
ok $? "streams: the title, escaped"
if command -v rsvg-convert >/dev/null 2>&1; then
	rsvg-convert -o "$T/s.png" "$T/s.svg" 2>"$T/r.err"
	ok $? "png: rsvg-convert renders it"
	[ -s "$T/s.png" ] && [ "$(od -An -c -j1 -N3 "$T/s.png" | tr -d ' ')" = PNG ]
	ok $? "png: a non-empty PNG file"
	[ "$(png_size "$T/s.png")" = "800 400" ]
	ok $? "png: 800x400 pixels"
	"$STITCH" plot -W 640 -H 320 "$D/followers.tsv" |
	    rsvg-convert -o "$T/w.png" && [ "$(png_size "$T/w.png")" = "640 320" ]
	ok $? "png: --width 640 --height 320 gives 640x320"
else
	for w in "rsvg-convert renders it" "a non-empty PNG file" \
	    "800x400 pixels" "--width 640 --height 320 gives 640x320"; do
		skip "no rsvg-convert" "png: $w"
	done
fi

"$STITCH" plot -S "$D/streams.tsv" "$D/followers.tsv" "$T/s2.svg"
"$STITCH" plot -S "$D/streams.tsv" "$D/followers.tsv" "$T/s3.svg"
cmp -s "$T/s2.svg" "$T/s3.svg"
ok $? "the same input gives the same bytes"
LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 "$STITCH" plot -y chatters \
    "$D/viewers.tsv" 2>/dev/null | grep -q 'cx="[0-9]*,'
[ $? -ne 0 ]
ok $? "no decimal comma whatever the locale"

# Numbers on both axes, a range, lines.
"$STITCH" plot -x minute -y viewers -m 10 -M 19 --type line <"$D/viewers.tsv" >"$T/v.svg"
ok $? "viewers: from stdin to stdout"
[ "$(grep -c '<circle' "$T/v.svg")" = 0 ]
ok $? "line: no points"
n=$(grep 'class="line"' "$T/v.svg" | grep -o ' L' | wc -l)
[ "$n" = 11 ]
ok $? "line: 10 records in range plus one either side: 12 vertices (got $((n + 1)))"
"$STITCH" plot -x minute -y viewers -m 10 -M 19 -n 0 -N 300 --type mixed \
    "$D/viewers.tsv" "$T/m.svg"
[ "$(grep -c '<circle' "$T/m.svg")" = 10 ] && grep -q 'class="line"' "$T/m.svg"
ok $? "mixed: the 10 points in range and the line"
grep -q '>300</text>' "$T/m.svg" && grep -q '>0</text>' "$T/m.svg"
ok $? "mixed: y ticks from --ymin to --ymax"
"$STITCH" plot -y viewers --density "$D/viewers.tsv" "$T/d.svg" &&
    [ "$(grep -c '<circle[^>]*fill="#' "$T/d.svg")" = 30 ]
ok $? "density: every point gets a colour"

# Hostile text stays text.
"$STITCH" plot -T "$(printf '<svg onload=x>\033[2J&\007')" \
    -l "$(printf ']]>\033]0;t\007')" "$D/followers.tsv" "$T/h.svg"
ok $? "hostile title: exit status 0"
! grep -q "$ESC" "$T/h.svg" && ! grep -q '<svg onload' "$T/h.svg" &&
    grep -q '&lt;svg onload=x&gt;' "$T/h.svg"
ok $? "hostile title: escaped, no ESC byte"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$T/h.svg" && xmllint --noout "$T/s.svg" &&
	    xmllint --noout "$T/m.svg"
	ok $? "hostile title, streams, mixed: all well-formed XML"
else
	skip "no xmllint" "hostile title, streams, mixed: all well-formed XML"
fi

# Errors.
"$STITCH" plot -y viewers "$D/viewers-bad.tsv" "$T/b.svg" 2>"$T/b.err"
ok $? "bad records: still exit status 0"
[ "$(grep -c '<circle' "$T/b.svg")" = 2 ]
ok $? "bad records: the 2 good ones are drawn"
grep -q 'line 3: 1 field, the header has 3 (skipped)' "$T/b.err" &&
    grep -q 'line 4: not a number (up to 1e15) or date (skipped)' "$T/b.err" &&
    grep -q '2 records skipped' "$T/b.err"
ok $? "bad records: stderr names their lines"
"$STITCH" plot -y nope "$D/viewers.tsv" "$T/e.svg" 2>"$T/e.err"
[ $? = 1 ] && grep -q "no field called 'nope'" "$T/e.err"
ok $? "an unknown field: exit status 1 and a message"
"$STITCH" plot --type pie "$D/viewers.tsv" 2>"$T/e.err" >/dev/null
[ $? = 2 ] && grep -q 'scatter, line or mixed' "$T/e.err"
ok $? "a bad --type: exit status 2"
"$STITCH" plot "$T/missing.tsv" 2>"$T/e.err" >/dev/null
[ $? = 1 ] && grep -q 'missing.tsv: No such file' "$T/e.err"
ok $? "a missing file: exit status 1"
"$STITCH" plot -S "$D/streams.tsv" "$D/viewers.tsv" 2>"$T/e.err" >/dev/null
[ $? = 2 ] && grep -q 'needs dates' "$T/e.err"
ok $? "--streams with numbers on x: exit status 2"
printf 'a\tb\n' | "$STITCH" plot 2>"$T/e.err" >/dev/null
[ $? = 1 ] && grep -q 'no points' "$T/e.err"
ok $? "no records: exit status 1"
"$STITCH" plot --xmin yesterday "$D/followers.tsv" 2>"$T/e.err" >/dev/null
[ $? = 2 ] && grep -q -- '--xmin: not an ISO-8601 date' "$T/e.err"
ok $? "a bad --xmin: exit status 2"
"$STITCH" plot -x minute -y viewers -m 20 -M 10 "$D/viewers.tsv" 2>"$T/e.err" >/dev/null
[ $? = 2 ] && grep -q -- '--xmin must be less than --xmax' "$T/e.err"
ok $? "--xmin past --xmax: exit status 2"
"$STITCH" plot --help 2>"$T/e.err"
[ $? = 0 ] && grep -q -- '--streams FILE' "$T/e.err"
ok $? "--help"

done_testing
