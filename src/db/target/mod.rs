//! Connection parameters as libpq reads them (URIs, key=value strings, the PG* environment), held so that the
//! password never reaches Debug output, banners, URLs or error messages. The parameters and how sources merge
//! are here; reading connection strings is in [`parse`], its errors in [`error`].

mod error;
mod parse;
pub mod service;
#[cfg(test)]
mod tests;

pub use error::ParamsError;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A password or other secret: Debug and Display print "********"; `expose()` gives the text.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

/// libpq's `sslmode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub const ALL: [SslMode; 6] = [
        SslMode::Disable,
        SslMode::Allow,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
        SslMode::VerifyFull,
    ];

    /// The libpq spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl FromStr for SslMode {
    type Err = ParamsError;

    /// Case-sensitive, as libpq compares with strcmp.
    fn from_str(s: &str) -> Result<Self, ParamsError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| ParamsError::InvalidValue {
                key: "sslmode".to_string(),
                value: Some(s.to_string()),
                expected: "one of disable, allow, prefer, require, verify-ca, verify-full",
            })
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// libpq's `target_session_attrs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

impl SessionAttrs {
    pub const ALL: [SessionAttrs; 6] = [
        SessionAttrs::Any,
        SessionAttrs::ReadWrite,
        SessionAttrs::ReadOnly,
        SessionAttrs::Primary,
        SessionAttrs::Standby,
        SessionAttrs::PreferStandby,
    ];

    /// The libpq spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionAttrs::Any => "any",
            SessionAttrs::ReadWrite => "read-write",
            SessionAttrs::ReadOnly => "read-only",
            SessionAttrs::Primary => "primary",
            SessionAttrs::Standby => "standby",
            SessionAttrs::PreferStandby => "prefer-standby",
        }
    }
}

impl FromStr for SessionAttrs {
    type Err = ParamsError;

    fn from_str(s: &str) -> Result<Self, ParamsError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| ParamsError::InvalidValue {
                key: "target_session_attrs".to_string(),
                value: Some(s.to_string()),
                expected: "one of any, read-write, read-only, primary, standby, prefer-standby",
            })
    }
}

impl fmt::Display for SessionAttrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a connection string or the environment can say. All optional: an empty Vec or None
/// means "not said", so that `or` can fall back to a lower-precedence source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConnParams {
    /// Host names, IP addresses or unix-socket directories (start with '/'); "" inside a list means
    /// libpq's default host for that slot.
    pub hosts: Vec<String>,
    pub hostaddrs: Vec<String>,
    /// One per host, or one for all.
    pub ports: Vec<u16>,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub dbname: Option<String>,
    pub sslmode: Option<SslMode>,
    pub sslrootcert: Option<String>,
    pub application_name: Option<String>,
    /// Integer seconds as libpq takes them; zero (or negative input) means wait forever.
    pub connect_timeout: Option<Duration>,
    pub options: Option<String>,
    pub target_session_attrs: Option<SessionAttrs>,
    pub passfile: Option<String>,
    pub service: Option<String>,
    pub keepalives_idle: Option<Duration>,
    /// Keys libpq accepts that pgsh parses and does not act on (see `IGNORED_KEYS`); callers may
    /// want to warn about ones that matter, such as `sslcert`.
    pub extra: Vec<(String, String)>,
    /// Run-time parameters libpq sends at startup from its environment (`PGDATESTYLE`, `PGTZ`, `PGGEQO`):
    /// `(name, value)`.
    pub startup: Vec<(String, String)>,
}

/// Settings given field by field, already checked by whoever read them (each source has its own messages).
/// `None` leaves the underlying connection string's value in place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConnFields {
    /// Comma-separated, as `-h` takes it: every entry becomes one host ("" is libpq's default host).
    pub host: Option<String>,
    pub ports: Option<Vec<u16>>,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub dbname: Option<String>,
    pub sslmode: Option<SslMode>,
    pub sslrootcert: Option<String>,
    pub application_name: Option<String>,
    pub options: Option<String>,
    pub target_session_attrs: Option<SessionAttrs>,
    pub connect_timeout: Option<Duration>,
}

