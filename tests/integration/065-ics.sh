#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The calendar feed as calendars judge it: the 国庆节 2026 roster of the sample office exported as
# iCalendar passes libical's parser and restriction check (RFC 5546: METHOD:PUBLISH needs an
# ORGANIZER in every event) through tests/helpers/ics-check.c, and python3-icalendar reads every
# event with its ORGANIZER (the office's name) and the reminder of ics.reminder_minutes (60 in the
# sample office) as a DISPLAY alarm an hour before the handover. A configured ics.organizer is the
# ORGANIZER's address; without ics = { … } there is no alarm, and the check still passes.
. "$(dirname "$0")/lib.sh"

PY=$(python_with icalendar)
[ -n "$PY" ] || fail "no python3 with the icalendar module (install python3-icalendar)"
[ -x "${ICS_CHECK:-}" ] || fail "ICS_CHECK (tests/helpers/ics-check) is not built"

export DUTYD_NOW=2026-09-01T10:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-09-30 --to 2026-10-08 >/dev/null || fail "roster generate"
"$DUTYCTL" roster show --from 2026-10-01 --to 2026-10-07 --format ics -o "$T/all.ics" || fail "ics export"
"$DUTYCTL" --json roster show --from 2026-10-01 --to 2026-10-07 >"$T/all.json" || fail "roster show --json"
person=$(json_get "$(cat "$T/all.json")" '[a["person"] for a in d["days"][0]["assignments"] if a.get("role") == "officer"][0]')
"$DUTYCTL" roster show --from 2026-10-01 --to 2026-10-07 --person "$person" --format ics -o "$T/mine.ics" ||
        fail "personal ics export"

for f in all mine; do
        "$ICS_CHECK" "$T/$f.ics" >"$T/$f.check" 2>&1 || { cat "$T/$f.check"; fail "libical refuses $f.ics"; }
done
expect_contains "$(cat "$T/all.check")" "restriction check passed, 0 errors" "libical's verdict"

# check FILE JSON MINUTES ORGANIZER: every event has the organizer and, if MINUTES > 0, one alarm.
check() {
        "$PY" - "$@" <<'PY' || fail "the feed $1 lacks its organizer or reminder"
import datetime, json, sys, icalendar
path, roster, minutes, organizer = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cal = icalendar.Calendar.from_ical(open(path, "rb").read())
office = json.load(open(roster, encoding="utf-8"))["office"]
assert str(cal["METHOD"]) == "PUBLISH"
events = [c for c in cal.walk("VEVENT")]
assert events, "no events"
for ev in events:
    org = ev.get("ORGANIZER")
    assert org is not None, "no ORGANIZER in %s" % ev["UID"]
    assert str(org).lower() == organizer.lower(), (str(org), organizer)
    assert org.params.get("CN") == office, org.params
    alarms = [c for c in ev.subcomponents if c.name == "VALARM"]
    if minutes == 0:
        assert not alarms, "an alarm without ics.reminder_minutes"
        continue
    assert len(alarms) == 1, alarms
    a = alarms[0]
    assert str(a["ACTION"]) == "DISPLAY"
    assert a.decoded("TRIGGER") == datetime.timedelta(minutes=-minutes), a.decoded("TRIGGER")
    assert str(a["DESCRIPTION"]) == str(ev["SUMMARY"])
print(len(events), "events")
PY
}
check "$T/all.ics" "$T/all.json" 60 "mailto:duty@dutyd.invalid"
check "$T/mine.ics" "$T/all.json" 60 "mailto:duty@dutyd.invalid"

# A configured organizer and reminder, then none at all.
sed -i 's|^  reminder_minutes = 60;|  organizer = "zbs@mouxian.gov.cn";\n  reminder_minutes = 30;|' "$T/etc/dutyd.conf"
"$DUTYCTL" reload >/dev/null || fail "reload with ics.organizer"
"$DUTYCTL" roster show --from 2026-10-01 --to 2026-10-07 --format ics -o "$T/org.ics" || fail "ics export"
"$ICS_CHECK" "$T/org.ics" >/dev/null || fail "libical refuses the feed with ics.organizer"
check "$T/org.ics" "$T/all.json" 30 "mailto:zbs@mouxian.gov.cn"

python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
open(p, "w", encoding="utf-8").write(re.sub(r"\nics = \{.*?\n\};\n", "\n", s, flags=re.S))
PY
"$DUTYCTL" reload >/dev/null || fail "reload without ics = { … }"
"$DUTYCTL" roster show --from 2026-10-01 --to 2026-10-07 --format ics -o "$T/plain.ics" || fail "ics export"
"$ICS_CHECK" "$T/plain.ics" >/dev/null || fail "libical refuses the feed without ics settings"
check "$T/plain.ics" "$T/all.json" 0 "mailto:duty@dutyd.invalid"

# A broken organizer is refused at its line, and the running configuration stays.
sed -i 's|^office_phone = |ics = { organizer = "值班室"; };\noffice_phone = |' "$T/etc/dutyd.conf"
rc=0
"$DUTYCTL" reload >"$T/reload.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "an organizer without an address was accepted"
expect_contains "$(cat "$T/reload.out")" "ics.organizer" "the setting named in the refusal"

stop_dutyd
echo "ok"
