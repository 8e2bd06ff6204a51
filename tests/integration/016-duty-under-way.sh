#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The duty under way is not replaced (issue 13, finding 3). At 10:00 on a duty day (handover 08:30)
# generating from that day keeps the day's people as they are, plans from the next day on, and
# says so; at 08:00, before the handover, the day has not begun and is planned. A duty day running
# with no roster at all is planned, since nobody holds it.
. "$(dirname "$0")/lib.sh"

show_json() { "$DUTYCTL" --json roster show --from "$1" --to "$2"; }
day_people() {
        json_get "$(show_json "$1" "$1")" "[(a['post'], a['slot'], a['person'], a['source']) for x in d['days'] for a in x['assignments']]"
}

# Nothing planned yet at 10:00 on 03-01: the day under way is planned with the rest.
DUTYD_NOW=2026-03-01T10:00 start_dutyd
out=$("$DUTYCTL" --json roster generate --from 2026-03-01 --to 2026-03-31) || fail "roster generate"
expect_eq "$(json_get "$out" 'd["planned_from"], d["from"]')" "('2026-03-01', '2026-03-01')" \
        "a duty day under way with no roster is planned"
[ "$(day_people 2026-03-01)" != "[]" ] || fail "2026-03-01 has no roster"
stop_dutyd

# 10:00 on 03-05: the duty of 03-05 began at 08:30.
DUTYD_NOW=2026-03-05T10:00 start_dutyd
expect_eq "$(json_get "$("$DUTYCTL" --json who)" 'd["date"]')" "2026-03-05" "the duty day running"
# The leader on call of the day reports at 09:00 that he cannot go on: that is for the clerk to
# settle by hand (roster assign, a substitution), and the gap monitor says so; a generation that
# planned the day again would put someone else there without a word. Generated three times, each
# from another state (someone of the next day declared unavailable in between).
before=$(day_people 2026-03-05)
L=$(json_get "$(show_json 2026-03-05 2026-03-05)" "[a['person'] for a in d['days'][0]['assignments'] if a['post'] == 'leader_on_call'][0]")
"$DUTYCTL" unavailable add "$L" --from 2026-03-05 --to 2026-03-05 --reason "突发疾病" >/dev/null ||
        fail "unavailable add"
for round in 1 2 3; do
        out=$("$DUTYCTL" --json roster generate --from 2026-03-05 --to 2026-03-31) ||
                fail "roster generate from the day under way"
        expect_eq "$(day_people 2026-03-05)" "$before" "the duty under way after generating (round $round)"
        expect_eq "$(json_get "$out" 'sorted({a["date"] for a in d["assignments"]})[0]')" "2026-03-06" \
                "first day in the reply"
        expect_eq "$(json_get "$out" 'd["planned_from"]')" "2026-03-06" "first day planned"
        "$DUTYCTL" unavailable add "$(json_get "$(show_json 2026-03-06 2026-03-06)" "d['days'][0]['assignments'][0]['person']")" \
                --from 2026-03-06 --to 2026-03-06 >/dev/null || fail "unavailable add"
done
table=$("$DUTYCTL" roster generate --from 2026-03-01 --to 2026-03-31) || fail "roster generate table"
expect_contains "$table" "Generated from 2026-03-06 on" "the table says from which day it planned"
# Generating only the duty under way leaves nothing to plan.
rc=0
err=$("$DUTYCTL" roster generate --from 2026-03-05 --to 2026-03-05 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "generating only the duty under way"
expect_contains "$err" "2026-03-05" "the refusal names the day"
stop_dutyd

# 08:00 on 03-10: the duty day running is 03-09; 03-10 has not begun and is planned.
DUTYD_NOW=2026-03-10T08:00 start_dutyd
expect_eq "$(json_get "$("$DUTYCTL" --json who)" 'd["date"]')" "2026-03-09" "before the handover"
before=$(day_people 2026-03-09)
out=$("$DUTYCTL" --json roster generate --from 2026-03-09 --to 2026-03-31) || fail "roster generate at 08:00"
expect_eq "$(json_get "$out" 'd["planned_from"]')" "2026-03-10" "first day planned before the handover"
expect_eq "$(day_people 2026-03-09)" "$before" "the duty running at 08:00"
stop_dutyd

echo "ok"