impl ConnParams {
    /// These parameters (parsed from `-d`'s conninfo, a profile's or a `connect` map's `url`) with every
    /// field `fields` names replacing the string's own, as libpq lets a later keyword override an earlier one.
    /// Fields the string alone can say (hostaddr, service, …) are kept.
    pub fn with_fields(mut self, fields: ConnFields) -> ConnParams {
        let ConnFields {
            host,
            ports,
            user,
            password,
            dbname,
            sslmode,
            sslrootcert,
            application_name,
            options,
            target_session_attrs,
            connect_timeout,
        } = fields;
        if let Some(h) = host {
            self.hosts = h.split(',').map(str::to_string).collect();
        }
        fn set<T>(slot: &mut Option<T>, given: Option<T>) {
            if given.is_some() {
                *slot = given;
            }
        }
        if let Some(p) = ports {
            self.ports = p;
        }
        set(&mut self.user, user);
        set(&mut self.password, password);
        set(&mut self.dbname, dbname);
        set(&mut self.sslmode, sslmode);
        set(&mut self.sslrootcert, sslrootcert);
        set(&mut self.application_name, application_name);
        set(&mut self.options, options);
        set(&mut self.target_session_attrs, target_session_attrs);
        set(&mut self.connect_timeout, connect_timeout);
        self
    }
}

/// libpq's compiled-in default, used where a list gives an empty port.
pub(super) const DEFAULT_PORT: u16 = 5432;

/// Accepted so that connection strings written for psql keep working; pgsh's driver has no knob for them.
pub const IGNORED_KEYS: &[&str] = &[
    "channel_binding",
    "client_encoding",
    "fallback_application_name",
    "gssdelegation",
    "gssencmode",
    "gsslib",
    "keepalives",
    "keepalives_count",
    "keepalives_interval",
    "krbsrvname",
    "load_balance_hosts",
    "require_auth",
    "requirepeer",
    "ssl_max_protocol_version",
    "ssl_min_protocol_version",
    "sslcert",
    "sslcertmode",
    "sslcompression",
    "sslcrl",
    "sslcrldir",
    "sslkey",
    "sslnegotiation",
    "sslsni",
    "tcp_user_timeout",
];

/// sslpassword is a secret that `extra` would print; replication changes the protocol.
const UNSUPPORTED_KEYS: &[&str] = &["sslpassword", "replication"];

const FIELD_KEYS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "user",
    "password",
    "dbname",
    "sslmode",
    "sslrootcert",
    "application_name",
    "connect_timeout",
    "options",
    "target_session_attrs",
    "passfile",
    "service",
    "keepalives_idle",
];

const ENV_VARS: &[(&str, &str)] = &[
    ("PGHOST", "host"),
    ("PGHOSTADDR", "hostaddr"),
    ("PGPORT", "port"),
    ("PGUSER", "user"),
    ("PGPASSWORD", "password"),
    ("PGDATABASE", "dbname"),
    ("PGSSLMODE", "sslmode"),
    ("PGSSLROOTCERT", "sslrootcert"),
    ("PGAPPNAME", "application_name"),
    ("PGCONNECT_TIMEOUT", "connect_timeout"),
    ("PGOPTIONS", "options"),
    ("PGTARGETSESSIONATTRS", "target_session_attrs"),
    ("PGPASSFILE", "passfile"),
    ("PGSERVICE", "service"),
];

pub(super) fn is_known_key(key: &str) -> bool {
    FIELD_KEYS.contains(&key) || IGNORED_KEYS.contains(&key) || UNSUPPORTED_KEYS.contains(&key)
}

