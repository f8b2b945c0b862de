//! Fuzzing the command-line reader (issue 14): any argument vector — every option of pgsh and psql, glued
//! and separated, clusters of short options, values with NUL, invalid UTF-8 (an `OsString` holds what
//! the OS gives), unbalanced quotes and huge tokens — with any PG*/PGSH_*/DATABASE_URL environment and any
//! configuration file text, is read without a panic or a hang: a configuration or a clear error.

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use clap::CommandFactory;
use proptest::prelude::*;

use super::configure;
use super::options::{parse_from, psql_mode, split_script, Options};
use crate::config::FileConfig;
use crate::fuzz_input::{config, hostile_bytes_with, hostile_text_with, within, CASE_LIMIT};

/// Every option as written on a command line: `--long`, `-s`, and pgsh's `--psql`, `--`, `-`.
fn option_names() -> Vec<String> {
    let cmd = Options::command();
    let mut names: Vec<String> = cmd
        .get_arguments()
        .flat_map(|a| {
            let long = a.get_long().map(|l| format!("--{l}"));
            let short = a.get_short().map(|s| format!("-{s}"));
            long.into_iter().chain(short)
        })
        .collect();
    names.extend(
        [
            "--psql",
            "--",
            "-",
            "-?",
            "--help=commands",
            "--help=variables",
        ]
        .map(String::from),
    );
    names.sort();
    names.dedup();
    names
}

/// Words option values are made of: numbers (also out of range), durations, formats, connection strings
/// and URLs, `name=value` settings, script names.
const VALUE_WORDS: &[&str] = &[
    "0",
    "1",
    "-1",
    "65535",
    "65536",
    "99999999999999999999",
    "1.5",
    "10ms",
    "1s",
    "0s",
    "-5s",
    "1h",
    "nan",
    "inf",
    "full",
    "none",
    "equal",
    "table",
    "csv",
    "json",
    "jsonl",
    "md",
    "aligned",
    "wrapped",
    "x.rhai",
    ".rhai",
    "-.rhai",
    "host=",
    "port=",
    "dbname=",
    "user=",
    "password=",
    "service=",
    "sslmode=",
    "connect_timeout=",
    "postgres://",
    "postgresql://",
    "@",
    "/",
    "?",
    "&",
    "%",
    "%zz",
    "%00",
    "[::1]",
    "=",
    "==",
    "ON_ERROR_STOP=1",
    "AUTOCOMMIT",
    "format=",
    "null=",
    "border=9",
];

/// One argument: an option (alone, `=`-glued to a value, or a cluster of short options) or a value.
fn argument() -> impl Strategy<Value = OsString> {
    let names = option_names();
    let shorts: Vec<char> = names
        .iter()
        .filter_map(|n| n.strip_prefix('-').filter(|s| s.len() == 1))
        .filter_map(|s| s.chars().next())
        .collect();
    let value = hostile_bytes_with(VALUE_WORDS, 6);
    prop_oneof![
        4 => prop::sample::select(names.clone()).prop_map(OsString::from),
        2 => (prop::sample::select(names), value.clone()).prop_map(|(n, v)| {
            let mut arg = format!("{n}=").into_bytes();
            arg.extend(v);
            OsString::from_vec(arg)
        }),
        1 => (prop::collection::vec(prop::sample::select(shorts), 1..5), value.clone()).prop_map(
            |(cluster, v)| {
                let mut arg = format!("-{}", cluster.into_iter().collect::<String>()).into_bytes();
                arg.extend(v);
                OsString::from_vec(arg)
            }
        ),
        4 => value.prop_map(OsString::from_vec),
    ]
}

/// An argument vector as `main` gets it: a program name (sometimes `psql`, which switches psql mode on)
/// and arguments.
fn argv() -> impl Strategy<Value = Vec<OsString>> {
    (
        prop::sample::select(vec!["pgsh", "/usr/bin/psql", "psql", "./pgsh"]),
        prop::collection::vec(argument(), 0..12),
    )
        .prop_map(|(program, args)| {
            std::iter::once(OsString::from(program))
                .chain(args)
                .collect()
        })
}

/// The variables the configuration reads, each unset or set to hostile text.
const VARIABLES: &[&str] = &[
    "DATABASE_URL",
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
    "PGSERVICE",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGCONNECT_TIMEOUT",
    "PGAPPNAME",
    "PGOPTIONS",
    "PGTARGETSESSIONATTRS",
    "PGTZ",
    "PGDATESTYLE",
    "PGGEQO",
    "PGSH_POOL_SIZE",
    "PGSH_CONNECT_TIMEOUT",
    "PGSH_RETRY_ATTEMPTS",
    "PGSH_RETRY_DELAY",
    "PGSH_RETRY_MAX_DELAY",
    "PGSH_RETRY_BACKOFF",
    "PGSH_RETRY_DEADLINE",
    "PGSH_RETRY_JITTER",
];

fn environment() -> impl Strategy<Value = HashMap<String, String>> {
    prop::collection::vec(
        (
            prop::sample::select(VARIABLES),
            hostile_text_with(VALUE_WORDS, 6),
        ),
        0..6,
    )
    .prop_map(|vars| vars.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Configuration-file text: TOML's pieces and pgsh's section and key names among hostile text.
fn config_text() -> impl Strategy<Value = String> {
    hostile_text_with(
        &[
            "[retry]\n",
            "[pool]\n",
            "[limits]\n",
            "[profiles.a]\n",
            "[profiles]\n",
            "attempts = ",
            "delay = ",
            "max_delay = ",
            "size = ",
            "max_call_levels = ",
            "max_expr_depth = ",
            "url = ",
            "host = ",
            "port = ",
            "password_env = ",
            "= ",
            "\"",
            "'''",
            "\"\"\"",
            "[[",
            "]]",
            "{",
            "}",
            "#",
            "true",
            "1e999",
            "-9223372036854775809",
        ],
        20,
    )
}

proptest! {
    // Each case parses a few arguments (well under a millisecond, a huge token a few ms): seconds in all.
    #![proptest_config(config(400))]

    #[test]
    fn any_command_line_is_read_or_refused_clearly(
        args in argv(),
        env in environment(),
        stdin_tty in any::<bool>(),
        use_profile in any::<bool>(),
    ) {
        within(CASE_LIMIT, move || {
            let psql = psql_mode(&args);
            let (for_clap, script) = split_script(&args, psql);
            // What goes to clap and to the script is the vector, in order, cut in two.
            let rest: usize = script.as_ref().map_or(0, |(_, rest)| rest.len() + 1);
            assert_eq!(for_clap.len() + rest, args.len(), "{args:?}");
            let Ok(mut opts) = parse_from(args.clone()) else {
                return;
            };
            if !use_profile {
                opts.profile = None;
            }
            let env = move |k: &str| env.get(k).cloned();
            if let Err(e) = configure(opts, &env, stdin_tty, &FileConfig::default()) {
                assert!(!e.to_string().is_empty(), "an empty error for {args:?}");
            }
        });
    }

    #[test]
    fn any_configuration_file_is_read_or_refused_clearly(text in config_text(), profile in any::<bool>()) {
        within(CASE_LIMIT, move || {
            let Ok(file) = FileConfig::parse(&text, Path::new("/fuzz/config.toml")) else {
                return;
            };
            let args: &[&str] = if profile { &["pgsh", "--profile", "a"] } else { &["pgsh"] };
            let Ok(opts) = parse_from(args) else { panic!("{args:?} refused") };
            let _ = configure(opts, &|_| None, false, &file);
        });
    }
}
