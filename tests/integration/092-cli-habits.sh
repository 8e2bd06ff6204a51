#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The CLI fits the clerk's habits: `dutyctl FAMILY --help` lists that family's verbs; `roster show`
# defaults to this week, with --week [+N] and --month YYYY-MM; `who tomorrow`, `who +N`; `dutyctl
# me` shows one's next duties, open leave and swaps, and what waits for one's decision; `swap show`
# names who may approve an open swap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/swap-lib.sh"

# ---- Families ----

for family in leave swap roster sensitive unavailable; do
        out=$("$DUTYCTL" "$family" --help) || fail "$family --help"
        verbs=$(LC_ALL=C "$DUTYCTL" --help | sed -n "/^Verbs:\$/,/^\$/s/^  \\($family [a-z]*\\).*/\\1/p")
        [ -n "$verbs" ] || fail "no verbs of $family in --help"
        while read -r v; do
                expect_contains "$out" "  $v" "$family --help lists '$v'"
        done <<<"$verbs"
        case "$out" in *"unknown verb"*) fail "$family --help: $out" ;; esac
        expect_eq "$(grep -c '^  [a-z]' <<<"$out")" "$(wc -l <<<"$verbs")" "$family --help lists only its verbs"
done
"$DUTYCTL" leave -h >/dev/null || fail "leave -h"
rc=0
err=$("$DUTYCTL" leave 2>&1) || rc=$?
expect_eq "$rc" "2" "a family word alone is a usage error"
expect_contains "$err" "leave approve" "a family word alone lists its verbs"

# ---- Days counted from today (the daemon's clock: the duty day under way) ----

export DUTYD_NOW=2026-06-02T10:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-06-02 --to 2026-06-30 >/dev/null || fail "roster generate"
refresh_roster

json_date() {
        "$DUTYCTL" --json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["date"])'
}
expect_eq "$(json_date who)" "2026-06-02" "who"
expect_eq "$(json_date who today)" "2026-06-02" "who today"
expect_eq "$(json_date who tomorrow)" "2026-06-03" "who tomorrow"
expect_eq "$(json_date who yesterday)" "2026-06-01" "who yesterday"
expect_eq "$(json_date who +7)" "2026-06-09" "who +7"
expect_eq "$(json_date who -2)" "2026-05-31" "who -2"
rc=0
"$DUTYCTL" who +x >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "who +x is a usage error"

# ---- roster show: this week by default, another week, a month ----

range() {
        "$DUTYCTL" --json roster show "$@" |
                python3 -c 'import json,sys; d=json.load(sys.stdin)["days"]; print(d[0]["day"]["date"], d[-1]["day"]["date"], len(d))'
}
# 2026-06-02 is a Tuesday: its week runs from Monday 06-01 to Sunday 06-07.
expect_eq "$(range)" "2026-06-01 2026-06-07 7" "roster show defaults to this week"
expect_eq "$(range --week)" "2026-06-01 2026-06-07 7" "roster show --week"
expect_eq "$(range --week +1)" "2026-06-08 2026-06-14 7" "roster show --week +1"
expect_eq "$(range --week -1)" "2026-05-25 2026-05-31 7" "roster show --week -1"
expect_eq "$(range --month 2026-06)" "2026-06-01 2026-06-30 30" "roster show --month 2026-06"
expect_eq "$(range --month 2026-02)" "2026-02-01 2026-02-28 28" "roster show --month 2026-02"
expect_eq "$(range --from 2026-06-05 --to 2026-06-06)" "2026-06-05 2026-06-06 2" "roster show --from --to"
"$DUTYCTL" roster show >"$T/week.txt" || fail "roster show table"
expect_contains "$(cat "$T/week.txt")" "2026-06-01 to 2026-06-07" "the table of this week"
for bad in "--month 2026-13" "--month 2026-6" "--week --month 2026-06" "--from 2026-06-01" "+1" "--week +x"; do
        rc=0
        # shellcheck disable=SC2086 # the words are separate arguments
        "$DUTYCTL" roster show $bad >/dev/null 2>&1 || rc=$?
        expect_eq "$rc" "2" "roster show $bad is a usage error"
done

# ---- me ----

D=2026-06-10
A=$(duty "$D" officer_on_duty)
B=$(free_person officer "$D")
L=$(duty "$D" leader_on_call)
out=$(as_person "$A" "$DUTYCTL" me) || fail "me"
expect_contains "$out" "$D" "me lists my next duty"
expect_contains "$out" "值班员" "me names the post of my duty"
# A substitution asked of B: B sees it waiting for a decision, with the command; A sees it open.
ID=$(as_person "$A" "$DUTYCTL" --json swap cover "$D" --by "$B" | python3 -c 'import json,sys; print(json.load(sys.stdin)["swap"]["id"])') ||
        fail "swap cover"
out=$(as_person "$B" "$DUTYCTL" me) || fail "me of the counterpart"
expect_contains "$out" "dutyctl swap accept $ID" "me: a swap waits for my consent"
out=$(as_person "$A" "$DUTYCTL" me) || fail "me of the requester"
expect_contains "$out" "#$ID" "me: my open swap"
# swap show names the leader on call of the day as who may approve.
out=$(as_person "$A" "$DUTYCTL" swap show "$ID") || fail "swap show"
LNAME=$("$DUTYCTL" --json people | python3 -c 'import json,sys; print([p["name"] for p in json.load(sys.stdin)["people"] if p["id"] == sys.argv[1]][0])' "$L")
expect_contains "$out" "$LNAME ($L)" "swap show names who may approve"
# So does the answer to the consent that makes it wait for the approval.
out=$(as_person "$B" "$DUTYCTL" swap accept "$ID") || fail "swap accept"
expect_contains "$out" "$LNAME ($L)" "swap accept names who may approve"
# A leader's leave: pending for the leader, waiting for the approver's decision.
P=zhangw
# A day the generated roster leaves free for the leave (leave check passes).
LD=
for d in 2026-06-{15..29}; do
        if as_person "$P" "$DUTYCTL" leave check --from "$d" --to "$d" --destination 南昌 --reason 开会 >/dev/null 2>&1; then
                LD=$d
                break
        fi
done
[ -n "$LD" ] || fail "no day in June 15-29 on which $P may be away"
as_person "$P" "$DUTYCTL" leave request --from "$LD" --to "$LD" --destination 南昌 --reason 开会 \
        >/dev/null 2>"$T/err" || fail "leave request: $(cat "$T/err")"
out=$(as_person "$P" "$DUTYCTL" me) || fail "me of the leader"
expect_contains "$out" "$LD" "me: my pending leave"
APPROVER=$("$DUTYCTL" --json leave list | python3 -c 'import json,sys; print(json.load(sys.stdin)["leaves"][0]["approver"])')
out=$(as_person "$APPROVER" "$DUTYCTL" me) || fail "me of the approver"
expect_contains "$out" "dutyctl leave approve" "me: leave waits for the approver"
# A guest is told what is missing.
rc=0
err=$(as_uid "$GUEST_UID" "$DUTYCTL" me 2>&1) || rc=$?
expect_eq "$rc" "1" "me of a guest"
expect_contains "$err" "uid $GUEST_UID" "me of a guest names the uid"
