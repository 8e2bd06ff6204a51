#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interface 0.14: every point in time a reply carries is RFC 3339 with the office's UTC offset,
# while what dutyctl prints to a person stays the office's local time in the form it always had
# (a leave to the end of a day ends at "24:00"). In a zone with daylight saving time the offset
# follows the date.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/leave-lib.sh"

export DUTYD_NOW=2026-03-02T09:00
start_dutyd

# Who: the handovers that start and end the duty day.
ok 0 --json who 2026-03-02
expect_eq "$(json_get "$OUT" '(d["starts"], d["ends"])')" \
        "('2026-03-02T08:30:00+08:00', '2026-03-03T08:30:00+08:00')" "Who: RFC 3339 with +08:00"
ok 0 who 2026-03-02
expect_contains "$OUT" "2026-03-02T08:30 to 2026-03-03T08:30" "who: the table as before"
# A time as the replies write it is taken back, in any offset: 23:00 UTC is 07:00 in Beijing, still
# the duty day before.
ok 0 --json who 2026-03-01T23:00:00Z
expect_eq "$(json_get "$OUT" 'd["date"]')" "2026-03-01" "who RFC 3339 (UTC)"
ok 0 --json who 2026-03-02T09:00:00+08:00
expect_eq "$(json_get "$OUT" 'd["date"]')" "2026-03-02" "who RFC 3339 (+08:00)"

# A leave of one whole day: from the handover to the end of the day.
id=$(request "$OFFICER_UID" --from 2026-03-16 --to 2026-03-16 --destination 上海 --reason 探亲)
ok "$OFFICER_UID" --json leave show "$id"
expect_eq "$(json_get "$OUT" '(d["leave"]["start"], d["leave"]["end"])')" \
        "('2026-03-16T08:30:00+08:00', '2026-03-17T00:00:00+08:00')" "Leave: start and end in RFC 3339"
expect_eq "$(json_get "$OUT" '[e["at"][:16] + e["at"][19:] for e in d["events"]]')" "['2026-03-02T09:00+08:00']" \
        "LeaveEvent.at in RFC 3339"
ok "$OFFICER_UID" leave show "$id"
expect_contains "$OUT" "2026-03-16 08:30 to 2026-03-16 24:00" "leave show: the end of the day is 24:00, as before"
case "$OUT" in *+08:00*) fail "leave show printed an offset: $OUT" ;; esac
ok "$OFFICER_UID" leave list
expect_contains "$OUT" "2026-03-16 24:00" "leave list: as before"
# A leave's times in RFC 3339: 01:00 UTC is 09:00 in Beijing.
ok "$OFFICER_UID" --json leave check --from 2026-03-18T01:00:00Z --to 2026-03-18T12:00:00+08:00 \
        --destination 上海 --reason 探亲
expect_eq "$(json_get "$OUT" '(d["leave"]["start"], d["leave"]["end"])')" \
        "('2026-03-18T09:00:00+08:00', '2026-03-18T12:00:00+08:00')" "leave check with RFC 3339 times"

# The audit log: to the second, with the offset in JSON, without it in the table.
ok 0 --json audit --limit 1
at=$(json_get "$OUT" 'd["entries"][0]["at"]')
[[ "$at" =~ ^2026-03-02T09:0[0-9]:[0-5][0-9]\+08:00$ ]] || fail "AuditEntry.at: $at"
ok 0 audit --limit 1
expect_contains "$OUT" "${at:0:19}" "audit: the local time to the second, as before"
case "$OUT" in *+08:00*) fail "audit printed an offset: $OUT" ;; esac
stop_dutyd

# A zone with daylight saving time: the offset of each time is that of its date.
sed -i 's|timezone = "Asia/Shanghai";|timezone = "America/New_York";|' "$T/etc/dutyd.conf"
grep -q 'America/New_York' "$T/etc/dutyd.conf" || fail "the time zone was not changed"
export DUTYD_NOW=2026-07-01T10:00
start_dutyd
ok 0 --json who 2026-07-01
expect_eq "$(json_get "$OUT" '(d["starts"], d["ends"])')" \
        "('2026-07-01T08:30:00-04:00', '2026-07-02T08:30:00-04:00')" "Who in summer: EDT"
ok 0 --json who 2026-12-07
expect_eq "$(json_get "$OUT" 'd["starts"]')" "2026-12-07T08:30:00-05:00" "Who in winter: EST"
# The night the clocks go back: the duty day starts in EDT and ends in EST.
ok 0 --json who 2026-10-31
expect_eq "$(json_get "$OUT" '(d["starts"], d["ends"])')" \
        "('2026-10-31T08:30:00-04:00', '2026-11-01T08:30:00-05:00')" "Who across the change to EST"
ok 0 who 2026-10-31
expect_contains "$OUT" "2026-10-31T08:30 to 2026-11-01T08:30" "who across the change: the table as before"
# An instant is shown in the zone configured now: the leave filed at 09:00 in Beijing (UTC+8) on
# 2 March was 20:00 the evening before in New York, still on EST.
ok 0 --json audit --limit 1
at=$(json_get "$OUT" 'd["entries"][0]["at"]')
[[ "$at" =~ ^2026-03-01T20:0[0-9]:[0-5][0-9]-05:00$ ]] || fail "the March audit row in New York time: $at"

echo "122-protocol-times: RFC 3339 in replies, the local forms in dutyctl's tables, DST offsets"
