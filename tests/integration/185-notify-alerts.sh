#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Alerts reach the people who act on them, through a webhook receiver on loopback, with the test
# clock and a real journald (the alerts are queued where the journal entry is remembered):
#   - an unfilled slot opened by the gap monitor (gap_alert) reaches the admins and the leader on
#     call of its day, once each, the alert's own message quoted; a later run of the monitor, a
#     restart, re-raise the same alert and queue nothing; filled, then emptied again, it is a new
#     alert and notifies again (a new id);
#   - nobody takes over a duty (takeover_missed), to the admins and that day's leader on call;
#   - a written report of an emergency misses its deadline (report_missed), the same people.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"
NOTIFY_ALERTS=on
. "$(dirname "$0")/notify-lib.sh"
trap 'kill "$RECEIVER_PID" 2>/dev/null || true; cleanup; journal_stop' EXIT

export DUTYD_DEBUG=1
touch "$T/dutyd.log"
ADMINS="['zhaods', 'zhouxd']"

# alert_to KIND [CONDITION]: the sorted recipients of the POSTs of KIND on the dutyd JSON channel.
alert_to() {
        python3 -c 'import json,sys
rs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(sorted(r["body"]["person"] for r in rs if r["path"] == "/ops" and r["body"]["kind"] == sys.argv[2] and eval(sys.argv[3])))' \
                "$HOOK_LOG" "$1" "${2:-True}"
}
# expected ADMINS-LIST PERSON: the sorted union.
expected() {
        python3 -c 'import sys; print(sorted(set(eval(sys.argv[1]) + [sys.argv[2]])))' "$1" "$2"
}
restart_monitor() {
        local n
        [ -z "$DUTYD_PID" ] || stop_dutyd
        export DUTYD_NOW=$1
        n=$(runs)
        start_dutyd
        wait_monitor_run "$n"
}

# Before the roster exists, its absence is an alert (roster_missing): to the admins (nobody is on
# call yet).
export DUTYD_NOW=2026-06-01T10:00
start_dutyd
wait_until 15 "the roster_missing alert" at_least 2 hook_count "r['path'] == '/ops' and r['body']['kind'] == 'gap_alert'"
expect_eq "$(alert_to gap_alert)" "$ADMINS" "no roster: the admins are told"
generate_roster
sleep 1
: >"$HOOK_LOG"

# ---- an unfilled slot: gap_alert to the admins and the leader on call ----

D=2026-06-05
O=$(duty $D officer_on_duty)
L=$(duty $D leader_on_call)
[ -n "$O" ] && [ -n "$L" ] || fail "no officer or leader on $D"
"$DUTYCTL" roster unassign $D officer_on_duty "$O" >/dev/null || fail "roster unassign"
WANT=$(expected "$ADMINS" "$L")
N=$(python3 -c "print(len($WANT))")
wait_until 15 "the gap alert on the webhook" at_least "$N" hook_count "r['path'] == '/ops' and r['body']['kind'] == 'gap_alert'"
sleep 1
expect_eq "$(alert_to gap_alert)" "$WANT" "the gap alert reaches the admins and the leader on call $L, once each"
TEXT=$(json_get "$(tail -n 1 "$HOOK_LOG")" 'd["body"]["text"]')
expect_contains "$TEXT" "$D" "the alert's day is quoted"
expect_contains "$TEXT" "dutyctl gaps" "says what to do"
expect_eq "$(hook_count "r['path'] == '/wecom' and r['body']['msgtype'] == 'text' and '缺口' in r['body']['text']['content']")" "$N" \
        "the robot channel too"
