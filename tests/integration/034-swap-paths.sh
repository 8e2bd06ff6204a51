#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Swaps (换班) and substitutions (代班) that end without changing the roster, with the people
# acting as themselves: declined by the counterpart (also after consenting), cancelled by the
# requester or an administrator (not by the counterpart), expired when the daemon's clock passes
# the deadline (and the expiry recorded in the history by the next change); and who may call the
# swap methods at all.
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"

start_with_roster 2026-06-01T10:00

# ---- Declined ----

D5=2026-06-24
A5=$(duty "$D5" officer_on_duty)
B5=$(free_person officer "$D5" "$A5" zhouxd)
[ -n "$B5" ] || fail "no free officer around $D5"
out=$(as_person "$A5" "$DUTYCTL" --json swap cover "$D5" --by "$B5") || fail "swap cover $D5"
ID5=$(swap_field "$out" '["id"]')
out=$(as_person "$B5" "$DUTYCTL" --json swap decline "$ID5" --reason "当天有事") || fail "swap decline"
expect_eq "$(swap_field "$out" '["state"]')" "declined" "declined"
expect_refused state as_person "$B5" "$DUTYCTL" swap accept "$ID5"
expect_refused state "$DUTYCTL" swap approve "$ID5"
out=$(as_person "$A5" "$DUTYCTL" --json swap show "$ID5")
expect_eq "$(json_get "$out" '[(e["action"], e["reason"]) for e in d["events"]]')" \
        "[('requested', None), ('declined', '当天有事')]" "history of a declined swap"
expect_eq "$(duty "$D5" officer_on_duty)" "$A5" "a declined swap changes nothing"

# A consent can be withdrawn before the approval.
ID6=$(swap_field "$(as_person "$A5" "$DUTYCTL" --json swap cover "$D5" --by "$B5")" '["id"]')
as_person "$B5" "$DUTYCTL" swap accept "$ID6" >/dev/null || fail "accept"
out=$(as_person "$B5" "$DUTYCTL" --json swap decline "$ID6") || fail "decline after accepting"
expect_eq "$(swap_field "$out" '["state"]')" "declined" "consent withdrawn"

# ---- Cancelled: by the requester, by an administrator, not by the counterpart ----

ID7=$(swap_field "$(as_person "$A5" "$DUTYCTL" --json swap cover "$D5" --by "$B5")" '["id"]')
expect_refused not_requester as_person "$B5" "$DUTYCTL" swap cancel "$ID7"
out=$(as_person "$A5" "$DUTYCTL" --json swap cancel "$ID7" --reason "不去了") || fail "cancel by the requester"
expect_eq "$(swap_field "$out" '["state"]')" "cancelled" "cancelled by the requester"

ID8=$(swap_field "$(as_person "$A5" "$DUTYCTL" --json swap cover "$D5" --by "$B5")" '["id"]')
as_person "$B5" "$DUTYCTL" swap accept "$ID8" >/dev/null || fail "accept"
out=$(as_person zhouxd "$DUTYCTL" --json swap cancel "$ID8") || fail "cancel by an administrator"
expect_eq "$(swap_field "$out" '["state"]')" "cancelled" "cancelled by an administrator"
expect_eq "$(duty "$D5" officer_on_duty)" "$A5" "cancelled swaps change nothing"

# ---- Who may call at all ----

expect_error "PermissionDenied" as_uid "$GUEST_UID" "$DUTYCTL" swap list
expect_error "PermissionDenied" "$DUTYCTL" swap cover "$D5" --by "$B5"
expect_contains "$ERR" "只有本单位人员" "root has no duty to hand over"
expect_error "NotFound" "$DUTYCTL" swap show 999
rc=0
"$DUTYCTL" swap show abc >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "a swap number that is not a number is a usage error"
rc=0
as_person "$A5" "$DUTYCTL" swap cover 2026-13-01 --by "$B5" >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "a date that is not a date is a usage error"

# The administrator's list has all of them, newest first.
out=$("$DUTYCTL" --json swap list) || fail "swap list by root"
expect_eq "$(json_get "$out" '[s["id"] for s in d["swaps"]]')" "[$ID8, $ID7, $ID6, $ID5]" "every swap, newest first"
out=$(as_person "$A5" "$DUTYCTL" --json swap list --mine) || fail "swap list --mine"
expect_eq "$(json_get "$out" "all('$A5' in (s['requester'], s['counterpart']) for s in d['swaps'])")" "True" \
        "--mine lists only the caller's"

# ---- Expired ----

D9=2026-06-27
A9=$(duty "$D9" officer_on_duty)
B9=$(free_person officer "$D9" "$A9")
[ -n "$B9" ] || fail "no free officer around $D9"
ID9=$(swap_field "$(as_person "$A9" "$DUTYCTL" --json swap cover "$D9" --by "$B9")" '["id"]')
as_person "$B9" "$DUTYCTL" swap accept "$ID9" >/dev/null || fail "accept"
stop_dutyd

# The day before the duty, past the handover: the lead time has run out.
export DUTYD_NOW=2026-06-26T09:00
start_dutyd
out=$(as_person "$A9" "$DUTYCTL" --json swap show "$ID9") || fail "swap show after the deadline"
expect_eq "$(swap_field "$out" '["state"]')" "expired" "expired at the deadline"
expect_refused expired "$DUTYCTL" swap approve "$ID9"
expect_refused expired as_person "$A9" "$DUTYCTL" swap cancel "$ID9"
out=$(as_person "$B9" "$DUTYCTL" --json swap list --pending)
expect_eq "$(json_get "$out" "$ID9 in [s['id'] for s in d['swaps']]")" "False" "an expired swap is not pending"
expect_eq "$(duty "$D9" officer_on_duty)" "$A9" "an expired swap changes nothing"

# The next change records the expiry in the swap's history.
refresh_roster
D10=2026-06-29
A10=$(duty "$D10" officer_on_duty)
B10=$(free_person officer "$D10" "$A10")
as_person "$A10" "$DUTYCTL" swap cover "$D10" --by "$B10" >/dev/null || fail "swap cover $D10"
out=$("$DUTYCTL" --json swap show "$ID9")
expect_eq "$(json_get "$out" 'd["events"][-1]["action"]')" "expired" "the expiry is recorded"
expect_eq "$(json_get "$out" 'd["events"][-1].get("actor")')" "None" "nobody expires a swap"

stop_dutyd
echo "ok"
