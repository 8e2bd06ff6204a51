#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Follow-up reports (续报) of an emergency against a real systemd-journald (journal-lib.sh). With
# duty_log.followup_report_minutes = 60, an emergency written as an open item at 09:40 whose
# written report went at 10:30 owes a follow-up by 11:30. At 11:40 the missing follow-up is told
# once, crit, DUTY_REPORT=followup, DUTY_DUE 11:30, and `dutyctl gaps` lists
# report_overdue:ID:followup; a follow-up recorded at 11:50 moves the next due to 12:50, told again
# at 13:00 with its own due. Closing the entry is the final report (终报): nothing more is owed or
# told, and a follow-up of a closed entry is refused.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

sed -i 's/followup_report_minutes = [0-9]*;/followup_report_minutes = 60;/' "$T/etc/dutyd.conf"
grep -q "followup_report_minutes = 60;" "$T/etc/dutyd.conf" || fail "followup_report_minutes not in the sample configuration"

entries() {
        "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_LOG_ID,DUTY_REPORT,DUTY_DUE,DUTY_OVERDUE_MINUTES \
                SYSLOG_IDENTIFIER=dutyd MESSAGE_ID="$ID_REPORT_OVERDUE" "$@" 2>/dev/null || true
}
followup_gaps() {
        "$DUTYCTL" --json gaps | python3 -c '
import json, sys
print(" ".join(g["id"] for g in json.load(sys.stdin)["gaps"] if g["kind"] == "report_overdue"))'
}

june_roster

# ---- 10:35: the emergency, its phone and written reports ----

restart_at ${D1}T10:35
out=$(as_person "$A" "$DUTYCTL" --json log add 突发事件 "某镇发生山体滑坡，2 户房屋受损" --time 09:40 --open) ||
        fail "log add an open emergency"
ID=$(json_get "$out" 'd["entry"]["id"]')
expect_eq "$(json_get "$out" 'd["entry"]["followup_report_due"]')" "None" "no follow-up owed before the written report"
as_person "$A" "$DUTYCTL" log report "$ID" phone --to "市委总值班室" --time 09:55 >/dev/null || fail "log report phone"
out=$(as_person "$A" "$DUTYCTL" --json log report "$ID" written --to "市委总值班室" --time 10:30) || fail "log report written"
expect_eq "$(json_get "$out" 'd["entry"]["followup_report_due"]')" "${D1}T11:30:00+08:00" "a follow-up due an hour after the written report"
expect_eq "$(json_get "$out" 'd["entry"]["followup_reports"]')" "0" "none recorded yet"
text=$(LC_ALL=C "$DUTYCTL" log show "$ID") || fail "log show"
expect_contains "$text" "due by $D1 11:30; not sent yet" "log show says when the follow-up is due"

# ---- 11:40: the follow-up is late ----

restart_at ${D1}T11:40
for _ in $(seq 1 100); do [ "$(count)" -ge 1 ] && break; journalctl --sync 2>/dev/null || true; sleep 0.05; done
expect_eq "$(count)" "1" "the missing follow-up is told"
json=$(entries)
expect_eq "$(json_get "$json" "d['PRIORITY']")" "2" "crit"
expect_eq "$(json_get "$json" "d['DUTY_LOG_ID']")" "$ID" "DUTY_LOG_ID"
expect_eq "$(json_get "$json" "d['DUTY_REPORT']")" "followup" "DUTY_REPORT"
expect_eq "$(json_get "$json" "d['DUTY_DUE']")" "$D1 11:30" "DUTY_DUE"
expect_eq "$(json_get "$json" "d['DUTY_OVERDUE_MINUTES']")" "10" "DUTY_OVERDUE_MINUTES"
expect_contains "$(json_get "$json" "d['MESSAGE']")" "续报" "the message names the follow-up"
expect_eq "$(followup_gaps)" "report_overdue:$ID:followup" "the late follow-up is a gap"

restart_at ${D1}T11:50
expect_eq "$(count)" "1" "told once per due time"
out=$(as_person "$A" "$DUTYCTL" --json log report "$ID" followup --to "市委总值班室") || fail "log report followup"
expect_eq "$(json_get "$out" 'd["entry"]["followup_report_sent"]')" "${D1}T11:50:00+08:00" "the follow-up's time"
expect_eq "$(json_get "$out" 'd["entry"]["followup_report_due"]')" "${D1}T12:50:00+08:00" "the next one an hour later"
expect_eq "$(json_get "$out" 'd["entry"]["followup_reports"]')" "1" "one recorded"
expect_eq "$(followup_gaps)" "" "a follow-up sent ends the gap"
"$DUTYCTL" log print "$D1" --output "$T/log.html" >/dev/null || fail "log print"
grep -q "续报：1 次，最近 11:50 报市委总值班室；下次时限 12:50" "$T/log.html" ||
        fail "the printed log does not show the follow-up and the next due time"

# ---- 13:00: the next one is late, told again with its own due ----

restart_at ${D1}T13:00
for _ in $(seq 1 100); do [ "$(count)" -ge 2 ] && break; journalctl --sync 2>/dev/null || true; sleep 0.05; done
expect_eq "$(count)" "2" "the next missing follow-up is told"
expect_eq "$(count DUTY_DUE="$D1 12:50")" "1" "with its own due time"

# ---- closed: the final report, nothing more owed ----

as_person "$A" "$DUTYCTL" log close "$ID" --note "终报：已处置完毕" >/dev/null || fail "log close"
expect_error "LogRefused" as_person "$A" "$DUTYCTL" log report "$ID" followup --to "市委总值班室"
expect_contains "$ERR" "终报" "a follow-up of a closed entry: the closing was the final report"
restart_at ${D1}T15:00
expect_eq "$(count)" "2" "nothing told after the closing"
expect_eq "$(followup_gaps)" "" "no gap after the closing"
out=$("$DUTYCTL" --json log show "$ID") || fail "log show"
expect_eq "$(json_get "$out" 'd["entry"]["followup_report_due"]')" "None" "nothing due once closed"
stop_dutyd
echo "146-followup: ok"
