#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What one client may consume is bounded (varlink.h: VARLINK_MESSAGE_SIZE_MAX, VARLINK_CONNECTIONS_MAX,
# VARLINK_PENDING_MAX, VARLINK_OUTPUT_MAX, VARLINK_IDLE_TIMEOUT_USEC): a client sending one byte a
# second, one flooding calls without ever reading the replies and a few idle connections do not
# keep a well-behaved client waiting, and the flooder still gets every answer once it reads.
. "$(dirname "$0")/lib.sh"

[ -z "${DUTYD_WRAPPER:-}" ] || export LIMITS_PROMPT_SEC=30
start_dutyd
out=$(python3 "$(dirname "$0")/limits.py" "$SOCK" 12) || fail "a hostile client stalled the others: $out"
echo "$out"
# The flooder was held back: it could not queue calls without bound while not reading.
expect_eq "$(json_get "$out" 'd["flood_answered"] == d["flood_sent"]')" "True" "flooder answered in full"
kill -0 "$DUTYD_PID" || fail "dutyd died under hostile clients"
expect_eq "$(json_get "$("$DUTYCTL" --json status)" 'd["counts"]["connections"]')" "1" "hostile connections cleaned up"
stop_dutyd
echo "ok"
