#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The audit log: every call of a method that changes something gets one row (uid, person, method,
# parameters, result, time), accepted, refused or failed; reads get none. The rows form a hash
# chain: editing one with the sqlite3 shell makes `dutyctl audit --verify` fail and name the row.
# A change is acknowledged only once committed: with the database locked, the caller gets an error
# and nothing is stored.
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl

DB="$T/state/dutyd.sqlite"
export DUTYD_NOW=2026-03-02T10:00
start_dutyd

audit_json() {
        "$DUTYCTL" --json audit "$@"
}
audit_count() {
        json_get "$(audit_json --limit 1000 "$@")" 'len(d["entries"])'
}
db() {
        sqlite3 "$DB" "$@"
}

expect_eq "$(audit_count)" "0" "audit log of a fresh database"

# Reads leave no trace.
"$DUTYCTL" status >/dev/null
"$DUTYCTL" unavailable list >/dev/null
as_uid "$OFFICER_UID" "$DUTYCTL" people >/dev/null
expect_eq "$(audit_count)" "0" "audit rows after reads only"

# 1: accepted, by root.
out=$("$DUTYCTL" --json unavailable add fengj --from 2026-03-10 --to 2026-03-12 --reason 培训)
uid_row=$(json_get "$out" 'd["unavailability"]["id"]')
# Acknowledged means committed: both the change and its audit row are in the file already.
expect_eq "$(db "SELECT count(*) FROM unavailable WHERE id = $uid_row")" "1" "acknowledged change is in the database"
expect_eq "$(db "SELECT count(*) FROM audit")" "1" "its audit row is in the database"

# 2: refused by the access table, as a member.
rc=0
as_uid "$OFFICER_UID" "$DUTYCTL" unavailable add mal --from 2026-03-10 --to 2026-03-11 >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "1" "member refused unavailable add"

# 3: failed in the handler (no such person).
rc=0
"$DUTYCTL" unavailable add nobody_here --from 2026-03-10 --to 2026-03-11 >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "1" "unavailable add for an unknown person"

# 4: a dry run is audited, and stores nothing.
"$DUTYCTL" roster generate --from 2026-03-09 --to 2026-03-15 --dry-run >/dev/null
expect_eq "$(db "SELECT count(*) FROM assignment")" "0" "dry run stored nothing"

# 5: a long parameter is cut in the summary (80 characters, 240 bytes, are within the reason's bound).
long=$(python3 -c 'print("长" * 80)')
"$DUTYCTL" unavailable add mal --from 2026-03-20 --to 2026-03-20 --reason "$long" >/dev/null

# 6: a guest is refused too.
rc=0
as_uid "$GUEST_UID" "$DUTYCTL" sensitive add 检查 --from 2026-04-01 --to 2026-04-02 >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "1" "guest refused sensitive add"

out=$(audit_json)
expect_eq "$(json_get "$out" 'len(d["entries"])')" "6" "audit rows"
expect_eq "$(json_get "$out" '[e["id"] for e in d["entries"]]')" "[1, 2, 3, 4, 5, 6]" "row ids, oldest first"
expect_eq "$(json_get "$out" '[e["method"] for e in d["entries"]]')" \
        "['UnavailableAdd', 'UnavailableAdd', 'UnavailableAdd', 'RosterGenerate', 'UnavailableAdd', 'SensitiveAdd']" \
        "audited methods"
expect_eq "$(json_get "$out" '[e["result"] for e in d["entries"]]')" \
        "['ok', 'PermissionDenied', 'NotFound', 'ok', 'ok', 'PermissionDenied']" "audited results"
expect_eq "$(json_get "$out" '[e["uid"] for e in d["entries"]]')" \
        "[0, $OFFICER_UID, 0, 0, 0, $GUEST_UID]" "audited uids"
expect_eq "$(json_get "$out" '[e.get("person") for e in d["entries"]]')" \
        "[None, 'wum', None, None, None, None]" "audited people"
expect_eq "$(json_get "$out" 'd["entries"][0]["at"][:15]')" "2026-03-02T10:0" "audit time (the daemon's clock)"
expect_eq "$(json_get "$out" '__import__("json").loads(d["entries"][0]["summary"])["person"]')" "fengj" \
        "summary holds the parameters"
