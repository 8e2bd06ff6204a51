#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Missing reports are gaps of their own kinds, told to the journal once (a real systemd-journald in
# a private mount namespace, journal-lib.sh). On 2026-10-02 (国庆节: a daily report due by 15:00)
# an emergency written at 10:00 for 09:40 has its phone report recorded and not its written one
# (due 10:40). At 15:10 `dutyctl gaps` lists report_overdue:ID:written (crit, log_id, report, who
# wrote it) and daily_report_missing for 10-01 and 10-02; the journal has one entry of the duty
# log's own MESSAGE_ID for each and none from the gap monitor (no DUTY_GAP_KIND of these kinds,
# the same MESSAGE_ID not twice). Once the written report and the daily report are recorded, the
# gaps are gone and nothing more is told.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

count() {
        "${J[@]}" -o json SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null | grep -c . || true
}
# Restarts dutyd at $1 and waits for a turn of the deadline watch and a run of the gap monitor.
restart_at() {
        local n m
        [ -z "$DUTYD_PID" ] || stop_dutyd
        export DUTYD_NOW=$1
        n=$(turns)
        m=$(runs)
        start_dutyd
        for _ in $(seq 1 200); do
                [ "$(turns)" -gt "$n" ] && [ "$(runs)" -gt "$m" ] && break
                sleep 0.05
        done
        [ "$(turns)" -gt "$n" ] || fail "the report deadline watch did not run"
        [ "$(runs)" -gt "$m" ] || fail "the gap monitor did not run"
        journalctl --sync 2>/dev/null || true
}
# gap_ids: the ids `dutyctl gaps` lists now, of the kinds of this test, sorted.
gap_ids() {
        "$DUTYCTL" --json gaps | python3 -c '
import json, sys
print(" ".join(sorted(g["id"] for g in json.load(sys.stdin)["gaps"]
                      if g["kind"] in ("report_overdue", "daily_report_missing"))))'
}

export DUTYD_DEBUG=1
touch "$T/dutyd.log"
FROM=2026-09-28
TO=2026-10-08
start_with_roster 2026-09-20T10:00

D0=2026-10-01
D1=2026-10-02
A=$(duty "$D1" officer_on_duty)
[ -n "$A" ] || fail "no officer on duty on $D1"

# ---- 10:00: the emergency is written, its phone report recorded ----

restart_at ${D1}T10:00
out=$(as_person "$A" "$DUTYCTL" --json log add 突发事件 "某镇发生山体滑坡，2 户房屋受损" --time 09:40) ||
        fail "log add an emergency"
ID=$(json_get "$out" 'd["entry"]["id"]')
as_person "$A" "$DUTYCTL" log report "$ID" phone --to "市委总值班室" --time 09:55 >/dev/null || fail "log report phone"
# Only yesterday's daily report (a day of 国庆节 too) is missing yet.
expect_eq "$(gap_ids)" "daily_report_missing:$D0" "at 10:00, nothing of the emergency is late"

# ---- 15:10: the written report and today's daily report are late ----

restart_at ${D1}T15:10
for _ in $(seq 1 100); do
        [ "$(count MESSAGE_ID=$ID_DAILY_MISSING DUTY_DATE=$D1)" -ge 1 ] && [ "$(count MESSAGE_ID=$ID_REPORT_OVERDUE)" -ge 1 ] && break
        journalctl --sync 2>/dev/null || true
        sleep 0.05
done
expect_eq "$(gap_ids)" "daily_report_missing:$D0 daily_report_missing:$D1 report_overdue:$ID:written" \
        "the written report and the daily reports are gaps; the phone report went"
out=$("$DUTYCTL" --json gaps) || fail "gaps"
g() { json_get "$out" "[g for g in d['gaps'] if g['id'] == '$1'][0]['$2']"; }
expect_eq "$(g "report_overdue:$ID:written" kind)" "report_overdue" "kind"
expect_eq "$(g "report_overdue:$ID:written" urgency)" "crit" "an overdue report is crit"
expect_eq "$(g "report_overdue:$ID:written" log_id)" "$ID" "log_id"
expect_eq "$(g "report_overdue:$ID:written" report)" "written" "report"
expect_eq "$(g "report_overdue:$ID:written" person)" "$A" "who wrote the entry"
expect_eq "$(g "report_overdue:$ID:written" date)" "$D1" "the entry's duty day"
expect_contains "$(g "report_overdue:$ID:written" message)" "超时 270 分钟" "how late (10:40 → 15:10)"
expect_contains "$(g "report_overdue:$ID:written" message)" "dutyctl log report $ID written" "what to do"
expect_eq "$(g "daily_report_missing:$D1" urgency)" "crit" "a missing daily report is crit"
expect_contains "$(g "daily_report_missing:$D1" message)" "超时 10 分钟" "how late (15:00 → 15:10)"
text=$(LC_ALL=C "$DUTYCTL" gaps) || fail "gaps as text"
expect_contains "$text" "report overdue" "the text list names the kind"

# One journal path: the duty log's own entries, once; none from the gap monitor.
expect_eq "$(count MESSAGE_ID=$ID_REPORT_OVERDUE)" "1" "the overdue written report told once"
expect_eq "$(count MESSAGE_ID=$ID_DAILY_MISSING DUTY_DATE=$D1)" "1" "today's missing daily report told once"
expect_eq "$(count DUTY_GAP_KIND=report_overdue)" "0" "the gap monitor does not tell an overdue report again"
expect_eq "$(count DUTY_GAP_KIND=daily_report_missing)" "0" "nor a missing daily report"

# ---- the reports go: the gaps end, nothing more is told ----

as_person "$A" "$DUTYCTL" log report "$ID" written --to "市委总值班室" >/dev/null || fail "log report written"
as_person "$A" "$DUTYCTL" report daily --send --to 市委总值班室 >/dev/null || fail "report daily --send"
restart_at ${D1}T15:20
expect_eq "$(gap_ids)" "daily_report_missing:$D0" "sent reports are no longer gaps"
expect_eq "$(count MESSAGE_ID=$ID_REPORT_OVERDUE)" "1" "nothing more told of the report"
expect_eq "$(count MESSAGE_ID=$ID_DAILY_MISSING DUTY_DATE=$D1)" "1" "nothing more told of the daily report"
expect_eq "$(count DUTY_GAP_ID=report_overdue:$ID:written)" "0" "no resolved entry for a gap never told"
stop_dutyd
echo "145-report-gaps: ok"
