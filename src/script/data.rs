//! Moving data from scripts: `stream` (server-side cursor, flat memory), `copy_in`/`copy_out` (COPY, streamed),
//! and the CSV/JSON helpers `to_csv`, `to_json`, `write_csv`, `write_json`, `read_csv`.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::rc::Rc;

use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult, Map, NativeCallContext, INT};

use super::api::resolve_path;
use super::handle::shell;
use super::rows::Rows;
use super::script_error::{throw, RhaiResult};
use crate::db::copy::{self, CsvOptions};
use crate::db::resultset::{Columns, ResultSet};
use crate::db::session::cursor::Cursor;
use crate::error::Error;
use crate::shell::Db;
use crate::value::format::{cell_text, json_string, write_json};
use postgres_types::Type;

/// Rows fetched in batches from a server-side cursor; iterating gives one map per row.
#[derive(Clone)]
pub struct Stream(Rc<RefCell<StreamState>>);

pub struct StreamState {
    db: Db,
    cursor: Option<Cursor>,
    batch: ResultSet,
    pos: usize,
    progress: crate::term::Progress,
    pub rows_seen: u64,
}

impl StreamState {
    fn next_row(&mut self) -> Result<Option<Map>, Error> {
        loop {
            if let Some(m) = self.batch.take_row_map(self.pos) {
                self.pos += 1;
                self.rows_seen += 1;
                self.progress.inc(1);
                return Ok(Some(m));
            }
            let Some(cursor) = self.cursor.as_mut() else {
                return Ok(None);
            };
            if cursor.done {
                self.close()?;
                return Ok(None);
            }
            let fetched = self.db.try_session()?.fetch_cursor(cursor);
            match fetched {
                Ok(batch) => self.batch = batch,
                Err(e) => {
                    // As a Python generator after it raised: a failed stream is over (its cursor went
                    // with the transaction the error aborted); the error is the one to report.
                    let _ = self.close();
                    return Err(e);
                }
            }
            self.pos = 0;
        }
    }

    fn close(&mut self) -> Result<(), Error> {
        if let Some(c) = self.cursor.take() {
            self.db.try_session()?.close_cursor(&c)?;
        }
        Ok(())
    }
}

impl Drop for StreamState {
    fn drop(&mut self) {
        // An early `break` (or an error) leaves the cursor open: close it so the portal is freed.
        let _ = self.close();
    }
}

/// `<stream over name, price: not read yet>`, then `… 1000 rows read so far`, then `… finished after 1234
/// rows`: what a stream is, and how far it has been read.
impl std::fmt::Display for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Ok(st) = self.0.try_borrow() else {
            return f.write_str("<stream: being read>");
        };
        let names: Vec<&str> = st.batch.columns.keys.iter().map(|k| k.as_str()).collect();
        let n = st.rows_seen;
        let rows = if n == 1 { "row" } else { "rows" };
        let state = match (&st.cursor, n) {
            (Some(_), 0) => "not read yet".to_string(),
            (Some(_), _) => format!("{n} {rows} read so far"),
            (None, _) => format!("finished after {n} {rows}"),
        };
        write!(f, "<stream over {}: {state}>", names.join(", "))
    }
}

/// The iterator Rhai's `for` gets.
pub struct StreamIter(Stream);

// Items are `Dynamic` (made with `from_map`): Rhai's `From<Map>` would rebuild every map.
impl Iterator for StreamIter {
    type Item = Result<Dynamic, Box<EvalAltResult>>;
    fn next(&mut self) -> Option<Self::Item> {
        let mut st = match self.0 .0.try_borrow_mut() {
            Ok(s) => s,
            Err(_) => return Some(Err(throw(Error::api("stream: already being iterated")))),
        };
        match st.next_row() {
            Ok(Some(m)) => Some(Ok(Dynamic::from_map(m))),
            Ok(None) => None,
            Err(e) => Some(Err(throw(e))),
        }
    }
}

impl IntoIterator for Stream {
    type Item = Result<Dynamic, Box<EvalAltResult>>;
    type IntoIter = StreamIter;
    fn into_iter(self) -> StreamIter {
        StreamIter(self)
    }
}

