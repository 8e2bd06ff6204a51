#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The 春节 roster of 2026 with the daemon's clock at 2026-01-20: `roster holiday 春节 --year 2026`
# fills exactly 2026-02-15 … 2026-02-23 with the holiday counts; the duty day that holds an instant;
# manual changes and locks; publication and diff; sensitive periods and unavailability; who may do
# what. The checks are in roster-check.py (holiday).
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl

CHECK="$(dirname "$0")/roster-check.py"
export DUTYD_NOW=2026-01-20T10:00

start_dutyd
python3 "$CHECK" holiday "$T" || fail "the 春节 roster"
stop_dutyd

echo "ok"
