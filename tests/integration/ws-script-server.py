#!/usr/bin/env python3
"""ws-script-server: a WebSocket server on 127.0.0.1 that plays one scripted
scenario to every client, for net-wsproto.sh. It prints its port to
PORTFILE, logs what clients sent to LOG ("pong PAYLOAD", "close CODE",
"line TEXT") and exits after LIFETIME seconds at most.

    ws-script-server.py SCENARIO PORTFILE LOG [LIFETIME]

Scenarios:
  chat     101, 001 after NICK, a PRIVMSG in three fragments split across
           TCP writes (mid-header too) with a ping between two of them,
           then a close frame 4000 "bye" once the pong came
  masked   101, then a masked text frame (servers must not mask)
  http404  a 404 answer instead of the upgrade
  pingflood  101, then 40000 pings of 125 bytes without reading, a last
           one "last", then reads: logs "pongs N last PAYLOAD"
  closeopen  101, 001 and 376 after NICK, the JOIN echoed, a close frame 1000, then 3 s more of
           reading with TCP open: logs "close CODE", "after-close TEXT"
"""
import base64, hashlib, os, socket, struct, sys, time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(op, payload, fin=True, mask=None):
    b0 = (0x80 if fin else 0) | op
    n = len(payload)
    m = 0x80 if mask else 0
    if n < 126:
        h = bytes([b0, m | n])
    elif n < 65536:
        h = bytes([b0, m | 126]) + struct.pack(">H", n)
    else:
        h = bytes([b0, m | 127]) + struct.pack(">Q", n)
    if mask:
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        h += mask
    return h + payload


class Client:
    def __init__(self, sock, log):
        self.s, self.log, self.buf = sock, log, b""

    def read_frame(self):
        """One client frame, unmasked: (op, payload), or None at EOF."""
        while True:
            b = self.buf
            if len(b) >= 2:
                n, off = b[1] & 0x7F, 2
                if n == 126 and len(b) >= 4:
                    n, off = struct.unpack(">H", b[2:4])[0], 4
                elif n == 127 and len(b) >= 10:
                    n, off = struct.unpack(">Q", b[2:10])[0], 10
                if n < 126 or off > 2:
                    if len(b) >= off + 4 + n:
                        mask = b[off:off + 4]
                        p = bytes(c ^ mask[i % 4] for i, c in
                                  enumerate(b[off + 4:off + 4 + n]))
                        self.buf = b[off + 4 + n:]
                        if not b[1] & 0x80:
                            self.log.write("unmasked client frame\n")
                        return b[0] & 0x0F, p
            d = self.s.recv(65536)
            if not d:
                return None
            self.buf += d

    def handshake(self, answer=True):
        while b"\r\n\r\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                return False
            self.buf += d
        req, self.buf = self.buf.split(b"\r\n\r\n", 1)
        key = b""
        for l in req.split(b"\r\n"):
            if l.lower().startswith(b"sec-websocket-key:"):
                key = l.split(b":", 1)[1].strip()
        if not answer:
            return True
        acc = base64.b64encode(hashlib.sha1(key + GUID).digest())
        self.s.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: "
                       b"websocket\r\nConnection: Upgrade\r\n"
                       b"Sec-WebSocket-Accept: " + acc + b"\r\n\r\n")
        return True


