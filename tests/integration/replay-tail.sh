#!/bin/bash
# replay-tail.sh: `stitch replay --tail` plays a recording back in tail's
# formats: the same events in the same order, hostile bytes neutralized,
# TSV and JSONL recordings alike; --speed 10 takes about a tenth of the
# recorded 20 s (only an upper bound is checked: a loaded machine may be
# slow, never fast); Ctrl+C ends it cleanly with whole lines.
. "$top_srcdir/tests/lib.sh"
STITCH=$top_builddir/stitch
D=$top_srcdir/tests/data/plot
T=$TEST_TMP
ESC=$(printf '\033')
tab=$(printf '\t')

# The recording's events as tail prints them, bytes that a terminal would
# act on shown as pictures.
cat >"$T/want.tsv" <<WANT
time${tab}channel${tab}login${tab}display_name${tab}kind${tab}text
2026-11-24T20:00:00.000Z${tab}alpha${tab}ann${tab}Ann${tab}privmsg${tab}hello chat
2026-11-24T20:00:02.500Z${tab}alpha${tab}bob${tab}Bob${tab}privmsg${tab}tab\\there and back\\\\slash
2026-11-24T20:00:05.000Z${tab}beta${tab}cat${tab}Cat${tab}action${tab}waves
2026-11-24T20:00:09.250Z${tab}alpha${tab}evil${tab}Evil${tab}privmsg${tab}␛[2J␛]0;owned␇after
2026-11-24T20:00:12.000Z${tab}alpha${tab}dan${tab}Dan${tab}usernotice:sub${tab}Dan subscribed
2026-11-24T20:00:15.000Z${tab}alpha${tab}bob${tab}${tab}clearchat${tab}timeout 600s
2026-11-24T20:00:20.000Z${tab}beta${tab}ann${tab}Ann${tab}privmsg${tab}bye é❤
WANT

start=$(date +%s)
"$STITCH" replay "$D/chat.tsv" --tail --speed 10 >"$T/s10.tsv" 2>"$T/s10.err" &
pid=$!
on_exit "kill $pid 2>/dev/null"
# Bounded wait: 20 s recorded at speed 10 is 2 s; 15 s is far past that
# and far short of the 20 s an unscaled replay would take.
wait_for 15 sh -c "! kill -0 $pid"
ok $? "--speed 10: done in less than 15 s (the recording spans 20 s)"
wait $pid
ok $? "--speed 10: exit status 0"
diag "--speed 10 took about $(( $(date +%s) - start )) s"
cmp -s "$T/s10.tsv" "$T/want.tsv"
ok $? "--speed 10: every event, in order, as tail writes them"
cmp -s "$T/s10.tsv" "$T/want.tsv" || diff "$T/want.tsv" "$T/s10.tsv" | sed 's/^/# /'
! grep -q "$ESC" "$T/s10.tsv" && ! grep -q "$(printf '\007')" "$T/s10.tsv"
ok $? "no ESC or BEL byte from the recording reaches the output"
[ "$(cut -f1 "$T/s10.tsv" | tail -n +2 | sort -c 2>&1)" = "" ]
ok $? "times come out in order"
grep -q '7 events replayed, 0 bad lines skipped' "$T/s10.err"
ok $? "a summary on stderr"

"$STITCH" replay "$D/chat.jsonl" --tail --fast >"$T/j.tsv" 2>/dev/null
ok $? "jsonl recording, --fast: exit status 0"
cmp -s "$T/j.tsv" "$T/want.tsv"
ok $? "jsonl recording: the same TSV as the TSV recording"
"$STITCH" replay --tail --speed 0 --no-header - <"$D/chat.tsv" >"$T/n.tsv" 2>/dev/null
tail -n +2 "$T/want.tsv" | cmp -s - "$T/n.tsv"
ok $? "from stdin, --speed 0, --no-header"

