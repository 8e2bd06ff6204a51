#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Signals at the edges of dutyd's life (110-signals.sh).

  signals.py start-hup N SIGNAL DUTYD ARGS…
      Starts dutyd N times. Each time, as soon as the process holds its database open (it is
      still starting: the socket is not served yet), sends SIGNAL (HUP or TERM) at once, then
      waits for the daemon to answer Status on --socket, stops it with SIGTERM, and records its
      exit status. Prints one JSON object: {"starts", "answered", "exit": {status: count}}.
      A negative status is the signal that killed the process.
      Why that moment and not a fixed delay after exec: a few milliseconds after exec, a
      process on a loaded machine may not have reached main() yet, and no program can guard the
      dynamic loader's time. Once the database is open dutyd is surely in main() and still
      some way from its event loop (it parses its interface, prepares the loop and binds), which
      is the window the signal used to kill it in.

  signals.py writes SOCKET PID CLIENTS AFTER
      CLIENTS connections each call RosterGenerate over and over, BATCH calls at a time before
      reading their replies (every call with its own first day, so that its audit row can be
      told apart). Once AFTER replies have come in, sends SIGTERM to PID; the
      clients go on until the daemon is gone. Prints one JSON object: "acked", the first days of
      the calls answered with success; "refused", those answered with an error; "unanswered",
      those that got EOF or a reset instead of a reply.
"""
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

# Seconds a start may take to answer (far longer under valgrind: 110-signals.sh sets it then).
START_TIMEOUT = float(os.environ.get("START_TIMEOUT", "10"))
# Calls each writing client sends before reading their replies.
BATCH = 3


def status_answered(sock_path):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(sock_path)
        s.sendall(b'{"method":"io.dutyd.Duty.Status"}\0')
        buf = b""
        while not buf.endswith(b"\0"):
            chunk = s.recv(65536)
            if not chunk:
                return False
            buf += chunk
        s.close()
        return "error" not in json.loads(buf[:-1])
    except (OSError, ValueError):
        return False


def holds_database(pid):
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)).endswith("/dutyd.sqlite"):
                return True
        except OSError:
            pass
    return False


def start_hup(n, signame, argv):
    sig = getattr(signal, "SIG" + signame)
    sock_path = argv[argv.index("--socket") + 1]
    answered, exits = 0, {}
    for _ in range(n):
        p = subprocess.Popen(argv, stdout=sys.stderr, stderr=sys.stderr)
        # Busy-wait: the window between opening the database and serving is a few milliseconds.
        deadline = time.monotonic() + START_TIMEOUT
        while p.poll() is None and not holds_database(p.pid) and time.monotonic() < deadline:
            pass
        if p.poll() is None:
            os.kill(p.pid, sig)
        deadline = time.monotonic() + START_TIMEOUT
        while p.poll() is None and time.monotonic() < deadline:
            if status_answered(sock_path):
                answered += 1
                break
            time.sleep(0.02)
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = "hung"
        exits[str(rc)] = exits.get(str(rc), 0) + 1
    print(json.dumps({"starts": n, "answered": answered, "exit": exits}))


def writes(sock_path, pid, clients, after):
    lock = threading.Lock()
    acked, refused, unanswered = [], [], []
    count = [0]
    terminated = threading.Event()
    base = datetime.date(2026, 4, 1)

    def client(k):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(30)
            s.connect(sock_path)
        except OSError:
            return
        j = 0
        buf = b""
        while True:
            # A batch of calls sent at once, as a client that does not wait for each reply: the
            # daemon commits them in one go and queues more reply than the socket holds.
            keys = []
            for _ in range(BATCH):
                first = base + datetime.timedelta(days=j * clients + k)
                j += 1
                keys.append(first.isoformat())
            calls = b"".join(
                json.dumps({"method": "io.dutyd.Duty.RosterGenerate",
                            "parameters": {"from": key,
                                           "to": (datetime.date.fromisoformat(key) +
                                                  datetime.timedelta(days=390)).isoformat(),
                                           "assume_ordinary": True}}).encode() + b"\0"
                for key in keys)
            replies = []
            try:
                s.sendall(calls)
                while len(replies) < len(keys):
                    while b"\0" in buf and len(replies) < len(keys):
                        message, buf = buf.split(b"\0", 1)
                        replies.append(json.loads(message))
                    if len(replies) == len(keys):
                        break
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
            except OSError:
                pass
            with lock:
                for key, reply in zip(keys, replies):
                    (refused if "error" in reply else acked).append(key)
                unanswered.extend(keys[len(replies):])
                count[0] += len(replies)
                if count[0] >= after and not terminated.is_set():
                    terminated.set()
                    os.kill(pid, signal.SIGTERM)
            if len(replies) < len(keys):
                return

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"acked": sorted(acked), "refused": sorted(refused),
                      "unanswered": sorted(unanswered), "terminated": terminated.is_set()}))


if sys.argv[1] == "start-hup":
    start_hup(int(sys.argv[2]), sys.argv[3], sys.argv[4:])
elif sys.argv[1] == "writes":
    writes(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
else:
    sys.exit("usage: see the docstring")
