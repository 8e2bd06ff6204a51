#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Calendar feeds (issue 18): with feeds = { dir = …; } dutyd keeps office.ics and person-ID.ics in
# the directory. Read by libical (tests/helpers/ics-check) and python3-icalendar: one event per
# published duty (drafts left out), 08:30 to 08:30 in Asia/Shanghai with its VTIMEZONE, the
# 60-minute reminder of the sample office, the colleagues of the duty; a person's feed holds their
# duties only. An amendment reaches the feeds within a second (measured, printed; the bound
# asserted is 5 s): the changed day's events get SEQUENCE 1 and a new LAST-MODIFIED, the others
# keep theirs, the replaced person's event is gone from their feed. An unchanged roster rewrites
# nothing (a reload keeps the files' inodes). With feeds.token_secret the files are named with the
# token the README's sha256sum line computes, and the old names are removed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/feeds-lib.sh"

feeds_conf
export DUTYD_NOW=2026-09-25T10:00
start_dutyd
wait_for_file "$FEEDS/office.ics"

"$DUTYCTL" roster generate --from 2026-09-28 --to 2026-10-09 >/dev/null || fail "roster generate"
"$DUTYCTL" roster publish --from 2026-09-30 --to 2026-10-08 >/dev/null || fail "roster publish"
"$DUTYCTL" --json roster show --from 2026-09-28 --to 2026-10-09 >"$T/roster.json" || fail "roster show"
# The publication is a change: the feed follows it.
deadline=$((SECONDS + 5))
until grep -q BEGIN:VEVENT "$FEEDS/office.ics"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "the published roster did not reach office.ics"
        sleep 0.02
done

"$ICS_CHECK" "$FEEDS/office.ics" >"$T/office.check" 2>&1 || { cat "$T/office.check"; fail "libical refuses office.ics"; }
expect_contains "$(cat "$T/office.check")" "restriction check passed, 0 errors" "libical's verdict on office.ics"
n=$("$PY" "$FEEDS_CHECK" events "$FEEDS/office.ics" "$T/roster.json") || fail "office.ics is not the published roster"
echo "office.ics: $n events"
expect_eq "$(json_get "$(cat "$T/roster.json")" \
        'sum(1 for x in d["days"] if x.get("version") for a in x["assignments"] if a["person"])')" "$n" "events in office.ics"
expect_eq "$(grep -c '^BEGIN:VEVENT' "$FEEDS/office.ics")" "$n" "no draft day in office.ics"

# Every person of the office has a feed; each holds their published duties only.
people=$(json_get "$(cat "$T/roster.json")" \
        '" ".join(sorted({a["person"] for x in d["days"] if x.get("version") for a in x["assignments"] if a["person"]}))')
total=0
for p in $people; do
        f="$FEEDS/person-$p.ics"
        [ -f "$f" ] || fail "no feed for $p"
        "$ICS_CHECK" "$f" >/dev/null 2>&1 || fail "libical refuses person-$p.ics"
        k=$("$PY" "$FEEDS_CHECK" events "$f" "$T/roster.json" "$p") || fail "person-$p.ics is not $p's duties"
        total=$((total + k))
done
expect_eq "$total" "$n" "the person feeds together hold the office's duties"
expect_eq "$(stat -c %a "$FEEDS/office.ics")" "644" "mode of a feed"

# ---- An amendment: within a second, a new revision of that day's events only ----

DAY=2026-10-03
R=$(cat "$T/roster.json")
BEFORE=$(json_get "$R" "[a['person'] for x in d['days'] if x['day']['date'] == '$DAY' for a in x['assignments'] if a['post'] == 'officer_on_duty' and a['slot'] == 0][0]")
AFTER=$(json_get "$R" "sorted({a['person'] for x in d['days'] for a in x['assignments'] if a['post'] == 'officer_on_duty' and a['person']} - {a['person'] for x in d['days'] if x['day']['date'] in ('2026-10-02','$DAY','2026-10-04') for a in x['assignments']})[0]")
"$DUTYCTL" roster unassign "$DAY" officer_on_duty "$BEFORE" --amend --reason "生病住院" >/dev/null || fail "unassign"
sleep 0.5
"$PY" "$FEEDS_CHECK" stamps "$FEEDS/office.ics" >"$T/stamps.before" || fail "stamps"
# dutyd's clock is the test's: LAST-MODIFIED of a change is DUTYD_NOW, so move it to tell them apart.
stop_dutyd
export DUTYD_NOW=2026-09-26T11:00
start_dutyd
read -r from_start from_reply < <("$PY" "$FEEDS_CHECK" measure "$FEEDS/office.ics" \
        "$DUTYCTL" roster assign "$DAY" officer_on_duty "$AFTER" --amend --reason "生病住院") ||
        fail "the amendment did not reach office.ics"
