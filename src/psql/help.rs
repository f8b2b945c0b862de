//! psql's help texts (`help.c`): `psql --help` ([`usage`]), `\?` ([`slash_usage`]), `\? variables`
//! ([`help_variables`]), `\copyright` ([`print_copyright`]) and `--version` ([`show_version`]); `\h` is
//! [`help_sql`](super::help_sql)'s. Each returns the text, byte for byte as psql 15 prints it; the caller
//! pages and prints it (psql sizes its pager by the text's line count).

use std::fmt::Write as _;

use crate::output::opts::{Expanded, PrintFormat};
use crate::psql::settings::Settings;
use crate::psql::varsync::PSQL_VERSION_NAME;

/// The facts `usage` shows as defaults, and how the program calls itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsageEnv<'a> {
    /// `psql` for psql's own text; another name replaces `psql` in the first two lines (the program's
    /// description and its synopsis), not in the references to psql's documentation.
    pub progname: &'a str,
    /// `PGUSER`, else the operating system's user name.
    pub user: &'a str,
    /// `PGDATABASE`.
    pub pgdatabase: Option<&'a str>,
    /// `PGHOST`.
    pub pghost: Option<&'a str>,
    /// `PGPORT`.
    pub pgport: Option<&'a str>,
    /// Extra options (pgsh's own), inserted as given after psql's "Connection options" and before the
    /// closing paragraph; start it with a blank line and a heading (`"\npgsh options:\n  --x  …\n"`).
    pub extra_options: Option<&'a str>,
}

/// A section of backslash commands appended to `\?` (pgsh's own commands in pgsh mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HelpSection<'a> {
    /// The heading (`Scripting`).
    pub title: &'a str,
    /// `(command with its arguments, description)`, laid out as psql lays out its own lines.
    pub lines: &'a [(&'a str, &'a str)],
}

/// The port libpq uses when none is given (`DEF_PGPORT_STR`).
const DEF_PGPORT: &str = "5432";

