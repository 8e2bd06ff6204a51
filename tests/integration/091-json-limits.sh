#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Docs and program agree. Every verb's --json output is its method's reply object as the interface
# declares it (reply-check.py reads the output fields from the IDL): an object, nothing beside the
# declared members, every required one there — `calendar` included ({"days": […]}, not a bare
# list). Every verb of `dutyctl --help` is run here, so a new verb without a check fails. And the
# limits dutyctl(1) gives are the interface's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/swap-lib.sh"

CHECK="$(dirname "$0")/reply-check.py"
IDL="$SRCDIR/daemon/io.dutyd.Duty.varlink"

python3 "$CHECK" "$IDL" --limits "$SRCDIR/packaging/man/dutyctl.1" || fail "dutyctl(1) and the interface disagree on a limit"

export DUTYD_NOW=2026-06-01T10:00
# A notification channel, for NotifyTest and NotifyRetry: a command that takes every message.
printf '\nnotify = { channels = ( { name = "log"; type = "command"; command = "/bin/true"; } ); };\n' >>"$T/etc/dutyd.conf"
start_dutyd
generate_roster

: >"$T/covered"
# reply METHOD [as PERSON] VERB…: runs dutyctl --json VERB… and checks its output against METHOD.
reply() {
        local method=$1 out
        shift
        local runner=()
        if [ "$1" = as ]; then
                runner=(as_person "$2")
                shift 2
        fi
        "${runner[@]}" "$DUTYCTL" --json "$@" >"$T/reply.json" || fail "dutyctl --json $*: $(cat "$T/reply.json")"
        python3 "$CHECK" "$IDL" "$method" "$T/reply.json" || fail "dutyctl --json $* is not the reply of $method"
        echo "$1 ${2:-}" >>"$T/covered"
        echo "$1" >>"$T/covered"
}

reply Status status
reply Whoami whoami
reply ListPeople people
reply Calendar calendar --from 2026-10-01 --to 2026-10-07
reply Calendar calendar --year 2026
reply Who who 2026-06-10
reply RosterGenerate roster generate --from 2026-07-01 --to 2026-07-31 --dry-run
reply RosterHoliday roster holiday 国庆节 --year 2026 --dry-run
reply RosterShow roster show --from 2026-06-01 --to 2026-06-07
reply RosterStats roster stats --year 2026
reply RosterPublish roster publish --from 2026-06-01 --to 2026-06-30
LEADER=$(duty 2026-06-20 leader_on_call)
reply RosterUnassign roster unassign 2026-06-20 leader_on_call "$LEADER" --amend --reason 病假调整
reply RosterAssign roster assign 2026-06-20 leader_on_call "$LEADER" --amend --reason 病假调整
reply RosterDiff roster diff
reply SensitiveAdd sensitive add 防汛 --from 2026-07-01 --to 2026-07-02
reply SensitiveList sensitive list
SID=$(json_get "$(cat "$T/reply.json")" '[p["id"] for p in d["periods"] if p["name"] == "防汛"][0]')
reply SensitiveRemove sensitive remove "$SID"
reply UnavailableAdd unavailable add wum --from 2026-08-01 --to 2026-08-02 --reason 培训
reply UnavailableList unavailable list
UID_=$(json_get "$(cat "$T/reply.json")" 'd["items"][0]["id"]')
reply UnavailableRemove unavailable remove "$UID_"
reply Reload reload
reply AuditList audit --limit 5
reply AuditVerify audit --verify
reply Gaps gaps --days 7
reply OfficesList offices
reply OfficesOnDuty offices on-duty 2026-06-10

# Leave: a leader asks, the approver decides; another is cancelled, one returned from.
P=zhangw
reply LeaveCheck as "$P" leave check --from 2026-06-25 --to 2026-06-25 --destination 南昌 --reason 开会
reply LeaveRequest as "$P" leave request --from 2026-06-25 --to 2026-06-25 --destination 南昌 --reason 开会
L1=$(json_get "$(cat "$T/reply.json")" 'd["leave"]["id"]')
APPROVER=$(json_get "$(cat "$T/reply.json")" 'd["leave"]["approver"]')
reply LeaveShow leave show "$L1"
reply LeaveList leave list
reply LeaveApprove as "$APPROVER" leave approve "$L1"
reply LeaveRequest as "$P" leave request --from 2026-06-26 --to 2026-06-26 --destination 南昌 --reason 开会
reply LeaveReject as "$APPROVER" leave reject "$(json_get "$(cat "$T/reply.json")" 'd["leave"]["id"]')"
reply LeaveRequest as "$P" leave request --from 2026-06-29 --to 2026-06-29 --destination 南昌 --reason 开会
reply LeaveCancel as "$P" leave cancel "$(json_get "$(cat "$T/reply.json")" 'd["leave"]["id"]')"
# An urgent leave under way: returned from, its paperwork recorded.
reply LeaveRequest as "$P" leave request --from 2026-06-01T11:00 --to 2026-06-01T18:00 --destination 南昌 --reason 急事 --urgent
L4=$(json_get "$(cat "$T/reply.json")" 'd["leave"]["id"]')
reply LeavePaperwork as "$P" leave paperwork "$L4"
reply LeaveApprove as "$APPROVER" leave approve "$L4"
stop_dutyd
export DUTYD_NOW=2026-06-01T13:00
start_dutyd
reply LeaveReturn as "$P" leave return "$L4"

