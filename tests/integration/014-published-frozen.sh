#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A published roster does not change under people's feet (issue 13, finding 1). The 春节 roster of
# 2026 is published as version 1, then a generation over a wider range is refused, naming the
# version and the day, and nothing changes; by hand too, unless made as an amendment with a reason.
# An amendment is recorded (roster amendments), counted on roster show ("version 1, amended 2
# times", per day and in total) until the range is published again; roster diff without a version
# compares each day with the version that covers it (not the newest publication, another range) and
# prints names and post names. A generation made as an amendment records every slot it changes.
. "$(dirname "$0")/lib.sh"
# The refusals are checked by their Varlink names too.
verbose_dutyctl

export DUTYD_NOW=2026-01-10T10:00
start_dutyd

FROM=2026-02-15
TO=2026-02-23
show_json() { "$DUTYCTL" --json roster show --from "$1" --to "$2"; }
# holder JSON DATE POST: the person of slot 0.
holder() {
        json_get "$1" "[a['person'] for x in d['days'] if x['day']['date'] == '$2' for a in x['assignments'] if a['post'] == '$3' and a['slot'] == 0][0]"
}
persons() {
        json_get "$1" "[(x['day']['date'], a['post'], a['slot'], a['person']) for x in d['days'] for a in x['assignments']]"
}

"$DUTYCTL" roster holiday 春节 --year 2026 >/dev/null || fail "roster holiday"
out=$("$DUTYCTL" --json roster publish --from "$FROM" --to "$TO") || fail "roster publish"
expect_eq "$(json_get "$out" 'd["version"]')" "1" "published version"
published=$(show_json "$FROM" "$TO") || fail "roster show"

# ---- Generation over a published day is refused, naming the version and the day ----

