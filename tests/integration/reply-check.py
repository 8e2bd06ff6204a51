#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Holds dutyctl's --json output and the man pages to the interface, for 091-json-limits.sh.

  reply-check.py IDL METHOD FILE   FILE is METHOD's reply object: a JSON object whose members are
                                   among the method's output fields, every required one there
  reply-check.py IDL --limits MAN  every limit the interface states ("at most N days long", audit's
                                   "at most N" rows, the gap horizon's "at most N") is the one the
                                   man page gives beside the same option
"""
import json
import re
import sys


def method_outputs(idl, method):
    start = re.search(r"^method\s+%s\s*\(" % re.escape(method), idl, re.M)
    if not start:
        sys.exit(f"no method {method} in the interface")
    rest = idl[start.start():]
    rest = rest[:re.search(r"^(method|type|error)\s", rest[1:], re.M).start() + 1] if re.search(
        r"^(method|type|error)\s", rest[1:], re.M) else rest
    m = re.search(r"->\s*\((.*)^\)", rest, re.M | re.S)
    if not m:
        # A method without output fields: "-> ()".
        return {}, set()
    fields = {}
    depth = 0
    for line in m.group(1).splitlines():
        s = line.strip()
        if s.startswith("#") or not s:
            continue
        if depth == 0:
            f = re.match(r"(\w+)\s*:\s*(\??)", s)
            if f:
                fields[f.group(1)] = f.group(2) != "?"
        depth += s.count("(") - s.count(")")
    return fields, {k for k, req in fields.items() if req}


def check_reply(idl_path, method, path):
    idl = open(idl_path, encoding="utf-8").read()
    fields, required = method_outputs(idl, method)
    try:
        d = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        sys.exit(f"{method}: not JSON: {e}")
    if not isinstance(d, dict):
        sys.exit(f"{method}: the output is a {type(d).__name__}, not the reply object")
    extra = set(d) - set(fields)
    missing = required - set(d)
    if extra or missing:
        sys.exit(f"{method}: members {sorted(d)}; not in the interface: {sorted(extra)}; "
                 f"missing: {sorted(missing)}")


def check_limits(idl_path, man_path):
    idl = open(idl_path, encoding="utf-8").read()
    man = open(man_path, encoding="utf-8").read().replace("\\-", "-")
    problems = []

    def idl_limit(pattern):
        m = re.search(pattern, idl, re.S)
        if not m:
            problems.append(f"the interface states no limit matching {pattern!r}")
            return None
        return m.group(1)

    def man_says(number, context):
        if not re.search(context % number, man, re.S):
            problems.append(f"dutyctl(1) does not give {number} for {context % number!r}")

    limit = idl_limit(r"method AuditList\(.*?default 100, at most (\d+)")
    man_says(limit, r"--limit.{0,200}?at most %s\b")
    if re.search(r"--limit.{0,200}?at most (?!%s\b)\d+" % limit, man, re.S):
        problems.append("dutyctl(1) gives another maximum for audit --limit")
    horizon = idl_limit(r"method Gaps\(.*?at most (\d+)\)")
    man_says(horizon, r"--days.{0,300}?%s\b")
    view = idl_limit(r"method RosterShow\(.*?at most (\d+) days long")
    man_says(view, r"%s days")
    generate = idl_limit(r"method RosterGenerate\(.*?at most (\d+) days long")
    man_says(generate, r"%s days")
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    if sys.argv[2] == "--limits":
        check_limits(sys.argv[1], sys.argv[3])
    else:
        check_reply(sys.argv[1], sys.argv[2], sys.argv[3])