def chat(c, log):
    if not c.handshake():
        return
    while True:			# the login: answer NICK with 001
        f = c.read_frame()
        if f is None:
            return
        if f[0] == 1:
            for l in f[1].decode("utf-8", "replace").split("\r\n"):
                if l:
                    log.write("line %s\n" % l.split(" ")[0])
            if b"NICK " in f[1]:
                break
    c.s.sendall(frame(1, b":tmi.twitch.tv 001 justinfan1 :Welcome\r\n"))
    msg = b":someone!someone@someone.tmi.twitch.tv PRIVMSG #alpha :hello " \
          b"split world\r\n"
    parts = [frame(1, msg[:20], fin=False), frame(0, msg[20:40], fin=False),
             frame(9, b"are-you-there"), frame(0, msg[40:], fin=True)]
    wire = b"".join(parts)
    # Cut the byte stream at awkward places: inside headers, inside
    # payloads.
    for a, b in ((0, 1), (1, 7), (7, 23), (23, 24), (24, 50), (50, None)):
        c.s.sendall(wire[a:b])
        time.sleep(0.05)
    while True:
        f = c.read_frame()
        if f is None:
            return
        if f[0] == 0xA:
            log.write("pong %s\n" % f[1].decode("utf-8", "replace"))
            break
    c.s.sendall(frame(8, struct.pack(">H", 4000) + b"bye"))
    while True:
        f = c.read_frame()
        if f is None:
            return
        if f[0] == 8:
            code = struct.unpack(">H", f[1][:2])[0] if len(f[1]) >= 2 \
                else 1005
            log.write("close %d\n" % code)
            return


def login(c, log):
    """Read frames up to the NICK, answer 001; False at EOF."""
    while True:
        f = c.read_frame()
        if f is None:
            return False
        if f[0] == 1 and b"NICK " in f[1]:
            c.s.sendall(frame(1, b":tmi.twitch.tv 001 someone :Welcome\r\n"
                              b":tmi.twitch.tv 376 someone :>\r\n"))
            return True


def joined(c, log):
    """Read frames up to a JOIN, echo it; False at EOF."""
    while True:
        f = c.read_frame()
        if f is None:
            return False
        if f[0] == 1 and f[1].startswith(b"JOIN "):
            ch = f[1].split()[1]
            c.s.sendall(frame(1, b":someone!someone@someone.tmi.twitch.tv "
                              b"JOIN " + ch + b"\r\n@mod=0 :tmi.twitch.tv "
                              b"USERSTATE " + ch + b"\r\n:tmi.twitch.tv "
                              b"ROOMSTATE " + ch + b"\r\n"))
            return True


def pingflood(c, log):
    if not c.handshake():
        return
    for i in range(40000):
        c.s.sendall(frame(9, b"%-125d" % i))
    c.s.sendall(frame(9, b"last"))
    log.write("pinged\n")
    time.sleep(1)
    n, last = 0, b""
    c.s.settimeout(2)
    try:
        while True:
            f = c.read_frame()
            if f is None:
                break
            if f[0] == 0xA:
                n, last = n + 1, f[1]
                if last == b"last":
                    break
    except socket.timeout:
        pass
    log.write("pongs %d last %s\n" % (n, last.decode().strip()))


def closeopen(c, log):
    if not c.handshake() or not login(c, log) or not joined(c, log):
        return
    time.sleep(0.5)
    c.s.sendall(frame(8, struct.pack(">H", 1000) + b"going"))
    end = time.time() + 3
    c.s.settimeout(0.2)
    while time.time() < end:
        try:
            f = c.read_frame()
        except socket.timeout:
            continue
        if f is None:
            return
        if f[0] == 8:
            log.write("close %d\n" % struct.unpack(">H", f[1][:2])[0])
        elif f[0] == 1:
            log.write("after-close %s\n" % f[1].decode("utf-8", "replace")
                      .strip())


def masked(c, log):
    if c.handshake():
        c.s.sendall(frame(1, b"PING :x\r\n", mask=b"\x01\x02\x03\x04"))
        time.sleep(0.5)


def http404(c, log):
    if c.handshake(answer=False):
        c.s.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


def main():
    scenario, portfile, logpath = sys.argv[1:4]
    lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 20
    play = {"chat": chat, "masked": masked, "http404": http404,
            "pingflood": pingflood, "closeopen": closeopen}[scenario]
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    end = time.time() + lifetime
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    log = open(logpath, "a", buffering=1)
    while time.time() < end:
        ls.settimeout(max(0.1, end - time.time()))
        try:
            s, _ = ls.accept()
        except socket.timeout:
            break
        s.settimeout(max(0.1, end - time.time()))
        try:
            play(Client(s, log), log)
        except (OSError, socket.timeout):
            pass
        s.close()


if __name__ == "__main__":
    main()
