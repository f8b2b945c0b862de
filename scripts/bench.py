#!/usr/bin/env python3
"""Benchmark pgsh against psql, pgbench and psycopg2 on a private PostgreSQL cluster.

Usage: scripts/bench.sh [--quick] [--pairs N] [--only NAME[,NAME...]] [--pgsh PATH] [--rows N]

`completion` is measured differently: pgsh in a pseudo-terminal on a database of 10,000 tables, the time
from a Tab to the first candidates on the screen (target: < 100 ms, the first Tab included).

Each workload runs pgsh and its anchors alternately (pgsh, anchor1, anchor2, pgsh, ...): one warm-up
round, then N timed rounds. Every run is a whole process: wall time from spawn to reap
(time.perf_counter) and peak RSS from os.wait4 (ru_maxrss). Every run's output is checked, so a broken
run is never reported as fast. Results go to stdout and to target/bench-report.md.

Workloads: select, insert, execute_many (round trips and batches); query, stream, print, print_fetch,
copy_in, copy_out (a big table); chinook (an SQL file); fan_out (one pg_sleep on 8 databases at once
against one query's time); notify (10,000 NOTIFYs from another session received in order, against a
psycopg2 poll loop); embedded; api; completion (first candidates of a Tab on 10,000 tables).

Standard library only; psycopg2-binary is installed into target/bench-venv when pip can install it.
"""

import argparse
import datetime
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
CHINOOK = REPO.parent / "shared" / "datasets" / "chinook" / "Chinook_PostgreSql.sql"
LATENCY_NOTE = ("Round-trip latency on these machines changes several-fold with background load; only the "
                "ratios between tools measured side by side in this run are meaningful.")
WORKLOADS = ["select", "insert", "execute_many", "query", "stream", "print", "print_fetch", "copy_in", "copy_out",
             "chinook", "fan_out", "notify", "embedded", "api", "completion"]
LOOP = 10_000
FAN_OUT = 8          # databases (one connection each) in the fan_out workload
SLEEP = 0.5          # seconds of pg_sleep per target
NOTIFY_CHANNEL = "bench"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class RunFailed(Exception):
    pass


class Terminated(BaseException):
    pass


# ----------------------------------------------------------------------------------------------
# Running and measuring one process


# The measured processes are started by a small launcher process (python -I -S, few imports) rather
# than by this harness: on Linux a child's ru_maxrss starts at the peak RSS of the process it was
# forked from (exec records the old address space's high-water mark), so spawning from a lean process
# keeps that floor low (the header reports it, measured with /bin/true).
LAUNCHER = r"""
import os, sys, time, json, signal, subprocess

class Stop(BaseException):
    pass

def on_term(signum, frame):
    raise Stop()

state = {}

def on_alarm(signum, frame):
    fd = state.get("pidfd")
    if fd is not None:
        state["timed_out"] = True
        try:
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        except OSError:
            pass

def main():
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGALRM, on_alarm)
    for line in sys.stdin:
        req = json.loads(line)
        state.clear()
        with open(req["out"], "wb") as out, open(req["err"], "wb") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(req["argv"], env=req["env"], cwd=req["cwd"], stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err)
            fd = os.pidfd_open(p.pid)
            state["pidfd"] = fd
            signal.setitimer(signal.ITIMER_REAL, req["timeout"])
            try:
                _, status, ru = os.wait4(p.pid, 0)
                t1 = time.perf_counter()
            except BaseException:
                signal.setitimer(signal.ITIMER_REAL, 0)
                try:
                    signal.pidfd_send_signal(fd, signal.SIGKILL)
                except OSError:
                    pass
                try:
                    os.wait4(p.pid, 0)
                except ChildProcessError:
                    pass
                p.returncode = -9
                raise
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                state.pop("pidfd", None)
                os.close(fd)
            p.returncode = os.waitstatus_to_exitcode(status)
        sys.stdout.write(json.dumps(dict(rc=p.returncode, time=t1 - t0, rss=ru.ru_maxrss, cpu=ru.ru_utime + ru.ru_stime,
                                         timed_out=state.get("timed_out", False))) + "\n")
        sys.stdout.flush()

try:
    main()
except (KeyboardInterrupt, Stop):
    sys.exit(130)
"""


class Launcher:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def run(self, argv, env, out, err, timeout, cwd=None):
        req = dict(argv=argv, env=env, out=str(out), err=str(err), timeout=timeout, cwd=cwd)
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the launcher died (exit {self.proc.wait()})")
        return json.loads(line)

    def close(self, interrupted=False):
        if self.proc.poll() is None:
            if interrupted:
                self.proc.terminate()  # our own child: it kills and reaps the run it is waiting for
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.terminate()  # our own child: it kills and reaps the run it is waiting for
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()


LAUNCH = None


def run_timed(argv, env, workdir, tag, timeout, cwd=None):
    """Run argv as one process; return (exit code, seconds, peak RSS KiB, CPU seconds, stdout, stderr)."""
    out_path = Path(workdir) / f"{tag}.out"
    err_path = Path(workdir) / f"{tag}.err"
    res = LAUNCH.run(argv, env, out_path, err_path, timeout, cwd)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    out_path.unlink()
    err_path.unlink()
    if res["timed_out"]:
        stderr = f"killed after the {timeout:.0f} s timeout\n" + stderr
    return res["rc"], res["time"], res["rss"], res["cpu"], stdout, stderr


def first_line(text, tmp=None):
    for line in text.splitlines():
        line = line.strip()
        if line:
            if tmp:
                line = line.replace(str(tmp) + "/", "")
            return line[:200]
    return "(no output)"


# ----------------------------------------------------------------------------------------------
# The private cluster


class Cluster:
    def __init__(self, tmp):
        self.tmp = Path(tmp)
        self.data = self.tmp / "data"
        self.port = None
        self.started = False
        self.pg = pwd.getpwnam("postgres")

    def _as_postgres(self, argv, **kw):
        return subprocess.run(["runuser", "-u", "postgres", "--"] + argv, **kw)

    @staticmethod
    def free_port():
        for _ in range(50):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if 1024 < port < 65536:
                return port
        raise RuntimeError("no free port")

    def start(self):
        os.chown(self.tmp, self.pg.pw_uid, self.pg.pw_gid)
        os.chmod(self.tmp, 0o755)
        r = self._as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                               "-E", "UTF8", "--locale=C", "--no-sync"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError("initdb failed:\n" + r.stdout)
        for attempt in range(5):
            self.port = self.free_port()
            opts = (f"-p {self.port} -k {self.tmp} -c listen_addresses='' -c fsync=off "
                    f"-c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB "
                    f"-c checkpoint_timeout=30min")
            r = self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.tmp / "server.log"),
                                   "-o", opts, "-w", "-t", "60", "start"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode == 0:
                self.started = True
                return
            log(f"pg_ctl start failed on port {self.port} (attempt {attempt + 1}): {r.stdout.strip()}")
        log((self.tmp / "server.log").read_text(errors="replace")[-3000:])
        raise RuntimeError("could not start the cluster")

    def stop(self):
        if not self.started:
            return
        self.started = False
        r = self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            log("pg_ctl stop failed: " + r.stdout.strip())
            try:  # the postmaster we started: its pid is the first line of postmaster.pid
                pid = int((self.data / "postmaster.pid").read_text().splitlines()[0])
                os.kill(pid, signal.SIGQUIT)
                time.sleep(2)
            except (OSError, ValueError, IndexError):
                pass

    def env(self, db="postgres"):
        env = clean_env()
        env.update(PGHOST=str(self.tmp), PGPORT=str(self.port), PGUSER="postgres", PGDATABASE=db)
        return env

    def sql(self, query, db="postgres"):
        r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", query],
                           env=self.env(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed ({query[:80]}): {r.stderr.strip()}")
        return r.stdout.strip()


def clean_env():
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("PG") or k.startswith("PGSH_") or k == "DATABASE_URL")}
    env.pop("PSQLRC", None)
    env["NO_COLOR"] = "1"
    return env