rc=0
err=$("$DUTYCTL" roster generate --from 2026-01-20 --to 2026-03-31 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "exit status of a generation over the published 春节 roster"
expect_contains "$err" "RuleViolation" "refusal of the generation"
expect_contains "$err" "2026-02-15" "the day named"
expect_contains "$err" "第 1 版" "the version named"
expect_eq "$(persons "$(show_json "$FROM" "$TO")")" "$(persons "$published")" "the published days after the refusal"
m=$(python3 "$(dirname "$0")/roster-check.py" call "$T/run/io.dutyd.Duty" RosterGenerate \
        '{"from": "2026-02-10", "to": "2026-02-20"}') || fail "RosterGenerate call"
expect_eq "$(json_get "$m" '(d["error"], d["parameters"]["rule"], d["parameters"]["date"], d["parameters"]["version"])')" \
        "('io.dutyd.Duty.RuleViolation', 'published', '2026-02-15', 1)" "RuleViolation of a published day"

# Around it, generation goes on.
"$DUTYCTL" roster generate --from 2026-01-20 --to 2026-02-14 >/dev/null || fail "generate before the holiday"

# ---- By hand: refused, then made as an amendment ----

R=$(show_json "2026-02-18" "2026-02-22")
BEFORE=$(holder "$R" 2026-02-20 officer_on_duty)
AFTER=$(json_get "$R" "sorted({'zhouxd','wum','zhenght','fengj','hejj','mal','huwb','linxy','huangzm','xut','simayf','dengh'} - {a['person'] for x in d['days'] if x['day']['date'] in ('2026-02-19','2026-02-20','2026-02-21') for a in x['assignments']})[0]")
rc=0
err=$("$DUTYCTL" roster unassign 2026-02-20 officer_on_duty "$BEFORE" 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "exit status of unassign on a published day"
expect_contains "$err" "第 1 版" "unassign refusal names the version"
rc=0
"$DUTYCTL" roster unassign 2026-02-20 officer_on_duty "$BEFORE" --amend >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "--amend without --reason is a usage error"
expect_eq "$(holder "$(show_json 2026-02-20 2026-02-20)" 2026-02-20 officer_on_duty)" "$BEFORE" "nothing changed yet"

"$DUTYCTL" roster unassign 2026-02-20 officer_on_duty "$BEFORE" --amend --reason "生病住院" >/dev/null ||
        fail "unassign as an amendment"
"$DUTYCTL" roster assign 2026-02-20 officer_on_duty "$AFTER" --amend --reason "生病住院" >/dev/null ||
        fail "assign as an amendment"

# ---- Shown until published again ----

S=$(show_json "$FROM" "$TO")
expect_eq "$(json_get "$S" 'd["version"], d["amendments"]')" "(1, 2)" "roster show: version and amendments"
expect_eq "$(json_get "$S" '[(x["day"]["date"], x["version"], x["amendments"]) for x in d["days"] if x["amendments"]]')" \
        "[('2026-02-20', 1, 2)]" "roster show: per day"
expect_eq "$(json_get "$(show_json 2026-01-20 2026-01-20)" 'd["days"][0].get("version")')" "None" \
        "a day never published has no version"
table=$("$DUTYCTL" roster show --from "$FROM" --to "$TO") || fail "roster show table"
expect_contains "$table" "version 1, amended 2 times" "roster show table"

out=$("$DUTYCTL" --json roster amendments --from "$FROM" --to "$TO") || fail "roster amendments"
expect_eq "$(json_get "$out" '[(a["date"], a["post"], a["before"], a["after"], a["version"], a["reason"], a["uid"]) for a in d["amendments"]]')" \
        "[('2026-02-20', 'officer_on_duty', '$BEFORE', None, 1, '生病住院', 0), ('2026-02-20', 'officer_on_duty', None, '$AFTER', 1, '生病住院', 0)]" \
        "roster amendments"
expect_contains "$("$DUTYCTL" roster amendments --from "$FROM" --to "$TO")" "生病住院" "roster amendments table"

# ---- diff: each day against the version covering it, with names ----

out=$("$DUTYCTL" --json roster publish --from 2026-01-20 --to 2026-02-14) || fail "publish the days before"
expect_eq "$(json_get "$out" 'd["version"]')" "2" "second version"
out=$("$DUTYCTL" --json roster diff) || fail "roster diff --json"
expect_eq "$(json_get "$out" '[(c["date"], c["post"], c["version"], c["before"], c["after"]) for c in d["changes"]]')" \
        "[('2026-02-20', 'officer_on_duty', 1, '$BEFORE', '$AFTER')]" "diff without a version"
name_of() { json_get "$("$DUTYCTL" --json people)" "[p['name'] for p in d['people'] if p['id'] == '$1'][0]"; }
table=$("$DUTYCTL" roster diff) || fail "roster diff"
expect_contains "$table" "$(name_of "$BEFORE")" "diff table names who was on the published roster"
expect_contains "$table" "$(name_of "$AFTER")" "diff table names who is on it now"
expect_contains "$table" "值班员" "diff table names the post"
case "$table" in *officer_on_duty*|*" $BEFORE "*) fail "diff table shows ids: $table" ;; esac

# ---- Published again: version 3, nothing amended since ----

"$DUTYCTL" roster publish --from "$FROM" --to "$TO" >/dev/null || fail "publish again"
S=$(show_json "$FROM" "$TO")
expect_eq "$(json_get "$S" 'd["version"], d["amendments"]')" "(3, 0)" "roster show after publishing again"
table=$("$DUTYCTL" roster show --from "$FROM" --to "$TO") || fail "roster show table"
case "$table" in *amended*) fail "amendments shown after publishing again: $table" ;; esac
expect_eq "$(json_get "$("$DUTYCTL" --json roster diff)" 'd["changes"]')" "[]" "diff after publishing again"

# ---- Generation as an amendment records each changed slot ----

n0=$(json_get "$("$DUTYCTL" --json roster amendments --from "$FROM" --to "$TO")" 'len(d["amendments"])')
out=$("$DUTYCTL" --json roster holiday 春节 --year 2026 --replace-manual --amend --reason "重新排班") ||
        fail "holiday as an amendment"
amended=$(json_get "$out" 'd["amended"]')
n1=$(json_get "$("$DUTYCTL" --json roster amendments --from "$FROM" --to "$TO")" 'len(d["amendments"])')
expect_eq "$((n1 - n0))" "$amended" "amendments recorded by the generation"
changed=$(json_get "$("$DUTYCTL" --json roster diff)" 'len(d["changes"])')
[ "$amended" -ge "$changed" ] || fail "the generation changed $changed slots but recorded $amended"

stop_dutyd
echo "ok"
