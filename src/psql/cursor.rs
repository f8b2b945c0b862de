//! FETCH_COUNT (`ExecQueryUsingCursor` of `common.c`): a SELECT read through a cursor `_psql_cursor`
//! FETCH_COUNT rows at a time and printed part by part, so a result larger than memory can be shown.

use std::time::Instant;

use crate::db::pgresult::ExecStatus;
use crate::db::simple_query::ReadyStatus;
use crate::psql::engine::Engine;
use crate::psql::exec::{self, exec_raw, report_connection_error, report_result_error};

/// Run `sql` through a cursor; returns whether it succeeded. `elapsed` gets the time spent in the server
/// (not printing), as psql measures it.
pub fn exec_query_using_cursor(e: &mut Engine, sql: &str, elapsed: &mut f64) -> bool {
    *elapsed = 0.0;
    let mut popt = e.set.popt.clone();
    popt.topt.start_table = true;
    popt.topt.stop_table = false;
    popt.topt.prior_records = 0;
    let mut started_txn = false;
    let t = Instant::now();
    if exec::tx_status(e) == Some(ReadyStatus::Idle) {
        if !exec::exec_control(e, "BEGIN") {
            return false;
        }
        started_txn = true;
    }
    let declare = format!("DECLARE _psql_cursor NO SCROLL CURSOR FOR\n{sql}");
    let mut ok = match exec_raw(e, &declare) {
        Ok(Some(r)) if r.status == ExecStatus::CommandOk => true,
        Ok(Some(r)) => {
            exec::set_failure_variables(e, &r);
            report_result_error(e, r, &declare);
            false
        }
        Ok(None) => false,
        Err(err) => {
            report_connection_error(e, &err);
            false
        }
    };
    *elapsed += t.elapsed().as_secs_f64() * 1000.0;
    if ok {
        // \gset fetches two rows, so more than one is reported.
        let count = if e.once.gset_prefix.is_some() {
            2
        } else {
            e.set.fetch_count
        };
        let fetch = format!("FETCH FORWARD {count} FROM _psql_cursor");
        let mut gfile = match e.once.gfname.clone() {
            Some(target) => match crate::psql::output::Out::open(Some(&target)) {
                Ok(o) => Some(o),
                Err(msg) => {
                    e.log_error(&msg);
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let mut total: u64 = 0;
        while ok {
            let t = Instant::now();
            let r = exec_raw(e, &fetch);
            *elapsed += t.elapsed().as_secs_f64() * 1000.0;
            let r = match r {
                Ok(Some(r)) => r,
                Ok(None) => {
                    ok = false;
                    break;
                }
                Err(err) => {
                    report_connection_error(e, &err);
                    ok = false;
                    break;
                }
            };
            if r.status != ExecStatus::TuplesOk {
                exec::set_failure_variables(e, &r);
                report_result_error(e, r, &fetch);
                ok = false;
                break;
            }
            if e.once.gset_prefix.is_some() {
                ok = exec::store_tuple(e, &r);
                break;
            }
            let n = r.ntuples();
            total += n as u64;
            if n < count.max(0) as usize {
                popt.topt.stop_table = true;
            }
            crate::psql::printing::print_query(e, &r, &popt, gfile.as_mut());
            popt.topt.start_table = false;
            popt.topt.prior_records += n as u64;
            if n < count.max(0) as usize || crate::interrupt::is_set() {
                break;
            }
        }
        if let Some(g) = gfile {
            let _ = g.close();
        }
        if ok {
            exec::set_success_variables(e, total);
        }
    }
    let t = Instant::now();
    // Close the cursor whatever happened; after a failure its error (an aborted transaction) is noise.
    match exec_raw(e, "CLOSE _psql_cursor") {
        Ok(Some(r)) if ok && r.status != ExecStatus::CommandOk => {
            report_result_error(e, r, "CLOSE _psql_cursor");
            ok = false;
        }
        Err(err) if ok => {
            report_connection_error(e, &err);
            ok = false;
        }
        _ => {}
    }
    if started_txn {
        let cmd = if ok { "COMMIT" } else { "ROLLBACK" };
        ok &= exec::exec_control(e, cmd);
    }
    *elapsed += t.elapsed().as_secs_f64() * 1000.0;
    ok
}
