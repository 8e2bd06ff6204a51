#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The authorization matrix of 050-authz.sh.

  authz.py describe SOCKET            every method the daemon serves (read from
                                      org.varlink.service.GetInterfaceDescription), each with the
                                      smallest parameters its interface accepts, as JSON
  authz.py call SOCKET METHODS.json   calls each of them as the current uid: JSON {method: outcome}
  authz.py check MATRIX METHODS.json ROLE=OUTCOMES.json…
                                      compares the outcomes with the expected matrix

An outcome is "deny" when the call is refused by the access level — io.dutyd.Duty.PermissionDenied
without a "reason" (the reason is what a handler adds when the method is allowed but the record is
not the caller's) — and "allow" for any other answer. Parameters are generated from the interface
so that they pass its validation, which runs before authorization would be reached otherwise.
"""
import json
import re
import socket
import sys

SERVICE = "org.varlink.service"
PERMISSION_DENIED = "io.dutyd.Duty.PermissionDenied"


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(path)
        self.buf = b""

    def call(self, method, params=None):
        msg = {"method": method}
        if params is not None:
            msg["parameters"] = params
        self.sock.sendall(json.dumps(msg).encode() + b"\0")
        while b"\0" not in self.buf:
            data = self.sock.recv(1 << 20)
            if not data:
                raise ConnectionError(f"{method}: the daemon closed the connection")
            self.buf += data
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)


# ---- A small reader of the Varlink interface definition language ----

def tokens(text):
    text = re.sub(r"#[^\n]*", "", text)
    return re.findall(r"->|\?|\[\]|\[string\]|[(),:]|[A-Za-z_][A-Za-z0-9_.]*", text)


class Parser:
    def __init__(self, text):
        self.t = tokens(text)
        self.i = 0
        self.types, self.methods = {}, {}
        self.interface = None

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, expect=None):
        tok = self.t[self.i]
        if expect is not None and tok != expect:
            raise ValueError(f"expected {expect!r}, got {tok!r} at token {self.i}")
        self.i += 1
        return tok

    def type_(self):
        tok = self.peek()
        if tok == "?":
            self.take()
            return ("optional", self.type_())
        if tok == "[]":
            self.take()
            return ("array", self.type_())
        if tok == "[string]":
            self.take()
            return ("map", self.type_())
        if tok == "(":
            return self.struct_or_enum()
        return ("name", self.take())

    def struct_or_enum(self):
        self.take("(")
        fields, names = [], []
        while self.peek() != ")":
            name = self.take()
            if self.peek() == ":":
                self.take()
                fields.append((name, self.type_()))
            else:
                names.append(name)
            if self.peek() == ",":
                self.take()
        self.take(")")
        if names and not fields:
            return ("enum", names)
        return ("struct", fields)

    def parse(self):
        while self.peek() is not None:
            kw = self.take()
            if kw == "interface":
                self.interface = self.take()
            elif kw == "type":
                name = self.take()
                self.types[name] = self.struct_or_enum()
            elif kw == "method":
                name = self.take()
                inp = self.struct_or_enum()
                self.take("->")
                self.struct_or_enum()
                self.methods[name] = inp
            elif kw == "error":
                self.take()
                self.struct_or_enum()
            else:
                raise ValueError(f"unexpected {kw!r}")
        return self

    def minimal(self, t, depth=0):
        """The smallest value of type t that the interface accepts."""
        kind = t[0]
        if depth > 20:
            raise ValueError("recursive type")
        if kind == "optional":
            return None
        if kind == "array":
            return []
        if kind == "map":
            return {}
        if kind == "enum":
            return t[1][0]
        if kind == "struct":
            return {n: self.minimal(ft, depth + 1) for n, ft in t[1] if ft[0] != "optional"}
        name = t[1]
        builtin = {"string": "x", "int": 1, "float": 1.0, "bool": False, "object": {}}
        if name in builtin:
            return builtin[name]
        return self.minimal(self.types[name], depth + 1)


def describe(sock):
    c = Client(sock)
    info = c.call(f"{SERVICE}.GetInfo")["parameters"]
    out = []
    for interface in info["interfaces"]:
        r = c.call(f"{SERVICE}.GetInterfaceDescription", {"interface": interface})
        p = Parser(r["parameters"]["description"]).parse()
        assert p.interface == interface, (p.interface, interface)
        for name, inp in p.methods.items():
            out.append({"method": f"{interface}.{name}", "parameters": p.minimal(inp)})
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)


def call(sock, methods_file):
    methods = json.load(open(methods_file, encoding="utf-8"))
    result = {}
    for m in methods:
        # One connection per call, so that a call that ends its connection cannot hide the next.
        r = Client(sock).call(m["method"], m["parameters"])
        err = r.get("error")
        denied = err == PERMISSION_DENIED and "reason" not in r.get("parameters", {})
        result[m["method"]] = {"outcome": "deny" if denied else "allow", "answer": err or "reply"}
    json.dump(result, sys.stdout, indent=1)


def check(matrix_file, methods_file, role_files):
    methods = [m["method"] for m in json.load(open(methods_file, encoding="utf-8"))]
    roles, outcomes = [], {}
    for arg in role_files:
        role, path = arg.split("=", 1)
        roles.append(role)
        outcomes[role] = json.load(open(path))

    expected, header = {}, None
    for line in open(matrix_file, encoding="utf-8"):
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        if header is None:
            header = line[1:]
            continue
        if len(line) != len(header) + 1 or any(c not in "+-" for c in line[1:]):
            raise SystemExit(f"bad matrix line: {' '.join(line)}")
        expected[line[0]] = dict(zip(header, ("allow" if c == "+" else "deny" for c in line[1:])))
    if header != roles:
        raise SystemExit(f"matrix columns {header} differ from the roles run {roles}")

    problems = []
    for m in methods:
        short = m[len("io.dutyd.Duty."):] if m.startswith("io.dutyd.Duty.") else m
        row = expected.get(short, expected.get(m))
        if row is None:
            problems.append(f"{m}: served by the daemon but missing from the expected matrix")
            continue
        for role in roles:
            got = outcomes[role].get(m)
            if got is None:
                problems.append(f"{m} × {role}: not called")
            elif got["outcome"] != row[role]:
                problems.append(f"{m} × {role}: expected {row[role]}, got {got['outcome']} ({got['answer']})")
    served = {m[len("io.dutyd.Duty."):] if m.startswith("io.dutyd.Duty.") else m for m in methods}
    for name in expected:
        if name not in served:
            problems.append(f"{name}: in the expected matrix but not served by the daemon")

    cells = len(methods) * len(roles)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(f"{len(problems)} of {cells} cells wrong")
    print(f"{len(methods)} methods × {len(roles)} roles = {cells} cells as expected")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "describe":
        describe(sys.argv[2])
    elif cmd == "call":
        call(sys.argv[2], sys.argv[3])
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        raise SystemExit(f"unknown command {cmd}")
