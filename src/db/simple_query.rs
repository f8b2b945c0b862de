//! SQL sent as psql sends it: the simple query protocol (libpq's `PQsendQuery` and `PQgetResult`) over the
//! vendored client's exchange. The server's answer comes back as events in the order the server sent them —
//! notices, parameter changes, each statement's result, the COPY sub-protocol — so the psql engine can print
//! them exactly where psql does. Nothing here decodes or reformats a value.

use crate::error::SqlState;
use bytes::Bytes;
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::{ErrorFields, Message};

use crate::db::pgresult::{ExecStatus, Field, PgResult};
use crate::error::{DbDetails, Error, ErrorKind, Result};

/// The transaction status the server reports when it is ready for the next query (libpq's
/// `PQtransactionStatus` after a query).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadyStatus {
    Idle,
    InTransaction,
    Failed,
}

/// What the server said next.
#[derive(Debug)]
pub enum Event {
    /// A notice, warning or info message.
    Notice(Box<DbDetails>),
    /// A run-time parameter the server reports changed (`DateStyle`, `TimeZone`, …).
    Parameter(String, String),
    /// A statement's result: rows, a command tag, an empty query, or an error (which ends the query
    /// string: the statements after it do not run).
    Result(PgResult),
    /// The server wants COPY data: send it with [`SimpleQuery::copy_data`], then
    /// [`SimpleQuery::copy_done`] or [`SimpleQuery::copy_fail`], and go on with [`SimpleQuery::next`]
    /// (the COPY's own result follows).
    CopyIn(PgResult),
    /// The server is sending COPY data: read it with [`SimpleQuery::copy_out_next`] until `None`, then go
    /// on with [`SimpleQuery::next`] (the COPY's own result follows).
    CopyOut(PgResult),
    /// The exchange is over.
    Ready(ReadyStatus),
}

/// What COPY TO sends: data, or a notice raised meanwhile (a trigger's RAISE NOTICE).
#[derive(Debug)]
pub enum CopyOutItem {
    Data(Bytes),
    Notice(Box<DbDetails>),
}

/// One query string in flight.
pub struct SimpleQuery<'a> {
    exchange: postgres::Exchange<'a>,
    /// The result being filled (after RowDescription).
    current: Option<PgResult>,
    /// An error that ended COPY TO data, returned by the next call to `next`.
    pending_error: Option<PgResult>,
    ready: Option<ReadyStatus>,
}

fn lost(e: &postgres::Error) -> Error {
    crate::db::connect::map_error(e)
}

fn protocol(what: &str) -> Error {
    Error::new(
        ErrorKind::ConnectionLost,
        format!("unexpected message from the server ({what})"),
    )
    .with_code(SqlState::PROTOCOL_VIOLATION)
}

impl<'a> SimpleQuery<'a> {
    /// Send `sql` with the simple query protocol.
    pub fn start(client: &'a mut postgres::Client, sql: &str) -> Result<SimpleQuery<'a>> {
        let exchange = client.simple_exchange(sql).map_err(|e| lost(&e))?;
        Ok(SimpleQuery {
            exchange,
            current: None,
            pending_error: None,
            ready: None,
        })
    }

    /// Send already-encoded frontend messages ending with Sync (the extended protocol with the unnamed
    /// statement): their answer is read the same way, a statement description coming back as a result
    /// with columns and no rows.
    pub fn start_raw(client: &'a mut postgres::Client, messages: Bytes) -> Result<SimpleQuery<'a>> {
        let exchange = client.raw_exchange(messages).map_err(|e| lost(&e))?;
        Ok(SimpleQuery {
            exchange,
            current: None,
            pending_error: None,
            ready: None,
        })
    }

    /// The next event; [`Event::Ready`] again once the exchange is over.
    pub fn next_event(&mut self) -> Result<Event> {
        if let Some(r) = self.pending_error.take() {
            return Ok(Event::Result(r));
        }
        loop {
            if let Some(status) = self.ready {
                // A statement description (Describe) that no rows followed ends with the exchange.
                if let Some(mut r) = self.current.take() {
                    r.status = ExecStatus::CommandOk;
                    return Ok(Event::Result(r));
                }
                return Ok(Event::Ready(status));
            }
            let message = match self.exchange.next().map_err(|e| lost(&e))? {
                Some(m) => m,
                None => return Err(protocol("end of exchange before ReadyForQuery")),
            };
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
                        .collect::<Vec<_>>()
                        .map_err(|_| protocol("a malformed row description"))?;
                    self.current = Some(PgResult::new(ExecStatus::TuplesOk, fields));
                }
                Message::DataRow(body) => {
                    let Some(r) = self.current.as_mut() else {
                        return Err(protocol("a row without a row description"));
                    };
                    let buf = body.buffer();
                    let ranges: Vec<_> = body
                        .ranges()
                        .collect()
                        .map_err(|_| protocol("a malformed data row"))?;
                    if ranges.len() != r.nfields() {
                        return Err(protocol("a data row of the wrong width"));
                    }
                    r.push_row(ranges.into_iter().map(|range| range.map(|rg| &buf[rg])));
                }
                Message::CommandComplete(body) => {
                    let tag = body
                        .tag()
                        .map_err(|_| protocol("a malformed command tag"))?
                        .to_string();
                    let mut r = self
                        .current
                        .take()
                        .unwrap_or_else(|| PgResult::new(ExecStatus::CommandOk, Vec::new()));
                    r.command_tag = tag;
                    return Ok(Event::Result(r));
                }
                Message::EmptyQueryResponse => {
                    self.current = None;
                    return Ok(Event::Result(PgResult::new(
                        ExecStatus::EmptyQuery,
                        Vec::new(),
                    )));
                }
                Message::ErrorResponse(body) => {
                    self.current = None;
                    return Ok(Event::Result(PgResult::error(details(&mut body.fields()))));
                }
                Message::NoticeResponse(body) => {
                    return Ok(Event::Notice(Box::new(details(&mut body.fields()))));
                }
                Message::ParameterStatus(body) => {
                    let name = body.name().map_err(|_| protocol("a malformed parameter"))?;
                    let value = body
                        .value()
                        .map_err(|_| protocol("a malformed parameter"))?;
                    return Ok(Event::Parameter(name.to_string(), value.to_string()));
                }
                Message::CopyInResponse(body) => {
                    let columns = body.column_formats().count().unwrap_or(0);
                    return Ok(Event::CopyIn(copy_result(
                        ExecStatus::CopyIn,
                        columns,
                        body.format(),
                    )));
                }
                Message::CopyOutResponse(body) => {
                    let columns = body.column_formats().count().unwrap_or(0);
                    return Ok(Event::CopyOut(copy_result(
                        ExecStatus::CopyOut,
                        columns,
                        body.format(),
                    )));
                }
                // COPY data nobody asked for (the caller went on without reading it): discarded, as
                // libpq does for a COPY whose output stream is missing.
                Message::CopyData(_) | Message::CopyDone => {}
                Message::ReadyForQuery(body) => {
                    self.ready = Some(match body.status() {
                        b'T' => ReadyStatus::InTransaction,
                        b'E' => ReadyStatus::Failed,
                        _ => ReadyStatus::Idle,
                    });
                }
                Message::NoData => {
                    // A Describe of a statement without a result: a result with no columns.
                    self.current = Some(PgResult::new(ExecStatus::CommandOk, Vec::new()));
                }
                // The extended protocol's acknowledgements carry nothing psql shows.
                Message::ParseComplete
                | Message::BindComplete
                | Message::CloseComplete
                | Message::PortalSuspended
                | Message::ParameterDescription(_) => {}
                _ => return Err(protocol("a message psql does not expect")),
            }
        }
    }

