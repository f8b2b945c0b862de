//! The backslash commands about psql itself: variables (`\set`, `\unset`, `\getenv`, `\setenv`,
//! `\prompt`), output (`\echo`, `\qecho`, `\warn`, `\o`, `\pset` and its shortcuts, `\timing`), the query
//! buffer (`\p`, `\r`, `\w`), files and the shell (`\i`, `\ir`, `\cd`, `\!`, `\s`), help (`\?`, `\h`,
//! `\copyright`, `\errverbose`), `\encoding`, `\q`, and pg_dump's `\restrict`/`\unrestrict`.

use std::io::Write;

use super::cmd::{BackslashResult, Cmd};
use crate::psql::output::{os_error, Out};
use crate::psql::paths::expand_tilde;
use crate::psql::scan::SlashOptionType;

/// Apply a `\pset`-style result: print the information line (to stdout, as psql does) or report the
/// error.
fn pset_outcome(c: &mut Cmd<'_>, r: crate::psql::pset::PsetResult) -> BackslashResult {
    match r {
        Ok(Some(text)) => {
            c.e.stdout(&text);
            BackslashResult::SkipLine
        }
        Ok(None) => BackslashResult::SkipLine,
        Err(msg) => {
            c.e.log_error(&msg);
            BackslashResult::Error
        }
    }
}

/// `\a`, `\C`, `\f`, `\H`, `\t`, `\T`, `\x`.
pub fn exec_pset_shortcut(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        if !matches!(c.name.as_str(), "a" | "H" | "html") {
            c.ignore_options();
        }
        return BackslashResult::SkipLine;
    }
    // \C and \f and \T strip trailing semicolons from their argument; \t and \x do not.
    let arg = match c.name.as_str() {
        "a" | "H" | "html" => None,
        "C" | "T" => c.opt(SlashOptionType::Normal, true),
        "f" => c.opt(SlashOptionType::Normal, false),
        _ => c.opt(SlashOptionType::Normal, true),
    };
    let quiet = c.e.set.quiet;
    let name = match c.name.as_str() {
        "html" => "H".to_string(),
        n => n.to_string(),
    };
    let r = crate::psql::pset::exec_shortcut(&name, arg.as_deref(), &mut c.e.set.popt, quiet)
        .unwrap_or(Ok(None));
    pset_outcome(c, r)
}

/// `\pset [name [value]]`.
pub fn exec_pset(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let name = c.opt(SlashOptionType::Normal, false);
    let value = c.opt(SlashOptionType::Normal, false);
    let quiet = c.e.set.quiet;
    let r =
        crate::psql::pset::exec_pset(name.as_deref(), value.as_deref(), &mut c.e.set.popt, quiet);
    pset_outcome(c, r)
}

