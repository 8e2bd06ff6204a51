#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The database file removed or replaced while dutyd runs, against a real systemd-journald in a
# private mount namespace (journal-lib.sh). SQLite would write on through the descriptor it holds,
# into a file no longer at the path, and every change acknowledged from then on would be gone at the
# next start. Instead, every COMMIT first compares the files at their paths with those opened:
#
#   - dutyd.sqlite removed → the next write is refused (Failed, saying the file was removed or
#     replaced, nothing saved, restore it and restart dutyd); one crit entry with its MESSAGE_ID and
#     DUTY_DATABASE_PROBLEM=removed, not one per write; Status and reads still answered, Status
#     naming the problem; the refusal lasts until the restart;
#   - dutyd.sqlite replaced by a copy of itself (mv over it) → "replaced";
#   - its write-ahead log dutyd.sqlite-wal removed → "wal_removed";
#   - the cost: one lstat() per file per COMMIT, the write's round trip printed before and after.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

ID_FILE=1b9a2549a9ff4e35971d876c50cf9472
grep -q "^#define DAMAGE_FILE_MESSAGE_ID \"$ID_FILE\"$" "$SRCDIR/daemon/damage.h" || fail "$ID_FILE is not damage.h's MESSAGE_ID"
grep -q "^-- $ID_FILE$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_FILE is not in the catalog"
grep -q "^-- $ID_FILE zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_FILE has no zh_CN catalog entry"

export DUTYD_NOW=2026-03-02T10:00
journal_start
J=(journalctl --directory=/run/log/journal --quiet --no-pager)

# crit_entries STATE_DIR: dutyd's entries of ID_FILE for the database there, one JSON object a line.
crit_entries() {
        "${J[@]}" -o json MESSAGE_ID=$ID_FILE "DUTY_DATABASE=$1/dutyd.sqlite" 2>/dev/null || true
}
# wait_crit STATE_DIR: until the journal holds the entry (journald stores asynchronously).
wait_crit() {
        for _ in $(seq 1 100); do
                [ -z "$(crit_entries "$1")" ] || return 0
                sleep 0.05
        done
        fail "no entry $ID_FILE in the journal for $1"
}

day=0
# write: one change (a day of unavailability, a new day each time); prints dutyctl's error output.
write() {
        day=$((day + 1))
        "$DUTYCTL" unavailable add fengj --from "2026-04-$(printf %02d "$day")" --to "2026-04-$(printf %02d "$day")" \
                2>&1 >/dev/null
}

# refused_write WHAT: the next write must fail, saying what happened and what to do.
refused_write() {
        local rc=0 err
        err=$(LANGUAGE= LC_ALL=C write) || rc=$?
        [ "$rc" -ne 0 ] || fail "a write was accepted after $1"
        # The daemon's sentence in the office's language (zh in the sample office).
        expect_contains "$err" "数据库文件被删除或替换" "the refusal after $1"
        expect_contains "$err" "未保存任何修改" "the refusal after $1 says nothing was saved"
        expect_contains "$err" "重启 dutyd" "the refusal after $1 says to restart dutyd"
}

# ms CMD…: runs CMD, prints the milliseconds it took.
ms() {
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || fail "$* failed"
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000000))
}

# ---- dutyd.sqlite removed ----

S="$T/state"
DB="$S/dutyd.sqlite"
start_dutyd
write >/dev/null || fail "a write before the removal"
# The cost of the check: 20 writes' round trips (dutyctl's start included), before the removal,
# printed for the record (tests/bench measures speed; nothing here is timed).
total=0
for _ in $(seq 1 20); do total=$((total + $(ms write))); done
echo "20 writes with the file check: $total ms in all ($((total / 20)) ms each, dutyctl's start included)"
rows=$(sqlite3 "$DB" 'SELECT count(*) FROM unavailable')

rm "$DB"
refused_write "the database file was removed"
wait_crit "$S"
entry=$(crit_entries "$S" | head -n 1)
expect_eq "$(json_get "$entry" 'd["PRIORITY"]')" "2" "the entry's priority (crit)"
expect_eq "$(json_get "$entry" 'd["DUTY_DATABASE_PROBLEM"]')" "removed" "the entry's DUTY_DATABASE_PROBLEM"
expect_contains "$(json_get "$entry" 'd["MESSAGE"]')" "被删除了" "the entry's message"
expect_contains "$(json_get "$entry" 'd["MESSAGE"]')" "重启 dutyd" "the entry says to restart dutyd"

# Every write from now on is refused, with no new entry.
refused_write "the removal, a second time"
refused_write "the removal, a third time"
# In the caller's language when it asks for English.
rc=0
err=$(LANGUAGE= LC_ALL=en_US.UTF-8 write) || rc=$?
[ "$rc" -ne 0 ] || fail "a write in English was accepted after the removal"
expect_contains "$err" "the database file was removed or replaced while dutyd was running; nothing was saved" \
        "the refusal in English"
expect_contains "$err" "restart dutyd" "the refusal in English says to restart dutyd"
sleep 0.3
expect_eq "$(crit_entries "$S" | grep -c .)" "1" "crit entries after four refused writes"

# Reads and Status go on, Status naming the problem.
json=$("$DUTYCTL" --json status) || fail "Status after the removal"
expect_eq "$(json_get "$json" 'd["database_problem"]')" "removed" "Status's database_problem"
expect_contains "$(json_get "$json" 'd["database_problem_message"]')" "重启 dutyd" "Status's database_problem_message"
out=$(LC_ALL=C "$DUTYCTL" status) || fail "dutyctl status after the removal"
expect_contains "$out" "Database problem" "dutyctl status shows the problem"
"$DUTYCTL" --json unavailable list >/dev/null || fail "a read after the removal"
stop_dutyd

# ---- dutyd.sqlite replaced by a copy of itself ----

S="$T/state2"
DB="$S/dutyd.sqlite"
mkdir -m 0700 "$S"
start_dutyd --state-dir "$S"
write >/dev/null || fail "a write before the replacement"
json=$("$DUTYCTL" --json status) || fail "Status before the replacement"
expect_eq "$(json_get "$json" '"database_problem" in d')" "False" "Status without a problem"
sqlite3 "$DB" ".backup '$S/copy'"
mv "$S/copy" "$DB"
refused_write "the database file was replaced"
wait_crit "$S"
expect_eq "$(json_get "$(crit_entries "$S" | head -n 1)" 'd["DUTY_DATABASE_PROBLEM"]')" "replaced" \
        "DUTY_DATABASE_PROBLEM after a replacement"
expect_eq "$(json_get "$("$DUTYCTL" --json status)" 'd["database_problem"]')" "replaced" "Status after a replacement"
stop_dutyd

# ---- its write-ahead log removed ----

S="$T/state3"
DB="$S/dutyd.sqlite"
mkdir -m 0700 "$S"
start_dutyd --state-dir "$S"
write >/dev/null || fail "a write before the log's removal"
[ -f "$DB-wal" ] || fail "no write-ahead log beside the database"
rm "$DB-wal"
refused_write "the write-ahead log was removed"
wait_crit "$S"
expect_eq "$(json_get "$(crit_entries "$S" | head -n 1)" 'd["DUTY_DATABASE_PROBLEM"]')" "wal_removed" \
        "DUTY_DATABASE_PROBLEM after the log's removal"
stop_dutyd

echo "PASS"
