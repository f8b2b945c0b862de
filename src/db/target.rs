//! Connection parameters as libpq reads them (URIs, key=value strings, the PG* environment), held so that the password never reaches Debug output, banners, URLs or error messages.

use std::error::Error;
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

/// Why a connection string or environment could not be read. No variant ever holds the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamsError {
    /// Not a well-formed URI or key=value string; `position` counts characters from 1.
    Syntax {
        message: String,
        position: usize,
    },
    /// A key libpq does not know either.
    InvalidOption(String),
    /// A key libpq knows but pgsh cannot honour (ignoring it would change what the user asked for).
    Unsupported(String),
    /// `value` is None when echoing it could reveal part of a password.
    InvalidValue {
        key: String,
        value: Option<String>,
        expected: &'static str,
    },
    PortCount {
        ports: usize,
        hosts: usize,
    },
    HostaddrCount {
        hostaddrs: usize,
        hosts: usize,
    },
    /// A PG* environment variable held a bad value.
    Env {
        var: &'static str,
        source: Box<ParamsError>,
    },
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamsError::Syntax { message, position } => {
                write!(f, "{message} (at position {position})")
            }
            ParamsError::InvalidOption(key) => write!(f, "invalid connection option \"{key}\""),
            ParamsError::Unsupported(key) => {
                write!(f, "connection option \"{key}\" is not supported by pgsh")
            }
            ParamsError::InvalidValue {
                key,
                value: Some(value),
                expected,
            } => write!(
                f,
                "invalid value \"{value}\" for connection option \"{key}\" (expected {expected})"
            ),
            ParamsError::InvalidValue {
                key,
                value: None,
                expected,
            } => write!(
                f,
                "invalid value for connection option \"{key}\" (expected {expected})"
            ),
            ParamsError::PortCount { ports, hosts } => {
                write!(f, "could not match {ports} port numbers to {hosts} hosts")
            }
            ParamsError::HostaddrCount { hostaddrs, hosts } => write!(
                f,
                "could not match {hosts} host names to {hostaddrs} hostaddr values"
            ),
            ParamsError::Env { var, source } => write!(f, "environment variable {var}: {source}"),
        }
    }
}

impl Error for ParamsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ParamsError::Env { source, .. } => Some(source.as_ref()),
            _ => None,
        }
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
}

/// libpq's compiled-in default, used where a list gives an empty port.
const DEFAULT_PORT: u16 = 5432;

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

fn is_known_key(key: &str) -> bool {
    FIELD_KEYS.contains(&key) || IGNORED_KEYS.contains(&key) || UNSUPPORTED_KEYS.contains(&key)
}

impl ConnParams {
    /// Parse a libpq connection string: a URI `postgres://` or `postgresql://` —
    /// `postgresql://[user[:password]@][host[:port]][,host2[:port2]...][/dbname][?key=value&...]`
    /// — or a key=value string with libpq quoting.
    ///
    /// Departures from libpq, all to accept what libpq rejects or misreads: `''` inside a quoted
    /// value is a quote; the URI user part ends at the last '@' before the path or query (libpq:
    /// the first), so unencoded '@' in user names and passwords works; a second '=' in a URI query
    /// value is part of the value. And, so that lower-precedence sources still apply: an empty
    /// value means "not said" (libpq would use its built-in default and skip the environment), and
    /// a URI listing several hosts without any port leaves the port unsaid (libpq would pin 5432).
    pub fn parse(s: &str) -> Result<ConnParams, ParamsError> {
        let params = match uri_prefix_len(s) {
            Some(n) => parse_uri(s, n)?,
            None => parse_conninfo(s)?,
        };
        // Reported against the string the user wrote; `validate` re-checks after merging. (A flag
        // overriding the bad list would have rescued it in psql: too rare to defer the error.)
        params.check_counts(false)?;
        Ok(params)
    }

    /// True if `s` looks like a connection string (URI prefix or contains '=') rather than a bare
    /// database name, as psql decides for its -d argument.
    pub fn looks_like_conninfo(s: &str) -> bool {
        uri_prefix_len(s).is_some() || s.contains('=')
    }

    /// Read libpq's environment variables through `env` (so tests and callers control it). An
    /// empty variable counts as unset.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<ConnParams, ParamsError> {
        let mut params = ConnParams::default();
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

