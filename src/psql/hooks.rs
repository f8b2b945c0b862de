//! psql's special variables (the hooks of `startup.c` and `EstablishVariableSpace`): which values each
//! accepts, what `\unset` turns into, and the [`Settings`] field each keeps in step; plus the variables
//! psql sets at startup.

use crate::psql::boolean::{bool_error, num_error, parse_bool, parse_num};
use crate::psql::settings::{
    CompCase, Echo, EchoHidden, ErrorRollback, HistControl, Settings, ShowContext, Verbosity,
};
use crate::psql::vars::{enum_error, AssignHook, SubstituteHook, Variables};
use crate::psql::varsync::{PSQL_VERSION_NAME, PSQL_VERSION_NUM, PSQL_VERSION_STR};

/// psql's default `PROMPT1` and `PROMPT2` (`settings.h`).
pub const DEFAULT_PROMPT1: &str = "%/%R%x%# ";
pub const DEFAULT_PROMPT2: &str = "%/%R%x%# ";
/// psql's default `PROMPT3`.
pub const DEFAULT_PROMPT3: &str = ">> ";

/// Every special variable with its hooks, in `EstablishVariableSpace`'s order.
const SPECIALS: [(&str, Option<SubstituteHook>, AssignHook); 22] = [
    ("AUTOCOMMIT", Some(bool_substitute), autocommit),
    ("ON_ERROR_STOP", Some(bool_substitute), on_error_stop),
    ("QUIET", Some(bool_substitute), quiet),
    ("SINGLELINE", Some(bool_substitute), singleline),
    ("SINGLESTEP", Some(bool_substitute), singlestep),
    ("FETCH_COUNT", Some(fetch_count_substitute), fetch_count),
    ("HISTFILE", None, histfile),
    ("HISTSIZE", Some(histsize_substitute), histsize),
    ("IGNOREEOF", Some(ignoreeof_substitute), ignoreeof),
    ("ECHO", Some(echo_substitute), echo),
    ("ECHO_HIDDEN", Some(bool_substitute), echo_hidden),
    (
        "ON_ERROR_ROLLBACK",
        Some(bool_substitute),
        on_error_rollback,
    ),
    (
        "COMP_KEYWORD_CASE",
        Some(comp_keyword_case_substitute),
        comp_keyword_case,
    ),
    ("HISTCONTROL", Some(histcontrol_substitute), histcontrol),
    ("PROMPT1", None, prompt1),
    ("PROMPT2", None, prompt2),
    ("PROMPT3", None, prompt3),
    ("VERBOSITY", Some(verbosity_substitute), verbosity),
    ("SHOW_ALL_RESULTS", Some(bool_substitute), show_all_results),
    ("SHOW_CONTEXT", Some(show_context_substitute), show_context),
    (
        "HIDE_TOAST_COMPRESSION",
        Some(bool_substitute),
        hide_compression,
    ),
    ("HIDE_TABLEAM", Some(bool_substitute), hide_tableam),
];

/// `EstablishVariableSpace`: install the special variables' hooks in `vars`. By psql's policy every
/// special variable has a hook, so it stays known (to tab completion) even when unset.
pub fn establish_variable_space(vars: &mut Variables, settings: &mut Settings) {
    for (name, substitute, assign) in SPECIALS {
        vars.set_hooks(settings, name, substitute, Some(assign));
    }
}

/// psql's variable space as `main` leaves it before reading the command line: the special variables,
/// `VERSION`, `VERSION_NAME`, `VERSION_NUM`, `LAST_ERROR_MESSAGE`/`LAST_ERROR_SQLSTATE`, and the defaults
/// that differ from what `\unset` gives (`AUTOCOMMIT on`, the prompts, `SHOW_ALL_RESULTS on`).
pub fn startup_variables(settings: &mut Settings) -> Variables {
    let mut vars = Variables::new();
    establish_variable_space(&mut vars, settings);
    let version_num = PSQL_VERSION_NUM.to_string();
    let defaults = [
        ("VERSION", PSQL_VERSION_STR),
        ("VERSION_NAME", PSQL_VERSION_NAME),
        ("VERSION_NUM", version_num.as_str()),
        ("LAST_ERROR_MESSAGE", ""),
        ("LAST_ERROR_SQLSTATE", "00000"),
        ("AUTOCOMMIT", "on"),
        ("PROMPT1", DEFAULT_PROMPT1),
        ("PROMPT2", DEFAULT_PROMPT2),
        ("PROMPT3", DEFAULT_PROMPT3),
        ("SHOW_ALL_RESULTS", "on"),
    ];
    for (name, value) in defaults {
        // Every one of these values is accepted by its hook (the tests check it).
        let _ = vars.set(settings, name, value);
    }
    vars
}

