//! Where a test run connects: the embedded database or a native cluster, for tests that check the same
//! behaviour on both.

use std::path::PathBuf;
use std::time::Duration;

use super::{pgsh, script_file, NativeCluster, Output, Pgsh};

/// Where a run connects.
pub enum Target<'a> {
    Embedded,
    Native(&'a NativeCluster),
}

impl Target<'_> {
    pub fn name(&self) -> &'static str {
        match self {
            Target::Embedded => "embedded",
            Target::Native(_) => "native",
        }
    }

    /// pgsh aimed at this target; the native cluster is named with `-d <url>`.
    pub fn pgsh(&self) -> Pgsh {
        match self {
            Target::Embedded => embedded(),
            Target::Native(pg) => pgsh().arg("-d").arg(pg.url()),
        }
    }

    /// Run a script file (written to a temp dir) on this target.
    pub fn script(&self, code: &str) -> (Output, PathBuf) {
        let (dir, path) = script_file(code);
        let out = self.pgsh().arg(&path).run();
        drop(dir);
        (out, path)
    }

    /// Run a script that must succeed; its stdout.
    pub fn ok(&self, code: &str) -> String {
        let (out, _) = self.script(code);
        out.assert_ok();
        out.stdout
    }
}

/// pgsh on the embedded database (the default when no server is named). A run takes about a second: 60 s
/// means it hung.
pub fn embedded() -> Pgsh {
    pgsh().timeout(Duration::from_secs(60))
}
