//! `examples/api.rs` (issue 17, lesson 12): the example started on a free port, every route exercised over
//! real HTTP/1.1, the database checked afterwards; concurrent requests on a pool of 4 (native server) and
//! on the embedded database's single session (queued, or 503 — never a hang).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common;

/// The example binary, next to the test binary's `deps/` directory. `cargo test` builds examples;
/// `cargo test --test tests` alone does not.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let bin = dir.join("examples/api");
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo test` (which builds examples) or `cargo build --release --example api`",
        bin.display()
    );
    bin
}

/// The running example; killed when dropped.
struct Api {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<std::sync::Mutex<String>>,
    _home: Arc<tempfile::TempDir>,
}

impl Drop for Api {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Api {
    /// Start the example with the harness's sealed environment (no PG* or DATABASE_URL from outside),
    /// plus `envs`, on PORT=0, and wait for the address it prints.
    fn start(envs: &[(String, String)]) -> Api {
        let (sealed, home) = common::pgsh().into_parts();
        let mut cmd = Command::new(example_binary());
        for (k, v) in sealed.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        if let Some(dir) = sealed.get_current_dir() {
            cmd.current_dir(dir);
        }
        cmd.env("PORT", "0")
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start examples/api");
        let stderr = Arc::new(std::sync::Mutex::new(String::new()));
        let err_pipe = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let out_pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                if let Some(a) = line.strip_prefix("listening on http://") {
                    let _ = tx.send(a.to_string());
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(90)) {
            Ok(a) => a.parse().expect("a socket address"),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the example did not say where it listens within 90 s; stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
        };
        Api {
            child,
            addr,
            stderr,
            _home: home,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        http(self.addr, method, path, body)
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read to the end.
fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect to the example");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw)
        .unwrap_or_else(|e| panic!("{method} {path}: no complete answer: {e}"));
    let (head, rest) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("{method} {path}: no header end in {raw:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{method} {path}: no status in {head:?}"));
    Reply {
        status,
        headers: head.to_ascii_lowercase(),
        body: rest.to_string(),
    }
}

/// What no answer may contain: SQL text, a connection string, a password.
fn assert_clean(r: &Reply, secret: &str) {
    for bad in [
        "SELECT",
        "INSERT",
        "UPDATE employees",
        "DELETE FROM",
        "postgres://",
        secret,
    ] {
        assert!(!r.body.contains(bad), "an answer leaks {bad:?}: {}", r.body);
    }
}

/// Every route, its status and body; returns Ada's id (created, updated, kept) and Grace's (deleted).
fn exercise_every_route(api: &Api, secret: &str) -> (i64, i64) {
    let ada = api.call(
        "POST",
        "/employees",
        Some(r#"{"name": "Ada Lovelace", "email": "ada@example.com", "salary": 5200, "hired": "2024-03-01"}"#),
    );
    assert_eq!(ada.status, 201, "{ada:?}");
    let ada_json = ada.json();
    let ada_id = ada_json["id"].as_i64().expect("POST answers the new id");
    assert_eq!(ada_json["name"], "Ada Lovelace");
    assert_eq!(ada_json["salary"], 5200.0);
    assert_eq!(ada_json["hired"], "2024-03-01");
    let grace = api.call(
        "POST",
        "/employees",
        Some(r#"{"name": "Grace Hopper", "email": "grace@example.com", "salary": 6100.5}"#),
    );
    assert_eq!(grace.status, 201, "{grace:?}");
    let grace_id = grace.json()["id"].as_i64().unwrap();
    assert_ne!(grace_id, ada_id);

    // Validation: 422 with every problem, nothing sent to the database.
    let bad = api.call(
        "POST",
        "/employees",
        Some(r#"{"name": "", "email": "nope", "salary": -1}"#),
    );
    assert_eq!(bad.status, 422, "{bad:?}");
    assert_eq!(
        bad.json()["problems"].as_array().map(Vec::len),
        Some(3),
        "{bad:?}"
    );
    assert_eq!(
        bad.json()["status"],
        serde_json::Value::Null,
        "the status is not repeated in the body"
    );
    // A date PostgreSQL refuses (class 22) is 422 too.
    let bad_date = api.call(
        "POST",
        "/employees",
        Some(r#"{"name": "X", "email": "x@example.com", "salary": 1, "hired": "2024-02-30"}"#),
    );
    assert_eq!(bad_date.status, 422, "{bad_date:?}");
    // A duplicate email: the unique constraint, 409.
    let dup = api.call(
        "POST",
        "/employees",
        Some(r#"{"name": "Ada again", "email": "ada@example.com", "salary": 1}"#),
    );
    assert_eq!(dup.status, 409, "{dup:?}");
    assert_eq!(dup.json()["constraint"], "employees_email_key");
    // Not JSON, or not an object.
    assert_eq!(api.call("POST", "/employees", Some("{oops")).status, 400);
    assert_eq!(api.call("POST", "/employees", Some("[1]")).status, 422);

    let list = api.call("GET", "/employees", None);
    assert_eq!(list.status, 200, "{list:?}");
    let names: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);

    let one = api.call("GET", &format!("/employees/{ada_id}"), None);
    assert_eq!(one.status, 200, "{one:?}");
    assert_eq!(one.json()["email"], "ada@example.com");
    assert_eq!(api.call("GET", "/employees/999999", None).status, 404);
    assert_eq!(api.call("GET", "/employees/abc", None).status, 404);

    let put = api.call(
        "PUT",
        &format!("/employees/{ada_id}"),
        Some(r#"{"salary": 5600}"#),
    );
    assert_eq!(put.status, 200, "{put:?}");
    assert_eq!(put.json()["salary"], 5600.0);
    assert_eq!(
        put.json()["name"],
        "Ada Lovelace",
        "PUT keeps the fields not given"
    );
    assert_eq!(
        api.call("PUT", "/employees/999999", Some(r#"{"salary": 1}"#))
            .status,
        404
    );
    let bad_put = api.call(
        "PUT",
        &format!("/employees/{ada_id}"),
        Some(r#"{"salary": "lots"}"#),
    );
    assert_eq!(bad_put.status, 422, "{bad_put:?}");
    let dup_put = api.call(
        "PUT",
        &format!("/employees/{grace_id}"),
        Some(r#"{"email": "ada@example.com"}"#),
    );
    assert_eq!(dup_put.status, 409, "{dup_put:?}");

    let del = api.call("DELETE", &format!("/employees/{grace_id}"), None);
    assert_eq!(del.status, 204, "{del:?}");
    assert_eq!(del.body, "");
    assert_eq!(
        api.call("DELETE", &format!("/employees/{grace_id}"), None)
            .status,
        404
    );

    for r in [
        &ada, &grace, &bad, &bad_date, &dup, &list, &one, &put, &bad_put, &dup_put,
    ] {
        assert_clean(r, secret);
        assert!(
            r.headers.contains("content-type: application/json"),
            "{r:?}"
        );
    }
    (ada_id, grace_id)
}

/// `n` requests at once, each on its own connection; the answers, and how long the slowest took.
fn at_once(
    api: &Api,
    n: usize,
    request: impl Fn(usize) -> (String, String, Option<String>) + Sync,
) -> (Vec<Reply>, Duration) {
    let start = Instant::now();
    let replies = std::thread::scope(|s| {
        let hs: Vec<_> = (0..n)
            .map(|i| {
                let (method, path, body) = request(i);
                let addr = api.addr;
                s.spawn(move || http(addr, &method, &path, body.as_deref()))
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("a client thread"))
            .collect()
    });
    (replies, start.elapsed())
}

fn create_request(i: usize) -> (String, String, Option<String>) {
    (
        "POST".into(),
        "/employees".into(),
        Some(format!(
            r#"{{"name": "worker {i}", "email": "w{i}@example.com", "salary": {}}}"#,
            100 + i
        )),
    )
}

#[test]
fn every_route_on_a_native_server_then_the_database_holds_what_the_api_said() {
    let pg = require_native!(common::ClusterOptions {
        tcp: true,
        password_user: Some(("api".into(), "api-s3cret-pw".into())),
        ..Default::default()
    });
    pg.psql("CREATE DATABASE api OWNER api");
    let url = pg.tcp_url_for("api", "api").expect("a TCP cluster");
    let url = url.replacen("api@", "api:api-s3cret-pw@", 1);
    let api = Api::start(&[
        ("DATABASE_URL".into(), url),
        ("PGSH_POOL_SIZE".into(), "4".into()),
        // The retry policy, as the pgsh binary reads it: a server that is down is given up on quickly.
        ("PGSH_RETRY_ATTEMPTS".into(), "2".into()),
        ("PGSH_RETRY_DELAY".into(), "50ms".into()),
    ]);
    let (ada, grace) = exercise_every_route(&api, "api-s3cret-pw");
    // The database, read with psql: exactly what the API answered.
    assert_eq!(
        pg.psql_db(
            "api",
            "SELECT id, name, email, salary, hired FROM employees ORDER BY id"
        ),
        format!("{ada}|Ada Lovelace|ada@example.com|5600.00|2024-03-01")
    );
    assert_eq!(
        pg.psql_db(
            "api",
            &format!("SELECT count(*) FROM employees WHERE id = {grace}")
        ),
        "0"
    );

    // 50 requests at once on 4 sessions: every one succeeds, on at most 4 connections.
    let (replies, took) = at_once(&api, 50, create_request);
    for r in &replies {
        assert_eq!(
            r.status,
            201,
            "{r:?}\nstderr:\n{}",
            api.stderr.lock().unwrap()
        );
    }
    assert!(took < Duration::from_secs(60), "50 requests took {took:?}");
    assert_eq!(
        pg.psql_db(
            "api",
            "SELECT count(*) FROM employees WHERE name LIKE 'worker %'"
        ),
        "50"
    );
    let sessions: u32 = pg
        .psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'api' AND usename = 'api'")
        .parse()
        .unwrap();
    assert!(
        (1..=4).contains(&sessions),
        "{sessions} connections for a pool of 4"
    );
    let (reads, _) = at_once(&api, 50, |i| {
        (
            "GET".into(),
            format!("/employees/{}", ada + (i % 3) as i64),
            None,
        )
    });
    assert!(
        reads.iter().all(|r| r.status == 200 || r.status == 404),
        "{reads:?}"
    );
    assert!(reads.iter().any(|r| r.status == 200));

    // The server goes away: 503 with Retry-After once the retry policy gives up, no hang, nothing secret;
    // back up, the same process answers again (its sessions reconnect).
    pg.stop();
    let start = Instant::now();
    let down = api.call("GET", &format!("/employees/{ada}"), None);
    assert_eq!(down.status, 503, "{down:?}");
    assert!(down.headers.contains("retry-after: 1"), "{down:?}");
    assert_clean(&down, "api-s3cret-pw");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    pg.start_again();
    let up = (0..20)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(250));
            api.call("GET", &format!("/employees/{ada}"), None)
        })
        .find(|r| r.status == 200);
    assert!(
        up.is_some(),
        "no 200 after the server came back\nstderr:\n{}",
        api.stderr.lock().unwrap()
    );
}

#[test]
fn every_route_on_the_embedded_database_and_concurrent_requests_queue_or_get_503() {
    let api = Api::start(&[]);
    let (ada, _) = exercise_every_route(&api, "no password here");
    // One session: 50 requests at once take turns, and all succeed within the queue timeout (10 s).
    let (replies, took) = at_once(&api, 50, create_request);
    for r in &replies {
        assert_eq!(
            r.status,
            201,
            "{r:?}\nstderr:\n{}",
            api.stderr.lock().unwrap()
        );
    }
    assert!(
        took < Duration::from_secs(30),
        "50 queued requests took {took:?}"
    );
    let list = api.call("GET", "/employees", None);
    assert_eq!(
        list.json().as_array().map(Vec::len),
        Some(51),
        "Ada and the 50"
    );
    drop(api);

    // With a queue timeout of 1 ms, requests that find the session busy are refused with 503 (JSON and
    // Retry-After), the others succeed; none hangs.
    let api = Api::start(&[("API_QUEUE_TIMEOUT_MS".into(), "1".into())]);
    let (replies, took) = at_once(&api, 50, create_request);
    assert!(took < Duration::from_secs(30), "50 requests took {took:?}");
    let (ok, busy): (Vec<&Reply>, Vec<&Reply>) = replies.iter().partition(|r| r.status == 201);
    assert!(busy.iter().all(|r| r.status == 503), "{busy:?}");
    for r in &busy {
        assert!(r.headers.contains("retry-after: 1"), "{r:?}");
        assert!(
            r.json()["error"]
                .as_str()
                .is_some_and(|e| e.contains("busy")),
            "{r:?}"
        );
    }
    assert!(!ok.is_empty(), "no request got through");
    // The first request holds the only session for well over 1 ms (an INSERT on the embedded server).
    assert!(
        !busy.is_empty(),
        "no request was refused with a 1 ms queue timeout"
    );
    let stored = api
        .call("GET", "/employees", None)
        .json()
        .as_array()
        .map(Vec::len);
    assert_eq!(
        stored,
        Some(ok.len()),
        "the 503s stored nothing, the 201s everything"
    );
    let _ = ada;
}
