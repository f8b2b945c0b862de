//! The embedding API: pgsh's engine (connection resolution, sessions with the retry policy, typed rows,
//! transactions, the Rhai API) inside a Rust program, shared by its threads.
//!
//! A [`Pgsh`] is a fixed set of workers, each a thread with its own pgsh shell (one session, opened on
//! first use under the retry policy) and its own Rhai engine holding the scripts' functions. Calls from
//! any thread go to a queue; a free worker runs each and sends back the result as a Rust value. A call
//! that waits in the queue longer than [`Builder::queue_timeout`] fails with [`CallError::Busy`] without
//! running, so a caller never waits without end for a session.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // pgsh's embedded PostgreSQL (no server needed); one worker, since it serves one session.
//! let pgsh = pgsh::Pgsh::builder_embedded().build()?;
//! let n: i64 = pgsh.eval("query_value(\"SELECT 6 * 7\")")?;
//! assert_eq!(n, 42);
//! # Ok(())
//! # }
//! ```

mod call_error;
mod convert;
mod reply;
mod worker;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use call_error::CallError;
pub use reply::Reply;

use crate::db::pool::PoolSettings;
use crate::db::profile::Profiles;
use crate::db::retry::RetryPolicy;
use crate::error::{Error, Result};
use crate::script::limits::Limits;
use crate::shell::{DefaultTarget, RetryLayers, ShellConfig};
use worker::{EngineSetup, Output, Queued, Setup, Worker};

/// How long a call may wait for a free worker by default.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(10);

/// How to build a [`Pgsh`]: where it connects, how many sessions, which scripts, which extra functions.
pub struct Builder {
    config: ShellConfig,
    limits: Limits,
    scripts: Vec<PathBuf>,
    engine_setup: Vec<EngineSetup>,
    output: Option<Output>,
    queue_timeout: Duration,
    sessions: Option<usize>,
}

impl Builder {
    fn with(config: ShellConfig, limits: Limits) -> Builder {
        Builder {
            config,
            limits,
            scripts: Vec::new(),
            engine_setup: Vec::new(),
            output: None,
            queue_timeout: QUEUE_TIMEOUT,
            sessions: None,
        }
    }

    /// pgsh's embedded PostgreSQL on a temporary database, ignoring the environment. It starts on the
    /// first database call and stops when the [`Pgsh`] is dropped; it serves one session, so there is
    /// one worker.
    pub fn embedded() -> Builder {
        Builder::with(
            ShellConfig {
                target: DefaultTarget::Embedded {
                    data: None,
                    dbname: None,
                    user: None,
                },
                env_params: Default::default(),
                policy: RetryPolicy::default(),
                retry: RetryLayers::default(),
                profiles: Profiles::default(),
                pool: PoolSettings::default(),
                echo: false,
            },
            Limits::default(),
        )
    }

    /// Where the pgsh binary run without arguments connects: `DATABASE_URL`, then libpq's `PG*`
    /// variables, with the configuration file's retry, pool and limit settings and `PGSH_*` variables;
    /// the embedded database when none of them names a server.
    pub fn from_env() -> Result<Builder> {
        Builder::from_args(["pgsh"])
    }

