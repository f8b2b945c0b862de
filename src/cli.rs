//! Command-line options → a run configuration. Pure: the environment comes in as a function, nothing is read
//! or printed here. Each option is defined once; its doc comment is its help text.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::config::FileConfig;
use crate::db::pool::PoolSettings;
use crate::db::retry::{DurationValue, Jitter, RetrySettings};
use crate::db::target::{ConnFields, ConnParams};
use crate::error::{Error, Result};
use crate::output::Format;
pub use crate::psql::startup::{Action, Setting, Startup};
use crate::script::limits::Limits;
use crate::shell::{DefaultTarget, RetryLayers, ShellConfig};

/// pgsh — a PostgreSQL shell scripted in Rhai, and psql drop-in.
///
/// Every psql option has psql's meaning; pgsh's own options are long ones psql does not use. A first
/// positional argument ending in `.rhai` (or `-`) is a Rhai script, the arguments after it its ARGS; other
/// positional arguments are psql's DBNAME [USERNAME]. With no server named by flags, DATABASE_URL or PG*
/// variables, pgsh runs on an embedded PostgreSQL (not when run as psql).
#[derive(Parser, Debug, Clone, Default)]
#[command(
    name = "pgsh",
    version,
    override_usage = "pgsh [OPTIONS] [SCRIPT] [ARGS]...\n       pgsh [OPTIONS] [DBNAME [USERNAME]]",
    disable_help_flag = true,
    disable_version_flag = true,
    after_help = "Connection precedence: flags, then DATABASE_URL, then PGHOST/PGPORT/PGUSER/PGDATABASE/... \
                  Exit codes: 0 ok, 1 pgsh error, 2 connection failure, 3 script error, 130 interrupted."
)]
pub struct Options {
    /// The database and user names to connect as (psql's positional arguments). A script and its
    /// arguments come here instead: `pgsh [OPTIONS] SCRIPT.rhai [ARGS]...`.
    //
    // The script is split off before clap parses (`parse_from`).
    #[arg(value_name = "DBNAME [USERNAME]")]
    pub positional: Vec<String>,

    // ---- psql's options, with psql's meanings ----
    /// Echo all input from script (psql -a).
    #[arg(short = 'a', long = "echo-all")]
    pub echo_all: bool,

    /// Unaligned table output mode (psql -A).
    #[arg(short = 'A', long = "no-align")]
    pub no_align: bool,

    /// Echo failed commands (psql -b).
    #[arg(short = 'b', long = "echo-errors")]
    pub echo_errors: bool,

    /// Run only a single command (SQL or internal) and exit; repeatable, run in order with -f.
    #[arg(short = 'c', long = "command", value_name = "COMMAND")]
    pub command: Vec<String>,

    /// Database name (or connection string) to connect to.
    #[arg(short = 'd', long = "dbname", value_name = "DBNAME")]
    pub dbname: Option<String>,

    /// Echo commands sent to server (psql -e).
    #[arg(short = 'e', long = "echo-queries")]
    pub echo_queries: bool,

    /// Display queries that internal commands generate (psql -E).
    #[arg(short = 'E', long = "echo-hidden")]
    pub echo_hidden: bool,

    /// Execute commands from file, then exit; repeatable ("-" is stdin).
    #[arg(short = 'f', long = "file", value_name = "FILENAME")]
    pub file: Vec<String>,

    /// Field separator for unaligned output (default: "|").
    #[arg(short = 'F', long = "field-separator", value_name = "STRING")]
    pub field_separator: Option<String>,

    /// Set field separator for unaligned output to zero byte.
    #[arg(short = 'z', long = "field-separator-zero")]
    pub field_separator_zero: bool,

    /// Database server host or socket directory.
    #[arg(short = 'h', long = "host", value_name = "HOSTNAME")]
    pub host: Option<String>,

    /// HTML table output mode.
    #[arg(short = 'H', long = "html")]
    pub html: bool,

    /// List available databases, then exit.
    #[arg(short = 'l', long = "list")]
    pub list: bool,

    /// Send session log to file.
    #[arg(short = 'L', long = "log-file", value_name = "FILENAME")]
    pub log_file: Option<String>,

    /// Disable enhanced command line editing.
    #[arg(short = 'n', long = "no-readline")]
    pub no_readline: bool,

    /// Execute as a single transaction (if non-interactive).
    #[arg(short = '1', long = "single-transaction")]
    pub single_transaction: bool,

    /// Send query results to file (or |pipe).
    #[arg(short = 'o', long = "output", value_name = "FILENAME")]
    pub output: Option<String>,

