#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A leave's life on the sample office, acted by the people concerned (setpriv): who may decide
# (a member cannot approve; an approver cannot approve their own leave; the stand-in decides while
# the approver is away); cancel, reject, return (销假) and an approved leave past its end with no
# return report shown as overdue after dutyd restarts later; urgent leave's paperwork; and every
# step in the leave's history with who and when.
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl
. "$(dirname "$0")/leave-lib.sh"

ASK=(--destination 上海 --reason 探亲)

export DUTYD_NOW=2026-03-02T09:00
start_dutyd

# ---- who decides ----

mine=$(request "$LEADER_UID" --from 2026-03-16 --to 2026-03-16 "${ASK[@]}")
ok "$LEADER_UID" --json leave show "$mine"
expect_eq "$(json_get "$OUT" 'd["leave"]["approver"]')" "wangjg" "the leaders' approver"

# A member cannot approve: the access table refuses the method.
refused "$OFFICER_UID" leave approve "$mine"
expect_contains "$ERR" "PermissionDenied" "member approving: the error"
expect_contains "$ERR" "LeaveApprove" "member approving: the method"
# An approver cannot approve their own leave: the handler refuses, saying why.
refused "$LEADER_UID" leave approve "$mine"
expect_contains "$ERR" "PermissionDenied" "own approval: the error"
expect_contains "$ERR" "不能审批本人的请假" "own approval: the reason"
refused "$LEADER_UID" --json leave approve "$mine"
# Another approver who is not this leave's approver cannot either.
refused "$LIXY_UID" leave reject "$mine"
expect_contains "$ERR" "该请假由审批人王建国（wangjg）审批" "someone else's approval: the reason, naming the approver"
# A member cannot look at somebody else's leave.
refused "$OFFICER_UID" leave show "$mine"
expect_contains "$ERR" "PermissionDenied" "member showing another's leave"
ok "$WANGJG_UID" leave approve "$mine" --reason 同意
ok "$WANGJG_UID" --json leave show "$mine"
expect_eq "$(json_get "$OUT" 'd["leave"]["state"]')" "approved" "approved by the approver"
expect_eq "$(json_get "$OUT" 'd["leave"]["decided_by"]')" "wangjg" "decided by"
refused "$WANGJG_UID" leave approve "$mine"
expect_contains "$ERR" "已处理" "approving twice is refused"

# The Party secretary has nobody above him in the office: only an administrator records it.
sec=$(request "$WANGJG_UID" --from 2026-03-20 --to 2026-03-20 "${ASK[@]}" --local)
refused "$LEADER_UID" leave approve "$sec"
expect_contains "$ERR" "管理员登记" "the secretary's leave: an administrator records the decision"
ok "$ZHAODS_UID" leave approve "$sec"

# ---- the officer's leave: request, approve, overdue, return ----

trip=$(request "$OFFICER_UID" --from "2026-03-05 pm" --to "2026-03-06 am" "${ASK[@]}" --phone 13900000000)
ok "$ZHAODS_UID" leave approve "$trip"
gone=$(request "$OFFICER_UID" --from 2026-03-20 --to 2026-03-20 "${ASK[@]}")
ok "$OFFICER_UID" leave cancel "$gone"
expect_contains "$OUT" "Cancelled" "cancelled"
no=$(request "$OFFICER_UID" --from 2026-03-21 --to 2026-03-21 "${ASK[@]}")
ok "$ZHAODS_UID" leave reject "$no" --reason 值班人手不足

# The officer may not cancel a leader's leave.
refused "$OFFICER_UID" leave cancel "$mine"
expect_contains "$ERR" "只能办理或查看本人的请假" "cancelling another's leave"

# Nothing overdue yet.
ok "$ZHAODS_UID" --json leave list --overdue
expect_eq "$(json_get "$OUT" 'len(d["leaves"])')" "0" "nothing overdue on 03-02"
ok "$OFFICER_UID" --json leave list
expect_eq "$(json_get "$OUT" 'sorted(l["person"] for l in d["leaves"])')" "['wum', 'wum', 'wum']" \
        "a member lists only their own leave"

# Under way on the 5th: too late to cancel, too early to report a return in the future.
restart_at 2026-03-05T15:00
ok "$OFFICER_UID" --json leave show "$trip"
expect_eq "$(json_get "$OUT" 'd["leave"]["state"]')" "started" "started, derived from the clock"
refused "$OFFICER_UID" leave cancel "$trip"
expect_contains "$ERR" "请假已开始，不能撤销" "cancel after the start: the reason"
refused "$OFFICER_UID" leave return "$trip" --at "2026-03-05 18:00"
expect_contains "$ERR" "销假时间须在请假开始之后、当前时间之前" "a return in the future"

