#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Who decides a leave, and an administrator's override, on the sample office. The clerk 周晓东
# holds the admin role to keep the roster; the county head's leave is the secretary's to decide:
#   - the clerk's approval is refused, naming the approver (name and id) and how to override;
#     root's too; a member with the approver role who is not this leave's approver is refused,
#     told who decides and who its approver is now; --override without a reason is refused;
#   - while the secretary is away his stand-in decides, and the clerk is told so;
#   - the clerk's approval with --override --reason goes through: the leave shows it (table and
#     JSON), the audit log has the call with its reason, and the journal a notice with its own
#     catalogued MESSAGE_ID and DUTY_* fields;
#   - the Party secretary's own leave (nobody above him in the office) is still recorded by an
#     administrator without an override: how an approval chain ends.
#
# The journal is a real systemd-journald in a private mount namespace, as in 040-journal.sh, when
# run as root; otherwise the notice is read from dutyd's stderr, where it goes without a journal.

. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
# The refusals are checked by their Varlink names too.
verbose_dutyctl
. "$(dirname "$0")/leave-lib.sh"

ID_OVERRIDE=$(grep -oE 'API_LEAVE_MESSAGE_ID_OVERRIDE "[0-9a-f]{32}"' "$SRCDIR/daemon/api-leave.c" | grep -oE '[0-9a-f]{32}')
[ -n "$ID_OVERRIDE" ] || fail "no override MESSAGE_ID in daemon/api-leave.c"
grep -q "^-- $ID_OVERRIDE$" "$SRCDIR/packaging/dutyd.catalog" || fail "the override MESSAGE_ID is not in the catalog"

journal_start

# The clerk (admin, officer) logs in as uid 1010.
CLERK_UID=1010
sed -i 's/{ id = "zhouxd";/{ id = "zhouxd"; uid = 1010;/' "$T/etc/dutyd.conf"
grep -q 'id = "zhouxd"; uid = 1010;' "$T/etc/dutyd.conf" || fail "no uid for the clerk"

ASK=(--destination 南昌 --reason 开会 --local)

export DUTYD_NOW=2026-03-02T09:00
start_dutyd

head=$(request "$LIXY_UID" --from 2026-03-16 --to 2026-03-16 "${ASK[@]}")
ok "$CLERK_UID" --json leave show "$head"
expect_eq "$(json_get "$OUT" 'd["leave"]["approver"]')" "wangjg" "the county head's approver"

# ---- refused without the override ----

refused "$CLERK_UID" leave approve "$head"
expect_contains "$ERR" "PermissionDenied" "the clerk approving: the error"
expect_contains "$ERR" "王建国（wangjg）" "the clerk approving: who decides, by name and id"
expect_contains "$ERR" "dutyctl leave approve $head --override --reason" "the clerk approving: how to override"
refused "$CLERK_UID" leave reject "$head" --reason 人手不足
expect_contains "$ERR" "王建国（wangjg）" "the clerk rejecting: who decides"
refused 0 leave approve "$head"
expect_contains "$ERR" "--override" "root approving: how to override"
# 张伟 approves leaders' leave only while the secretary is away, and is no administrator.
refused "$LEADER_UID" leave approve "$head" --override --reason 代批
expect_contains "$ERR" "该请假由审批人王建国（wangjg）审批" "a member with the approver role: who decides"
# An approver may see the leave, so the refusal says who its approver is now.
expect_contains "$ERR" "，请联系其审批。当前审批人：王建国（wangjg）。" "a member with the approver role: the approver now"
# An override always says why.
try "$CLERK_UID" leave approve "$head" --override
[ "$RC" != 0 ] || fail "--override without --reason was accepted"
expect_contains "$ERR" "--reason" "--override without a reason"
ok "$CLERK_UID" --json leave show "$head"
expect_eq "$(json_get "$OUT" 'd["leave"]["state"]')" "pending" "the refusals changed nothing"

# ---- the approver away: the stand-in decides, and the clerk is told so ----