    /// Database server port.
    #[arg(short = 'p', long = "port", value_name = "PORT")]
    pub port: Option<String>,

    /// Set printing option VAR to ARG (see \pset command).
    #[arg(short = 'P', long = "pset", value_name = "VAR[=ARG]")]
    pub pset: Vec<String>,

    /// Run quietly (no messages, only query output).
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,

    /// Record separator for unaligned output (default: newline).
    #[arg(short = 'R', long = "record-separator", value_name = "STRING")]
    pub record_separator: Option<String>,

    /// Set record separator for unaligned output to zero byte.
    #[arg(short = '0', long = "record-separator-zero")]
    pub record_separator_zero: bool,

    /// Single-step mode (confirm each query).
    #[arg(short = 's', long = "single-step")]
    pub single_step: bool,

    /// Single-line mode (end of line terminates SQL command).
    #[arg(short = 'S', long = "single-line")]
    pub single_line: bool,

    /// Print rows only.
    #[arg(short = 't', long = "tuples-only")]
    pub tuples_only: bool,

    /// Set HTML table tag attributes (e.g., width, border).
    #[arg(short = 'T', long = "table-attr", value_name = "TEXT")]
    pub table_attr: Option<String>,

    /// Database user name.
    #[arg(short = 'U', long = "username", value_name = "USERNAME")]
    pub username: Option<String>,

    /// Set psql variable NAME to VALUE (e.g., -v ON_ERROR_STOP=1).
    #[arg(
        short = 'v',
        long = "set",
        visible_alias = "variable",
        value_name = "NAME=VALUE"
    )]
    pub set: Vec<String>,

    /// Output version information, then exit.
    #[arg(short = 'V', long = "version")]
    pub version: bool,

    /// Never prompt for password.
    #[arg(short = 'w', long = "no-password")]
    pub no_password: bool,

    /// Force password prompt (should happen automatically).
    #[arg(short = 'W', long = "password")]
    pub password: bool,

    /// Turn on expanded table output.
    #[arg(short = 'x', long = "expanded")]
    pub expanded: bool,

    /// Do not read start-up files (~/.psqlrc, and pgsh's ~/.pgshrc.rhai).
    #[arg(short = 'X', long = "no-psqlrc", visible_alias = "no-rc")]
    pub no_psqlrc: bool,

    /// CSV (Comma-Separated Values) table output mode.
    #[arg(long = "csv")]
    pub csv: bool,

    /// Show help, then exit (--help=options|commands|variables).
    #[arg(short = '?', long = "help", num_args = 0..=1, require_equals = true, default_missing_value = "options", value_name = "TOPIC")]
    pub help: Option<String>,

    // ---- pgsh's own options ----
    /// Evaluate Rhai code and exit (positional arguments become ARGS).
    #[arg(long = "eval", value_name = "CODE")]
    pub eval: Option<String>,

    /// Behave exactly as psql: SQL and backslash commands only, psql's defaults (as when run as `psql`).
    #[arg(long = "psql")]
    pub psql: bool,

    /// Connect with a named profile from the configuration file ($XDG_CONFIG_HOME/pgsh/config.toml).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Use the embedded PostgreSQL even if a server is configured.
    #[arg(long)]
    pub embedded: bool,

    /// Keep the embedded database in DIR (created if missing, reopened next time).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Print each statement sent before running it: a script's (and its parameters) on stderr, -c's and
    /// -f's as -e does.
    #[arg(long)]
    pub echo: bool,

    /// Keep going after a failed SQL statement in -c/-f (psql's default); pgsh stops by default.
    #[arg(long = "continue-on-error")]
    pub continue_on_error: bool,

    /// Output format for results: table, csv, json, jsonl or markdown (or any \pset format).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Connection attempts including the first; 0 = unlimited within the deadline [env: PGSH_RETRY_ATTEMPTS].
    #[arg(long, value_name = "N")]
    pub retry_attempts: Option<u32>,

    /// Delay before the first retry, e.g. 250ms [env: PGSH_RETRY_DELAY].
    #[arg(long, value_name = "DURATION")]
    pub retry_delay: Option<String>,

    /// Multiplier applied to the delay after each failed attempt [env: PGSH_RETRY_BACKOFF].
    #[arg(long, value_name = "FACTOR")]
    pub retry_backoff: Option<f64>,

    /// Longest delay between attempts [env: PGSH_RETRY_MAX_DELAY].
    #[arg(long, value_name = "DURATION")]
    pub retry_max_delay: Option<String>,

    /// Randomise delays: full or none [env: PGSH_RETRY_JITTER].
    #[arg(long, value_name = "full|none")]
    pub retry_jitter: Option<Jitter>,

    /// Give up connecting after this long overall; 0 = never [env: PGSH_RETRY_DEADLINE].
    #[arg(long, value_name = "DURATION")]
    pub retry_deadline: Option<String>,

    /// Time allowed for one connection attempt [env: PGCONNECT_TIMEOUT, in seconds].
    #[arg(long, value_name = "DURATION")]
    pub connect_timeout: Option<String>,

    /// Connections per pool (sessions that can be open at once per target).
    #[arg(long, value_name = "N")]
    pub pool_size: Option<u32>,

    /// Maximum Rhai operations per evaluation (0 = unlimited; a runaway loop then fails cleanly).
    #[arg(long, value_name = "N")]
    pub max_operations: Option<u64>,

    /// Maximum depth of Rhai function calls (runaway recursion fails cleanly); at most 10000, 0 = that.
    #[arg(long, value_name = "N")]
    pub max_call_levels: Option<usize>,

    /// The Rhai script split off the command line, and its arguments (see [`parse_from`]).
    #[arg(skip)]
    pub script: Option<(PathBuf, Vec<String>)>,

    /// psql's settings from the command line, in the order given (-a, -A, -v, -P, …).
    #[arg(skip)]
    pub ordered: Vec<Setting>,

    /// `-c` and `-f` in command-line order (psql runs them in the order given).
    #[arg(skip)]
    pub actions: Vec<Action>,
}

