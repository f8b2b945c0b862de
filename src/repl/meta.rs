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
    Databases { pattern: Option<String> },
    /// List schemas: \dn [pattern].
    #[command(name = "dn")]
    Schemas { pattern: Option<String> },
    /// List tables: \dt [pattern].
    #[command(name = "dt")]
    Tables { pattern: Option<String> },
    /// List views: \dv [pattern].
    #[command(name = "dv")]
    Views { pattern: Option<String> },
    /// List indexes: \di [pattern].
    #[command(name = "di")]
    Indexes { pattern: Option<String> },
    /// List sequences: \ds [pattern].
    #[command(name = "ds")]
    Sequences { pattern: Option<String> },
    /// List functions: \df [pattern].
    #[command(name = "df")]
    Functions { pattern: Option<String> },
    /// List roles: \du [pattern].
    #[command(name = "du", alias = "dg")]
    Roles { pattern: Option<String> },
    /// Describe a table, view, index or sequence (or list relations): \d [name].
    #[command(name = "d")]
    Describe { name: Option<String> },
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
    /// Print text: \echo text.
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

/// Parse `\name args…` (the text after the backslash).
pub fn parse(line: &str) -> Result<Meta, String> {
    let body = line.trim().trim_start_matches('\\');
    let mut words = split_words(body);
    if words.is_empty() {
        return Err("invalid command \\".into());
    }
    // psql accepts `\d+`-style variants; pgsh shows the same for both.
    if let Some(w) = words.first_mut() {
        if w.len() > 1 && w.ends_with('+') {
            w.pop();
        }
    }
    let name = words.first().cloned().unwrap_or_default();
    match MetaLine::try_parse_from(&words) {
        Ok(m) => Ok(m.cmd),
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
                pattern: Some("public.*".into())
            })
        );
        assert_eq!(
            parse("\\d+ film"),
            Ok(Meta::Describe {
                name: Some("film".into())
            })
        );
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
    fn unknown_commands_suggest_a_close_one() {
        let e = parse("\\dtt").unwrap_err();
        assert!(e.contains("invalid command \\dtt"), "{e}");
        assert!(e.contains("did you mean \\dt"), "{e}");
        let e = parse("\\zzzzzz").unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
    }
}
