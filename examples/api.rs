//! An HTTP JSON API over an employee table whose handlers call Rhai functions (scripts/api/employees.rhai)
//! through pgsh's embedding API — lesson 12 walks through it.
//!
//! ```sh
//! cargo run --release --example api                  # embedded database, http://127.0.0.1:8000
//! PORT=8080 DATABASE_URL=postgres://app@db/shop cargo run --release --example api
//! curl -s -XPOST localhost:8000/employees -d '{"name":"Ada","email":"ada@example.com","salary":5000}'
//! DATABASE_URL=… cargo run --release --example api -- --bench 5   # requests/s: Rhai vs direct postgres
//! ```
//!
//! Routes: `GET /employees`, `GET /employees/{id}`, `POST /employees` (201), `PUT /employees/{id}`,
//! `DELETE /employees/{id}` (204). Errors are JSON: validation 422, not found 404, a duplicate email 409,
//! the database unreachable or every session busy 503. No SQL text or password is ever in a response.
//! Environment: `PORT` (0 picks a free port; the address is printed), the usual connection variables
//! (`DATABASE_URL`, `PG*`; none: the embedded database), `PGSH_POOL_SIZE` (sessions), and
//! `API_QUEUE_TIMEOUT_MS` (how long a request waits for a session before a 503; default 10000).

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use pgsh::{CallError, Pgsh, SqlState};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// An employee as the API sends it: a row of the table, deserialised from the Rhai function's result.
#[derive(Debug, Serialize, Deserialize)]
struct Employee {
    id: i64,
    name: String,
    email: String,
    salary: f64,
    hired: String,
}

#[derive(Clone)]
struct App {
    pgsh: Pgsh,
    /// The same lookup written directly with `postgres`, for the benchmark (`--bench`) only.
    direct: Option<Arc<Direct>>,
}

type Answer = Result<Response, ApiError>;

/// A failed request: its status and JSON body (503s also say when to retry).
struct ApiError {
    status: StatusCode,
    body: Value,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = reply(self.status, &self.body);
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        r
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("api: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench = match args.as_slice() {
        [] => None,
        [flag, secs] if flag == "--bench" => Some(Duration::from_secs_f64(secs.parse()?)),
        _ => return Err("usage: api [--bench SECONDS]".into()),
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/api/employees.rhai");
    let queue_ms: u64 = match std::env::var("API_QUEUE_TIMEOUT_MS") {
        Ok(v) => v.parse()?,
        Err(_) => 10_000,
    };
    let pgsh = pgsh::Builder::from_env()?
        .script(script)
        .queue_timeout(Duration::from_millis(queue_ms))
        .output(|line| eprintln!("api: {line}"))
        .build()?;
    // Nothing else is queued yet, so Busy here only means the worker woke later than a very short queue
    // timeout allows (1 ms in the tests, on a loaded machine): setting up is worth a few more tries.
    let mut tries = 0;
    loop {
        match pgsh.call::<()>("setup", ()) {
            Err(CallError::Busy(_)) if tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            other => break other?,
        }
    }
    let direct = match (bench, std::env::var("DATABASE_URL")) {
        (Some(_), Ok(url)) => Some(Arc::new(Direct::connect(&url, sessions())?)),
        (Some(_), Err(_)) => {
            return Err("--bench compares with direct postgres: set DATABASE_URL".into())
        }
        (None, _) => None,
    };
    let app = App { pgsh, direct };
    // Dropped after the runtime: the direct pool's clients must not be dropped on a runtime thread (the
    // synchronous `postgres` client blocks on its own runtime when it closes).
    let keep = app.clone();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let port = if bench.is_some() {
            "0".to_string()
        } else {
            std::env::var("PORT").unwrap_or_else(|_| "8000".into())
        };
        let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
        let addr = listener.local_addr()?;
        let server = axum::serve(listener, router(app.clone()));
        match bench {
            None => {
                println!("listening on http://{addr}");
                server.await?;
            }
            Some(d) => {
                tokio::spawn(async move { server.await });
                let report =
                    tokio::task::spawn_blocking(move || benchmark(&app, addr, d)).await??;
                println!("{report}");
            }
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    drop(rt);
    drop(keep);
    Ok(())
}

fn router(app: App) -> Router {
    Router::new()
        .route("/employees", get(list).post(create))
        .route("/employees/{id}", get(fetch).put(update).delete(remove))
        .route("/direct/employees/{id}", get(fetch_direct))
        .with_state(app)
}

async fn list(State(app): State<App>) -> Answer {
    let all: Vec<Employee> = app
        .pgsh
        .call_async("list_employees", ())
        .await
        .map_err(failure)?;
    Ok(reply(StatusCode::OK, &all))
}

async fn fetch(State(app): State<App>, Path(id): Path<String>) -> Answer {
    let id = parse_id(&id)?;
    let found: Option<Employee> = app
        .pgsh
        .call_async("get_employee", (id,))
        .await
        .map_err(failure)?;
    found
        .map(|e| reply(StatusCode::OK, &e))
        .ok_or_else(not_found)
}

async fn create(State(app): State<App>, body: axum::body::Bytes) -> Answer {
    let input = parse_body(&body)?;
    let made: Employee = app
        .pgsh
        .call_async("create_employee", (input,))
        .await
        .map_err(failure)?;
    Ok(reply(StatusCode::CREATED, &made))
}

async fn update(State(app): State<App>, Path(id): Path<String>, body: axum::body::Bytes) -> Answer {
    let (id, input) = (parse_id(&id)?, parse_body(&body)?);
    let changed: Option<Employee> = app
        .pgsh
        .call_async("update_employee", (id, input))
        .await
        .map_err(failure)?;
    changed
        .map(|e| reply(StatusCode::OK, &e))
        .ok_or_else(not_found)
}

async fn remove(State(app): State<App>, Path(id): Path<String>) -> Answer {
    let id = parse_id(&id)?;
    let existed: bool = app
        .pgsh
        .call_async("delete_employee", (id,))
        .await
        .map_err(failure)?;
    if existed {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found())
    }
}

/// The benchmark's anchor: connections to the same server, each with the lookup prepared once (as
/// pgsh's statement cache does), taken and given back by the handler.
struct Direct {
    idle: Mutex<Vec<(postgres::Client, postgres::Statement)>>,
    freed: Condvar,
}

const LOOKUP: &str =
    "SELECT id, name, email, salary::float8, hired::text FROM employees WHERE id = $1";

impl Direct {
    fn connect(url: &str, size: usize) -> Result<Direct, Box<dyn std::error::Error>> {
        let mut idle = Vec::with_capacity(size);
        for _ in 0..size {
            let mut c = postgres::Client::connect(url, postgres::NoTls)?;
            let st = c.prepare(LOOKUP)?;
            idle.push((c, st));
        }
        Ok(Direct {
            idle: Mutex::new(idle),
            freed: Condvar::new(),
        })
    }

