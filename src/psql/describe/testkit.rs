//! Test support for the describe commands: a [`Ctx`] that writes what psql would write with `-E -A`
//! (each hidden query echoed, tables printed unaligned) and answers queries from canned results or from a
//! live server; fixtures of psql 15's own output with the results its queries got; and the capture that
//! makes them (see `capture_fixtures`).

use crate::db::pgresult::{ExecStatus, Field, PgResult};
use crate::error::DbDetails;
use crate::output::content::{Table, TableContent};
use crate::output::opts::{PrintQueryOpt, PrintTableOpt};
use crate::psql::ctx::Ctx;
use crate::psql::settings::{EchoHidden, Settings};
use serde_json::{json, Value};
use std::collections::VecDeque;

/// Where query results come from.
pub enum Answers {
    /// Results recorded from a server, in the order the queries were sent.
    Canned(VecDeque<PgResult>),
    /// A live server.
    Live(Box<postgres::Client>),
}

/// The test context (see the module documentation).
pub struct TestCtx {
    pub settings: Settings,
    pub dbname: String,
    pub answers: Answers,
    /// What psql writes to stdout: echoed queries and printed tables.
    pub stdout: String,
    /// Messages psql writes to stderr, one per report.
    pub stderr: Vec<String>,
    /// Every query sent, in order.
    pub queries: Vec<String>,
    /// Every table printed.
    pub tables: Vec<TableContent>,
    /// Queries sent when no canned result was left (a test failure).
    pub unanswered: usize,
}

impl TestCtx {
    /// A context for a PostgreSQL 15.18 server, echoing hidden queries as `psql -E` does.
    pub fn new(answers: Answers) -> TestCtx {
        let mut settings = Settings {
            sversion: 150018,
            echo_hidden: EchoHidden::On,
            ..Settings::default()
        };
        settings.popt.topt.format = crate::output::opts::PrintFormat::Unaligned;
        TestCtx {
            settings,
            dbname: "desc1zoo".into(),
            answers,
            stdout: String::new(),
            stderr: Vec::new(),
            queries: Vec::new(),
            tables: Vec::new(),
            unanswered: 0,
        }
    }

    /// A context answering with these results, in order.
    pub fn canned(results: Vec<PgResult>) -> TestCtx {
        TestCtx::new(Answers::Canned(results.into()))
    }

    fn echo(&mut self, sql: &str) {
        self.queries.push(sql.to_string());
        if self.settings.echo_hidden != EchoHidden::Off {
            self.stdout.push_str(&format!(
                "********* QUERY **********\n{sql}\n**************************\n\n"
            ));
        }
    }

    fn answer(&mut self, sql: &str) -> PgResult {
        match &mut self.answers {
            Answers::Canned(results) => results.pop_front().unwrap_or_else(|| {
                self.unanswered += 1;
                PgResult::error(DbDetails {
                    severity: "ERROR".into(),
                    message: "no canned result left".into(),
                    ..DbDetails::default()
                })
            }),
            Answers::Live(client) => run_simple(client, sql),
        }
    }
}

impl Ctx for TestCtx {
    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn dbname(&self) -> Option<&str> {
        Some(&self.dbname)
    }

    fn std_strings(&self) -> bool {
        true
    }

    fn exec(&mut self, sql: &str) -> Option<PgResult> {
        self.echo(sql);
        if self.settings.echo_hidden == EchoHidden::NoExec {
            return None;
        }
        let res = self.answer(sql);
        if res.status == ExecStatus::FatalError {
            let message = res.error.as_ref().map_or("", |e| e.message.as_str());
            self.stderr.push(format!("ERROR:  {message}"));
            return None;
        }
        Some(res)
    }

    fn exec_unchecked(&mut self, sql: &str) -> Option<PgResult> {
        self.echo(sql);
        if self.settings.echo_hidden == EchoHidden::NoExec {
            return None;
        }
        Some(self.answer(sql))
    }

    fn print_query(&mut self, res: &PgResult, opt: &PrintQueryOpt) {
        let mut t = TableContent::new(opt.title.as_deref(), res.ntuples());
        for c in 0..res.nfields() {
            t.add_header(res.fname(c), crate::output::content::Align::Left);
        }
        for r in 0..res.ntuples() {
            for c in 0..res.nfields() {
                t.add_cell(res.get(r, c).unwrap_or(&opt.null_print));
            }
        }
        t.footers = opt.footers.clone();
        self.stdout.push_str(&unaligned(&t, &opt.topt));
        self.tables.push(t);
    }

