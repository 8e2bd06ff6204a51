#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Spot checks (查岗, issue 17): an inspector records who was checked, how, whether it was answered
# and how fast; the person checked defaults to the holder of the post that duty day (before the
# handover, the day before's); members may not record checks, administrators may; the records are
# audited, survive a restart, and the month's list carries the tally of the circular (通报).
. "$(dirname "$0")/lib.sh"

INSPECTOR_UID=1005
# An inspector of the general duty office (总值班室), on no duty, in this test's copy of the office.
python3 - "$T/etc/dutyd.conf" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = 'roles = [ "officer" ]; active_until = "2026-12-31"; }'
assert s.count(old) == 1
s = s.replace(old, old + ',\n        { id = "qianjc"; name = "钱建成"; title = "总值班室主任"; uid = 1005; roles = [ "inspector" ]; }')
open(p, "w", encoding="utf-8").write(s)
PY

holder() { # DATE POST: the person holding POST's first slot that day
        json_get "$("$DUTYCTL" --json roster show --from "$1" --to "$1")" \
                "[a['person'] for a in d['days'][0]['assignments'] if a['post'] == '$2'][0]"
}

# March is planned in February.
DUTYD_NOW=2026-02-20T10:00 start_dutyd
"$DUTYCTL" roster generate --from 2026-03-01 --to 2026-03-31 >/dev/null || fail "roster generate"
stop_dutyd

export DUTYD_NOW=2026-03-05T23:10
start_dutyd
officer=$(holder 2026-03-05 officer_on_duty)
leader_before=$(holder 2026-03-04 leader_on_call)
[ -n "$officer" ] && [ -n "$leader_before" ] || fail "no roster to check"

out=$(as_uid "$INSPECTOR_UID" "$DUTYCTL" --json whoami) || fail "whoami as the inspector"
expect_contains "$out" '"inspector"' "the inspector's roles"

# The officer on duty answers the phone in 12 seconds: recorded against the day's officer.
out=$(as_uid "$INSPECTOR_UID" "$DUTYCTL" --json check add officer --answered --seconds 12 --remarks "值班电话正常") ||
        fail "check add as the inspector"
expect_eq "$(json_get "$out" '(d["check"]["date"], d["check"]["at"], d["check"]["person"], d["check"]["how"], d["check"]["answered"], d["check"]["seconds"], d["check"]["recorded_by"])')" \
        "('2026-03-05', '2026-03-05T23:10:00+08:00', '$officer', 'phone', True, 12, 'qianjc')" "the officer's check"

# A video call to the leader on call at 07:50, before that morning's handover: the previous duty
# day's leader, who did not answer.
out=$(as_uid "$INSPECTOR_UID" "$DUTYCTL" --json check add leader --missed --how video --at 2026-03-05T07:50) ||
        fail "check add of the leader"
expect_eq "$(json_get "$out" '(d["check"]["date"], d["check"]["person"], d["check"]["answered"], d["check"]["seconds"])')" \
        "('2026-03-04', '$leader_before', False, None)" "the leader's check before the handover"

# The text output, in Chinese.
out=$(LC_ALL=zh_CN.UTF-8 as_uid "$INSPECTOR_UID" "$DUTYCTL" check add room --answered --seconds 40) ||
        fail "check add of the duty room"
expect_contains "$out" "值班室" "the duty room in Chinese"

# Not in the future, no time to answer a missed call, targets and ways it knows.
as_uid "$INSPECTOR_UID" "$DUTYCTL" check add room --answered --at 2026-03-06T09:00 >/dev/null 2>&1 &&
        fail "a check in the future was recorded"
as_uid "$INSPECTOR_UID" "$DUTYCTL" check add room --missed --seconds 5 >/dev/null 2>&1 &&
        fail "a missed check with a time to answer was recorded"
as_uid "$INSPECTOR_UID" "$DUTYCTL" check add cook --answered >/dev/null 2>&1 && fail "an unknown target was recorded"
as_uid "$INSPECTOR_UID" "$DUTYCTL" check add room --answered --person nobody >/dev/null 2>&1 &&
        fail "a check of an unknown person was recorded"

# The officer on duty may not record a check (of themselves or anyone); the sentence says who may.
if out=$(as_uid "$OFFICER_UID" "$DUTYCTL" check add officer --answered 2>&1); then
        fail "a member recorded a spot check"
fi
expect_contains "$out" "只有查岗人员和管理员可以登记查岗" "the member's refusal"
out=$(as_uid "$OFFICER_UID" env -u LC_ALL -u LANGUAGE LANG=en_US.UTF-8 "$DUTYCTL" check add officer --answered 2>&1) &&
        fail "a member recorded a spot check"
expect_contains "$out" "only inspectors and administrators record spot checks" "the member's refusal in English"
verbose_dutyctl
out=$(LC_ALL=C as_uid "$OFFICER_UID" "$DUTYCTL" check add officer --answered 2>&1) && fail "a member recorded a spot check"
expect_contains "$out" "PermissionDenied" "the member's refusal names the error"
# An administrator may; root records without a person.
out=$("$DUTYCTL" --json check add room --missed --how visit --remarks "值班室无人") || fail "check add as root"
expect_eq "$(json_get "$out" 'd["check"]["recorded_by"]')" "None" "root's check"

# Four checks, audited, each in the chain; the refusals too.
out=$("$DUTYCTL" --json audit --limit 1000) || fail "audit"
expect_eq "$(json_get "$out" 'sum(1 for e in d["entries"] if e["method"].endswith("CheckAdd") and e["result"] == "ok")')" "4" \
        "audited checks"
"$DUTYCTL" audit --verify >/dev/null || fail "audit --verify"

# They survive a restart; the month's list, read by a member, carries the tally.
stop_dutyd
start_dutyd
out=$(as_uid "$OFFICER_UID" "$DUTYCTL" --json check list --month 2026-03) || fail "check list as a member"
expect_eq "$(json_get "$out" '(d["from"], d["to"], [c["target"] for c in d["checks"]])')" \
        "('2026-03-01', '2026-03-31', ['leader', 'officer', 'room', 'room'])" "the month's checks, in the order they were made"
expect_eq "$(json_get "$out" '{t["target"]: (t["checks"], t["answered"], t["missed"], t["average_seconds"], t["longest_seconds"]) for t in d["tally"]}')" \
        "{'room': (2, 1, 1, 40, 40), 'officer': (1, 1, 0, 12, 12), 'leader': (1, 0, 1, None, None), 'all': (4, 2, 2, 26, 40)}" \
        "the tally"
out=$(LC_ALL=C "$DUTYCTL" check list) || fail "check list"
expect_contains "$out" "Spot checks of duty days 2026-03-01 to 2026-03-05" "the default range: this month so far"
expect_contains "$out" "$officer" "the list names who was checked"
out=$("$DUTYCTL" --json check list --month 2026-02) || fail "check list of February"
expect_eq "$(json_get "$out" '(len(d["checks"]), d["tally"][-1]["checks"])')" "(0, 0)" "February"
"$DUTYCTL" check list --month 2026-13 >/dev/null 2>&1 && fail "month 13 was accepted"

stop_dutyd
echo "ok"
