//! Transactions for scripts: `transaction(|| …)` (BEGIN, COMMIT on return, ROLLBACK and rethrow on error,
//! SAVEPOINTs when nested, optional re-runs after serialization failures) and psycopg2-style explicit
//! `begin()` / `commit()` / `rollback()` / `in_transaction()`.
//!
//! The two styles do not mix on one connection: inside a `transaction(|| …)` closure, and under `-1`, the
//! transaction belongs to someone else, so `commit()`/`rollback()` there are errors rather than ending it
//! under its owner's feet.

use crate::error::SqlState;
use std::rc::Rc;
use std::time::Duration;

use rhai::plugin::*;
use rhai::{Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext};

use super::handle::{shell, shell_if_any};
use super::script_error::{throw, RhaiResult};
use crate::db::session::TxStatus;
use crate::error::Error;
use crate::shell::{Db, Shell};

/// Options for `transaction(#{…}, || …)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TxOptions {
    pub isolation: Option<String>,
    pub read_only: Option<bool>,
    pub deferrable: Option<bool>,
    /// Re-run the whole closure this many times after 40001 (serialization failure) or 40P01 (deadlock).
    pub retries: u32,
}

impl TxOptions {
    pub fn from_map(m: &Map) -> Result<TxOptions, Error> {
        let mut o = TxOptions::default();
        for (k, v) in m {
            match k.as_str() {
                "isolation" => {
                    let s = v.to_string().to_ascii_lowercase().replace('_', " ");
                    let level = match s.as_str() {
                        "serializable" => "SERIALIZABLE",
                        "repeatable read" => "REPEATABLE READ",
                        "read committed" => "READ COMMITTED",
                        "read uncommitted" => "READ UNCOMMITTED",
                        _ => {
                            return Err(Error::usage(format!(
                                "transaction: isolation \"{v}\" is not one of serializable, repeatable read, read committed, read uncommitted"
                            )))
                        }
                    };
                    o.isolation = Some(level.into());
                }
                "read_only" => o.read_only = Some(flag(k, v)?),
                "deferrable" => o.deferrable = Some(flag(k, v)?),
                "retries" => {
                    o.retries = v
                        .as_int()
                        .ok()
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| Error::usage("transaction: retries must be a non-negative integer"))?
                }
                other => {
                    return Err(Error::usage(format!(
                        "transaction: unknown option \"{other}\" (known: isolation, read_only, deferrable, retries)"
                    )))
                }
            }
        }
        Ok(o)
    }

    /// The BEGIN statement for these options.
    pub fn begin_sql(&self) -> String {
        let mut sql = String::from("BEGIN");
        let mut modes = Vec::new();
        if let Some(i) = &self.isolation {
            modes.push(format!("ISOLATION LEVEL {i}"));
        }
        match self.read_only {
            Some(true) => modes.push("READ ONLY".into()),
            Some(false) => modes.push("READ WRITE".into()),
            None => {}
        }
        match self.deferrable {
            Some(true) => modes.push("DEFERRABLE".into()),
            Some(false) => modes.push("NOT DEFERRABLE".into()),
            None => {}
        }
        if !modes.is_empty() {
            sql.push(' ');
            sql.push_str(&modes.join(", "));
        }
        sql
    }
}

fn flag(k: &str, v: &Dynamic) -> Result<bool, Error> {
    v.as_bool()
        .map_err(|_| Error::usage(format!("transaction: {k} must be true or false")))
}

/// The SQLSTATE inside a Rhai error, if it is a pgsh error.
fn code_of(e: &EvalAltResult) -> Option<String> {
    let loc = super::diag::locate(e, None);
    super::diag::pgsh_error(loc.error).and_then(|pe| pe.code().map(|c| c.code().to_string()))
}

/// Call the closure with the handle if it takes one, else with nothing.
fn call_body(ctx: &NativeCallContext, f: &FnPtr, db: &Db) -> RhaiResult<Dynamic> {
    match f.call_raw(ctx, None, [Dynamic::from(db.clone())]) {
        Err(e)
            if matches!(*e, EvalAltResult::ErrorFunctionNotFound(ref sig, _)
                if sig.starts_with(f.fn_name())) =>
        {
            f.call_raw(ctx, None, [])
        }
        other => other,
    }
}

