#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Row 7: Status latency while a member loads dutyd with big calls it never reads.

  bench-fairness.py [--calls N]                 (run by tests/bench/run.sh, as root)
  bench-fairness.py --measure SOCKET N          (internal: N Status calls, prints their seconds)

The real dutyd on the sample office with three years of roster. Baseline: N Status calls, each on
a fresh connection, from root, unloaded. Then the member of uid 1001 holds its 32 connections, each
pipelining 100 RosterShow calls of 1,100 days without reading (tests/integration/output-budget.py),
and the same N calls are timed from root and from another member (uid 1002), in turn. Needs root
(setpriv) and SRCDIR, DUTYD, DUTYCTL in the environment; prints one ROW line (bench-util.h).
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROW_ID, ROW_NAME = "7", "Status under a member's pipelined RosterShow load"
MEMBER_UID, OTHER_UID = 1001, 1002
FROM, TO = "2024-01-01", "2027-01-04"
STATUS = json.dumps({"method": "io.dutyd.Duty.Status"}).encode() + b"\0"


def die(message):
    print(f"bench-fairness: {message}", file=sys.stderr)
    sys.exit(1)


def fmt(sec):
    return f"{sec * 1000:.1f} ms" if sec >= 0.001 else f"{sec * 1e6:.0f} µs"


def quantile(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def status_once(sock_path):
    t0 = time.monotonic()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(sock_path)
    s.sendall(STATUS)
    buf = b""
    while not buf.endswith(b"\0"):
        chunk = s.recv(65536)
        if not chunk:
            raise OSError("dutyd hung up")
        buf += chunk
    s.close()
    reply = json.loads(buf[:-1])
    if "error" in reply:
        raise OSError(f"Status failed: {reply['error']}")
    return time.monotonic() - t0


def measure(sock_path, n):
    print(json.dumps([status_once(sock_path) for _ in range(n)]))


def main():
    n = 200
    if "--calls" in sys.argv:
        n = int(sys.argv[sys.argv.index("--calls") + 1])
    src, dutyd, dutyctl = (os.environ.get(k) for k in ("SRCDIR", "DUTYD", "DUTYCTL"))
    if not (src and dutyd and dutyctl):
        die("SRCDIR, DUTYD and DUTYCTL must be set (tests/bench/run.sh sets them)")
    if os.geteuid() != 0:
        die("needs root: the load runs as a member's uid (setpriv)")
    python = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable

    work = tempfile.mkdtemp(prefix="dutyd-bench-fair.")
    daemon = load = None
    try:
        os.chmod(work, 0o755)
        for d in ("etc", "state", "run", "bin"):
            os.mkdir(os.path.join(work, d))
        os.chmod(os.path.join(work, "run"), 0o755)
        shutil.copy(os.path.join(src, "conf/dutyd.conf"), os.path.join(work, "etc/dutyd.conf"))
        shutil.copytree(os.path.join(src, "conf/holidays.d"), os.path.join(work, "etc/holidays.d"))
        subprocess.run(["chmod", "-R", "go-w,a+rX", os.path.join(work, "etc")], check=True)
        for f in ("tests/integration/output-budget.py", "tests/integration/dutytest.py", "tests/bench/bench-fairness.py"):
            shutil.copy(os.path.join(src, f), os.path.join(work, "bin"))
        subprocess.run(["chmod", "-R", "a+rX", os.path.join(work, "bin")], check=True)
        sock = os.path.join(work, "run/io.dutyd.Duty")
        env = dict(os.environ, DUTYD_NOW="2023-12-01T10:00", DUTYD_SOCKET=sock)

        daemon = subprocess.Popen([dutyd, "--config", os.path.join(work, "etc/dutyd.conf"),
                                   "--state-dir", os.path.join(work, "state"), "--socket", sock],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while subprocess.run([dutyctl, "status"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL).returncode != 0:
            if time.monotonic() > deadline or daemon.poll() is not None:
                die("dutyd did not start")
            time.sleep(0.05)
        for y in (2024, 2025, 2026):
            subprocess.run([dutyctl, "roster", "generate", "--from", f"{y}-01-01", "--to", f"{y}-12-31"],
                           env=env, check=True, stdout=subprocess.DEVNULL)

        def timed(uid, count):
            cmd = [python, os.path.join(work, "bin/bench-fairness.py"), "--measure", sock, str(count)]
            if uid is not None:
                cmd = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--groups=0"] + cmd
            return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

        base = timed(None, n)
        rss0 = proc_kb(daemon.pid, "VmRSS")
        os.mkdir(os.path.join(work, "member"))
        os.chown(os.path.join(work, "member"), MEMBER_UID, MEMBER_UID)
        ready = os.path.join(work, "member/ready")
        load = subprocess.Popen(["setpriv", f"--reuid={MEMBER_UID}", f"--regid={MEMBER_UID}", "--groups=0",
                                 python, os.path.join(work, "bin/output-budget.py"), sock, ready, "600",
                                 "40", "100", FROM, TO], stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not os.path.exists(ready):
            if time.monotonic() > deadline or load.poll() is not None:
                die("the member's load did not start")
            time.sleep(0.05)
        root, other = [], []
        for _ in range(4):
            root += timed(None, n // 4)
            other += timed(OTHER_UID, n // 4)
        hwm = proc_kb(daemon.pid, "VmHWM")
        load.terminate()
        report = json.loads(load.communicate(timeout=30)[0])
    finally:
        for p in (load, daemon):
            if p and p.poll() is None:
                p.terminate()
                p.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    loaded = root + other
    med, p99, bmed = statistics.median(loaded), quantile(loaded, 0.99), statistics.median(base)
    print(f"{n} Status calls unloaded: median {fmt(bmed)}, p99 {fmt(quantile(base, 0.99))}")
    print(f"under load ({report['held']} connections of uid {MEMBER_UID}, {report['calls_sent']} calls sent, "
          f"none read): root median {fmt(statistics.median(root))}, p99 {fmt(quantile(root, 0.99))}, "
          f"max {fmt(max(root))}; uid {OTHER_UID} median {fmt(statistics.median(other))}, "
          f"p99 {fmt(quantile(other, 0.99))}, max {fmt(max(other))}")
    print(f"dutyd VmRSS {rss0} kB unloaded, VmHWM {hwm} kB under load")
    print("\t".join(["ROW", ROW_ID, ROW_NAME, fmt(med), fmt(p99), fmt(bmed), f"{med / bmed:.1f}×",
                     "p99 < 100 ms", "yes" if p99 < 0.1 else "no",
                     f"root and another member, fresh connection per call; max {fmt(max(loaded))}; "
                     f"dutyd peak RSS {hwm / 1024:.0f} MiB ({rss0 / 1024:.0f} MiB unloaded)"]))


def proc_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        main()
