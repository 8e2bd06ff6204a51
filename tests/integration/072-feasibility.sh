#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Feasibility: 7 officers on every holiday day need 7×(1+1)=14 officers under one free day between
# duties, and the office has 12. --check-config says so with the arithmetic (a warning: the office
# still runs); the 国庆 dry run spreads the shortfall evenly over the days, each empty slot naming
# the cause. Then `roster stats --year 2026` on the sample office shows counts with prorated
# expectations and spreads. Checks in fairness-check.py.
. "$(dirname "$0")/lib.sh"

CHECK="$(dirname "$0")/fairness-check.py"
cp "$T/etc/dutyd.conf" "$T/etc/sample.conf"
python3 "$CHECK" shortfall-config "$T/etc/dutyd.conf" || fail "cannot edit the configuration"

rc=0
out=$("$DUTYD" --check-config "$T/etc/dutyd.conf" 2>&1) || rc=$?
expect_eq "$rc" "0" "check-config exit code of an understaffed office"
expect_contains "$out" "节假日值班员每天需要 7 人" "check-config names the post count"
expect_contains "$out" "7×(1+1)=14 名符合条件的人员，只有 12 名：每天最多安排 6 人" "check-config shows the arithmetic"
expect_contains "$out" "重要敏感时期「county-congress-2026」值班员每天需要 8 人" "check-config names the sensitive period"
DUTYD_NOW=2026-06-01T10:00 "$DUTYD" --check-config "$T/etc/sample.conf" 2>"$T/sample.err" >/dev/null || fail "the sample office does not check"
expect_eq "$(cat "$T/sample.err")" "" "check-config of the sample office warns of nothing (in June, before next year's notice is due)"

sed -i 's/^language = "zh";/language = "en";/' "$T/etc/dutyd.conf"
out=$("$DUTYD" --check-config "$T/etc/dutyd.conf" 2>&1) || fail "check-config (en)"
expect_contains "$out" "holiday officer count 7 needs 7×(1+1)=14 eligible officers per run of days" "arithmetic (en)"
expect_contains "$out" "only 12 eligible: at most 6 per day" "arithmetic (en), the most a day"
sed -i 's/^language = "en";/language = "zh";/' "$T/etc/dutyd.conf"

export DUTYD_NOW=2026-09-01T09:00
start_dutyd
python3 "$CHECK" shortfall || fail "the 国庆 dry run of an understaffed office"
stop_dutyd

cp "$T/etc/sample.conf" "$T/etc/dutyd.conf"
rm -rf "$T/state"
mkdir -p "$T/state"
export DUTYD_NOW=2025-12-20T09:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-01-01 --to 2026-12-31 >/dev/null || fail "generate 2026"
python3 "$CHECK" stats || fail "roster stats of 2026"
stop_dutyd

echo "ok"
