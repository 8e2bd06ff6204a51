#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Offices listed in aggregator.offices but not enrolled at the superior (issue #19): their receiver
# dutyd-remote@<id>.socket is not enabled, so nothing they send can arrive. dutyd sees the
# enrolment as `systemctl enable` (run by dutyd-superior-enroll) leaves it: the link
# dutyd-remote@<id>.socket in aggregator.enrolled_dir, faked here in a test directory.
#
#   - a, b enrolled; c never; d withdrawn after it had reported its roster on time;
#   - `dutyctl offices` (JSON and text), `offices show`, `offices on-duty` (text, CSV, HTML) say
#     "not enrolled"; not_enrolled is counted apart: missing and pending count enrolled offices only,
#     d's roster still counts as on time;
#   - one journal warning (its own MESSAGE_ID, naming c and d) at start, one again at each start and
#     reload, never per turn; after c is enrolled and dutyd reloaded it names d alone and c counts
#     as missing;
#   - a file of an office not in aggregator.offices is still warned about;
#   - enrolled_dir = "" turns the check off: every office enrolled, no warning.
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/offices-lib.sh"

ID_NOT_ENROLLED=dc2c5b6fb14e48c9b6c15a66344b895f
grep -q "\"$ID_NOT_ENROLLED\"" "$SRCDIR/daemon/report-fields.h" || fail "$ID_NOT_ENROLLED is not in report-fields.h"
grep -q "^-- $ID_NOT_ENROLLED$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_NOT_ENROLLED is not in the catalog"
grep -q "^-- $ID_NOT_ENROLLED zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_NOT_ENROLLED has no zh_CN catalog entry"

journal_start
J=(journalctl --directory=/run/log/journal --quiet --no-pager)
count() {
        journalctl --sync 2>/dev/null || true
        "${J[@]}" -o json SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null | grep -c . || true
}
# wait_count N FILTER…: until N entries match.
wait_count() {
        local n=$1
        shift
        for _ in $(seq 1 200); do
                [ "$(count "$@")" -ge "$n" ] && return 0
                sleep 0.05
        done
        return 0
}

R="$T/remote"
W="$T/wants"
mkdir -p "$R"
enrol /lib/systemd/system/dutyd-remote@.socket a b

cp "$T/etc/dutyd.conf" "$T/dutyd.conf.base"
# reconf ENROLLED-DIR: the configuration with the four offices, enrolment read in ENROLLED-DIR.
reconf() {
        cp "$T/dutyd.conf.base" "$T/etc/dutyd.conf"
        aggregator_conf "$R" "$1" "a 甲县政府办" "b 乙县政府办" "c 丙县政府办 0371-60003333" "d 丁县政府办"
}
reconf "$W"
national_day_report
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the aggregator's config does not check"

# d reported while it was enrolled; zz is no office of ours.
put remote-a.journal roster a 甲县政府办 2026-7 1 published 2026-09-20T10:00
put remote-d.journal roster d 丁县政府办 2026-7 1 published 2026-09-21T10:00
put remote-zz.journal roster zz 某单位 2026-7 1 published 2026-09-20T10:00

# ---- before the deadline ----
export DUTYD_NOW=2026-09-28T16:50
start_dutyd
wait_offices "[o['roster_status'] for o in d['offices']]" "['on_time', 'pending', 'pending', 'on_time']" "a's and d's rosters taken"
reply=$(offices_json)
expect_eq "$(json_get "$reply" "[o['enrolled'] for o in d['offices']]")" "[True, True, False, False]" "enrolled"
expect_eq "$(json_get "$reply" "(d['on_time'], d['late'], d['missing'], d['pending'], d['not_enrolled'])")" "(2, 0, 0, 1, 2)" \
        "the counts before the deadline: c not pending, d on time"
wait_count 1 MESSAGE_ID=$ID_NOT_ENROLLED
expect_eq "$(count MESSAGE_ID=$ID_NOT_ENROLLED DUTY_NOT_ENROLLED=c,d DUTY_NOT_ENROLLED_COUNT=2 PRIORITY=4)" 1 \
        "the start's warning naming c and d"
grep -q "remote-zz.journal is from office \"zz\"" "$T/dutyd.log" || fail "the unknown office's file was not warned about"

text=$("$DUTYCTL" offices)
echo "$text"
expect_contains "$(grep '^c ' <<<"$text")" "not enrolled" "dutyctl offices: c"
expect_contains "$(grep '^d ' <<<"$text")" "on time" "dutyctl offices: d (reported before it was withdrawn)"
expect_contains "$(grep '^b ' <<<"$text")" "not yet due" "dutyctl offices: b"
expect_contains "$text" "2 offices not enrolled" "dutyctl offices: the count"
show=$("$DUTYCTL" offices show c)
expect_contains "$show" "Roster for the notice: not enrolled" "offices show c"
expect_contains "$show" "dutyd-superior-enroll c" "offices show c: what to do"
expect_eq "$("$DUTYCTL" offices show c --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["office"]["enrolled"])')" \
        False "offices show c --json"
