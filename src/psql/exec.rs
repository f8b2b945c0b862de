//! Sending what the user typed and showing what comes back, as psql's `common.c` does: `SendQuery` (the
//! front door: AUTOCOMMIT, ON_ERROR_ROLLBACK savepoints, `\gdesc`, FETCH_COUNT cursors, timing,
//! notifications) and `ExecQueryAndProcessResults` (every result of a query string, each printed once the
//! next one is known, COPY in between). What they share with psql's own queries is in `psqlexec`.

use std::time::Instant;

use crate::db::pgresult::{ExecStatus, PgResult};
use crate::db::simple_query::{Event, ReadyStatus};
use crate::error::ErrorKind;
use crate::output::opts::PrintQueryOpt;
use crate::psql::engine::Engine;
use crate::psql::psqlexec::{
    accept, check_connection, exec_control, note_parameter, print_notifications,
    print_query_status, report_lost, save_error, set_result_variables, show_notice,
    show_result_error, store_query_tuple, timing_text, tx_status,
};
use crate::psql::settings::{Echo, ErrorRollback};

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
    // psql 16's `\bind`: this query goes with its parameters through the extended protocol.
    let bound = match e.once.bind_params.take() {
        Some(params) => match crate::psql::bind::messages(sql, &params) {
            Ok(m) => Some(m),
            Err(msg) => {
                e.log_error(&msg);
                return QueryOutcome::Failed;
            }
        },
        None => None,
    };
    let outcome = {
        let mut session = match db.try_session() {
            Ok(s) => s,
            Err(err) => {
                report_lost(e, &err);
                return QueryOutcome::Failed;
            }
        };
        let mut on_event = |ev, q: &mut crate::db::simple_query::SimpleQuery<'_>| {
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
        };
        match bound {
            Some(messages) => session.raw_exchange(sql, messages, &mut on_event),
            None => session.simple_query(sql, &mut on_event),
        }
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
            if err.kind() == ErrorKind::Interrupted
                || err.code() == Some(&crate::error::SqlState::QUERY_CANCELED)
            {
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
    e.statements_sent += 1;
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
    e.once.bind_params = None;
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
        e.write_log(&format!(
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
