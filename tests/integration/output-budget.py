#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A member making dutyd hold big replies it never reads (116-output-budget.sh).

  output-budget.py SOCKET READY-FILE SECONDS CONNECTIONS CALLS FROM TO

Run as a member's uid. Opens CONNECTIONS connections (those dutyd hangs up on at once, over the
uid's share, are counted and dropped) and on each sends CALLS RosterShow calls over FROM..TO, as
fast as the socket takes them, never reading a reply. Writes READY-FILE once every connection has
sent all its calls or found its socket full, then keeps pressing until SECONDS have passed or it
gets SIGTERM. Prints one JSON line of what happened. Touches nothing but SOCKET.
"""
import json
import signal
import sys
import time

import dutytest

sock_path, ready_file = sys.argv[1], sys.argv[2]
seconds, n_connections, n_calls = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
day_from, day_to = sys.argv[6], sys.argv[7]
CALL = json.dumps({"method": "io.dutyd.Duty.RosterShow",
                   "parameters": {"from": day_from, "to": day_to}}).encode() + b"\0"

deadline = time.monotonic() + seconds
stopping = False
report = {"attempts": 0, "hung_up": 0, "held": 0, "calls_sent": 0, "hung_up_later": 0}


def on_term(signum, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_term)


def hung_up_peek(s):
    # Peeking only: the replies must stay unread.
    return dutytest.hung_up(s, peek=True)


# [socket, bytes left to send, whether it ever found its socket full]
conns = []
for _ in range(n_connections):
    report["attempts"] += 1
    s = dutytest.connect(sock_path)
    if s is None:
        report["hung_up"] += 1
        continue
    conns.append([s, CALL * n_calls, False])

# Connections over the uid's share are closed by dutyd at once: find them before counting.
time.sleep(0.3)
kept = []
for c in conns:
    if hung_up_peek(c[0]):
        report["hung_up"] += 1
        c[0].close()
    else:
        kept.append(c)
conns = kept
report["held"] = len(conns)

ready = False
while not stopping and time.monotonic() < deadline:
    busy = False
    for c in conns:
        if not c[1]:
            continue
        try:
            k = c[0].send(c[1])
        except BlockingIOError:
            c[2] = True
            continue
        except OSError:
            report["hung_up_later"] += 1
            c[1] = b""
            continue
        report["calls_sent"] += (len(c[1]) - len(c[1][k:])) // len(CALL)
        c[1] = c[1][k:]
        busy = True
    if not ready and all(not c[1] or c[2] for c in conns):
        ready = True
        open(ready_file, "w").close()
    if not busy:
        time.sleep(0.05)

# Still connected at the end: dutyd kept them (it closes only what is idle past its timeout).
report["open_at_end"] = sum(1 for c in conns if not hung_up_peek(c[0]))
for c in conns:
    c[0].close()
print(json.dumps(report))
