#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Refusals of unknown callers (guests) are counted, not written one by one: 3,000 refused calls of a
# guest add a handful of audit rows (the first at once, then one per interval with the count of the
# refusals it stands for) and grow the database by far less than a row and an fsync each would
# (4.8 MB before). The counts come out when the interval ends and at shutdown; uids that find the
# table full are counted together in one row; a known person's refusals are still one row each.
. "$(dirname "$0")/lib.sh"

DB="$T/state/dutyd.sqlite"
GUESTS="$SRCDIR/tests/integration/guest-refusals.py"
export DUTYD_NOW=2026-03-02T10:00
# The test hook's short interval, so that the timer's rows come within the scenario.
export DUTYD_REFUSAL_INTERVAL_SEC=2
start_dutyd

audit_json() {
        "$DUTYCTL" --json audit --limit 1000
}
# guest_rows UID: the number of audit rows of uid and the refusals they stand for.
guest_rows() {
        audit_json | python3 -c '
import json, sys
rows = [e for e in json.load(sys.stdin)["entries"] if e["uid"] == int(sys.argv[1])]
assert all(e["result"] == "PermissionDenied" for e in rows), rows
print(len(rows), sum(json.loads(e["summary"]).get("refused", 1) for e in rows))' "$1"
}
db_bytes() {
        cat "$DB" "$DB-wal" 2>/dev/null | wc -c
}

before=$(db_bytes)
python3 "$GUESTS" "$SOCK" "$GUEST_UID" 1 3000 || fail "3,000 refused calls of a guest"

# At once: the first refusal's row, with its parameters; the rest are being counted.
out=$(audit_json)
expect_eq "$(json_get "$out" "len([e for e in d['entries'] if e['uid'] == $GUEST_UID]) <= 5")" "True" \
        "audit rows right after 3,000 refusals"
expect_eq "$(json_get "$out" "d['entries'][0]['method']")" "SensitiveAdd" "first refusal's method"
expect_contains "$(json_get "$out" "d['entries'][0]['summary']")" "检查" "first refusal's parameters"

# When the interval ends, the counted ones get their row: all 3,000 accounted for, in a handful.
deadline=$((SECONDS + 15))
while :; do
        read -r rows refused <<<"$(guest_rows "$GUEST_UID")"
        [ "$refused" = "3000" ] && break
        [ "$SECONDS" -lt "$deadline" ] || fail "the counted refusals were not written (rows $rows, refusals $refused)"
        sleep 0.5
done
if [ "$rows" -lt 2 ] || [ "$rows" -gt 10 ]; then
        fail "3,000 refusals of a guest made $rows audit rows"
fi
grown=$(($(db_bytes) - before))
[ "$grown" -lt 100000 ] || fail "3,000 refusals of a guest grew the database by $grown bytes"
expect_contains "$("$DUTYCTL" audit)" '"refused":' "dutyctl audit shows the count"
"$DUTYCTL" audit --verify >/dev/null || fail "audit chain after the refusals' rows"

# A known person's refusals are audited one by one, as before.
for _ in 1 2 3; do
        if as_uid "$OFFICER_UID" "$DUTYCTL" sensitive add 检查 --from 2026-04-01 --to 2026-04-02 >/dev/null 2>&1; then
                fail "member allowed sensitive add"
        fi
done
expect_eq "$(guest_rows "$OFFICER_UID")" "3 3" "a member's refusals, one row each"

# Shutdown writes what is counted: a long interval, 500 refusals, then SIGTERM at once.
stop_dutyd
export DUTYD_REFUSAL_INTERVAL_SEC=3600
start_dutyd
python3 "$GUESTS" "$SOCK" "$GUEST_UID" 1 500 || fail "500 refused calls of a guest"
read -r rows refused <<<"$(guest_rows "$GUEST_UID")"
expect_eq "$refused" "3001" "refusals written before the shutdown (the first of the 500 only)"
stop_dutyd
start_dutyd
read -r rows refused <<<"$(guest_rows "$GUEST_UID")"
expect_eq "$refused" "3500" "refusals written at shutdown"

# The table is bounded: 70 more guests, 3 refusals each. The first 64 uids (the table's size) get
# their first refusal's row; the 6 that found the table full are counted together, under uid
# 4294967295, and written at shutdown with the others.
python3 "$GUESTS" "$SOCK" 5000 70 3 || fail "refused calls of 70 guests"
stop_dutyd
start_dutyd
out=$(audit_json)
expect_eq "$(json_get "$out" "sum(1 for e in d['entries'] if 5000 <= e['uid'] < 5070)")" "128" \
        "rows of the guests that found room (first refusal, then the count)"
expect_eq "$(json_get "$out" "[e['summary'] for e in d['entries'] if e['uid'] == 4294967295]")" \
        "['{\"refused\":18,\"others\":true}']" "the others' row"
expect_eq "$(json_get "$out" "sum(__import__('json').loads(e['summary']).get('refused', 1) for e in d['entries'] if e['uid'] >= 5000)")" \
        "210" "every refusal of the 70 guests accounted for"
"$DUTYCTL" audit --verify >/dev/null || fail "audit chain at the end"
