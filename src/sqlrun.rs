//! Running SQL the way psql does: `-c` commands and `-f` files (dumps, course datasets), statement by
//! statement, with inline `COPY ... FROM stdin` data and the psql meta-commands such files use.
//!
//! Unknown backslash commands are errors naming file:line (a skipped command could leave the database in a
//! state the rest of the file does not expect), except `\restrict`/`\unrestrict`, which newer pg_dump versions
//! write as a psql-side safety lock and which are safe to ignore.
//!
//! Ctrl-C is checked between statements and while COPY data streams, not only in a running statement: a
//! long file must stop where the user stopped it, and `-1` must then roll back rather than commit.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::db::session::Outcome;
use crate::error::{Error, ErrorKind};
use crate::output::table::TableOptions;
use crate::output::Format;
use crate::shell::Shell;
use crate::sql::sqlfile::{is_copy_from_stdin, Item, SqlFileReader};
// psql's boolean rules, shared with the REPL's meta-commands.
use crate::repl::meta::parse_bool as parse_psql_bool;

/// How to run SQL.
#[derive(Clone, Debug)]
pub struct SqlRunOptions {
    pub stop_on_error: bool,
    /// Keep the first error (for `run_sql_file` to throw) instead of printing it.
    pub keep_error: bool,
    pub quiet: bool,
    pub format: Format,
    pub table: TableOptions,
}

/// Where output goes, so callers (and tests) decide.
pub struct Outputs<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// Runs SQL text and files against the host's current session.
pub struct SqlRunner<'h> {
    host: &'h Shell,
    opts: SqlRunOptions,
    /// Errors seen (with --continue-on-error the run goes on, but the exit code still says so).
    pub errors: usize,
    /// The first error, with the place of its statement, when `keep_error` is set.
    pub first_error: Option<Error>,
    /// Statements run.
    pub statements: usize,
    /// The session to run on (default: the host's current one).
    db: Option<crate::shell::Db>,
    depth: usize,
    /// An error that ends the whole run whatever ON_ERROR_STOP says (Ctrl-C, a lost connection) was seen.
    fatal: bool,
}

/// The run stopped: on an error (exit 3 or 2) or at `\q`.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    Quit,
    Failed(u8),
}

/// Where the data of a `COPY … FROM STDIN` (or `\copy … from stdin`) comes from, as psql decides: the
/// input the command was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DataFrom {
    /// The lines after the command, up to `\.` (a file, or stdin read as a file with `-f -`).
    Input,
}

/// What is being run, for messages and for the rules that depend on it.
struct Source<'a> {
    name: &'a str,
    /// Where `\ir` and relative `\copy` files are looked up.
    dir: Option<&'a Path>,
    data: DataFrom,
    /// The input is pgsh's stdin (`-f -`), so `\copy … from pstdin` reads on from it (a second lock on
    /// stdin would wait forever for the reader's).
    input_is_stdin: bool,
    /// A multi-statement `-c` string: the server would run it as one query and stop at its first error.
    stop_at_first_error: bool,
}

/// Passes data through until Ctrl-C is pressed, then fails the write, which aborts the COPY: a long load
/// stops promptly instead of running to its end.
struct UntilInterrupt<'a>(&'a mut dyn Write);