/// The names of psql's backslash commands, as `\\?` lists them (`d`, `dA`, `lo_export`, `?`…), for tab
/// completion: read from the help text, so the two never disagree.
pub fn command_names() -> Vec<String> {
    let text = slash_usage(&Settings::default(), None, &[]);
    let mut names: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix('\\'))
        .map(|rest| {
            rest.split(|c: char| c.is_whitespace() || c == '[' || c == ',')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `usage()`: `psql --help` (and `\? options`).
pub fn usage(env: &UsageEnv) -> String {
    let mut s = String::new();
    let p = env.progname;
    let _ = writeln!(s, "{p} is the PostgreSQL interactive terminal.\n");
    s.push_str("Usage:\n");
    let _ = writeln!(s, "  {p} [OPTION]... [DBNAME [USERNAME]]\n");
    s.push_str("General options:\n");
    s.push_str("  -c, --command=COMMAND    run only single command (SQL or internal) and exit\n");
    let dbname = env.pgdatabase.unwrap_or(env.user);
    let _ = writeln!(
        s,
        "  -d, --dbname=DBNAME      database name to connect to (default: \"{dbname}\")"
    );
    s.push_str(USAGE_OPTIONS);
    let host = env.pghost.unwrap_or("local socket");
    let _ = writeln!(
        s,
        "  -h, --host=HOSTNAME      database server host or socket directory (default: \"{host}\")"
    );
    let port = env.pgport.unwrap_or(DEF_PGPORT);
    let _ = writeln!(
        s,
        "  -p, --port=PORT          database server port (default: \"{port}\")"
    );
    let _ = writeln!(
        s,
        "  -U, --username=USERNAME  database user name (default: \"{}\")",
        env.user
    );
    s.push_str(USAGE_AUTH);
    if let Some(extra) = env.extra_options {
        s.push_str(extra);
    }
    s.push_str(USAGE_TAIL);
    s
}

/// `showVersion()`: `psql --version`.
pub fn show_version(progname: &str) -> String {
    format!("{progname} (PostgreSQL) {PSQL_VERSION_NAME}\n")
}

/// `slashUsage()`: `\?`. The `(currently …)` notes come from `settings` and the connection's database
/// (`None`: no connection); `extra` sections follow psql's last one.
///
/// The `\s` line is always there: psql prints it when built with readline (as the psql pgsh replaces
/// is), and pgsh always has a line editor.
pub fn slash_usage(settings: &Settings, currdb: Option<&str>, extra: &[HelpSection]) -> String {
    let topt = &settings.popt.topt;
    let on = |b: bool| if b { "on" } else { "off" };
    let mut s = String::from(SLASH_A);
    let html = topt.format == PrintFormat::Html;
    let _ = writeln!(
        s,
        "  \\H                     toggle HTML output mode (currently {})",
        on(html)
    );
    s.push_str(SLASH_B);
    let _ = writeln!(
        s,
        "  \\t [on|off]            show only rows (currently {})",
        on(topt.tuples_only)
    );
    s.push_str(SLASH_C);
    let expanded = match topt.expanded {
        Expanded::Auto => "auto",
        Expanded::On => "on",
        Expanded::Off => "off",
    };
    let _ = writeln!(
        s,
        "  \\x [on|off|auto]       toggle expanded output (currently {expanded})"
    );
    s.push_str(SLASH_D);
    s.push_str("  \\c[onnect] {[DBNAME|- USER|- HOST|- PORT|-] | conninfo}\n");
    match currdb {
        Some(db) => {
            let _ = writeln!(
                s,
                "                         connect to new database (currently \"{db}\")"
            );
        }
        None => s.push_str(
            "                         connect to new database (currently no connection)\n",
        ),
    }
    s.push_str(SLASH_E);
    let _ = writeln!(
        s,
        "  \\timing [on|off]       toggle timing of commands (currently {})",
        on(settings.timing)
    );
    s.push_str(SLASH_F);
    for section in extra {
        let _ = writeln!(s, "\n{}", section.title);
        for (command, description) in section.lines {
            push_command_line(&mut s, command, description);
        }
    }
    s
}

/// One `\?` line as psql lays them out: the command in 23 columns after two spaces, then the
/// description; a longer command gets a line of its own and the description goes under the others.
fn push_command_line(s: &mut String, command: &str, description: &str) {
    if command.chars().count() <= 22 {
        let _ = writeln!(s, "  {command:<22} {description}");
    } else {
        let _ = writeln!(s, "  {command}\n{:25}{description}", "");
    }
}

/// `helpVariables()`: `\? variables`.
pub fn help_variables() -> &'static str {
    HELP_VARIABLES
}

/// `print_copyright()`: `\copyright`.
pub fn print_copyright() -> &'static str {
    COPYRIGHT
}

const USAGE_OPTIONS: &str = r#"  -f, --file=FILENAME      execute commands from file, then exit
  -l, --list               list available databases, then exit
  -v, --set=, --variable=NAME=VALUE
                           set psql variable NAME to VALUE
                           (e.g., -v ON_ERROR_STOP=1)
  -V, --version            output version information, then exit
  -X, --no-psqlrc          do not read startup file (~/.psqlrc)
  -1 ("one"), --single-transaction
                           execute as a single transaction (if non-interactive)
  -?, --help[=options]     show this help, then exit
      --help=commands      list backslash commands, then exit
      --help=variables     list special variables, then exit

Input and output options:
  -a, --echo-all           echo all input from script
  -b, --echo-errors        echo failed commands
  -e, --echo-queries       echo commands sent to server
  -E, --echo-hidden        display queries that internal commands generate
  -L, --log-file=FILENAME  send session log to file
  -n, --no-readline        disable enhanced command line editing (readline)
  -o, --output=FILENAME    send query results to file (or |pipe)
  -q, --quiet              run quietly (no messages, only query output)
  -s, --single-step        single-step mode (confirm each query)
  -S, --single-line        single-line mode (end of line terminates SQL command)

