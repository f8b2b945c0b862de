//! The shell: what one pgsh run shares — the default target, the embedded server, pools, open sessions and
//! the current connection that global `query()`/`execute()` use.

use crate::error::SqlState;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::{Rc, Weak};

use crate::db::connect::{ConnectSpec, ResolveEnv};
use crate::db::embedded::Embedded;
use crate::db::pool::{Pool, PoolSettings};
use crate::db::profile::Profiles;
use crate::db::retry::{RetryPolicy, RetrySettings};
use crate::db::session::{Report, Reporter, Session, SessionOptions, TxStatus};
use crate::db::target::ConnParams;
use crate::error::{Error, ErrorKind, Result};
use crate::output::table::TableOptions;

/// Where `connect()` with no arguments goes.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultTarget {
    /// pgsh's embedded PostgreSQL, optionally kept in a data directory; `dbname` and `user` (from `-d`,
    /// `-U`, `PGDATABASE`) pick a database and role on it other than `postgres`.
    Embedded {
        data: Option<PathBuf>,
        dbname: Option<String>,
        user: Option<String>,
    },
    /// A server, as flags, DATABASE_URL and PG* variables describe it (merged in that order).
    Server(Box<ConnParams>),
}

/// Settings for the run.
#[derive(Clone, Debug)]
pub struct ShellConfig {
    pub target: DefaultTarget,
    /// libpq environment (PG* variables), used to fill what a `connect(url)` leaves unsaid.
    pub env_params: ConnParams,
    /// The run's retry policy (all layers applied, no profile or script options).
    pub policy: RetryPolicy,
    /// The layers it was made from, to rebuild it with a profile or a script's `retry` options.
    pub retry: RetryLayers,
    /// The configuration file's profiles, for `connect(#{profile: …})`.
    pub profiles: Profiles,
    pub pool: PoolSettings,
    pub echo: bool,
}

/// Retry settings by origin. Precedence: script options > flags > environment > config file (a profile's
/// settings over the file's `[retry]`) > defaults.
#[derive(Clone, Debug, Default)]
pub struct RetryLayers {
    pub file: RetrySettings,
    pub profile: RetrySettings,
    pub env: RetrySettings,
    pub flags: RetrySettings,
}

impl RetryLayers {
    /// The policy with every layer applied; `script` (a `connect(#{retry: …})` map) goes on top.
    pub fn policy(&self, script: Option<&RetrySettings>) -> Result<RetryPolicy> {
        self.policy_with_profile(None, script)
    }

    /// As [`RetryLayers::policy`], with a profile chosen by the script in place of the run's.
    pub fn policy_with_profile(
        &self,
        profile: Option<&RetrySettings>,
        script: Option<&RetrySettings>,
    ) -> Result<RetryPolicy> {
        let mut p = RetryPolicy::default();
        self.file.apply(&mut p, "config file")?;
        profile.unwrap_or(&self.profile).apply(&mut p, "profile")?;
        self.env.apply(&mut p, "environment")?;
        self.flags.apply(&mut p, "flags")?;
        if let Some(s) = script {
            s.apply(&mut p, "connect")?;
        }
        Ok(p)
    }
}

/// A session handle as scripts hold it (`Db`).
pub struct DbInner {
    pub session: RefCell<Session>,
    pub label: String,
    pub embedded: bool,
}

/// A connection handle: scripts get one from `connect()`; clones share the session.
#[derive(Clone)]
pub struct Db(pub Rc<DbInner>);

impl Db {
    pub fn try_session(&self) -> Result<std::cell::RefMut<'_, Session>> {
        let mut s = self.0.session.try_borrow_mut().map_err(|_| {
            Error::api("this connection is busy (used from inside its own callback)")
        })?;
        // A connection lent out while the prompt waited comes back before any use.
        s.reclaim();
        Ok(s)
    }

    pub fn label(&self) -> &str {
        &self.0.label
    }

    pub fn same(&self, other: &Db) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Display for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0.session.try_borrow();
        let state = match s.as_deref() {
            Ok(s) if s.is_closed() => " (closed)",
            _ => "",
        };
        write!(f, "Db({}){state}", self.0.label)
    }
}