impl Write for UntilInterrupt<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if crate::interrupt::is_set() {
            // Not io::ErrorKind::Interrupted: write_all would retry that.
            return Err(std::io::Error::other("interrupted by Ctrl-C"));
        }
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl<'h> SqlRunner<'h> {
    pub fn new(host: &'h Shell, opts: SqlRunOptions) -> Self {
        SqlRunner {
            host,
            opts,
            errors: 0,
            first_error: None,
            statements: 0,
            db: None,
            depth: 0,
            fatal: false,
        }
    }

    /// Run on this session instead of the current one (`db.run_sql_file(...)`).
    pub fn on(mut self, db: crate::shell::Db) -> Self {
        self.db = Some(db);
        self
    }

    fn session_db(&self) -> Result<crate::shell::Db, Error> {
        match &self.db {
            Some(db) => Ok(db.clone()),
            None => self.host.current(),
        }
    }

    /// `-f FILE` / `\i FILE` ("-" is stdin). `\q` ends this file only, as in psql.
    pub fn run_file(&mut self, path: &Path, io: &mut Outputs) -> Result<(), Stop> {
        if self.depth > 16 {
            let _ = writeln!(io.err, "pgsh: {}: \\i nested too deeply", path.display());
            return Err(Stop::Failed(3));
        }
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin();
            let mut reader = SqlFileReader::new(stdin.lock());
            let src = Source {
                name: "<stdin>",
                dir: None,
                data: DataFrom::Input,
                input_is_stdin: true,
                stop_at_first_error: false,
            };
            return quit_ends_source(self.run_items(&mut reader, &src, io));
        }
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                let _ = io.out.flush();
                let _ = writeln!(io.err, "pgsh: {name}: {e}");
                return Err(Stop::Failed(1));
            }
        };
        let size = file.metadata().ok().map(|m| m.len());
        let input = crate::term::ProgressReader::new(
            BufReader::with_capacity(256 * 1024, file),
            crate::term::Progress::bytes(size, &name),
        );
        let mut reader = SqlFileReader::new(input);
        let src = Source {
            name: &name,
            dir: path.parent(),
            data: DataFrom::Input,
            input_is_stdin: false,
            stop_at_first_error: false,
        };
        self.depth += 1;
        let r = self.run_items(&mut reader, &src, io);
        self.depth -= 1;
        quit_ends_source(r)
    }

    fn run_items<R: BufRead>(
        &mut self,
        reader: &mut SqlFileReader<R>,
        src: &Source,
        io: &mut Outputs,
    ) -> Result<(), Stop> {
        loop {
            // Ctrl-C between statements (the handler only cancels one in flight): stop here, so -1 never
            // commits a run the user interrupted.
            if crate::interrupt::is_set() {
                return self.report(&Error::interrupted(), src.name, reader.line(), io);
            }
            let item = match reader.next_item() {
                Ok(Some(i)) => i,
                Ok(None) => return Ok(()),
                Err(e) => {
                    let _ = io.out.flush();
                    let _ = writeln!(io.err, "pgsh:{}:{}: {e}", src.name, reader.line());
                    return Err(Stop::Failed(1));
                }
            };
            match item {
                Item::Statement { sql, line } => {
                    let result = if is_copy_from_stdin(&sql) {
                        self.copy_from_stdin(&sql, reader, src.data)
                    } else {
                        self.statement(&sql, io)
                    };
                    match result {
                        Ok(text) => {
                            if !self.opts.quiet || text.ends_with("\n\n") {
                                let _ = io.out.write_all(text.as_bytes());
                            }
                        }
                        Err(e) => {
                            let code = e.exit_code();
                            self.report(&e, src.name, line, io)?;
                            if src.stop_at_first_error {
                                return Err(Stop::Failed(code));
                            }
                        }
                    }
                }
                Item::Meta {
                    name: cmd,
                    args,
                    quoted,
                    line,
                } => {
                    self.meta(&cmd, &args, &quoted, src, line, reader, io)?;
                }
            }
            // Results reach stdout before the next statement's echo, notices or errors reach stderr, so
            // `> log 2>&1` reads in order (as with psql).
            let _ = io.out.flush();
        }
    }

    fn report(&mut self, e: &Error, name: &str, line: usize, io: &mut Outputs) -> Result<(), Stop> {
        self.errors += 1;
        // A statement cancelled by Ctrl-C fails like any other (57014); it still ends the run.
        let fatal = matches!(
            e.kind(),
            ErrorKind::Connect | ErrorKind::ConnectionLost | ErrorKind::Interrupted
        ) || crate::interrupt::is_set();
        self.fatal |= fatal;
        let code = if crate::interrupt::is_set() {
            130
        } else {
            e.exit_code()
        };
        if self.opts.keep_error {
            if self.first_error.is_none() {
                self.first_error = Some(e.clone().with_place(format!("{name}:{line}")));
            }
            return if self.opts.stop_on_error || fatal {
                Err(Stop::Failed(code))
            } else {
                Ok(())
            };
        }
        let mut msg = format!("pgsh:{name}:{line}: ");
        match e.db() {
            Some(db) => {
                msg.push_str(&format!("{}:  {}\n", db.severity, db.message));
                msg.push_str(&crate::output::server_error::sql_details(db));
            }
            None => msg.push_str(&format!("{e}\n")),
        }
        let _ = io.out.flush();
        let _ = io.err.write_all(msg.as_bytes());
        if self.opts.stop_on_error || fatal {
            Err(Stop::Failed(code))
        } else {
            Ok(())
        }
    }

    fn statement(&mut self, sql: &str, io: &mut Outputs) -> Result<String, Error> {
        self.statements += 1;
        let db = self.session_db()?;
        if crate::sql::scan::is_copy_to_stdout(sql) {
            // The data is the output; psql adds no tag after it.
            db.try_session()?.copy_out(sql, &mut *io.out)?;
            return Ok(String::new());
        }
        let outcome = db.try_session()?.run(sql)?;
        Ok(match outcome {
            Outcome::Rows(rs) => crate::output::render(&rs, self.opts.format, &self.opts.table),
            Outcome::Command(Some(tag)) => format!("{tag}\n"),
            Outcome::Command(None) => String::new(),
        })
    }

    /// `COPY … FROM STDIN`: the data follows in the input, or comes from pgsh's stdin for `-c`.
    fn copy_from_stdin<R: BufRead>(
        &mut self,
        sql: &str,
        reader: &mut SqlFileReader<R>,
        data: DataFrom,
    ) -> Result<String, Error> {
        self.statements += 1;
        let db = self.session_db()?;
        let mut session = db.try_session()?;
        let n = match data {
            DataFrom::Input => copy_in_inline(&mut session, sql, reader),
        }?;
        Ok(format!("COPY {n}\n"))
    }

    #[allow(clippy::too_many_arguments)]
    fn meta<R: BufRead>(
        &mut self,
        cmd: &str,
        args: &[String],
        quoted: &[bool],
        src: &Source,
        line: usize,
        reader: &mut SqlFileReader<R>,
        io: &mut Outputs,
    ) -> Result<(), Stop> {
        let name = src.name;
        let dir = src.dir;
        match cmd {
            "c" | "connect" if self.db.is_some() => self.report(
                &Error::api("\\c in a file run with db.run_sql_file(): use run_sql_file() so the switch applies to the current connection"),
                name,
                line,
                io,
            ),
            "c" | "connect" => {
                let target = match connect_args(args, quoted) {
                    Ok(t) => t,
                    Err(e) => return self.report(&e, name, line, io),
                };
                // psql closes the old connection, and with it any transaction it had open, without a word.
                let open_tx = self.host.current_if_any().is_some_and(|db| {
                    !db.0.embedded
                        && db.0.session.try_borrow().is_ok_and(|s| {
                            !s.is_closed() && s.tx_status() != crate::db::session::TxStatus::Idle
                        })
                });
                match self.host.reconnect_with(&target) {
                    Ok(db) => {
                        if open_tx {
                            let _ = io.out.flush();
                            let _ = writeln!(
                                io.err,
                                "pgsh:{name}:{line}: warning: a transaction was open on the previous connection; \
                                 \\c closed it, so it was rolled back"
                            );
                        }
                        if !self.opts.quiet {
                            let info = db.0.session.try_borrow().ok().and_then(|s| s.server_info().cloned());
                            if let Some(i) = info {
                                let _ = writeln!(
                                    io.out,
                                    "You are now connected to database \"{}\" as user \"{}\".",
                                    i.database, i.user
                                );
                            }
                        }
                        Ok(())
                    }
                    Err(e) => self.report(&e, name, line, io),
                }
            }
            "encoding" => match args.first() {
                None => {
                    let _ = writeln!(io.out, "UTF8");
                    Ok(())
                }
                Some(enc) => match check_encoding(enc) {
                    Ok(()) => Ok(()),
                    Err(e) => self.report(&e, name, line, io),
                },
            },
            "i" | "include" | "ir" | "include_relative" => {
                let Some(file) = args.first() else {
                    return self.report(&Error::api(format!("\\{cmd}: missing file name")), name, line, io);
                };
                let path = match (cmd, dir) {
                    ("ir" | "include_relative", Some(d)) if !Path::new(file).is_absolute() => d.join(file),
                    _ => PathBuf::from(file),
                };
                self.run_file(&path, io)
            }
            "set" | "unset" => {
                // Other variables only affect psql's own display; nothing to do for them.
                if args.first().map(String::as_str) != Some("ON_ERROR_STOP") {
                    return Ok(());
                }
                // As psql: `\set X a b` sets "ab", `\set X` means on, `\unset X` off.
                let value = if cmd == "unset" {
                    "off".to_string()
                } else {
                    match args.get(1..).map(|rest| rest.concat()) {
                        Some(v) if !v.is_empty() => v,
                        _ => "on".to_string(),
                    }
                };
                match parse_psql_bool(&value) {
                    Some(on) => {
                        self.opts.stop_on_error = on;
                        Ok(())
                    }
                    None => self.report(
                        &Error::api(format!(
                            "unrecognized value \"{value}\" for \"ON_ERROR_STOP\": Boolean expected"
                        )),
                        name,
                        line,
                        io,
                    ),
                }
            }
            "echo" => {
                // psql: an unquoted `-n` first means no newline at the end.
                let no_newline = args.first().map(String::as_str) == Some("-n")
                    && !quoted.first().copied().unwrap_or(false);
                let words = if no_newline { &args[1..] } else { args };
                let _ = io.out.write_all(words.join(" ").as_bytes());
                if !no_newline {
                    let _ = io.out.write_all(b"\n");
                }
                Ok(())
            }
            "q" | "quit" => Err(Stop::Quit),
            "copy" => {
                let text = args.join(" ");
                let db = match self.session_db() {
                    Ok(db) => db,
                    Err(e) => return self.report(&e, name, line, io),
                };
                let data = src.data;
                let mut inline = |session: &mut crate::db::session::Session, sql: &str| match data {
                    DataFrom::Input => copy_in_inline(session, sql, reader),
                };
                match meta_copy_with(
                    &db,
                    &text,
                    dir,
                    &mut *io.out,
                    Some(&mut inline),
                    src.input_is_stdin,
                ) {
                    Ok(tag) => {
                        if let Some(tag) = tag.filter(|_| !self.opts.quiet) {
                            let _ = writeln!(io.out, "{tag}");
                        }
                        Ok(())
                    }
                    Err(e) => self.report(&e, name, line, io),
                }
            }
            "restrict" | "unrestrict" => Ok(()),
            c if matches!(
                c.strip_suffix('+').unwrap_or(c),
                "l" | "list" | "dn" | "dt" | "dv" | "dm" | "di" | "ds" | "df" | "du" | "dg" | "d"
            ) =>
            {
                // psql's describe commands work in -c and in files too.
                let text = format!("\\{cmd} {}", args.join(" "));
                let result = crate::repl::meta::parse(&text)
                    .map_err(Error::api)
                    .and_then(|m| {
                        let db = self.session_db()?;
                        let mut session = db.try_session()?;
                        crate::catalog::describe_command(&mut session, &m, &self.opts.table)
                    });
                match result {
                    Ok(d) => {
                        let _ = io.out.write_all(d.text.as_bytes());
                        // "Did not find any relation…" goes to stderr, as psql's notice does.
                        if let Some(notice) = d.notice {
                            let _ = io.out.flush();
                            let _ = io.err.write_all(notice.as_bytes());
                        }
                        Ok(())
                    }
                    Err(e) => self.report(&e, name, line, io),
                }
            }
            other => self.report(
                &Error::api(format!(
                    "unsupported psql meta-command \\{other} (pgsh runs \\c, \\i, \\ir, \\copy, \\set/\\unset ON_ERROR_STOP, \\echo, \\encoding and \\q in SQL files)"
                )),
                name,
                line,
                io,
            ),
        }
    }
}

