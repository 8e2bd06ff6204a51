#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A stand-in for dutyd, for 090-errors.sh: it answers every call with one error of the interface.

  errors-server.py IDL SOCKET CONTROL   serves SOCKET until killed; each call is answered with the
                                        error named in the file CONTROL (read at every call), its
                                        parameters made up from the error's declaration in IDL (or,
                                        for org.varlink.service errors, from their standard form).
                                        "org.varlink.service.InvalidParameter=NAME" names
                                        the parameter NAME; without it, each parameter of the
                                        call in turn. Every call it receives is appended to
                                        CONTROL + ".calls".
  errors-server.py IDL --list           prints every error the CLI may receive, one per line: the
                                        interface's own, then the org.varlink.service ones.
"""
import json
import os
import re
import socket
import sys

SERVICE_ERRORS = {
    "org.varlink.service.InvalidParameter": {"parameter": "to"},
    "org.varlink.service.MethodNotFound": {"method": "io.dutyd.Duty.Something"},
    "org.varlink.service.MethodNotImplemented": {"method": "io.dutyd.Duty.Something"},
    "org.varlink.service.InterfaceNotFound": {"interface": "io.dutyd.Duty"},
    "org.varlink.service.ExpectedMore": {},
}


def interface_errors(idl_path):
    """{full error name: parameters} from the error declarations of the IDL."""
    text = open(idl_path, encoding="utf-8").read()
    name = re.search(r"^interface\s+(\S+)", text, re.M).group(1)
    errors = {}
    for m in re.finditer(r"^error\s+(\w+)\s*\((.*?)^\)", text, re.M | re.S):
        params = {}
        for field, typ in re.findall(r"^\s*(\w+)\s*:\s*(\??[\[\]\w]+)", m.group(2), re.M):
            if typ.startswith("?"):
                continue      # optional members are left out: the CLI must cope without them
            if typ == "string":
                params[field] = "一句话说明" if field == "message" else "x"
            elif typ == "int":
                params[field] = 1
            elif typ == "[]string":
                params[field] = ["/etc/dutyd/dutyd.conf:12: people: unknown setting"]
            elif typ.startswith("[]"):
                params[field] = [{"rule": "never_together", "severity": "block", "message": "一句话说明"}]
            else:
                params[field] = {}
        errors[f"{name}.{m.group(1)}"] = params
    # The same errors with their optional members too (e.g. PermissionDenied with its message).
    for m in re.finditer(r"^error\s+(\w+)\s*\((.*?)^\)", text, re.M | re.S):
        opt = dict(errors[f"{name}.{m.group(1)}"])
        for field, typ in re.findall(r"^\s*(\w+)\s*:\s*\?(string|int)", m.group(2), re.M):
            opt[field] = "一句话说明" if field == "message" else ("x" if typ == "string" else 1)
        if opt != errors[f"{name}.{m.group(1)}"]:
            errors[f"{name}.{m.group(1)}+optional"] = opt
    return errors


def all_errors(idl_path):
    errors = interface_errors(idl_path)
    errors.update(SERVICE_ERRORS)
    # An error a newer daemon may send that this dutyctl does not know.
    errors["io.dutyd.Duty.SomethingNew"] = {"limit": 7}
    return errors


def serve(idl_path, sock_path, control):
    errors = all_errors(idl_path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(16)
    counts = {}
    while True:
        conn, _ = srv.accept()
        buf = b""
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                buf += data
                while b"\0" in buf:
                    msg, buf = buf.split(b"\0", 1)
                    call = json.loads(msg)
                    with open(control + ".calls", "a") as f:
                        f.write(json.dumps(call, ensure_ascii=False) + "\n")
                    key = open(control).read().strip()
                    key, _, fixed = key.partition("=")
                    params = dict(errors[key])
                    if fixed:
                        params["parameter"] = fixed
                    elif key == "org.varlink.service.InvalidParameter":
                        # Each parameter the method was given, in turn over the calls of the method.
                        given = sorted((call.get("parameters") or {}).keys()) or ["to"]
                        n = counts.get(call["method"], 0)
                        counts[call["method"]] = n + 1
                        params["parameter"] = given[n % len(given)]
                    reply = {"error": key.split("+")[0], "parameters": params}
                    conn.sendall(json.dumps(reply, ensure_ascii=False).encode() + b"\0")


if __name__ == "__main__":
    if sys.argv[2] == "--list":
        print("\n".join(all_errors(sys.argv[1])))
    else:
        serve(sys.argv[1], sys.argv[2], sys.argv[3])
