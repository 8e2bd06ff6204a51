#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The aggregator role (issue #19): dutyd as the superior duty office reads the files
# systemd-journal-remote writes for three offices (a, b, c), made here by journal-remote itself
# from export-format input (the code path that writes the real files), with a real journald in a
# private mount namespace (journal-lib.sh) to read dutyd's own entries back.
#
#   - a reports its 国庆节 roster on time (09-20), b late (09-29, after the 09-28 17:00 deadline),
#     c not at all: `dutyctl offices` says on time / late / missing;
#   - at the deadline one alert entry names the offices missing then (b and c), once;
#   - a's leader reports 外出 and then changes the dates and destination: the latest is shown;
#   - remote-a.journal holding an entry that claims office b is rejected and logged, once, and b
#     does not get that roster;
#   - the same entries again (a rotated copy of a's file; restarts) change nothing; a restarted
#     aggregator reads on from its cursor; a file of an office not configured is warned about;
#   - c's gap alert counts as an open gap; `offices on-duty` gives each office's people of a day
#     (text, JSON, CSV, HTML).
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/offices-lib.sh"

# MESSAGE_IDs of the contract (daemon/report-fields.h; packaging/dutyd.catalog).
ID_REJECTED=0894fe3c38404374837b6d29db741bc8
ID_DEADLINE=9e00d10b644c457685151f32591da6fc
for id in $ID_REJECTED $ID_DEADLINE; do
        grep -q "\"$id\"" "$SRCDIR/daemon/report-fields.h" || fail "$id is not in report-fields.h"
        grep -q "^-- $id$" "$SRCDIR/packaging/dutyd.catalog" || fail "$id is not in the catalog"
        grep -q "^-- $id zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$id has no zh_CN catalog entry"
done

journal_start
J=(journalctl --directory=/run/log/journal --quiet --no-pager)
count() {
        journalctl --sync 2>/dev/null || true
        "${J[@]}" -o json SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null | grep -c . || true
}

R="$T/remote"
mkdir -p "$R"
# The three are enrolled as dutyd-superior-enroll leaves it: the enabled socket unit's link.
enrol /lib/systemd/system/dutyd-remote@.socket a b c
aggregator_conf "$R" "$T/wants" "a 甲县政府办 0371-60001111" "b 乙县政府办" "c 丙县政府办 0371-60003333"
national_day_report


# ---- the first entries: a's roster on time and a forged one claiming b, a's leader away, c's gap ----

put remote-a.journal \
        roster a 甲县政府办 2026-7 1 published 2026-09-20T10:00 -- \
        roster b 乙县政府办 2026-7 1 published 2026-09-20T11:00 -- \
        away a 甲县政府办 5 1 approved 2026-09-21T09:00 2026-10-03 2026-10-05 西安
put remote-c.journal gap c unfilled-2026-10-02-officer opened 2026-09-22T08:40
put remote-zz.journal roster zz 某单位 2026-7 1 published 2026-09-20T10:00

export DUTYD_DEBUG=1
export DUTYD_NOW=2026-09-28T16:50
start_dutyd
wait_status a on_time
reply=$(offices_json)
expect_eq "$(json_get "$reply" "d['notice']['key']")" "2026-7" "the notice's report key (国庆节 is the 7th item of 2026)"
expect_eq "$(json_get "$reply" "d['notice']['deadline']")" "2026-09-28T17:00:00+08:00" "the deadline, RFC 3339"
expect_eq "$(json_get "$reply" "[o['roster_status'] for o in d['offices']]")" "['on_time', 'pending', 'pending']" \
        "before the deadline"
expect_eq "$(json_get "$reply" "d['offices'][0]['roster_reported']")" "2026-09-20T10:00:00+08:00" \
        "when a reported"
expect_eq "$(json_get "$reply" "d['offices'][1]['roster_version']")" "None" "b's roster (the entry in a's file claiming b)"
expect_eq "$(json_get "$reply" "[o['open_gaps'] for o in d['offices']]")" "[0, 0, 1]" "open gaps"
expect_eq "$(count MESSAGE_ID=$ID_REJECTED DUTY_SENDER=a DUTY_OFFICE=b DUTY_REPORT_KIND=roster DUTY_REPORT_KEY=2026-7)" 1 \
        "the rejected entry, logged"
