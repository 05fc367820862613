# Shared helpers for the shell tests (TAP). Source it; it never hangs:
# every wait takes a time-out, and whatever a test starts is stopped on exit.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
tap_n=0
tap_failed=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/stitch-test.XXXXXX")
_cleanup_cmds=""

ok() {		# ok COND-EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

diag() { printf '# %s\n' "$@"; }

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

on_exit() { _cleanup_cmds="$1; $_cleanup_cmds"; }

_finish() {
	eval "$_cleanup_cmds" 2>/dev/null
	rm -rf "$TEST_TMP"
}
trap _finish EXIT
trap 'exit 1' INT TERM

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds; 1 on time-out.
wait_for() {
	_limit=$(( $1 * 10 )); shift
	_i=0
	while [ "$_i" -lt "$_limit" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