/// psql 15 ends only the file (or `-c` command) that ran `\q`; the run goes on with what follows it.
fn quit_ends_source(r: Result<(), Stop>) -> Result<(), Stop> {
    match r {
        Err(Stop::Quit) => Ok(()),
        other => other,
    }
}

/// `\c [-reuse-previous=on|off] [dbname|conninfo [user [host [port]]]]`, read as psql does: a missing or
/// unquoted `-` argument keeps the previous connection's value.
fn connect_args(args: &[String], quoted: &[bool]) -> Result<crate::shell::ConnectArgs, Error> {
    const REUSE: &str = "-reuse-previous=";
    let mut rest: Vec<(String, bool)> = args
        .iter()
        .cloned()
        .zip(quoted.iter().copied().chain(std::iter::repeat(false)))
        .collect();
    let mut target = crate::shell::ConnectArgs::default();
    if let Some(value) = rest
        .first()
        .filter(|(a, q)| !q && a.starts_with(REUSE))
        .map(|(a, _)| a[REUSE.len()..].to_string())
    {
        let on = parse_psql_bool(&value).ok_or_else(|| {
            Error::api(format!(
                "unrecognized value \"{value}\" for \"-reuse-previous\": Boolean expected"
            ))
        })?;
        target.reuse_previous = Some(on);
        rest.remove(0);
    }
    if rest.len() > 4 {
        return Err(Error::api(format!(
            "\\connect: extra argument \"{}\" (expected \\c [-reuse-previous=on|off] [dbname [user [host [port]]]])",
            rest[4].0
        )));
    }
    let mut slots = rest
        .into_iter()
        .map(|(a, q)| (q || (!a.is_empty() && a != "-")).then_some(a));
    target.dbname = slots.next().flatten();
    target.user = slots.next().flatten();
    target.host = slots.next().flatten();
    target.port = slots.next().flatten();
    Ok(target)
}

