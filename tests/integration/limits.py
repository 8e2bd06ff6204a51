#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile clients beside a well-behaved one (053-limits.sh).

  limits.py SOCKET SECONDS

For SECONDS, at the same time:
  - slow:    sends a valid call one byte a second (closed by dutyd after its message timeout);
  - flood:   sends calls as fast as the socket takes them and never reads a reply;
  - idle:    a few connections that connect and send nothing;
  - good:    calls Status over and over, each on a fresh connection, and checks every answer.
Then the flooder starts reading: every call it managed to send is answered, in order. Prints one
JSON line of what happened; exits 1 if the good client was ever kept waiting (an answer taking
longer than PROMPT seconds, far less than the slow client's run) or any check failed.
"""
import json
import os
import select
import socket
import sys
import threading
import time

# Seconds an answer may take; far longer under valgrind (053-limits.sh sets it then).
PROMPT = float(os.environ.get("LIMITS_PROMPT_SEC", "3"))
IDLE_CONNECTIONS = 8

sock_path, seconds = sys.argv[1], float(sys.argv[2])
stop = threading.Event()
report = {}
errors = []


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    return s


def request(method):
    return json.dumps({"method": "io.dutyd.Duty." + method}).encode() + b"\0"


def slow():
    s = connect()
    msg = request("Whoami")
    sent = 0
    closed = False
    for b in msg:
        if stop.is_set():
            break
        try:
            s.send(bytes([b]))
        except OSError:
            # dutyd closes a connection that takes longer than VARLINK_MESSAGE_TIMEOUT_USEC
            # to complete a message.
            closed = True
            break
        sent += 1
        stop.wait(1.0)
    report["slow_bytes_sent"] = sent
    report["slow_closed"] = closed
    s.close()


def flood():
    s = connect()
    s.setblocking(False)
    msg = request("Status")
    sent, pending = 0, b""
    while not stop.is_set():
        if not pending:
            pending = msg
        try:
            k = s.send(pending)
            pending = pending[k:]
            if not pending:
                sent += 1
        except BlockingIOError:
            # The daemon stopped reading us: exactly what it should do. Keep pressing.
            time.sleep(0.01)
    # Collect every answer, finishing the call in flight as the daemon makes room for it.
    if pending:
        sent += 1
    report["flood_sent"] = sent
    buf, answered = b"", 0
    deadline = time.monotonic() + 30
    while answered < sent and time.monotonic() < deadline:
        r, w, _ = select.select([s], [s] if pending else [], [], 1.0)
        if w:
            try:
                pending = pending[s.send(pending):]
            except BlockingIOError:
                pass
        if not r:
            continue
        data = s.recv(1 << 20)
        if not data:
            errors.append(f"flooder: connection closed after {answered} of {sent} answers")
            break
        *complete, buf = (buf + data).split(b"\0")
        for raw in complete:
            reply = json.loads(raw)
            if "error" in reply or "version" not in reply.get("parameters", {}):
                errors.append(f"flooder: unexpected answer {reply}")
            answered += 1
    report["flood_answered"] = answered
    s.close()


def good():
    latencies = []
    while not stop.is_set():
        t0 = time.monotonic()
        s = connect()
        s.settimeout(30)
        s.sendall(request("Status"))
        buf = b""
        while not buf.endswith(b"\0"):
            data = s.recv(65536)
            if not data:
                errors.append("good client: connection closed")
                return
            buf += data
        s.close()
        r = json.loads(buf[:-1])
        if "error" in r:
            errors.append(f"good client: {r}")
        latencies.append(time.monotonic() - t0)
        stop.wait(0.1)
    report["good_calls"] = len(latencies)
    report["good_max_latency_sec"] = round(max(latencies), 3) if latencies else None


idle = [connect() for _ in range(IDLE_CONNECTIONS)]
threads = [threading.Thread(target=f) for f in (slow, flood, good)]
for t in threads:
    t.start()
time.sleep(seconds)
stop.set()
for t in threads:
    t.join()
for s in idle:
    s.close()

print(json.dumps(report))
if report.get("good_calls", 0) < seconds:
    errors.append(f"good client made only {report.get('good_calls')} calls in {seconds} s")
if report.get("good_max_latency_sec") is None or report["good_max_latency_sec"] > PROMPT:
    errors.append(f"good client waited {report.get('good_max_latency_sec')} s for an answer")
if report.get("slow_bytes_sent", 0) < 2:
    errors.append("slow client did not run")
if report.get("flood_sent", 0) < 100:
    errors.append(f"flooder sent only {report.get('flood_sent')} calls")
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
