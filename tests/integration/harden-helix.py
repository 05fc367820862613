#!/usr/bin/env python3
# harden-helix.py: a Helix that misbehaves in the ways fake-twitch cannot,
# for harden-helix.sh. The first path segment picks the trouble:
#   /trickle/helix/...  headers at once, then the body a byte a second
#   /huge/helix/...     a 200 whose body never ends (past any size cap)
#   /hostile/helix/...  valid JSON whose strings carry terminal escapes
#   /deep/helix/...     JSON nested far deeper than any reply
# Listens on 127.0.0.1, writes its port to argv[1], appends "MODE PATH" to
# argv[2] for each request (so the test can count retries), and exits by
# itself after argv[3] seconds (default 240).
import http.server
import sys
import threading
import time

PORT_FILE, LOG_FILE = sys.argv[1], sys.argv[2]
LIFETIME = float(sys.argv[3]) if len(sys.argv) > 3 else 240.0
log_lock = threading.Lock()

ESC = "\\u001b"
BEL = "\\u0007"
HOSTILE_USER = (
    '{"data":[{"id":"1001","login":"alice",'
    '"display_name":"' + ESC + ']0;pwned' + BEL + 'Al' + ESC + '[2Jice",'
    '"type":"","broadcaster_type":"' + ESC + '[31mpartner",'
    '"description":"' + ESC + ']52;c;aGVsbG8=' + BEL + 'hi\\r\\nthere",'
    '"profile_image_url":"","offline_image_url":"","view_count":0,'
    '"created_at":"2016-03-01T10:00:00Z"}]}'
)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        mode = self.path.split("/")[1] if self.path.count("/") > 1 else ""
        with log_lock, open(LOG_FILE, "a") as f:
            f.write("%s %s\n" % (mode, self.path))
        try:
            getattr(self, "mode_" + mode, self.mode_unknown)()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def head(self, length=None):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if length is None:
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.flush()

    def mode_trickle(self):
        body = b'{"data":[' + b" " * 4000 + b"]}"
        self.head(len(body))
        for b in body:
            self.wfile.write(bytes([b]))
            self.wfile.flush()
            time.sleep(1)

    def mode_huge(self):
        self.head()
        chunk = b'{"data":[' + b'{"id":"1","login":"x"},' * 4000
        while True:
            self.wfile.write(chunk)

    def mode_hostile(self):
        body = HOSTILE_USER.encode()
        self.head(len(body))
        self.wfile.write(body)

    def mode_deep(self):
        body = b'{"data":' + b"[" * 200000 + b"]" * 200000 + b"}"
        self.head(len(body))
        self.wfile.write(body)

    def mode_unknown(self):
        self.send_error(404)


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(PORT_FILE + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    import os
    os.rename(PORT_FILE + ".tmp", PORT_FILE)
    threading.Timer(LIFETIME, srv.shutdown).start()
    srv.serve_forever()


main()
