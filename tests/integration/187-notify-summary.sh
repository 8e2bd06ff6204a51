#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The clerk's summary (notify.summary), through a webhook receiver on loopback, on the test clock:
#   - daily at 08:30 to the people of notify.summary.to: the day's duties (who, which post), the
#     open gaps, the leaves waiting for a decision, the swaps pending; nothing before 08:30, and a
#     restart later the same day sends nothing more (the key is the day's);
#   - weekly ("wed"): on Wednesday the week ahead (seven days of duties), on Thursday nothing; a
#     person who reads English gets it in English.
# Configuration mistakes are refused with their file:line.
. "$(dirname "$0")/notify-roster-lib.sh"

# set_summary TEXT: notify.summary set to TEXT (replacing the one before).
set_summary() {
        python3 - "$T/etc/dutyd.conf" "$1" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r'\n        summary = \{[^}]*\};', '', s)
s, n = re.subn(r'\n        reminder_time = "16:00";', '\n        reminder_time = "16:00";\n        summary = { %s };' % sys.argv[2].replace('\\', '\\\\'), s)
assert n == 1, n
open(p, "w", encoding="utf-8").write(s)
PY
}
summaries() { hook_count "r['path'] == '/ops' and r['body']['kind'] == 'summary' and ($1)"; }

# ---- mistakes, each at its line ----
bad_summary() {
        local text=$1 expected=$2 rc=0 err line
        cp "$T/etc/dutyd.conf" "$T/etc/good.conf"
        set_summary "$text"
        line=$(grep -n '^ *summary = {' "$T/etc/dutyd.conf" | cut -d: -f1)
        err=$("$DUTYD" --check-config "$T/etc/dutyd.conf" 2>&1) || rc=$?
        cp "$T/etc/good.conf" "$T/etc/dutyd.conf"
        [ "$rc" -ne 0 ] || fail "accepted: $text"
        expect_contains "$err" "dutyd.conf:$line" "the line of: $text"
        expect_contains "$err" "$expected" "the error of: $text"
}
bad_summary 'time = "8h30";' 'invalid time "8h30"'
bad_summary 'weekly = "monday";' 'unknown weekday "monday"'
bad_summary 'to = [ "nobody" ];' 'unknown person "nobody"'
bad_summary 'when = "08:30";' 'when'

set_summary 'time = "08:30"; to = [ "wum", "zhouxd" ];'
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with a daily summary does not check"

notify_start_roster
D=2026-06-02
O=$(duty $D officer_on_duty)
L=$(duty $D leader_on_call)
# An open gap (another day's slot emptied), a leave waiting, a substitution waiting for consent.
G=2026-06-05
GO=$(duty $G officer_on_duty)
"$DUTYCTL" roster unassign $G officer_on_duty "$GO" >/dev/null || fail "roster unassign"
LL=$(free_person leader 2026-06-22 wangjg)
out=$(as_person "$LL" "$DUTYCTL" --json leave request --from 2026-06-22 --to 2026-06-22 --destination 南昌 --reason 开会) ||
        fail "leave request"
LEAVE=$(json_get "$out" 'd["leave"]["id"]')
S=2026-06-10
SA=$(duty $S officer_on_duty)
SB=$(free_person officer $S)
out=$(as_person "$SA" "$DUTYCTL" --json swap cover $S --by "$SB" --reason "外出开会") || fail "swap cover"
SWAP=$(swap_field "$out" '["id"]')
name() { json_get "$(cat "$T/people.json")" "[p['name'] for p in d['people'] if p['id'] == '$1'][0]"; }
stop_dutyd

# Started at 10:00 on 2026-06-01, past 08:30: that day's summary went at the start (owed, late).
expect_eq "$(summaries "'2026-06-01 至 2026-06-01' in r['body']['text']")" "2" "the first day's summary, late"
: >"$HOOK_LOG"

# ---- daily, at 08:30 ----
export DUTYD_NOW=${D}T08:29:50
start_dutyd
sleep 1
expect_eq "$(summaries True)" "0" "no summary before 08:30"
wait_until 30 "the daily summaries" at_least 2 summaries True
sleep 1
expect_eq "$(summaries True)" "2" "one summary per person"
expect_eq "$(python3 -c 'import json,sys
print(sorted(json.loads(l)["body"]["person"] for l in open(sys.argv[1]) if json.loads(l)["path"] == "/ops" and json.loads(l)["body"]["kind"] == "summary"))' "$HOOK_LOG")" \
        "['wum', 'zhouxd']" "to notify.summary.to"
TEXT=$(json_get "$(grep '"summary"' "$HOOK_LOG" | grep '"/ops"' | head -n 1)" 'd["body"]["text"]')
echo "$TEXT" | head -n 30
expect_contains "$TEXT" "$D 至 $D 值班情况汇总" "the period"
expect_contains "$TEXT" "$D 值班员: $(name "$O")" "the officer on duty"
expect_contains "$TEXT" "$D 带班领导: $(name "$L")" "the leader on call"
expect_contains "$TEXT" "未解决的缺口：" "the gaps' heading"
expect_contains "$TEXT" "$G" "the open gap"
expect_contains "$TEXT" "待审批的请假：1项" "one leave pending"
expect_contains "$TEXT" "$(name "$LL") 2026-06-22 – 2026-06-22 (#$LEAVE)" "the leave"
expect_contains "$TEXT" "待处理的调班：1项" "one swap pending"
expect_contains "$TEXT" "$(name "$SA") → $(name "$SB") $S (#$SWAP, proposed)" "the swap"
expect_eq "$(summaries "'(#$LEAVE)' in r['body']['text'] and '(#$SWAP, proposed)' in r['body']['text']")" "2" "the same facts to both"

# Later the same day: nothing more.
stop_dutyd
export DUTYD_NOW=${D}T09:00
start_dutyd
sleep 2
expect_eq "$(summaries True)" "2" "a restart the same day sends no second summary"
stop_dutyd

# ---- weekly, on Wednesday, in English for a person who reads it ----
set_summary 'time = "08:30"; weekly = "wed"; to = [ "wum" ];'
person_set wum 'language = "en";'
: >"$HOOK_LOG"
export DUTYD_NOW=2026-06-03T08:29:55
start_dutyd
wait_until 30 "the weekly summary" at_least 1 summaries True
sleep 1
expect_eq "$(summaries True)" "1" "one weekly summary"
TEXT=$(json_get "$(grep '"summary"' "$HOOK_LOG" | grep '"/ops"' | head -n 1)" 'd["body"]["text"]')
expect_contains "$TEXT" "summary for 2026-06-03 to 2026-06-09" "the week ahead, in English"
expect_eq "$(python3 -c 'import sys; print(len([l for l in sys.argv[1].splitlines() if l.startswith("- 2026-06-")]))' "$TEXT")" "14" \
        "seven days of duties, two posts a day"
expect_contains "$TEXT" "Leaves waiting for a decision: 1" "the leave, in English"
stop_dutyd
export DUTYD_NOW=2026-06-04T08:31
start_dutyd
sleep 2
expect_eq "$(summaries True)" "1" "no weekly summary on Thursday"
echo "ok: the daily summary at 08:30 and the weekly one on Wednesday, once per period"
