//! `\e`, `\ef`, `\ev`: edit the query buffer, a file, a function or a view in `$PSQL_EDITOR`/`$EDITOR`/
//! `$VISUAL` (`command.c`'s `exec_command_edit`, `exec_command_ef_ev`, `do_edit`, `editFile`). What comes
//! back replaces the query buffer and is scanned again as input (`BackslashResult::NewEdit`), so a
//! statement ending in a semicolon is sent.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::cmd::{BackslashResult, Cmd};
use crate::psql::describe::source::{self, EditableObject, SourceError};
use crate::psql::engine::Engine;
use crate::psql::output::os_error;
use crate::psql::scan::SlashOptionType;

/// psql's `DEFAULT_EDITOR` and `DEFAULT_EDITOR_LINENUMBER_ARG` on Unix.
const DEFAULT_EDITOR: &str = "vi";
const DEFAULT_EDITOR_LINENUMBER_ARG: &str = "+";

/// The template `\ef` without an argument puts in the buffer.
const FUNCTION_TEMPLATE: &str = "CREATE FUNCTION ( )\n RETURNS \n LANGUAGE \n -- common options:  IMMUTABLE  STABLE  STRICT  SECURITY DEFINER\nAS $function$\n\n$function$\n";
/// The template `\ev` without an argument puts in the buffer.
const VIEW_TEMPLATE: &str = "CREATE VIEW  AS\n SELECT \n  -- something...\n";

/// `\e [file] [line]`: how psql reads its two options. A lone all-digit option is a line number.
/// `Err` carries the text of an invalid line number (below 1).
pub fn edit_args(
    first: Option<String>,
    second: Option<String>,
) -> Result<(Option<String>, Option<i32>), String> {
    let (fname, ln) = match (first, second) {
        (Some(f), None) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            (None, Some(f))
        }
        (f, l) => (f, l),
    };
    match ln {
        None => Ok((fname, None)),
        Some(ln) => {
            let lineno = crate::psql::pset::atoi(&ln);
            if lineno < 1 {
                Err(ln)
            } else {
                Ok((fname, Some(lineno)))
            }
        }
    }
}

/// `\e [file] [line]`.
pub fn exec_edit(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    if c.query_buf.is_none() {
        c.e.log_error("no query buffer");
        return BackslashResult::Error;
    }
    let first = c.opt(SlashOptionType::Normal, true);
    let second = if first.is_some() {
        c.opt(SlashOptionType::Normal, true)
    } else {
        None
    };
    let (fname, lineno) = match edit_args(first, second) {
        Ok(a) => a,
        Err(ln) => {
            c.e.log_error(&format!("invalid line number: {ln}"));
            return BackslashResult::Error;
        }
    };
    let fname =
        fname.map(|f| crate::psql::paths::canonicalize_path(&crate::psql::paths::expand_tilde(&f)));
    // With a file the buffer is always cleared when the file is not changed; without one an empty buffer
    // is filled with the previous query, and emptied again if that is not changed.
    let discard_on_quit = match &fname {
        Some(_) => true,
        None => match c.query_buf.as_deref_mut() {
            // pgsh's REPL: after a Rhai input, \e opens it (as \watch reruns it), not the SQL before it.
            Some(buf) if buf.is_empty() => match c.e.extension_last_input() {
                Some(rhai) => {
                    *buf = rhai;
                    true
                }
                None => c.copy_previous_query(),
            },
            _ => c.copy_previous_query(),
        },
    };
    let Some(buf) = c.query_buf.as_deref_mut() else {
        return BackslashResult::Error;
    };
    let mut text = std::mem::take(buf);
    let ok = do_edit(c.e, fname.as_deref(), &mut text, lineno, discard_on_quit).is_some();
    if let Some(buf) = c.query_buf.as_deref_mut() {
        *buf = text;
    }
    if ok {
        BackslashResult::NewEdit
    } else {
        BackslashResult::Error
    }
}

/// `\ef [function [line]]`, `\ev [view [line]]`.
pub fn exec_ef_ev(c: &mut Cmd<'_>, is_func: bool) -> BackslashResult {
    if !c.active() {
        c.ignore_whole_line();
        return BackslashResult::SkipLine;
    }
    let obj_desc = c.opt(SlashOptionType::WholeLine, true);
    if c.query_buf.is_none() {
        c.e.log_error("no query buffer");
        return BackslashResult::Error;
    }
    let kind = if is_func {
        EditableObject::Function
    } else {
        EditableObject::View
    };
    let mut text = c.query_buf.as_deref().cloned().unwrap_or_default();
    let lineno = match prepare_object(c.e, kind, obj_desc, &mut text) {
        Ok(l) => l,
        Err(SourceError::Message(msg)) => {
            c.e.log_error(&msg);
            return BackslashResult::Error;
        }
        Err(SourceError::NotRun) => return BackslashResult::Error,
    };
    let result = do_edit(c.e, None, &mut text, lineno, true);
    if let Some(buf) = c.query_buf.as_deref_mut() {
        *buf = text;
    }
    match result {
        None => BackslashResult::Error,
        Some(false) => {
            c.e.stdout("No changes\n");
            BackslashResult::SkipLine
        }
        Some(true) => BackslashResult::NewEdit,
    }
}

