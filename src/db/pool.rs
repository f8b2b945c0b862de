//! The connection pool: r2d2 over r2d2_postgres, with a manager that validates within a time bound, and a
//! check-out path that makes new connections under pgsh's retry policy instead of r2d2's endless background loop.
//!
//! r2d2 can only create connections itself (in a background thread that retries forever, wrong passwords
//! included). So pgsh connects directly, under its own policy, and hands the fresh connection to the pool
//! through a one-slot "seed" that the manager's `connect` returns; the pool never connects on its own.

use crate::error::SqlState;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::Client;
use r2d2::ManageConnection;
use r2d2_postgres::PostgresConnectionManager;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::connect::{connect_once, ConnectFailure, ConnectSpec, Reached};
use super::retry::{
    self, Clock, ConnectProgress, RetryFailure, RetryPolicy, RetryStatus, Transience,
};
use crate::error::{Error, ErrorKind, Result};

/// What the server told us about a session when it started.
#[derive(Clone, Debug, Default)]
pub struct ServerInfo {
    pub version: String,
    pub user: String,
    pub database: String,
    pub pid: i32,
    /// The host (name, address or socket directory) and port the connection reached.
    pub host: String,
    pub port: u16,
}

/// A connection as the pool holds it: the client plus what belongs to this physical connection.
pub struct PgConn {
    pub client: Client,
    /// The session TimeZone name, as `SHOW TimeZone` says.
    pub timezone: String,
    pub info: ServerInfo,
    /// Set when a session decides this connection must not be reused.
    pub broken: bool,
    /// What Ctrl-C does while a statement runs on this connection (set when a session takes it).
    pub canceller: Option<crate::interrupt::Canceller>,
}

impl PgConn {
    /// A new connection's facts, from what the server reported at startup (ParameterStatus and the
    /// backend key): nothing is sent, so a psql-mode session sees no query of pgsh's own.
    fn new(client: Client, reached: Reached, database: String) -> Result<PgConn> {
        let status = |name: &str| client.parameter_status(name);
        let user = if reached.user.is_empty() {
            status("session_authorization").unwrap_or_default()
        } else {
            reached.user
        };
        let database = if reached.dbname.is_empty() {
            database
        } else {
            reached.dbname
        };
        let info = ServerInfo {
            version: status("server_version").unwrap_or_default(),
            user,
            database,
            pid: client.backend_pid(),
            host: reached.host,
            port: reached.port,
        };
        let timezone = status("TimeZone").unwrap_or_else(|| "UTC".to_string());
        Ok(PgConn {
            client,
            timezone,
            info,
            broken: false,
            canceller: None,
        })
    }

    /// Re-read the TimeZone after a statement may have changed it: the server reports every change of it
    /// (a ParameterStatus message), so this asks nothing of the server.
    pub fn refresh_timezone(&mut self) -> Result<()> {
        if let Some(tz) = self.client.parameter_status("TimeZone") {
            self.timezone = tz;
        }
        Ok(())
    }
}

/// Pool settings.
#[derive(Clone, Debug)]
pub struct PoolSettings {
    pub size: u32,
    pub idle_timeout: Option<Duration>,
    pub max_lifetime: Option<Duration>,
    /// Bound for the check-out validation round trip.
    pub validation_timeout: Duration,
    pub statement_cache: usize,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            size: 4,
            idle_timeout: Some(Duration::from_secs(300)),
            max_lifetime: Some(Duration::from_secs(1800)),
            validation_timeout: Duration::from_secs(2),
            statement_cache: 256,
        }
    }
}

/// r2d2's manager for pgsh connections.
pub struct Manager {
    inner: PostgresConnectionManager<MakeRustlsConnect>,
    seed: Arc<Mutex<Option<PgConn>>>,
    settings: PoolSettings,
}

impl ManageConnection for Manager {
    type Connection = PgConn;
    type Error = Error;

