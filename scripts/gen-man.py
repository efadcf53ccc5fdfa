#!/usr/bin/env python3
"""gen-man.py — the man pages of cchc, generated from the binary's own tables, so they cannot
drift from --help: cchc(1) from the command table (`cchc --help`), one cchc-COMMAND(1) per
command from `cchc COMMAND --help`, and cchc.ini(5) from the option table
(`cchc serve --print-config`: name, type, bounds, default, help).
Usage: scripts/gen-man.py PATH_TO_cchc OUTDIR   (writes OUTDIR/man1/*.1 and OUTDIR/man5/*.5)"""
import os
import re
import subprocess
import sys

DATE = "2026"  # fixed, so the pages are reproducible; the version comes from cchc --version


def run(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True, check=True)
    return out.stdout


def esc(text):
    """Escapes text for a roff line: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # Vietnamese and other non-ASCII letters as groff Unicode escapes (\[u1EA1]), so the page
    # needs no preconv and renders the same in any locale.
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def commands(binary):
    rows = []
    for line in run(binary, "--help").splitlines():
        m = re.match(r"^  (\S+)\s+(.*)$", line)
        if m:
            rows.append((m.group(1), m.group(2)))
    return rows


def header(name, section, version, title):
    return [f'.TH "{name.upper()}" "{section}" "{DATE}" "cchc {version}" "{title}"']


def page_main(version, cmds):
    out = header("cchc", 1, version, "cchc manual")
    out += [".SH NAME", "cchc \\- administrative reform platform: one\\-stop desk dossiers, "
            "service indicators, PAR index",
            ".SH SYNOPSIS", ".B cchc", ".I COMMAND", "[\\fIARGS\\fR]", ".br",
            ".B cchc \\-\\-help", "|", ".B \\-\\-version",
            ".SH DESCRIPTION",
            "cchc runs the administrative\\-reform work of Vietnamese local government: the "
            "one\\-stop desk (B\\[u1ED9] ph\\[u1EAD]n M\\[u1ED9]t c\\[u1EED]a) and its dossiers, "
            "the service indicators of Decision 766/Q\\[u0110]\\-TTg computed from them, and "
            "the PAR index. Every command is described in its own page, and by "
            ".B cchc \\fICOMMAND\\fB \\-\\-help\\fR.",
            ".SH COMMANDS"]
    for name, summary in cmds:
        out += [".TP", f".B {esc(name)}", esc(summary) + f" (see \\fBcchc\\-{esc(name)}\\fR(1))."]
    out += [".SH ENVIRONMENT",
            ".TP", ".B CCHC_DB", "the database when no \\fB\\-\\-db\\fR is given (default "
            "\\fIcchc.db\\fR in the current directory).",
            ".TP", ".B CCHC_DATA", "the data directory (calendars, criteria and indicator sets, "
            "forms) when no \\fB\\-\\-data\\fR is given.",
            ".TP", ".B CCHC_WEB", "the web UI directory served by \\fBcchc serve\\fR.",
            ".SH EXIT STATUS",
            "0 on success, 1 on a runtime failure (input/output, database), 2 on bad input "
            "(usage, or a value that breaks a rule; the message names the field, the value and "
            "the rule).",
            ".SH FILES",
            ".TP", ".I /etc/cchc/cchc.ini", "options of \\fBcchc serve\\fR, see \\fBcchc.ini\\fR(5).",
            ".TP", ".I /var/lib/cchc/cchc.db", "the database of the packaged service.",
            ".TP", ".I /usr/share/cchc/data", "calendars, catalogues, criteria and indicator sets.",
            ".TP", ".I /usr/share/doc/cchc/operations.md",
            "installation, TLS, monitoring and alerts.",
            ".SH SEE ALSO"]
    refs = [f"\\fBcchc\\-{esc(n)}\\fR(1)" for n, _ in cmds] + ["\\fBcchc.ini\\fR(5)"]
    out.append(",\n".join(refs))
    return out


def page_command(version, name, summary, help_text):
    out = header(f"cchc-{name}", 1, version, "cchc manual")
    out += [".SH NAME", f"cchc\\-{esc(name)} \\- {esc(summary)}", ".SH SYNOPSIS AND OPTIONS",
            "The text of \\fBcchc " + esc(name) + " \\-\\-help\\fR:", ".PP", ".nf"]
    out += [esc(line) if line else "" for line in help_text.rstrip("\n").splitlines()]
    out += [".fi"]
    if name in ("serve", "demo"):
        out += [".PP", "The options are also read from a configuration file, described in "
                "\\fBcchc.ini\\fR(5)."]
    out += [".SH SEE ALSO", "\\fBcchc\\fR(1)" + (", \\fBcchc.ini\\fR(5)" if name in ("serve", "demo") else "")]
    return out


def options(binary):
    """(name, kind, default, help) from the commented cchc.ini that --print-config writes."""
    rows, cur = [], None
    for line in run(binary, "serve", "--print-config").splitlines():
        m = re.match(r"^# (\w+) \((.*); default: (.*)\)$", line)
        if m:
            cur = [m.group(1), m.group(2), m.group(3), []]
            rows.append(cur)
        elif cur and line.startswith("# "):
            cur[3].append(line[2:])
        elif cur and re.match(r"^#?\w+ =", line):
            cur = None
    return [(n, k, d, " ".join(h)) for n, k, d, h in rows]


def page_ini(version, opts):
    out = header("cchc.ini", 5, version, "cchc manual")
    out += [".SH NAME", "cchc.ini \\- options of the cchc HTTP server",
            ".SH SYNOPSIS", ".I /etc/cchc/cchc.ini",
            ".SH DESCRIPTION",
            "\\fBcchc serve\\fR and \\fBcchc demo\\fR read their options from built\\-in "
            "defaults, then from the file given by \\fB\\-\\-config\\fR \\fIFILE\\fR, then "
            "from the command line. In the file an option is written \\fIname\\fR = "
            "\\fIvalue\\fR, at the top level or in a \\fB[server]\\fR section; lines starting "
            "with # or ; are comments. On the command line the same option is "
            "\\fB\\-\\-\\fR\\fIname\\fR \\fIVALUE\\fR with \\- for _. An unknown name, a value "
            "of the wrong type or out of bounds stops the server with FILE:LINE, the option "
            "and the rule. A SIGHUP re\\-reads the file: \\fBslow_ms\\fR and "
            "\\fBrequest_log\\fR take effect at once, the other options at the next start.",
            ".SH OPTIONS"]
    for name, kind, default, help_text in opts:
        out += [".TP", f".B {esc(name)}", f"({esc(kind)}; default: {esc(default)})", ".br",
                esc(help_text)]
    out += [".SH EXAMPLE", ".nf", "[server]", "db = /var/lib/cchc/cchc.db",
            "trusted_proxies = 127.0.0.1, ::1", "cookie_secure = true", ".fi",
            ".SH SEE ALSO", "\\fBcchc\\fR(1), \\fBcchc\\-serve\\fR(1)"]
    return out


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    binary, outdir = sys.argv[1], sys.argv[2]
    version = run(binary, "--version").split()[-1]
    cmds = commands(binary)
    if len(cmds) < 10:
        sys.exit("gen-man: the command table looks truncated")
    write(f"{outdir}/man1/cchc.1", page_main(version, cmds))
    for name, summary in cmds:
        write(f"{outdir}/man1/cchc-{name}.1", page_command(version, name, summary, run(binary, name, "--help")))
    opts = options(binary)
    if len(opts) < 10:
        sys.exit("gen-man: the option table looks truncated")
    write(f"{outdir}/man5/cchc.ini.5", page_ini(version, opts))


if __name__ == "__main__":
    main()
