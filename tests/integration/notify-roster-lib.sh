# SPDX-License-Identifier: GPL-2.0-or-later
# The start of the notification scenarios about the sample office's duties (160, 161, 180–184,
# 187), sourced first: lib.sh, dutyctl naming the Varlink method and error of each refusal
# (verbose_dutyctl), the swap helpers that generate the roster (swap-lib.sh), and the receivers and
# the notify section (notify-lib.sh; its NOTIFY_* settings before this). The scenario starts dutyd
# itself, most with notify_start_roster. Sourced, not run.
. "$(dirname "$0")/lib.sh"
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"
. "$(dirname "$0")/notify-lib.sh"
