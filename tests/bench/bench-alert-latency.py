#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Gap alert latency: from the commit of a change (the dutyctl call returning) to the gap monitor's
journal entry about it, against a real systemd-journald in a private mount namespace.

Each run makes tomorrow's leader on call unavailable (a gap opens) or takes that back (the gap is
resolved), and times from the moment dutyctl returns to the moment `journalctl` (polled) shows
the entry. The baseline is the same path for a message written straight to the journal by logger(1):
what journald and the reading cost by themselves. Goal: a median of at most 1 s.

Environment (from tests/bench/run.sh): SRCDIR, DUTYD, DUTYCTL, and BENCH_WORK (a copy of conf/);
BENCH_ALERT_RUNS (default 40) sets the number of changes. Needs root for the mount namespace; prints
ROW lines (tests/bench/bench-util.h) and detail on stderr. Not part of the test suite."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import fmt, quantile

ROW_ID = "5"
ROW_NAME = "Gap alert latency: commit → journal entry"
GOAL_SEC = 1.0
TIMEOUT_SEC = 10.0
NOW = "2026-03-02T09:00"
DAY = "2026-03-03"
ID_LEAVE_CONFLICT = "ef3defef650e47c99e418eaac4b90627"
ID_RESOLVED = "bfb57ecee2444175809f85ccdcb72def"
JOURNAL_DIR = "/run/log/journal"


def die(message):
    print(f"bench-alert-latency: {message}", file=sys.stderr)
    sys.exit(1)


def private_journald(work):
    for d in ("/run/systemd", "/run/log"):
        subprocess.run(["mount", "-t", "tmpfs", "tmpfs", d], check=True)
    if os.path.isdir("/var/log/journal"):
        subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/var/log/journal"], check=True)
    os.makedirs("/run/systemd/journal")
    binary = next((b for b in ("/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald")
                   if os.access(b, os.X_OK)), None)
    if not binary:
        die("no systemd-journald binary")
    log = open(os.path.join(work, "journald.log"), "w")
    proc = subprocess.Popen([binary], stdout=log, stderr=log)
    for _ in range(200):
        if os.path.exists("/run/systemd/journal/socket"):
            return proc
        time.sleep(0.05)
    die("journald did not create its socket")


def journal_send(fields):
    subprocess.run(["logger", "--journald"], check=True, text=True, input=fields)


class Poller:
    """Runs journalctl over the matches until an entry newer than the last one seen shows up: what
    any reader of the journal sees, without the coalescing delay of a --follow notification."""

    def __init__(self, *matches):
        self.matches = matches
        self.cursor = None
        seen = self._read()
        if seen:
            self.cursor = seen[-1]["__CURSOR"]

    def _read(self):
        args = ["journalctl", f"--directory={JOURNAL_DIR}", "--quiet", "--no-pager", "-o", "json",
                "--output-fields=MESSAGE_ID,DUTY_GAP_ID,DUTY_GAP_EVENT,MESSAGE"]
        if self.cursor:
            args.append(f"--after-cursor={self.cursor}")
        out = subprocess.run(args + list(self.matches), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             check=False).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def next(self):
        """The next entry and the monotonic time it was seen."""
        deadline = time.monotonic() + TIMEOUT_SEC
        while time.monotonic() < deadline:
            seen = self._read()
            if seen:
                t = time.monotonic()
                self.cursor = seen[0]["__CURSOR"]
                return t, seen[0]
        die("no journal entry within %.0f s" % TIMEOUT_SEC)


def received_after(entry, wall):
    """From `wall` (CLOCK_REALTIME, s) to journald's receipt of the entry, in s."""
    return int(entry["__REALTIME_TIMESTAMP"]) / 1e6 - wall


