#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of the calendar and roster scenarios (010-012), independent of dutyctl's own printing.

  call SOCKET METHOD [PARAMS-JSON]   one Varlink call of io.dutyd.Duty.METHOD; prints the reply
                                     message ({"parameters": …} or {"error": …, "parameters": …})
  calendar DAYS-JSON                 checks `dutyctl --json calendar` over 2024…2026 against the
                                     table below, day by day
  aligned FILE                       checks that every column of a dutyctl table starts at the same
                                     terminal column on every line (CJK characters are two wide)
  constraints SHOW PEOPLE REST [UNAVAILABLE-JSON]
                                     checks every hard rule on every day of a RosterShow reply:
                                     post counts, roles, active dates, one post a day, rest,
                                     declared unavailability; empty slots must carry a reason
  year TMPDIR                        011: all of 2026 generated and checked, and 2027
  single-leader-config CONF          011: leaves zhangw the only leader of CONF
  single-leader TMPDIR               011: the roster of an office with one leader
  holiday TMPDIR                     012: the 春节 roster and the changes made to it

The scenarios run dutyctl ($DUTYCTL) against the dutyd the calling script started ($DUTYD_SOCKET),
as root or, through setpriv, as another uid, and call the socket directly where the reply itself
(an error's parameters, RosterShow) is what is checked.
"""
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import unicodedata

# The days off (放假, joined weekend days included where the notice says 与周末连休) and the
# make-up workdays (调休上班) of the State Council notices, read from the notices themselves:
#   2024 国办发明电〔2023〕7号, 2025 国办发明电〔2024〕12号, 2026 国办发明电〔2025〕7号.
NOTICES = {
    2024: [
        ("元旦", "2023-12-30..2024-01-01", []),
        ("春节", "2024-02-10..2024-02-17", ["2024-02-04", "2024-02-18"]),
        ("清明", "2024-04-04..2024-04-06", ["2024-04-07"]),
        ("劳动", "2024-05-01..2024-05-05", ["2024-04-28", "2024-05-11"]),
        ("端午", "2024-06-08..2024-06-10", []),
        ("中秋", "2024-09-15..2024-09-17", ["2024-09-14"]),
        ("国庆", "2024-10-01..2024-10-07", ["2024-09-29", "2024-10-12"]),
    ],
    2025: [
        ("元旦", "2025-01-01..2025-01-01", []),
        ("春节", "2025-01-28..2025-02-04", ["2025-01-26", "2025-02-08"]),
        ("清明", "2025-04-04..2025-04-06", []),
        ("劳动", "2025-05-01..2025-05-05", ["2025-04-27"]),
        ("端午", "2025-05-31..2025-06-02", []),
        ("国庆", "2025-10-01..2025-10-08", ["2025-09-28", "2025-10-11"]),
    ],
    2026: [
        ("元旦", "2026-01-01..2026-01-03", ["2026-01-04"]),
        ("春节", "2026-02-15..2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("清明", "2026-04-04..2026-04-06", []),
        ("劳动", "2026-05-01..2026-05-05", ["2026-05-09"]),
        ("端午", "2026-06-19..2026-06-21", []),
        ("中秋", "2026-09-25..2026-09-27", []),
        ("国庆", "2026-10-01..2026-10-07", ["2026-09-20", "2026-10-10"]),
    ],
}


def day(s):
    return datetime.date.fromisoformat(s)


def span(s):
    a, b = s.split("..")
    d, end = day(a), day(b)
    while d <= end:
        yield d
        d += datetime.timedelta(days=1)


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def varlink(sock, method, params=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(60)
    s.connect(sock)
    msg = {"method": "io.dutyd.Duty." + method}
    if params:
        msg["parameters"] = params
    s.sendall(json.dumps(msg).encode() + b"\0")
    buf = b""
    while not buf.endswith(b"\0"):
        chunk = s.recv(1 << 16)
        if not chunk:
            fail("dutyd closed the connection")
        buf += chunk
    s.close()
    return json.loads(buf[:-1])


def cmd_call(sock, method, params=None):
    print(json.dumps(varlink(sock, method, json.loads(params) if params else None), ensure_ascii=False))


def cmd_calendar(path):
    # `dutyctl --json calendar` prints the interface's reply object, {"days": […]}.
    days = load(path)["days"]
    off, work = {}, set()
    for entries in NOTICES.values():
        for name, days_off, workdays in entries:
            for d in span(days_off):
                off[d] = name
            work.update(day(w) for w in workdays)

    first, last = datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)
    if len(days) != (last - first).days + 1:
        fail("expected %d days, got %d" % ((last - first).days + 1, len(days)))
    counts = {}
    for i, entry in enumerate(days):
        d = first + datetime.timedelta(days=i)
        if entry["date"] != d.isoformat():
            fail("day %d is %s, expected %s" % (i, entry["date"], d))
        if d in off:
            want = "holiday"
        elif d in work:
            want = "makeup_workday"
        elif d.weekday() >= 5:
            want = "weekend"
        else:
            want = "workday"
        if entry["type"] != want:
            fail("%s: type %s, the notice says %s" % (d, entry["type"], want))
        if d in off and off[d] not in (entry.get("holiday") or ""):
            fail("%s: holiday %r, the notice says %s" % (d, entry.get("holiday"), off[d]))
        if want == "workday" and entry.get("holiday"):
            fail("%s: a workday named %r" % (d, entry["holiday"]))
        if want == "makeup_workday" and (entry.get("run_from") or entry.get("holiday")):
            fail("%s: a make-up workday inside a holiday run" % d)
        if "sensitive" not in entry:
            fail("%s: no sensitive key" % d)
        counts[want] = counts.get(want, 0) + 1
    # Spot checks of runs: adjoining weekends belong to the holiday's duty period.
    runs = {e["date"]: (e.get("run_from"), e.get("run_to")) for e in days}
    for d, want in (("2024-01-01", ("2023-12-30", "2024-01-01")),
                    ("2024-06-09", ("2024-06-08", "2024-06-10")),
                    ("2026-02-16", ("2026-02-15", "2026-02-23")),
                    ("2025-10-08", ("2025-10-01", "2025-10-08")),
                    ("2026-09-26", ("2026-09-25", "2026-09-27"))):
        if runs[d] != want:
            fail("%s: run %s, expected %s" % (d, runs[d], want))
    print(json.dumps(counts, sort_keys=True))


def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)


def cmd_aligned(path):
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8") if l.strip()]
    if len(lines) < 2:
        fail("no table in " + path)
    starts = None
    for l in lines:
        cols = [0] + [width(l[:m.end()]) for m in re.finditer(r"  +", l)]
        if starts is None:
            starts = cols
        elif cols != starts:
            fail("columns start at %s, the header's at %s: %r" % (cols, starts, l))
    print(len(lines) - 1)


def check_constraints(show, people, rest, unavailable=()):
    """Every hard rule on every day of a RosterShow reply; returns (slots, empty slots)."""
    people = {p["id"]: p for p in people}
    away = {}
    for u in unavailable:
        for d in span(u["from"] + ".." + u["to"]):
            away.setdefault(u["person"], set()).add(d)

    duties = {}
    checked = empty = 0
    for entry in show["days"]:
        cal = entry["day"]
        d = day(cal["date"])
        per_post = {}
        seen = set()
        for a in entry["assignments"]:
            if a["date"] != cal["date"]:
                fail("%s: assignment of %s listed under it" % (cal["date"], a["date"]))
            per_post[a["post"]] = per_post.get(a["post"], 0) + 1
            checked += 1
            p = a.get("person")
            if p is None:
                empty += 1
                if not a.get("reason") or not a.get("reason_code"):
                    fail("%s %s: empty slot without a reason" % (cal["date"], a["post"]))
                continue
            person = people.get(p)
            if person is None:
                fail("%s: unknown person %s" % (cal["date"], p))
            if a["role"] not in person["roles"]:
                fail("%s: %s on %s lacks the role %s" % (cal["date"], p, a["post"], a["role"]))
            if person.get("active_from") and cal["date"] < person["active_from"]:
                fail("%s: %s not active yet" % (cal["date"], p))
            if person.get("active_until") and cal["date"] > person["active_until"]:
                fail("%s: %s no longer active" % (cal["date"], p))
            if p in seen:
                fail("%s: %s holds two posts" % (cal["date"], p))
            seen.add(p)
            if d in away.get(p, ()):
                fail("%s: %s declared unavailable" % (cal["date"], p))
            duties.setdefault(p, []).append(d)
        # The sample office: one leader on call; officers by day type, three in a sensitive
        # period with one extra officer (the post's sensitive count of two, plus one).
        want_officers = 3 if cal.get("sensitive") else 2 if cal["type"] == "holiday" else 1
        if per_post.get("leader_on_call", 0) != 1:
            fail("%s: %d leaders on call" % (cal["date"], per_post.get("leader_on_call", 0)))
        if per_post.get("officer_on_duty", 0) != want_officers:
            fail("%s: %d officers, expected %d" % (cal["date"], per_post.get("officer_on_duty", 0), want_officers))
    for p, ds in duties.items():
        ds.sort()
        for a, b in zip(ds, ds[1:]):
            if (b - a).days <= rest:
                fail("%s serves on %s and %s" % (p, a, b))
    return checked, empty


def cmd_constraints(show_path, people_path, rest, unavailable=None):
    checked, empty = check_constraints(load(show_path), load(people_path)["people"], int(rest),
                                       json.loads(unavailable) if unavailable else ())
    print("%d slots checked, %d empty" % (checked, empty))


# ---- Scenarios ----

OFFICER_UID = 1001
REST = 1
LEADERS = ["wangjg", "lixy", "ouyangmh", "zhangw", "chenzq", "liuf", "sunlh", "zhaods"]


def expect(actual, expected, what):
    if actual != expected:
        fail("%s: expected %r, got %r" % (what, expected, actual))


def ctl(*args, uid=None, rc=0):
    """Runs dutyctl; checks its exit status; returns (stdout, stderr)."""
    cmd = [os.environ["DUTYCTL"]] + list(args)
    if uid is not None:
        cmd = ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--groups=0"] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != rc:
        fail("dutyctl %s: exit %d, expected %d\n%s%s" % (" ".join(args), p.returncode, rc, p.stdout[-2000:], p.stderr))
    return p.stdout, p.stderr


def ctl_json(*args, uid=None):
    return json.loads(ctl("--json", *args, uid=uid)[0])


def call(method, params=None):
    return varlink(os.environ["DUTYD_SOCKET"], method, params)


def call_ok(method, params=None):
    m = call(method, params)
    if "error" in m:
        fail("%s: %s %s" % (method, m["error"], m.get("parameters")))
    return m["parameters"]


def show(frm, to):
    return call_ok("RosterShow", {"from": frm, "to": to})


def on(roster, date, post=None):
    """The slots of a day in a RosterShow reply (of one post)."""
    return [a for x in roster["days"] if x["day"]["date"] == date for a in x["assignments"]
            if post is None or a["post"] == post]


def holders(roster, date, post):
    return sorted(a["person"] for a in on(roster, date, post) if a.get("person"))


def rested(roster, people, dates):
    """People of the list with no duty on any of the dates, sorted."""
    busy = {a.get("person") for d in dates for a in on(roster, d)}
    return sorted(p for p in people if p not in busy)


def scenario_year(tmp):
    out = ctl_json("who", "now")
    expect((out["date"], out["assignments"]), ("2025-12-20", []), "who now before any roster")

    # What generation must respect: a declared absence and a locked manual assignment.
    ctl("unavailable", "add", "wangjg", "--from", "2026-03-09", "--to", "2026-03-15", "--reason", "学习培训")
    ctl("roster", "assign", "2026-05-20", "leader_on_call", "liuf", "--lock")

    gen = ctl_json("roster", "generate", "--from", "2026-01-01", "--to", "2026-12-31")
    expect((gen["stored"], gen["filled"] + gen["empty"], gen["empty"]), (True, len(gen["assignments"]), 0),
           "generate reply")

    # Every hard rule on every day, from what dutyd now holds.
    roster = show("2026-01-01", "2026-12-31")
    people = ctl_json("people")["people"]
    unavailable = ctl_json("unavailable", "list")["items"]
    expect(len(unavailable), 1, "unavailability entries")
    checked, empty = check_constraints(roster, people, REST, unavailable)
    expect((checked, empty), (len(gen["assignments"]), 0), "slots checked")
    expect([(a["person"], a["locked"], a["source"]) for a in on(roster, "2026-05-20", "leader_on_call")],
           [("liuf", True, "manual")], "locked assignment kept")

    # Fairness: within each role, the duties of each category differ by at most one between the
    # people serving the whole year; the special days count among the holidays with their weight.
    stats = ctl_json("roster", "stats", "--year", "2026")
    spread = {(x["role"], x["category"]): x["spread"] for x in stats["spread"]}
    for role in ("leader", "officer"):
        for cat in ("workday", "weekend", "holiday"):
            if spread[(role, cat)] > 1:
                fail("spread of %s duties on %s days is %d" % (role, cat, spread[(role, cat)]))
    expect(sum(p["workday"] + p["weekend"] + p["holiday"] for p in stats["people"]), gen["filled"],
           "duties counted by the statistics")
    text = ctl("roster", "stats", "--year", "2026")[0]
    if "王建国" not in text:
        fail("stats table names nobody")

    # 2027 has no notice: refused naming the year, unless planned as ordinary days (then flagged).
    err = ctl("roster", "generate", "--from", "2027-01-01", "--to", "2027-01-31", rc=1)[1]
    if "2027" not in err:
        fail("generate over 2027 does not name the year: " + err)
    m = call("RosterGenerate", {"from": "2027-01-01", "to": "2027-01-31"})
    expect((m["error"], m["parameters"]["date"], m["parameters"]["year"]),
           ("io.dutyd.Duty.CalendarUnknown", "2027-01-01", 2027), "CalendarUnknown")
    expect(sum(len(x["assignments"]) for x in show("2027-01-01", "2027-01-31")["days"]), 0, "nothing stored for 2027")
    gen = ctl_json("roster", "generate", "--from", "2027-01-01", "--to", "2027-01-31", "--assume-ordinary")
    expect(len(gen["assignments"]) >= 62 and all(a["assume_ordinary"] for a in gen["assignments"]), True,
           "2027 slots flagged")
    expect(all(a["assume_ordinary"] and a["reason"] for x in show("2027-01-01", "2027-01-31")["days"]
               for a in x["assignments"]), True, "2027 slots stored flagged, with the reason")

    # The range is bounded.
    ctl("roster", "generate", "--from", "2026-01-01", "--to", "2027-03-01", "--assume-ordinary", rc=2)
    m = call("RosterGenerate", {"from": "2026-01-01", "to": "2027-03-01"})
    expect((m["error"], m["parameters"]["parameter"]), ("org.varlink.service.InvalidParameter", "to"),
           "generate over 425 days refused by dutyd")


def cmd_single_leader_config(path):
    s = open(path, encoding="utf-8").read()

    def demote(m):
        entry = m.group(0)
        if 'id = "zhangw"' in entry:
            return entry
        return entry.replace('"leader", "approver"', '"approver"').replace('"leader"', '"approver"')
    s = re.sub(r'\{ id = "[a-z]+";[^}]*\}', demote, s)
    s = s.replace("min_leaders_present = 5;", "min_leaders_present = 1;")
    open(path, "w", encoding="utf-8").write(s)


def scenario_single_leader(tmp):
    expect([p["id"] for p in ctl_json("people", "--role", "leader")["people"]], ["zhangw"], "one leader left")
    text = ctl("roster", "generate", "--from", "2026-03-02", "--to", "2026-03-15")[0]
    if "(empty: " not in text:
        fail("empty slots are not shown with their reason:\n" + text)
    roster = show("2026-03-02", "2026-03-15")
    checked, empty = check_constraints(roster, ctl_json("people")["people"], REST)
    expect((checked, empty), (28, 7), "slots and empty slots")
    expect(sorted({a["reason_code"] for x in roster["days"] for a in x["assignments"] if not a.get("person")}),
           ["too_few_eligible"], "reason of the empty slots (one leader cannot take every day)")


def scenario_holiday(tmp):
    # A member may not generate.
    err = ctl("roster", "holiday", "春节", "--year", "2026", uid=OFFICER_UID, rc=1)[1]
    if "ermission" not in err:
        fail("member generate: " + err)

    out = ctl_json("roster", "holiday", "春节", "--year", "2026")
    expect((out["holiday"], out["from"], out["to"], out["publish_by"], out["stored"]),
           ("春节", "2026-02-15", "2026-02-23", "2026-02-13", True), "holiday reply")

    # Exactly 2026-02-15 … 2026-02-23, every day with the holiday counts, every rule kept.
    wide = show("2026-02-01", "2026-03-10")
    expect(sorted(x["day"]["date"] for x in wide["days"] if x["assignments"]),
           ["2026-02-%02d" % i for i in range(15, 24)], "days filled")
    roster = show("2026-02-15", "2026-02-23")
    people = ctl_json("people")["people"]
    expect(check_constraints(roster, people, REST), (27, 0), "the 春节 roster")

    # The next holiday is the same run; a duty day starts at the handover.
    out = ctl_json("roster", "holiday", "--dry-run")
    expect((out["from"], out["to"], out["stored"]), ("2026-02-15", "2026-02-23", False), "next holiday")
    out = ctl_json("who", "2026-02-16T07:00")
    expect((out["date"], out["starts"], out["ends"], out["holiday"]),
           ("2026-02-15", "2026-02-15T08:30:00+08:00", "2026-02-16T08:30:00+08:00", "春节"), "who at 07:00 on the 16th")
    expect(sorted(a["person"] for a in out["assignments"] if a["post"] == "officer_on_duty"),
           holders(roster, "2026-02-15", "officer_on_duty"), "who lists the 15th's officers")
    expect(ctl_json("who", "2026-02-16T09:00")["date"], "2026-02-16", "who at 09:00 on the 16th")
    expect(ctl_json("who")["date"], "2026-01-20", "who now")
    if "值班员" not in ctl("who", "2026-02-16", uid=OFFICER_UID)[0]:
        fail("who table")
    ctl("who", "2026-02-16T25:00", rc=2)  # a usage error: dutyctl reads the instant itself

    # Manual changes: the rule is named; the leader of the 18th is replaced by a rested one, locked.
    leader = holders(roster, "2026-02-18", "leader_on_call")[0]
    before_leader = holders(roster, "2026-02-17", "leader_on_call")[0]
    spare = rested(roster, LEADERS, ["2026-02-17", "2026-02-18", "2026-02-19"])[0]
    m = call("RosterAssign", {"date": "2026-02-18", "post": "leader_on_call", "person": "wum"})
    expect((m["error"], m["parameters"]["rule"], m["parameters"]["date"]),
           ("io.dutyd.Duty.RuleViolation", "not_eligible", "2026-02-18"), "an officer as leader on call")
    m = call("RosterAssign", {"date": "2026-02-18", "post": "leader_on_call", "person": spare})
    expect(m["parameters"].get("rule"), "post_full", "a second leader on call")
    ctl("roster", "unassign", "2026-02-18", "leader_on_call", leader)
    m = call("RosterAssign", {"date": "2026-02-18", "post": "leader_on_call", "person": before_leader})
    expect(m["parameters"].get("rule"), "rest", "the leader of the day before")
    err = ctl("roster", "assign", "2026-01-19", "leader_on_call", spare, rc=1)[1]
    if "2026-01-19" not in err:
        fail("a past day is not named: " + err)
    out = ctl_json("roster", "assign", "2026-02-18", "leader_on_call", spare, "--lock")["assignment"]
    expect((out["person"], out["locked"], out["source"]), (spare, True, "manual"), "assign reply")

    # Generating again keeps the lock.
    ctl("roster", "holiday", "春节", "--year", "2026")
    roster = show("2026-02-15", "2026-02-23")
    expect([(a["person"], a["locked"]) for a in on(roster, "2026-02-18", "leader_on_call")], [(spare, True)],
           "locked assignment kept by regeneration")

    # Publish, change by hand (an amendment, once published), and the diff shows exactly that change.
    out = ctl_json("roster", "publish", "--from", "2026-02-15", "--to", "2026-02-23")
    expect((out["version"], out["empty"]), (1, 0), "publish reply")
    out = ctl_json("roster", "diff")
    expect((out["version"], out["changes"]), (1, []), "diff right after publishing")
    officers = [p["id"] for p in people if "officer" in p["roles"] and not p.get("active_from")]
    before = holders(roster, "2026-02-20", "officer_on_duty")[0]
    after = rested(roster, officers, ["2026-02-19", "2026-02-20", "2026-02-21"])[0]
    ctl("roster", "unassign", "2026-02-20", "officer_on_duty", before, "--amend", "--reason", "生病")
    ctl("roster", "assign", "2026-02-20", "officer_on_duty", after, "--amend", "--reason", "生病")
    out = ctl_json("roster", "diff", "1")
    expect([(c["date"], c["post"], c["before"], c["after"]) for c in out["changes"]],
           [("2026-02-20", "officer_on_duty", before, after)], "diff after a manual change")
    if "2026-02-20" not in ctl("roster", "diff")[0]:
        fail("diff table")
    ctl("roster", "diff", "9", rc=1)

    # A sensitive period raises the officers on regeneration.
    out = ctl_json("sensitive", "add", "春节安保", "--from", "2026-02-20", "--to", "2026-02-21",
                   "--extra-officers", "1", "--leave", "freeze")["period"]
    expect((out["origin"], out["leave"], out["extra_officers"]), ("runtime", "freeze", 1), "sensitive add reply")
    sid = out["id"]
    # 0.14: a run-time period has an integer number, a configured one its id in dutyd.conf.
    expect((type(sid), out["config_id"]), (int, None), "sensitive add: the number")
    expect(sorted((p["origin"], p["id"], p["config_id"]) for p in ctl_json("sensitive", "list")["periods"]),
           [("config", None, "county-congress-2026"), ("runtime", sid, None)], "sensitive list")
    ctl("roster", "holiday", "春节", "--year", "2026", "--amend", "--reason", "春节安保")
    roster = show("2026-02-15", "2026-02-23")
    expect((len(on(roster, "2026-02-20", "officer_on_duty")), len(on(roster, "2026-02-22", "officer_on_duty"))),
           (3, 2), "officers in and after the sensitive period")
    expect(check_constraints(roster, people, REST)[1], 0, "empty slots with the sensitive period")
    # A configured period has no number: dutyctl says where it is removed, without calling.
    if "dutyd.conf" not in ctl("sensitive", "remove", "county-congress-2026", rc=2)[1]:
        fail("sensitive remove of a configured period")
    ctl("sensitive", "remove", str(sid))
    ctl("sensitive", "remove", str(sid), rc=1)

    # Unavailability keeps a person off those days.
    out = ctl_json("unavailable", "add", "zhouxd", "--from", "2026-02-15", "--to", "2026-02-23", "--reason", "出差")
    uid = out["unavailability"]["id"]
    ctl("roster", "holiday", "春节", "--year", "2026", "--replace-manual", "--amend", "--reason", "出差")
    roster = show("2026-02-15", "2026-02-23")
    expect([x["day"]["date"] for x in roster["days"] for a in x["assignments"] if a.get("person") == "zhouxd"], [],
           "zhouxd kept off while unavailable")
    check_constraints(roster, people, REST, ctl_json("unavailable", "list", "--person", "zhouxd")["items"])
    if "出差" not in ctl("unavailable", "list", uid=OFFICER_UID)[0]:
        fail("unavailable list table")
    ctl("unavailable", "remove", str(uid), uid=OFFICER_UID, rc=1)
    ctl("unavailable", "remove", str(uid))
    ctl("unavailable", "add", "nobody", "--from", "2026-02-15", "--to", "2026-02-16", rc=1)

    # Members read the statistics.
    if "Holidays" not in ctl("roster", "stats", "--year", "2026", uid=OFFICER_UID)[0]:
        fail("stats table")


def main():
    cmd = sys.argv[1]
    args = sys.argv[2:]
    {"call": cmd_call, "calendar": cmd_calendar, "aligned": cmd_aligned, "constraints": cmd_constraints,
     "year": scenario_year, "single-leader-config": cmd_single_leader_config,
     "single-leader": scenario_single_leader, "holiday": scenario_holiday}[cmd](*args)


if __name__ == "__main__":
    main()
