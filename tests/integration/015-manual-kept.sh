#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A change made by hand survives the next generation (issue 13, finding 2). A leader on call is
# replaced with roster unassign + roster assign, without --lock: who labels the duty "by hand",
# and generating the range again keeps it (before, the old person came back silently). Only
# --replace-manual plans it again. Applied swaps are kept as well (030-swap.sh applies them).
. "$(dirname "$0")/lib.sh"

export DUTYD_NOW=2026-03-01T10:00
start_dutyd

show_json() { "$DUTYCTL" --json roster show --from "$1" --to "$2"; }
slot0() {
        json_get "$1" "[(a['person'], a['source']) for x in d['days'] if x['day']['date'] == '$2' for a in x['assignments'] if a['post'] == '$3' and a['slot'] == 0][0]"
}
LEADERS="'wangjg','lixy','ouyangmh','zhangw','chenzq','liuf','sunlh','zhaods'"

"$DUTYCTL" roster generate --from 2026-03-02 --to 2026-03-31 >/dev/null || fail "roster generate"
R=$(show_json 2026-03-01 2026-03-31)
OLD=$(json_get "$R" "[a['person'] for x in d['days'] if x['day']['date'] == '2026-03-16' for a in x['assignments'] if a['post'] == 'leader_on_call'][0]")
NEW=$(json_get "$R" "sorted({$LEADERS} - {a['person'] for x in d['days'] if x['day']['date'] in ('2026-03-15','2026-03-16','2026-03-17') for a in x['assignments']})[0]")
[ -n "$OLD" ] && [ -n "$NEW" ] || fail "no leader to swap in on 2026-03-16"

"$DUTYCTL" roster unassign 2026-03-16 leader_on_call "$OLD" >/dev/null || fail "roster unassign"
"$DUTYCTL" roster assign 2026-03-16 leader_on_call "$NEW" >/dev/null || fail "roster assign"
out=$("$DUTYCTL" --json who 2026-03-16) || fail "who"
expect_eq "$(json_get "$out" "[(a['person'], a['source'], a['locked']) for a in d['assignments'] if a['post'] == 'leader_on_call']")" \
        "[('$NEW', 'manual', False)]" "who after the change by hand"

# Generating the range again keeps the hand-made duty, and says so in every view.
"$DUTYCTL" roster generate --from 2026-03-02 --to 2026-03-31 >/dev/null || fail "roster generate again"
expect_eq "$(slot0 "$(show_json 2026-03-16 2026-03-16)" 2026-03-16 leader_on_call)" "('$NEW', 'manual')" \
        "the hand-made duty after generating again"
"$DUTYCTL" roster generate --from 2026-03-10 --to 2026-03-20 >/dev/null || fail "roster generate a part"
expect_eq "$(slot0 "$(show_json 2026-03-16 2026-03-16)" 2026-03-16 leader_on_call)" "('$NEW', 'manual')" \
        "the hand-made duty after generating a part of the range"

# --replace-manual plans it again: the slot is the generator's.
out=$("$DUTYCTL" --json roster generate --from 2026-03-02 --to 2026-03-31 --replace-manual) ||
        fail "roster generate --replace-manual"
expect_eq "$(json_get "$(show_json 2026-03-16 2026-03-16)" "[a['source'] for x in d['days'] for a in x['assignments'] if a['post'] == 'leader_on_call']")" \
        "['generated']" "the slot after --replace-manual"

# A locked one stays even then.
P=$(json_get "$(show_json 2026-03-20 2026-03-20)" "[a['person'] for x in d['days'] for a in x['assignments'] if a['post'] == 'leader_on_call'][0]")
"$DUTYCTL" roster assign 2026-03-20 leader_on_call "$P" --lock >/dev/null || fail "lock"
"$DUTYCTL" roster generate --from 2026-03-02 --to 2026-03-31 --replace-manual >/dev/null || fail "generate again"
expect_eq "$(slot0 "$(show_json 2026-03-20 2026-03-20)" 2026-03-20 leader_on_call)" "('$P', 'generated')" \
        "a locked duty after --replace-manual"

stop_dutyd
echo "ok"
