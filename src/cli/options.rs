//! The command line as clap reads it: [`Options`] (each option once, its doc comment its help text), psql's
//! argument order kept, and where a script's own arguments begin.

use std::path::PathBuf;

use clap::Parser;

use crate::db::retry::Jitter;
use crate::output::Format;
use crate::psql::startup::{Action, Setting};

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
    pub format: Option<FormatArg>,

    /// Connection attempts including the first; 0 = unlimited within the deadline.
    #[arg(long, value_name = "N", env = "PGSH_RETRY_ATTEMPTS")]
    pub retry_attempts: Option<u32>,

    /// Delay before the first retry, e.g. 250ms.
    #[arg(long, value_name = "DURATION", env = "PGSH_RETRY_DELAY")]
    pub retry_delay: Option<String>,

    /// Multiplier applied to the delay after each failed attempt.
    #[arg(long, value_name = "FACTOR", env = "PGSH_RETRY_BACKOFF")]
    pub retry_backoff: Option<f64>,

    /// Longest delay between attempts.
    #[arg(long, value_name = "DURATION", env = "PGSH_RETRY_MAX_DELAY")]
    pub retry_max_delay: Option<String>,

    /// Randomise delays: full or none.
    #[arg(long, value_name = "full|none", env = "PGSH_RETRY_JITTER")]
    pub retry_jitter: Option<Jitter>,

    /// Give up connecting after this long overall; 0 = never.
    #[arg(long, value_name = "DURATION", env = "PGSH_RETRY_DEADLINE")]
    pub retry_deadline: Option<String>,

    /// Time allowed for one connection attempt (libpq's PGCONNECT_TIMEOUT, in seconds, counts too).
    #[arg(long, value_name = "DURATION", env = "PGSH_CONNECT_TIMEOUT")]
    pub connect_timeout: Option<String>,

    /// Connections per pool (sessions that can be open at once per target).
    #[arg(long, value_name = "N", env = "PGSH_POOL_SIZE")]
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

/// `--format`: how Rhai prints results, and the `\pset format` it sets for SQL (pgsh's short names mapped to
/// psql's, any of psql's formats or their abbreviations accepted).
#[derive(Debug, Clone, PartialEq)]
pub struct FormatArg {
    /// Rhai's printing: pgsh's formats; psql's others print as a table.
    pub rhai: Format,
    /// The `\pset format` value, checked.
    pub pset: String,
}

impl std::str::FromStr for FormatArg {
    type Err = String;
    fn from_str(f: &str) -> Result<FormatArg, String> {
        let pset = match f {
            "table" => "aligned",
            "md" => "markdown",
            "ndjson" => "jsonl",
            other => other,
        };
        crate::psql::pset::parse_format(pset).map_err(|_| {
            format!(
                "unknown format \"{f}\": use table, csv, json, jsonl, markdown or a \\pset format"
            )
        })?;
        Ok(FormatArg {
            rhai: f.parse().unwrap_or_default(),
            pset: pset.to_string(),
        })
    }
}

/// `pgsh --help`: every option with its doc and its environment variable (as psql, pgsh prints psql's own
/// help instead).
pub fn help_text() -> String {
    use clap::CommandFactory;
    Options::command()
        .mut_args(|a| a.hide_env_values(true))
        .render_long_help()
        .to_string()
}

/// The command clap parses: [`Options`] with its environment variables detached. Options name their
/// variable with clap's `env` (so `--help` shows it), but clap would read it from the process; configuration
/// stays a function of the environment it is given, which [`env_options`] reads.
fn command() -> clap::Command {
    use clap::CommandFactory;
    Options::command().mut_args(|a| a.env(None::<&'static str>))
}

/// The options the environment sets: each option declared with a variable (clap's `env`: `PGSH_RETRY_*`,
/// `PGSH_CONNECT_TIMEOUT`, `PGSH_POOL_SIZE`), its value taken from `env` and parsed by the option's own
/// parser, so a variable accepts exactly what its flag accepts. An empty variable counts as unset; a bad
/// value is an error naming the variable.
pub fn env_options(env: &dyn Fn(&str) -> Option<String>) -> Result<Options, String> {
    use clap::{CommandFactory, FromArgMatches};
    let mut args = vec!["pgsh".to_string()];
    for arg in Options::command().get_arguments() {
        let (Some(var), Some(long)) = (arg.get_env().and_then(|v| v.to_str()), arg.get_long())
        else {
            continue;
        };
        let Some(value) = env(var).filter(|v| !v.is_empty()) else {
            continue;
        };
        let flag = format!("--{long}={value}");
        // Parsed alone first, so an error names its variable.
        if let Err(e) = command().try_get_matches_from([args[0].as_str(), flag.as_str()]) {
            return Err(format!("{var}=\"{value}\": {}", clap_message(&e)));
        }
        args.push(flag);
    }
    command()
        .try_get_matches_from(args)
        .and_then(|m| Options::from_arg_matches(&m))
        .map_err(|e| clap_message(&e))
}

/// A clap error's message without its "error: " prefix and usage lines.
fn clap_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_string()
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
    use clap::FromArgMatches;
    let all: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let psql = psql_mode(&all);
    let (for_clap, script) = split_script(&all, psql);
    let matches = command().try_get_matches_from(for_clap)?;
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
