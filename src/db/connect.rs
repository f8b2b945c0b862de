//! Opening one connection: libpq-style parameters → a postgres `Client`, bounded in time, with failures
//! classified as transient or permanent and errors that never show the password.

use crate::error::SqlState;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use postgres::Client;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::pgpass::{self, PgpassOutcome};
use super::retry::{classify_io, classify_sqlstate, Transience};
use super::target::{ConnParams, SessionAttrs, SslMode};
use super::tls;
use crate::error::{DbDetails, Error, ErrorKind, Result};

/// A message the server sent outside a result (NOTICE, WARNING, …), queued for the front end to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub severity: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

/// Where server notices wait until the front end prints them (library code never prints).
pub type NoticeSink = Arc<Mutex<Vec<Notice>>>;

/// Everything needed to open connections to one target, resolved once.
#[derive(Clone)]
pub struct ConnectSpec {
    pub params: ConnParams,
    /// `user@host:port/db`, for banners and errors (no password).
    pub label: String,
    /// True for pgsh's embedded database (one session at a time).
    pub embedded: bool,
    /// One entry per host of the target, tried in order (libpq's multi-host connection strings).
    hosts: Vec<HostTarget>,
    tls: MakeRustlsConnect,
    pub notices: NoticeSink,
    /// Warnings found while resolving (e.g. an ignored .pgpass), for the front end to show once.
    pub warnings: Vec<String>,
}

/// One host of a target as an attempt sees it: pgsh walks the host list itself, rather than leaving it to
/// the driver, so that each host gets its own timeout (as `connect_timeout` is per host in libpq), its own
/// `.pgpass` entry, and no TLS on a unix socket (libpq ignores `sslmode` there).
#[derive(Clone)]
struct HostTarget {
    /// `host:port`, for messages.
    label: String,
    /// The host (name, address or socket directory) and port, as libpq's `PQhost`/`PQport` give them.
    host: String,
    port: u16,
    config: postgres::Config,
}

/// Where a connection went: the host (name, address or socket directory) and port it reached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reached {
    pub host: String,
    pub port: u16,
    /// The database and user asked for (libpq's `PQdb`, `PQuser`).
    pub dbname: String,
    pub user: String,
}

/// What resolving needs from the outside world (kept out so resolving stays testable).
pub struct ResolveEnv {
    pub os_user: Option<String>,
    pub home: Option<PathBuf>,
    /// Directories where a local server's unix socket may live, in order.
    pub socket_dirs: Vec<PathBuf>,
    pub application_name: String,
    /// Where `service=NAME` is looked up (pg_service.conf).
    pub service_files: crate::db::target::service::ServiceFiles,
}

impl ResolveEnv {
    pub fn from_system() -> Self {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        ResolveEnv {
            os_user: os_user(),
            service_files: crate::db::target::service::ServiceFiles::from_env(
                &|k| std::env::var(k).ok(),
                home.as_deref(),
            ),
            home,
            socket_dirs: ["/var/run/postgresql", "/tmp"]
                .iter()
                .map(PathBuf::from)
                .collect(),
            application_name: "pgsh".into(),
        }
    }
}

fn os_user() -> Option<String> {
    if let Ok(u) = std::env::var("USER") {
        if !u.is_empty() {
            return Some(u);
        }
    }
    // SAFETY: getpwuid returns a pointer into static storage or null; we copy the name out at once.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_str()
            .ok()
            .map(str::to_string)
    }
}

