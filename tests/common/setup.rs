//! Process-wide setup for native clusters: finding the PostgreSQL binaries and the user to run them as, the
//! per-process directory with its cleanup watchdog, and the template data directory every cluster copies.
//!
//! Layout: `<tmp>/pgsh-test-<pid>-<stamp>/` per test process, holding the clusters (`c<N>/`) and, when no
//! shared template can be used, a private one. The shared template lives in `$CARGO_TARGET_TMPDIR`
//! (target/tmp) and is built once under a file lock, whichever test binary gets there first. A detached
//! watchdog shell removes the per-process dir (stopping any server left in it) once the test process is
//! gone: statics are never dropped, and a killed test binary runs no destructors at all.

use std::collections::hash_map::DefaultHasher;
use std::env;
use std::ffi::{CString, OsStr};
use std::fs;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::process::{run_captured, sh_quote, Captured};

/// initdb, pg_ctl and cp get this long before we give up on them.
const TOOL_TIMEOUT: Duration = Duration::from_secs(90);

/// `--wal-segsize=1` shrinks the data directory from 39 to 28 MB, which is what every cluster copies.
const INITDB_ARGS: &[&str] = &[
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
    "--wal-segsize=1",
];

/// Appended to the template's postgresql.conf. Per-cluster settings live in `pgsh_cluster.conf`, included last
/// so they win; ALTER SYSTEM (postgresql.auto.conf) still overrides both.
const TEMPLATE_CONF: &str = "
# --- pgsh test harness ---
# Durability is worthless for throwaway clusters. synchronous_commit stays on: with fsync off a commit costs
# one write(), and leaving it on keeps committed rows across kill(), so crash tests are not flaky.
fsync = off
full_page_writes = off
shared_buffers = 16MB
wal_level = minimal
max_wal_senders = 0
autovacuum = off
# Deterministic output whatever the host's time zone is.
timezone = 'UTC'
log_timezone = 'UTC'
listen_addresses = ''
include_if_exists = 'pgsh_cluster.conf'
";

pub(super) struct Install {
    bindir: PathBuf,
    pub(super) psql: PathBuf,
    /// Set when we are root: initdb and postgres refuse to run as root.
    server_user: Option<ServerUser>,
}

struct ServerUser {
    name: String,
    uid: u32,
    gid: u32,
    switch: Switch,
}

enum Switch {
    Runuser(PathBuf),
    Su(PathBuf),
}

pub(super) struct Env {
    pub(super) install: Install,
    /// This process's dir for clusters; removed by the watchdog after the process exits.
    pub(super) base: PathBuf,
    /// The template data dir that each cluster copies.
    pub(super) template: PathBuf,
}

enum Setup {
    Ready(Env),
    Missing(String),
    Broken(String),
}

pub(super) fn env_or_skip() -> Option<&'static Env> {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    match SETUP.get_or_init(setup) {
        Setup::Ready(env) => Some(env),
        Setup::Broken(msg) => panic!("native PostgreSQL test setup failed: {msg}"),
        Setup::Missing(reason) => {
            if env::var_os("PGSH_REQUIRE_NATIVE_PG").is_some_and(|v| v == "1") {
                panic!(
                    "PGSH_REQUIRE_NATIVE_PG=1 but native PostgreSQL is not usable: {reason} \
                     (install the postgresql package, or set PGSH_TEST_PG_BINDIR)"
                );
            }
            let current = thread::current();
            let test = current.name().unwrap_or("this test");
            notice(&format!(
                "native PostgreSQL not found: skipping {test} ({reason})"
            ));
            None
        }
    }
}

fn setup() -> Setup {
    let install = match find_install() {
        Ok(i) => i,
        Err(reason) => return Setup::Missing(reason),
    };
    let base = match make_base_dir(&install) {
        Ok(b) => b,
        Err(e) => return Setup::Broken(e),
    };
    spawn_watchdog(&base);
    match template(&install, &base) {
        Ok(template) => Setup::Ready(Env {
            install,
            base,
            template,
        }),
        Err(e) => Setup::Broken(e),
    }
}