fn open_stream(db: &Db, sql: &str, params: &[Dynamic], opts: &Map) -> Result<Stream, Error> {
    let mut batch = 1000u32;
    for (k, v) in opts {
        match k.as_str() {
            "batch" => {
                batch = v
                    .as_int()
                    .ok()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| Error::usage("stream: batch must be a positive integer"))?
            }
            other => {
                return Err(Error::usage(format!(
                    "stream: unknown option \"{other}\" (known: batch)"
                )))
            }
        }
    }
    let cursor = db.try_session()?.open_cursor(sql, params, batch)?;
    let columns = cursor.columns().clone();
    Ok(Stream(Rc::new(RefCell::new(StreamState {
        db: db.clone(),
        cursor: Some(cursor),
        batch: ResultSet::new(columns),
        pos: 0,
        progress: crate::term::Progress::rows("streaming"),
        rows_seen: 0,
    }))))
}

/// CSV options from a Rhai map.
fn csv_options(m: &Map, what: &str) -> Result<CsvOptions, Error> {
    let mut o = CsvOptions::default();
    for (k, v) in m {
        let bad = |why: &str| Error::usage(format!("{what}: option \"{k}\" {why}"));
        match k.as_str() {
            "header" => o.header = v.as_bool().map_err(|_| bad("must be true or false"))?,
            "delimiter" => {
                let s = v.to_string();
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => o.delimiter = c,
                    _ => return Err(bad("must be one character")),
                }
            }
            // `null` is a reserved word in Rhai map literals: `null_as` spells the same option.
            "null" | "null_as" => o.null = v.to_string(),
            "columns" => {
                let arr = v
                    .clone()
                    .into_array()
                    .map_err(|_| bad("must be an array of column names"))?;
                o.columns = Some(arr.iter().map(|c| c.to_string()).collect());
            }
            other => {
                return Err(Error::usage(format!(
                "{what}: unknown option \"{other}\" (known: columns, header, delimiter, null_as)"
            )))
            }
        }
    }
    Ok(o)
}

/// Columns, their PostgreSQL types where known, and the values of rows given as `rows` or an array of maps.
type Table = (Vec<String>, Vec<Option<Type>>, Vec<Vec<Dynamic>>);

fn table_of(v: &Dynamic, what: &str) -> Result<Table, Error> {
    if let Some(rows) = v.read_lock::<Rows>() {
        let cols: Vec<String> = rows.columns().keys.iter().map(|k| k.to_string()).collect();
        let types = rows.columns().types.clone();
        let data = (0..rows.len())
            .map(|i| rows.0.row(i).unwrap_or_default())
            .collect();
        return Ok((cols, types, data));
    }
    let arr = v
        .read_lock::<Array>()
        .ok_or_else(|| Error::usage(format!("{what}: expected rows or an array of maps")))?;
    let mut cols: Vec<String> = Vec::new();
    for item in arr.iter() {
        let m = item
            .read_lock::<Map>()
            .ok_or_else(|| Error::usage(format!("{what}: every element must be a map")))?;
        for k in m.keys() {
            if !cols.iter().any(|c| c == k.as_str()) {
                cols.push(k.to_string());
            }
        }
    }
    let data = arr
        .iter()
        .map(|item| {
            let m = item.read_lock::<Map>();
            cols.iter()
                .map(|c| {
                    m.as_ref()
                        .and_then(|m| m.get(c.as_str()).cloned())
                        .unwrap_or(Dynamic::UNIT)
                })
                .collect()
        })
        .collect();
    let types = vec![None; cols.len()];
    Ok((cols, types, data))
}

fn csv_text(
    cols: &[String],
    types: &[Option<Type>],
    data: &[Vec<Dynamic>],
    o: &CsvOptions,
) -> String {
    let mut out = String::new();
    let sep = o.delimiter.to_string();
    if o.header {
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                out.push_str(&sep);
            }
            copy::write_field(&mut out, Some(c), o);
        }
        out.push('\n');
    }
    for row in data {
        csv_row(&mut out, row, types, o);
    }
    out
}

