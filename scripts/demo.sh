#!/usr/bin/env bash
# The demo: installs what is missing, builds cchc, and runs `cchc demo` — the server on
# http://127.0.0.1:8080/ with an embedded SQLite database of demo data (created once, then
# reused). Extra arguments go to `cchc demo` (e.g. --port 8081, --dossiers 5000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
exec ./build/cchc demo "$@"