FIRST_IDS=$(python3 -c 'import json,sys
print(sorted(json.loads(l)["body"]["id"] for l in open(sys.argv[1]) if json.loads(l)["path"] == "/ops" and json.loads(l)["body"]["kind"] == "gap_alert"))' "$HOOK_LOG")

# Re-raised (a change runs the monitor again; a restart): nothing more.
"$DUTYCTL" roster assign 2026-06-06 officer_on_duty "$(duty 2026-06-06 officer_on_duty)" >/dev/null 2>&1 || true
restart_monitor 2026-06-01T11:00
sleep 1
expect_eq "$(alert_to gap_alert)" "$WANT" "a re-raised alert notifies nobody again"

# Filled (resolved), then emptied again: a new alert, notified again, with new ids.
"$DUTYCTL" roster assign $D officer_on_duty "$O" >/dev/null || fail "roster assign"
restart_monitor 2026-06-01T11:10
"$DUTYCTL" roster unassign $D officer_on_duty "$O" >/dev/null || fail "roster unassign again"
wait_until 15 "the second gap alert" at_least $((2 * N)) hook_count "r['path'] == '/ops' and r['body']['kind'] == 'gap_alert'"
sleep 1
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'gap_alert'")" "$((2 * N))" "one notification per recipient per alert"
expect_eq "$(python3 -c 'import json,sys
first = set(eval(sys.argv[2]))
ids = [json.loads(l)["body"]["id"] for l in open(sys.argv[1]) if json.loads(l)["path"] == "/ops" and json.loads(l)["body"]["kind"] == "gap_alert"]
print(len(set(ids)) == len(ids) and first <= set(ids))' "$HOOK_LOG" "$FIRST_IDS")" "True" "the new alert's notifications have new ids"
"$DUTYCTL" roster assign $D officer_on_duty "$O" >/dev/null || fail "roster assign back"
stop_dutyd

# ---- a missed takeover: takeover_missed ----

# The office takes over with dutyd from 2026-06-02 on; on 2026-06-03 nobody does.
export DUTYD_NOW=2026-06-02T08:20
start_dutyd
as_person "$(duty 2026-06-02 officer_on_duty)" "$DUTYCTL" handover take >/dev/null || fail "handover take"
as_person "$(duty 2026-06-02 leader_on_call)" "$DUTYCTL" handover take >/dev/null || fail "handover take by the leader"
D3=2026-06-03
L3=$(duty $D3 leader_on_call)
restart_monitor 2026-06-03T08:46
WANT3=$(expected "$ADMINS" "$L3")
wait_until 15 "the missed takeover on the webhook" at_least 1 hook_count "r['path'] == '/ops' and r['body']['kind'] == 'takeover_missed'"
GAPS=$(json_get "$("$DUTYCTL" --json gaps --days 3)" 'len([g for g in d["gaps"] if g["kind"] == "takeover_missing"])')
[ "$GAPS" -ge 1 ] || fail "no takeover_missing gap"
# Every one queued with the alert; their deliveries may take a while on a slow machine.
EXPECT3=$((GAPS * $(python3 -c "print(len($WANT3))")))
wait_until 15 "the missed takeovers' notifications on the webhook" at_least "$EXPECT3" \
        hook_count "r['path'] == '/ops' and r['body']['kind'] == 'takeover_missed'"
sleep 1
POSTS=$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'takeover_missed'")
expect_eq "$POSTS" "$EXPECT3" "one notification per missed post and recipient"
expect_eq "$(python3 -c "print(sorted(set($(alert_to takeover_missed))))")" "$WANT3" "to the admins and the leader on call $L3"
restart_monitor 2026-06-03T09:10
sleep 1
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'takeover_missed'")" "$POSTS" \
        "an escalated alert (a higher step) is not notified again"
stop_dutyd

# ---- a written report missed: report_missed ----

D1=2026-06-10
A=$(duty $D1 officer_on_duty)
L1=$(duty $D1 leader_on_call)
# Everybody took over that day: only the report is late.
restart_at ${D1}T08:20
for p in "$A" "$L1"; do as_person "$p" "$DUTYCTL" handover take >/dev/null 2>&1 || true; done
restart_at ${D1}T10:00
out=$(as_person "$A" "$DUTYCTL" --json log add 突发事件 "某镇发生山体滑坡，2 户房屋受损，暂无人员伤亡" --time 09:40 \
        --from "某镇党委值班室") || fail "log add an emergency"
ID=$(json_get "$out" 'd["entry"]["id"]')
as_person "$A" "$DUTYCTL" log report "$ID" phone --to "市委总值班室" --time 09:55 >/dev/null || fail "log report phone"
restart_at ${D1}T10:55
WANT1=$(expected "$ADMINS" "$L1")
wait_until 15 "the missed report on the webhook" at_least "$(python3 -c "print(len($WANT1))")" \
        hook_count "r['path'] == '/ops' and r['body']['kind'] == 'report_missed'"
sleep 1
expect_eq "$(alert_to report_missed)" "$WANT1" "the missed report reaches the admins and the leader on call $L1"
expect_contains "$(json_get "$(grep '"report_missed"' "$HOOK_LOG" | grep '"/ops"' | head -n 1)" 'd["body"]["text"]')" "信息报送超时" "says what happened"
restart_at ${D1}T11:05
sleep 1
expect_eq "$(alert_to report_missed)" "$WANT1" "told once, notified once"

# ---- notify.alerts = "off": the journal only ----
stop_dutyd
sed -i 's/alerts = "on";/alerts = "off";/' "$T/etc/dutyd.conf"
: >"$HOOK_LOG"
start_dutyd
"$DUTYCTL" roster unassign 2026-06-12 officer_on_duty "$(duty 2026-06-12 officer_on_duty)" >/dev/null || fail "roster unassign with alerts off"
sleep 2
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'gap_alert'")" "0" "no gap_alert with notify.alerts off"
expect_contains "$("$DUTYCTL" --json gaps --days 14)" "unfilled:2026-06-12" "the gap itself is still there"
echo "ok: gap_alert, takeover_missed and report_missed to the admins and the leader on call, once per alert"
