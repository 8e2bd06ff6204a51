#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The duty log (值班记录): the people on duty write the day's log and nobody else (administrators
# aside); an open item (待办) is carried to the next duty's log until that duty closes it; a
# correction is a new entry pointing at the old one, which stays as written; every entry is in the
# audit chain. The duty day moves by restarting dutyd with a later DUTYD_NOW.
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"

start_with_roster 2026-06-01T10:00
stop_dutyd

# Two consecutive duty days whose officers and leader are not administrators (who write any
# day's log): the refusals below are those of people off duty.
is_admin() { json_get "$(cat "$T/people.json")" "'admin' in [p for p in d['people'] if p['id'] == '$1'][0]['roles']"; }
D1=
for day in 10 11 12 13 14 15 16 17 18 19 20; do
        a=$(duty "2026-06-$day" officer_on_duty)
        l=$(duty "2026-06-$day" leader_on_call)
        b=$(duty "2026-06-$((day + 1))" officer_on_duty)
        if [ "$(is_admin "$a")" = False ] && [ "$(is_admin "$l")" = False ] && [ "$(is_admin "$b")" = False ] &&
           [ "$a" != "$b" ]; then
                D1=2026-06-$day
                D2=2026-06-$((day + 1))
                break
        fi
done
[ -n "$D1" ] || fail "no two days in June with duty people who are not administrators"
A=$(duty "$D1" officer_on_duty)
L=$(duty "$D1" leader_on_call)
B=$(duty "$D2" officer_on_duty)
ADMINS=$(json_get "$(cat "$T/people.json")" "' '.join(p['id'] for p in d['people'] if 'admin' in p['roles'])")
# shellcheck disable=SC2086
OTHER=$(free_person officer "$D1" "$B" $ADMINS)
[ -n "$A" ] && [ -n "$L" ] && [ -n "$B" ] && [ -n "$OTHER" ] || fail "no duty people around $D1"
[ "$(is_admin "$OTHER")" = False ] || fail "$OTHER, off duty on $D1, is an administrator"
[ "$A" != "$B" ] || fail "the same officer on $D1 and $D2"
name_of() { json_get "$(cat "$T/people.json")" "[p['name'] for p in d['people'] if p['id'] == '$1'][0]"; }

# ---- Day 1: the duty writes its log ----

export DUTYD_NOW=${D1}T10:00
start_dutyd

out=$(as_person "$A" "$DUTYCTL" --json log add 来电 "市应急局通知：明日有强降雨，请做好防汛值守" \
        --time 09:40 --from "市应急局 王科长" --phone 0833-1234567 --informed "带班领导" --open) \
        || fail "log add by the officer on duty"
ID1=$(json_get "$out" 'd["entry"]["id"]')
expect_eq "$(json_get "$out" 'd["entry"]["kind"]')" "call" "the kind given in the duty book's words"
expect_eq "$(json_get "$out" 'd["entry"]["date"]')" "$D1" "the entry's duty day"
expect_eq "$(json_get "$out" 'd["entry"]["time"]')" "${D1}T09:40:00+08:00" "the time it happened"
expect_eq "$(json_get "$out" 'd["entry"]["recorded_by"]')" "$A" "recorded by the caller"
expect_eq "$(json_get "$out" 'd["entry"]["pending"]')" "True" "an open item"

# A time later than now was yesterday's.
out=$(as_person "$L" "$DUTYCTL" --json log add instruction "请值班室跟踪雨情" --time 23:10) \
        || fail "log add by the leader on call"
ID2=$(json_get "$out" 'd["entry"]["id"]')
expect_eq "$(json_get "$out" 'd["entry"]["time"]')" "$(date -d "$D1 -1 day" +%F)T23:10:00+08:00" "a time after now is yesterday's"
expect_eq "$(json_get "$out" 'd["entry"]["pending"]')" "False" "not an open item"

