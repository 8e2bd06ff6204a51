#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The authorization matrix: every method the daemon serves (read from
# org.varlink.service.GetInterfaceDescription, so a new method without a row below fails this test)
# called by every role — a guest (unknown uid), a member, an approver, an admin and root, each a
# real uid through setpriv — and each answer compared with the matrix below, written from the
# roles' duties and not from auth.c. "+" is allowed (any answer but an access-level
# PermissionDenied; handlers that refuse someone else's record still count as allowed here), "-"
# is refused with PermissionDenied.
. "$(dirname "$0")/lib.sh"

cat >"$T/matrix" <<'EOF'
method                                         guest  member  approver  admin  root
org.varlink.service.GetInfo                    +      +       +         +      +
org.varlink.service.GetInterfaceDescription    +      +       +         +      +
Status                                         +      +       +         +      +
Whoami                                         +      +       +         +      +
# The office's people, calendar and roster (with phone numbers): people of the office.
ListPeople                                     -      +       +         +      +
Calendar                                       -      +       +         +      +
Who                                            -      +       +         +      +
RosterShow                                     -      +       +         +      +
RosterDiff                                     -      +       +         +      +
RosterStats                                    -      +       +         +      +
RosterAmendments                               -      +       +         +      +
SensitiveList                                  -      +       +         +      +
UnavailableList                                -      +       +         +      +
Gaps                                           -      +       +         +      +
# The offices reporting to this one (aggregator): their rosters carry phones; people of the office.
OfficesList                                    -      +       +         +      +
OfficeShow                                     -      +       +         +      +
OfficesOnDuty                                  -      +       +         +      +
# Keeping the roster: administrators.
RosterGenerate                                 -      -       -         +      +
RosterHoliday                                  -      -       -         +      +
RosterAssign                                   -      -       -         +      +
RosterUnassign                                 -      -       -         +      +
RosterPublish                                  -      -       -         +      +
SensitiveAdd                                   -      -       -         +      +
SensitiveRemove                                -      -       -         +      +
UnavailableAdd                                 -      -       -         +      +
UnavailableRemove                              -      -       -         +      +
# Leave: members ask for their own; approvers decide.
LeaveCheck                                     -      +       +         +      +
LeaveRequest                                   -      +       +         +      +
LeaveCancel                                    -      +       +         +      +
LeaveReturn                                    -      +       +         +      +
LeavePaperwork                                 -      +       +         +      +
# A changed itinerary: the applicant's pending leave, the approver's or an administrator's approved one (the handler decides).
LeaveChange                                    -      +       +         +      +
LeaveList                                      -      +       +         +      +
LeaveShow                                      -      +       +         +      +
LeaveApprove                                   -      -       +         +      +
LeaveReject                                    -      -       +         +      +
# Swaps: the parties are members; who approves depends on the day, checked by the handler.
SwapRequest                                    -      +       +         +      +
SwapCover                                      -      +       +         +      +
SwapList                                       -      +       +         +      +
SwapShow                                       -      +       +         +      +
SwapAccept                                     -      +       +         +      +
SwapDecline                                    -      +       +         +      +
SwapApprove                                    -      +       +         +      +
SwapCancel                                     -      +       +         +      +
# Handover: members; only the people on duty that day, checked by the handler against the roster.
HandoverTake                                   -      +       +         +      +
HandoverGive                                   -      +       +         +      +
HandoverList                                   -      +       +         +      +
# Spot checks: the method is open to members; the handler refuses whoever is neither an inspector
# nor an administrator (PermissionDenied with a reason, which is not an access-level refusal).
CheckAdd                                       -      +       +         +      +
CheckList                                      -      +       +         +      +
Ack                                            -      +       +         +      +
# The duty log: people of the office read it; the day's people on duty and administrators write
# it, checked by the handler (PermissionDenied reason not_on_duty, not by access level).
LogList                                        -      +       +         +      +
LogShow                                        -      +       +         +      +
DailyReport                                    -      +       +         +      +
LogAdd                                         -      +       +         +      +
LogClose                                       -      +       +         +      +
LogReport                                      -      +       +         +      +
DailyReportSend                                -      +       +         +      +
# Notifications: everyone in the office reads their own (the handler filters); administrators
# queue one again or send a test.
NotifyList                                     -      +       +         +      +
NotifyRetry                                    -      -       -         +      +
NotifyTest                                     -      -       -         +      +
# Running the daemon: administrators.
Reload                                         -      -       -         +      +
AuditList                                      -      -       -         +      +
AuditVerify                                    -      -       -         +      +
EOF

APPROVER_UID=$LEADER_UID
give_admin_uid

# The helper runs under other uids, which may not reach a python3 installed for root alone.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)
HELPER="$(dirname "$0")/authz.py"
cp "$HELPER" "$T/authz.py"
chmod 0644 "$T/authz.py"

export DUTYD_NOW=2026-03-02T10:00
start_dutyd

# Each uid is who the daemon says it is.
for pair in "guest:$GUEST_UID" "member:$OFFICER_UID" "approver:$APPROVER_UID" "admin:$ADMIN_UID" "root:0"; do
        role=${pair%%:*}
        uid=${pair#*:}
        out=$(as_uid "$uid" "$DUTYCTL" --json whoami)
        expect_contains "$out" "\"access\": \"$role\"" "uid $uid is $role"
done

"$PYTHON" "$T/authz.py" describe "$SOCK" >"$T/methods.json" || fail "cannot read the interface"
n=$(json_get "$(cat "$T/methods.json")" 'len(d)')
[ "$n" -ge 20 ] || fail "only $n methods described"

args=()
for pair in "guest:$GUEST_UID" "member:$OFFICER_UID" "approver:$APPROVER_UID" "admin:$ADMIN_UID" "root:0"; do
        role=${pair%%:*}
        uid=${pair#*:}
        as_uid "$uid" "$PYTHON" "$T/authz.py" call "$SOCK" "$T/methods.json" >"$T/$role.json" ||
                fail "calls as $role (uid $uid) failed"
        args+=("$role=$T/$role.json")
done

"$PYTHON" "$T/authz.py" check "$T/matrix" "$T/methods.json" "${args[@]}" || fail "authorization matrix"

# Every access-level refusal was logged by the one place that decides.
refused=$(grep -c "^<6>Refused " "$T/dutyd.log" || true)
expected=$(grep -v -e '^#' -e '^method' "$T/matrix" | awk 'NF == 6 { for (i = 2; i <= 6; i++) if ($i == "-") n++ } END { print n + 0 }')
expect_eq "$refused" "$expected" "refusals logged"

kill -0 "$DUTYD_PID" || fail "dutyd died during the matrix"
stop_dutyd
echo "ok"
