//! Why a call into an embedded shell failed: pgsh's own error (connection, SQL, busy), a value the script
//! threw, a broken script, or a result that does not fit the Rust type asked for.

use std::fmt;

use crate::error::{Error, ErrorKind};

/// What [`Pgsh::call`](super::Pgsh::call) and friends return on failure.
///
/// Decide on the variant and, for [`CallError::Pgsh`], on [`Error::kind`] and [`Error::code`] (the
/// SQLSTATE): a connection that cannot be made is [`ErrorKind::Connect`], a statement the server refused
/// is [`ErrorKind::Sql`] with the server's code (`23505` for a unique violation), and a call that waited
/// longer than the queue allows is [`CallError::Busy`].
#[derive(Clone, Debug)]
pub enum CallError {
    /// A pgsh function failed: see [`Error::kind`] and [`Error::code`].
    Pgsh(Error),
    /// The script threw a value of its own (`throw #{field: "email", message: "…"}` or `throw "text"`),
    /// as JSON.
    Thrown(serde_json::Value),
    /// Every session was busy for longer than the queue timeout: nothing was run.
    Busy(String),
    /// The script or the call is wrong: a syntax error, an unknown function, a type mismatch, a limit
    /// reached. The text says what and where.
    Script(String),
    /// The arguments could not be given to Rhai, or the result does not fit the Rust type asked for.
    Convert(String),
}

impl CallError {
    /// The pgsh error, for a [`CallError::Pgsh`].
    pub fn pgsh(&self) -> Option<&Error> {
        match self {
            CallError::Pgsh(e) => Some(e),
            _ => None,
        }
    }

    /// Is this "the database cannot be reached now" (no connection after the retry policy, a lost
    /// connection, every session busy)? An HTTP service answers 503 to it.
    pub fn is_unavailable(&self) -> bool {
        match self {
            CallError::Busy(_) => true,
            CallError::Pgsh(e) => {
                matches!(e.kind(), ErrorKind::Connect | ErrorKind::ConnectionLost)
            }
            _ => false,
        }
    }

    /// The SQLSTATE of a failed statement or connection, if pgsh has one.
    pub fn code(&self) -> Option<&crate::error::SqlState> {
        self.pgsh().and_then(Error::code)
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Pgsh(e) => match e.code() {
                Some(code) if e.db().is_none() => write!(f, "{e} (SQLSTATE {})", code.code()),
                _ => write!(f, "{e}"),
            },
            CallError::Thrown(v) => write!(f, "the script threw {v}"),
            CallError::Busy(m) | CallError::Script(m) | CallError::Convert(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Pgsh(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for CallError {
    fn from(e: Error) -> Self {
        CallError::Pgsh(e)
    }
}
