#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Sends 200 malformed Varlink messages, each on its own connection, while a well-formed client
stays connected and keeps asking for the status. Each bad message must get a Varlink error or a
disconnect; the good client must get every answer."""
import json
import random
import socket
import sys

path = sys.argv[1]
rng = random.Random(2026)


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    return s


def read_message(s):
    buf = b""
    while not buf.endswith(b"\0"):
        chunk = s.recv(65536)
        if not chunk:
            return None
        buf += chunk
    return json.loads(buf[:-1])


def call(s, method, params=None):
    msg = {"method": method}
    if params is not None:
        msg["parameters"] = params
    s.sendall(json.dumps(msg).encode() + b"\0")
    return read_message(s)


BIG = b'{"method":"io.dutyd.Duty.Status","parameters":{"x":"' + b"A" * (2 * 1024 * 1024) + b'"}}\0'

malformed = [
    (b"{not json\0", "disconnect"),
    (b"[]\0", "disconnect"),
    (b'"just a string"\0', "disconnect"),
    (b"{}\0", "disconnect"),
    (b'{"parameters":{}}\0', "disconnect"),
    (b'{"method":42}\0', "disconnect"),
    (b'{"method":"io.dutyd.Duty.Status","parameters":[]}\0', "either"),
    (b'{"method":"io.dutyd.Duty.NoSuchMethod"}\0', "org.varlink.service.MethodNotFound"),
    (b'{"method":"com.example.Nothing.Here"}\0', "org.varlink.service.InterfaceNotFound"),
    (b'{"method":"io.dutyd.Duty.ListPeople","parameters":{"role":5}}\0', "org.varlink.service.InvalidParameter"),
    (b'{"method":"io.dutyd.Duty.ListPeople","parameters":{"bogus":"x"}}\0', "org.varlink.service.InvalidParameter"),
    (b'{"method":"io.dutyd.Duty.Status","parameters":{"a":1}}\0', "org.varlink.service.InvalidParameter"),
    (b'{"method":"org.varlink.service.GetInterfaceDescription","parameters":{"interface":7}}\0',
     "org.varlink.service.InvalidParameter"),
    (b'{"method":"org.varlink.service.GetInterfaceDescription","parameters":{"interface":"x.y"}}\0',
     "org.varlink.service.InterfaceNotFound"),
    (b"\xff\xfe\xfd\0", "disconnect"),
    (BIG, "disconnect"),
    (b'{"method":"io.dutyd.Duty.Status"', "half"),
]

good = connect()
assert "version" in call(good, "io.dutyd.Duty.Status")["parameters"], "good client: no status"

counts = {"error": 0, "disconnect": 0}
for i in range(200):
    data, expect = malformed[i % len(malformed)] if i < 150 else rng.choice(malformed)
    s = connect()
    try:
        if expect == "half":
            s.sendall(data)
            s.close()
            counts["disconnect"] += 1
        else:
            try:
                s.sendall(data)
                reply = read_message(s)
            except (BrokenPipeError, ConnectionResetError):
                reply = None
            if reply is None:
                assert expect in ("disconnect", "either"), "message %d: disconnected, expected %s" % (i, expect)
                counts["disconnect"] += 1
            else:
                err = reply.get("error")
                assert err, "message %d: no error in %r" % (i, reply)
                if expect not in ("either",):
                    assert err == expect, "message %d: got %s, expected %s" % (i, err, expect)
                if err == "org.varlink.service.InvalidParameter":
                    assert reply.get("parameters", {}).get("parameter"), "InvalidParameter names no parameter"
                counts["error"] += 1
    finally:
        s.close()
    # The well-formed client keeps getting answers all along.
    r = call(good, "io.dutyd.Duty.Status")
    assert r and "parameters" in r and "version" in r["parameters"], "good client lost its answer at %d" % i

print("malformed: %d errors, %d disconnects; good client answered 201 times" % (counts["error"], counts["disconnect"]))
