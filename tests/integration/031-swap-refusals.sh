#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every reason a swap or a substitution is refused, each with its rule and a sentence naming the
# person and the day: the people (self, not on the staff list, not eligible, not active), the duty
# (not held, past, within the lead time, a year apart, locked), what the counterpart already has
# (leave, declared unavailability, another post that day, too little rest), and at the approval the
# same checks again against the roster as it is then (a duty already handed over, an absence
# declared since).
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl

# mal leaves the office on 2026-06-09; zhaods can also be officer on duty.
python3 - "$T/etc/dutyd.conf" <<'PY' || fail "cannot edit the test's configuration"
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('{ id = "mal";', '{ id = "mal"; active_until = "2026-06-09";', 1)
s = s.replace('roles = [ "leader", "approver", "admin" ]; },', 'roles = [ "leader", "approver", "admin", "officer" ]; },', 1)
open(p, "w", encoding="utf-8").write(s)
PY
. "$(dirname "$0")/swap-lib.sh"

export DUTYD_NOW=2026-06-01T10:00
start_dutyd
generate_roster

D=2026-06-12
A=$(duty "$D" officer_on_duty)
L=$(duty "$D" leader_on_call)
[ -n "$A" ] && [ -n "$L" ] || fail "no duty on $D"
A_NAME=$(json_get "$(cat "$T/people.json")" "[p['name'] for p in d['people'] if p['id'] == '$A'][0]")

# ---- The people ----

expect_refused self as_person "$A" "$DUTYCTL" swap cover "$D" --by "$A"
expect_refused staff as_person "$A" "$DUTYCTL" swap cover "$D" --by nobody
expect_contains "$ERR" "nobody" "the refusal names who is not on the staff list"
LEADER=$(free_person leader "$D" zhaods)
expect_refused eligibility as_person "$A" "$DUTYCTL" swap cover "$D" --by "$LEADER"
expect_contains "$ERR" "$D" "the refusal names the day"
expect_refused eligibility as_person "$L" "$DUTYCTL" swap cover "$D" --by "$(free_person officer "$D" zhaods)"
expect_refused inactive as_person "$A" "$DUTYCTL" swap cover "$D" --by mal
expect_contains "$ERR" "不在岗" "inactive, said plainly"

# ---- The duty ----

NOT_MINE=$(python3 "$SWAP_PY" days "$T/roster.json" "$A" | sed -n 1p)
OTHER_DAY=2026-06-14
[ "$(duty "$OTHER_DAY" officer_on_duty)" != "$A" ] || OTHER_DAY=2026-06-16
expect_refused no_duty as_person "$A" "$DUTYCTL" swap cover "$OTHER_DAY" --by "$(free_person officer "$OTHER_DAY" zhaods)"
expect_contains "$ERR" "$A_NAME" "the refusal names whose duty is missing"
expect_error NotFound as_person "$A" "$DUTYCTL" swap cover "$D" --by "$(free_person officer "$D" zhaods)" --post no_such_post

# Today's duty has begun at 08:30; tomorrow's is within the day of lead time.
A0=$(duty 2026-06-01 officer_on_duty)
expect_refused past as_person "$A0" "$DUTYCTL" swap cover 2026-06-01 --by "$(free_person officer 2026-06-01 zhaods)"
A1=$(duty 2026-06-02 officer_on_duty)
expect_refused lead_time as_person "$A1" "$DUTYCTL" swap cover 2026-06-02 --by "$(free_person officer 2026-06-02 zhaods)"
expect_contains "$ERR" "2026-06-02" "the lead time refusal names the day"
expect_refused too_far as_person "$A" "$DUTYCTL" swap request "$D" --with "$(free_person officer "$D" zhaods)" --their-date 2027-07-01

# A locked duty stays with its holder.
DL=2026-06-18
AL=$(duty "$DL" officer_on_duty)
"$DUTYCTL" roster assign "$DL" officer_on_duty "$AL" --lock >/dev/null || fail "lock $DL"
expect_refused locked as_person "$AL" "$DUTYCTL" swap cover "$DL" --by "$(free_person officer "$DL" zhaods)"

# ---- What the counterpart already has ----

B=$(free_person officer "$D" "$A" zhaods zhouxd)
[ -n "$B" ] || fail "no free officer around $D"
"$DUTYCTL" unavailable add "$B" --from "$D" --to "$D" --reason "体检" >/dev/null || fail "unavailable add"
expect_refused unavailable as_person "$A" "$DUTYCTL" swap cover "$D" --by "$B"
B_ID=$(json_get "$("$DUTYCTL" --json unavailable list --person "$B")" 'd["items"][0]["id"]')
"$DUTYCTL" unavailable remove "$B_ID" >/dev/null || fail "unavailable remove"

