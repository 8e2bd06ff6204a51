#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The gap monitor against a real systemd-journald, in a private mount namespace: a tmpfs on
# /run/systemd and /run/log hides the host's journal, a journald of our own listens on
# /run/systemd/journal/socket, and dutyd (started in the same namespace) writes its alerts there.
#
#   - a duty day's leader on call becomes unavailable → one entry with the kind's MESSAGE_ID,
#     DUTY_DATE, DUTY_POST, DUTY_PERSON, PRIORITY err (the duty starts within a day);
#   - dutyd restarts while the gap is open → nothing is repeated;
#   - another leader takes the duty → a "resolved" entry for the gap;
#   - a gap open at 23:59 is told once more, as crit, when the timer runs the monitor at midnight;
#   - an approved leave is not reported back in time → leave_overdue with DUTY_LEAVE_ID, resolved by
#     the return;
#   - journalctl -x explains the entries from the installed catalog.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

# The alert MESSAGE_IDs (daemon/alert.h; explained in packaging/dutyd.catalog).
ID_ROSTER_MISSING=16e3da478eb14e0298d4cfaf66a09a1b
ID_LEAVE_CONFLICT=ef3defef650e47c99e418eaac4b90627
ID_UNFILLED=7c0d749ad4d843b981b3cf89322cf9f2
ID_LEAVE_OVERDUE=3f72d98c7a03404fba5e39055d4da17a
ID_RESOLVED=bfb57ecee2444175809f85ccdcb72def
for id in $ID_ROSTER_MISSING $ID_LEAVE_CONFLICT $ID_UNFILLED $ID_LEAVE_OVERDUE $ID_RESOLVED; do
        grep -q "^#define ALERT_MESSAGE_ID_.* \"$id\"$" "$SRCDIR/daemon/alert.h" || fail "$id is not a MESSAGE_ID of alert.h"
done
# The daemon's own (daemon/manager.c, daemon/reload.c): started, and a reload that failed.
ID_STARTED=71d4d92a75264b3a9112a350b526791a
ID_RELOAD_FAILED=5b7510057fb44ce98cd6c8aa4b571171
for id in $ID_STARTED $ID_RELOAD_FAILED; do
        # grep reads both files itself: `cat … | grep -q` fails under pipefail whenever grep finds the
        # line in manager.c and exits before cat has written reload.c into the pipe.
        grep -q "^#define MANAGER_MESSAGE_ID_.* \"$id\"$" "$SRCDIR/daemon/manager.c" "$SRCDIR/daemon/reload.c" ||
                fail "$id is not a MESSAGE_ID of manager.c or reload.c"
        grep -q "^-- $id$" "$SRCDIR/packaging/dutyd.catalog" || fail "$id is not in the catalog"
done

# ---- A journald of our own ----

journal_start

# The catalog as installed (a private copy of the system's catalog directories).
mount -t tmpfs tmpfs /usr/lib/systemd/catalog
mkdir -p /var/lib/systemd/catalog
mount -t tmpfs tmpfs /var/lib/systemd/catalog
cp "$SRCDIR/packaging/dutyd.catalog" /usr/lib/systemd/catalog/
journalctl --update-catalog || fail "journalctl cannot read packaging/dutyd.catalog"
# Every entry of the file is in the index, in English and in Chinese: systemd takes a "-- ID" line
# for a new entry only after an empty line, so a header glued to the text before it was read as
# that text, its entry lost, and `journalctl --list-catalog` aborted on the lone translation.
ids=$(sed -n 's/^-- \([0-9a-f]\{32\}\)$/\1/p' "$SRCDIR/packaging/dutyd.catalog" | sort)
[ -n "$ids" ] || fail "no entry in packaging/dutyd.catalog"
for lang in C.UTF-8 zh_CN.UTF-8; do
        listed=$(LC_ALL=$lang journalctl --list-catalog 2>&1) ||
                fail "journalctl --list-catalog ($lang) fails on dutyd.catalog: $(tail -n 1 <<<"$listed")"
        expect_eq "$(sed -n 's/^\([0-9a-f]\{32\}\) dutyd: .*/\1/p' <<<"$listed" | sort)" "$ids" \
                "the catalog's entries in the index ($lang)"
