#!/usr/bin/env bash
# The demo: installs what is missing, builds cchc, and shows it working.
# Once the server lands this runs `cchc demo` (a server on 127.0.0.1 with demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
if ./build/cchc --help | grep -q '^  demo '; then
  exec ./build/cchc demo "$@"
fi
set -x
./build/cchc lunar 2024-02-10
./build/cchc calendar 2024 | grep -v weekend
./build/cchc deadline --from 2024-02-07T09:00 --days 3 --explain