impl ConnectSpec {
    /// Fill libpq's defaults, find the password (URL, PGPASSWORD, then the password file) and build the
    /// client configuration.
    pub fn resolve(
        mut params: ConnParams,
        env: &ResolveEnv,
        embedded: bool,
    ) -> Result<ConnectSpec> {
        // A named service fills what the flags, the URL and the PG* variables left unset.
        if let Some(name) = params.service.clone() {
            let service = env
                .service_files
                .lookup(&name)
                .map_err(|e| Error::new(ErrorKind::Connect, e))?;
            params = params.or(&service);
        }
        params
            .validate()
            .map_err(|e| Error::new(ErrorKind::Connect, e.to_string()))?;
        if params.hosts.is_empty() && params.hostaddrs.is_empty() {
            let dir = env
                .socket_dirs
                .iter()
                .find(|d| d.is_dir())
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "localhost".into());
            params.hosts.push(dir);
        }
        if params.ports.is_empty() {
            params.ports.push(5432);
        }
        if params.user.is_none() {
            params.user = env.os_user.clone();
        }
        if params.dbname.is_none() {
            params.dbname = params.user.clone();
        }
        let mut warnings: Vec<String> = Vec::new();
        for (key, _) in &params.extra {
            warnings.push(format!("connection option \"{key}\" is ignored by pgsh"));
        }
        let label = params.display_redacted();
        let mode = params.sslmode.unwrap_or(SslMode::Prefer);
        let tls = tls::connector(mode, params.sslrootcert.as_deref(), env.home.as_deref())
            .map_err(|e| Error::new(ErrorKind::Connect, e))?;
        let notices: NoticeSink = Arc::new(Mutex::new(Vec::new()));
        let passfile = params
            .passfile
            .clone()
            .map(PathBuf::from)
            .or_else(|| env.home.as_ref().map(|h| h.join(".pgpass")));
        let n = params.hosts.len().max(params.hostaddrs.len()).max(1);
        let mut hosts = Vec::with_capacity(n);
        for i in 0..n {
            let host = params.hosts.get(i).filter(|h| !h.is_empty()).cloned();
            let addr = params.hostaddrs.get(i).filter(|a| !a.is_empty()).cloned();
            let port = match params.ports.len() {
                len if len == n => params.ports[i],
                _ => params.ports.first().copied().unwrap_or(5432),
            };
            let shown = host.clone().or(addr.clone()).unwrap_or_default();
            let password = match (&params.password, &passfile) {
                (Some(p), _) => Some(p.clone()),
                (None, Some(file)) => {
                    let db = params.dbname.clone().unwrap_or_default();
                    let user = params.user.clone().unwrap_or_default();
                    match pgpass::lookup(file, &shown, port, &db, &user) {
                        Ok(PgpassOutcome::Found(secret)) => Some(secret),
                        Ok(PgpassOutcome::NotFound) => None,
                        Ok(PgpassOutcome::Ignored(why)) => {
                            if !warnings.contains(&why) {
                                warnings.push(why);
                            }
                            None
                        }
                        Err(e) => {
                            let why = format!(
                                "password file \"{}\" could not be read: {e}",
                                file.display()
                            );
                            if !warnings.contains(&why) {
                                warnings.push(why);
                            }
                            None
                        }
                    }
                }
                (None, None) => None,
            };
            let socket = addr.is_none() && shown.starts_with('/');
            let host_mode = if socket { SslMode::Disable } else { mode };
            let one = OneHost {
                host: host.as_deref(),
                addr: addr.as_deref(),
                port,
                password: password.as_ref(),
                mode: host_mode,
            };
            hosts.push(HostTarget {
                label: format!("{}:{port}", shown),
                host: shown.clone(),
                port,
                config: build_config(&params, &one, env, notices.clone()),
            });
        }
        Ok(ConnectSpec {
            params,
            label,
            embedded,
            hosts,
            tls,
            notices,
            warnings,
        })
    }

    /// The first host's configuration, for r2d2's own connects (which pgsh never asks for; see pool.rs).
    pub fn with_timeout(&self, timeout: Duration) -> postgres::Config {
        let mut c = self
            .hosts
            .first()
            .map(|h| h.config.clone())
            .unwrap_or_default();
        c.connect_timeout(timeout);
        c
    }

    pub fn tls(&self) -> MakeRustlsConnect {
        self.tls.clone()
    }
}

