#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The audit chain anchored in the journal, against a real systemd-journald in a private mount
# namespace (journal-lib.sh). After every audit row dutyd writes the chain's head to the journal
# (MESSAGE_ID, DUTY_DATABASE, DUTY_AUDIT_SEQ, DUTY_AUDIT_HASH); `dutyctl audit --verify` compares the
# database with the newest anchors, so that what the hash chain alone cannot see fails and is named:
#
#   - the newest 10 rows deleted with sqlite3 → "truncated", naming the anchored row 30;
#   - row 20 edited and the hashes after it recomputed (the chain itself matches again) → "re-hashed",
#     naming row 20;
#   - an older copy of the database put back → "truncated"; written on since → "rolled back";
#   - without anchors in the journal, verify never says "intact".
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

ID_ANCHOR=90e0df111ca241fea9042bfd07185b43
grep -q "^#define ANCHOR_MESSAGE_ID \"$ID_ANCHOR\"$" "$SRCDIR/daemon/anchor.h" || fail "$ID_ANCHOR is not anchor.h's MESSAGE_ID"
grep -q "^-- $ID_ANCHOR$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_ANCHOR is not in the catalog"
grep -q "^-- $ID_ANCHOR zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_ANCHOR has no zh_CN catalog entry"

DB="$T/state/dutyd.sqlite"
export DUTYD_NOW=2026-03-02T10:00
db() {
        sqlite3 "$DB" "$@"
}

# ---- Without a journal: the chain matches, but nothing says "intact" ----

# No journald at all, not even the host's: empty directories where the journal would be.
mount -t tmpfs tmpfs /run/systemd
mount -t tmpfs tmpfs /run/log
[ ! -d /var/log/journal ] || mount -t tmpfs tmpfs /var/log/journal
start_dutyd
"$DUTYCTL" unavailable add fengj --from 2026-04-01 --to 2026-04-01 >/dev/null
out=$("$DUTYCTL" audit --verify) || fail "audit --verify without a journal"
case "$out" in *intact*) fail "audit --verify says intact without anchors: $out" ;; esac
expect_contains "$out" "anchors could not be read" "audit --verify without anchors"
verdict=$(json_get "$("$DUTYCTL" --json audit --verify)" 'd["anchors"]')
case "$verdict" in none | unavailable) ;; *) fail "anchors without a journal: $verdict" ;; esac
stop_dutyd
rm -f "$DB" "$DB-wal" "$DB-shm"

# ---- A journald of our own ----

journal_start
J=(journalctl --directory=/run/log/journal --quiet --no-pager)

# wait_anchor SEQ [COUNT]: until the journal holds COUNT (default 1) anchors of row SEQ (journald
# stores asynchronously).
wait_anchor() {
        local n
        for _ in $(seq 1 100); do
                n=$("${J[@]}" MESSAGE_ID=$ID_ANCHOR "DUTY_AUDIT_SEQ=$1" 2>/dev/null | grep -c . || true)
                [ "$n" -lt "${2:-1}" ] || return 0
                sleep 0.05
        done
        fail "no anchor of audit row $1 in the journal"
}

verify_fails() {
        local rc=0
        ERR=$("$DUTYCTL" audit --verify 2>&1 >/dev/null) || rc=$?
        expect_eq "$rc" "1" "audit --verify exit code ($1)"
        JSON=$("$DUTYCTL" --json audit --verify 2>/dev/null) || true
        expect_eq "$(json_get "$JSON" 'd["ok"]')" "False" "audit --verify --json ok ($1)"
}

start_dutyd
# Rows 1–30: one accepted change each.
for d in $(seq 1 30); do
        "$DUTYCTL" unavailable add fengj --from "2026-04-$(printf %02d "$d")" --to "2026-04-$(printf %02d "$d")" \
                --reason "第$d次" >/dev/null
        [ "$d" -ne 20 ] || { wait_anchor 20; db ".backup '$T/at-20.sqlite'"; }
done
expect_eq "$(db 'SELECT max(id) FROM audit')" "30" "audit rows"
wait_anchor 30

# The anchor is the head as committed: this database, row 30 and its hash, from dutyd's uid.
anchor=$("${J[@]}" -o json -n 1 MESSAGE_ID=$ID_ANCHOR DUTY_AUDIT_SEQ=30)
expect_eq "$(json_get "$anchor" 'd["DUTY_DATABASE"]')" "$DB" "anchor's DUTY_DATABASE"
expect_eq "$(json_get "$anchor" 'd["DUTY_AUDIT_HASH"]')" "$(db 'SELECT hash FROM audit WHERE id = 30')" \
        "anchor's DUTY_AUDIT_HASH"
expect_eq "$(json_get "$anchor" 'd["_UID"]')" "0" "anchor's _UID"

