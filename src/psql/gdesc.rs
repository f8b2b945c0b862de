//! `\gdesc` (`DescribeQuery` of `common.c`): the columns a query would return, without running it —
//! prepared as the unnamed statement (invisible to the user, replaced by the next statement), described,
//! then listed with their types.

use std::time::Instant;

use bytes::BytesMut;
use postgres_protocol::message::frontend;

use crate::db::pgresult::{ExecStatus, PgResult};
use crate::db::simple_query::Event;
use crate::psql::engine::Engine;
use crate::psql::exec;

/// One extended-protocol exchange (messages ending with Sync): its first error or its result.
fn exchange(e: &mut Engine, what: &str, messages: bytes::Bytes) -> Result<Option<PgResult>, ()> {
    let Some(db) = e.db.clone() else {
        e.log_error("You are currently not connected to a database.");
        return Err(());
    };
    let mut result = None;
    let outcome = match db.try_session() {
        Ok(mut s) => s.raw_exchange(what, messages, &mut |ev, _q| {
            match ev {
                Event::Result(r) => {
                    if result.is_none() || r.status == ExecStatus::FatalError {
                        result = Some(r);
                    }
                }
                Event::Notice(n) => exec::show_notice(e, &n, what),
                _ => {}
            }
            Ok(())
        }),
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Ok(result),
        Err(err) => {
            exec::report_connection_error(e, &err);
            Err(())
        }
    }
}

/// `DescribeQuery`.
pub fn describe_query(e: &mut Engine, sql: &str, elapsed: &mut f64) -> bool {
    *elapsed = 0.0;
    let started = Instant::now();
    let mut buf = BytesMut::new();
    if frontend::parse("", sql, std::iter::empty(), &mut buf).is_err() {
        e.log_error("could not send the query");
        return false;
    }
    frontend::sync(&mut buf);
    match exchange(e, sql, buf.freeze()) {
        Ok(Some(r)) if r.status == ExecStatus::FatalError => {
            exec::set_failure_variables(e, &r);
            exec::report_result_error(e, r, sql);
            return false;
        }
        Ok(_) => {}
        Err(()) => return false,
    }
    let mut buf = BytesMut::new();
    if frontend::describe(b'S', "", &mut buf).is_err() {
        return false;
    }
    frontend::sync(&mut buf);
    let described = match exchange(e, sql, buf.freeze()) {
        Ok(Some(r)) if r.status == ExecStatus::CommandOk => r,
        Ok(Some(r)) => {
            exec::set_failure_variables(e, &r);
            exec::report_result_error(e, r, sql);
            return false;
        }
        Ok(None) | Err(()) => return false,
    };
    if described.nfields() == 0 {
        e.query_out("The command has no result, or the result has no columns.\n");
        exec::set_success_variables(e, 0);
        return true;
    }
    let mut q = String::from(
        "SELECT name AS \"Column\", pg_catalog.format_type(tp, tpm) AS \"Type\"\nFROM (VALUES ",
    );
    for (i, f) in described.fields.iter().enumerate() {
        if i > 0 {
            q.push(',');
        }
        q.push_str(&format!(
            "({}, '{}'::pg_catalog.oid, {})",
            crate::psql::quote::escape_literal(&f.name),
            f.type_oid,
            f.type_modifier
        ));
    }
    q.push_str(") s(name, tp, tpm)");
    let r = match exec::exec_raw(e, &q) {
        Ok(Some(r)) => r,
        Ok(None) => return false,
        Err(err) => {
            exec::report_connection_error(e, &err);
            return false;
        }
    };
    *elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if r.status != ExecStatus::TuplesOk {
        exec::set_failure_variables(e, &r);
        exec::report_result_error(e, r, &q);
        return false;
    }
    let opt = e.set.popt.clone();
    exec::print_query_to_out(e, &r, &opt);
    exec::set_success_variables(e, r.ntuples() as u64);
    true
}
