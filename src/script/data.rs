//! Moving data from scripts: `stream` (server-side cursor, flat memory), `copy_in`/`copy_out` (COPY, streamed),
//! and the CSV/JSON helpers `to_csv`, `to_json`, `write_csv`, `write_json`, `read_csv`.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FuncRegistration, Map, NativeCallContext, INT};

use super::api::{resolve_path, throw, RhaiResult};
use super::rows::Rows;
use crate::db::copy::{self, CsvOptions};
use crate::db::resultset::{Columns, ResultSet};
use crate::db::session::cursor::Cursor;
use crate::error::Error;
use crate::shell::{Db, Shell};
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
            .map(|i| rows.0.row(i).map(<[Dynamic]>::to_vec).unwrap_or_default())
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
fn copy_out(db: &Db, source: &str, path: &Path, o: &CsvOptions) -> Result<INT, Error> {
    let sql = copy::copy_out_sql(source, o);
    let file = std::fs::File::create(path)
        .map_err(|e| Error::io(format!("copy_out: cannot write {}", path.display()), &e))?;
    let mut counter = copy::RecordCounter::new(BufWriter::with_capacity(256 * 1024, file));
    let mut progress = crate::term::Progress::bytes(None, "copy_out");
    {
        let mut sink = ProgressWriter {
            inner: &mut counter,
            progress: &mut progress,
        };
        db.try_session()?.copy_out(&sql, &mut sink)?;
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

fn docs(summary: &str, example: &str) -> Vec<String> {
    let mut v = vec![format!("/// {summary}"), "/// ```rhai".into()];
    v.extend(example.lines().map(|l| format!("/// {l}")));
    v.push("/// ```".into());
    v
}

/// Register the data functions.
pub fn register(engine: &mut Engine, host: Rc<Shell>) {
    engine.register_type_with_name::<Stream>("stream");
    engine.register_iterator_result::<Stream, Dynamic>();
    engine.register_fn("to_string", |_: &mut Stream| "stream".to_string());
    engine.register_get("columns", |s: &mut Stream| -> Array {
        s.0.borrow()
            .batch
            .columns
            .keys
            .iter()
            .map(|k| Dynamic::from(k.clone()))
            .collect()
    });
    engine.register_get("rows_seen", |s: &mut Stream| s.0.borrow().rows_seen as INT);

    let d_stream = docs(
        "Iterate over a query's rows through a server-side cursor, fetched in batches (default 1000; #{batch: n}), so memory stays flat; an early break closes the cursor.",
        "let total = 0;\nfor row in stream(\"SELECT amount FROM payment\") { total += row.amount; }",
    );
    macro_rules! both {
        ($name:literal, $doc:expr, ($($arg:ident : $ty:ty),*), $ret:ty, $body:expr) => {{
            let h = host.clone();
            FuncRegistration::new($name).with_comments($doc.clone()).register_into_engine(
                engine,
                move |ctx: NativeCallContext, $($arg: $ty),*| -> RhaiResult<$ret> {
                    let db = h.current().map_err(throw)?;
                    ($body)(&ctx, &db, $($arg),*).map_err(throw)
                },
            );
            FuncRegistration::new($name).with_comments($doc.clone()).register_into_engine(
                engine,
                move |ctx: NativeCallContext, db: &mut Db, $($arg: $ty),*| -> RhaiResult<$ret> {
                    ($body)(&ctx, db, $($arg),*).map_err(throw)
                },
            );
        }};
    }
    both!("stream", d_stream, (sql: &str), Stream, |_: &NativeCallContext, db: &Db, sql: &str| {
        open_stream(db, sql, &[], &Map::new())
    });
    both!("stream", d_stream, (sql: &str, params: Array), Stream,
        |_: &NativeCallContext, db: &Db, sql: &str, params: Array| open_stream(db, sql, &params, &Map::new()));
    both!("stream", d_stream, (sql: &str, params: Array, opts: Map), Stream,
        |_: &NativeCallContext, db: &Db, sql: &str, params: Array, opts: Map| open_stream(db, sql, &params, &opts));

    let d_in = docs(
        "COPY rows into a table: from a CSV file (columns matched by its header) or an array of maps; options: columns, header, delimiter, null_as. Returns the rows copied.",
        "copy_in(\"payment\", \"payments.csv\");\ncopy_in(\"fruit\", [#{name: \"fig\", price: 3}], #{columns: [\"name\", \"price\"]});",
    );
    both!("copy_in", d_in, (table: &str, source: Dynamic), INT,
    |ctx: &NativeCallContext, db: &Db, table: &str, source: Dynamic| {
        copy_in(db, table, &source, CsvOptions::default(), &|p| resolve_path(ctx, p))
    });
    both!("copy_in", d_in, (table: &str, source: Dynamic, opts: Map), INT,
    |ctx: &NativeCallContext, db: &Db, table: &str, source: Dynamic, opts: Map| {
        copy_in(db, table, &source, csv_options(&opts, "copy_in")?, &|p| resolve_path(ctx, p))
    });
    let d_out = docs(
        "COPY a table or a query's result to a CSV file (streamed; header by default); returns the rows written.",
        "copy_out(\"payment\", \"payments.csv\");\ncopy_out(\"SELECT * FROM payment WHERE amount > 10\", \"big.csv\", #{delimiter: \";\"});",
    );
    both!("copy_out", d_out, (source: &str, path: &str), INT,
    |ctx: &NativeCallContext, db: &Db, source: &str, path: &str| {
        copy_out(db, source, &resolve_path(ctx, path), &CsvOptions::default())
    });
    both!("copy_out", d_out, (source: &str, path: &str, opts: Map), INT,
    |ctx: &NativeCallContext, db: &Db, source: &str, path: &str, opts: Map| {
        copy_out(db, source, &resolve_path(ctx, path), &csv_options(&opts, "copy_out")?)
    });

    FuncRegistration::new("to_csv")
        .with_comments(docs(
            "Rows (or an array of maps) as CSV text with a header line, in column order.",
            "print(to_csv(query(\"SELECT 1 AS a, 'x' AS b\")));",
        ))
        .register_into_engine(engine, |rows: Dynamic| -> RhaiResult<String> {
            let (c, t, d) = table_of(&rows, "to_csv").map_err(throw)?;
            Ok(csv_text(&c, &t, &d, &CsvOptions::default()))
        });
    FuncRegistration::new("to_json")
        .with_comments(docs("Rows (or an array of maps) as a JSON array of objects: keys in column order, numbers stay numbers, NULL is null, timestamps ISO 8601.", "print(to_json(query(\"SELECT 1 AS a, now() AS t\")));"))
        .register_into_engine(engine, |rows: Dynamic| -> RhaiResult<String> {
            let (c, _, d) = table_of(&rows, "to_json").map_err(throw)?;
            Ok(json_text(&c, &d))
        });
    FuncRegistration::new("write_csv")
        .with_comments(docs("Write rows (or an array of maps) to a CSV file with a header; returns the rows written.", "write_csv(\"out.csv\", query(\"SELECT * FROM fruit\"));"))
        .register_into_engine(engine, |ctx: NativeCallContext, path: &str, rows: Dynamic| -> RhaiResult<INT> {
            let (c, t, d) = table_of(&rows, "write_csv").map_err(throw)?;
            write_file(&resolve_path(&ctx, path), &csv_text(&c, &t, &d, &CsvOptions::default())).map_err(throw)?;
            Ok(d.len() as INT)
        });
    FuncRegistration::new("remove_file")
        .with_comments(docs(
            "Delete a file (one a script wrote, e.g. with write_csv or copy_out); returns whether it existed.",
            "write_csv(\"tmp.csv\", query(\"SELECT 1 AS a\"));\nremove_file(\"tmp.csv\");",
        ))
        .register_into_engine(engine, |ctx: NativeCallContext, path: &str| -> RhaiResult<bool> {
            let path = resolve_path(&ctx, path);
            match std::fs::remove_file(&path) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(throw(Error::io(format!("cannot remove {}", path.display()), &e))),
            }
        });
    FuncRegistration::new("write_json")
        .with_comments(docs(
            "Write rows (or an array of maps) to a JSON file; returns the rows written.",
            "write_json(\"out.json\", query(\"SELECT * FROM fruit\"));",
        ))
        .register_into_engine(
            engine,
            |ctx: NativeCallContext, path: &str, rows: Dynamic| -> RhaiResult<INT> {
                let (c, _, d) = table_of(&rows, "write_json").map_err(throw)?;
                let mut text = json_text(&c, &d);
                text.push('\n');
                write_file(&resolve_path(&ctx, path), &text).map_err(throw)?;
                Ok(d.len() as INT)
            },
        );
    let d_read = docs("Read a CSV file into rows (values are strings; an unquoted empty field is NULL, as COPY reads it; columns from the header); options: header, delimiter, null_as, columns.", "let rows = read_csv(\"fruit.csv\");\nfor r in rows { print(r.name); }");
    FuncRegistration::new("read_csv")
        .with_comments(d_read.clone())
        .register_into_engine(
            engine,
            |ctx: NativeCallContext, path: &str| -> RhaiResult<Rows> {
                read_csv(&resolve_path(&ctx, path), &CsvOptions::default()).map_err(throw)
            },
        );
    FuncRegistration::new("read_csv")
        .with_comments(d_read)
        .register_into_engine(
            engine,
            |ctx: NativeCallContext, path: &str, opts: Map| -> RhaiResult<Rows> {
                read_csv(
                    &resolve_path(&ctx, path),
                    &csv_options(&opts, "read_csv").map_err(throw)?,
                )
                .map_err(throw)
            },
        );
}
