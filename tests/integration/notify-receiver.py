#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A webhook receiver on loopback for the notification scenarios (160-166).

    notify-receiver.py PORTFILE LOG [STATUS…]

Listens on 127.0.0.1 on a free port (written to PORTFILE once listening) and appends every POST
as one JSON line to LOG: path, the Idempotency-Key and X-Dutyd-Notification headers, the body
parsed as JSON, and the status answered. The STATUS arguments are answered to the first POSTs in
order (e.g. 500 500 500), 200 to the rest; a file LOG.status, when present, holds a status
answered to every POST instead (a receiver that is down, as the scenario decides)."""
import http.server
import json
import os
import sys
import threading

portfile, log = sys.argv[1], sys.argv[2]
statuses = [int(s) for s in sys.argv[3:]]
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        with lock:
            try:
                with open(log + ".status") as f:
                    status = int(f.read().strip())
            except (OSError, ValueError):
                status = statuses.pop(0) if statuses else 200
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({
                    "path": self.path,
                    "key": self.headers.get("Idempotency-Key"),
                    "header_id": self.headers.get("X-Dutyd-Notification"),
                    "content_type": self.headers.get("Content-Type"),
                    "body": body,
                    "status": status,
                }, ensure_ascii=False) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
tmp = portfile + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, portfile)
server.serve_forever()