/// One CSV line; with a column's type known, values take PostgreSQL's text form for it (arrays as `{1,NULL}`,
/// not Rhai's `[1, ()]`), so COPY reads them back.
fn csv_row(out: &mut String, row: &[Dynamic], types: &[Option<Type>], o: &CsvOptions) {
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(o.delimiter);
        }
        let text = cell_text(v, types.get(i).and_then(Option::as_ref));
        copy::write_field(out, text.as_deref(), o);
    }
    out.push('\n');
}

fn json_text(cols: &[String], data: &[Vec<Dynamic>]) -> String {
    let mut out = String::from("[");
    for (r, row) in data.iter().enumerate() {
        if r > 0 {
            out.push(',');
        }
        out.push_str("\n  {");
        for (i, (c, v)) in cols.iter().zip(row).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json_string(c, &mut out);
            out.push_str(": ");
            write_json(v, &mut out, ", ", ": ");
        }
        out.push('}');
    }
    out.push_str(if data.is_empty() { "]" } else { "\n]" });
    out
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), &e))
}

fn read_csv(path: &Path, o: &CsvOptions) -> Result<Rows, Error> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), &e))?;
    let mut records = copy::CsvRecords::new(BufReader::new(file), o.delimiter);
    let bad = |e: std::io::Error| Error::api(format!("{}: {e}", path.display()));
    let header: Option<Vec<String>> = if o.header {
        records
            .next_record()
            .map_err(bad)?
            .map(|r| r.into_iter().map(|(name, _)| name).collect())
    } else {
        None
    };
    let mut rs: Option<ResultSet> = None;
    let mut line = 0;
    while let Some(rec) = records.next_record().map_err(bad)? {
        line += 1;
        let rs = rs.get_or_insert_with(|| {
            let names = match (&o.columns, &header) {
                (Some(c), _) => c.clone(),
                (None, Some(h)) => h.clone(),
                (None, None) => (1..=rec.len()).map(|i| format!("column{i}")).collect(),
            };
            let types = vec![None; names.len()];
            ResultSet::new(Rc::new(Columns::new(names, types)))
        });
        if rec.len() != rs.columns.len() {
            return Err(Error::api(format!(
                "{}: record {line} has {} fields, expected {}",
                path.display(),
                rec.len(),
                rs.columns.len()
            )));
        }
        // As COPY reads CSV: an unquoted field equal to the NULL string is NULL.
        rs.push_row(rec.into_iter().map(|(text, quoted)| {
            if !quoted && text == o.null {
                Dynamic::UNIT
            } else {
                Dynamic::from(text)
            }
        }));
    }
    let rs = rs.unwrap_or_else(|| {
        let names = o.columns.clone().or(header).unwrap_or_default();
        let types = vec![None; names.len()];
        ResultSet::new(Rc::new(Columns::new(names, types)))
    });
    Ok(Rows::new(rs))
}

