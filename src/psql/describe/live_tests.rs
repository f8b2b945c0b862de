//! The list commands against a live server, through the vendored client's simple-query exchange: a result
//! made of the server's own messages (as libpq's `PQexec` makes a `PGresult`), and a context that runs each
//! hidden query for real. The conversion is tested on messages built byte by byte; the live run makes a
//! throwaway cluster of the installed server holding `testdata/lists_fixture.sql`, or uses a server named by
//! `PGSH_DESCRIBE_LIVE` (a connection string, e.g. `host=/tmp/pg17 port=5417 user=postgres dbname=desc2zoo`,
//! to check the psql 17 transcript against a 17 server).

use bytes::{BufMut, BytesMut};
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::Message;

use super::lists_tests::{csv_result, dispatch, parse_transcript};
use crate::db::pgresult::{ExecStatus, Field, PgResult};
use crate::error::DbDetails;
use crate::output::content::Table;
use crate::output::opts::{PrintQueryOpt, PrintTableOpt};
use crate::psql::ctx::Ctx;
use crate::psql::settings::Settings;

/// The result of a simple query from the server's messages: RowDescription gives the fields, DataRow the
/// rows, CommandComplete the tag, ErrorResponse the error (libpq's PG_DIAG_* codes). Like `PQexec`, the
/// last statement's result wins, and an error ends it.
pub(super) fn result_from_messages(
    messages: impl IntoIterator<Item = Message>,
) -> Result<PgResult, String> {
    let mut res = PgResult::new(ExecStatus::CommandOk, Vec::new());
    for message in messages {
        match message {
            Message::RowDescription(body) => {
                let fields = body
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
                    .map_err(|e| e.to_string())?;
                res = PgResult::new(ExecStatus::TuplesOk, fields);
            }
            Message::DataRow(body) => {
                let buf = body.buffer();
                let values: Vec<Option<&[u8]>> = body
                    .ranges()
                    .map(|r| Ok(r.map(|r| &buf[r])))
                    .collect()
                    .map_err(|e| e.to_string())?;
                res.push_row(values);
            }
            Message::CommandComplete(body) => {
                res.command_tag = body.tag().map_err(|e| e.to_string())?.to_string();
            }
            Message::EmptyQueryResponse => res = PgResult::new(ExecStatus::EmptyQuery, Vec::new()),
            Message::ErrorResponse(body) => {
                let mut details = DbDetails::default();
                let mut fields = body.fields();
                while let Some(f) = fields.next().map_err(|e| e.to_string())? {
                    let value = String::from_utf8_lossy(f.value_bytes()).into_owned();
                    match f.type_() {
                        b'S' => details.severity = value,
                        b'C' => details.code = value,
                        b'M' => details.message = value,
                        b'D' => details.detail = Some(value),
                        b'H' => details.hint = Some(value),
                        b'P' => details.position = value.parse().ok(),
                        b'p' => details.internal_position = value.parse().ok(),
                        b'q' => details.internal_query = Some(value),
                        b'W' => details.context = Some(value),
                        b's' => details.schema = Some(value),
                        b't' => details.table = Some(value),
                        b'c' => details.column = Some(value),
                        b'd' => details.datatype = Some(value),
                        b'n' => details.constraint = Some(value),
                        b'F' => details.file = Some(value),
                        b'L' => details.line = Some(value),
                        b'R' => details.routine = Some(value),
                        _ => {}
                    }
                }
                return Ok(PgResult::error(details));
            }
            _ => {}
        }
    }
    Ok(res)
}

/// A backend message from its type byte and body.
fn message(tag: u8, body: &[u8]) -> Message {
    let mut buf = BytesMut::new();
    buf.put_u8(tag);
    buf.put_i32(body.len() as i32 + 4);
    buf.put_slice(body);
    Message::parse(&mut buf)
        .expect("a well-formed message")
        .expect("a whole message")
}

#[test]
fn messages_become_a_result() {
    let mut desc = BytesMut::new();
    desc.put_i16(2);
    for (name, oid) in [("Name", 19u32), ("Size", 23)] {
        desc.put_slice(name.as_bytes());
        desc.put_u8(0);
        desc.put_u32(0);
        desc.put_i16(0);
        desc.put_u32(oid);
        desc.put_i16(4);
        desc.put_i32(-1);
        desc.put_i16(0);
    }
    let mut row = BytesMut::new();
    row.put_i16(2);
    row.put_i32(3);
    row.put_slice(b"zoo");
    row.put_i32(-1);
    let res = result_from_messages([
        message(b'T', &desc),
        message(b'D', &row),
        message(b'C', b"SELECT 1\0"),
    ])
    .expect("a result");
    assert_eq!(res.status, ExecStatus::TuplesOk);
    assert_eq!((res.fname(1), res.ftype(1)), ("Size", 23));
    assert_eq!(res.get(0, 0), Some("zoo"));
    assert!(res.get_is_null(0, 1));
    assert_eq!(res.command_tag, "SELECT 1");

    let error = b"SERROR\0C42P01\0Mrelation \"nope\" does not exist\0P15\0Fparse_relation.c\0L1392\0RparserOpenTable\0\0";
    let res = result_from_messages([message(b'E', error)]).expect("a result");
    assert_eq!(res.status, ExecStatus::FatalError);
    let details = res.error.expect("the error");
    assert_eq!(
        (
            details.code.as_str(),
            details.position,
            details.line.as_deref()
        ),
        ("42P01", Some(15), Some("1392"))
    );
    assert_eq!(details.message, "relation \"nope\" does not exist");
    assert_eq!(details.routine.as_deref(), Some("parserOpenTable"));
}