    /// As the pgsh binary resolves `args` (the first is the program name): the connection options
    /// (`-d`, `-h`, `-p`, `-U`, `--embedded`, `--data`, `--profile`), `--pool-size`, the `--retry-*`
    /// options and the script limits, over the environment and the configuration file. Options that run
    /// something (a script, `-c`, `-f`) are refused: this builds a shell, it runs nothing.
    ///
    /// ```
    /// let b = pgsh::Builder::from_args(["pgsh", "--embedded", "--retry-attempts", "3"]);
    /// assert!(b.is_ok());
    /// let err = pgsh::Builder::from_args(["pgsh", "-c", "SELECT 1"]).err().unwrap();
    /// assert!(err.to_string().contains("runs nothing"));
    /// ```
    pub fn from_args<I, T>(args: I) -> Result<Builder>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let opts = crate::cli::parse_from(args)
            .map_err(|e| Error::usage(e.to_string().trim_end().to_string()))?;
        let env = |k: &str| std::env::var(k).ok();
        let file = crate::config::load(crate::config::default_path(&env).as_deref())?;
        let config = crate::cli::configure(opts, &env, false, &file)?;
        if config.mode != crate::cli::Mode::Stdin {
            return Err(Error::usage(
                "the embedding API takes connection, pool, retry and limit options only; it runs nothing \
                 (no script, -c, -f, --eval or --psql): use Pgsh::run_file or Pgsh::eval",
            ));
        }
        Ok(Builder::with(config.host, config.limits))
    }

    /// Keep the embedded database in `dir` (created if missing, reopened if not), as `--data DIR`.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Builder {
        self.config.target = DefaultTarget::Embedded {
            data: Some(dir.into()),
            dbname: None,
            user: None,
        };
        self
    }

    /// How many sessions (worker threads) serve calls on a server; the default is the pool size
    /// (`--pool-size`, `PGSH_POOL_SIZE`, the configuration file; 4). The embedded database always has one.
    pub fn sessions(mut self, n: usize) -> Builder {
        self.sessions = Some(n.max(1));
        self
    }

    /// Load a script in every worker: its top level runs once per worker (keep it to definitions and
    /// constants; do one-time work such as `CREATE TABLE IF NOT EXISTS` in a function you call once), and
    /// its functions can be called with [`Pgsh::call`]. Relative imports are relative to the script.
    pub fn script(mut self, path: impl Into<PathBuf>) -> Builder {
        self.scripts.push(path.into());
        self
    }

    /// How long a call may wait for a free session before it fails with [`CallError::Busy`] (10 s by
    /// default). A call that started running is not cut short by it.
    pub fn queue_timeout(mut self, timeout: Duration) -> Builder {
        self.queue_timeout = timeout;
        self
    }

    /// Add to every worker's Rhai engine, e.g. Rust functions for the scripts to call. It runs once per
    /// worker, on the worker's thread.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let pgsh = pgsh::Builder::embedded()
    ///     .register(|engine| {
    ///         engine.register_fn("slug", |s: &str| s.to_lowercase().replace(' ', "-"));
    ///     })
    ///     .build()?;
    /// let s: String = pgsh.call("slug", ("Hello World",))?;
    /// assert_eq!(s, "hello-world");
    /// # Ok(())
    /// # }
    /// ```
    pub fn register(
        mut self,
        setup: impl Fn(&mut rhai::Engine) + Send + Sync + 'static,
    ) -> Builder {
        self.engine_setup.push(Arc::new(setup));
        self
    }

    /// Where the scripts' `print` and `debug` lines, the server's notices and retry messages go (one line
    /// per call, no newline). By default they are dropped: the library never prints.
    pub fn output(mut self, out: impl Fn(&str) + Send + Sync + 'static) -> Builder {
        self.output = Some(Arc::new(out));
        self
    }

    /// Start the workers and load the scripts in each. A script that does not compile, or whose top
    /// level fails, is an error here. Connections are made on first use, under the retry policy.
    pub fn build(self) -> std::result::Result<Pgsh, CallError> {
        let embedded = matches!(self.config.target, DefaultTarget::Embedded { .. });
        let n = if embedded {
            1
        } else {
            self.sessions
                .unwrap_or(self.config.pool.size as usize)
                .max(1)
        };
        let setup = Arc::new(Setup {
            config: self.config,
            limits: self.limits,
            scripts: self.scripts,
            engine_setup: self.engine_setup,
            output: self.output,
            queue_timeout: self.queue_timeout,
        });
        let (tx, rx) = mpsc::channel::<Queued>();
        let rx = Arc::new(Mutex::new(rx));
        let (started_tx, started_rx) = mpsc::channel();
        // Built first, so that any failure below drops it: the queue closes and started workers end.
        let inner = Inner {
            queue: Mutex::new(Some(tx)),
            workers: Mutex::new(Vec::with_capacity(n)),
        };
        for i in 0..n {
            let (setup, rx, started) = (setup.clone(), rx.clone(), started_tx.clone());
            // Rhai evaluates on the native stack: the same stack the binary's thread has, so the same
            // script limits hold.
            let h = std::thread::Builder::new()
                .name(format!("pgsh-worker-{i}"))
                .stack_size(crate::script::limits::STACK_BYTES)
                .spawn(move || worker::run(setup, rx, started))
                .map_err(|e| CallError::Pgsh(Error::io("cannot start a worker thread", &e)))?;
            if let Ok(mut w) = inner.workers.lock() {
                w.push(h);
            }
        }
        drop(started_tx);
        for _ in 0..n {
            match started_rx.recv() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(e),
                Err(_) => return Err(CallError::Busy("a worker stopped while starting".into())),
            }
        }
        Ok(Pgsh {
            inner: Arc::new(inner),
        })
    }
}

struct Inner {
    queue: Mutex<Option<Sender<Queued>>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Drop for Inner {
    /// Close the queue, let the workers finish what they took, and wait for them: their sessions end and
    /// an embedded server stops before this returns.
    fn drop(&mut self) {
        if let Ok(mut q) = self.queue.lock() {
            q.take();
        }
        if let Ok(mut w) = self.workers.lock() {
            for h in w.drain(..) {
                let _ = h.join();
            }
        }
    }
}

/// An embedded pgsh: cheap to clone, shared by threads (`Send + Sync`), each call run by one of its
/// workers on that worker's session. Dropping the last clone ends the sessions.
#[derive(Clone)]
pub struct Pgsh {
    inner: Arc<Inner>,
}

impl Pgsh {
    /// A builder from the environment, as [`Builder::from_env`].
    pub fn builder() -> Result<Builder> {
        Builder::from_env()
    }

    /// A builder for the embedded database, as [`Builder::embedded`].
    pub fn builder_embedded() -> Builder {
        Builder::embedded()
    }