/// `copy_in(table, source, options)`.
fn copy_in(
    db: &Db,
    table: &str,
    source: &Dynamic,
    mut o: CsvOptions,
    base: &dyn Fn(&str) -> std::path::PathBuf,
) -> Result<INT, Error> {
    if source.is_string() {
        let path = base(&source.to_string());
        let file = std::fs::File::open(&path)
            .map_err(|e| Error::io(format!("copy_in: cannot read {}", path.display()), &e))?;
        let size = file.metadata().ok().map(|m| m.len());
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        if o.header && o.columns.is_none() {
            // Columns by name: the header line says which table columns the fields go to.
            let first = reader.fill_buf().map_err(|e| Error::io("copy_in", &e))?;
            let end = first
                .iter()
                .position(|b| *b == b'\n')
                .unwrap_or(first.len());
            let mut hr = csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(o.delimiter as u8)
                .from_reader(&first[..end]);
            if let Some(Ok(rec)) = hr.records().next() {
                o.columns = Some(
                    rec.iter()
                        .map(|s| s.trim_end_matches('\r').to_string())
                        .collect(),
                );
            }
        }
        let sql = copy::copy_in_sql(table, &o);
        let mut input =
            crate::term::ProgressReader::new(reader, crate::term::Progress::bytes(size, "copy_in"));
        let mut feed = |w: &mut dyn Write| std::io::copy(&mut input, w);
        let n = db.try_session()?.copy_in(&sql, &mut feed)?;
        return Ok(n as INT);
    }
    let (cols, _, data) = table_of(source, "copy_in")?;
    if o.columns.is_none() {
        o.columns = Some(cols);
    }
    o.header = false;
    // Array columns take PostgreSQL's array syntax in CSV: ask the catalog for the columns' types (COPY FROM
    // needs only INSERT on the table, so reading the table itself is not an option). Other values keep their
    // plain text form (a string for a json column is JSON text, as for parameters).
    let catalog = db.try_session()?.query(
        "SELECT a.attname::text, a.atttypid::int8 FROM pg_catalog.pg_attribute a \
         WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        &[Dynamic::from(copy::quote_path(table))],
    )?;
    let type_of = |name: &str| -> Option<Type> {
        (0..catalog.row_count()).find_map(|i| {
            let row = catalog.row(i)?;
            if row.first()?.clone().into_string().ok()? != name {
                return None;
            }
            let oid = u32::try_from(row.get(1)?.as_int().ok()?).ok()?;
            Type::from_oid(oid).filter(|t| matches!(t.kind(), postgres_types::Kind::Array(_)))
        })
    };
    let types: Vec<Option<Type>> = o.columns.iter().flatten().map(|c| type_of(c)).collect();
    let sql = copy::copy_in_sql(table, &o);
    let mut progress = crate::term::Progress::rows("copy_in");
    let mut feed = |w: &mut dyn Write| -> std::io::Result<u64> {
        let mut out = BufWriter::with_capacity(256 * 1024, w);
        let mut line = String::new();
        for row in &data {
            line.clear();
            csv_row(&mut line, row, &types, &o);
            out.write_all(line.as_bytes())?;
            progress.inc(1);
        }
        out.flush()?;
        Ok(data.len() as u64)
    };
    let n = db.try_session()?.copy_in(&sql, &mut feed)?;
    Ok(n as INT)
}

/// `copy_out(sql_or_table, path, options)`: streams COPY's CSV into the file; returns the rows written.
///
/// A regular file is written whole or not at all: the rows go to a temporary file beside it, renamed over
/// `path` only once COPY has ended and the data is on disk. A COPY cut off (lost connection, server error,
/// Ctrl-C, full disk) leaves no file that looks complete, and a file that was there stays as it was.
/// Anything else (a FIFO, `/dev/stdout`) is written directly, as it cannot be replaced.
fn copy_out(db: &Db, source: &str, path: &Path, o: &CsvOptions) -> Result<INT, Error> {
    let sql = copy::copy_out_sql(source, o);
    let cannot_write =
        |e: &std::io::Error| Error::io(format!("copy_out: cannot write {}", path.display()), e);
    let target = match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => None,
        // Through a symlink to the file it names, so the link stays a link.
        Ok(_) => Some(std::fs::canonicalize(path).map_err(|e| cannot_write(&e))?),
        Err(_) => Some(path.to_path_buf()),
    };
    let Some(target) = target else {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| cannot_write(&e))?;
        return copy_out_into(db, &sql, file, path, o);
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // 0666 less the umask, as File::create would make it (tempfile's default is 0600).
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(&dir)
        .map_err(|e| cannot_write(&e))?;
    let file = tmp.as_file().try_clone().map_err(|e| cannot_write(&e))?;
    // On any error `tmp` is dropped here, which removes the partial file.
    let rows = copy_out_into(db, &sql, file, path, o)?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(format!("copy_out: {}", path.display()), &e))?;
    tmp.persist(&target).map_err(|e| {
        Error::io(
            format!("copy_out: cannot write {}", path.display()),
            &e.error,
        )
    })?;
    Ok(rows)
}