/// The host part of one host's configuration.
struct OneHost<'a> {
    host: Option<&'a str>,
    addr: Option<&'a str>,
    port: u16,
    password: Option<&'a super::target::Secret>,
    mode: SslMode,
}

fn build_config(
    params: &ConnParams,
    one: &OneHost<'_>,
    env: &ResolveEnv,
    notices: NoticeSink,
) -> postgres::Config {
    let mut c = postgres::Config::new();
    match one.host {
        Some(h) if h.starts_with('/') => {
            c.host_path(h);
        }
        Some(h) => {
            c.host(h);
        }
        None => {}
    }
    if let Some(ip) = one.addr.and_then(|a| a.parse().ok()) {
        c.hostaddr(ip);
    }
    c.port(one.port);
    if let Some(u) = &params.user {
        c.user(u);
    }
    if let Some(p) = one.password {
        c.password(p.expose());
    }
    if let Some(d) = &params.dbname {
        c.dbname(d);
    }
    if let Some(o) = &params.options {
        c.options(o);
    }
    for (name, value) in &params.startup {
        c.startup_param(name, value);
    }
    c.application_name(
        params
            .application_name
            .as_deref()
            .unwrap_or(&env.application_name),
    );
    c.ssl_mode(tls::crate_mode(one.mode));
    // A dead peer must be noticed in well under a minute: 15 s idle, then 3 probes 5 s apart.
    c.keepalives(true);
    c.keepalives_idle(params.keepalives_idle.unwrap_or(Duration::from_secs(15)));
    c.keepalives_interval(Duration::from_secs(5));
    c.keepalives_retries(3);
    if let Some(attrs) = params.target_session_attrs {
        c.target_session_attrs(match attrs {
            SessionAttrs::ReadWrite | SessionAttrs::Primary => {
                postgres::config::TargetSessionAttrs::ReadWrite
            }
            SessionAttrs::ReadOnly | SessionAttrs::Standby | SessionAttrs::PreferStandby => {
                postgres::config::TargetSessionAttrs::ReadOnly
            }
            SessionAttrs::Any => postgres::config::TargetSessionAttrs::Any,
        });
    }
    c.notice_callback(move |n| {
        if let Ok(mut q) = notices.lock() {
            q.push(Notice {
                severity: n.severity().to_string(),
                message: n.message().to_string(),
                detail: n.detail().map(str::to_string),
                hint: n.hint().map(str::to_string),
            });
        }
    });
    c
}

/// A failed connection attempt, classified.
#[derive(Clone, Debug)]
pub struct ConnectFailure {
    pub error: Error,
    pub transience: Transience,
    /// The target's one host is a local unix socket that nothing listens on (no such file, or connection
    /// refused): waiting heals that only when a server is about to start (see
    /// [`RetryPolicy::wait_for_server`]).
    ///
    /// [`RetryPolicy::wait_for_server`]: super::retry::RetryPolicy::wait_for_server
    pub unserved_socket: bool,
}

impl std::fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self.error.db() {
            Some(db) => format!("{} (SQLSTATE {})", db.message, db.code),
            None => self.error.message().to_string(),
        };
        f.write_str(&crate::redact::redact_secrets(&text))
    }
}

/// One connection attempt: each host of the target in turn, each given `timeout` for everything (TCP, TLS,
/// authentication), as libpq's `connect_timeout` is per host. Ctrl-C abandons it.
pub fn connect_once(
    spec: &ConnectSpec,
    timeout: Duration,
) -> std::result::Result<(Client, Reached), ConnectFailure> {
    let mut failures: Vec<(&str, ConnectFailure)> = Vec::new();
    for host in &spec.hosts {
        match connect_host(&host.config, spec.tls(), timeout) {
            Ok(client) => {
                let reached = Reached {
                    host: host.host.clone(),
                    port: host.port,
                    dbname: host.config.get_dbname().unwrap_or_default().to_string(),
                    user: host.config.get_user().unwrap_or_default().to_string(),
                };
                return Ok((client, reached));
            }
            Err(f) if f.error.kind() == ErrorKind::Interrupted => return Err(f),
            Err(mut f) => {
                f.unserved_socket =
                    host.host.starts_with('/') && io_kind(&f.error).is_some_and(nothing_listens);
                failures.push((&host.label, f))
            }
        }
    }
    Err(combine_failures(failures))
}

