#!/usr/bin/env python3
# auth-stub.py: a stand-in for /oauth2, for auth-stub.sh, saying what
# fake-twitch never does on purpose. MODE (argv[3]):
#   slowdown       slow_down to the first poll, authorization_pending to
#                  the second, a token to the third (fake-twitch only says
#                  slow_down to a client that polls too fast, which stitch
#                  never does)
#   hostile-code   a user code with terminal escapes in it
#   hostile-error  a poll refused with a message holding escapes and the
#                  device code it was sent
# Listens on 127.0.0.1, writes its port to argv[1], logs "poll N SECONDS"
# (monotonic) to argv[2], and exits by itself after 60 s.
import http.server
import json
import os
import sys
import threading
import time

PORT_FILE, LOG_FILE, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
DEVICE_CODE = "slow-device-code-0123456789"
polls = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global polls
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/oauth2/device":
            code = "SLOW\x1b[2J\x1b]0;pwned\x07" if MODE == "hostile-code" \
                else "SLOWCODE"
            self.reply(200, {"device_code": DEVICE_CODE,
                             "user_code": code, "interval": 1,
                             "expires_in": 120, "verification_uri":
                             "https://www.twitch.tv/activate"})
        elif self.path == "/oauth2/token":
            polls += 1
            with open(LOG_FILE, "a") as f:
                f.write("poll %d %.3f\n" % (polls, time.monotonic()))
            if MODE == "hostile-error":
                self.reply(400, {"status": 400, "message":
                                 "\x1b]0;pwned\x07\x1b[31m bad " +
                                 DEVICE_CODE})
            elif polls == 1:
                self.reply(400, {"status": 400, "message": "slow_down"})
            elif polls == 2:
                self.reply(400, {"status": 400,
                                 "message": "authorization_pending"})
            else:
                self.reply(200, {"access_token": "slowpoke-access-token-0001",
                                 "refresh_token": "slowpoke-refresh-token-01",
                                 "expires_in": 3600, "scope": ["chat:read"],
                                 "token_type": "bearer"})
        else:
            self.reply(404, {"status": 404, "message": "not found"})

    def do_GET(self):
        if self.path == "/oauth2/validate":
            self.reply(200, {"client_id": "stitch-test-client",
                             "login": "slowpoke", "user_id": "4242",
                             "scopes": ["chat:read"], "expires_in": 3600})
        else:
            self.reply(404, {"status": 404, "message": "not found"})

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
threading.Timer(60, server.shutdown).start()
with open(PORT_FILE + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
