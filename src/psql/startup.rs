//! psql's `main` after option parsing (`startup.c`): settings applied in command-line order, the
//! connection, `-l`, the `-L` log, `~/.psqlrc`, then the `-c`/`-f` actions (in one transaction with `-1`)
//! or the main loop on stdin.

use std::rc::Rc;

use crate::psql::engine::{Engine, Extension};
use crate::psql::input::Input;
use crate::psql::mainloop::{self, EXIT_BADCONN, EXIT_FAILURE, EXIT_SUCCESS, EXIT_USER};
use crate::psql::settings::Settings;
use crate::shell::Shell;

/// A psql setting made on the command line, applied in command-line order (psql applies each as getopt
/// meets it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `-v NAME=VALUE` (value `None`: `-v NAME` unsets), and the options that set variables
    /// (`-a` ECHO=all, `-e`, `-b`, `-E`, `-q`, `-s`, `-S`).
    Var(String, Option<String>),
    /// `-P NAME[=VALUE]`, and the options that set print options (`-A`, `-H`, `--csv`, `-t`, `-x`, `-F`,
    /// `-z`, `-R`, `-0`, `-T`).
    Pset(String, Option<String>),
}

/// One `-c` or `-f`, in order (psql's action list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `-c SQL`.
    Query(String),
    /// `-c '\command'` (run through the backslash-command lexer).
    Slash(String),
    /// `-f FILE` (`-` is stdin).
    File(String),
}

/// psql's part of the command line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Startup {
    pub actions: Vec<Action>,
    pub settings: Vec<Setting>,
    pub list_dbs: bool,
    pub log_file: Option<String>,
    pub output: Option<String>,
    pub no_readline: bool,
    /// `-W` (`Some(true)`) / `-w` (`Some(false)`).
    pub password_prompt: Option<bool>,
    /// `--help[=topic]`, `-?`.
    pub help: Option<String>,
    pub version: bool,
    /// Positional arguments beyond DBNAME and USERNAME (psql warns that it ignores them).
    pub extra_args: Vec<String>,
}

/// How this run differs from plain psql.
pub struct RunOptions {
    /// The name messages carry (`psql` when run as psql).
    pub progname: String,
    /// Running as psql: psql's defaults.
    pub psql_mode: bool,
    /// pgsh mode stops at the first failed statement unless this is set (psql's default).
    pub continue_on_error: bool,
    pub single_transaction: bool,
    pub no_psqlrc: bool,
    /// stdin or stdout is not a terminal.
    pub notty: bool,
}

/// Apply one command-line setting (`-v`, `-P` and the options made of them). `Err` is psql's fatal
/// message.
fn apply(e: &mut Engine, s: &Setting) -> Result<(), String> {
    match s {
        Setting::Var(name, value) => {
            if e.set_var(name, value.as_deref()) {
                Ok(())
            } else {
                // The hook's message was printed; psql exits.
                Err(String::new())
            }
        }
        Setting::Pset(name, value) => {
            crate::psql::pset::do_pset(name, value.as_deref(), &mut e.set.popt, true)
                .map(|_| ())
                .map_err(|msg| {
                    if !msg.is_empty() {
                        e.log_error(&msg);
                    }
                    match value {
                        Some(v) => format!("could not set printing parameter \"{name}={v}\""),
                        None => format!("could not set printing parameter \"{name}\""),
                    }
                })
        }
    }
}

/// `process_psqlrc`: `$PSQLRC` or `~/.psqlrc`, preferring `~/.psqlrc-15.18` and `~/.psqlrc-15`.
fn process_psqlrc(e: &mut Engine) {
    let rc = match std::env::var("PSQLRC").ok().filter(|p| !p.is_empty()) {
        Some(p) => crate::psql::paths::expand_tilde(&p),
        None => match std::env::var("HOME") {
            Ok(h) => format!("{h}/.psqlrc"),
            Err(_) => return,
        },
    };
    let candidates = [
        format!("{rc}-{}", crate::psql::varsync::PSQL_VERSION_NAME_SHORT),
        format!("{rc}-{}", crate::psql::varsync::PSQL_MAJOR_VERSION),
        rc,
    ];
    if let Some(file) = candidates
        .iter()
        .find(|c| std::path::Path::new(c).is_file())
    {
        let file = file.clone();
        mainloop::process_file(e, &file, false);
    }
}