/// All hosts failed: one failure that names each (when there were several), transient if any of them is.
fn combine_failures(mut failures: Vec<(&str, ConnectFailure)>) -> ConnectFailure {
    if failures.len() <= 1 {
        return failures
            .pop()
            .map(|(_, f)| f)
            .unwrap_or_else(|| ConnectFailure {
                error: Error::new(ErrorKind::Connect, "no host to connect to")
                    .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
                transience: Transience::Permanent,
                unserved_socket: false,
            });
    }
    let transience = if failures
        .iter()
        .any(|(_, f)| f.transience == Transience::Transient)
    {
        Transience::Transient
    } else {
        Transience::Permanent
    };
    let text: Vec<String> = failures
        .iter()
        .map(|(label, f)| format!("{label}: {f}"))
        .collect();
    let code = failures
        .last()
        .and_then(|(_, f)| f.error.code().cloned())
        .unwrap_or(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION);
    ConnectFailure {
        error: Error::new(ErrorKind::Connect, text.join("; ")).with_code(code),
        transience,
        unserved_socket: false,
    }
}

fn connect_host(
    config: &postgres::Config,
    tls: MakeRustlsConnect,
    timeout: Duration,
) -> std::result::Result<Client, ConnectFailure> {
    // A day is as good as forever for one attempt, and keeps every deadline computable.
    let timeout = timeout.min(Duration::from_secs(86_400));
    let mut config = config.clone();
    config.connect_timeout(timeout);
    let (tx, rx) = mpsc::channel();
    // The crate bounds only the TCP connect; a thread lets us bound TLS and authentication too.
    std::thread::Builder::new()
        .name("pgsh-connect".into())
        .spawn(move || {
            let _ = tx.send(config.connect(tls));
        })
        .map_err(|e| ConnectFailure {
            error: Error::new(ErrorKind::Connect, format!("cannot start a thread: {e}")),
            transience: Transience::Permanent,
            unserved_socket: false,
        })?;
    let end = Instant::now() + timeout;
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(e)) => return Err(classify_connect_error(&e)),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(ConnectFailure {
                    error: Error::new(ErrorKind::Connect, "the connection attempt failed"),
                    transience: Transience::Transient,
                    unserved_socket: false,
                })
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if crate::interrupt::is_set() {
                    return Err(ConnectFailure {
                        error: Error::interrupted(),
                        transience: Transience::Permanent,
                        unserved_socket: false,
                    });
                }
                if Instant::now() >= end {
                    return Err(ConnectFailure {
                        error: Error::new(
                            ErrorKind::Connect,
                            format!(
                                "timeout expired after {}",
                                super::retry::fmt_duration(timeout)
                            ),
                        )
                        .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
                        transience: Transience::Transient,
                        unserved_socket: false,
                    });
                }
            }
        }
    }
}

