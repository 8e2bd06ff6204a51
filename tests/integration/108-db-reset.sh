#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A database lost or put back from an older copy while dutyd was stopped, against a real
# systemd-journald in a private mount namespace (journal-lib.sh). At start dutyd compares the
# database's audit chain with the newest anchors the journal holds for it (anchor.h):
#
#   - the files deleted while stopped (dutyd would create an empty database) → the start is refused,
#     saying the database is empty where the journal shows row 12, with a crit entry (MESSAGE_ID,
#     DUTY_ANCHOR_SEQ=12, DUTY_DATABASE_SEQ=0);
#   - a copy taken at row 6 put back → refused, "rolled back from row 12 to row 6";
#   - the right database put back → starts;
#   - dutyd --accept-database-reset on the empty database → starts, with an entry recording the
#     acceptance; the next plain start is not refused again (the anchors after it supersede);
#   - without journald, dutyd starts with a warning that nothing is compared;
#   - the start-up check's cost with 200 rows anchored in the journal, as dutyd logs it, printed.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

ID_ANCHOR=90e0df111ca241fea9042bfd07185b43
ID_BEHIND=0f3016aaae9e4be58243424d694159fe
ID_RESET=8893dcfdce2d4286913d83f469e18ae0
grep -q "^#define DAMAGE_BEHIND_MESSAGE_ID \"$ID_BEHIND\"$" "$SRCDIR/daemon/damage.h" || fail "$ID_BEHIND is not damage.h's"
grep -q "^#define ANCHOR_RESET_MESSAGE_ID \"$ID_RESET\"$" "$SRCDIR/daemon/anchor.h" || fail "$ID_RESET is not anchor.h's"
for id in $ID_BEHIND $ID_RESET; do
        grep -q "^-- $id$" "$SRCDIR/packaging/dutyd.catalog" || fail "$id is not in the catalog"
        grep -q "^-- $id zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$id has no zh_CN catalog entry"
done
for man in dutyd.8 zh_CN/dutyd.8; do
        grep -qF 'B \-\-accept\-database\-reset' "$SRCDIR/packaging/man/$man" || fail "$man does not document --accept-database-reset"
done

DB="$T/state/dutyd.sqlite"
export DUTYD_NOW=2026-03-02T10:00

# ---- Without journald: it starts, with a warning ----

mount -t tmpfs tmpfs /run/systemd
mount -t tmpfs tmpfs /run/log
[ ! -d /var/log/journal ] || mount -t tmpfs tmpfs /var/log/journal
mkdir -m 0700 "$T/nojournal"
start_dutyd --state-dir "$T/nojournal"
stop_dutyd
grep -q "^<4>No journal .*a lost or older database would go unnoticed" "$T/dutyd.log" ||
        fail "no warning of the start without a journal"

journal_start
count() {
        "${J[@]}" MESSAGE_ID="$1" "DUTY_DATABASE=$DB" 2>/dev/null | grep -c . || true
}

# refused_start WHAT NEEDLE…: dutyd must exit 1 at once, saying each NEEDLE, without listening.
refused_start() {
        local what=$1 out rc=0
        shift
        rm -f "$SOCK"
        # Bounded: a dutyd that accepts what it should refuse serves until stopped.
        out=$(timeout 10 "$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$T/state" --socket "$SOCK" 2>&1) || rc=$?
        expect_eq "$rc" "1" "dutyd's exit code on $what"
        for n in "$@"; do
                expect_contains "$out" "$n" "dutyd explains the refusal of $what"
        done
        [ ! -S "$SOCK" ] || fail "dutyd listened on $what"
}

# check_ms: the milliseconds of the last start-up check, as dutyd logged it.
check_ms() {
        grep -o 'anchors of the journal in [0-9.]* ms' "$T/dutyd.log" | tail -n 1 | grep -o '[0-9.]* ms'
}

# ---- Rows 1–12, a copy at row 6 ----

start_dutyd
for d in $(seq 1 12); do
        "$DUTYCTL" unavailable add fengj --from "2026-04-$(printf %02d "$d")" --to "2026-04-$(printf %02d "$d")" >/dev/null
        [ "$d" -ne 6 ] || { wait_anchor 6; sqlite3 "$DB" ".backup '$T/at-6.sqlite'"; }
