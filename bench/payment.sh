#!/usr/bin/env bash
# bench/payment.sh — provider callbacks settled per second over HTTP (docs/payment.md): N
# dossiers with a fixed fee, a payment started for each through the citizen route (the
# built-in test provider creates them), then the provider's signed "paid" callbacks sent one
# after another on one keep-alive connection; each settles a payment in one transaction (state,
# receipt number, the dossier's fee_paid_online with its hash-chained event, the counters).
# Same-run baselines: the same callbacks replayed (signature checked, payment read, nothing
# written) and the citizen lookup (POST /api/lookup) of the same dossiers. Prints figures and
# ratios; asserts nothing.
# Usage: bash bench/payment.sh PATH_TO_cchc [N, default 200] [DB URL, default a new SQLite file]
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/payment.sh PATH_TO_cchc [N] [DB]}")
N=${2:-200}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CCHC_DATA=$ROOT/data CCHC_BACKDATE_TOLERANCE=off
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
DB=${3:-$T/b.db}
SECRET=khoa-do-hieu-nang
"$CCHC" init --db "$DB" >/dev/null
"$CCHC" import units "$ROOT/data/demo/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$ROOT/data/catalog/procedures.csv" --db "$DB" >/dev/null
for i in $(seq "$N"); do
  "$CCHC" dossier receive --unit DT.MYTHO --procedure 2.000635 --name "Người $i" --phone 0912345678 \
    --at 2026-11-02T08:00 --actor motcua1 --db "$DB" | awk -F'\t' '/^Mã hồ sơ:/ {print $2}'
done >"$T/codes"
"$CCHC" serve --db "$DB" --port 0 --port-file "$T/port" --slow-ms 0 --test-pay-port -1 \
  --pay-secret "$SECRET" --pay-sync-seconds 0 >/dev/null 2>"$T/err" &
PID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
[ -s "$T/port" ] || { cat "$T/err"; exit 1; }
python3 - "$(cat "$T/port")" "$SECRET" "$T/codes" "$N" <<'PY'
import hashlib, hmac, http.client, json, sys, time
port, secret, codes_file, n = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], int(sys.argv[4])
codes = [c.strip() for c in open(codes_file) if c.strip()]
conn = http.client.HTTPConnection("127.0.0.1", port)
def post(path, body, headers=None):
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    conn.request("POST", path, body=body, headers=h)
    r = conn.getresponse()
    return r.status, r.read()
refs = []
for c in codes:
    st, b = post("/api/lookup/payment", json.dumps({"code": c, "phone": "0912345678"}))
    assert st == 201, (st, b)
    p = json.loads(b)
    refs.append((p["ref"], p["amount_vnd"]))
bodies = []
for ref, amount in refs:
    b = json.dumps({"ref": ref, "status": "paid", "amount_vnd": amount}, separators=(",", ":")).encode()
    bodies.append((b, hmac.new(secret, b, hashlib.sha256).hexdigest()))
def run(what):
    t0 = time.perf_counter()
    changed = 0
    for b, sig in bodies:
        st, out = post("/api/pay/callback", b, {"X-Signature": sig})
        assert st == 200, (st, out)
        changed += json.loads(out)["changed"]
    return len(bodies) / (time.perf_counter() - t0), changed
settle, c1 = run("settle")
replay, c2 = run("replay")
t0 = time.perf_counter()
for c in codes:
    st, _ = post("/api/lookup", json.dumps({"code": c, "phone": "0912345678"}))
    assert st == 200
lookup = len(codes) / (time.perf_counter() - t0)
print(f"online payment callbacks, {len(bodies)} payments, one keep-alive connection, serial")
print(f"  settling callbacks:   {settle:8.1f} /s  ({c1} settled: state, receipt, dossier event, counters)")
print(f"  replayed callbacks:   {replay:8.1f} /s  ({c2} changed; signature + read only)")
print(f"  citizen lookups:      {lookup:8.1f} /s  (baseline: POST /api/lookup)")
print(f"  settle / replay: x{settle / replay:.2f}; settle / lookup: x{settle / lookup:.2f} (same run)")
PY
"$CCHC" audit verify --db "$DB" >/dev/null && echo "  audit chain verified after the run"
