//! `\c[onnect]`, `\conninfo` (`command.c`'s `exec_command_connect`, `do_connect`, `connection_warnings`,
//! `exec_command_conninfo`; `\password` is in [`password`](super::password)). Connections are opened through
//! pgsh's [`Shell`](crate::shell::Shell) (its pools, retry policy and password prompt); what psql decides —
//! which parameters are reused, what is said on success and failure, what happens to the old connection —
//! is decided here, as psql does.

use super::cmd::{BackslashResult, Cmd};
use crate::db::simple_query::ReadyStatus;
use crate::db::target::ConnParams;
use crate::psql::engine::Engine;
use crate::psql::scan::SlashOptionType;
use crate::shell::{ConnectOverrides, Db};

/// What `\c` was given (`None`: not given, or `-`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectRequest {
    /// `-reuse-previous=on|off`.
    pub reuse_previous: Option<bool>,
    pub dbname: Option<String>,
    pub user: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
}

/// `read_connect_arg`: the next option read as psql reads `\c`'s (unquoted text kept as is, double quotes
/// stripped); an unquoted empty word or `-` means "not given".
fn read_connect_arg(c: &mut Cmd<'_>) -> Option<String> {
    let (v, quote) = c.option(SlashOptionType::SqlIdHack, true)?;
    if quote.is_some() {
        return Some(v);
    }
    if v.is_empty() || v == "-" {
        return None;
    }
    Some(v)
}

/// `\c [-reuse-previous=on|off] [dbname [user [host [port]]] | conninfo]`.
pub fn exec_connect(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    const PREFIX: &str = "-reuse-previous=";
    let mut req = ConnectRequest::default();
    let mut opt1 = read_connect_arg(c);
    if let Some(value) = opt1.as_deref().and_then(|o| o.strip_prefix(PREFIX)) {
        match crate::psql::boolean::parse_bool(value) {
            Some(b) => {
                req.reuse_previous = Some(b);
                opt1 = read_connect_arg(c);
            }
            None => {
                let msg = crate::psql::boolean::bool_error(value, "-reuse-previous");
                c.e.log_error(&msg);
                return BackslashResult::Error;
            }
        }
    }
    req.dbname = opt1;
    req.user = read_connect_arg(c);
    req.host = read_connect_arg(c);
    req.port = read_connect_arg(c);
    if c.e.single_transaction_guard {
        // psql would run the rest of the file, and -1's COMMIT, on the new connection: the first part
        // committed or rolled back apart from the rest. pgsh keeps -1's promise instead.
        c.e.log_error("\\connect: not allowed inside -1's single transaction (the file would be committed in two parts on two connections)");
        return BackslashResult::Error;
    }
    Cmd::status(do_connect(c.e, &req))
}

/// libpq's reading of a `port` value: `Err` is its message.
pub fn parse_port(port: &str) -> Result<u16, String> {
    let trimmed = port.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let n: i64 = trimmed
        .parse()
        .map_err(|_| format!("invalid integer value \"{port}\" for connection option \"port\""))?;
    if !(1..=65535).contains(&n) {
        return Err(format!("invalid port number: \"{port}\""));
    }
    u16::try_from(n).map_err(|_| format!("invalid port number: \"{port}\""))
}

/// Why `\c` failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The connection string could not be read (psql reports libpq's message as is).
    Params(String),
    /// libpq's message for the failed connection (`PQerrorMessage`).
    Connect(String),
}