/// The COPY itself, into `file`; the rows written (the header line not counted).
fn copy_out_into(
    db: &Db,
    sql: &str,
    file: std::fs::File,
    path: &Path,
    o: &CsvOptions,
) -> Result<INT, Error> {
    let mut counter = copy::RecordCounter::new(BufWriter::with_capacity(256 * 1024, file));
    let mut progress = crate::term::Progress::bytes(None, "copy_out");
    {
        let mut sink = ProgressWriter {
            inner: &mut counter,
            progress: &mut progress,
        };
        db.try_session()?.copy_out(sql, &mut sink)?;
    }
    counter
        .flush()
        .map_err(|e| Error::io(format!("copy_out: {}", path.display()), &e))?;
    let header = u64::from(o.header);
    Ok(counter.records.saturating_sub(header) as INT)
}

struct ProgressWriter<'a, W: Write> {
    inner: &'a mut W,
    progress: &'a mut crate::term::Progress,
}

impl<W: Write> Write for ProgressWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.progress.inc(n as u64);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The plugin module: the `stream` type, COPY, and CSV/JSON files.
pub fn module() -> Module {
    let mut m = exported_module!(data_functions);
    m.set_custom_type::<Stream>("stream");
    m.set_iterable_result::<Stream, Dynamic>();
    m
}

fn current(ctx: &NativeCallContext) -> RhaiResult<Db> {
    shell(ctx)?.current().map_err(throw)
}

fn stream_on(db: &Db, sql: &str, params: &[Dynamic], options: &Map) -> RhaiResult<Stream> {
    open_stream(db, sql, params, options).map_err(throw)
}

fn copy_in_on(
    ctx: &NativeCallContext,
    db: &Db,
    table: &str,
    source: &Dynamic,
    options: Option<&Map>,
) -> RhaiResult<INT> {
    let o = match options {
        Some(m) => csv_options(m, "copy_in").map_err(throw)?,
        None => CsvOptions::default(),
    };
    copy_in(db, table, source, o, &|p| resolve_path(ctx, p)).map_err(throw)
}

fn copy_out_on(
    ctx: &NativeCallContext,
    db: &Db,
    source: &str,
    path: &str,
    options: Option<&Map>,
) -> RhaiResult<INT> {
    let o = match options {
        Some(m) => csv_options(m, "copy_out").map_err(throw)?,
        None => CsvOptions::default(),
    };
    copy_out(db, source, &resolve_path(ctx, path), &o).map_err(throw)
}

#[export_module]
mod data_functions {
    use super::*;

    /// Iterate over a query's rows through a server-side cursor, fetched in batches of 1000, so memory
    /// stays flat however many rows there are; leaving the loop early closes the cursor.
    ///
    /// ```rhai
    /// let total = 0;
    /// for row in stream("SELECT price FROM fruit") {
    ///     total += row.price;
    /// }
    /// total  // 5.70
    /// ```
    #[rhai_fn(name = "stream", return_raw)]
    pub fn stream(ctx: NativeCallContext, sql: &str) -> RhaiResult<Stream> {
        stream_on(&current(&ctx)?, sql, &[], &Map::new())
    }

    /// Iterate over the rows of a query with parameters (`$1`, `$2`, …) through a server-side cursor.
    ///
    /// ```rhai
    /// let names = [];
    /// for row in stream("SELECT name FROM fruit WHERE price > $1 ORDER BY name", [1.3]) {
    ///     names.push(row.name);
    /// }
    /// names  // ["fig", "kiwi"]
    /// ```
    #[rhai_fn(name = "stream", return_raw)]
    pub fn stream_params(ctx: NativeCallContext, sql: &str, params: Array) -> RhaiResult<Stream> {
        stream_on(&current(&ctx)?, sql, &params, &Map::new())
    }

    /// Iterate over a query's rows with options: `batch`, the rows fetched at a time (default 1000).
    ///
    /// ```rhai
    /// let n = 0;
    /// for row in stream("SELECT * FROM fruit", [], #{batch: 2}) {
    ///     n += 1;
    /// }
    /// n  // 3
    /// ```
    #[rhai_fn(name = "stream", return_raw)]
    pub fn stream_options(
        ctx: NativeCallContext,
        sql: &str,
        params: Array,
        options: Map,
    ) -> RhaiResult<Stream> {
        stream_on(&current(&ctx)?, sql, &params, &options)
    }

