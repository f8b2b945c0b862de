//! LISTEN/NOTIFY from scripts: notifications taken in order and never lost while other statements run,
//! waiting with a timeout, a notification from another process ending a wait, Ctrl-C ending a wait, a
//! pooled connection carrying none over to the next session; and at the REPL, printed as psql prints them
//! while the prompt waits and once after a statement that was running when they came.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::{lines, spawn, wait_for_pgsh_session, Target};

/// One session notifies itself (the embedded database has one session): the notifications queue in
/// order, `wait_notification` takes the oldest, `notifications` the rest, and a wait on an empty queue
/// ends after its timeout with `()`.
fn check_own_session(target: &Target) {
    let out = target.ok(r#"
listen("jobs");
let me = db().info().pid;
notify("jobs", "first");
execute("SELECT 1");
notify("jobs", "second");
notify("other", "not listened to");
notify("jobs", "third");
let n = wait_notification(5);
print(`${n.channel} ${n.payload} own=${n.pid == me}`);
print(notifications().map(|n| n.payload));
print(notifications().len());
let start = query_value("SELECT clock_timestamp()");
print(wait_notification(0.3));
let waited = query_value("SELECT extract(epoch FROM clock_timestamp() - $1)::float8", [start]);
print(`waited_enough=${waited >= 0.3}`);
unlisten("*");
notify("jobs", "after unlisten");
print(wait_notification(0.2));
listen("Mixed Case");
notify("Mixed Case", "quoted");
print(wait_notification(2).payload);
begin();
notify("Mixed Case", "at commit");
print(wait_notification(0));
commit();
print(wait_notification(2).payload);
"#);
    assert_eq!(
        lines(&out),
        [
            "jobs first own=true",
            r#"["second", "third"]"#,
            "0",
            "",
            "waited_enough=true",
            "",
            "quoted",
            "",
            "at commit",
        ],
        "{} run:\n{out}",
        target.name()
    );
}

#[test]
fn notifications_on_the_embedded_session() {
    check_own_session(&Target::Embedded);
}

#[test]
fn notifications_on_a_native_session() {
    let pg = require_native!();
    check_own_session(&Target::Native(&pg));
}

/// Another session's notifications arriving while the listener runs statements (and a transaction) are
/// all kept, in the order they were sent.
#[test]
fn notifications_arriving_while_busy_are_kept_in_order() {
    let pg = require_native!();
    let out = Target::Native(&pg).ok(r#"
let worker = connect();
let boss = connect();
worker.listen("jobs");
for i in 0..300 {
    boss.notify("jobs", `${i}`);
    if i % 50 == 0 { worker.query("SELECT pg_sleep(0.01)"); }
}
worker.execute("CREATE TEMP TABLE t (x int)");
worker.execute_many("INSERT INTO t VALUES ($1)", [[1], [2]]);
let got = [];
let first = worker.notifications();
for n in first { got.push(n.payload); }
while true {
    let n = worker.wait_notification(1);
    if n == () { break; }
    got.push(n.payload);
}
let want = [];
for i in 0..300 { want.push(`${i}`); }
print(`count=${got.len()}`);
print(`in_order=${got == want}`);
print(`pid_is_boss=${first.len() == 0 || first[0].pid == boss.info().pid}`);
"#);
    assert_eq!(
        lines(&out),
        ["count=300", "in_order=true", "pid_is_boss=true"],
        "{out}"
    );
}

/// A wait ends when another process notifies: here psql, once pgsh is waiting.
#[test]
fn a_wait_ends_when_another_process_notifies() {
    let pg = require_native!();
    let (child, _home) = spawn(common::pgsh().envs(pg.env()).args([
        "--eval",
        r#"listen("jobs"); let n = wait_notification(60); print(`got ${n.payload}`);"#,
    ]));
    wait_for_pgsh_session(&pg);
    // Wait until the LISTEN has run (the session's last statement), so the NOTIFY cannot come first.
    let deadline = Instant::now() + Duration::from_secs(20);
    while pg.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND query LIKE 'LISTEN%'",
    ) == "0"
    {
        assert!(Instant::now() < deadline, "pgsh never ran LISTEN");
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Instant::now();
    pg.psql("NOTIFY jobs, 'from psql'");
    let (code, out, err) = common::finish(child, Duration::from_secs(20));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(out.trim(), "got from psql");
    // Woken by the notification, not by the 60 s timeout.
    assert!(
        sent.elapsed() < Duration::from_secs(10),
        "{:?}",
        sent.elapsed()
    );
}

#[test]
fn ctrl_c_ends_a_wait() {
    let pg = require_native!();
    let listening = || {
        pg.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsh' AND query LIKE 'LISTEN%'",
        ) != "0"
    };
    let started = Instant::now();
    let (code, err) = common::interrupt_when(
        common::pgsh().envs(pg.env()).args([
            "--eval",
            r#"listen("jobs"); try { wait_notification(120); } catch (e) { print("caught"); } print("went on");"#,
        ]),
        || {
            std::thread::sleep(Duration::from_millis(100));
            listening()
        },
    );
    assert_eq!(code, Some(130), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// A session that listened and is closed gives its connection back to the pool: the next session on it
/// neither listens nor sees what the first one left untaken.
#[test]
fn a_pooled_connection_carries_no_notifications_over() {
    let pg = require_native!();
    let out = Target::Native(&pg).ok(r#"
let a = connect(#{pool_size: 1});
let pid = a.info().pid;
a.listen("jobs");
a.notify("jobs", "left behind");
a.query("SELECT 1");
a.close();
let b = connect(#{pool_size: 1});
print(`same_connection=${b.info().pid == pid}`);
print(b.notifications());
b.notify("jobs", "not listening");
print(b.wait_notification(0.3));
"#);
    assert_eq!(lines(&out), ["same_connection=true", "[]", ""], "{out}");
}

/// At the prompt a notification prints as it arrives, while the prompt waits for input (psql and pgcli
/// print it only after the next command), once, above the line being typed, which is kept: SQL's LISTEN and
/// Rhai's `listen` alike.
#[test]
fn notifications_print_while_the_prompt_waits() {
    let pg = require_native!();
    let home = tempfile::tempdir().unwrap();
    let mut s = common::pty(home.path(), 200, &pg.env());
    common::expect(&mut s, "postgres=#");
    s.send_line("LISTEN jobs;").unwrap();
    common::expect(&mut s, "LISTEN");
    common::expect(&mut s, "postgres=#");
    // Typed but not sent: the notification must not eat it.
    s.send("SELECT 'typed' || 'line' AS kept").unwrap();
    common::expect(&mut s, "AS kept");
    pg.psql("NOTIFY jobs, 'idle-42'");
    common::expect(
        &mut s,
        "Asynchronous notification \"jobs\" with payload \"idle-42\" received from server process with PID",
    );
    s.send_line(";").unwrap();
    let after = common::expect(&mut s, "(1 row)");
    assert!(after.contains("typedline"), "{after}");
    assert!(!after.contains("idle-42"), "printed twice: {after}");
    common::expect(&mut s, "postgres=#");
    // A Rhai listen, and a notification with no payload.
    s.send_line("listen(\"rhai_jobs\")").unwrap();
    common::expect(&mut s, "postgres=#");
    pg.psql("NOTIFY rhai_jobs");
    common::expect(
        &mut s,
        "Asynchronous notification \"rhai_jobs\" received from server process with PID",
    );
    // The session is the same one, still listening: a command after the wait works on it.
    s.send_line("SELECT count(*) AS channels FROM pg_listening_channels();")
        .unwrap();
    let out = common::expect(&mut s, "(1 row)");
    assert!(out.contains("        2"), "{out}");
    common::expect(&mut s, "postgres=#");
    // Tab completion reads the catalog on the same session while the prompt waits; notifications still
    // print afterwards.
    pg.psql("CREATE TABLE tabbed (tab_name text)");
    s.send("SELECT * FROM tabb").unwrap();
    common::expect(&mut s, "tabb");
    s.send("\t").unwrap();
    common::expect(&mut s, "tabbed");
    pg.psql("NOTIFY jobs, 'after-tab'");
    common::expect(
        &mut s,
        "Asynchronous notification \"jobs\" with payload \"after-tab\" received",
    );
    s.send_line(";").unwrap();
    common::expect(&mut s, "(0 rows)");
    s.send_line("\\q").unwrap();
}

/// A loop of waits on notifications already received sends nothing to the server: waiting reads the socket,
/// which shows the connection alive, so the idle check's round trip (an empty query) is not sent before each
/// wait. Bytes sent through a proxy: taking 1,000 notifications costs what taking 10 does.
#[test]
fn waiting_on_received_notifications_sends_nothing() {
    let pg = require_native!(common::ClusterOptions {
        tcp: true,
        ..Default::default()
    });
    let proxy = common::Proxy::start(pg.tcp_port().expect("tcp"));
    let sent_for = |n: u32| {
        let before = proxy.upstream_bytes();
        let script = format!(
            r#"listen("b");
execute("SELECT pg_notify('b', g::text) FROM generate_series(1, $1) g", [{n}]);
sleep(0.3);
let got = 0;
for i in 0..{n} {{ if wait_notification(0) != () {{ got += 1; }} }}
print(got);"#
        );
        let out = common::pgsh()
            .envs(pg.env())
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", proxy.port().to_string())
            .args(["--eval", &script])
            .run();
        out.assert_ok();
        assert_eq!(out.stdout.trim(), n.to_string());
        proxy.upstream_bytes() - before
    };
    let few = sent_for(10);
    let many = sent_for(1000);
    // An idle check is 6 bytes; one before each of 990 more waits would add about 6,000.
    assert!(
        many < few + 600,
        "10 waits sent {few} bytes, 1,000 waits {many}"
    );
}

/// A notification that arrives while a statement runs at the prompt prints once, after the statement's
/// result, as psql prints it. psql 15, fed `LISTEN jobs; SELECT pg_sleep(1.5); SELECT 2 AS two;` on stdin
/// while another psql ran `NOTIFY jobs, 'x'` during the sleep, printed the sleep's `(1 row)`, its blank
/// line, then `Asynchronous notification "jobs" with payload "x" received from server process with PID N.`
/// and then the next result.
#[test]
fn a_notification_during_a_statement_prints_once_after_its_result() {
    let pg = require_native!();
    let home = tempfile::tempdir().unwrap();
    let mut s = common::pty(home.path(), 200, &pg.env());
    common::expect(&mut s, "postgres=#");
    s.send_line("LISTEN jobs;").unwrap();
    common::expect(&mut s, "LISTEN");
    common::expect(&mut s, "postgres=#");
    s.send_line("SELECT pg_sleep(2) AS slept;").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while pg.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(2) AS slept%' AND state = 'active'",
    ) == "0"
    {
        assert!(Instant::now() < deadline, "pgsh never ran the sleep");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = pg.psql("NOTIFY jobs, 'x';\nSELECT pg_backend_pid();");
    // Still sleeping when the notification was sent (else this test would check the idle prompt's case).
    assert_ne!(
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(2) AS slept%' AND state = 'active'"),
        "0",
        "the sleep ended before the NOTIFY"
    );
    let line = format!(
        "Asynchronous notification \"jobs\" with payload \"x\" received from server process with PID {pid}."
    );
    let answer = common::expect(&mut s, "postgres=#").replace("\r\n", "\n");
    assert!(
        answer.contains(&format!("(1 row)\n\n{line}\n")),
        "not after the result, as psql prints it:\n{answer}"
    );
    assert_eq!(
        answer.matches("Asynchronous notification").count(),
        1,
        "{answer}"
    );
    // Not printed again while the next prompt waits, nor after the next command.
    std::thread::sleep(Duration::from_millis(500));
    s.send_line("SELECT 'after' || 'mark' AS m;").unwrap();
    let next = common::expect(&mut s, "(1 row)");
    assert!(next.contains("aftermark"), "{next}");
    assert!(
        !next.contains("Asynchronous notification"),
        "printed twice: {next}"
    );
    common::expect(&mut s, "postgres=#");
    s.send_line("\\q").unwrap();
}