/// The psql options that take a value, as clap defines them (to find where positional arguments are).
fn takes_value(cmd: &clap::Command, arg: &str) -> Option<bool> {
    if let Some(long) = arg.strip_prefix("--") {
        let name = long.split('=').next().unwrap_or(long);
        let a = cmd.get_arguments().find(|a| {
            a.get_long() == Some(name)
                || a.get_all_aliases().is_some_and(|al| al.contains(&name))
                || a.get_visible_aliases().is_some_and(|al| al.contains(&name))
        })?;
        let min = a.get_num_args().map_or(1, |n| n.min_values());
        Some(!long.contains('=') && a.get_action().takes_values() && min > 0)
    } else {
        // A cluster of short options: the first that takes a value takes the rest, or the next arg.
        let chars: Vec<char> = arg[1..].chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let a = cmd.get_arguments().find(|a| a.get_short() == Some(*c))?;
            let min = a.get_num_args().map_or(1, |n| n.min_values());
            if a.get_action().takes_values() && min > 0 {
                return Some(i == chars.len() - 1);
            }
        }
        Some(false)
    }
}

/// Split a Rhai script (a first positional argument ending in `.rhai`, or `-`) and its arguments off
/// `args`; everything before it is for clap. After `--eval CODE` the first positional argument starts the
/// code's `ARGS` in the same way (so `--eval 'ARGS' one --two` passes `--two` on). Not in psql mode, where
/// every positional is psql's.
pub fn split_script(
    args: &[std::ffi::OsString],
    psql_mode: bool,
) -> (Vec<std::ffi::OsString>, Option<(PathBuf, Vec<String>)>) {
    use clap::CommandFactory;
    if psql_mode {
        return (args.to_vec(), None);
    }
    let cmd = Options::command();
    let mut i = 1;
    let mut eval = false;
    while i < args.len() {
        let a = args[i].to_string_lossy();
        if a == "--" {
            break;
        }
        eval |= a == "--eval" || a.starts_with("--eval=");
        if a.len() > 1 && a.starts_with('-') {
            if takes_value(&cmd, &a) == Some(true) {
                i += 1;
            }
            i += 1;
            continue;
        }
        if eval || a == "-" || a.ends_with(".rhai") {
            let script = PathBuf::from(&args[i]);
            let rest = args[i + 1..]
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            return (args[..i].to_vec(), Some((script, rest)));
        }
        i += 1;
    }
    (args.to_vec(), None)
}

/// `pgsh --help`: every option with its doc (as psql, pgsh prints psql's own help instead).
pub fn help_text() -> String {
    use clap::CommandFactory;
    Options::command().render_long_help().to_string()
}

