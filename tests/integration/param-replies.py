#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The replies to a fixed series of calls, most of them with parameters dutyd refuses (121-param-replies.sh).

  param-replies.py SOCKET

Sends every call below on one connection, in the configured language and then in English, and
prints per call one line: the method, its parameters, the SHA-256 of the whole reply and the
reply's start. The expected output (param-replies.expected) was written by dutyd before its
handlers read their parameters by table: a reply that changes by one byte changes the line.
Combinations of wrong parameters check which one is named first.
"""
import hashlib
import re
import json
import socket
import sys

sock = sys.argv[1]
P = "io.dutyd.Duty."
calls = [
 ("Calendar", {}), ("Calendar", {"from": "2027-01-01"}), ("Calendar", {"from": "x", "to": "y"}),
 ("Calendar", {"from": "2027-01-05", "to": "2027-01-01"}), ("Calendar", {"from": "2027-01-01", "to": "2030-12-31"}),
 ("Calendar", {"from": "2027-01-01", "to": "2027-01-03"}), ("Calendar", {"from": None, "to": "2027-01-03"}),
 ("Who", {}), ("Who", {"at": "now"}), ("Who", {"at": "bad"}), ("Who", {"at": "2027-01-01T07:00"}), ("Who", {"at": "2027-01-01"}), ("Who", {"at": None}),
 ("Who", {"at": "2026-12-31T23:00:00Z"}), ("Who", {"at": "2027-01-01T09:00:00+08:00"}), ("Who", {"at": "2027-01-01T09:00+08:00"}),
 ("RosterGenerate", {"from": "2027-01-01", "to": "2026-01-01", "amend": True}),
 ("RosterGenerate", {"from": "2027-01-01", "to": "2028-12-01", "amend": True}),
 ("RosterGenerate", {"from": "2027-01-01", "to": "2027-01-10", "amend": True}),
 ("RosterGenerate", {"from": "2027-01-01", "to": "2027-01-10", "amend": True, "reason": ""}),
 ("RosterGenerate", {"from": "bad", "to": "bad", "amend": True}),
 ("RosterGenerate", {"from": "2027-01-01", "to": "2027-01-10", "dry_run": True}),
 ("RosterGenerate", {"from": "2027-01-01", "to": "2027-01-31"}),
 ("RosterHoliday", {"name": "", "year": 1}), ("RosterHoliday", {"year": 1, "amend": True}),
 ("RosterHoliday", {"name": "x" * 300}), ("RosterHoliday", {"name": "无此节", "dry_run": True}),
 ("RosterHoliday", {"amend": True}), ("RosterHoliday", {"dry_run": True}), ("RosterHoliday", {"name": "春节", "year": 2027, "dry_run": True}),
 ("RosterAssign", {"date": "bad", "post": "", "person": ""}), ("RosterAssign", {"date": "2027-01-05", "post": "", "person": ""}),
 ("RosterAssign", {"date": "2027-01-05", "post": "nopost", "person": ""}), ("RosterAssign", {"date": "2027-01-05", "post": "nopost", "person": "nobody", "amend": True}),
 ("RosterAssign", {"date": "2027-01-05", "post": "nopost", "person": "nobody"}),
 ("RosterAssign", {"date": "2027-01-05", "post": "officer_on_duty", "person": "nobody"}),
 ("RosterUnassign", {"date": "2027-01-05", "post": "", "person": "x"}), ("RosterUnassign", {"date": "2027-01-05", "post": "p", "person": "x", "amend": True, "reason": "r" * 300}),
 ("RosterUnassign", {"date": "2027-01-05", "post": "officer_on_duty", "person": "nobody"}),
 ("RosterShow", {"from": "2027-01-03", "to": "2027-01-01", "person": "nobody"}), ("RosterShow", {"from": "2027-01-01", "to": "2027-01-03", "person": "nobody"}),
 ("RosterShow", {"from": "2027-01-01", "to": "2027-01-02"}),
 ("RosterPublish", {"from": "2027-01-03", "to": "2027-01-01"}), ("RosterPublish", {"from": "2027-01-01", "to": "2027-01-05"}),
 ("RosterDiff", {"version": 0}), ("RosterDiff", {"version": 99}), ("RosterDiff", {}), ("RosterDiff", {"version": 2**40}),
 ("RosterStats", {"year": 1}), ("RosterStats", {"year": 2027}),
 ("RosterAmendments", {"from": "2027-01-01", "to": "2026-01-01"}), ("RosterAmendments", {"from": "2027-01-01", "to": "2027-01-31"}),
 ("SensitiveAdd", {"name": "", "from": "bad", "to": "bad", "extra_officers": -1, "leave": "zz"}),
 ("SensitiveAdd", {"name": "n", "from": "2027-03-01", "to": "2027-02-01", "extra_officers": -1, "leave": "zz"}),
 ("SensitiveAdd", {"name": "n", "from": "2027-03-01", "to": "2027-03-02", "extra_officers": -1, "leave": "zz"}),
 ("SensitiveAdd", {"name": "n", "from": "2027-03-01", "to": "2027-03-02", "extra_officers": 99, "leave": "zz"}),
 ("SensitiveAdd", {"name": "n", "from": "2027-03-01", "to": "2027-03-02", "leave": "zz"}),
 ("SensitiveAdd", {"name": "n", "from": "2027-03-01", "to": "2027-03-02"}),
 ("SensitiveList", {}), ("SensitiveRemove", {"id": ""}), ("SensitiveRemove", {"id": "nope"}), ("SensitiveRemove", {"id": 0}), ("SensitiveRemove", {"id": 999}),
 ("UnavailableAdd", {"person": "", "from": "2027-03-02", "to": "2027-03-01"}),
 ("UnavailableAdd", {"person": "x", "from": "2027-03-02", "to": "2027-03-01", "reason": "r" * 300}),
 ("UnavailableAdd", {"person": "x", "from": "2027-03-01", "to": "2027-03-02", "reason": "r" * 300}),
 ("UnavailableAdd", {"person": "nobody", "from": "2027-03-01", "to": "2027-03-02", "reason": ""}),
 ("UnavailableList", {"person": ""}), ("UnavailableList", {"person": "nobody"}), ("UnavailableList", {}),
 ("UnavailableRemove", {"id": 0}), ("UnavailableRemove", {"id": 12345}),
 ("LeaveCheck", {}), ("LeaveCheck", {"from": "bad", "to": "bad", "kind": "zz", "destination": "", "reason": ""}),
 ("LeaveCheck", {"from": "2027-02-01", "to": "bad", "kind": "zz"}),
 ("LeaveCheck", {"from": "2027-02-01", "to": "2027-02-02", "kind": "zz", "destination": ""}),
 ("LeaveCheck", {"from": "2027-02-01", "to": "2027-02-02", "destination": ""}),
 ("LeaveCheck", {"from": "2027-02-01", "to": "2027-02-02", "destination": "京", "reason": ""}),
 ("LeaveCheck", {"from": "2027-02-01", "to": "2027-02-02", "destination": "京", "reason": "r", "person": "nobody"}),
 ("LeaveCheck", {"from": "2027-02-01T09:00:00+08:00", "to": "2027-02-02T16:00:00Z", "destination": "京", "reason": "r", "person": "zhangw"}),
 ("LeaveCheck", {"from": "2027-02-01", "to": "2027-02-02", "destination": "京", "reason": "r", "person": "zhangw", "acting": "nobody"}),
 ("LeaveCheck", {"from": "2027-02-01", "to": "2027-02-02", "destination": "京", "reason": "r", "person": "zhangw", "phone": "", "acting": "", "out_of_town": False, "urgent": True}),
 ("LeaveRequest", {"from": "2027-02-01", "to": "2027-02-02", "destination": "京", "reason": "r", "person": "zhangw"}),
 ("LeaveApprove", {"id": 0}), ("LeaveApprove", {"id": 999}), ("LeaveReject", {"id": 999, "override": True}),
 ("LeaveCancel", {"id": -1}), ("LeaveCancel", {"id": 999}), ("LeaveReturn", {"id": 0, "at": "bad"}), ("LeaveReturn", {"id": 999, "at": "bad"}),
 ("LeaveReturn", {"id": 999, "at": "2027-02-02T10:00"}), ("LeaveReturn", {"id": 1}), ("LeavePaperwork", {"id": 999}),
 ("LeaveList", {"filter": "zz"}), ("LeaveList", {"filter": "pending", "person": "nobody"}), ("LeaveList", {}),
 ("LeaveShow", {"id": 0}), ("LeaveShow", {"id": 999}), ("LeaveShow", {"id": 1}),
 ("LeaveApprove", {"id": 1, "reason": "ok"}), ("LeaveApprove", {"id": 1}),
 ("SwapRequest", {"date": "bad", "with": ""}), ("SwapRequest", {"date": "2027-01-05", "with": ""}),
 ("SwapRequest", {"date": "2027-01-05", "with": "x", "their_date": "bad", "post": "nopost"}),
 ("SwapRequest", {"date": "2027-01-05", "with": "x", "post": "nopost", "reason": "r" * 2000}),
 ("SwapRequest", {"date": "2027-01-05", "with": "x", "reason": "r" * 2000}),
 ("SwapRequest", {"date": "2027-01-05", "with": "x", "reason": ""}),
 ("SwapCover", {"date": "2027-01-05", "by": ""}), ("SwapCover", {"date": "2027-01-05", "by": "nobody", "post": "nopost"}),
 ("SwapCover", {"date": "2027-01-05", "by": "nobody"}),
 ("SwapList", {}), ("SwapList", {"mine": True, "pending": True}), ("SwapShow", {"id": 0}), ("SwapShow", {"id": 999}),
 ("SwapAccept", {"id": 0}), ("SwapAccept", {"id": 999}), ("SwapDecline", {"id": 999, "reason": "n" * 2000}), ("SwapDecline", {"id": 0, "reason": "n" * 2000}),
 ("SwapDecline", {"id": 999, "reason": ""}), ("SwapApprove", {"id": 999}), ("SwapCancel", {"id": 999, "reason": "x"}),
 ("SwapDecline", {"id": 999, "note": "x"}),
 ("ListPeople", {"role": "zz"}), ("ListPeople", {"role": "leader"}), ("ListPeople", {"role": None}), ("Whoami", {}),
 ("Gaps", {"days": 0}), ("Gaps", {"days": 367}), ("Gaps", {"days": 7}),
 ("AuditList", {"since": "bad", "limit": 0}), ("AuditList", {"since": "2026-12-01", "limit": 0}),
 ("AuditList", {"limit": 3, "person": "nobody"}), ("AuditList", {"since": "2026-12-20T09:00", "limit": 5}), ("AuditList", {"since": "2026-12-20T01:00:00Z", "limit": 5}), ("AuditList", {}),
]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sock)
buf = b""
for lang in (None, "en_US.UTF-8"):
    for m, p in calls:
        msg = {"method": P + m, "parameters": p}
        if lang:
            msg["language"] = lang
        s.sendall(json.dumps(msg).encode() + b"\0")
        while b"\0" not in buf:
            d = s.recv(65536)
            if not d:
                sys.exit("dutyd closed the connection")
            buf += d
        reply, buf = buf.split(b"\0", 1)
        # An audit row's time is the daemon's clock, which runs on from DUTYD_NOW: the seconds a
        # slow run (valgrind, a loaded machine) took are not part of the reply's meaning.
        reply = re.sub(rb'("at":"\d{4}-\d\d-\d\dT\d\d:\d\d):\d\d((?:[+-]\d\d:\d\d|Z)?)"', rb'\1:SS\2"', reply)
        print(lang or "-", m, json.dumps(p, ensure_ascii=False)[:60])
        print("  ", hashlib.sha256(reply).hexdigest()[:16], reply.decode()[:160])
