#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Binds an AF_UNIX datagram socket like the service manager's NOTIFY_SOCKET and writes every
message it receives, one per line (newlines inside a message become '|'), to a file.

  notify-listen.py [--times] SOCKET FILE SECONDS

With --times, each message's line starts with the time it came (milliseconds since the epoch)."""
import os
import socket
import sys
import time

times = len(sys.argv) > 1 and sys.argv[1] == "--times"
if times:
    del sys.argv[1]
path, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o777)
s.settimeout(seconds)
with open(out, "a", buffering=1) as f:
    f.write("LISTENING\n")
    try:
        while True:
            data = s.recv(4096)
            line = data.decode(errors="replace").replace("\n", "|")
            f.write("%d %s\n" % (time.time() * 1000, line) if times else line + "\n")
    except socket.timeout:
        pass
