//! Meta-commands (`\q`, `\dt`, `\x` …), parsed by clap in multicall mode: one place defines each command,
//! its arguments and its help line.

use clap::{Parser, Subcommand};

/// A parsed meta-command.
#[derive(Parser, Debug, PartialEq)]
#[command(multicall = true, disable_help_subcommand = true)]
pub struct MetaLine {
    #[command(subcommand)]
    pub cmd: Meta,
}

#[derive(Subcommand, Debug, PartialEq)]
pub enum Meta {
    /// Quit pgsh.
    #[command(name = "q", alias = "quit")]
    Quit,
    /// Show this list of meta-commands.
    #[command(name = "?")]
    Help,
    /// Help for pgsh's Rhai functions: \h [function].
    #[command(name = "h", alias = "help")]
    HelpFn { name: Option<String> },
    /// List databases.
    #[command(name = "l", alias = "list")]
    Databases {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List schemas: \dn [pattern].
    #[command(name = "dn")]
    Schemas {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List tables: \dt [pattern].
    #[command(name = "dt")]
    Tables {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List views: \dv [pattern].
    #[command(name = "dv")]
    Views {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List materialized views: \dm [pattern].
    #[command(name = "dm")]
    MatViews {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List indexes: \di [pattern].
    #[command(name = "di")]
    Indexes {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List sequences: \ds [pattern].
    #[command(name = "ds")]
    Sequences {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List functions: \df [pattern].
    #[command(name = "df")]
    Functions {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// List roles: \du [pattern].
    #[command(name = "du", alias = "dg")]
    Roles {
        pattern: Option<String>,
        /// With `+`: psql's extra columns (sizes, descriptions, privileges…).
        #[arg(skip)]
        plus: bool,
    },
    /// Describe a table, view, index or sequence (or list relations): \d[+] [pattern].
    #[command(name = "d")]
    Describe {
        name: Option<String>,
        /// `\d+`: also a view's definition and a partitioned table's partitions.
        #[arg(skip)]
        plus: bool,
    },
    /// Show what the session is connected to.
    #[command(name = "conninfo")]
    Conninfo,
    /// Connect to another database: \c dbname [user].
    #[command(name = "c", alias = "connect")]
    Connect {
        dbname: Option<String>,
        user: Option<String>,
    },
    /// Expanded display: \x [on|off|auto].
    #[command(name = "x")]
    Expanded { mode: Option<String> },
    /// Show how long each statement takes: \timing [on|off].
    #[command(name = "timing")]
    Timing { mode: Option<String> },
    /// Set a display option: \pset null TEXT | \pset pager on|off | \pset border N | \pset footer on|off.
    #[command(name = "pset")]
    Pset {
        name: Option<String>,
        value: Option<String>,
    },
    /// Run a file: \i file.rhai or \i file.sql.
    #[command(name = "i", alias = "include", alias = "ir")]
    Include { file: String },
    /// Edit the last input in $EDITOR, then run it.
    #[command(name = "e", alias = "edit")]
    Edit,
    /// Re-run the last query every N seconds (default 2) until Ctrl-C: \watch [N] [c=COUNT].
    #[command(name = "watch")]
    Watch { args: Vec<String> },
    /// Send the query buffer (or the last query) to the server: \g.
    #[command(name = "g")]
    Go { args: Vec<String> },
    /// Like \g, showing the result in expanded mode: \gx.
    #[command(name = "gx")]
    GoExpanded { args: Vec<String> },
    /// Empty the query buffer.
    #[command(name = "r", alias = "reset")]
    Reset,
    /// Show the query buffer (or the last query).
    #[command(name = "p", alias = "print")]
    Print,
    /// Print text: \echo [-n] text (-n: no newline).
    #[command(name = "echo")]
    Echo {
        #[arg(allow_hyphen_values = true)]
        text: Vec<String>,
    },
    /// Make SQL the default input language.
    #[command(name = "sql")]
    Sql,
    /// Make Rhai the default input language.
    #[command(name = "rhai")]
    Rhai,
    /// List the SQL lessons that come with pgsh.
    #[command(name = "lessons")]
    Lessons,
}

/// Split a meta-command line into words the way psql does (single quotes group, `''` inside is a quote).
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    if q == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                            cur.push('\'');
                        } else {
                            break;
                        }
                    } else {
                        cur.push(q);
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// All meta-command names, for suggestions and completion.
pub fn names() -> Vec<String> {
    use clap::CommandFactory;
    let cmd = MetaLine::command();
    let mut out = Vec::new();
    for sub in cmd.get_subcommands() {
        out.push(sub.get_name().to_string());
        out.extend(sub.get_all_aliases().map(str::to_string));
    }
    out
}

/// One line per command for `\?`.
pub fn help_text() -> String {
    use clap::CommandFactory;
    let cmd = MetaLine::command();
    let mut out = String::from("General\n");
    for sub in cmd.get_subcommands() {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!("  \\{:<10} {about}\n", sub.get_name()));
    }
    out.push_str(
        "\nInput\n  Lines starting with a SQL keyword (SELECT, INSERT, CREATE, …) are SQL and end with ';'.\n  \
         Anything else is Rhai: query(\"SELECT …\"), let x = …, for row in rows { … }.\n",
    );
    out
}

impl Meta {
    /// The command with psql's `+` (verbose) flag, for the commands that have one.
    fn with_plus(mut self, verbose: bool) -> Meta {
        match &mut self {
            Meta::Databases { plus, .. }
            | Meta::Schemas { plus, .. }
            | Meta::Tables { plus, .. }
            | Meta::Views { plus, .. }
            | Meta::MatViews { plus, .. }
            | Meta::Indexes { plus, .. }
            | Meta::Sequences { plus, .. }
            | Meta::Functions { plus, .. }
            | Meta::Roles { plus, .. }
            | Meta::Describe { plus, .. } => *plus = verbose,
            _ => {}
        }
        self
    }
}

/// Parse `\name args…` (the text after the backslash).
pub fn parse(line: &str) -> Result<Meta, String> {
    let body = line.trim().trim_start_matches('\\');
    let mut words = split_words(body);
    if words.is_empty() {
        return Err("invalid command \\".into());
    }
    // psql's `+` variants (\d+, \dt+, \l+, …) show more; other commands accept and ignore it.
    let mut plus = false;
    if let Some(w) = words.first_mut() {
        if w.len() > 1 && w.ends_with('+') {
            w.pop();
            plus = true;
        }
    }
    let name = words.first().cloned().unwrap_or_default();
    match MetaLine::try_parse_from(&words) {
        Ok(m) => Ok(m.cmd.with_plus(plus)),
        Err(e) if e.kind() == clap::error::ErrorKind::InvalidSubcommand => {
            let hint = suggest(&name)
                .map(|s| format!("; did you mean \\{s}?"))
                .unwrap_or_default();
            Err(format!(
                "invalid command \\{name}{hint} (\\? lists the commands)"
            ))
        }
        Err(e) => {
            let msg = e.to_string();
            let first = msg.lines().next().unwrap_or("invalid arguments");
            Err(format!("\\{name}: {}", first.trim_start_matches("error: ")))
        }
    }
}

/// psql's `ParseVariableBool`: `true`, `false`, `yes`, `no` and any prefix of them, `on`, `off` (at least two
/// letters: `o` is ambiguous), `1`, `0`; case-insensitive.
pub fn parse_bool(value: &str) -> Option<bool> {
    let v = value.to_ascii_lowercase();
    let prefix_of = |word: &str, min: usize| v.len() >= min && word.starts_with(v.as_str());
    if prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || v == "1" {
        Some(true)
    } else if prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || v == "0" {
        Some(false)
    } else {
        None
    }
}

/// psql's `expand_tilde` for file arguments: a leading `~` or `~/` is `home`, `~user/` that user's home
/// directory; anything else (or an unknown user) is left as it is.
pub fn expand_tilde(path: &str, home: Option<&std::path::Path>) -> std::path::PathBuf {
    let Some(rest) = path.strip_prefix('~') else {
        return path.into();
    };
    let (user, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let dir = if user.is_empty() {
        home.map(std::path::Path::to_path_buf)
    } else {
        user_home(user)
    };
    match dir {
        Some(d) => {
            let mut s = d.into_os_string();
            s.push(tail);
            s.into()
        }
        None => path.into(),
    }
}

/// A user's home directory from the password database.
fn user_home(user: &str) -> Option<std::path::PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(user).ok()?;
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // getpwnam_r (unlike getpwnam) writes only into the buffers given, so this is thread-safe.
    let rc = unsafe {
        libc::getpwnam_r(
            name.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_dir.is_null() {
        return None;
    }
    // pw_dir points into `buf`, which is still alive here.
    let dir = unsafe { std::ffi::CStr::from_ptr(pwd.pw_dir) };
    Some(std::ffi::OsStr::from_bytes(dir.to_bytes()).into())
}

/// The closest known command name, if it is close enough.
pub fn suggest(name: &str) -> Option<String> {
    names()
        .into_iter()
        .map(|n| (edit_distance(name, &n), n))
        .filter(|(d, n)| *d <= 2 && *d < n.len().max(name.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_arguments() {
        assert_eq!(parse("\\q"), Ok(Meta::Quit));
        assert_eq!(parse("\\quit"), Ok(Meta::Quit));
        assert_eq!(
            parse("\\dt public.*"),
            Ok(Meta::Tables {
                pattern: Some("public.*".into()),
                plus: false
            })
        );
        assert_eq!(
            parse("\\d+ film"),
            Ok(Meta::Describe {
                name: Some("film".into()),
                plus: true
            })
        );
        assert_eq!(
            parse("\\d film"),
            Ok(Meta::Describe {
                name: Some("film".into()),
                plus: false
            })
        );
        assert_eq!(
            parse("\\dt+ film"),
            Ok(Meta::Tables {
                pattern: Some("film".into()),
                plus: true
            })
        );
        assert_eq!(
            parse("\\l+"),
            Ok(Meta::Databases {
                pattern: None,
                plus: true
            })
        );
        // `+` on a command without a verbose form is accepted and changes nothing, as in psql.
        assert_eq!(parse("\\conninfo+"), Ok(Meta::Conninfo));
        assert_eq!(parse("\\gx"), Ok(Meta::GoExpanded { args: vec![] }));
        assert_eq!(parse("\\reset"), Ok(Meta::Reset));
        assert_eq!(
            parse("\\c chinook bob"),
            Ok(Meta::Connect {
                dbname: Some("chinook".into()),
                user: Some("bob".into())
            })
        );
        assert_eq!(
            parse("\\echo 'hello world' -n x"),
            Ok(Meta::Echo {
                text: vec!["hello world".into(), "-n".into(), "x".into()]
            })
        );
        assert_eq!(
            parse("\\watch 0.5 c=3"),
            Ok(Meta::Watch {
                args: vec!["0.5".into(), "c=3".into()]
            })
        );
    }

    #[test]
    fn booleans_as_psql_reads_them() {
        for t in ["on", "ON", "t", "TRUE", "tr", "y", "yes", "1", "On"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["off", "of", "OFF", "f", "false", "n", "no", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "maybe", "", "onn", "offf", "2", "truex", "yess"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn tilde_is_the_home_directory() {
        let home = std::path::Path::new("/home/ada");
        let x = |p: &str| expand_tilde(p, Some(home)).display().to_string();
        assert_eq!(x("~/x.sql"), "/home/ada/x.sql");
        assert_eq!(x("~"), "/home/ada");
        assert_eq!(x("/tmp/~/x"), "/tmp/~/x");
        assert_eq!(x("x~.sql"), "x~.sql");
        assert_eq!(x("~no-such-user-pgsh/x"), "~no-such-user-pgsh/x");
        assert_eq!(expand_tilde("~/x", None).display().to_string(), "~/x");
    }

    #[test]
    fn unknown_commands_suggest_a_close_one() {
        let e = parse("\\dtt").unwrap_err();
        assert!(e.contains("invalid command \\dtt"), "{e}");
        assert!(e.contains("did you mean \\dt"), "{e}");
        let e = parse("\\zzzzzz").unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
    }
}
