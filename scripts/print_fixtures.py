#!/usr/bin/env python3
"""Capture real psql 15 output for the printer's tests (src/output/testdata/*.jsonl).

Each dataset below is sent to the server as a query; the values it returns are checked against the
dataset (so the Rust tests, which build the same PgResult by hand from datasets.json, print the same
values), then every case runs `psql -X -q` with the case's \\pset commands and the query on stdin, and
the exact bytes psql wrote to stdout (and to the -L log file, for the log cases) are stored.

    python3 scripts/print_fixtures.py [-h /tmp/devpg] [-p 5499] [-U postgres] [-d print_helper]

The database must exist (`createdb -h /tmp/devpg -p 5499 -U postgres print_helper`); the script creates
the tables the describe cases need. Run with LC_ALL=C.UTF-8 semantics (it sets them for psql).
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "output", "testdata")

SPECIAL = [
    "tab\there",
    "cr\rend",
    "ctl\x01\x7fdel",
    "c1\u0085x",
    "e\u0301 combining",
    "emoji \U0001F600 wide",
    "html & <tag> \"q\" 'a'",
    "pipe | and back\\slash",
    "latex # $ % ^ _ { } ~",
    "   ",
    "  lead space",
    "a,b;c",
    "\\.",
    "",
    "trail\n",
    "\t\tx",
    "non\U0001FFFFchar",
]

DATASETS = {
    "basic": {
        "cols": [["id", "int4"], ["name", "text"], ["amount", "numeric"], ["note", "varchar"]],
        "rows": [
            ["1", "alpha", "1234.50", "first"],
            ["22", "", "-7", None],
            [None, "gamma ray", "0.001", "x"],
        ],
    },
    "multiline": {
        "cols": [["k", "int4"], ["two\nlines", "text"], ["v", "text"]],
        "rows": [
            ["1", "a\nbb\nccc", "日本語"],
            ["10", "", "x\ny"],
            ["100", "single", "wide 漢字 text"],
        ],
    },
    "special": {
        "cols": [["t|x", "text"], ["n&<", "int8"]],
        "rows": [[v, str(i + 1)] for i, v in enumerate(SPECIAL)],
    },
    "numbers": {
        "cols": [
            ["i2", "int2"],
            ["i8", "int8"],
            ["f8", "float8"],
            ["num", "numeric"],
            ["m", "money"],
            ["o", "oid"],
            ["t", "text"],
        ],
        "rows": [
            ["1", "1234567890123", "1234.5", "-1234567.891", "$1,234.56", "4000000000", "1234567"],
            ["-32768", "-5", "1e+20", "0.5", "-$0.01", "0", "abc"],
            [None, "0", "NaN", "1000", "$0.00", "1", "+123"],
            ["12", "123", "-0.001", "Infinity", "$12.00", "123456", "1.5e3"],
        ],
    },
    "wide": {
        "cols": [["id", "int4"], ["description", "text"], ["code", "text"], ["comment", "text"]],
        "rows": [
            ["1", "The quick brown fox jumps over the lazy dog", "A1", "short"],
            ["2", "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字", "B22", "multi\nline comment that is fairly long"],
            ["3", "averyveryveryverylongwordwithoutanyspacesatall", "C333", None],
            ["4", "x", "D", "tab\tin wrapped text long long long"],
        ],
    },
    "empty": {"cols": [["a", "int4"], ["b", "text"]], "rows": []},
    "one": {"cols": [["?column?", "int4"]], "rows": [["1"]]},
    "zerocol0": {"cols": [], "rows": [], "sql": "SELECT WHERE false"},
    "zerocol1": {"cols": [], "rows": [[]], "sql": "SELECT"},
    "zerocol3": {"cols": [], "rows": [[], [], []], "sql": "SELECT FROM generate_series(1,3)"},
    # psql's \d of a sequence: printQuery with a title, a footer and no default footer.
    "desc_seq": {
        "cols": [
            ["Type", "text"],
            ["Start", "int8"],
            ["Minimum", "int8"],
            ["Maximum", "int8"],
            ["Increment", "int8"],
            ["Cycles?", "text"],
            ["Cache", "int8"],
        ],
        "rows": [["integer", "1", "1", "2147483647", "1", "no", "1"]],
        "title": 'Sequence "public.st_id_seq"',
        "footers": ["Owned by: public.st.id"],
        "default_footer": False,
        "psql": "\\d st_id_seq",
        "sql": "SELECT 'integer'::text AS \"Type\", 1::int8 AS \"Start\", 1::int8 AS \"Minimum\", "
        "2147483647::int8 AS \"Maximum\", 1::int8 AS \"Increment\", 'no'::text AS \"Cycles?\", "
        "1::int8 AS \"Cache\"",
    },
    # psql's \d of a table: printTable with footers, never expanded, no default footer.
    "desc_table": {
        "table": True,
        "title": 'Table "public.ftab"',
        "headers": ["Column", "Type", "Collation", "Nullable", "Default"],
        "aligns": "lllll",
        "rows": [
            ["id", "integer", "", "not null", ""],
            ["label", "text", "", "not null", "'x'::text"],
        ],
        "footers": ["Indexes:", '    "ftab_pkey" PRIMARY KEY, btree (id)'],
        "psql": "\\d ftab",
    },
}

SETUP = """
DROP TABLE IF EXISTS ftab, st;
CREATE TABLE ftab (id int PRIMARY KEY, label text NOT NULL DEFAULT 'x');
CREATE TABLE st (id serial);
"""


def sql_literal(v):
    out = []
    for ch in v:
        o = ord(ch)
        if ch == "'":
            out.append("\\'")
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02X" % o)
        elif o > 0xFFFF:
            out.append("\\U%08X" % o)
        elif o > 0x7E:
            out.append("\\u%04X" % o)
        else:
            out.append(ch)
    return "E'" + "".join(out) + "'"


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def dataset_sql(ds):
    if "sql" in ds:
        return ds["sql"]
    cols = ds["cols"]
    names = ", ".join(ident(c[0]) for c in cols)
    if not ds["rows"]:
        sel = ", ".join("NULL::%s AS %s" % (t, ident(n)) for n, t in cols)
        return "SELECT %s WHERE false" % sel
    rows = []
    for r in ds["rows"]:
        rows.append(
            "("
            + ", ".join(("NULL" if v is None else sql_literal(v)) + "::" + t for v, (n, t) in zip(r, cols))
            + ")"
        )
    return "SELECT * FROM (VALUES %s) AS t(%s)" % (", ".join(rows), names)


class Psql:
    def __init__(self, args):
        self.base = ["psql", "-X", "-q", "-h", args.host, "-p", str(args.port), "-U", args.user, "-d", args.db]
        self.env = dict(os.environ, LC_ALL="C.UTF-8", PGCLIENTENCODING="UTF8", PAGER="", PSQL_PAGER="")
        self.env.pop("COLUMNS", None)

    def run(self, script, extra=()):
        p = subprocess.run(
            self.base + list(extra) + ["-f", "-"],
            input=script.encode(),
            capture_output=True,
            env=self.env,
            check=False,
        )
        return p.stdout, p.stderr


def quote_pset(v):
    if v == "":
        return "''"
    if all(c.isalnum() or c in "-_.()#" for c in v):
        return v
    esc = {"'": "''", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return "'" + "".join(esc.get(c, c) for c in v) + "'"


def case_script(ds, case):
    lines = []
    for name, value in case.get("pset", []):
        lines.append("\\pset %s" % name if value is None else "\\pset %s %s" % (name, quote_pset(value)))
    if case.get("fetch_count"):
        lines.append("\\set FETCH_COUNT %d" % case["fetch_count"])
    if "psql" in ds:
        lines.append(ds["psql"])
    else:
        lines.append(dataset_sql(ds) + ";")
    return "\n".join(lines) + "\n"


def mbvalidate(v):
    """psql drops the supplementary planes' noncharacters (U+1FFFE, U+1FFFF, ...) from every value."""
    return "".join(c for c in v if not (ord(c) > 0xFFFF and ord(c) & 0xFFFE == 0xFFFE))