fn find_install() -> Result<Install, String> {
    let bindir = find_bindir()?;
    let psql = [bindir.join("psql")]
        .into_iter()
        .chain(search_path("psql"))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("no psql next to {} or on PATH", bindir.display()))?;
    // SAFETY: geteuid cannot fail.
    let server_user = if unsafe { libc::geteuid() } == 0 {
        let (uid, gid) = lookup_user("postgres").ok_or(
            "running as root, and there is no `postgres` system user to run the server as",
        )?;
        let switch = if let Some(r) = find_program("runuser") {
            Switch::Runuser(r)
        } else if let Some(s) = find_program("su") {
            Switch::Su(s)
        } else {
            return Err("running as root, and neither runuser nor su is available".into());
        };
        Some(ServerUser {
            name: "postgres".into(),
            uid,
            gid,
            switch,
        })
    } else {
        None
    };
    Ok(Install {
        bindir,
        psql,
        server_user,
    })
}

/// PGSH_TEST_PG_BINDIR, else initdb on PATH (resolved through symlinks, so pg_ctl and postgres come from
/// the same install), else the newest /usr/lib/postgresql/<version>/bin.
fn find_bindir() -> Result<PathBuf, String> {
    let complete = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    if let Some(dir) = env::var_os("PGSH_TEST_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        return if complete(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "PGSH_TEST_PG_BINDIR={} lacks initdb, pg_ctl or postgres",
                dir.display()
            ))
        };
    }
    for initdb in search_path("initdb") {
        let resolved = fs::canonicalize(&initdb).unwrap_or_else(|_| initdb.clone());
        for dir in [resolved.parent(), initdb.parent()].into_iter().flatten() {
            if complete(dir) {
                return Ok(dir.to_path_buf());
            }
        }
    }
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let version = name
                .split('.')
                .map(|p| p.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| complete(dir))
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, dir)| dir)
        .ok_or_else(|| "no initdb on PATH or in /usr/lib/postgresql/*/bin".to_string())
}

fn search_path(name: &str) -> Vec<PathBuf> {
    env::var_os("PATH")
        .map(|p| {
            env::split_paths(&p)
                .map(|d| d.join(name))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

fn find_program(name: &str) -> Option<PathBuf> {
    search_path(name).into_iter().next().or_else(|| {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(name))
            .find(|p| p.is_file())
    })
}

fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let cname = CString::new(name).ok()?;
    // SAFETY: getpwnam returns null or a pointer to static storage, read at once; it runs only inside the
    // OnceLock initialiser, so no other harness thread calls it concurrently.
    unsafe {
        let pw = libc::getpwnam(cname.as_ptr());
        if pw.is_null() {
            None
        } else {
            Some(((*pw).pw_uid, (*pw).pw_gid))
        }
    }
}

impl Install {
    /// Runs a server binary (initdb, pg_ctl) as the server user, with no PG* variables from the test
    /// environment and from `/`, since the server user may not be able to enter our working directory.
    pub(super) fn server_tool(&self, program: &str, args: &[&OsStr]) -> Captured {
        let prog = self.bindir.join(program);
        let mut cmd = match &self.server_user {
            None => {
                let mut c = Command::new(&prog);
                c.args(args);
                c
            }
            Some(ServerUser {
                name,
                switch: Switch::Runuser(runuser),
                ..
            }) => {
                let mut c = Command::new(runuser);
                c.arg("-u").arg(name).arg("--").arg(&prog).args(args);
                c
            }
            Some(ServerUser {
                name,
                switch: Switch::Su(su),
                ..
            }) => {
                let mut line = sh_quote(prog.as_os_str());
                for a in args {
                    line.push(' ');
                    line.push_str(&sh_quote(a));
                }
                let mut c = Command::new(su);
                c.arg(name).arg("-s").arg("/bin/sh").arg("-c").arg(line);
                c
            }
        };
        scrub_pg_env(&mut cmd);
        cmd.env("LC_ALL", "C").current_dir("/");
        run_tool(cmd, program)
    }

    pub(super) fn give_to_server(&self, path: &Path) {
        if let Some(u) = &self.server_user {
            std::os::unix::fs::chown(path, Some(u.uid), Some(u.gid))
                .unwrap_or_else(|e| panic!("chown {} to {}: {e}", path.display(), u.name));
        }
    }
}

pub(super) fn run_tool(cmd: Command, what: &str) -> Captured {
    run_captured(cmd, None, TOOL_TIMEOUT).unwrap_or_else(|e| panic!("could not run {what}: {e}"))
}

/// Test runs must not pick up the developer's PGHOST, PGDATA, PGOPTIONS and the like.
pub(super) fn scrub_pg_env(cmd: &mut Command) {
    for (key, _) in env::vars_os() {
        if key.to_string_lossy().starts_with("PG") {
            cmd.env_remove(key);
        }
    }
}

/// Where the per-process dir goes: PGSH_TEST_TMPDIR if set; else /dev/shm when it has room, because copying
/// the template means creating ~1000 files, which on the disk stalls behind other I/O (0.05 s on tmpfs,
/// up to 0.9 s on a busy ext4); else TMPDIR, unless the server user cannot reach it or it is too long for a
/// unix socket path (max 107 bytes); else /tmp.
fn tmp_parent(install: &Install) -> PathBuf {
    if let Some(dir) = env::var_os("PGSH_TEST_TMPDIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let usable = |dir: &Path| {
        dir.as_os_str().len() <= 40
            && dir.is_dir()
            && (install.server_user.is_none() || world_traversable(dir))
    };
    let shm = Path::new("/dev/shm");
    if usable(shm) && free_bytes(shm).is_some_and(|free| free >= 2 << 30) {
        return shm.to_path_buf();
    }
    let tmp = env::temp_dir();
    if usable(&tmp) {
        tmp
    } else {
        PathBuf::from("/tmp")
    }
}

fn free_bytes(dir: &Path) -> Option<u64> {
    let c = CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
    // SAFETY: statvfs fills the zeroed struct we pass; the path is a valid C string.
    unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        (libc::statvfs(c.as_ptr(), &mut st) == 0).then(|| st.f_bavail as u64 * st.f_frsize as u64)
    }
}