Output format options:
  -A, --no-align           unaligned table output mode
      --csv                CSV (Comma-Separated Values) table output mode
  -F, --field-separator=STRING
                           field separator for unaligned output (default: "|")
  -H, --html               HTML table output mode
  -P, --pset=VAR[=ARG]     set printing option VAR to ARG (see \pset command)
  -R, --record-separator=STRING
                           record separator for unaligned output (default: newline)
  -t, --tuples-only        print rows only
  -T, --table-attr=TEXT    set HTML table tag attributes (e.g., width, border)
  -x, --expanded           turn on expanded table output
  -z, --field-separator-zero
                           set field separator for unaligned output to zero byte
  -0, --record-separator-zero
                           set record separator for unaligned output to zero byte

Connection options:
"#;

const USAGE_AUTH: &str = r#"  -w, --no-password        never prompt for password
  -W, --password           force password prompt (should happen automatically)
"#;

const USAGE_TAIL: &str = r#"
For more information, type "\?" (for internal commands) or "\help" (for SQL
commands) from within psql, or consult the psql section in the PostgreSQL
documentation.

Report bugs to <pgsql-bugs@lists.postgresql.org>.
PostgreSQL home page: <https://www.postgresql.org/>
"#;

const SLASH_A: &str = r#"General
  \copyright             show PostgreSQL usage and distribution terms
  \crosstabview [COLUMNS] execute query and display result in crosstab
  \errverbose            show most recent error message at maximum verbosity
  \g [(OPTIONS)] [FILE]  execute query (and send result to file or |pipe);
                         \g with no arguments is equivalent to a semicolon
  \gdesc                 describe result of query, without executing it
  \gexec                 execute query, then execute each value in its result
  \gset [PREFIX]         execute query and store result in psql variables
  \gx [(OPTIONS)] [FILE] as \g, but forces expanded output mode
  \q                     quit psql
  \restrict RESTRICT_KEY
                         enter restricted mode with provided key
  \unrestrict RESTRICT_KEY
                         exit restricted mode if key matches
  \watch [SEC]           execute query every SEC seconds

Help
  \? [commands]          show help on backslash commands
  \? options             show help on psql command-line options
  \? variables           show help on special variables
  \h [NAME]              help on syntax of SQL commands, * for all commands

Query Buffer
  \e [FILE] [LINE]       edit the query buffer (or file) with external editor
  \ef [FUNCNAME [LINE]]  edit function definition with external editor
  \ev [VIEWNAME [LINE]]  edit view definition with external editor
  \p                     show the contents of the query buffer
  \r                     reset (clear) the query buffer
  \s [FILE]              display history or save it to file
  \w FILE                write query buffer to file

Input/Output
  \copy ...              perform SQL COPY with data stream to the client host
  \echo [-n] [STRING]    write string to standard output (-n for no newline)
  \i FILE                execute commands from file
  \ir FILE               as \i, but relative to location of current script
  \o [FILE]              send all query results to file or |pipe
  \qecho [-n] [STRING]   write string to \o output stream (-n for no newline)
  \warn [-n] [STRING]    write string to standard error (-n for no newline)

Conditional
  \if EXPR               begin conditional block
  \elif EXPR             alternative within current conditional block
  \else                  final alternative within current conditional block
  \endif                 end conditional block