    /// Queue a job for a worker; the answer comes back through the returned [`Reply`].
    fn submit<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Worker) -> std::result::Result<T, CallError> + Send + 'static,
    ) -> Reply<T> {
        let (answer, reply) = reply::channel();
        let queued = Queued {
            at: Instant::now(),
            job: Box::new(move |w: Option<&mut Worker>| match w {
                Some(w) => answer.send(job(w)),
                None => answer.send(Err(CallError::Busy(
                    "every database session stayed busy for longer than the queue timeout".into(),
                ))),
            }),
        };
        // A closed queue drops the job, and with it the answer: the reply then says the shell stopped.
        if let Ok(q) = self.inner.queue.lock() {
            if let Some(tx) = q.as_ref() {
                let _ = tx.send(queued);
            }
        }
        reply
    }

    /// Call a function the scripts define (or any pgsh function) with Rust arguments, and get its result
    /// as a Rust value. `args` is a tuple: `()` for none, `(x,)` for one, `(x, y)` for two; each is
    /// given to Rhai as its serde form (structs become maps). Rows deserialise into structs.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let dir = std::env::temp_dir().join(format!("pgsh-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// # let script = dir.join("fruit.rhai");
    /// std::fs::write(&script, r#"
    ///     fn setup() {
    ///         execute("CREATE TABLE fruit (name text PRIMARY KEY, price numeric NOT NULL)");
    ///         execute("INSERT INTO fruit VALUES ('fig', 3), ('kiwi', 1.5)");
    ///     }
    ///     fn cheaper_than(limit) {
    ///         query("SELECT name, price::float8 AS price FROM fruit WHERE price < $1 ORDER BY name", [limit])
    ///     }
    /// "#)?;
    ///
    /// #[derive(serde::Deserialize, Debug, PartialEq)]
    /// struct Fruit { name: String, price: f64 }
    ///
    /// let pgsh = pgsh::Builder::embedded().script(&script).build()?;
    /// pgsh.call::<()>("setup", ())?;
    /// let cheap: Vec<Fruit> = pgsh.call("cheaper_than", (2,))?;
    /// assert_eq!(cheap, vec![Fruit { name: "kiwi".into(), price: 1.5 }]);
    ///
    /// // A statement the server refuses comes back with its SQLSTATE.
    /// let err = pgsh.eval::<()>("execute(\"INSERT INTO fruit VALUES ('fig', 1)\")").unwrap_err();
    /// assert_eq!(err.code(), Some(&pgsh::SqlState::UNIQUE_VIOLATION));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn call<T: DeserializeOwned + Send + 'static>(
        &self,
        function: &str,
        args: impl Serialize,
    ) -> std::result::Result<T, CallError> {
        self.call_async(function, args).wait()
    }

    /// As [`Pgsh::call`], without blocking: `.await` the [`Reply`] (any async runtime), or
    /// [`wait`](Reply::wait) for it.
    pub fn call_async<T: DeserializeOwned + Send + 'static>(
        &self,
        function: &str,
        args: impl Serialize,
    ) -> Reply<T> {
        // The arguments cross to the worker as JSON: Rhai values stay on the thread that made them.
        let args = serde_json::to_value(&args)
            .map_err(|e| CallError::Convert(format!("cannot pass the arguments to Rhai: {e}")));
        let function = function.to_string();
        self.submit(move |w| {
            let args = convert::args_of(&args?)?;
            let v = w.call(&function, args)?;
            convert::from_dynamic(&v)
        })
    }

    /// Evaluate Rhai code (which sees the scripts' functions) on one session, in a fresh scope, and get
    /// its value as a Rust value.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let pgsh = pgsh::Builder::embedded().build()?;
    /// let v: Vec<i64> = pgsh.eval("[1, 2, 3].map(|x| x * x)")?;
    /// assert_eq!(v, [1, 4, 9]);
    /// // What the script throws comes back as JSON.
    /// let err = pgsh.eval::<()>(r#"throw #{field: "email", message: "is required"}"#).unwrap_err();
    /// match err {
    ///     pgsh::CallError::Thrown(v) => assert_eq!(v["field"], "email"),
    ///     other => panic!("unexpected {other}"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn eval<T: DeserializeOwned + Send + 'static>(
        &self,
        code: &str,
    ) -> std::result::Result<T, CallError> {
        let code = code.to_string();
        self.submit(move |w| convert::from_dynamic(&w.eval(&code)?))
            .wait()
    }

    /// Run a script file with `ARGS` on one session, in a fresh scope; its value is that of its last
    /// statement.
    pub fn run_file<T: DeserializeOwned + Send + 'static>(
        &self,
        path: impl AsRef<Path>,
        args: &[&str],
    ) -> std::result::Result<T, CallError> {
        let path = path.as_ref().to_path_buf();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        self.submit(move |w| convert::from_dynamic(&w.run_file(&path, &args)?))
            .wait()
    }
}

#[cfg(test)]
mod tests;
