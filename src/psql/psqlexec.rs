//! `PSQLexec` (the back door for psql's own catalog queries) and what every way of running a query shares:
//! reporting errors, notices and a lost connection as libpq and psql word them, the result variables
//! (`ERROR`, `SQLSTATE`, `ROW_COUNT`, `LAST_ERROR_*`), printing a result, `\gset`, timing text and the
//! transaction status.

use crate::db::pgresult::{ExecStatus, PgResult};
use crate::db::simple_query::{Event, ReadyStatus};
use crate::error::{DbDetails, Error, ErrorKind};
use crate::output::content::Table;
use crate::output::opts::{PrintFormat, PrintQueryOpt};
use crate::psql::engine::Engine;
use crate::psql::errors::build_error_message;
use crate::psql::settings::EchoHidden;

/// `PSQLexec`: one of psql's own queries. Echoed under ECHO_HIDDEN; the last result, or `None` after an
/// error (reported).
pub fn psql_exec(e: &mut Engine, sql: &str) -> Option<PgResult> {
    if e.db.is_none() {
        e.log_error("You are currently not connected to a database.");
        return None;
    }
    if e.set.echo_hidden != EchoHidden::Off {
        let text = format!("********* QUERY **********\n{sql}\n**************************\n\n");
        e.stdout(&text);
        e.write_log(&text);
        if e.set.echo_hidden == EchoHidden::NoExec {
            return None;
        }
    }
    let results = run_collect(e, sql);
    let last = match results {
        Ok(mut rs) => rs.pop(),
        Err(err) => {
            report_lost(e, &err);
            return None;
        }
    };
    match last {
        Some(r) if accept(&r) => Some(r),
        Some(r) => {
            show_result_error(e, &r, sql);
            save_error(e, r, sql);
            check_connection(e);
            None
        }
        None => None,
    }
}

/// `echo_hidden_command` + `PQexec`: echo as PSQLexec does, run, and return the last result whatever its
/// status, unreported; `None` when nothing ran (ECHO_HIDDEN noexec). A lost connection comes back as an
/// error result carrying libpq's message.
pub fn exec_unchecked(e: &mut Engine, sql: &str) -> Option<PgResult> {
    if e.set.echo_hidden != EchoHidden::Off {
        let text = format!("********* QUERY **********\n{sql}\n**************************\n\n");
        e.stdout(&text);
        e.write_log(&text);
        if e.set.echo_hidden == EchoHidden::NoExec {
            return None;
        }
    }
    match run_collect(e, sql) {
        Ok(mut rs) => rs.pop(),
        Err(err) => Some(PgResult::error(DbDetails {
            message: libpq_connection_message(&err),
            ..DbDetails::default()
        })),
    }
}

/// Run `sql` and collect its results (notices printed as they come), for psql's own queries.
pub(super) fn run_collect(e: &mut Engine, sql: &str) -> Result<Vec<PgResult>, Error> {
    let Some(db) = e.db.clone() else {
        return Err(Error::new(ErrorKind::Connect, "not connected"));
    };
    let mut results = Vec::new();
    let mut session = db.try_session()?;
    session.simple_query(sql, &mut |ev, q| {
        match ev {
            Event::Notice(n) => show_notice(e, &n, sql),
            Event::Result(r) => results.push(r),
            Event::CopyIn(r) => {
                // psql's own queries never COPY; end it rather than hang.
                q.copy_fail("COPY is not supported here")?;
                results.push(r);
            }
            Event::CopyOut(r) => {
                while let Some(item) = q.copy_out_next()? {
                    if let crate::db::simple_query::CopyOutItem::Notice(n) = item {
                        show_notice(e, &n, sql);
                    }
                }
                results.push(r);
            }
            Event::Parameter(name, value) => note_parameter(e, &name, &value),
            Event::Ready(_) => {}
        }
        Ok(())
    })?;
    Ok(results)
}

/// `AcceptResult` without reporting: is this a success status?
pub(super) fn accept(r: &PgResult) -> bool {
    matches!(
        r.status,
        ExecStatus::CommandOk
            | ExecStatus::TuplesOk
            | ExecStatus::EmptyQuery
            | ExecStatus::CopyIn
            | ExecStatus::CopyOut
    )
}

/// The message libpq would have built for an error result, with the engine's VERBOSITY/SHOW_CONTEXT.
pub(super) fn error_text(e: &Engine, d: &DbDetails, sql: &str, is_error: bool) -> String {
    build_error_message(d, Some(sql), e.set.verbosity, e.set.show_context, is_error)
}

pub(super) fn show_result_error(e: &mut Engine, r: &PgResult, sql: &str) {
    if let Some(d) = &r.error {
        let text = error_text(e, d, sql, true);
        e.log_info(&text);
    }
}

