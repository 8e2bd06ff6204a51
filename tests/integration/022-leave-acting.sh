#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Acting for a principal (代为主持工作) on the sample office:
#   - the Party secretary's leave naming 张伟 is approved; 张伟's own leave on one of those days is
#     then refused with a rule of its own, acting_away, naming the principal and the day;
#   - the other order: 张伟 already away, the county head naming him to act is refused the same way;
#   - both pending: whichever is approved first, the other's approval is refused;
#   - an officer (科员) named to act is refused, and so is an applicant naming himself, principal
#     or not, in town or not;
#   - leave.acting_groups narrows who may act.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/leave-lib.sh"

ASK=(--destination 北京 --reason 学习培训)

export DUTYD_NOW=2026-03-02T09:00
start_dutyd

# ---- the principal first, then the acting person's own leave ----

sec=$(request "$WANGJG_UID" --from 2026-03-16 --to 2026-03-17 "${ASK[@]}" --acting zhangw)
# Nobody is above the Party secretary in the office: an administrator records the decision.
ok "$ZHAODS_UID" leave approve "$sec" --reason 市委同意
refused "$LEADER_UID" leave request --from 2026-03-17 --to 2026-03-18 "${ASK[@]}"
expect_contains "$ERR" "[acting_away]" "the acting person's leave: its own rule"
expect_contains "$ERR" "张伟（县委副书记）在 2026-03-17 代王建国（县委书记）主持工作" \
        "the acting person's leave: the principal and the day"
expect_contains "$ERR" "代为主持工作期间不得请假" "the acting person's leave: why"
refused "$LEADER_UID" --json leave check --from 2026-03-17 --to 2026-03-18 "${ASK[@]}"
expect_eq "$(json_get "$OUT" '[(v["rule"], v["severity"], v["days"], v["people"]) for v in d["violations"] if v["rule"].startswith("acting")]')" \
        "[('acting_away', 'block', ['2026-03-17'], ['zhangw', 'wangjg'])]" "check --json: acting_away"
try "$LEADER_UID" --json leave list
expect_eq "$(json_get "$OUT" 'len([l for l in d["leaves"] if l["person"] == "zhangw"])')" "0" "the refused leave is not stored"
# The day after the principal is back is free.
ok "$LEADER_UID" leave check --from 2026-03-18 --to 2026-03-18 "${ASK[@]}"

# ---- the other order: the acting person already away ----

mine=$(request "$LEADER_UID" --from 2026-03-23 --to 2026-03-24 "${ASK[@]}")
ok "$WANGJG_UID" leave approve "$mine"
refused "$LIXY_UID" leave request --from 2026-03-24 --to 2026-03-25 "${ASK[@]}" --acting zhangw
expect_contains "$ERR" "[acting_away]" "naming someone away: acting_away"
expect_contains "$ERR" "张伟（县委副书记）在 2026-03-24 不在岗，不能代李秀英（县委副书记、县长）主持工作" \
        "naming someone away: who, the day and for whom"
ok "$LIXY_UID" leave check --from 2026-03-24 --to 2026-03-25 "${ASK[@]}" --acting ouyangmh

# ---- both pending: the first approval wins, the second is refused ----

head=$(request "$LIXY_UID" --from 2026-04-13 --to 2026-04-14 "${ASK[@]}" --acting ouyangmh)
own=$(request "$OUYANGMH_UID" --from 2026-04-14 --to 2026-04-14 "${ASK[@]}")
ok "$WANGJG_UID" leave approve "$head"
refused "$WANGJG_UID" leave approve "$own"
expect_contains "$ERR" "[acting_away]" "approving the acting person's leave after the principal's"
expect_contains "$ERR" "2026-04-14 代李秀英" "approving: the day and the principal"
ok "$WANGJG_UID" --json leave show "$own"
expect_eq "$(json_get "$OUT" 'd["leave"]["state"]')" "pending" "the refused approval changed nothing"

# ---- who may be named ----

# An officer (科员) cannot act for a leader.
refused "$LIXY_UID" leave request --from 2026-03-26 --to 2026-03-27 "${ASK[@]}" --acting wum
expect_contains "$ERR" "[acting]" "an officer named to act: the rule"
expect_contains "$ERR" "吴敏（科员）不能代为主持工作" "an officer named to act: who"
expect_contains "$ERR" "请改为指定：王建国（县委书记）" "an officer named to act: whom to name instead"
# Nor does anybody act for himself: a principal, …
refused "$LIXY_UID" leave request --from 2026-03-26 --to 2026-03-27 "${ASK[@]}" --acting lixy
expect_contains "$ERR" "不能指定本人代为主持工作" "a principal naming herself"
# … a principal staying in town, …
refused "$WANGJG_UID" leave request --from 2026-03-26 --to 2026-03-26 "${ASK[@]}" --local --acting wangjg
expect_contains "$ERR" "[acting]" "a principal in town naming himself"
# … or a leader who needs nobody acting.
refused "$CHENZQ_UID" leave request --from 2026-03-26 --to 2026-03-26 "${ASK[@]}" --acting chenzq
expect_contains "$ERR" "不能指定本人代为主持工作" "a leader naming himself"
refused "$CHENZQ_UID" leave request --from 2026-03-26 --to 2026-03-26 "${ASK[@]}" --acting zhenght
expect_contains "$ERR" "[acting]" "a leader naming an officer"
ok "$CHENZQ_UID" leave check --from 2026-03-26 --to 2026-03-26 "${ASK[@]}" --acting liuf

# ---- leave.acting_groups ----

python3 - "$T/etc/dutyd.conf" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = '        require_acting = [ "principals" ];\n'
assert old in s
s = s.replace(old, old + '        acting_groups = [ "executive" ];\n', 1)
open(p, "w", encoding="utf-8").write(s)
PY
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "acting_groups does not check"
"$DUTYCTL" reload >/dev/null || fail "reload with acting_groups"
refused "$LIXY_UID" leave check --from 2026-03-26 --to 2026-03-27 "${ASK[@]}" --acting zhaods
expect_contains "$OUT" "[acting]" "a leader outside acting_groups"
expect_contains "$OUT" "欧阳明华（县委常委、常务副县长）" "acting_groups: who may act instead"
ok "$LIXY_UID" leave check --from 2026-03-26 --to 2026-03-27 "${ASK[@]}" --acting chenzq

echo "PASS"
