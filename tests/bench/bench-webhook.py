#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Notification latency and cost (rows 8a, 8b).

8a: from a change (`dutyctl notify test` started: the notification is queued in the call's
transaction; the figure includes dutyctl's exec and call, as the reply may reach dutyctl after the
POST has been sent) to the POST arriving at a webhook receiver on loopback, run by this script. The
baseline is the same receiver's POST sent by this script itself (urllib): what loopback HTTP costs.
Goal: a median of at most 1 s.
8b: LeaveRequest round trips (each leave for a different leader or day, on the sample office) with a
notify section (every request queues one for its approver, delivered in the background) against the
same requests to a dutyd without one: delivery is off the request path, so the ratio should be ~1.

Environment (from tests/bench/run.sh): SRCDIR, DUTYD, DUTYCTL, BENCH_WORK (a copy of conf/);
BENCH_WEBHOOK_RUNS (default 100). Prints ROW lines (tests/bench/bench-util.h) and detail on stderr.
Not part of the test suite."""

import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from benchlib import fmt, quantile

NOW = "2026-03-02T09:00"
LEADERS = ["chenzq", "liuf", "sunlh", "zhangw", "ouyangmh"]


def die(message):
    print(f"bench-webhook: {message}", file=sys.stderr)
    sys.exit(1)


class Receiver:
    def __init__(self):
        self.arrivals = {}
        self.cond = threading.Condition()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                t = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("Idempotency-Key") or json.loads(body).get("id")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with outer.cond:
                    outer.arrivals.setdefault(key, t)
                    outer.cond.notify_all()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, key, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while key not in self.arrivals:
                left = deadline - time.monotonic()
                if left <= 0:
                    die(f"notification {key} did not arrive within {timeout:.0f} s")
                self.cond.wait(left)
            return self.arrivals[key]


class Daemon:
    def __init__(self, dutyd, dutyctl, conf_src, work, name, notify_port=None):
        self.dutyctl = dutyctl
        etc = os.path.join(work, name, "etc")
        os.makedirs(etc)
        shutil.copy(os.path.join(conf_src, "dutyd.conf"), etc)
        shutil.copytree(os.path.join(conf_src, "holidays.d"), os.path.join(etc, "holidays.d"))
        conf = os.path.join(etc, "dutyd.conf")
        if notify_port:
            with open(conf, "a") as f:
                f.write(f'\nnotify = {{ channels = ( {{ name = "ops"; type = "webhook"; '
                        f'url = "http://127.0.0.1:{notify_port}/ops"; }} ); }};\n')
        os.chmod(conf, 0o644)
        state = os.path.join(work, name, "state")
        os.mkdir(state, 0o700)
        self.sock = os.path.join(work, name, "io.dutyd.Duty")
        env = dict(os.environ, DUTYD_NOW=NOW)
        env.pop("NOTIFY_SOCKET", None)
        env.pop("DUTYD_DEBUG", None)
        self.log = open(os.path.join(work, name, "dutyd.log"), "w")
        self.proc = subprocess.Popen([dutyd, "--config", conf, "--state-dir", state, "--socket", self.sock],
                                     env=env, stdout=self.log, stderr=self.log)
        for _ in range(400):
            if self.ctl("status", check=False).returncode == 0:
                return
            if self.proc.poll() is not None:
                die("dutyd exited")
            time.sleep(0.05)
        die("dutyd did not answer")

    def ctl(self, *args, check=True):
        return subprocess.run([self.dutyctl, "-s", self.sock, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=check, text=True)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def leave_requests(d, runs):
    """Times `dutyctl leave request` as root for the leaders in turn, a day each."""
    times, ok = [], 0
    for i in range(runs):
        day = 16 + (i // len(LEADERS)) * 2
        month, dom = 3 + (day - 1) // 28, (day - 1) % 28 + 1
        date = f"2026-{month:02d}-{dom:02d}"
        t0 = time.monotonic()
        r = d.ctl("leave", "request", "--for", LEADERS[i % len(LEADERS)], "--from", date, "--to", date,
                  "--destination", "南昌", "--reason", "bench", check=False)
        times.append(time.monotonic() - t0)
        ok += r.returncode == 0
    return times, ok


def main():
    dutyd = os.environ.get("DUTYD") or die("DUTYD is not set")
    dutyctl = os.environ.get("DUTYCTL") or die("DUTYCTL is not set")
    srcdir = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    conf_src = os.environ.get("BENCH_WORK") or os.path.join(srcdir, "conf")
    runs = int(os.environ.get("BENCH_WEBHOOK_RUNS", "100"))

    work = tempfile.mkdtemp(prefix="dutyd-bench-webhook.")
    receiver = Receiver()
    daemons = []
    try:
        # Baseline: the receiver's own POSTs, from this process.
        base = []
        for i in range(runs):
            key = f"baseline-{i}"
            req = urllib.request.Request(f"http://127.0.0.1:{receiver.port}/base", data=json.dumps({"id": key}).encode(),
                                         headers={"Content-Type": "application/json", "Idempotency-Key": key})
            t0 = time.monotonic()
            urllib.request.urlopen(req).read()
            base.append(receiver.wait(key) - t0)

        on = Daemon(dutyd, dutyctl, conf_src, work, "on", receiver.port)
        daemons.append(on)
        samples = []
        for i in range(runs):
            # From before the call: the reply now goes out before the delivery starts, so that the
            # POST can arrive before dutyctl has exited; the figure includes dutyctl's exec.
            t0 = time.monotonic()
            out = on.ctl("--json", "notify", "test", "wum")
            key = json.loads(out.stdout)["notification"]["uuid"]
            samples.append(receiver.wait(key) - t0)

        # 8b: the same LeaveRequests with and without notifications, on fresh daemons.
        off = Daemon(dutyd, dutyctl, conf_src, work, "off")
        daemons.append(off)
        off_times, off_ok = leave_requests(off, runs)
        on2 = Daemon(dutyd, dutyctl, conf_src, work, "on2", receiver.port)
        daemons.append(on2)
        on_times, on_ok = leave_requests(on2, runs)
        sent = 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            listed = json.loads(on2.ctl("--json", "notify", "list").stdout)
            sent = sum(1 for n in listed["notifications"] if n["state"] == "sent")
            if sent >= on_ok:
                break
            time.sleep(0.1)
    finally:
        for d in daemons:
            d.stop()
        shutil.rmtree(work, ignore_errors=True)

    median, p99, base_median = statistics.median(samples), quantile(samples, 0.99), statistics.median(base)
    print(f"{runs} notifications (notify test), commit → POST received; {runs} POSTs of this script as baseline",
          file=sys.stderr)
    print(f"dutyd median {fmt(median)}, p99 {fmt(p99)}, max {fmt(max(samples))}; baseline median {fmt(base_median)}",
          file=sys.stderr)
    on_med, off_med = statistics.median(on_times), statistics.median(off_times)
    print(f"LeaveRequest (dutyctl round trip, {runs} each): notifications on median {fmt(on_med)} "
          f"({on_ok} filed, {sent} of their notifications delivered), off median {fmt(off_med)} ({off_ok} filed)",
          file=sys.stderr)
    print("\t".join(["ROW", "8a", "Notification latency: dutyctl call → webhook received", fmt(median), fmt(p99),
                     fmt(base_median), f"{median / base_median:.2f}×" if base_median > 0 else "-", "≤ 1 s",
                     "yes" if median <= 1.0 and p99 <= 1.0 else "no",
                     "dutyctl notify test started (exec, call, commit) → the receiver's POST; baseline: a POST from the benchmark"]))
    print("\t".join(["ROW", "8b", "LeaveRequest with notifications on", fmt(on_med), fmt(quantile(on_times, 0.99)),
                     fmt(off_med), f"{on_med / off_med:.2f}×" if off_med > 0 else "-", "≈ 1×",
                     "yes" if on_med <= off_med * 1.2 else "no",
                     "dutyctl round trip, each queuing one notification; baseline: the same without a notify section"]))


if __name__ == "__main__":
    main()