/// The parameters `\c` connects with, built as `do_connect` builds them from the previous connection's
/// (`old`, when reusing) and what was given. `Ok(params)` still lacks libpq's defaults (the environment,
/// then built-in values).
pub fn connect_params(
    req: &ConnectRequest,
    old: Option<&ConnParams>,
    reuse: bool,
) -> Result<ConnParams, Failure> {
    let mut params = match (reuse, old) {
        (true, Some(p)) => p.clone(),
        _ => ConnParams::default(),
    };
    let has_cs = req
        .dbname
        .as_deref()
        .is_some_and(ConnParams::looks_like_conninfo);
    let mut keep_password = true;
    if has_cs {
        let cs = req.dbname.as_deref().unwrap_or_default();
        let given = ConnParams::parse(cs).map_err(|e| {
            Failure::Params(match e {
                crate::db::target::ParamsError::Syntax { message, .. } => message,
                other => other.to_string(),
            })
        })?;
        if reuse {
            // A different user, host, hostaddr or port means the old password does not apply.
            let changed = |g: bool, same: bool| g && !same;
            if changed(given.user.is_some(), given.user == params.user)
                || changed(!given.hosts.is_empty(), given.hosts == params.hosts)
                || changed(
                    !given.hostaddrs.is_empty(),
                    given.hostaddrs == params.hostaddrs,
                )
                || changed(!given.ports.is_empty(), given.ports == params.ports)
            {
                keep_password = false;
            }
            if given.password.is_some() {
                keep_password = true;
            }
            params = given.or(&params);
        } else {
            params = given;
        }
    } else {
        // A value given empty (`""`) replaces the old one, and libpq then ignores it: its default applies.
        if let Some(u) = &req.user {
            if params.user.as_deref() != Some(u.as_str()) {
                keep_password = false;
            }
            params.user = Some(u.clone()).filter(|u| !u.is_empty());
        }
        if let Some(h) = &req.host {
            let same_host = params.hosts.len() == 1 && params.hosts[0] == *h;
            if !same_host {
                keep_password = false;
                // A new host: the old hostaddr no longer goes with it.
                params.hostaddrs.clear();
            }
            params.hosts = if h.is_empty() {
                Vec::new()
            } else {
                vec![h.clone()]
            };
        }
        if let Some(p) = &req.port {
            if p.is_empty() {
                keep_password &= params.ports.is_empty();
                params.ports.clear();
            } else {
                let port = parse_port(p).map_err(Failure::Connect)?;
                if params.ports != [port] {
                    keep_password = false;
                }
                params.ports = vec![port];
            }
        }
        if let Some(d) = &req.dbname {
            params.dbname = Some(d.clone()).filter(|d| !d.is_empty());
        }
    }
    if !keep_password {
        params.password = None;
    }
    Ok(params)
}

/// psql's `is_unixsock_path`.
fn is_unixsock_path(host: &str) -> bool {
    host.starts_with('/') || host.starts_with('@')
}

/// `PQhostaddr`: the numeric address a TCP connection went to ("" for a socket).
fn host_addr(host: &str, hostaddr: Option<&str>, port: u16) -> String {
    if let Some(a) = hostaddr.filter(|a| !a.is_empty()) {
        return a.to_string();
    }
    if is_unixsock_path(host) {
        return String::new();
    }
    resolve(host, port).into_iter().next().unwrap_or_default()
}