    fn lookup(&self, id: i64) -> Result<Option<Employee>, String> {
        let mut idle = self.idle.lock().map_err(|e| e.to_string())?;
        let (mut c, st) = loop {
            match idle.pop() {
                Some(conn) => break conn,
                None => idle = self.freed.wait(idle).map_err(|e| e.to_string())?,
            }
        };
        drop(idle);
        let row = c.query_opt(&st, &[&id]).map_err(|e| e.to_string());
        if let Ok(mut idle) = self.idle.lock() {
            idle.push((c, st));
        }
        self.freed.notify_one();
        Ok(row?.map(|r| Employee {
            id: r.get(0),
            name: r.get(1),
            email: r.get(2),
            salary: r.get(3),
            hired: r.get(4),
        }))
    }
}

/// `GET /employees/{id}` without Rhai, for the benchmark: the same answer, from `postgres` directly.
async fn fetch_direct(State(app): State<App>, Path(id): Path<String>) -> Answer {
    let id = parse_id(&id)?;
    let direct = app.direct.clone().ok_or_else(not_found)?;
    let found = tokio::task::spawn_blocking(move || direct.lookup(id))
        .await
        .map_err(|_| internal())?
        .map_err(|e| {
            eprintln!("api: direct: {e}");
            unavailable()
        })?;
    found
        .map(|e| reply(StatusCode::OK, &e))
        .ok_or_else(not_found)
}

/// The pool size pgsh uses (PGSH_POOL_SIZE, else 4), for the direct anchor and the report.
fn sessions() -> usize {
    std::env::var("PGSH_POOL_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

fn parse_id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| not_found())
}

fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "the body must be a JSON object"}),
        )),
        Err(e) => Err(error(
            StatusCode::BAD_REQUEST,
            json!({"error": format!("the body is not JSON: {e}")}),
        )),
    }
}

/// A JSON answer. (axum's `Json` would do the same; its feature would change serde_json's features for
/// the whole build, and with them the embedded runtime's, costing a second full build of it.)
fn reply(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn error(status: StatusCode, body: Value) -> ApiError {
    ApiError { status, body }
}

fn not_found() -> ApiError {
    error(StatusCode::NOT_FOUND, json!({"error": "no such employee"}))
}

fn unavailable() -> ApiError {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        json!({"error": "the database is unavailable or busy; try again shortly"}),
    )
}

fn internal() -> ApiError {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({"error": "internal error"}),
    )
}

