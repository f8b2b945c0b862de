//! pgsh's database functions for Rhai: `connect`, `query`, `execute`, `query_one`, `query_value`, the `Db`
//! handle's methods, and the error value scripts catch.
//!
//! Every function is listed in [`DOCS`] with a one-line summary and an example; the same text is attached to
//! the registration (Rhai metadata) and shown by the REPL's `\h`.

use std::rc::Rc;
use std::time::Duration;

use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FuncRegistration, Map, NativeCallContext, Position, INT,
};

use super::rows::Rows;
use crate::db::target::{ConnParams, Secret, SslMode};
use crate::error::{Error, ErrorKind};
use crate::shell::{ConnectOverrides, Db, Shell};

pub type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// One documented function: how it is called, what it does, an example.
pub struct FnDoc {
    pub name: &'static str,
    #[allow(dead_code)] // the #[export_module] bindings replace this table
    pub signature: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
}

/// The documentation of pgsh's own functions (`\h`).
pub const DOCS: &[FnDoc] = &[
    FnDoc {
        name: "connect",
        signature: "connect() / connect(url) / connect(#{host, port, user, password, password_env, dbname, sslmode, pool_size, ...}) -> Db",
        summary: "Open a session (the default target, a URL, or options); it becomes the current connection.",
        example: "let db = connect();\nlet other = connect(\"postgres://app@db.example.com/shop\");",
    },
    FnDoc {
        name: "query",
        signature: "query(sql) / query(sql, params) / db.query(sql, params) -> rows",
        summary: "Run a statement and return its rows; each row is a map keyed by column name.",
        example: "let rows = query(\"SELECT name, price FROM fruit WHERE price < $1\", [5]);\nfor r in rows { print(r.name); }",
    },
    FnDoc {
        name: "execute",
        signature: "execute(sql) / execute(sql, params) / db.execute(sql, params) -> int",
        summary: "Run a statement for its effect and return the number of rows affected. Without parameters, \
                  a string with several statements runs them all (in one implicit transaction, as psql -c) \
                  and returns the total rows affected.",
        example: "execute(\"INSERT INTO fruit (name, price) VALUES ($1, $2)\", [\"fig\", 3]);",
    },
    FnDoc {
        name: "query_one",
        signature: "query_one(sql) / query_one(sql, params) / db.query_one(sql, params) -> map",
        summary: "Run a query that must return exactly one row and return that row.",
        example: "let f = query_one(\"SELECT * FROM fruit WHERE name = $1\", [\"fig\"]);\nprint(f.price);",
    },
    FnDoc {
        name: "query_value",
        signature: "query_value(sql) / query_value(sql, params) / db.query_value(sql, params) -> value",
        summary: "Run a query that must return exactly one row and return its first column.",
        example: "let n = query_value(\"SELECT count(*) FROM fruit\");",
    },
    FnDoc {
        name: "run_sql_file",
        signature: "run_sql_file(path) / db.run_sql_file(path) -> int",
        summary: "Run a psql-style SQL file (dumps, datasets: COPY FROM stdin, \\c, \\i, \\set ON_ERROR_STOP) and return the \
                  number of statements run; stops at the first error, which names the file and line. A relative path \
                  is relative to the calling script's directory.",
        example: "run_sql_file(\"schema.sql\");\nlet n = connect().run_sql_file(\"data/seed.sql\");",
    },
    FnDoc {
        name: "close",
        signature: "db.close()",
        summary: "End a session: an open transaction is rolled back and the connection goes back to the pool.",
        example: "let db = connect();\ndb.close();",
    },
    FnDoc {
        name: "info",
        signature: "db.info() -> map",
        summary: "What the session is connected to (never the password): target, server version, user, database, pid.",
        example: "print(connect().info().server_version);",
    },
];

fn doc_comments(name: &str) -> Vec<String> {
    DOCS.iter()
        .filter(|d| d.name == name)
        .flat_map(|d| {
            let mut lines = vec![
                format!("/// {}", d.summary),
                "///".into(),
                "/// ```rhai".into(),
            ];
            lines.extend(d.example.lines().map(|l| format!("/// {l}")));
            lines.push("/// ```".into());
            lines
        })
        .collect()
}

