# ui-lib.sh: helpers for the tmux tests of the terminal UI. Source it after
# tests/lib.sh. Every stitch runs in its own session on a private tmux
# server (killed on exit), with HOME and the XDG directories in the test's
# temporary directory, so nothing of the user's leaks in or out.

STITCH="$top_builddir/stitch"
FAKE="$top_builddir/tests/fake-twitch/fake-twitch"
: "${TMUX_BIN:=$(command -v tmux || true)}"
[ -n "$TMUX_BIN" ] && [ -x "$TMUX_BIN" ] || skip_all "tmux is not installed"
[ -x "$STITCH" ] || skip_all "stitch is not built"

UI_SOCK="stitch-test-$$"
tm() { "$TMUX_BIN" -L "$UI_SOCK" -f /dev/null "$@"; }
on_exit 'tm kill-server'

UI_HOME="$TEST_TMP/home"
mkdir -p "$UI_HOME/config/stitch" "$UI_HOME/state" "$UI_HOME/data"

# The environment every stitch runs with (no token unless a test gives one).
ui_env() {
	printf 'env -i PATH=%s HOME=%s XDG_CONFIG_HOME=%s XDG_STATE_HOME=%s XDG_DATA_HOME=%s TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 STITCH_THEMES_DIR=%s/themes' \
	    "$PATH" "$UI_HOME" "$UI_HOME/config" "$UI_HOME/state" \
	    "$UI_HOME/data" "$top_srcdir"
}

# ui_start NAME WIDTH HEIGHT [ENV=VALUE...] -- STITCH-ARGS...: run stitch in
# a detached session. When stitch exits, the pane prints EXITED=status.
ui_start() {
	_name=$1 _w=$2 _h=$3
	shift 3
	_envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_envs="$_envs $1"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	tm new-session -d -s "$_name" -x "$_w" -y "$_h" \
	    "$(ui_env)$_envs $STITCH $* 2>>$TEST_TMP/$_name.err; echo EXITED=\$?; sleep 600"
}

# What a person sees in session NAME (plain text, or with -e escapes).
ui_screen() { tm capture-pane -p -t "$1"; }
ui_screen_e() { tm capture-pane -p -e -t "$1"; }
ui_has() { ui_screen "$1" | grep -F -q -- "$2"; }
ui_lacks() { ! ui_has "$1" "$2"; }
# ui_wait NAME TEXT [SECONDS]: until TEXT shows; dumps the screen if not.
ui_wait() {
	if wait_for "${3:-10}" ui_has "$1" "$2"; then
		return 0
	fi
	diag "timed out waiting for '$2' in $1; the screen was:"
	ui_screen "$1" | sed 's/^/#   | /'
	return 1
}
ui_keys() { _n=$1; shift; tm send-keys -t "$_n" "$@"; }
# The stitch process of session NAME (a child of the pane's shell).
ui_pid() { pgrep -P "$(tm display -p -t "$1" '#{pane_pid}')" -x stitch | head -n 1; }
# ui_maps_has NAME LIBRARY: stitch in NAME has that library loaded.
ui_maps_has() {
	_p=$(ui_pid "$1")
	[ -n "$_p" ] && grep -q -F "/$2" "/proc/$_p/maps"
}
# Type a line literally and press Enter.
ui_type() { tm send-keys -t "$1" -l -- "$2"; tm send-keys -t "$1" Enter; }

# fake_start SEED [ARGS...]: start fake-twitch; sets FAKE_CHAT_WS, FAKE_IRC
# and FAKE_ADMIN. Skips the test when the fake is not built.
fake_start() {
	[ -x "$FAKE" ] || skip_all "fake-twitch is not built"
	_seed=$1
	shift
	"$FAKE" --seed "$_seed" --port-file "$TEST_TMP/ports" \
	    --max-lifetime 300 "$@" 2>"$TEST_TMP/fake.err" &
	FAKE_PID=$!
	on_exit "kill $FAKE_PID"
	if ! wait_for 10 test -s "$TEST_TMP/ports"; then
		diag "fake-twitch did not start:"
		sed 's/^/#   /' "$TEST_TMP/fake.err"
		return 1
	fi
	FAKE_CHAT_WS=$(sed -n 's/^chat_ws=//p' "$TEST_TMP/ports")
	FAKE_IRC=$(sed -n 's/^irc=//p' "$TEST_TMP/ports")
	FAKE_ADMIN=$(sed -n 's/^admin=//p' "$TEST_TMP/ports")
	FAKE_URL="ws://127.0.0.1:$FAKE_CHAT_WS"
}

# admin LINE: one command on the fake's admin port; prints the reply lines
# up to the first "ok ..." or "err ..." (5 s at most).
admin() {
	bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
		printf "%s\n" "$1" >&3
		while IFS= read -r -t 5 l <&3; do
			l=${l%$(printf "\r")}
			printf "%s\n" "$l"
			case $l in ok*|err*) break ;; esac
		done' "$FAKE_ADMIN" "$*"
}
