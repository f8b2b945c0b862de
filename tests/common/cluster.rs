//! Throwaway native PostgreSQL clusters for integration tests: their options, lifecycle (start, stop, crash,
//! restart), connection details and psql access. Finding the binaries and the template is in setup.rs.
//!
//! Each cluster lives in `<per-process dir>/c<N>/` (mode 0700, owned by the server user), which holds
//! `data/`, `server.log` and the unix socket, so clusters never share a socket name or a lock file.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use super::process::run_captured;
use super::setup::{env_or_skip, run_tool, scrub_pg_env, set_mode, Env};

/// How long a psql call from the harness may take (setup scripts such as Chinook included).
const PSQL_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a stop or kill may take before it is reported as hung.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);
const LOG_TAIL_LINES: usize = 40;

/// TLS material for `ssl = on`; the files are copied into the cluster dir with the ownership and mode the
/// server insists on (key 0600, owned by the server user).
#[derive(Clone, Debug)]
pub struct SslFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// CA bundle for client certificates (`ssl_ca_file`).
    pub root_cert: Option<PathBuf>,
}

#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// false: the cluster is prepared (port and URL fixed) but not started, for "server comes up later" tests.
    pub start: bool,
    /// The server keeps `min(3, n - 1)` of these slots for superusers (`postgres` is one).
    pub max_connections: Option<u32>,
    /// Also listen on 127.0.0.1:[`NativeCluster::port`].
    pub tcp: bool,
    /// (role, password): created with LOGIN CREATEDB and CREATE on schema public; pg_hba requires
    /// scram-sha-256 for it on the socket and on TCP, every other role is trusted.
    pub password_user: Option<(String, String)>,
    pub ssl: Option<SslFiles>,
    /// postgresql.conf lines appended last, e.g. `"log_connections = on"`.
    pub extra_conf: Vec<String>,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            start: true,
            max_connections: None,
            tcp: false,
            password_user: None,
            ssl: None,
            extra_conf: Vec::new(),
        }
    }
}

/// One private PostgreSQL server. Dropping it stops the server (immediate mode) and deletes its files.
pub struct NativeCluster {
    inner: Arc<Inner>,
}

struct Inner {
    env: &'static Env,
    dir: PathBuf,
    data: PathBuf,
    log: PathBuf,
    /// Changes only while the very first start looks for a TCP port nobody else grabbed.
    port: AtomicU16,
    tcp: bool,
    /// Every settings line except the port, which is written alongside.
    conf: Vec<String>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    running: bool,
    /// The postmaster was SIGKILLed: its postmaster.pid and socket lock are stale, and the dead postmaster
    /// may linger as a zombie until init reaps it, which the new server would take for a live one.
    killed: bool,
    dropped: bool,
}

impl NativeCluster {
    /// A started cluster with default options; `None` (with a notice) if PostgreSQL is not installed.
    pub fn start() -> Option<NativeCluster> {
        Self::with(ClusterOptions::default())
    }