/// psql's NoticeProcessor: the notice as libpq formats it, on stderr.
pub fn show_notice(e: &mut Engine, n: &DbDetails, sql: &str) {
    let text = error_text(e, n, sql, false);
    e.log_info(&text);
}

/// `ClearOrSaveResult` for an error: kept for `\errverbose`.
pub(super) fn save_error(e: &mut Engine, r: PgResult, sql: &str) {
    e.last_error = Some((r, Some(sql.to_string())));
}

/// A server parameter the server reported changed.
pub(super) fn note_parameter(e: &mut Engine, name: &str, value: &str) {
    if name == "standard_conforming_strings" {
        e.std_strings = value == "on";
    } else if name == "client_encoding" {
        e.encoding = value.to_string();
        crate::psql::varsync::set_encoding(&mut e.vars, &mut e.set, value);
    }
}

/// A connection error (no result): what libpq says, then psql's `CheckConnection`.
pub(super) fn report_lost(e: &mut Engine, err: &Error) {
    let text = libpq_connection_message(err);
    e.log_info(&text);
    check_connection(e);
}

/// The message libpq gives when the connection breaks under a query.
pub(super) fn libpq_connection_message(err: &Error) -> String {
    if err.kind() == ErrorKind::ConnectionLost {
        "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.".to_string()
    } else {
        err.to_string()
    }
}

/// `CheckConnection`: after a failure, is the connection still up? Non-interactive runs end (exit 2);
/// interactive ones try to reconnect.
pub fn check_connection(e: &mut Engine) -> bool {
    let up =
        e.db.as_ref()
            .and_then(|db| db.try_session().ok().map(|s| s.is_connected()))
            .unwrap_or(false);
    if up {
        return true;
    }
    if !e.set.cur_cmd_interactive {
        e.log_error("connection to server was lost");
        e.lost = true;
        return false;
    }
    let reset =
        e.db.as_ref()
            .and_then(|db| db.try_session().ok().map(|mut s| s.open().is_ok()))
            .unwrap_or(false);
    let mut err = std::io::stderr().lock();
    use std::io::Write;
    let _ = err.write_all(b"The connection to the server was lost. Attempting reset: ");
    if reset {
        let _ = err.write_all(b"Succeeded.\n");
        drop(err);
        crate::psql::connect::sync_variables(e);
    } else {
        let _ = err.write_all(b"Failed.\n");
        drop(err);
        e.dead_db = e.db.take();
        crate::psql::connect::unsync_variables(e);
    }
    reset
}

/// `SetResultVariables`.
pub(super) fn set_result_variables(e: &mut Engine, r: Option<&PgResult>, success: bool) {
    let empty = PgResult::new(ExecStatus::FatalError, Vec::new());
    let r = r.unwrap_or(&empty);
    crate::psql::varsync::set_result_variables(&mut e.vars, &mut e.set, r, success);
}

/// `PrintTiming`.
pub fn timing_text(ms: f64) -> String {
    if ms < 1000.0 {
        return format!("Time: {ms:.3} ms\n");
    }
    let mut seconds = ms / 1000.0;
    let mut minutes = (seconds / 60.0).floor();
    seconds -= 60.0 * minutes;
    if minutes < 60.0 {
        return format!("Time: {ms:.3} ms ({:02}:{seconds:06.3})\n", minutes as i64);
    }
    let mut hours = (minutes / 60.0).floor();
    minutes -= 60.0 * hours;
    if hours < 24.0 {
        return format!(
            "Time: {ms:.3} ms ({:02}:{:02}:{seconds:06.3})\n",
            hours as i64, minutes as i64
        );
    }
    let days = (hours / 24.0).floor();
    hours -= 24.0 * days;
    format!(
        "Time: {ms:.3} ms ({days:.0} d {:02}:{:02}:{seconds:06.3})\n",
        hours as i64, minutes as i64
    )
}

/// `PrintNotifications`.
pub(super) fn print_notifications(e: &mut Engine) {
    let notes = match e.db.as_ref().and_then(|db| db.try_session().ok()) {
        Some(mut s) => s.take_notifications(),
        None => return,
    };
    for n in notes {
        let text =
            crate::db::session::lent::notification_line(n.channel(), n.payload(), n.process_id());
        e.query_out(&text);
    }
}

/// Print a result with these options to the query output (`PrintQueryTuples`).
pub fn print_query_to_out(e: &mut Engine, res: &PgResult, opt: &PrintQueryOpt) {
    crate::psql::printing::print_query(e, res, opt, None);
}

/// Print a table with the active options to the query output (`printTable`).
pub fn print_table_to_out(e: &mut Engine, table: &dyn Table) {
    let topt = e.set.popt.topt.clone();
    crate::psql::printing::print_table_opt(e, table, &topt);
}