# ----------------------------------------------------------------------------------------------
# psycopg2 in a venv


def setup_psycopg2():
    """Return (python path, None) or (None, reason)."""
    venv = REPO / "target" / "bench-venv"
    py = venv / "bin" / "python"
    check = [str(py), "-c", "import psycopg2, psycopg; print(psycopg2.__version__.split()[0])"]
    try:
        if py.exists():
            r = subprocess.run(check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode == 0:
                return str(py), None, r.stdout.strip()
        else:
            log(f"creating {venv}")
            r = subprocess.run([sys.executable, "-m", "venv", str(venv)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                return None, "venv: " + first_line(r.stdout), None
        # psycopg 3 beside psycopg2: its executemany pipelines (since 3.1), the yardstick for execute_many.
        log("installing psycopg2-binary and psycopg[binary] into target/bench-venv")
        r = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                            "psycopg2-binary", "psycopg[binary]"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            lines = [l for l in r.stdout.splitlines() if l.strip()]
            return None, "pip install psycopg2-binary failed: " + (lines[-1] if lines else "?")[:160], None
        r = subprocess.run(check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            return None, "import psycopg2 failed: " + first_line(r.stderr), None
        return str(py), None, r.stdout.strip()
    except OSError as e:
        return None, f"cannot set up the venv: {e}", None


PY_SELECT = """
import psycopg2
conn = psycopg2.connect("")
cur = conn.cursor()
s = 0
for i in range(%d):
    cur.execute("SELECT %%s::int4", (i,))
    s += cur.fetchone()[0]
print(s)
""" % LOOP

PY_INSERT = """
import psycopg2
conn = psycopg2.connect("")
cur = conn.cursor()
for i in range(%d):
    cur.execute("INSERT INTO ins VALUES (%%s, %%s)", (i, "name " + str(i)))
conn.commit()
""" % LOOP

PY_EXECUTEMANY = """
import psycopg
conn = psycopg.connect("")
with conn.cursor() as cur:
    cur.executemany("INSERT INTO ins VALUES (%%s, %%s)", [(i, "name " + str(i)) for i in range(%d)])
conn.commit()
""" % LOOP

PY_QUERY = """
import psycopg2, psycopg2.extras
conn = psycopg2.connect("")
cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
cur.execute("SELECT id, name, at FROM t1m")
rows = cur.fetchall()
print(len(rows))
"""

PY_STREAM = """
import psycopg2
conn = psycopg2.connect("")
cur = conn.cursor(name="c")
cur.itersize = 1000
cur.execute("SELECT id, name, at FROM t1m")
n = 0
for r in cur:
    n += r[0]
print(n)
"""

# The documented psycopg2 way to receive notifications: select() on the connection, conn.poll(), then
# take conn.notifies. The ready file tells the sender LISTEN has taken effect (autocommit: at once).
PY_NOTIFY = """
import psycopg2, select, sys, time
conn = psycopg2.connect("")
conn.autocommit = True
conn.cursor().execute("LISTEN %s")
open(sys.argv[1], "w").close()
n = 0
t0 = None
while n < %d:
    if select.select([conn], [], [], 60) == ([], [], []):
        sys.exit("timed out after %%d notifications" %% n)
    if t0 is None:
        t0 = time.perf_counter()  # the first data is here: the clock includes parsing it
    conn.poll()
    for note in conn.notifies:
        if note.channel != "%s" or note.payload != str(n):
            sys.exit("notification %%d: got %%r on %%r" %% (n, note.payload, note.channel))
        n += 1
    conn.notifies.clear()
print(n)
print("loop", time.perf_counter() - t0)
""" % (NOTIFY_CHANNEL, LOOP, NOTIFY_CHANNEL)


class NotifySender:
    """The other session of the notify workload: a psql connected before each run, which sends the NOTIFYs
    (one DO block, so all are delivered at its commit) as soon as the listener has created its ready file,
    i.e. once its LISTEN has taken effect. The same sender serves every tool, so only the receiving differs."""

    def __init__(self, cl, ready, sql, err_path, wait=120):
        self.cl, self.ready, self.sql, self.err_path, self.wait = cl, Path(ready), sql, Path(err_path), wait
        self.proc = self.thread = self.err = None
        self.sent = False
        self.stop = threading.Event()

    def start(self):
        self.finish()
        if self.ready.exists():
            self.ready.unlink()
        self.sent = False
        self.stop = threading.Event()
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"], env=self.cl.env(),
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.err, text=True)
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self):
        deadline = time.monotonic() + self.wait
        try:
            while not self.ready.exists():
                if self.stop.is_set() or time.monotonic() > deadline or self.proc.poll() is not None:
                    return  # the listener never got ready (its run fails on its own); send nothing
                self.stop.wait(0.001)
            self.proc.stdin.write(self.sql + "\n")
            self.proc.stdin.flush()
            self.sent = True
        except OSError:
            pass
        finally:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def finish(self):
        """Wait for the sender to end; return None when it sent everything, else why not."""
        if self.proc is None:
            return "no sender was started"
        self.stop.set()  # the listener has ended: a sender still waiting for it gives up
        self.thread.join()
        try:
            rc = self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # our own child
            rc = self.proc.wait()
        self.err.close()
        self.proc = None
        if not self.sent:
            return "the sender never saw the listener ready"
        if rc != 0:
            return f"the sender's psql failed ({rc}): {first_line(self.err_path.read_text(errors='replace'))}"
        return None


# ----------------------------------------------------------------------------------------------
# Workload and tool descriptions


class Tool:
    def __init__(self, name, argv=None, env=None, before=None, check=None, extra=None, nbytes=None,
                 unavailable=None, is_pgsh=False, target=None):
        self.name = name
        self.argv = argv
        self.env = env
        self.before = before          # () -> None, untimed reset before each run
        self.check = check            # (stdout, stderr) -> None or raise RunFailed
        self.extra = extra            # (stdout) -> dict of extra numbers (e.g. pgbench tps)
        self.nbytes = nbytes          # () -> bytes moved by the run (throughput workloads)
        self.unavailable = unavailable  # reason string: do not run
        self.is_pgsh = is_pgsh
        self.target = target          # dict(kind=..., limit=..., text=...)
        self.runs = []                # timed runs: dict(time, rss, bytes, extra)
        self.failure = None           # text for the table when the tool failed


class Workload:
    def __init__(self, name, title, tools, rate_count=None, rate_unit=None, throughput=False, note=None):
        self.name = name
        self.title = title
        self.tools = tools
        self.rate_count = rate_count  # items per run (round trips, rows) for the runs/s column
        self.rate_unit = rate_unit
        self.throughput = throughput  # MB/s column from tool.nbytes
        self.note = note
        self.skipped = None


def expect_stdout(value):
    def check(out, err):
        got = out.strip()
        if got != str(value):
            raise RunFailed(f"expected output {value!r}, got {got[:120]!r}")
    return check


def expect_contains(text):
    def check(out, err):
        if text not in out:
            raise RunFailed(f"output lacks {text!r}: {first_line(out)!r}")
    return check


def parse_pgbench(out):
    for line in out.splitlines():
        if line.startswith("tps = ") and "without initial connection time" in line:
            return {"tps": float(line.split()[2])}
    return {}


def file_digest(path, skip_header):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        if skip_header:
            first = f.readline()
            if not first.startswith(b"id,name,at"):
                h.update(first)
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_workloads(args, cl, tmp, pgsh, py, py_reason):
    rows = args.rows
    tmp = Path(tmp)
    names = set(args.only)
    pgsh_env = cl.env() if cl else None
    if pgsh_env is not None:
        pgsh_env["XDG_CONFIG_HOME"] = str(tmp / "xdg-config")  # no user config file changes the run
    ws = []

    def script(name, text):
        p = tmp / name
        p.write_text(text)
        return str(p)

    def pgsh_tool(script_path, check, **kw):
        return Tool("pgsh", [pgsh, "-X", script_path], pgsh_env, check=check, is_pgsh=True, **kw)

    # Python scripts run with -P: their directory also holds the workloads' other scripts, and one named like a
    # standard module (select.py) would shadow it for every later script (psycopg imports `select`).
    def psycopg(code_name, code, check, **kw):
        if py is None:
            return Tool("psycopg2", unavailable=py_reason, **kw)
        return Tool("psycopg2", [py, "-P", script(code_name, code)], cl.env(), check=check, **kw)

    def psql_c(command, check=None, **kw):
        return Tool("psql", ["psql", "-X", "-v", "ON_ERROR_STOP=1"] + command, cl.env(),
                    check=check or (lambda o, e: None), **kw)

    # 1. round trips
    if "select" in names:
        total = sum(range(LOOP))
        sel = script("select1.sql", "SELECT 1;\n")
        ws.append(Workload("select", f"{LOOP:,} `SELECT $1::int4` round trips", [
            pgsh_tool(script("select.rhai",
                             f'let s = 0;\nfor i in 0..{LOOP} {{ s += query_value("SELECT $1::int4", [i]); }}\n'
                             'print(s);\n'), expect_stdout(total)),
            Tool("pgbench", ["pgbench", "-n", "-M", "prepared", "-c1", "-t", str(LOOP), "-f", sel], cl.env(),
                 check=expect_contains(f"number of transactions actually processed: {LOOP}/{LOOP}"),
                 extra=parse_pgbench, target=dict(kind="rate", limit=0.9, text="rate ≥ 0.9×")),
            psycopg("select.py", PY_SELECT, expect_stdout(total),
                    target=dict(kind="rate", limit=1.1, text="rate ≥ 1.1×")),
        ], rate_count=LOOP, rate_unit="q/s"))

    # 2. inserts in one transaction: psql's file, the check and the reset serve both insert workloads
    if "insert" in names or "execute_many" in names:
        lines = ["BEGIN;"] + [f"INSERT INTO ins VALUES ({i}, 'name {i}');" for i in range(LOOP)] + ["COMMIT;"]
        ins_sql = script("inserts.sql", "\n".join(lines) + "\n")
        want = f"{LOOP}|{sum(range(LOOP))}|{LOOP}"

        def check_ins(out, err):
            got = cl.sql("SELECT count(*), sum(id), count(*) FILTER (WHERE name = 'name ' || id) FROM ins")
            if got != want:
                raise RunFailed(f"ins holds {got!r}, expected {want!r}")

        def reset_ins():
            cl.sql("TRUNCATE ins")

    if "insert" in names:
        ws.append(Workload("insert", f"{LOOP:,} parameterized INSERTs in one transaction", [
            pgsh_tool(script("insert.rhai",
                             f'transaction(|| {{ for i in 0..{LOOP} {{ execute("INSERT INTO ins VALUES ($1, $2)", '
                             '[i, "name " + i]); } });\n'), check_ins, before=reset_ins),
            Tool("psql", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", ins_sql], cl.env(),
                 before=reset_ins, check=check_ins, target=dict(kind="time", limit=0.9, text="time ≤ 0.9×")),
            psycopg("insert.py", PY_INSERT, check_ins, before=reset_ins,
                    target=dict(kind="time", limit=0.8, text="time ≤ 0.8×")),
        ], rate_count=LOOP, rate_unit="rows/s"))

    # 2b. the same inserts pipelined: execute_many against psql's file and pgsh's own loop
    if "execute_many" in names:
        many_sql, check_many, reset_many = ins_sql, check_ins, reset_ins
        loop_tool = Tool("pgsh loop", [pgsh, "-X", script(
            "insert_loop.rhai",
            f'transaction(|| {{ for i in 0..{LOOP} {{ execute("INSERT INTO ins VALUES ($1, $2)", '
            '[i, "name " + i]); } });\n')], pgsh_env, before=reset_many, check=check_many,
            target=dict(kind="time", limit=0.5, text="time ≤ 0.5×"))
        ws.append(Workload("execute_many", f"{LOOP:,} INSERTs in one transaction with `execute_many`", [
            pgsh_tool(script("insert_many.rhai",
                             f'let rows = []; for i in 0..{LOOP} {{ rows.push([i, "name " + i]); }}\n'
                             'print(execute_many("INSERT INTO ins VALUES ($1, $2)", rows));\n'),
                      check_many, before=reset_many),
            Tool("psql", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", many_sql], cl.env(),
                 before=reset_many, check=check_many, target=dict(kind="time", limit=0.2, text="time ≤ 0.2×")),
            (Tool("psycopg3", [py, "-P", script("executemany.py", PY_EXECUTEMANY)], cl.env(), before=reset_many,
                  check=check_many, target=dict(kind="time", limit=0.5, text="time ≤ 0.5×"))
             if py else Tool("psycopg3", unavailable=py_reason)),
            loop_tool,
            # What the server alone needs for the same 10,000 single-row INSERTs (PL/pgSQL, no client round
            # trips, plans cached): no client can go below it, which bounds the ratio psql's file allows.
            Tool("server floor", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                  f"DO $$BEGIN FOR i IN 0..{LOOP - 1} LOOP INSERT INTO ins VALUES (i, 'name ' || i); "
                                  "END LOOP; END$$"], cl.env(), before=reset_many, check=check_many),
        ], rate_count=LOOP, rate_unit="rows/s"))

    select_t1m = "SELECT id, name, at FROM t1m"

    # 3. materialise a million rows
    if "query" in names:
        ws.append(Workload("query", f"{rows:,} rows × (int, text, timestamptz) with `query`", [
            pgsh_tool(script("query.rhai", f'let rows = query("{select_t1m}");\nprint(rows.len());\n'),
                      expect_stdout(rows)),
            psql_c(["-At", "-o", "/dev/null", "-c", select_t1m],
                   target=dict(kind="time_rss", limit=1.5, rss_limit=1.0, text="time ≤ 1.5×, RSS ≤ 1×")),
            psycopg("query.py", PY_QUERY, expect_stdout(rows),
                    target=dict(kind="rss", limit=0.5, text="RSS ≤ 0.5×")),
        ], rate_count=rows, rate_unit="rows/s"))

    # 4. stream a million rows
    if "stream" in names:
        total = rows * (rows + 1) // 2
        ws.append(Workload("stream", f"{rows:,} rows with `stream`, touching every row", [
            pgsh_tool(script("stream.rhai",
                             f'let n = 0;\nfor r in stream("{select_t1m}") {{ n += r.id; }}\nprint(n);\n'),
                      expect_stdout(total), target=dict(kind="abs_rss", limit=64, text="RSS ≤ 64 MiB")),
            psql_c(["-At", "-o", "/dev/null", "-c", select_t1m],
                   target=dict(kind="time", limit=1.1, text="time ≤ 1.1×")),
            psycopg("stream.py", PY_STREAM, expect_stdout(total)),
        ], rate_count=rows, rate_unit="rows/s"))

    # 5. SQL mode: a million rows printed as psql prints them (aligned, to a file), all at once and with
    #    FETCH_COUNT (psql's cursor loop: memory flat whatever the row count). The outputs must be identical.
    for name, fetch in (("print", None), ("print_fetch", "1000")):
        if name not in names:
            continue
        out_pgsh, out_psql = tmp / f"{name}-pgsh.txt", tmp / f"{name}-psql.txt"
        fc = ["-v", f"FETCH_COUNT={fetch}"] if fetch else []

        def same_output(out, err, a=out_pgsh, b=out_psql):
            if a.exists() and b.exists() and a.read_bytes() != b.read_bytes():
                raise RunFailed(f"{a.name} differs from {b.name}")

        title = f"`-c` printing {rows:,} rows × (int, text, timestamptz) aligned to a file"
        if fetch:
            ws.append(Workload(name, title + f", FETCH_COUNT={fetch}", [
                Tool("pgsh", [pgsh, "-X"] + fc + ["-c", select_t1m, "-o", str(out_pgsh)], pgsh_env,
                     check=same_output, is_pgsh=True, target=dict(kind="abs_rss", limit=32, text="RSS ≤ 32 MiB")),
                psql_c(fc + ["-c", select_t1m, "-o", str(out_psql)], check=same_output),
            ], rate_count=rows, rate_unit="rows/s"))
        else:
            ws.append(Workload(name, title, [
                Tool("pgsh", [pgsh, "-X", "-c", select_t1m, "-o", str(out_pgsh)], pgsh_env, check=same_output,
                     is_pgsh=True),
                psql_c(["-c", select_t1m, "-o", str(out_psql)], check=same_output,
                       target=dict(kind="time_rss", limit=0.8, rss_limit=1.0, text="time ≤ 0.8×, RSS ≤ 1×")),
            ], rate_count=rows, rate_unit="rows/s"))

    csv = tmp / "data.csv"

    # 6. CSV -> table
    if "copy_in" in names:
        want_in = None

        def check_in(out, err):
            nonlocal want_in
            q = "SELECT count(*), sum(id), sum(length(name)), min(at), max(at) FROM {}"
            if want_in is None:
                want_in = cl.sql(q.format("t1m"))
            got = cl.sql(q.format("t_in"))
            if got != want_in:
                raise RunFailed(f"t_in holds {got!r}, expected {want_in!r}")

        def reset_in():
            cl.sql("TRUNCATE t_in")

        size = lambda: csv.stat().st_size
        ws.append(Workload("copy_in", f"{rows:,}-row CSV → table", [
            pgsh_tool(script("copy_in.rhai", f'print(copy_in("t_in", {json.dumps(str(csv))}, #{{header: true}}));\n'),
                      check_in, before=reset_in, nbytes=size),
            psql_c(["-c", f"\\copy t_in FROM '{csv}' CSV HEADER"], before=reset_in,
                   check=lambda o, e: (expect_contains(f"COPY {rows}")(o, e), check_in(o, e)), nbytes=size,
                   target=dict(kind="throughput", limit=0.9, text="MB/s ≥ 0.9×")),
        ], throughput=True))

    # 7. table -> CSV
    if "copy_out" in names:
        out1, out2 = tmp / "out.csv", tmp / "out2.csv"
        out_ref = {}

        def check_file(path):
            def check(out, err):
                if not path.exists():
                    raise RunFailed(f"{path.name} was not written")
                if "digest" not in out_ref:
                    out_ref["digest"] = file_digest(csv, True)
                if file_digest(path, True) != out_ref["digest"]:
                    raise RunFailed(f"{path.name} differs from the reference CSV of t1m")
            return check

        def rm(path):
            def before():
                if path.exists():
                    path.unlink()
            return before

        ws.append(Workload("copy_out", f"table ({rows:,} rows) → CSV", [
            pgsh_tool(script("copy_out.rhai", f'print(copy_out("t1m", {json.dumps(str(out1))}));\n'),
                      check_file(out1), before=rm(out1), nbytes=lambda: out1.stat().st_size),
            psql_c(["-c", f"\\copy t1m TO '{out2}' CSV HEADER"], before=rm(out2),
                   check=lambda o, e: (expect_contains(f"COPY {rows}")(o, e), check_file(out2)(o, e)),
                   nbytes=lambda: out2.stat().st_size,
                   target=dict(kind="throughput", limit=0.9, text="MB/s ≥ 0.9×")),
        ], throughput=True))

    # 8. Chinook
    if "chinook" in names:
        if not CHINOOK.exists():
            w = Workload("chinook", "Chinook SQL file", [])
            w.skipped = f"skipped: {CHINOOK} not found"
            ws.append(w)
        else:
            chinook_ref = {}
            counts_sql = ("SELECT string_agg(table_name || '=' || (xpath('/row/c/text()', query_to_xml(format("
                          "'SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text,"
                          " ',' ORDER BY table_name) FROM information_schema.tables "
                          "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")

            def reset_chinook():
                cl.sql("DROP DATABASE IF EXISTS chinook")

            def check_chinook(out, err):
                got = cl.sql(counts_sql, db="chinook")
                if "counts" not in chinook_ref:
                    raise RunFailed("no reference row counts")
                if got != chinook_ref["counts"]:
                    raise RunFailed(f"chinook row counts {got[:120]!r} differ from psql's {chinook_ref['counts'][:120]!r}")

            def prepare():
                reset_chinook()
                r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(CHINOOK)], env=cl.env(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                if r.returncode != 0:
                    raise RuntimeError("reference Chinook load with psql failed: " + first_line(r.stderr))
                chinook_ref["counts"] = cl.sql(counts_sql, db="chinook")
                log(f"[chinook] reference row counts: {chinook_ref['counts']}")

            w = Workload("chinook", "Chinook SQL file (`-f`)", [
                Tool("pgsh", [pgsh, "-X", "-q", "-f", str(CHINOOK)], pgsh_env, before=reset_chinook,
                     check=check_chinook, is_pgsh=True),
                Tool("psql", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(CHINOOK)], cl.env(),
                     before=reset_chinook, check=check_chinook,
                     target=dict(kind="time", limit=1.2, text="time ≤ 1.2×")),
            ])
            w.prepare = prepare
            w.cleanup = reset_chinook
            ws.append(w)

    # 9. fan-out: the same pg_sleep on FAN_OUT databases at once, against one target's time
    if "fan_out" in names:
        dbs = [f"fan{i}" for i in range(1, FAN_OUT + 1)]
        targets = [f"host={tmp} port={cl.port} user=postgres dbname={d}" for d in dbs]
        sleep_sql = f"SELECT pg_sleep({SLEEP})"

        def prepare_fan_out():
            for d in dbs:
                cl.sql(f"DROP DATABASE IF EXISTS {d}")
                cl.sql(f"CREATE DATABASE {d}")

        def fan_script(name, ts):
            # One line per row: its target, in the order of the targets (fan_out keeps that order).
            return script(name, f"let rows = fan_out({json.dumps(ts)}, {json.dumps(sleep_sql)});\n"
                                "print(rows.len());\nfor r in rows { print(r.target); }\n")

        def expect_targets(ds):
            def check(out, err):
                lines = out.strip().splitlines()
                if not lines or lines[0] != str(len(ds)):
                    raise RunFailed(f"expected {len(ds)} rows, got {first_line(out)!r}")
                got = [l.rsplit("/", 1)[-1] for l in lines[1:]]
                if got != ds:
                    raise RunFailed(f"rows came from {got}, expected {ds}")
            return check

        w = Workload("fan_out", f"`fan_out` of `{sleep_sql}` over {FAN_OUT} databases", [
            pgsh_tool(fan_script("fan_out.rhai", targets), expect_targets(dbs)),
            # The anchor: one target's time, the same statement once on the default session.
            Tool("pgsh 1 query", [pgsh, "-X", script("fan_one.rhai", f"print(query({json.dumps(sleep_sql)}).len());\n")],
                 pgsh_env, check=expect_stdout(1), target=dict(kind="time", limit=1.5, text="time ≤ 1.5×")),
            # fan_out's own fixed cost, for reading the ratio: the same call with a single target.
            Tool("pgsh fan_out ×1", [pgsh, "-X", fan_script("fan_out1.rhai", targets[:1])], pgsh_env,
                 check=expect_targets(dbs[:1])),
        ])
        w.prepare = prepare_fan_out
        ws.append(w)

    # 10. notifications: LOOP NOTIFYs from another session, received in order
    if "notify" in names:
        ready = tmp / "notify.ready"
        sender = NotifySender(cl, ready, f"DO $$BEGIN FOR i IN 0..{LOOP - 1} LOOP "
                                         f"PERFORM pg_notify('{NOTIFY_CHANNEL}', i::text); END LOOP; END$$;",
                              tmp / "notify-sender.err")

        def received(out, err):
            why = sender.finish()
            if why:
                raise RunFailed(why)
            lines = out.strip().splitlines()
            if not lines or lines[0] != str(LOOP):
                raise RunFailed(f"expected {LOOP} notifications, got {first_line(out)!r}")

        def loop_rate(out):
            for line in out.splitlines():
                if line.startswith("loop "):
                    secs = float(line.split()[1])
                    return {"loop_rate": (LOOP - 1) / secs} if secs > 0 else {}
            return {}

        # The first notification starts the script's clock: the loop rate excludes start-up and waiting.
        listener = script("notify.rhai", f"""listen("{NOTIFY_CHANNEL}");
write_json({json.dumps(str(ready))}, [#{{ready: true}}]);
let n = 0;
let t0 = ();
while n < {LOOP} {{
    let m = wait_notification(60);
    if type_of(m) == "()" {{ throw `timed out after ${{n}} notifications`; }}
    if n == 0 {{ t0 = timestamp(); }}
    if m.channel != "{NOTIFY_CHANNEL}" || m.payload != `${{n}}` {{
        throw `notification ${{n}}: got ${{m.payload}} on ${{m.channel}}`;
    }}
    n += 1;
}}
print(n);
print(`loop ${{t0.elapsed}}`);
""")
        # For reading the result: the same receiving, but taking whatever has arrived with notifications() and
        # waiting only when nothing has (one wait_notification call per batch instead of per notification).
        batch = script("notify_batch.rhai", f"""listen("{NOTIFY_CHANNEL}");
write_json({json.dumps(str(ready))}, [#{{ready: true}}]);
let n = 0;
let t0 = ();
while n < {LOOP} {{
    let got = notifications();
    if got.is_empty() {{
        let m = wait_notification(60);
        if type_of(m) == "()" {{ throw `timed out after ${{n}} notifications`; }}
        got = [m];
    }}
    if n == 0 {{ t0 = timestamp(); }}
    for m in got {{
        if m.channel != "{NOTIFY_CHANNEL}" || m.payload != `${{n}}` {{
            throw `notification ${{n}}: got ${{m.payload}} on ${{m.channel}}`;
        }}
        n += 1;
    }}
}}
print(n);
print(`loop ${{t0.elapsed}}`);
""")
        w = Workload("notify", f"{LOOP:,} NOTIFYs from another session received in order", [
            pgsh_tool(listener, received, before=sender.start, extra=loop_rate),
            (Tool("psycopg2", [py, "-P", script("notify.py", PY_NOTIFY), str(ready)], cl.env(), before=sender.start,
                  check=received, extra=loop_rate, target=dict(kind="rate", limit=0.8, text="rate ≥ 0.8×"))
             if py else Tool("psycopg2", unavailable=py_reason)),
            Tool("pgsh batches", [pgsh, "-X", batch], pgsh_env, before=sender.start, check=received,
                 extra=loop_rate),
        ], rate_count=LOOP, rate_unit="notifications/s")
        w.cleanup = sender.finish
        ws.append(w)

    # 11. embedded
    if "embedded" in names:
        env = clean_env()
        env["XDG_CONFIG_HOME"] = str(tmp / "xdg-config")
        ws.append(Workload("embedded", "`pgsh --embedded --eval 'query_value(\"SELECT 1\")'`, warm cache", [
            Tool("pgsh", [pgsh, "-X", "--embedded", "--eval", 'query_value("SELECT 1")'], env, check=expect_stdout(1),
                 is_pgsh=True, target=dict(kind="abs_time", limit=1.5, text="< 1.5 s")),
        ]))
    return ws