    fn connect(&self) -> Result<PgConn> {
        if let Some(conn) = self.seed.lock().ok().and_then(|mut s| s.take()) {
            return Ok(conn);
        }
        // Only reached if r2d2 decides to open a connection by itself; keep it to one bounded attempt.
        let client = self
            .inner
            .connect()
            .map_err(|e| super::connect::classify_connect_error(&e).error)?;
        PgConn::new(client, Reached::default(), String::new())
    }

    fn is_valid(&self, conn: &mut PgConn) -> Result<()> {
        // r2d2_postgres's check has no deadline; a half-open TCP connection would hang check-out.
        conn.client
            .is_valid(self.settings.validation_timeout)
            .map_err(|e| super::connect::map_error(&e))
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.broken || conn.client.is_closed()
    }
}

/// A pool for one target.
#[derive(Clone)]
pub struct Pool {
    inner: r2d2::Pool<Manager>,
    /// Shared with the manager: where a freshly made connection waits for r2d2 to pick it up.
    seed: Arc<Mutex<Option<PgConn>>>,
    /// A connection to this target has worked: a server is there, so one that stops answering is
    /// restarting and is waited for, even where nothing listens on its socket for a while.
    reached: Arc<AtomicBool>,
    pub spec: Arc<ConnectSpec>,
    pub settings: PoolSettings,
}

pub type Pooled = r2d2::PooledConnection<Manager>;

impl Pool {
    /// The database this pool's connections use (libpq's default: the user name).
    fn database(&self) -> String {
        let p = &self.spec.params;
        p.dbname
            .clone()
            .or_else(|| p.user.clone())
            .unwrap_or_default()
    }

    /// Build without connecting: the first check-out connects under the retry policy.
    pub fn new(spec: ConnectSpec, settings: PoolSettings) -> Pool {
        let timeout = Duration::from_secs(5);
        let seed = Arc::new(Mutex::new(None));
        let manager = Manager {
            inner: PostgresConnectionManager::new(spec.with_timeout(timeout), spec.tls()),
            seed: seed.clone(),
            settings: settings.clone(),
        };
        let inner = r2d2::Pool::builder()
            .max_size(settings.size.max(1))
            .min_idle(Some(0))
            .test_on_check_out(true)
            .idle_timeout(settings.idle_timeout)
            .max_lifetime(settings.max_lifetime)
            .connection_timeout(Duration::from_secs(10))
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Pool {
            inner,
            seed,
            reached: Arc::new(AtomicBool::new(false)),
            spec: Arc::new(spec),
            settings,
        }
    }

    /// Close the idle connections (the embedded server has one connection in all: an idle one here would
    /// keep a session on another database waiting).
    pub fn close_idle(&self) {
        while let Some(mut c) = self.inner.try_get() {
            c.broken = true;
        }
    }

    /// Connections currently checked out.
    pub fn in_use(&self) -> u32 {
        let s = self.inner.state();
        s.connections.saturating_sub(s.idle_connections)
    }

    /// Take a connection: an idle, validated one if the pool has it, else a new one made under `policy`.
    /// `progress` hears of each failed attempt that will be retried, and of the end of retrying.
    pub fn checkout(
        &self,
        policy: &RetryPolicy,
        progress: &mut dyn FnMut(ConnectProgress),
    ) -> Result<Pooled> {
        if let Some(conn) = self.inner.try_get() {
            return Ok(conn);
        }
        if self.in_use() >= self.settings.size.max(1) {
            return Err(self.busy_error());
        }
        let clock = retry::SystemClock::new();
        let mut retried = false;
        let wait_for_server = policy.wait_for_server || self.reached.load(Ordering::Relaxed);
        let client = retry::run(
            policy,
            &clock,
            |_, timeout| connect_once(&self.spec, timeout),
            |f: &ConnectFailure| {
                if f.unserved_socket && !wait_for_server {
                    Transience::Permanent
                } else {
                    f.transience
                }
            },
            |ev| {
                retried = true;
                progress(ConnectProgress::Failed {
                    target: self.spec.label.clone(),
                    status: RetryStatus::new(ev, clock.elapsed()),
                })
            },
        );
        if retried {
            progress(ConnectProgress::Ended);
        }
        let (client, reached) = client.map_err(|f| self.connect_error(f, policy))?;
        self.reached.store(true, Ordering::Relaxed);
        let conn = PgConn::new(client, reached, self.database())
            .map_err(|e| e.with_kind(ErrorKind::Connect))?;
        if let Ok(mut seed) = self.seed.lock() {
            *seed = Some(conn);
        }
        self.inner
            .get_timeout(Duration::from_secs(10))
            .map_err(|e| {
                Error::new(
                    ErrorKind::Connect,
                    format!("connection pool for {}: {e}", self.spec.label),
                )
            })
    }