/// The first part of `exec_command_ef_ev`: put the object's definition (or the blank template) in `buf`
/// and work out the line the editor starts on.
fn prepare_object(
    e: &mut Engine,
    kind: EditableObject,
    obj_desc: Option<String>,
    buf: &mut String,
) -> Result<Option<i32>, SourceError> {
    let Some(mut desc) = obj_desc else {
        buf.clear();
        buf.push_str(match kind {
            EditableObject::Function => FUNCTION_TEMPLATE,
            EditableObject::View => VIEW_TEMPLATE,
        });
        return Ok(None);
    };
    let lineno = source::strip_lineno_from_objdesc(&mut desc)?;
    let oid = source::lookup_object_oid(e, kind, &desc)?;
    *buf = source::get_create_object_cmd(e, kind, oid)?;
    let lineno = lineno.map(|l| i32::try_from(l).unwrap_or(i32::MAX));
    Ok(match (kind, lineno) {
        (EditableObject::Function, Some(l)) => Some(l.saturating_add(lines_before_body(buf))),
        (_, l) => l,
    })
}

/// Line 1 of `\ef`'s line number is the function body's first line: the one pg_get_functiondef starts
/// with `AS `, `BEGIN ` or `RETURN `. The number of lines before it.
pub fn lines_before_body(def: &str) -> i32 {
    let mut n = 0;
    for line in def.split_inclusive('\n') {
        if line.starts_with("AS ") || line.starts_with("BEGIN ") || line.starts_with("RETURN ") {
            break;
        }
        n += 1;
    }
    n
}

/// `editFile`'s shell command: the editor (taken as the user wrote it: it may hold switches), the line
/// number argument, and the file in single quotes.
pub fn editor_command(editor: &str, lineno: Option<(&str, i32)>, fname: &str) -> String {
    match lineno {
        Some((arg, n)) => format!("exec {editor} {arg}{n} '{fname}'"),
        None => format!("exec {editor} '{fname}'"),
    }
}

/// `editFile`: run the editor on `fname`. False when it could not be started or exited non-zero (only the
/// former is reported).
fn edit_file(e: &mut Engine, fname: &str, lineno: Option<i32>) -> bool {
    let env = |k: &str| std::env::var(k).ok();
    let editor = env("PSQL_EDITOR")
        .or_else(|| env("EDITOR"))
        .or_else(|| env("VISUAL"))
        .unwrap_or_else(|| DEFAULT_EDITOR.to_string());
    let arg = match lineno {
        Some(n) if n > 0 => {
            let arg = env("PSQL_EDITOR_LINENUMBER_ARG")
                .unwrap_or_else(|| DEFAULT_EDITOR_LINENUMBER_ARG.to_string());
            Some((arg, n))
        }
        _ => None,
    };
    let cmd = editor_command(&editor, arg.as_ref().map(|(a, n)| (a.as_str(), *n)), fname);
    let _ = std::io::Write::flush(&mut e.out);
    match std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(&cmd)
        .status()
    {
        Err(_) => {
            e.log_error(&format!("could not start editor \"{editor}\""));
            false
        }
        Ok(s) if s.code() == Some(127) => {
            e.log_error("could not start /bin/sh");
            false
        }
        Ok(s) => s.success(),
    }
}

/// A file's size and modification time in whole seconds (`stat`'s `st_size` and `st_mtime`).
fn stamp(path: &str) -> std::io::Result<(u64, i64)> {
    let m = std::fs::metadata(path)?;
    let mtime = match m.modified()?.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    };
    Ok((m.len(), mtime))
}