Informational
  (options: S = show system objects, + = additional detail)
  \d[S+]                 list tables, views, and sequences
  \d[S+]  NAME           describe table, view, sequence, or index
  \da[S]  [PATTERN]      list aggregates
  \dA[+]  [PATTERN]      list access methods
  \dAc[+] [AMPTRN [TYPEPTRN]]  list operator classes
  \dAf[+] [AMPTRN [TYPEPTRN]]  list operator families
  \dAo[+] [AMPTRN [OPFPTRN]]   list operators of operator families
  \dAp[+] [AMPTRN [OPFPTRN]]   list support functions of operator families
  \db[+]  [PATTERN]      list tablespaces
  \dc[S+] [PATTERN]      list conversions
  \dconfig[+] [PATTERN]  list configuration parameters
  \dC[+]  [PATTERN]      list casts
  \dd[S]  [PATTERN]      show object descriptions not displayed elsewhere
  \dD[S+] [PATTERN]      list domains
  \ddp    [PATTERN]      list default privileges
  \dE[S+] [PATTERN]      list foreign tables
  \des[+] [PATTERN]      list foreign servers
  \det[+] [PATTERN]      list foreign tables
  \deu[+] [PATTERN]      list user mappings
  \dew[+] [PATTERN]      list foreign-data wrappers
  \df[anptw][S+] [FUNCPTRN [TYPEPTRN ...]]
                         list [only agg/normal/procedure/trigger/window] functions
  \dF[+]  [PATTERN]      list text search configurations
  \dFd[+] [PATTERN]      list text search dictionaries
  \dFp[+] [PATTERN]      list text search parsers
  \dFt[+] [PATTERN]      list text search templates
  \dg[S+] [PATTERN]      list roles
  \di[S+] [PATTERN]      list indexes
  \dl[+]                 list large objects, same as \lo_list
  \dL[S+] [PATTERN]      list procedural languages
  \dm[S+] [PATTERN]      list materialized views
  \dn[S+] [PATTERN]      list schemas
  \do[S+] [OPPTRN [TYPEPTRN [TYPEPTRN]]]
                         list operators
  \dO[S+] [PATTERN]      list collations
  \dp     [PATTERN]      list table, view, and sequence access privileges
  \dP[itn+] [PATTERN]    list [only index/table] partitioned relations [n=nested]
  \drds [ROLEPTRN [DBPTRN]] list per-database role settings
  \dRp[+] [PATTERN]      list replication publications
  \dRs[+] [PATTERN]      list replication subscriptions
  \ds[S+] [PATTERN]      list sequences
  \dt[S+] [PATTERN]      list tables
  \dT[S+] [PATTERN]      list data types
  \du[S+] [PATTERN]      list roles
  \dv[S+] [PATTERN]      list views
  \dx[+]  [PATTERN]      list extensions
  \dX     [PATTERN]      list extended statistics
  \dy[+]  [PATTERN]      list event triggers
  \l[+]   [PATTERN]      list databases
  \sf[+]  FUNCNAME       show a function's definition
  \sv[+]  VIEWNAME       show a view's definition
  \z      [PATTERN]      same as \dp

Large Objects
  \lo_export LOBOID FILE write large object to file
  \lo_import FILE [COMMENT]
                         read large object from file
  \lo_list[+]            list large objects
  \lo_unlink LOBOID      delete a large object

Formatting
  \a                     toggle between unaligned and aligned output mode
  \C [STRING]            set table title, or unset if none
  \f [STRING]            show or set field separator for unaligned query output
"#;

const SLASH_B: &str = r#"  \pset [NAME [VALUE]]   set table output option
                         (border|columns|csv_fieldsep|expanded|fieldsep|
                         fieldsep_zero|footer|format|linestyle|null|
                         numericlocale|pager|pager_min_lines|recordsep|
                         recordsep_zero|tableattr|title|tuples_only|
                         unicode_border_linestyle|unicode_column_linestyle|
                         unicode_header_linestyle)
"#;

const SLASH_C: &str = r#"  \T [STRING]            set HTML <table> tag attributes, or unset if none
"#;

const SLASH_D: &str = r#"
Connection
"#;

const SLASH_E: &str = r#"  \conninfo              display information about current connection
  \encoding [ENCODING]   show or set client encoding
  \password [USERNAME]   securely change the password for a user