/// Whether pgsh runs as psql: invoked through a link named `psql`, or with `--psql`.
pub fn psql_mode(args: &[std::ffi::OsString]) -> bool {
    let argv0 = args
        .first()
        .map(|a| {
            std::path::Path::new(a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    argv0 == "psql" || args.iter().skip(1).any(|a| a == "--psql")
}

/// Parse arguments: the script split off, then clap; the order of `-c`/`-f` and of psql's settings kept.
pub fn parse_from<I, T>(args: I) -> std::result::Result<Options, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    let all: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let psql = psql_mode(&all);
    let (for_clap, script) = split_script(&all, psql);
    let matches = Options::command().try_get_matches_from(for_clap)?;
    let mut opts = Options::from_arg_matches(&matches)?;
    opts.script = script;
    opts.psql |= psql;
    let mut actions: Vec<(usize, Action)> = Vec::new();
    if let Some(idx) = matches.indices_of("command") {
        actions.extend(
            idx.zip(opts.command.iter().map(|c| match c.strip_prefix('\\') {
                Some(slash) => Action::Slash(slash.to_string()),
                None => Action::Query(c.clone()),
            })),
        );
    }
    if let Some(idx) = matches.indices_of("file") {
        actions.extend(idx.zip(opts.file.iter().cloned().map(Action::File)));
    }
    actions.sort_by_key(|(i, _)| *i);
    opts.actions = actions.into_iter().map(|(_, a)| a).collect();
    let mut ordered: Vec<(usize, Setting)> = Vec::new();
    let var = |n: &str, v: &str| Setting::Var(n.to_string(), Some(v.to_string()));
    let pset = |n: &str, v: Option<&str>| Setting::Pset(n.to_string(), v.map(str::to_string));
    let flags: [(&str, Setting); 18] = [
        ("echo_all", var("ECHO", "all")),
        // pgsh's --echo: statements sent are shown, -c/-f's as psql's -e shows them.
        ("echo", var("ECHO", "queries")),
        ("no_align", pset("format", Some("unaligned"))),
        ("echo_errors", var("ECHO", "errors")),
        ("echo_queries", var("ECHO", "queries")),
        ("echo_hidden", var("ECHO_HIDDEN", "on")),
        ("field_separator_zero", pset("fieldsep_zero", None)),
        ("html", pset("format", Some("html"))),
        ("quiet", var("QUIET", "on")),
        ("record_separator_zero", pset("recordsep_zero", None)),
        ("single_step", var("SINGLESTEP", "on")),
        ("single_line", var("SINGLELINE", "on")),
        ("tuples_only", pset("tuples_only", Some("on"))),
        ("expanded", pset("expanded", Some("on"))),
        ("csv", pset("format", Some("csv"))),
        ("field_separator", pset("fieldsep", None)),
        ("record_separator", pset("recordsep", None)),
        ("table_attr", pset("tableattr", None)),
    ];
    for (id, setting) in flags {
        // Flags have a default (false) that clap records too: only what the command line said counts.
        if matches.value_source(id) != Some(clap::parser::ValueSource::CommandLine) {
            continue;
        }
        if let Some(idx) = matches.indices_of(id) {
            let values: Vec<String> = matches
                .get_raw(id)
                .map(|v| v.map(|s| s.to_string_lossy().into_owned()).collect())
                .unwrap_or_default();
            for (n, i) in idx.enumerate() {
                let s = match (&setting, values.get(n)) {
                    // Options with a value: the value given.
                    (Setting::Pset(name, None), Some(v))
                        if matches!(id, "field_separator" | "record_separator" | "table_attr") =>
                    {
                        Setting::Pset(name.clone(), Some(v.clone()))
                    }
                    _ => setting.clone(),
                };
                ordered.push((i, s));
            }
        }
    }
    if let Some(idx) = matches.indices_of("set") {
        for (i, v) in idx.zip(opts.set.iter()) {
            let s = match v.split_once('=') {
                Some((n, val)) => Setting::Var(n.to_string(), Some(val.to_string())),
                None => Setting::Var(v.clone(), None),
            };
            ordered.push((i, s));
        }
    }
    if let Some(idx) = matches.indices_of("pset") {
        for (i, v) in idx.zip(opts.pset.iter()) {
            let s = match v.split_once('=') {
                Some((n, val)) => Setting::Pset(n.to_string(), Some(val.to_string())),
                None => Setting::Pset(v.clone(), None),
            };
            ordered.push((i, s));
        }
    }
    ordered.sort_by_key(|(i, _)| *i);
    opts.ordered = ordered.into_iter().map(|(_, s)| s).collect();
    Ok(opts)
}

/// What to run.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// The interactive REPL (pgsh mode).
    Repl,
    /// A script from stdin, run through the REPL's loop without editor, prompts or colours (pgsh mode).
    Stdin,
    /// A Rhai script file.
    Script { path: PathBuf, args: Vec<String> },
    /// `--eval CODE`.
    Eval { code: String, args: Vec<String> },
    /// psql's startup: `-c`/`-f` actions, `-l`, or (as psql) stdin or the interactive loop.
    Psql,
}

/// Everything a run needs to know.
#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    /// Running as psql (`psql` link or `--psql`): psql's defaults, no Rhai, no embedded database.
    pub psql_mode: bool,
    pub host: ShellConfig,
    pub quiet: bool,
    pub no_rc: bool,
    pub single_transaction: bool,
    pub continue_on_error: bool,
    pub format: Format,
    pub limits: Limits,
    /// What psql's startup does with the command line.
    pub startup: Startup,
}