/// A failed call as an HTTP answer. Only what is safe to show goes out: the script's own validation
/// messages, and the constraint a statement broke; never the SQL, the connection string or a password.
fn failure(e: CallError) -> ApiError {
    if e.is_unavailable() {
        eprintln!("api: {e}");
        return unavailable();
    }
    if let CallError::Thrown(v) = &e {
        if let Some(status) = v["status"]
            .as_u64()
            .and_then(|s| StatusCode::from_u16(s as u16).ok())
        {
            let mut body = v.clone();
            if let Some(m) = body.as_object_mut() {
                m.remove("status");
            }
            return error(status, body);
        }
    }
    let db = e.pgsh().and_then(|e| e.db());
    let constraint = db.and_then(|d| d.constraint.clone());
    match e.code() {
        Some(c) if *c == SqlState::UNIQUE_VIOLATION => error(
            StatusCode::CONFLICT,
            json!({"error": "an employee with this email already exists", "constraint": constraint}),
        ),
        // A CHECK or NOT NULL the script's validation did not catch, or a value PostgreSQL rejects
        // (class 22: a date that does not exist).
        Some(c)
            if *c == SqlState::CHECK_VIOLATION
                || *c == SqlState::NOT_NULL_VIOLATION
                || c.code().starts_with("22") =>
        {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "invalid value", "constraint": constraint}),
            )
        }
        _ => {
            eprintln!("api: {e}");
            internal()
        }
    }
}

/// Requests/second of `GET /employees/{id}` through Rhai and through direct `postgres`, measured
/// alternately (3 rounds each) with 8 keep-alive HTTP/1.1 clients.
fn benchmark(app: &App, addr: std::net::SocketAddr, each: Duration) -> Result<String, String> {
    let mut ids = Vec::new();
    for i in 0..100 {
        let input = json!({"name": format!("bench {i}"), "email": format!("bench{i}-{}@example.com", std::process::id()), "salary": 1000 + i});
        let e: Employee = app
            .pgsh
            .call("create_employee", (input,))
            .map_err(|e| e.to_string())?;
        ids.push(e.id);
    }
    let mut rates: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..3 {
        for (k, prefix) in ["/employees/", "/direct/employees/"].iter().enumerate() {
            rates[k].push(load(addr, prefix, &ids, 8, each)?);
        }
    }
    for id in ids {
        let _: bool = app
            .pgsh
            .call("delete_employee", (id,))
            .map_err(|e| e.to_string())?;
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (rhai, direct) = (median(&mut rates[0]), median(&mut rates[1]));
    Ok(format!(
        "GET /employees/{{id}}: through Rhai {rhai:.0} req/s, direct postgres {direct:.0} req/s, ratio {:.2} \
         (8 clients, {} sessions, median of 3 rounds of {:.1} s)",
        rhai / direct,
        sessions(),
        each.as_secs_f64()
    ))
}

/// `clients` threads each send requests on one keep-alive connection for `each`; returns requests/s.
fn load(
    addr: std::net::SocketAddr,
    prefix: &str,
    ids: &[i64],
    clients: usize,
    each: Duration,
) -> Result<f64, String> {
    use std::io::{BufRead, BufReader, Read, Write};
    let start = Instant::now();
    let counts = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                s.spawn(move || -> Result<u64, String> {
                    let stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
                    stream.set_nodelay(true).map_err(|e| e.to_string())?;
                    let mut w = stream.try_clone().map_err(|e| e.to_string())?;
                    let mut r = BufReader::new(stream);
                    let mut n = 0u64;
                    while start.elapsed() < each {
                        let id = ids[(n as usize * clients + c) % ids.len()];
                        // One write per request: pieces would meet Nagle's algorithm and delayed ACKs.
                        let request = format!("GET {prefix}{id} HTTP/1.1\r\nHost: bench\r\n\r\n");
                        w.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
                        let (mut line, mut len) = (String::new(), 0usize);
                        r.read_line(&mut line).map_err(|e| e.to_string())?;
                        if !line.starts_with("HTTP/1.1 200") {
                            return Err(format!("{prefix}{id}: {}", line.trim_end()));
                        }
                        loop {
                            line.clear();
                            r.read_line(&mut line).map_err(|e| e.to_string())?;
                            if line == "\r\n" || line.is_empty() {
                                break;
                            }
                            if let Some(v) =
                                line.to_ascii_lowercase().strip_prefix("content-length:")
                            {
                                len = v
                                    .trim()
                                    .parse()
                                    .map_err(|_| "bad content-length".to_string())?;
                            }
                        }
                        let mut body = vec![0; len];
                        r.read_exact(&mut body).map_err(|e| e.to_string())?;
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| "a client panicked".to_string())?)
            .collect::<Result<Vec<u64>, String>>()
    })?;
    Ok(counts.iter().sum::<u64>() as f64 / start.elapsed().as_secs_f64())
}
