//! Why a connection string or the environment could not be read.

use std::error::Error;
use std::fmt;

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