/// `do_edit`: edit `filename` (or, without one, `buf` in a temporary file) and read the result back into
/// `buf`. `None` on failure (reported); `Some(edited)` otherwise, where `edited` says whether the buffer was
/// replaced. When the file was not changed (or the editor failed) and `discard_on_quit`, `buf` is emptied.
fn do_edit(
    e: &mut Engine,
    filename: Option<&str>,
    buf: &mut String,
    lineno: Option<i32>,
    discard_on_quit: bool,
) -> Option<bool> {
    // The temporary file lives in a directory only this user can enter, named as psql names its file.
    let tmpdir = match filename {
        Some(_) => None,
        None => {
            let base = std::env::var("TMPDIR").unwrap_or_else(|_| "/tmp".to_string());
            match tempfile::Builder::new()
                .prefix("psql.edit.")
                .tempdir_in(&base)
            {
                Ok(d) => Some(d),
                Err(err) => {
                    e.log_error(&format!(
                        "could not open temporary file \"{base}\": {}",
                        os_error(&err)
                    ));
                    return None;
                }
            }
        }
    };
    let fname = match (&tmpdir, filename) {
        (Some(d), _) => format!(
            "{}/psql.edit.{}.sql",
            d.path().display(),
            std::process::id()
        ),
        (None, Some(f)) => f.to_string(),
        (None, None) => return None,
    };
    let mut error = false;
    if tmpdir.is_some() {
        if !buf.is_empty() && !buf.ends_with('\n') {
            buf.push('\n');
        }
        if let Err(err) = write_temp(&fname, buf) {
            e.log_error(&format!(
                "could not open temporary file \"{fname}\": {}",
                os_error(&err)
            ));
            error = true;
        }
    }
    let before = if error {
        None
    } else {
        match stamp(&fname) {
            Ok(s) => Some(s),
            Err(err) => {
                e.log_error(&format!("{fname}: {}", os_error(&err)));
                error = true;
                None
            }
        }
    };
    if !error {
        error = !edit_file(e, &fname, lineno);
    }
    let after = if error {
        None
    } else {
        match stamp(&fname) {
            Ok(s) => Some(s),
            Err(err) => {
                e.log_error(&format!("{fname}: {}", os_error(&err)));
                error = true;
                None
            }
        }
    };
    let mut edited = false;
    if !error && before != after {
        match std::fs::read(&fname) {
            Ok(bytes) => {
                *buf = String::from_utf8_lossy(&bytes).into_owned();
                edited = true;
            }
            Err(err) => {
                e.log_error(&format!("{fname}: {}", os_error(&err)));
                error = true;
            }
        }
    } else if discard_on_quit {
        buf.clear();
    }
    if let Some(dir) = tmpdir {
        if let Err(err) = std::fs::remove_file(&fname) {
            e.log_error(&format!("{fname}: {}", os_error(&err)));
            error = true;
        }
        let _ = dir.close();
    }
    (!error).then_some(edited)
}

/// Write the buffer to a new temporary file (created exclusively, mode 0600), dated two seconds back so an
/// edit within the same second still changes its modification time.
fn write_temp(fname: &str, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(fname)?;
    f.write_all(text.as_bytes())?;
    f.flush()?;
    if let Some(t) = SystemTime::now().checked_sub(Duration::from_secs(2)) {
        // As psql's utime(): a failure here only risks missing a very quick edit.
        let _ = f.set_times(std::fs::FileTimes::new().set_accessed(t).set_modified(t));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values follow exec_command_edit's reading of its options in command.c, and psql 15:
    // `psql -X -c` is refused ("no query buffer"), so they were checked on `printf '\\e 0\n' | psql -X`
    // → "invalid line number: 0".
    #[test]
    fn edit_options_as_psql_reads_them() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(edit_args(None, None), Ok((None, None)));
        assert_eq!(edit_args(s("12"), None), Ok((None, Some(12))));
        assert_eq!(edit_args(s("f.sql"), None), Ok((s("f.sql"), None)));
        assert_eq!(edit_args(s("f.sql"), s("3")), Ok((s("f.sql"), Some(3))));
        assert_eq!(edit_args(s("12"), s("4")), Ok((s("12"), Some(4))));
        assert_eq!(edit_args(s("0"), None), Err("0".to_string()));
        assert_eq!(edit_args(s("f"), s("x")), Err("x".to_string()));
        assert_eq!(edit_args(s("f"), s("5x")), Ok((s("f"), Some(5))));
        assert_eq!(edit_args(s(""), None), Ok((s(""), None)));
    }

    #[test]
    fn editor_command_as_psql_builds_it() {
        assert_eq!(
            editor_command("vi", None, "/tmp/psql.edit.1.sql"),
            "exec vi '/tmp/psql.edit.1.sql'"
        );
        assert_eq!(
            editor_command("emacs -nw", Some(("+", 7)), "/tmp/x.sql"),
            "exec emacs -nw +7 '/tmp/x.sql'"
        );
    }

    #[test]
    fn function_line_numbers_count_from_the_body() {
        let def = "CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\nAS $function$select 1$function$\n";
        assert_eq!(lines_before_body(def), 3);
        let def =
            "CREATE OR REPLACE FUNCTION public.g()\n RETURNS integer\n LANGUAGE sql\nRETURN 1\n";
        assert_eq!(lines_before_body(def), 3);
        assert_eq!(lines_before_body("no body\n"), 1);
    }
}