/// `\c` arguments, as psql reads them; `None` keeps the previous connection's value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectArgs {
    /// A database name, or a connection string (`dbname=x host=y`, `postgresql://…`).
    pub dbname: Option<String>,
    pub user: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
    /// `-reuse-previous=on|off`; unset: reuse, unless `dbname` is a connection string.
    pub reuse_previous: Option<bool>,
}

/// Asks the user for a password, given the prompt text; `None` when there is no answer.
pub type PasswordPrompt = Rc<dyn Fn(&str) -> Option<String>>;

/// Options a script can give `connect` beyond connection parameters.
#[derive(Clone, Debug, Default)]
pub struct ConnectOverrides {
    pub pool_size: Option<u32>,
    /// The policy to use (already layered); `None` = the run's.
    pub policy: Option<RetryPolicy>,
    /// Time allowed per connection attempt, on top of the run's policy.
    pub connect_timeout: Option<std::time::Duration>,
    /// A profile from the configuration file (`connect(#{profile: "shop"})`).
    pub profile: Option<String>,
    /// Retry settings from the script (`connect(#{retry: #{…}})`).
    pub retry: Option<RetrySettings>,
}

/// psql's variables as a run's scripts share them with the psql engine (see [`Shell::psql_vars`]).
#[derive(Clone, Debug, Default)]
pub struct PsqlVars {
    pub values: std::collections::BTreeMap<String, String>,
    /// Set (`Some`) or unset (`None`) by a script, in order, not yet handed to the engine.
    pub changed: Vec<(String, Option<String>)>,
}

impl PsqlVars {
    pub fn set(&mut self, name: &str, value: Option<String>) {
        match &value {
            Some(v) => self.values.insert(name.to_string(), v.clone()),
            None => self.values.remove(name),
        };
        self.changed.push((name.to_string(), value));
    }
}

pub struct Shell {
    config: ShellConfig,
    env: ResolveEnv,
    pools: RefCell<HashMap<String, Pool>>,
    sessions: RefCell<Vec<Weak<DbInner>>>,
    current: RefCell<Option<Db>>,
    /// True while the current session is one pgsh opened by itself (first global call, REPL start): it
    /// yields the embedded server's single connection when the script asks for its own `connect()`.
    implicit: RefCell<bool>,
    reporter: Reporter,
    pub table: RefCell<TableOptions>,
    /// psql's variables as scripts see them (`psql_var`, `set_psql_var`): filled from the psql engine's
    /// before each Rhai chunk at the prompt, and what a chunk changed goes back to the engine after it.
    pub psql_vars: RefCell<PsqlVars>,
    /// Asks for a password on the terminal (interactive runs only).
    prompter: Option<PasswordPrompt>,
    /// `-1`: the session holding the run's single transaction.
    single: RefCell<Option<Db>>,
    /// The embedded server, declared last so it is dropped last: fields drop in order, and the server's
    /// shutdown waits for its client, which the pools and sessions above hold (this matters when a panic
    /// unwinds through the host).
    embedded: RefCell<Option<Embedded>>,
}

impl Shell {
    pub fn new(config: ShellConfig, env: ResolveEnv, reporter: Reporter) -> Shell {
        Shell {
            config,
            env,
            embedded: RefCell::new(None),
            pools: RefCell::new(HashMap::new()),
            sessions: RefCell::new(Vec::new()),
            current: RefCell::new(None),
            psql_vars: RefCell::new(PsqlVars::default()),
            implicit: RefCell::new(false),
            reporter,
            table: RefCell::new(TableOptions::default()),
            prompter: None,
            single: RefCell::new(None),
        }
    }

    /// Let connections ask for a password when the server wants one (the front end passes a terminal prompt).
    pub fn set_prompter(&mut self, ask: PasswordPrompt) {
        self.prompter = Some(ask);
    }

    pub fn config(&self) -> &ShellConfig {
        &self.config
    }

    pub fn report(&self, r: Report) {
        (self.reporter)(r)
    }

    /// The current session, connecting to the default target on first use.
    pub fn current(&self) -> Result<Db> {
        if let Some(db) = self.current.borrow().as_ref() {
            if !db.0.session.try_borrow().is_ok_and(|s| s.is_closed()) {
                return Ok(db.clone());
            }
        }
        let db = self.open_default(ConnectOverrides::default())?;
        *self.current.borrow_mut() = Some(db.clone());
        *self.implicit.borrow_mut() = true;
        Ok(db)
    }

