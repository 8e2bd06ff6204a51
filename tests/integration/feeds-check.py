#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reads dutyd's calendar feeds as a subscriber would, with python3-icalendar.

  feeds-check.py events FEED ROSTER_JSON [PERSON]
      The feed holds one event per filled slot of every published day of the roster (PERSON's
      only, if given), from the handover of the day to the next in the office's time zone, with
      the VTIMEZONE, the reminder of ics_reminder_minutes, the colleagues of the duty and SEQUENCE,
      LAST-MODIFIED. Prints the number of events.
  feeds-check.py stamps FEED
      Prints {uid: [SEQUENCE, LAST-MODIFIED, DESCRIPTION]} as JSON.
  feeds-check.py measure FEED CMD…
      Runs CMD, then waits (10 s at most) for FEED's content to change; prints the seconds from
      CMD's start and from its return to the change.
  feeds-check.py reader FEED STOPFILE
      Reads and parses FEED in a loop until STOPFILE exists; prints reads, distinct versions and
      every version that did not parse whole (a torn read). Exits 1 on a torn read.
"""
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time

import icalendar


def load(path):
    with open(path, "rb") as f:
        return icalendar.Calendar.from_ical(f.read())


def events(path, roster_path, person=None):
    cal = load(path)
    roster = json.load(open(roster_path, encoding="utf-8"))
    tz = roster["timezone"]
    hh, mm = map(int, roster["handover"].split(":"))
    minutes = roster.get("ics_reminder_minutes") or 0
    assert str(cal["METHOD"]) == "PUBLISH"
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    assert zones == [tz], zones

    want = {}
    for day in roster["days"]:
        if day.get("version") is None:
            continue
        filled = [a for a in day["assignments"] if a["person"]]
        for a in filled:
            if person and a["person"] != person:
                continue
            others = [o for o in filled if o is not a]
            want[(day["day"]["date"], a["post"], a["slot"], a["person"])] = (a, others)

    got = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        date = uid[0:4] + "-" + uid[4:6] + "-" + uid[6:8]
        key = None
        for k in want:
            if k[0] == date and uid.startswith("%s-%s-%d-%s." % (uid[0:8], k[1], k[2], k[3])):
                key = k
        assert key is not None, "an event that is no published duty%s: %s" % (
            " of " + person if person else "", uid)
        assert key not in got, "twice: " + uid
        got[key] = ev
        a, others = want[key]
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        y, m, d = map(int, date.split("-"))
        assert (start.year, start.month, start.day, start.hour, start.minute) == (y, m, d, hh, mm), start
        assert str(ev["DTSTART"].params["TZID"]) == tz, ev["DTSTART"].params
        assert end - start == datetime.timedelta(days=1), (start, end)
        assert a["name"] in str(ev["SUMMARY"]), (str(ev["SUMMARY"]), a["name"])
        desc = str(ev["DESCRIPTION"])
        for o in others:
            assert o["name"] in desc, "colleague %s not in %s" % (o["name"], desc)
        if a.get("phone"):
            assert a["phone"] in desc, desc
        assert int(ev["SEQUENCE"]) >= 0
        assert ev.get("LAST-MODIFIED") is not None
        alarms = [c for c in ev.subcomponents if c.name == "VALARM"]
        if minutes:
            assert len(alarms) == 1, alarms
            assert alarms[0].decoded("TRIGGER") == datetime.timedelta(minutes=-minutes)
        else:
            assert not alarms
    missing = set(want) - set(got)
    assert not missing, "duties missing from the feed: %s" % sorted(missing)
    print(len(got))


def stamps(path):
    out = {}
    for ev in load(path).walk("VEVENT"):
        out[str(ev["UID"])] = [int(ev["SEQUENCE"]), ev["LAST-MODIFIED"].to_ical().decode(),
                               str(ev["DESCRIPTION"])]
    print(json.dumps(out, ensure_ascii=False))


def digest(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None


def measure(path, cmd):
    before = digest(path)
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    t1 = time.monotonic()
    while digest(path) == before:
        if time.monotonic() - t0 > 10:
            sys.exit("%s did not change within 10 s" % path)
        time.sleep(0.002)
    t2 = time.monotonic()
    print("%.3f %.3f" % (t2 - t0, t2 - t1))


def reader(path, stop):
    reads, versions, torn = 0, set(), []
    while not os.path.exists(stop):
        with open(path, "rb") as f:
            data = f.read()
        reads += 1
        h = hashlib.sha256(data).hexdigest()
        if h in versions:
            # Not a busy loop: dutyd needs the CPU to make the versions.
            time.sleep(0.001)
            continue
        try:
            cal = icalendar.Calendar.from_ical(data)
            assert data.rstrip().endswith(b"END:VCALENDAR")
            list(cal.walk("VEVENT"))
            versions.add(h)
        except Exception as e:  # a torn file: half of one version
            torn.append("%s: %s" % (h, e))
    print(reads, len(versions), len(torn))
    for t in torn:
        print("torn:", t)
    sys.exit(1 if torn else 0)


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "events":
        events(*sys.argv[2:])
    elif what == "stamps":
        stamps(sys.argv[2])
    elif what == "measure":
        measure(sys.argv[2], sys.argv[3:])
    elif what == "reader":
        reader(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
