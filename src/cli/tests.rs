//! Tests of the command line and the configuration it gives.

use std::collections::HashMap;
use std::time::Duration;

use super::options::{help_text, parse_from, psql_mode};
use super::{configure, Config, Mode};
use crate::config::FileConfig;
use crate::db::retry::Jitter;
use crate::error::{Error, Result};
use crate::psql::startup::{Action, Setting};
use crate::shell::DefaultTarget;

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
    assert_eq!(
        c.host.target,
        DefaultTarget::Embedded {
            data: None,
            dbname: None,
            user: None
        }
    );
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
        DefaultTarget::Embedded { data: None, .. }
    ));
    let c = cfg(&["--data", "/tmp/x"], &[], true).unwrap();
    assert_eq!(
        c.host.target,
        DefaultTarget::Embedded {
            data: Some("/tmp/x".into()),
            dbname: None,
            user: None
        }
    );
    for args in [
        &["--data", "/tmp/x", "-h", "db"][..],
        &["--embedded", "-p", "5433"],
        &["--embedded", "-d", "host=db dbname=x"],
    ] {
        let e = cfg(args, &[], true).unwrap_err();
        assert!(
            e.message().contains("cannot be combined with -h, -p"),
            "{args:?}: {e}"
        );
    }
}

/// -d/-U, the positional DBNAME [USERNAME], a connection string without a host and PGDATABASE pick the
/// database and role on the embedded server; PGUSER does not, nor does PGDATABASE when the embedded
/// database is only the fallback.
#[test]
fn embedded_takes_a_database_and_a_role() {
    let target = |args: &[&str], env: &[(&str, &str)]| cfg(args, env, true).unwrap().host.target;
    let emb = |d: Option<&str>, u: Option<&str>| DefaultTarget::Embedded {
        data: Some("/tmp/x".into()),
        dbname: d.map(str::to_string),
        user: u.map(str::to_string),
    };
    assert_eq!(
        target(&["--data", "/tmp/x", "-d", "chinook"], &[]),
        emb(Some("chinook"), None)
    );
    assert_eq!(
        target(
            &["--data", "/tmp/x", "chinook", "app"],
            &[("PGUSER", "bob")]
        ),
        emb(Some("chinook"), Some("app"))
    );
    assert_eq!(
        target(&["--data", "/tmp/x", "-d", "dbname=chinook user=app"], &[]),
        emb(Some("chinook"), Some("app"))
    );
    assert_eq!(
        target(
            &["--data", "/tmp/x"],
            &[("PGDATABASE", "chinook"), ("PGUSER", "bob")]
        ),
        emb(Some("chinook"), None)
    );
    assert_eq!(
        target(
            &["--data", "/tmp/x", "-d", "other"],
            &[("PGDATABASE", "chinook")]
        ),
        emb(Some("other"), None)
    );
    assert_eq!(
        target(&[], &[("PGDATABASE", "chinook")]),
        DefaultTarget::Embedded {
            data: None,
            dbname: None,
            user: None
        }
    );
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
    assert!(
        e.to_string()
            .starts_with("environment: PGSH_RETRY_JITTER=\"some\": ")
            && e.to_string()
                .contains("invalid jitter \"some\": expected full or none"),
        "{e}"
    );
    let e = parse_from(["pgsh", "--retry-jitter", "some"]).unwrap_err();
    assert!(
        e.to_string()
            .contains("invalid jitter \"some\": expected full or none"),
        "{e}"
    );
}

/// Each variable is declared once, with clap's `env` on its option: `--help` names it, its value goes through
/// the option's own parser, and it is read from the environment `configure` is given (never the process's).
#[test]
fn environment_variables_are_their_options_read_from_the_given_environment() {
    let help = help_text();
    for var in [
        "PGSH_RETRY_ATTEMPTS",
        "PGSH_RETRY_DELAY",
        "PGSH_RETRY_BACKOFF",
        "PGSH_RETRY_MAX_DELAY",
        "PGSH_RETRY_JITTER",
        "PGSH_RETRY_DEADLINE",
        "PGSH_CONNECT_TIMEOUT",
        "PGSH_POOL_SIZE",
    ] {
        assert!(help.contains(&format!("[env: {var}")), "--help lacks {var}");
    }
    let env = [
        ("PGSH_POOL_SIZE", "9"),
        ("PGSH_RETRY_BACKOFF", "1.5"),
        ("PGSH_RETRY_ATTEMPTS", ""),
    ];
    let c = cfg(&[], &env, true).unwrap();
    assert_eq!(c.host.pool.size, 9);
    assert_eq!(c.host.policy.backoff, 1.5);
    // An empty variable is unset: the default number of attempts stays.
    assert_eq!(
        c.host.policy.attempts,
        cfg(&[], &[], true).unwrap().host.policy.attempts
    );
    // Flags are above the environment.
    let c = cfg(&["--pool-size", "3"], &env, true).unwrap();
    assert_eq!(c.host.pool.size, 3);
    for (var, bad) in [
        ("PGSH_POOL_SIZE", "many"),
        ("PGSH_RETRY_ATTEMPTS", "-1"),
        ("PGSH_RETRY_BACKOFF", "fast"),
    ] {
        let e = cfg(&[], &[(var, bad)], true).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("environment: {var}=\"{bad}\": invalid value")),
            "{e}"
        );
    }
}

#[test]
fn bad_url_is_a_connection_error_without_the_password() {
    let err = cfg(&["-d", "postgres://u:s3cret@host:99999/db"], &[], true).unwrap_err();
    assert!(!err.to_string().contains("s3cret"), "{err}");
    assert_eq!(err.exit_code(), 2);
}