    fn print_table(&mut self, table: &dyn Table) {
        let opt = self.settings.popt.topt.clone();
        self.print_table_opt(table, &opt);
    }

    fn print_table_opt(&mut self, table: &dyn Table, opt: &PrintTableOpt) {
        self.stdout.push_str(&unaligned(table, opt));
        let mut copy = TableContent::new(table.title(), table.nrows());
        for c in 0..table.ncolumns() {
            copy.add_header(table.header(c), table.align(c));
        }
        for r in 0..table.nrows() {
            for c in 0..table.ncolumns() {
                copy.add_cell(table.cell(r, c));
            }
        }
        copy.footers = table.footers().map(<[String]>::to_vec);
        self.tables.push(copy);
    }

    fn error(&mut self, message: &str) {
        self.stderr.push(message.to_string());
    }

    fn out(&mut self, text: &str) {
        self.stdout.push_str(text);
    }
}

/// psql's unaligned output of a table (`print_unaligned_text` with `|` and newline separators), enough to
/// compare with `psql -A`.
pub fn unaligned(t: &dyn Table, opt: &PrintTableOpt) -> String {
    let mut out = String::new();
    let mut need_recordsep = false;
    if !opt.tuples_only {
        if let Some(title) = t.title() {
            out.push_str(title);
            out.push('\n');
        }
        let headers: Vec<&str> = (0..t.ncolumns()).map(|c| t.header(c)).collect();
        out.push_str(&headers.join("|"));
        need_recordsep = true;
    }
    for r in 0..t.nrows() {
        if need_recordsep {
            out.push('\n');
        }
        let cells: Vec<&str> = (0..t.ncolumns()).map(|c| t.cell(r, c)).collect();
        out.push_str(&cells.join("|"));
        need_recordsep = true;
    }
    let default_footer;
    let footers: Option<&[String]> = match t.footers() {
        None if opt.default_footer => {
            let n = t.nrows();
            default_footer = [format!("({n} {})", if n == 1 { "row" } else { "rows" })];
            Some(&default_footer)
        }
        other => other,
    };
    if !opt.tuples_only {
        for f in footers.unwrap_or(&[]) {
            if need_recordsep {
                out.push('\n');
            }
            out.push_str(f);
            need_recordsep = true;
        }
    }
    if need_recordsep {
        out.push('\n');
    }
    out
}

/// A server error's fields (libpq's `PG_DIAG_*` codes) as [`DbDetails`].
fn error_details(fields: &[(u8, String)]) -> DbDetails {
    let mut d = DbDetails::default();
    for (code, value) in fields {
        let v = value.clone();
        match code {
            b'S' => d.severity = v,
            b'C' => d.code = v,
            b'M' => d.message = v,
            b'D' => d.detail = Some(v),
            b'H' => d.hint = Some(v),
            b'P' => d.position = v.parse().ok(),
            b'p' => d.internal_position = v.parse().ok(),
            b'q' => d.internal_query = Some(v),
            b'W' => d.context = Some(v),
            b's' => d.schema = Some(v),
            b't' => d.table = Some(v),
            b'c' => d.column = Some(v),
            b'd' => d.datatype = Some(v),
            b'n' => d.constraint = Some(v),
            b'F' => d.file = Some(v),
            b'L' => d.line = Some(v),
            b'R' => d.routine = Some(v),
            _ => {}
        }
    }
    d
}