    /// The current session if there is one (no connecting).
    pub fn current_if_any(&self) -> Option<Db> {
        self.current.borrow().clone()
    }

    /// `connect()`: a new session on the default target, which becomes the current one.
    /// `-1`: hold (or let go of) the session whose transaction wraps the run.
    pub fn hold_single(&self, db: Option<Db>) {
        *self.single.borrow_mut() = db;
    }

    /// `-1`: the session whose transaction wraps the run, while it lasts.
    pub fn single(&self) -> Option<Db> {
        self.single.borrow().clone()
    }

    pub fn connect_default(&self, mut overrides: ConnectOverrides) -> Result<Db> {
        if let Some(db) = self.single.borrow().clone() {
            self.set_current(db.clone());
            return Ok(db);
        }
        if overrides.policy.is_none() && overrides.retry.is_some() {
            overrides.policy = Some(self.config.retry.policy(overrides.retry.as_ref())?);
        }
        self.yield_implicit_embedded();
        let db = self.open_default(overrides)?;
        self.adopt(&db);
        Ok(db)
    }

    /// `connect(url)` / `connect(#{...})`: a new session elsewhere; becomes the current one.
    pub fn connect_params(
        &self,
        params: ConnParams,
        mut overrides: ConnectOverrides,
    ) -> Result<Db> {
        let mut params = params;
        if let Some(name) = overrides.profile.clone() {
            let profile = self.config.profiles.get(&name)?;
            params = params.or(&profile.params(&name, &|k| std::env::var(k).ok())?);
            overrides.pool_size = overrides.pool_size.or(profile.pool_size);
            overrides.policy = Some(
                self.config
                    .retry
                    .policy_with_profile(Some(&profile.retry), overrides.retry.as_ref())?,
            );
        }
        let params = params.or(&self.config.env_params);
        let db = self.open_server(params, overrides)?;
        self.adopt(&db);
        Ok(db)
    }

    /// How targets are resolved (for connections opened outside the pools, as `fan_out`'s).
    pub fn resolve_env(&self) -> &ResolveEnv {
        &self.env
    }

    /// The embedded server's socket directory, when it runs (never a `fan_out` target).
    pub fn embedded_socket(&self) -> Option<String> {
        let e = self.embedded.borrow();
        e.as_ref().and_then(|e| e.params().hosts.first().cloned())
    }

    /// `connect()`'s new session becomes the current one, unless the current one has a transaction open:
    /// switching would leave that transaction behind (and roll it back silently when nothing else holds
    /// the session), and a `COMMIT` typed next would go to the new session. So the current session, with its
    /// transaction, stays current (as mongosh's `connect()` leaves `db` alone), the new one is reached
    /// through the handle `connect()` returned, and pgsh says so.
    fn adopt(&self, db: &Db) {
        let busy = self.current.borrow().as_ref().and_then(|cur| {
            let open = !cur.same(db)
                && cur
                    .0
                    .session
                    .try_borrow()
                    .is_ok_and(|s| !s.is_closed() && s.tx_status() != TxStatus::Idle);
            open.then(|| cur.label().to_string())
        });
        match busy {
            Some(label) => self.report(Report::Warning(format!(
                "connect(): the current session ({label}) has a transaction open, so it stays the current \
                 session (typed SQL, query() and execute() keep using it); use the handle connect() returned \
                 for the new session, or COMMIT or ROLLBACK first"
            ))),
            None => self.set_current(db.clone()),
        }
    }

    pub fn set_current(&self, db: Db) {
        *self.current.borrow_mut() = Some(db);
        *self.implicit.borrow_mut() = false;
    }

    fn yield_implicit_embedded(&self) {
        if !matches!(self.config.target, DefaultTarget::Embedded { .. }) || !*self.implicit.borrow()
        {
            return;
        }
        let cur = self.current.borrow().clone();
        if let Some(db) = cur {
            // Only when no one else holds the handle and nothing is pending in it.
            if Rc::strong_count(&db.0) <= 2 {
                if let Ok(mut s) = db.0.session.try_borrow_mut() {
                    if s.tx_status() == TxStatus::Idle {
                        s.close();
                        *self.current.borrow_mut() = None;
                    }
                }
            }
        }
    }

