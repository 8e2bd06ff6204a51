#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Three years generated in turn, the clock advancing (2024, 2025, 2026, each from the December
# before): every year the weighted spread per role and category is at most one with special days
# counted as holidays, and 除夕 and 初一 rotate: nobody has one twice before every eligible person
# had it once, which needs the holders from beyond the year of history dutyd otherwise reads.
. "$(dirname "$0")/lib.sh"

CHECK="$(dirname "$0")/fairness-check.py"
python3 "$CHECK" years-config "$T/etc/dutyd.conf" || fail "cannot edit the configuration"
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the three-year office does not check"

for year in 2024 2025 2026; do
        export DUTYD_NOW=$((year - 1))-12-20T09:00
        start_dutyd
        python3 "$CHECK" year "$year" || fail "the roster of $year"
        stop_dutyd
done

start_dutyd
python3 "$CHECK" rotation || fail "the rotation of the special days"
stop_dutyd

echo "ok"