/// For boolean-ish variables: `\unset FOO` means `\set FOO off`, `\set FOO` means `\set FOO on`.
fn bool_substitute(v: Option<String>) -> Option<String> {
    match v {
        None => Some("off".into()),
        Some(s) if s.is_empty() => Some("on".into()),
        some => some,
    }
}

/// `ParseVariableBool` into `field`, with psql's message naming `name`.
fn assign_bool(v: Option<&str>, name: &str, field: &mut bool) -> Result<(), String> {
    // psql reads an unset value as "" (which no boolean matches).
    let v = v.unwrap_or("");
    *field = parse_bool(v).ok_or_else(|| bool_error(v, name))?;
    Ok(())
}

/// `ParseVariableNum` into `field`, with psql's message naming `name`.
fn assign_num(v: Option<&str>, name: &str, field: &mut i32) -> Result<(), String> {
    let v = v.unwrap_or("");
    *field = parse_num(v).ok_or_else(|| num_error(v, name))?;
    Ok(())
}

/// The value, or `default` when unset.
fn or_default(v: Option<String>, default: &str) -> Option<String> {
    Some(v.unwrap_or_else(|| default.to_owned()))
}

/// The enumerated value `v` matches (any case), else psql's message listing `suggestions`.
fn assign_enum<T: Copy>(
    v: Option<&str>,
    name: &str,
    choices: &[(&str, T)],
    suggestions: &str,
) -> Result<T, String> {
    // The substitute hooks of these variables never leave them unset.
    let v = v.unwrap_or("");
    choices
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(v))
        .map(|&(_, t)| t)
        .ok_or_else(|| enum_error(name, v, suggestions))
}

fn autocommit(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "AUTOCOMMIT", &mut s.autocommit)
}

fn on_error_stop(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "ON_ERROR_STOP", &mut s.on_error_stop)
}

fn quiet(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "QUIET", &mut s.quiet)
}

fn singleline(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "SINGLELINE", &mut s.singleline)
}

fn singlestep(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "SINGLESTEP", &mut s.singlestep)
}

fn fetch_count_substitute(v: Option<String>) -> Option<String> {
    or_default(v, "0")
}

fn fetch_count(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_num(v, "FETCH_COUNT", &mut s.fetch_count)
}

/// A placeholder, as in psql: it keeps `HISTFILE` known to tab completion; any file name is accepted.
fn histfile(_: Option<&str>, _: &mut Settings) -> Result<(), String> {
    Ok(())
}

fn histsize_substitute(v: Option<String>) -> Option<String> {
    or_default(v, "500")
}

fn histsize(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_num(v, "HISTSIZE", &mut s.histsize)
}

/// Like bash's IGNOREEOF: unset means 0 (EOF ends the session), a value that is not an integer means 10.
fn ignoreeof_substitute(v: Option<String>) -> Option<String> {
    match v {
        None => Some("0".into()),
        Some(s) if parse_num(&s).is_none() => Some("10".into()),
        some => some,
    }
}

fn ignoreeof(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_num(v, "IGNOREEOF", &mut s.ignoreeof)
}

fn echo_substitute(v: Option<String>) -> Option<String> {
    or_default(v, "none")
}

fn echo(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    let choices = [
        ("queries", Echo::Queries),
        ("errors", Echo::Errors),
        ("all", Echo::All),
        ("none", Echo::None),
    ];
    s.echo = assign_enum(v, "ECHO", &choices, "none, errors, queries, all")?;
    Ok(())
}

fn echo_hidden(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    let v = v.unwrap_or("");
    s.echo_hidden = if v.eq_ignore_ascii_case("noexec") {
        EchoHidden::NoExec
    } else {
        match parse_bool(v) {
            Some(true) => EchoHidden::On,
            Some(false) => EchoHidden::Off,
            None => return Err(enum_error("ECHO_HIDDEN", v, "on, off, noexec")),
        }
    };
    Ok(())
}

fn on_error_rollback(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    let v = v.unwrap_or("");
    s.on_error_rollback = if v.eq_ignore_ascii_case("interactive") {
        ErrorRollback::Interactive
    } else {
        match parse_bool(v) {
            Some(true) => ErrorRollback::On,
            Some(false) => ErrorRollback::Off,
            None => return Err(enum_error("ON_ERROR_ROLLBACK", v, "on, off, interactive")),
        }
    };
    Ok(())
}