/// `\encoding NAME`: pgsh reads files as UTF-8 and always talks UTF-8 to the server, so UTF8 (and
/// SQL_ASCII, which pg_dump -C writes before `\connect` and which UTF-8 text satisfies) need nothing;
/// another encoding would mean the file's bytes are not what pgsh assumes.
fn check_encoding(name: &str) -> Result<(), Error> {
    // PostgreSQL's encoding-name matching ignores case and punctuation (`utf-8`, `Unicode`).
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match key.as_str() {
        "utf8" | "unicode" | "sqlascii" => Ok(()),
        _ => Err(Error::api(format!(
            "\\encoding {name}: pgsh reads SQL files as UTF-8 and talks UTF-8 to the server, so it cannot \
             switch to another client encoding (convert the file first, e.g. iconv -f {name} -t UTF-8)"
        ))),
    }
}

/// The data lines after a `COPY … FROM STDIN` in the input, through `\.`. Lines not yet read when the COPY
/// fails are skipped, or they would be read as SQL; after Ctrl-C the run stops, so nothing more is read.
fn copy_in_inline<R: BufRead>(
    session: &mut crate::db::session::Session,
    sql: &str,
    reader: &mut SqlFileReader<R>,
) -> Result<u64, Error> {
    // Whether the inline data was read through its `\.` terminator.
    let mut fed_all = false;
    let mut feed = |w: &mut dyn Write| {
        let r = reader.copy_data_into(&mut UntilInterrupt(w));
        fed_all = r.is_ok();
        r
    };
    let result = session.copy_in(sql, &mut feed);
    match result {
        Ok(n) => Ok(n),
        Err(_) if crate::interrupt::is_set() => Err(Error::interrupted()),
        Err(e) => {
            // When the server rejected the data only at the end, the lines were all read already.
            if !fed_all {
                let _ = reader.copy_data_into(&mut std::io::sink());
            }
            Err(e)
        }
    }
}