    /// Iterate over a query's rows on this session through a server-side cursor.
    ///
    /// ```rhai
    /// let db = connect();
    /// let n = 0;
    /// for row in db.stream("SELECT * FROM fruit") {
    ///     n += 1;
    /// }
    /// n  // 3
    /// ```
    #[rhai_fn(name = "stream", return_raw, pure)]
    pub fn stream_on_db(db: &mut Db, sql: &str) -> RhaiResult<Stream> {
        stream_on(db, sql, &[], &Map::new())
    }

    /// Iterate over the rows of a query with parameters on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// let names = [];
    /// for row in db.stream("SELECT name FROM fruit WHERE price < $1 ORDER BY name", [2]) {
    ///     names.push(row.name);
    /// }
    /// names  // ["apple", "kiwi"]
    /// ```
    #[rhai_fn(name = "stream", return_raw, pure)]
    pub fn stream_params_on_db(db: &mut Db, sql: &str, params: Array) -> RhaiResult<Stream> {
        stream_on(db, sql, &params, &Map::new())
    }

    /// Iterate over a query's rows on this session with options (`batch`).
    ///
    /// ```rhai
    /// let db = connect();
    /// let n = 0;
    /// for row in db.stream("SELECT * FROM fruit", [], #{batch: 1}) {
    ///     n += 1;
    /// }
    /// n  // 3
    /// ```
    #[rhai_fn(name = "stream", return_raw, pure)]
    pub fn stream_options_on_db(
        db: &mut Db,
        sql: &str,
        params: Array,
        options: Map,
    ) -> RhaiResult<Stream> {
        stream_on(db, sql, &params, &options)
    }

    /// The stream's column names, in the SELECT's order.
    ///
    /// ```rhai
    /// stream("SELECT name, price FROM fruit").columns  // ["name", "price"]
    /// ```
    #[rhai_fn(get = "columns", pure)]
    pub fn columns(stream: &mut Stream) -> Array {
        stream
            .0
            .borrow()
            .batch
            .columns
            .keys
            .iter()
            .map(|k| Dynamic::from(k.clone()))
            .collect()
    }

    /// How many rows the stream has given so far.
    ///
    /// ```rhai
    /// let s = stream("SELECT name FROM fruit");
    /// for row in s {
    ///     break;
    /// }
    /// s.rows_seen  // 1
    /// ```
    #[rhai_fn(get = "rows_seen", pure)]
    pub fn rows_seen(stream: &mut Stream) -> INT {
        stream.0.borrow().rows_seen as INT
    }

    /// What the stream is and how far it has been read.
    ///
    /// ```rhai
    /// let s = stream("SELECT name, price FROM fruit");
    /// s.to_string()  // "<stream over name, price: not read yet>"
    /// for row in s {}
    /// s.to_string()  // "<stream over name, price: finished after 3 rows>"
    /// ```
    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn to_string(stream: &mut Stream) -> String {
        stream.to_string()
    }

    /// COPY rows into a table, on the current session: from a CSV file (with a header line naming the
    /// columns), from rows, or from an array of maps. Returns the rows copied.
    ///
    /// ```rhai
    /// execute("DELETE FROM fruit");
    /// copy_in("fruit", "fruit.csv")  // 3
    /// copy_in("fruit", [#{name: "plum", price: 2}])  // 1
    /// ```
    #[rhai_fn(name = "copy_in", return_raw)]
    pub fn copy_in(ctx: NativeCallContext, table: &str, source: Dynamic) -> RhaiResult<INT> {
        copy_in_on(&ctx, &current(&ctx)?, table, &source, None)
    }

    /// COPY rows into a table with options: `columns` (the table's columns the fields go to), `header`
    /// (whether a file starts with a header line; default true), `delimiter`, `null_as` (the text that
    /// means NULL in a file; default empty).
    ///
    /// ```rhai
    /// copy_in("fruit", [#{name: "plum", price: 2}], #{columns: ["name", "price"]})  // 1
    /// ```
    #[rhai_fn(name = "copy_in", return_raw)]
    pub fn copy_in_options(
        ctx: NativeCallContext,
        table: &str,
        source: Dynamic,
        options: Map,
    ) -> RhaiResult<INT> {
        copy_in_on(&ctx, &current(&ctx)?, table, &source, Some(&options))
    }

