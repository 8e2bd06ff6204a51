#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# swap_approval and swap_decided, with the people acting as themselves: a substitution its
# counterpart accepts reaches the leader on call of its day (the one who may approve it, swap
# approver "leader_on_call"), and no administrator; the approval reaches the requester and the
# counterpart; a decline, with its reason, reaches the requester only; a requester withdrawing
# their own swap tells nobody. Each message once on the webhook receiver; a restart sends none
# again.
. "$(dirname "$0")/notify-roster-lib.sh"

notify_start_roster
kind() { hook_count "r['path'] == '/ops' and r['body']['kind'] == '$1' ${2:-}"; }
name_of() { json_get "$(cat "$T/people.json")" "[p['name'] for p in d['people'] if p['id'] == '$1'][0]"; }

# ---- accepted: waits for the leader on call ----

D1=2026-06-10
A=$(duty "$D1" officer_on_duty)
L=$(duty "$D1" leader_on_call)
B=$(free_person officer "$D1")
[ -n "$A" ] && [ -n "$B" ] && [ -n "$L" ] || fail "no officer, leader or free officer on $D1"
out=$(as_person "$A" "$DUTYCTL" --json swap cover "$D1" --by "$B" --reason "外出开会") || fail "swap cover"
ID1=$(swap_field "$out" '["id"]')
wait_until 10 "the request on the webhook" at_least 1 kind swap_requested
expect_eq "$(kind swap_approval)" "0" "no approval asked before the counterpart accepts"
as_person "$B" "$DUTYCTL" swap accept "$ID1" >/dev/null || fail "swap accept"
wait_until 10 "swap_approval on the webhook" at_least 1 kind swap_approval
sleep 1
expect_eq "$(kind swap_approval)" "1" "swap_approval once"
expect_eq "$(kind swap_approval "and r['body']['person'] == '$L'")" "1" "to the leader on call $L"
expect_eq "$(kind swap_approval "and '$(name_of "$A")与$(name_of "$B")' in r['body']['text'] and 'dutyctl swap approve $ID1' in r['body']['text']")" "1" "the approval text"
expect_eq "$(kind swap_approval "and r['body']['person'] in ('zhouxd', 'zhaods') and r['body']['person'] != '$L'")" "0" "no administrator asked"
expect_eq "$(kind swap_decided)" "0" "nothing decided yet"

# ---- approved: the requester and the counterpart ----

as_person "$L" "$DUTYCTL" swap approve "$ID1" >/dev/null || fail "swap approve"
wait_until 10 "swap_decided on the webhook" at_least 2 kind swap_decided
sleep 1
expect_eq "$(kind swap_decided)" "2" "two swap_decided"
expect_eq "$(kind swap_decided "and r['body']['person'] == '$A' and '已被$(name_of "$L")批准' in r['body']['text'] and '您 $D1 的调班申请（调班申请 $ID1）' in r['body']['text']")" "1" "to the requester $A"
expect_eq "$(kind swap_decided "and r['body']['person'] == '$B' and '$(name_of "$A")与您调换 $D1 值班的申请' in r['body']['text']")" "1" "to the counterpart $B"
expect_eq "$(kind swap_decided "and r['body']['person'] == '$L'")" "0" "nothing to the approver about their own decision"

# ---- declined with a reason: the requester only ----

D2=2026-06-16
A2=$(duty "$D2" officer_on_duty)
refresh_roster
B2=$(free_person officer "$D2" "$A" "$B")
[ -n "$A2" ] && [ -n "$B2" ] || fail "no officer or free officer on $D2"
out=$(as_person "$A2" "$DUTYCTL" --json swap cover "$D2" --by "$B2") || fail "swap cover $D2"
ID2=$(swap_field "$out" '["id"]')
as_person "$B2" "$DUTYCTL" swap decline "$ID2" --reason "家中有事" >/dev/null || fail "swap decline"
wait_until 10 "the decline on the webhook" at_least 3 kind swap_decided
sleep 1
expect_eq "$(kind swap_decided "and r['body']['person'] == '$A2' and '$(name_of "$B2")不同意' in r['body']['text'] and '理由：家中有事' in r['body']['text']")" "1" "the decline to $A2, with the reason"
expect_eq "$(kind swap_decided "and r['body']['person'] == '$B2'")" "0" "nothing to $B2 about their own decline"

# ---- withdrawn by the requester: nobody ----

D3=2026-06-22
A3=$(duty "$D3" officer_on_duty)
B3=$(free_person officer "$D3" "$A" "$B" "$A2" "$B2")
[ -n "$A3" ] && [ -n "$B3" ] || fail "no officer or free officer on $D3"
out=$(as_person "$A3" "$DUTYCTL" --json swap cover "$D3" --by "$B3") || fail "swap cover $D3"
ID3=$(swap_field "$out" '["id"]')
as_person "$A3" "$DUTYCTL" swap cancel "$ID3" >/dev/null || fail "swap cancel"
sleep 2
expect_eq "$(kind swap_decided)" "3" "a requester's own withdrawal tells nobody"

# ---- a restart sends nothing again ----

stop_dutyd
start_dutyd
sleep 2
expect_eq "$(kind swap_approval)" "1" "swap_approval after a restart"
expect_eq "$(kind swap_decided)" "3" "swap_decided after a restart"
text=$("$DUTYCTL" notify list) || fail "notify list"
expect_contains "$text" "swap_approval" "notify list shows swap_approval"
expect_contains "$text" "swap_decided" "notify list shows swap_decided"

echo "PASS: swap_approval to the leader on call, swap_decided to requester and counterpart, once each"