    pub fn with(opts: ClusterOptions) -> Option<NativeCluster> {
        let env = env_or_skip()?;
        let cluster = NativeCluster {
            inner: Arc::new(Inner::create(env, &opts)),
        };
        let mut st = cluster.inner.lock();
        if opts.start || opts.password_user.is_some() {
            cluster.inner.start_locked(&mut st, true);
        }
        if let Some((user, password)) = &opts.password_user {
            // Done before anyone has the URL: created on a later start, the role would race a client that
            // connects as soon as the server accepts connections.
            cluster.inner.create_role(user, password);
            if !opts.start {
                cluster
                    .inner
                    .stop_locked(&mut st, libc::SIGINT)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        drop(st);
        Some(cluster)
    }

    /// The unix socket directory (the cluster's private dir).
    pub fn socket_dir(&self) -> &Path {
        &self.inner.dir
    }

    /// The server port: the number in the socket name and, with `tcp`, the TCP port.
    pub fn port(&self) -> u16 {
        self.inner.port()
    }

    pub fn tcp_port(&self) -> Option<u16> {
        self.inner.tcp.then(|| self.inner.port())
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data
    }

    /// `postgres://postgres@/postgres?host=<socket dir>&port=<port>`
    pub fn url(&self) -> String {
        self.url_for("postgres", "postgres")
    }

    pub fn url_for(&self, db: &str, user: &str) -> String {
        format!(
            "postgres://{}@/{}?host={}&port={}",
            pct(user),
            pct(db),
            pct(&self.inner.dir.to_string_lossy()),
            self.port()
        )
    }

    /// `postgres://<user>@127.0.0.1:<port>/<db>` when the cluster listens on TCP.
    pub fn tcp_url_for(&self, db: &str, user: &str) -> Option<String> {
        self.tcp_port()
            .map(|port| format!("postgres://{}@127.0.0.1:{port}/{}", pct(user), pct(db)))
    }

    /// libpq environment for this cluster (for `Command::envs`): PGHOST, PGPORT, PGUSER, PGDATABASE.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            (
                "PGHOST".to_string(),
                self.inner.dir.to_string_lossy().into_owned(),
            ),
            ("PGPORT".to_string(), self.port().to_string()),
            ("PGUSER".to_string(), "postgres".to_string()),
            ("PGDATABASE".to_string(), "postgres".to_string()),
        ]
    }

    /// Runs SQL (any psql script, meta-commands included) as the superuser in database `postgres`; returns
    /// stdout (`-At`, no command tags) without its final newline. Panics with psql's stderr on any error.
    pub fn psql(&self, sql: &str) -> String {
        self.psql_db("postgres", sql)
    }

    pub fn psql_db(&self, db: &str, sql: &str) -> String {
        self.inner
            .psql_as(db, "postgres", sql)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Runs a script file with `psql -f` (errors then name the file and line), e.g. [`super::chinook_sql`],
    /// which creates and fills database `chinook` by itself.
    pub fn psql_file(&self, db: &str, path: &Path) -> String {
        let mut cmd = self.inner.psql_command(db, "postgres");
        cmd.arg("-f").arg(path);
        self.inner
            .run_psql(cmd, None, &format!("-f {}", path.display()))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The system psql set up for this cluster's socket as `user` on `db` (`-X -q -w -At -v ON_ERROR_STOP=1`,
    /// no inherited PG* variables), for tests that need their own environment (PGPASSWORD, PGSSLMODE, ...)
    /// or arguments. Feed SQL with `-c` or on stdin.
    pub fn psql_command(&self, db: &str, user: &str) -> Command {
        self.inner.psql_command(db, user)
    }

    /// The psql the harness uses (from the server's install when it has one), for tests that want a bare one.
    pub fn psql_binary(&self) -> &Path {
        &self.inner.env.install.psql
    }

    /// Fast shutdown (clients are disconnected with 57P01). A no-op when the server is not running.
    pub fn stop(&self) {
        let mut st = self.inner.lock();
        self.inner
            .stop_locked(&mut st, libc::SIGINT)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Starts a stopped (or killed, or never started) server on the same port and socket.
    pub fn start_again(&self) {
        self.inner.start_again();
    }

    pub fn restart(&self) {
        let mut st = self.inner.lock();
        self.inner
            .stop_locked(&mut st, libc::SIGINT)
            .unwrap_or_else(|e| panic!("{e}"));
        self.inner.start_locked(&mut st, false);
    }

    /// Simulates a crash: SIGKILL to the postmaster, then waits until its children have gone too (they exit
    /// on noticing the postmaster's death), so [`start_again`](Self::start_again) can run crash recovery.
    pub fn kill(&self) {
        let mut st = self.inner.lock();
        assert!(
            st.running,
            "kill(): the server in {} is not running",
            self.inner.dir.display()
        );
        self.inner
            .kill_locked(&mut st)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Starts the server after `delay` on a background thread. Join the handle to see a failed start as a
    /// panic; dropping the cluster first cancels the start.
    pub fn start_in_background_after(&self, delay: Duration) -> thread::JoinHandle<()> {
        let inner = Arc::clone(&self.inner);
        thread::Builder::new()
            .name(format!("pg-start-after-{}ms", delay.as_millis()))
            .spawn(move || {
                thread::sleep(delay);
                inner.start_again();
            })
            .expect("spawn the delayed-start thread")
    }

    pub fn is_running(&self) -> bool {
        self.inner.lock().running
    }

    /// The last lines of the server log, for failure messages.
    pub fn log_tail(&self) -> String {
        self.inner.log_tail(LOG_TAIL_LINES)
    }
}

impl Drop for NativeCluster {
    fn drop(&mut self) {
        let mut st = self.inner.lock();
        st.dropped = true;
        if st.running {
            if let Err(e) = self.inner.stop_locked(&mut st, libc::SIGQUIT) {
                eprintln!("pgsh test harness: {e}; killing it");
                let _ = self.inner.kill_locked(&mut st);
            }
        }
        if let Err(e) = fs::remove_dir_all(&self.inner.dir) {
            eprintln!(
                "pgsh test harness: could not remove {}: {e}",
                self.inner.dir.display()
            );
        }
    }
}

impl Inner {
    fn create(env: &'static Env, opts: &ClusterOptions) -> Inner {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = env
            .base
            .join(format!("c{}", NEXT.fetch_add(1, Ordering::Relaxed)));
        fs::create_dir(&dir)
            .unwrap_or_else(|e| panic!("create cluster dir {}: {e}", dir.display()));
        set_mode(&dir, 0o700);
        env.install.give_to_server(&dir);
        let data = dir.join("data");
        let out = run_tool(
            {
                let mut c = Command::new("cp");
                c.arg("-a").arg(&env.template).arg(&data);
                c
            },
            "cp -a <template> <cluster>",
        );
        if !out.success() {
            panic!(
                "copying the template data dir {} to {} failed ({}): {}",
                env.template.display(),
                data.display(),
                out.describe_status(),
                out.stderr
            );
        }

        let mut conf = vec![
            format!(
                "unix_socket_directories = {}",
                conf_quote(&dir.to_string_lossy())
            ),
            format!(
                "listen_addresses = '{}'",
                if opts.tcp { "127.0.0.1" } else { "" }
            ),
        ];
        if let Some(n) = opts.max_connections {
            assert!(n >= 1, "max_connections must be at least 1");
            conf.push(format!("max_connections = {n}"));
            // The server refuses to start unless the reserved slots are fewer than max_connections.
            conf.push(format!(
                "superuser_reserved_connections = {}",
                (n - 1).min(3)
            ));
        }
        if let Some(ssl) = &opts.ssl {
            conf.push("ssl = on".to_string());
            let files = [
                ("server.crt", Some(&ssl.cert), "ssl_cert_file"),
                ("server.key", Some(&ssl.key), "ssl_key_file"),
                ("root.crt", ssl.root_cert.as_ref(), "ssl_ca_file"),
            ];
            for (name, src, setting) in files {
                let Some(src) = src else { continue };
                let dst = dir.join(name);
                fs::copy(src, &dst)
                    .unwrap_or_else(|e| panic!("copy {} to {}: {e}", src.display(), dst.display()));
                set_mode(&dst, 0o600);
                env.install.give_to_server(&dst);
                conf.push(format!(
                    "{setting} = {}",
                    conf_quote(&dst.to_string_lossy())
                ));
            }
        }
        conf.extend(opts.extra_conf.iter().cloned());

        if let Some((user, _)) = &opts.password_user {
            assert!(
                !user.contains(['"', '\n']),
                "password_user name {user:?}: quotes and newlines are not supported"
            );
            let hba = format!(
                "# pgsh test harness: {user:?} must authenticate, everyone else is trusted\n\
                 local all \"{user}\" scram-sha-256\n\
                 host all \"{user}\" 127.0.0.1/32 scram-sha-256\n\
                 host all \"{user}\" ::1/128 scram-sha-256\n\
                 local all all trust\n\
                 host all all 127.0.0.1/32 trust\n\
                 host all all ::1/128 trust\n\
                 local replication all trust\n"
            );
            let path = data.join("pg_hba.conf");
            fs::write(&path, hba).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
            env.install.give_to_server(&path);
        }

        let inner = Inner {
            env,
            log: dir.join("server.log"),
            dir,
            data,
            port: AtomicU16::new(free_port()),
            tcp: opts.tcp,
            conf,
            state: Mutex::new(State::default()),
        };
        inner.write_conf();
        inner
    }

    /// Also brings `running` up to date: the server may have died on its own, or a failed start (pg_ctl
    /// timing out) may have left one running that we never recorded.
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock (a failed start) must not stop Drop from cleaning up.
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let pid = self.postmaster_pid();
        let alive = pid.is_some_and(|p| self.is_our_server(p));
        if st.running && !alive {
            st.running = false;
            st.killed |= pid.is_some();
        } else if !st.running && alive {
            st.running = true;
        }
        st
    }

    fn port(&self) -> u16 {
        self.port.load(Ordering::SeqCst)
    }

    fn write_conf(&self) {
        let mut text = format!(
            "# pgsh test harness: this cluster's settings\nport = {}\n",
            self.port()
        );
        for line in &self.conf {
            text.push_str(line);
            text.push('\n');
        }
        let path = self.data.join("pgsh_cluster.conf");
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self.env.install.give_to_server(&path);
    }

    fn start_again(&self) {
        let mut st = self.lock();
        if st.dropped {
            return;
        }
        assert!(
            !st.running,
            "start_again(): the server in {} is already running",
            self.dir.display()
        );
        self.start_locked(&mut st, false);
    }

    /// `new_port_ok`: only before anyone saw the port may a clash on it be solved by moving to another one.
    fn start_locked(&self, st: &mut State, new_port_ok: bool) {
        if st.killed {
            self.remove_stale_lock_files();
        }
        const ATTEMPTS: usize = 8;
        for attempt in 1..=ATTEMPTS {
            let log_start = fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0);
            let out = self.env.install.server_tool(
                "pg_ctl",
                &[
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "30".as_ref(),
                    "-D".as_ref(),
                    self.data.as_os_str(),
                    "-l".as_ref(),
                    self.log.as_os_str(),
                    "start".as_ref(),
                ],
            );
            if out.success() {
                st.running = true;
                st.killed = false;
                break;
            }
            let new_log = read_from(&self.log, log_start);
            if self.tcp && new_log.contains("Address already in use") && attempt < ATTEMPTS {
                if new_port_ok {
                    self.port.store(free_port(), Ordering::SeqCst);
                    self.write_conf();
                } else {
                    thread::sleep(Duration::from_millis(250));
                }
                continue;
            }
            panic!(
                "PostgreSQL in {} failed to start: pg_ctl {}\n--- pg_ctl output ---\n{}{}\n--- server log tail ---\n{}",
                self.dir.display(),
                out.describe_status(),
                out.stdout,
                out.stderr,
                self.log_tail(LOG_TAIL_LINES)
            );
        }
    }

    /// template1 gets the grant too, so databases the test creates later have it.
    fn create_role(&self, user: &str, password: &str) {
        let role = format!("\"{}\"", user.replace('"', "\"\""));
        let sql = format!(
            "CREATE ROLE {role} LOGIN CREATEDB PASSWORD {};\n\
             GRANT ALL ON SCHEMA public TO {role};\n\
             \\c template1\n\
             GRANT ALL ON SCHEMA public TO {role};\n",
            sql_literal(password)
        );
        self.psql_as("postgres", "postgres", &sql)
            .unwrap_or_else(|e| panic!("creating the password role {user:?}: {e}"));
    }

    /// `sig`: SIGINT = fast shutdown, SIGQUIT = immediate. Waits for postmaster.pid to disappear, which the
    /// postmaster removes last, after closing its sockets.
    fn stop_locked(&self, st: &mut State, sig: libc::c_int) -> Result<(), String> {
        if !st.running {
            return Ok(());
        }
        let Some(pid) = self.postmaster_pid() else {
            st.running = false;
            return Ok(());
        };
        // SAFETY: plain syscall on a pid read from our own cluster's postmaster.pid.
        unsafe { libc::kill(pid, sig) };
        let pid_file = self.data.join("postmaster.pid");
        let stopped = wait_until(STOP_TIMEOUT, || !pid_file.exists() || process_gone(pid));
        if !stopped {
            return Err(format!(
                "PostgreSQL in {} (pid {pid}) did not stop within {STOP_TIMEOUT:?}\n--- server log tail ---\n{}",
                self.dir.display(),
                self.log_tail(LOG_TAIL_LINES)
            ));
        }
        st.running = false;
        if pid_file.exists() {
            // It died without cleaning up (crashed on its own).
            st.killed = true;
        }
        Ok(())
    }

    fn kill_locked(&self, st: &mut State) -> Result<(), String> {
        let Some(pid) = self.postmaster_pid() else {
            st.running = false;
            return Ok(());
        };
        let mut pids = children_of(pid);
        pids.push(pid);
        // SAFETY: plain syscall on a pid read from our own cluster's postmaster.pid.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        st.running = false;
        st.killed = true;
        // Backends busy in a query only notice the postmaster's death when they next wait; don't let one stall
        // the restart (it would keep the old shared memory attached).
        if !wait_until(Duration::from_secs(10), || {
            pids.iter().all(|&p| process_gone(p))
        }) {
            for &p in &pids {
                // SAFETY: plain syscall; these were the postmaster's children a moment ago.
                unsafe { libc::kill(p, libc::SIGKILL) };
            }
            if !wait_until(STOP_TIMEOUT, || pids.iter().all(|&p| process_gone(p))) {
                return Err(format!(
                    "children {pids:?} of the killed postmaster in {} did not exit",
                    self.dir.display()
                ));
            }
        }
        Ok(())
    }

    fn remove_stale_lock_files(&self) {
        let port = self.port();
        for path in [
            self.data.join("postmaster.pid"),
            self.dir.join(format!(".s.PGSQL.{port}.lock")),
            self.dir.join(format!(".s.PGSQL.{port}")),
        ] {
            let _ = fs::remove_file(path);
        }
    }

    /// A stale postmaster.pid can name a pid that was reused since, possibly by another cluster's server: ours
    /// runs in our data dir.
    fn is_our_server(&self, pid: libc::pid_t) -> bool {
        if process_gone(pid) {
            return false;
        }
        match fs::read_link(format!("/proc/{pid}/cwd")) {
            Ok(cwd) => fs::canonicalize(&self.data).is_ok_and(|data| data == cwd),
            Err(_) => true,
        }
    }

    fn postmaster_pid(&self) -> Option<libc::pid_t> {
        fs::read_to_string(self.data.join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    fn psql_command(&self, db: &str, user: &str) -> Command {
        let mut cmd = Command::new(&self.env.install.psql);
        scrub_pg_env(&mut cmd);
        cmd.env("LC_ALL", "C")
            .env("PGCONNECT_TIMEOUT", "10")
            .args(["-X", "-q", "-w", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.dir)
            .arg("-p")
            .arg(self.port().to_string())
            .arg("-U")
            .arg(user)
            .arg("-d")
            .arg(db);
        cmd
    }

    fn psql_as(&self, db: &str, user: &str, sql: &str) -> Result<String, String> {
        let mut cmd = self.psql_command(db, user);
        cmd.args(["-f", "-"]);
        self.run_psql(cmd, Some(sql), &format!("-d {db} -U {user}"))
    }

    fn run_psql(&self, cmd: Command, sql: Option<&str>, what: &str) -> Result<String, String> {
        let out = run_captured(cmd, sql.map(str::as_bytes), PSQL_TIMEOUT)
            .map_err(|e| format!("could not run {}: {e}", self.env.install.psql.display()))?;
        if out.success() {
            let mut stdout = out.stdout;
            while stdout.ends_with('\n') {
                stdout.pop();
            }
            return Ok(stdout);
        }
        let mut msg = format!(
            "psql {what} {} on the cluster in {}\n--- SQL ---\n{}\n--- stderr ---\n{}",
            out.describe_status(),
            self.dir.display(),
            clip(sql.unwrap_or("(from the file)"), 2000),
            out.stderr
        );
        if out.stderr.contains("connection to server") {
            let _ = write!(
                msg,
                "\n--- server log tail ---\n{}",
                self.log_tail(LOG_TAIL_LINES)
            );
        }
        Err(msg)
    }

    fn log_tail(&self, lines: usize) -> String {
        match fs::read(&self.log) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let all: Vec<&str> = text.lines().collect();
                all[all.len().saturating_sub(lines)..].join("\n")
            }
            Err(e) => format!("(no server log at {}: {e})", self.log.display()),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers.

/// A port nobody listens on right now. Ports handed out before are skipped: a just-dropped listener's port
/// can come straight back from the kernel, and two clusters of this process must not race for it.
fn free_port() -> u16 {
    static HANDED_OUT: OnceLock<Mutex<HashSet<u16>>> = OnceLock::new();
    let used = HANDED_OUT.get_or_init(Default::default);
    for _ in 0..200 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("bind 127.0.0.1:0 to find a free port")
            .port();
        if used.lock().unwrap_or_else(|e| e.into_inner()).insert(port) {
            return port;
        }
    }
    panic!("no unused TCP port after 200 tries");
}

/// Polls with a short, growing interval: shutdowns take milliseconds and we want to notice promptly.
fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// Exited, or a zombie: a reparented postmaster may wait a while for init to reap it, but holds nothing.
fn process_gone(pid: libc::pid_t) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_none_or(|state| state == 'Z' || state == 'X'),
        Err(_) => true,
    }
}

fn children_of(parent: libc::pid_t) -> Vec<libc::pid_t> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|pid| {
            fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let (_, rest) = stat.rsplit_once(')')?;
                    rest.split_whitespace().nth(1)?.parse::<libc::pid_t>().ok()
                })
                == Some(parent)
        })
        .collect()
}

fn read_from(path: &Path, offset: u64) -> String {
    let mut s = Vec::new();
    if let Ok(mut f) = fs::File::open(path) {
        if f.seek(SeekFrom::Start(offset)).is_ok() {
            let _ = f.read_to_end(&mut s);
        }
    }
    String::from_utf8_lossy(&s).into_owned()
}

fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn conf_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn sql_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes in all)", &s[..end], s.len())
}
