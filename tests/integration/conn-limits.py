#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A local user trying to take every connection of dutyd (115-conn-limits.sh).

  conn-limits.py SOCKET READY-FILE SECONDS

Run as a guest uid. At once, and for SECONDS at most (every loop is bounded):
  - slowloris: 300 connections, each sending one byte of a call at a time, SLOW_PERIOD seconds
    apart, and connecting again when dutyd hangs up (at most RECONNECT_ROUNDS rounds);
  - hoarder:   1,000 connection attempts, each kept open for as long as dutyd keeps it.
Touches nothing but SOCKET. Writes READY-FILE once both are in place, then keeps everything open
until SECONDS have passed or it gets SIGTERM. Prints one JSON line of what happened.
"""
import json
import os
import signal
import sys
import time

import dutytest
from dutytest import hung_up

SLOWLORIS = 300
ATTEMPTS = 1000
SLOW_PERIOD = 2.0
RECONNECT_ROUNDS = 10
CALL = json.dumps({"method": "io.dutyd.Duty.Status"}).encode() + b"\0"

sock_path, ready_file, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
deadline = time.monotonic() + seconds
stopping = False
report = {"attempts": 0, "connect_errors": 0, "hung_up": 0, "slow_hung_up": 0, "slow_reconnects": 0,
          "slow_bytes_sent": 0, "slow_max_bytes_one_connection": 0}


def on_term(signum, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_term)


def connect():
    s = dutytest.connect(sock_path)
    if s is None:
        report["connect_errors"] += 1
    return s


# slowloris: [socket, bytes of CALL sent, bytes sent on this connection]
slow = []
for _ in range(SLOWLORIS):
    s = connect()
    if s:
        slow.append([s, 0, 0])

# hoarder: keeps what dutyd keeps; what it hangs up on is closed here too, so that the test's
# descriptors stay bounded.
held = []
for i in range(ATTEMPTS):
    if stopping or time.monotonic() > deadline:
        break
    s = connect()
    report["attempts"] += 1
    if s:
        held.append(s)
    if i % 50 == 49:
        keep = []
        for h in held:
            if hung_up(h):
                report["hung_up"] += 1
                h.close()
            else:
                keep.append(h)
        held = keep

with open(ready_file, "w") as f:
    f.write("ready\n")

rounds = 0
while not stopping and time.monotonic() < deadline:
    for entry in slow:
        s, sent, _ = entry
        if s is None or hung_up(s):
            if s is not None:
                report["slow_hung_up"] += 1
                s.close()
                entry[0] = None
            if rounds >= RECONNECT_ROUNDS:
                continue
            entry[0], entry[1], entry[2] = connect(), 0, 0
            report["slow_reconnects"] += 1
            continue
        try:
            s.send(CALL[sent:sent + 1])
            entry[1] = (sent + 1) % (len(CALL) - 1)  # never completes the call
            entry[2] += 1
            report["slow_bytes_sent"] += 1
            report["slow_max_bytes_one_connection"] = max(report["slow_max_bytes_one_connection"], entry[2])
        except OSError:
            pass
    rounds += 1
    end = time.monotonic() + SLOW_PERIOD
    while not stopping and time.monotonic() < min(end, deadline):
        time.sleep(0.05)

report["held_at_end"] = 0
for h in held:
    if hung_up(h):
        report["hung_up"] += 1
    else:
        report["held_at_end"] += 1
report["slow_open_at_end"] = sum(1 for e in slow if e[0] is not None and not hung_up(e[0]))
print(json.dumps(report))
sys.stdout.flush()
