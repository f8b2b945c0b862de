//! Reading libpq connection strings: key=value conninfo with libpq's quoting, and `postgresql://` URIs with
//! percent-encoding, where nothing a password may hide in is ever echoed in an error.

use super::{
    char_position, is_known_key, is_space, parse_port, ConnParams, ParamsError, Secret,
    DEFAULT_PORT,
};

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
}

fn uri_prefix_len(s: &str) -> Option<usize> {
    ["postgresql://", "postgres://"]
        .into_iter()
        .find(|p| s.starts_with(p))
        .map(str::len)
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
