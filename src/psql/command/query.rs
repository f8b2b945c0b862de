//! The backslash commands that send the query buffer (`\g`, `\gx`, `\gset`, `\gexec`, `\gdesc`,
//! `\crosstabview`, `\watch`) and `\copy` (`copy.c`'s `parse_slash_copy` and `do_copy`).

use std::io::{Read, Write};

use super::cmd::{BackslashResult, Cmd};
use crate::psql::engine::CopyStream;
use crate::psql::output::os_error;
use crate::psql::paths::expand_tilde;
use crate::psql::scan::{strip_quotes, SlashOptionType, Strtokx};

/// `\g [(option=value …)] [file|command]`, `\gx`.
pub fn exec_g(c: &mut Cmd<'_>) -> BackslashResult {
    let mut status = BackslashResult::SkipLine;
    let active = c.active();
    let mut fname = c.opt(SlashOptionType::FilePipe, false);
    if let Some(first) = fname.clone().filter(|f| f.starts_with('(')) {
        status = g_options(c, &first[1..], active);
        fname = c.opt(SlashOptionType::FilePipe, false);
    }
    if status == BackslashResult::SkipLine && active {
        c.e.once.gfname = fname.map(|f| expand_tilde(&f));
        if c.name == "gx" {
            if c.e.once.gsavepopt.is_none() {
                c.e.once.gsavepopt = Some(c.e.set.popt.clone());
            }
            c.e.set.popt.topt.expanded = crate::output::opts::Expanded::On;
        }
        status = BackslashResult::Send;
    }
    status
}

/// `process_command_g_options`: `\g (name=value …)` print options for this query only.
fn g_options(c: &mut Cmd<'_>, first: &str, active: bool) -> BackslashResult {
    let mut ok = true;
    let mut option = Some(first.to_string());
    loop {
        let mut opt = match option.take() {
            Some(o) => o,
            None => match c.opt(SlashOptionType::Normal, false) {
                Some(o) => o,
                None => {
                    if active {
                        let msg = format!("\\{}: missing right parenthesis", c.name);
                        c.e.log_error(&msg);
                        ok = false;
                    }
                    break;
                }
            },
        };
        let found_paren = opt.ends_with(')');
        if found_paren {
            opt.pop();
        }
        if !opt.is_empty() && active {
            let (name, value) = match opt.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (opt.clone(), None),
            };
            if c.e.once.gsavepopt.is_none() {
                c.e.once.gsavepopt = Some(c.e.set.popt.clone());
            }
            if let Err(msg) =
                crate::psql::pset::do_pset(&name, value.as_deref(), &mut c.e.set.popt, true)
            {
                c.e.log_error(&msg);
                ok = false;
            }
        }
        if found_paren {
            break;
        }
    }
    if !ok && active {
        if let Some(saved) = c.e.once.gsavepopt.take() {
            c.e.set.popt = saved;
        }
    }
    Cmd::status(ok)
}

/// `\bind [PARAM]...` (psql 16): parameters for the next query sent (`\g`, `;`).
pub fn exec_bind(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let mut params = Vec::new();
    while let Some(p) = c.opt(SlashOptionType::Normal, false) {
        params.push(p);
    }
    c.e.once.bind_params = Some(params);
    BackslashResult::SkipLine
}

/// `\gdesc`.
pub fn exec_gdesc(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        return BackslashResult::SkipLine;
    }
    c.e.once.gdesc = true;
    BackslashResult::Send
}

/// `\gexec`.
pub fn exec_gexec(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        return BackslashResult::SkipLine;
    }
    c.e.once.gexec = true;
    BackslashResult::Send
}

/// `\gset [prefix]`.
pub fn exec_gset(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let prefix = c.opt(SlashOptionType::Normal, false).unwrap_or_default();
    c.e.once.gset_prefix = Some(prefix);
    BackslashResult::Send
}

/// `\crosstabview [colV [colH [colD [sortcolH]]]]`.
pub fn exec_crosstabview(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    for i in 0..4 {
        c.e.once.ctv_args[i] = c.opt(SlashOptionType::Normal, true);
    }
    c.e.once.crosstab = true;
    BackslashResult::Send
}

