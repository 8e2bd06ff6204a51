#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes journal export format (what systemd-journal-remote reads on stdin) of the entries an
# office's dutyd sends its superior office, with the fields of issue #19's contract:
#
#   office-entries.py roster OFFICE NAME KEY VERSION STATE WRITTEN [HOLIDAY FROM TO]
#   office-entries.py away OFFICE NAME LEAVE_ID VERSION STATE WRITTEN FROM TO DESTINATION
#   office-entries.py gap OFFICE GAP_ID EVENT WRITTEN
#
# WRITTEN is the office's local time "YYYY-MM-DDTHH:MM" (Asia/Shanghai): the entry's
# __REALTIME_TIMESTAMP. Several commands can be given separated by "--".
import datetime
import json
import sys
import zoneinfo

REPORT = "c0875f3e98c0419ab99d67d11bde714e"
GAP_UNFILLED = "7c0d749ad4d843b981b3cf89322cf9f2"
GAP_RESOLVED = "bfb57ecee2444175809f85ccdcb72def"
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def usec(local):
    t = datetime.datetime.strptime(local, "%Y-%m-%dT%H:%M").replace(tzinfo=TZ)
    return int(t.timestamp()) * 1000000


def stamp(local):
    return datetime.datetime.strptime(local, "%Y-%m-%dT%H:%M").replace(tzinfo=TZ).isoformat()


def days(first, last):
    d = datetime.date.fromisoformat(first)
    while d <= datetime.date.fromisoformat(last):
        yield d.isoformat()
        d += datetime.timedelta(days=1)


def entry(fields):
    out = []
    for k, v in fields:
        v = str(v)
        assert "\n" not in v
        out.append(f"{k}={v}")
    return "\n".join(out) + "\n\n"


def roster(office, name, key, version, state, written, holiday="国庆节", first="2026-10-01", last="2026-10-07"):
    payload = {
        "schema": 1, "office": office, "office_name": name, "office_phone": "0371-6000" + office[-1:],
        "kind": "roster", "key": key, "holiday": {"name": holiday, "from": first, "to": last},
        "version": int(version), "state": state, "published": stamp(written),
        "days": [{"date": d, "leader": {"id": "lead", "name": f"{name}领导{i + 1}", "phone": f"1390000{i:04d}"},
                  "officers": [{"id": "off", "name": f"{name}值班员{i + 1}", "phone": None}],
                  "duty_phone": "0371-6000" + office[-1:]}
                 for i, d in enumerate(days(first, last))],
    }
    return entry([
        ("__REALTIME_TIMESTAMP", usec(written)),
        ("MESSAGE_ID", REPORT), ("PRIORITY", 6), ("SYSLOG_IDENTIFIER", "dutyd"),
        ("MESSAGE", f"值班表已报送：{holiday} {first}至{last} 第{version}版"),
        ("DUTY_OFFICE", office), ("DUTY_OFFICE_NAME", name), ("DUTY_REPORT_KIND", "roster"),
        ("DUTY_REPORT_KEY", key), ("DUTY_REPORT_VERSION", version), ("DUTY_REPORT_STATE", state),
        ("DUTY_REPORT_FROM", first), ("DUTY_REPORT_TO", last),
        ("DUTY_REPORT_JSON", json.dumps(payload, ensure_ascii=False, separators=(",", ":"))),
    ])


def away(office, name, leave_id, version, state, written, first, last, destination):
    payload = {
        "schema": 1, "office": office, "office_name": name, "kind": "away", "key": f"leave-{leave_id}",
        "leave_id": int(leave_id), "version": int(version), "state": state,
        "person": {"id": "shuji", "name": f"{name}书记", "title": "书记", "phone": "13900001111"},
        "destination": destination, "reason": "参加会议", "start": f"{first} 上午", "end": f"{last} 下午",
        "half_days": 6, "acting": {"id": "fushuji", "name": f"{name}副书记"}, "reported": stamp(written),
    }
    return entry([
        ("__REALTIME_TIMESTAMP", usec(written)),
        ("MESSAGE_ID", REPORT), ("PRIORITY", 6), ("SYSLOG_IDENTIFIER", "dutyd"),
        ("MESSAGE", f"外出报备：{name}书记 {first}至{last} {destination}"),
        ("DUTY_OFFICE", office), ("DUTY_OFFICE_NAME", name), ("DUTY_REPORT_KIND", "away"),
        ("DUTY_REPORT_KEY", f"leave-{leave_id}"), ("DUTY_REPORT_VERSION", version), ("DUTY_REPORT_STATE", state),
        ("DUTY_REPORT_FROM", first), ("DUTY_REPORT_TO", last),
        ("DUTY_REPORT_JSON", json.dumps(payload, ensure_ascii=False, separators=(",", ":"))),
    ])


def gap(office, gap_id, event, written):
    return entry([
        ("__REALTIME_TIMESTAMP", usec(written)),
        ("MESSAGE_ID", GAP_RESOLVED if event == "resolved" else GAP_UNFILLED), ("PRIORITY", 3),
        ("SYSLOG_IDENTIFIER", "dutyd"), ("MESSAGE", f"gap {gap_id} {event}"), ("DUTY_OFFICE", office),
        ("DUTY_GAP_ID", gap_id), ("DUTY_GAP_KIND", "unfilled"), ("DUTY_GAP_EVENT", event),
    ])


def main(argv):
    commands = {"roster": roster, "away": away, "gap": gap}
    out = []
    cmd = []
    for a in argv + ["--"]:
        if a != "--":
            cmd.append(a)
            continue
        if cmd:
            out.append(commands[cmd[0]](*cmd[1:]))
        cmd = []
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