# After its end, with no return report: overdue.
restart_at 2026-03-07T10:00
ok "$ZHAODS_UID" leave list --overdue
expect_contains "$OUT" "overdue, not reported back" "leave list --overdue shows the overdue state"
expect_contains "$OUT" "吴敏" "leave list --overdue names the person"
ok "$ZHAODS_UID" --json leave list --overdue
expect_eq "$(json_get "$OUT" '[(l["id"], l["state"]) for l in d["leaves"]]')" "[($trip, 'overdue')]" \
        "overdue: exactly the unreported leave"
ok "$ZHAODS_UID" --json leave list --active
expect_eq "$(json_get "$OUT" "$trip in [l['id'] for l in d['leaves']]")" "True" "overdue leave is still active"

ok "$OFFICER_UID" leave return "$trip" --at "2026-03-06 19:30"
expect_contains "$OUT" "Reported back" "returned"
ok "$ZHAODS_UID" leave list --overdue
expect_contains "$OUT" "No leave matches" "nothing overdue after the return"

# ---- urgent leave's written form ----

# Asked on Saturday for Sunday and Monday: too short a notice but for urgent leave.
urgent=$(request "$OFFICER_UID" --from 2026-03-08 --to 2026-03-09 "${ASK[@]}" --urgent)
ok "$OFFICER_UID" --json leave show "$urgent"
expect_eq "$(json_get "$OUT" 'd["leave"]["paperwork_due"]')" "2026-03-09" "urgent: paperwork due two days later"
expect_eq "$(json_get "$OUT" 'd["events"][0]["note"]')" "notice(warning)" "urgent: recorded with its violations"
restart_at 2026-03-10T09:00
ok "$ZHAODS_UID" --json leave list --overdue
expect_eq "$(json_get "$OUT" '[(l["id"], l["paperwork_overdue"]) for l in d["leaves"]]')" "[($urgent, True)]" \
        "late paperwork is overdue"
ok "$OFFICER_UID" leave paperwork "$urgent"
refused "$OFFICER_UID" leave paperwork "$urgent"
expect_contains "$ERR" "书面手续已补办" "paperwork twice"
refused "$OFFICER_UID" leave paperwork "$trip"
expect_contains "$ERR" "不是紧急请假" "paperwork of a leave that is not urgent"

# ---- the history: who, when, what ----

ok "$ZHAODS_UID" --json leave show "$trip"
expect_eq "$(json_get "$OUT" '[(e["action"], e["actor"]) for e in d["events"]]')" \
        "[('request', 'wum'), ('approve', 'zhaods'), ('return', 'wum')]" "trip: its history"
expect_eq "$(json_get "$OUT" '[e["at"][:16] + e["at"][19:] for e in d["events"]]')" \
        "['2026-03-02T09:00+08:00', '2026-03-02T09:00+08:00', '2026-03-07T10:00+08:00']" "trip: when (RFC 3339)"
expect_eq "$(json_get "$OUT" 'd["events"][2]["note"]')" "returned at 2026-03-06 19:30" "trip: the return time"
expect_eq "$(json_get "$OUT" 'd["leave"]["returned_at"]')" "2026-03-06T19:30:00+08:00" "trip: returned_at"
ok "$ZHAODS_UID" --json leave show "$no"
expect_eq "$(json_get "$OUT" '[(e["action"], e["actor"], e["note"]) for e in d["events"]][1:]')" \
        "[('reject', 'zhaods', '值班人手不足')]" "the rejection with its reason"
ok "$ZHAODS_UID" --json leave show "$gone"
expect_eq "$(json_get "$OUT" '[(e["action"], e["actor"]) for e in d["events"]]')" \
        "[('request', 'wum'), ('cancel', 'wum')]" "the cancellation"
ok "$WANGJG_UID" --json leave show "$mine"
expect_eq "$(json_get "$OUT" '[(e["action"], e["actor"], e["note"]) for e in d["events"]]')" \
        "[('request', 'zhangw', None), ('approve', 'wangjg', '同意')]" "refused attempts change nothing"
ok "$ZHAODS_UID" leave show "$trip"
expect_contains "$OUT" "History:" "leave show prints the history"
expect_contains "$OUT" "赵德胜 (zhaods)" "leave show names who approved"

stop_dutyd
echo "ok"
