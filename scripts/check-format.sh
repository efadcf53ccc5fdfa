#!/usr/bin/env bash
# Fails if any C file differs from .clang-format's layout; prints the files to fix.
# Fix with: clang-format -i $(git ls-files '*.c' '*.h')
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "format: $f differs from .clang-format (run clang-format -i $f)"; bad=1
  fi
done < <(find src tests bench -name '*.c' -o -name '*.h' 2>/dev/null | sort)
exit $bad
