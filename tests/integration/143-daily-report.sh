#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The daily report (每日报告, 零报告: "有事报事，无事报平安") against a real systemd-journald, in a
# private mount namespace (journal-lib.sh). With the sample configuration (duty_log.daily_report
# "holidays", by 15:00): on 2026-10-02 (国庆节) the report is due (in a sensitive period too, and not
# on an ordinary workday), its draft says 无事报平安 while
# the log is empty, nobody but the people on duty may send it; dutyd restarted at 15:10 (the test
# clock) tells the journal once, crit, with its MESSAGE_ID, DUTY_DATE, DUTY_DUE and the people on
# duty; sent late, it is sent once. On 10-03 the report drafted from the day's log is sent by 14:30
# and nothing is told at 15:10. An ordinary workday owes none.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

entries() {
        "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_DATE,DUTY_DUE,DUTY_PERSON \
                SYSLOG_IDENTIFIER=dutyd MESSAGE_ID="$ID_DAILY_MISSING" "$@" 2>/dev/null || true
}

export DUTYD_DEBUG=1
touch "$T/dutyd.log"
FROM=2026-09-28
TO=2026-10-08
start_with_roster 2026-09-20T10:00

D1=2026-10-02
D2=2026-10-03
A=$(duty "$D1" officer_on_duty)
B=$(duty "$D2" officer_on_duty)
ADMINS=$(json_get "$(cat "$T/people.json")" "' '.join(p['id'] for p in d['people'] if 'admin' in p['roles'])")
# shellcheck disable=SC2086
OTHER=$(free_person officer "$D1" "$B" $ADMINS)
[ -n "$A" ] && [ -n "$B" ] && [ -n "$OTHER" ] || fail "no duty people on $D1 and $D2"

# An ordinary workday owes no daily report; a day of the sensitive period of the sample
# configuration (县党代会, 09-20 … 09-24) does, and so does a day of 国庆节.
out=$("$DUTYCTL" --json report daily 2026-09-28) || fail "report daily of a workday"
expect_eq "$(json_get "$out" 'd["report"]["due"]')" "False" "a workday owes none"
out=$("$DUTYCTL" --json report daily 2026-09-22) || fail "report daily in a sensitive period"
expect_eq "$(json_get "$out" 'd["report"]["due"]')" "True" "a day of a sensitive period owes one"
out=$("$DUTYCTL" --json report daily "$D1") || fail "report daily of a holiday"
expect_eq "$(json_get "$out" 'd["report"]["due"]')" "True" "a day of 国庆节 owes one"
expect_eq "$(json_get "$out" 'd["report"]["deadline"]')" "${D1}T15:00:00+08:00" "by 15:00"

# ---- 10-02, 14:00: due, not sent ----

restart_at ${D1}T14:00
out=$(as_person "$OTHER" "$DUTYCTL" --json report daily) || fail "report daily by a member"
expect_contains "$(json_get "$out" 'd["report"]["draft"]')" "无事报平安" "an empty log drafts 无事报平安"
expect_eq "$(json_get "$out" 'd["report"]["sent"]')" "None" "not sent yet"
expect_error "PermissionDenied" as_person "$OTHER" "$DUTYCTL" report daily --send --to 市委总值班室
expect_eq "$(count DUTY_DATE=$D1)" "0" "nothing told before 15:00"
# The day before, a day of 国庆节 too, went without a report: told at the start of this duty.
expect_eq "$(count DUTY_DATE=2026-10-01)" "1" "yesterday's missing report"

# ---- 15:10: told once ----

restart_at ${D1}T15:10
for _ in $(seq 1 100); do [ "$(count DUTY_DATE=$D1)" -ge 1 ] && break; journalctl --sync 2>/dev/null || true; sleep 0.05; done
expect_eq "$(count DUTY_DATE=$D1)" "1" "the missing daily report is told"
json=$(entries DUTY_DATE=$D1)
field() { json_get "$json" "d['$1']"; }
expect_eq "$(field PRIORITY)" "2" "crit"
expect_eq "$(field DUTY_DATE)" "$D1" "DUTY_DATE"
expect_eq "$(field DUTY_DUE)" "$D1 15:00" "DUTY_DUE"
expect_contains "$(json_get "$json" "d['DUTY_PERSON'] if isinstance(d['DUTY_PERSON'], str) else ','.join(d['DUTY_PERSON'])")" "$A" \
        "DUTY_PERSON names the officer on duty"
expect_contains "$(field MESSAGE)" "每日报告未报送" "the message"
restart_at ${D1}T15:20
expect_eq "$(count DUTY_DATE=$D1)" "1" "told once only"
out=$(as_person "$A" "$DUTYCTL" --json report daily --send --to 市委总值班室) || fail "report daily --send, late"
expect_eq "$(json_get "$out" 'd["report"]["to"]')" "市委总值班室" "sent to"
expect_contains "$(json_get "$out" 'd["report"]["text"]')" "无事报平安" "the draft is the text by default"
expect_error "LogRefused" as_person "$A" "$DUTYCTL" report daily --send --to 市委总值班室

# ---- 10-03: drafted from the log, sent in time, nothing told ----

restart_at ${D2}T14:00
as_person "$B" "$DUTYCTL" log add 来电 "市防汛办通知加强节日期间防汛值守" >/dev/null || fail "log add on $D2"
out=$(as_person "$B" "$DUTYCTL" --json report daily) || fail "report daily on $D2"
expect_contains "$(json_get "$out" 'd["report"]["draft"]')" "市防汛办通知加强节日期间防汛值守" "the draft sums up the day's log"
as_person "$B" "$DUTYCTL" report daily --send --to 市委总值班室 >/dev/null || fail "report daily --send on $D2"
restart_at ${D2}T15:10
expect_eq "$(count DUTY_DATE=$D2)" "0" "a report sent in time is not told"
expect_eq "$(count)" "2" "only the missing reports of 10-01 and 10-02 were told"
echo "143-daily-report: ok"
