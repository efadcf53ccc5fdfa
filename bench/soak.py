#!/usr/bin/env python3
"""soak.py CCHC DB SECONDS KILL_EVERY — a bounded soak of `cchc serve` on 127.0.0.1: mixed
reads and writes from 4 client threads for SECONDS, the server killed with SIGKILL and
restarted every KILL_EVERY seconds. Prints per 10 s: requests, errors (connection refused
while the server restarts is counted apart), p50/p99 latency and the server's RSS; at the end
the acknowledged writes (201 with a code) and how many of them the database lacks (must be
0), and `cchc audit verify`. bench/soak.sh prepares the database and runs it."""
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

CCHC, DB, SECONDS, KILL_EVERY = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
PASS = "mat-khau-thu-nghiem"
portfile = DB + ".port"
lock = threading.Lock()
state = {"port": None, "pid": None, "restarts": 0}
acked, samples, errors, refused = [], [], [0], [0]  # samples: (t, seconds)
rss = []  # (t, kB)
stop = threading.Event()
T0 = time.monotonic()


def start_server():
    if os.path.exists(portfile):
        os.unlink(portfile)
    p = subprocess.Popen([CCHC, "serve", "--db", DB, "--port", "0", "--port-file", portfile,
                          "--slow-ms", "0", "--threads", "2"],
                         stdout=subprocess.DEVNULL, stderr=open(DB + ".server.log", "a"))
    for _ in range(200):
        if os.path.exists(portfile) and open(portfile).read().strip():
            break
        time.sleep(0.05)
    with lock:
        state["port"], state["pid"] = int(open(portfile).read()), p
    return p


def request(method, path, body=None, cookie=None, csrf=None):
    with lock:
        port = state["port"]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    h = {"Content-Type": "application/json"}
    if cookie:
        h["Cookie"] = cookie
    if csrf:
        h["X-CSRF-Token"] = csrf
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data, r.getheader("Set-Cookie")


def client(n, cookie, csrf):
    i = 0
    while not stop.is_set():
        i += 1
        write = i % 3 == 0
        t = time.monotonic()
        try:
            if write:
                st, data, _ = request("POST", "/api/dossiers",
                                      {"unit": "P.A", "procedure": "9.000001",
                                       "applicant_name": "Người thử %d-%d" % (n, i),
                                       # a new day every 1,000 writes per client: at most
                                       # 9,999 dossiers a unit and day (the code's sequence)
                                       "at": "2025-09-%02dT08:00" % (1 + i // 1000 % 28)},
                                      cookie, csrf)
                if st == 201:
                    with lock:
                        acked.append(json.loads(data)["code"])
                elif st != 409:
                    with lock:
                        errors[0] += 1
            else:
                st, _, _ = request("GET", "/api/dossiers?limit=20" if i % 2 else "/api/units",
                                   None, cookie)
                if st != 200:
                    with lock:
                        errors[0] += 1
            with lock:
                samples.append((t - T0, time.monotonic() - t))
        except (OSError, http.client.HTTPException):
            with lock:
                refused[0] += 1
            time.sleep(0.05)


def session():
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", state["port"], timeout=10)
            c.request("POST", "/api/session", body=json.dumps({"username": "desk_a", "password": PASS}),
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            body = json.loads(r.read())
            cookies = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
            return "; ".join(cookies), body["csrf"]
        except OSError:
            time.sleep(0.1)


proc = start_server()
cookie, csrf = session()
threads = [threading.Thread(target=client, args=(n, cookie, csrf)) for n in range(4)]
for th in threads:
    th.start()
next_kill = KILL_EVERY
while time.monotonic() - T0 < SECONDS:
    time.sleep(1)
    now = time.monotonic() - T0
    try:
        with open("/proc/%d/status" % proc.pid) as f:
            kb = int(next(l for l in f if l.startswith("VmRSS")).split()[1])
        rss.append((now, kb))
    except (OSError, StopIteration):
        pass
    if now >= next_kill and now < SECONDS - 5:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state["restarts"] += 1
        proc = start_server()
        next_kill += KILL_EVERY
stop.set()
for th in threads:
    th.join()
proc.terminate()
proc.wait()

# what the database holds
codes = set(subprocess.run(["sqlite3", DB, "SELECT code FROM dossiers"], capture_output=True,
                           text=True).stdout.split())
lost = [c for c in acked if c not in codes]
audit = subprocess.run([CCHC, "audit", "verify", "--db", DB], capture_output=True, text=True)
print("soak: %.0f s, kill -9 and restart every %.0f s (%d restarts), 4 clients, 1 write in 3"
      % (SECONDS, KILL_EVERY, state["restarts"]))
print("%6s %8s %8s %8s %9s" % ("t (s)", "requests", "p50 ms", "p99 ms", "RSS MiB"))
for b in range(0, int(SECONDS), 10):
    lat = sorted(d for t, d in samples if b <= t < b + 10)
    r = [k for t, k in rss if b <= t < b + 10]
    if not lat:
        continue
    print("%6d %8d %8.1f %8.1f %9.1f" % (b, len(lat), lat[len(lat) // 2] * 1000,
                                        lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
                                        (max(r) / 1024) if r else -1))
print("acknowledged writes: %d; lost: %d; other errors: %d; requests refused during restarts: %d"
      % (len(acked), len(lost), errors[0], refused[0]))
print("audit verify: %s" % (audit.stdout.strip() or audit.stderr.strip()))
sys.exit(1 if lost or audit.returncode else 0)
