#!/usr/bin/env python3
"""trickle.py PORT SECONDS — issue 12, finding 3: slow senders must not lock others out.

Opens 1,100 connections that trickle a request one byte a second: ATTACK_FROM_ONE of them from
127.0.0.1, the rest spread over 127.0.0.3..127.0.0.38 (a botnet of many addresses), and
reconnects each one the server closes. Meanwhile a normal client on 127.0.0.2 asks
GET /healthz twice a second. Prints the figures; exits 1 if a normal request failed or took
longer than SLOW_S seconds, or if a trickling connection outlived the request deadline by far.
"""
import resource
import socket
import sys
import time

PORT, SECONDS = int(sys.argv[1]), float(sys.argv[2])
DEADLINE_S = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0  # the server's request_timeout
SOCKETS, ATTACK_FROM_ONE, SLOW_S = 1100, 600, 5.0
REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Trickle: " + b"a" * 4000

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))


class Trickler:
    def __init__(self, src):
        self.src, self.sock, self.sent, self.opened = src, None, 0, 0.0

    def connect(self, now):
        s = socket.socket()
        s.setblocking(False)
        s.bind((self.src, 0))
        try:
            s.connect(("127.0.0.1", PORT))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            return
        self.sock, self.sent, self.opened = s, 0, now

    def tick(self, now, stats):
        if self.sock is None:
            self.connect(now)
            return
        try:
            if self.sock.recv(1, socket.MSG_PEEK) == b"":
                raise ConnectionResetError
        except BlockingIOError:
            pass
        except OSError:
            stats["closed"] += 1
            stats["longest"] = max(stats["longest"], now - self.opened)
            self.sock.close()
            self.sock = None
            return
        try:
            self.sent += self.sock.send(REQUEST[self.sent:self.sent + 1])
        except (BlockingIOError, OSError):
            pass


def normal_request():
    t0 = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", PORT), timeout=SLOW_S * 2,
                                     source_address=("127.0.0.2", 0))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            b = s.recv(4096)
            if not b:
                break
            data += b
        s.close()
        ok = data.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return ok, time.monotonic() - t0


srcs = ["127.0.0.1"] * ATTACK_FROM_ONE + [
    "127.0.0.%d" % (3 + i % 36) for i in range(SOCKETS - ATTACK_FROM_ONE)]
tricklers = [Trickler(a) for a in srcs]
stats = {"closed": 0, "longest": 0.0}
lat, failed = [], 0
start = time.monotonic()
step = 0
while time.monotonic() - start < SECONDS:
    t_step = time.monotonic()
    if step % 2 == 0:  # one byte a second on each trickling connection
        for t in tricklers:
            t.tick(t_step, stats)
    if step >= 4:  # the normal client, twice a second once the attack is under way
        ok, dt = normal_request()
        lat.append(dt)
        failed += not ok or dt > SLOW_S
    step += 1
    time.sleep(max(0.0, 0.5 - (time.monotonic() - t_step)))
alive = sum(t.sock is not None for t in tricklers)
lat.sort()
p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else (lambda q: -1)
print("trickle: %d sockets (%d from one address), %.0f s: %d normal requests, %d failed or "
      "slower than %.0f s, latency p50 %.0f ms, p99 %.0f ms, max %.0f ms; the server closed %d "
      "trickling connections, the longest after %.1f s; %d open at the end"
      % (SOCKETS, ATTACK_FROM_ONE, SECONDS, len(lat), failed, SLOW_S, p(0.5), p(0.99),
         lat[-1] * 1000 if lat else -1, stats["closed"], stats["longest"], alive))
bad = failed or not lat or stats["longest"] > DEADLINE_S + 3
sys.exit(1 if bad else 0)
