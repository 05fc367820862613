#!/bin/sh
# The offline demo: the bundled fake Twitch server simulates chat in a few
# seeded channels and stitch opens on them in a grid. No network, no
# account, and nothing of yours is touched (config, layout and logs live
# in a temporary directory). Leave with /quit or Ctrl+C twice.
#
#   sh tests/demo.sh                  (./bootstrap demo builds, then runs this)
#   DEMO_RATE=200 sh tests/demo.sh    busier chat (lines a second, in all)
#   DEMO_CHANNELS="a b" sh tests/demo.sh
#   DEMO_ANONYMOUS=1 sh tests/demo.sh  read-only, as stitch is with no account
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
stitch="$build/stitch"
fake="$build/tests/fake-twitch/fake-twitch"
seed="$top/tests/data/seed-demo.json"
[ -f "$seed" ] || seed="$top/tests/data/seed-chat-min.json"
rate=${DEMO_RATE:-30}

for f in "$stitch" "$fake"; do
	if [ ! -x "$f" ]; then
		echo "demo: $f is not built; run ./bootstrap demo" >&2
		exit 1
	fi
done
if [ ! -f "$seed" ]; then
	echo "demo: $seed is missing" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stitch-demo.XXXXXX")
fake_pid=""
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
	[ -n "$fake_pid" ] && wait "$fake_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The seeded channels: every "broadcaster" in the seed.
channels=${DEMO_CHANNELS:-$(grep -o '"broadcaster"[ ]*:[ ]*"[a-z0-9_]*"' "$seed" |
	sed 's/.*"\([a-z0-9_]*\)"$/\1/' | head -n 9 | tr '\n' ' ')}
if [ -z "$channels" ]; then
	echo "demo: no channels found in $seed" >&2
	exit 1
fi

# In its own session: Ctrl+C in the terminal is for stitch, not the fake.
setsid=$(command -v setsid || true)
$setsid "$fake" --seed "$seed" --port-file "$tmp/ports" --chat-rate "$rate" \
    --max-lifetime 3600 2>"$tmp/fake.log" &
fake_pid=$!
i=0
while [ ! -s "$tmp/ports" ]; do
	i=$((i + 1))
	if [ "$i" -gt 100 ] || ! kill -0 "$fake_pid" 2>/dev/null; then
		echo "demo: the fake server did not start:" >&2
		cat "$tmp/fake.log" >&2
		exit 1
	fi
	sleep 0.1
done
port=$(sed -n 's/^chat_ws=//p' "$tmp/ports")
http=$(sed -n 's/^http=//p' "$tmp/ports")

mkdir -p "$tmp/config/stitch" "$tmp/state" "$tmp/data" "$tmp/cache"
# The demo's own config: no logs, Helix and OAuth on the fake too. With a
# seeded demo account (the fake's moderator "modmarta", unless
# DEMO_ANONYMOUS=1) the side panels (F2, F3, F4) fill from Helix, lines
# can be typed, and the moderation commands work, all against the fake.
cat > "$tmp/config/stitch/config" <<EOF
log = off
layout = grid
helix_url = http://127.0.0.1:$http/helix
oauth_url = http://127.0.0.1:$http/oauth2
client_id = stitch-test-client
EOF
token=""
if [ -z "${DEMO_ANONYMOUS:-}" ] && grep -q '"demo-mod-token"' "$seed"; then
	printf 'nick = modmarta\n' >> "$tmp/config/stitch/config"
	token=demo-mod-token
fi

echo "demo: simulated chat in: $channels" >&2
# Not exec: the trap must stop the fake when stitch exits. Ctrl+C belongs
# to stitch (twice quits), so this shell only notes it (a caught signal is
# reset to the default in the child, an ignored one would not be).
trap : INT
# shellcheck disable=SC2086
env -u STITCH_TOKEN ${token:+STITCH_TOKEN=$token} \
    XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
    XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" \
    STITCH_THEMES_DIR="$top/themes" \
    "$stitch" --server "ws://127.0.0.1:$port" --layout grid $channels
