#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A leader's leave refused because the leader is on call that day (rule on_duty) becomes acceptable
# once a substitution for the day is applied: the leave rules read the roster, which the
# substitution rewrote. The substitute, now on call, meets the rule instead.
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"

start_with_roster 2026-06-01T10:00

# A leader on call who needs no acting person (not one of the principals) and is not an
# administrator (who could approve a swap of someone else's but not their own).
D=
for d in 2026-06-10 2026-06-11 2026-06-12 2026-06-15 2026-06-16 2026-06-17; do
        l=$(duty "$d" leader_on_call)
        case "$l" in wangjg|lixy|zhaods) continue ;; esac
        D=$d
        L=$l
        break
done
[ -n "$D" ] || fail "no suitable leader on call"
L2=$(free_person leader "$D" "$L" wangjg lixy)
[ -n "$L2" ] || fail "no free leader around $D"

leave_check() {
        local rc=0
        OUT=$(as_person "$1" "$DUTYCTL" --json leave check --from "$D" --to "$D" --destination 南昌 --reason 开会) || rc=$?
        [ "$rc" -le 1 ] || fail "leave check by $1 failed with $rc"
}
on_duty_rules() {
        json_get "$OUT" '[v["rule"] for v in d["violations"] if v["rule"] == "on_duty"]'
}

leave_check "$L"
expect_eq "$(json_get "$OUT" 'd["allowed"]')" "False" "leave of the leader on call"
expect_eq "$(on_duty_rules)" "['on_duty']" "the leader on call meets the on_duty rule"
expect_error LeaveRefused as_person "$L" "$DUTYCTL" leave request --from "$D" --to "$D" --destination 南昌 --reason 开会

# The substitution: asked, accepted, approved by an administrator (the leader on call is a party).
ID=$(swap_field "$(as_person "$L" "$DUTYCTL" --json swap cover "$D" --by "$L2" --reason 请假外出)" '["id"]')
as_person "$L2" "$DUTYCTL" swap accept "$ID" >/dev/null || fail "accept"
expect_refused own_swap as_person "$L" "$DUTYCTL" swap approve "$ID"
"$DUTYCTL" swap approve "$ID" >/dev/null || fail "approve"
refresh_roster
expect_eq "$(duty "$D" leader_on_call)" "$L2" "the substitute is leader on call"

leave_check "$L"
expect_eq "$(on_duty_rules)" "[]" "the on_duty rule after the substitution"
expect_eq "$(json_get "$OUT" 'd["allowed"]')" "True" "the leave after the substitution"
out=$(as_person "$L" "$DUTYCTL" --json leave request --from "$D" --to "$D" --destination 南昌 --reason 开会) ||
        fail "leave request after the substitution"
LEAVE_ID=$(json_get "$out" 'd["leave"]["id"]')
"$DUTYCTL" leave approve "$LEAVE_ID" --override --reason 书记同意 >/dev/null || fail "leave approve"

# Now it is the substitute who is on call that day.
leave_check "$L2"
expect_eq "$(on_duty_rules)" "['on_duty']" "the substitute meets the on_duty rule"

# And the leader on leave cannot take the duty back by another swap.
expect_refused on_leave as_person "$L2" "$DUTYCTL" swap cover "$D" --by "$L"

stop_dutyd
echo "ok"
