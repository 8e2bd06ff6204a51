#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Handover (交接班) on the real daemon with the test clock and a real journald:
#   - before the office ever took over with dutyd, a duty without takeover is no gap;
#   - the incoming officer and leader take over on time (a few minutes before the handover), the
#     outgoing officer hands over with a note only once the incoming one has taken over; a person
#     not on duty cannot take over; nothing is signed twice; `who` shows who has taken over and,
#     while a post is not taken over, that the previous duty's person stays on;
#   - the next day nobody takes over: at handover + 15 minutes a crit entry with its own MESSAGE_ID
#     names the post, the people due and their phones (DUTY_STEP 0, DUTY_ESCALATION due), then
#     escalates to the leader on call (step 1) and the administrators (step 2), and repeats (step 3)
#     on the monitor's own timer, without a restart;
#   - the late takeover is recorded as late and ends the alert with a "resolved" entry;
#   - an administrator records the leader's takeover for them (--for), a member may not.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"

ID_TAKEOVER=$(sed -n 's/^#define ALERT_MESSAGE_ID_TAKEOVER_MISSING *"\(.*\)"$/\1/p' "$SRCDIR/daemon/alert.h")
ID_RESOLVED=bfb57ecee2444175809f85ccdcb72def
[ -n "$ID_TAKEOVER" ] || fail "no ALERT_MESSAGE_ID_TAKEOVER_MISSING in alert.h"
grep -q "^-- $ID_TAKEOVER$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_TAKEOVER is not in the catalog"
grep -q "^-- $ID_TAKEOVER zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_TAKEOVER has no zh_CN catalog entry"

journal_start

entries() {
        "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_GAP_ID,DUTY_GAP_EVENT,DUTY_URGENCY,DUTY_DATE,DUTY_POST,DUTY_PERSON,DUTY_STEP,DUTY_ESCALATION \
                SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null || true
}
restart_at() {
        stop_dutyd
        export DUTYD_NOW=$1
        local n
        n=$(runs)
        start_dutyd
        wait_monitor_run "$n"
}
# expect_handover_refused REASON CMD…: exits 1 with HandoverRefused; its stderr is left in $ERR.
expect_handover_refused() {
        local reason=$1 rc=0 out
        shift
        ERR=$("$@" 2>&1 >/dev/null) || rc=$?
        expect_eq "$rc" "1" "exit status of: $*"
        expect_contains "$ERR" "HandoverRefused" "error of: $*"
        out=$("$@" --json 2>/dev/null) || true
        expect_contains "$out" "\"reason\": \"$reason\"" "reason of: $*"
}
takeover_gaps() {
        json_get "$("$DUTYCTL" --json gaps --days 3)" '[g["id"] for g in d["gaps"] if g["kind"] == "takeover_missing"]'
}

export DUTYD_DEBUG=1
export DUTYD_NOW=2026-06-01T10:00
touch "$T/dutyd.log"
start_dutyd
generate_roster

# ---- Before anybody took over with dutyd: not watched ----

expect_eq "$(takeover_gaps)" "[]" "no takeover watched before the office starts taking over"

# ---- 2026-06-02: on time ----

restart_at 2026-06-02T08:20
D2=2026-06-02
O1=$(duty 2026-06-01 officer_on_duty)
O2=$(duty $D2 officer_on_duty)
L2=$(duty $D2 leader_on_call)
OTHER=$(free_person officer $D2 "$O1" "$O2")
[ -n "$O1" ] && [ -n "$O2" ] && [ -n "$L2" ] && [ -n "$OTHER" ] || fail "no officers or leader around $D2"

out=$("$DUTYCTL" --json handover list) || fail "handover list"
expect_eq "$(json_get "$out" 'd["date"]')" "$D2" "ten minutes before the handover, the day being taken over"
expect_eq "$(json_get "$out" 'sorted(d["pending"])')" "['leader_on_call', 'officer_on_duty']" "nobody has taken over yet"

expect_handover_refused not_on_duty as_person "$OTHER" "$DUTYCTL" handover take
expect_contains "$ERR" "dutyctl who $D2" "the refusal says how to see who is on duty"
# Face to face: the outgoing officer stays until the incoming one has taken over.
expect_handover_refused not_taken_over as_person "$O1" "$DUTYCTL" handover give --note "无"