    /// A URL form with the password replaced by `****`; `parse` gives back the same parameters
    /// apart from that.
    #[cfg(test)]
    pub fn to_redacted_url(&self) -> String {
        let mut url = String::from("postgresql://");
        if self.user.is_some() || self.password.is_some() {
            if let Some(user) = &self.user {
                url.push_str(&encode(user, ""));
            }
            if self.password.is_some() {
                url.push_str(":****");
            }
            url.push('@');
        }
        let inline_ports = !self.ports.is_empty() && self.ports.len() == self.hosts.len();
        for (i, host) in self.hosts.iter().enumerate() {
            if i > 0 {
                url.push(',');
            }
            if host.contains(':') {
                url.push('[');
                url.push_str(&encode(host, ":"));
                url.push(']');
            } else {
                url.push_str(&encode(host, ""));
            }
            if inline_ports {
                if let Some(port) = self.ports.get(i) {
                    url.push(':');
                    url.push_str(&port.to_string());
                }
            }
        }
        if let Some(db) = &self.dbname {
            url.push('/');
            url.push_str(&encode(db, "/"));
        }

        let mut query: Vec<(&str, String)> = Vec::new();
        let join = |items: &[String]| {
            items
                .iter()
                .map(|s| encode(s, QUERY_SAFE))
                .collect::<Vec<_>>()
                .join(",")
        };
        if !self.hostaddrs.is_empty() {
            query.push(("hostaddr", join(&self.hostaddrs)));
        }
        if !self.ports.is_empty() && !inline_ports {
            let ports: Vec<String> = self.ports.iter().map(u16::to_string).collect();
            query.push(("port", ports.join(",")));
        }
        let text_fields: [(&str, &Option<String>); 5] = [
            ("sslrootcert", &self.sslrootcert),
            ("application_name", &self.application_name),
            ("options", &self.options),
            ("passfile", &self.passfile),
            ("service", &self.service),
        ];
        if let Some(mode) = self.sslmode {
            query.push(("sslmode", mode.as_str().to_string()));
        }
        if let Some(t) = self.connect_timeout {
            query.push(("connect_timeout", t.as_secs().to_string()));
        }
        if let Some(attrs) = self.target_session_attrs {
            query.push(("target_session_attrs", attrs.as_str().to_string()));
        }
        if let Some(t) = self.keepalives_idle {
            query.push(("keepalives_idle", t.as_secs().to_string()));
        }
        for (key, value) in text_fields {
            if let Some(v) = value {
                query.push((key, encode(v, QUERY_SAFE)));
            }
        }
        for (key, value) in &self.extra {
            query.push((key.as_str(), encode(value, QUERY_SAFE)));
        }
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode(key, ""));
            url.push('=');
            url.push_str(value);
        }
        url
    }

    /// Store one libpq key. An empty value unsets the field. With `echo` false, errors leave the
    /// value out because it may be a fragment of a password.
    fn set(&mut self, key: &str, value: &str, echo: bool) -> Result<(), ParamsError> {
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
    fn check_counts(&self, complete: bool) -> Result<(), ParamsError> {
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
fn is_space(c: char) -> bool {
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

fn parse_port(value: &str, echo: bool) -> Result<u16, ParamsError> {
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

fn uri_prefix_len(s: &str) -> Option<usize> {
    ["postgresql://", "postgres://"]
        .into_iter()
        .find(|p| s.starts_with(p))
        .map(str::len)
}

/// 1-based character position of a byte offset, for error messages.
fn char_position(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |p| p.chars().count()) + 1
}

fn parse_conninfo(s: &str) -> Result<ConnParams, ParamsError> {
    let mut params = ConnParams::default();
    let mut it = s.char_indices().peekable();
    // A password with a space but no quotes spills into the next "key": never echo that key.
    let mut after_bare_password = false;
    let skip_space = |it: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        while it.next_if(|&(_, c)| is_space(c)).is_some() {}
    };
    loop {
        skip_space(&mut it);
        let Some(&(key_start, _)) = it.peek() else {
            break;
        };
        let mut key = String::new();
        while let Some((_, c)) = it.next_if(|&(_, c)| c != '=' && !is_space(c)) {
            key.push(c);
        }
        let echo_key = !after_bare_password || is_known_key(&key);
        let position = char_position(s, key_start);
        skip_space(&mut it);
        if it.next_if(|&(_, c)| c == '=').is_none() {
            let message = if echo_key {
                format!("missing \"=\" after \"{key}\" in connection info string")
            } else {
                "missing \"=\" after the password: quote a password that contains spaces"
                    .to_string()
            };
            return Err(ParamsError::Syntax { message, position });
        }
        skip_space(&mut it);
        let mut value = String::new();
        let quoted = it.next_if(|&(_, c)| c == '\'').is_some();
        if quoted {
            loop {
                match it.next() {
                    None => {
                        return Err(ParamsError::Syntax {
                            message: "unterminated quoted string in connection info string"
                                .to_string(),
                            position,
                        })
                    }
                    Some((_, '\\')) => match it.next() {
                        Some((_, c)) => value.push(c),
                        None => {
                            return Err(ParamsError::Syntax {
                                message: "unterminated quoted string in connection info string"
                                    .to_string(),
                                position,
                            })
                        }
                    },
                    Some((_, '\'')) => {
                        // libpq would reject a quote right after the closing one, so reading
                        // '' as a quote (SQL style) changes no valid string.
                        if it.next_if(|&(_, c)| c == '\'').is_some() {
                            value.push('\'');
                        } else {
                            break;
                        }
                    }
                    Some((_, c)) => value.push(c),
                }
            }
        } else {
            while let Some((_, c)) = it.next_if(|&(_, c)| !is_space(c)) {
                if c == '\\' {
                    if let Some((_, escaped)) = it.next() {
                        value.push(escaped);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        params.set(&key, &value, true).map_err(|e| match e {
            ParamsError::InvalidOption(_) if !echo_key => ParamsError::Syntax {
                message: "invalid connection option after the password: quote a password that contains spaces".to_string(),
                position,
            },
            other => other,
        })?;
        after_bare_password = key == "password" && !quoted;
    }
    Ok(params)
}

/// Byte ranges of a URI that may hold a password, chosen generously: anything an error message
/// would echo from inside them is left out.
struct UriText<'a> {
    s: &'a str,
    secret: Vec<(usize, usize)>,
}

impl<'a> UriText<'a> {
    fn new(s: &'a str, start: usize) -> Self {
        let mut secret = Vec::new();
        let rest = s.get(start..).unwrap_or("");
        if let Some(at) = rest.rfind('@') {
            if let Some(colon) = rest.get(..at).and_then(|u| u.find(':')) {
                secret.push((start + colon + 1, start + at));
            }
        }
        let mut from = 0;
        while let Some(found) = rest.get(from..).and_then(|r| r.find("password=")) {
            let key_at = from + found;
            let value_at = key_at + "password=".len();
            let before = rest.get(..key_at).and_then(|b| b.chars().next_back());
            if matches!(before, Some('?') | Some('&')) {
                let end = rest
                    .get(value_at..)
                    .and_then(|r| r.find('&'))
                    .map_or(rest.len(), |e| value_at + e);
                secret.push((start + value_at, start + end));
            }
            from = value_at;
        }
        UriText { s, secret }
    }

    fn sub(&self, a: usize, b: usize) -> &'a str {
        self.s.get(a..b).unwrap_or("")
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.s.as_bytes().get(i).copied()
    }

    fn find_from(&self, from: usize, stops: &[u8]) -> usize {
        self.s
            .as_bytes()
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, b)| stops.contains(b))
            .map_or(self.s.len(), |(i, _)| i)
    }

    fn is_secret(&self, a: usize, b: usize) -> bool {
        self.secret
            .iter()
            .any(|&(sa, sb)| a < sb && sa < b.max(a + 1))
    }

    fn syntax(&self, message: String, at: usize) -> ParamsError {
        ParamsError::Syntax {
            message,
            position: char_position(self.s, at),
        }
    }

    /// Percent-decode bytes `a..b`, as libpq does for every part of a URI.
    fn decode(&self, a: usize, b: usize) -> Result<String, ParamsError> {
        let raw = self.sub(a, b).as_bytes();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while let Some(&byte) = raw.get(i) {
            if byte != b'%' {
                out.push(byte);
                i += 1;
                continue;
            }
            let hex = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            let decoded = hex
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match decoded {
                Some(0) => {
                    return Err(self.syntax(
                        "forbidden value %00 in percent-encoded value".to_string(),
                        a + i,
                    ))
                }
                Some(c) => {
                    out.push(c);
                    i += 3;
                }
                None => {
                    let end = (a + i + 3).min(b);
                    let message = if self.is_secret(a + i, end) {
                        "invalid percent-encoded token".to_string()
                    } else {
                        format!(
                            "invalid percent-encoded token \"{}\"",
                            String::from_utf8_lossy(
                                raw.get(i..(i + 3).min(raw.len())).unwrap_or_default()
                            )
                        )
                    };
                    return Err(self.syntax(message, a + i));
                }
            }
        }
        String::from_utf8(out)
            .map_err(|_| self.syntax("percent-encoded value is not valid UTF-8".to_string(), a))
    }
}

fn parse_uri(s: &str, start: usize) -> Result<ConnParams, ParamsError> {
    let text = UriText::new(s, start);
    let mut params = ConnParams::default();

    // The last '@' before the path or query ends the user part, so '@' in a user name
    // ("me@corp.com") or password works unencoded.
    let netloc_end = text.find_from(start, b"/?");
    let mut pos = start;
    if let Some(at) = text.sub(start, netloc_end).rfind('@').map(|at| start + at) {
        let colon = text.sub(start, at).find(':').map(|c| start + c);
        let user_end = colon.unwrap_or(at);
        let user = text.decode(start, user_end)?;
        if !user.is_empty() {
            params.user = Some(user);
        }
        if let Some(colon) = colon {
            let password = text.decode(colon + 1, at)?;
            if !password.is_empty() {
                params.password = Some(Secret::new(password));
            }
        }
        pos = at + 1;
    }

    let mut hosts = Vec::new();
    let mut ports: Vec<Option<(usize, usize)>> = Vec::new();
    let mut term;
    loop {
        if text.byte(pos) == Some(b'[') {
            let open = pos;
            let close = text.find_from(open + 1, b"]");
            if close >= s.len() {
                return Err(text.syntax(
                    "end of string reached when looking for matching \"]\" in IPv6 host address in URI"
                        .to_string(),
                    open,
                ));
            }
            if close == open + 1 {
                return Err(text.syntax(
                    "IPv6 host address may not be empty in URI".to_string(),
                    open,
                ));
            }
            hosts.push(text.decode(open + 1, close)?);
            pos = close + 1;
            if let Some(c) = text.byte(pos).filter(|c| !b":/?,".contains(c)) {
                let message = if text.is_secret(pos, pos + 1) {
                    "unexpected character in URI (expected \":\", \"/\", \"?\" or \",\")"
                        .to_string()
                } else {
                    format!(
                        "unexpected character \"{}\" in URI (expected \":\", \"/\", \"?\" or \",\")",
                        char::from(c)
                    )
                };
                return Err(text.syntax(message, pos));
            }
        } else {
            let end = text.find_from(pos, b":/?,");
            hosts.push(text.decode(pos, end)?);
            pos = end;
        }
        term = text.byte(pos);
        if term == Some(b':') {
            let end = text.find_from(pos + 1, b"/?,");
            ports.push(Some((pos + 1, end)));
            pos = end;
            term = text.byte(pos);
        } else {
            ports.push(None);
        }
        if term != Some(b',') {
            break;
        }
        pos += 1;
    }
    if !(hosts.len() == 1 && hosts.iter().all(String::is_empty)) {
        params.hosts = hosts;
    }
    if ports.iter().flatten().any(|&(a, b)| a < b) {
        let mut list = Vec::with_capacity(ports.len());
        for range in ports {
            let port = match range {
                Some((a, b)) if a < b => {
                    if text.is_secret(a, b) {
                        // Most likely a '/' or '?' in the password ended the user part early.
                        parse_port(&text.decode(a, b)?, false).map_err(|_| {
                            text.syntax(
                                "invalid port number in URI; percent-encode any '/' or '?' in the password (%2F, %3F)"
                                    .to_string(),
                                a,
                            )
                        })?
                    } else {
                        parse_port(&text.decode(a, b)?, true)?
                    }
                }
                _ => DEFAULT_PORT,
            };
            list.push(port);
        }
        params.ports = list;
    }

    if term == Some(b'/') {
        let end = text.find_from(pos + 1, b"?");
        let dbname = text.decode(pos + 1, end)?;
        if !dbname.is_empty() {
            params.dbname = Some(dbname);
        }
        pos = end;
        term = text.byte(pos);
    }
    if term == Some(b'?') {
        parse_uri_query(&text, pos + 1, &mut params)?;
    }
    Ok(params)
}

/// Later parameters override earlier ones and anything said before the '?'.
fn parse_uri_query(
    text: &UriText<'_>,
    start: usize,
    params: &mut ConnParams,
) -> Result<(), ParamsError> {
    let len = text.s.len();
    let mut pos = start;
    // An unencoded '&' in a password makes the rest look like another parameter.
    let mut after_password = false;
    while pos < len {
        let end = text.find_from(pos, b"&");
        let hidden = after_password || text.is_secret(pos, end);
        let eq = text.sub(pos, end).find('=').map(|e| pos + e);
        let Some(eq) = eq else {
            let message = if hidden {
                "missing key/value separator \"=\" in URI query parameter".to_string()
            } else {
                format!(
                    "missing key/value separator \"=\" in URI query parameter \"{}\"",
                    text.sub(pos, end)
                )
            };
            return Err(text.syntax(message, pos));
        };
        let mut key = text.decode(pos, eq)?;
        let mut value = text.decode(eq + 1, end)?;
        // libpq's concession to JDBC URLs.
        if key == "ssl" && value == "true" {
            key = "sslmode".to_string();
            value = "require".to_string();
        }
        let echo = !after_password && !text.is_secret(eq + 1, end);
        params.set(&key, &value, echo).map_err(|e| match e {
            ParamsError::InvalidOption(_) if after_password && !is_known_key(&key) => {
                text.syntax(
                    "invalid URI query parameter after the password: percent-encode '&' in passwords as %26"
                        .to_string(),
                    pos,
                )
            }
            other => other,
        })?;
        after_password = key == "password";
        pos = end + 1;
    }
    Ok(())
}

#[cfg(test)]
const QUERY_SAFE: &str = "/:,";

/// Percent-encode all but RFC 3986 unreserved characters and `keep`.
#[cfg(test)]
fn encode(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn bracket_ipv6(host: &str) -> String {
    if host.contains(':') && !host.starts_with('/') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ConnParams {
        match ConnParams::parse(s) {
            Ok(p) => p,
            Err(e) => panic!("parse({s:?}) failed: {e}"),
        }
    }

    fn err(s: &str) -> String {
        match ConnParams::parse(s) {
            Ok(p) => panic!("parse({s:?}) succeeded: {p:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    // ---- Secret and enums

    #[test]
    fn secret_never_formats_its_text() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s}"), "********");
        assert_eq!(format!("{s:?}"), "********");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn sslmode_parses_libpq_names_and_round_trips() {
        for mode in SslMode::ALL {
            assert_eq!(mode.to_string().parse::<SslMode>().unwrap(), mode);
        }
        assert_eq!(
            "verify-full".parse::<SslMode>().unwrap(),
            SslMode::VerifyFull
        );
        assert!("Require".parse::<SslMode>().is_err());
        assert!("verify_full".parse::<SslMode>().is_err());
        assert!(err("sslmode=strict").contains("\"strict\""));
    }

    #[test]
    fn session_attrs_parse_libpq_names() {
        for attrs in SessionAttrs::ALL {
            assert_eq!(attrs.as_str().parse::<SessionAttrs>().unwrap(), attrs);
        }
        assert_eq!(
            p("target_session_attrs=prefer-standby").target_session_attrs,
            Some(SessionAttrs::PreferStandby)
        );
        assert!(err("target_session_attrs=readwrite").contains("target_session_attrs"));
    }

    // ---- key=value strings

    #[test]
    fn keyword_value_basic() {
        let c = p("host=localhost port=5432 dbname=app user=alice password=pw sslmode=require");
        assert_eq!(c.hosts, strs(&["localhost"]));
        assert_eq!(c.ports, vec![5432]);
        assert_eq!(c.dbname.as_deref(), Some("app"));
        assert_eq!(c.user.as_deref(), Some("alice"));
        assert_eq!(c.password, Some(Secret::new("pw")));
        assert_eq!(c.sslmode, Some(SslMode::Require));
    }

    #[test]
    fn keyword_value_quoting_and_escapes() {
        let c = p(r"dbname='my db' password='it\'s' user=a\ b application_name='back\\slash'");
        assert_eq!(c.dbname.as_deref(), Some("my db"));
        assert_eq!(c.password.unwrap().expose(), "it's");
        assert_eq!(c.user.as_deref(), Some("a b"));
        assert_eq!(c.application_name.as_deref(), Some(r"back\slash"));
    }

    #[test]
    fn keyword_value_doubled_quote_and_empty_quotes() {
        let c = p("password='it''s' dbname='' user=bob");
        assert_eq!(c.password.unwrap().expose(), "it's");
        assert_eq!(c.dbname, None);
        assert_eq!(c.user.as_deref(), Some("bob"));
    }

    #[test]
    fn keyword_value_whitespace_around_equals() {
        let c = p("  host = db1 \t port=\n6000  ");
        assert_eq!(c.hosts, strs(&["db1"]));
        assert_eq!(c.ports, vec![6000]);
    }

    #[test]
    fn keyword_value_later_key_wins_and_empty_unsets() {
        let c = p("host=a host=b user=x user=");
        assert_eq!(c.hosts, strs(&["b"]));
        assert_eq!(c.user, None);
        assert_eq!(p(""), ConnParams::default());
    }

    #[test]
    fn keyword_value_missing_equals() {
        let e = err("host=a dbname");
        assert!(e.contains("missing \"=\" after \"dbname\""), "{e}");
        assert!(e.contains("position 8"), "{e}");
    }

    #[test]
    fn keyword_value_unterminated_quote_does_not_echo_password() {
        let e = err("host=a password='s3cr3t");
        assert!(e.contains("unterminated quoted string"), "{e}");
        assert!(!e.contains("s3cr3t"), "{e}");
    }

    #[test]
    fn keyword_value_unquoted_password_with_space_is_not_echoed() {
        let e = err("host=a password=abc defghi");
        assert!(!e.contains("defghi"), "{e}");
        assert!(e.contains("quote"), "{e}");
        let e = err("password=abc defghi=x");
        assert!(!e.contains("defghi"), "{e}");
    }

    #[test]
    fn unknown_key_is_invalid_option() {
        assert_eq!(
            err("host=a colour=blue"),
            "invalid connection option \"colour\""
        );
        assert_eq!(
            err("postgresql://h/db?colour=blue"),
            "invalid connection option \"colour\""
        );
    }

    #[test]
    fn ignored_keys_go_to_extra_and_unsupported_keys_fail() {
        let c = p("gssencmode=disable channel_binding=prefer gssencmode=prefer");
        assert_eq!(
            c.extra,
            vec![
                ("channel_binding".to_string(), "prefer".to_string()),
                ("gssencmode".to_string(), "prefer".to_string())
            ]
        );
        let e = err("sslpassword=topsecret");
        assert!(e.contains("not supported"), "{e}");
        assert!(!e.contains("topsecret"), "{e}");
    }

    #[test]
    fn ports_are_checked() {
        assert!(err("port=0").contains("\"0\""));
        assert!(err("port=65536").contains("\"65536\""));
        assert!(err("port=abc").contains("\"abc\""));
        assert!(err("port=-5").contains("1 to 65535"));
        assert_eq!(p("port=65535").ports, vec![65535]);
        assert_eq!(p("port=' 6543 '").ports, vec![6543]);
    }

    #[test]
    fn connect_timeout_is_integer_seconds() {
        assert_eq!(
            p("connect_timeout=10").connect_timeout,
            Some(Duration::from_secs(10))
        );
        assert_eq!(p("connect_timeout=0").connect_timeout, Some(Duration::ZERO));
        assert_eq!(
            p("connect_timeout=-3").connect_timeout,
            Some(Duration::ZERO)
        );
        assert!(err("connect_timeout=2s").contains("\"2s\""));
        assert!(err("connect_timeout=1.5").contains("connect_timeout"));
        assert_eq!(
            p("keepalives_idle=30").keepalives_idle,
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn port_count_must_match_hosts() {
        assert_eq!(
            err("host=a,b port=1,2,3"),
            "could not match 3 port numbers to 2 hosts"
        );
        let c = p("host=a,b,c port=6000");
        assert_eq!(c.ports, vec![6000]);
        assert_eq!(p("host=a,b port=1,").ports, vec![1, 5432]);
        assert!(err("host=a,b hostaddr=1.2.3.4").contains("hostaddr"));
        // Ports alone may still meet their hosts after merging.
        assert_eq!(p("port=1,2").ports, vec![1, 2]);
    }

    #[test]
    fn validate_checks_merged_counts() {
        let flags = p("port=1,2");
        assert!(flags.validate().is_err());
        let merged = flags.or(&p("host=a,b"));
        assert!(merged.validate().is_ok());
        let merged = p("host=x,y,z").or(&p("host=a,b port=1,2"));
        assert_eq!(
            merged.validate(),
            Err(ParamsError::PortCount { ports: 2, hosts: 3 })
        );
    }

    // ---- URIs

    #[test]
    fn uri_full() {
        let c = p("postgresql://alice:pw@db.example.com:6543/sales?sslmode=verify-full&application_name=pgsh&connect_timeout=5");
        assert_eq!(c.user.as_deref(), Some("alice"));
        assert_eq!(c.password.as_ref().map(Secret::expose), Some("pw"));
        assert_eq!(c.hosts, strs(&["db.example.com"]));
        assert_eq!(c.ports, vec![6543]);
        assert_eq!(c.dbname.as_deref(), Some("sales"));
        assert_eq!(c.sslmode, Some(SslMode::VerifyFull));
        assert_eq!(c.application_name.as_deref(), Some("pgsh"));
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(5)));
    }

    #[test]
    fn uri_short_scheme_and_bare_forms() {
        let c = p("postgres://host");
        assert_eq!(c.hosts, strs(&["host"]));
        assert_eq!(c.ports, Vec::<u16>::new());
        assert_eq!(p("postgresql://"), ConnParams::default());
        assert_eq!(p("postgresql://host/").dbname, None);
        assert_eq!(p("postgresql://u@").user.as_deref(), Some("u"));
        assert_eq!(p("postgresql://h:/db").ports, Vec::<u16>::new());
    }

    #[test]
    fn uri_multi_host_with_mixed_ports() {
        let c = p("postgresql://a:5433,b,c:5434/db?target_session_attrs=read-write");
        assert_eq!(c.hosts, strs(&["a", "b", "c"]));
        assert_eq!(c.ports, vec![5433, 5432, 5434]);
        assert_eq!(c.target_session_attrs, Some(SessionAttrs::ReadWrite));
        let c = p("postgresql://a,b/db");
        assert_eq!(c.hosts, strs(&["a", "b"]));
        assert!(c.ports.is_empty());
    }

    #[test]
    fn uri_ipv6() {
        let c = p("postgresql://[::1]:5432,[2001:db8::2]/db");
        assert_eq!(c.hosts, strs(&["::1", "2001:db8::2"]));
        assert_eq!(c.ports, vec![5432, 5432]);
        assert_eq!(
            p("postgresql://[fe80::1%25eth0]").hosts,
            strs(&["fe80::1%eth0"])
        );
        assert!(err("postgresql://[::1").contains("\"]\""));
        assert!(err("postgresql://[]/db").contains("may not be empty"));
        assert!(err("postgresql://[::1]x/db").contains("\"x\""));
    }

    #[test]
    fn uri_percent_decoding_everywhere() {
        let c = p("postgresql://us%40er:p%40ss%3Aw%2Fd@h/my%20db?application_name=a%26b");
        assert_eq!(c.user.as_deref(), Some("us@er"));
        assert_eq!(c.password.unwrap().expose(), "p@ss:w/d");
        assert_eq!(c.dbname.as_deref(), Some("my db"));
        assert_eq!(c.application_name.as_deref(), Some("a&b"));
        assert!(err("postgresql://h/db%zz").contains("\"%zz\""));
        assert!(err("postgresql://h/db%00").contains("%00"));
        assert!(err("postgresql://h/db%ff").contains("UTF-8"));
    }

    #[test]
    fn uri_socket_dirs() {
        let c = p("postgresql://%2Fvar%2Frun%2Fpostgresql/db");
        assert_eq!(c.hosts, strs(&["/var/run/postgresql"]));
        let c = p("postgresql:///mydb?host=/tmp");
        assert_eq!(c.hosts, strs(&["/tmp"]));
        assert_eq!(c.dbname.as_deref(), Some("mydb"));
        let c = p("postgresql://user@%2Ftmp:5433/db");
        assert_eq!(c.hosts, strs(&["/tmp"]));
        assert_eq!(c.ports, vec![5433]);
    }

    #[test]
    fn uri_query_overrides_earlier_parts() {
        let c = p("postgresql://u:pw@a:1/db?host=b&port=2&user=v&dbname=other&password=");
        assert_eq!(c.hosts, strs(&["b"]));
        assert_eq!(c.ports, vec![2]);
        assert_eq!(c.user.as_deref(), Some("v"));
        assert_eq!(c.dbname.as_deref(), Some("other"));
        assert_eq!(c.password, None);
    }

    #[test]
    fn uri_ssl_true_means_require() {
        assert_eq!(p("postgresql://h?ssl=true").sslmode, Some(SslMode::Require));
        assert!(err("postgresql://h?ssl=false").contains("\"ssl\""));
    }

    #[test]
    fn uri_query_syntax() {
        assert!(err("postgresql://h/db?sslmode").contains("missing key/value separator"));
        assert!(err("postgresql://h/db?&sslmode=disable").contains("missing key/value separator"));
        assert_eq!(
            p("postgresql://h/db?sslmode=disable&").sslmode,
            Some(SslMode::Disable)
        );
        assert_eq!(
            p("postgresql://h/db?options=-c%20a=b").options.as_deref(),
            Some("-c a=b")
        );
    }

    #[test]
    fn uri_user_part_ends_at_last_at_sign() {
        let c = p("postgresql://me@corp.com@h/db");
        assert_eq!(c.user.as_deref(), Some("me@corp.com"));
        assert_eq!(c.hosts, strs(&["h"]));
        let c = p("postgresql://u:p@ss@h/db?application_name=x@y");
        assert_eq!(c.password.unwrap().expose(), "p@ss");
        assert_eq!(c.application_name.as_deref(), Some("x@y"));
        let c = p("postgresql://h/db?user=a@b");
        assert_eq!(c.user.as_deref(), Some("a@b"));
        assert!(c.password.is_none());
    }

    #[test]
    fn uri_port_errors_name_the_value() {
        assert!(err("postgresql://h:0/db").contains("\"0\""));
        assert!(err("postgresql://h:70000/db").contains("\"70000\""));
        assert!(err("postgresql://h:http/db").contains("\"http\""));
        assert_eq!(
            err("postgresql://a:1,b:2/db?host=c"),
            "could not match 2 port numbers to 1 hosts"
        );
    }

    #[test]
    fn malformed_uris_never_echo_the_password() {
        let cases = [
            // An unencoded '/' in the password hides the '@': the password looks like a port.
            "postgresql://bob:s3cr3t/x@db:5432/app",
            "postgresql://bob:s3cr3t@db:notaport/app",
            "postgresql://bob:s3c%zzr3t@db/app",
            "postgresql://bob:s3c%00r3t@db/app",
            "postgresql://bob:s3cr3t@[db/app",
            "postgresql://bob:s3cr3t?x@db/app",
            "postgresql://db/app?password=s3cr3t&r3t=1",
            "postgresql://db/app?password=s3cr3t&r3t",
            "postgresql://db/app?password=s3c%zzr3t",
            "postgresql://bob:s3cr3t@db/app?port=99999",
        ];
        for case in cases {
            let e = err(case);
            for fragment in ["s3c", "r3t", "cr3"] {
                assert!(!e.contains(fragment), "{case:?} gave {e:?}");
            }
            let dbg = format!("{:?}", ConnParams::parse(case));
            assert!(!dbg.contains("r3t"), "{case:?} gave {dbg}");
        }
    }

    #[test]
    fn debug_output_hides_password() {
        let c = p("postgresql://u:topsecret@h/db");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("topsecret"), "{dbg}");
        assert!(dbg.contains("********"));
    }

    #[test]
    fn looks_like_conninfo_like_psql() {
        assert!(ConnParams::looks_like_conninfo("postgresql://h/db"));
        assert!(ConnParams::looks_like_conninfo("postgres://h"));
        assert!(ConnParams::looks_like_conninfo("host=a"));
        assert!(!ConnParams::looks_like_conninfo("mydb"));
        assert!(!ConnParams::looks_like_conninfo("postgresql:/h"));
        assert!(!ConnParams::looks_like_conninfo(""));
    }

    // ---- environment and merging

    #[test]
    fn from_env_reads_every_variable() {
        static ENV: &[(&str, &str)] = &[
            ("PGHOST", "a,b"),
            ("PGHOSTADDR", "10.0.0.1,10.0.0.2"),
            ("PGPORT", "6000"),
            ("PGUSER", "alice"),
            ("PGPASSWORD", "pw"),
            ("PGDATABASE", "app"),
            ("PGSSLMODE", "verify-ca"),
            ("PGSSLROOTCERT", "/etc/ca.pem"),
            ("PGAPPNAME", "tool"),
            ("PGCONNECT_TIMEOUT", "7"),
            ("PGOPTIONS", "-c search_path=x"),
            ("PGTARGETSESSIONATTRS", "standby"),
            ("PGPASSFILE", "/home/a/.pgpass"),
            ("PGSERVICE", "svc"),
        ];
        let c = ConnParams::from_env(&env_of(ENV)).unwrap();
        assert_eq!(c.hosts, strs(&["a", "b"]));
        assert_eq!(c.hostaddrs, strs(&["10.0.0.1", "10.0.0.2"]));
        assert_eq!(c.ports, vec![6000]);
        assert_eq!(c.user.as_deref(), Some("alice"));
        assert_eq!(
            c.password.as_ref().map(Secret::expose).unwrap_or_default(),
            "pw"
        );
        assert_eq!(c.dbname.as_deref(), Some("app"));
        assert_eq!(c.sslmode, Some(SslMode::VerifyCa));
        assert_eq!(c.sslrootcert.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(c.application_name.as_deref(), Some("tool"));
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(7)));
        assert_eq!(c.options.as_deref(), Some("-c search_path=x"));
        assert_eq!(c.target_session_attrs, Some(SessionAttrs::Standby));
        assert_eq!(c.passfile.as_deref(), Some("/home/a/.pgpass"));
        assert_eq!(c.service.as_deref(), Some("svc"));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn from_env_errors_name_the_variable_and_empty_means_unset() {
        static BAD: &[(&str, &str)] = &[("PGPORT", "99999")];
        let e = ConnParams::from_env(&env_of(BAD)).unwrap_err();
        assert!(
            e.to_string().starts_with("environment variable PGPORT:"),
            "{e}"
        );
        assert!(e.source().is_some());
        static EMPTY: &[(&str, &str)] = &[("PGHOST", ""), ("PGUSER", "")];
        assert_eq!(
            ConnParams::from_env(&env_of(EMPTY)).unwrap(),
            ConnParams::default()
        );
        assert_eq!(
            ConnParams::from_env(&|_| None).unwrap(),
            ConnParams::default()
        );
    }

    #[test]
    fn or_merges_by_precedence() {
        let flags = p("user=flaguser port=7000");
        let url = p("postgresql://urluser:urlpw@urlhost:6000/urldb?gssencmode=disable");
        static ENV: &[(&str, &str)] = &[
            ("PGHOST", "envhost"),
            ("PGDATABASE", "envdb"),
            ("PGSSLMODE", "require"),
            ("PGAPPNAME", "envapp"),
        ];
        let env = ConnParams::from_env(&env_of(ENV)).unwrap();
        let merged = flags.or(&url).or(&env);
        assert_eq!(merged.user.as_deref(), Some("flaguser"));
        assert_eq!(merged.ports, vec![7000]);
        assert_eq!(merged.hosts, strs(&["urlhost"]));
        assert_eq!(merged.dbname.as_deref(), Some("urldb"));
        assert_eq!(merged.password.as_ref().map(Secret::expose), Some("urlpw"));
        assert_eq!(merged.sslmode, Some(SslMode::Require));
        assert_eq!(merged.application_name.as_deref(), Some("envapp"));
        assert_eq!(merged.extra.len(), 1);
        let extras = p("gssencmode=require")
            .or(&p("gssencmode=disable sslsni=0"))
            .extra;
        assert_eq!(
            extras,
            vec![
                ("gssencmode".to_string(), "require".to_string()),
                ("sslsni".to_string(), "0".to_string())
            ]
        );
    }

    #[test]
    fn names_server() {
        assert!(!ConnParams::default().names_server());
        assert!(!p("dbname=x user=y password=z").names_server());
        assert!(p("host=h").names_server());
        assert!(p("hostaddr=127.0.0.1").names_server());
        assert!(p("port=5433").names_server());
        assert!(p("service=prod").names_server());
    }

    // ---- output forms

    #[test]
    fn display_redacted_forms() {
        assert_eq!(
            p("postgresql://alice:pw@db:5433/app").display_redacted(),
            "alice@db:5433/app"
        );
        assert_eq!(p("host=/tmp dbname=x").display_redacted(), "/tmp/x");
        assert_eq!(
            p("postgresql://a:1,b:2/db").display_redacted(),
            "a:1,b:2/db"
        );
        assert_eq!(p("host=a,b port=6000").display_redacted(), "a,b:6000");
        assert_eq!(p("host=::1 port=5432").display_redacted(), "[::1]:5432");
        assert_eq!(p("password=pw").display_redacted(), "(defaults)");
        let shown = p("user=u password=hunter2 dbname='password=hunter3'").display_redacted();
        assert!(!shown.contains("hunter"), "{shown}");
    }

    #[test]
    fn redacted_url_round_trips() {
        let inputs = [
            "postgresql://alice:pw@db.example.com:6543/sales?sslmode=verify-full",
            "host=/var/run/postgresql,db2 port=5432,6000 user='a b@c' dbname='x/y?z' password=q",
            "host=::1,fe80::1%eth0 hostaddr=::1,fe80::1 port=1 connect_timeout=0 keepalives_idle=9",
            "options='-c statement_timeout=5s' application_name='a&b=c' passfile=/p service=s target_session_attrs=any sslrootcert=/ca gssencmode=disable",
            "port=5433",
            "password=onlypw",
            "host=a,,b",
            "",
        ];
        for input in inputs {
            let orig = p(input);
            let url = orig.to_redacted_url();
            if let Some(pw) = &orig.password {
                assert!(!url.contains(&format!(":{}@", pw.expose())), "{url}");
            }
            let mut back = p(&url);
            if orig.password.is_some() {
                assert_eq!(
                    back.password.as_ref().map(Secret::expose),
                    Some("****"),
                    "{url}"
                );
                back.password = orig.password.clone();
            }
            assert_eq!(back, orig, "{input} -> {url}");
        }
        assert_eq!(
            p("postgresql://alice:pw@/app?host=/tmp").to_redacted_url(),
            "postgresql://alice:****@%2Ftmp/app"
        );
        assert_eq!(ConnParams::default().to_redacted_url(), "postgresql://");
    }

    #[test]
    fn redaction_is_idempotent_and_scrubs_errors() {
        use crate::redact::redact_secrets;
        let line = "x = db.connect(\"host=db password='a b'\"); y = \"postgresql://u:v@h\"";
        let once = redact_secrets(line);
        assert!(!once.contains("a b") && !once.contains(":v@"), "{once}");
        assert_eq!(redact_secrets(&once), once);
        let e = err("host=a password='abc");
        assert_eq!(redact_secrets(&e), e);
    }
}