    fn open_default(&self, overrides: ConnectOverrides) -> Result<Db> {
        match &self.config.target {
            DefaultTarget::Embedded { data, dbname, user } => {
                self.open_embedded_as(data.clone(), dbname.as_deref(), user.as_deref(), overrides)
            }
            DefaultTarget::Server(params) => self.open_server((**params).clone(), overrides),
        }
    }

    /// A session on the embedded server, optionally on another database or as another user. The server
    /// has one connection in all, so a session open on another of its databases is an error, and idle
    /// connections other pools keep are closed first.
    fn open_embedded_as(
        &self,
        data: Option<PathBuf>,
        dbname: Option<&str>,
        user: Option<&str>,
        overrides: ConnectOverrides,
    ) -> Result<Db> {
        if self.embedded.borrow().is_none() {
            let e = Embedded::start(data.as_deref())?;
            *self.embedded.borrow_mut() = Some(e);
        }
        // `-d postgres` is the default database: the same pool (and label) as no `-d` at all.
        let dbname = dbname.filter(|d| *d != crate::db::embedded::DATABASE);
        let user = user.filter(|u| *u != crate::db::embedded::USER);
        let (mut params, label) = match self.embedded.borrow().as_ref() {
            Some(e) => (e.params(), e.describe(dbname)),
            None => {
                return Err(Error::new(
                    ErrorKind::Connect,
                    "the embedded database is not running",
                ))
            }
        };
        if let Some(d) = dbname {
            params.dbname = Some(d.to_string());
        }
        if let Some(u) = user {
            params.user = Some(u.to_string());
        }
        let key = match (dbname, user) {
            (None, None) => "embedded".to_string(),
            _ => format!("embedded:{}", pool_key(&params, 1)),
        };
        for (k, p) in self.pools.borrow().iter() {
            if p.spec.embedded && *k != key {
                if p.in_use() > 0 {
                    return Err(Error::new(
                        ErrorKind::Connect,
                        "the embedded database serves one session at a time, and another session is open; \
                         close it first (db.close()) or connect to a server for concurrent sessions",
                    )
                    .with_code(SqlState::TOO_MANY_CONNECTIONS));
                }
                p.close_idle();
            }
        }
        let settings = PoolSettings {
            size: 1,
            ..self.config.pool.clone()
        };
        let pool = self.pool_for(key, || {
            let mut spec = ConnectSpec::resolve(params.clone(), &self.env, true)?;
            spec.label = label.clone();
            Ok(Pool::new(spec, settings.clone()))
        })?;
        self.open_session(pool, overrides)
    }

    /// `connect(#{dbname: …, user: …})` without a server named: the default target with those refinements.
    pub fn connect_refined(&self, params: ConnParams, overrides: ConnectOverrides) -> Result<Db> {
        let db = match &self.config.target {
            DefaultTarget::Embedded { data, dbname, user } => {
                self.yield_implicit_embedded();
                self.open_embedded_as(
                    data.clone(),
                    params.dbname.as_deref().or(dbname.as_deref()),
                    params.user.as_deref().or(user.as_deref()),
                    overrides,
                )?
            }
            DefaultTarget::Server(target) => self.open_server(params.or(target), overrides)?,
        };
        self.adopt(&db);
        Ok(db)
    }

    fn open_server(&self, params: ConnParams, mut overrides: ConnectOverrides) -> Result<Db> {
        if overrides.policy.is_none() && overrides.retry.is_some() {
            overrides.policy = Some(self.config.retry.policy(overrides.retry.as_ref())?);
        }
        let size = overrides.pool_size.unwrap_or(self.config.pool.size);
        let key = pool_key(&params, size);
        let settings = PoolSettings {
            size,
            ..self.config.pool.clone()
        };
        let pool = self.pool_for(key.clone(), || {
            let spec = ConnectSpec::resolve(params.clone(), &self.env, false)?;
            for w in &spec.warnings {
                self.report(Report::Warning(w.clone()));
            }
            Ok(Pool::new(spec, settings.clone()))
        })?;
        let user = pool.spec.params.user.clone().unwrap_or_default();
        match self.open_session(pool, overrides.clone()) {
            Err(e) if e.message().contains("password missing") => {
                self.pools.borrow_mut().remove(&key);
                // Like psql: ask on the terminal when the server wants a password and none was given.
                let answer = match (&self.prompter, params.password.is_none()) {
                    (Some(ask), true) => ask(&format!("Password for user {user}: ")),
                    _ => None,
                };
                match answer {
                    Some(pw) => {
                        let mut with_pw = params;
                        with_pw.password = Some(crate::db::target::Secret::new(pw));
                        self.open_server(with_pw, overrides)
                    }
                    None => Err(Error::new(
                        ErrorKind::Connect,
                        format!(
                            "cannot connect to {}: the server asks for a password and none was given \
                             (set PGPASSWORD, add it to ~/.pgpass, or use connect(#{{password_env: \"NAME\"}}))",
                            params.display_redacted()
                        ),
                    )
                    .with_code(SqlState::INVALID_PASSWORD)),
                }
            }
            other => other,
        }
    }

