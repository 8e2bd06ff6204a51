#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A command hook for the notification scenarios: appends what dutyd gave it (the JSON on stdin
and the DUTY_NOTIFY_* environment) as one JSON line to the file named by $NOTIFY_HOOK_LOG baked
into its copy (see notify-lib.sh), and exits with the status in LOG.exit if present, else 0."""
import json
import os
import sys

log = "@LOG@"
data = sys.stdin.read()
env = {k: v for k, v in os.environ.items() if k.startswith("DUTY_NOTIFY_")}
try:
    stdin = json.loads(data)
except ValueError:
    stdin = data
line = json.dumps({"env": env, "stdin": stdin}, ensure_ascii=False) + "\n"
fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
os.write(fd, line.encode())
os.close(fd)
try:
    with open(log + ".exit") as f:
        sys.exit(int(f.read().strip()))
except (OSError, ValueError):
    sys.exit(0)