def verify_dataset(psql, name, ds):
    """The server must print exactly the dataset's values, with the dataset's types."""
    if ds.get("table"):
        return
    sql = dataset_sql(ds)
    script = "\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep '\\x1f'\n" \
        "\\pset recordsep '\\x1e'\n\\pset null '\\x01'\n" + sql + ";\n"
    out, err = psql.run(script)
    if err:
        sys.exit("dataset %s: %s" % (name, err.decode()))
    text = out.decode()
    got = [] if text == "" else text[:-1].split("\x1e") if text.endswith("\n") else text.split("\x1e")
    want = ["\x1f".join("\x01" if v is None else mbvalidate(v) for v in r) for r in ds["rows"]]
    if ds["cols"] and got != want:
        sys.exit("dataset %s: server printed %r, dataset says %r" % (name, got, want))
    if ds["cols"]:
        types = ", ".join("pg_typeof(%s)::oid" % ident(n) for n, _ in ds["cols"])
        q = "SELECT %s FROM (%s) AS q UNION ALL SELECT %s LIMIT 1" % (
            types,
            sql,
            ", ".join("%s::regtype::oid" % sql_literal(t) for _, t in ds["cols"]),
        )
        out, err = psql.run("\\pset format unaligned\n\\pset tuples_only on\n" + q + ";\n")
        if err:
            sys.exit("dataset %s: %s" % (name, err.decode()))
        ds["oids"] = [int(x) for x in out.decode().strip().split("|")]