echo "amendment → office.ics rewritten: ${from_start}s after the call, ${from_reply}s after its reply"
"$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) < 5 else 1)" "$from_start" ||
        fail "office.ics changed ${from_start}s after the amendment (bound 5 s)"
"$DUTYCTL" --json roster show --from 2026-09-28 --to 2026-10-09 >"$T/roster3.json" || fail "roster show"
"$PY" "$FEEDS_CHECK" events "$FEEDS/office.ics" "$T/roster3.json" >/dev/null || fail "office.ics after the amendment"
"$PY" "$FEEDS_CHECK" events "$FEEDS/person-$AFTER.ics" "$T/roster3.json" "$AFTER" >/dev/null ||
        fail "person-$AFTER.ics after the amendment"
"$PY" "$FEEDS_CHECK" events "$FEEDS/person-$BEFORE.ics" "$T/roster3.json" "$BEFORE" >/dev/null ||
        fail "person-$BEFORE.ics after the amendment"
! grep -q "^UID:20261003-officer_on_duty-0-$BEFORE\." "$FEEDS/person-$BEFORE.ics" ||
        fail "the replaced duty is still in $BEFORE's feed"
grep -q "^UID:20261003-officer_on_duty-0-$AFTER\." "$FEEDS/person-$AFTER.ics" ||
        fail "the new duty is not in $AFTER's feed"
"$PY" "$FEEDS_CHECK" stamps "$FEEDS/office.ics" >"$T/stamps.after" || fail "stamps"
"$PY" - "$T/stamps.before" "$T/stamps.after" "$DAY" "$AFTER" <<'PY' || fail "SEQUENCE/LAST-MODIFIED after the amendment"
import json, sys
before, after = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
day, new = sys.argv[3].replace("-", ""), sys.argv[4]
changed = same = 0
for uid, (seq, lm, desc) in after.items():
    if uid.startswith(day) and uid not in before:
        assert "-" + new + "." in uid, uid
        assert seq == 0 and lm.startswith("20260926T030"), (uid, seq, lm)
    elif uid.startswith(day):
        # The colleagues of the day: their description now names the new officer.
        assert seq == before[uid][0] + 1, (uid, seq, before[uid])
        assert lm.startswith("20260926T030"), (uid, lm)
        assert desc != before[uid][2]
        changed += 1
    else:
        assert [seq, lm, desc] == before[uid], (uid, seq, lm, before[uid])
        same += 1
assert changed > 0 and same > 0, (changed, same)
print("changed", changed, "kept", same)
PY

# ---- Nothing changed, nothing written ----

ino=$(stat -c %i "$FEEDS/office.ics")
"$DUTYCTL" reload >/dev/null || fail "reload"
"$DUTYCTL" status >/dev/null
sleep 0.3
expect_eq "$(stat -c %i "$FEEDS/office.ics")" "$ino" "office.ics rewritten though nothing changed"

# ---- Unguessable names ----

SECRET=0123456789abcdef0123
sed -i "s|^  dir = \"$FEEDS\";|  dir = \"$FEEDS\";\n  token_secret = \"$SECRET\";|" "$T/etc/dutyd.conf"
"$DUTYCTL" reload >/dev/null || fail "reload with feeds.token_secret"
token=$(printf '%s\n%s' "$SECRET" "person-$AFTER" | sha256sum | cut -c1-20)
wait_for_file "$FEEDS/person-$AFTER-$token.ics"
otoken=$(printf '%s\n%s' "$SECRET" office | sha256sum | cut -c1-20)
[ -f "$FEEDS/office-$otoken.ics" ] || fail "office-$otoken.ics not written"
# The old names go at the end of the run, once every feed is written under its new one.
guessable() { find "$FEEDS" \( -name 'person-*.ics' ! -name "person-*-????????????????????.ics" \) -o -name office.ics; }
for _ in $(seq 1 200); do
        [ -z "$(guessable)" ] && break
        sleep 0.05
done
[ -z "$(guessable)" ] || fail "feeds under guessable names are left: $(ls "$FEEDS")"

# A short secret is refused at its line, and the running configuration stays.
sed -i "s|token_secret = \"$SECRET\";|token_secret = \"short\";|" "$T/etc/dutyd.conf"
rc=0
"$DUTYCTL" reload >"$T/reload.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a short feeds.token_secret was accepted"
expect_contains "$(cat "$T/reload.out")" "feeds.token_secret" "the setting named in the refusal"

stop_dutyd
echo "ok"