expect_eq "$(count MESSAGE_ID=$ID_DEADLINE)" 0 "deadline alerts before the deadline"
grep -q "remote-zz.journal is from office \"zz\"" "$T/dutyd.log" || fail "the unknown office's file was not warned about"
text=$("$DUTYCTL" offices)
expect_contains "$text" "甲县政府办" "dutyctl offices"
expect_contains "$text" "西安" "dutyctl offices: a's leader away next"
stop_dutyd

# ---- past the deadline: b and c are missing, told once ----

export DUTYD_NOW=2026-09-28T17:01
start_dutyd
for _ in $(seq 1 200); do
        [ "$(count MESSAGE_ID=$ID_DEADLINE)" -ge 1 ] && break
        sleep 0.05
done
expect_eq "$(count MESSAGE_ID=$ID_DEADLINE DUTY_NOTICE=2026-7 DUTY_MISSING=b,c DUTY_MISSING_COUNT=2 PRIORITY=3)" 1 \
        "the deadline alert naming b and c"
alert=$("${J[@]}" -o json MESSAGE_ID=$ID_DEADLINE)
expect_contains "$(json_get "$alert" "d['MESSAGE']")" "乙县政府办、丙县政府办" "the alert's message names them"
expect_eq "$(json_get "$alert" "d['DUTY_DEADLINE']")" "2026-09-28T17:00:00+08:00" "the alert's DUTY_DEADLINE"
expect_eq "$(json_get "$(offices_json)" "[o['roster_status'] for o in d['offices']]")" "['on_time', 'missing', 'missing']" \
        "after the deadline"
stop_dutyd

# ---- b reports late; a's leader changes the trip; a's entries again in a rotated file ----

put remote-b.journal roster b 乙县政府办 2026-7 1 published 2026-09-29T09:00
put remote-a.journal away a 甲县政府办 5 2 changed 2026-09-29T09:30 2026-10-04 2026-10-06 成都
# The same report sent again (an office's journal-upload resending after a crash): a new entry,
# the same office, kind, key and version.
put remote-a.journal roster a 甲县政府办 2026-7 1 published 2026-09-29T09:40
cp "$R/remote-a.journal" "$R/remote-a@0000000000000001-0000000000000002.journal~"

export DUTYD_NOW=2026-09-29T10:00
start_dutyd
wait_offices "[o['roster_status'] for o in d['offices']]" "['on_time', 'late', 'missing']" "on time, late, missing"
reply=$(offices_json)
expect_eq "$(json_get "$reply" "(d['on_time'], d['late'], d['missing'], d['pending'])")" "(1, 1, 1, 0)" "the counts"
expect_eq "$(json_get "$reply" "d['offices'][0]['roster_reported']")" "2026-09-20T10:00:00+08:00" \
        "a's roster read again keeps its time"
expect_eq "$(json_get "$reply" "d['offices'][0]['roster_version']")" 1 "a's roster version"
expect_eq "$(json_get "$("$DUTYCTL" offices show a --json)" "[(r['key'], r['version'], r['reported']) for r in d['rosters']]")" \
        "[('2026-7', 1, '2026-09-20T10:00:00+08:00')]" "a's roster sent again changes nothing"
expect_eq "$(json_get "$reply" "(d['offices'][0]['away_next']['version'], d['offices'][0]['away_next']['destination'], d['offices'][0]['away_next']['start'])")" \
        "(2, '成都', '2026-10-04 上午')" "a's leader: the latest itinerary"
show=$("$DUTYCTL" offices show a)
expect_contains "$show" "成都" "offices show a"
expect_contains "$show" "2026-10-04" "offices show a"
case "$show" in *西安*) fail "offices show a still shows the first itinerary: $show" ;; esac
expect_eq "$(json_get "$("$DUTYCTL" offices show a --json)" "len(d['away'])")" 1 "one away report (leave-5) for a"
expect_eq "$(count MESSAGE_ID=$ID_REJECTED)" 1 "the forged entry, also in the rotated copy: rejected once"
expect_eq "$(count MESSAGE_ID=$ID_DEADLINE)" 1 "the deadline alert, not repeated"
"$DUTYCTL" offices show nosuch >/dev/null 2>&1 && fail "offices show of an unknown office succeeded"