fn comp_keyword_case_substitute(v: Option<String>) -> Option<String> {
    or_default(v, "preserve-upper")
}

fn comp_keyword_case(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    let choices = [
        ("preserve-upper", CompCase::PreserveUpper),
        ("preserve-lower", CompCase::PreserveLower),
        ("upper", CompCase::Upper),
        ("lower", CompCase::Lower),
    ];
    s.comp_case = assign_enum(
        v,
        "COMP_KEYWORD_CASE",
        &choices,
        "lower, upper, preserve-lower, preserve-upper",
    )?;
    Ok(())
}

fn histcontrol_substitute(v: Option<String>) -> Option<String> {
    or_default(v, "none")
}

fn histcontrol(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    let choices = [
        ("ignorespace", HistControl::IgnoreSpace),
        ("ignoredups", HistControl::IgnoreDups),
        ("ignoreboth", HistControl::IgnoreBoth),
        ("none", HistControl::None),
    ];
    s.histcontrol = assign_enum(
        v,
        "HISTCONTROL",
        &choices,
        "none, ignorespace, ignoredups, ignoreboth",
    )?;
    Ok(())
}

/// An unset prompt is an empty prompt (the variable stays unset, so `\set` does not list it).
fn prompt1(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    s.prompt1 = v.unwrap_or("").to_owned();
    Ok(())
}

fn prompt2(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    s.prompt2 = v.unwrap_or("").to_owned();
    Ok(())
}

fn prompt3(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    s.prompt3 = v.unwrap_or("").to_owned();
    Ok(())
}

fn verbosity_substitute(v: Option<String>) -> Option<String> {
    or_default(v, "default")
}

/// psql also passes the new verbosity to libpq (`PQsetErrorVerbosity`); pgsh's engine formats errors
/// itself and reads `settings.verbosity` when it does.
fn verbosity(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    let choices = [
        ("default", Verbosity::Default),
        ("verbose", Verbosity::Verbose),
        ("terse", Verbosity::Terse),
        ("sqlstate", Verbosity::Sqlstate),
    ];
    s.verbosity = assign_enum(
        v,
        "VERBOSITY",
        &choices,
        "default, verbose, terse, sqlstate",
    )?;
    Ok(())
}

fn show_all_results(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "SHOW_ALL_RESULTS", &mut s.show_all_results)
}

fn show_context_substitute(v: Option<String>) -> Option<String> {
    or_default(v, "errors")
}

/// Like `verbosity`: libpq's context visibility is read from `settings.show_context` by the engine.
fn show_context(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    let choices = [
        ("never", ShowContext::Never),
        ("errors", ShowContext::Errors),
        ("always", ShowContext::Always),
    ];
    s.show_context = assign_enum(v, "SHOW_CONTEXT", &choices, "never, errors, always")?;
    Ok(())
}

fn hide_compression(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "HIDE_TOAST_COMPRESSION", &mut s.hide_compression)
}

