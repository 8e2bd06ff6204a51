#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The calendar feeds are written off the event loop: a worker thread renders, writes, fsync()s and
# renames while dutyd goes on answering. With a worker slow on purpose (DUTYD_FEED_DELAY_MS=3000,
# a test hook: it waits 3 s before writing), after an amendment:
#   - dutyd answers Status, Who and further amendments while the rewrite is still under way (its
#     end not yet in the debug log);
#   - a burst of amendments made while the worker writes is taken by one more rewrite after it,
#     not one each (counted in the debug log, printed);
#   - the feeds end up holding the last amendment, read by python3-icalendar and libical.
# Without the hook, 167 shows a change reaching the feeds within a second.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/feeds-lib.sh"

feeds_conf
export DUTYD_DEBUG=1
export DUTYD_FEED_DELAY_MS=3000
export DUTYD_NOW=2026-09-25T10:00
touch "$T/dutyd.log"
start_dutyd
wait_for_file "$FEEDS/office.ics"

rewrites() { grep -c "Feeds: a rewrite done off the loop" "$T/dutyd.log" || true; }
# quiet: until no rewrite is under way or due (two rewrite delays without a new one).
quiet() {
        local n
        while :; do
                n=$(rewrites)
                sleep 4
                [ "$(rewrites)" != "$n" ] || return 0
        done
}

"$DUTYCTL" roster generate --from 2026-09-28 --to 2026-10-09 >/dev/null || fail "roster generate"
"$DUTYCTL" roster publish --from 2026-09-28 --to 2026-10-09 >/dev/null || fail "roster publish"
quiet
grep -q BEGIN:VEVENT "$FEEDS/office.ics" || fail "the published roster did not reach office.ics"
"$DUTYCTL" --json roster show --from 2026-09-28 --to 2026-10-09 >"$T/roster.json" || fail "roster show"
R=$(cat "$T/roster.json")
officer() { json_get "$R" "[a['person'] for x in d['days'] if x['day']['date'] == '$1' for a in x['assignments'] if a['post'] == 'officer_on_duty' and a['slot'] == 0][0]"; }

# ---- an amendment; dutyd answers while the worker writes ----
N0=$(rewrites)
D=2026-10-01
P=$(officer $D)
"$DUTYCTL" roster unassign $D officer_on_duty "$P" --amend --reason "临时出差" >/dev/null || fail "unassign $D"
sleep 0.5      # past the spacing: the rewrite has started, its worker waits 3 s
started=$(date +%s%N)
"$DUTYCTL" status >/dev/null || fail "status while the feeds are written"
"$DUTYCTL" who 2026-10-02 >/dev/null || fail "who while the feeds are written"
answered_ms=$(( ($(date +%s%N) - started) / 1000000 ))
expect_eq "$(rewrites)" "$N0" "Status and Who answered before the rewrite ended"
echo "Status + Who while a rewrite was under way: ${answered_ms} ms"

# ---- a burst while it writes: one more rewrite for all of it ----
BURST=0
for day in 2026-10-02 2026-10-03 2026-10-04 2026-10-05; do
        q=$(officer $day)
        "$DUTYCTL" roster unassign $day officer_on_duty "$q" --amend --reason "调整" >/dev/null || fail "unassign $day"
        BURST=$((BURST + 1))
done
"$DUTYCTL" roster assign $D officer_on_duty "$P" --amend --reason "行程取消" >/dev/null || fail "assign $D back"
BURST=$((BURST + 1))
expect_eq "$(rewrites)" "$N0" "the amendments answered while the first rewrite was still under way"
quiet
DONE=$(($(rewrites) - N0))
echo "1 amendment, then $BURST in a burst: $DONE rewrites"
expect_eq "$DONE" "2" "the first rewrite and one more for the whole burst"

# ---- the feeds hold the last state ----
"$DUTYCTL" --json roster show --from 2026-09-28 --to 2026-10-09 >"$T/roster.json" || fail "roster show"
"$ICS_CHECK" "$FEEDS/office.ics" >"$T/office.check" 2>&1 || { cat "$T/office.check"; fail "libical refuses office.ics"; }
n=$("$PY" "$FEEDS_CHECK" events "$FEEDS/office.ics" "$T/roster.json") || fail "office.ics is not the roster after the burst"
expect_eq "$(json_get "$(cat "$T/roster.json")" \
        'sum(1 for x in d["days"] if x.get("version") for a in x["assignments"] if a["person"])')" "$n" "events in office.ics after the burst"
grep -q "person-$P" <(ls "$FEEDS") || fail "no feed for $P"
"$PY" "$FEEDS_CHECK" events "$FEEDS/person-$P.ics" "$T/roster.json" "$P" >/dev/null || fail "person-$P.ics does not hold $D again"
echo "ok: feeds written off the loop; $BURST amendments in a burst made $((DONE - 1)) extra rewrite"
