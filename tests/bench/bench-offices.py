#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The aggregator at the scale of a province: 2,000 offices' report files, each made by
systemd-journal-remote itself from export-format input (the code path that writes the real files:
one holiday roster of 8 days, three away reports and a gap alert per office, 10,000 entries), read by dutyd in
the aggregator role.

Rows:
  9a  ingest: from dutyd's exec to every office's roster taken (polled every 0.1 s with OfficeShow
      of the office read last, then checked with OfficesList), with dutyd's peak RSS (VmHWM) in the note; baseline: journalctl reading the same
      entries from the same files (-o export, the same MESSAGE_ID match). Goal < 10 s, < 64 MiB.
  9b  OfficesList at 2,000 offices, one Varlink call at a time on one connection; baseline:
      Status on the same connection. Goal < 100 ms. `dutyctl offices` (exec, call, table) in the
      note.

Environment (from tests/bench/run.sh): SRCDIR, DUTYD, DUTYCTL. BENCH_OFFICES (default 2000) and
BENCH_OFFICES_CALLS (default 50) change the sizes. Prints ROW lines (tests/bench/bench-util.h) and
detail on stderr. BENCH_OFFICES_FILES names a directory where the files are kept between runs.
Not part of the test suite."""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SRCDIR = os.environ.get("SRCDIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "../..")))
DUTYD = os.environ.get("DUTYD", os.path.join(SRCDIR, "build/daemon/dutyd"))
DUTYCTL = os.environ.get("DUTYCTL", os.path.join(SRCDIR, "build/cli/dutyctl"))
N = int(os.environ.get("BENCH_OFFICES", "2000"))
CALLS = int(os.environ.get("BENCH_OFFICES_CALLS", "50"))
AFTER = 5  # new entries after the ingest, each followed by the first OfficesList or `dutyctl offices`
NOW = "2026-09-29T10:00"
REPORT = "c0875f3e98c0419ab99d67d11bde714e"
GAP_UNFILLED = "7c0d749ad4d843b981b3cf89322cf9f2"
ENTRIES = os.path.join(SRCDIR, "tests/integration/office-entries.py")
JREMOTE = next((p for p in ("/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote")
                if os.access(p, os.X_OK)), None)


def die(message):
    print(f"bench-offices: {message}", file=sys.stderr)
    sys.exit(1)


def fmt(sec):
    if sec < 1e-3:
        return f"{sec * 1e6:.0f} µs"
    if sec < 1:
        return f"{sec * 1e3:.1f} ms"
    return f"{sec:.2f} s"


def row(rid, name, median, p99, base, ratio, goal, met, note):
    print("\t".join(["ROW", rid, name, median, p99, base, ratio, goal, met, note]))


def office_id(i):
    return f"office-{i:04d}"


def make_files(work, remote):
    sys.path.insert(0, os.path.dirname(ENTRIES))
    import importlib.util
    spec = importlib.util.spec_from_file_location("office_entries", ENTRIES)
    oe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(oe)
    t0 = time.monotonic()
    running = []
    for i in range(N):
        oid, name = office_id(i), f"第{i}单位"
        text = (oe.roster(oid, name, "2026-7", "1", "published", "2026-09-20T10:00", "国庆节", "2026-10-01", "2026-10-08")
                + oe.away(oid, name, "1", "1", "approved", "2026-09-21T09:00", "2026-10-03", "2026-10-05", "西安")
                + oe.away(oid, name, "1", "2", "changed", "2026-09-22T09:00", "2026-10-04", "2026-10-06", "成都")
                + oe.away(oid, name, "2", "1", "approved", "2026-09-23T09:00", "2026-10-10", "2026-10-11", "北京")
                + oe.gap(oid, "unfilled-2026-10-05-officer", "opened", "2026-09-24T08:40"))
        path = os.path.join(remote, f"remote-{oid}.journal")
        p = subprocess.Popen([JREMOTE, f"--output={path}", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p.stdin.write(text.encode())
        p.stdin.close()
        running.append((p, path))
        if len(running) >= 4:
            finish(running.pop(0))
    for r in running:
        finish(r)
    size = sum(os.stat(os.path.join(remote, f)).st_blocks * 512 for f in os.listdir(remote))
    print(f"   {N} offices' files made by journal-remote in {time.monotonic() - t0:.1f} s "
          f"({size / 2**20:.1f} MiB on disk after digging holes)", file=sys.stderr)


def put_amendment(remote, i, version):
    """A later roster version of office i in a file of its own, named as a rotated file (so that the
    files kept by BENCH_OFFICES_FILES stay as made); the caller removes it."""
    sys.path.insert(0, os.path.dirname(ENTRIES))
    import importlib.util
    spec = importlib.util.spec_from_file_location("office_entries", ENTRIES)
    oe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(oe)
    oid = office_id(i)
    path = os.path.join(remote, f"remote-{oid}@bench{os.getpid()}-{version}.journal")
    text = oe.roster(oid, f"第{i}单位", "2026-7", str(version), "amended", "2026-09-29T09:00", "国庆节",
                     "2026-10-01", "2026-10-08")
    subprocess.run([JREMOTE, f"--output={path}", "-"], input=text.encode(), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return path


def wait_version(client, i, version):
    t0 = time.monotonic()
    while time.monotonic() - t0 < 30:
        st = client.call("OfficeShow", {"office": office_id(i)}).get("parameters", {}).get("office", {})
        if st.get("roster_version") == version:
            return time.monotonic() - t0
        time.sleep(0.02)
    die(f"office {office_id(i)}'s roster version {version} was not taken within 30 s")


def made_ahead(work):
    """The last 'answer made' figure dutyd logged (DUTYD_DEBUG), in ms, or None."""
    last = None
    for line in open(os.path.join(work, "dutyd.log"), errors="replace"):
        if "OfficesList: the answer for" in line and " made in " in line:
            last = float(line.split(" made in ")[1].split(" ms")[0])
    return last


def finish(item):
    p, path = item
    if p.wait() != 0:
        die(f"journal-remote failed on {path}")
    # journal-remote preallocates 8 MiB per file: keep the bytes, give the zeros back to the disk.
    subprocess.run(["fallocate", "--dig-holes", path], check=False)


def write_config(work, remote):
    shutil.copytree(os.path.join(SRCDIR, "conf/holidays.d"), os.path.join(work, "holidays.d"))
    with open(os.path.join(work, "holidays.d/cn-2026.conf"), "a", encoding="utf-8") as f:
        f.write('reports = ( { holiday = "国庆节"; deadline = "2026-09-28T17:00"; } );\n')
    conf = open(os.path.join(SRCDIR, "conf/dutyd.conf"), encoding="utf-8").read()
    offices = ",\n".join(f'    {{ id = "{office_id(i)}"; name = "第{i}单位"; phone = "0371-6{i:07d}"; }}'
                         for i in range(N))
    # Every office enrolled as dutyd-superior-enroll leaves it (the enabled socket unit's link): the
    # enrolment is looked at for all of them.
    wants = os.path.join(work, "wants")
    os.makedirs(wants)
    for i in range(N):
        os.symlink("/lib/systemd/system/dutyd-remote@.socket", os.path.join(wants, f"dutyd-remote@{office_id(i)}.socket"))
    conf += (f'\naggregator = {{\n  journal_dir = "{remote}";\n  enrolled_dir = "{wants}";\n'
             f'  offices = (\n{offices}\n  );\n}};\n')
    path = os.path.join(work, "dutyd.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write(conf)
    os.chmod(path, 0o644)
    for d, _, files in os.walk(work):
        for x in files:
            if not os.path.islink(os.path.join(d, x)):
                os.chmod(os.path.join(d, x), 0o644)
    return path


class Client:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""

    def call(self, method, params=None, parse=True):
        msg = {"method": "io.dutyd.Duty." + method}
        if params:
            msg["parameters"] = params
        self.s.sendall(json.dumps(msg).encode() + b"\0")
        while b"\0" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise ConnectionError("dutyd closed the connection")
            self.buf += chunk
        reply, self.buf = self.buf.split(b"\0", 1)
        # Parsing 800 KiB in Python would be timed with the call: the raw reply when not needed.
        return json.loads(reply) if parse else reply


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def main():
    if not JREMOTE:
        die("systemd-journal-remote is not installed (packaging/deps.sh, test group)")
    for p in (DUTYD, DUTYCTL):
        if not os.access(p, os.X_OK):
            die(f"{p} is not built")
    work = tempfile.mkdtemp(prefix="dutyd-bench-offices.")
    daemon = None
    try:
        # BENCH_OFFICES_FILES: a directory keeping the offices' files between runs (made there once).
        remote = os.environ.get("BENCH_OFFICES_FILES") or os.path.join(work, "remote")
        os.makedirs(remote, exist_ok=True)
        os.makedirs(os.path.join(work, "state"))
        if len([f for f in os.listdir(remote) if f.endswith(".journal")]) != N:
            for f in os.listdir(remote):
                os.unlink(os.path.join(remote, f))
            make_files(work, remote)
        conf = write_config(work, remote)
        sock = os.path.join(work, "io.dutyd.Duty")

        # Baseline of the ingest: journalctl reading the same entries from the same files.
        t0 = time.monotonic()
        out = subprocess.run(["journalctl", f"--directory={remote}", "-o", "export", f"MESSAGE_ID={REPORT}",
                              f"MESSAGE_ID={GAP_UNFILLED}"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
        base_ingest = time.monotonic() - t0
        entries = out.count(b"\n__CURSOR=") + out.startswith(b"__CURSOR=")
        print(f"   journalctl read {entries} entries in {fmt(base_ingest)}", file=sys.stderr)

        env = dict(os.environ, DUTYD_NOW=NOW, DUTYD_DEBUG="1")
        t0 = time.monotonic()
        daemon = subprocess.Popen([DUTYD, "--config", conf, "--state-dir", os.path.join(work, "state"),
                                   "--socket", sock], env=env, stdout=subprocess.DEVNULL,
                                  stderr=open(os.path.join(work, "dutyd.log"), "w"))
        client = None
        ingest = None
        while time.monotonic() - t0 < 120:
            if daemon.poll() is not None:
                die("dutyd exited: " + open(os.path.join(work, "dutyd.log")).read()[-2000:])
            try:
                if client is None:
                    client = Client(sock)
                # Offices are read in id order: the last one tells that the turn reached the end.
                last = client.call("OfficeShow", {"office": office_id(N - 1)}).get("parameters", {})
                if last.get("office", {}).get("roster_status") == "on_time":
                    ingest = time.monotonic() - t0
                    break
            except (FileNotFoundError, ConnectionRefusedError):
                client = None
            time.sleep(0.1)
        if ingest is None:
            die("the aggregator did not take every office's roster within 120 s")
        # The first OfficesList after the entries were taken makes the answer; the next ones are
        # given it again until something changes (api-offices.c): its cost is in the note.
        cold_cpu0, t = cpu_seconds(daemon.pid), time.monotonic()
        cold_raw = client.call("OfficesList", parse=False)
        cold, cold_cpu = time.monotonic() - t, cpu_seconds(daemon.pid) - cold_cpu0
        reply = json.loads(cold_raw)["parameters"]
        if reply["on_time"] != N:
            die(f"only {reply['on_time']} of {N} offices on time after the last one was read")
        hwm = vm(daemon.pid, "VmHWM")
        away = sum(1 for o in reply["offices"] if o["away_next"] and o["away_next"]["version"] == 2)
        gaps = sum(o["open_gaps"] for o in reply["offices"])
        if away != N or gaps != N:
            die(f"{away} latest itineraries and {gaps} open gaps, not {N} each")
        print(f"   dutyd took {N} offices ({entries} entries, {away} latest itineraries) in {fmt(ingest)}, "
              f"peak RSS {hwm / 2**20:.1f} MiB", file=sys.stderr)
        ok = ingest < 10 and hwm < 64 * 2**20
        row("9a", f"Aggregator ingest: {N} offices' journal files", fmt(ingest), "-", fmt(base_ingest),
            f"{ingest / base_ingest:.1f}×", "< 10 s, < 64 MiB", "yes" if ok else "no",
            f"peak RSS {hwm / 2**20:.1f} MiB; {entries} entries; baseline journalctl -o export of them")

        lat, base = [], []
        size = 0
        cpu0 = cpu_seconds(daemon.pid)
        for _ in range(CALLS):
            t = time.monotonic()
            client.call("Status", parse=False)
            base.append(time.monotonic() - t)
            t = time.monotonic()
            r = client.call("OfficesList", parse=False)
            lat.append(time.monotonic() - t)
            size = len(r)
        cpu = (cpu_seconds(daemon.pid) - cpu0) / CALLS
        cli = []
        for _ in range(max(CALLS // 5, 3)):
            t = time.monotonic()
            subprocess.run([DUTYCTL, "--socket", sock, "offices"], stdout=subprocess.DEVNULL, check=True)
            cli.append(time.monotonic() - t)
        # New entries after the ingest: the aggregator's turn takes them and makes the answer again
        # on the loop right after its commit; the first OfficesList (and `dutyctl offices`) after
        # that is given it.
        extra = []
        after, after_cpu, cli_after, cli_after_cpu, took, ahead = [], [], [], [], [], []
        try:
            for k in range(AFTER):
                extra.append(put_amendment(remote, 2 * k, 2))
                took.append(wait_version(client, 2 * k, 2))
                ahead.append(made_ahead(work))
                cpu_a, t = cpu_seconds(daemon.pid), time.monotonic()
                raw = client.call("OfficesList", parse=False)
                after.append(time.monotonic() - t)
                after_cpu.append(cpu_seconds(daemon.pid) - cpu_a)
                if json.loads(raw)["parameters"]["offices"][2 * k]["roster_version"] != 2:
                    die("OfficesList after the new entry does not show it")
                extra.append(put_amendment(remote, 2 * k + 1, 2))
                wait_version(client, 2 * k + 1, 2)
                cpu_a, t = cpu_seconds(daemon.pid), time.monotonic()
                subprocess.run([DUTYCTL, "--socket", sock, "offices"], stdout=subprocess.DEVNULL, check=True)
                cli_after.append(time.monotonic() - t)
                cli_after_cpu.append(cpu_seconds(daemon.pid) - cpu_a)
        finally:
            for x in extra:
                os.unlink(x)
        ahead = [x for x in ahead if x is not None]
        ahead_med = statistics.median(ahead) if ahead else float("nan")
        after_med, cli_after_med = statistics.median(after), statistics.median(cli_after)
        print(f"   after a new entry ({AFTER} times; taken in {fmt(statistics.median(took))}): the answer made ahead on "
              f"the loop in {ahead_med:.1f} ms (median; max {max(ahead or [float('nan')]):.1f} ms); first OfficesList "
              f"median {fmt(after_med)}, max {fmt(max(after))} (dutyd's CPU median {fmt(statistics.median(after_cpu))}); "
              f"first `dutyctl offices` median {fmt(cli_after_med)}, max {fmt(max(cli_after))} (dutyd's CPU median "
              f"{fmt(statistics.median(cli_after_cpu))})", file=sys.stderr)
        lat.sort()
        med, p99 = statistics.median(lat), lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        bmed = statistics.median(base)
        print(f"   OfficesList: median {fmt(med)}, p99 {fmt(p99)}, {size / 1024:.0f} KiB, dutyd's CPU time per call "
              f"(with one Status) {fmt(cpu)}; Status median {fmt(bmed)}; the first call after the ingest "
              f"(the answer made) {fmt(cold)}, dutyd's CPU {fmt(cold_cpu)}; "
              f"dutyctl offices median {fmt(statistics.median(cli))}", file=sys.stderr)
        row("9b", f"OfficesList at {N} offices", fmt(med), fmt(p99), fmt(bmed), f"{med / bmed:.0f}×", "< 100 ms",
            "yes" if med < 0.1 else "no",
            f"reply {size / 1024:.0f} KiB; dutyd's CPU time per call {fmt(cpu)} (load average "
            f"{os.getloadavg()[0]:.1f}); first call after the ingest {fmt(cold)} (CPU {fmt(cold_cpu)}); "
            f"`dutyctl offices` (exec, call, table) median {fmt(statistics.median(cli))}; after a new entry: "
            f"first OfficesList {fmt(after_med)}, first `dutyctl offices` {fmt(cli_after_med)} (medians of "
            f"{AFTER}), the answer made ahead on the loop in {ahead_med:.1f} ms")
    finally:
        if daemon and daemon.poll() is None:
            daemon.terminate()
            daemon.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