/// `\watch [interval] [i=interval] [c=count]`: psql 15's form (a number of seconds) and psql 16/17's
/// named options.
pub fn exec_watch(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let mut interval = 2.0f64;
    let mut count: Option<u64> = None;
    while let Some(opt) = c.opt(SlashOptionType::Normal, true) {
        let (key, value) = match opt.split_once('=') {
            Some((k, v)) => (Some(k.to_string()), v.to_string()),
            None => (None, opt.clone()),
        };
        match key.as_deref() {
            None | Some("i") | Some("interval") => {
                interval = value.trim().parse().unwrap_or(0.0);
                if interval <= 0.0 || interval.is_nan() {
                    interval = 1.0;
                }
                // psql would sleep for ever; a wait pgsh cannot even represent is refused instead.
                let representable = std::time::Duration::try_from_secs_f64(interval)
                    .ok()
                    .and_then(|d| std::time::Instant::now().checked_add(d))
                    .is_some();
                if !representable {
                    c.e.log_error(&format!("\\watch: interval \"{value}\" is too long"));
                    return BackslashResult::Error;
                }
            }
            Some("c") | Some("count") => match value.trim().parse::<u64>() {
                Ok(n) if n > 0 => count = Some(n),
                _ => {
                    c.e.log_error(&format!("\\watch: incorrect count \"{value}\""));
                    return BackslashResult::Error;
                }
            },
            Some(_) => {
                c.e.log_error(&format!("\\watch: unrecognized parameter \"{opt}\""));
                return BackslashResult::Error;
            }
        }
    }
    // pgsh's REPL: after a Rhai input, that is what is watched.
    if c.query_buf.as_deref().is_some_and(String::is_empty) {
        if let Some(ok) = c.e.extension_watch(interval, count) {
            c.scan.reset();
            return Cmd::status(ok);
        }
    }
    c.copy_previous_query();
    let query = c.query_buf.as_deref().cloned().unwrap_or_default();
    let ok = crate::psql::watch::do_watch(c.e, &query, interval, count);
    if let Some(q) = c.query_buf.as_deref_mut() {
        q.clear();
    }
    c.scan.reset();
    Cmd::status(ok)
}

/// `\copy …`.
pub fn exec_copy(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_whole_line();
        return BackslashResult::SkipLine;
    }
    let args = c.opt(SlashOptionType::WholeLine, false);
    Cmd::status(do_copy(c.e, args.as_deref()))
}

/// What `\copy` was asked to do (`struct copy_options`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CopyOptions {
    pub before_tofrom: String,
    pub after_tofrom: Option<String>,
    /// `None`: stdin/stdout.
    pub file: Option<String>,
    pub program: bool,
    /// `pstdin`/`pstdout`.
    pub psql_inout: bool,
    pub from: bool,
}

