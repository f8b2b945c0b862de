//! One worker of an embedded shell: a thread that owns a pgsh shell (its own session), a Rhai engine with
//! the scripts' functions, and runs the calls it takes from the shared queue one at a time.
//!
//! Rhai values and pgsh's sessions are single-threaded (`Rc`), so they never cross threads: what crosses is
//! the job (a `Send` closure) and its answer (a Rust value).

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rhai::{Array, CallFnOptions, Dynamic, Engine, Scope, AST};

use super::call_error::CallError;
use crate::db::connect::ResolveEnv;
use crate::db::retry::ConnectProgress;
use crate::db::session::{Report, Reporter};
use crate::script::engine::{self, EngineIo};
use crate::script::limits::Limits;
use crate::script::modules::{strip_shebang, RelativeResolver, SourceMap};
use crate::shell::{Shell, ShellConfig};

/// A function that adds to every worker's engine (extra Rust functions for scripts).
pub type EngineSetup = Arc<dyn Fn(&mut Engine) + Send + Sync>;

/// Where print, debug and session reports go.
pub type Output = Arc<dyn Fn(&str) + Send + Sync>;

/// What every worker is built from; shared by the workers (read-only).
pub struct Setup {
    pub config: ShellConfig,
    pub limits: Limits,
    pub scripts: Vec<PathBuf>,
    pub engine_setup: Vec<EngineSetup>,
    pub output: Option<Output>,
    pub queue_timeout: Duration,
}

/// What a call does on the worker that takes it; `None` when it waited longer than the queue allows.
pub type Job = Box<dyn FnOnce(Option<&mut Worker>) + Send>;

/// A call waiting for a worker.
pub struct Queued {
    pub job: Job,
    pub at: Instant,
}

/// What a job can do with the worker that runs it.
pub struct Worker {
    engine: Engine,
    shell: Rc<Shell>,
    /// The scripts' functions (their statements already run).
    functions: AST,
    sources: SourceMap,
}

impl Worker {
    /// Build the worker's shell and engine and run the scripts (their top level runs here, once per worker).
    fn start(setup: &Setup) -> Result<Worker, CallError> {
        let output = setup.output.clone();
        let reporter: Reporter = Rc::new(move |r: Report| {
            let Some(out) = &output else { return };
            let line = match r {
                Report::Retry(m) | Report::Reconnected(m) => m,
                Report::Connecting(ConnectProgress::Failed { status, .. }) => status.line,
                Report::Connecting(ConnectProgress::Ended) => return,
                Report::Notice(n) => format!("{}:  {}", n.severity, n.message),
                Report::Echo(sql) => sql,
                Report::Warning(m) => format!("warning: {m}"),
            };
            out(&line)
        });
        let shell = Rc::new(Shell::new(
            setup.config.clone(),
            ResolveEnv::from_system(),
            reporter,
        ));
        let line = |out: Option<Output>| -> Rc<dyn Fn(&str)> {
            Rc::new(move |s: &str| {
                if let Some(out) = &out {
                    out(s)
                }
            })
        };
        let io = EngineIo {
            print: line(setup.output.clone()),
            debug: line(setup.output.clone()),
        };
        let mut engine = engine::build(shell.clone(), &setup.limits, io);
        for f in &setup.engine_setup {
            f(&mut engine);
        }
        let mut worker = Worker {
            engine,
            shell,
            functions: AST::empty(),
            sources: SourceMap::default(),
        };
        for path in &setup.scripts {
            worker.load(path)?;
        }
        Ok(worker)
    }

    /// Compile and run a script file; keep its functions.
    fn load(&mut self, path: &Path) -> Result<(), CallError> {
        let ast = self.compile_file(path)?;
        let mut scope = args_scope(&[]);
        self.engine
            .run_ast_with_scope(&mut scope, &ast)
            .map_err(|e| self.error(&e, None))?;
        let mut functions = self.functions.merge(&ast);
        functions.clear_statements();
        self.functions = functions;
        Ok(())
    }

