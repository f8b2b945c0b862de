//! Running the pgsh binary under test in a sealed environment, plus script and dataset file helpers.

use std::env;
use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use super::process::run_captured;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// Inherited variables that could change what pgsh connects to, reads or prints.
fn leaks_in(key: &str) -> bool {
    key.starts_with("PG")
        || key.starts_with("PSQL")
        || key.starts_with("XDG_")
        || matches!(
            key,
            "DATABASE_URL" | "PAGER" | "EDITOR" | "VISUAL" | "CLICOLOR_FORCE" | "FORCE_COLOR"
        )
}

/// A pgsh invocation being built. Owns the temp HOME, so keep it (or the `TempDir` from
/// [`into_parts`](Pgsh::into_parts)) alive as long as the process runs.
pub struct Pgsh {
    cmd: Command,
    home: Arc<tempfile::TempDir>,
    stdin: Option<String>,
    timeout: Duration,
}

/// The pgsh binary with a clean environment: no PG*, PSQL*, PGSH_*, DATABASE_URL, PAGER/EDITOR variables
/// inherited; HOME and the XDG dirs inside a fresh temp dir (no user config, history or rc file leaks in,
/// and nothing pgsh writes escapes); NO_COLOR=1; stdin /dev/null unless given. The working directory is the
/// temp HOME too, so stray relative paths can't touch the repo: pass absolute paths or set `current_dir`.
/// The cache directory all pgsh runs under test share.
pub fn shared_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pgsh-cache")
}

pub fn pgsh() -> Pgsh {
    let home = tempfile::Builder::new()
        .prefix("pgsh-home-")
        .tempdir()
        .expect("create a temp HOME for pgsh");
    pgsh_in(Arc::new(home))
}

fn pgsh_in(home: Arc<tempfile::TempDir>) -> Pgsh {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgsh"));
    for (key, _) in env::vars_os() {
        if leaks_in(&key.to_string_lossy()) {
            cmd.env_remove(key);
        }
    }
    point_home_at(&mut cmd, home.path());
    cmd.env("NO_COLOR", "1");
    Pgsh {
        cmd,
        home,
        stdin: None,
        timeout: DEFAULT_TIMEOUT,
    }
}

/// HOME, the XDG dirs and the working directory of `cmd`, all inside `h` (created as needed).
fn point_home_at(cmd: &mut Command, h: &Path) {
    let dirs = [
        ("XDG_CONFIG_HOME", h.join(".config")),
        ("XDG_DATA_HOME", h.join(".local/share")),
        ("XDG_STATE_HOME", h.join(".local/state")),
        // Shared by all runs: the embedded runtime (100 MB) is unpacked into the cache once, not per test.
        // It holds no user data (databases live in temporary or --data directories).
        ("XDG_CACHE_HOME", shared_cache()),
        ("XDG_RUNTIME_DIR", h.join(".runtime")),
    ];
    for (key, dir) in &dirs {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        cmd.env(key, dir);
    }
    // Programs that find XDG_RUNTIME_DIR group- or world-accessible ignore it.
    fs::set_permissions(
        &dirs[4].1,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("chmod 700 the temp XDG_RUNTIME_DIR");
    cmd.env("HOME", h).current_dir(h);
}

impl Pgsh {
    /// Use `home` (which the caller keeps alive) instead of the harness's own temp HOME, for runs that
    /// must share a HOME, such as two sessions reading one history file. Nothing then points into the
    /// harness's temp dir, so it may be dropped before the process ends.
    pub fn home_at(mut self, home: &Path) -> Self {
        point_home_at(&mut self.cmd, home);
        self
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Takes [`NativeCluster::env`](super::NativeCluster::env) directly.
    pub fn envs<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.cmd.envs(vars);
        self
    }

    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.cmd.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn stdin_str(mut self, input: &str) -> Self {
        self.stdin = Some(input.to_string());
        self
    }

    /// Default 120 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The temp HOME (config goes in `home().join(".config")`, XDG_CONFIG_HOME).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// For tests that drive pgsh themselves (e.g. expectrl on a pty): keep the second part alive as long as
    /// the process runs.
    pub fn into_parts(self) -> (Command, Arc<tempfile::TempDir>) {
        (self.cmd, self.home)
    }

    /// Like [`into_parts`](Self::into_parts), with the input given by [`stdin_str`](Self::stdin_str).
    pub fn into_parts_with_stdin(self) -> (Command, Arc<tempfile::TempDir>, Option<String>) {
        (self.cmd, self.home, self.stdin)
    }

    /// Runs to completion; past the timeout the process group is killed and the test panics with what the
    /// process had printed.
    pub fn run(self) -> Output {
        // The temp HOME is removed when this returns: nothing reads what a finished run left there (tests
        // that do keep their own directory, see `home_at`).
        let Pgsh {
            cmd,
            home: _home,
            stdin,
            timeout,
        } = self;
        let shown = format!("{cmd:?}");
        let out = run_captured(cmd, stdin.as_deref().map(str::as_bytes), timeout)
            .unwrap_or_else(|e| panic!("could not start pgsh ({shown}): {e}"));
        let output = Output {
            status: out.status.code(),
            stdout: out.stdout,
            stderr: out.stderr,
        };
        if out.timed_out {
            panic!("pgsh did not finish within {timeout:?} and was killed: {shown}\n{output}");
        }
        output
    }
}

/// What a finished pgsh run printed. `status` is `None` when it died from a signal.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn assert_ok(&self) -> &Self {
        self.assert_code(0)
    }

    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.status,
            Some(code),
            "pgsh exited with {:?}, expected {code}\n{self}",
            self.status
        );
        self
    }

    pub fn assert_stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "pgsh stdout lacks {needle:?}\n{self}"
        );
        self
    }

    pub fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "pgsh stderr lacks {needle:?}\n{self}"
        );
        self
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--- exit status: {:?} ---\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// Writes `contents` to `script.rhai` in a fresh temp dir; the file lives as long as the returned `TempDir`.
pub fn script_file(contents: &str) -> (tempfile::TempDir, PathBuf) {
    script_file_named("script.rhai", contents)
}

/// Like [`script_file`] with a chosen file name (the extension may matter to pgsh).
pub fn script_file_named(name: &str, contents: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("pgsh-script-")
        .tempdir()
        .expect("create a temp dir for a script");
    let path = dir.path().join(name);
    fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    (dir, path)
}

/// The Chinook dataset's PostgreSQL script: `../shared/datasets/chinook/Chinook_PostgreSql.sql` beside the
/// crate when present (`full`), else the cut-down copy in `tests/fixtures/chinook` (the same statements and
/// quirks, fewer rows), so the test never skips. The script drops and creates database `chinook` itself
/// (`psql -f` it, or feed it to `NativeCluster::psql_file`).
pub struct ChinookSql {
    pub path: PathBuf,
    pub full: bool,
}

pub fn chinook_sql() -> ChinookSql {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let full = root.join("../shared/datasets/chinook/Chinook_PostgreSql.sql");
    if full.is_file() {
        return ChinookSql {
            path: full,
            full: true,
        };
    }
    let mini = root.join("tests/fixtures/chinook/Chinook_PostgreSql_mini.sql");
    super::setup::notice(&format!(
        "Chinook dataset not found at {}: using the cut-down copy {}",
        full.display(),
        mini.display()
    ));
    ChinookSql {
        path: mini,
        full: false,
    }
}
