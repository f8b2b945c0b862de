//! Running SQL the way psql does: `-c` commands and `-f` files (dumps, course datasets), statement by
//! statement, with inline `COPY ... FROM stdin` data and the psql meta-commands such files use.
//!
//! Unknown backslash commands are errors naming file:line (a skipped command could leave the database in a
//! state the rest of the file does not expect), except `\restrict`/`\unrestrict`, which newer pg_dump versions
//! write as a psql-side safety lock and which are safe to ignore.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::cli::Format;
use crate::db::session::Outcome;
use crate::error::{Error, ErrorKind};
use crate::host::Host;
use crate::output::table::TableOptions;
use crate::sql::sqlfile::{is_copy_from_stdin, Item, SqlFileReader};

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
    host: &'h Host,
    opts: SqlRunOptions,
    /// Errors seen (with --continue-on-error the run goes on, but the exit code still says so).
    pub errors: usize,
    /// The first error, with the place of its statement, when `keep_error` is set.
    pub first_error: Option<Error>,
    /// Statements run.
    pub statements: usize,
    /// The session to run on (default: the host's current one).
    db: Option<crate::host::Db>,
    depth: usize,
}

/// The run stopped: on an error (exit 3 or 2) or at `\q`.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    Quit,
    Failed(u8),
}

impl<'h> SqlRunner<'h> {
    pub fn new(host: &'h Host, opts: SqlRunOptions) -> Self {
        SqlRunner {
            host,
            opts,
            errors: 0,
            first_error: None,
            statements: 0,
            db: None,
            depth: 0,
        }
    }

    /// Run on this session instead of the current one (`db.run_sql_file(...)`).
    pub fn on(mut self, db: crate::host::Db) -> Self {
        self.db = Some(db);
        self
    }

    fn session_db(&self) -> Result<crate::host::Db, Error> {
        match &self.db {
            Some(db) => Ok(db.clone()),
            None => self.host.current(),
        }
    }

    /// `-c SQL`: one or more statements, output like psql's.
    pub fn run_command(&mut self, sql: &str, io: &mut Outputs) -> Result<(), Stop> {
        let mut reader = SqlFileReader::new(BufReader::new(sql.as_bytes()));
        self.run_items(&mut reader, "-c", None, io)
    }

