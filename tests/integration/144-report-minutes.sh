#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The report deadlines of an emergency (信息报送) come from dutyd.conf: with
# duty_log = { phone_report_minutes = 20; written_report_minutes = 45; } an emergency that happened
# at 09:40 owes its report by phone by 10:00 and its written one by 10:25 (not 10:10 and 10:40 as
# by default); at 10:30 the missing written report is told to a real journald, crit, 5 minutes
# late, and the phone report (recorded at 09:58) is not. An entry keeps the deadlines in force when
# it was written. A written deadline before the phone one, or one out of range, is refused with
# file:line by --check-config.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/report-lib.sh"

# ---- bad settings: file:line ----

set_minutes() {
        python3 - "$1" "$2" "$3" <<'PY' || fail "cannot edit the configuration"
import re, sys
p, phone, written = sys.argv[1:]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r"phone_report_minutes = \d+;", "phone_report_minutes = %s;" % phone, s)
assert n == 1, "phone_report_minutes not in the sample configuration"
s, n = re.subn(r"written_report_minutes = \d+;", "written_report_minutes = %s;" % written, s)
assert n == 1, "written_report_minutes not in the sample configuration"
open(p, "w", encoding="utf-8").write(s)
PY
}
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the sample configuration does not check"
cp "$T/etc/dutyd.conf" "$T/etc/good.conf"

check_refused() {
        local key=$1 what=$2 line rc=0
        line=$(grep -n "$key = " "$T/etc/dutyd.conf" | sed -n 1p | cut -d: -f1)
        out=$("$DUTYD" --check-config "$T/etc/dutyd.conf" 2>&1) || rc=$?
        expect_eq "$rc" "1" "--check-config refuses $what"
        expect_contains "$out" "dutyd.conf:$line" "$what: file:line"
        expect_contains "$out" "duty_log.written_report_minutes" "$what: the setting named"
}
set_minutes "$T/etc/dutyd.conf" 30 20
check_refused written_report_minutes "a written report due before the phone report"
expect_contains "$out" "less than phone_report_minutes" "says why"
cp "$T/etc/good.conf" "$T/etc/dutyd.conf"
set_minutes "$T/etc/dutyd.conf" 30 1441
check_refused written_report_minutes "a deadline of more than a day"

# ---- the office's own deadlines ----

cp "$T/etc/good.conf" "$T/etc/dutyd.conf"
set_minutes "$T/etc/dutyd.conf" 20 45
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "20 and 45 minutes do not check"

entries() {
        "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_LOG_ID,DUTY_REPORT,DUTY_DUE,DUTY_OVERDUE_MINUTES \
                SYSLOG_IDENTIFIER=dutyd MESSAGE_ID="$ID_REPORT_OVERDUE" "$@" 2>/dev/null || true
}

june_roster

export DUTYD_NOW=${D1}T09:59
start_dutyd
out=$(as_person "$A" "$DUTYCTL" --json log add 突发事件 "某镇发生山体滑坡，2 户房屋受损" --time 09:40) ||
        fail "log add an emergency"
ID=$(json_get "$out" 'd["entry"]["id"]')
expect_eq "$(json_get "$out" 'd["entry"]["phone_report_due"]')" "${D1}T10:00:00+08:00" "report by phone due phone_report_minutes after the event"
expect_eq "$(json_get "$out" 'd["entry"]["written_report_due"]')" "${D1}T10:25:00+08:00" "written report due written_report_minutes after the event"
as_person "$A" "$DUTYCTL" log report "$ID" phone --to "市委总值班室" --time 09:58 >/dev/null || fail "log report phone"
stop_dutyd

# The office goes back to the defaults: the entry keeps the deadlines it was written with.
cp "$T/etc/good.conf" "$T/etc/dutyd.conf"
export DUTYD_NOW=${D1}T10:30
n=$(turns)
start_dutyd
wait_turn "$n"
for _ in $(seq 1 100); do [ "$(count)" -ge 1 ] && break; journalctl --sync 2>/dev/null || true; sleep 0.05; done
out=$("$DUTYCTL" --json log show "$ID") || fail "log show"
expect_eq "$(json_get "$out" 'd["entry"]["written_report_due"]')" "${D1}T10:25:00+08:00" "the deadline written stays"
expect_eq "$(count)" "1" "one alert: the written report, 5 minutes late (by default it would not be late yet)"
json=$(entries)
expect_eq "$(json_get "$json" "d['PRIORITY']")" "2" "crit"
expect_eq "$(json_get "$json" "d['DUTY_LOG_ID']")" "$ID" "DUTY_LOG_ID"
expect_eq "$(json_get "$json" "d['DUTY_REPORT']")" "written" "DUTY_REPORT"
expect_eq "$(json_get "$json" "d['DUTY_DUE']")" "$D1 10:25" "DUTY_DUE"
expect_eq "$(json_get "$json" "d['DUTY_OVERDUE_MINUTES']")" "5" "DUTY_OVERDUE_MINUTES"
# A new emergency now gets the defaults back.
out=$(as_person "$A" "$DUTYCTL" --json log add 突发事件 "某路段发生交通事故" --time 10:20) || fail "log add a second emergency"
expect_eq "$(json_get "$out" 'd["entry"]["phone_report_due"]')" "${D1}T10:50:00+08:00" "the default phone deadline again"
expect_eq "$(json_get "$out" 'd["entry"]["written_report_due"]')" "${D1}T11:20:00+08:00" "the default written deadline again"
stop_dutyd
echo "144-report-minutes: ok"
