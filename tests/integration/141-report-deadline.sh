#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Report deadlines of the duty log (信息报送) against a real systemd-journald, in a private mount
# namespace (journal-lib.sh): an emergency (突发事件) written at 10:00 for 09:40 owes a report by
# phone by 10:10 and a written one by 10:40. The phone report is recorded in time; the written one
# is not, and dutyd restarted at 10:55 (the test clock) tells the journal once, crit, with its
# MESSAGE_ID and the DUTY_* fields, 15 minutes late; a later restart does not repeat it. Recording
# a report twice, or for an entry that owes none, is refused.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

entries() {
        "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_LOG_ID,DUTY_DATE,DUTY_REPORT,DUTY_DUE,DUTY_OVERDUE_MINUTES,DUTY_PERSON \
                SYSLOG_IDENTIFIER=dutyd MESSAGE_ID="$ID_REPORT_OVERDUE" "$@" 2>/dev/null || true
}

june_roster

# ---- 10:00: the emergency is written, its deadlines set ----

export DUTYD_NOW=${D1}T10:00
n=$(turns)
start_dutyd
wait_turn "$n"
out=$(as_person "$A" "$DUTYCTL" --json log add 突发事件 "某镇发生山体滑坡，2 户房屋受损，暂无人员伤亡" --time 09:40 \
        --from "某镇党委值班室" --measures "已报带班领导，通知应急、自然资源部门赶赴现场") || fail "log add an emergency"
ID=$(json_get "$out" 'd["entry"]["id"]')
expect_eq "$(json_get "$out" 'd["entry"]["phone_report_due"]')" "${D1}T10:10:00+08:00" "report by phone due 30 minutes after the event"
expect_eq "$(json_get "$out" 'd["entry"]["written_report_due"]')" "${D1}T10:40:00+08:00" "written report due 60 minutes after the event"
out=$(as_person "$A" "$DUTYCTL" --json log add 突发事件 "续报：受损房屋增至 3 户" --follows "$ID") || fail "a follow-up"
expect_eq "$(json_get "$out" 'd["entry"]["written_report_due"]')" "None" "a follow-up (续报) starts no new deadline"
out=$(as_person "$A" "$DUTYCTL" --json log add 来电 "询问防汛物资储备情况") || fail "log add a call"
CALL=$(json_get "$out" 'd["entry"]["id"]')
expect_eq "$(json_get "$out" 'd["entry"]["phone_report_due"]')" "None" "a call owes no report"

out=$(as_person "$A" "$DUTYCTL" --json log report "$ID" phone --to "市委总值班室" --time 09:55) || fail "log report phone"
expect_eq "$(json_get "$out" 'd["entry"]["phone_report_sent"]')" "${D1}T09:55:00+08:00" "the phone report's time"
expect_eq "$(json_get "$out" 'd["entry"]["phone_report_to"]')" "市委总值班室" "to whom"
expect_error "LogRefused" as_person "$A" "$DUTYCTL" log report "$ID" phone --to "市委总值班室"
expect_contains "$ERR" "已登记" "a report recorded twice"
expect_error "LogRefused" as_person "$A" "$DUTYCTL" log report "$CALL" written --to "市委总值班室"
expect_contains "$ERR" "只有突发事件" "a report of a call"
text=$(as_person "$A" "$DUTYCTL" log show "$ID") || fail "log show"
expect_contains "$text" "due by $D1 10:40; not sent yet" "the written report still owed"
# Nothing is overdue at 10:00.
expect_eq "$(count)" "0" "no alert before the deadlines"
stop_dutyd

# ---- 10:55: the written report is 15 minutes late ----

export DUTYD_NOW=${D1}T10:55
n=$(turns)
started=$(date +%s%N)
start_dutyd
wait_turn "$n"
for _ in $(seq 1 100); do [ "$(count)" -ge 1 ] && break; journalctl --sync 2>/dev/null || true; sleep 0.05; done
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
expect_eq "$(count)" "1" "one alert: the written report (the phone report went)"
json=$(entries)
field() { json_get "$json" "d['$1']"; }
expect_eq "$(field PRIORITY)" "2" "an overdue report is crit"
expect_eq "$(field DUTY_LOG_ID)" "$ID" "DUTY_LOG_ID"
expect_eq "$(field DUTY_DATE)" "$D1" "DUTY_DATE"
expect_eq "$(field DUTY_REPORT)" "written" "DUTY_REPORT"
expect_eq "$(field DUTY_DUE)" "$D1 10:40" "DUTY_DUE"
expect_eq "$(field DUTY_OVERDUE_MINUTES)" "15" "DUTY_OVERDUE_MINUTES"
expect_eq "$(field DUTY_PERSON)" "$A" "DUTY_PERSON: who wrote the entry"
expect_contains "$(field MESSAGE)" "某镇发生山体滑坡" "the message names the event"
expect_contains "$(field MESSAGE)" "超时 15 分钟" "the message says how late"
expect_contains "$(field MESSAGE)" "dutyctl log report $ID written" "the message says how to record it"
# A latency goal, not a timed assertion: measured and printed, bounded generously.
echo "141-report-deadline: the overdue report reached the journal ${elapsed_ms} ms after dutyd was started"
[ "$elapsed_ms" -lt 10000 ] || fail "the overdue report took ${elapsed_ms} ms to reach the journal"
stop_dutyd

# ---- 11:30: told once, not again ----

export DUTYD_NOW=${D1}T11:30
n=$(turns)
start_dutyd
wait_turn "$n"
expect_eq "$(count)" "1" "the overdue report is not told twice"
# The duty sends it now: recorded, nothing more to tell.
out=$(as_person "$A" "$DUTYCTL" --json log report "$ID" written --to "市委总值班室") || fail "log report written"
expect_eq "$(json_get "$out" 'd["entry"]["written_report_sent"]')" "${D1}T11:30:00+08:00" "the written report's time"
echo "141-report-deadline: ok"