fn make_base_dir(install: &Install) -> Result<PathBuf, String> {
    let parent = tmp_parent(install);
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or(0);
    for n in 0..100 {
        let dir = parent.join(format!("pgsh-test-{}-{:x}{n}", std::process::id(), stamp));
        match fs::create_dir(&dir) {
            Ok(()) => {
                // The server user only needs to traverse this; each cluster dir below is private.
                fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))
                    .map_err(|e| format!("chmod {}: {e}", dir.display()))?;
                return Ok(dir);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("create {}: {e}", dir.display())),
        }
    }
    Err(format!("no free directory name under {}", parent.display()))
}

fn world_traversable(dir: &Path) -> bool {
    dir.ancestors().all(|d| {
        fs::metadata(d)
            .map(|m| m.permissions().mode() & 0o001 != 0)
            .unwrap_or(false)
    })
}

/// Waits for this process to end (or turn zombie), then stops leftover servers and removes `base`.
fn spawn_watchdog(base: &Path) {
    const SCRIPT: &str = r#"
trap '' HUP INT
pid=$1 dir=$2
alive() {
    s=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
    [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}
while alive "$pid"; do sleep 1; done
running() {
    for f in "$dir"/c*/data/postmaster.pid; do
        [ -f "$f" ] || continue
        p=$(head -n 1 "$f")
        if alive "$p" && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = postgres ]; then echo "$p"; fi
    done
}
for p in $(running); do kill -QUIT "$p" 2>/dev/null; done
i=0
while [ $i -lt 100 ] && [ -n "$(running)" ]; do sleep 0.1; i=$((i + 1)); done
rm -rf "$dir"
"#;
    let spawned = Command::new("/bin/sh")
        .arg("-c")
        .arg(SCRIPT)
        .arg("pgsh-test-watchdog")
        .arg(std::process::id().to_string())
        .arg(base)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: Ctrl-C on the test run must not take the cleaner down with it.
        .process_group(0)
        .spawn();
    if let Err(e) = spawned {
        eprintln!(
            "pgsh test harness: no cleanup watchdog ({e}); {} may be left behind if the tests are killed",
            base.display()
        );
    }
}

fn template(install: &Install, base: &Path) -> Result<PathBuf, String> {
    // Sharing one template between test binaries (and runs) saves an initdb per binary, which adds up with
    // cargo-nextest's process per test. Any trouble with the shared copy falls back to a private one.
    if let Some(root) = option_env!("CARGO_TARGET_TMPDIR") {
        match shared_template(install, base, Path::new(root)) {
            Ok(data) => return Ok(data),
            Err(e) => notice(&format!(
                "pgsh test harness: shared template under {root} unusable ({e}); building a private one"
            )),
        }
    }
    build_template(install, base)
}