    fn busy_error(&self) -> Error {
        let msg = if self.spec.embedded {
            "the embedded database serves one session at a time, and another session is open; \
             close it first (db.close()) or connect to a server for concurrent sessions"
                .to_string()
        } else {
            format!(
                "all {} connections of the pool for {} are in use; close a session (db.close()) \
                 or raise pool_size",
                self.settings.size, self.spec.label
            )
        };
        Error::new(ErrorKind::Connect, msg).with_code(SqlState::TOO_MANY_CONNECTIONS)
    }

    fn connect_error(&self, f: RetryFailure<ConnectFailure>, policy: &RetryPolicy) -> Error {
        self.connect_error_text(f, policy).redacted()
    }

    fn connect_error_text(&self, f: RetryFailure<ConnectFailure>, policy: &RetryPolicy) -> Error {
        let label = &self.spec.label;
        match f {
            RetryFailure::Permanent(ConnectFailure {
                error,
                unserved_socket: true,
                ..
            }) => {
                let p = &self.spec.params;
                let socket = format!(
                    "{}/.s.PGSQL.{}",
                    p.hosts.first().map(String::as_str).unwrap_or_default(),
                    p.ports.first().copied().unwrap_or(5432)
                );
                // "no such socket file (is …)" or "connection refused (is …)": the question is answered.
                let what = error.message().split(" (").next().unwrap_or_default();
                Error::new(
                    ErrorKind::Connect,
                    format!(
                        "cannot connect to {label}: {what}: no server is running on socket \"{socket}\"\n\
                         HINT:  pgsh --embedded runs pgsh's own PostgreSQL; --retry-deadline 30s waits for \
                         a server that is starting"
                    ),
                )
                .with_code(error.code().cloned().unwrap_or(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION))
            }
            RetryFailure::Permanent(c) => {
                let e = c.error;
                match e.db() {
                    // Keep the SQLSTATE, but say which server refused and why in one line.
                    Some(db) => Error::new(
                        ErrorKind::Connect,
                        format!(
                            "cannot connect to {label}: {}:  {}",
                            db.severity, db.message
                        ),
                    )
                    .with_code(SqlState::from_code(&db.code)),
                    None => e.context(format!("cannot connect to {label}")),
                }
            }
            RetryFailure::Interrupted(_) => Error::interrupted(),
            RetryFailure::Exhausted {
                attempts,
                elapsed,
                last,
            } => {
                let _ = policy;
                let e = last.error;
                let code = e
                    .code()
                    .cloned()
                    .unwrap_or(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION);
                // The SQLSTATE goes on the error itself (shown once, at the end), not in the cause's text.
                let cause = match e.db() {
                    Some(db) => format!("{}:  {}", db.severity, db.message),
                    None => e.message().to_string(),
                };
                Error::new(
                    ErrorKind::Connect,
                    format!(
                        "cannot connect to {label}: gave up after {attempts} attempt{} over {}; last error: {}",
                        if attempts == 1 { "" } else { "s" },
                        retry::fmt_duration(elapsed),
                        cause
                    ),
                )
                .with_code(code)
            }
        }
    }
}
