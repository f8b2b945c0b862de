#!/usr/bin/env python3
"""Capture what real psql does for the describe commands in lists_commands.txt, as the expectations of the
unit tests in ../lists_tests.rs.

usage: lists_capture.py PSQL HOST PORT DBNAME > transcript.txt

For each command: psql's standard output with ECHO_HIDDEN on (the hidden queries, then what it printed),
its standard error, and, for each hidden query, that query's result run again through the same psql as
CSV (NULL shown as \\N), which the tests hand back to the ported code as the server's answer, with its
column types as psql's \\gdesc names them (numbers are right-aligned).
The database is made with lists_fixture.sql (see the header of the transcripts).
"""
import subprocess
import sys

# psql 15's markers around an echoed hidden query, and psql 17's.
MARKERS = [("********* QUERY **********\n", "\n**************************\n\n"),
           ("/******** QUERY *********/\n", "\n/************************/\n\n")]


def run(psql, host, port, db, args, stdin=None):
    p = subprocess.run([psql, "-X", "-h", host, "-p", port, "-U", "postgres", "-d", db] + args,
                       capture_output=True, text=True, input=stdin,
                       env={"PGTZ": "UTC", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    return p.returncode, p.stdout, p.stderr


def queries(stdout):
    out = []
    for query_open, query_close in MARKERS:
        pos = 0
        while True:
            i = stdout.find(query_open, pos)
            if i < 0:
                break
            j = stdout.find(query_close, i)
            out.append(stdout[i + len(query_open):j])
            pos = j + len(query_close)
    return out


def main():
    psql, host, port, db = sys.argv[1:5]
    here = __file__.rsplit("/", 1)[0]
    w = sys.stdout.write
    _, ver, _ = run(psql, host, port, db, ["-A", "-t", "-c", "SHOW server_version_num"])
    _, client, _ = run(psql, host, port, db, ["--version"])
    w("==== SERVER " + ver.strip() + "\n")
    w("==== CLIENT " + client.strip() + "\n")
    for line in open(here + "/lists_commands.txt"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        noexec = line.startswith("noexec ")
        cmd = line[len("noexec "):] if noexec else line
        echo = ["-v", "ECHO_HIDDEN=noexec"] if noexec else ["-E"]
        rc, out, err = run(psql, host, port, db, echo + ["-c", cmd])
        w("==== COMMAND " + cmd + "\n")
        w("==== MODE " + ("noexec" if noexec else "exec") + " " + str(rc) + "\n")
        w("==== STDOUT\n" + out)
        w("==== STDERR\n" + err)
        if not noexec:
            for q in queries(out):
                qrc, csv, qerr = run(psql, host, port, db, ["--csv", "-P", "null=\\N", "-c", q])
                w("==== RESULT " + str(qrc) + "\n" + csv + qerr)
                _, types, terr = run(psql, host, port, db, ["--csv", "-f", "-"],
                                     stdin=q.rstrip(";") + "\n\\gdesc\n")
                w("==== TYPES\n" + types + terr)
        w("==== END\n")


main()