/// Turn a connect error into a message and a retry decision.
pub fn classify_connect_error(e: &postgres::Error) -> ConnectFailure {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code().to_string();
        return ConnectFailure {
            transience: classify_sqlstate(&code),
            error: Error::server(db_details(db)).with_kind(ErrorKind::Connect),
            unserved_socket: false,
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            // target_session_attrs refused this server (a standby, or a primary for read-only): a
            // failover can change that, so it is worth waiting for.
            if io.kind() == std::io::ErrorKind::PermissionDenied
                && io.to_string().contains("database")
            {
                return ConnectFailure {
                    error: Error::new(ErrorKind::Connect, format!("{io} (target_session_attrs)"))
                        .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
                    transience: Transience::Transient,
                    unserved_socket: false,
                };
            }
            return ConnectFailure {
                error: Error::new(ErrorKind::Connect, describe_io(io))
                    .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION)
                    .with_source(std::io::Error::new(io.kind(), io.to_string())),
                transience: classify_io(io.kind()),
                unserved_socket: false,
            };
        }
        source = s.source();
    }
    // The crate's top-level text is generic ("invalid configuration"); the cause says what is wrong.
    let mut text = e.to_string();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        text = format!("{text}: {c}");
        cause = c.source();
    }
    // TLS and configuration problems (and authentication without a SQLSTATE) cannot heal by waiting.
    let transience = if text.contains("timed out") || text.contains("timeout") {
        Transience::Transient
    } else {
        Transience::Permanent
    };
    ConnectFailure {
        error: Error::new(ErrorKind::Connect, text)
            .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
        transience,
        unserved_socket: false,
    }
}

/// The kind of the I/O error an attempt failed with, if that was its cause.
fn io_kind(e: &Error) -> Option<std::io::ErrorKind> {
    std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind)
}

/// No server at a unix socket: the file is absent, or nothing accepts on it (a server that died).
fn nothing_listens(kind: std::io::ErrorKind) -> bool {
    matches!(
        kind,
        std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
    )
}

fn describe_io(io: &std::io::Error) -> String {
    match io.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            "connection refused (is the server running and accepting connections?)".into()
        }
        std::io::ErrorKind::NotFound => {
            "no such socket file (is the server running locally?)".into()
        }
        std::io::ErrorKind::TimedOut => "connection timed out".into(),
        _ => io.to_string(),
    }
}

/// The fields of a server error, as pgsh keeps them.
pub fn db_details(db: &postgres::error::DbError) -> DbDetails {
    use postgres::error::ErrorPosition;
    DbDetails {
        code: db.code().code().to_string(),
        severity: db.severity().to_string(),
        message: db.message().to_string(),
        detail: db.detail().map(str::to_string),
        hint: db.hint().map(str::to_string),
        position: match db.position() {
            Some(ErrorPosition::Original(p)) => Some(*p),
            _ => None,
        },
        context: db.where_().map(str::to_string),
        schema: db.schema().map(str::to_string),
        table: db.table().map(str::to_string),
        column: db.column().map(str::to_string),
        constraint: db.constraint().map(str::to_string),
        sql: None,
        internal_position: match db.position() {
            Some(ErrorPosition::Internal { position, .. }) => Some(*position),
            _ => None,
        },
        internal_query: match db.position() {
            Some(ErrorPosition::Internal { query, .. }) => Some(query.clone()),
            _ => None,
        },
        datatype: db.datatype().map(str::to_string),
        file: db.file().map(str::to_string),
        line: db.line().map(|l| l.to_string()),
        routine: db.routine().map(str::to_string),
    }
}

/// Map an error from an established connection.
pub fn map_error(e: &postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        let mut err = Error::server(db_details(db));
        // FATAL errors (terminated by an administrator, server shutting down) end the session.
        if db.severity() == "FATAL" || db.severity() == "PANIC" {
            err = err.with_kind(ErrorKind::ConnectionLost);
        }
        return err;
    }
    if e.is_closed() || is_io(e) {
        let lost = Error::new(
            ErrorKind::ConnectionLost,
            "the connection to the server was lost",
        )
        .with_code(SqlState::CONNECTION_FAILURE);
        return match io_cause(e) {
            Some(io) => lost.with_source(std::io::Error::new(io.kind(), io.to_string())),
            None => lost,
        };
    }
    Error::new(ErrorKind::Sql, e.to_string())
}

fn is_io(e: &postgres::Error) -> bool {
    io_cause(e).is_some()
}

/// The I/O error somewhere in `e`'s chain of causes.
fn io_cause(e: &postgres::Error) -> Option<&std::io::Error> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = s.source();
    }
    None
}
