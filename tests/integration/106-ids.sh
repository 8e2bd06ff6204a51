#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ids are never reused: after the newest sensitive period or unavailability is removed, the next one
# added gets a new id (also across a restart), so that a remove retried with the old id (a client
# that did not see the first answer) is NotFound instead of removing the newer record. And a clock
# set before 1970 does not make the audit rows (and with them every change) fail.
. "$(dirname "$0")/lib.sh"
verbose_dutyctl

export DUTYD_NOW=2026-03-02T10:00
start_dutyd

# remove_twice KIND ADD-ARGS…: adds two records, removes the newest, adds a third, retries the
# remove; prints nothing, fails the scenario on a reused id.
remove_twice() {
        local kind=$1 first second third rc err
        shift
        first=$(json_get "$("$DUTYCTL" --json "$kind" add "$@")" "d['$JSON_KEY']['id']")
        second=$(json_get "$("$DUTYCTL" --json "$kind" add "$@")" "d['$JSON_KEY']['id']")
        [ "$second" -gt "$first" ] || fail "$kind: second id $second after $first"
        "$DUTYCTL" "$kind" remove "$second" >/dev/null || fail "$kind remove $second"
        # Across a restart too: the highest id handed out is kept with the table.
        stop_dutyd
        start_dutyd
        third=$(json_get "$("$DUTYCTL" --json "$kind" add "$@")" "d['$JSON_KEY']['id']")
        [ "$third" -gt "$second" ] || fail "$kind: the removed id $second was handed out again ($third)"
        # The retried remove of the old id finds nothing and leaves the new record alone.
        rc=0
        err=$("$DUTYCTL" "$kind" remove "$second" 2>&1 >/dev/null) || rc=$?
        expect_eq "$rc" "1" "$kind: retried remove of $second"
        expect_contains "$err" "NotFound" "$kind: retried remove of $second"
        expect_eq "$(json_get "$("$DUTYCTL" --json "$kind" list)" \
                "[str(e['id']) for l in d.values() if isinstance(l, list) for e in l].count('$third')")" "1" \
                "$kind: the new record after the retried remove"
}

JSON_KEY=period remove_twice sensitive 检查 --from 2026-04-01 --to 2026-04-02
JSON_KEY=unavailability remove_twice unavailable fengj --from 2026-03-10 --to 2026-03-12 --reason 培训

# A clock set before 1970 (the epoch is what a dead RTC battery often gives, minus a time zone)
# does not make the audit rows fail, and with them every change: the row is dated at the epoch.
stop_dutyd
export DUTYD_NOW=1969-12-31T10:00
start_dutyd
"$DUTYCTL" --json unavailable add fengj --from 2026-03-20 --to 2026-03-21 --reason 培训 >/dev/null ||
        fail "a change with the clock before 1970"
out=$("$DUTYCTL" --json audit --limit 1)
expect_eq "$(json_get "$out" "[e['method'] + ' ' + e['result'] for e in d['entries']]")" "['UnavailableAdd ok']" \
        "the change's audit row with the clock before 1970"
expect_contains "$(json_get "$out" "d['entries'][0]['at']")" "1970-01-01" "the row's time with the clock before 1970"
"$DUTYCTL" audit --verify >/dev/null || fail "audit chain with the clock before 1970"
