#!/bin/sh
# The offline demo: placeholder until fake-twitch and the UI land.
echo "stitch demo: the bundled fake Twitch server is not built yet."
./stitch --version
