#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A damaged write-ahead log and a corrupt database, against a real systemd-journald in a private
# mount namespace (journal-lib.sh).
#
#   - dutyd killed (SIGKILL) after 20 acknowledged writes, whose pages are still in dutyd.sqlite-wal;
#     random bytes written into one of its frames. At the next start SQLite recovers the log up to the
#     bad frame and drops the rest without a word: the database is back at an older row, and the
#     changes after it, acknowledged, are gone. dutyd must not start as if nothing happened: the
#     start is refused, naming the rollback from row 20, with a crit entry (the audit anchors in the
#     journal, 108-db-reset); the log left intact, the same kill starts normally;
#   - a page of the database damaged while dutyd runs: the periodic quick check (every second here,
#     DUTYD_QUICK_CHECK_SEC) reports it with a crit entry of its own, and writes are refused.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

ID_ANCHOR=90e0df111ca241fea9042bfd07185b43
ID_BEHIND=0f3016aaae9e4be58243424d694159fe
ID_CORRUPT=5ccfcabce33c4496995ebcff77a5f00e
grep -q "^#define DAMAGE_CORRUPT_MESSAGE_ID \"$ID_CORRUPT\"$" "$SRCDIR/daemon/damage.h" || fail "$ID_CORRUPT is not damage.h's"
grep -q "^-- $ID_CORRUPT$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_CORRUPT is not in the catalog"
grep -q "^-- $ID_CORRUPT zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_CORRUPT has no zh_CN catalog entry"

export DUTYD_NOW=2026-03-02T10:00
journal_start

# twenty_writes_killed DIR: a new database in DIR (a path the journal has no anchors of) with audit
# rows 1–20, all anchored, then dutyd killed. Sets S and DB.
twenty_writes_killed() {
        S=$1
        DB="$S/dutyd.sqlite"
        mkdir -m 0700 "$S"
        start_dutyd --state-dir "$S"
        for d in $(seq 1 20); do
                "$DUTYCTL" unavailable add fengj --from "2026-04-$(printf %02d "$d")" \
                        --to "2026-04-$(printf %02d "$d")" >/dev/null
        done
        wait_anchor 20
        kill -KILL "$DUTYD_PID"
        wait "$DUTYD_PID" 2>/dev/null || true
        DUTYD_PID=
        rm -f "$SOCK"
        [ -s "$DB-wal" ] || fail "no write-ahead log left by the killed dutyd"
}

# ---- The log intact: the restart is normal ----

twenty_writes_killed "$T/intact"
start_dutyd --state-dir "$S"
expect_eq "$(sqlite3 "$DB" 'SELECT max(id) FROM audit')" "20" "audit rows after a kill"
stop_dutyd

# ---- Random bytes into a frame in the middle of the log ----

twenty_writes_killed "$T/damaged"
frames=$(python3 - "$DB-wal" <<'PY'
import os, random, struct, sys
path = sys.argv[1]
with open(path, "r+b") as f:
    header = f.read(32)
    page = struct.unpack(">I", header[8:12])[0]
    n = (os.path.getsize(path) - 32) // (24 + page)
    # A frame three quarters in, past the schema's creation: the commits before it survive, those
    # after it do not.
    k = 3 * n // 4
    f.seek(32 + k * (24 + page) + 24 + 200)
    f.write(random.Random(1).randbytes(64))
print(n, k)
PY
)
echo "write-ahead log: $frames (frames, the frame damaged)"
out=
rc=0
out=$(timeout 10 "$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$S" --socket "$SOCK" 2>&1) || rc=$?
expect_eq "$rc" "1" "dutyd's exit code on a damaged write-ahead log"
[ ! -S "$SOCK" ] || fail "dutyd listened on a database that lost acknowledged changes"
expect_contains "$out" "回退" "the refusal names the rollback"
expect_contains "$out" "第 20 条" "the refusal names the anchored row"
expect_contains "$out" "dutyd.sqlite-wal" "the refusal names the write-ahead log as a cause"
e=$(entry $ID_BEHIND)
[ -n "$e" ] || fail "no entry $ID_BEHIND for the damaged write-ahead log"
expect_eq "$(json_get "$e" '[d["PRIORITY"], d["DUTY_ANCHOR_SEQ"], d["DUTY_ANCHOR_VERDICT"]]')" "['2', '20', 'truncated']" \
        "the refusal's entry"
left=$(json_get "$e" 'd["DUTY_DATABASE_SEQ"]')
[ "$left" -lt 20 ] || fail "the database kept row 20 and was still refused"
echo "SQLite recovered the log up to audit row $left of 20; the start was refused"

# ---- A page of the database damaged while dutyd runs ----

S="$T/corrupt"
DB="$S/dutyd.sqlite"
mkdir -m 0700 "$S"
export DUTYD_QUICK_CHECK_SEC=1
start_dutyd --state-dir "$S"
unset DUTYD_QUICK_CHECK_SEC
for d in $(seq 1 20); do
        "$DUTYCTL" unavailable add fengj --from "2026-04-$(printf %02d "$d")" --to "2026-04-$(printf %02d "$d")" \
                --reason "$(printf '第%d次%0200d' "$d" 0)" >/dev/null
done
# Into the database file itself, on a page of the audit table's b-tree.
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
root=$(sqlite3 "$DB" "SELECT rootpage FROM sqlite_master WHERE name = 'audit'")
page=$(sqlite3 "$DB" 'PRAGMA page_size')
python3 - "$DB" "$root" "$page" <<'PY'
import sys
path, root, page = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    # The b-tree page header: a page type no b-tree has, and cell counts that make no sense.
    f.seek((root - 1) * page + (100 if root == 1 else 0))
    f.write(bytes([0x07, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
PY
e=
for _ in $(seq 1 60); do
        e=$("${J[@]}" -o json -n 1 MESSAGE_ID=$ID_CORRUPT "DUTY_DATABASE=$DB" 2>/dev/null || true)
        [ -z "$e" ] || break
        sleep 0.1
done
[ -n "$e" ] || fail "the quick check did not report the damaged page"
expect_eq "$(json_get "$e" '[d["PRIORITY"], d["DUTY_DATABASE_PROBLEM"]]')" "['2', 'corrupt']" "the quick check's entry"
echo "quick check: $(json_get "$e" 'd["DUTY_PROBLEM"]')"
rc=0
err=$("$DUTYCTL" unavailable add fengj --from 2026-05-01 --to 2026-05-01 2>&1 >/dev/null) || rc=$?
[ "$rc" -ne 0 ] || fail "a write was accepted on a database the quick check found corrupt"
expect_contains "$err" "损坏" "the refusal after the quick check"
expect_eq "$(json_get "$("$DUTYCTL" --json status)" 'd["database_problem"]')" "corrupt" "Status after the quick check"
stop_dutyd

echo "PASS"