out=$(as_person "$O2" "$DUTYCTL" --json handover take) || fail "handover take by $O2"
expect_eq "$(json_get "$out" 'd["date"]')" "$D2" "taken over day"
expect_eq "$(json_get "$out" 'd["late"]')" "False" "a takeover before the handover is not late"
# The time to the minute (the daemon's clock runs on from DUTYD_NOW), with the office's offset.
expect_eq "$(json_get "$out" '[(h["post"], h["person"], h["action"], h["at"][:16] + h["at"][19:]) for h in d["handovers"]]')" \
        "[('officer_on_duty', '$O2', 'take', '2026-06-02T08:20+08:00')]" "the takeover record"
expect_handover_refused already as_person "$O2" "$DUTYCTL" handover take

out=$(as_person "$O1" "$DUTYCTL" --json handover give --note "县防汛办来电待回复") || fail "handover give by $O1"
expect_eq "$(json_get "$out" '[(h["date"], h["person"], h["action"], h["note"]) for h in d["handovers"]]')" \
        "[('2026-06-01', '$O1', 'give', '县防汛办来电待回复')]" "the handover record"
expect_handover_refused already as_person "$O1" "$DUTYCTL" handover give
as_person "$L2" "$DUTYCTL" handover take >"$T/take.txt" || fail "handover take by $L2"
grep -q "$D2" "$T/take.txt" || fail "handover take does not name the day: $(cat "$T/take.txt")"

who=$("$DUTYCTL" --json who $D2) || fail "who"
expect_eq "$(json_get "$who" 'sorted((h["post"], h["person"]) for h in d["handovers"] if h["action"] == "take")')" \
        "$(python3 -c "print(sorted([('leader_on_call', '$L2'), ('officer_on_duty', '$O2')]))")" "who shows who has taken over"
human=$("$DUTYCTL" who $D2) || fail "who (text)"
expect_contains "$human" "08:20" "who shows when they took over"

restart_at 2026-06-02T09:00
expect_eq "$(takeover_gaps)" "[]" "no gap once everybody took over"
expect_eq "$(count MESSAGE_ID=$ID_TAKEOVER)" "0" "no alert for a duty taken over on time"

# ---- 2026-06-03: nobody takes over ----

D3=2026-06-03
O3=$(duty $D3 officer_on_duty)
L3=$(duty $D3 leader_on_call)
PHONE_O3=$(json_get "$(cat "$T/people.json")" "[p['phone'] for p in d['people'] if p['id'] == '$O3'][0]")
GAP=takeover_missing:$D3:officer_on_duty

restart_at 2026-06-03T08:44
expect_eq "$(takeover_gaps)" "[]" "14 minutes after the handover it is not missing yet"
expect_eq "$(count MESSAGE_ID=$ID_TAKEOVER)" "0" "no alert within the 15 minutes"

restart_at 2026-06-03T08:46
wait_count 1 MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP
load_entry MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP
expect_eq "${E[PRIORITY]}" "2" "a missing takeover is crit"
expect_eq "${E[DUTY_DATE]}" "$D3" "DUTY_DATE"
expect_eq "${E[DUTY_POST]}" "officer_on_duty" "DUTY_POST"
expect_eq "${E[DUTY_PERSON]}" "$O3" "step 0 tells the people due"
expect_eq "${E[DUTY_STEP]}" "0" "DUTY_STEP"
expect_eq "${E[DUTY_ESCALATION]}" "due" "DUTY_ESCALATION"
expect_contains "${E[MESSAGE]}" "$PHONE_O3" "the alert gives the phone of the person due"
expect_contains "${E[MESSAGE]}" "dutyctl handover take" "the alert says what to do"
wait_count 1 MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=takeover_missing:$D3:leader_on_call
# The outgoing duty stays on until somebody takes over.
who=$("$DUTYCTL" --json who now) || fail "who now"
expect_eq "$(json_get "$who" 'd["date"]')" "$D3" "the duty running at 08:46"
expect_eq "$(json_get "$who" 'sorted((a["post"], a["person"], a["date"]) for a in d["still_on"])')" \
        "$(python3 -c "print(sorted([('leader_on_call', '$L2', '$D2'), ('officer_on_duty', '$O2', '$D2')]))")" \
        "who now: the previous duty stays on"
