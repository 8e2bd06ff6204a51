#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Swaps (换班) and substitutions (代班) that are applied, with the people acting as themselves: a
# substitution proposed, accepted, approved by the leader on call and applied (who, the iCalendar
# export and the fairness statistics follow the duty actually done), with the checks of who may
# do what on the way; an exchange applied by an administrator; the counterpart's duty found
# without naming its day. 034-swap-paths.sh walks the paths that end otherwise.
. "$(dirname "$0")/lib.sh"
# The refusals below are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"

start_with_roster 2026-06-01T10:00

# ---- A substitution, all the way ----

D1=2026-06-10
A=$(duty "$D1" officer_on_duty)
L=$(duty "$D1" leader_on_call)
B=$(free_person officer "$D1")
[ -n "$A" ] && [ -n "$L" ] && [ -n "$B" ] || fail "no officer, leader or free officer around $D1"
name_of() { json_get "$(cat "$T/people.json")" "[p['name'] for p in d['people'] if p['id'] == '$1'][0]"; }
A_NAME=$(name_of "$A")
B_NAME=$(name_of "$B")

stats_total() {
        json_get "$("$DUTYCTL" --json roster stats --year 2026)" \
                "[p['workday'] + p['weekend'] + p['holiday'] for p in d['people'] if p['person'] == '$1'][0]"
}
A_BEFORE=$(stats_total "$A")
B_BEFORE=$(stats_total "$B")

out=$(as_person "$A" "$DUTYCTL" --json swap cover "$D1" --by "$B" --reason "外出开会") || fail "swap cover"
ID1=$(swap_field "$out" '["id"]')
expect_eq "$(swap_field "$out" '["state"]')" "proposed" "a new substitution"
expect_eq "$(swap_field "$out" '["kind"]')" "cover" "kind of swap cover"
expect_eq "$(swap_field "$out" '["requester"]')" "$A" "requester is the caller"
expect_eq "$(swap_field "$out" '["post"]')" "officer_on_duty" "the duty's post"
expect_eq "$(swap_field "$out" '["deadline"]')" "2026-06-09T08:30:00+08:00" "deadline: one day before the handover"

# The counterpart sees it waiting; someone else, not a party and not an approver, does not.
OTHER=$(free_person officer "$D1" "$B")
out=$(as_person "$B" "$DUTYCTL" --json swap list --pending) || fail "swap list --pending"
expect_eq "$(json_get "$out" "[s['id'] for s in d['swaps']] == [$ID1]")" "True" "the counterpart's pending list"
out=$(as_person "$OTHER" "$DUTYCTL" --json swap list) || fail "swap list by a bystander"
expect_eq "$(json_get "$out" 'len(d["swaps"])')" "0" "a bystander's list"
expect_error "NotFound" as_person "$OTHER" "$DUTYCTL" swap show "$ID1"

# Nobody approves before the counterpart consents; only the counterpart consents.
expect_refused state as_person "$L" "$DUTYCTL" swap approve "$ID1"
expect_refused not_counterpart as_person "$A" "$DUTYCTL" swap accept "$ID1"
expect_refused not_counterpart "$DUTYCTL" swap accept "$ID1"
out=$(as_person "$B" "$DUTYCTL" --json swap accept "$ID1") || fail "swap accept"
expect_eq "$(swap_field "$out" '["state"]')" "accepted" "accepted by the counterpart"
expect_refused state as_person "$B" "$DUTYCTL" swap accept "$ID1"

# Who approves: not a party, not a bystander (who does not even see it), not a leader with the
# approver role who is not on call that day (the configuration lets the leader on call approve).
L_OTHER=$(json_get "$(cat "$T/people.json")" \
        "[p['id'] for p in d['people'] if 'approver' in p['roles'] and 'admin' not in p['roles'] and p['id'] != '$L'][0]")
expect_refused own_swap as_person "$A" "$DUTYCTL" swap approve "$ID1"
expect_refused own_swap as_person "$B" "$DUTYCTL" swap approve "$ID1"
expect_error NotFound as_person "$OTHER" "$DUTYCTL" swap approve "$ID1"
expect_refused not_approver as_person "$L_OTHER" "$DUTYCTL" swap approve "$ID1"
expect_contains "$ERR" "带班领导" "the refusal says who may approve"
# Still nothing changed.
expect_eq "$(json_get "$("$DUTYCTL" --json who "$D1")" "[a['person'] for a in d['assignments'] if a['post'] == 'officer_on_duty'][0]")" \
        "$A" "the duty before the approval"

# The leader on call of the day approves, and the roster changes at once.
out=$(as_person "$L" "$DUTYCTL" --json swap approve "$ID1") || fail "swap approve by the leader on call"
expect_eq "$(swap_field "$out" '["state"]')" "applied" "approved and applied"
expect_eq "$(swap_field "$out" '["approved_by"]')" "$L" "approved by"
who=$("$DUTYCTL" --json who "$D1") || fail "who $D1"
expect_eq "$(json_get "$who" "[a['person'] for a in d['assignments'] if a['post'] == 'officer_on_duty'][0]")" \
        "$B" "who is on duty after the substitution"
expect_eq "$(json_get "$who" "[a['source'] for a in d['assignments'] if a['post'] == 'officer_on_duty'][0]")" \
        "substitution" "source of the rewritten assignment"
human=$("$DUTYCTL" who "$D1") || fail "who $D1 (text)"
expect_contains "$human" "$B_NAME" "who $D1 names the substitute"
case "$human" in *"$A_NAME"*) fail "who $D1 still names $A_NAME" ;; esac

