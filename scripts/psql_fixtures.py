#!/usr/bin/env python3
"""Capture real psql 15 behaviour for the tests of src/psql/pset.rs and src/psql/crosstab.rs
(src/psql/testdata/*.jsonl).

pset.jsonl: sequences of \\pset (and \\a \\H \\t \\x \\f \\C \\T) commands run by one `psql -X -c ... -c ...`,
with what psql printed on stdout and stderr.

crosstab.jsonl: the cases of PostgreSQL's src/test/regress/sql/psql_crosstab.sql: each query's result
(column names, type OIDs, values as the server sent them, NULLs) and what `\\crosstabview args` printed on
stdout and stderr.

    python3 scripts/psql_fixtures.py [-h /tmp/devpg] [-p 5499] [-U postgres] [-d print_helper]

The database must exist; the script (re)creates the table ctv_data in it.
"""

import argparse
import json
import os
import subprocess
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "psql", "testdata")


def quote(v):
    if v == "":
        return "''"
    if all(c.isalnum() or c in "-_.()#" for c in v):
        return v
    esc = {"'": "''", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return "'" + "".join(esc.get(c, c) for c in v) + "'"


def command_text(cmd):
    """["pset", name, value] / ["pset"] / ["a"] / ["t", value] ... as psql input."""
    name, args = cmd[0], [a for a in cmd[1:] if a is not None]
    return "\\" + " ".join([name] + [quote(a) if i > 0 or name != "pset" else a for i, a in enumerate(args)])


P = "pset"
PSET_CASES = [
    [[P]],
    *[[[P, n]] for n in [
        "border", "columns", "csv_fieldsep", "expanded", "x", "vertical", "fieldsep", "fieldsep_zero",
        "footer", "format", "linestyle", "null", "numericlocale", "pager", "pager_min_lines", "recordsep",
        "recordsep_zero", "tableattr", "T", "title", "C", "tuples_only", "t", "unicode_border_linestyle",
        "unicode_column_linestyle", "unicode_header_linestyle", "foo", "Border"]],
    *[[[P, "border", v]] for v in ["2", "0", "-1", "abc", "70000", " 3x", "99999999999"]],
    *[[[P, "columns", v]] for v in ["80", "0", "-5", "x"]],
    *[[[P, "csv_fieldsep", v]] for v in [";", "ab", "\"", "é", "\n", "\t", ""]],
    *[[[P, "expanded", v]] for v in ["on", "off", "auto", "AUTO", "maybe", "t", "0"]],
    [[P, "x", "auto"], [P, "x"], [P, "x"], [P, "vertical", "nope"]],
    [[P, "fieldsep", ","], [P, "fieldsep_zero"], [P, "fieldsep"], [P, "fieldsep", "x"]],
    [[P, "fieldsep_zero", "ignored"], [P, "recordsep_zero"], [P]],
    [[P, "footer", "off"], [P, "footer"], [P, "footer"], [P, "footer", "maybe"]],
    *[[[P, "format", v]] for v in [
        "aligned", "al", "a", "as", "c", "h", "l", "la", "latex", "latex-l", "latex-longtable", "t", "u",
        "w", "WRAPPED", "", "x", "aligned2"]],
    *[[[P, "linestyle", v]] for v in ["a", "o", "u", "unicode", "OLD-ASCII", "x", ""]],
    [[P, "null", "(null)"], [P, "null"], [P, "null", ""], [P, "null"]],
    [[P, "numericlocale", "on"], [P, "numericlocale"], [P, "numericlocale"], [P, "numericlocale", "x"]],
    *[[[P, "pager", v]] for v in ["on", "off", "always", "ALWAYS", "x"]],
    [[P, "pager", "always"], [P, "pager"], [P, "pager"], [P, "pager"]],
    *[[[P, "pager_min_lines", v]] for v in ["1", "10", "-1", "0"]],
    [[P, "recordsep", ";"], [P, "recordsep"], [P, "recordsep", "\n"], [P, "recordsep_zero"], [P, "recordsep"]],
    [[P, "tableattr", "a=b"], [P, "tableattr"], [P, "T", "c"], [P, "T"]],
    [[P, "title", "My title"], [P, "title"], [P, "C", "x"], [P, "C"]],
    [[P, "tuples_only", "on"], [P, "tuples_only"], [P, "t"], [P, "t", "x"]],
    *[[[P, "unicode_border_linestyle", v]] for v in ["double", "d", "S", "x", ""]],
    *[[[P, "unicode_column_linestyle", v]] for v in ["double", "x"]],
    *[[[P, "unicode_header_linestyle", v]] for v in ["double", "x"]],
    [[P, "linestyle", "unicode"], [P, "unicode_header_linestyle", "double"], [P, "linestyle"], [P]],
    [[P, "null", "it's"], [P, "fieldsep", "a\nb"], [P, "title", "T'x"], [P, "tableattr", "w=1"],
     [P, "csv_fieldsep", "'"], [P, "border", "-1"], [P, "pager", "always"], [P, "expanded", "auto"],
     [P, "format", "latex-longtable"], [P]],
    [["a"], ["a"], ["a"]],
    [["H"], ["H"], [P, "format", "csv"], ["H"], ["a"]],
    [["t"], ["t"], ["t", "on"], ["t", "off"], ["t", "x"]],
    [["x"], ["x", "auto"], ["x"], ["x", "on"], ["x", "bad"]],
    [["f", ";"], ["f"], ["C", "Title"], ["C"], ["T", "border=1"], ["T"]],
]


def pset_case(base, cmds):
    args = []
    for c in cmds:
        args += ["-c", command_text(c)]
    p = subprocess.run(base + args, capture_output=True, env=ENV, check=False)
    return {"cmds": cmds, "stdout": p.stdout.decode(), "stderr": p.stderr.decode()}


CTV_SETUP = """
SET client_min_messages = warning;
DROP TABLE IF EXISTS ctv_data;
CREATE TABLE ctv_data (v, h, c, i, d) AS
VALUES
   ('v1','h2','foo', 3, '2015-04-01'::date),
   ('v2','h1','bar', 3, '2015-01-02'),
   ('v1','h0','baz', NULL, '2015-07-12'),
   ('v0','h4','qux', 4, '2015-07-15'),
   ('v0','h4','dbl', -3, '2014-12-15'),
   ('v0',NULL,'qux', 5, '2014-07-15'),
   ('v1','h2','quux',7, '2015-04-04');
ANALYZE ctv_data;
"""

CTV_CASES = [
    ("SELECT v, EXTRACT(year FROM d), count(*) FROM ctv_data GROUP BY 1, 2 ORDER BY 1, 2", [], None),
    ("SELECT v, to_char(d, 'Mon') AS \"month name\", EXTRACT(month FROM d) AS num, count(*) "
     "FROM ctv_data GROUP BY 1,2,3 ORDER BY 1", ["v", "\"month name\"", "4", "num"], None),
    ("SELECT EXTRACT(year FROM d) AS year, to_char(d,'Mon') AS \"\"\"month\"\" name\", "
     "EXTRACT(month FROM d) AS month, format('sum=%s avg=%s', sum(i), avg(i)::numeric(2,1)) FROM ctv_data "
     "GROUP BY EXTRACT(year FROM d), to_char(d,'Mon'), EXTRACT(month FROM d) ORDER BY month",
     ["\"\"\"month\"\" name\"", "year", "format", "year"], None),
    ("SELECT v, h, string_agg(c, E'\\n') FROM ctv_data GROUP BY v, h ORDER BY 1,2,3", ["1", "2", "3"], None),
    ("SELECT v,h, string_agg(c, E'\\n') AS c, row_number() OVER(ORDER BY h) AS r FROM ctv_data "
     "GROUP BY v, h ORDER BY 1,3,2", ["v", "h", "c", "r"], None),
    ("SELECT v, h, string_agg(c, E'\\n') AS c, row_number() OVER(ORDER BY h DESC) AS r FROM ctv_data "
     "GROUP BY v, h ORDER BY 1,3,2", ["v", "h", "c", "r"], None),
    ("SELECT v,h, string_agg(c, E'\\n') AS c, row_number() OVER(ORDER BY h NULLS LAST) AS r FROM ctv_data "
     "GROUP BY v, h ORDER BY 1,3,2", ["v", "h", "c", "r"], None),
    ("SELECT null,null", [], None),
    ("SELECT null,null,null", [], None),
    ("SELECT v,h, string_agg(i::text, E'\\n') AS i FROM ctv_data GROUP BY v, h ORDER BY h,v",
     ["v", "h", "i"], "#null#"),
    ("SELECT v,h,string_agg(i::text, E'\\n'), string_agg(c, E'\\n') FROM ctv_data GROUP BY v, h ORDER BY h,v",
     ["2", "1", "4"], None),
    ("SELECT v,h, string_agg(i::text, E'\\n') AS i, string_agg(c, E'\\n') AS c FROM ctv_data "
     "GROUP BY v, h ORDER BY h,v", ["1", "\"h\"", "4"], None),
    ("SELECT 1 as \"22\", 2 as b, 3 as \"Foo\"", ["\"22\"", "B", "\"Foo\""], None),
    ("SELECT v,h,c,i FROM ctv_data", ["v", "h", "j"], None),
    ("SELECT 1 as \"22\", 2 as b, 3 as \"Foo\"", ["1", "2", "Foo"], None),
    ("SELECT 1 as \"22\", 2 as b, 3 as \"Foo\"", ["1", "\"B\"", "\"Foo\""], None),
    ("SELECT v,h,i,c FROM ctv_data", ["2", "1", "5"], None),
    ("SELECT v,h,i,c FROM ctv_data", ["2", "h", "4"], None),
    ("SELECT a,a,1 FROM generate_series(1,3000) AS a", [], None),
    ("SELECT 1", [], None),
    # beyond the regression file: a fourth column without a data column, sort values that are not
    # integers (all rank 0) or are negative, NULL row and column headers, duplicates at a NULL column,
    # and the crosstab printed in other formats
    ("SELECT v,h,c,i FROM ctv_data", [], None),
    ("SELECT v,h,min(c),min(d) FROM ctv_data WHERE h IS NOT NULL GROUP BY v,h ORDER BY 1,2",
     ["v", "h", "3", "4"], None),
    ("SELECT v,h,sum(i),-count(*) FROM ctv_data GROUP BY v,h ORDER BY 1,2", ["h", "v", "3", "4"], None),
    ("SELECT h,v,min(c) FROM ctv_data GROUP BY h,v ORDER BY 1,2", [], [["null", "(null)"]]),
    ("SELECT h,v,min(c) FROM ctv_data GROUP BY h,v ORDER BY 1,2", ["v", "h"], []),
    ("SELECT v,h,c FROM (VALUES ('a', NULL, 'x'), ('a', NULL, 'y')) t(v,h,c)", [], None),
    ("SELECT v,h,c FROM (VALUES (NULL, NULL, 'x'), (NULL, NULL, 'y')) t(v,h,c)", [], [["null", "N"]]),
    ("SELECT v, EXTRACT(year FROM d) AS y, count(*) FROM ctv_data GROUP BY 1, 2 ORDER BY 1, 2", [],
     [["format", "unaligned"]]),
    ("SELECT v, EXTRACT(year FROM d) AS y, count(*) FROM ctv_data GROUP BY 1, 2 ORDER BY 1, 2", [],
     [["expanded", "on"], ["title", "Crosstab"]]),
    ("SELECT v, h, string_agg(c, E'\\n') FROM ctv_data GROUP BY v, h ORDER BY 1,2,3", [],
     [["format", "html"], ["null", "-"]]),
]


def parse_unaligned(text):
    records = text[:-1].split("\x1e") if text.endswith("\n") else text.split("\x1e")
    return [r.split("\x1f") for r in records]


def ctv_result(run, sql):
    prefix = "\\pset format unaligned\n\\pset fieldsep '\\x1f'\n\\pset recordsep '\\x1e'\n\\pset null '\\x01'\n" \
        "\\pset footer off\n"
    out, err = run(prefix + sql + ";\n")
    if err:
        sys.exit(err)
    recs = parse_unaligned(out)
    names, rows = recs[0], recs[1:]
    out, err = run(prefix + "\\pset tuples_only on\n" + sql + " \\gdesc\n")
    if err:
        sys.exit(err)
    types = [r[1] for r in parse_unaligned(out)]
    oids = []
    for t in types:
        o, e = run("\\pset tuples_only on\n\\pset format unaligned\nSELECT '%s'::regtype::oid;\n" % t.replace("'", "''"))
        if e:
            sys.exit(e)
        oids.append(int(o.strip()))
    return {
        "cols": names,
        "oids": oids,
        "rows": [[None if v == "\x01" else v for v in r] for r in rows],
    }


def main():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("-h", dest="host", default="/tmp/devpg")
    ap.add_argument("-p", dest="port", default=5499)
    ap.add_argument("-U", dest="user", default="postgres")
    ap.add_argument("-d", dest="db", default="print_helper")
    args = ap.parse_args()
    base = ["psql", "-X", "-h", args.host, "-p", str(args.port), "-U", args.user, "-d", args.db]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "pset.jsonl"), "w", encoding="utf-8") as f:
        for cmds in PSET_CASES:
            f.write(json.dumps(pset_case(base, cmds), ensure_ascii=False) + "\n")

    def run(script):
        p = subprocess.run(base + ["-q", "-f", "-"], input=script.encode(), capture_output=True, env=ENV,
                           check=False)
        return p.stdout.decode(), p.stderr.decode()

    _, err = run(CTV_SETUP)
    if err:
        sys.exit(err)
    with open(os.path.join(OUT, "crosstab.jsonl"), "w", encoding="utf-8") as f:
        for sql, ctv_args, null in CTV_CASES:
            if isinstance(null, str):
                null = [["null", null]]
            psets = null or []
            script = "".join("\\pset %s %s\n" % (n, quote(v)) for n, v in psets) + sql + "\n\\crosstabview " + \
                " ".join(ctv_args) + "\n"
            out, err = run(script)
            case = {"sql": sql, "args": ctv_args, "pset": psets, "result": ctv_result(run, sql),
                    "stdout": out, "stderr": err}
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    print("%d pset cases, %d crosstab cases" % (len(PSET_CASES), len(CTV_CASES)))


ENV = dict(os.environ, LC_ALL="C.UTF-8", PGCLIENTENCODING="UTF8", PAGER="", PSQL_PAGER="")
ENV.pop("COLUMNS", None)

if __name__ == "__main__":
    main()