/// `parse_slash_copy`: split `\copy`'s arguments into the COPY statement's pieces; `Err` is psql's
/// message.
pub fn parse_slash_copy(args: Option<&str>, std_strings: bool) -> Result<CopyOptions, String> {
    let Some(args) = args else {
        return Err("\\copy: arguments required".to_string());
    };
    let ws = " \t\n\r";
    let nonstd = if std_strings { None } else { Some('\\') };
    let mut t = Strtokx::new(args);
    let mut r = CopyOptions::default();
    let err = |tok: Option<&str>| match tok {
        Some(tok) => format!("\\copy: parse error at \"{tok}\""),
        None => "\\copy: parse error at end of line".to_string(),
    };
    let next = |t: &mut Strtokx, delim: &str, quote: &str, esc: Option<char>, estr: bool| {
        t.next_token(ws, Some(delim), Some(quote), esc, estr, false)
    };
    let mut token = next(&mut t, ".,()", "\"", None, false).ok_or_else(|| err(None))?;
    if token.eq_ignore_ascii_case("binary") {
        r.before_tofrom.push_str(&token);
        token = next(&mut t, ".,()", "\"", None, false).ok_or_else(|| err(None))?;
    }
    // A query in parentheses.
    if token.starts_with('(') {
        let mut parens = 1;
        while parens > 0 {
            r.before_tofrom.push(' ');
            r.before_tofrom.push_str(&token);
            token = next(&mut t, "()", "\"'", nonstd, true).ok_or_else(|| err(None))?;
            if token.starts_with('(') {
                parens += 1;
            } else if token.starts_with(')') {
                parens -= 1;
            }
        }
    }
    r.before_tofrom.push(' ');
    r.before_tofrom.push_str(&token);
    token = next(&mut t, ".,()", "\"", None, false).ok_or_else(|| err(None))?;
    // A schema-qualified table name.
    if token.starts_with('.') {
        r.before_tofrom.push_str(&token);
        token = next(&mut t, ".,()", "\"", None, false).ok_or_else(|| err(None))?;
        r.before_tofrom.push_str(&token);
        token = next(&mut t, ".,()", "\"", None, false).ok_or_else(|| err(None))?;
    }
    // A column list.
    if token.starts_with('(') {
        loop {
            r.before_tofrom.push(' ');
            r.before_tofrom.push_str(&token);
            token = next(&mut t, "()", "\"", None, false).ok_or_else(|| err(None))?;
            if token.starts_with(')') {
                break;
            }
        }
        r.before_tofrom.push(' ');
        r.before_tofrom.push_str(&token);
        token = next(&mut t, ".,()", "\"", None, false).ok_or_else(|| err(None))?;
    }
    if token.eq_ignore_ascii_case("from") {
        r.from = true;
    } else if token.eq_ignore_ascii_case("to") {
        r.from = false;
    } else {
        return Err(err(Some(&token)));
    }
    token = next(&mut t, ";", "'", None, false).ok_or_else(|| err(None))?;
    if token.eq_ignore_ascii_case("program") {
        token = next(&mut t, ";", "'", None, false).ok_or_else(|| err(None))?;
        if !token.starts_with('\'') || token.len() < 2 || !token.ends_with('\'') {
            return Err(err(Some(&token)));
        }
        r.program = true;
        r.file = Some(strip_quotes(&token, '\'', None));
    } else if token.eq_ignore_ascii_case("stdin") || token.eq_ignore_ascii_case("stdout") {
        r.file = None;
    } else if token.eq_ignore_ascii_case("pstdin") || token.eq_ignore_ascii_case("pstdout") {
        r.psql_inout = true;
        r.file = None;
    } else {
        r.file = Some(expand_tilde(&strip_quotes(&token, '\'', None)));
    }
    r.after_tofrom = t.next_token("", None, None, None, false, false);
    Ok(r)
}

