#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The gap monitor reports a day on which nobody acts for a principal on leave (代为主持工作无人):
#   - the Party secretary's approved leave names 张伟 to act, and 张伟 has an approved leave on
#     those days recorded before the rule existed (written into the database as an older dutyd
#     left it): each such day is a gap acting_uncovered in `dutyctl gaps`, and a journal entry with
#     its own catalogued MESSAGE_ID, DUTY_RULE=acting_away, DUTY_PERSON (the principal, then the
#     person acting), DUTY_DATE and DUTY_LEAVE_ID;
#   - 张伟's leave cancelled: the gaps are resolved;
#   - 张伟 leaving office (active_until) before the leave ends: the days after are gaps again.
#
# The journal is a real systemd-journald in a private mount namespace, as in 040-journal.sh, when
# run as root; otherwise only `dutyctl gaps` is checked.

. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/leave-lib.sh"

ID_ACTING=$(grep -oE 'ALERT_MESSAGE_ID_ACTING_UNCOVERED +"[0-9a-f]{32}"' "$SRCDIR/daemon/alert.h" | grep -oE '[0-9a-f]{32}')
ID_RESOLVED=bfb57ecee2444175809f85ccdcb72def
[ -n "$ID_ACTING" ] || fail "no acting_uncovered MESSAGE_ID in daemon/alert.h"
grep -q "^-- $ID_ACTING$" "$SRCDIR/packaging/dutyd.catalog" || fail "the acting_uncovered MESSAGE_ID is not in the catalog"

journal_start
J=(journalctl --directory=/run/log/journal --quiet --no-pager)

# entries MATCH…: dutyd's matching journal entries, one JSON object per line.
entries() {
        "${J[@]}" -o json SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null || true
}

# wait_count N MATCH…: until exactly N entries match.
wait_count() {
        local n=$1 c=0
        shift
        for i in $(seq 1 100); do
                journalctl --sync 2>/dev/null || true
                c=$(entries "$@" | grep -c . || true)
                [ "$c" -ge "$n" ] && break
                sleep 0.05
        done
        [ "$c" -eq "$n" ] || fail "expected $n journal entries matching $*, found $c: $(entries "$@")"
}

# acting_gaps: the acting_uncovered gaps dutyctl lists now, as (id, people, leave).
acting_gaps() {
        local out
        out=$("$DUTYCTL" --json gaps) || fail "dutyctl gaps"
        json_get "$out" '[(g["id"], g["people"]) for g in d["gaps"] if g["kind"] == "acting_uncovered"]'
}

export DUTYD_NOW=2026-03-02T09:00
start_dutyd

sec=$(request "$WANGJG_UID" --from 2026-03-09 --to 2026-03-10 --destination 北京 --reason 开会 --acting zhangw)
ok "$ZHAODS_UID" leave approve "$sec" --reason 市委同意
expect_eq "$(acting_gaps)" "[]" "somebody acts: no gap"

# 张伟's own leave on those days, approved by an older dutyd that did not know the rule.
stop_dutyd
sqlite3 "$T/state/dutyd.sqlite" "INSERT INTO leave (person, kind, start_day, start_min, end_day, end_min,
        destination, out_of_town, reason, urgent, requested_day, requested_usec, requested_by, paperwork_done,
        state, unexcused, approver, decided_by, decided_usec, decision_note)
        SELECT 'zhangw', kind, start_day, start_min, end_day, end_min, destination, out_of_town, reason, 0,
        requested_day, requested_usec, 'zhangw', 0, 'approved', 0, 'wangjg', 'wangjg', decided_usec, '同意'
        FROM leave WHERE id = $sec" || fail "writing the older leave"
start_dutyd

gaps=$(acting_gaps)
expect_eq "$gaps" "[('acting_uncovered:2026-03-09:wangjg', ['wangjg', 'zhangw']), ('acting_uncovered:2026-03-10:wangjg', ['wangjg', 'zhangw'])]" \
        "dutyctl gaps: a gap on each day nobody acts"
out=$("$DUTYCTL" gaps) || fail "dutyctl gaps"
expect_contains "$out" "代为主持工作缺位：2026-03-09" "dutyctl gaps: the message"
expect_contains "$out" "nobody acting" "dutyctl gaps: the kind"

if [ -n "$JOURNAL" ]; then
        wait_count 2 MESSAGE_ID="$ID_ACTING"
        json=$(entries MESSAGE_ID="$ID_ACTING" DUTY_DATE=2026-03-09)
        expect_eq "$(json_get "$json" '[d[k] for k in ("DUTY_GAP_ID", "DUTY_GAP_KIND", "DUTY_GAP_EVENT", "DUTY_RULE", "DUTY_DATE", "DUTY_PERSON", "DUTY_LEAVE_ID")]')" \
                "['acting_uncovered:2026-03-09:wangjg', 'acting_uncovered', 'opened', 'acting_away', '2026-03-09', ['wangjg', 'zhangw'], '$sec']" \
                "the journal entry's fields"
        expect_contains "$(json_get "$json" 'd["MESSAGE"]')" "代为主持工作缺位：2026-03-09" "the journal entry's message"
fi

# 张伟 cancels his leave: somebody acts again.
older=$(sqlite3 "$T/state/dutyd.sqlite" "SELECT id FROM leave WHERE person = 'zhangw'")
ok "$LEADER_UID" leave cancel "$older"
expect_eq "$(acting_gaps)" "[]" "the acting person's leave cancelled: no gap"
if [ -n "$JOURNAL" ]; then
        wait_count 2 MESSAGE_ID="$ID_RESOLVED" DUTY_GAP_KIND=acting_uncovered
fi

# 张伟 leaves office on 03-09: on 03-10 nobody acts.
sed -i 's/{ id = "zhangw";/{ id = "zhangw"; active_until = "2026-03-09";/' "$T/etc/dutyd.conf"
grep -q 'id = "zhangw"; active_until' "$T/etc/dutyd.conf" || fail "no active_until for zhangw"
"$DUTYCTL" reload >/dev/null || fail "reload"
expect_eq "$(acting_gaps)" "[('acting_uncovered:2026-03-10:wangjg', ['wangjg', 'zhangw'])]" \
        "the acting person out of office: a gap"

if [ -n "$JOURNAL" ]; then
        echo "PASS (the alerts read from a private journald)"
else
        echo "PASS (without a journal: dutyctl gaps only)"
fi