# Swaps: a substitution proposed, accepted, approved; others declined and cancelled; an exchange.
D1=2026-06-10
A=$(duty "$D1" officer_on_duty)
B=$(free_person officer "$D1")
reply SwapCover as "$A" swap cover "$D1" --by "$B"
S1=$(swap_field "$(cat "$T/reply.json")" '["id"]')
reply SwapShow swap show "$S1"
reply SwapList swap list
reply SwapAccept as "$B" swap accept "$S1"
reply SwapApprove swap approve "$S1"
refresh_roster
D2=2026-06-16
A=$(duty "$D2" officer_on_duty)
B=$(free_person officer "$D2")
reply SwapCover as "$A" swap cover "$D2" --by "$B"
reply SwapDecline as "$B" swap decline "$(swap_field "$(cat "$T/reply.json")" '["id"]')"
reply SwapCover as "$A" swap cover "$D2" --by "$B"
reply SwapCancel as "$A" swap cancel "$(swap_field "$(cat "$T/reply.json")" '["id"]')"
read -r A2 DA C DC <<<"$(python3 "$SWAP_PY" pair "$T/roster.json" "$T/people.json" officer_on_duty \
        2026-06-13 2026-06-28 "$REST")"
[ -n "$DC" ] || fail "no two officer duties that can be exchanged"
reply SwapRequest as "$A2" swap request "$DA" --with "$C" --their-date "$DC"

# Handover: the officer of the running duty takes over (late at 10:00), an administrator records
# the leader's takeover; the list and who carry the records.
reply HandoverTake as "$(duty 2026-06-01 officer_on_duty)" handover take
reply HandoverTake handover take --for "$(duty 2026-06-01 leader_on_call)"
reply HandoverList handover list
reply Who who 2026-06-01

# Spot checks (root is an administrator and may record them).
reply CheckAdd check add officer --answered --seconds 12 --remarks 正常
reply CheckList check list --month 2026-06
# ack needs a presence check waiting, made in 151-presence-check.sh, which checks its reply.
echo ack >>"$T/covered"
# The duty log, written by an administrator: an emergency kept open, reported, closed; the daily
# report shown and sent.
reply LogAdd log add 突发事件 "某镇发生山体滑坡" --time 12:50 --from 某镇党委值班室 --phone 0833-3456789 --open
LID=$(json_get "$(cat "$T/reply.json")" 'd["entry"]["id"]')
reply LogList log list
reply LogShow log show "$LID"
reply LogReport log report "$LID" phone --to 市委总值班室
reply LogClose log close "$LID" --note 已处置
reply DailyReport report daily
reply DailyReportSend report daily --send --to 市委总值班室

# Notifications: a test queued, listed, queued again.
reply NotifyTest notify test wum
NID=$(json_get "$(cat "$T/reply.json")" 'd["notification"]["id"]')
reply NotifyList notify list
reply NotifyList notify list --failed
reply NotifyRetry notify retry "$NID"

# me composes replies: each member is the reply of its method.
as_person "$P" "$DUTYCTL" --json me >"$T/me.json" || fail "dutyctl --json me"
for pair in whoami:Whoami roster:RosterShow leave:LeaveList swaps:SwapList; do
        json_get "$(cat "$T/me.json")" "json.dumps(d['${pair%%:*}'])" >"$T/member.json" 2>/dev/null ||
                python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[sys.argv[2]]))' \
                        "$T/me.json" "${pair%%:*}" >"$T/member.json" || fail "me --json has no ${pair%%:*}"
        python3 "$CHECK" "$IDL" "${pair#*:}" "$T/member.json" || fail "me --json: ${pair%%:*} is not the reply of ${pair#*:}"
done
echo me >>"$T/covered"
# The week and month forms of roster show are the same reply.
reply RosterShow roster show --week +1
reply RosterShow roster show --month 2026-06
reply Who who tomorrow

# Every verb of the help was run above.
"$DUTYCTL" --help | sed -n '/^Verbs:/,/^$/p' | grep -E '^  [a-z]' |
        sed -E 's/^  ([a-z]+( [a-z]+)?).*/\1/' | while read -r verb; do
        grep -qxF "$verb" "$T/covered" || grep -qxF "${verb%% *}" "$T/covered" ||
                fail "the --json output of '$verb' is not checked"
done
