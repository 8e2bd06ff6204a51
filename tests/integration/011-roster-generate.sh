#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generating all of 2026 for the sample office (the daemon's clock at 2025-12-20), then checking
# every hard rule on every day and the fairness per category; a year without a holiday notice; an
# office with a single leader, whose empty slots carry reasons instead of broken rules. The checks
# are in roster-check.py (year, single-leader).
. "$(dirname "$0")/lib.sh"

CHECK="$(dirname "$0")/roster-check.py"
export DUTYD_NOW=2025-12-20T09:00

start_dutyd
python3 "$CHECK" year "$T" || fail "the roster of 2026"
stop_dutyd

python3 "$CHECK" single-leader-config "$T/etc/dutyd.conf" || fail "cannot edit the configuration"
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the single-leader office is not a valid configuration"
rm -rf "$T/state"
mkdir -p "$T/state"
start_dutyd
python3 "$CHECK" single-leader "$T" || fail "the roster of an office with one leader"
stop_dutyd

echo "ok"
