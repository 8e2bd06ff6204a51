#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Guests refused over and over (105-guest-refusals.sh).

  guest-refusals.py SOCKET FIRST_UID N_UIDS CALLS

Runs as root; for each uid FIRST_UID … FIRST_UID + N_UIDS - 1 in turn, a child takes that uid
(and the socket's group, root's) and makes CALLS SensitiveAdd calls on one connection, each answered
before the next is sent. Exits 1 unless every answer is PermissionDenied.
"""
import json
import os
import socket
import sys

sock_path, first_uid, n_uids, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
CALL = json.dumps({"method": "io.dutyd.Duty.SensitiveAdd",
                   "parameters": {"name": "检查", "from": "2026-04-01", "to": "2026-04-02"}}).encode() + b"\0"


def refused_calls(uid):
    os.setgroups([0])
    os.setgid(uid)
    os.setuid(uid)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    buf = b""
    for _ in range(calls):
        s.sendall(CALL)
        while b"\0" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                print("uid %d: dutyd closed the connection" % uid, file=sys.stderr)
                return 1
            buf += chunk
        reply, buf = buf.split(b"\0", 1)
        error = json.loads(reply).get("error")
        if error != "io.dutyd.Duty.PermissionDenied":
            print("uid %d: expected PermissionDenied, got %r" % (uid, error), file=sys.stderr)
            return 1
    return 0


rc = 0
for uid in range(first_uid, first_uid + n_uids):
    pid = os.fork()
    if pid == 0:
        os._exit(refused_calls(uid))
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        rc = 1
sys.exit(rc)
