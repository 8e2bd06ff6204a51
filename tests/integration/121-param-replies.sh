#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The handlers read their parameters by table (api_params_dispatch()): every reply stays the same
# bytes as before, refusals included, and a call with several wrong parameters still names the same
# one first. param-replies.py makes ~120 calls (every method with parameters, most of them wrong),
# as root (an administrator) and as an officer, in Chinese and in English; the expected output was
# written by dutyd before the change (main at cb8ea62); since then Who gained members (handovers,
# still_on), and interface 0.14 changed what it lists in its change history: points in time in RFC
# 3339 (Who's starts and ends, Leave's times), SensitiveRemove's integer id, SwapDecline's and
# SwapCancel's reason, Status's interface_version; the refusals, now all answered by api_refuse(),
# kept their bytes. A difference prints the calls whose reply changed.
. "$(dirname "$0")/lib.sh"

EXPECTED="$(dirname "$0")/param-replies.expected"
# The officer runs a copy: the source tree may be out of its reach.
cp "$(dirname "$0")/param-replies.py" "$T/param-replies.py"
chmod 0755 "$T/param-replies.py"
PROBE="$T/param-replies.py"
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)

export DUTYD_NOW=2026-12-20T10:00
start_dutyd

{
        echo "== root"
        "$PYTHON" "$PROBE" "$SOCK"
        echo "== officer"
        as_uid "$OFFICER_UID" "$PYTHON" "$PROBE" "$SOCK"
} >"$T/replies" || fail "param-replies.py failed: $(tail -n 3 "$T/replies")"

# After a deliberate change of a reply (a new member, say): UPDATE_EXPECTED=1 writes the file anew;
# review its diff before committing it.
if [ -n "${UPDATE_EXPECTED:-}" ]; then
        cp "$T/replies" "$EXPECTED"
fi
n=$(grep -c '^   ' "$T/replies")
[ "$n" -ge 400 ] || fail "only $n replies"
if ! diff -u "$EXPECTED" "$T/replies" >"$T/diff"; then
        head -n 60 "$T/diff" >&2
        fail "replies differ from param-replies.expected"
fi
echo "121-param-replies: $n replies, each the same bytes as before"
