//! Shared integration-test harness: throwaway native PostgreSQL clusters and helpers to run the pgsh binary.
//!
//! Every `tests/*.rs` binary does `mod common;` and uses only part of this, hence the blanket allow.
#![allow(dead_code)]

pub mod cli;
pub mod cluster;
mod process;
mod setup;

// Each test binary uses a different subset; an unused re-export is not a mistake here.
#[allow(unused_imports)]
pub use cli::{chinook_sql, pgsh, script_file, script_file_named, Output, Pgsh};
#[allow(unused_imports)]
pub use cluster::{ClusterOptions, NativeCluster, SslFiles};

/// A started cluster with default options, or `None` (after a notice on stderr) when no PostgreSQL server
/// is installed. With `PGSH_REQUIRE_NATIVE_PG=1` a missing server is a panic instead, so CI cannot skip silently.
///
/// `let Some(pg) = common::native() else { return };`
pub fn native() -> Option<NativeCluster> {
    NativeCluster::start()
}

/// Like [`native`] with explicit options.
pub fn native_with(opts: ClusterOptions) -> Option<NativeCluster> {
    NativeCluster::with(opts)
}

/// `let pg = require_native!();` or `let pg = require_native!(opts);`: returns from the test when
/// PostgreSQL is not installed (same rules as [`native`]).
#[macro_export]
macro_rules! require_native {
    () => {
        match $crate::common::native() {
            Some(pg) => pg,
            None => return,
        }
    };
    ($opts:expr) => {
        match $crate::common::native_with($opts) {
            Some(pg) => pg,
            None => return,
        }
    };
}