    fn compile_file(&mut self, path: &Path) -> Result<AST, CallError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CallError::Pgsh(crate::error::Error::io(
                format!("cannot read {}", path.display()),
                &e,
            ))
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let name = path.display().to_string();
        self.sources
            .borrow_mut()
            .insert(name.clone(), text.to_string());
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        self.engine
            .set_module_resolver(RelativeResolver::new(dir, self.sources.clone()).with_main(path));
        let mut ast = self
            .engine
            .compile(strip_shebang(text).as_ref())
            .map_err(|e| self.error(&e.into(), Some(&name)))?;
        ast.set_source(name);
        Ok(ast)
    }

    /// A Rhai error as a [`CallError`], rendered with its place for a broken script (`main`: the source
    /// a syntax error is in, which Rhai does not name).
    fn error(&self, e: &rhai::EvalAltResult, main: Option<&str>) -> CallError {
        let sources = self.sources.clone();
        from_rhai(e, || {
            let lookup = move |name: &str| sources.borrow().get(name).cloned();
            crate::script::diag::render(e, main, &lookup)
                .trim_end()
                .to_string()
        })
    }

    /// Call a function the scripts define, or a Rust one (pgsh's, or registered), with arguments.
    pub fn call(&mut self, name: &str, args: Vec<Dynamic>) -> Result<Dynamic, CallError> {
        let mut scope = args_scope(&[]);
        let scripted = self
            .functions
            .iter_functions()
            .any(|f| f.name == name && f.params.len() == args.len());
        if scripted {
            let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
            return self
                .engine
                .call_fn_with_options::<Dynamic>(options, &mut scope, &self.functions, name, args)
                .map_err(|e| self.error(&e, None));
        }
        // Rhai's call_fn reaches script functions only: a native one is called by a one-line script,
        // whose arguments are variables (never text spliced into code) and whose name must be a name.
        let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !plain {
            return Err(CallError::Script(format!(
                "\"{name}\" is not a function name"
            )));
        }
        let mut names = Vec::with_capacity(args.len());
        for (i, a) in args.into_iter().enumerate() {
            let var = format!("__pgsh_arg{i}");
            scope.push(var.clone(), a);
            names.push(var);
        }
        let code = format!("{name}({})", names.join(", "));
        let ast = self
            .engine
            .compile_with_scope(&scope, &code)
            .map_err(|e| self.error(&e.into(), None))?;
        self.engine
            .eval_ast_with_scope::<Dynamic>(&mut scope, &ast)
            .map_err(|e| self.error(&e, None))
    }

    /// Evaluate code, which sees the scripts' functions, in a fresh scope.
    pub fn eval(&mut self, code: &str) -> Result<Dynamic, CallError> {
        self.sources
            .borrow_mut()
            .insert("eval".into(), code.to_string());
        let mut ast = self
            .engine
            .compile(code)
            .map_err(|e| self.error(&e.into(), Some("eval")))?;
        ast.set_source("eval");
        let combined = self.functions.merge(&ast);
        let mut scope = args_scope(&[]);
        self.engine
            .eval_ast_with_scope::<Dynamic>(&mut scope, &combined)
            .map_err(|e| self.error(&e, None))
    }

    /// Run a script file with `ARGS`, in a fresh scope; its value is the last statement's.
    pub fn run_file(&mut self, path: &Path, args: &[String]) -> Result<Dynamic, CallError> {
        let ast = self.compile_file(path)?;
        let mut scope = args_scope(args);
        self.engine
            .eval_ast_with_scope::<Dynamic>(&mut scope, &ast)
            .map_err(|e| self.error(&e, None))
    }

    /// End the sessions (a transaction left open is rolled back), then stop an embedded server.
    fn finish(self) {
        let shell = self.shell.clone();
        shell.finish_with(false);
        // The engine holds the shell (its tag) and the scripts' values may hold sessions: both go before
        // the embedded server, whose shutdown waits for its client.
        drop(self);
        shell.stop_embedded();
    }
}

/// A Rhai error, looked through the function calls and imports it passed on its way out: pgsh's error,
/// a value the script threw (as JSON), or the rendered text of anything else.
fn from_rhai(err: &rhai::EvalAltResult, render: impl FnOnce() -> String) -> CallError {
    let inner = crate::script::diag::locate(err, None).error;
    if let Some(e) = crate::script::diag::pgsh_error(inner) {
        return CallError::Pgsh((*e).clone());
    }
    match inner {
        rhai::EvalAltResult::ErrorRuntime(v, _) => CallError::Thrown(super::convert::json_of(v)),
        _ => CallError::Script(render()),
    }
}

fn args_scope(args: &[String]) -> Scope<'static> {
    let mut scope = Scope::new();
    let arr: Array = args.iter().map(|a| Dynamic::from(a.clone())).collect();
    scope.push_constant("ARGS", arr);
    scope
}

/// The worker thread: start, report how that went, then run jobs until the queue closes.
pub fn run(
    setup: Arc<Setup>,
    queue: Arc<Mutex<Receiver<Queued>>>,
    started: std::sync::mpsc::Sender<Result<(), CallError>>,
) {
    let mut worker = match Worker::start(&setup) {
        Ok(w) => {
            let _ = started.send(Ok(()));
            w
        }
        Err(e) => {
            let _ = started.send(Err(e));
            return;
        }
    };
    drop(started);
    loop {
        // The lock is held while waiting, so exactly one idle worker waits on the queue at a time.
        let next = match queue.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok(q) = next else { break };
        if q.at.elapsed() > setup.queue_timeout {
            (q.job)(None);
        } else {
            (q.job)(Some(&mut worker));
        }
    }
    worker.finish();
}
