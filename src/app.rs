//! The front end: parses the command line, wires the host, engine and runners together, talks to the terminal,
//! and turns the outcome into an exit code. The one place that decides what goes to stdout and stderr.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::rc::Rc;

use crate::cli::{self, Config, Mode};
use crate::db::connect::ResolveEnv;
use crate::db::retry::ConnectProgress;
use crate::db::session::{Report, Reporter};
use crate::error::{Error, ErrorKind};
use crate::script::engine::{self, EngineIo};
use crate::script::runner::{RunError, Runner};
use crate::shell::{DefaultTarget, Shell};

/// Run pgsh with the process's arguments and environment; the exit code follows psql's conventions.
pub fn run() -> ExitCode {
    // Rhai parses and evaluates recursively on the native stack. pgsh runs on a thread whose stack holds
    // the deepest nesting its limits allow (see `script::limits::STACK_BYTES`), so deep recursion ends in
    // Rhai's clear error, never in an abort. The stack is reserved address space, touched only as used.
    let worker = std::thread::Builder::new()
        .name("pgsh".into())
        .stack_size(crate::script::limits::STACK_BYTES)
        .spawn(run_on_this_thread);
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        // A panic was already reported by the panic hook.
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("pgsh: cannot start: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_on_this_thread() -> ExitCode {
    let opts = match cli::parse_from(std::env::args_os()) {
        Ok(o) => o,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 1,
            });
        }
    };
    let stdin_tty = std::io::stdin().is_terminal();
    let env = |k: &str| std::env::var(k).ok();
    let file = match crate::config::load(crate::config::default_path(&env).as_deref()) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let config = match cli::configure(opts, &env, stdin_tty, &file) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    crate::term::set_quiet(config.quiet);
    if let Err(e) = crate::interrupt::install() {
        eprintln!("pgsh: warning: {e}");
    }
    ExitCode::from(run_config(config))
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("pgsh: {e}");
    ExitCode::from(e.exit_code())
}

/// The reporter: how session events reach the user (stderr; retry lines and reconnect notices obey -q).
/// While a session connects under the retry policy, a terminal shows one status line that each failed
/// attempt rewrites; elsewhere (scripts, logs) each retry is a line of its own.
fn reporter(quiet: bool) -> Reporter {
    let status = RefCell::new(crate::term::StatusLine::default());
    Rc::new(move |r: Report| {
        let mut err = std::io::stderr().lock();
        // Whatever else comes is written from the start of a clean line.
        if !matches!(r, Report::Connecting(ConnectProgress::Failed { .. })) {
            let _ = status.borrow_mut().clear(&mut err);
        }
        let line = match r {
            Report::Connecting(ConnectProgress::Failed { target, status: s }) if !quiet => {
                match crate::term::stderr_width() {
                    Some(width) => {
                        let text = format!("pgsh: {}", s.status_line(&target));
                        let _ = status.borrow_mut().show(&mut err, &text, width);
                        return;
                    }
                    None => format!("pgsh: {}", s.line),
                }
            }
            Report::Connecting(_) => return,
            Report::Retry(m) if !quiet => format!("pgsh: {m}"),
            Report::Reconnected(m) if !quiet => format!("pgsh: {m}"),
            Report::Retry(_) | Report::Reconnected(_) => return,
            Report::Notice(n) => {
                let mut s = format!("{}:  {}", n.severity, n.message);
                if let Some(d) = n.detail {
                    s.push_str(&format!("\nDETAIL:  {d}"));
                }
                if let Some(h) = n.hint {
                    s.push_str(&format!("\nHINT:  {h}"));
                }
                s
            }
            Report::Echo(sql) => sql,
            Report::Warning(m) => format!("pgsh: warning: {m}"),
        };
        let _ = writeln!(err, "{line}");
    })
}

fn stdout_io() -> EngineIo {
    EngineIo {
        print: Rc::new(|s: &str| {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{s}");
        }),
        debug: Rc::new(|s: &str| {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{s}");
        }),
    }
}