out=$("$DUTYCTL" audit --verify) || fail "audit --verify on an untouched log"
expect_contains "$out" "intact" "audit --verify on an untouched log"
expect_contains "$out" "row 30" "audit --verify names the newest anchor"
json=$("$DUTYCTL" --json audit --verify)
expect_eq "$(json_get "$json" '[d["ok"], d["anchors"], d["anchor_newest"]]')" "[True, 'matched', 30]" \
        "audit --verify --json on an untouched log"

# A forged anchor from another uid counts for nothing.
printf 'MESSAGE=forged\nMESSAGE_ID=%s\nDUTY_DATABASE=%s\nDUTY_AUDIT_SEQ=99\nDUTY_AUDIT_HASH=%064d\n' \
        "$ID_ANCHOR" "$DB" 0 >"$T/forged"
chmod 0644 "$T/forged"
setpriv --reuid="$GUEST_UID" --regid="$GUEST_UID" --clear-groups logger --journald="$T/forged" ||
        fail "logger --journald as uid $GUEST_UID"
forged=
for _ in $(seq 1 100); do
        "${J[@]}" MESSAGE_ID=$ID_ANCHOR DUTY_AUDIT_SEQ=99 _UID=$GUEST_UID 2>/dev/null | grep . >/dev/null && { forged=1; break; }
        sleep 0.05
done
[ -n "$forged" ] || fail "the forged anchor did not reach the journal"
"$DUTYCTL" audit --verify >/dev/null || fail "a forged anchor from another uid broke the verification"

# ---- The newest 10 rows deleted ----

db ".backup '$T/at-30.sqlite'"
db "DELETE FROM audit WHERE id > 20"
verify_fails "newest rows deleted"
expect_contains "$ERR" "truncated" "audit --verify names the truncation"
expect_contains "$ERR" "row 30" "audit --verify names the newest anchored row"
expect_eq "$(json_get "$JSON" '[d["anchors"], d["anchor_seq"], d["rows"]]')" "['truncated', 30, 20]" \
        "audit --verify --json on a truncated log"

db "ATTACH '$T/at-30.sqlite' AS b; INSERT INTO audit SELECT * FROM b.audit WHERE id > 20"
"$DUTYCTL" audit --verify >/dev/null || fail "audit --verify after putting the rows back"

# ---- Row 20 edited, the hashes after it recomputed ----

python3 - "$DB" <<'PY'
import hashlib, sqlite3, sys
# The hash of daemon/store.c: netstring-framed fields ("<len>:<bytes>,", NULL as "-,").
def field(v):
    if v is None:
        return b"-,"
    b = str(v).encode()
    return str(len(b)).encode() + b":" + b + b","
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE audit SET summary = replace(summary, '第20次', '第二十次') WHERE id = 20")
prev = db.execute("SELECT hash FROM audit WHERE id = 19").fetchone()[0]
for row in db.execute("SELECT id, at_usec, uid, person, method, summary, result FROM audit "
                      "WHERE id >= 20 ORDER BY id").fetchall():
    h = hashlib.sha256(b"".join(field(v) for v in (prev,) + row)).hexdigest()
    db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, row[0]))
    prev = h
db.commit()
PY
expect_eq "$(db 'SELECT count(*) FROM audit WHERE id = 20 AND summary LIKE "%第二十次%"')" "1" "row 20 edited"
# The chain alone no longer sees it.
expect_eq "$(json_get "$("$DUTYCTL" --json audit --verify 2>/dev/null || true)" '"first_bad" in d')" "False" \
        "the recomputed chain matches"
verify_fails "re-hashed after an edit"
expect_contains "$ERR" "re-hashed" "audit --verify names the re-hash"
expect_contains "$ERR" "row 20" "audit --verify names the edited row"
expect_eq "$(json_get "$JSON" '[d["anchors"], d["anchor_seq"]]')" "['rehashed', 20]" \
        "audit --verify --json on a re-hashed log"

# ---- An older copy of the database put back ----

stop_dutyd
cp "$T/at-20.sqlite" "$DB"
rm -f "$DB-wal" "$DB-shm"
# dutyd refuses to start on it unless told (108-db-reset); accepted, audit --verify still names it.
start_dutyd --accept-database-reset
verify_fails "older copy put back"
expect_contains "$ERR" "truncated" "audit --verify on an older copy"
expect_eq "$(json_get "$JSON" '[d["anchors"], d["anchor_seq"]]')" "['truncated', 30]" \
        "audit --verify --json on an older copy"

# Written on since: the newest anchors are of the copy, the older ones contradict it.
"$DUTYCTL" unavailable add mal --from 2026-05-01 --to 2026-05-01 >/dev/null
"$DUTYCTL" unavailable add mal --from 2026-05-02 --to 2026-05-02 >/dev/null
wait_anchor 22 2
verify_fails "older copy written on"
expect_contains "$ERR" "rolled back" "audit --verify names the rollback"
expect_eq "$(json_get "$JSON" 'd["anchors"]')" "rolled_back" "audit --verify --json on a rolled-back log"

stop_dutyd
echo "PASS"