expect_contains "$("$DUTYCTL" who now)" "still on duty from the previous day" "who now says who stays on"
expect_eq "$(takeover_gaps)" "['takeover_missing:$D3:leader_on_call', '$GAP']" "the gaps of the missing takeovers"

restart_at 2026-06-03T09:01
wait_count 1 MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP DUTY_STEP=1
load_entry MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP DUTY_STEP=1
expect_eq "${E[DUTY_GAP_EVENT]}" "escalated" "step 1 is an escalation"
expect_eq "${E[DUTY_ESCALATION]}" "leader" "step 1 tells the leader on call"
expect_eq "$(tr , '\n' <<<"${E[DUTY_PERSON]}" | sort | paste -sd,)" "$(printf '%s\n' "$O3" "$L3" | sort | paste -sd,)" \
        "step 1: the person due and the leader on call"

restart_at 2026-06-03T09:16
wait_count 1 MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP DUTY_STEP=2
load_entry MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP DUTY_STEP=2
expect_eq "${E[DUTY_ESCALATION]}" "admins" "step 2 tells the administrators"
for admin in zhaods zhouxd; do
        expect_contains ",${E[DUTY_PERSON]}," ",$admin," "step 2 names administrator $admin"
done

# A restart repeats nothing; the monitor's timer tells the next step at 09:30 by itself.
restart_at 2026-06-03T09:29:56
expect_eq "$(count MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP)" "3" "a restart repeats nothing"
start=$SECONDS
WAIT_STEPS=300 wait_count 1 MESSAGE_ID=$ID_TAKEOVER DUTY_GAP_ID=$GAP DUTY_STEP=3
echo "step 3 told by the timer $((SECONDS - start)) s after the restart (the boundary was 4 s away)"
[ $((SECONDS - start)) -le 30 ] || fail "the timer took more than 30 s to tell step 3"

# ---- The late takeover ----

out=$(as_person "$O3" "$DUTYCTL" --json handover take) || fail "late handover take by $O3"
expect_eq "$(json_get "$out" 'd["late"]')" "True" "a takeover after 15 minutes is late"
expect_eq "$(json_get "$out" 'd["handovers"][0]["late"]')" "True" "the record says late"
wait_count 1 MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID=$GAP
expect_eq "$(takeover_gaps)" "['takeover_missing:$D3:leader_on_call']" "the leader's post is still missing"
human=$("$DUTYCTL" who $D3) || fail "who $D3"
expect_contains "$human" "took over (late)" "who shows the late takeover"

# The leader on call took over by phone: an administrator records it; a member may not.
expect_handover_refused for_others as_person "$O3" "$DUTYCTL" handover take --for "$L3"
out=$(as_person zhaods "$DUTYCTL" --json handover take --for "$L3") || fail "handover take --for $L3 by an administrator"
expect_eq "$(json_get "$out" '[(h["person"], h["post"], h["recorded_by"]) for h in d["handovers"]]')" \
        "[('$L3', 'leader_on_call', 'zhaods')]" "the takeover recorded by the administrator"
expect_eq "$(json_get "$("$DUTYCTL" --json handover list $D2)" '[h["recorded_by"] for h in d["handovers"]]')" \
        "[None, None]" "takeovers by the people themselves name no recorder"
wait_count 1 MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID=takeover_missing:$D3:leader_on_call
expect_eq "$(takeover_gaps)" "[]" "all taken over"
expect_eq "$(json_get "$("$DUTYCTL" --json who now)" 'd["still_on"]')" "[]" "nobody stays on once all took over"

# journalctl -x explains the entry from the catalog.
mount -t tmpfs tmpfs /usr/lib/systemd/catalog
mkdir -p /var/lib/systemd/catalog
mount -t tmpfs tmpfs /var/lib/systemd/catalog
cp "$SRCDIR/packaging/dutyd.catalog" /usr/lib/systemd/catalog/
journalctl --update-catalog || fail "journalctl cannot read packaging/dutyd.catalog"
out=$("${J[@]}" -x MESSAGE_ID=$ID_TAKEOVER DUTY_STEP=0 DUTY_POST=officer_on_duty)
expect_contains "$out" "dutyctl handover take" "the catalog explains the entry"

echo "OK"
