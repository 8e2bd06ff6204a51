#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# return_overdue: an approved leave whose end has passed without the return report (销假) — the
# gap monitor's leave_overdue — reaches the person and their approver once, through the webhook
# receiver and the command hook. dutyd restarted on the test clock: before the end nothing; after
# it the two messages; restarted again the next day, none twice. A leave whose return was
# reported in time, and a leave not yet ended, tell nobody.
. "$(dirname "$0")/notify-roster-lib.sh"

notify_start_roster
overdue() { hook_count "r['path'] == '/ops' and r['body']['kind'] == 'return_overdue' ${1:-}"; }
restart_at() {
        stop_dutyd
        export DUTYD_NOW=$1
        start_dutyd
}
# leave_of PERSON FROM TO: a leave requested by PERSON and approved by their approver; prints
# "ID APPROVER".
leave_of() {
        local out id approver
        out=$(as_person "$1" "$DUTYCTL" --json leave request --from "$2" --to "$3" --destination 南昌 --reason 开会) ||
                fail "leave request of $1: $(as_person "$1" "$DUTYCTL" leave check --from "$2" --to "$3" --destination 南昌 --reason 开会 2>&1)"
        id=$(json_get "$out" 'd["leave"]["id"]')
        approver=$(json_get "$out" 'd["leave"]["approver"]')
        [ -n "$approver" ] && [ "$approver" != None ] || fail "the leave of $1 has no approver"
        as_person "$approver" "$DUTYCTL" leave approve "$id" --reason 同意 >/dev/null || fail "leave approve $id"
        echo "$id $approver"
}

L=$(free_person leader 2026-06-22 wangjg lixy)
[ -n "$L" ] || fail "no leader free on 2026-06-22"
read -r LEAVE APPROVER < <(leave_of "$L" 2026-06-22 2026-06-22)
L2=$(free_person leader 2026-06-24 wangjg lixy "$L")
[ -n "$L2" ] || fail "no other leader free on 2026-06-24"
read -r LEAVE2 APPROVER2 < <(leave_of "$L2" 2026-06-24 2026-06-24)
L3=$(free_person leader 2026-06-28 wangjg lixy "$L" "$L2")
[ -n "$L3" ] || fail "no third leader free on 2026-06-28"
read -r LEAVE3 _ < <(leave_of "$L3" 2026-06-28 2026-06-28)
sleep 1

# During the leave: nothing.
restart_at 2026-06-22T15:00
sleep 2
expect_eq "$(overdue)" "0" "return_overdue during the leave"

# The day after its end: the person and the approver, once each.
restart_at 2026-06-24T12:00
wait_until 15 "return_overdue on the webhook" at_least 2 overdue
wait_until 10 "return_overdue through the hook" at_least 2 cmd_count "r['env']['DUTY_NOTIFY_KIND'] == 'return_overdue'"
sleep 1
expect_eq "$(overdue)" "2" "two return_overdue"
expect_eq "$(overdue "and r['body']['person'] == '$L' and '请假单 $LEAVE' in r['body']['text'] and 'dutyctl leave return $LEAVE' in r['body']['text']")" "1" "to $L"
expect_eq "$(overdue "and r['body']['person'] == '$APPROVER' and '请督促其及时销假' in r['body']['text'] and '请假单 $LEAVE' in r['body']['text']")" "1" "to the approver $APPROVER"

# L2 is away today and reports the return in time.
as_person "$L2" "$DUTYCTL" leave return "$LEAVE2" >/dev/null || fail "leave return $LEAVE2"

# The next day, and again: none twice, nothing for the leave returned in time nor for the one to come.
restart_at 2026-06-25T10:00
sleep 3
restart_at 2026-06-25T10:05
sleep 3
expect_eq "$(overdue)" "2" "return_overdue after two restarts"
expect_eq "$(overdue "and '请假单 $LEAVE2' in r['body']['text']")" "0" "nothing for the leave returned in time"
expect_eq "$(overdue "and '请假单 $LEAVE3' in r['body']['text']")" "0" "nothing for a leave to come"
expect_eq "$(cmd_count "r['env']['DUTY_NOTIFY_KIND'] == 'return_overdue'")" "2" "hook runs"
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" 'sorted(n["person"] for n in d["notifications"] if n["kind"] == "return_overdue")')" \
        "$(python3 -c 'import sys; print(sorted(sys.argv[1:]))' "$L" "$APPROVER")" "return_overdue in the outbox"

echo "PASS: return_overdue of leave $LEAVE to $L and $APPROVER, once; none for the leave returned in time"
