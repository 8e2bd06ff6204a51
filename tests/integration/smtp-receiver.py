#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An SMTP receiver on loopback for the mail scenario (164), aiosmtpd's controller.

    smtp-receiver.py PORTFILE LOG [CODE…]

Listens on 127.0.0.1 on a free port (written to PORTFILE once listening) and appends every message
offered at DATA as one JSON line to LOG: the envelope (MAIL FROM, RCPT TO), the headers as sent,
the subject decoded (RFC 2047), the body decoded, the transfer encoding and the code answered.
The CODE arguments are answered to the first messages in order (e.g. 451), 250 to the rest.

With SMTP_TLS=starttls or SMTP_TLS=implicit and SMTP_CERT, SMTP_KEY (PEM files) in the
environment, it offers STARTTLS and requires it before MAIL, or speaks TLS from the start (smtps);
each line then says whether the message came over TLS ("tls")."""
import email
import email.header
import email.policy
import json
import os
import socket
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller

portfile, log = sys.argv[1], sys.argv[2]
codes = [int(c) for c in sys.argv[3:]]
lock = threading.Lock()


class Handler:
    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
        subject = str(email.header.make_header(email.header.decode_header(msg.get("Subject", ""))))
        body = msg.get_payload(decode=True).decode("utf-8")
        with lock:
            code = codes.pop(0) if codes else 250
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "raw_subject": msg.get("Subject"),
                    "subject": subject,
                    "from": msg.get("From"),
                    "to": msg.get("To"),
                    "date": msg.get("Date"),
                    "message_id": msg.get("Message-ID"),
                    "notification": msg.get("X-Dutyd-Notification"),
                    "kind": msg.get("X-Dutyd-Kind"),
                    "content_type": msg.get("Content-Type"),
                    "encoding": msg.get("Content-Transfer-Encoding"),
                    "body": body,
                    "code": code,
                    "tls": bool(session.ssl) or server.transport.get_extra_info("ssl_object") is not None,
                }, ensure_ascii=False) + "\n")
        if code == 250:
            return "250 OK"
        return "%d 4.3.0 try again later" % code


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
mode = os.environ.get("SMTP_TLS", "")
kwargs = {}
if mode:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.environ["SMTP_CERT"], os.environ["SMTP_KEY"])
    if mode == "starttls":
        kwargs = {"tls_context": context, "require_starttls": True}
    elif mode == "implicit":
        kwargs = {"ssl_context": context}
    else:
        sys.exit("SMTP_TLS is neither starttls nor implicit")
controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
with open(portfile + ".tmp", "w") as f:
    f.write(str(port))
os.rename(portfile + ".tmp", portfile)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