# ----------------------------------------------------------------------------------------------
# Running a workload


def run_workload(w, args, tmp):
    if w.skipped:
        log(f"[{w.name}] {w.skipped}")
        return
    prep = getattr(w, "prepare", None)
    if prep:
        prep()
    active = [t for t in w.tools if not t.unavailable]
    for t in w.tools:
        if t.unavailable:
            t.failure = f"n/a ({t.unavailable})"
    rounds = args.pairs + 1
    if len(w.tools) == 1:  # no anchor (embedded): one untimed run to warm the cache first
        rounds += 1
    warm = rounds - args.pairs
    for r in range(rounds):
        timed = r >= warm
        line = []
        for t in active:
            if t.failure:
                continue
            if t.before:
                t.before()
            tag = f"{w.name}-{t.name}-{r}"
            rc, secs, rss, cpu, out, err = run_timed(t.argv, t.env, tmp, tag, args.timeout)
            problem = None
            if rc != 0:
                if t.is_pgsh and "Function not found" in err:
                    t.failure = f"pgsh: not available ({first_line(err, tmp)})"
                else:
                    problem = f"exit {rc}: {first_line(err or out, tmp)}"
            else:
                try:
                    if t.check:
                        t.check(out, err)
                except RunFailed as e:
                    problem = str(e)
            if problem:
                t.failure = f"FAILED ({problem})"
            if t.failure:
                line.append(f"{t.name} {t.failure}")
                log(f"[{w.name}] {t.name}: {t.failure}")
                if err.strip():
                    log("    stderr: " + err.strip()[:600].replace("\n", "\n    "))
                continue
            run = dict(time=secs, rss=rss, cpu=cpu, bytes=t.nbytes() if t.nbytes else None,
                       extra=t.extra(out) if t.extra else {}, out=first_line(out)[:80])
            if timed:
                t.runs.append(run)
            elif r == 0:
                log(f"[{w.name}] {t.name} output: {first_line(out, tmp)[:100]!r}")
            line.append(f"{t.name} {secs:.3f}s {rss / 1024:.0f}MiB cpu {cpu:.2f}s")
        label = "warm-up" if not timed else f"pair {r - warm + 1}/{args.pairs}"
        log(f"[{w.name}] {label}: " + " | ".join(line))
    cleanup = getattr(w, "cleanup", None)
    if cleanup:
        cleanup()


