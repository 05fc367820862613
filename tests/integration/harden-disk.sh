#!/bin/sh
# A full disk for the file cache and for what stitch writes, simulated
# without root mounts: a file size limit (ulimit -f, RLIMIT_FSIZE) on the
# process, the cache directory on /dev/full, stdout on /dev/full. stitch
# report and stitch tail must go on (the cache off with one warning), or
# end with one clear message where stdout itself is full; never a crash
# or death by SIGXFSZ (exit 153).
. "$top_srcdir/tests/integration/rest-lib.sh"
rest_start --chat-rate 50
WSURL=ws://127.0.0.1:$WS/
# Chat logs are asked for, into a place that cannot hold them.
mkdir -p "$XDG_CONFIG_HOME/stitch"
printf 'log = on\nlog_dir = /dev/full/logs\n' > "$XDG_CONFIG_HOME/stitch/config"

# limited NAME BLOCKS CMD...: CMD under ulimit -f BLOCKS, its stdout
# through a pipe to a reader with no limit (so only what stitch writes
# itself, the cache, meets the limit); status to NAME.rc.
limited() {
	_n=$1 _b=$2
	shift 2
	(ulimit -f "$_b" && "$@" 2> "$TEST_TMP/$_n.err"; echo $? > "$TEST_TMP/$_n.rc") |
	    cat > "$TEST_TMP/$_n.out"
}
warnings() { grep -c 'caching is off' "$TEST_TMP/$1.err"; }
report() {
	STITCH_TOKEN=tok-alice timeout 60 "$STITCH" report --helix "$BASE" "$@"
}
# tail_run NAME BLOCKS OUT [SEEN]: stitch tail in the three channels under
# ulimit -f BLOCKS, stdout to OUT, stderr to NAME.err; once it is in and
# has had a moment of chat (SEEN, the file OUT's bytes land in, past 4 KiB;
# else 2 s), SIGINT; the status in NAME.rc. Bounded: 30 s to log in, 10 s
# for the chat, and timeout(1) past 60 s.
tail_run() {
	_n=$1 _b=$2 _o=$3 _seen=$4
	rm -f "$TEST_TMP/$_n.pid"
	sh -c 'ulimit -f "$1" && echo $$ > "$2" && shift 2 && exec "$@"' sh \
	    "$_b" "$TEST_TMP/$_n.pid" timeout -s KILL 60 "$STITCH" tail \
	    --server "$WSURL" alice bob carol > "$_o" 2> "$TEST_TMP/$_n.err" &
	_p=$!
	wait_for 30 grep -q 'ready, 3 channels' "$TEST_TMP/$_n.err"
	if [ -n "$_seen" ]; then
		wait_for 10 sh -c "[ \$(wc -c < '$_seen') -gt 4096 ]"
	else
		sleep 2
	fi
	# timeout(1) exec'd in place of sh: it hands SIGINT to stitch.
	kill -INT "$(cat "$TEST_TMP/$_n.pid")"
	wait "$_p"
	echo $? > "$TEST_TMP/$_n.rc"
}

# The cache's files meet a 4 KiB limit: the 2504 chatters (three pages
# and a lookup, each worth caching) come out whole, one warning.
limited full 8 report chatters alice
[ "$(rc_of full)" = 0 ] && [ "$(rows full)" = 2504 ]
ok $? "cache past the file size limit: all 2504 chatters, exit 0 (rc $(rc_of full))"
[ "$(warnings full)" = 1 ]
ok $? "cache past the file size limit: the warning is printed once ($(warnings full))"
grep -q 'File too large' "$TEST_TMP/full.err"
ok $? "the warning says why"
! find "$XDG_CACHE_HOME" -name '.tmp-*' | grep -q .
ok $? "no half-written temporary file is left in the cache"
limited again 8 report chatters alice
[ "$(rc_of again)" = 0 ] && [ "$(rows again)" = 2504 ] &&
    cmp -s "$TEST_TMP/full.out" "$TEST_TMP/again.out"
ok $? "a second run on the same full cache: the same answer"

# The cache directory is /dev/full itself (a file, not a directory).
XDG_CACHE_HOME=/dev/full report chatters alice > "$TEST_TMP/dev.out" \
    2> "$TEST_TMP/dev.err"
echo $? > "$TEST_TMP/dev.rc"
[ "$(rc_of dev)" = 0 ] && [ "$(rows dev)" = 2504 ] &&
    [ "$(grep -c cache "$TEST_TMP/dev.err")" = 1 ]
ok $? "cache directory on /dev/full: complete report, one cache warning"

# stdout itself is full: one clear message, a failure status, no crash.
report chatters alice > /dev/full 2> "$TEST_TMP/rfull.err"
rc=$?
[ "$rc" = 1 ] && grep -q 'writing to stdout: No space left' "$TEST_TMP/rfull.err"
ok $? "report to /dev/full: 'No space left', exit 1 (rc $rc)"
export STITCH_TOKEN=tok-alice
(ulimit -f 8 && exec "$STITCH" report --helix "$BASE" -c none chatters alice \
    > "$TEST_TMP/rbig.out" 2> "$TEST_TMP/rbig.err")
rc=$?
unset STITCH_TOKEN
[ "$rc" = 1 ] && grep -q 'writing to stdout: File too large' "$TEST_TMP/rbig.err"
ok $? "report into a file past the size limit: 'File too large', exit 1, not SIGXFSZ (rc $rc)"

# stitch tail with chat flowing, the cache and the chat logs unwritable:
# it keeps printing far past the limit and ends cleanly on SIGINT.
mkfifo "$TEST_TMP/tail.fifo"
cat "$TEST_TMP/tail.fifo" > "$TEST_TMP/tail.out" &
tail_run tail 8 "$TEST_TMP/tail.fifo" "$TEST_TMP/tail.out"
[ "$(rc_of tail)" = 0 ] && [ "$(wc -c < "$TEST_TMP/tail.out")" -gt 4096 ] &&
    grep -q 'privmsg' "$TEST_TMP/tail.out"
ok $? "tail under the size limit: chat printed past 4 KiB, SIGINT exit 0 (rc $(rc_of tail))"
grep -q 'events printed' "$TEST_TMP/tail.err"
ok $? "tail under the size limit: its summary at the end"
tail_run tfull unlimited /dev/full
[ "$(rc_of tfull)" = 1 ] && [ "$(grep -c 'writing to stdout' "$TEST_TMP/tfull.err")" = 1 ] &&
    grep -q 'No space left' "$TEST_TMP/tfull.err"
ok $? "tail to /dev/full: one 'No space left' message, exit 1 (rc $(rc_of tfull))"
tail_run tbig 8 "$TEST_TMP/tbig.out"
[ "$(rc_of tbig)" = 1 ] && grep -q 'writing to stdout: File too large' "$TEST_TMP/tbig.err"
ok $? "tail into a file past the size limit: 'File too large', exit 1, not SIGXFSZ (rc $(rc_of tbig))"

no_token
ok $? "no token in any output or message"
fake_stop
done_testing
