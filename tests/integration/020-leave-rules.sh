#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Leave checked against the coverage rules before anyone approves it, on the sample office, each
# refusal naming its rule, the people and the duty days:
#   - notice: a 3-day leave asked 2 working days ahead, counted across the 2026 Spring Festival with
#     its make-up Saturdays 02-14 and 02-28;
#   - never_together: the Party secretary's leave overlapping the county head's approved one;
#   - on_duty: the leader on call of a generated roster day, with substitutes;
#   - min_leaders_present: two leaves each fine alone, the second approval refused.
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl
. "$(dirname "$0")/leave-lib.sh"

ASK=(--destination 南昌 --reason 学习培训)

# ---- notice, around the Spring Festival (02-15…02-23 off; 02-14 and 02-28 worked) ----

# Friday 02-13: between it and Wednesday 02-25 lie only 02-14 (make-up) and 02-24.
export DUTYD_NOW=2026-02-13T10:00
start_dutyd
refused "$CHENZQ_UID" leave request --from 2026-02-25 --to 2026-02-27 "${ASK[@]}"
expect_contains "$ERR" "[notice]" "notice refusal names its rule"
expect_contains "$ERR" "只有 2 个工作日" "notice refusal counts two working days"
expect_contains "$ERR" "✗" "a blocking violation is marked"
try "$CHENZQ_UID" --json leave list
expect_eq "$(json_get "$OUT" 'len(d["leaves"])')" "0" "a refused request is not stored"

# The dry run says the same, on stdout, and exits 1.
refused "$CHENZQ_UID" leave check --from 2026-02-25 --to 2026-02-27 "${ASK[@]}"
expect_contains "$OUT" "✗ [notice]" "check lists the notice violation"
refused "$CHENZQ_UID" --json leave check --from 2026-02-25 --to 2026-02-27 "${ASK[@]}"
expect_eq "$(json_get "$OUT" '[(v["rule"], v["severity"], v["days"]) for v in d["violations"]]')" \
        "[('notice', 'block', ['2026-02-25'])]" "check --json: the notice violation"
expect_eq "$(json_get "$OUT" 'd["allowed"]')" "False" "check --json: not allowed"

# Urgent leave is the exception: a warning, and the written form due in two days.
ok "$CHENZQ_UID" --json leave check --from 2026-02-25 --to 2026-02-27 "${ASK[@]}" --urgent
expect_eq "$(json_get "$OUT" '[(v["rule"], v["severity"]) for v in d["violations"]]')" \
        "[('notice', 'warning')]" "urgent leave: notice is a warning"
expect_eq "$(json_get "$OUT" 'd["leave"]["paperwork_due"]')" "2026-02-15" "urgent leave: paperwork due"

# Thursday 02-12: 02-13, 02-14 (make-up) and 02-24 make the three working days needed.
restart_at 2026-02-12T10:00
ok "$CHENZQ_UID" --json leave check --from 2026-02-25 --to 2026-02-27 "${ASK[@]}"
expect_eq "$(json_get "$OUT" '[v["rule"] for v in d["violations"]]')" "[]" "three working days ahead: no violation"
expect_eq "$(json_get "$OUT" 'd["allowed"]')" "True" "three working days ahead: allowed"

# The second make-up Saturday: from Friday 02-27 to Tuesday 03-03 only 02-28 and 03-02 are worked…
restart_at 2026-02-27T10:00
refused "$CHENZQ_UID" leave check --from 2026-03-03 --to 2026-03-05 "${ASK[@]}"
expect_contains "$OUT" "[notice]" "02-27 for 03-03 is short notice"
# … from Thursday 02-26 also 02-27.
restart_at 2026-02-26T10:00
ok "$CHENZQ_UID" leave check --from 2026-03-03 --to 2026-03-05 "${ASK[@]}"

# ---- never_together: the Party secretary and the county head ----

restart_at 2026-03-02T09:00
lixy=$(request "$LIXY_UID" --from 2026-03-10 --to 2026-03-12 "${ASK[@]}" --acting ouyangmh)
ok "$WANGJG_UID" leave approve "$lixy" --reason 同意
expect_contains "$OUT" "Approved" "the secretary approves the county head's leave"

