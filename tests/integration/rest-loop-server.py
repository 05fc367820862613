# A Helix stand-in that misbehaves: every chatters page hands back the
# same cursor, as a broken or hostile server might. For rest-calls.sh.
# Prints its port, then serves until killed.
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/helix/users"):
            body = {"data": [{"id": "1", "login": "loop"}]}
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