impl ConnParams {
    /// Read libpq's environment variables through `env` (so tests and callers control it). An
    /// empty variable counts as unset.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<ConnParams, ParamsError> {
        let mut params = ConnParams::default();
        // libpq's environment-only settings, sent as startup parameters.
        for (var, name) in [
            ("PGDATESTYLE", "datestyle"),
            ("PGTZ", "timezone"),
            ("PGGEQO", "geqo"),
        ] {
            if let Some(value) = env(var).filter(|v| !v.is_empty()) {
                params.startup.push((name.to_string(), value));
            }
        }
        for &(var, key) in ENV_VARS {
            if let Some(value) = env(var) {
                params
                    .set(key, &value, true)
                    .map_err(|e| ParamsError::Env {
                        var,
                        source: Box::new(e),
                    })?;
            }
        }
        Ok(params)
    }

    /// Fill every field that self leaves unsaid from `lower`: `flags.or(&url).or(&env)`. Each
    /// field is merged on its own, as libpq does, so call `validate` on the result.
    pub fn or(self, lower: &ConnParams) -> ConnParams {
        fn list<T: Clone>(mine: Vec<T>, lower: &[T]) -> Vec<T> {
            if mine.is_empty() {
                lower.to_vec()
            } else {
                mine
            }
        }
        let mut extra = self.extra;
        for (key, value) in &lower.extra {
            if !extra.iter().any(|(k, _)| k == key) {
                extra.push((key.clone(), value.clone()));
            }
        }
        ConnParams {
            hosts: list(self.hosts, &lower.hosts),
            hostaddrs: list(self.hostaddrs, &lower.hostaddrs),
            ports: list(self.ports, &lower.ports),
            user: self.user.or_else(|| lower.user.clone()),
            password: self.password.or_else(|| lower.password.clone()),
            dbname: self.dbname.or_else(|| lower.dbname.clone()),
            sslmode: self.sslmode.or(lower.sslmode),
            sslrootcert: self.sslrootcert.or_else(|| lower.sslrootcert.clone()),
            application_name: self
                .application_name
                .or_else(|| lower.application_name.clone()),
            connect_timeout: self.connect_timeout.or(lower.connect_timeout),
            options: self.options.or_else(|| lower.options.clone()),
            target_session_attrs: self.target_session_attrs.or(lower.target_session_attrs),
            passfile: self.passfile.or_else(|| lower.passfile.clone()),
            service: self.service.or_else(|| lower.service.clone()),
            keepalives_idle: self.keepalives_idle.or(lower.keepalives_idle),
            extra,
            startup: if self.startup.is_empty() {
                lower.startup.clone()
            } else {
                self.startup
            },
        }
    }

    /// libpq's final consistency checks, for the merged parameters: hostaddrs must pair with
    /// hosts, and there must be one port or one per host (no host counts as one default host).
    pub fn validate(&self) -> Result<(), ParamsError> {
        self.check_counts(true)
    }

    /// Does this say which server to use (any host, hostaddr, port or service)?
    pub fn names_server(&self) -> bool {
        !self.hosts.is_empty()
            || !self.hostaddrs.is_empty()
            || !self.ports.is_empty()
            || self.service.is_some()
    }

    /// One line for banners and errors: `user@host:port/dbname`, never the password.
    pub fn display_redacted(&self) -> String {
        let mut out = String::new();
        if let Some(user) = &self.user {
            out.push_str(user);
            out.push('@');
        }
        let hosts = if self.hosts.is_empty() {
            &self.hostaddrs
        } else {
            &self.hosts
        };
        let ports: Vec<String> = self.ports.iter().map(u16::to_string).collect();
        if !hosts.is_empty() && hosts.len() == ports.len() {
            let pairs: Vec<String> = hosts
                .iter()
                .zip(&ports)
                .map(|(h, p)| format!("{}:{p}", bracket_ipv6(h)))
                .collect();
            out.push_str(&pairs.join(","));
        } else {
            let shown: Vec<String> = hosts.iter().map(|h| bracket_ipv6(h)).collect();
            out.push_str(&shown.join(","));
            if !ports.is_empty() {
                out.push(':');
                out.push_str(&ports.join(","));
            }
        }
        if let Some(db) = &self.dbname {
            out.push('/');
            out.push_str(db);
        }
        if out.is_empty() {
            return "(defaults)".to_string();
        }
        // A dbname or user can itself hold pasted connection text.
        crate::redact::redact_secrets(&out)
    }

    /// Store one libpq key. An empty value unsets the field. With `echo` false, errors leave the
    /// value out because it may be a fragment of a password.
    pub(super) fn set(&mut self, key: &str, value: &str, echo: bool) -> Result<(), ParamsError> {
        let text = || (!value.is_empty()).then(|| value.to_string());
        match key {
            "host" => self.hosts = split_list(value),
            "hostaddr" => self.hostaddrs = split_list(value),
            "port" => self.ports = parse_ports(value, echo)?,
            "user" => self.user = text(),
            "password" => self.password = text().map(Secret::new),
            "dbname" => self.dbname = text(),
            "sslmode" => {
                self.sslmode = match value {
                    "" => None,
                    v => Some(v.parse().map_err(|e| hide_value(e, echo))?),
                }
            }
            "target_session_attrs" => {
                self.target_session_attrs = match value {
                    "" => None,
                    v => Some(v.parse().map_err(|e| hide_value(e, echo))?),
                }
            }
            "sslrootcert" => self.sslrootcert = text(),
            "application_name" => self.application_name = text(),
            "options" => self.options = text(),
            "passfile" => self.passfile = text(),
            "service" => self.service = text(),
            "connect_timeout" => self.connect_timeout = parse_seconds(key, value, echo)?,
            "keepalives_idle" => self.keepalives_idle = parse_seconds(key, value, echo)?,
            k if IGNORED_KEYS.contains(&k) => {
                self.extra.retain(|(existing, _)| existing != k);
                if !value.is_empty() {
                    self.extra.push((k.to_string(), value.to_string()));
                }
            }
            k if UNSUPPORTED_KEYS.contains(&k) => {
                return Err(ParamsError::Unsupported(k.to_string()))
            }
            k => return Err(ParamsError::InvalidOption(k.to_string())),
        }
        Ok(())
    }

    /// With `complete` false, only lists that were both said are compared, because a lower
    /// source may still supply the missing one.
    pub(super) fn check_counts(&self, complete: bool) -> Result<(), ParamsError> {
        if !self.hosts.is_empty()
            && !self.hostaddrs.is_empty()
            && self.hosts.len() != self.hostaddrs.len()
        {
            return Err(ParamsError::HostaddrCount {
                hostaddrs: self.hostaddrs.len(),
                hosts: self.hosts.len(),
            });
        }
        let hosts = if !self.hostaddrs.is_empty() {
            self.hostaddrs.len()
        } else if !self.hosts.is_empty() {
            self.hosts.len()
        } else if complete {
            1
        } else {
            return Ok(());
        };
        let ports = self.ports.len();
        if ports > 1 && ports != hosts {
            return Err(ParamsError::PortCount { ports, hosts });
        }
        Ok(())
    }
}