away=$(request "$WANGJG_UID" --from 2026-03-03 --to 2026-03-03 --destination 北京 --reason 开会 --acting zhangw)
ok "$ZHAODS_UID" leave approve "$away" --reason 市委同意
other=$(request "$CHENZQ_UID" --from 2026-03-20 --to 2026-03-20 "${ASK[@]}")
restart_at 2026-03-03T10:00
refused "$CLERK_UID" leave approve "$other"
expect_contains "$ERR" "审批人王建国（wangjg）不在岗，由张伟（zhangw）代为审批" "the stand-in named while the approver is away"
ok "$LEADER_UID" leave approve "$other"

# ---- with the override and a reason ----

restart_at 2026-03-02T10:00
ok "$CLERK_UID" leave approve "$head" --override --reason "王书记电话同意"
expect_contains "$OUT" "Approved" "approved over the approver"
ok "$CLERK_UID" --json leave show "$head"
expect_eq "$(json_get "$OUT" '[d["leave"][k] for k in ("state", "approver", "decided_by", "decision_override", "decision_reason")]')" \
        "['approved', 'wangjg', 'zhouxd', True, '王书记电话同意']" "the leave records the override"
expect_eq "$(json_get "$OUT" '[(e["action"], e.get("actor"), e.get("note")) for e in d["events"]][-1]')" \
        "('approve', 'zhouxd', 'override: 王书记电话同意')" "the leave's history says it was an override"
ok "$CLERK_UID" leave show "$head"
expect_contains "$OUT" "decided by an administrator over the approver" "leave show: the override"
expect_contains "$OUT" "王书记电话同意" "leave show: the reason"

# The audit log: the refused attempts and the override, each with what was asked.
ok 0 --json audit --limit 1000
expect_eq "$(json_get "$OUT" '[(e["method"], e["result"], e.get("person")) for e in d["entries"] if e["method"] == "LeaveApprove" and e["uid"] == '"$CLERK_UID"']')" \
        "[('LeaveApprove', 'PermissionDenied', 'zhouxd'), ('LeaveApprove', 'PermissionDenied', 'zhouxd'), ('LeaveApprove', 'ok', 'zhouxd')]" \
        "the audit log: the clerk's approvals"
expect_eq "$(json_get "$OUT" '[__import__("json").loads(e["summary"]) for e in d["entries"] if e["method"] == "LeaveApprove" and e["result"] == "ok" and e["uid"] == '"$CLERK_UID"'][0]')" \
        "{'id': $head, 'reason': '王书记电话同意', 'override': True}" "the audit log: the override and its reason"

# The journal notice.
if [ -n "$JOURNAL" ]; then
        J=(journalctl --directory=/run/log/journal --quiet --no-pager)
        json=
        for i in $(seq 1 100); do
                journalctl --sync 2>/dev/null || true
                json=$("${J[@]}" -o json MESSAGE_ID="$ID_OVERRIDE" 2>/dev/null || true)
                [ -n "$json" ] && break
                sleep 0.05
        done
        [ "$(grep -c . <<<"$json")" = 1 ] || fail "expected one override notice in the journal: $json"
        expect_eq "$(json_get "$json" '[d[k] for k in ("PRIORITY", "DUTY_LEAVE_ID", "DUTY_PERSON", "DUTY_APPROVER", "DUTY_DECIDED_BY", "DUTY_DECISION", "DUTY_REASON")]')" \
                "['5', '$head', 'lixy', 'wangjg', 'zhouxd', 'approve', '王书记电话同意']" "the journal notice's fields"
        expect_contains "$(json_get "$json" 'd["MESSAGE"]')" "管理员周晓东越过审批人王建国批准了李秀英的请假" "the journal notice's message"
else
        expect_contains "$(cat "$T/dutyd.log")" "管理员周晓东越过审批人王建国批准了李秀英的请假" "the override notice without a journal"
fi

# ---- the chain's end: nobody above the Party secretary ----

sec=$(request "$WANGJG_UID" --from 2026-03-25 --to 2026-03-25 "${ASK[@]}")
ok "$CLERK_UID" leave approve "$sec" --reason 市委同意
ok "$CLERK_UID" --json leave show "$sec"
expect_eq "$(json_get "$OUT" '[d["leave"][k] for k in ("state", "approver", "decision_override")]')" \
        "['approved', None, False]" "the secretary's leave: recorded by an administrator, no override"

if [ -n "$JOURNAL" ]; then
        echo "PASS (the notice read from a private journald)"
else
        echo "PASS (the notice read from dutyd's stderr)"
fi