Operating System
  \cd [DIR]              change the current working directory
  \getenv PSQLVAR ENVVAR fetch environment variable
  \setenv NAME [VALUE]   set or unset environment variable
"#;

const SLASH_F: &str = r#"  \! [COMMAND]           execute command in shell or start interactive shell

Variables
  \prompt [TEXT] NAME    prompt user to set internal variable
  \set [NAME [VALUE]]    set internal variable, or list all if no parameters
  \unset NAME            unset (delete) internal variable
"#;

const HELP_VARIABLES: &str = r#"List of specially treated variables

psql variables:
Usage:
  psql --set=NAME=VALUE
  or \set NAME VALUE inside psql

  AUTOCOMMIT
    if set, successful SQL commands are automatically committed
  COMP_KEYWORD_CASE
    determines the case used to complete SQL key words
    [lower, upper, preserve-lower, preserve-upper]
  DBNAME
    the currently connected database name
  ECHO
    controls what input is written to standard output
    [all, errors, none, queries]
  ECHO_HIDDEN
    if set, display internal queries executed by backslash commands;
    if set to "noexec", just show them without execution
  ENCODING
    current client character set encoding
  ERROR
    true if last query failed, else false
  FETCH_COUNT
    the number of result rows to fetch and display at a time (0 = unlimited)
  HIDE_TABLEAM
    if set, table access methods are not displayed
  HIDE_TOAST_COMPRESSION
    if set, compression methods are not displayed
  HISTCONTROL
    controls command history [ignorespace, ignoredups, ignoreboth]
  HISTFILE
    file name used to store the command history
  HISTSIZE
    maximum number of commands to store in the command history
  HOST
    the currently connected database server host
  IGNOREEOF
    number of EOFs needed to terminate an interactive session
  LASTOID
    value of the last affected OID
  LAST_ERROR_MESSAGE
  LAST_ERROR_SQLSTATE
    message and SQLSTATE of last error, or empty string and "00000" if none
  ON_ERROR_ROLLBACK
    if set, an error doesn't stop a transaction (uses implicit savepoints)
  ON_ERROR_STOP
    stop batch execution after error
  PORT
    server port of the current connection
  PROMPT1
    specifies the standard psql prompt
  PROMPT2
    specifies the prompt used when a statement continues from a previous line
  PROMPT3
    specifies the prompt used during COPY ... FROM STDIN
  QUIET
    run quietly (same as -q option)
  ROW_COUNT
    number of rows returned or affected by last query, or 0
  SERVER_VERSION_NAME
  SERVER_VERSION_NUM
    server's version (in short string or numeric format)
  SHOW_ALL_RESULTS
    show all results of a combined query (\;) instead of only the last
  SHOW_CONTEXT
    controls display of message context fields [never, errors, always]
  SINGLELINE
    if set, end of line terminates SQL commands (same as -S option)
  SINGLESTEP
    single-step mode (same as -s option)
  SQLSTATE
    SQLSTATE of last query, or "00000" if no error
  USER
    the currently connected database user
  VERBOSITY
    controls verbosity of error reports [default, verbose, terse, sqlstate]
  VERSION
  VERSION_NAME
  VERSION_NUM
    psql's version (in verbose string, short string, or numeric format)

