#!/usr/bin/env python3
# Writes the seed corpus of fuzz-cache (tests/fuzz/corpus/cache): entries
# in the format of src/cache-int.h, sound ones and each way of being bad.
# Run from the top of the tree; the output is committed.
import os
import struct
import zlib

KEY = bytes.fromhex(
    "61c0e5fa3526a9258d7a596c96beda1979c9748351f108b65bdbeb66027a32ac")
OUT = "tests/fuzz/corpus/cache"


def entry(val, expires=4102444800, key=KEY, magic=b"stCh", version=1,
          raw=None, crc=None, stream=None):
    raw = len(val) if raw is None else raw
    crc = zlib.crc32(val) if crc is None else crc
    stream = zlib.compress(val) if stream is None else stream
    hdr = magic + bytes([version, 0, 0, 0]) + struct.pack(
        ">QII", expires, raw, crc) + key
    return hdr + stream


helix = b'{"data":[{"id":"141981764","login":"twitchdev"}],"pagination":{}}'
good = entry(helix)
seeds = {
    "good": good,
    "empty-value": entry(b""),
    "binary-value": entry(bytes(range(256))),
    "expired": entry(helix, expires=999),
    "other-key": entry(helix, key=bytes(32)),
    "truncated": good[: len(good) // 2],
    "header-only": good[:56],
    "bad-magic": entry(helix, magic=b"STCH"),
    "bad-version": entry(helix, version=2),
    "huge-length": entry(helix, raw=0xFFFFFFFF),
    "short-length": entry(helix, raw=len(helix) - 1),
    "bad-crc": entry(helix, crc=0),
    "padded-stream": good + b"\0\0\0\0",
    "raw-stream": entry(helix, stream=helix),
    "bomb": entry(b"a" * 100, raw=100, stream=zlib.compress(b"a" * 1000000)),
    "json": helix,
}
os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