/// `\echo`, `\qecho`, `\warn`.
pub fn exec_echo(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let mut text = String::new();
    let mut no_newline = false;
    let mut first = true;
    while let Some((value, quoted)) = c.option(SlashOptionType::Normal, false) {
        if first && !no_newline && quoted.is_none() && value == "-n" {
            no_newline = true;
        } else {
            if !first {
                text.push(' ');
            }
            first = false;
            text.push_str(&value);
        }
    }
    if !no_newline {
        text.push('\n');
    }
    match c.name.as_str() {
        "qecho" => c.e.query_out(&text),
        "warn" => {
            let _ = c.e.out.flush();
            let _ = std::io::stdout().flush();
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
        _ => c.e.stdout(&text),
    }
    BackslashResult::SkipLine
}

/// `\set [name [value…]]`.
pub fn exec_set(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let Some(name) = c.opt(SlashOptionType::Normal, false) else {
        let text = c.e.vars.print_variables();
        c.e.stdout(&text);
        return BackslashResult::SkipLine;
    };
    let mut value = c.opt(SlashOptionType::Normal, false).unwrap_or_default();
    while let Some(more) = c.opt(SlashOptionType::Normal, false) {
        value.push_str(&more);
    }
    Cmd::status(c.e.set_var(&name, Some(&value)))
}

/// `\unset name`.
pub fn exec_unset(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    match c.opt(SlashOptionType::Normal, false) {
        None => c.missing_argument(),
        Some(name) => Cmd::status(c.e.set_var(&name, None)),
    }
}

/// `\getenv psql_var env_var`.
pub fn exec_getenv(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let var = c.opt(SlashOptionType::Normal, false);
    let env = c.opt(SlashOptionType::Normal, false);
    match (var, env) {
        (Some(var), Some(env)) => match std::env::var(&env) {
            Ok(value) => Cmd::status(c.e.set_var(&var, Some(&value))),
            Err(_) => BackslashResult::SkipLine,
        },
        _ => c.missing_argument(),
    }
}

/// `\setenv name [value]`.
pub fn exec_setenv(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let var = c.opt(SlashOptionType::Normal, false);
    let value = c.opt(SlashOptionType::Normal, false);
    match var {
        None => c.missing_argument(),
        Some(v) if v.contains('=') => {
            let msg = format!(
                "\\{}: environment variable name must not contain \"=\"",
                c.name
            );
            c.e.log_error(&msg);
            BackslashResult::Error
        }
        Some(v) if v.is_empty() || v.contains('\0') => {
            // The OS refuses these names; psql's setenv() would fail the same way.
            BackslashResult::SkipLine
        }
        Some(v) => {
            // SAFETY-free: pgsh is single-threaded while a backslash command runs.
            match value {
                Some(val) => std::env::set_var(&v, val),
                None => std::env::remove_var(&v),
            }
            BackslashResult::SkipLine
        }
    }
}

/// `\prompt [text] name`.
pub fn exec_prompt(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let arg1 = c.opt(SlashOptionType::Normal, false);
    let arg2 = c.opt(SlashOptionType::Normal, false);
    let Some(arg1) = arg1 else {
        return c.missing_argument();
    };
    let (prompt, var) = match arg2 {
        Some(a2) => (Some(arg1), a2),
        None => (None, arg1),
    };
    let value = if c.e.set.inputfile.is_none() {
        // Interactively: from the terminal, echoing what is typed (psql's simple_prompt_extended).
        if let Some(p) = &prompt {
            let _ = c.e.out.flush();
            eprint!("{p}");
        }
        read_terminal_line()
    } else {
        if let Some(p) = &prompt {
            c.e.stdout(p);
        }
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(n) if n > 0 => {
                if line.ends_with('\n') {
                    line.pop();
                }
                Some(line)
            }
            _ => {
                let msg = format!("\\{}: could not read value for variable", c.name);
                c.e.log_error(&msg);
                return BackslashResult::Error;
            }
        }
    };
    match value {
        Some(v) => Cmd::status(c.e.set_var(&var, Some(&v))),
        None => BackslashResult::Error,
    }
}

/// One line from the terminal (`/dev/tty`, else stdin), without its newline.
fn read_terminal_line() -> Option<String> {
    let mut line = String::new();
    let read = match std::fs::File::open("/dev/tty") {
        Ok(f) => std::io::BufRead::read_line(&mut std::io::BufReader::new(f), &mut line),
        Err(_) => std::io::stdin().read_line(&mut line),
    };
    match read {
        Ok(_) => {
            while line.ends_with('\n') || line.ends_with('\r') {
                line.pop();
            }
            Some(line)
        }
        Err(_) => None,
    }
}

/// `\timing [on|off]`.
pub fn exec_timing(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let mut ok = true;
    match c.opt(SlashOptionType::Normal, false) {
        Some(v) => match crate::psql::boolean::parse_bool(&v) {
            Some(b) => c.e.set.timing = b,
            None => {
                c.e.log_error(&crate::psql::boolean::bool_error(&v, "\\timing"));
                ok = false;
            }
        },
        None => c.e.set.timing = !c.e.set.timing,
    }
    if !c.e.set.quiet {
        let text = if c.e.set.timing {
            "Timing is on.\n"
        } else {
            "Timing is off.\n"
        };
        c.e.stdout(text);
    }
    Cmd::status(ok)
}

/// `\o [file|command]`.
pub fn exec_out(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_filepipe();
        return BackslashResult::SkipLine;
    }
    let target = c
        .opt(SlashOptionType::FilePipe, true)
        .map(|f| expand_tilde(&f));
    match Out::open(target.as_deref()) {
        Ok(out) => {
            let old = std::mem::replace(&mut c.e.out, out);
            let _ = old.close();
            BackslashResult::SkipLine
        }
        Err(msg) => {
            c.e.log_error(&msg);
            BackslashResult::Error
        }
    }
}

/// `\p`.
pub fn exec_print(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        return BackslashResult::SkipLine;
    }
    let text = match (c.query_buf.as_deref(), c.previous_buf.as_deref()) {
        (Some(q), _) if !q.is_empty() => Some(q.to_string()),
        (_, Some(p)) if !p.is_empty() => Some(p.to_string()),
        _ => None,
    };
    match text {
        Some(t) => c.e.stdout(&format!("{t}\n")),
        None if !c.e.set.quiet => c.e.stdout("Query buffer is empty.\n"),
        None => {}
    }
    BackslashResult::SkipLine
}