Display settings:
Usage:
  psql --pset=NAME[=VALUE]
  or \pset NAME [VALUE] inside psql

  border
    border style (number)
  columns
    target width for the wrapped format
  csv_fieldsep
    field separator for CSV output format (default ",")
  expanded (or x)
    expanded output [on, off, auto]
  fieldsep
    field separator for unaligned output (default "|")
  fieldsep_zero
    set field separator for unaligned output to a zero byte
  footer
    enable or disable display of the table footer [on, off]
  format
    set output format [unaligned, aligned, wrapped, html, asciidoc, ...]
  linestyle
    set the border line drawing style [ascii, old-ascii, unicode]
  null
    set the string to be printed in place of a null value
  numericlocale
    enable display of a locale-specific character to separate groups of digits
  pager
    control when an external pager is used [yes, no, always]
  recordsep
    record (line) separator for unaligned output
  recordsep_zero
    set record separator for unaligned output to a zero byte
  tableattr (or T)
    specify attributes for table tag in html format, or proportional
    column widths for left-aligned data types in latex-longtable format
  title
    set the table title for subsequently printed tables
  tuples_only
    if set, only actual table data is shown
  unicode_border_linestyle
  unicode_column_linestyle
  unicode_header_linestyle
    set the style of Unicode line drawing [single, double]

Environment variables:
Usage:
  NAME=VALUE [NAME=VALUE] psql ...
  or \setenv NAME [VALUE] inside psql

  COLUMNS
    number of columns for wrapped format
  PGAPPNAME
    same as the application_name connection parameter
  PGDATABASE
    same as the dbname connection parameter
  PGHOST
    same as the host connection parameter
  PGPASSFILE
    password file name
  PGPASSWORD
    connection password (not recommended)
  PGPORT
    same as the port connection parameter
  PGUSER
    same as the user connection parameter
  PSQL_EDITOR, EDITOR, VISUAL
    editor used by the \e, \ef, and \ev commands
  PSQL_EDITOR_LINENUMBER_ARG
    how to specify a line number when invoking the editor
  PSQL_HISTORY
    alternative location for the command history file
  PSQL_PAGER, PAGER
    name of external pager program
  PSQL_WATCH_PAGER
    name of external pager program used for \watch
  PSQLRC
    alternative location for the user's .psqlrc file
  SHELL
    shell used by the \! command
  TMPDIR
    directory for temporary files
"#;

const COPYRIGHT: &str = r#"PostgreSQL Database Management System
(also known as Postgres, formerly known as Postgres95)

Portions Copyright (c) 1996-2022, PostgreSQL Global Development Group

Portions Copyright (c) 1994, The Regents of the University of California

Permission to use, copy, modify, and distribute this software and its
documentation for any purpose, without fee, and without a written agreement
is hereby granted, provided that the above copyright notice and this
paragraph and the following two paragraphs appear in all copies.

IN NO EVENT SHALL THE UNIVERSITY OF CALIFORNIA BE LIABLE TO ANY PARTY FOR
DIRECT, INDIRECT, SPECIAL, INCIDENTAL, OR CONSEQUENTIAL DAMAGES, INCLUDING
LOST PROFITS, ARISING OUT OF THE USE OF THIS SOFTWARE AND ITS
DOCUMENTATION, EVEN IF THE UNIVERSITY OF CALIFORNIA HAS BEEN ADVISED OF THE
POSSIBILITY OF SUCH DAMAGE.

THE UNIVERSITY OF CALIFORNIA SPECIFICALLY DISCLAIMS ANY WARRANTIES,
INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY
AND FITNESS FOR A PARTICULAR PURPOSE.  THE SOFTWARE PROVIDED HEREUNDER IS
ON AN "AS IS" BASIS, AND THE UNIVERSITY OF CALIFORNIA HAS NO OBLIGATIONS TO
PROVIDE MAINTENANCE, SUPPORT, UPDATES, ENHANCEMENTS, OR MODIFICATIONS.

"#;

#[cfg(test)]
mod tests {
    use super::*;

    // The fixtures in testdata/help/ are psql 15.18's output (Debian 12's package), captured as each test
    // says.