done
chinese=$(LC_ALL=zh_CN.UTF-8 journalctl --list-catalog | python3 -c 'import re, sys
print(sum(1 for l in sys.stdin if " dutyd: " in l and re.search("[\u4e00-\u9fff]", l)))')
expect_eq "$chinese" "$(grep -c . <<<"$ids")" "entries with a Chinese subject under zh_CN"

# entries MATCH…: the matching entries of dutyd's gap monitor, one JSON object per line.
entries() {
        "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_GAP_ID,DUTY_GAP_KIND,DUTY_GAP_EVENT,DUTY_URGENCY,DUTY_DATE,DUTY_POST,DUTY_PERSON,DUTY_LEAVE_ID,DUTY_CONFIG,DUTY_STATE_DIR,DUTY_ERRORS \
                SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null || true
}

export DUTYD_DEBUG=1
export DUTYD_NOW=2026-03-02T09:00

# ---- Start-up: nothing planned yet ----

touch "$T/dutyd.log"
start_dutyd
wait_monitor_run 0
wait_count 1 MESSAGE_ID=$ID_ROSTER_MISSING
load_entry MESSAGE_ID=$ID_ROSTER_MISSING
expect_eq "${E[DUTY_GAP_ID]}" "roster_missing:2026-03-02" "roster_missing gap id"
expect_eq "${E[DUTY_DATE]}" "2026-03-02" "roster_missing date"
expect_eq "${E[PRIORITY]}" "2" "a roster missing from today is crit"

# The start itself is one entry, explained by the catalog with its fields.
wait_count 1 MESSAGE_ID=$ID_STARTED
load_entry MESSAGE_ID=$ID_STARTED
expect_eq "${E[DUTY_CONFIG]}" "$T/etc/dutyd.conf" "DUTY_CONFIG of the start"
expect_eq "${E[DUTY_STATE_DIR]}" "$T/state" "DUTY_STATE_DIR of the start"
expect_eq "${E[PRIORITY]}" "6" "the start is info"
out=$("${J[@]}" -x MESSAGE_ID=$ID_STARTED)
expect_contains "$out" "has loaded its configuration $T/etc/dutyd.conf" "the catalog text of the start"

"$DUTYCTL" roster generate --from 2026-03-02 --to 2026-04-10 >/dev/null || fail "roster generate"
wait_count 1 MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID=roster_missing:2026-03-02
out=$("$DUTYCTL" gaps)
expect_contains "$out" "No gaps in the duty coverage" "no gaps once the roster exists"

# ---- Tomorrow's leader on call becomes unavailable ----

who=$("$DUTYCTL" --json who 2026-03-03)
leader=$(json_get "$who" '[a["person"] for a in d["assignments"] if a["post"] == "leader_on_call"][0]')
[ -n "$leader" ] || fail "no leader on call on 2026-03-03"
gap_id="leave_conflict:2026-03-03:leader_on_call:0:$leader"

"$DUTYCTL" unavailable add "$leader" --from 2026-03-03 --to 2026-03-03 --reason "外出开会" >/dev/null \
        || fail "unavailable add"
wait_count 1 MESSAGE_ID=$ID_LEAVE_CONFLICT
load_entry MESSAGE_ID=$ID_LEAVE_CONFLICT
expect_eq "${E[DUTY_GAP_ID]}" "$gap_id" "gap id"
expect_eq "${E[DUTY_GAP_KIND]}" "leave_conflict" "gap kind"
expect_eq "${E[DUTY_GAP_EVENT]}" "opened" "gap event"
expect_eq "${E[DUTY_DATE]}" "2026-03-03" "DUTY_DATE"
expect_eq "${E[DUTY_POST]}" "leader_on_call" "DUTY_POST"
expect_eq "${E[DUTY_PERSON]}" "$leader" "DUTY_PERSON"
expect_eq "${E[DUTY_URGENCY]}" "err" "a duty within a day is err"
expect_eq "${E[PRIORITY]}" "3" "PRIORITY of err"
expect_contains "${E[MESSAGE]}" "值班冲突：2026-03-03" "MESSAGE in the configured language"
out=$("$DUTYCTL" --json gaps)
expect_eq "$(json_get "$out" '[g["id"] for g in d["gaps"]]')" "['$gap_id']" "dutyctl gaps lists the gap"

# journalctl -x explains it from the catalog.
out=$("${J[@]}" -x MESSAGE_ID=$ID_LEAVE_CONFLICT)
expect_contains "$out" "The person on duty is away: $leader on 2026-03-03" "catalog subject"
expect_contains "$out" "$leader holds post leader_on_call on duty day 2026-03-03" "catalog text with fields"

# ---- A restart repeats nothing ----

journalctl --sync
total=$(count)
stop_dutyd
n=$(runs)
start_dutyd
wait_monitor_run "$n"
out=$("$DUTYCTL" --json gaps)
expect_eq "$(json_get "$out" '[g["id"] for g in d["gaps"]]')" "['$gap_id']" "the gap is still open after the restart"
journalctl --sync
expect_eq "$(count)" "$((total + 1))" "journal entries after a restart with the same gaps (the start's only)"

# ---- Another leader takes the duty ----

people=$("$DUTYCTL" --json people --role leader)
"$DUTYCTL" roster unassign 2026-03-03 leader_on_call "$leader" >/dev/null || fail "roster unassign"
assigned=
for p in $(json_get "$people" '" ".join(x["id"] for x in d["people"])'); do
        [ "$p" = "$leader" ] && continue
        if "$DUTYCTL" roster assign 2026-03-03 leader_on_call "$p" --lock >/dev/null 2>&1; then
                assigned=$p
                break
        fi
done
[ -n "$assigned" ] || fail "no other leader could take 2026-03-03"

wait_count 1 MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID="$gap_id"
load_entry MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID="$gap_id"
expect_eq "${E[DUTY_GAP_EVENT]}" "resolved" "resolved event"
expect_eq "${E[DUTY_DATE]}" "2026-03-03" "resolved entry keeps DUTY_DATE"
expect_eq "${E[DUTY_POST]}" "leader_on_call" "resolved entry keeps DUTY_POST"
expect_eq "${E[DUTY_PERSON]}" "$leader" "resolved entry keeps DUTY_PERSON"
expect_eq "${E[PRIORITY]}" "6" "resolved is info"
expect_contains "${E[MESSAGE]}" "已解决：" "resolved MESSAGE"
# The slot was empty between the two calls: that gap came and went too, once each.
wait_count 1 MESSAGE_ID=$ID_UNFILLED DUTY_GAP_ID=unfilled:2026-03-03:leader_on_call:0
wait_count 1 MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID=unfilled:2026-03-03:leader_on_call:0
expect_eq "$(count MESSAGE_ID=$ID_LEAVE_CONFLICT)" "1" "the conflict was told once"
out=$("$DUTYCTL" gaps)
expect_contains "$out" "No gaps in the duty coverage" "no gaps left"

# ---- Time alone makes a gap more urgent: at midnight tomorrow's duty becomes today's ----

out=$("$DUTYCTL" --json unavailable add "$assigned" --from 2026-03-03 --to 2026-03-03) || fail "unavailable add"
unavailable_id=$(json_get "$out" 'd["unavailability"]["id"]')
gap_id="leave_conflict:2026-03-03:leader_on_call:0:$assigned"
wait_count 1 MESSAGE_ID=$ID_LEAVE_CONFLICT DUTY_GAP_ID="$gap_id" DUTY_URGENCY=err
stop_dutyd
# Restarted shortly before midnight (longer before it under a slow wrapper such as valgrind).
lead=15
[ -z "${DUTYD_WRAPPER:-}" ] || lead=150
n=$(runs)
DUTYD_NOW=2026-03-02T$(date -u -d "@$((86400 - lead))" +%H:%M:%S) start_dutyd
wait_monitor_run "$n"
grep "Gap monitor: .* journal entries written" "$T/dutyd.log" | tail -n 1 | grep -q ", 0 journal entries" \
        || fail "dutyd started too late to see midnight come: raise the lead of $lead s"
# No call in between: only the timer can run the monitor again, past midnight.
WAIT_STEPS=$((lead * 20 + 200)) wait_count 1 MESSAGE_ID=$ID_LEAVE_CONFLICT DUTY_GAP_ID="$gap_id" \
        DUTY_GAP_EVENT=escalated
load_entry MESSAGE_ID=$ID_LEAVE_CONFLICT DUTY_GAP_ID="$gap_id" DUTY_GAP_EVENT=escalated
expect_eq "${E[DUTY_URGENCY]}" "crit" "escalated at midnight to crit"
expect_eq "${E[PRIORITY]}" "2" "PRIORITY of crit"
[ "$(runs)" -ge $((n + 2)) ] || fail "the escalation did not come from a timer run"
expect_eq "$(count MESSAGE_ID=$ID_LEAVE_CONFLICT DUTY_GAP_ID="$gap_id")" "2" "opened, then escalated once"
"$DUTYCTL" unavailable remove "$unavailable_id" >/dev/null || fail "unavailable remove"
wait_count 1 MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID="$gap_id"

# ---- An approved leave not reported back ----

# A leader whose leave on 03-05 breaks no rule (no duty then, nobody else away).
away=
for p in $(json_get "$people" '" ".join(x["id"] for x in d["people"])'); do
        if "$DUTYCTL" leave check --for "$p" --from 2026-03-05 --to 2026-03-05 \
                --destination 南昌 --reason 学习 >/dev/null 2>&1; then
                away=$p
                break
        fi
done
[ -n "$away" ] || fail "no leader may be away on 2026-03-05"
out=$("$DUTYCTL" --json leave request --for "$away" --from 2026-03-05 --to 2026-03-05 \
        --destination 南昌 --reason 学习) || fail "leave request: $out"
leave_id=$(json_get "$out" 'd["leave"]["id"]')
"$DUTYCTL" leave approve "$leave_id" --override --reason 书记同意 >/dev/null || fail "leave approve"

stop_dutyd
before=$(count MESSAGE_ID=$ID_LEAVE_OVERDUE)
expect_eq "$before" "0" "no overdue return before the leave ended"
DUTYD_NOW=2026-03-06T09:00 start_dutyd
wait_count 1 MESSAGE_ID=$ID_LEAVE_OVERDUE
load_entry MESSAGE_ID=$ID_LEAVE_OVERDUE
expect_eq "${E[DUTY_GAP_ID]}" "leave_overdue:$leave_id" "leave_overdue gap id"
expect_eq "${E[DUTY_LEAVE_ID]}" "$leave_id" "DUTY_LEAVE_ID"
expect_eq "${E[DUTY_PERSON]}" "$away" "DUTY_PERSON of the overdue leave"

"$DUTYCTL" leave return "$leave_id" --at "2026-03-05 20:00" >/dev/null || fail "leave return"
wait_count 1 MESSAGE_ID=$ID_RESOLVED DUTY_GAP_ID="leave_overdue:$leave_id"

# ---- A reload that fails: one entry naming the file and line ----

cp "$T/etc/dutyd.conf" "$T/dutyd.conf.good"
printf 'handover = "25:99";\n' >>"$T/etc/dutyd.conf"
line=$(wc -l <"$T/etc/dutyd.conf")
kill -HUP "$DUTYD_PID"
wait_count 1 MESSAGE_ID=$ID_RELOAD_FAILED
load_entry MESSAGE_ID=$ID_RELOAD_FAILED
expect_eq "${E[DUTY_CONFIG]}" "$T/etc/dutyd.conf" "DUTY_CONFIG of the failed reload"
expect_contains "${E[DUTY_ERRORS]}" "$T/etc/dutyd.conf:$line" "DUTY_ERRORS names the file and line"
expect_eq "${E[PRIORITY]}" "3" "a failed reload is an error"
out=$("${J[@]}" -x MESSAGE_ID=$ID_RELOAD_FAILED)
expect_contains "$out" "dutyd --check-config $T/etc/dutyd.conf" "the catalog text of the failed reload"
"$DUTYCTL" status >/dev/null || fail "dutyd serves on after a failed reload"
cp "$T/dutyd.conf.good" "$T/etc/dutyd.conf"
stop_dutyd
expect_eq "$(count MESSAGE_ID=$ID_STARTED)" "4" "one start entry for each of the four starts"
echo "ok"