thread_local! {
    /// Sessions (by handle address) with a `transaction(|| …)` closure running, one entry per level.
    static CLOSURES: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn session_key(db: &Db) -> usize {
    Rc::as_ptr(&db.0) as usize
}

/// Marks `db` as inside a transaction closure while alive (also when the closure throws).
struct InClosure(usize);

impl InClosure {
    fn enter(db: &Db) -> InClosure {
        let key = session_key(db);
        CLOSURES.with(|c| c.borrow_mut().push(key));
        InClosure(key)
    }
}

impl Drop for InClosure {
    fn drop(&mut self) {
        CLOSURES.with(|c| {
            let mut c = c.borrow_mut();
            if let Some(i) = c.iter().rposition(|k| *k == self.0) {
                c.remove(i);
            }
        });
    }
}

/// Refuse `commit()`/`rollback()` where the transaction is not the script's to end.
fn check_owner(host: Option<&Shell>, db: &Db, what: &str) -> Result<(), Error> {
    let key = session_key(db);
    if CLOSURES.with(|c| c.borrow().contains(&key)) {
        return Err(Error::api(format!(
            "{what}() inside transaction(|| …): the transaction ends when the closure returns \
             (COMMIT) or throws (ROLLBACK); return or throw instead"
        ))
        .with_code(SqlState::INVALID_TRANSACTION_STATE));
    }
    if host.and_then(Shell::single).is_some_and(|s| s.same(db)) {
        return Err(Error::api(format!(
            "{what}(): the run is one transaction (-1), which pgsh commits when the run succeeds and \
             rolls back when it fails; throw an error to roll it back, or run without -1"
        ))
        .with_code(SqlState::INVALID_TRANSACTION_STATE));
    }
    Ok(())
}

/// Run `f` in a transaction on `db` (a savepoint when one is already open).
pub fn run_transaction(
    ctx: &NativeCallContext,
    db: &Db,
    opts: &TxOptions,
    f: &FnPtr,
) -> RhaiResult<Dynamic> {
    let nested = db.try_session().map_err(throw)?.tx_status() != TxStatus::Idle;
    if nested {
        // A savepoint keeps the outer transaction's isolation and access mode, and a retry would re-run
        // only part of the work: options here would silently mean nothing.
        if *opts != TxOptions::default() {
            return Err(throw(
                Error::api(
                    "transaction: options cannot apply to a nested transaction (a savepoint inside the one \
                     already open): isolation, read_only and deferrable are fixed when the outer transaction \
                     begins, and retries re-run only the outermost transaction; give them there",
                )
                .with_code(SqlState::ACTIVE_SQL_TRANSACTION),
            ));
        }
        let _inside = InClosure::enter(db);
        return savepoint(ctx, db, f);
    }
    let mut attempt = 0u32;
    loop {
        db.try_session()
            .map_err(throw)?
            .control(&opts.begin_sql())
            .map_err(throw)?;
        let result = {
            let _inside = InClosure::enter(db);
            call_body(ctx, f, db)
        };
        match result {
            Ok(v) => {
                let mut s = db.try_session().map_err(throw)?;
                match s.tx_status() {
                    TxStatus::InTransaction => {
                        if let Err(e) = s.control("COMMIT") {
                            let retryable = matches!(
                                e.code(),
                                Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE
                                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                            );
                            drop(s);
                            if retryable && attempt < opts.retries {
                                attempt += 1;
                                backoff(attempt)?;
                                continue;
                            }
                            return Err(throw(e));
                        }
                    }
                    // The body ended the transaction itself with SQL (COMMIT, ROLLBACK): nothing left to do.
                    TxStatus::Idle => {}
                    TxStatus::Failed => {
                        let _ = s.control("ROLLBACK");
                        return Err(throw(Error::api(
                            "transaction: a statement failed inside the transaction and the error was caught; \
                             the transaction was rolled back",
                        )
                        .with_code(SqlState::IN_FAILED_SQL_TRANSACTION)));
                    }
                }
                return Ok(v);
            }
            Err(e) => {
                if let Ok(mut s) = db.try_session() {
                    let _ = s.rollback_if_open();
                }
                let retryable = matches!(code_of(&e).as_deref(), Some("40001" | "40P01"));
                if retryable && attempt < opts.retries {
                    attempt += 1;
                    backoff(attempt)?;
                    continue;
                }
                return Err(e);
            }
        }
    }
}

fn backoff(attempt: u32) -> RhaiResult<()> {
    let base = Duration::from_millis(20).saturating_mul(1 << attempt.min(8));
    crate::interrupt::sleep(base.mul_f64(0.5 + fastrand::f64() * 0.5))
        .map_err(|_| throw(Error::interrupted()))
}

fn savepoint(ctx: &NativeCallContext, db: &Db, f: &FnPtr) -> RhaiResult<Dynamic> {
    let name = {
        let mut s = db.try_session().map_err(throw)?;
        let depth = s.savepoint_depth() + 1;
        let name = format!("pgsh_sp_{depth}");
        s.control(&format!("SAVEPOINT {name}")).map_err(throw)?;
        s.set_savepoint_depth(depth);
        name
    };
    let result = call_body(ctx, f, db);
    let mut s = db.try_session().map_err(throw)?;
    let depth = s.savepoint_depth().saturating_sub(1);
    match result {
        Ok(v) => {
            if s.tx_status() == TxStatus::Failed {
                let _ = s.control(&format!("ROLLBACK TO SAVEPOINT {name}"));
                s.set_savepoint_depth(depth);
                return Err(throw(
                    Error::api("transaction: a statement failed inside the nested transaction and the error was caught; rolled back to its savepoint")
                        .with_code(SqlState::IN_FAILED_SQL_TRANSACTION),
                ));
            }
            s.control(&format!("RELEASE SAVEPOINT {name}"))
                .map_err(throw)?;
            s.set_savepoint_depth(depth);
            Ok(v)
        }
        Err(e) => {
            if s.tx_status() != TxStatus::Idle {
                let _ = s.control(&format!("ROLLBACK TO SAVEPOINT {name}"));
                let _ = s.control(&format!("RELEASE SAVEPOINT {name}"));
            }
            s.set_savepoint_depth(depth);
            Err(e)
        }
    }
}

fn begin(db: &Db) -> Result<(), Error> {
    let mut s = db.try_session()?;
    if s.tx_status() != TxStatus::Idle {
        return Err(Error::api(
            "begin(): a transaction is already open (commit() or rollback() it first, or nest with transaction(|| …))",
        )
        .with_code(SqlState::ACTIVE_SQL_TRANSACTION));
    }
    s.control("BEGIN")
}

fn commit(db: &Db) -> Result<(), Error> {
    let mut s = db.try_session()?;
    match s.tx_status() {
        TxStatus::Idle => Err(Error::api("commit(): there is no transaction in progress")
            .with_code(SqlState::NO_ACTIVE_SQL_TRANSACTION)),
        TxStatus::Failed => {
            s.control("ROLLBACK")?;
            Err(
                Error::api("commit(): the transaction had failed, so it was rolled back instead")
                    .with_code(SqlState::IN_FAILED_SQL_TRANSACTION),
            )
        }
        TxStatus::InTransaction => s.control("COMMIT"),
    }
}

fn rollback(db: &Db) -> Result<(), Error> {
    let mut s = db.try_session()?;
    if s.tx_status() == TxStatus::Idle {
        return Ok(());
    }
    s.control("ROLLBACK")
}

fn in_tx(db: &Db) -> Result<bool, Error> {
    Ok(db.try_session()?.tx_status() != TxStatus::Idle)
}

/// The plugin module: transactions, in both styles.
pub fn module() -> Module {
    exported_module!(transactions)
}

fn current(ctx: &NativeCallContext) -> RhaiResult<Db> {
    shell(ctx)?.current().map_err(throw)
}

/// `commit()`/`rollback()` on `db`, once the transaction is known to be the script's to end.
fn end_own(
    ctx: &NativeCallContext,
    db: &Db,
    what: &str,
    end: fn(&Db) -> Result<(), Error>,
) -> RhaiResult<()> {
    check_owner(shell_if_any(ctx).as_deref(), db, what)
        .and_then(|_| end(db))
        .map_err(throw)
}

#[export_module]
mod transactions {
    use super::*;

    /// Run a closure in a transaction on the current session: BEGIN, then COMMIT when the closure
    /// returns (its value is the result) or ROLLBACK and rethrow when it throws. A call inside another
    /// one is a savepoint.
    ///
    /// ```rhai
    /// transaction(|| {
    ///     execute("UPDATE account SET balance = balance - 10 WHERE id = 1");
    ///     execute("UPDATE account SET balance = balance + 10 WHERE id = 2");
    /// });
    /// query_value("SELECT balance FROM account WHERE id = 2")  // 60
    /// ```
    #[rhai_fn(name = "transaction", return_raw)]
    pub fn transaction(ctx: NativeCallContext, body: FnPtr) -> RhaiResult<Dynamic> {
        let db = current(&ctx)?;
        run_transaction(&ctx, &db, &TxOptions::default(), &body)
    }

    /// Run a closure in a transaction with options: `isolation` (`"serializable"`, `"repeatable read"`,
    /// `"read committed"`), `read_only`, `deferrable`, and `retries` (re-run the closure that many times
    /// after a serialization failure or a deadlock, 40001/40P01). Options belong to the outermost call.
    ///
    /// ```rhai
    /// let total = transaction(#{isolation: "serializable", retries: 3}, || {
    ///     query_value("SELECT sum(balance) FROM account")
    /// });
    /// total  // 150
    /// ```
    #[rhai_fn(name = "transaction", return_raw)]
    pub fn transaction_with(
        ctx: NativeCallContext,
        options: Map,
        body: FnPtr,
    ) -> RhaiResult<Dynamic> {
        let db = current(&ctx)?;
        let o = TxOptions::from_map(&options).map_err(throw)?;
        run_transaction(&ctx, &db, &o, &body)
    }

    /// Run a closure in a transaction on this session; a closure that takes a parameter gets the
    /// session. When the closure throws, everything it did is rolled back and the error goes on.
    ///
    /// ```rhai
    /// let db = connect();
    /// try {
    ///     db.transaction(|tx| {
    ///         tx.execute("DELETE FROM account");
    ///         throw "changed my mind";
    ///     });
    /// } catch (e) {
    ///     e  // "changed my mind"
    /// }
    /// db.query_value("SELECT count(*) FROM account")  // 2
    /// ```
    #[rhai_fn(name = "transaction", return_raw, pure)]
    pub fn transaction_on(ctx: NativeCallContext, db: &mut Db, body: FnPtr) -> RhaiResult<Dynamic> {
        run_transaction(&ctx, db, &TxOptions::default(), &body)
    }

    /// Run a closure in a transaction with options (`isolation`, `read_only`, `deferrable`, `retries`)
    /// on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.transaction(#{read_only: true}, |tx| tx.query_value("SELECT count(*) FROM fruit"))  // 3
    /// ```
    #[rhai_fn(name = "transaction", return_raw, pure)]
    pub fn transaction_with_on(
        ctx: NativeCallContext,
        db: &mut Db,
        options: Map,
        body: FnPtr,
    ) -> RhaiResult<Dynamic> {
        let o = TxOptions::from_map(&options).map_err(throw)?;
        run_transaction(&ctx, db, &o, &body)
    }

    /// Start a transaction on the current session (the explicit style: end it with `commit()` or
    /// `rollback()`).
    ///
    /// ```rhai
    /// begin();
    /// execute("INSERT INTO fruit VALUES ('plum', 2)");
    /// commit();
    /// query_value("SELECT count(*) FROM fruit")  // 4
    /// ```
    #[rhai_fn(name = "begin", return_raw)]
    pub fn begin_current(ctx: NativeCallContext) -> RhaiResult<()> {
        begin(&current(&ctx)?).map_err(throw)
    }

    /// Start a transaction on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.begin();
    /// db.in_transaction()  // true
    /// db.rollback();
    /// ```
    #[rhai_fn(name = "begin", return_raw, pure)]
    pub fn begin_on(db: &mut Db) -> RhaiResult<()> {
        begin(db).map_err(throw)
    }

    /// Commit the transaction open on the current session. A transaction in which a statement failed is
    /// rolled back instead, and that is an error (25P02). Inside `transaction(|| …)` or under `-1` the
    /// transaction is not the script's to end: that is an error too.
    ///
    /// ```rhai
    /// begin();
    /// execute("DELETE FROM fruit WHERE name = 'fig'");
    /// commit();
    /// query_value("SELECT count(*) FROM fruit")  // 2
    /// ```
    #[rhai_fn(name = "commit", return_raw)]
    pub fn commit_current(ctx: NativeCallContext) -> RhaiResult<()> {
        let db = current(&ctx)?;
        end_own(&ctx, &db, "commit", commit)
    }

    /// Commit the transaction open on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.begin();
    /// db.execute("UPDATE fruit SET price = 4 WHERE name = 'fig'");
    /// db.commit();
    /// db.query_value("SELECT price FROM fruit WHERE name = 'fig'")  // 4
    /// ```
    #[rhai_fn(name = "commit", return_raw, pure)]
    pub fn commit_on(ctx: NativeCallContext, db: &mut Db) -> RhaiResult<()> {
        end_own(&ctx, db, "commit", commit)
    }

    /// Roll back the transaction open on the current session (nothing happens when none is open).
    ///
    /// ```rhai
    /// begin();
    /// execute("DELETE FROM fruit");
    /// rollback();
    /// query_value("SELECT count(*) FROM fruit")  // 3
    /// ```
    #[rhai_fn(name = "rollback", return_raw)]
    pub fn rollback_current(ctx: NativeCallContext) -> RhaiResult<()> {
        let db = current(&ctx)?;
        end_own(&ctx, &db, "rollback", rollback)
    }

    /// Roll back the transaction open on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.begin();
    /// db.execute("DELETE FROM fruit");
    /// db.rollback();
    /// db.query_value("SELECT count(*) FROM fruit")  // 3
    /// ```
    #[rhai_fn(name = "rollback", return_raw, pure)]
    pub fn rollback_on(ctx: NativeCallContext, db: &mut Db) -> RhaiResult<()> {
        end_own(&ctx, db, "rollback", rollback)
    }

    /// Whether a transaction is open on the current session (also a failed one, which only a rollback
    /// ends).
    ///
    /// ```rhai
    /// in_transaction()  // false
    /// begin();
    /// in_transaction()  // true
    /// rollback();
    /// ```
    #[rhai_fn(name = "in_transaction", return_raw)]
    pub fn in_transaction_current(ctx: NativeCallContext) -> RhaiResult<bool> {
        in_tx(&current(&ctx)?).map_err(throw)
    }

    /// Whether a transaction is open on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.in_transaction()  // false
    /// ```
    #[rhai_fn(name = "in_transaction", return_raw, pure)]
    pub fn in_transaction_on(db: &mut Db) -> RhaiResult<bool> {
        in_tx(db).map_err(throw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn begin_statement_from_options() {
        let mut m = Map::new();
        m.insert("isolation".into(), "serializable".into());
        m.insert("read_only".into(), true.into());
        let o = TxOptions::from_map(&m).unwrap();
        assert_eq!(
            o.begin_sql(),
            "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY"
        );
        assert_eq!(TxOptions::default().begin_sql(), "BEGIN");
        let mut bad = Map::new();
        bad.insert("isolation".into(), "chaos".into());
        assert!(TxOptions::from_map(&bad).is_err());
    }
}