def variants(formats, datasets, borders, expanded, tuples, extra=()):
    for f in formats:
        for d in datasets:
            for b in borders:
                for x in expanded:
                    for t in tuples:
                        pset = [["format", f], ["border", str(b)], ["expanded", x], ["tuples_only", t]]
                        yield {"data": d, "pset": pset + list(extra)}


ALL = ["basic", "multiline", "special", "numbers", "empty", "one", "zerocol0", "zerocol1", "zerocol3",
       "desc_seq", "desc_table"]
SMALL = ["basic", "multiline", "special", "empty", "zerocol1", "desc_seq"]


def families():
    fam = {}
    # aligned, normal layout
    c = list(variants(["aligned"], ALL, [0, 1, 2, 3], ["off"], ["off", "on"]))
    for ls in ["old-ascii", "unicode"]:
        c += variants(["aligned"], ["basic", "multiline", "special", "desc_table"], [0, 1, 2], ["off"], ["off", "on"],
                      [["linestyle", ls]])
    for b, col, hd in [("double", "single", "single"), ("single", "double", "single"), ("single", "single", "double"),
                       ("double", "double", "double")]:
        c += variants(["aligned"], ["multiline"], [0, 1, 2], ["off"], ["off"],
                      [["linestyle", "unicode"], ["unicode_border_linestyle", b],
                       ["unicode_column_linestyle", col], ["unicode_header_linestyle", hd]])
    for title in ["T", "A title much wider than the table it sits above", "two\nline title", "漢字 title"]:
        c += variants(["aligned"], ["basic", "empty", "one", "zerocol1"], [0, 1, 2], ["off"], ["off", "on"],
                      [["title", title]])
    c += variants(["aligned"], ["basic", "special"], [1, 2], ["off"], ["off"], [["null", "(null)"]])
    c += variants(["aligned"], ["basic", "empty", "desc_seq"], [1], ["off"], ["off"], [["footer", "off"]])
    c += variants(["aligned"], ["numbers", "basic"], [0, 1, 2], ["off", "on"], ["off"], [["numericlocale", "on"]])
    c += variants(["aligned"], ["basic", "wide", "one"], [1], ["auto"], ["off"], [["columns", "20"]])
    c += variants(["aligned"], ["basic", "wide"], [0, 1, 2], ["auto"], ["off"], [["columns", "200"]])
    c += variants(["aligned"], ["wide"], [1], ["off"], ["off"], [["columns", "30"]])
    fam["aligned"] = c

    # aligned, expanded layout
    c = list(variants(["aligned"], ALL, [0, 1, 2, 3], ["on"], ["off", "on"]))
    for ls in ["old-ascii", "unicode"]:
        c += variants(["aligned"], ["basic", "multiline", "special"], [0, 1, 2], ["on"], ["off", "on"],
                      [["linestyle", ls]])
    for b, col, hd in [("double", "single", "single"), ("single", "double", "double")]:
        c += variants(["aligned"], ["multiline"], [0, 1, 2], ["on"], ["off"],
                      [["linestyle", "unicode"], ["unicode_border_linestyle", b],
                       ["unicode_column_linestyle", col], ["unicode_header_linestyle", hd]])
    for title in ["T", "two\nline title"]:
        c += variants(["aligned"], ["basic", "empty", "zerocol1"], [0, 1, 2], ["on"], ["off", "on"], [["title", title]])
    c += variants(["aligned"], ["basic"], [1], ["on"], ["off"], [["null", "(null)"]])
    c += variants(["aligned"], ["empty", "basic"], [1], ["on"], ["off"], [["footer", "off"]])
    for cols in ["20", "30", "45", "200"]:
        for ls in ["ascii", "old-ascii", "unicode"]:
            c += variants(["wrapped"], ["wide", "multiline", "basic"], [0, 1, 2], ["on"], ["off", "on"],
                          [["columns", cols], ["linestyle", ls]])
    c += variants(["wrapped"], ["special", "numbers", "desc_seq"], [0, 1, 2], ["on"], ["off"], [["columns", "25"]])
    c += variants(["wrapped"], ["wide"], [1, 2], ["on"], ["off"], [["columns", "5"]])
    fam["vertical"] = c

    # wrapped, normal layout
    c = []
    for cols in ["10", "20", "30", "40", "60", "200"]:
        for ls in ["ascii", "old-ascii", "unicode"]:
            c += variants(["wrapped"], ["wide", "multiline"], [0, 1, 2], ["off"], ["off", "on"],
                          [["columns", cols], ["linestyle", ls]])
    c += variants(["wrapped"], ["special", "numbers", "basic", "empty", "zerocol1", "desc_table"], [0, 1, 2], ["off"],
                  ["off"], [["columns", "25"]])
    c += variants(["wrapped"], ["wide", "basic", "one"], [0, 1, 2], ["auto"], ["off"], [["columns", "30"]])
    c += variants(["wrapped"], ["wide"], [1], ["off"], ["off"], [["columns", "40"], ["title", "Wrapped title"]])
    c += variants(["wrapped"], ["wide"], [1], ["off"], ["off"], [])
    fam["wrapped"] = c

    c = list(variants(["unaligned"], ALL, [1], ["off", "on"], ["off", "on"]))
    c += variants(["unaligned"], ["basic", "empty"], [1], ["off", "on"], ["off"], [["title", "My title"]])
    c += variants(["unaligned"], ["basic", "desc_seq"], [1], ["off", "on"], ["off"], [["footer", "off"]])
    c += variants(["unaligned"], ["basic"], [1], ["off", "on"], ["off", "on"], [["null", "NULL"], ["fieldsep", ", "]])
    c += variants(["unaligned"], ["basic", "empty"], [1], ["off", "on"], ["off", "on"], [["fieldsep_zero", None]])
    c += variants(["unaligned"], ["basic", "empty", "desc_seq"], [1], ["off", "on"], ["off", "on"],
                  [["recordsep_zero", None]])
    c += variants(["unaligned"], ["basic", "desc_table"], [1], ["off", "on"], ["off"],
                  [["recordsep", "<RS>\n"], ["fieldsep", "\t"]])
    c += variants(["unaligned"], ["numbers"], [1], ["off"], ["off"], [["numericlocale", "on"]])
    fam["unaligned"] = c

    c = list(variants(["csv"], ALL, [1], ["off", "on"], ["off", "on"]))
    for sep in [";", "|", ".", "\\", "\t", "a"]:
        c += variants(["csv"], ["special", "basic"], [1], ["off", "on"], ["off"], [["csv_fieldsep", sep]])
    c += variants(["csv"], ["basic"], [1], ["off"], ["off"], [["title", "ignored"], ["null", "N"]])
    c += variants(["csv"], ["numbers"], [1], ["off"], ["off"], [["numericlocale", "on"]])
    fam["csv"] = c

    c = list(variants(["html"], ALL, [0, 1, 2, 3], ["off", "on"], ["off", "on"]))
    c += variants(["html"], ["basic", "empty"], [1], ["off", "on"], ["off", "on"],
                  [["tableattr", "class=\"x\" width=90%"], ["title", "<b>&T</b>"]])
    c += variants(["html"], ["basic"], [1], ["off", "on"], ["off"], [["footer", "off"]])
    fam["html"] = c

    c = list(variants(["asciidoc"], ALL, [0, 1, 2, 3], ["off", "on"], ["off", "on"]))
    c += variants(["asciidoc"], ["basic", "empty"], [1], ["off", "on"], ["off", "on"], [["title", "A|title"]])
    c += variants(["asciidoc"], ["basic"], [1], ["off", "on"], ["off"], [["footer", "off"]])
    fam["asciidoc"] = c

    c = list(variants(["latex", "latex-longtable"], ALL, [0, 1, 2, 3], ["off", "on"], ["off", "on"]))
    c += variants(["latex", "latex-longtable"], ["basic", "empty"], [0, 1, 2, 3], ["off", "on"], ["off", "on"],
                  [["title", "Title_$1"]])
    for attr in ["0.2 0.3", "0.5", "  0.1\t", ""]:
        c += variants(["latex-longtable"], ["basic", "numbers"], [1, 2], ["off"], ["off"], [["tableattr", attr]])
    c += variants(["latex"], ["basic"], [1], ["off"], ["off"], [["footer", "off"]])
    fam["latex"] = c

    c = list(variants(["troff-ms"], ALL, [0, 1, 2, 3], ["off", "on"], ["off", "on"]))
    c += variants(["troff-ms"], ["basic", "empty"], [1, 2], ["off", "on"], ["off", "on"], [["title", "T\\itle"]])
    c += variants(["troff-ms"], ["basic"], [1], ["off"], ["off"], [["footer", "off"]])
    fam["troff"] = c

    # FETCH_COUNT: a result printed in parts (start_table/stop_table/prior_records)
    c = []
    for fc in [1, 2, 3, 5]:
        for f in ["aligned", "wrapped", "unaligned", "csv", "html", "asciidoc", "latex", "latex-longtable", "troff-ms"]:
            c += [dict(v, fetch_count=fc) for v in
                  variants([f], ["basic", "empty"], [1, 2], ["off", "on"], ["off"], [["columns", "30"]])]
        c += [dict(v, fetch_count=fc) for v in
              variants(["aligned"], ["basic"], [1], ["auto"], ["off", "on"], [["columns", "20"]])]
        c += [dict(v, fetch_count=fc) for v in
              variants(["aligned"], ["basic"], [1], ["off"], ["on"], [])]
    fam["fetch"] = c

    # the -L log file gets the aligned layout whatever the format
    c = []
    for f in ["aligned", "wrapped", "unaligned", "csv", "html", "latex"]:
        c += [dict(v, log=True) for v in
              variants([f], ["basic", "desc_table", "empty"], [1, 2], ["off", "on", "auto"], ["off"], [["columns", "20"]])]
    fam["log"] = c
    return fam