/// The error value scripts catch: `e.code`, `e.message`, `e.detail`, `e.hint`, `e.position`, …
#[derive(Clone, Debug)]
pub struct ScriptError(pub Rc<Error>);

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.code() {
            Some(code) if self.0.db().is_none() => write!(f, "{} (SQLSTATE {code})", self.0),
            _ => write!(f, "{}", self.0),
        }
    }
}

/// Turn a pgsh error into a Rhai runtime error carrying a [`ScriptError`].
pub fn throw(e: Error) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(Dynamic::from(ScriptError(Rc::new(e))), Position::NONE).into()
}

fn opt(s: Option<&str>) -> Dynamic {
    s.map(|s| Dynamic::from(s.to_string()))
        .unwrap_or(Dynamic::UNIT)
}

fn register_error_type(engine: &mut Engine) {
    engine.register_type_with_name::<ScriptError>("error");
    engine.register_get("code", |e: &mut ScriptError| opt(e.0.code()));
    engine.register_get("message", |e: &mut ScriptError| -> String {
        e.0.db()
            .map(|d| d.message.clone())
            .unwrap_or_else(|| e.0.message().to_string())
    });
    engine.register_get("severity", |e: &mut ScriptError| {
        opt(e.0.db().map(|d| d.severity.as_str()).or(Some("ERROR")))
    });
    engine.register_get("detail", |e: &mut ScriptError| {
        opt(e.0.db().and_then(|d| d.detail.as_deref()))
    });
    engine.register_get("hint", |e: &mut ScriptError| {
        opt(e.0.db().and_then(|d| d.hint.as_deref()))
    });
    engine.register_get("position", |e: &mut ScriptError| -> Dynamic {
        e.0.db()
            .and_then(|d| d.position)
            .map(|p| Dynamic::from(p as INT))
            .unwrap_or(Dynamic::UNIT)
    });
    engine.register_get("sql", |e: &mut ScriptError| {
        opt(e.0.db().and_then(|d| d.sql.as_deref()))
    });
    engine.register_get("constraint", |e: &mut ScriptError| {
        opt(e.0.db().and_then(|d| d.constraint.as_deref()))
    });
    engine.register_get("table", |e: &mut ScriptError| {
        opt(e.0.db().and_then(|d| d.table.as_deref()))
    });
    engine.register_get("column", |e: &mut ScriptError| {
        opt(e.0.db().and_then(|d| d.column.as_deref()))
    });
    engine.register_get("kind", |e: &mut ScriptError| -> String {
        match e.0.kind() {
            ErrorKind::Usage => "usage",
            ErrorKind::Io => "io",
            ErrorKind::Connect => "connect",
            ErrorKind::ConnectionLost => "connection_lost",
            ErrorKind::Sql => "sql",
            ErrorKind::Param => "parameter",
            ErrorKind::Decode => "decode",
            ErrorKind::Api => "api",
            ErrorKind::Interrupted => "interrupted",
        }
        .into()
    });
    engine.register_fn("to_string", |e: &mut ScriptError| e.to_string());
    engine.register_fn("to_debug", |e: &mut ScriptError| e.to_string());
}