fn shared_template(install: &Install, base: &Path, root: &Path) -> Result<PathBuf, String> {
    let name = format!("pgsh-template-{:016x}", template_key(install));
    let ready_dir = root.join(&name);
    let ready = |d: &Path| d.join("ready").is_file() && d.join("data/PG_VERSION").is_file();
    if ready(&ready_dir) {
        return Ok(ready_dir.join("data"));
    }
    fs::create_dir_all(root).map_err(|e| format!("create {}: {e}", root.display()))?;
    let lock_path = root.join(format!("{name}.lock"));
    let lock =
        fs::File::create(&lock_path).map_err(|e| format!("create {}: {e}", lock_path.display()))?;
    // SAFETY: flock on an fd we own; the lock goes away with the fd, even if this process is killed.
    if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(format!(
            "flock {}: {}",
            lock_path.display(),
            std::io::Error::last_os_error()
        ));
    }
    if ready(&ready_dir) {
        return Ok(ready_dir.join("data"));
    }
    let built = build_template(install, base)?;
    let staging = root.join(format!("{name}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir(&staging).map_err(|e| format!("create {}: {e}", staging.display()))?;
    let mut cp = Command::new("cp");
    cp.arg("-a").arg(&built).arg(staging.join("data"));
    let out = run_tool(cp, "cp -a <template> <shared template>");
    if !out.success() {
        let _ = fs::remove_dir_all(&staging);
        return Err(format!("cp -a {}: {}", built.display(), out.stderr));
    }
    fs::write(staging.join("ready"), "")
        .map_err(|e| format!("write {}/ready: {e}", staging.display()))?;
    // Only a half-built leftover of a killed run can be in the way: a ready one was checked under the lock.
    let _ = fs::remove_dir_all(&ready_dir);
    fs::rename(&staging, &ready_dir).map_err(|e| {
        format!(
            "rename {} to {}: {e}",
            staging.display(),
            ready_dir.display()
        )
    })?;
    if let Some(work) = built.parent() {
        let _ = fs::remove_dir_all(work);
    }
    Ok(ready_dir.join("data"))
}

/// Anything that would make a cached template wrong for this run: another install, server user or settings.
fn template_key(install: &Install) -> u64 {
    let mut h = DefaultHasher::new();
    install.bindir.hash(&mut h);
    for bin in ["initdb", "postgres"] {
        if let Ok(m) = fs::metadata(install.bindir.join(bin)) {
            (m.len(), m.mtime(), m.mtime_nsec(), m.ino()).hash(&mut h);
        }
    }
    install
        .server_user
        .as_ref()
        .map(|u| (u.uid, u.gid))
        .hash(&mut h);
    INITDB_ARGS.hash(&mut h);
    TEMPLATE_CONF.hash(&mut h);
    h.finish()
}

/// initdb into a fresh dir under `base`; returns the data dir.
fn build_template(install: &Install, base: &Path) -> Result<PathBuf, String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let work = base.join(format!("template-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
    fs::create_dir(&work).map_err(|e| format!("create {}: {e}", work.display()))?;
    set_mode(&work, 0o700);
    install.give_to_server(&work);
    let data = work.join("data");
    let mut args: Vec<&OsStr> = vec!["-D".as_ref(), data.as_os_str()];
    args.extend(INITDB_ARGS.iter().map(OsStr::new));
    let started = Instant::now();
    let out = install.server_tool("initdb", &args);
    if !out.success() {
        return Err(format!(
            "{} {} {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            install.bindir.join("initdb").display(),
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            out.describe_status(),
            out.stdout,
            out.stderr
        ));
    }
    let conf = data.join("postgresql.conf");
    let mut text =
        fs::read_to_string(&conf).map_err(|e| format!("read {}: {e}", conf.display()))?;
    text.push_str(TEMPLATE_CONF);
    fs::write(&conf, text).map_err(|e| format!("write {}: {e}", conf.display()))?;
    if env::var_os("PGSH_TEST_VERBOSE").is_some() {
        notice(&format!(
            "pgsh test harness: initdb took {:?}",
            started.elapsed()
        ));
    }
    Ok(data)
}

/// Straight to fd 2: libtest captures `eprintln!` of passing tests, and a skip must show in CI logs.
pub(super) fn notice(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{msg}");
}

pub(super) fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}