    /// COPY rows into a table on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.copy_in("fruit", [#{name: "lime", price: 0.5}])  // 1
    /// ```
    #[rhai_fn(name = "copy_in", return_raw, pure)]
    pub fn copy_in_db(
        ctx: NativeCallContext,
        db: &mut Db,
        table: &str,
        source: Dynamic,
    ) -> RhaiResult<INT> {
        copy_in_on(&ctx, db, table, &source, None)
    }

    /// COPY rows into a table on this session, with options.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.copy_out("fruit", "fruit.ssv", #{delimiter: ";"});
    /// db.execute("DELETE FROM fruit");
    /// db.copy_in("fruit", "fruit.ssv", #{delimiter: ";"})  // 3
    /// ```
    #[rhai_fn(name = "copy_in", return_raw, pure)]
    pub fn copy_in_options_db(
        ctx: NativeCallContext,
        db: &mut Db,
        table: &str,
        source: Dynamic,
        options: Map,
    ) -> RhaiResult<INT> {
        copy_in_on(&ctx, db, table, &source, Some(&options))
    }

    /// COPY a table, or a query's result, to a CSV file with a header line (streamed, so any size
    /// fits); returns the rows written.
    ///
    /// ```rhai
    /// copy_out("fruit", "fruit_out.csv")  // 3
    /// copy_out("SELECT name FROM fruit WHERE price > 2", "dear.csv")  // 1
    /// ```
    #[rhai_fn(name = "copy_out", return_raw)]
    pub fn copy_out(ctx: NativeCallContext, source: &str, path: &str) -> RhaiResult<INT> {
        copy_out_on(&ctx, &current(&ctx)?, source, path, None)
    }

    /// COPY a table or a query's result to a CSV file with options: `header` (default true),
    /// `delimiter`, `null_as`, `columns` (of a table).
    ///
    /// ```rhai
    /// copy_out("fruit", "fruit.tsv", #{delimiter: "\t", header: false})  // 3
    /// ```
    #[rhai_fn(name = "copy_out", return_raw)]
    pub fn copy_out_options(
        ctx: NativeCallContext,
        source: &str,
        path: &str,
        options: Map,
    ) -> RhaiResult<INT> {
        copy_out_on(&ctx, &current(&ctx)?, source, path, Some(&options))
    }

    /// COPY a table or a query's result to a CSV file, on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.copy_out("SELECT * FROM fruit ORDER BY name", "sorted.csv")  // 3
    /// ```
    #[rhai_fn(name = "copy_out", return_raw, pure)]
    pub fn copy_out_db(
        ctx: NativeCallContext,
        db: &mut Db,
        source: &str,
        path: &str,
    ) -> RhaiResult<INT> {
        copy_out_on(&ctx, db, source, path, None)
    }

    /// COPY a table or a query's result to a CSV file with options, on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.copy_out("fruit", "names.csv", #{columns: ["name"]})  // 3
    /// ```
    #[rhai_fn(name = "copy_out", return_raw, pure)]
    pub fn copy_out_options_db(
        ctx: NativeCallContext,
        db: &mut Db,
        source: &str,
        path: &str,
        options: Map,
    ) -> RhaiResult<INT> {
        copy_out_on(&ctx, db, source, path, Some(&options))
    }

    /// Rows (or an array of maps) as CSV text with a header line, in column order; values take
    /// PostgreSQL's text form, so COPY reads them back.
    ///
    /// ```rhai
    /// to_csv([#{a: 1, b: "x, y"}, #{a: 2, b: ()}])  // "a,b\n1,\"x, y\"\n2,\n"
    /// ```
    #[rhai_fn(name = "to_csv", return_raw)]
    pub fn to_csv(rows: Dynamic) -> RhaiResult<String> {
        let (c, t, d) = table_of(&rows, "to_csv").map_err(throw)?;
        Ok(csv_text(&c, &t, &d, &CsvOptions::default()))
    }

