# A small Helix stand-in for what fake-twitch does not serve, for the
# rest-*.sh tests: past broadcasts (GET /helix/videos, two pages), and a
# misbehaving chatters list whose every page hands back the same cursor.
# Prints its port, then serves until killed.
import http.server
import json


VIDEOS = [
    [{"id": "v3", "stream_id": "s3", "title": "third\ttab", "type": "archive",
      "created_at": "2026-11-05T18:00:00Z", "duration": "7h", "view_count": 30},
     {"id": "v2", "stream_id": "s2", "title": "second", "type": "archive",
      "created_at": "2026-11-03T18:00:00Z", "duration": "4h30m",
      "view_count": 20}],
    [{"id": "v1", "stream_id": "s1", "title": "first", "type": "archive",
      "created_at": "2026-11-01T18:00:00Z", "duration": "59m59s",
      "view_count": 10}],
]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/helix/users"):
            body = {"data": [{"id": "1", "login": "loop",
                              "created_at": "2020-01-01T00:00:00Z"}]}
        elif self.path.startswith("/helix/videos"):
            page = 1 if "after=p2" in self.path else 0
            body = {"data": VIDEOS[page], "pagination":
                    {"cursor": "p2"} if page == 0 else {}}
        else:
            body = {"data": [{"user_id": "2", "user_login": "again",
                              "user_name": "Again"}],
                    "pagination": {"cursor": "same-cursor"}, "total": 9}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