    /// `-f FILE` / `\i FILE` ("-" is stdin).
    pub fn run_file(&mut self, path: &Path, io: &mut Outputs) -> Result<(), Stop> {
        if self.depth > 16 {
            let _ = writeln!(io.err, "pgsh: {}: \\i nested too deeply", path.display());
            return Err(Stop::Failed(3));
        }
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin();
            let mut reader = SqlFileReader::new(stdin.lock());
            return self.run_items(&mut reader, "<stdin>", None, io);
        }
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
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
        self.depth += 1;
        let r = self.run_items(&mut reader, &name, path.parent(), io);
        self.depth -= 1;
        r
    }

    fn run_items<R: BufRead>(
        &mut self,
        reader: &mut SqlFileReader<R>,
        name: &str,
        dir: Option<&Path>,
        io: &mut Outputs,
    ) -> Result<(), Stop> {
        loop {
            let item = match reader.next_item() {
                Ok(Some(i)) => i,
                Ok(None) => return Ok(()),
                Err(e) => {
                    let _ = writeln!(io.err, "pgsh:{name}:{}: {e}", reader.line());
                    return Err(Stop::Failed(1));
                }
            };
            match item {
                Item::Statement { sql, line } => {
                    let result = if is_copy_from_stdin(&sql) {
                        self.copy_from_inline(&sql, reader)
                    } else {
                        self.statement(&sql, io)
                    };
                    match result {
                        Ok(text) => {
                            if !self.opts.quiet || text.ends_with("\n\n") {
                                let _ = io.out.write_all(text.as_bytes());
                            }
                        }
                        Err(e) => self.report(&e, name, line, io)?,
                    }
                }
                Item::Meta {
                    name: cmd,
                    args,
                    line,
                } => {
                    self.meta(&cmd, &args, name, line, dir, io)?;
                }
            }
        }
    }

    fn report(&mut self, e: &Error, name: &str, line: usize, io: &mut Outputs) -> Result<(), Stop> {
        self.errors += 1;
        if self.opts.keep_error {
            if self.first_error.is_none() {
                self.first_error = Some(e.clone().with_place(format!("{name}:{line}")));
            }
            return if self.opts.stop_on_error {
                Err(Stop::Failed(e.exit_code()))
            } else {
                Ok(())
            };
        }
        let mut msg = format!("pgsh:{name}:{line}: ");
        match e.db() {
            Some(db) => {
                msg.push_str(&format!("{}:  {}\n", db.severity, db.message));
                msg.push_str(&crate::script::diag::sql_details(db));
            }
            None => msg.push_str(&format!("{e}\n")),
        }
        let _ = io.err.write_all(msg.as_bytes());
        let fatal = matches!(
            e.kind(),
            ErrorKind::Connect | ErrorKind::ConnectionLost | ErrorKind::Interrupted
        );
        if self.opts.stop_on_error || fatal {
            Err(Stop::Failed(e.exit_code()))
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

    fn copy_from_inline<R: BufRead>(
        &mut self,
        sql: &str,
        reader: &mut SqlFileReader<R>,
    ) -> Result<String, Error> {
        self.statements += 1;
        let db = self.session_db()?;
        let mut session = db.try_session()?;
        // Whether the inline data was read through its `\.` terminator.
        let mut fed_all = false;
        let mut feed = |w: &mut dyn Write| {
            let r = reader.copy_data_into(w);
            fed_all = r.is_ok();
            r
        };
        let n = session.copy_in(sql, &mut feed);
        match n {
            Ok(n) => Ok(format!("COPY {n}\n")),
            Err(e) => {
                // Data lines not yet read still have to be skipped, or they would be read as SQL; when the
                // server rejected the data only at the end, they were all read already.
                drop(session);
                if !fed_all {
                    let _ = reader.copy_data_into(&mut std::io::sink());
                }
                Err(e)
            }
        }
    }

    fn meta(
        &mut self,
        cmd: &str,
        args: &[String],
        name: &str,
        line: usize,
        dir: Option<&Path>,
        io: &mut Outputs,
    ) -> Result<(), Stop> {
        match cmd {
            "c" | "connect" if self.db.is_some() => self.report(
                &Error::api("\\c in a file run with db.run_sql_file(): use run_sql_file() so the switch applies to the current connection"),
                name,
                line,
                io,
            ),
            "c" | "connect" => {
                let dbname = args.first().map(String::as_str);
                let user = args.get(1).map(String::as_str);
                match self.host.reconnect(dbname, user) {
                    Ok(db) => {
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
            "set" => {
                // Other variables only affect psql's own display; nothing to do for them.
                if args.first().map(String::as_str) == Some("ON_ERROR_STOP") {
                    let v = args.get(1).map(String::as_str);
                    self.opts.stop_on_error = !matches!(v, Some("off" | "0" | "false"));
                }
                Ok(())
            }
            "echo" => {
                let _ = writeln!(io.out, "{}", args.join(" "));
                Ok(())
            }
            "q" | "quit" => Err(Stop::Quit),
            "copy" => {
                let text = args.join(" ");
                let db = match self.session_db() {
                    Ok(db) => db,
                    Err(e) => return self.report(&e, name, line, io),
                };
                match meta_copy(&db, &text, dir, &mut *io.out) {
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
            "l" | "list" | "dn" | "dt" | "dv" | "di" | "ds" | "df" | "du" | "dg" | "d" | "dt+" | "d+" => {
                // psql's describe commands work in -c and in files too.
                let text = format!("\\{cmd} {}", args.join(" "));
                let result = crate::repl::meta::parse(&text)
                    .map_err(Error::api)
                    .and_then(|m| {
                        let db = self.session_db()?;
                        let mut session = db.try_session()?;
                        crate::catalog::run(&mut session, &m, &self.opts.table)
                    });
                match result {
                    Ok(text) => {
                        let _ = io.out.write_all(text.as_bytes());
                        Ok(())
                    }
                    Err(e) => self.report(&e, name, line, io),
                }
            }
            other => self.report(
                &Error::api(format!(
                    "unsupported psql meta-command \\{other} (pgsh runs \\c, \\i, \\ir, \\copy, \\set ON_ERROR_STOP, \\echo and \\q in SQL files)"
                )),
                name,
                line,
                io,
            ),
        }
    }
}

/// psql's `\copy`: COPY through this client, to or from a local file (relative to `dir` when given), or
/// stdin/stdout. Returns psql's tag, `COPY n`, except for data written to stdout (which psql does not follow
/// with a tag either: it would mix with the data).
pub fn meta_copy(
    db: &crate::host::Db,
    args: &str,
    dir: Option<&Path>,
    stdout: &mut dyn Write,
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
                session.copy_in(&m.sql, &mut |w: &mut dyn Write| {
                    std::io::copy(&mut input, w)
                })?
            }
            None => {
                let stdin = std::io::stdin();
                let mut lock = stdin.lock();
                session.copy_in(&m.sql, &mut |w: &mut dyn Write| {
                    copy_until_terminator(&mut lock, w)
                })?
            }
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
