#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reminders to the offices whose holiday roster has not arrived (催办, issue #19), through the
# notification channels to a real webhook receiver on loopback (notify-lib.sh): the aggregator's
# offices a (reported on time), b (missing, told through channel "ops"), c (missing, no contact)
# and d (missing, told through the 企业微信 robot "wecom"); remind_before = 24 hours.
#   - 55 hours before the deadline nobody is reminded;
#   - 23 hours before, b and d are reminded once each (kind report_reminder, the holiday and the
#     deadline in the text), a and c never; a restart at the same time sends nothing again;
#   - past the deadline b and d are reminded once more, saying it is overdue; `dutyctl notify list`
#     shows the four as sent to office:b and office:d.
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/notify-lib.sh"

. "$(dirname "$0")/offices-lib.sh"
# A private journald when root: the deadline alert stays out of the host's journal. Both the
# receiver and journald are stopped at the end.
journal_start
trap 'kill "$RECEIVER_PID" 2>/dev/null || true; cleanup; journal_stop' EXIT

R="$T/remote"
mkdir -p "$R"
put remote-a.journal roster a 甲县政府办 2026-7 1 published 2026-09-20T10:00

cat >>"$T/etc/dutyd.conf" <<CONF
aggregator = {
  journal_dir = "$R";
  remind_before = 24;
  offices = (
    { id = "a"; name = "甲县政府办"; notify = [ "ops" ]; },
    { id = "b"; name = "乙县政府办"; notify = [ "ops" ]; email = "duty@b.example.gov.cn"; },
    { id = "c"; name = "丙县政府办"; },
    { id = "d"; name = "丁县政府办"; notify = [ "wecom" ]; }
  );
};
CONF
national_day_report
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the aggregator config with contacts does not check"

reminders() { hook_count "r['body'].get('kind') == 'report_reminder' or 'dutyd_id' in r['body']"; }

# ---- 55 hours ahead: nothing yet ----
export DUTYD_NOW=2026-09-26T10:00
start_dutyd
wait_status a on_time
sleep 2.5   # a turn of the aggregator's timer
expect_eq "$(reminders)" 0 "reminders 55 hours before the deadline"
stop_dutyd

# ---- 23 hours ahead: b and d, once ----
export DUTYD_NOW=2026-09-27T18:00
start_dutyd
wait_until 20 "the reminders before the deadline" at_least 2 reminders
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'report_reminder' and r['body']['person'] == 'office:b'")" 1 \
        "b's reminder, through ops"
body=$(python3 -c 'import json,sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["path"] == "/ops" and r["body"].get("person") == "office:b":
        print(json.dumps(r["body"], ensure_ascii=False))' "$HOOK_LOG")
expect_eq "$(json_get "$body" "d['person_name']")" "乙县政府办" "the office's name"
expect_eq "$(json_get "$body" "d['email']")" "duty@b.example.gov.cn" "the office's mail address"
expect_contains "$(json_get "$body" "d['text']")" "国庆节" "the reminder names the holiday"
expect_contains "$(json_get "$body" "d['text']")" "2026-09-28 17:00" "the reminder names the deadline"
expect_contains "$(json_get "$body" "d['text']")" "dutyctl roster publish" "the reminder says what to do"
expect_eq "$(hook_count "r['path'] == '/wecom' and '丁县政府办' in r['body']['text']['content']")" 1 \
        "d's reminder, as a 企业微信 robot's text"
expect_eq "$(hook_count "'office:a' in json.dumps(r['body']) or '甲县政府办' in json.dumps(r['body'], ensure_ascii=False)")" 0 \
        "a reported on time: not reminded"
expect_eq "$(hook_count "'丙县政府办' in json.dumps(r['body'], ensure_ascii=False)")" 0 "c has no contact: not reminded"
stop_dutyd
start_dutyd
wait_status a on_time
sleep 2.5
expect_eq "$(reminders)" 2 "a restart at the same time reminds nobody again"
stop_dutyd

# ---- past the deadline: once more, overdue ----
export DUTYD_NOW=2026-09-28T17:01
start_dutyd
wait_until 20 "the reminders at the deadline" at_least 4 reminders
expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['kind'] == 'report_reminder' and r['body']['person'] == 'office:b' and '逾期' in r['body']['text']")" 1 \
        "b's second reminder says it is overdue"
expect_eq "$(hook_count "r['path'] == '/wecom' and '逾期' in r['body']['text']['content']")" 1 "d's second reminder"
sleep 2.5
expect_eq "$(reminders)" 4 "one reminder per office before and one at the deadline"
list=$("$DUTYCTL" --json notify list)
expect_eq "$(json_get "$list" "sorted((n['person'], n['kind'], n['state']) for n in d['notifications'])")" \
        "[('office:b', 'report_reminder', 'sent'), ('office:b', 'report_reminder', 'sent'), ('office:d', 'report_reminder', 'sent'), ('office:d', 'report_reminder', 'sent')]" \
        "notify list: the reminders, sent"
expect_eq "$(json_get "$list" "sorted(set(n['person_name'] for n in d['notifications']))")" "['丁县政府办', '乙县政府办']" \
        "notify list names the offices"
stop_dutyd
echo "OK"