/// `do_copy`: run `\copy` through COPY … FROM STDIN / TO STDOUT with the data from or to a local file,
/// a program, psql's own stdin/stdout, or the input the command came from.
pub fn do_copy(e: &mut crate::psql::engine::Engine, args: Option<&str>) -> bool {
    let opts = match parse_slash_copy(args, e.std_strings) {
        Ok(o) => o,
        Err(msg) => {
            e.log_error(&msg);
            return false;
        }
    };
    let mut child: Option<std::process::Child> = None;
    let stream = match (&opts.file, opts.from, opts.program) {
        (Some(cmd), true, true) => {
            let _ = e.out.flush();
            match std::process::Command::new("/bin/sh")
                .arg("-c")
                .arg(cmd)
                .stdout(std::process::Stdio::piped())
                .spawn()
            {
                Ok(mut ch) => {
                    let out = ch.stdout.take();
                    child = Some(ch);
                    out.map(|o| CopyStream::Reader(Box::new(o) as Box<dyn Read>))
                }
                Err(err) => {
                    e.log_error(&format!(
                        "could not execute command \"{cmd}\": {}",
                        os_error(&err)
                    ));
                    return false;
                }
            }
        }
        (Some(cmd), false, true) => {
            let _ = e.out.flush();
            match std::process::Command::new("/bin/sh")
                .arg("-c")
                .arg(cmd)
                .stdin(std::process::Stdio::piped())
                .spawn()
            {
                Ok(mut ch) => {
                    let input = ch.stdin.take();
                    child = Some(ch);
                    input.map(|i| CopyStream::Writer(Box::new(i) as Box<dyn Write>))
                }
                Err(err) => {
                    e.log_error(&format!(
                        "could not execute command \"{cmd}\": {}",
                        os_error(&err)
                    ));
                    return false;
                }
            }
        }
        (Some(path), from, false) => {
            if std::path::Path::new(path).is_dir() {
                e.log_error(&format!("{path}: cannot copy from/to a directory"));
                return false;
            }
            let opened = if from {
                std::fs::File::open(path).map(|f| CopyStream::Reader(Box::new(f) as Box<dyn Read>))
            } else {
                std::fs::File::create(path).map(|f| {
                    CopyStream::Writer(
                        Box::new(std::io::BufWriter::with_capacity(64 * 1024, f)) as Box<dyn Write>
                    )
                })
            };
            match opened {
                Ok(s) => Some(s),
                Err(err) => {
                    e.log_error(&format!("{path}: {}", os_error(&err)));
                    return false;
                }
            }
        }
        (None, true, _) if opts.psql_inout => Some(CopyStream::Stdin),
        (None, false, _) if opts.psql_inout => Some(CopyStream::Stdout),
        // stdin: the input the command came from; stdout: the query output.
        (None, _, _) => None,
    };
    // As psql builds it (two spaces after COPY for a table, which `before_tofrom` starts with).
    let mut query = format!("COPY {}", opts.before_tofrom);
    query.push_str(if opts.from {
        " FROM STDIN "
    } else {
        " TO STDOUT "
    });
    if let Some(after) = &opts.after_tofrom {
        query.push_str(after);
    }
    e.copy_stream = stream;
    e.copy_pending.clear();
    let mut ok = crate::psql::exec::send_query(e, &query);
    let stream = e.copy_stream.take();
    e.copy_pending.clear();
    if let Some(CopyStream::Writer(mut w)) = stream {
        if let Err(err) = w.flush() {
            if let Some(f) = &opts.file {
                e.log_error(&format!("{f}: {}", os_error(&err)));
            }
            ok = false;
        }
    }
    if let Some(mut ch) = child {
        match ch.wait() {
            Ok(status) if status.success() => {}
            Ok(status) => {
                let cmd = opts.file.clone().unwrap_or_default();
                let reason = match status.code() {
                    Some(code) => format!("child process exited with exit code {code}"),
                    None => "child process was terminated by a signal".to_string(),
                };
                e.log_error(&format!("{cmd}: {reason}"));
                ok = false;
            }
            Err(err) => {
                e.log_error(&format!(
                    "could not close pipe to external command: {}",
                    os_error(&err)
                ));
                ok = false;
            }
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_arguments_as_psql_splits_them() {
        let o = parse_slash_copy(Some("t (a, b) from '/tmp/x.csv' with csv header"), true)
            .unwrap_or_default();
        assert!(o.from);
        assert_eq!(o.before_tofrom, " t ( a, b )");
        assert_eq!(o.file.as_deref(), Some("/tmp/x.csv"));
        assert_eq!(o.after_tofrom.as_deref(), Some("with csv header"));
        let o = parse_slash_copy(Some("(select 1) to stdout;"), true).unwrap_or_default();
        assert!(!o.from);
        assert_eq!(o.file, None);
        assert_eq!(o.before_tofrom, " ( select 1 )");
        let o = parse_slash_copy(Some("s.t to program 'gzip > x.gz'"), true).unwrap_or_default();
        assert!(o.program);
        assert_eq!(o.file.as_deref(), Some("gzip > x.gz"));
        assert_eq!(o.before_tofrom, " s.t");
        let o = parse_slash_copy(Some("t from pstdin"), true).unwrap_or_default();
        assert!(o.psql_inout && o.from);
        assert_eq!(
            parse_slash_copy(Some("t sideways x"), true)
                .err()
                .as_deref(),
            Some("\\copy: parse error at \"sideways\"")
        );
        assert_eq!(
            parse_slash_copy(Some("t"), true).err().as_deref(),
            Some("\\copy: parse error at end of line")
        );
        assert_eq!(
            parse_slash_copy(None, true).err().as_deref(),
            Some("\\copy: arguments required")
        );
    }
}