/// `COPY … FROM STDIN` data from pgsh's stdin, up to `\.` or the end of input (as psql reads it for `-c`).
fn copy_in_stdin(session: &mut crate::db::session::Session, sql: &str) -> Result<u64, Error> {
    let binary = crate::sql::scan::copy_data_shape(sql).0 == crate::sql::scan::CopyFormat::Binary;
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    let result = session.copy_in(sql, &mut |w: &mut dyn Write| {
        let mut w = UntilInterrupt(w);
        if binary {
            // Binary data has no lines: all of stdin is the data.
            std::io::copy(&mut lock, &mut w)
        } else {
            copy_until_terminator(&mut lock, &mut w)
        }
    });
    match result {
        Err(_) if crate::interrupt::is_set() => Err(Error::interrupted()),
        other => other,
    }
}

/// Runs `COPY … FROM STDIN` with the data that follows a command in its input.
pub type InlineCopy<'a> =
    dyn FnMut(&mut crate::db::session::Session, &str) -> Result<u64, Error> + 'a;

/// psql's `\copy`: COPY through this client, to or from a local file (relative to `dir` when given), or
/// stdin/stdout. Returns psql's tag, `COPY n`, except for data written to stdout (which psql does not follow
/// with a tag either: it would mix with the data). `from stdin` data is taken by `inline` (psql reads it from
/// the input the command came from; `pstdin` is pgsh's own stdin, which is that input too when
/// `inline_is_stdin`).
pub fn meta_copy_with(
    db: &crate::shell::Db,
    args: &str,
    dir: Option<&Path>,
    stdout: &mut dyn Write,
    inline: Option<&mut InlineCopy<'_>>,
    inline_is_stdin: bool,
) -> Result<Option<String>, Error> {
    let m = crate::db::copy::parse_meta_copy(args)?;
    let path = m.file.as_ref().map(|f| match dir {
        Some(d) if !Path::new(f).is_absolute() => d.join(f),
        _ => PathBuf::from(f),
    });
    let mut session = db.try_session()?;
    let n = if m.from {
        match &path {
            Some(p) => {
                let file = std::fs::File::open(p)
                    .map_err(|e| Error::io(format!("\\copy: cannot read {}", p.display()), &e))?;
                let size = file.metadata().ok().map(|md| md.len());
                let mut input = crate::term::ProgressReader::new(
                    BufReader::with_capacity(256 * 1024, file),
                    crate::term::Progress::bytes(size, "\\copy"),
                );
                let r = session.copy_in(&m.sql, &mut |w: &mut dyn Write| {
                    std::io::copy(&mut input, &mut UntilInterrupt(w))
                });
                match r {
                    Err(_) if crate::interrupt::is_set() => return Err(Error::interrupted()),
                    other => other?,
                }
            }
            None => match inline {
                Some(feed) if !m.process_io || inline_is_stdin => feed(&mut session, &m.sql)?,
                _ => copy_in_stdin(&mut session, &m.sql)?,
            },
        }
    } else {
        match &path {
            Some(p) => {
                let file = std::fs::File::create(p)
                    .map_err(|e| Error::io(format!("\\copy: cannot write {}", p.display()), &e))?;
                let (format, header) = crate::sql::scan::copy_data_shape(&m.sql);
                let mut w = crate::db::copy::RecordCounter::with_format(
                    std::io::BufWriter::with_capacity(256 * 1024, file),
                    format,
                );
                session.copy_out(&m.sql, &mut w)?;
                w.flush()
                    .map_err(|e| Error::io(format!("\\copy: {}", p.display()), &e))?;
                // The client does not hand over COPY's own count: count the records, less a header line.
                w.records.saturating_sub(u64::from(header))
            }
            None => {
                session.copy_out(&m.sql, stdout)?;
                return Ok(None);
            }
        }
    };
    Ok(Some(format!("COPY {n}")))
}