expect_eq "$(json_get "$out" 'len(d["entries"][4]["summary"].encode()) <= 256')" "True" "long summary is bounded"
expect_eq "$(json_get "$out" 'd["entries"][4]["summary"].endswith("…")')" "True" "long summary ends with …"
expect_eq "$(json_get "$out" '"dry_run" in d["entries"][3]["summary"]')" "True" "dry run recorded as such"

# Filters.
expect_eq "$(json_get "$(audit_json --person wum)" '[e["id"] for e in d["entries"]]')" "[2]" "audit --person"
expect_eq "$(json_get "$(audit_json --limit 2)" '[e["id"] for e in d["entries"]]')" "[5, 6]" "audit --limit keeps the newest"
expect_eq "$(audit_count --since 2026-03-02T09:59)" "6" "audit --since before"
expect_eq "$(audit_count --since 2026-03-02T11:00)" "0" "audit --since after"
expect_eq "$(audit_count --since 2026-03-03)" "0" "audit --since a later day"
rc=0
"$DUTYCTL" audit --since yesterday >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "1" "audit --since with a bad time"
rc=0
"$DUTYCTL" audit --limit 0 >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "audit --limit 0 is a usage error"
expect_contains "$("$DUTYCTL" audit)" "PermissionDenied" "human audit table"

# Only admins read or verify the log.
for uid in "$OFFICER_UID" "$LEADER_UID" "$GUEST_UID"; do
        rc=0
        as_uid "$uid" "$DUTYCTL" audit >/dev/null 2>&1 || rc=$?
        expect_eq "$rc" "1" "audit as uid $uid"
        rc=0
        as_uid "$uid" "$DUTYCTL" audit --verify >/dev/null 2>&1 || rc=$?
        expect_eq "$rc" "1" "audit --verify as uid $uid"
done
expect_eq "$(audit_count)" "6" "reading the log is not audited"

# The chain holds.
out=$("$DUTYCTL" audit --verify) || fail "audit --verify on an intact log"
expect_contains "$out" "6" "audit --verify counts the rows"
expect_eq "$(json_get "$("$DUTYCTL" --json audit --verify)" 'd["ok"]')" "True" "audit --verify --json"

# Behind the daemon's back: an edited row is named, with exit 1.
db "UPDATE audit SET result = 'ok' WHERE id = 2"
rc=0
err=$("$DUTYCTL" audit --verify 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "audit --verify exit code on an edited row"
expect_contains "$err" "row 2" "audit --verify names the edited row"
out=$("$DUTYCTL" --json audit --verify 2>/dev/null) || true
expect_eq "$(json_get "$out" '[d["ok"], d["first_bad"]]')" "[False, 2]" "audit --verify --json on an edited row"

# Restoring the field restores the chain; removing a row breaks it at the next one.
db "UPDATE audit SET result = 'PermissionDenied' WHERE id = 2"
"$DUTYCTL" audit --verify >/dev/null || fail "chain not intact after restoring the row"
db "DELETE FROM audit WHERE id = 4"
rc=0
err=$("$DUTYCTL" audit --verify 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "audit --verify exit code on a removed row"
expect_contains "$err" "row 5" "audit --verify names the row after the removed one"

# Not acknowledged unless committed: while another process holds the write lock past the busy
# timeout, a change is answered with an error and nothing is stored.
before=$(db "SELECT count(*) FROM unavailable")
python3 - "$DB" "$T/locked" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(12)
c.execute("ROLLBACK")
PY
locker=$!
for i in $(seq 1 100); do
        [ -e "$T/locked" ] && break
        sleep 0.05
done
[ -e "$T/locked" ] || fail "the test could not lock the database"
rc=0
err=$("$DUTYCTL" unavailable add hejj --from 2026-03-25 --to 2026-03-25 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "change while the database is locked"
expect_contains "$err" "Failed" "locked database answer"
wait "$locker"
expect_eq "$(db "SELECT count(*) FROM unavailable")" "$before" "nothing stored while locked"
"$DUTYCTL" status >/dev/null || fail "dutyd stopped answering after a locked database"

stop_dutyd
echo "ok"
