//! Command-line options → a run configuration. Pure: the environment comes in as a function, nothing is read
//! or printed here. Each option is defined once; its doc comment is its help text.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Parser};

use crate::config::FileConfig;
use crate::db::pool::PoolSettings;
use crate::db::retry::{DurationValue, RetrySettings};
use crate::db::target::ConnParams;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::script::limits::Limits;
use crate::shell::{DefaultTarget, RetryLayers, ShellConfig};

/// pgsh — a PostgreSQL shell scripted in Rhai.
///
/// With no server named by flags, DATABASE_URL or PG* variables, pgsh runs on an embedded PostgreSQL.
#[derive(Parser, Debug, Clone, Default)]
#[command(
    name = "pgsh",
    version,
    disable_help_flag = true,
    after_help = "Connection precedence: flags, then DATABASE_URL, then PGHOST/PGPORT/PGUSER/PGDATABASE/... \
                  Exit codes: 0 ok, 1 pgsh error, 2 connection failure, 3 script error, 130 interrupted."
)]
pub struct Options {
    /// Rhai script to run ("-" reads it from stdin); without one, pgsh opens the REPL.
    pub script: Option<PathBuf>,

    /// Arguments for the script (available to it as ARGS).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,

    /// Evaluate Rhai code and exit.
    #[arg(short = 'e', long = "eval", value_name = "CODE")]
    pub eval: Option<String>,

    /// Run one SQL command and print its result like psql (repeatable).
    #[arg(short = 'c', long = "command", value_name = "SQL")]
    pub command: Vec<String>,

    /// Run a SQL file as psql -f does (repeatable; "-" for stdin).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Vec<PathBuf>,

    /// Database name or connection string (postgres://user@host:port/db or "host=... dbname=...").
    #[arg(short = 'd', long = "dbname", value_name = "DBNAME|URL")]
    pub dbname: Option<String>,

    /// Server host name or unix-socket directory.
    #[arg(short = 'h', long = "host", value_name = "HOST")]
    pub host: Option<String>,

    /// Server port.
    #[arg(short = 'p', long = "port", value_name = "PORT")]
    pub port: Option<u16>,

    /// User name to connect as.
    #[arg(short = 'U', long = "username", value_name = "USER")]
    pub username: Option<String>,

    /// Connect with a named profile from the configuration file ($XDG_CONFIG_HOME/pgsh/config.toml).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Use the embedded PostgreSQL even if a server is configured.
    #[arg(long)]
    pub embedded: bool,

    /// Keep the embedded database in DIR (created if missing, reopened next time).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Print each SQL statement (and its parameters) to stderr before running it, like psql -e.
    #[arg(long)]
    pub echo: bool,

    /// Quiet: no banner, no retry lines.
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Do not run ~/.pgshrc.rhai (or $XDG_CONFIG_HOME/pgsh/rc.rhai) before the first prompt.
    #[arg(long = "no-rc", short = 'X')]
    pub no_rc: bool,

    /// Run the whole script, -c commands or -f files in one transaction (commit at the end, roll back on error).
    #[arg(short = '1', long = "single-transaction")]
    pub single_transaction: bool,

    /// Keep going after a failed SQL statement in -f files (psql's default); pgsh stops by default.
    #[arg(long = "continue-on-error")]
    pub continue_on_error: bool,

    /// Output format for -c, -f and REPL results: table, csv, json, jsonl or markdown.
    #[arg(long, value_name = "FORMAT", default_value = "table")]
    pub format: String,

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
    pub retry_jitter: Option<String>,

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

    /// Maximum depth of Rhai function calls (runaway recursion fails cleanly).
    #[arg(long, value_name = "N")]
    pub max_call_levels: Option<usize>,

    /// Print help.
    #[arg(long = "help", short = '?', action = ArgAction::Help)]
    pub help: Option<bool>,

    /// `-c` and `-f` in command-line order (psql runs them in the order given); filled from the parsed
    /// argument positions by [`parse_from`].
    #[arg(skip)]
    pub sql_order: Vec<SqlSource>,
}

/// Parse arguments, keeping the relative order of `-c` and `-f`.
pub fn parse_from<I, T>(args: I) -> std::result::Result<Options, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    let matches = Options::command().try_get_matches_from(args)?;
    let mut opts = Options::from_arg_matches(&matches)?;
    let mut order: Vec<(usize, SqlSource)> = Vec::new();
    if let Some(idx) = matches.indices_of("command") {
        order.extend(idx.zip(opts.command.iter().cloned().map(SqlSource::Command)));
    }
    if let Some(idx) = matches.indices_of("file") {
        order.extend(idx.zip(opts.file.iter().cloned().map(SqlSource::File)));
    }
    order.sort_by_key(|(i, _)| *i);
    opts.sql_order = order.into_iter().map(|(_, s)| s).collect();
    Ok(opts)
}

