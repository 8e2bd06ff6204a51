#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Group commit: writes that arrive together share one COMMIT (and one fdatasync), each answered only
# after it. Twenty clients send a write each at the same moment, one of them refused; dutyd is
# killed (SIGKILL) the moment the last answer is in. Afterwards every acknowledged write is in the
# database, the refused one is not, the audit chain is whole, and the log says how many writes the
# commits carried: fewer commits than writes, and as many audit anchors as commits.
. "$(dirname "$0")/lib.sh"

export DUTYD_NOW=2026-06-01T10:00
N=20
start_dutyd

python3 - "$SOCK" "$N" >"$T/acks" <<'PY' || fail "the concurrent writers failed"
import json, socket, sys, time
path, n = sys.argv[1], int(sys.argv[2])
conns = []
for i in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    conns.append(s)
# The refused one: its last day before its first.
calls = []
for i in range(n):
    frm, to = ("2026-08-10", "2026-08-01") if i == 7 else ("2026-07-%02d" % (i + 1), "2026-07-%02d" % (i + 1))
    calls.append(json.dumps({"method": "io.dutyd.Duty.SensitiveAdd",
                             "parameters": {"name": "group-%02d" % i, "from": frm, "to": to}}).encode() + b"\0")
# All sent before any answer is read: they are in dutyd's sockets together.
for s, c in zip(conns, calls):
    s.sendall(c)
t0 = time.monotonic()
for i, s in enumerate(conns):
    buf = b""
    while not buf.endswith(b"\0"):
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("connection %d closed without an answer" % i)
        buf += chunk
    reply = json.loads(buf[:-1])
    print(i, reply.get("error", "ok"))
print("answered in %.1f ms" % ((time.monotonic() - t0) * 1000), file=sys.stderr)
PY
# Every answer is in: nothing acknowledged may be lost from here on.
kill -KILL "$DUTYD_PID"
wait "$DUTYD_PID" 2>/dev/null || true
DUTYD_PID=

expect_eq "$(grep -c ' ok$' "$T/acks")" "$((N - 1))" "acknowledged writes"
expect_eq "$(grep -c "^7 ok$" "$T/acks")" "0" "the refused write is answered with its error"

# Commits carrying more than one write say so (a debug entry, DUTY_COMMIT_REQUESTS).
read -r groups shared <<<"$(sed -n 's/^<7>\([0-9]*\) requests shared one commit\.$/\1/p' "$T/dutyd.log" |
        awk '{ g++; s += $1 } END { print g + 0, s + 0 }')"
[ "$groups" -gt 0 ] || fail "no commit carried more than one write: $(cat "$T/dutyd.log")"
# The refused write's audit row commits with its group too.
commits=$((N - shared + groups))
echo "writes: $N, commits at most $commits (groups: $groups carrying $shared writes)"
[ "$commits" -lt "$N" ] || fail "as many commits ($commits) as writes ($N)"
# One audit anchor per commit, naming the chain's head after the commit's last row (the chain links
# every row before it), not one per row; the newest row is anchored. stderr has each anchor too.
anchored=$(sed -n 's/^<5>Audit chain head: row \([0-9]*\), hash [0-9a-f]*\.$/\1/p' "$T/dutyd.log")
expect_eq "$(grep -c . <<<"$anchored")" "$commits" "audit anchors: one per commit"
expect_eq "$(tail -n 1 <<<"$anchored")" "$N" "the last anchor names the newest row"
expect_eq "$(sort -n <<<"$anchored" | uniq | tr '\n' ' ')" "$(tr '\n' ' ' <<<"$anchored")" "anchors in the order of the rows, each once"

start_dutyd
python3 - "$SOCK" "$N" <<'PY' || fail "the writes after SIGKILL"
import json, socket, sys
path, n = sys.argv[1], int(sys.argv[2])
def call(method, params=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(json.dumps({"method": "io.dutyd.Duty." + method, "parameters": params or {}}).encode() + b"\0")
    buf = b""
    while not buf.endswith(b"\0"):
        buf += s.recv(1 << 20)
    return json.loads(buf[:-1])
periods = call("SensitiveList")["parameters"]["periods"]
kept = sorted(p["name"] for p in periods if p["name"].startswith("group-"))
expected = ["group-%02d" % i for i in range(n) if i != 7]
if kept != expected:
    sys.exit("kept %s, expected %s" % (kept, expected))
rows = [e for e in call("AuditList", {"limit": 1000})["parameters"]["entries"] if e["method"].endswith("SensitiveAdd")]
if len(rows) != n or sum(1 for e in rows if e["result"] != "ok") != 1:
    sys.exit("audit rows of the writes: %s" % rows)
PY
"$DUTYCTL" audit --verify >/dev/null || fail "the audit chain is broken after the group commits"
stop_dutyd
echo "ok"
