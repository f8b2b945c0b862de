//! Options, the environment and the configuration file → what a run does ([`Config`]): the mode, the
//! connection target and its precedence, retry and pool settings.

use crate::error::SqlState;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::FileConfig;
use crate::db::pool::PoolSettings;
use crate::db::retry::{DurationValue, RetrySettings};
use crate::db::target::{ConnFields, ConnParams};
use crate::error::{Error, Result};
use crate::output::Format;
use crate::psql::startup::{Setting, Startup};
use crate::script::limits::Limits;
use crate::shell::{DefaultTarget, RetryLayers, ShellConfig};

use super::options::{env_options, Options};

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
            .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION)
        })?),
        None => None,
    };
    let conn_err = |e: crate::db::target::ParamsError| {
        Error::new(crate::error::ErrorKind::Connect, e.to_string())
            .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION)
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
    // On the embedded server, -d and -U (and the positional DBNAME [USERNAME]) pick a database and a role
    // on it; what names another server cannot apply.
    if wants_embedded && (flags.names_server() || profile.is_some()) {
        return Err(Error::usage(
            "--embedded/--data use pgsh's embedded database; they cannot be combined with -h, -p, a              connection string naming a server, or --profile (-d NAME and -U NAME pick a database and a              role on it)",
        ));
    }
    // psql has no embedded database: it connects with libpq's defaults when nothing names a server.
    let target = if !psql_mode && (wants_embedded || !names_server) {
        // PGDATABASE counts when the embedded database was asked for; when it is only the fallback (nothing
        // names a server), the environment's settings are meant for a server and a database named there
        // would not exist here. PGUSER is never applied: it usually names the login of a server, and the
        // embedded server's roles are only postgres and those created on it.
        let env_dbname = env_params.dbname.clone().filter(|_| wants_embedded);
        DefaultTarget::Embedded {
            data: opts.data.clone(),
            dbname: flags.dbname.clone().or(env_dbname),
            user: flags.user.clone(),
        }
    } else {
        let merged = match &url {
            Some(u) => flags.or(u).or(&env_params),
            None => flags.or(&env_params),
        };
        DefaultTarget::Server(Box::new(merged))
    };

    // The options the environment sets (PGSH_RETRY_*, PGSH_CONNECT_TIMEOUT, PGSH_POOL_SIZE), below the flags.
    let from_env = env_options(env).map_err(|e| Error::usage(format!("environment: {e}")))?;
    let retry = RetryLayers {
        file: file.retry.clone(),
        profile: profile.map(|p| p.retry.clone()).unwrap_or_default(),
        // A connection string's own connect_timeout counts at its layer: `-d` with the flags, DATABASE_URL
        // above the PG* variables.
        env: {
            let mut e = retry_from_flags(&from_env);
            if e.connect_timeout.is_none() {
                e.connect_timeout = url
                    .as_ref()
                    .and_then(|u| u.connect_timeout)
                    .or(env_params.connect_timeout)
                    .map(libpq_timeout_value);
            }
            e
        },
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
        .or(from_env.pool_size)
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
            settings.push(Setting::Pset("format".into(), Some(f.pset.clone())));
            f.rhai
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

fn text_duration(v: Option<String>) -> Option<DurationValue> {
    v.filter(|s| !s.is_empty()).map(DurationValue::Text)
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