/// `\r`.
pub fn exec_reset(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        return BackslashResult::SkipLine;
    }
    if let Some(q) = c.query_buf.as_deref_mut() {
        q.clear();
    }
    c.scan.reset();
    if !c.e.set.quiet {
        c.e.stdout("Query buffer reset (cleared).\n");
    }
    BackslashResult::SkipLine
}

/// `\w file|command`.
pub fn exec_write(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_filepipe();
        return BackslashResult::SkipLine;
    }
    let fname = c.opt(SlashOptionType::FilePipe, true);
    if c.query_buf.is_none() {
        c.e.log_error("no query buffer");
        return BackslashResult::Error;
    }
    let Some(fname) = fname else {
        return c.missing_argument();
    };
    let fname = expand_tilde(&fname);
    let mut out = match Out::open(Some(&fname)) {
        Ok(o) => o,
        Err(msg) => {
            c.e.log_error(&msg);
            return BackslashResult::Error;
        }
    };
    let text = match (c.query_buf.as_deref(), c.previous_buf.as_deref()) {
        (Some(q), _) if !q.is_empty() => Some(q.to_string()),
        (_, Some(p)) if !p.is_empty() => Some(p.to_string()),
        _ => None,
    };
    let mut ok = true;
    if let Some(t) = text {
        ok = writeln!(out, "{t}").is_ok();
    }
    if let Err(err) = out.close() {
        ok = false;
        c.e.log_error(&format!("{fname}: {}", os_error(&err)));
    }
    Cmd::status(ok)
}

/// `\i file`, `\ir file`.
pub fn exec_include(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let Some(fname) = c.opt(SlashOptionType::Normal, true) else {
        return c.missing_argument();
    };
    let relative = matches!(c.name.as_str(), "ir" | "include_relative");
    let fname = expand_tilde(&fname);
    let include = c.e.include;
    Cmd::status(include(c.e, &fname, relative) == 0)
}

/// `\q`.
pub fn exec_quit(c: &mut Cmd<'_>) -> BackslashResult {
    if c.active() {
        BackslashResult::Terminate
    } else {
        BackslashResult::SkipLine
    }
}

/// `\cd [dir]`.
pub fn exec_cd(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let dir = match c.opt(SlashOptionType::Normal, true) {
        Some(d) => d,
        None => match std::env::var("HOME").ok().filter(|h| !h.is_empty()) {
            Some(h) => h,
            None => "/".to_string(),
        },
    };
    match std::env::set_current_dir(&dir) {
        Ok(()) => BackslashResult::SkipLine,
        Err(err) => {
            let msg = format!(
                "\\{}: could not change directory to \"{dir}\": {}",
                c.name,
                os_error(&err)
            );
            c.e.log_error(&msg);
            BackslashResult::Error
        }
    }
}

/// `\! [command]`: run a shell command (or an interactive shell).
pub fn exec_shell_escape(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_whole_line();
        return BackslashResult::SkipLine;
    }
    let cmd = c.opt(SlashOptionType::WholeLine, false);
    let _ = c.e.out.flush();
    let _ = std::io::stdout().flush();
    let status = match cmd {
        Some(cmd) => std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(&cmd)
            .status(),
        None => {
            let shell = std::env::var("SHELL").unwrap_or_else(|_| "/bin/sh".to_string());
            std::process::Command::new(&shell).status()
        }
    };
    // psql 15 fails only when the shell could not run the command (127) or could not be started.
    match status {
        Ok(s) if s.code() != Some(127) => BackslashResult::SkipLine,
        _ => {
            c.e.log_error("\\!: failed");
            BackslashResult::Error
        }
    }
}

/// `\s [file]`: the line editor's history.
pub fn exec_s(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let fname = c
        .opt(SlashOptionType::Normal, true)
        .map(|f| expand_tilde(&f));
    let history = c.e.history_entries();
    match &fname {
        Some(f) => {
            let mut text = history.join("\n");
            text.push('\n');
            if let Err(err) = std::fs::write(f, text) {
                c.e.log_error(&format!(
                    "could not save history to file \"{f}\": {}",
                    os_error(&err)
                ));
                return BackslashResult::Error;
            }
            if !c.e.set.quiet {
                c.e.stdout(&format!("Wrote history to file \"{f}\".\n"));
            }
        }
        None => {
            let mut text = String::new();
            for h in history {
                text.push_str(&h);
                text.push('\n');
            }
            text.push('\n');
            c.e.stdout(&text);
        }
    }
    BackslashResult::SkipLine
}