/// A context that runs each query on a live server.
struct LiveCtx {
    client: postgres::Client,
    settings: Settings,
    sent: Vec<String>,
    results: Vec<PgResult>,
    printed: usize,
    errors: Vec<String>,
}

impl Ctx for LiveCtx {
    fn settings(&self) -> &Settings {
        &self.settings
    }

    fn dbname(&self) -> Option<&str> {
        Some("desc2zoo")
    }

    fn std_strings(&self) -> bool {
        true
    }

    fn exec(&mut self, sql: &str) -> Option<PgResult> {
        self.sent.push(sql.to_string());
        let mut messages = Vec::new();
        let outcome = match self.client.simple_exchange(sql) {
            Ok(mut exchange) => loop {
                match exchange.next() {
                    Ok(Some(m)) => messages.push(m),
                    Ok(None) => break result_from_messages(messages),
                    Err(e) => break Err(e.to_string()),
                }
            },
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok(res) if res.status != ExecStatus::FatalError => {
                self.results.push(res.clone());
                Some(res)
            }
            Ok(res) => {
                let message = res.error.map(|e| e.message).unwrap_or_default();
                self.errors.push(message);
                None
            }
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    fn exec_unchecked(&mut self, sql: &str) -> Option<PgResult> {
        self.exec(sql)
    }

    fn print_query(&mut self, _res: &PgResult, _opt: &PrintQueryOpt) {
        self.printed += 1;
    }

    fn print_table(&mut self, _table: &dyn Table) {
        self.printed += 1;
    }

    fn print_table_opt(&mut self, _table: &dyn Table, _opt: &PrintTableOpt) {
        self.printed += 1;
    }

    fn error(&mut self, message: &str) {
        self.errors.push(message.to_string());
    }

    fn out(&mut self, _text: &str) {}
}

/// Quoted numbers (object ids) masked: a fresh fixture database has other oids than the captured one.
fn mask_oids(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find('\'') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('\'') {
            out.push_str("OID");
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn live_server_answers_as_in_the_transcripts() {
    // A server named from outside (e.g. a 17 one for the psql 17 transcript), else a throwaway cluster
    // of the installed server holding the fixture.
    // Kept to the end of the test: dropping it stops the server.
    let mut _cluster = None;
    let conninfo = match std::env::var("PGSH_DESCRIBE_LIVE") {
        Ok(conninfo) => conninfo,
        Err(_) => {
            let Some(pg) = crate::test_cluster::NativeCluster::start() else {
                return;
            };
            pg.psql("CREATE DATABASE desc2zoo");
            pg.psql_db("desc2zoo", include_str!("testdata/lists_fixture.sql"));
            // The transcripts were captured with an ICU collation; a server built without ICU lacks it.
            let icu = pg.psql("SELECT count(*) FROM pg_collation WHERE collprovider = 'i'");
            if icu != "0" {
                pg.psql_db(
                    "desc2zoo",
                    "CREATE COLLATION zoo.icu_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
                );
            }
            let url = pg.url_for("desc2zoo", "postgres");
            _cluster = Some(pg);
            url
        }
    };
    let mut client =
        postgres::Client::connect(&conninfo, postgres::NoTls).expect("the live server");
    let sversion: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .expect("the server's version")
        .get(0);
    let transcript = match sversion / 10000 {
        15 => include_str!("testdata/lists_psql15_pg15.txt"),
        17 => include_str!("testdata/lists_psql17_pg17.txt"),
        v => panic!("no transcript for PostgreSQL {v}"),
    };
    let (_, commands) = parse_transcript(transcript);
    let mut ctx = LiveCtx {
        client,
        settings: Settings {
            sversion,
            ..Settings::default()
        },
        sent: Vec::new(),
        results: Vec::new(),
        printed: 0,
        errors: Vec::new(),
    };
    let mut failures = Vec::new();
    for captured in commands.iter().filter(|c| !c.noexec) {
        let c = &captured.command;
        ctx.sent.clear();
        ctx.results.clear();
        ctx.errors.clear();
        ctx.printed = 0;
        let ok = dispatch(&mut ctx, c);
        let sent: Vec<String> = ctx.sent.iter().map(|s| mask_oids(s)).collect();
        let expected: Vec<String> = captured.queries.iter().map(|s| mask_oids(s)).collect();
        if sent != expected {
            failures.push(format!("{c}: other queries than psql's"));
            continue;
        }
        if ok != (captured.status == 0) {
            failures.push(format!(
                "{c}: returned {ok}, psql exited {}",
                captured.status
            ));
        }
        let errors: String = ctx.errors.iter().map(|e| format!("{e}\n")).collect();
        if errors != captured.stderr {
            failures.push(format!(
                "{c}: errors {errors:?}, psql {:?}",
                captured.stderr
            ));
        }
        // The same columns; the same rows except where the cluster's databases and tablespaces (shared by
        // everyone using the server) come and go.
        for (got, (csv, types)) in ctx.results.iter().zip(&captured.results) {
            let want = csv_result(csv, types);
            let names = |r: &PgResult| {
                (0..r.nfields())
                    .map(|i| r.fname(i).to_string())
                    .collect::<Vec<_>>()
            };
            if names(got) != names(&want) {
                failures.push(format!(
                    "{c}: columns {:?}, psql {:?}",
                    names(got),
                    names(&want)
                ));
            }
            let cluster_wide = c.starts_with("\\l") || c.starts_with("\\db");
            if !cluster_wide && got.ntuples() != want.ntuples() {
                failures.push(format!(
                    "{c}: {} rows, psql {}",
                    got.ntuples(),
                    want.ntuples()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