fn run_config(config: Config) -> u8 {
    let mut resolve = ResolveEnv::from_system();
    if config.psql_mode {
        // What the server sees as psql's fallback_application_name (pg_stat_activity, log lines).
        resolve.application_name = "psql".into();
    }
    let mut host = Shell::new(config.host.clone(), resolve, reporter(config.quiet));
    if std::io::stdin().is_terminal() {
        host.set_prompter(Rc::new(|prompt: &str| {
            rpassword::prompt_password(prompt).ok()
        }));
    }
    let host = Rc::new(host);
    let engine = engine::build(host.clone(), &config.limits, stdout_io());
    let runner = Rc::new(RefCell::new(Runner::new(engine, host.clone())));
    let code = match &config.mode {
        Mode::Script { path, args } => {
            let mut runner = runner.borrow_mut();
            runner.set_args(args);
            with_single_transaction(&config, &host, || match runner.run_file(path) {
                Ok(_) => 0,
                Err(RunError::Shell(e)) => {
                    eprintln!("pgsh: {e}");
                    e.exit_code()
                }
                Err(RunError::Script(e)) => {
                    if crate::script::diag::exit_request(&e).is_none() {
                        let name = path.display().to_string();
                        eprint!("{}", runner.render_error(&e, Some(&name)));
                    }
                    crate::script::diag::exit_code(&e)
                }
            })
        }
        Mode::Eval { code, args } => {
            let mut runner = runner.borrow_mut();
            runner.set_args(args);
            with_single_transaction(&config, &host, || match runner.run_source("-e", code) {
                Ok(v) => {
                    if !v.is_unit() {
                        let text = match v.read_lock::<crate::script::rows::Rows>() {
                            Some(rows) => {
                                crate::output::render(&rows.0, config.format, &host.table.borrow())
                            }
                            None => format!("{}\n", crate::repl::display_value(&v)),
                        };
                        print!("{text}");
                    }
                    0
                }
                Err(e) => {
                    if crate::script::diag::exit_request(&e).is_none() {
                        eprint!("{}", runner.render_error(&e, Some("-e")));
                    }
                    crate::script::diag::exit_code(&e)
                }
            })
        }
        Mode::Psql => run_psql(&config, &host, None),
        // Piped stdin: the psql engine, with Rhai beside SQL.
        Mode::Stdin => run_psql(&config, &host, Some((runner.clone(), None))),
        Mode::Repl => run_repl(&config, &host, &runner),
    };
    // psql ends silently (the server rolls back a transaction left open); pgsh's own runs say so.
    host.finish_with(config.mode != Mode::Psql);
    // Sessions first, then the embedded server they were talking to: the script's scope may still hold `Db`
    // handles, whose pools keep the embedded server's connection open until they are dropped.
    drop(runner);
    host.stop_embedded();
    // Ctrl-C ended a non-interactive run (a cancelled statement or a stopped script): the shell's 130.
    // As psql, pgsh exits as psql does (3 for a stopped script).
    if code != 0 && config.mode != Mode::Repl && !config.psql_mode && crate::interrupt::is_set() {
        return 130;
    }
    code
}

