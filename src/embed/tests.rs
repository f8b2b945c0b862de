//! The embedding API without HTTP: values both ways, errors by kind, the queue's timeout, threads sharing
//! one `Pgsh`, a connection that cannot be made.

use std::time::{Duration, Instant};

use super::*;
use crate::error::ErrorKind;

fn napping(queue: Duration) -> Pgsh {
    Builder::embedded()
        .queue_timeout(queue)
        .register(|e| {
            e.register_fn("nap", |ms: i64| {
                std::thread::sleep(Duration::from_millis(ms as u64));
                ms
            });
        })
        .build()
        .unwrap()
}

#[test]
fn pgsh_is_shared_by_threads() {
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<Pgsh>();
}

#[test]
fn arguments_go_in_as_serde_values_and_results_come_back_typed() {
    #[derive(serde::Serialize)]
    struct Point {
        x: i64,
        y: f64,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Sum {
        total: f64,
        tags: Vec<String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.rhai");
    std::fs::write(
        &script,
        "fn sum(p, tags) { #{total: p.x + p.y, tags: tags} }\nfn nothing() { () }\nfn two(a, b) { a * b }",
    )
    .unwrap();
    let pgsh = Builder::embedded().script(&script).build().unwrap();
    let s: Sum = pgsh
        .call("sum", (Point { x: 2, y: 0.5 }, vec!["a", "b"]))
        .unwrap();
    assert_eq!(
        s,
        Sum {
            total: 2.5,
            tags: vec!["a".into(), "b".into()]
        }
    );
    assert_eq!(pgsh.call::<Option<i64>>("nothing", ()).unwrap(), None);
    assert_eq!(pgsh.call::<i64>("two", (6, 7)).unwrap(), 42);
    // A result that does not fit the type asked for.
    let e = pgsh.call::<String>("two", (6, 7)).unwrap_err();
    assert!(matches!(e, CallError::Convert(_)), "{e:?}");
    // An unknown function, a wrong argument count: the script's fault, said with the function's name.
    let e = pgsh.call::<i64>("three", ()).unwrap_err();
    assert!(
        matches!(&e, CallError::Script(m) if m.contains("three")),
        "{e:?}"
    );
}

#[test]
fn a_script_that_does_not_compile_fails_the_build_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("broken.rhai");
    std::fs::write(&script, "fn ok() { 1 }\nfn broken( { }\n").unwrap();
    let e = Builder::embedded().script(&script).build().err().unwrap();
    let CallError::Script(m) = &e else {
        panic!("{e:?}")
    };
    assert!(m.contains("broken.rhai:2"), "{m}");
    let missing = Builder::embedded()
        .script(dir.path().join("missing.rhai"))
        .build()
        .err()
        .unwrap();
    assert!(
        matches!(&missing, CallError::Pgsh(e) if e.kind() == ErrorKind::Io),
        "{missing:?}"
    );
}

#[test]
fn rows_deserialise_into_structs_and_sql_errors_keep_their_sqlstate() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Row {
        n: i64,
        word: Option<String>,
        price: f64,
        day: String,
    }
    let pgsh = Builder::embedded().build().unwrap();
    let rows: Vec<Row> = pgsh
        .eval(
            "query(\"SELECT n, CASE WHEN n = 1 THEN 'one' END AS word, n * 1.25 AS price, \
             date '2024-02-29' + n AS day FROM generate_series(1, 2) n\")",
        )
        .unwrap();
    assert_eq!(
        rows,
        [
            Row {
                n: 1,
                word: Some("one".into()),
                price: 1.25,
                day: "2024-03-01".into()
            },
            Row {
                n: 2,
                word: None,
                price: 2.5,
                day: "2024-03-02".into()
            },
        ]
    );
    let e = pgsh.eval::<()>("query(\"SELECT 1/0\")").unwrap_err();
    assert_eq!(e.code(), Some(&crate::error::SqlState::DIVISION_BY_ZERO));
    assert_eq!(e.pgsh().map(Error::kind), Some(ErrorKind::Sql));
    assert!(!e.is_unavailable());
    // The session survives a failed statement.
    assert_eq!(pgsh.eval::<i64>("query_value(\"SELECT 1\")").unwrap(), 1);
}

#[test]
fn a_call_waiting_longer_than_the_queue_timeout_is_busy_and_runs_nothing() {
    let pgsh = napping(Duration::from_millis(50));
    let slow = pgsh.call_async::<i64>("nap", (600,));
    std::thread::sleep(Duration::from_millis(20));
    let start = Instant::now();
    let waited = pgsh.call::<i64>("nap", (1,));
    let took = start.elapsed();
    let e = waited.unwrap_err();
    assert!(matches!(e, CallError::Busy(_)), "{e:?}");
    assert!(e.is_unavailable());
    // Refused as soon as the worker was free, not after running it.
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(slow.wait().unwrap(), 600);
    // Free again: calls run.
    assert_eq!(pgsh.call::<i64>("nap", (1,)).unwrap(), 1);
}

#[test]
fn threads_share_one_pgsh_and_the_calls_take_turns_on_its_session() {
    let pgsh = napping(Duration::from_secs(10));
    let start = Instant::now();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let p = pgsh.clone();
            std::thread::spawn(move || p.call::<i64>("nap", (20 + i,)))
        })
        .collect();
    let got: Vec<i64> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    assert_eq!(got, (20..28).collect::<Vec<_>>());
    // One worker on the embedded database: the naps ran one after another.
    assert!(start.elapsed() >= Duration::from_millis(180));
}

#[test]
fn a_server_that_cannot_be_reached_is_unavailable_after_the_retry_policy() {
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let pgsh = Builder::from_args([
        "pgsh",
        "-h",
        "127.0.0.1",
        "-p",
        &port.to_string(),
        "-U",
        "nobody",
        "--retry-attempts",
        "2",
        "--retry-delay",
        "10ms",
    ])
    .unwrap()
    .sessions(2)
    .build()
    .unwrap();
    let e = pgsh.eval::<i64>("query_value(\"SELECT 1\")").unwrap_err();
    assert!(e.is_unavailable(), "{e:?}");
    assert_eq!(e.pgsh().map(Error::kind), Some(ErrorKind::Connect));
    assert!(e.to_string().contains("2 attempts"), "{e}");
}

#[test]
fn from_args_refuses_options_that_run_something() {
    for args in [
        &["pgsh", "-c", "SELECT 1"][..],
        &["pgsh", "x.rhai"],
        &["pgsh", "--eval", "1"],
    ] {
        let e = Builder::from_args(args).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::Usage, "{args:?}");
    }
    let e = Builder::from_args(["pgsh", "--no-such-option"])
        .err()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::Usage);
}