def capture(psql, case):
    ds = DATASETS[case["data"]]
    script = case_script(ds, case)
    extra = []
    logname = None
    if case.get("log"):
        fd, logname = tempfile.mkstemp(prefix="pgsh-print-log")
        os.close(fd)
        extra = ["-L", logname]
    out, err = psql.run(script, extra)
    if err:
        sys.exit("case %r: %s" % (case, err.decode()))
    result = dict(case, out=out.decode())
    if logname:
        with open(logname, "rb") as f:
            log = f.read().decode()
        os.unlink(logname)
        # psql writes "********* QUERY **********\n<query>\n**************************\n\n" before the table.
        marker = "**************************\n\n"
        if ds.get("psql"):
            # a describe command logs its catalog queries only with ECHO_HIDDEN: the log is the table alone
            pass
        elif marker in log:
            log = log.split(marker, 1)[1]
        result["log_out"] = log
    return result


def main():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("-h", dest="host", default="/tmp/devpg")
    ap.add_argument("-p", dest="port", default=5499)
    ap.add_argument("-U", dest="user", default="postgres")
    ap.add_argument("-d", dest="db", default="print_helper")
    args = ap.parse_args()
    psql = Psql(args)
    out, err = psql.run(SETUP)
    if err:
        sys.exit(err.decode())
    for name, ds in DATASETS.items():
        verify_dataset(psql, name, ds)
    os.makedirs(OUT, exist_ok=True)
    data = {}
    for name, ds in DATASETS.items():
        d = {k: v for k, v in ds.items() if k not in ("sql", "psql")}
        data[name] = d
    with open(os.path.join(OUT, "datasets.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for fam, cases in families().items():
            results = list(pool.map(lambda c: capture(psql, c), cases))
            with open(os.path.join(OUT, fam + ".jsonl"), "w", encoding="utf-8") as f:
                for r in results:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            print("%s: %d cases" % (fam, len(results)))


if __name__ == "__main__":
    main()
