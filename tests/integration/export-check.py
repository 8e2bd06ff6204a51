#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Reads dutyctl's iCalendar exports back with an independent parser (Debian's python3-icalendar)
# and checks them against the roster the daemon reports (`dutyctl --json roster show`).
#
#   export-check.py ics FEED.ics ROSTER.json [PERSON]
#       one VEVENT per filled duty (of PERSON only, if given), each from the handover of its day
#       (08:30 Asia/Shanghai) to the handover of the next, SUMMARY naming the post and the person,
#       UIDs unique
#   export-check.py same-uids A.ics B.ics
#       two exports of the same roster carry the same UIDs

import datetime
import json
import sys

import icalendar


def events(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    assert str(cal["VERSION"]) == "2.0", cal.get("VERSION")
    assert cal.get("PRODID"), "no PRODID"
    tzids = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert tzids == ["Asia/Shanghai"], tzids
    return cal, list(cal.walk("VEVENT"))


def duties(roster, person):
    out = {}
    for rd in roster["days"]:
        for a in rd["assignments"]:
            if a.get("person") and (person is None or a["person"] == person):
                out[(a["date"], a["post"], a["slot"])] = a
    return out


def check_ics(path, roster_path, person=None):
    with open(roster_path, encoding="utf-8") as f:
        roster = json.load(f)
    cal, evs = events(path)
    want = duties(roster, person)
    assert len(want) > 0, "the roster has no duties to export"
    assert len(evs) == len(want), (len(evs), len(want))
    assert roster["office"] in str(cal["X-WR-CALNAME"]), cal["X-WR-CALNAME"]

    uids = [str(e["UID"]) for e in evs]
    assert len(set(uids)) == len(uids), "duplicate UIDs"

    seen = set()
    for e in evs:
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert e["DTSTART"].params["TZID"] == "Asia/Shanghai", e["DTSTART"].params
        assert e["DTEND"].params["TZID"] == "Asia/Shanghai", e["DTEND"].params
        assert (start.hour, start.minute) == (8, 30), start
        assert start.utcoffset() == datetime.timedelta(hours=8), start.utcoffset()
        assert end - start == datetime.timedelta(hours=24), (start, end)
        assert e.get("DTSTAMP") is not None

        # The duty this event stands for, by its start date and its SUMMARY "岗位：姓名".
        summary = str(e["SUMMARY"])
        match = [k for k, a in want.items()
                 if k[0] == start.date().isoformat() and summary == "%s：%s" % (a["post_name"], a["name"])]
        assert len(match) == 1, (summary, start, match)
        assert match[0] not in seen, match
        seen.add(match[0])
        a = want[match[0]]
        if a.get("phone"):
            assert a["phone"] in str(e["DESCRIPTION"]), e["DESCRIPTION"]
        if person is not None:
            assert a["person"] == person
    assert seen == set(want), set(want) - seen


def check_same_uids(a, b):
    ua = sorted(str(e["UID"]) for e in events(a)[1])
    ub = sorted(str(e["UID"]) for e in events(b)[1])
    assert ua == ub, (ua, ub)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "ics":
        check_ics(*args)
    elif mode == "same-uids":
        check_same_uids(*args)
    else:
        sys.exit("unknown mode " + mode)
