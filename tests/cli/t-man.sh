#!/usr/bin/env bash
# t-man.sh — the man pages and the completion agree with the binary's tables: every command
# of `cchc --help` has its cchc-COMMAND(1) and a line in cchc(1), each page carries its
# command's --help text (every flag it names), cchc.ini(5) lists every option of
# `cchc serve --help` with its default, groff and man find nothing to warn about, the build's
# pages are what scripts/gen-man.py makes now, the bash completion offers commands, options
# and subcommands, and the cchc.ini that --print-config writes reads back to itself.
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$ROOT/scripts/gen-man.py" "$CCHC" "$T/man" || fail "gen-man.py failed"
BUILT=$(dirname "$CCHC")/man
if [ -d "$BUILT" ]; then
  diff -r "$BUILT" "$T/man" >"$T/d" || fail "the build's man pages are stale: $(head -5 "$T/d")"
fi

# Rendered text of a page, without hyphenation or justification, one long line per paragraph.
render() { MANWIDTH=1000 LANG=C.UTF-8 man --nh --nj -l "$1" 2>"$T/man.err" | col -b; }

"$CCHC" --help | awk '/^  [a-z]/ { print $1 }' >"$T/commands"
[ "$(wc -l <"$T/commands")" -ge 10 ] || fail "command table looks truncated"
render "$T/man/man1/cchc.1" >"$T/cchc.txt"
while read -r cmd; do
  page=$T/man/man1/cchc-$cmd.1
  [ -f "$page" ] || fail "no page cchc-$cmd(1)"
  grep -q "cchc-$cmd(1)" "$T/cchc.txt" || fail "cchc(1) does not name cchc-$cmd(1)"
  render "$page" >"$T/page.txt"
  "$CCHC" "$cmd" --help >"$T/help.txt"
  for flag in $(grep -o -- '--[a-z][a-z0-9-]*' "$T/help.txt" | sort -u); do
    grep -q -- "$flag" "$T/page.txt" || fail "cchc-$cmd(1) lacks $flag of its --help"
  done
  grep -qF "$(head -1 "$T/help.txt")" "$T/page.txt" || fail "cchc-$cmd(1) lacks its usage line"
done <"$T/commands"
[ "$(ls "$T/man/man1" | wc -l)" -eq $(($(wc -l <"$T/commands") + 1)) ] ||
  fail "man1 holds pages for commands that do not exist: $(ls "$T/man/man1")"

# cchc.ini(5): every option of serve --help, with its default.
render "$T/man/man5/cchc.ini.5" >"$T/ini.txt"
"$CCHC" serve --help | awk '
  /^  --[a-z-]+ (N|TEXT|BOOL)$/ { name = substr($1, 3); gsub(/-/, "_", name); next }
  name && /^      default: / { d = $0; sub(/^      default: /, "", d); sub(/;.*/, "", d);
                               print name "\t" d; name = "" }' >"$T/opts"
[ "$(wc -l <"$T/opts")" -ge 15 ] || fail "option list looks truncated"
sed 's/\t(empty)$/\tempty/' "$T/opts" | sort >"$T/opts.want"
sed 's/\\-/-/g; s/\\e/\\/g' "$T/man/man5/cchc.ini.5" | awk '
  /^\.B [a-z_]+$/ { name = $2; next }
  name { d = $0; sub(/.*default: /, "", d); sub(/\)$/, "", d); print name "\t" d; name = "" }' |
  sort >"$T/opts.page"
diff "$T/opts.want" "$T/opts.page" >"$T/d" ||
  fail "serve --help (<) and cchc.ini(5) (>) differ in options or defaults: $(cat "$T/d")"

# No warnings from groff or man.
groff -man -ww -z -Tutf8 "$T"/man/man1/*.1 "$T"/man/man5/*.5 2>"$T/groff" || true
[ -s "$T/groff" ] && fail "groff warnings: $(head -5 "$T/groff")"
for p in "$T"/man/man1/*.1 "$T"/man/man5/*.5; do
  LANG=C.UTF-8 man --warnings -l "$p" >/dev/null 2>"$T/w" || true
  [ -s "$T/w" ] && fail "man --warnings $p: $(head -3 "$T/w")"
done

# Bash completion: commands, a command's options, its subcommands. (The completions are read
# into a string first: grep -q at the end of a pipe under pipefail can fail on SIGPIPE.)
complete_words() { # WORD...: completions of the last word
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _cchc; printf "%s\n" "${COMPREPLY[@]}"' _ "$ROOT/deploy/bash-completion/cchc" "$@"
}
PATH=$(dirname "$CCHC"):$PATH
grep -qx serve <<<"$(complete_words cchc se)" || fail "completion: cchc se -> serve"
grep -qx -- --trusted-proxies <<<"$(complete_words cchc serve --trus)" || fail "completion: --trusted-proxies"
grep -qx advance <<<"$(complete_words cchc dossier adv)" || fail "completion: cchc dossier adv -> advance"
grep -qx -- --version <<<"$(complete_words cchc --ver)" || fail "completion: --version"

# --print-config reads back to itself (a cchc.ini from the option table is a valid cchc.ini).
"$CCHC" serve --port 9999 --trusted-proxies '10.0.0.0/8, ::1' --request-log --print-config >"$T/a.ini"
"$CCHC" serve --config "$T/a.ini" --print-config >"$T/b.ini"
cmp -s "$T/a.ini" "$T/b.ini" || fail "cchc.ini does not read back: $(diff "$T/a.ini" "$T/b.ini" | head -5)"
grep -qx 'port = 9999' "$T/a.ini" || fail "--print-config does not set port"
grep -qx '#listen = 127.0.0.1' "$T/a.ini" || fail "--print-config does not comment the defaults"
echo "ok: $(wc -l <"$T/commands") command pages, $(wc -l <"$T/opts") options in cchc.ini(5), completion"
