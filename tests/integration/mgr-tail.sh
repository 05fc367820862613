#!/bin/bash
# mgr-tail.sh: `stitch tail` against fake-twitch: a line said in a channel
# comes out with the right fields (TSV and JSON Lines), over ws:// and
# wss://; a hostile line comes out harmless; --count, --duration and
# SIGINT end it cleanly with complete output; a token is never taken from
# the command line.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/mgr-lib.sh"
mgr_require
sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/pki" ||
    skip_all "cannot make test certificates"
fake_start --tls "$TEST_TMP/pki/cert.pem" "$TEST_TMP/pki/key.pem" ||
    { ok 1 "fake-twitch starts"; done_testing; }
WS=ws://localhost:$FAKE_WS/
ESC=$(printf '\033')
iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
tab=$(printf '\t')

# TSV, the default.
tail_start a --server "$WS" "#Alpha" Beta
wait_err a 10 'main-shard: ready'
ok $? "tsv: the shard logs in (stderr says so)"
wait_out a 10 "${tab}join${tab}"
ok $? "tsv: our own JOIN is echoed"
head -n 1 "$TEST_TMP/a.out" | grep -qx \
    "time${tab}channel${tab}login${tab}display_name${tab}kind${tab}text"
ok $? "tsv: a header line first"
admin say alpha someone hello from the fake >/dev/null
wait_out a 5 "^$iso${tab}alpha${tab}someone${tab}[^$tab]*${tab}privmsg${tab}hello from the fake\$"
ok $? "tsv: time, channel, login, display name, kind, text"
admin raw beta "@tmi-sent-ts=1700000000123;display-name=Some\\sOne :someone!someone@someone.tmi.twitch.tv PRIVMSG #beta :tab${tab}in back\\slash" >/dev/null
wait_out a 5 "^2023-11-14T22:13:20\.123Z${tab}beta${tab}someone${tab}Some One${tab}privmsg${tab}tab\\\\tin back\\\\\\\\slash\$"
ok $? "tsv: tmi-sent-ts gives the time; tag unescaped; tab and backslash escaped"
[ -z "$(tail -n +2 "$TEST_TMP/a.out" | awk -F'\t' 'NF != 6')" ]
ok $? "tsv: every line has exactly 6 fields"

# Hostile lines: escapes in the text and in the display-name tag.
admin fault escapes alpha >/dev/null
admin raw alpha "@display-name=${ESC}[31mRED;tmi-sent-ts=1 :evil!evil@evil.tmi.twitch.tv PRIVMSG #alpha :$ESC[2J${ESC}]0;title$(printf '\007')after" >/dev/null
admin say alpha someone marker-after-hostile >/dev/null
wait_out a 5 'marker-after-hostile'
ok $? "tsv: still running after hostile lines"
grep -q 'after$' "$TEST_TMP/a.out"
ok $? "tsv: the hostile line is printed"
! grep -q "$ESC" "$TEST_TMP/a.out" && ! grep -q "$(printf '\007')" "$TEST_TMP/a.out"
ok $? "tsv: no ESC or BEL byte in the output"
tail_signal a INT
tail_wait a 10
ok $? "SIGINT ends it"
[ "$(tail_rc a)" = 0 ]
ok $? "SIGINT: exit status 0"
[ -z "$(tail -c 1 "$TEST_TMP/a.out")" ]
ok $? "SIGINT: output ends with a complete line"
grep -Eq 'events printed' "$TEST_TMP/a.err"
ok $? "SIGINT: a summary on stderr"
grep -q "$ESC" "$TEST_TMP/a.err"
[ $? -ne 0 ]
ok $? "stderr carries no ESC either"
show_tail a >/dev/null

# --count: exits by itself after N events.
tail_start b --server "$WS" --count 3 gamma
wait_out b 10 "${tab}join${tab}"
for i in 1 2 3 4; do admin say gamma someone "count $i" >/dev/null; done
tail_wait b 10
ok $? "--count 3: exits by itself"
[ "$(tail_rc b)" = 0 ] && [ "$(wc -l <"$TEST_TMP/b.out")" -eq 4 ]
ok $? "--count 3: header + 3 events, status 0"
[ "$(wc -l <"$TEST_TMP/b.out")" -eq 4 ] || show_tail b

# --duration: exits after about that long.
start=$(date +%s)
tail_start c --server "$WS" --duration 2 gamma
tail_wait c 15
ok $? "--duration 2: exits by itself"
end=$(date +%s)
[ "$(tail_rc c)" = 0 ] && [ $((end - start)) -ge 2 ]
ok $? "--duration 2: status 0, not before 2 s"

# JSON Lines over wss://, the test CA trusted explicitly.
tail_start d --server "wss://localhost:$FAKE_WSS/" \
    --ca-file "$TEST_TMP/pki/ca.pem" --jsonl --count 4 delta
wait_out d 10 '"kind":"join"'
ok $? "jsonl over wss: joined with the test CA"
admin raw delta "@badges=moderator/1;display-name=Mod;tmi-sent-ts=1700000000123;x-odd=a\\sb\\:c :moduser!moduser@moduser.tmi.twitch.tv PRIVMSG #delta :quote\" back\\ ${ESC}x" >/dev/null
tail_wait d 10
ok $? "jsonl: --count 4 (join, userstate, roomstate, the line) ends it"
line=$(grep '"kind":"privmsg"' "$TEST_TMP/d.out")
case $line in
*'"time":"2023-11-14T22:13:20.123Z"'*'"channel":"delta"'*'"login":"moduser"'*'"display_name":"Mod"'*'"text":"quote\" back\\ \u001bx"'*'"x-odd":"a b;c"'*)
	r=0 ;;
*)	r=1 ;;
esac
ok $r "jsonl: fields, escapes and all tags (unescaped)"
[ $r -eq 0 ] || diag "$line $(cat "$TEST_TMP/d.out" "$TEST_TMP/d.err" 2>/dev/null | head -c 2000)"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$TEST_TMP/d.out"
	ok $? "jsonl: every line is valid JSON"
fi

# No token on the command line, ever.
"$STITCH" tail --token sekrit123 alpha >"$TEST_TMP/e.out" 2>"$TEST_TMP/e.err"
[ $? -eq 2 ] && grep -q STITCH_TOKEN "$TEST_TMP/e.err" &&
    ! grep -q sekrit123 "$TEST_TMP/e.err"
ok $? "--token is refused with a pointer to STITCH_TOKEN, not echoed"
"$STITCH" tail --nick bot oauth:abcdefghijklmnopqrstuvwxyz0123 \
    >"$TEST_TMP/e.out" 2>"$TEST_TMP/e.err"
[ $? -eq 2 ] && ! grep -q abcdefghij "$TEST_TMP/e.err"
ok $? "an oauth: argument is refused, not echoed"
"$STITCH" tail --server "$WS" "bad-name" >"$TEST_TMP/e.out" 2>"$TEST_TMP/e.err"
[ $? -eq 2 ] && grep -q 'not a channel name' "$TEST_TMP/e.err"
ok $? "a bad channel name is a usage error"

done_testing
