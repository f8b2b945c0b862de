#!/usr/bin/env python3
"""Generate src/psql/sql_help.rs (the data behind psql's `\\h`) from PostgreSQL's generated
src/bin/psql/sql_help.c and sql_help.h, which every release tarball ships.

    python3 scripts/gen_sql_help.py /work/pgsrc/postgresql-15.18 src/psql/sql_help.rs

The C file holds one function per SQL command that appends the synopsis to a buffer with
appendPQExpBuffer(buf, "format with %s", _("placeholder"), ...), and the table QL_HELP of
{command, description, docbook id, function, newline count}; the newline count (psql's pager
estimate, off by one for some commands) is left out: pgsh counts the lines of the text it prints. Placeholders are translated at run time
in psql; pgsh speaks English only, so they are substituted here and the synopsis is stored as final text.
The output is passed through rustfmt so `cargo fmt --check` stays clean.
"""

import os
import re
import subprocess
import sys

C_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'"}


def c_string(src, i):
    """Read the C string literal starting at src[i] (a double quote); return (text, index after it)."""
    assert src[i] == '"', src[i : i + 20]
    out = []
    i += 1
    while src[i] != '"':
        if src[i] == "\\":
            esc = src[i + 1]
            if esc not in C_ESCAPES:
                raise SystemExit(f"unsupported C escape \\{esc} at offset {i}")
            out.append(C_ESCAPES[esc])
            i += 2
        else:
            out.append(src[i])
            i += 1
    return "".join(out), i + 1


def skip_ws(src, i):
    while src[i] in " \t\r\n":
        i += 1
    return i


def adjacent_strings(src, i):
    """Read adjacent C string literals ("a" "b" → "ab"); return (text, index after the last)."""
    parts = []
    i = skip_ws(src, i)
    while src[i] == '"':
        text, i = c_string(src, i)
        parts.append(text)
        i = skip_ws(src, i)
    return "".join(parts), i


def parse_functions(src):
    """Map each sql_help_X function name to its synopsis, with the %s placeholders filled in."""
    funcs = {}
    for m in re.finditer(r"static void\s+(sql_help_\w+)\(PQExpBuffer buf\)\s*\{\s*appendPQExpBuffer\(buf,", src):
        name = m.group(1)
        fmt, i = adjacent_strings(src, m.end())
        args = []
        while src[i] == ",":
            i = skip_ws(src, i + 1)
            if not src.startswith('_(', i):
                raise SystemExit(f"{name}: expected _(\"...\") at offset {i}")
            text, i = adjacent_strings(src, i + 2)
            if src[i] != ")":
                raise SystemExit(f"{name}: unterminated _() at offset {i}")
            args.append(text)
            i = skip_ws(src, i + 1)
        if src[i] != ")":
            raise SystemExit(f"{name}: unexpected text at offset {i}: {src[i:i+40]!r}")
        pieces = fmt.split("%s")
        if len(pieces) != len(args) + 1 or "%" in "".join(pieces):
            raise SystemExit(f"{name}: format and arguments disagree")
        out = [pieces[0]]
        for arg, piece in zip(args, pieces[1:]):
            out.append(arg)
            out.append(piece)
        funcs[name] = "".join(out)
    return funcs


def parse_table(src):
    """The QL_HELP entries, in order: (cmd, help, docbook_id, function, nl_count)."""
    start = src.index("const struct _helpStruct QL_HELP[] = {")
    body = src[start:]
    entry = re.compile(
        r'\{("(?:[^"\\]|\\.)*"),\s*N_\(("(?:[^"\\]|\\.)*")\),\s*("(?:[^"\\]|\\.)*"),\s*(sql_help_\w+),\s*(\d+)\}'
    )
    rows = []
    for m in entry.finditer(body):
        cmd = c_string(m.group(1), 0)[0]
        help_ = c_string(m.group(2), 0)[0]
        docbook = c_string(m.group(3), 0)[0]
        rows.append((cmd, help_, docbook, m.group(4), int(m.group(5))))
    return rows