    fn pool_for(&self, key: String, make: impl FnOnce() -> Result<Pool>) -> Result<Pool> {
        if let Some(p) = self.pools.borrow().get(&key) {
            return Ok(p.clone());
        }
        let pool = make()?;
        self.pools.borrow_mut().insert(key, pool.clone());
        Ok(pool)
    }

    fn open_session(&self, pool: Pool, overrides: ConnectOverrides) -> Result<Db> {
        let mut policy = overrides
            .policy
            .unwrap_or_else(|| self.config.policy.clone());
        if let Some(t) = overrides.connect_timeout {
            policy.connect_timeout = t;
        }
        let options = SessionOptions {
            policy,
            echo: self.config.echo,
        };
        let label = pool.spec.label.clone();
        let embedded = pool.spec.embedded;
        let mut session = Session::new(pool, options, self.reporter.clone());
        session.open()?;
        let db = Db(Rc::new(DbInner {
            session: RefCell::new(session),
            label,
            embedded,
        }));
        let mut sessions = self.sessions.borrow_mut();
        sessions.retain(|w| w.strong_count() > 0);
        sessions.push(Rc::downgrade(&db.0));
        Ok(db)
    }

    /// `\c`: a new session like the current one but on another database, as another user, or on another
    /// server; the old session is closed once the new one works.
    pub fn reconnect_with(&self, args: &ConnectArgs) -> Result<Db> {
        if self.single().is_some() {
            // The single transaction lives on the current session: after a switch, what follows would run
            // (and commit) outside it.
            return Err(Error::api(
                "\\c cannot switch connections inside the single transaction of -1/--single-transaction",
            )
            .with_code(SqlState::ACTIVE_SQL_TRANSACTION));
        }
        let old = self.current()?;
        let (mut params, embedded, size) = {
            let s = old.try_session()?;
            (
                s.pool().spec.params.clone(),
                s.pool().spec.embedded,
                s.pool().settings.size,
            )
        };
        let old_params = params.clone();
        // As psql: a first argument with `=` or a URI prefix is a connection string, not a database name.
        let conninfo = args
            .dbname
            .as_deref()
            .filter(|d| ConnParams::looks_like_conninfo(d));
        if conninfo.is_some() && (args.user.is_some() || args.host.is_some() || args.port.is_some())
        {
            return Err(Error::api(
                "\\c: do not give user, host, or port separately when using a connection string",
            ));
        }
        if embedded && (args.host.is_some() || args.port.is_some()) {
            return Err(Error::usage(
                "\\c on the embedded database takes a database name (and user); start pgsh with -d to use a server",
            ));
        }
        // psql reuses the previous connection's settings unless told not to, or given a connection string
        // without -reuse-previous=on; then only what is given (and the PG* environment) counts.
        if !embedded && !args.reuse_previous.unwrap_or(conninfo.is_none()) {
            params = self.config.env_params.clone();
        }
        let mut password_given = false;
        match (conninfo, &args.dbname) {
            (Some(d), _) => {
                let given = ConnParams::parse(d).map_err(|e| {
                    Error::new(ErrorKind::Connect, e.to_string())
                        .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION)
                })?;
                password_given = given.password.is_some();
                if embedded && given.names_server() {
                    return Err(Error::usage(
                        "\\c on the embedded database takes a database name (and user); start pgsh with -d to use a server",
                    ));
                }
                params = given.or(&params);
            }
            (None, Some(d)) => params.dbname = Some(d.clone()),
            (None, None) => {}
        }
        if let Some(u) = &args.user {
            params.user = Some(u.clone());
        }
        if let Some(h) = &args.host {
            params.hosts = vec![h.clone()];
            params.hostaddrs.clear();
            // One host now: one port for it.
            params.ports.truncate(1);
        }
        if let Some(p) = &args.port {
            let port = p.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| {
                Error::api(format!(
                    "\\c: invalid port \"{p}\" (expected a number 1-65535)"
                ))
            })?;
            params.ports = vec![port];
        }
        // As psql: a password goes only to the server and user it was given for. For another one, only a
        // password given with it (or PGPASSWORD, which libpq applies everywhere) is sent; .pgpass is looked up
        // afresh when the target is resolved.
        let same_server = params.user == old_params.user
            && params.hosts == old_params.hosts
            && params.hostaddrs == old_params.hostaddrs
            && params.ports == old_params.ports;
        if !same_server && !password_given {
            params.password = self.config.env_params.password.clone();
        }
        if embedded {
            if old.try_session()?.tx_status() != TxStatus::Idle {
                return Err(Error::api(
                    "a transaction is open: commit or roll it back before \\c (the embedded database holds one session, so switching would end it)",
                )
                .with_code(SqlState::ACTIVE_SQL_TRANSACTION));
            }
            // The embedded server holds one connection in all: the old session goes first.
            old.try_session()?.close();
            let data = match &self.config.target {
                DefaultTarget::Embedded { data, .. } => data.clone(),
                DefaultTarget::Server(_) => None,
            };
            let opened = self.open_embedded_as(
                data.clone(),
                params.dbname.as_deref(),
                params.user.as_deref(),
                ConnectOverrides::default(),
            );
            let new = match opened {
                Ok(new) => new,
                Err(e) => {
                    // Like psql, keep the previous database when the new one cannot be reached.
                    if let Ok(back) = self.open_embedded_as(
                        data,
                        old_params.dbname.as_deref(),
                        old_params.user.as_deref(),
                        ConnectOverrides::default(),
                    ) {
                        self.set_current(back);
                    }
                    return Err(e);
                }
            };
            self.set_current(new.clone());
            return Ok(new);
        }
        let key = pool_key(&params, size);
        let settings = PoolSettings {
            size,
            ..self.config.pool.clone()
        };
        let pool = self.pool_for(key, || {
            Ok(Pool::new(
                ConnectSpec::resolve(params.clone(), &self.env, false)?,
                settings.clone(),
            ))
        })?;
        let new = self.open_session(pool, ConnectOverrides::default())?;
        old.try_session()?.close();
        self.set_current(new.clone());
        Ok(new)
    }

    /// End every session; with `warn`, say so for each that still had a transaction open (pgsh never
    /// commits implicitly). psql's runs end silently, as psql does (the server rolls back).
    pub fn finish_with(&self, warn: bool) {
        let sessions: Vec<Rc<DbInner>> = self
            .sessions
            .borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        for s in sessions {
            if let Ok(mut session) = s.session.try_borrow_mut() {
                if session.tx_status() != TxStatus::Idle && !session.is_closed() {
                    let _ = session.rollback_if_open();
                    if !warn {
                        session.close();
                        continue;
                    }
                    self.report(Report::Warning(format!(
                        "a transaction was still open on {} when the script ended: it was rolled back \
                         (pgsh never commits implicitly)",
                        s.label
                    )));
                }
                session.close();
            }
        }
        *self.current.borrow_mut() = None;
        self.pools.borrow_mut().clear();
    }

    /// Stop the embedded server, if one was started. Call it after [`finish`](Self::finish) and after the
    /// script's values are gone: a `Db` still held by a script keeps its pool, and with it the server's one
    /// connection, open, and the server's shutdown waits for that client to hang up.
    pub fn stop_embedded(&self) {
        *self.embedded.borrow_mut() = None;
    }
}

/// Pools are per distinct connection parameters (password included, so changing it is a new pool).
fn pool_key(p: &ConnParams, size: u32) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{size}",
        p.hosts,
        p.hostaddrs,
        p.ports,
        p.user,
        p.dbname,
        p.password.as_ref().map(|s| s.expose()).unwrap_or(""),
        p.sslmode,
        p.sslrootcert,
        p.options,
        p.application_name
    )
}