/// Options map → connection parameters and overrides.
pub fn connect_options(m: &Map) -> Result<(ConnParams, ConnectOverrides), Error> {
    const KEYS: &[&str] = &[
        "url",
        "host",
        "port",
        "user",
        "password",
        "password_env",
        "dbname",
        "database",
        "sslmode",
        "sslrootcert",
        "application_name",
        "connect_timeout",
        "options",
        "target_session_attrs",
        "pool_size",
        "profile",
        "retry",
    ];
    let bad = |k: &str, why: &str| Error::usage(format!("connect: option \"{k}\" {why}"));
    let mut params = ConnParams::default();
    let mut overrides = ConnectOverrides::default();
    if let Some(name) = m.get("profile") {
        overrides.profile = Some(name.to_string());
    }
    if let Some(url) = m.get("url") {
        let url = url
            .clone()
            .into_string()
            .map_err(|_| bad("url", "must be a string"))?;
        params =
            ConnParams::parse(&url).map_err(|e| Error::new(ErrorKind::Connect, e.to_string()))?;
    }
    for (k, v) in m {
        let k = k.as_str();
        let text = || -> Result<String, Error> {
            if v.is_string() || v.is_int() {
                Ok(v.to_string())
            } else {
                Err(bad(k, "must be a string"))
            }
        };
        match k {
            "url" | "profile" => {}
            "retry" => {
                let r: crate::db::retry::RetrySettings = rhai::serde::from_dynamic(v)
                    .map_err(|e| bad(k, &format!("is not valid: {e} (keys: attempts, delay, backoff, max_delay, jitter, deadline, connect_timeout)")))?;
                overrides.retry = Some(r);
            }
            "host" => params.hosts = text()?.split(',').map(str::to_string).collect(),
            "port" => {
                params.ports = text()?
                    .split(',')
                    .map(|p| p.trim().parse::<u16>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad(k, "must be a port number (1-65535)"))?
            }
            "user" => params.user = Some(text()?),
            "password" => params.password = Some(Secret::new(text()?)),
            "password_env" => {
                let name = text()?;
                let value = std::env::var(&name).map_err(|_| {
                    Error::usage(format!(
                        "connect: password_env names ${name}, which is not set"
                    ))
                })?;
                params.password = Some(Secret::new(value));
            }
            "dbname" | "database" => params.dbname = Some(text()?),
            "sslmode" => {
                params.sslmode = Some(text()?.parse::<SslMode>().map_err(|_| {
                    bad(
                        k,
                        "must be disable, allow, prefer, require, verify-ca or verify-full",
                    )
                })?)
            }
            "sslrootcert" => params.sslrootcert = Some(text()?),
            "application_name" => params.application_name = Some(text()?),
            "options" => params.options = Some(text()?),
            "target_session_attrs" => {
                params.target_session_attrs = Some(text()?.parse().map_err(|_| {
                    bad(
                        k,
                        "must be any, read-write, read-only, primary, standby or prefer-standby",
                    )
                })?)
            }
            "connect_timeout" => {
                let t = text()?;
                let d = crate::db::retry::parse_duration(&t).map_err(|e| bad(k, &e))?;
                params.connect_timeout = Some(d);
            }
            "pool_size" => {
                let n = v
                    .as_int()
                    .ok()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| bad(k, "must be a positive integer"))?;
                overrides.pool_size = Some(n);
            }
            other => {
                return Err(Error::usage(format!(
                    "connect: unknown option \"{other}\" (known: {})",
                    KEYS.join(", ")
                )))
            }
        }
    }
    if let Some(t) = params.connect_timeout {
        overrides.connect_timeout = Some(if t.is_zero() {
            crate::db::retry::NO_CONNECT_LIMIT
        } else {
            t.max(Duration::from_millis(100))
        });
    }
    Ok((params, overrides))
}

fn one_row(sql: &str, rows: Rows) -> Result<Map, Error> {
    match rows.len() {
        1 => rows.get(0).ok_or_else(|| Error::api("no row")),
        n => Err(Error::api(format!(
            "expected exactly one row, but the query returned {n}: {}",
            sql.trim()
        ))),
    }
}

fn first_value(sql: &str, rows: Rows) -> Result<Dynamic, Error> {
    if rows.columns().is_empty() {
        return Err(Error::api(format!(
            "query_value: the statement returns no columns: {}",
            sql.trim()
        )));
    }
    let n = rows.len();
    if n != 1 {
        return Err(Error::api(format!(
            "query_value expected exactly one row, but the query returned {n}: {}",
            sql.trim()
        )));
    }
    Ok(rows
        .0
        .row(0)
        .and_then(|r| r.first())
        .cloned()
        .unwrap_or(Dynamic::UNIT))
}