/// `PrintQueryStatus`.
pub(super) fn print_query_status(
    e: &mut Engine,
    r: &PgResult,
    status_to: Option<&mut crate::psql::output::Out>,
) {
    if !e.set.quiet {
        let text = if e.set.popt.topt.format == PrintFormat::Html {
            format!(
                "<p>{}</p>\n",
                crate::output::html::html_escaped(&r.command_tag)
            )
        } else {
            format!("{}\n", r.command_tag)
        };
        match status_to {
            Some(o) => {
                use std::io::Write;
                let _ = o.write_all(text.as_bytes());
                let _ = o.flush();
            }
            None => e.query_out(&text),
        }
    }
    let tag = r.command_tag.clone();
    e.write_log(&format!("{tag}\n"));
    // LASTOID: the OID of an INSERT of one row into a table with OIDs (always 0 since PostgreSQL 12).
    let oid = tag
        .strip_prefix("INSERT ")
        .and_then(|r| r.split(' ').next())
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    crate::psql::varsync::set_last_oid(&mut e.vars, &mut e.set, oid);
}

/// `StoreQueryTuple` (`\gset`).
pub(super) fn store_query_tuple(e: &mut Engine, r: &PgResult) -> bool {
    if r.ntuples() < 1 {
        e.log_error("no rows returned for \\gset");
        return false;
    }
    if r.ntuples() > 1 {
        e.log_error("more than one row returned for \\gset");
        return false;
    }
    let prefix = e.once.gset_prefix.clone().unwrap_or_default();
    for i in 0..r.nfields() {
        let name = format!("{prefix}{}", r.fname(i));
        if e.vars.has_hook(&name) {
            e.log_warning(&format!(
                "attempt to \\gset into specially treated variable \"{name}\" ignored"
            ));
            continue;
        }
        let value = r.get(0, i);
        if !e.set_var(&name, value) {
            return false;
        }
    }
    true
}

/// The server's transaction status (`PQtransactionStatus`), `None` when there is no connection.
pub fn tx_status(e: &Engine) -> Option<ReadyStatus> {
    use crate::db::session::TxStatus;
    let db = e.db.as_ref()?;
    let s = db.try_session().ok()?;
    if !s.is_connected() {
        return None;
    }
    Some(match s.tx_status() {
        TxStatus::Idle => ReadyStatus::Idle,
        TxStatus::InTransaction => ReadyStatus::InTransaction,
        TxStatus::Failed => ReadyStatus::Failed,
    })
}

/// `PQexec(pset.db, cmd)` for psql's own transaction control; reports a failure as psql does.
pub fn exec_control(e: &mut Engine, cmd: &str) -> bool {
    match run_collect(e, cmd) {
        Ok(rs) => match rs.into_iter().last() {
            Some(r) if r.status == ExecStatus::CommandOk => true,
            Some(r) => {
                show_result_error(e, &r, cmd);
                save_error(e, r, cmd);
                false
            }
            None => false,
        },
        Err(err) => {
            report_lost(e, &err);
            false
        }
    }
}

/// Run a query of psql's own and return its last result whatever its status (errors not reported), for
/// callers that handle them (the FETCH_COUNT loop, `\gdesc`).
pub fn exec_raw(e: &mut Engine, sql: &str) -> Result<Option<PgResult>, Error> {
    run_collect(e, sql).map(|mut rs| rs.pop())
}

/// Report an error result as psql does (`AcceptResult(result, true)`), and save it.
pub fn report_result_error(e: &mut Engine, r: PgResult, sql: &str) {
    show_result_error(e, &r, sql);
    save_error(e, r, sql);
    check_connection(e);
}

/// Set the result variables after a cursor-driven query (`ExecQueryUsingCursor`'s ending).
pub fn set_success_variables(e: &mut Engine, rows: u64) {
    crate::psql::varsync::set_fetch_result_variables(&mut e.vars, &mut e.set, rows);
}

/// Set the result variables for a failed result.
pub fn set_failure_variables(e: &mut Engine, r: &PgResult) {
    set_result_variables(e, Some(r), false);
}

/// `\gset` of a result (used by the cursor loop too).
pub fn store_tuple(e: &mut Engine, r: &PgResult) -> bool {
    store_query_tuple(e, r)
}

/// Report a lost connection (no result) as psql does.
pub fn report_connection_error(e: &mut Engine, err: &Error) {
    report_lost(e, err);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_as_psql_prints_it() {
        assert_eq!(timing_text(0.5), "Time: 0.500 ms\n");
        assert_eq!(timing_text(1102.789), "Time: 1102.789 ms (00:01.103)\n");
        assert_eq!(
            timing_text(3_723_004.0),
            "Time: 3723004.000 ms (01:02:03.004)\n"
        );
        assert_eq!(
            timing_text(90_000_000.0),
            "Time: 90000000.000 ms (1 d 01:00:00.000)\n"
        );
    }
}
