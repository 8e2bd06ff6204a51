#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Status and identity: the real dutyd, queried by the real dutyctl as root, as a member of the
# office (uid 1001), as a leader (uid 1002) and as an unknown uid (a guest).
. "$(dirname "$0")/lib.sh"

start_dutyd

# --json status is valid JSON with the promised fields.
out=$("$DUTYCTL" --json status)
expect_eq "$(json_get "$out" 'd["counts"]["people"] >= 18')" "True" "status people count"
expect_eq "$(json_get "$out" 'd["timezone"]')" "Asia/Shanghai" "status timezone"
expect_eq "$(json_get "$out" 'd["handover"]')" "08:30" "status handover"
expect_eq "$(json_get "$out" 'd["schema_version"] >= 1')" "True" "status schema"

# Identity comes from the peer credentials.
out=$("$DUTYCTL" --json whoami)
expect_eq "$(json_get "$out" 'd["access"]')" "root" "root access"

out=$(as_uid "$OFFICER_UID" "$DUTYCTL" --json whoami)
expect_eq "$(json_get "$out" 'd["uid"]')" "$OFFICER_UID" "officer uid"
expect_eq "$(json_get "$out" 'd["person"] is not None')" "True" "officer maps to a person"
expect_eq "$(json_get "$out" '"officer" in d["person"]["roles"]')" "True" "officer role"

out=$(as_uid "$LEADER_UID" "$DUTYCTL" --json whoami)
expect_eq "$(json_get "$out" '"leader" in d["person"]["roles"]')" "True" "leader role"

out=$(as_uid "$GUEST_UID" "$DUTYCTL" --json whoami)
expect_eq "$(json_get "$out" 'd["access"]')" "guest" "unknown uid is a guest"
expect_eq "$(json_get "$out" 'd.get("person")')" "None" "guest has no person"

# A guest may read the status but not the people list.
as_uid "$GUEST_UID" "$DUTYCTL" status >/dev/null || fail "guest cannot read status"
rc=0
err=$(as_uid "$GUEST_UID" "$DUTYCTL" people 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "guest people exit code"
# The refusal names the uid and says it is not in the office's configuration, without the
# protocol's names (those are for --verbose).
expect_contains "$err" "uid $GUEST_UID" "guest people refusal: the uid"
expect_contains "$err" "不在本办公室的配置中" "guest people refusal: why"
case "$err" in *PermissionDenied*|*io.dutyd*) fail "guest refusal shows the Varlink error: $err" ;; esac

# A member may list people; the human table aligns a column of Chinese names.
as_uid "$OFFICER_UID" "$DUTYCTL" people >"$T/people.txt" || fail "member cannot list people"
python3 - "$T/people.txt" <<'PY' || fail "people table columns are not aligned"
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not set(l.strip()) <= set("-─ ")]
assert len(lines) >= 19, lines
# The third column (title) starts at the same display column on every line: find, per line, the
# width of the text before the second run of two or more spaces.
import re
starts = set()
for l in lines:
    m = [x.end() for x in re.finditer(r"  +", l)]
    assert len(m) >= 2, l
    starts.add(width(l[:m[1]]))
assert len(starts) == 1, starts
PY

# Exit code 3 and a clear message when the socket is missing.
rc=0
err=$("$DUTYCTL" -s "$T/run/nothing" status 2>&1) || rc=$?
expect_eq "$rc" "3" "missing socket exit code"
expect_contains "$err" "$T/run/nothing" "missing socket message names the path"

# Usage errors exit 2.
rc=0
"$DUTYCTL" no-such-verb >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "unknown verb exit code"

stop_dutyd
echo "ok"
