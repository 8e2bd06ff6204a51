#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# roster_changed: a publication tells each person whose duties in it differ from the version that
# covered those days before (the first: every duty is new) what was added and removed, one message
# per person; an amendment tells the people it changes; a republication after two amendments
# tells exactly the two people whose duties differ from the previous version. Nobody else is
# told anything, and each message arrives once on the webhook receiver.
. "$(dirname "$0")/notify-roster-lib.sh"

notify_start_roster

D1=2026-06-10
D2=2026-06-11
changed() { hook_count "r['path'] == '/ops' and r['body']['kind'] == 'roster_changed' $*"; }
python3 -c 'import json,sys
seen = {}
for d in json.load(open(sys.argv[1]))["days"]:
    for a in d["assignments"]:
        if a["date"] in sys.argv[2:] and a.get("person"):
            seen[a["person"]] = seen.get(a["person"], 0) + 1
for p, n in sorted(seen.items()):
    print(p, n)' "$T/roster.json" "$D1" "$D2" >"$T/on_duty"
N=$(wc -l <"$T/on_duty")
[ "$N" -ge 2 ] || fail "expected people on duty on $D1 and $D2"
OUTSIDER=$(python3 -c 'import json,sys
on = {l.split()[0] for l in open(sys.argv[2])}
for p in json.load(open(sys.argv[1]))["people"]:
    if p["id"] not in on:
        print(p["id"]); break' "$T/people.json" "$T/on_duty")
[ -n "$OUTSIDER" ] || fail "everybody is on duty on $D1 and $D2"

# ---- the first publication: everyone on duty in it, once ----

out=$("$DUTYCTL" --json roster publish --from "$D1" --to "$D2") || fail "roster publish"
V1=$(json_get "$out" 'd["version"]')
wait_until 10 "roster_changed of version $V1" at_least "$N" changed
sleep 1
expect_eq "$(changed)" "$N" "one message per person on duty"
while read -r person n; do
        expect_eq "$(changed "and r['body']['person'] == '$person'")" "1" "one message for $person"
        expect_eq "$(changed "and r['body']['person'] == '$person' and r['body']['text'].count('值班') >= 1 and '第 $V1 版值班表已发布' in r['body']['text'] and '新增：' in r['body']['text'] and '取消：' not in r['body']['text']")" "1" "the text for $person"
done <"$T/on_duty"
expect_eq "$(changed "and r['body']['person'] == '$OUTSIDER'")" "0" "nothing for $OUTSIDER, not on duty"

# ---- two amendments: each tells the one person it changes ----

Y=$(duty "$D1" officer_on_duty)
X=$(free_person officer "$D1")
[ -n "$Y" ] && [ -n "$X" ] || fail "no officer or free officer on $D1"
"$DUTYCTL" roster unassign "$D1" officer_on_duty "$Y" --amend --reason "因病调整" >/dev/null || fail "roster unassign --amend"
wait_until 10 "roster_changed of the unassignment" at_least "$((N + 1))" changed
"$DUTYCTL" roster assign "$D1" officer_on_duty "$X" --amend --reason "因病调整" >/dev/null || fail "roster assign --amend"
wait_until 10 "roster_changed of the assignment" at_least "$((N + 2))" changed
sleep 1
expect_eq "$(changed)" "$((N + 2))" "one message per amendment"
expect_eq "$(changed "and r['body']['person'] == '$Y' and '已发布的值班表作了调整（因病调整）' in r['body']['text'] and '取消：$D1 值班员' in r['body']['text']")" "1" "$Y told of the removal"
expect_eq "$(changed "and r['body']['person'] == '$X' and '新增：$D1 值班员' in r['body']['text'] and '取消' not in r['body']['text']")" "1" "$X told of the addition"

# ---- republished: against the previous version, only X and Y differ ----

out=$("$DUTYCTL" --json roster publish --from "$D1" --to "$D2") || fail "roster publish again"
V2=$(json_get "$out" 'd["version"]')
[ "$V2" -gt "$V1" ] || fail "the second publication is not newer ($V2 ≤ $V1)"
wait_until 10 "roster_changed of version $V2" at_least "$((N + 4))" changed
sleep 1
expect_eq "$(changed "and '第 $V2 版' in r['body']['text']")" "2" "version $V2 told two people"
expect_eq "$(changed "and '第 $V2 版' in r['body']['text'] and r['body']['person'] == '$X' and '新增：$D1 值班员' in r['body']['text']")" "1" "$X in version $V2"
expect_eq "$(changed "and '第 $V2 版' in r['body']['text'] and r['body']['person'] == '$Y' and '取消：$D1 值班员' in r['body']['text']")" "1" "$Y in version $V2"
# Published once more unchanged: nobody.
"$DUTYCTL" roster publish --from "$D1" --to "$D2" >/dev/null || fail "roster publish unchanged"
sleep 2
expect_eq "$(changed)" "$((N + 4))" "an unchanged publication tells nobody"
expect_eq "$(changed "and r['body']['person'] == '$OUTSIDER'")" "0" "nothing for $OUTSIDER at all"
expect_eq "$(hook_count "r['path'] == '/ops'")" "$((N + 4))" "nothing else on ops"
wait_until 10 "the outbox to record the deliveries" at_least "$((N + 4))" sent_count
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" 'sum(1 for n in d["notifications"] if n["kind"] == "roster_changed")')" "$((N + 4))" "roster_changed in the outbox"

echo "PASS: roster_changed to the $N people of version $V1, to $Y and $X for the amendments and version $V2, to nobody else"