"$DUTYCTL" offices show a | grep -q "Not enrolled" && fail "offices show a says not enrolled"
onduty=$("$DUTYCTL" offices on-duty 2026-10-02)
expect_contains "$(grep '^c ' <<<"$onduty")" "(not enrolled)" "offices on-duty: c"
expect_contains "$(grep '^b ' <<<"$onduty")" "(no roster reported)" "offices on-duty: b"
csv=$("$DUTYCTL" offices on-duty 2026-10-02 --format csv)
expect_contains "$csv" "日期,单位代码,单位,带班领导,领导电话,值班员,值班电话,备注" "CSV header"
expect_contains "$(grep ',"c",\|,c,' <<<"$csv")" "未开通接收" "CSV: c"
expect_contains "$(grep ',"b",\|,b,' <<<"$csv")" "未报送" "CSV: b"
"$DUTYCTL" offices on-duty 2026-10-02 --format html --output "$T/on-duty.html"
expect_contains "$(grep -o '丙县政府办</td><td>[^<]*' "$T/on-duty.html")" "未开通接收" "HTML: c"
expect_eq "$("$DUTYCTL" offices on-duty 2026-10-02 --json | python3 -c 'import json,sys; print([o["enrolled"] for o in json.load(sys.stdin)["offices"]])')" \
        "[True, True, False, False]" "OfficesOnDuty enrolled"
# Told once: more turns (and a new entry) do not repeat it.
put remote-a.journal roster a 甲县政府办 2026-7 2 amended 2026-09-28T16:00
wait_offices "d['offices'][0]['roster_version']" 2 "a's amendment taken"
sleep 2.5
expect_eq "$(count MESSAGE_ID=$ID_NOT_ENROLLED)" 1 "warnings after more turns"
stop_dutyd

# ---- past the deadline: b missing, c still apart ----
export DUTYD_NOW=2026-09-28T17:01
start_dutyd
wait_offices "(d['on_time'], d['late'], d['missing'], d['pending'], d['not_enrolled'])" "(2, 0, 1, 0, 2)" \
        "the counts past the deadline: b missing, c not enrolled"
expect_eq "$(offices_field "[o['roster_status'] for o in d['offices']]")" "['on_time', 'missing', 'missing', 'on_time']" \
        "roster statuses (c has no roster either)"
wait_count 2 MESSAGE_ID=$ID_NOT_ENROLLED
expect_eq "$(count MESSAGE_ID=$ID_NOT_ENROLLED DUTY_NOT_ENROLLED=c,d)" 2 "warned again at the next start"

# ---- c enrolled, dutyd reloaded ----
enrol /lib/systemd/system/dutyd-remote@.socket c
kill -HUP "$DUTYD_PID"
wait_offices "[o['enrolled'] for o in d['offices']]" "[True, True, True, False]" "c enrolled after the reload"
expect_eq "$(offices_field "(d['missing'], d['not_enrolled'])")" "(2, 1)" "c counts as missing now"
wait_count 3 MESSAGE_ID=$ID_NOT_ENROLLED
expect_eq "$(count MESSAGE_ID=$ID_NOT_ENROLLED DUTY_NOT_ENROLLED=d DUTY_NOT_ENROLLED_COUNT=1)" 1 "the reload's warning naming d"
expect_contains "$(grep '^c ' <<<"$("$DUTYCTL" offices)")" "missing" "dutyctl offices: c"

# ---- every office enrolled: no warning ----
rm "$W/dutyd-remote@d.socket" 2>/dev/null || true
enrol /lib/systemd/system/dutyd-remote@.socket d
kill -HUP "$DUTYD_PID"
wait_offices "d['not_enrolled']" 0 "all enrolled"
sleep 1
expect_eq "$(count MESSAGE_ID=$ID_NOT_ENROLLED)" 3 "no warning when all are enrolled"
rm "$W/dutyd-remote@d.socket"
stop_dutyd

# ---- enrolled_dir = "": not checked ----
reconf ""
start_dutyd
wait_offices "[o['roster_status'] for o in d['offices']]" "['on_time', 'missing', 'missing', 'on_time']" "statuses"
expect_eq "$(offices_field "[o['enrolled'] for o in d['offices']]")" "[True, True, True, True]" "enrolled_dir \"\": all enrolled"
expect_eq "$(offices_field "(d['missing'], d['not_enrolled'])")" "(2, 0)" "enrolled_dir \"\": counts"
sleep 1
expect_eq "$(count MESSAGE_ID=$ID_NOT_ENROLLED)" 3 "enrolled_dir \"\": no warning"
stop_dutyd
echo "OK"