fn hide_tableam(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
    assign_bool(v, "HIDE_TABLEAM", &mut s.hide_tableam)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> (Variables, Settings) {
        let mut s = Settings::default();
        let v = startup_variables(&mut s);
        (v, s)
    }

    #[test]
    fn startup_matches_psqls_defaults() {
        // Start from the opposite of every default, to see the hooks set each field.
        let mut s = Settings {
            autocommit: false,
            show_all_results: false,
            histsize: 0,
            prompt1: String::new(),
            echo: Echo::All,
            verbosity: Verbosity::Terse,
            show_context: ShowContext::Always,
            ..Settings::default()
        };
        let v = startup_variables(&mut s);
        assert_eq!(s, Settings::default());
        // psql 15: `psql -X -c '\set'` on the dev server, less the connection variables (set by
        // `varsync::sync_variables`).
        let expected = "AUTOCOMMIT = 'on'
COMP_KEYWORD_CASE = 'preserve-upper'
ECHO = 'none'
ECHO_HIDDEN = 'off'
FETCH_COUNT = '0'
HIDE_TABLEAM = 'off'
HIDE_TOAST_COMPRESSION = 'off'
HISTCONTROL = 'none'
HISTSIZE = '500'
IGNOREEOF = '0'
LAST_ERROR_MESSAGE = ''
LAST_ERROR_SQLSTATE = '00000'
ON_ERROR_ROLLBACK = 'off'
ON_ERROR_STOP = 'off'
PROMPT1 = '%/%R%x%# '
PROMPT2 = '%/%R%x%# '
PROMPT3 = '>> '
QUIET = 'off'
SHOW_ALL_RESULTS = 'on'
SHOW_CONTEXT = 'errors'
SINGLELINE = 'off'
SINGLESTEP = 'off'
VERBOSITY = 'default'
VERSION = 'PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit'
VERSION_NAME = '15.18 (Debian 15.18-0+deb12u1)'
VERSION_NUM = '150018'
";
        assert_eq!(v.print_variables(), expected);
        for (name, _, _) in SPECIALS {
            assert!(v.has_hook(name), "{name}");
        }
        assert!(!v.has_hook("VERSION"));
    }

    #[test]
    fn rejected_values_with_psqls_messages() {
        // psql 15: `psql -X -c '\set NAME VALUE'` for each pair; the message is what psql printed on
        // stderr, and the variable kept its value.
        let cases = [
            ("ON_ERROR_STOP", "maybe", "unrecognized value \"maybe\" for \"ON_ERROR_STOP\": Boolean expected"),
            ("FETCH_COUNT", "x", "invalid value \"x\" for \"FETCH_COUNT\": integer expected"),
            ("FETCH_COUNT", "", "invalid value \"\" for \"FETCH_COUNT\": integer expected"),
            ("ECHO", "bogus", "unrecognized value \"bogus\" for \"ECHO\"\nAvailable values are: none, errors, queries, all."),
            ("ECHO_HIDDEN", "x", "unrecognized value \"x\" for \"ECHO_HIDDEN\"\nAvailable values are: on, off, noexec."),
            ("ON_ERROR_ROLLBACK", "x", "unrecognized value \"x\" for \"ON_ERROR_ROLLBACK\"\nAvailable values are: on, off, interactive."),
            ("COMP_KEYWORD_CASE", "x", "unrecognized value \"x\" for \"COMP_KEYWORD_CASE\"\nAvailable values are: lower, upper, preserve-lower, preserve-upper."),
            ("HISTCONTROL", "x", "unrecognized value \"x\" for \"HISTCONTROL\"\nAvailable values are: none, ignorespace, ignoredups, ignoreboth."),
            ("VERBOSITY", "x", "unrecognized value \"x\" for \"VERBOSITY\"\nAvailable values are: default, verbose, terse, sqlstate."),
            ("SHOW_CONTEXT", "x", "unrecognized value \"x\" for \"SHOW_CONTEXT\"\nAvailable values are: never, errors, always."),
            ("HISTSIZE", "1.5", "invalid value \"1.5\" for \"HISTSIZE\": integer expected"),
            ("HIDE_TOAST_COMPRESSION", "x", "unrecognized value \"x\" for \"HIDE_TOAST_COMPRESSION\": Boolean expected"),
            ("QUIET", "2", "unrecognized value \"2\" for \"QUIET\": Boolean expected"),
        ];
        for (name, value, message) in cases {
            let (mut v, mut s) = fresh();
            let before = v.get(name).map(str::to_owned);
            let settings_before = s.clone();
            assert_eq!(
                v.set(&mut s, name, value),
                Err(message.to_owned()),
                "{name}"
            );
            assert_eq!(v.get(name).map(str::to_owned), before, "{name}");
            assert_eq!(s, settings_before, "{name}");
        }
    }

    #[test]
    fn accepted_values_update_settings() {
        let (mut v, mut s) = fresh();
        let sets = [
            ("AUTOCOMMIT", "of"),
            ("ON_ERROR_STOP", ""),
            ("QUIET", "yes"),
            ("SINGLELINE", "t"),
            ("SINGLESTEP", "1"),
            ("FETCH_COUNT", "0x10"),
            ("HISTSIZE", "-1"),
            ("IGNOREEOF", "x"),
            ("ECHO", "QUERIES"),
            ("ECHO_HIDDEN", "NoExec"),
            ("ON_ERROR_ROLLBACK", "INTERACTIVE"),
            ("COMP_KEYWORD_CASE", "Lower"),
            ("HISTCONTROL", "ignoreboth"),
            ("PROMPT1", "%n> "),
            ("VERBOSITY", "sqlstate"),
            ("SHOW_ALL_RESULTS", "off"),
            ("SHOW_CONTEXT", "always"),
            ("HIDE_TOAST_COMPRESSION", "on"),
            ("HIDE_TABLEAM", "true"),
            ("HISTFILE", "/x"),
        ];
        for (name, value) in sets {
            v.set(&mut s, name, value).unwrap();
        }
        assert!(!s.autocommit && s.on_error_stop && s.quiet && s.singleline && s.singlestep);
        assert_eq!((s.fetch_count, s.histsize, s.ignoreeof), (16, -1, 10));
        assert_eq!(s.echo, Echo::Queries);
        assert_eq!(s.echo_hidden, EchoHidden::NoExec);
        assert_eq!(s.on_error_rollback, ErrorRollback::Interactive);
        assert_eq!(s.comp_case, CompCase::Lower);
        assert_eq!(s.histcontrol, HistControl::IgnoreBoth);
        assert_eq!(s.prompt1, "%n> ");
        assert_eq!(s.verbosity, Verbosity::Sqlstate);
        assert!(!s.show_all_results && s.hide_compression && s.hide_tableam);
        assert_eq!(s.show_context, ShowContext::Always);
        // psql keeps the text as given (`ECHO = 'QUERIES'`), but `""` became "on" and "x" became "10".
        assert_eq!(v.get("ECHO"), Some("QUERIES"));
        assert_eq!(v.get("ON_ERROR_STOP"), Some("on"));
        assert_eq!(v.get("IGNOREEOF"), Some("10"));
        for (name, value, field) in [
            ("ECHO_HIDDEN", "on", EchoHidden::On),
            ("ECHO_HIDDEN", "off", EchoHidden::Off),
        ] {
            v.set(&mut s, name, value).unwrap();
            assert_eq!(s.echo_hidden, field);
        }
        v.set(&mut s, "ON_ERROR_ROLLBACK", "on").unwrap();
        assert_eq!(s.on_error_rollback, ErrorRollback::On);
    }

    #[test]
    fn unset_gives_the_defaults() {
        let (mut v, mut s) = fresh();
        for (name, value) in [
            ("AUTOCOMMIT", "off"),
            ("FETCH_COUNT", "9"),
            ("ECHO", "all"),
            ("PROMPT1", "x"),
        ] {
            v.set(&mut s, name, value).unwrap();
        }
        for (name, _, _) in SPECIALS {
            v.unset(&mut s, name).unwrap();
        }
        // psql 15: `\unset` of each, then `\set`: booleans read 'off', the others their defaults, and
        // PROMPT1-3 and HISTFILE are gone.
        let listed: Vec<_> = v
            .iter()
            .filter(|(n, _)| !n.starts_with("VERSION") && !n.starts_with("LAST_"))
            .collect();
        assert_eq!(
            listed,
            [
                ("AUTOCOMMIT", "off"),
                ("COMP_KEYWORD_CASE", "preserve-upper"),
                ("ECHO", "none"),
                ("ECHO_HIDDEN", "off"),
                ("FETCH_COUNT", "0"),
                ("HIDE_TABLEAM", "off"),
                ("HIDE_TOAST_COMPRESSION", "off"),
                ("HISTCONTROL", "none"),
                ("HISTSIZE", "500"),
                ("IGNOREEOF", "0"),
                ("ON_ERROR_ROLLBACK", "off"),
                ("ON_ERROR_STOP", "off"),
                ("QUIET", "off"),
                ("SHOW_ALL_RESULTS", "off"),
                ("SHOW_CONTEXT", "errors"),
                ("SINGLELINE", "off"),
                ("SINGLESTEP", "off"),
                ("VERBOSITY", "default"),
            ]
        );
        assert!(!s.autocommit && !s.show_all_results);
        assert_eq!((s.fetch_count, s.echo), (0, Echo::None));
        assert_eq!(s.prompt1, "");
        // psql 15: `\unset VERSION` removes it; `\set` no longer lists it.
        v.unset(&mut s, "VERSION").unwrap();
        assert_eq!(v.get("VERSION"), None);
    }

    #[test]
    fn command_line_v_as_psql_reads_it() {
        // psql 15: `psql -X -v FETCH_COUNT=100 -v ON_ERROR_STOP= -v QUIET -c '\set'` lists
        // FETCH_COUNT = '100', ON_ERROR_STOP = 'on', QUIET = 'off'.
        let (mut v, mut s) = fresh();
        for arg in ["FETCH_COUNT=100", "ON_ERROR_STOP=", "QUIET"] {
            v.set_from_cli(&mut s, arg).unwrap();
        }
        assert_eq!(v.get("FETCH_COUNT"), Some("100"));
        assert_eq!(v.get("ON_ERROR_STOP"), Some("on"));
        assert_eq!(v.get("QUIET"), Some("off"));
        assert!(s.on_error_stop && !s.quiet);
        assert_eq!(s.fetch_count, 100);
    }
}
