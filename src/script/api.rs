//! pgsh's database functions for Rhai: `connect`, `query`, `execute`, `query_one`, `query_value`,
//! `run_sql_file`, and the `Db` handle's methods. Each is documented where it is defined: that text is `\h`'s
//! and the reference's.

use crate::error::SqlState;
use std::time::Duration;

use rhai::plugin::*;
use rhai::{Array, Dynamic, Map, NativeCallContext, INT};

use super::handle::shell;
use super::rows::Rows;
use super::script_error::{throw, RhaiResult};
use crate::db::target::{ConnFields, ConnParams, Secret, SslMode};
use crate::error::{Error, ErrorKind};
use crate::shell::{ConnectOverrides, Db};

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
    let mut base = ConnParams::default();
    let mut fields = ConnFields::default();
    let mut overrides = ConnectOverrides::default();
    if let Some(name) = m.get("profile") {
        overrides.profile = Some(name.to_string());
    }
    if let Some(url) = m.get("url") {
        let url = url
            .clone()
            .into_string()
            .map_err(|_| bad("url", "must be a string"))?;
        base =
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
            "host" => fields.host = Some(text()?),
            "port" => {
                fields.ports = Some(
                    text()?
                        .split(',')
                        .map(|p| p.trim().parse::<u16>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| bad(k, "must be a port number (1-65535)"))?,
                )
            }
            "user" => fields.user = Some(text()?),
            "password" => fields.password = Some(Secret::new(text()?)),
            "password_env" => {
                let name = text()?;
                let value = std::env::var(&name).map_err(|_| {
                    Error::usage(format!(
                        "connect: password_env names ${name}, which is not set"
                    ))
                })?;
                fields.password = Some(Secret::new(value));
            }
            "dbname" | "database" => fields.dbname = Some(text()?),
            "sslmode" => {
                fields.sslmode = Some(text()?.parse::<SslMode>().map_err(|_| {
                    bad(
                        k,
                        "must be disable, allow, prefer, require, verify-ca or verify-full",
                    )
                })?)
            }
            "sslrootcert" => fields.sslrootcert = Some(text()?),
            "application_name" => fields.application_name = Some(text()?),
            "options" => fields.options = Some(text()?),
            "target_session_attrs" => {
                fields.target_session_attrs = Some(text()?.parse().map_err(|_| {
                    bad(
                        k,
                        "must be any, read-write, read-only, primary, standby or prefer-standby",
                    )
                })?)
            }
            "connect_timeout" => {
                let t = text()?;
                let d = crate::db::retry::parse_duration(&t).map_err(|e| bad(k, &e))?;
                fields.connect_timeout = Some(d);
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
    let params = base.with_fields(fields);
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
    Ok(rows.0.value(0, 0).unwrap_or(Dynamic::UNIT))
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

/// The plugin module: the `Db` type and the database functions.
pub fn module() -> Module {
    let mut m = exported_module!(database);
    m.set_custom_type::<Db>("Db");
    m
}

/// The current session of the shell the engine serves.
fn current(ctx: &NativeCallContext) -> RhaiResult<Db> {
    shell(ctx)?.current().map_err(throw)
}

fn one_row_of(db: &Db, sql: &str, params: &[Dynamic]) -> RhaiResult<Map> {
    db_query(db, sql, params)
        .and_then(|r| one_row(sql, r))
        .map_err(throw)
}

fn value_of(db: &Db, sql: &str, params: &[Dynamic]) -> RhaiResult<Dynamic> {
    db_query(db, sql, params)
        .and_then(|r| first_value(sql, r))
        .map_err(throw)
}

#[export_module]
mod database {
    use super::*;

    /// Open a session on the default target (the command line's, the environment's, or the embedded
    /// database); it becomes the current session, which the global functions use (unless the current
    /// session has a transaction open: that one stays current, and pgsh says so).
    ///
    /// ```rhai
    /// let db = connect();
    /// db.query_value("SELECT current_database()")  // "postgres"
    /// ```
    #[rhai_fn(name = "connect", return_raw)]
    pub fn connect_default(ctx: NativeCallContext) -> RhaiResult<Db> {
        shell(&ctx)?
            .connect_default(ConnectOverrides::default())
            .map_err(throw)
    }

    /// Open a session on the server a URL names (`postgres://user@host:port/db?sslmode=…`, or a
    /// `host=… dbname=…` string); it becomes the current session (unless the current one has a transaction
    /// open).
    ///
    /// ```rhai,no_run
    /// let shop = connect("postgres://app@db.example.com/shop?sslmode=verify-full");
    /// shop.query_value("SELECT count(*) FROM orders");
    /// ```
    #[rhai_fn(name = "connect", return_raw)]
    pub fn connect_url(ctx: NativeCallContext, url: &str) -> RhaiResult<Db> {
        let params = ConnParams::parse(url).map_err(|e| {
            throw(
                Error::new(ErrorKind::Connect, format!("invalid connection URL: {e}"))
                    .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
            )
        })?;
        let overrides = ConnectOverrides {
            connect_timeout: params
                .connect_timeout
                .map(crate::db::retry::libpq_connect_timeout),
            ..ConnectOverrides::default()
        };
        shell(&ctx)?
            .connect_params(params, overrides)
            .map_err(throw)
    }

    /// Open a session from options: `url`, `host`, `port`, `user`, `password`, `password_env` (the name of
    /// a variable holding it), `dbname`, `sslmode`, `sslrootcert`, `application_name`, `connect_timeout`,
    /// `options`, `target_session_attrs`, `pool_size`, `profile` (from the configuration file), `retry`.
    /// Options that name no server (`dbname`, `user`, …) refine the default target. It becomes the
    /// current session (unless the current one has a transaction open).
    ///
    /// ```rhai
    /// let db = connect(#{dbname: "postgres", user: "postgres"});
    /// db.query_value("SELECT current_user")  // "postgres"
    /// ```
    #[rhai_fn(name = "connect", return_raw)]
    pub fn connect_options_map(ctx: NativeCallContext, options: Map) -> RhaiResult<Db> {
        let shell = shell(&ctx)?;
        let (params, overrides) = connect_options(&options).map_err(throw)?;
        if params == ConnParams::default() && overrides.profile.is_none() {
            return shell.connect_default(overrides).map_err(throw);
        }
        // Options that do not name a server (dbname, user, password…) refine the default target.
        if !params.names_server() && overrides.profile.is_none() {
            return shell.connect_refined(params, overrides).map_err(throw);
        }
        shell.connect_params(params, overrides).map_err(throw)
    }

    /// The current session (connecting to the default target on first use).
    ///
    /// ```rhai
    /// db().query_value("SELECT 1 + 1")  // 2
    /// ```
    #[rhai_fn(name = "db", return_raw)]
    pub fn current_db(ctx: NativeCallContext) -> RhaiResult<Db> {
        current(&ctx)
    }

    /// Run a statement on the current session and return its rows: each row is a map keyed by column
    /// name, and printing the rows shows a table in the SELECT's column order.
    ///
    /// ```rhai
    /// let rows = query("SELECT name, price FROM fruit ORDER BY name");
    /// rows.len()  // 3
    /// rows[0].name  // "apple"
    /// ```
    #[rhai_fn(name = "query", return_raw)]
    pub fn query(ctx: NativeCallContext, sql: &str) -> RhaiResult<Rows> {
        db_query(&current(&ctx)?, sql, &[]).map_err(throw)
    }

    /// Run a statement with parameters: `$1`, `$2`, … take the array's values, each converted to the type
    /// PostgreSQL expects (values are never pasted into the SQL text).
    ///
    /// ```rhai
    /// let cheap = query("SELECT name FROM fruit WHERE price < $1 ORDER BY name", [2]);
    /// cheap.column("name")  // ["apple", "kiwi"]
    /// ```
    #[rhai_fn(name = "query", return_raw)]
    pub fn query_params(ctx: NativeCallContext, sql: &str, params: Array) -> RhaiResult<Rows> {
        db_query(&current(&ctx)?, sql, &params).map_err(throw)
    }

    /// Run a statement on this session and return its rows.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.query("SELECT count(*) AS n FROM fruit")[0].n  // 3
    /// ```
    #[rhai_fn(name = "query", return_raw, pure)]
    pub fn query_on(db: &mut Db, sql: &str) -> RhaiResult<Rows> {
        db_query(db, sql, &[]).map_err(throw)
    }

    /// Run a statement with parameters on this session and return its rows.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.query("SELECT price FROM fruit WHERE name = $1", ["fig"])[0].price  // 3
    /// ```
    #[rhai_fn(name = "query", return_raw, pure)]
    pub fn query_params_on(db: &mut Db, sql: &str, params: Array) -> RhaiResult<Rows> {
        db_query(db, sql, &params).map_err(throw)
    }

    /// Run a statement for its effect and return the number of rows it affected. A string of several
    /// statements runs them all, in one implicit transaction as `psql -c` does, and returns the total.
    ///
    /// ```rhai
    /// execute("UPDATE fruit SET price = price * 2")  // 3
    /// execute("CREATE TEMP TABLE note (t text); INSERT INTO note VALUES ('a'), ('b')")  // 2
    /// ```
    #[rhai_fn(name = "execute", return_raw)]
    pub fn execute(ctx: NativeCallContext, sql: &str) -> RhaiResult<INT> {
        db_execute(&current(&ctx)?, sql, &[]).map_err(throw)
    }

    /// Run a statement with parameters (`$1`, `$2`, …) for its effect; returns the rows affected.
    ///
    /// ```rhai
    /// execute("INSERT INTO fruit (name, price) VALUES ($1, $2)", ["plum", 2.5])  // 1
    /// ```
    #[rhai_fn(name = "execute", return_raw)]
    pub fn execute_params(ctx: NativeCallContext, sql: &str, params: Array) -> RhaiResult<INT> {
        db_execute(&current(&ctx)?, sql, &params).map_err(throw)
    }

    /// Run a statement on this session for its effect; returns the rows affected.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.execute("DELETE FROM fruit WHERE price > 2")  // 1
    /// ```
    #[rhai_fn(name = "execute", return_raw, pure)]
    pub fn execute_on(db: &mut Db, sql: &str) -> RhaiResult<INT> {
        db_execute(db, sql, &[]).map_err(throw)
    }

    /// Run a statement with parameters on this session for its effect; returns the rows affected.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.execute("DELETE FROM fruit WHERE name = $1", ["kiwi"])  // 1
    /// ```
    #[rhai_fn(name = "execute", return_raw, pure)]
    pub fn execute_params_on(db: &mut Db, sql: &str, params: Array) -> RhaiResult<INT> {
        db_execute(db, sql, &params).map_err(throw)
    }

    /// Run a query that must return exactly one row, and return that row (a map); any other number of
    /// rows is an error.
    ///
    /// ```rhai
    /// let fig = query_one("SELECT * FROM fruit WHERE name = 'fig'");
    /// fig.price  // 3
    /// ```
    #[rhai_fn(name = "query_one", return_raw)]
    pub fn query_one(ctx: NativeCallContext, sql: &str) -> RhaiResult<Map> {
        one_row_of(&current(&ctx)?, sql, &[])
    }

    /// Run a query with parameters that must return exactly one row, and return that row.
    ///
    /// ```rhai
    /// query_one("SELECT name, price FROM fruit WHERE name = $1", ["kiwi"])  // #{name: "kiwi", price: 1.5}
    /// ```
    #[rhai_fn(name = "query_one", return_raw)]
    pub fn query_one_params(ctx: NativeCallContext, sql: &str, params: Array) -> RhaiResult<Map> {
        one_row_of(&current(&ctx)?, sql, &params)
    }

    /// Run a query on this session that must return exactly one row, and return that row.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.query_one("SELECT current_user AS who").who  // "postgres"
    /// ```
    #[rhai_fn(name = "query_one", return_raw, pure)]
    pub fn query_one_on(db: &mut Db, sql: &str) -> RhaiResult<Map> {
        one_row_of(db, sql, &[])
    }

    /// Run a query with parameters on this session that must return exactly one row, and return it.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.query_one("SELECT $1::int + 1 AS n", [41]).n  // 42
    /// ```
    #[rhai_fn(name = "query_one", return_raw, pure)]
    pub fn query_one_params_on(db: &mut Db, sql: &str, params: Array) -> RhaiResult<Map> {
        one_row_of(db, sql, &params)
    }

    /// Run a query that must return exactly one row, and return its first column.
    ///
    /// ```rhai
    /// query_value("SELECT count(*) FROM fruit")  // 3
    /// ```
    #[rhai_fn(name = "query_value", return_raw)]
    pub fn query_value(ctx: NativeCallContext, sql: &str) -> RhaiResult<Dynamic> {
        value_of(&current(&ctx)?, sql, &[])
    }

    /// Run a query with parameters that must return exactly one row, and return its first column.
    ///
    /// ```rhai
    /// query_value("SELECT price FROM fruit WHERE name = $1", ["apple"])  // 1.20
    /// ```
    #[rhai_fn(name = "query_value", return_raw)]
    pub fn query_value_params(
        ctx: NativeCallContext,
        sql: &str,
        params: Array,
    ) -> RhaiResult<Dynamic> {
        value_of(&current(&ctx)?, sql, &params)
    }

    /// Run a query on this session that must return exactly one row, and return its first column.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.query_value("SELECT 'hello'")  // "hello"
    /// ```
    #[rhai_fn(name = "query_value", return_raw, pure)]
    pub fn query_value_on(db: &mut Db, sql: &str) -> RhaiResult<Dynamic> {
        value_of(db, sql, &[])
    }

    /// Run a query with parameters on this session that must return exactly one row, and return its
    /// first column.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.query_value("SELECT $1::text || '!'", ["hi"])  // "hi!"
    /// ```
    #[rhai_fn(name = "query_value", return_raw, pure)]
    pub fn query_value_params_on(db: &mut Db, sql: &str, params: Array) -> RhaiResult<Dynamic> {
        value_of(db, sql, &params)
    }

    /// Run a psql-style SQL file (dumps and datasets: `COPY … FROM stdin`, `\c`, `\i`,
    /// `\set ON_ERROR_STOP`) on the current session, quietly, and return the number of statements run. The
    /// first error stops it and names the file and line. A relative path is relative to the calling
    /// script's directory.
    ///
    /// ```rhai
    /// run_sql_file("more_fruit.sql")  // 2
    /// query_value("SELECT count(*) FROM fruit")  // 5
    /// ```
    #[rhai_fn(name = "run_sql_file", return_raw)]
    pub fn run_sql_file_current(ctx: NativeCallContext, path: &str) -> RhaiResult<INT> {
        let shell = shell(&ctx)?;
        crate::script::sql_file::run(&shell, None, &resolve_path(&ctx, path)).map_err(throw)
    }

    /// Run a psql-style SQL file on this session and return the number of statements run.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.run_sql_file("more_fruit.sql")  // 2
    /// ```
    #[rhai_fn(name = "run_sql_file", return_raw, pure)]
    pub fn run_sql_file_on(ctx: NativeCallContext, db: &mut Db, path: &str) -> RhaiResult<INT> {
        let shell = shell(&ctx)?;
        crate::script::sql_file::run(&shell, Some(db.clone()), &resolve_path(&ctx, path))
            .map_err(throw)
    }

    /// End the session: an open transaction is rolled back (with a warning) and the connection goes back
    /// to the pool. The global functions then use a new session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.close();
    /// db.info().closed  // true
    /// ```
    #[rhai_fn(name = "close", return_raw, pure)]
    pub fn close(ctx: NativeCallContext, db: &mut Db) -> RhaiResult<()> {
        let rolled_back = db.try_session().map_err(throw)?.close();
        if rolled_back {
            if let Some(shell) = super::super::handle::shell_if_any(&ctx) {
                shell.report(crate::db::session::Report::Warning(format!(
                    "close(): the open transaction on {} was rolled back",
                    db.label()
                )));
            }
        }
        Ok(())
    }

    /// What the session is connected to (never the password): `target`, `embedded`, `server_version`,
    /// `user`, `database`, `pid`, `in_transaction`, `closed`.
    ///
    /// ```rhai
    /// let info = connect().info();
    /// info.database  // "postgres"
    /// info.in_transaction  // false
    /// ```
    #[rhai_fn(name = "info", pure)]
    pub fn info(db: &mut Db) -> Map {
        db_info(db)
    }

    /// The session as `Db(target)`, with ` (closed)` once it is closed.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.close();
    /// db.to_string().ends_with("(closed)")  // true
    /// ```
    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn to_string(db: &mut Db) -> String {
        db.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_map_keys_refine_its_url() {
        let mut m = Map::new();
        m.insert("url".into(), "postgres://u:pw@a:1/d?sslmode=require".into());
        m.insert("host".into(), "h1,h2".into());
        m.insert("port".into(), "5,6".into());
        m.insert("database".into(), "ignored".into());
        m.insert("dbname".into(), "e".into());
        let (p, _) = connect_options(&m).unwrap();
        assert_eq!(p.hosts, vec!["h1".to_string(), "h2".into()]);
        assert_eq!(p.ports, vec![5, 6]);
        // "dbname" sorts after "database" and wins; what the map leaves unsaid is the URL's.
        assert_eq!(p.dbname.as_deref(), Some("e"));
        assert_eq!(p.user.as_deref(), Some("u"));
        assert_eq!(p.password.as_ref().map(Secret::expose), Some("pw"));
        assert_eq!(p.sslmode, Some(SslMode::Require));
        m.insert("port".into(), "x".into());
        let e = connect_options(&m).unwrap_err().to_string();
        assert!(e.contains("option \"port\" must be a port number"), "{e}");
    }

    #[test]
    fn connect_map_retry_reads_jitter_as_a_word() {
        let retry = |jitter: &str| {
            let mut r = Map::new();
            r.insert("jitter".into(), jitter.into());
            let mut m = Map::new();
            m.insert("retry".into(), r.into());
            connect_options(&m)
        };
        let (_, o) = retry("none").unwrap();
        assert_eq!(
            o.retry.and_then(|r| r.jitter),
            Some(crate::db::retry::Jitter::None)
        );
        let e = retry("sometimes").unwrap_err().to_string();
        assert!(
            e.contains("invalid jitter \"sometimes\": expected full or none"),
            "{e}"
        );
    }
}
