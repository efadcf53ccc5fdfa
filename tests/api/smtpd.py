#!/usr/bin/env python3
"""smtpd.py — a fake SMTP server on 127.0.0.1 for the notification tests (Debian's
python3-aiosmtpd): every message received is appended to LOG_FILE as one JSON line with its
envelope, Message-ID, X-Cchc-Message-Id, decoded Subject and decoded body.
Usage: smtpd.py PORT_FILE LOG_FILE"""
import asyncio
import email
import email.header
import email.policy
import json
import os
import socket
import sys

from aiosmtpd.controller import Controller

port_file, log_file = sys.argv[1:3]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        rec = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "message_id": msg["Message-ID"],
            "cchc_id": msg["X-Cchc-Message-Id"],
            "subject": str(msg["Subject"]),
            "body": msg.get_content(),
        }
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return "250 OK"


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
ctl = Controller(Handler(), hostname="127.0.0.1", port=port)
ctl.start()
with open(port_file + ".tmp", "w") as f:
    f.write(str(port))
os.rename(port_file + ".tmp", port_file)
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