/// Send `sql` with the simple query protocol and gather the last result as libpq's `PQexec` does.
pub fn run_simple(client: &mut postgres::Client, sql: &str) -> PgResult {
    use fallible_iterator::FallibleIterator;
    use postgres_protocol::message::backend::Message;

    let failed = |message: String| {
        PgResult::error(DbDetails {
            severity: "ERROR".into(),
            message,
            ..DbDetails::default()
        })
    };
    let mut exchange = match client.simple_exchange(sql) {
        Ok(e) => e,
        Err(e) => return failed(e.to_string()),
    };
    let mut current: Option<PgResult> = None;
    let mut last = PgResult::new(ExecStatus::EmptyQuery, Vec::new());
    loop {
        let message = match exchange.next() {
            Ok(Some(m)) => m,
            Ok(None) => break,
            Err(e) => return failed(e.to_string()),
        };
        match message {
            Message::RowDescription(body) => {
                let fields: Vec<Field> = body
                    .fields()
                    .map(|f| {
                        Ok(Field {
                            name: f.name().to_string(),
                            table_oid: f.table_oid(),
                            column_id: f.column_id(),
                            type_oid: f.type_oid(),
                            type_size: f.type_size(),
                            type_modifier: f.type_modifier(),
                            format: f.format(),
                        })
                    })
                    .collect()
                    .unwrap_or_default();
                current = Some(PgResult::new(ExecStatus::TuplesOk, fields));
            }
            Message::DataRow(body) => {
                if let Some(res) = current.as_mut() {
                    let buf = body.buffer();
                    let values: Vec<Option<&[u8]>> = body
                        .ranges()
                        .map(|r| Ok(r.map(|r| &buf[r])))
                        .collect()
                        .unwrap_or_default();
                    res.push_row(values);
                }
            }
            Message::CommandComplete(body) => {
                let mut res = current
                    .take()
                    .unwrap_or_else(|| PgResult::new(ExecStatus::CommandOk, Vec::new()));
                res.command_tag = body.tag().unwrap_or("").to_string();
                last = res;
            }
            Message::EmptyQueryResponse => {
                last = PgResult::new(ExecStatus::EmptyQuery, Vec::new());
            }
            Message::ErrorResponse(body) => {
                let fields: Vec<(u8, String)> = body
                    .fields()
                    .map(|f| {
                        Ok((
                            f.type_(),
                            String::from_utf8_lossy(f.value_bytes()).into_owned(),
                        ))
                    })
                    .collect()
                    .unwrap_or_default();
                current = None;
                last = PgResult::error(error_details(&fields));
            }
            _ => {}
        }
    }
    last
}

/// A result as fixture JSON.
pub fn result_to_json(r: &PgResult) -> Value {
    let status = match r.status {
        ExecStatus::EmptyQuery => "empty",
        ExecStatus::CommandOk => "command",
        ExecStatus::TuplesOk => "tuples",
        ExecStatus::CopyOut => "copy_out",
        ExecStatus::CopyIn => "copy_in",
        ExecStatus::FatalError => "error",
    };
    let fields: Vec<Value> = r
        .fields
        .iter()
        .map(|f| json!([f.name, f.type_oid]))
        .collect();
    let rows: Vec<Value> = (0..r.ntuples())
        .map(|i| {
            Value::Array(
                (0..r.nfields())
                    .map(|c| r.get(i, c).map_or(Value::Null, |v| json!(v)))
                    .collect(),
            )
        })
        .collect();
    let mut v = json!({"status": status, "tag": r.command_tag, "fields": fields, "rows": rows});
    if let Some(e) = &r.error {
        v["error"] = json!({"severity": e.severity, "code": e.code, "message": e.message});
    }
    v
}

/// A result from fixture JSON (see [`result_to_json`]).
pub fn result_from_json(v: &Value) -> PgResult {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    if v["status"] == "error" {
        let e = &v["error"];
        return PgResult::error(DbDetails {
            severity: text(&e["severity"]),
            code: text(&e["code"]),
            message: text(&e["message"]),
            ..DbDetails::default()
        });
    }
    let status = match v["status"].as_str() {
        Some("command") => ExecStatus::CommandOk,
        Some("empty") => ExecStatus::EmptyQuery,
        _ => ExecStatus::TuplesOk,
    };
    let fields = v["fields"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| Field {
                    name: text(&f[0]),
                    table_oid: 0,
                    column_id: 0,
                    type_oid: f[1]
                        .as_u64()
                        .and_then(|o| u32::try_from(o).ok())
                        .unwrap_or(0),
                    type_size: -1,
                    type_modifier: -1,
                    format: 0,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut r = PgResult::new(status, fields);
    r.command_tag = text(&v["tag"]);
    for row in v["rows"].as_array().map_or(&[][..], Vec::as_slice) {
        let cells = row.as_array().map_or(&[][..], Vec::as_slice);
        r.push_row(cells.iter().map(|c| c.as_str().map(str::as_bytes)));
    }
    r
}