# ----------------------------------------------------------------------------------------------
# Report


def med(xs):
    return statistics.median(xs) if xs else None


def fmt_time(s):
    return f"{s:.3f} s"


def fmt_rate(x, unit):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M {unit}"
    return f"{x:,.0f} {unit}"


def ratios(p, a, kind):
    """Median over pairs of the pgsh/anchor ratio of the given kind."""
    n = min(len(p.runs), len(a.runs))
    vals = []
    for i in range(n):
        pr, ar = p.runs[i], a.runs[i]
        if kind == "time":
            vals.append(pr["time"] / ar["time"])
        elif kind == "rate":
            vals.append(ar["time"] / pr["time"])
        elif kind == "throughput":
            vals.append((pr["bytes"] / pr["time"]) / (ar["bytes"] / ar["time"]))
        elif kind == "rss":
            vals.append(pr["rss"] / ar["rss"])
    return med(vals)


def build_table(ws):
    head = ["workload", "tool", "median time", "runs/s or MB/s", "peak RSS (median, MiB)", "ratio pgsh/anchor",
            "target", "met?"]
    rows = [head, ["---"] * len(head)]
    misses = []
    for w in ws:
        if w.skipped:
            rows.append([w.title, "—", w.skipped, "", "", "", "", "n/a"])
            continue
        pgsh = next((t for t in w.tools if t.is_pgsh), None)
        pgsh_ok = pgsh is not None and not pgsh.failure and pgsh.runs
        for t in w.tools:
            cells = [w.title, t.name]
            if t.failure or not t.runs:
                cells += [t.failure or "no runs", "—", "—", "—", t.target["text"] if t.target else "—", "n/a"]
                rows.append(cells)
                continue
            mt = med([r["time"] for r in t.runs])
            mrss = med([r["rss"] for r in t.runs]) / 1024
            if w.throughput:
                rate = f"{med([r['bytes'] / r['time'] for r in t.runs]) / 1e6:.1f} MB/s"
            elif w.rate_count:
                rate = fmt_rate(med([w.rate_count / r["time"] for r in t.runs]), w.rate_unit)
            else:
                rate = "—"
            tps = [r["extra"]["tps"] for r in t.runs if "tps" in r["extra"]]
            if tps:
                rate += f" (pgbench tps {med(tps):,.0f})"
            loop = [r["extra"]["loop_rate"] for r in t.runs if "loop_rate" in r["extra"]]
            if loop:
                rate += f" (receive loop {fmt_rate(med(loop), 'notifications/s')})"
            ratio, met, target = "—", "—", "—"
            tg = t.target
            if t.is_pgsh:
                if tg and tg["kind"] == "abs_rss":
                    target, ok = tg["text"], mrss <= tg["limit"]
                    met = "yes" if ok else "**no**"
                    if not ok:
                        misses.append(f"{w.name}: pgsh peak RSS {mrss:.0f} MiB > {tg['limit']} MiB")
                elif tg and tg["kind"] == "abs_time":
                    target, ok = tg["text"], mt < tg["limit"]
                    met = "yes" if ok else "**no**"
                    if not ok:
                        misses.append(f"{w.name}: pgsh {mt:.3f} s ≥ {tg['limit']} s")
            elif pgsh_ok:
                kind = tg["kind"] if tg else "time"
                rt = ratios(pgsh, t, "time")
                rr = ratios(pgsh, t, "rss")
                if kind == "time":
                    ratio = f"time {rt:.2f}×"
                elif kind == "rate":
                    ratio = f"rate {ratios(pgsh, t, 'rate'):.2f}×"
                elif kind == "throughput":
                    ratio = f"MB/s {ratios(pgsh, t, 'throughput'):.2f}×"
                elif kind == "rss":
                    ratio = f"RSS {rr:.2f}× (time {rt:.2f}×)"
                if not tg or kind == "time_rss":
                    ratio = f"time {rt:.2f}×, RSS {rr:.2f}×"
                if tg:
                    if kind == "time_rss":
                        ok = rt <= tg["limit"] and rr <= tg["rss_limit"]
                    else:
                        value = ratios(pgsh, t, kind)
                        ok = value <= tg["limit"] if kind in ("time", "rss") else value >= tg["limit"]
                    target = tg["text"]
                    met = "yes" if ok else "**no**"
                    if not ok:
                        misses.append(f"{w.name}: vs {t.name}: {ratio} (target {tg['text']})")
            else:
                target = tg["text"] if tg else "—"
                met = "n/a" if tg else "—"
            cells += [fmt_time(mt), rate, f"{mrss:.0f}", ratio, target, met]
            rows.append(cells)
    text = "\n".join("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows)
    return text, misses


def raw_section(ws):
    out = ["", "## Raw timed runs (wall seconds / peak RSS MiB / CPU seconds)", ""]
    for w in ws:
        for t in w.tools:
            if t.runs:
                out.append(f"- {w.name} / {t.name}: " + ", ".join(
                    f"{r['time']:.3f}/{r['rss'] / 1024:.0f}/{r['cpu']:.2f}" for r in t.runs))
            elif t.failure:
                out.append(f"- {w.name} / {t.name}: {t.failure}")
    return "\n".join(out) + "\n"


def run_api_bench(args, cl):
    """examples/api.rs --bench: requests/s of GET /employees/{id} through pgsh's embedding API (a Rhai
    function) and through `postgres` directly (a prepared statement), alternately in one process, on this
    run's cluster. The example measures itself (8 keep-alive clients, median of 3 rounds per side)."""
    exe = REPO / "target" / "release" / "examples" / "api"
    if not exe.exists():
        log("target/release/examples/api is missing: cargo build --release --example api")
        r = subprocess.run(["cargo", "build", "--release", "--example", "api"], cwd=REPO)
        if r.returncode != 0:
            return "not measured: cargo build --release --example api failed"
    env = clean_env()
    env.update(cl.env())
    env["XDG_CONFIG_HOME"] = str(Path(cl.tmp) / "xdg-config")
    env["DATABASE_URL"] = f"postgresql://postgres@{urllib.parse.quote(str(cl.tmp), safe='')}:{cl.port}/postgres"
    env["PGSH_POOL_SIZE"] = "4"
    seconds = "1" if args.quick else "3"
    log(f"=== api: examples/api --bench {seconds}")
    r = subprocess.run([str(exe), "--bench", seconds], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=args.timeout)
    line = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    if r.returncode != 0 or not line.startswith("GET /employees/{id}"):
        return f"not measured: the example failed ({r.returncode}): {r.stderr.strip()[-300:]}"
    log(line)
    return line


# ----------------------------------------------------------------------------------------------
# Tab completion in a pseudo-terminal

COMPLETION_TABLES = 10_000
COMPLETION_TARGET = 0.100  # seconds from Tab to the first candidates


class PtySession:
    """A program in a pseudo-terminal of 200x50: type into it, wait for bytes of its output."""

    def __init__(self, argv, env, cwd):
        import pty
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd, self.buf, self.mark = pid, fd, b"", 0
        import fcntl
        import struct
        import termios
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))

    def send(self, data):
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def expect(self, pat, timeout=30.0):
        """Wait until `pat` appears in the output after the mark; the time it was first seen."""
        import select
        pat = pat.encode() if isinstance(pat, str) else pat
        deadline = time.perf_counter() + timeout
        while pat not in self.buf[self.mark:]:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RunFailed(f"no {pat!r} in the terminal within {timeout} s; last output "
                                f"{self.buf[-300:]!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise RunFailed(f"the program ended before {pat!r}; last output {self.buf[-300:]!r}")
                self.buf += chunk
        seen = time.perf_counter()
        self.mark = self.buf.index(pat, self.mark) + len(pat)
        return seen

    def tab(self, pat, timeout=30.0):
        """Press Tab; seconds until `pat` shows."""
        self.mark = len(self.buf)
        start = time.perf_counter()
        self.send("\t")
        return self.expect(pat, timeout) - start

    def close(self):
        try:
            self.send("\x03")
            self.send("\\q\r")
        except OSError:
            pass
        deadline = time.time() + 10
        while time.time() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def run_completion_bench(args, cl, pgsh, tmp):
    """Tab completion on a catalog of 10,000 tables of 8 columns: pgsh in a pseudo-terminal, the time from
    Tab to the first candidates on the screen, in a fresh pgsh each round (its first Tab reads the catalog).
    Returns (report lines, targets missed)."""
    db = "completion"
    log(f"=== completion: creating {COMPLETION_TABLES:,} tables in database {db}")
    cl.sql(f"DROP DATABASE IF EXISTS {db}")
    cl.sql(f"CREATE DATABASE {db}")
    for lo in range(1, COMPLETION_TABLES + 1, 1000):
        hi = min(lo + 999, COMPLETION_TABLES)
        cl.sql(f"DO $$ BEGIN FOR i IN {lo}..{hi} LOOP EXECUTE format('CREATE TABLE t%s (id int, name text, "
               f"price numeric, created_at timestamptz, qty int, note text, flag bool, ref_id bigint)', i); "
               f"END LOOP; END $$", db=db)
    env = cl.env(db)
    env.update(HOME=str(Path(tmp) / "completion-home"), TERM="xterm", PAGER="")
    env["XDG_CONFIG_HOME"] = str(Path(tmp) / "xdg-config")
    Path(env["HOME"]).mkdir(exist_ok=True)
    # (label, text typed, what shows the candidates after one Tab). A Tab that completes nothing further
    # beeps (BEL) once it has the candidates; a unique one redraws the line with the completed word.
    cases = [
        ("first Tab, table after FROM (schema names, relation names by prefix)", "SELECT * FROM t987", b"\x07"),
        ("first Tab in WHERE (columns of the table named, all functions)", "SELECT * FROM t9876 WHERE qt",
         b"qty"),
        ("table after FROM, another prefix (one bounded query)", "SELECT * FROM t555", b"\x07"),
        ("WHERE on another table (its columns read, functions cached)", "SELECT * FROM t4321 WHERE pr",
         b"price"),
        ("UPDATE … SET (columns cached)", "UPDATE t4321 SET cr", b"created_at"),
    ]
    times = {label: [] for label, _, _ in cases}
    rounds = args.pairs + 1
    for r in range(rounds):
        s = PtySession([pgsh, "-X"], env, tmp)
        try:
            s.expect(f"{db}=#", timeout=60)
            for label, typed, shows in cases:
                # Typed-ahead input can be lost between two prompts: type when the editor is reading.
                time.sleep(0.2)
                s.mark = len(s.buf)
                s.send(typed)
                s.expect(typed[-6:])
                took = s.tab(shows)
                if shows == b"\x07":
                    # The second Tab lists them: check the list is the right one.
                    s.mark = len(s.buf)
                    s.send("\t")
                    s.expect(typed.split()[-1] + "9")
                if r > 0:  # round 0 warms the server's caches
                    times[label].append(took)
                s.send("\x03")
                s.expect(f"{db}=#")
        finally:
            s.close()
    lines = [f"{COMPLETION_TABLES:,} tables of 8 columns; pgsh in a pseudo-terminal; {rounds - 1} rounds, each a "
             f"fresh pgsh (after one warm-up round); time from Tab to the first candidates on the screen.", "",
             "| completion | median | max |", "|---|---:|---:|"]
    misses = []
    for label, _, _ in cases:
        ts = times[label]
        lines.append(f"| {label} | {med(ts) * 1000:.1f} ms | {max(ts) * 1000:.1f} ms |")
        if max(ts) >= COMPLETION_TARGET:
            misses.append(f"completion: {label}: {max(ts) * 1000:.1f} ms ≥ {COMPLETION_TARGET * 1000:.0f} ms")
    for line in lines:
        log(line)
    cl.sql(f"DROP DATABASE IF EXISTS {db}")
    return lines, misses


# ----------------------------------------------------------------------------------------------
# pgsh binary


def find_pgsh(args, tmp):
    if args.pgsh:
        path = Path(args.pgsh).resolve()
        deadline = time.time() + 600
        while not (path.exists() and os.access(path, os.X_OK)):
            if time.time() > deadline:
                raise RuntimeError(f"{path} does not exist")
            log(f"waiting for {path} to appear (it may be being rebuilt)…")
            time.sleep(10)
    else:
        path = REPO / "target" / "release" / "pgsh"
        if not path.exists():
            log("target/release/pgsh is missing: cargo build --release")
            r = subprocess.run(["cargo", "build", "--release"], cwd=REPO)
            if r.returncode != 0 or not path.exists():
                raise RuntimeError("cargo build --release failed")
    # Run a private copy, so a rebuild in the middle of the run does not mix two binaries.
    for attempt in range(30):
        try:
            snap = Path(tmp) / "pgsh"
            shutil.copy2(path, snap)
            r = subprocess.run([str(snap), "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, timeout=60)
            if r.returncode == 0:
                return str(snap), r.stdout.strip(), path
        except (OSError, subprocess.SubprocessError):
            pass
        log("pgsh --version failed (binary being rebuilt?); retrying in 10 s")
        time.sleep(10)
    raise RuntimeError(f"{path} does not run")


def git_head():
    try:
        r = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %cd", "--date=short"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        head = r.stdout.strip()
        r = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if r.stdout.strip():
            head += ", working tree modified"
        return head
    except OSError:
        return "?"


# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, help="timed pairs per workload (default 5; 3 with --quick)")
    ap.add_argument("--only", help="run only these workloads (comma-separated): " + ", ".join(WORKLOADS))
    ap.add_argument("--quick", action="store_true", help="100k rows instead of 1M, 3 pairs")
    ap.add_argument("--rows", type=int, help="rows for the big-table workloads (default 1,000,000)")
    ap.add_argument("--pgsh", help="pgsh binary to use (default target/release/pgsh, built if missing)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before one run is killed")
    args = ap.parse_args()
    args.pairs = args.pairs or (3 if args.quick else 5)
    args.rows = args.rows or (100_000 if args.quick else 1_000_000)
    if args.only:
        args.only = [n.strip() for n in args.only.split(",") if n.strip()]
        bad = [n for n in args.only if n not in WORKLOADS]
        if bad:
            ap.error(f"unknown workload {bad}; choose from {', '.join(WORKLOADS)}")
    else:
        args.only = list(WORKLOADS)
    if os.geteuid() != 0:
        ap.error("run as root (the cluster is started as the postgres user with runuser)")

    def on_term(signum, frame):
        raise Terminated()
    signal.signal(signal.SIGTERM, on_term)

    global LAUNCH
    LAUNCH = Launcher()
    started = time.perf_counter()
    start_date = datetime.datetime.now().astimezone()
    load_start = os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="pgsh-bench-")
    (Path(tmp) / "xdg-config").mkdir()
    cl = None
    code = 0
    try:
        floor = run_timed(["/bin/true"], clean_env(), tmp, "floor", 60)[2] / 1024
        pgsh, pgsh_version, pgsh_path = find_pgsh(args, tmp)
        log(f"using {pgsh_path} ({pgsh_version}), private copy {pgsh}")
        needs_server = any(n != "embedded" for n in args.only)
        py, py_reason, py_version = (None, "not needed", None)
        if needs_server and any(n in args.only for n in ("select", "insert", "execute_many", "query", "stream",
                                                          "notify")):
            py, py_reason, py_version = setup_psycopg2()
            log(f"psycopg2: {py_version or py_reason}")
        server_version = "—"
        if needs_server:
            cl = Cluster(tmp)
            cl.start()
            server_version = cl.sql("SHOW server_version")
            log(f"cluster up: PostgreSQL {server_version}, socket {tmp}, port {cl.port}")
            cl.sql("CREATE TABLE ins(id int, name text)")
            if any(n in args.only for n in ("query", "stream", "print", "print_fetch", "copy_in", "copy_out")):
                log(f"preparing t1m with {args.rows:,} rows and its CSV")
                cl.sql("CREATE TABLE t1m(id int, name text, at timestamptz)")
                cl.sql(f"INSERT INTO t1m SELECT g, 'name ' || g, timestamptz '2024-01-01 00:00:00+00' "
                       f"+ g * interval '1 second' FROM generate_series(1, {args.rows}) g")
                cl.sql("VACUUM (FREEZE, ANALYZE) t1m")
                cl.sql("CREATE TABLE t_in(id int, name text, at timestamptz)")
                cl.sql(f"\\copy t1m TO '{tmp}/data.csv' CSV HEADER")
                log(f"data.csv: {(Path(tmp) / 'data.csv').stat().st_size / 1e6:.1f} MB")
        ws = build_workloads(args, cl, tmp, pgsh, py, py_reason)
        for w in ws:
            log(f"=== {w.name}: {w.title}")
            run_workload(w, args, tmp)
        api_line = run_api_bench(args, cl) if "api" in args.only else None
        completion = run_completion_bench(args, cl, pgsh, tmp) if "completion" in args.only else None

        elapsed = time.perf_counter() - started
        table, misses = build_table(ws)
        load_end = os.getloadavg()
        header = [
            "# pgsh benchmark",
            "",
            f"- date: {start_date.strftime('%Y-%m-%d %H:%M %Z')}; total run time {elapsed / 60:.1f} min",
            f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
            f"load average {load_start[0]:.2f} at start, {load_end[0]:.2f} at end",
            f"- PostgreSQL {server_version} (private cluster, unix socket, fsync/synchronous_commit/"
            f"full_page_writes off); psql/pgbench {subprocess.run(['psql', '--version'], stdout=subprocess.PIPE, text=True).stdout.split()[2]}"
            f"; psycopg2 {py_version or 'n/a'}",
            f"- {pgsh_version} ({pgsh_path}, commit {git_head()})",
            f"- {args.rows:,} rows for the big-table workloads; {args.pairs} timed pairs per workload after 1 "
            f"warm-up pair, tools run alternately; times are whole-process wall clock, RSS is ru_maxrss "
            f"from wait4 (floor: /bin/true measured the same way shows {floor:.0f} MiB)",
            "- ratio pgsh/anchor: the median over pairs of the per-pair ratio (time, or rate/MB/s for throughput "
            "targets, or peak RSS where marked)",
            "",
            LATENCY_NOTE,
            "",
        ]
        report = "\n".join(header) + table + "\n"
        if api_line:
            report += ("\n## Embedding API: `GET /employees/{id}` of examples/api.rs\n\n"
                       f"{api_line}\n")
        if completion:
            report += "\n## Tab completion\n\n" + "\n".join(completion[0]) + "\n"
            misses = misses + completion[1]
        if misses:
            report += "\nTargets missed:\n" + "".join(f"- {m}\n" for m in misses)
        print(report)
        out = REPO / "target" / "bench-report.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report + raw_section(ws))
        log(f"report written to {out} ({elapsed:.0f} s)")
    except (KeyboardInterrupt, Terminated):
        log("interrupted; cleaning up")
        code = 130
        LAUNCH.close(interrupted=True)
    finally:
        LAUNCH.close()
        if cl:
            cl.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