/// What to run.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// The interactive REPL.
    Repl,
    /// A script from stdin, run through the REPL's loop without editor, prompts or colours.
    Stdin,
    /// A Rhai script file.
    Script { path: PathBuf, args: Vec<String> },
    /// `-e CODE`.
    Eval { code: String, args: Vec<String> },
    /// `-c` / `-f`, in the order given.
    Sql(Vec<SqlSource>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SqlSource {
    Command(String),
    File(PathBuf),
}

/// Everything a run needs to know.
#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub host: ShellConfig,
    pub quiet: bool,
    pub no_rc: bool,
    pub single_transaction: bool,
    pub continue_on_error: bool,
    pub format: Format,
    pub limits: Limits,
}

/// Turn options and the environment into a configuration. `stdin_tty` decides between REPL and piped input.
pub fn configure(
    opts: Options,
    env: &dyn Fn(&str) -> Option<String>,
    stdin_tty: bool,
    file: &FileConfig,
) -> Result<Config> {
    let mode = if let Some(code) = opts.eval.clone() {
        let mut args = opts.args.clone();
        if let Some(s) = &opts.script {
            args.insert(0, s.display().to_string());
        }
        Mode::Eval { code, args }
    } else if !opts.command.is_empty() || !opts.file.is_empty() {
        if opts.script.is_some() {
            return Err(Error::usage(
                "a script cannot be combined with -c or -f; run one or the other",
            ));
        }
        if opts.sql_order.is_empty() {
            // Built without positions (not through `parse_from`): all -c, then all -f.
            let mut sources: Vec<SqlSource> = opts
                .command
                .iter()
                .cloned()
                .map(SqlSource::Command)
                .collect();
            sources.extend(opts.file.iter().cloned().map(SqlSource::File));
            Mode::Sql(sources)
        } else {
            Mode::Sql(opts.sql_order.clone())
        }
    } else {
        match &opts.script {
            Some(p) if p.as_os_str() == "-" => Mode::Stdin,
            Some(p) => Mode::Script {
                path: p.clone(),
                args: opts.args.clone(),
            },
            None if stdin_tty => Mode::Repl,
            None => Mode::Stdin,
        }
    };

    let conn_err = |e: crate::db::target::ParamsError| {
        Error::new(crate::error::ErrorKind::Connect, e.to_string()).with_code("08001")
    };
    let mut flags = match &opts.dbname {
        Some(d) if ConnParams::looks_like_conninfo(d) => ConnParams::parse(d).map_err(conn_err)?,
        Some(d) => ConnParams {
            dbname: Some(d.clone()),
            ..ConnParams::default()
        },
        None => ConnParams::default(),
    };
    if let Some(h) = &opts.host {
        flags.hosts = h.split(',').map(str::to_string).collect();
    }
    if let Some(p) = opts.port {
        flags.ports = vec![p];
    }
    if let Some(u) = &opts.username {
        flags.user = Some(u.clone());
    }
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
    let url = match env("DATABASE_URL").filter(|s| !s.is_empty()) {
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
    let target = if wants_embedded || !names_server {
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
    let format: Format = opts.format.parse().map_err(Error::usage)?;
    let mut limits = Limits::default();
    file.limits.apply(&mut limits);
    if let Some(n) = opts.max_operations {
        limits.max_operations = n;
    }
    if let Some(n) = opts.max_call_levels {
        limits.max_call_levels = n;
    }
    Ok(Config {
        mode,
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
        no_rc: opts.no_rc,
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
        jitter: env("PGSH_RETRY_JITTER").filter(|s| !s.is_empty()),
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
        jitter: opts.retry_jitter.clone(),
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
            cfg(&["-e", "1+1"], &[], true).unwrap().mode,
            Mode::Eval { .. }
        ));
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
    fn sql_sources_keep_command_line_order() {
        let c = cfg(&["-f", "a.sql", "-c", "SELECT 1", "-f", "b.sql"], &[], true).unwrap();
        assert_eq!(
            c.mode,
            Mode::Sql(vec![
                SqlSource::File("a.sql".into()),
                SqlSource::Command("SELECT 1".into()),
                SqlSource::File("b.sql".into()),
            ])
        );
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
    fn bad_url_is_a_connection_error_without_the_password() {
        let err = cfg(&["-d", "postgres://u:s3cret@host:99999/db"], &[], true).unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert_eq!(err.exit_code(), 2);
    }
}