/// Run psql's startup with `input` as stdin (a terminal editor when interactive). Returns the exit code.
pub fn run(
    shell: Rc<Shell>,
    startup: &Startup,
    opts: &RunOptions,
    ext: Option<Box<dyn Extension>>,
    stdin: Box<dyn Input>,
) -> i32 {
    let set = Settings {
        progname: opts.progname.clone(),
        notty: opts.notty,
        ..Settings::default()
    };
    let mut e = Engine::new(shell.clone(), set, mainloop::process_file);
    e.pgsh_mode = !opts.psql_mode;
    e.ext = ext;
    e.set.popt.topt.env_columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(0);
    if !opts.psql_mode && !opts.continue_on_error {
        // pgsh's safer default: stop at the first error (a -v ON_ERROR_STOP=0 below still wins).
        e.set_var("ON_ERROR_STOP", Some("on"));
    }
    if let Some(target) = &startup.output {
        match crate::psql::output::Out::open(Some(target)) {
            Ok(o) => e.out = o,
            Err(msg) => {
                e.log_error(&msg);
                return EXIT_FAILURE;
            }
        }
    }
    for s in &startup.settings {
        if let Err(msg) = apply(&mut e, s) {
            if !msg.is_empty() {
                e.log(crate::psql::engine::Level::Error, &msg);
            }
            return EXIT_FAILURE;
        }
    }
    for extra in &startup.extra_args {
        if !e.set.quiet {
            e.log_warning(&format!("extra command-line argument \"{extra}\" ignored"));
        }
    }
    let mut actions = startup.actions.clone();
    if actions.is_empty() && opts.notty {
        // Not a terminal: stdin is read as a file (psql's ACT_FILE with no name). pgsh's own mode names
        // it in messages (`pgsh:<stdin>:4: ERROR: …`), as psql does for `-f -`, so a long piped script's
        // error says where it is.
        let name = if opts.psql_mode { "" } else { "-" };
        actions.push(Action::File(name.to_string()));
    }
    if opts.single_transaction && actions.is_empty() {
        e.log(
            crate::psql::engine::Level::Error,
            "-1 can only be used in non-interactive mode",
        );
        return EXIT_FAILURE;
    }
    // Connect.
    match shell.current() {
        Ok(db) => e.db = Some(db),
        Err(err) => {
            // As psql, libpq's words for why it could not connect; pgsh's own say what it tried.
            let text = match &shell.config().target {
                crate::shell::DefaultTarget::Server(params) if opts.psql_mode => {
                    crate::psql::command::conn::connect_error_text(&e, params.as_ref(), &err)
                }
                _ => err.to_string(),
            };
            e.log_error(&text);
            return if err.kind() == crate::error::ErrorKind::Interrupted {
                130
            } else {
                EXIT_BADCONN
            };
        }
    }
    crate::psql::connect::sync_variables(&mut e);
    if startup.list_dbs {
        if !opts.no_psqlrc {
            process_psqlrc(&mut e);
        }
        let ok = crate::psql::describe::databases::list_all_dbs(&mut e, None, false);
        return if ok { EXIT_SUCCESS } else { EXIT_FAILURE };
    }
    if let Some(log) = &startup.log_file {
        match std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(log)
        {
            Ok(f) => e.log = Some(std::io::BufWriter::new(f)),
            Err(err) => {
                e.log(
                    crate::psql::engine::Level::Error,
                    &format!(
                        "could not open log file \"{log}\": {}",
                        crate::psql::output::os_error(&err)
                    ),
                );
                return EXIT_FAILURE;
            }
        }
    }
    if !opts.no_psqlrc {
        process_psqlrc(&mut e);
    }
    let mut stdin = Some(stdin);
    let code = if !actions.is_empty() {
        let code = run_actions(&mut e, &actions, opts, &mut stdin);
        // psql stops a script on Ctrl-C without a word (exit 3); pgsh says why it stopped and what became
        // of -1's transaction (and exits 130).
        if !opts.psql_mode && code != EXIT_SUCCESS && crate::interrupt::is_set() {
            e.terse = false;
            e.log_error(if opts.single_transaction {
                "interrupted by Ctrl-C; the transaction was rolled back"
            } else {
                "interrupted by Ctrl-C"
            });
        }
        code
    } else {
        e.terse = true;
        connection_warnings(&mut e);
        // pgsh's own REPL has said hello already (its banner names pgsh and where it is connected).
        if !e.set.quiet && !e.pgsh_mode {
            e.stdout("Type \"help\" for help.\n\n");
        }
        match stdin.take() {
            Some(input) => mainloop::main_loop(&mut e, input),
            None => EXIT_SUCCESS,
        }
    };
    let _ = std::io::Write::flush(&mut e.out);
    let out = std::mem::replace(&mut e.out, crate::psql::output::Out::stdout());
    let _ = out.close();
    if let Some(mut l) = e.log.take() {
        let _ = std::io::Write::flush(&mut l);
    }
    code
}

