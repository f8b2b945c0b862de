//! Talking to PostgreSQL: connection parameters, TLS, the embedded server, pooling, retrying, sessions.

pub mod connect;
pub mod copy;
pub mod embedded;
pub mod fan_out;
pub mod pgpass;
pub mod pgresult;
pub mod pool;
pub mod profile;
pub mod raw;
pub mod resultset;
pub mod retry;
pub mod session;
pub mod simple_query;
pub mod target;
pub mod tls;
