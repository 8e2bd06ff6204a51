#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks of the fairness scenarios (070-072), counted from RosterShow independently of dutyd's own
statistics.

  sample TMPDIR            070: 2026 of the sample office, planned January-February and then
                           March-December: special days weighted as holidays, spreads, the
                           officer who arrives on 03-01 not catching up nor bursting, pairs
  years-config CONF        071: adds 除夕 and 初一 of 2024 and 2025 to CONF's special days
  year YEAR                071: generates YEAR (the daemon's clock set by the caller) and checks it
  rotation                 071: after 2024-2026, nobody had 除夕 (初一) twice before everybody
                           eligible had it once
  shortfall-config CONF    072: 7 officers a holiday day, more than 12 officers can cover
  shortfall                072: the 国庆 dry run spreads the shortfall and names its cause
  stats                    072: `roster stats --year 2026` shows counts, expectations, spreads

A category's load is weighted: a special day (除夕 …) is a holiday and counts its weight. People
active all year are compared by load; people who join or leave mid-year by load against their
expectation: each day's duties of a role divided among the people of the role active that day.
"""
import datetime
import importlib.util
import math
import os
import re
import sys

_spec = importlib.util.spec_from_file_location(
    "roster_check", os.path.join(os.path.dirname(os.path.abspath(__file__)), "roster-check.py"))
rc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rc)
fail, expect, ctl, ctl_json, show, on, holders, day = rc.fail, rc.expect, rc.ctl, rc.ctl_json, rc.show, rc.on, rc.holders, rc.day

ROLES = ("leader", "officer")
CATEGORIES = ("workday", "weekend", "holiday")
POST_ROLE = {"leader_on_call": "leader", "officer_on_duty": "officer"}
# 除夕 and 春节初一 of each year (the sample office lists 2026's).
SPECIAL = {
    2024: ("2024-02-09", "2024-02-10"),
    2025: ("2025-01-28", "2025-01-29"),
    2026: ("2026-02-16", "2026-02-17"),
}


def category(cal):
    if cal.get("special") or cal["type"] == "holiday":
        return "holiday"
    if cal["type"] == "weekend":
        return "weekend"
    return "workday"


def weight(cal):
    return cal.get("special_weight") or 1


def active(person, date):
    return ((not person.get("active_from") or date >= person["active_from"]) and
            (not person.get("active_until") or date <= person["active_until"]))


class Year:
    """Loads, expectations and duty days of one roster, per person."""

    def __init__(self, roster, people):
        self.people = people
        self.days = roster["days"]
        self.load = {}          # (person, category) -> weighted load
        self.expected = {}      # (person, category) -> prorated expectation
        self.duties = {}        # person -> [date]
        self.full = {}          # person -> active on every day
        first, last = self.days[0]["day"]["date"], self.days[-1]["day"]["date"]
        for p in people.values():
            self.full[p["id"]] = active(p, first) and active(p, last)
        for entry in self.days:
            cal = entry["day"]
            k, w = category(cal), weight(cal)
            per_role = {}
            for a in entry["assignments"]:
                if not a.get("person"):
                    continue
                role = POST_ROLE[a["post"]]
                per_role[role] = per_role.get(role, 0) + w
                self.load[(a["person"], k)] = self.load.get((a["person"], k), 0) + w
                self.duties.setdefault(a["person"], []).append(cal["date"])
            for role, total in per_role.items():
                members = [p["id"] for p in people.values() if role in p["roles"] and active(p, cal["date"])]
                for m in members:
                    self.expected[(m, k)] = self.expected.get((m, k), 0) + total / len(members)

    def members(self, role):
        return [p["id"] for p in self.people.values() if role in p["roles"]]

    def spread(self, role, k):
        loads = [self.load.get((p, k), 0) for p in self.members(role) if self.full[p]]
        return max(loads) - min(loads)


def check_spreads(y, what, limit=1):
    for role in ROLES:
        for k in CATEGORIES:
            s = y.spread(role, k)
            if s > limit:
                detail = sorted((y.load.get((p, k), 0), p) for p in y.members(role) if y.full[p])
                fail("%s: spread of %s %s load is %d (special days weighted as holidays): %s" % (what, role, k, s, detail))


def people_by_id():
    return {p["id"]: p for p in ctl_json("people")["people"]}


def generate(year):
    gen = ctl_json("roster", "generate", "--from", "%d-01-01" % year, "--to", "%d-12-31" % year)
    expect((gen["stored"], gen["empty"]), (True, 0), "%d generated in full" % year)
    return Year(show("%d-01-01" % year, "%d-12-31" % year), people_by_id())


def windows(y, person, size=14):
    """(first day, duties, expected duties) of every window of `size` days while person is active."""
    p = y.people[person]
    dates = [e["day"]["date"] for e in y.days]
    per_day = {}
    for e in y.days:
        cal = e["day"]
        n = sum(1 for a in e["assignments"] if a.get("person") and POST_ROLE[a["post"]] in p["roles"])
        members = sum(1 for q in y.people.values() if any(r in q["roles"] for r in p["roles"]) and active(q, cal["date"]))
        per_day[cal["date"]] = n / members if active(p, cal["date"]) and members else 0
    mine = set(y.duties.get(person, []))
    out = []
    for i in range(len(dates) - size + 1):
        span = dates[i:i + size]
        if not all(active(p, d) for d in span):
            continue
        out.append((span[0], sum(1 for d in span if d in mine), sum(per_day[d] for d in span)))
    return out


def check_bursts(y, what):
    for person in y.people:
        for first, n, exp in windows(y, person):
            if n > math.ceil(exp - 1e-9) + 1:
                fail("%s: %s has %d duties in the 14 days from %s, expected %.2f" % (what, person, n, first, exp))


# ---- 070 ----

def scenario_sample(tmp):
    # Planned in two steps, as an office does: January and February, then the rest of the year
    # from the day the new officer arrives, with the first two months as their colleagues' history.
    for frm, to in (("2026-01-01", "2026-02-28"), ("2026-03-01", "2026-12-31")):
        gen = ctl_json("roster", "generate", "--from", frm, "--to", to)
        expect((gen["stored"], gen["empty"]), (True, 0), "%s … %s generated in full" % (frm, to))
    y = Year(show("2026-01-01", "2026-12-31"), people_by_id())
    check_spreads(y, "2026")

    # Special days are holidays, weighted: whoever took 除夕 or 初一 (weight 3) took fewer of the
    # other holiday days than every leader who took neither.
    special_days = set(SPECIAL[2026])
    other = {}
    takers = set()
    for e in y.days:
        cal = e["day"]
        for a in on({"days": [e]}, cal["date"], "leader_on_call"):
            if not a.get("person"):
                continue
            if cal["date"] in special_days:
                takers.add(a["person"])
            elif category(cal) == "holiday":
                other[a["person"]] = other.get(a["person"], 0) + 1
    leaders = [p for p in y.members("leader") if y.full[p]]
    plain = [other.get(p, 0) for p in leaders if p not in takers]
    for t in takers:
        if other.get(t, 0) >= min(plain):
            fail("%s took a special day and %d other holiday days; a leader without one took %d" %
                 (t, other.get(t, 0), min(plain)))

    # The officer who arrives on 03-01 is compared on the days active: no catching up, no burst,
    # and no more than their share of 国庆.
    check_bursts(y, "2026")
    for p in ("simayf", "dengh"):
        for k in CATEGORIES:
            got, exp = y.load.get((p, k), 0), y.expected.get((p, k), 0)
            if abs(got - exp) > 1.5:
                fail("%s: %s load %d, prorated expectation %.2f" % (p, k, got, exp))
    guoqing = [d for d in y.duties.get("simayf", []) if "2026-10-01" <= d <= "2026-10-08"]
    if len(guoqing) > 2:
        fail("simayf has %d of the 国庆 days: %s" % (len(guoqing), guoqing))
    first = sorted(y.duties.get("simayf", []))
    if len([d for d in first if d <= "2026-03-14"]) > 3:
        fail("simayf's first fortnight: %s" % [d for d in first if d <= "2026-03-14"])

    # Pairs of officers on the same day repeat no more than the numbers force.
    pairs = {}
    for e in y.days:
        officers = sorted(a["person"] for a in e["assignments"] if a["post"] == "officer_on_duty" and a.get("person"))
        for i in range(len(officers)):
            for j in range(i + 1, len(officers)):
                pairs.setdefault((officers[i], officers[j]), []).append(e["day"]["date"])
    n_officers = sum(1 for p in y.people.values() if "officer" in p["roles"])
    possible = n_officers * (n_officers - 1) // 2
    forced = math.ceil(sum(len(v) for v in pairs.values()) / possible)
    worst = max(pairs.items(), key=lambda kv: len(kv[1]))
    if len(worst[1]) > forced + 1:
        fail("officers %s are paired %d times (%s); %d pair-days over %d possible pairs" %
             (worst[0], len(worst[1]), worst[1], sum(len(v) for v in pairs.values()), possible))
    chuxi = tuple(holders({"days": y.days}, "2026-02-16", "officer_on_duty"))
    spring = [d for d in pairs.get(chuxi, []) if "2026-02-15" <= d <= "2026-02-23"]
    expect(spring, ["2026-02-16"], "days of 春节 the officers of 除夕 %s share" % (chuxi,))

    # dutyd's own statistics agree: special days inside the holidays, spreads at most one.
    stats = ctl_json("roster", "stats", "--year", "2026")
    expect(sum(p["workday"] + p["weekend"] + p["holiday"] for p in stats["people"]),
           sum(len(v) for v in y.duties.values()), "duties counted by the statistics")
    for p in stats["people"]:
        expect(p["holiday_load"], y.load.get((p["person"], "holiday"), 0), "holiday load of %s" % p["person"])
        for k in CATEGORIES:
            exp = y.expected.get((p["person"], k), 0)
            if abs(p["expected_" + k] - exp) > 0.051:
                fail("expected %s of %s: dutyd says %s, counted %.2f" % (k, p["person"], p["expected_" + k], exp))
    for s in stats["spread"]:
        if s["category"] not in CATEGORIES:
            fail("spread of a category that is not evened out: %s" % s)
        if s["spread"] > 1:
            fail("spread: %s" % s)
    print("070: spreads, special days, arrivals, pairs ok")


# ---- 071 ----

def cmd_years_config(path):
    s = open(path, encoding="utf-8").read()
    extra = "".join('        { date = "%s"; name = "除夕";     weight = 3; },\n'
                    '        { date = "%s"; name = "春节初一"; weight = 3; },\n' % SPECIAL[y] for y in (2024, 2025))
    s = s.replace("special_days = (\n", "special_days = (\n" + extra, 1)
    # Everybody active over the three years: the rotation is among all eight leaders.
    s = s.replace(' active_from = "2026-03-01";', "").replace(' active_until = "2026-12-31";', "")
    open(path, "w", encoding="utf-8").write(s)


def scenario_year(year):
    y = generate(int(year))
    if os.environ.get("FAIR_DEBUG"):
        for role in ROLES:
            print(year, role, sorted((y.load.get((p, "holiday"), 0), p) for p in y.members(role)))
    check_spreads(y, year)
    check_bursts(y, year)
    print("%s: spreads ok" % year)


def scenario_rotation():
    people = people_by_id()
    roster = show("2024-01-01", "2026-12-31")
    for name, idx in (("除夕", 0), ("春节初一", 1)):
        for post, role in POST_ROLE.items():
            eligible = {p for p, x in people.items() if role in x["roles"]}
            seen = []
            for year in (2024, 2025, 2026):
                seen += holders(roster, SPECIAL[year][idx], post)
            # Nobody a second time before everybody eligible had it once.
            if len(seen) <= len(eligible) and len(set(seen)) != len(seen):
                fail("%s %s: %s had it twice while others never had it (%s)" %
                     (name, role, sorted(p for p in set(seen) if seen.count(p) > 1), seen))
            print("%s %s: %s" % (name, role, seen))


# ---- 072 ----

def cmd_shortfall_config(path):
    s = open(path, encoding="utf-8").read()
    s = s.replace("count = { workday = 1; weekend = 1; holiday = 2; sensitive = 2; }",
                  "count = { workday = 1; weekend = 1; holiday = 7; sensitive = 2; }", 1)
    open(path, "w", encoding="utf-8").write(s)


def scenario_shortfall():
    out = ctl_json("roster", "holiday", "国庆", "--dry-run")
    days = {}
    for a in out["assignments"]:
        if a["post"] != "officer_on_duty":
            continue
        d = days.setdefault(a["date"], [0, 0, set()])
        if a.get("person"):
            d[0] += 1
        else:
            d[1] += 1
            d[2].add(a.get("reason_code"))
    holiday = {k: v for k, v in days.items() if "2026-10-01" <= k <= "2026-10-07"}
    expect(sorted(holiday), ["2026-10-%02d" % i for i in range(1, 8)], "国庆 days planned")
    filled = [holiday[k][0] for k in sorted(holiday)]
    # 12 officers, one free day between duties: at most 6 a day, on every day alike.
    if max(filled) - min(filled) > 1 or max(filled) > 7 or min(filled) < 5:
        fail("officers per 国庆 day: %s" % filled)
    reasons = set().union(*(v[2] for v in holiday.values()))
    expect(reasons, {"too_few_eligible"}, "reason of the empty officer slots")
    text = ctl("roster", "holiday", "国庆", "--dry-run")[0]
    if "符合条件的人员太少" not in text:
        fail("the dry run does not name the cause:\n" + text[-1500:])
    print("072: officers per day %s" % filled)


def scenario_stats():
    text = ctl("roster", "stats", "--year", "2026")[0]
    # A count with its prorated expectation beside it, e.g. "23 (22.8)".
    rows = [line for line in text.splitlines() if line.startswith("simayf") or line.startswith("wum")]
    if len(rows) != 2 or not all(re.search(r"\d+ \(\d+\.\d\)", r) for r in rows):
        fail("stats rows without expectations:\n" + text)
    if "折算" not in text and "Prorated" not in text:
        fail("stats without the prorated spread:\n" + text)
    st = ctl_json("roster", "stats", "--year", "2026")
    simayf = next(p for p in st["people"] if p["person"] == "simayf")
    wum = next(p for p in st["people"] if p["person"] == "wum")
    if not (simayf["active_days"] == 306 and wum["active_days"] == 365):
        fail("active days: %s %s" % (simayf["active_days"], wum["active_days"]))
    if not simayf["expected_workday"] < wum["expected_workday"] * 0.9:
        fail("simayf's expectation is not prorated: %s vs %s" % (simayf["expected_workday"], wum["expected_workday"]))
    spreads = {(s["role"], s["category"]): s for s in st["spread"]}
    expect(sorted(spreads), sorted((r, k) for r in ROLES for k in CATEGORIES), "spreads listed")
    for s in spreads.values():
        if s["spread"] > 1 or s["prorated"] > 2:
            fail("spread: %s" % s)
    print(text)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"sample": scenario_sample, "years-config": cmd_years_config, "year": scenario_year,
     "rotation": scenario_rotation, "shortfall-config": cmd_shortfall_config, "shortfall": scenario_shortfall,
     "stats": scenario_stats}[cmd](*args)


if __name__ == "__main__":
    main()
