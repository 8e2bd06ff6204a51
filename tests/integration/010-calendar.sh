#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The official calendar: every day of 2024-2026 as the State Council notices give it (checked against
# a table written out in roster-check.py, not against the files dutyd reads), an unknown year, the
# human table, and the bounds of a request.
. "$(dirname "$0")/lib.sh"

CHECK="$(dirname "$0")/roster-check.py"

start_dutyd

# Every day of three years agrees with the notices.
"$DUTYCTL" --json calendar --from 2024-01-01 --to 2026-12-31 >"$T/cal.json" || fail "calendar 2024-2026"
counts=$(python3 "$CHECK" calendar "$T/cal.json") || fail "calendar differs from the notices"
expect_contains "$counts" '"makeup_workday": 19' "make-up workdays of 2024-2026"

# --json may follow the verb too, and the keys the issue promises are there.
out=$("$DUTYCTL" calendar --from 2026-09-20 --to 2026-09-20 --json) || fail "calendar --json after the verb"
expect_eq "$(json_get "$out" 'sorted(k for k in d["days"][0] if k in ("date", "type", "holiday", "sensitive"))')" \
        "['date', 'holiday', 'sensitive', 'type']" "calendar keys"
expect_eq "$(json_get "$out" 'd["days"][0]["type"]')" "makeup_workday" "2026-09-20 is worked"
expect_eq "$(json_get "$out" 'd["days"][0]["sensitive"]')" "中国共产党某某县第十六次代表大会" "sensitive period of the configuration"

# A year without a notice is unknown, never guessed.
out=$("$DUTYCTL" --json calendar --from 2027-01-04 --to 2027-01-04) || fail "calendar 2027"
expect_eq "$(json_get "$out" 'd["days"][0]["type"]')" "unknown" "2027-01-04"

# The human table of a year: one line per day, every column aligned with CJK text in it.
"$DUTYCTL" calendar --year 2026 >"$T/cal-2026.txt" || fail "calendar --year 2026"
rows=$(python3 "$CHECK" aligned "$T/cal-2026.txt") || fail "calendar table is not aligned"
expect_eq "$rows" "365" "days of 2026"
grep -q "2026-02-16  Mon  holiday  *春节 (除夕)  *2026-02-15 to 2026-02-23" "$T/cal-2026.txt" ||
        fail "2026-02-16 is not shown as 除夕 in the 春节 run"
grep -q "2026-02-14  Sat  make-up workday" "$T/cal-2026.txt" || fail "2026-02-14 is not shown as a make-up workday"

# A sensitive period added at run time shows in the calendar beside the configured one.
"$DUTYCTL" sensitive add 防汛 --from 2026-07-01 --to 2026-07-02 >/dev/null || fail "sensitive add"
out=$("$DUTYCTL" --json calendar --from 2026-07-01 --to 2026-07-03)
expect_eq "$(json_get "$out" '[x["sensitive"] for x in d["days"]]')" "['防汛', '防汛', None]" "runtime sensitive period"

# Members read the calendar; guests do not.
as_uid "$OFFICER_UID" "$DUTYCTL" calendar --from 2026-01-01 --to 2026-01-03 >/dev/null || fail "member calendar"
rc=0
as_uid "$GUEST_UID" "$DUTYCTL" calendar --from 2026-01-01 --to 2026-01-03 >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "1" "guest calendar exit code"

# Bad dates and ranges: usage errors in dutyctl, InvalidParameter naming the field in dutyd.
rc=0
"$DUTYCTL" calendar --from 2026-02-30 --to 2026-03-01 >/dev/null 2>"$T/err" || rc=$?
expect_eq "$rc" "2" "bad date exit code"
expect_contains "$(cat "$T/err")" "--from" "bad date names the option"
rc=0
"$DUTYCTL" calendar --from 2020-01-01 --to 2026-12-31 >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "range too long exit code"
out=$(python3 "$CHECK" call "$SOCK" Calendar '{"from": "2020-01-01", "to": "2026-12-31"}')
expect_eq "$(json_get "$out" 'd["error"], d["parameters"]["parameter"]')" \
        "('org.varlink.service.InvalidParameter', 'to')" "range too long refused by dutyd"
out=$(python3 "$CHECK" call "$SOCK" Calendar '{"from": "2026-1-1", "to": "2026-12-31"}')
expect_eq "$(json_get "$out" 'd["parameters"]["parameter"]')" "from" "malformed date refused by dutyd"
out=$(python3 "$CHECK" call "$SOCK" Calendar '{"from": "2026-03-01", "to": "2026-02-01"}')
expect_eq "$(json_get "$out" 'd["parameters"]["parameter"]')" "to" "reversed range refused by dutyd"

stop_dutyd
echo "ok"