"$STITCH" replay "$D/chat.jsonl" --tail --fast --jsonl >"$T/o.jsonl" 2>/dev/null
[ "$(wc -l <"$T/o.jsonl")" = 7 ] &&
    [ -z "$(grep -v '^{"time":"2026-11-24T20:00:[0-9.]*Z","channel":"[a-z]*","kind":"[a-z:]*","login":"[a-z]*","display_name":"[A-Za-z]*","text":".*","tags":{.*}}$' "$T/o.jsonl")" ]
ok $? "--jsonl: 7 objects with tail's fields"
grep -q '"text":"\\u001b\[2J\\u001b\]0;owned\\u0007after"' "$T/o.jsonl" &&
    grep -q '"tags":{"id":"m0","color":"#ff0000"}' "$T/o.jsonl"
ok $? "--jsonl: controls as \\u00XX, tags kept"
"$STITCH" replay "$D/chat.jsonl" --tail --fast --jsonl 2>/dev/null |
    "$STITCH" replay - --tail --fast 2>/dev/null | cmp -s - "$T/want.tsv"
ok $? "--jsonl output replays to the same TSV"

"$STITCH" replay "$D/chat.tsv" --tail --max-gap 0.1 >"$T/g.tsv" 2>/dev/null &
pid=$!
on_exit "kill $pid 2>/dev/null"
# Six pauses of at most 0.1 s: far under 15 s, where 20 s would not be.
wait_for 15 sh -c "! kill -0 $pid"
ok $? "--max-gap 0.1 at speed 1: done in less than 15 s"
wait $pid
cmp -s "$T/g.tsv" "$T/want.tsv"
ok $? "--max-gap: the same events"

"$STITCH" replay "$D/chat-bad.tsv" --tail --fast >"$T/b.tsv" 2>"$T/b.err"
ok $? "bad lines: exit status 0"
[ "$(wc -l <"$T/b.tsv")" = 3 ]
ok $? "bad lines: the 2 good events are played"
grep -q 'chat-bad.tsv: line 3: 1 field, the header has 6 (skipped)' "$T/b.err" &&
    grep -q 'chat-bad.tsv: line 4: the time is not ISO-8601 (skipped)' "$T/b.err"
ok $? "bad lines: stderr names them"

# Ctrl+C in the middle of a 20 s replay.
"$STITCH" replay "$D/chat.tsv" --tail >"$T/i.tsv" 2>"$T/i.err" &
pid=$!
on_exit "kill $pid 2>/dev/null"
wait_for 10 grep -q 'hello chat' "$T/i.tsv"
ok $? "speed 1: the first event comes at once"
kill -INT $pid
wait_for 10 sh -c "! kill -0 $pid"
ok $? "SIGINT ends it"
wait $pid
ok $? "SIGINT: exit status 0"
[ -z "$(tail -c 1 "$T/i.tsv")" ] && [ "$(wc -l <"$T/i.tsv")" -lt 8 ]
ok $? "SIGINT: whole lines only, the replay cut short"
grep -q 'events replayed' "$T/i.err"
ok $? "SIGINT: a summary on stderr"

"$STITCH" replay "$D/chat.tsv" >/dev/null 2>"$T/e.err"
[ $? = 2 ] && grep -q 'use --tail' "$T/e.err"
ok $? "without --tail: exit status 2 and what to do"
"$STITCH" replay "$T/missing.tsv" --tail >/dev/null 2>"$T/e.err"
[ $? = 1 ] && grep -q 'missing.tsv: No such file' "$T/e.err"
ok $? "a missing file: exit status 1"
"$STITCH" replay "$D/followers.tsv" --tail >/dev/null 2>"$T/e.err"
[ $? = 1 ] && grep -q "no 'time' field" "$T/e.err"
ok $? "not a recording: exit status 1 and why"
"$STITCH" replay "$D/chat.tsv" --tail --speed fast >/dev/null 2>"$T/e.err"
[ $? = 2 ] && grep -q -- '--speed: a number' "$T/e.err"
ok $? "a bad --speed: exit status 2"

done_testing
