# Shared by the fake-chat-*.sh tests: start fake-twitch on 127.0.0.1 with
# its own port file, talk to it with ftclient, drive it on the admin port.
# Source after setting nothing; it sources tests/lib.sh.
. "$top_srcdir/tests/lib.sh"

FAKE=$top_builddir/tests/fake-twitch/fake-twitch
FTC=$top_builddir/tests/fake-twitch/ftclient
SEED=$top_srcdir/tests/data/seed-chat-min.json
[ -x "$FAKE" ] && [ -x "$FTC" ] || skip_all "fake-twitch or ftclient not built"

# fake_start [FLAGS...]: start the fake; sets WS IRC HTTP ADMIN (and WSS
# HTTPS with --tls).
fake_start() {
	rm -f "$TEST_TMP/ports"
	"$FAKE" --seed "$SEED" --port-file "$TEST_TMP/ports" \
	    --max-lifetime 300 "$@" 2>>"$TEST_TMP/fake.log" &
	FAKE_PID=$!
	on_exit "kill $FAKE_PID"
	if ! wait_for 10 test -s "$TEST_TMP/ports"; then
		diag "fake-twitch did not write its port file"
		sed 's/^/# /' "$TEST_TMP/fake.log"
		exit 1
	fi
	WS=$(sed -n 's/^chat_ws=//p' "$TEST_TMP/ports")
	WSS=$(sed -n 's/^chat_wss=//p' "$TEST_TMP/ports")
	IRC=$(sed -n 's/^irc=//p' "$TEST_TMP/ports")
	HTTP=$(sed -n 's/^http=//p' "$TEST_TMP/ports")
	HTTPS=$(sed -n 's/^https=//p' "$TEST_TMP/ports")
	ADMIN=$(sed -n 's/^admin=//p' "$TEST_TMP/ports")
}

# admin COMMAND...: one command on the admin port; prints the reply lines.
admin() {
	"$FTC" --timeout 10 --send "$*" --until '^ok' --until '^err' \
	    "irc://127.0.0.1:$ADMIN" | grep -v '^#'
}

# ftc ARGS...: ftclient with a 5 s bound unless the test gives --timeout.
ftc() {
	"$FTC" --timeout 10 "$@"
}

# has FILE TEXT: FILE has a line containing TEXT (fixed string).
has() {
	grep -F -q -e "$2" "$1"
}

# stat_of KEY-PREFIX: the "stat" line starting with it (e.g. account=dave).
stat_of() {
	admin stats | grep "^stat $1"
}

# fake_stop: send SIGTERM and wait (bounded) for a clean exit.
fake_stop() {
	kill "$FAKE_PID" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $FAKE_PID 2>/dev/null"
}