def header_constant(h, name):
    m = re.search(r"#define\s+" + name + r"\s+(\d+)", h)
    if not m:
        raise SystemExit(f"{name} not found in sql_help.h")
    return int(m.group(1))


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def rust_multiline(s):
    """A string as concat!() of one literal per line, so the synopsis reads as it prints."""
    lines = s.split("\n")
    if len(lines) == 1:
        return rust_str(s)
    parts = [rust_str(line + "\n") for line in lines[:-1]]
    if lines[-1]:
        parts.append(rust_str(lines[-1]))
    return "concat!(\n" + "".join(f"            {part},\n" for part in parts) + "        )"


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: gen_sql_help.py POSTGRESQL_SOURCE_DIR OUTPUT.rs")
    psql_dir = os.path.join(sys.argv[1], "src", "bin", "psql")
    with open(os.path.join(psql_dir, "sql_help.c"), encoding="utf-8") as f:
        src = f.read()
    with open(os.path.join(psql_dir, "sql_help.h"), encoding="utf-8") as f:
        hdr = f.read()
    version = os.path.basename(os.path.normpath(sys.argv[1]))

    funcs = parse_functions(src)
    rows = parse_table(src)
    count = header_constant(hdr, "QL_HELP_COUNT")
    max_len = header_constant(hdr, "QL_MAX_CMD_LEN")
    if len(rows) != count:
        raise SystemExit(f"found {len(rows)} entries, sql_help.h says {count}")
    if max(len(r[0]) for r in rows) != max_len:
        raise SystemExit("QL_MAX_CMD_LEN disagrees with the entries")

    out = []
    out.append("//! The SQL commands' help behind psql's `\\h` (`QL_HELP` of psql's `sql_help.c`).\n")
    out.append("//!\n")
    out.append(f"//! GENERATED by `scripts/gen_sql_help.py` from {version}'s `src/bin/psql/sql_help.c` and\n")
    out.append("//! `sql_help.h` (themselves generated from the SGML reference pages). Do not edit; regenerate with\n")
    out.append(f"//! `python3 scripts/gen_sql_help.py /work/pgsrc/{version} src/psql/sql_help.rs`.\n")
    out.append("//! The synopses' placeholders (translated by psql at run time) are substituted in English.\n\n")
    out.append("/// One SQL command's help.\n")
    out.append("#[derive(Clone, Copy, Debug, PartialEq, Eq)]\n")
    out.append("pub struct SqlHelp {\n")
    out.append("    /// The command name, as `\\h` lists it (`ALTER TABLE`).\n")
    out.append("    pub cmd: &'static str,\n")
    out.append("    /// The one-line description.\n")
    out.append("    pub help: &'static str,\n")
    out.append("    /// The reference page's id, for the documentation URL.\n")
    out.append("    pub docbook_id: &'static str,\n")
    out.append("    /// The synopsis, without a final newline.\n")
    out.append("    pub syntax: &'static str,\n")
    out.append("}\n\n")
    out.append(f"/// The number of entries (`QL_HELP_COUNT`).\npub const QL_HELP_COUNT: usize = {count};\n\n")
    out.append(f"/// The longest command name (`QL_MAX_CMD_LEN`).\npub const QL_MAX_CMD_LEN: usize = {max_len};\n\n")
    out.append("/// Every command, sorted by name as psql lists them.\n")
    out.append(f"pub static QL_HELP: [SqlHelp; {count}] = [\n")
    for cmd, help_, docbook, func, _nl_count in rows:
        if func not in funcs:
            raise SystemExit(f"{cmd}: function {func} not found")
        out.append("    SqlHelp {\n")
        out.append(f"        cmd: {rust_str(cmd)},\n")
        out.append(f"        help: {rust_str(help_)},\n")
        out.append(f"        docbook_id: {rust_str(docbook)},\n")
        out.append(f"        syntax: {rust_multiline(funcs[func])},\n")
        out.append("    },\n")
    out.append("];\n")

    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write("".join(out))
    subprocess.run(["rustfmt", "--edition", "2021", sys.argv[2]], check=True)


if __name__ == "__main__":
    main()