/// Turn options and the environment into a configuration. `stdin_tty` decides between REPL and piped input.
pub fn configure(
    opts: Options,
    env: &dyn Fn(&str) -> Option<String>,
    stdin_tty: bool,
    file: &FileConfig,
) -> Result<Config> {
    let psql_mode = opts.psql;
    let mut opts = opts;
    // psql's positional arguments: DBNAME [USERNAME], then extras it ignores (not for --eval, whose
    // positional arguments are the code's ARGS).
    let mut extra_args = Vec::new();
    if opts.eval.is_none() {
        for p in std::mem::take(&mut opts.positional) {
            if opts.dbname.is_none() {
                opts.dbname = Some(p);
            } else if opts.username.is_none() {
                opts.username = Some(p);
            } else {
                extra_args.push(p);
            }
        }
    }
    let mode = if psql_mode {
        Mode::Psql
    } else if let Some(code) = opts.eval.clone() {
        let mut args = opts.positional.clone();
        if let Some((p, rest)) = &opts.script {
            args.push(p.display().to_string());
            args.extend(rest.iter().cloned());
        }
        Mode::Eval { code, args }
    } else if let Some((path, args)) = opts.script.clone() {
        if !opts.actions.is_empty() {
            return Err(Error::usage(
                "a script cannot be combined with -c or -f; run one or the other",
            ));
        }
        if path.as_os_str() == "-" {
            Mode::Stdin
        } else {
            Mode::Script { path, args }
        }
    } else if !opts.actions.is_empty() || opts.list || opts.help.is_some() || opts.version {
        Mode::Psql
    } else if stdin_tty {
        Mode::Repl
    } else {
        Mode::Stdin
    };
    let port: Option<u16> = match &opts.port {
        Some(p) => Some(p.trim().parse().map_err(|_| {
            Error::new(
                crate::error::ErrorKind::Connect,
                format!("invalid integer value \"{p}\" for connection option \"port\""),
            )
            .with_code("08001")
        })?),
        None => None,
    };
    let conn_err = |e: crate::db::target::ParamsError| {
        Error::new(crate::error::ErrorKind::Connect, e.to_string()).with_code("08001")
    };
    // -d is a connection string or a database name; -h/-p/-U refine the string.
    let (conninfo, dbname) = match &opts.dbname {
        Some(d) if ConnParams::looks_like_conninfo(d) => {
            (ConnParams::parse(d).map_err(conn_err)?, None)
        }
        d => (ConnParams::default(), d.clone()),
    };
    let mut flags = conninfo.with_fields(ConnFields {
        host: opts.host.clone(),
        ports: port.map(|p| vec![p]),
        user: opts.username.clone(),
        dbname,
        ..ConnFields::default()
    });
    let profile = match &opts.profile {
        Some(name) => Some(file.profiles.get(name)?),
        None => None,
    };
    // A selected profile sits just under the connection flags: -h/-p/-U/-d still refine it.
    if let (Some(name), Some(p)) = (&opts.profile, profile) {
        flags = flags.or(&p.params(name, env)?);
    }
    let flags_timeout = flags.connect_timeout;
    let flags_given = flags != ConnParams::default();
    // psql knows nothing of DATABASE_URL.
    let url = match env("DATABASE_URL").filter(|s| !s.is_empty() && !psql_mode) {
        Some(u) => Some(ConnParams::parse(&u).map_err(|e| conn_err(e).context("DATABASE_URL"))?),
        None => None,
    };
    let env_params = ConnParams::from_env(env).map_err(conn_err)?;

    let wants_embedded = opts.embedded || opts.data.is_some();
    let names_server = flags_given || url.is_some() || env_params.names_server();
    if wants_embedded && flags_given {
        return Err(Error::usage(
            "--embedded/--data use pgsh's embedded database; they cannot be combined with -d, -h, -p or -U",
        ));
    }
    // psql has no embedded database: it connects with libpq's defaults when nothing names a server.
    let target = if !psql_mode && (wants_embedded || !names_server) {
        DefaultTarget::Embedded {
            data: opts.data.clone(),
        }
    } else {
        let merged = match &url {
            Some(u) => flags.or(u).or(&env_params),
            None => flags.or(&env_params),
        };
        DefaultTarget::Server(Box::new(merged))
    };

    let retry = RetryLayers {
        file: file.retry.clone(),
        profile: profile.map(|p| p.retry.clone()).unwrap_or_default(),
        // A connection string's own connect_timeout counts at its layer: `-d` with the flags, DATABASE_URL
        // above the PG* variables.
        env: retry_from_env(
            env,
            url.as_ref()
                .and_then(|u| u.connect_timeout)
                .or(env_params.connect_timeout),
        )?,
        flags: {
            let mut f = retry_from_flags(&opts);
            if f.connect_timeout.is_none() {
                f.connect_timeout = flags_timeout.map(libpq_timeout_value);
            }
            // psql connects once: a caller polling for a starting server (pg_regress does, once a
            // second) expects the answer at once.
            if psql_mode && f.attempts.is_none() {
                f.attempts = Some(1);
            }
            f
        },
    };
    // Check every layer now, so a bad setting is reported before anything runs.
    let policy = retry.policy(None)?;
    let mut pool = PoolSettings::default();
    file.pool.apply(&mut pool)?;
    let size = opts
        .pool_size
        .or(env_u32(env, "PGSH_POOL_SIZE")?)
        .or(profile.and_then(|p| p.pool_size));
    if let Some(n) = size {
        if n == 0 {
            return Err(Error::usage("--pool-size must be at least 1"));
        }
        pool.size = n;
    }
    // --format is \pset format (pgsh's short names mapped), applied first so psql's own options can
    // refine it; Rhai's printing knows pgsh's formats and prints the others as a table.
    let mut settings = Vec::new();
    let format: Format = match &opts.format {
        Some(f) => {
            let name = match f.as_str() {
                "table" => "aligned",
                "md" => "markdown",
                "ndjson" => "jsonl",
                other => other,
            };
            crate::psql::pset::parse_format(name).map_err(|_| {
                Error::usage(format!(
                    "unknown format \"{f}\": use table, csv, json, jsonl, markdown or a \\pset format"
                ))
            })?;
            settings.push(Setting::Pset("format".into(), Some(name.to_string())));
            f.parse().unwrap_or_default()
        }
        None => Format::default(),
    };
    settings.extend(opts.ordered.iter().cloned());
    let mut limits = Limits::default();
    file.limits.apply(&mut limits);
    if let Some(n) = opts.max_operations {
        limits.max_operations = n;
    }
    if let Some(n) = opts.max_call_levels {
        limits.max_call_levels = n;
    }
    let startup = Startup {
        actions: opts.actions.clone(),
        settings,
        list_dbs: opts.list,
        log_file: opts.log_file.clone(),
        output: opts.output.clone(),
        no_readline: opts.no_readline,
        password_prompt: if opts.password {
            Some(true)
        } else if opts.no_password {
            Some(false)
        } else {
            None
        },
        help: opts.help.clone(),
        version: opts.version,
        extra_args,
    };
    Ok(Config {
        mode,
        psql_mode,
        startup,
        host: ShellConfig {
            target,
            env_params,
            policy,
            retry,
            pool,
            echo: opts.echo,
            profiles: file.profiles.clone(),
        },
        quiet: opts.quiet,
        no_rc: opts.no_psqlrc,
        single_transaction: opts.single_transaction,
        continue_on_error: opts.continue_on_error,
        format,
        limits,
    })
}

