//! Sending SQL and showing what comes back, as psql's `common.c` does: `SendQuery` (the front door for
//! what the user typed: AUTOCOMMIT, ON_ERROR_ROLLBACK savepoints, `\gdesc`, FETCH_COUNT cursors, timing,
//! notifications), `ExecQueryAndProcessResults` (every result of a query string, each printed once the next
//! one is known, COPY in between), `PSQLexec` (the back door for psql's own catalog queries), and the
//! result variables (`ERROR`, `SQLSTATE`, `ROW_COUNT`, `LAST_ERROR_*`).

use std::time::Instant;

use crate::db::pgresult::{ExecStatus, PgResult};
use crate::db::simple_query::{Event, ReadyStatus};
use crate::error::{DbDetails, Error, ErrorKind};
use crate::output::content::Table;
use crate::output::opts::{PrintFormat, PrintQueryOpt};
use crate::psql::engine::Engine;
use crate::psql::errors::build_error_message;
use crate::psql::settings::{Echo, EchoHidden, ErrorRollback};

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
        e.to_log(&text);
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
        e.to_log(&text);
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
fn run_collect(e: &mut Engine, sql: &str) -> Result<Vec<PgResult>, Error> {
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
fn accept(r: &PgResult) -> bool {
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
fn error_text(e: &Engine, d: &DbDetails, sql: &str, is_error: bool) -> String {
    build_error_message(d, Some(sql), e.set.verbosity, e.set.show_context, is_error)
}

fn show_result_error(e: &mut Engine, r: &PgResult, sql: &str) {
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
fn save_error(e: &mut Engine, r: PgResult, sql: &str) {
    e.last_error = Some((r, Some(sql.to_string())));
}

/// A server parameter the server reported changed.
fn note_parameter(e: &mut Engine, name: &str, value: &str) {
    if name == "standard_conforming_strings" {
        e.std_strings = value == "on";
    } else if name == "client_encoding" {
        e.encoding = value.to_string();
        crate::psql::varsync::set_encoding(&mut e.vars, &mut e.set, value);
    }
}

/// A connection error (no result): what libpq says, then psql's `CheckConnection`.
fn report_lost(e: &mut Engine, err: &Error) {
    let text = libpq_connection_message(err);
    e.log_info(&text);
    check_connection(e);
}

/// The message libpq gives when the connection breaks under a query.
fn libpq_connection_message(err: &Error) -> String {
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
fn set_result_variables(e: &mut Engine, r: Option<&PgResult>, success: bool) {
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
fn print_notifications(e: &mut Engine) {
    let notes = match e.db.as_ref().and_then(|db| db.try_session().ok()) {
        Some(mut s) => s.take_notifications(),
        None => return,
    };
    for n in notes {
        let text = if n.payload().is_empty() {
            format!(
                "Asynchronous notification \"{}\" received from server process with PID {}.\n",
                n.channel(),
                n.process_id()
            )
        } else {
            format!(
                "Asynchronous notification \"{}\" with payload \"{}\" received from server process with PID {}.\n",
                n.channel(),
                n.payload(),
                n.process_id()
            )
        };
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
fn print_query_status(
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
    e.to_log(&format!("{tag}\n"));
    // LASTOID: the OID of an INSERT of one row into a table with OIDs (always 0 since PostgreSQL 12).
    let oid = tag
        .strip_prefix("INSERT ")
        .and_then(|r| r.split(' ').next())
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    crate::psql::varsync::set_last_oid(&mut e.vars, &mut e.set, oid);
}

/// `StoreQueryTuple` (`\gset`).
fn store_query_tuple(e: &mut Engine, r: &PgResult) -> bool {
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

/// `ExecQueryTuples` (`\gexec`): run every non-NULL value as a query.
fn exec_query_tuples(e: &mut Engine, r: &PgResult) -> bool {
    let mut success = true;
    e.once.gexec = false;
    'rows: for row in 0..r.ntuples() {
        for col in 0..r.nfields() {
            let Some(q) = r.get(row, col) else { continue };
            if crate::interrupt::is_set() {
                break 'rows;
            }
            let q = q.to_string();
            if e.set.echo == Echo::All && !e.set.singlestep {
                e.stdout(&format!("{q}\n"));
            }
            if !send_query(e, &q) {
                success = false;
                if e.set.on_error_stop {
                    break 'rows;
                }
            }
        }
    }
    e.once.gexec = true;
    success
}

/// `PrintQueryResult`: print (or store, or execute) one result. `last` says whether it is the query
/// string's last.
fn print_query_result(
    e: &mut Engine,
    r: &PgResult,
    last: bool,
    opt: Option<&PrintQueryOpt>,
    tuples_to: &mut Option<crate::psql::output::Out>,
) -> bool {
    match r.status {
        ExecStatus::TuplesOk => {
            let success = if last && e.once.gset_prefix.is_some() {
                store_query_tuple(e, r)
            } else if last && e.once.gexec {
                exec_query_tuples(e, r)
            } else if last && e.once.crosstab {
                crate::psql::printing::print_crosstab(e, r)
            } else if last || e.set.show_all_results {
                let opt = opt.cloned().unwrap_or_else(|| e.set.popt.clone());
                crate::psql::printing::print_query(e, r, &opt, tuples_to.as_mut());
                true
            } else {
                true
            };
            if last || e.set.show_all_results {
                let tag = r.command_tag.as_str();
                if tag.starts_with("INSERT")
                    || tag.starts_with("UPDATE")
                    || tag.starts_with("DELETE")
                {
                    print_query_status(e, r, None);
                }
            }
            success
        }
        ExecStatus::CommandOk => {
            if last || e.set.show_all_results {
                print_query_status(e, r, None);
            }
            true
        }
        ExecStatus::EmptyQuery | ExecStatus::CopyIn | ExecStatus::CopyOut => true,
        ExecStatus::FatalError => false,
    }
}

/// What running a query string gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryOutcome {
    Success,
    /// Interrupted by Ctrl-C.
    Interrupted,
    Failed,
}

/// `ExecQueryAndProcessResults`: send `sql` and process every result. Results are printed one behind
/// (each once the next one has arrived, so the last one is known), exactly as psql does — which is why a
/// notice raised by a statement can appear before the previous statement's result.
pub fn exec_query_and_process_results(
    e: &mut Engine,
    sql: &str,
    elapsed: &mut f64,
    svpt_gone: Option<&mut bool>,
    is_watch: bool,
    opt: Option<&PrintQueryOpt>,
) -> QueryOutcome {
    let started = Instant::now();
    let Some(db) = e.db.clone() else {
        e.log_error("You are currently not connected to a database.");
        return QueryOutcome::Failed;
    };
    let mut success = true;
    let mut pending: Option<PgResult> = None;
    let mut gfile: Option<crate::psql::output::Out> = None;
    let mut svpt_gone = svpt_gone;
    let mut last_status_ok: Option<PgResult> = None;
    // The COPY TO just finished wrote its data to the query output: its status line is not printed.
    let mut suppress_status = false;
    let outcome = {
        let mut session = match db.try_session() {
            Ok(s) => s,
            Err(err) => {
                report_lost(e, &err);
                return QueryOutcome::Failed;
            }
        };
        session.simple_query(sql, &mut |ev, q| {
            match ev {
                Event::Notice(n) => show_notice(e, &n, sql),
                Event::Parameter(name, value) => note_parameter(e, &name, &value),
                Event::Result(r) if suppress_status && accept(&r) => {
                    suppress_status = false;
                    if let Some(prev) = pending.take() {
                        success &= finish_result(
                            e,
                            prev,
                            false,
                            opt,
                            &mut gfile,
                            &mut last_status_ok,
                            is_watch,
                            sql,
                        );
                    }
                }
                Event::Result(r) => {
                    suppress_status = false;
                    // The previous result is now known not to be the last.
                    if let Some(prev) = pending.take() {
                        success &= finish_result(
                            e,
                            prev,
                            false,
                            opt,
                            &mut gfile,
                            &mut last_status_ok,
                            is_watch,
                            sql,
                        );
                    }
                    if accept(&r) {
                        if let Some(gone) = svpt_gone.as_deref_mut() {
                            if !*gone {
                                *gone = matches!(
                                    r.command_tag.as_str(),
                                    "COMMIT" | "SAVEPOINT" | "RELEASE" | "ROLLBACK"
                                );
                            }
                        }
                    }
                    pending = Some(r);
                }
                Event::CopyOut(r) => {
                    if let Some(prev) = pending.take() {
                        success &= finish_result(
                            e,
                            prev,
                            false,
                            opt,
                            &mut gfile,
                            &mut last_status_ok,
                            is_watch,
                            sql,
                        );
                    }
                    let (ok, to_query_out) =
                        crate::psql::copy::handle_copy_out(e, q, &mut gfile, is_watch)?;
                    success &= ok;
                    // The COPY's final result (its tag) is printed unless the data went to the query
                    // output, where the tag would read as data.
                    suppress_status = to_query_out;
                    let _ = r;
                }
                Event::CopyIn(r) => {
                    if let Some(prev) = pending.take() {
                        success &= finish_result(
                            e,
                            prev,
                            false,
                            opt,
                            &mut gfile,
                            &mut last_status_ok,
                            is_watch,
                            sql,
                        );
                    }
                    success &= crate::psql::copy::handle_copy_in(
                        e,
                        q,
                        r.fields.first().is_some_and(|f| f.format == 1),
                    )?;
                }
                Event::Ready(_) => {}
            }
            Ok(())
        })
    };
    match outcome {
        Ok(_) => {
            if let Some(last) = pending.take() {
                success &= finish_result(
                    e,
                    last,
                    true,
                    opt,
                    &mut gfile,
                    &mut last_status_ok,
                    is_watch,
                    sql,
                );
            }
        }
        Err(err) => {
            if let Some(prev) = pending.take() {
                let _ = finish_result(
                    e,
                    prev,
                    true,
                    opt,
                    &mut gfile,
                    &mut last_status_ok,
                    is_watch,
                    sql,
                );
            }
            if err.kind() == ErrorKind::Interrupted || err.code() == Some("57014") {
                success = false;
            } else {
                report_lost(e, &err);
                success = false;
            }
        }
    }
    if let Some(g) = gfile.take() {
        let _ = g.close();
    }
    *elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if !check_connection(e) {
        return QueryOutcome::Failed;
    }
    if crate::interrupt::is_set() {
        QueryOutcome::Interrupted
    } else if success {
        QueryOutcome::Success
    } else {
        QueryOutcome::Failed
    }
}

/// One result of a query string, once it is known whether it is the last: errors reported, the result
/// printed (to the `\g` file when one is given), result variables set for the last one.
#[allow(clippy::too_many_arguments)]
fn finish_result(
    e: &mut Engine,
    r: PgResult,
    last: bool,
    opt: Option<&PrintQueryOpt>,
    gfile: &mut Option<crate::psql::output::Out>,
    _last_ok: &mut Option<PgResult>,
    is_watch: bool,
    sql: &str,
) -> bool {
    if !accept(&r) {
        // (The connection is checked once the exchange is over: it is busy now.)
        show_result_error(e, &r, sql);
        if !is_watch {
            set_result_variables(e, Some(&r), false);
        }
        save_error(e, r, sql);
        return false;
    }
    let mut success = true;
    if r.status == ExecStatus::TuplesOk && e.once.gfname.is_some() && gfile.is_none() {
        let target = e.once.gfname.clone();
        match crate::psql::output::Out::open(target.as_deref()) {
            Ok(o) => *gfile = Some(o),
            Err(msg) => {
                e.log_error(&msg);
                return false;
            }
        }
    }
    let mut tuples_to = if r.status == ExecStatus::TuplesOk {
        gfile.take()
    } else {
        None
    };
    success &= print_query_result(e, &r, last, opt, &mut tuples_to);
    if let Some(o) = tuples_to {
        *gfile = Some(o);
    }
    if !is_watch && last && success {
        set_result_variables(e, Some(&r), true);
    }
    success
}

/// `SendQuery`: run what the user typed. Returns whether it succeeded.
pub fn send_query(e: &mut Engine, sql: &str) -> bool {
    let ok = send_query_inner(e, sql);
    // Reset the one-shot settings of \g and friends.
    e.once.gfname = None;
    if let Some(saved) = e.once.gsavepopt.take() {
        e.set.popt = saved;
    }
    e.once.gset_prefix = None;
    e.once.gdesc = false;
    e.once.gexec = false;
    e.once.crosstab = false;
    e.once.ctv_args = Default::default();
    ok
}

fn send_query_inner(e: &mut Engine, sql: &str) -> bool {
    if e.db.is_none() {
        e.log_error("You are currently not connected to a database.");
        return false;
    }
    if e.set.singlestep {
        e.stdout(&format!(
            "***(Single step mode: verify command)*******************************************\n{sql}\n***(press return to proceed or enter x and return to cancel)********************\n"
        ));
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).is_ok() && line.starts_with('x') {
            return false;
        }
        if crate::interrupt::is_set() {
            return false;
        }
    } else if e.set.echo == Echo::Queries {
        e.stdout(&format!("{sql}\n"));
    }
    if e.log.is_some() {
        e.to_log(&format!(
            "********* QUERY **********\n{sql}\n**************************\n\n"
        ));
    }
    let mut status = tx_status(e);
    if status == Some(ReadyStatus::Idle)
        && !e.set.autocommit
        && !crate::psql::words::command_no_begin(sql)
    {
        if !exec_control(e, "BEGIN") {
            return false;
        }
        status = tx_status(e);
    }
    let mut svpt = false;
    if status == Some(ReadyStatus::InTransaction)
        && e.set.on_error_rollback != ErrorRollback::Off
        && (e.set.cur_cmd_interactive || e.set.on_error_rollback == ErrorRollback::On)
    {
        if !exec_control(e, "SAVEPOINT pg_psql_temporary_savepoint") {
            return false;
        }
        svpt = true;
    }
    let mut elapsed = 0.0;
    let mut svpt_gone = false;
    let mut ok = if e.once.gdesc {
        crate::psql::gdesc::describe_query(e, sql, &mut elapsed)
    } else if e.set.fetch_count <= 0
        || e.once.gexec
        || e.once.crosstab
        || !crate::psql::words::is_select_command(sql)
    {
        exec_query_and_process_results(e, sql, &mut elapsed, Some(&mut svpt_gone), false, None)
            == QueryOutcome::Success
    } else {
        crate::psql::cursor::exec_query_using_cursor(e, sql, &mut elapsed)
    };
    if !ok && e.set.echo == Echo::Errors {
        e.log_info(&format!("STATEMENT:  {sql}"));
    }
    if svpt {
        let cmd = match tx_status(e) {
            Some(ReadyStatus::Failed) => Some("ROLLBACK TO pg_psql_temporary_savepoint"),
            Some(ReadyStatus::Idle) => None,
            Some(ReadyStatus::InTransaction) => {
                (!svpt_gone).then_some("RELEASE pg_psql_temporary_savepoint")
            }
            None => {
                ok = false;
                None
            }
        };
        if let Some(cmd) = cmd {
            if !exec_control(e, cmd) {
                return false;
            }
        }
    }
    if e.set.timing {
        let text = timing_text(elapsed);
        e.stdout(&text);
    }
    print_notifications(e);
    ok
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