    fn root_env() -> UsageEnv<'static> {
        UsageEnv {
            progname: "psql",
            user: "root",
            pgdatabase: None,
            pghost: None,
            pgport: None,
            extra_options: None,
        }
    }

    #[test]
    fn usage_as_psql_prints_it() {
        // `env -u PGUSER -u PGDATABASE -u PGHOST -u PGPORT /usr/lib/postgresql/15/bin/psql --help` as
        // root. (The real binary: Debian's /usr/bin/psql wrapper sets PGHOST before running it.)
        assert_eq!(
            usage(&root_env()),
            include_str!("testdata/help/usage_default.txt")
        );
        // The same with PGUSER=alice PGDATABASE=shop PGHOST=db.example.com PGPORT=6543.
        let env = UsageEnv {
            user: "alice",
            pgdatabase: Some("shop"),
            pghost: Some("db.example.com"),
            pgport: Some("6543"),
            ..root_env()
        };
        assert_eq!(usage(&env), include_str!("testdata/help/usage_env.txt"));
        let env = UsageEnv {
            progname: "pgsh",
            extra_options: Some("\npgsh options:\n  --embedded  use the embedded database\n"),
            ..root_env()
        };
        let text = usage(&env);
        assert!(text.starts_with(
            "pgsh is the PostgreSQL interactive terminal.\n\nUsage:\n  pgsh [OPTION]... [DBNAME [USERNAME]]\n\n"
        ));
        assert!(text.contains(
            "(should happen automatically)\n\npgsh options:\n  --embedded  use the embedded database\n\nFor more information"
        ));
        // `psql --version`.
        assert_eq!(
            show_version("psql"),
            "psql (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"
        );
    }

    #[test]
    fn slash_usage_with_its_current_settings() {
        // `psql -X -h /tmp/devpg -p 5499 -U postgres -c '\?'`.
        let fixture = include_str!("testdata/help/slash.txt");
        let mut s = Settings::default();
        assert_eq!(slash_usage(&s, Some("postgres"), &[]), fixture);
        // `psql -X -q … -c '\H' -c '\t on' -c '\x auto' -c '\timing on' -c '\?'` differed in these lines
        // only; after a failed `\c nonexistent_db_zz` (no connection left), in the \c line only.
        s.popt.topt.format = PrintFormat::Html;
        s.popt.topt.tuples_only = true;
        s.popt.topt.expanded = Expanded::Auto;
        s.timing = true;
        let toggled = fixture
            .replace(
                "HTML output mode (currently off)",
                "HTML output mode (currently on)",
            )
            .replace(
                "show only rows (currently off)",
                "show only rows (currently on)",
            )
            .replace(
                "expanded output (currently off)",
                "expanded output (currently auto)",
            )
            .replace(
                "timing of commands (currently off)",
                "timing of commands (currently on)",
            );
        assert_ne!(toggled, fixture);
        assert_eq!(slash_usage(&s, Some("postgres"), &[]), toggled);
        s = Settings::default();
        s.popt.topt.expanded = Expanded::On;
        assert!(slash_usage(&s, None, &[]).contains(
            "(currently on)\n\nConnection\n  \\c[onnect] {[DBNAME|- USER|- HOST|- PORT|-] | conninfo}\n                         connect to new database (currently no connection)\n"
        ));
        let extra = [HelpSection {
            title: "Scripting",
            lines: &[
                ("\\rhai", "switch to Rhai input"),
                ("\\lessons [NAME] [MORE ARGS]", "list or run lessons"),
            ],
        }];
        let text = slash_usage(&s, Some("postgres"), &extra);
        assert!(text.ends_with(
            "internal variable\n\nScripting\n  \\rhai                  switch to Rhai input\n  \\lessons [NAME] [MORE ARGS]\n                         list or run lessons\n"
        ), "{text}");
    }

    #[test]
    fn static_texts() {
        // `psql -X -c '\? variables'` and `psql -X -c '\copyright'`.
        assert_eq!(
            help_variables(),
            include_str!("testdata/help/variables.txt")
        );
        assert_eq!(
            print_copyright(),
            include_str!("testdata/help/copyright.txt")
        );
    }
}