# Rest: an officer with the next day's duty.
NEXT=$(duty 2026-06-13 officer_on_duty)
[ "$NEXT" != "$A" ] || fail "$A holds two days in a row"
expect_refused rest as_person "$A" "$DUTYCTL" swap cover "$D" --by "$NEXT"
expect_contains "$ERR" "2026-06-13" "the rest refusal names the other duty"

# Another post that day: zhaods, on call as a leader, asked to be officer on duty too.
DZ=$(python3 "$SWAP_PY" days "$T/roster.json" zhaods | while read -r d; do
        [ "$(duty "$d" leader_on_call)" = zhaods ] && [ "$d" \> 2026-06-03 ] && { echo "$d"; break; }; done)
[ -n "$DZ" ] || fail "zhaods is never leader on call after 2026-06-03"
expect_refused double_booking as_person "$(duty "$DZ" officer_on_duty)" "$DUTYCTL" swap cover "$DZ" --by zhaods

# Leave: a leader on approved leave that day cannot take the leader's duty.
L2=$(free_person leader "$D" "$L" zhaods wangjg lixy)
[ -n "$L2" ] || fail "no free leader around $D"
out=$(as_person "$L2" "$DUTYCTL" --json leave request --from "$D" --to "$D" --destination 南昌 --reason 开会) ||
        fail "leave request by $L2"
LEAVE_ID=$(json_get "$out" 'd["leave"]["id"]')
"$DUTYCTL" leave approve "$LEAVE_ID" --override --reason 书记同意 >/dev/null || fail "leave approve"
expect_refused on_leave as_person "$L" "$DUTYCTL" swap cover "$D" --by "$L2"
expect_contains "$ERR" "请假" "on leave, said plainly"

# ---- Again at the approval ----

# Two offers for one duty, both accepted: the second approval finds the duty handed over already.
B1=$(free_person officer "$D" "$A" zhaods zhouxd)
B2=$(free_person officer "$D" "$A" "$B1" zhaods zhouxd)
[ -n "$B2" ] || fail "not two free officers around $D"
S1=$(swap_field "$(as_person "$A" "$DUTYCTL" --json swap cover "$D" --by "$B1")" '["id"]')
S2=$(swap_field "$(as_person "$A" "$DUTYCTL" --json swap cover "$D" --by "$B2")" '["id"]')
as_person "$B1" "$DUTYCTL" swap accept "$S1" >/dev/null || fail "accept $S1"
as_person "$B2" "$DUTYCTL" swap accept "$S2" >/dev/null || fail "accept $S2"

# Meanwhile B2 declared a day off: the approval checks again and refuses, and keeps nothing.
"$DUTYCTL" unavailable add "$B2" --from "$D" --to "$D" >/dev/null || fail "unavailable add"
expect_refused unavailable as_person "$L" "$DUTYCTL" swap approve "$S2"
expect_eq "$(swap_field "$("$DUTYCTL" --json swap show "$S2")" '["state"]')" "accepted" "a refused approval keeps nothing"
refresh_roster
expect_eq "$(duty "$D" officer_on_duty)" "$A" "a refused approval changes nothing"
B2_ID=$(json_get "$("$DUTYCTL" --json unavailable list --person "$B2")" 'd["items"][0]["id"]')
"$DUTYCTL" unavailable remove "$B2_ID" >/dev/null || fail "unavailable remove"

as_person "$L" "$DUTYCTL" swap approve "$S1" >/dev/null || fail "approve $S1"
expect_refused roster_changed as_person "$L" "$DUTYCTL" swap approve "$S2"
expect_contains "$ERR" "$A_NAME" "the refusal names whose duty it was"
refresh_roster
expect_eq "$(duty "$D" officer_on_duty)" "$B1" "the first approval stands"
expect_eq "$(swap_field "$("$DUTYCTL" --json swap show "$S2")" '["state"]')" "accepted" "the overtaken swap is untouched"

# The refusals were audited, with their error.
"$DUTYCTL" --json audit --limit 500 >"$T/audit.json" || fail "audit"
expect_eq "$(json_get "$(cat "$T/audit.json")" \
        "len([e for e in d['entries'] if e['method'].endswith('SwapApprove') and e['result'] == 'SwapRefused'])")" "2" \
        "refused approvals in the audit log"

stop_dutyd
echo "ok"
