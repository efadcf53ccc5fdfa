#!/usr/bin/env python3
"""gateway.py — a stand-in SMS / Zalo OA gateway for the notification tests: accepts
POST {msg_id, to, event, text} with Authorization: Bearer TOKEN and appends the JSON to a
file, one line per message. Answers 401 for a wrong token, 400 for a recipient ending in
"00" (a permanent refusal) and 503 for one ending in "99" (a passing failure); --delay S
makes each answer slow (the kill -9 test stops cchc while a message is in flight).
Usage: gateway.py PORT_FILE LOG_FILE TOKEN [--delay S]"""
import http.server
import json
import sys
import time

port_file, log_file, token = sys.argv[1:4]
delay = float(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--delay" else 0.0


class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if self.headers.get("Authorization") != "Bearer " + token:
            return self.answer(401)
        msg = json.loads(body)
        if msg["to"].endswith("00"):
            return self.answer(400)
        if msg["to"].endswith("99"):
            return self.answer(503)
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(json.dumps(msg, ensure_ascii=False) + "\n")
        time.sleep(delay)
        self.answer(200)

    def answer(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os

os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
