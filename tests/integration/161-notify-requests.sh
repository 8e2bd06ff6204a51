#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Requests reach the people they wait for, through a webhook receiver and a command hook on
# loopback, with the people acting as themselves: a substitution (代班) reaches its counterpart; a
# leave request reaches its approver, and the approval reaches the applicant; a rejection too. The
# reply of each call comes first: the delivery follows from the event loop. A refused request
# queues nothing. Each message is in the recipient's language (a person with language "en").
. "$(dirname "$0")/notify-roster-lib.sh"

notify_start_roster

# ---- a substitution reaches the counterpart ----

D1=2026-06-10
A=$(duty "$D1" officer_on_duty)
B=$(free_person officer "$D1")
[ -n "$A" ] && [ -n "$B" ] || fail "no officer or free officer around $D1"
out=$(as_person "$A" "$DUTYCTL" --json swap cover "$D1" --by "$B" --reason "外出开会") || fail "swap cover"
SWAP=$(swap_field "$out" '["id"]')
wait_until 10 "the swap request on the webhook" at_least 1 hook_count "r['path'] == '/ops' and r['body']['kind'] == 'swap_requested'"
wait_until 10 "the swap request through the hook" at_least 1 cmd_count "r['env']['DUTY_NOTIFY_KIND'] == 'swap_requested'"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'swap_requested' and r['body']['person'] == '$B'")" "1" "to the counterpart $B"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'swap_requested' and 'dutyctl swap accept $SWAP' in r['body']['text']")" "1" "says how to answer"
expect_eq "$(cmd_count "r['env']['DUTY_NOTIFY_PERSON'] == '$B'")" "1" "the hook's recipient"

# ---- a leave reaches its approver; the decision reaches the applicant ----

L=$(free_person leader 2026-06-22 wangjg)
[ -n "$L" ] || fail "no leader free on 2026-06-22"
out=$(as_person "$L" "$DUTYCTL" --json leave request --from 2026-06-22 --to 2026-06-22 --destination 南昌 --reason 开会) ||
        fail "leave request: $(as_person "$L" "$DUTYCTL" leave check --from 2026-06-22 --to 2026-06-23 --destination 南昌 --reason 开会 2>&1)"
LEAVE=$(json_get "$out" 'd["leave"]["id"]')
APPROVER=$(json_get "$out" 'd["leave"]["approver"]')
[ -n "$APPROVER" ] && [ "$APPROVER" != None ] || fail "the leave has no approver"
wait_until 10 "the leave on the webhook" at_least 1 hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_pending'"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_pending' and r['body']['person'] == '$APPROVER'")" "1" "to the approver $APPROVER"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_pending' and 'dutyctl leave approve $LEAVE' in r['body']['text']")" "1" "says how to decide"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_decided'")" "0" "no decision yet"

as_person "$APPROVER" "$DUTYCTL" leave approve "$LEAVE" --reason 同意 >/dev/null || fail "leave approve"
wait_until 10 "the decision on the webhook" at_least 1 hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_decided'"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_decided' and r['body']['person'] == '$L'")" "1" "to the applicant $L"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_decided' and '批准' in r['body']['text']")" "1" "says approved"

# A rejection, to a person who reads English.
L2=$(free_person leader 2026-06-24 wangjg lixy "$L")
[ -n "$L2" ] || fail "no other leader free on 2026-06-24"
person_set "$L2" 'language = "en";'
"$DUTYCTL" reload >/dev/null || fail "reload with $L2 reading English"
out=$(as_person "$L2" "$DUTYCTL" --json leave request --from 2026-06-24 --to 2026-06-24 --destination 北京 --reason 学习) ||
        fail "leave request of $L2: $(as_person "$L2" "$DUTYCTL" leave check --from 2026-06-24 --to 2026-06-24 --destination 北京 --reason 学习 2>&1)"
LEAVE2=$(json_get "$out" 'd["leave"]["id"]')
APPROVER2=$(json_get "$out" 'd["leave"]["approver"]')
as_person "$APPROVER2" "$DUTYCTL" leave reject "$LEAVE2" --reason 工作需要 >/dev/null || fail "leave reject"
wait_until 10 "the rejection on the webhook" at_least 1 hook_count "r['path'] == '/ops' and r['body']['kind'] == 'leave_decided' and r['body']['person'] == '$L2'"
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['person'] == '$L2' and 'was rejected' in r['body']['text'] and r['body']['language'] == 'en'")" "1" "in English"

# A refused request queues nothing.
before=$(hook_count 'True')
rc=0
as_person "$L" "$DUTYCTL" leave request --from 2026-05-01 --to 2026-05-02 --destination 南昌 --reason 过去 >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a leave in the past was accepted"
sleep 1
expect_eq "$(hook_count 'True')" "$before" "POSTs after a refused request"

# Everything sent once; the outbox agrees.
wait_until 10 "the outbox to record the deliveries" at_least 4 sent_count
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" 'sorted(n["kind"] for n in d["notifications"])')" \
        "['leave_decided', 'leave_decided', 'leave_pending', 'leave_pending', 'swap_requested']" "the outbox"
expect_eq "$(hook_count "r['path'] == '/ops'")" "5" "one POST per notification on ops"
echo "PASS: swap, leave and decisions delivered to the people concerned"