/// `\encoding [name]`.
pub fn exec_encoding(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    match c.opt(SlashOptionType::Normal, false) {
        None => {
            let enc = c.e.encoding.clone();
            c.e.stdout(&format!("{enc}\n"));
        }
        Some(name) => {
            // pgsh keeps SQL as Rust text, so the client side always speaks UTF-8.
            let key: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            if matches!(key.as_str(), "utf8" | "unicode" | "sqlascii") {
                let enc = if key == "sqlascii" {
                    "SQL_ASCII"
                } else {
                    "UTF8"
                };
                let sql = format!("SET client_encoding = '{enc}'");
                if crate::psql::psqlexec::exec_control(c.e, &sql) {
                    c.e.encoding = enc.to_string();
                    crate::psql::varsync::set_encoding(&mut c.e.vars, &mut c.e.set, enc);
                }
            } else {
                c.e.log_error(&format!(
                    "{name}: invalid encoding name or conversion procedure not found"
                ));
            }
        }
    }
    BackslashResult::SkipLine
}

/// `\errverbose`: the last error at full verbosity.
pub fn exec_errverbose(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        return BackslashResult::SkipLine;
    }
    match &c.e.last_error {
        Some((r, sql)) => {
            let text = match &r.error {
                Some(d) => crate::psql::errors::build_error_message(
                    d,
                    sql.as_deref(),
                    crate::psql::settings::Verbosity::Verbose,
                    crate::psql::settings::ShowContext::Always,
                    true,
                ),
                None => String::new(),
            };
            c.e.log_error(&text);
        }
        None => c.e.stdout("There is no previous error.\n"),
    }
    BackslashResult::SkipLine
}

/// `\h [topic]`.
pub fn exec_help(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_whole_line();
        return BackslashResult::SkipLine;
    }
    let topic = c.opt(SlashOptionType::WholeLine, false).map(|t| {
        t.trim_end_matches(|ch: char| ch.is_ascii_whitespace() || ch == ';')
            .to_string()
    });
    let width = crate::term::size().map_or(80, |(cols, _)| cols);
    if let Some(text) = c.e.extension_help(topic.as_deref()) {
        c.e.page_text(&text);
        return BackslashResult::SkipLine;
    }
    let text = crate::psql::help_sql::help_sql(topic.as_deref(), width);
    c.e.page_text(&text);
    BackslashResult::SkipLine
}

/// `\? [commands|options|variables]`.
pub fn exec_slash_help(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let topic = c.opt(SlashOptionType::Normal, false);
    let text = match topic.as_deref() {
        Some("options") => c.e.usage_text(),
        Some("variables") => crate::psql::help::help_variables().to_string(),
        _ => c.e.slash_usage_text(),
    };
    c.e.page_text(&text);
    BackslashResult::SkipLine
}

/// `\copyright`.
pub fn exec_copyright(c: &mut Cmd<'_>) -> BackslashResult {
    if c.active() {
        let text = crate::psql::help::print_copyright();
        c.e.stdout(text);
    }
    BackslashResult::SkipLine
}

/// `\restrict key`: pg_dump's guard against backslash commands in a dump's data.
pub fn exec_restrict(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    match c
        .opt(SlashOptionType::Normal, true)
        .filter(|k| !k.is_empty())
    {
        None => c.missing_argument(),
        Some(key) => {
            c.e.restrict_key = Some(key);
            c.e.restricted = true;
            BackslashResult::SkipLine
        }
    }
}

/// `\unrestrict key`.
pub fn exec_unrestrict(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let Some(key) = c
        .opt(SlashOptionType::Normal, true)
        .filter(|k| !k.is_empty())
    else {
        return c.missing_argument();
    };
    if !c.e.restricted {
        let msg = format!("\\{}: not currently in restricted mode", c.name);
        c.e.log_error(&msg);
        return BackslashResult::Error;
    }
    if c.e.restrict_key.as_deref() == Some(key.as_str()) {
        c.e.restricted = false;
        c.e.restrict_key = None;
        BackslashResult::SkipLine
    } else {
        let msg = format!("\\{}: wrong key", c.name);
        c.e.log_error(&msg);
        BackslashResult::Error
    }
}