# ---- written while the aggregator runs: taken without a restart ----
put remote-c.journal away c 丙县政府办 9 1 approved 2026-09-29T10:00 2026-10-02 2026-10-03 郑州
for _ in $(seq 1 100); do
        [ "$(json_get "$(offices_json)" "(d['offices'][2]['away_next'] or {}).get('destination')")" = 郑州 ] && break
        sleep 0.05
done
expect_eq "$(json_get "$(offices_json)" "(d['offices'][2]['away_next'] or {}).get('destination')")" 郑州 \
        "c's trip reported while the aggregator runs"

# ---- on duty on 10-02: the call list ----
od=$("$DUTYCTL" offices on-duty 2026-10-02 --json)
expect_eq "$(json_get "$od" "[(o['id'], (o['leader'] or {}).get('name')) for o in d['offices']]")" \
        "[('a', '甲县政府办领导2'), ('b', '乙县政府办领导2'), ('c', None)]" "leaders on call on 10-02"
expect_eq "$(json_get "$od" "d['offices'][2]['duty_phone']")" "0371-60003333" "c: the configured phone"
csv=$("$DUTYCTL" offices on-duty 2026-10-02 --format csv)
expect_contains "$csv" "日期,单位代码,单位,带班领导,领导电话,值班员,值班电话" "CSV header"
expect_contains "$csv" "甲县政府办领导2" "CSV row"
"$DUTYCTL" offices on-duty 2026-10-02 --format html --output "$T/on-duty.html"
grep -q "<table>" "$T/on-duty.html" && grep -q "乙县政府办领导2" "$T/on-duty.html" || fail "the HTML call list"
# Printed as 063-print prints the roster, when Chromium and poppler are there: one A4 page.
CHROMIUM=
for c in chromium chromium-browser google-chrome; do command -v "$c" >/dev/null && { CHROMIUM=$c; break; }; done
if [ -n "$CHROMIUM" ] && command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null; then
        HOME=$T timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
                --print-to-pdf="$T/on-duty.pdf" "file://$T/on-duty.html" >"$T/chromium.log" 2>&1 ||
                { cat "$T/chromium.log" >&2; fail "chromium could not print the call list"; }
        expect_eq "$(pdfinfo "$T/on-duty.pdf" | awk '/^Pages:/ { print $2 }')" 1 "pages of the printed call list"
        pdfinfo "$T/on-duty.pdf" | grep -q '(A4)' ||
                fail "the call list is not A4: $(pdfinfo "$T/on-duty.pdf" | grep 'Page size')"
        pdftotext -enc UTF-8 "$T/on-duty.pdf" "$T/on-duty.txt"
        for w in 各单位值班安排 甲县政府办领导2 乙县政府办值班员2 丙县政府办 未报送; do
                grep -q "$w" "$T/on-duty.txt" || fail "'$w' is not in the printed call list"
        done
else
        echo "NOTE: no chromium or poppler-utils: the printed call list is not checked"
fi
stop_dutyd

# ---- restarted: reads on from the cursors, nothing again ----
mark=$(($(wc -l <"$T/dutyd.log") + 1))
start_dutyd
for _ in $(seq 1 100); do
        tail -n +"$mark" "$T/dutyd.log" | grep "remote-zz.journal" >/dev/null && break
        sleep 0.05
done
sleep 0.5
if tail -n +"$mark" "$T/dutyd.log" | grep "entries of office" >/dev/null; then
        fail "a restarted aggregator took entries again: $(tail -n +"$mark" "$T/dutyd.log" | grep "entries of office")"
fi
expect_eq "$(count MESSAGE_ID=$ID_REJECTED)" 1 "rejections after a restart"
expect_eq "$(json_get "$(offices_json)" "[o['roster_status'] for o in d['offices']]")" "['on_time', 'late', 'missing']" \
        "after a restart"
stop_dutyd
echo "OK"