    /// The next chunk of COPY TO data (or a notice raised while it is produced, in its place among the
    /// data), `None` at its end (after an [`Event::CopyOut`]).
    pub fn copy_out_next(&mut self) -> Result<Option<CopyOutItem>> {
        loop {
            match self.exchange.next().map_err(|e| lost(&e))? {
                Some(Message::CopyData(body)) => {
                    return Ok(Some(CopyOutItem::Data(body.into_bytes())))
                }
                Some(Message::CopyDone) => return Ok(None),
                Some(Message::NoticeResponse(body)) => {
                    return Ok(Some(CopyOutItem::Notice(Box::new(details(
                        &mut body.fields(),
                    )))));
                }
                Some(Message::ParameterStatus(_)) => {}
                Some(Message::ErrorResponse(body)) => {
                    // The COPY failed half-way: its error is its result.
                    self.current = None;
                    let r = PgResult::error(details(&mut body.fields()));
                    self.pending_error = Some(r);
                    return Ok(None);
                }
                Some(other) => {
                    return Err(protocol(&format!(
                        "{} during COPY data",
                        message_name(&other)
                    )))
                }
                None => return Err(protocol("end of exchange during COPY")),
            }
        }
    }

    /// Send COPY FROM data (after an [`Event::CopyIn`]).
    pub fn copy_data(&mut self, data: Bytes) -> Result<()> {
        self.exchange.copy_data(data).map_err(|e| lost(&e))
    }

    /// End the COPY FROM data.
    pub fn copy_done(&mut self) -> Result<()> {
        self.exchange.copy_done().map_err(|e| lost(&e))
    }

    /// Abort the COPY FROM with this message; the server answers with an error result.
    pub fn copy_fail(&mut self, message: &str) -> Result<()> {
        self.exchange.copy_fail(message).map_err(|e| lost(&e))
    }
}

fn copy_result(status: ExecStatus, columns: usize, format: u8) -> PgResult {
    let fields = (0..columns)
        .map(|_| Field {
            name: String::new(),
            table_oid: 0,
            column_id: 0,
            type_oid: 0,
            type_size: 0,
            type_modifier: 0,
            format: i16::from(format),
        })
        .collect();
    PgResult::new(status, fields)
}

fn message_name(m: &Message) -> &'static str {
    match m {
        Message::RowDescription(_) => "RowDescription",
        Message::DataRow(_) => "DataRow",
        Message::CommandComplete(_) => "CommandComplete",
        Message::ReadyForQuery(_) => "ReadyForQuery",
        _ => "another message",
    }
}

/// The fields of an ErrorResponse or NoticeResponse (libpq's `PG_DIAG_*`), by their protocol codes.
pub fn details(fields: &mut ErrorFields<'_>) -> DbDetails {
    let mut d = DbDetails::default();
    while let Ok(Some(f)) = fields.next() {
        let v = String::from_utf8_lossy(f.value_bytes()).into_owned();
        match f.type_() {
            b'S' => d.severity = v,
            b'V' if d.severity.is_empty() => d.severity = v,
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