fn hide_value(e: ParamsError, echo: bool) -> ParamsError {
    match e {
        ParamsError::InvalidValue { key, expected, .. } if !echo => ParamsError::InvalidValue {
            key,
            value: None,
            expected,
        },
        other => other,
    }
}

fn split_list(value: &str) -> Vec<String> {
    if value.is_empty() {
        Vec::new()
    } else {
        value.split(',').map(str::to_string).collect()
    }
}

/// libpq's isspace() set, which includes vertical tab.
pub(super) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// libpq reads integers with strtol and tolerates surrounding whitespace.
fn parse_int(
    key: &str,
    value: &str,
    echo: bool,
    expected: &'static str,
) -> Result<i64, ParamsError> {
    value
        .trim_matches(is_space)
        .parse::<i64>()
        .map_err(|_| ParamsError::InvalidValue {
            key: key.to_string(),
            value: echo.then(|| value.to_string()),
            expected,
        })
}

pub(super) fn parse_port(value: &str, echo: bool) -> Result<u16, ParamsError> {
    const EXPECTED: &str = "an integer from 1 to 65535";
    let n = parse_int("port", value, echo, EXPECTED)?;
    u16::try_from(n)
        .ok()
        .filter(|&p| p != 0)
        .ok_or_else(|| ParamsError::InvalidValue {
            key: "port".to_string(),
            value: echo.then(|| value.to_string()),
            expected: EXPECTED,
        })
}

/// An empty entry in a list means libpq's default port for that host.
fn parse_ports(value: &str, echo: bool) -> Result<Vec<u16>, ParamsError> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    value
        .split(',')
        .map(|p| {
            if p.trim_matches(is_space).is_empty() {
                Ok(DEFAULT_PORT)
            } else {
                parse_port(p, echo)
            }
        })
        .collect()
}

/// libpq treats a negative timeout like zero: no limit.
fn parse_seconds(key: &str, value: &str, echo: bool) -> Result<Option<Duration>, ParamsError> {
    if value.is_empty() {
        return Ok(None);
    }
    let n = parse_int(key, value, echo, "an integer number of seconds")?;
    Ok(Some(Duration::from_secs(u64::try_from(n).unwrap_or(0))))
}

/// 1-based character position of a byte offset, for error messages.
pub(super) fn char_position(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |p| p.chars().count()) + 1
}

fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('/') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}