/// The addresses `host` resolves to, in the resolver's order (as libpq tries them).
fn resolve(host: &str, port: u16) -> Vec<String> {
    use std::net::ToSocketAddrs;
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return vec![ip.to_string()];
    }
    match (host, port).to_socket_addrs() {
        Ok(addrs) => addrs.map(|a| a.ip().to_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Where a connection is, as psql's messages name it: `via socket in "dir" at port "p"`, `on host "h"
/// (address "a") at port "p"`, … — the part after `as user "u" ` (see [`connected_message`]).
pub fn where_text(host: &str, hostaddr: &str, port: &str) -> String {
    if is_unixsock_path(host) {
        if !hostaddr.is_empty() {
            format!("on address \"{hostaddr}\" at port \"{port}\"")
        } else {
            format!("via socket in \"{host}\" at port \"{port}\"")
        }
    } else if !hostaddr.is_empty() && host != hostaddr {
        format!("on host \"{host}\" (address \"{hostaddr}\") at port \"{port}\"")
    } else {
        format!("on host \"{host}\" at port \"{port}\"")
    }
}

/// The line psql prints after `\c` (`now`) or for `\conninfo`.
pub fn connected_message(now: bool, db: &str, user: &str, place: Option<&str>) -> String {
    let verb = if now { "are now" } else { "are" };
    match place {
        Some(p) => format!("You {verb} connected to database \"{db}\" as user \"{user}\" {p}.\n"),
        None => format!("You {verb} connected to database \"{db}\" as user \"{user}\".\n"),
    }
}

/// A connection's facts as libpq reports them (`PQdb`, `PQuser`, `PQhost`, `PQhostaddr`, `PQport`).
struct Facts {
    db: String,
    user: String,
    host: String,
    hostaddr: String,
    port: String,
}

fn facts(db: &Db) -> Option<Facts> {
    let s = db.try_session().ok()?;
    let info = s.server_info()?.clone();
    let spec_addr = {
        let p = &s.pool().spec.params;
        let i = p.hosts.iter().position(|h| *h == info.host).unwrap_or(0);
        p.hostaddrs.get(i).cloned()
    };
    drop(s);
    Some(Facts {
        hostaddr: host_addr(&info.host, spec_addr.as_deref(), info.port),
        db: info.database,
        user: info.user,
        host: info.host,
        port: info.port.to_string(),
    })
}

/// The connection parameters a session was opened with (`PQconninfo`).
fn params_of(db: &Db) -> Option<(ConnParams, bool)> {
    let s = db.try_session().ok()?;
    let spec = &s.pool().spec;
    Some((spec.params.clone(), spec.embedded))
}

/// libpq's `PQerrorMessage` for a failed connection: each host's attempt prefixed with where it went.
pub fn connect_error_text(e: &Engine, params: &ConnParams, err: &crate::error::Error) -> String {
    let reason = |socket: bool| -> String {
        if let Some(d) = err.db() {
            return crate::psql::errors::build_error_message(
                d,
                None,
                crate::psql::settings::Verbosity::Default,
                crate::psql::settings::ShowContext::Errors,
                true,
            )
            .trim_end_matches('\n')
            .to_string();
        }
        let msg = connect_cause(err.message());
        let hint = if socket {
            "\n\tIs the server running locally and accepting connections on that socket?"
        } else {
            "\n\tIs the server running on that host and accepting TCP/IP connections?"
        };
        if msg.starts_with("no such socket file") {
            format!("No such file or directory{hint}")
        } else if msg.starts_with("connection refused") {
            format!("Connection refused{hint}")
        } else if msg.starts_with("timeout expired") {
            "timeout expired".to_string()
        } else if msg.contains("the server asks for a password and none was given") {
            "fe_sendauth: no password supplied".to_string()
        } else {
            msg.to_string()
        }
    };
    let _ = e;
    // A service file problem is found before any server is tried: libpq says just that.
    if crate::db::target::service::is_lookup_error(err.message()) {
        return err.message().to_string();
    }
    // pgsh reports one attempt per host in one message; psql's text is built for the single-host case.
    if params.hosts.len() > 1 || params.hostaddrs.len() > 1 {
        return err.message().to_string();
    }
    let host = params.hosts.first().cloned().unwrap_or_else(default_host);
    let port = params.ports.first().copied().unwrap_or(5432);
    let addr = params.hostaddrs.first().filter(|a| !a.is_empty()).cloned();
    if addr.is_none() && is_unixsock_path(&host) {
        return format!(
            "connection to server on socket \"{host}/.s.PGSQL.{port}\" failed: {}",
            reason(true)
        );
    }
    let shown = addr.clone().unwrap_or_else(|| host.clone());
    let addrs = match &addr {
        Some(a) => vec![a.clone()],
        None => resolve(&host, port),
    };
    let cause = connect_cause(err.message());
    let refused = err.db().is_none()
        && (cause.starts_with("connection refused") || cause.starts_with("timeout expired"));
    // A refusal is reported for every address tried; anything else came from the first that answered.
    let tried: Vec<String> = if refused {
        addrs
    } else {
        addrs.into_iter().take(1).collect()
    };
    let mut parts = Vec::new();
    for a in tried {
        let place = if addr.is_none() && a != shown {
            format!("connection to server at \"{shown}\" ({a}), port {port} failed: ")
        } else {
            format!("connection to server at \"{shown}\", port {port} failed: ")
        };
        parts.push(format!("{place}{}", reason(false)));
    }
    if parts.is_empty() {
        return format!(
            "could not translate host name \"{host}\" to address: Name or service not known"
        );
    }
    parts.join("\n")
}

/// The failure itself in pgsh's connection error (`db::pool` says which server it could not reach and
/// how many attempts it made: `cannot connect to LABEL: [gave up after … ; last error: ]CAUSE`), which is
/// what libpq reports after its own "connection to server … failed: ".
pub fn connect_cause(msg: &str) -> &str {
    let mut m = msg;
    if let Some(rest) = m.strip_prefix("cannot connect to ") {
        if let Some(i) = rest.find(": ") {
            m = &rest[i + 2..];
        }
    }
    if m.starts_with("gave up after ") {
        if let Some(i) = m.find("; last error: ") {
            m = &m[i + "; last error: ".len()..];
        }
    }
    m
}

/// libpq's default host: the first socket directory that exists (as pgsh's resolver picks it).
fn default_host() -> String {
    ["/var/run/postgresql", "/tmp"]
        .iter()
        .find(|d| std::path::Path::new(d).is_dir())
        .map(|d| d.to_string())
        .unwrap_or_else(|| "localhost".to_string())
}

/// `do_connect`: connect as `\c` asks; on success the engine's connection is the new one and psql's
/// variables follow it. On failure an interactive session keeps its connection; a script loses it.
pub fn do_connect(e: &mut Engine, req: &ConnectRequest) -> bool {
    let has_cs = req
        .dbname
        .as_deref()
        .is_some_and(ConnParams::looks_like_conninfo);
    if has_cs && (req.user.is_some() || req.host.is_some() || req.port.is_some()) {
        e.log_error("Do not give user, host, or port separately when using a connection string");
        return false;
    }
    let reuse = req.reuse_previous.unwrap_or(!has_cs);
    let old = e.db.clone();
    let previous = old.as_ref().or(e.dead_db.as_ref()).and_then(params_of);
    if reuse && previous.is_none() {
        e.log_error("No database connection exists to re-use parameters from");
        return false;
    }
    let embedded = previous.as_ref().is_some_and(|(_, emb)| *emb);
    let outcome = if embedded {
        connect_embedded(e, req)
    } else {
        match connect_params(req, previous.as_ref().map(|(p, _)| p), reuse) {
            Err(failure) => Err(failure),
            Ok(params) => {
                let full = params.clone().or(&e.shell.config().env_params);
                e.shell
                    .connect_params(params, ConnectOverrides::default())
                    .map_err(|err| Failure::Connect(connect_error_text(e, &full, &err)))
            }
        }
    };
    let new = match outcome {
        Ok(db) => db,
        Err(failure) => {
            connect_failed(e, old.as_ref(), failure);
            return false;
        }
    };
    let old_facts = old.as_ref().and_then(facts);
    // psql drops the old connection's open transaction without a word; pgsh says so.
    let dropped_transaction = e.pgsh_mode
        && old.is_some()
        && matches!(
            crate::psql::psqlexec::tx_status(e),
            Some(ReadyStatus::InTransaction | ReadyStatus::Failed)
        );
    e.db = Some(new.clone());
    if dropped_transaction {
        e.log_warning("a transaction was open on the previous connection: it was rolled back");
    }
    crate::psql::connect::sync_variables(e);
    connection_warnings(e, false);
    if !e.set.quiet {
        if let Some(f) = facts(&new) {
            let moved = match &old_facts {
                None => true,
                Some(o) => o.host != f.host || o.port != f.port,
            };
            let place = moved.then(|| where_text(&f.host, &f.hostaddr, &f.port));
            let text = connected_message(true, &f.db, &f.user, place.as_deref());
            e.stdout(&text);
        }
    }
    // psql closes the old connection for good (a new backend for every \c).
    if let Some(o) = old {
        if !o.same(&new) {
            if let Ok(mut s) = o.try_session() {
                s.close_discard();
            }
        }
    }
    e.dead_db = None;
    true
}

/// The failure half of `do_connect`.
fn connect_failed(e: &mut Engine, old: Option<&Db>, failure: Failure) {
    if e.set.cur_cmd_interactive {
        match failure {
            Failure::Params(msg) => e.log_error(&msg),
            Failure::Connect(msg) => e.log_info(&msg),
        }
        if old.is_some() {
            e.log_info("Previous connection kept");
        }
        return;
    }
    match failure {
        Failure::Params(msg) => e.log_error(&msg),
        Failure::Connect(msg) => e.log_error(&format!("\\connect: {msg}")),
    }
    // A script must not go on with parameters it did not expect: the old connection is closed too.
    if let Some(o) = old {
        if let Ok(mut s) = o.try_session() {
            s.close_discard();
        }
        e.db = None;
        crate::psql::connect::unsync_variables(e);
    }
    e.dead_db = None;
}

/// `\c` on pgsh's embedded server, which holds one connection in all: the shell switches the session.
fn connect_embedded(e: &mut Engine, req: &ConnectRequest) -> Result<Db, Failure> {
    let args = crate::shell::ConnectArgs {
        dbname: req.dbname.clone(),
        user: req.user.clone(),
        host: req.host.clone(),
        port: req.port.clone(),
        reuse_previous: req.reuse_previous,
    };
    match e.shell.reconnect_with(&args) {
        Ok(db) => Ok(db),
        Err(err) => {
            // The shell reopened the previous database on a new session: that is the engine's now.
            if let Some(back) = e.shell.current_if_any() {
                if back.try_session().is_ok_and(|s| !s.is_closed()) {
                    e.db = Some(back);
                }
            }
            Err(Failure::Connect(err.message().to_string()))
        }
    }
}

/// `connection_warnings`: when the server's version is not psql's, say so (and warn when the server is
/// newer or older than psql supports); at startup print the banner. Not when quiet or not on a terminal.
pub fn connection_warnings(e: &mut Engine, in_startup: bool) {
    use crate::psql::varsync::{format_pg_version_number, PSQL_VERSION_NAME, PSQL_VERSION_NUM};
    if e.set.quiet || e.set.notty {
        return;
    }
    let sversion = e.set.sversion;
    let mut text = String::new();
    if sversion != PSQL_VERSION_NUM {
        let server = e
            .parameter("server_version")
            .unwrap_or_else(|| format_pg_version_number(sversion, true));
        text.push_str(&format!(
            "{} ({PSQL_VERSION_NAME}, server {server})\n",
            e.set.progname
        ));
    } else if in_startup {
        text.push_str(&format!("{} ({PSQL_VERSION_NAME})\n", e.set.progname));
    }
    if sversion / 100 > PSQL_VERSION_NUM / 100 || sversion < 90200 {
        text.push_str(&format!(
            "WARNING: {} major version {}, server major version {}.\n         Some psql features might not work.\n",
            e.set.progname,
            format_pg_version_number(PSQL_VERSION_NUM, false),
            format_pg_version_number(sversion, false)
        ));
    }
    if !text.is_empty() {
        e.stdout(&text);
    }
}

/// `\conninfo`.
pub fn exec_conninfo(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        return BackslashResult::SkipLine;
    }
    let text = match c.e.db.as_ref().and_then(facts) {
        None => "You are currently not connected to a database.\n".to_string(),
        Some(f) => {
            let place = where_text(&f.host, &f.hostaddr, &f.port);
            connected_message(false, &f.db, &f.user, Some(&place))
        }
    };
    c.e.stdout(&text);
    BackslashResult::SkipLine
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(
        db: Option<&str>,
        user: Option<&str>,
        host: Option<&str>,
        port: Option<&str>,
    ) -> ConnectRequest {
        ConnectRequest {
            reuse_previous: None,
            dbname: db.map(str::to_string),
            user: user.map(str::to_string),
            host: host.map(str::to_string),
            port: port.map(str::to_string),
        }
    }

    fn old() -> ConnParams {
        ConnParams {
            hosts: vec!["/tmp/devpg".into()],
            ports: vec![5499],
            user: Some("postgres".into()),
            dbname: Some("cmds".into()),
            password: Some(crate::db::target::Secret::new("pw")),
            ..ConnParams::default()
        }
    }

    // Expected messages are psql 15's for the same \c arguments:
    // `printf '\\c - - - abc\n' | psql -X -h /tmp/devpg -p 5499 -U postgres cmds` and so on.
    #[test]
    fn ports_are_checked_as_libpq_checks_them() {
        assert_eq!(parse_port("5499"), Ok(5499));
        assert_eq!(
            parse_port("abc"),
            Err("invalid integer value \"abc\" for connection option \"port\"".into())
        );
        assert_eq!(parse_port("0"), Err("invalid port number: \"0\"".into()));
        assert_eq!(
            parse_port("99999"),
            Err("invalid port number: \"99999\"".into())
        );
        let r = connect_params(&req(None, None, None, Some("0")), Some(&old()), true);
        assert_eq!(
            r,
            Err(Failure::Connect("invalid port number: \"0\"".into()))
        );
        let r = connect_params(
            &req(Some("dbname=x foo"), None, None, None),
            Some(&old()),
            false,
        );
        assert_eq!(
            r,
            Err(Failure::Params(
                "missing \"=\" after \"foo\" in connection info string".to_string()
            ))
        );
    }

    // Which parameters carry over follows do_connect's rules in command.c.
    #[test]
    fn parameters_are_reused_as_psql_reuses_them() {
        let p = connect_params(&req(Some("other"), None, None, None), Some(&old()), true)
            .unwrap_or_default();
        assert_eq!(p.dbname.as_deref(), Some("other"));
        assert_eq!(p.hosts, vec!["/tmp/devpg".to_string()]);
        // Same user, host and port: the password is kept (it is not database-specific).
        assert!(p.password.is_some());
        let p = connect_params(&req(None, Some("bob"), None, None), Some(&old()), true)
            .unwrap_or_default();
        assert_eq!(p.user.as_deref(), Some("bob"));
        assert_eq!(p.dbname.as_deref(), Some("cmds"));
        assert!(p.password.is_none());
        let p = connect_params(
            &req(None, None, Some("/tmp/devpg"), Some("5499")),
            Some(&old()),
            true,
        )
        .unwrap_or_default();
        assert!(p.password.is_some());
        let p = connect_params(
            &req(None, None, Some("localhost"), None),
            Some(&old()),
            true,
        )
        .unwrap_or_default();
        assert_eq!(p.hosts, vec!["localhost".to_string()]);
        assert!(p.password.is_none());
        // A connection string without -reuse-previous=on starts from nothing.
        let p = connect_params(
            &req(Some("dbname=x"), None, None, None),
            Some(&old()),
            false,
        )
        .unwrap_or_default();
        assert_eq!(p.dbname.as_deref(), Some("x"));
        assert!(p.hosts.is_empty() && p.user.is_none() && p.password.is_none());
        // ... and with it, fills in the rest from the old connection.
        let p = connect_params(&req(Some("dbname=x"), None, None, None), Some(&old()), true)
            .unwrap_or_default();
        assert_eq!(p.dbname.as_deref(), Some("x"));
        assert_eq!(p.ports, vec![5499]);
        assert!(p.password.is_some());
        let p = connect_params(&req(Some("user=bob"), None, None, None), Some(&old()), true)
            .unwrap_or_default();
        assert!(p.password.is_none());
        // psql 15: `\c "" postgres` connects to the default database (the user's name), not the old one.
        let p = connect_params(&req(Some(""), Some(""), None, None), Some(&old()), true)
            .unwrap_or_default();
        assert!(p.dbname.is_none() && p.user.is_none());
        assert_eq!(p.hosts, vec!["/tmp/devpg".to_string()]);
    }

    // Expected lines are psql 15's: `\c - - /tmp/devpg` from a session started with `-h /tmp/devpg/`,
    // then `\conninfo`; the TCP forms are command.c's format strings.
    #[test]
    fn connection_messages_as_psql_prints_them() {
        let place = where_text("/tmp/devpg", "", "5499");
        assert_eq!(
            connected_message(true, "cmds", "postgres", Some(&place)),
            "You are now connected to database \"cmds\" as user \"postgres\" via socket in \"/tmp/devpg\" at port \"5499\".\n"
        );
        assert_eq!(
            connected_message(false, "cmds", "postgres", Some(&place)),
            "You are connected to database \"cmds\" as user \"postgres\" via socket in \"/tmp/devpg\" at port \"5499\".\n"
        );
        assert_eq!(
            connected_message(true, "cmds", "postgres", None),
            "You are now connected to database \"cmds\" as user \"postgres\".\n"
        );
        assert_eq!(
            where_text("localhost", "127.0.0.1", "5432"),
            "on host \"localhost\" (address \"127.0.0.1\") at port \"5432\""
        );
        assert_eq!(
            where_text("127.0.0.1", "127.0.0.1", "5432"),
            "on host \"127.0.0.1\" at port \"5432\""
        );
    }

    // The texts are db::pool's connect errors as pgsh printed them for `\c nope` and `\c - - - 1`.
    #[test]
    fn the_cause_is_taken_out_of_pgsh_connect_errors() {
        assert_eq!(
            connect_cause("cannot connect to postgres@/tmp/devpg:5499/nope: FATAL:  database \"nope\" does not exist"),
            "FATAL:  database \"nope\" does not exist"
        );
        assert_eq!(
            connect_cause("cannot connect to postgres@/tmp/devpg:1/cmds: gave up after 1 attempt over 0ms; last error: no such socket file (is the server running locally?)"),
            "no such socket file (is the server running locally?)"
        );
        assert_eq!(connect_cause("timeout expired"), "timeout expired");
    }
}