def main():
    if os.environ.get("BENCH_ALERT_NAMESPACE") != "1":
        if os.geteuid() != 0:
            die("needs root: the private journald lives in a mount namespace of its own")
        env = dict(os.environ, BENCH_ALERT_NAMESPACE="1")
        os.execvpe("unshare", ["unshare", "--mount", "--propagation", "private", sys.executable,
                               os.path.abspath(__file__)], env)

    dutyd = os.environ.get("DUTYD") or die("DUTYD is not set")
    dutyctl = os.environ.get("DUTYCTL") or die("DUTYCTL is not set")
    srcdir = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    runs = int(os.environ.get("BENCH_ALERT_RUNS", "40"))
    if runs < 2 or runs % 2:
        die("BENCH_ALERT_RUNS must be an even number of at least 2")

    work = tempfile.mkdtemp(prefix="dutyd-bench-alert.")
    daemon = journald = None
    try:
        # The sample office and its holiday notices.
        conf_src = os.environ.get("BENCH_WORK") or os.path.join(srcdir, "conf")
        etc = os.path.join(work, "etc")
        os.mkdir(etc)
        shutil.copy(os.path.join(conf_src, "dutyd.conf"), etc)
        shutil.copytree(os.path.join(conf_src, "holidays.d"), os.path.join(etc, "holidays.d"))
        os.chmod(os.path.join(etc, "dutyd.conf"), 0o644)
        state = os.path.join(work, "state")
        os.mkdir(state, 0o700)
        sock = os.path.join(work, "io.dutyd.Duty")

        journald = private_journald(work)

        env = dict(os.environ, DUTYD_NOW=NOW)
        env.pop("NOTIFY_SOCKET", None)
        env.pop("DUTYD_DEBUG", None)
        log = open(os.path.join(work, "dutyd.log"), "w")
        daemon = subprocess.Popen([dutyd, "--config", os.path.join(etc, "dutyd.conf"), "--state-dir", state,
                                   "--socket", sock], env=env, stdout=log, stderr=log)

        def ctl(*args, check=True):
            return subprocess.run([dutyctl, "-s", sock, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  check=check, text=True)

        for _ in range(400):
            if ctl("status", check=False).returncode == 0:
                break
            if daemon.poll() is not None:
                die("dutyd exited: " + open(os.path.join(work, "dutyd.log")).read())
            time.sleep(0.05)
        else:
            die("dutyd did not answer")

        ctl("roster", "generate", "--from", "2026-03-02", "--to", "2026-04-10")
        who = json.loads(ctl("--json", "who", DAY).stdout)
        leader = next(a["person"] for a in who["assignments"] if a["post"] == "leader_on_call")
        gap_id = f"leave_conflict:{DAY}:leader_on_call:0:{leader}"

        # Baseline: logger's own message, same journald, same reader.
        base, base_received = [], []
        poller = Poller("DUTY_BENCH=baseline")
        for i in range(runs):
            wall = time.time()
            journal_send(f"DUTY_BENCH=baseline\nMESSAGE=baseline {i}\nSYSLOG_IDENTIFIER=dutyd-bench-baseline\n")
            t0 = time.monotonic()
            t1, entry = poller.next()
            base.append(t1 - t0)
            base_received.append(received_after(entry, wall))

        # The gap monitor: the change, committed, then its entry.
        samples, received = [], []
        poller = Poller(f"DUTY_GAP_ID={gap_id}")
        unavailable_id = None
        for i in range(runs):
            if i % 2 == 0:
                out = ctl("--json", "unavailable", "add", leader, "--from", DAY, "--to", DAY, "--reason", "bench")
                t0, wall = time.monotonic(), time.time()
                unavailable_id = json.loads(out.stdout)["unavailability"]["id"]
                expect = (ID_LEAVE_CONFLICT, "opened")
            else:
                ctl("unavailable", "remove", str(unavailable_id))
                t0, wall = time.monotonic(), time.time()
                expect = (ID_RESOLVED, "resolved")
            t1, entry = poller.next()
            got = (entry.get("MESSAGE_ID"), entry.get("DUTY_GAP_EVENT"))
            if got != expect:
                die(f"expected {expect}, got {got}")
            samples.append(t1 - t0)
            received.append(received_after(entry, wall))
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait()
        if journald:
            journald.terminate()
            journald.wait()
        shutil.rmtree(work, ignore_errors=True)

    median = statistics.median(samples)
    p99 = quantile(samples, 0.99)
    base_median = statistics.median(base)
    ratio = f"{median / base_median:.2f}×" if base_median > 0 else "-"
    print(f"{runs} changes (gap opened, then resolved, in turn); {runs} logger messages as baseline",
          file=sys.stderr)
    print(f"seen by journalctl: monitor median {fmt(median)}, p99 {fmt(p99)}, max {fmt(max(samples))}; "
          f"logger median {fmt(base_median)}", file=sys.stderr)
    print(f"received by journald (its timestamp, from dutyctl returning; negative: before the reply "
          f"reached dutyctl): monitor median {fmt(statistics.median(received))}, "
          f"logger median {fmt(statistics.median(base_received))}", file=sys.stderr)
    print("\t".join(["ROW", ROW_ID, ROW_NAME, fmt(median), fmt(p99), fmt(base_median), ratio, "≤ 1 s",
                     "yes" if median <= GOAL_SEC else "no",
                     "dutyctl returns → journalctl (polled) shows the entry; baseline: logger(1) → same"]))


if __name__ == "__main__":
    main()