fn env_u32(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Result<Option<u32>> {
    match env(name).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| Error::usage(format!("{name}=\"{v}\" is not a whole number"))),
    }
}

fn text_duration(v: Option<String>) -> Option<DurationValue> {
    v.filter(|s| !s.is_empty()).map(DurationValue::Text)
}

/// The retry settings the environment gives: PGSH_RETRY_* and libpq's connect_timeout (PGCONNECT_TIMEOUT or
/// DATABASE_URL's: whole seconds, at least 2, 0 = no limit per attempt, as in libpq).
pub fn retry_from_env(
    env: &dyn Fn(&str) -> Option<String>,
    libpq_timeout: Option<Duration>,
) -> Result<RetrySettings> {
    let backoff =
        match env("PGSH_RETRY_BACKOFF").filter(|s| !s.is_empty()) {
            Some(e) => Some(e.trim().parse::<f64>().map_err(|_| {
                Error::usage(format!("PGSH_RETRY_BACKOFF=\"{e}\" is not a number"))
            })?),
            None => None,
        };
    let libpq_timeout = libpq_timeout.map(libpq_timeout_value);
    Ok(RetrySettings {
        attempts: env_u32(env, "PGSH_RETRY_ATTEMPTS")?,
        delay: text_duration(env("PGSH_RETRY_DELAY")),
        backoff,
        max_delay: text_duration(env("PGSH_RETRY_MAX_DELAY")),
        jitter: match env("PGSH_RETRY_JITTER").filter(|s| !s.is_empty()) {
            Some(j) => Some(
                j.parse()
                    .map_err(|e| Error::usage(format!("environment: retry jitter: {e}")))?,
            ),
            None => None,
        },
        deadline: text_duration(env("PGSH_RETRY_DEADLINE")),
        connect_timeout: text_duration(env("PGSH_CONNECT_TIMEOUT")).or(libpq_timeout),
    })
}

