//! pgsh's error type: one opaque value that knows its kind, its SQLSTATE and the exit code it maps to.

use std::fmt;

/// A SQLSTATE, typed: the server's five characters, with a named constant for each code PostgreSQL
/// defines (`SqlState::QUERY_CANCELED`); `code()` gives the text.
pub use postgres::error::SqlState;

/// What went wrong, at the level a caller decides on (exit code, retry, message layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad options, configuration or arguments given to pgsh itself.
    Usage,
    /// A file pgsh was asked to read or write could not be.
    Io,
    /// No connection could be established.
    Connect,
    /// An established connection broke.
    ConnectionLost,
    /// The server rejected a statement.
    Sql,
    /// A Rhai value could not be sent as a statement parameter.
    Param,
    /// A value from the server could not be turned into a Rhai value.
    Decode,
    /// A pgsh API function was called wrongly (e.g. `query_one` with two rows).
    Api,
    /// The user pressed Ctrl-C.
    Interrupted,
}

/// Details the server sent with an error (libpq's PG_DIAG_* fields), plus the SQL it was about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbDetails {
    pub code: String,
    pub severity: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// 1-based character position in `sql`, as the server reports it.
    pub position: Option<u32>,
    pub context: Option<String>,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub constraint: Option<String>,
    /// The statement text the error is about, when pgsh sent one.
    pub sql: Option<String>,
    /// Position in `internal_query` (an error inside a PL/pgSQL function's own statement).
    pub internal_position: Option<u32>,
    pub internal_query: Option<String>,
    pub datatype: Option<String>,
    /// Where in the server's source the error was raised (VERBOSITY verbose prints it as LOCATION).
    pub file: Option<String>,
    pub line: Option<String>,
    pub routine: Option<String>,
}

/// pgsh's error. Opaque: inspect it through [`Error::kind`], [`Error::code`] and [`Error::db`].
#[derive(Clone, Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    code: Option<SqlState>,
    db: Option<Box<DbDetails>>,
    /// Where in a file the failing statement was (`load.sql:12`).
    place: Option<String>,
    /// The lower-level error this one reports (an I/O error, a lost socket), for `source()`.
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            code: None,
            db: None,
            place: None,
            source: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    pub fn io(what: impl fmt::Display, err: &std::io::Error) -> Self {
        Self::new(ErrorKind::Io, format!("{what}: {err}"))
            .with_source(std::io::Error::new(err.kind(), err.to_string()))
    }

    /// Keep `source` as the cause [`std::error::Error::source`] reports.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(std::sync::Arc::new(source));
        self
    }

    pub fn api(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Api, message)
    }

    pub fn param(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Param, message).with_code(SqlState::INVALID_PARAMETER_VALUE)
    }

    pub fn interrupted() -> Self {
        Self::new(ErrorKind::Interrupted, "interrupted by Ctrl-C")
            .with_code(SqlState::QUERY_CANCELED)
    }

    /// A server error with all its fields.
    pub fn server(details: DbDetails) -> Self {
        Error {
            kind: ErrorKind::Sql,
            message: details.message.clone(),
            code: Some(SqlState::from_code(&details.code)),
            db: Some(Box::new(details)),
            place: None,
            source: None,
        }
    }

    pub fn with_code(mut self, code: SqlState) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Prefix the message with context ("connecting to x: ...").
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    /// Attach the SQL text a server error is about (for the caret under the error position).
    pub fn with_sql(mut self, sql: &str) -> Self {
        if let Some(db) = self.db.as_mut() {
            if db.sql.is_none() {
                db.sql = Some(sql.to_string());
            }
        }
        self
    }

    /// Mask anything that looks like a password in the texts (a server may quote what it was given, e.g. a
    /// "database name" that was really a URL with a password in it).
    pub fn redacted(mut self) -> Self {
        use crate::redact::redact_secrets;
        self.message = redact_secrets(&self.message);
        if let Some(db) = self.db.as_mut() {
            db.message = redact_secrets(&db.message);
            db.detail = db.detail.as_deref().map(redact_secrets);
        }
        self
    }

    /// Say where the failing statement was (`file.sql:12`).
    pub fn with_place(mut self, place: impl Into<String>) -> Self {
        self.place = Some(place.into());
        self
    }

    pub fn place(&self) -> Option<&str> {
        self.place.as_deref()
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The SQLSTATE, for server errors and for client-side errors that have a natural one.
    pub fn code(&self) -> Option<&SqlState> {
        self.code.as_ref()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn db(&self) -> Option<&DbDetails> {
        self.db.as_deref()
    }

    /// psql's exit codes: 1 for pgsh's own fatal errors, 2 for connection trouble, 3 for script errors.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage | ErrorKind::Io => 1,
            ErrorKind::Connect | ErrorKind::ConnectionLost => 2,
            ErrorKind::Interrupted => 130,
            ErrorKind::Sql | ErrorKind::Param | ErrorKind::Decode | ErrorKind::Api => 3,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.place {
            write!(f, "{p}: ")?;
        }
        match (&self.db, &self.code) {
            (Some(db), _) => write!(f, "{}: {} (SQLSTATE {})", db.severity, db.message, db.code),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_is_the_source() {
        use std::error::Error as _;
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no entry");
        let e = Error::io("reading x.sql", &io);
        assert_eq!(e.to_string(), "reading x.sql: no entry");
        let cause = e.source().and_then(|s| s.downcast_ref::<std::io::Error>());
        assert_eq!(
            cause.map(std::io::Error::kind),
            Some(std::io::ErrorKind::PermissionDenied)
        );
        assert!(Error::usage("bad flag").source().is_none());
    }
}