/// `-1`: BEGIN before, COMMIT after success, ROLLBACK after failure.
fn with_single_transaction(config: &Config, host: &Shell, body: impl FnOnce() -> u8) -> u8 {
    if !config.single_transaction {
        return body();
    }
    let db = match host.current() {
        Ok(db) => db,
        Err(e) => {
            eprintln!("pgsh: {e}");
            return e.exit_code();
        }
    };
    if let Err(e) = db.try_session().and_then(|mut s| s.control("BEGIN")) {
        eprintln!("pgsh: {e}");
        return e.exit_code();
    }
    // While the run lasts, connect() to the default target gives this session back, so all the run's
    // default-target work is inside the one transaction.
    host.hold_single(Some(db.clone()));
    let code = body();
    host.hold_single(None);
    // psql -1 without ON_ERROR_STOP sends COMMIT anyway (the server rolls back a failed transaction), and
    // the exit status stays that of the run.
    let psql_rules = false;
    let end = db.try_session().and_then(|mut s| {
        use crate::db::session::TxStatus;
        match (code, s.tx_status()) {
            // Ctrl-C, even one that landed after the last statement: never commit what the user stopped.
            (code, status) if crate::interrupt::is_set() => {
                if status != TxStatus::Idle {
                    s.rollback_if_open()?;
                    eprintln!("pgsh: interrupted; the single transaction was rolled back");
                }
                Ok(if code == 0 { 130 } else { code })
            }
            (0, TxStatus::InTransaction) => s.control("COMMIT").map(|_| 0),
            (code, TxStatus::Failed) if psql_rules => {
                s.rollback_if_open()?;
                eprintln!(
                    "pgsh: a statement failed inside the single transaction, so it was rolled back"
                );
                Ok(code)
            }
            // A statement failed and the script caught the error: COMMIT would silently roll back.
            (0, TxStatus::Failed) => {
                s.rollback_if_open()?;
                eprintln!(
                    "pgsh: a statement failed inside the single transaction (its error was caught); \
                     the transaction was rolled back"
                );
                Ok(3)
            }
            (0, TxStatus::Idle) => {
                eprintln!("pgsh: warning: the single transaction was ended by the run itself");
                Ok(0)
            }
            (code, _) => {
                s.rollback_if_open()?;
                eprintln!("pgsh: the run failed; its single transaction was rolled back");
                Ok(code)
            }
        }
    });
    match end {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pgsh: {e}");
            e.exit_code()
        }
    }
}

/// What pgsh's REPL and piped stdin add to the psql engine: the Rhai runner, and on a terminal the state
/// the line editor shares.
type Pgsh = (
    Rc<RefCell<Runner>>,
    Option<crate::repl::editor::SharedState>,
);

/// psql's startup and main loop (`-c`, `-f`, `-l`, stdin or the terminal); with `pgsh`, Rhai runs beside
/// SQL at the prompt and in piped stdin.
fn run_psql(config: &Config, host: &Rc<Shell>, pgsh: Option<Pgsh>) -> u8 {
    let progname = std::env::args_os()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "pgsh".to_string());
    let progname = if config.psql_mode {
        "psql".to_string()
    } else {
        progname
    };
    if let Some(topic) = &config.startup.help {
        if !config.psql_mode && topic == "options" {
            print!("{}", crate::cli::help_text());
            return 0;
        }
        let env = |k: &str| std::env::var(k).ok();
        let user = env("PGUSER").or_else(|| env("USER")).unwrap_or_default();
        let (db, h, p) = (env("PGDATABASE"), env("PGHOST"), env("PGPORT"));
        let text = match topic.as_str() {
            "commands" => crate::psql::help::slash_usage(
                &crate::psql::settings::Settings::default(),
                None,
                &[],
            ),
            "variables" => crate::psql::help::help_variables().to_string(),
            "options" => crate::psql::help::usage(&crate::psql::help::UsageEnv {
                progname: &progname,
                user: &user,
                pgdatabase: db.as_deref(),
                pghost: h.as_deref(),
                pgport: p.as_deref(),
                extra_options: None,
            }),
            other => {
                eprintln!("{progname}: error: unrecognized value \"{other}\" for \"--help\"");
                eprintln!("{progname}: hint: Try \"{progname} --help\" for more information.");
                return 1;
            }
        };
        print!("{text}");
        return 0;
    }
    if config.startup.version {
        // As psql under psql's name (scripts read the version from it); pgsh's own otherwise.
        if config.psql_mode {
            print!("{}", crate::psql::help::show_version(&progname));
        } else {
            println!("pgsh {}", env!("CARGO_PKG_VERSION"));
        }
        return 0;
    }
    let stdin_tty = std::io::stdin().is_terminal();
    let notty = !stdin_tty || !std::io::stdout().is_terminal();
    let opts = crate::psql::startup::RunOptions {
        progname,
        psql_mode: config.psql_mode,
        continue_on_error: config.continue_on_error,
        single_transaction: config.single_transaction,
        no_psqlrc: config.no_rc,
        notty,
    };
    let mixed = pgsh.is_some();
    let mut editor = None;
    let stdin: Box<dyn crate::psql::input::Input> = if !notty && config.startup.actions.is_empty() {
        let state = pgsh.as_ref().and_then(|(_, state)| state.clone());
        let helper = state
            .clone()
            .map(|state| crate::repl::editor::Helper::new(host.clone(), state));
        match crate::repl::editor::EditorSource::new(helper) {
            Ok(mut src) => {
                if let Some(state) = &state {
                    state.borrow_mut().printer = src.external_printer();
                }
                // At a prompt, a Ctrl-C the server leaves unanswered gives the prompt back (the
                // statement's connection closed) rather than ending the session.
                crate::interrupt::abandon_when_unanswered();
                let src = Rc::new(RefCell::new(src));
                editor = Some(src.clone());
                Box::new(crate::repl::source::PsqlInput::new(src, true, mixed))
            }
            Err(e) => {
                eprintln!("pgsh: {e}");
                return 1;
            }
        }
    } else {
        let input = crate::psql::input::ReaderInput::new(std::io::BufReader::new(std::io::stdin()))
            .marked_stdin(stdin_tty);
        Box::new(if mixed { input.marked_mixed() } else { input })
    };
    let ext = pgsh.map(|(runner, state)| {
        Box::new(crate::repl::extension::PgshExtension::new(runner, state))
            as Box<dyn crate::psql::engine::Extension>
    });
    let code = crate::psql::startup::run(host.clone(), &config.startup, &opts, ext, stdin);
    if let Some(editor) = editor {
        if let Err(e) = editor.borrow_mut().save_history() {
            eprintln!("pgsh: warning: {e}");
        }
    }
    u8::try_from(code).unwrap_or(1)
}

