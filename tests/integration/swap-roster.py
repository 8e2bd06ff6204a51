#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of the swap scenarios (030-033), which work on whatever roster dutyd generated.

  uids CONF BASE                   gives every person of CONF without a uid one (BASE, BASE+1, …),
                                   rewriting CONF; prints "id uid" per person
  duty ROSTER DATE POST            the person holding slot 0 of POST on DATE, or ""
  free ROSTER PEOPLE ROLE DATE REST [EXCLUDE…]
                                   a person with ROLE, active on DATE, with no duty within REST days
                                   of it (DATE itself included), not excluded; or ""
  pair ROSTER PEOPLE POST FROM TO REST [EXCLUDE…]
                                   "A DAY_A C DAY_C": two duties of POST between FROM and TO whose
                                   holders may exchange them without breaking the rest rule
  nextpair ROSTER POST FROM TO REST [EXCLUDE…]
                                   "A DAY_A C DAY_C" as pair, where DAY_C is C's first duty of POST
                                   after DAY_A (what SwapRequest takes without their_date)
  days ROSTER PERSON               the days PERSON holds a duty on, one per line

ROSTER is the output of `dutyctl --json roster show`, PEOPLE that of `dutyctl --json people`.
"""
import datetime
import json
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def day(s):
    return datetime.date.fromisoformat(s)


def duties(roster):
    for d in roster["days"]:
        for a in d["assignments"]:
            if a.get("person"):
                yield a


def busy_days(roster):
    busy = {}
    for a in duties(roster):
        busy.setdefault(a["person"], set()).add(day(a["date"]))
    return busy


def active(p, d):
    if p.get("active_from") and day(p["active_from"]) > d:
        return False
    if p.get("active_until") and day(p["active_until"]) < d:
        return False
    return True


def near(days, d, rest, ignore=()):
    return any(abs((x - d).days) <= rest for x in days if x not in ignore)


def cmd_uids(conf, base):
    text = open(conf, encoding="utf-8").read()
    start = text.index("people = (")
    end = text.index("\n);", start)
    block = text[start:end]
    n = int(base)
    out = []

    def give(m):
        nonlocal n
        record = m.group(0)
        pid = m.group(1)
        u = re.search(r"\buid = (\d+);", record)
        if u:
            out.append((pid, int(u.group(1))))
            return record
        out.append((pid, n))
        record = record.replace('id = "%s";' % pid, 'id = "%s"; uid = %d;' % (pid, n), 1)
        n += 1
        return record

    block = re.sub(r'\{ id = "([a-z0-9_-]+)";.*?\}', give, block, flags=re.S)
    with open(conf, "w", encoding="utf-8") as f:
        f.write(text[:start] + block + text[end:])
    for pid, uid in out:
        print(pid, uid)


def cmd_duty(roster, date, post):
    for a in duties(load(roster)):
        if a["date"] == date and a["post"] == post and a["slot"] == 0:
            print(a["person"])
            return
    print("")


def cmd_free(roster, people, role, date, rest, *exclude):
    roster, people, d, rest = load(roster), load(people), day(date), int(rest)
    busy = busy_days(roster)
    for p in people["people"]:
        if role not in p["roles"] or p["id"] in exclude or not active(p, d):
            continue
        if near(busy.get(p["id"], ()), d, rest):
            continue
        print(p["id"])
        return
    print("")


def swap_fits(busy, a, da, c, dc, rest):
    """Whether a can take dc (giving up da) and c take da (giving up dc), each keeping the rest."""
    return not (near(busy[a], dc, rest, ignore=(da,)) or near(busy[c], da, rest, ignore=(dc,)))


def cmd_pair(roster, people, post, first, last, rest, *exclude):
    roster, rest = load(roster), int(rest)
    busy = busy_days(roster)
    lo, hi = day(first), day(last)
    cand = [(day(a["date"]), a["person"]) for a in duties(roster)
            if a["post"] == post and a["slot"] == 0 and lo <= day(a["date"]) <= hi
            and a["person"] not in exclude]
    for da, a in cand:
        for dc, c in cand:
            if a == c or abs((da - dc).days) <= rest:
                continue
            if not swap_fits(busy, a, da, c, dc, rest):
                continue
            print(a, da.isoformat(), c, dc.isoformat())
            return
    print("")


def cmd_nextpair(roster, post, first, last, rest, *exclude):
    roster, rest = load(roster), int(rest)
    busy = busy_days(roster)
    lo, hi = day(first), day(last)
    held = sorted((day(a["date"]), a["person"]) for a in duties(roster) if a["post"] == post and a["slot"] == 0)
    for da, a in held:
        if not lo <= da <= hi or a in exclude:
            continue
        for c in sorted({p for _, p in held} - {a} - set(exclude)):
            after = [d for d, p in held if p == c and d > da]
            if not after:
                continue
            dc = after[0]
            if abs((dc - da).days) <= rest or not swap_fits(busy, a, da, c, dc, rest):
                continue
            print(a, da.isoformat(), c, dc.isoformat())
            return
    print("")


def cmd_days(roster, person):
    for a in duties(load(roster)):
        if a["person"] == person:
            print(a["date"])


COMMANDS = {"uids": cmd_uids, "duty": cmd_duty, "free": cmd_free, "pair": cmd_pair, "nextpair": cmd_nextpair,
            "days": cmd_days}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
