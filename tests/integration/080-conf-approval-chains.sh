#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Approval chains as an office writes them, checked by `dutyd --check-config` and followed by the
# daemon:
#   - the natural chain "leaders → 县长 → 书记" loads (it was refused as a loop at `leave = {`): a
#     role rule does not send 书记's leave down to 县长, 书记 is the top and an admin records his;
#   - the explicit end, reports_to = "市委", loads and ends the chain the same way;
#   - a rule naming 书记 as his own approver is an error at its line (it was skipped silently);
#   - a real loop is an error at the line of the rule that closes it, naming the people on it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/leave-lib.sh"
. "$(dirname "$0")/conf-lib.sh"

# with_approvers RULES…: the sample office with these approver rules (one per line).
with_approvers() {
        python3 - "$T/sample.conf" "$CONF" "$@" <<'PY'
import re, sys
src, dst, rules = sys.argv[1], sys.argv[2], sys.argv[3:]
s = open(src, encoding="utf-8").read()
block = "approvers = (\n" + ",\n".join("                " + r for r in rules) + "\n        );"
s, n = re.subn(r"approvers = \(.*?\n        \);", lambda m: block, s, count=1, flags=re.S)
assert n == 1
open(dst, "w", encoding="utf-8").write(s)
PY
}

ASK=(--from 2026-03-20 --to 2026-03-20 --destination 南昌 --reason 学习培训)

# approver_of UID: who would decide a one-day leave of that person ("" when only an admin records it).
approver_of() {
        try "$1" --json leave check "${ASK[@]}"
        json_get "$OUT" 'd["leave"].get("approver") or ""'
}

echo "the natural chain: leaders → 县长 (lixy) → 书记 (wangjg)"
with_approvers '{ who = "officer"; approver = "zhaods"; stand_in = "zhouxd"; }' \
               '{ who = "leader";  approver = "lixy"; }' \
               '{ who = "lixy";    approver = "wangjg"; }'
check_config
expect_eq "$RC" 0 "the natural chain is a valid configuration"
expect_contains "$OUT" "$CONF: OK" "the natural chain: OK"
case "$ERR" in *loop*) fail "the natural chain is reported as a loop: $ERR" ;; esac

export DUTYD_NOW=2026-03-02T09:00
start_dutyd
expect_eq "$(approver_of "$CHENZQ_UID")" "lixy" "a deputy's leave goes to the county head"
expect_eq "$(approver_of "$LIXY_UID")" "wangjg" "the county head's leave goes to the secretary"
expect_eq "$(approver_of "$WANGJG_UID")" "" "the secretary's leave: nobody here, an admin records it"
stop_dutyd

echo "the explicit end: reports_to"
with_approvers '{ who = "officer"; approver = "zhaods"; }' \
               '{ who = "leader";  approver = "lixy"; }' \
               '{ who = "lixy";    approver = "wangjg"; }' \
               '{ who = "wangjg";  reports_to = "市委"; }'
check_config
expect_eq "$RC" 0 "reports_to ends the chain"
start_dutyd
expect_eq "$(approver_of "$WANGJG_UID")" "" "reports_to: an admin records the secretary's leave"
expect_eq "$(approver_of "$LIXY_UID")" "wangjg" "reports_to: the county head's leave still goes up"
stop_dutyd

echo "the secretary named as his own approver"
with_approvers '{ who = "officer"; approver = "zhaods"; }' \
               '{ who = "leader";  approver = "wangjg"; }' \
               '{ who = "wangjg";  approver = "wangjg"; }'
check_config
expect_eq "$RC" 1 "a self-approver rule is refused"
expect_eq "$ERR" "$CONF:$(line_of '{ who = "wangjg";  approver = "wangjg"; }'): leave.approvers.[2].approver: \"wangjg\" cannot approve his own leave; if nobody in the office does, end the chain with { who = \"wangjg\"; reports_to = \"…\"; } naming where it is reported (e.g. \"市委\")" \
        "the self-approver error, at its rule"

echo "a real loop: 县长 → 书记 → 县长"
with_approvers '{ who = "officer"; approver = "zhaods"; }' \
               '{ who = "leader";  approver = "lixy"; }' \
               '{ who = "lixy";    approver = "wangjg"; }' \
               '{ who = "wangjg";  approver = "lixy"; }'
check_config
expect_eq "$RC" 1 "a loop is refused"
expect_eq "$ERR" "$CONF:$(line_of '{ who = "wangjg";  approver = "lixy"; }'): leave.approvers.[3]: the approval chain loops: 李秀英 (lixy) → 王建国 (wangjg) → lixy again, sent back by this rule; end the chain at the top with { who = \"…\"; reports_to = \"…\"; } naming where his leave is reported (e.g. \"市委\")" \
        "the loop, once, at the rule that closes it"

echo "the same in the office's language"
RC=0
LANGUAGE=zh_CN LC_ALL=zh_CN.UTF-8 DUTYD_LOCALEDIR="$BUILDDIR/po" "$DUTYD" --check-config "$CONF" 2>"$T/check.err" >/dev/null || RC=$?
sed 's/^/    /' "$T/check.err"
expect_eq "$RC" 1 "a loop is refused (zh)"
expect_contains "$(cat "$T/check.err")" "审批链形成循环：李秀英 (lixy) → 王建国 (wangjg) → 又回到 lixy" "the loop in Chinese"

echo "ok"