/// The statement functions, written once over "which session" and registered both as globals (current
/// session) and as `Db` methods.
pub fn db_query(db: &Db, sql: &str, params: &[Dynamic]) -> Result<Rows, Error> {
    let rs = db.try_session()?.query(sql, params)?;
    Ok(Rows::new(rs))
}

pub fn db_execute(db: &Db, sql: &str, params: &[Dynamic]) -> Result<INT, Error> {
    let mut s = db.try_session()?;
    // Most statements have no ';' at all: only those pay for the split.
    let n = if params.is_empty() && sql.contains(';') && crate::sql::scan::split(sql).len() > 1 {
        s.execute_batch(sql)?
    } else {
        s.execute(sql, params)?
    };
    Ok(n as INT)
}

fn db_info(db: &Db) -> Map {
    let mut m = Map::new();
    m.insert("target".into(), db.label().to_string().into());
    m.insert("embedded".into(), db.0.embedded.into());
    if let Ok(s) = db.0.session.try_borrow() {
        if let Some(info) = s.server_info() {
            m.insert("server_version".into(), info.version.clone().into());
            m.insert("user".into(), info.user.clone().into());
            m.insert("database".into(), info.database.clone().into());
            m.insert("pid".into(), (info.pid as INT).into());
        }
        m.insert(
            "in_transaction".into(),
            (s.tx_status() != crate::db::session::TxStatus::Idle).into(),
        );
        m.insert("closed".into(), s.is_closed().into());
    }
    m
}

/// A relative path from a script means "next to that script" (the current directory for -e and the REPL).
pub fn resolve_path(ctx: &NativeCallContext, path: &str) -> std::path::PathBuf {
    let p = std::path::Path::new(path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    ctx.call_source()
        .map(std::path::Path::new)
        .filter(|s| s.is_file())
        .and_then(std::path::Path::parent)
        .map(|dir| dir.join(p))
        .unwrap_or_else(|| p.to_path_buf())
}

/// Run a SQL file quietly; the first error (with its file:line) becomes the script's error.
fn run_sql_file(host: &Shell, db: Option<Db>, path: &std::path::Path) -> Result<INT, Error> {
    use crate::sqlrun::{Outputs, SqlRunOptions, SqlRunner, Stop};
    if let Err(e) = std::fs::metadata(path) {
        return Err(Error::io(
            format!("run_sql_file: cannot read {}", path.display()),
            &e,
        ));
    }
    let mut runner = SqlRunner::new(
        host,
        SqlRunOptions {
            stop_on_error: true,
            keep_error: true,
            quiet: true,
            format: crate::output::Format::Table,
            table: crate::output::table::TableOptions::default(),
        },
    );
    if let Some(db) = db {
        runner = runner.on(db);
    }
    let (mut out, mut err) = (std::io::sink(), std::io::sink());
    let result = runner.run_file(
        path,
        &mut Outputs {
            out: &mut out,
            err: &mut err,
        },
    );
    match result {
        Ok(()) | Err(Stop::Quit) => Ok(runner.statements as INT),
        Err(Stop::Failed(_)) => Err(runner
            .first_error
            .take()
            .unwrap_or_else(|| Error::api(format!("run_sql_file: {} failed", path.display())))),
    }
}

fn reg<A: 'static, const N: usize, const X: bool, R: rhai::Variant + Clone, const F: bool>(
    engine: &mut Engine,
    name: &str,
    f: impl rhai::RhaiNativeFunc<A, N, X, R, F> + 'static,
) {
    FuncRegistration::new(name)
        .with_comments(doc_comments(name))
        .register_into_engine(engine, f);
}