/// The actions of `-c` and `-f`, in order, inside BEGIN/COMMIT with `-1`.
fn run_actions(
    e: &mut Engine,
    actions: &[Action],
    opts: &RunOptions,
    stdin: &mut Option<Box<dyn Input>>,
) -> i32 {
    let mut code = EXIT_SUCCESS;
    if opts.single_transaction
        && crate::psql::psqlexec::psql_exec(e, "BEGIN").is_none()
        && e.set.on_error_stop
    {
        return EXIT_USER;
    }
    e.single_transaction_guard = opts.single_transaction && !opts.psql_mode;
    for action in actions {
        match action {
            Action::Query(sql) => {
                e.terse = true;
                if e.set.echo == crate::psql::settings::Echo::All {
                    e.stdout(&format!("{sql}\n"));
                }
                let ok = with_stdin_current(e, stdin, |e| crate::psql::exec::send_query(e, sql));
                code = command_status(ok, opts, e.set.on_error_stop);
            }
            Action::Slash(cmd) => {
                e.terse = true;
                if e.set.echo == crate::psql::settings::Echo::All {
                    e.stdout(&format!("\\{cmd}\n"));
                }
                let mut scan = crate::psql::scan::PsqlScanState::new();
                let std_strings = e.std_strings;
                scan.setup(cmd, std_strings);
                let mut cstack = crate::psql::command::CondStack::new();
                let r = with_stdin_current(e, stdin, |e| {
                    crate::psql::command::handle_slash_cmds(e, &mut scan, &mut cstack, None, None)
                });
                code = command_status(
                    r != crate::psql::command::BackslashResult::Error,
                    opts,
                    e.set.on_error_stop,
                );
            }
            Action::File(name) if name.is_empty() => {
                // stdin, unnamed: messages carry no file name.
                e.terse = true;
                match stdin.take() {
                    Some(input) => code = mainloop::main_loop(e, input),
                    None => code = EXIT_SUCCESS,
                }
            }
            Action::File(name) if name == "-" => {
                let old = e.set.inputfile.replace("<stdin>".to_string());
                e.terse = false;
                code = match stdin.take() {
                    Some(input) => mainloop::main_loop(e, input),
                    None => EXIT_SUCCESS,
                };
                e.set.inputfile = old;
                e.terse = e.set.inputfile.is_none();
            }
            Action::File(name) => code = mainloop::process_file(e, name, false),
        }
        // A `\c` that failed left no connection: pgsh's status for that is 2 (psql says 1 or 3).
        if code != EXIT_SUCCESS && !opts.psql_mode && e.db.is_none() {
            code = EXIT_BADCONN;
        }
        if e.lost {
            code = EXIT_BADCONN;
            break;
        }
        if code != EXIT_SUCCESS && e.set.on_error_stop {
            break;
        }
    }
    e.single_transaction_guard = false;
    if opts.single_transaction {
        // psql commits what ran before a Ctrl-C when ON_ERROR_STOP is off; pgsh's -1 is all or nothing.
        let interrupted = !opts.psql_mode && crate::interrupt::is_set();
        let cmd = if (code != EXIT_SUCCESS && e.set.on_error_stop) || interrupted {
            "ROLLBACK"
        } else {
            "COMMIT"
        };
        let res = crate::psql::psqlexec::psql_exec(e, cmd);
        if res.is_none() && e.set.on_error_stop {
            code = EXIT_USER;
        }
        // psql says nothing when the server answers COMMIT with ROLLBACK; pgsh does not leave a user
        // believing the file's work was kept.
        let rolled_back =
            cmd == "ROLLBACK" || res.as_ref().is_some_and(|r| r.command_tag == "ROLLBACK");
        if rolled_back && !opts.psql_mode && !crate::interrupt::is_set() {
            e.terse = false;
            e.log(
                crate::psql::engine::Level::Warning,
                "an error occurred inside -1's transaction: it was rolled back",
            );
            // Nothing was kept (a script caught the error that spoilt the transaction): not a success,
            // unless errors were to be gone past (`--continue-on-error`, psql's rule).
            if code == EXIT_SUCCESS && e.set.on_error_stop {
                code = EXIT_USER;
            }
        }
    }
    code
}

