#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fair holidays on the sample office's 2026 (the daemon's clock at 2025-12-20): special days (除夕,
# 初一, weight 3) count as holidays, so their takers get fewer of the other holiday days; per role
# and category the weighted spread is at most one; the officer who arrives on 03-01 is compared on
# the days active (no catching up, no burst of duties in a fortnight, no more than a share of 国庆);
# officer pairs do not repeat in lockstep; `roster stats` agrees. Checks in fairness-check.py.
. "$(dirname "$0")/lib.sh"

export DUTYD_NOW=2025-12-20T09:00

start_dutyd
python3 "$(dirname "$0")/fairness-check.py" sample "$T" || fail "fairness of the 2026 roster"
stop_dutyd

echo "ok"