done
wait_anchor 12
expect_eq "$(sqlite3 "$DB" 'SELECT max(id) FROM audit')" "12" "audit rows"
stop_dutyd
cp "$DB" "$T/at-12.sqlite"
[ ! -f "$DB-wal" ] || cp "$DB-wal" "$T/at-12.sqlite-wal"

# ---- The files deleted while stopped ----

rm -f "$DB" "$DB-wal" "$DB-shm"
refused_start "an empty database" "数据库为空" "第 12 条" "--accept-database-reset"
e=$(entry $ID_BEHIND)
[ -n "$e" ] || fail "no entry $ID_BEHIND for the empty database"
expect_eq "$(json_get "$e" '[d["PRIORITY"], d["DUTY_ANCHOR_SEQ"], d["DUTY_DATABASE_SEQ"], d["DUTY_ANCHOR_VERDICT"]]')" \
        "['2', '12', '0', 'truncated']" "the refusal's entry"
# Refused again, whatever the first refused start left.
refused_start "an empty database, again" "数据库为空"

# ---- An older copy put back ----

rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$T/at-6.sqlite" "$DB"
refused_start "a copy at row 6" "回退" "第 12 条" "第 6 条" "--accept-database-reset"
expect_eq "$(json_get "$(entry $ID_BEHIND)" '[d["DUTY_ANCHOR_SEQ"], d["DUTY_DATABASE_SEQ"]]')" "['12', '6']" \
        "the entry of the refused older copy"

# ---- The right database put back: it starts ----

rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$T/at-12.sqlite" "$DB"
[ ! -f "$T/at-12.sqlite-wal" ] || cp "$T/at-12.sqlite-wal" "$DB-wal"
start_dutyd
expect_eq "$(json_get "$("$DUTYCTL" --json audit --verify)" 'd["anchors"]')" "matched" "the right database's anchors"
# 188 more rows: the start-up check reads the journal backwards, whatever its length.
for d in $(seq 13 200); do
        "$DUTYCTL" unavailable add mal --from "2026-$(printf %02d $((5 + d / 28)))-$(printf %02d $((1 + d % 28)))" \
                --to "2026-$(printf %02d $((5 + d / 28)))-$(printf %02d $((1 + d % 28)))" >/dev/null 2>&1 || true
done
head=$(sqlite3 "$DB" 'SELECT max(id) FROM audit')
wait_anchor "$head"
stop_dutyd
for _ in 1 2 3; do
        start_dutyd
        echo "start-up check with $head rows anchored in the journal: $(check_ms)"
        stop_dutyd
done
grep -q "compared with 16 anchors of the journal in .*: matched" "$T/dutyd.log" || fail "the start-up check read no anchors"
# Against a database the journal has no anchor of.
mkdir -m 0700 "$T/fresh"
start_dutyd --state-dir "$T/fresh"
echo "start-up check without anchors: $(check_ms)"
stop_dutyd
ms=$(check_ms)
[ "${ms%%.*}" -lt 2000 ] || fail "the start-up check took $ms"

# ---- Accepted with --accept-database-reset ----

rm -f "$DB" "$DB-wal" "$DB-shm"
refused_start "an empty database before the acceptance" "数据库为空"
start_dutyd --accept-database-reset
e=$(entry $ID_RESET)
[ -n "$e" ] || fail "no entry $ID_RESET recording the acceptance"
expect_eq "$(json_get "$e" '[d["PRIORITY"], d["DUTY_ANCHOR_SEQ"], d["DUTY_DATABASE_SEQ"]]')" "['4', '$head', '0']" \
        "the acceptance's entry"
expect_eq "$(count $ID_RESET)" "1" "acceptance entries"
"$DUTYCTL" unavailable add fengj --from 2026-04-01 --to 2026-04-01 >/dev/null || fail "a write after the acceptance"
wait_anchor 1
stop_dutyd
# The acceptance stands: a plain start is not refused again.
start_dutyd
stop_dutyd
# Nor right after an acceptance before any write.
rm -f "$DB" "$DB-wal" "$DB-shm"
refused_start "an empty database after a write since the acceptance" "数据库为空" "第 1 条"
start_dutyd --accept-database-reset
stop_dutyd
start_dutyd
stop_dutyd
expect_eq "$(count $ID_RESET)" "2" "acceptance entries"

echo "PASS"