fn run_repl(config: &Config, host: &Rc<Shell>, runner: &Rc<RefCell<Runner>>) -> u8 {
    // Connect first, so the banner says where we are and a bad target fails before the first prompt.
    match host.current() {
        Ok(db) => {
            if !config.quiet {
                let version =
                    db.0.session
                        .try_borrow()
                        .ok()
                        .and_then(|s| s.server_info().map(|i| i.version.clone()))
                        .unwrap_or_default();
                let what = match &config.host.target {
                    DefaultTarget::Embedded { .. } => db.label().to_string(),
                    DefaultTarget::Server(_) => format!("{} (PostgreSQL {version})", db.label()),
                };
                eprintln!(
                    "pgsh {} — connected to {what}. Type \\? for help, \\q to quit.",
                    env!("CARGO_PKG_VERSION")
                );
            }
        }
        Err(e) => {
            eprintln!("pgsh: {e}");
            if e.kind() == ErrorKind::Interrupted {
                return 130;
            }
            return e.exit_code();
        }
    }
    if !config.no_rc {
        if let Some(rc) = rc_file() {
            let name = rc.display().to_string();
            if let Ok(text) = std::fs::read_to_string(&rc) {
                // As a REPL chunk, so the functions it defines stay available at the prompt.
                let mut runner = runner.borrow_mut();
                if let Err(e) = runner.eval_chunk(&name, &text) {
                    eprint!("{}", runner.render_error(&e, Some(&name)));
                }
            }
        }
    }
    let state = crate::repl::editor::SharedState::default();
    run_psql(config, host, Some((runner.clone(), Some(state))))
}

/// `~/.pgshrc.rhai`, or `$XDG_CONFIG_HOME/pgsh/rc.rhai`.
fn rc_file() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    if let Some(p) = home.map(|h| h.join(".pgshrc.rhai")).filter(|p| p.is_file()) {
        return Some(p);
    }
    directories::ProjectDirs::from("", "", "pgsh")
        .map(|d| d.config_dir().join("rc.rhai"))
        .filter(|p| p.is_file())
}
