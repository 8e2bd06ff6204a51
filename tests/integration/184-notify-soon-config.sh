#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# duty_soon follows the configuration: with the handover at 09:00 and notify.soon_minutes = 30,
# nothing at 08:00 (what the default hour would give), the messages at 08:30 naming 09:00, in the
# language of each person (one reads English); soon_minutes = 0 turns it off; a value out of range
# is refused with the file and line.
. "$(dirname "$0")/notify-roster-lib.sh"

# Out of range: refused by --check-config, at its line.
cp "$T/etc/dutyd.conf" "$T/etc/bad.conf"
sed -i '/^#/!s/reminder_time = "16:00";/reminder_time = "16:00";\n        soon_minutes = 1000;/' "$T/etc/bad.conf"
line=$(grep -n "soon_minutes = 1000" "$T/etc/bad.conf" | cut -d: -f1)
rc=0
err=$("$DUTYD" --check-config "$T/etc/bad.conf" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "soon_minutes = 1000 was accepted"
expect_contains "$err" "bad.conf:$line" "the file and line"
expect_contains "$err" "soon_minutes" "the setting"

sed -i 's/^handover = "08:30";/handover = "09:00";/' "$T/etc/dutyd.conf"
sed -i '/^#/!s/reminder_time = "16:00";/reminder_time = "16:00";\n        soon_minutes = 30;/' "$T/etc/dutyd.conf"
grep -q '^handover = "09:00";' "$T/etc/dutyd.conf" || fail "the handover was not moved"
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "soon_minutes = 30 does not check"

notify_start_roster
stop_dutyd
D=2026-06-10
duties_of "$D"
EN=$(head -n 1 "$T/duties" | cut -d' ' -f1)
person_set "$EN" 'language = "en";'
soon() { hook_count "r['path'] == '/ops' and r['body']['kind'] == 'duty_soon' ${1:-}"; }

# An hour before the handover: not yet (30 minutes are configured).
export DUTYD_NOW=${D}T08:00:05
start_dutyd
sleep 3
expect_eq "$(soon)" "0" "duty_soon an hour before"
stop_dutyd

export DUTYD_NOW=${D}T08:29:50
start_dutyd
expect_eq "$(soon)" "0" "duty_soon before 08:30"
wait_until 25 "duty_soon at 08:30" at_least "$N" soon
sleep 1
expect_eq "$(soon)" "$N" "duty_soon at 08:30"
expect_eq "$(soon "and r['body']['person'] == '$EN' and r['body']['language'] == 'en' and 'begins at 09:00 on $D' in r['body']['text']")" "1" "in English for $EN"
expect_eq "$(soon "and r['body']['person'] != '$EN' and '将于 09:00 开始' in r['body']['text']")" "$((N - 1))" "in Chinese for the others"

# Off: nothing the next morning.
stop_dutyd
sed -i 's/soon_minutes = 30;/soon_minutes = 0;/' "$T/etc/dutyd.conf"
export DUTYD_NOW=2026-06-11T08:29:50
start_dutyd
sleep 15
expect_eq "$(soon)" "$N" "duty_soon with soon_minutes = 0"

echo "PASS: duty_soon 30 minutes before a 09:00 handover, in each person's language; off with 0"