/// The exit status of a `-c`: a failure is psql's 1, and pgsh's 3 (a script error, as for a file) when
/// it stops the run (ON_ERROR_STOP, pgsh's default).
fn command_status(ok: bool, opts: &RunOptions, on_error_stop: bool) -> i32 {
    match (ok, opts.psql_mode || !on_error_stop) {
        (true, _) => EXIT_SUCCESS,
        (false, true) => EXIT_FAILURE,
        (false, false) => EXIT_USER,
    }
}

/// Run `f` with stdin as the current input (psql's `cur_cmd_source` is stdin while `-c` runs, so
/// `COPY … FROM STDIN` in a `-c` reads the process's stdin).
fn with_stdin_current<R>(
    e: &mut Engine,
    stdin: &mut Option<Box<dyn Input>>,
    f: impl FnOnce(&mut Engine) -> R,
) -> R {
    let pushed = match stdin.take() {
        Some(input) => {
            e.inputs.push(input);
            true
        }
        None => false,
    };
    let r = f(e);
    if pushed {
        *stdin = e.inputs.pop();
    }
    r
}

/// `connection_warnings`: when psql and the server differ in major version, say so (interactive start).
fn connection_warnings(e: &mut Engine) {
    let server = e.set.sversion;
    let client = crate::psql::varsync::PSQL_VERSION_NUM;
    if server == 0 || e.set.quiet {
        return;
    }
    let name = e.vars.get("SERVER_VERSION_NAME").unwrap_or("").to_string();
    if server / 100 != client / 100 {
        e.stdout(&format!(
            "{} ({}, server {})\n",
            e.set.progname,
            crate::psql::varsync::PSQL_VERSION_NAME,
            name
        ));
        if server / 10000 > client / 10000 {
            e.stdout(&format!(
                "WARNING: {} major version {}, server major version {}.\n         Some psql features might not work.\n",
                e.set.progname,
                crate::psql::varsync::format_pg_version_number(client, false),
                crate::psql::varsync::format_pg_version_number(server, false)
            ));
        }
    } else {
        e.stdout(&format!(
            "{} ({})\n",
            e.set.progname,
            crate::psql::varsync::PSQL_VERSION_NAME
        ));
    }
}