refused "$WANGJG_UID" leave request --from 2026-03-11 --to 2026-03-13 "${ASK[@]}" --acting zhangw
expect_contains "$ERR" "LeaveRefused" "never_together: the error"
expect_contains "$ERR" "✗ [never_together]" "never_together: the rule"
expect_contains "$ERR" "王建国（县委书记）" "never_together names the secretary"
expect_contains "$ERR" "李秀英（县委副书记、县长）" "never_together names the county head"
expect_contains "$ERR" "2026-03-11、2026-03-12" "never_together names the overlapping days"
refused "$WANGJG_UID" --json leave check --from 2026-03-11 --to 2026-03-13 "${ASK[@]}" --acting zhangw
expect_eq "$(json_get "$OUT" '[(v["people"], v["days"]) for v in d["violations"] if v["rule"] == "never_together"]')" \
        "[(['wangjg', 'lixy'], ['2026-03-11', '2026-03-12'])]" "never_together --json: people and days"

# ---- on_duty: the leader on call of a generated day ----

ok 0 roster generate --from 2026-03-16 --to 2026-03-22
ok 0 --json roster show --from 2026-03-18 --to 2026-03-18
oncall=$(json_get "$OUT" '[a["person"] for a in d["days"][0]["assignments"] if a["post"] == "leader_on_call"][0]')
[ -n "$oncall" ] && [ "$oncall" != None ] || fail "nobody on call on 2026-03-18"

refused 0 leave request --for "$oncall" --from 2026-03-18 --to 2026-03-18 "${ASK[@]}" --local
expect_contains "$ERR" "✗ [on_duty]" "on_duty: the rule"
expect_contains "$ERR" "2026-03-18" "on_duty: the day"
expect_contains "$ERR" "可替班人员" "on_duty: substitutes offered"
refused 0 --json leave check --for "$oncall" --from 2026-03-18 --to 2026-03-18 "${ASK[@]}" --local
subs=$(json_get "$OUT" '" ".join(s for v in d["violations"] if v["rule"] == "on_duty" for s in v["substitutes"])')
[ -n "$subs" ] || fail "on_duty lists no substitute"
case " $subs " in *" $oncall "*) fail "the leader on call is offered as his own substitute" ;; esac
ok 0 --json people --role leader
leaders=$(json_get "$OUT" '" ".join(p["id"] for p in d["people"])')
for s in $subs; do
        case " $leaders " in *" $s "*) ;; *) fail "substitute $s is no leader" ;; esac
done
# A day off duty is fine for the same leader.
try 0 --json leave check --for "$oncall" --from 2026-03-23 --to 2026-03-23 "${ASK[@]}" --local
expect_eq "$(json_get "$OUT" '[v["rule"] for v in d["violations"] if v["severity"] == "block"]')" "[]" \
        "no blocking rule on a day off duty"

# ---- min_leaders_present: 5 of the 8 leaders stay ----

day=2026-03-25
for uid in "$CHENZQ_UID" "$LIUF_UID"; do
        id=$(request "$uid" --from "$day" --to "$day" "${ASK[@]}")
        ok "$WANGJG_UID" leave approve "$id"
done
a=$(request "$SUNLH_UID" --from "$day" --to "$day" "${ASK[@]}")
b=$(request "$OUYANGMH_UID" --from "$day" --to "$day" "${ASK[@]}")
ok "$WANGJG_UID" leave approve "$a"
refused "$WANGJG_UID" leave approve "$b"
expect_contains "$ERR" "✗ [min_leaders_present]" "min_leaders_present: the rule"
expect_contains "$ERR" "$day" "min_leaders_present: the day"
expect_contains "$ERR" "孙丽华" "min_leaders_present names the other leave"
ok "$WANGJG_UID" --json leave show "$b"
expect_eq "$(json_get "$OUT" 'd["leave"]["state"]')" "pending" "the refused approval left the leave pending"
expect_eq "$(json_get "$OUT" 'd["approvable"]')" "False" "show: not approvable now"

# ---- approved leave keeps the leader off the roster ----

ok 0 roster generate --from "$day" --to "$day"
ok 0 --json roster show --from "$day" --to "$day"
oncall=$(json_get "$OUT" '[a["person"] for a in d["days"][0]["assignments"] if a["post"] == "leader_on_call"][0]')
case "$oncall" in chenzq|liuf|sunlh) fail "$oncall is on leave on $day but put on call" ;; esac
refused 0 roster assign "$day" leader_on_call chenzq
expect_contains "$ERR" "RuleViolation" "assigning a leader on leave is refused"
expect_contains "$ERR" "请假" "the refusal says the leader is on leave"

stop_dutyd
echo "ok"
