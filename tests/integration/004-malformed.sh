#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 200 malformed messages (bad JSON, no method, wrong types, unknown method, a 2 MiB message, a half
# message then close): each gets a Varlink error or a disconnect; a well-formed client connected
# alongside keeps getting answers; the daemon is alive afterwards.
. "$(dirname "$0")/lib.sh"

start_dutyd
python3 "$(dirname "$0")/malformed.py" "$SOCK" || fail "malformed message scenario"
kill -0 "$DUTYD_PID" || fail "dutyd died"
"$DUTYCTL" status >/dev/null || fail "dutyd no longer answers"
stop_dutyd
echo "ok"