# The iCalendar export shows the substitute on that duty.
"$DUTYCTL" roster show --from "$D1" --to "$D1" --format ics -o "$T/d1.ics" || fail "ics export"
python3 - "$T/d1.ics" "$B_NAME" "$A_NAME" <<'PY' || fail "the ics export does not show the substitute"
import sys
text = open(sys.argv[1], encoding="utf-8").read().replace("\r\n", "\n").replace("\n ", "")
summaries = [l for l in text.split("\n") if l.startswith("SUMMARY:") and "值班员" in l]
assert summaries == ["SUMMARY:值班员：" + sys.argv[2]], summaries
assert sys.argv[3] not in text, "the substituted person is still exported"
PY

# Fairness counts the duty actually done.
expect_eq "$(stats_total "$A")" "$((A_BEFORE - 1))" "duties counted for $A after handing one over"
expect_eq "$(stats_total "$B")" "$((B_BEFORE + 1))" "duties counted for $B after taking one"

# The history: every transition, who did it.
out=$(as_person "$A" "$DUTYCTL" --json swap show "$ID1") || fail "swap show"
expect_eq "$(json_get "$out" '[e["action"] for e in d["events"]]')" \
        "['requested', 'accepted', 'approved', 'applied']" "history of the substitution"
expect_eq "$(json_get "$out" '[e["actor"] for e in d["events"]]')" "['$A', '$B', '$L', '$L']" "actors of the history"
expect_eq "$(json_get "$out" 'd["events"][0]["reason"]')" "外出开会" "the reason is kept"
as_person "$A" "$DUTYCTL" swap show "$ID1" >"$T/show.txt" || fail "swap show (text)"
grep -q "in effect" "$T/show.txt" || fail "swap show does not say it is applied"

# Applied is final.
expect_refused state as_person "$A" "$DUTYCTL" swap cancel "$ID1"
expect_refused state as_person "$B" "$DUTYCTL" swap decline "$ID1"

# ---- An exchange, approved by an administrator ----

refresh_roster
read -r A2 DA C DC <<<"$(python3 "$SWAP_PY" pair "$T/roster.json" "$T/people.json" officer_on_duty \
        2026-06-13 2026-06-28 "$REST" "$A" "$B")"
[ -n "$DC" ] || fail "no two officer duties that can be exchanged"
out=$(as_person "$A2" "$DUTYCTL" --json swap request "$DA" --with "$C" --their-date "$DC") || fail "swap request"
ID2=$(swap_field "$out" '["id"]')
expect_eq "$(swap_field "$out" '["kind"]')" "swap" "kind of swap request"
expect_eq "$(swap_field "$out" '["their_date"]')" "$DC" "the counterpart's day"
as_person "$C" "$DUTYCTL" swap accept "$ID2" >/dev/null || fail "accept the exchange"
out=$("$DUTYCTL" --json swap approve "$ID2") || fail "root approves the exchange"
expect_eq "$(swap_field "$out" '["state"]')" "applied" "exchange applied"
expect_eq "$(swap_field "$out" '.get("approved_by")')" "None" "root approves as nobody of the office"
refresh_roster
expect_eq "$(duty "$DA" officer_on_duty)" "$C" "the counterpart holds the requester's day"
expect_eq "$(duty "$DC" officer_on_duty)" "$A2" "the requester holds the counterpart's day"
expect_eq "$(json_get "$("$DUTYCTL" --json who "$DC")" "[a['source'] for a in d['assignments'] if a['post'] == 'officer_on_duty'][0]")" \
        "swap" "source of an exchanged assignment"

# Without --their-date, the counterpart's next duty on the same post after the day is taken.
read -r A4 D4 C4 D4C <<<"$(python3 "$SWAP_PY" nextpair "$T/roster.json" officer_on_duty 2026-06-13 2026-06-28 \
        "$REST" "$A" "$B" "$A2" "$C")"
[ -n "$D4C" ] || fail "no officer duty to exchange with the counterpart's next one"
out=$(as_person "$A4" "$DUTYCTL" --json swap request "$D4" --with "$C4") || fail "swap request without --their-date"
expect_eq "$(swap_field "$out" '["their_date"]')" "$D4C" "their_date defaults to the counterpart's next duty"
as_person "$A4" "$DUTYCTL" swap cancel "$(swap_field "$out" '["id"]')" >/dev/null || fail "cancel"

# Planning the month again keeps what was agreed and approved: the substitution and the exchange
# stay, with their sources, as locked slots would.
"$DUTYCTL" roster generate --from "$FROM" --to "$TO" >/dev/null || fail "roster generate again"
refresh_roster
expect_eq "$(duty "$D1" officer_on_duty)" "$B" "the substitute after the range is planned again"
expect_eq "$(duty "$DA" officer_on_duty)" "$C" "the exchange (1) after the range is planned again"
expect_eq "$(duty "$DC" officer_on_duty)" "$A2" "the exchange (2) after the range is planned again"
expect_eq "$(json_get "$("$DUTYCTL" --json who "$D1")" "[a['source'] for a in d['assignments'] if a['post'] == 'officer_on_duty'][0]")" \
        "substitution" "the substitution's source after the range is planned again"

# Both approvals are in the audit log.
"$DUTYCTL" --json audit --limit 200 >"$T/audit.json" || fail "audit"
expect_eq "$(json_get "$(cat "$T/audit.json")" \
        "len([e for e in d['entries'] if e['method'].endswith('SwapApprove') and e['result'] == 'ok'])")" "2" \
        "approvals in the audit log"

stop_dutyd
echo "ok"