/// Data lines from stdin up to psql's `\.` terminator (or end of input).
fn copy_until_terminator(input: &mut dyn BufRead, w: &mut dyn Write) -> std::io::Result<u64> {
    let mut total = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 || line.trim_end_matches(['\r', '\n']) == "\\." {
            return Ok(total);
        }
        w.write_all(line.as_bytes())?;
        total += line.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[(&str, bool)]) -> (Vec<String>, Vec<bool>) {
        (
            list.iter().map(|(a, _)| a.to_string()).collect(),
            list.iter().map(|(_, q)| *q).collect(),
        )
    }

    #[test]
    fn connect_arguments() {
        let (a, q) = args(&[("-reuse-previous=on", false), ("dbname='my-app'", true)]);
        let t = connect_args(&a, &q).unwrap();
        assert_eq!(t.reuse_previous, Some(true));
        assert_eq!(t.dbname.as_deref(), Some("dbname='my-app'"));
        // An unquoted `-` keeps the previous value; a quoted one is a name.
        let (a, q) = args(&[("-", false), ("bob", false), ("-", true), ("5433", false)]);
        let t = connect_args(&a, &q).unwrap();
        assert_eq!(t.dbname, None);
        assert_eq!(t.user.as_deref(), Some("bob"));
        assert_eq!(t.host.as_deref(), Some("-"));
        assert_eq!(t.port.as_deref(), Some("5433"));
        assert_eq!(t.reuse_previous, None);
        let (a, q) = args(&[("-reuse-previous=maybe", false)]);
        assert!(connect_args(&a, &q)
            .unwrap_err()
            .to_string()
            .contains("unrecognized value \"maybe\" for \"-reuse-previous\""));
        let (a, q) = args(&[
            ("a", false),
            ("b", false),
            ("c", false),
            ("1", false),
            ("x", false),
        ]);
        assert!(connect_args(&a, &q)
            .unwrap_err()
            .to_string()
            .contains("extra argument \"x\""));
    }

    #[test]
    fn encodings() {
        for ok in ["UTF8", "utf-8", "Unicode", "SQL_ASCII"] {
            assert!(check_encoding(ok).is_ok(), "{ok}");
        }
        let e = check_encoding("LATIN1").unwrap_err().to_string();
        assert!(e.contains("reads SQL files as UTF-8"), "{e}");
    }
}