# Nobody else writes the day's log: an officer not on duty, a guest. An administrator may.
expect_error "PermissionDenied" as_person "$OTHER" "$DUTYCTL" log add other "不该由我记录"
expect_contains "$ERR" "$D1 的值班人员" "the refusal names the duty day"
expect_contains "$ERR" "$(name_of "$A")" "the refusal names who is on duty"
expect_error "PermissionDenied" as_uid "$GUEST_UID" "$DUTYCTL" log add other "来客"
"$DUTYCTL" --json log add other "管理员补记：值班电话线路检修完成" >/dev/null || fail "log add by an administrator"
# A kind the book does not know is a usage error, sent nowhere.
rc=0
ERR=$(as_person "$A" "$DUTYCTL" log add 闲聊 "x" 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "2" "exit status of a usage error"
expect_contains "$ERR" "not a kind of entry" "a kind the book does not know"
expect_error "NotFound" as_person "$A" "$DUTYCTL" log add other "更正" --corrects 9999

# Everybody of the office reads it.
out=$(as_person "$OTHER" "$DUTYCTL" --json log list) || fail "log list by a member"
expect_eq "$(json_get "$out" '[e["id"] for e in d["entries"]][:2]')" "[$ID2, $ID1]" "the log by time"
expect_eq "$(json_get "$out" 'len(d["entries"])')" "3" "three entries on day 1"

# A correction: a new entry pointing at the old one, which stays as written.
out=$(as_person "$A" "$DUTYCTL" --json log add 来电 "更正：来电单位为市防汛办，非市应急局" --corrects "$ID1") \
        || fail "log add --corrects"
ID3=$(json_get "$out" 'd["entry"]["id"]')
expect_eq "$(json_get "$out" 'd["entry"]["corrects"]')" "$ID1" "the correction points at the entry"
out=$(as_person "$OTHER" "$DUTYCTL" --json log show "$ID1") || fail "log show"
expect_eq "$(json_get "$out" 'd["entry"]["matter"]')" "市应急局通知：明日有强降雨，请做好防汛值守" "the corrected entry kept as written"
expect_eq "$(json_get "$out" 'd["entry"]["from"]')" "市应急局 王科长" "its caller kept as written"
expect_eq "$(json_get "$out" 'd["entry"]["corrected_by"]')" "$ID3" "the entry names its correction"
expect_eq "$(json_get "$out" '[e["id"] for e in d["related"]]')" "[$ID3]" "the correction among its related entries"
text=$(as_person "$OTHER" "$DUTYCTL" log list) || fail "log list as text"
expect_contains "$text" "corrected by $ID3" "the list says the entry was corrected"
expect_contains "$text" "[corrects $ID1]" "the list says what the correction corrects"
stop_dutyd

# ---- Day 2: the open item is carried over ----

export DUTYD_NOW=${D2}T10:00
start_dutyd
out=$(as_person "$B" "$DUTYCTL" --json log list) || fail "log list on day 2"
expect_eq "$(json_get "$out" 'd["date"]')" "$D2" "today's log by default"
expect_eq "$(json_get "$out" '[e["id"] for e in d["entries"]]')" "[$ID1]" "only the open item carried over"
text=$(as_person "$B" "$DUTYCTL" log list) || fail "log list as text on day 2"
expect_contains "$text" "since $D1" "the carried item says since when"

# The duty of day 1 is over: its officer no longer writes, nor closes; today's duty does.
expect_error "PermissionDenied" as_person "$A" "$DUTYCTL" log close "$ID1"
expect_contains "$ERR" "$D2 的值班人员" "the refusal names today's duty"
expect_error "LogRefused" as_person "$B" "$DUTYCTL" log close "$ID2"
out=$(as_person "$B" "$DUTYCTL" --json log add 来电 "市防汛办回电：雨情平稳" --follows "$ID1") || fail "a follow-up"
ID4=$(json_get "$out" 'd["entry"]["id"]')
out=$(as_person "$B" "$DUTYCTL" --json log close "$ID1" --note "已报带班领导，雨情平稳，解除关注") || fail "log close"
expect_eq "$(json_get "$out" 'd["entry"]["pending"]')" "False" "closed"
expect_eq "$(json_get "$out" 'd["entry"]["closed_by"]')" "$B" "closed by today's officer"
expect_eq "$(json_get "$out" 'd["entry"]["closed_date"]')" "$D2" "closed in today's duty"
expect_error "LogRefused" as_person "$B" "$DUTYCTL" log close "$ID1"
expect_contains "$ERR" "已办结" "closing twice says it is closed"
expect_error "NotFound" as_person "$B" "$DUTYCTL" log close 9999

# Closed on day 2: still in day 2's log (closed there), in day 1's, no longer in day 3's.
out=$("$DUTYCTL" --json log list "$D2") || fail "log list $D2"
expect_eq "$(json_get "$out" '[e["id"] for e in d["entries"]]')" "[$ID1, $ID4]" "day 2: the item closed and its follow-up"
out=$("$DUTYCTL" --json log list "$(date -d "$D2 +1 day" +%F)") || fail "log list of day 3"
expect_eq "$(json_get "$out" 'len(d["entries"])')" "0" "day 3: nothing carried"
out=$("$DUTYCTL" --json log list "$D1") || fail "log list $D1"
expect_eq "$(json_get "$out" 'len(d["entries"])')" "4" "day 1 keeps its entries"
out=$("$DUTYCTL" --json log show "$ID1") || fail "log show after the follow-up"
expect_eq "$(json_get "$out" '[e["id"] for e in d["related"]]')" "[$ID3, $ID4]" "correction and follow-up"

# Every write is audited, the refused ones too, and the chain holds.
out=$("$DUTYCTL" --json audit --limit 1000) || fail "audit"
expect_eq "$(json_get "$out" 'len([e for e in d["entries"] if e["method"].endswith("LogAdd") and e["result"] == "ok"])')" "5" "LogAdd rows"
expect_eq "$(json_get "$out" 'len([e for e in d["entries"] if e["method"].endswith("LogClose") and e["result"] == "ok"])')" "1" "LogClose rows"
"$DUTYCTL" audit --verify >/dev/null || fail "the audit chain"
echo "140-log: ok"