/// A libpq connect_timeout as a retry setting.
fn libpq_timeout_value(t: Duration) -> DurationValue {
    DurationValue::Seconds(crate::db::retry::libpq_connect_timeout(t).as_secs_f64())
}

/// The retry settings the flags give.
pub fn retry_from_flags(opts: &Options) -> RetrySettings {
    RetrySettings {
        attempts: opts.retry_attempts,
        delay: text_duration(opts.retry_delay.clone()),
        backoff: opts.retry_backoff,
        max_delay: text_duration(opts.retry_max_delay.clone()),
        jitter: opts.retry_jitter,
        deadline: text_duration(opts.retry_deadline.clone()),
        connect_timeout: text_duration(opts.connect_timeout.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(args: &[&str], env: &[(&str, &str)], tty: bool) -> Result<Config> {
        let opts = parse_from(std::iter::once("pgsh").chain(args.iter().copied()))
            .map_err(|e| Error::usage(e.to_string()))?;
        let map: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        configure(opts, &|k| map.get(k).cloned(), tty, &FileConfig::default())
    }

    #[test]
    fn nothing_configured_means_embedded() {
        let c = cfg(&[], &[], true).unwrap();
        assert_eq!(c.mode, Mode::Repl);
        assert_eq!(c.host.target, DefaultTarget::Embedded { data: None });
        // PGUSER alone does not name a server.
        let c = cfg(&["x.rhai"], &[("PGUSER", "bob")], false).unwrap();
        assert!(matches!(c.host.target, DefaultTarget::Embedded { .. }));
    }

    #[test]
    fn precedence_is_flags_then_database_url_then_pg_env() {
        let env = [
            ("DATABASE_URL", "postgres://urluser@urlhost:6000/urldb"),
            ("PGHOST", "envhost"),
            ("PGPORT", "7000"),
            ("PGUSER", "envuser"),
            ("PGAPPNAME", "envapp"),
        ];
        let c = cfg(&["-U", "flaguser"], &env, false).unwrap();
        let DefaultTarget::Server(p) = c.host.target else {
            panic!("expected a server")
        };
        assert_eq!(p.user.as_deref(), Some("flaguser"));
        assert_eq!(p.hosts, vec!["urlhost".to_string()]);
        assert_eq!(p.ports, vec![6000]);
        assert_eq!(p.dbname.as_deref(), Some("urldb"));
        assert_eq!(p.application_name.as_deref(), Some("envapp"));
        let c = cfg(&[], &[("PGHOST", "envhost")], false).unwrap();
        assert!(
            matches!(c.host.target, DefaultTarget::Server(ref p) if p.hosts == vec!["envhost".to_string()])
        );
    }

    #[test]
    fn embedded_flags() {
        let c = cfg(&["--embedded"], &[("PGHOST", "h")], true).unwrap();
        assert!(matches!(
            c.host.target,
            DefaultTarget::Embedded { data: None }
        ));
        let c = cfg(&["--data", "/tmp/x"], &[], true).unwrap();
        assert_eq!(
            c.host.target,
            DefaultTarget::Embedded {
                data: Some("/tmp/x".into())
            }
        );
        assert!(cfg(&["--data", "/tmp/x", "-h", "db"], &[], true).is_err());
    }

    #[test]
    fn modes() {
        assert!(matches!(
            cfg(&["--eval", "1+1"], &[], true).unwrap().mode,
            Mode::Eval { .. }
        ));
        // psql's -e echoes queries; it is not Rhai.
        let c = cfg(&["-e", "-c", "SELECT 1"], &[], true).unwrap();
        assert_eq!(c.mode, Mode::Psql);
        assert!(c
            .startup
            .settings
            .contains(&Setting::Var("ECHO".into(), Some("queries".into()))));
        // Positional arguments are DBNAME [USERNAME]; extras are kept for psql's warning.
        let c = cfg(&["-X", "-c", "x", "db", "bob", "more"], &[], true).unwrap();
        let DefaultTarget::Server(p) = c.host.target else {
            panic!("expected a server")
        };
        assert_eq!(p.dbname.as_deref(), Some("db"));
        assert_eq!(p.user.as_deref(), Some("bob"));
        assert_eq!(c.startup.extra_args, vec!["more".to_string()]);
        assert_eq!(cfg(&["-"], &[], true).unwrap().mode, Mode::Stdin);
        assert_eq!(cfg(&[], &[], false).unwrap().mode, Mode::Stdin);
        assert_eq!(
            cfg(&["s.rhai", "a", "-b"], &[], true).unwrap().mode,
            Mode::Script {
                path: "s.rhai".into(),
                args: vec!["a".into(), "-b".into()]
            }
        );
    }

    #[test]
    fn sql_sources_and_settings_keep_command_line_order() {
        let c = cfg(
            &["-f", "a.sql", "-c", "SELECT 1", "-c", "\\dt", "-f", "b.sql"],
            &[],
            true,
        )
        .unwrap();
        assert_eq!(c.mode, Mode::Psql);
        assert_eq!(
            c.startup.actions,
            vec![
                Action::File("a.sql".into()),
                Action::Query("SELECT 1".into()),
                Action::Slash("dt".into()),
                Action::File("b.sql".into()),
            ]
        );
        let c = cfg(
            &["-v", "A=1", "-At", "-P", "null=x", "-a", "-c", "x"],
            &[],
            true,
        )
        .unwrap();
        assert_eq!(
            c.startup.settings,
            vec![
                Setting::Var("A".into(), Some("1".into())),
                Setting::Pset("format".into(), Some("unaligned".into())),
                Setting::Pset("tuples_only".into(), Some("on".into())),
                Setting::Pset("null".into(), Some("x".into())),
                Setting::Var("ECHO".into(), Some("all".into())),
            ]
        );
    }

    #[test]
    fn psql_mode_and_scripts() {
        assert!(psql_mode(&["/usr/bin/psql".into()]));
        assert!(psql_mode(&["pgsh".into(), "--psql".into()]));
        assert!(!psql_mode(&["pgsh".into()]));
        // As psql, nothing is a script and nothing is embedded.
        let opts = parse_from(["psql", "-X", "x.rhai"]).unwrap();
        assert!(opts.script.is_none());
        let c = configure(opts, &|_| None, false, &FileConfig::default()).unwrap();
        assert!(matches!(c.host.target, DefaultTarget::Server(_)));
        // A script's own options are its arguments, not pgsh's.
        let opts = parse_from(["pgsh", "-q", "s.rhai", "-c", "x"]).unwrap();
        assert_eq!(
            opts.script,
            Some(("s.rhai".into(), vec!["-c".to_string(), "x".to_string()]))
        );
        assert!(opts.command.is_empty());
    }

    #[test]
    fn retry_settings_from_flags_and_env() {
        let c = cfg(
            &["--retry-delay", "2s", "--retry-backoff", "1"],
            &[
                ("PGSH_RETRY_ATTEMPTS", "7"),
                ("PGSH_RETRY_DELAY", "5s"),
                ("PGSH_RETRY_DEADLINE", "0"),
            ],
            true,
        )
        .unwrap();
        assert_eq!(c.host.policy.delay, Duration::from_secs(2));
        assert_eq!(c.host.policy.attempts, 7);
        assert_eq!(c.host.policy.backoff, 1.0);
        assert_eq!(c.host.policy.deadline, None);
        assert!(cfg(&["--retry-delay", "soon"], &[], true).is_err());
    }

    #[test]
    fn jitter_from_flag_over_env_and_bad_words_named() {
        let c = cfg(
            &["--retry-jitter", "none"],
            &[("PGSH_RETRY_JITTER", "full")],
            true,
        )
        .unwrap();
        assert_eq!(c.host.policy.jitter, Jitter::None);
        let c = cfg(&[], &[("PGSH_RETRY_JITTER", "off")], true).unwrap();
        assert_eq!(c.host.policy.jitter, Jitter::None);
        let e = cfg(&[], &[("PGSH_RETRY_JITTER", "some")], true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "environment: retry jitter: invalid jitter \"some\": expected full or none"
        );
        let e = parse_from(["pgsh", "--retry-jitter", "some"]).unwrap_err();
        assert!(
            e.to_string()
                .contains("invalid jitter \"some\": expected full or none"),
            "{e}"
        );
    }

    #[test]
    fn bad_url_is_a_connection_error_without_the_password() {
        let err = cfg(&["-d", "postgres://u:s3cret@host:99999/db"], &[], true).unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert_eq!(err.exit_code(), 2);
    }
}
