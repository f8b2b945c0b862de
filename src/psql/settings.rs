//! psql's settings (`settings.h`'s `PsqlSettings`, less the connection and the open files, which the engine
//! holds): the print options, and the fields that special variables set through their hooks.

use crate::output::opts::PrintQueryOpt;

/// `ECHO`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Echo {
    #[default]
    None,
    Queries,
    Errors,
    All,
}

/// `ECHO_HIDDEN`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EchoHidden {
    #[default]
    Off,
    On,
    /// Show the queries behind backslash commands without running them.
    NoExec,
}

/// `ON_ERROR_ROLLBACK`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorRollback {
    #[default]
    Off,
    Interactive,
    On,
}

/// `COMP_KEYWORD_CASE`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompCase {
    #[default]
    PreserveUpper,
    PreserveLower,
    Upper,
    Lower,
}

/// `HISTCONTROL`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HistControl {
    #[default]
    None,
    IgnoreSpace,
    IgnoreDups,
    IgnoreBoth,
}

/// `VERBOSITY` (libpq's `PGVerbosity`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Verbosity {
    Terse,
    #[default]
    Default,
    Verbose,
    Sqlstate,
}

/// `SHOW_CONTEXT` (libpq's `PGContextVisibility`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShowContext {
    Never,
    #[default]
    Errors,
    Always,
}

/// The settings; see the module documentation. Field names follow `settings.h`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The active print options (`\pset`).
    pub popt: PrintQueryOpt,
    /// The server's version as a number (`150018`); 0 when not connected.
    pub sversion: i32,
    /// The program name in messages (`psql`, or `pgsh`): the file name pgsh was invoked by.
    pub progname: String,
    /// The file being read (`-f`, `\i`), for message prefixes; `None` for stdin and the terminal.
    pub inputfile: Option<String>,
    /// The current line of `inputfile`.
    pub lineno: u64,
    /// Line number inside the current statement.
    pub stmt_lineno: u64,
    /// stdin or stdout is not a terminal (as found at startup).
    pub notty: bool,
    /// Reading interactively from a terminal.
    pub cur_cmd_interactive: bool,
    /// `\timing`.
    pub timing: bool,
    // The fields below are set by the hooks of special variables (see `vars`).
    pub autocommit: bool,
    pub on_error_stop: bool,
    pub quiet: bool,
    pub singleline: bool,
    pub singlestep: bool,
    pub hide_compression: bool,
    pub hide_tableam: bool,
    pub fetch_count: i32,
    pub histsize: i32,
    pub ignoreeof: i32,
    pub echo: Echo,
    pub echo_hidden: EchoHidden,
    pub on_error_rollback: ErrorRollback,
    pub comp_case: CompCase,
    pub histcontrol: HistControl,
    pub prompt1: String,
    pub prompt2: String,
    pub prompt3: String,
    pub verbosity: Verbosity,
    pub show_all_results: bool,
    pub show_context: ShowContext,
}

impl Default for Settings {
    /// psql's values before any variable is set (startup.c and the variables' defaults).
    fn default() -> Self {
        Settings {
            popt: PrintQueryOpt::default(),
            sversion: 0,
            progname: "psql".into(),
            inputfile: None,
            lineno: 0,
            stmt_lineno: 0,
            notty: false,
            cur_cmd_interactive: false,
            timing: false,
            autocommit: true,
            on_error_stop: false,
            quiet: false,
            singleline: false,
            singlestep: false,
            hide_compression: false,
            hide_tableam: false,
            fetch_count: 0,
            histsize: 500,
            ignoreeof: 0,
            echo: Echo::None,
            echo_hidden: EchoHidden::Off,
            on_error_rollback: ErrorRollback::Off,
            comp_case: CompCase::PreserveUpper,
            histcontrol: HistControl::None,
            prompt1: "%/%R%x%# ".into(),
            prompt2: "%/%R%x%# ".into(),
            prompt3: ">> ".into(),
            verbosity: Verbosity::Default,
            show_all_results: true,
            show_context: ShowContext::Errors,
        }
    }
}
