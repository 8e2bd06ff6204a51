#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Binds an AF_UNIX datagram socket like the service manager's NOTIFY_SOCKET and writes every
message it receives, one per line (newlines inside a message become '|'), to a file."""
import os
import socket
import sys

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
            f.write(data.decode(errors="replace").replace("\n", "|") + "\n")
    except socket.timeout:
        pass
