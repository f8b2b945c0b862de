//! Shared integration-test harness: throwaway native PostgreSQL clusters, and helpers to run the pgsh binary
//! (sealed, in the background, in a pseudo-terminal) and check what it printed.

pub mod child;
pub mod cli;
pub mod cluster;
pub mod files;
mod process;
pub mod proxy;
pub mod pty;
mod setup;
pub mod target;
pub mod text;

pub use child::{finish, interrupt_when, run_measured, spawn, wait_for_pgsh_session};
pub use cli::{chinook_sql, pgsh, script_file, script_file_named, Output, Pgsh};
pub use cluster::{ClusterOptions, NativeCluster, SslFiles};
pub use files::{walk, write};
pub use proxy::Proxy;
pub use pty::{cmd, expect, expect_line, pty, pty_with_args};
pub use target::{embedded, Target};
pub use text::{assert_block, lines};

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