    /// Rows (or an array of maps) as a JSON array of objects: keys in column order, numbers stay
    /// numbers, NULL is null, dates and times are ISO 8601.
    ///
    /// ```rhai
    /// to_json([#{a: 1, b: (), t: date(2024, 2, 29)}])  // "[\n  {\"a\": 1, \"b\": null, \"t\": \"2024-02-29\"}\n]"
    /// ```
    #[rhai_fn(name = "to_json", return_raw)]
    pub fn to_json(rows: Dynamic) -> RhaiResult<String> {
        let (c, _, d) = table_of(&rows, "to_json").map_err(throw)?;
        Ok(json_text(&c, &d))
    }

    /// Write rows (or an array of maps) to a CSV file with a header line; returns the rows written. A
    /// relative path is relative to the script's directory.
    ///
    /// ```rhai
    /// write_csv("points.csv", [#{x: 1, y: 2}, #{x: 3, y: 4}])  // 2
    /// ```
    #[rhai_fn(name = "write_csv", return_raw)]
    pub fn write_csv(ctx: NativeCallContext, path: &str, rows: Dynamic) -> RhaiResult<INT> {
        let (c, t, d) = table_of(&rows, "write_csv").map_err(throw)?;
        let text = csv_text(&c, &t, &d, &CsvOptions::default());
        write_file(&resolve_path(&ctx, path), &text).map_err(throw)?;
        Ok(d.len() as INT)
    }

    /// Write rows (or an array of maps) to a JSON file (an array of objects); returns the rows written.
    ///
    /// ```rhai
    /// write_json("points.json", [#{x: 1, y: 2}])  // 1
    /// ```
    #[rhai_fn(name = "write_json", return_raw)]
    pub fn write_json(ctx: NativeCallContext, path: &str, rows: Dynamic) -> RhaiResult<INT> {
        let (c, _, d) = table_of(&rows, "write_json").map_err(throw)?;
        let mut text = json_text(&c, &d);
        text.push('\n');
        write_file(&resolve_path(&ctx, path), &text).map_err(throw)?;
        Ok(d.len() as INT)
    }

    /// Read a CSV file into rows: columns from the header line, values as strings, and an unquoted empty
    /// field as `()` (NULL), as COPY reads it.
    ///
    /// ```rhai
    /// write_csv("points.csv", [#{x: 1, y: ()}]);
    /// let rows = read_csv("points.csv");
    /// rows[0]  // #{x: "1", y: ()}
    /// ```
    #[rhai_fn(name = "read_csv", return_raw)]
    pub fn read_csv_file(ctx: NativeCallContext, path: &str) -> RhaiResult<Rows> {
        read_csv(&resolve_path(&ctx, path), &CsvOptions::default()).map_err(throw)
    }

    /// Read a CSV file into rows with options: `header` (default true), `delimiter`, `null_as`, `columns`
    /// (names for the columns).
    ///
    /// ```rhai
    /// write_csv("points.csv", [#{x: 1, y: 2}]);
    /// let rows = read_csv("points.csv", #{header: false, columns: ["a", "b"]});
    /// rows.len()  // 2
    /// rows[0].a  // "x"
    /// ```
    #[rhai_fn(name = "read_csv", return_raw)]
    pub fn read_csv_options(ctx: NativeCallContext, path: &str, options: Map) -> RhaiResult<Rows> {
        let o = csv_options(&options, "read_csv").map_err(throw)?;
        read_csv(&resolve_path(&ctx, path), &o).map_err(throw)
    }

    /// Delete a file (one a script wrote, e.g. with `write_csv` or `copy_out`); returns whether it
    /// existed.
    ///
    /// ```rhai
    /// write_csv("scratch.csv", [#{a: 1}]);
    /// remove_file("scratch.csv")  // true
    /// remove_file("scratch.csv")  // false
    /// ```
    #[rhai_fn(name = "remove_file", return_raw)]
    pub fn remove_file(ctx: NativeCallContext, path: &str) -> RhaiResult<bool> {
        let path = resolve_path(&ctx, path);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(throw(Error::io(
                format!("cannot remove {}", path.display()),
                &e,
            ))),
        }
    }
}