/// Register the database API, closing over the host.
pub fn register(engine: &mut Engine, host: Rc<Shell>) {
    register_error_type(engine);
    engine.register_type_with_name::<Db>("Db");
    engine.register_fn("to_string", |db: &mut Db| db.to_string());
    engine.register_fn("to_debug", |db: &mut Db| db.to_string());

    let h = host.clone();
    reg(engine, "connect", move || -> RhaiResult<Db> {
        h.connect_default(ConnectOverrides::default())
            .map_err(throw)
    });
    let h = host.clone();
    reg(engine, "connect", move |url: &str| -> RhaiResult<Db> {
        let params = ConnParams::parse(url).map_err(|e| {
            throw(
                Error::new(ErrorKind::Connect, format!("invalid connection URL: {e}"))
                    .with_code("08001"),
            )
        })?;
        let overrides = ConnectOverrides {
            connect_timeout: params
                .connect_timeout
                .map(crate::db::retry::libpq_connect_timeout),
            ..ConnectOverrides::default()
        };
        h.connect_params(params, overrides).map_err(throw)
    });
    let h = host.clone();
    reg(engine, "connect", move |opts: Map| -> RhaiResult<Db> {
        let (params, overrides) = connect_options(&opts).map_err(throw)?;
        if params == ConnParams::default() && overrides.profile.is_none() {
            return h.connect_default(overrides).map_err(throw);
        }
        // Options that do not name a server (dbname, user, password…) refine the default target.
        if !params.names_server() && overrides.profile.is_none() {
            return h.connect_refined(params, overrides).map_err(throw);
        }
        h.connect_params(params, overrides).map_err(throw)
    });

    macro_rules! global_and_method {
        ($name:literal, $ret:ty, $body:expr) => {{
            let h = host.clone();
            reg(engine, $name, move |sql: &str| -> RhaiResult<$ret> {
                let db = h.current().map_err(throw)?;
                ($body)(&db, sql, &[] as &[Dynamic]).map_err(throw)
            });
            let h = host.clone();
            reg(
                engine,
                $name,
                move |sql: &str, params: Array| -> RhaiResult<$ret> {
                    let db = h.current().map_err(throw)?;
                    ($body)(&db, sql, &params).map_err(throw)
                },
            );
            reg(
                engine,
                $name,
                move |db: &mut Db, sql: &str| -> RhaiResult<$ret> {
                    ($body)(db, sql, &[] as &[Dynamic]).map_err(throw)
                },
            );
            reg(
                engine,
                $name,
                move |db: &mut Db, sql: &str, params: Array| -> RhaiResult<$ret> {
                    ($body)(db, sql, &params).map_err(throw)
                },
            );
        }};
    }
    global_and_method!("query", Rows, db_query);
    global_and_method!("execute", INT, db_execute);
    global_and_method!("query_one", Map, |db: &Db, sql: &str, p: &[Dynamic]| {
        db_query(db, sql, p).and_then(|r| one_row(sql, r))
    });
    global_and_method!(
        "query_value",
        Dynamic,
        |db: &Db, sql: &str, p: &[Dynamic]| {
            db_query(db, sql, p).and_then(|r| first_value(sql, r))
        }
    );

    let h = host.clone();
    reg(engine, "close", move |db: &mut Db| -> RhaiResult<()> {
        let rolled_back = db.try_session().map_err(throw)?.close();
        if rolled_back {
            h.report(crate::db::session::Report::Warning(format!(
                "close(): the open transaction on {} was rolled back",
                db.label()
            )));
        }
        Ok(())
    });
    reg(engine, "info", |db: &mut Db| db_info(db));
    let h = host.clone();
    reg(
        engine,
        "run_sql_file",
        move |ctx: NativeCallContext, path: &str| -> RhaiResult<INT> {
            run_sql_file(&h, None, &resolve_path(&ctx, path)).map_err(throw)
        },
    );
    let h = host.clone();
    reg(
        engine,
        "run_sql_file",
        move |ctx: NativeCallContext, db: &mut Db, path: &str| -> RhaiResult<INT> {
            run_sql_file(&h, Some(db.clone()), &resolve_path(&ctx, path)).map_err(throw)
        },
    );
    let h = host;
    reg(engine, "db", move || -> RhaiResult<Db> {
        h.current().map_err(throw)
    });
}
