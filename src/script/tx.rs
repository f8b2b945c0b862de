//! Transactions for scripts: `transaction(|| …)` (BEGIN, COMMIT on return, ROLLBACK and rethrow on error,
//! SAVEPOINTs when nested, optional re-runs after serialization failures) and psycopg2-style explicit
//! `begin()` / `commit()` / `rollback()` / `in_transaction()`.
//!
//! The two styles do not mix on one connection: inside a `transaction(|| …)` closure, and under `-1`, the
//! transaction belongs to someone else, so `commit()`/`rollback()` there are errors rather than ending it
//! under its owner's feet.

use std::rc::Rc;
use std::time::Duration;

use rhai::{Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, Map, NativeCallContext};

use super::api::{throw, RhaiResult};
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
    super::diag::pgsh_error(loc.error).and_then(|pe| pe.code().map(str::to_string))
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
fn check_owner(host: &Shell, db: &Db, what: &str) -> Result<(), Error> {
    let key = session_key(db);
    if CLOSURES.with(|c| c.borrow().contains(&key)) {
        return Err(Error::api(format!(
            "{what}() inside transaction(|| …): the transaction ends when the closure returns \
             (COMMIT) or throws (ROLLBACK); return or throw instead"
        ))
        .with_code("25000"));
    }
    if host.single().is_some_and(|s| s.same(db)) {
        return Err(Error::api(format!(
            "{what}(): the run is one transaction (-1), which pgsh commits when the run succeeds and \
             rolls back when it fails; throw an error to roll it back, or run without -1"
        ))
        .with_code("25000"));
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
                .with_code("25001"),
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
                            let retryable = matches!(e.code(), Some("40001" | "40P01"));
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
                        .with_code("25P02")));
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
                        .with_code("25P02"),
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
        .with_code("25001"));
    }
    s.control("BEGIN")
}

fn commit(db: &Db) -> Result<(), Error> {
    let mut s = db.try_session()?;
    match s.tx_status() {
        TxStatus::Idle => {
            Err(Error::api("commit(): there is no transaction in progress").with_code("25P01"))
        }
        TxStatus::Failed => {
            s.control("ROLLBACK")?;
            Err(
                Error::api("commit(): the transaction had failed, so it was rolled back instead")
                    .with_code("25P02"),
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

/// Register the transaction functions.
pub fn register(engine: &mut Engine, host: Rc<Shell>) {
    let docs = |summary: &str, example: &str| -> Vec<String> {
        let mut v = vec![format!("/// {summary}"), "/// ```rhai".into()];
        v.extend(example.lines().map(|l| format!("/// {l}")));
        v.push("/// ```".into());
        v
    };
    let tx_doc = docs(
        "Run a closure in a transaction: COMMIT when it returns, ROLLBACK and rethrow when it throws; nested calls use savepoints.",
        "transaction(|| {\n    execute(\"UPDATE account SET balance = balance - 10 WHERE id = 1\");\n    execute(\"UPDATE account SET balance = balance + 10 WHERE id = 2\");\n});",
    );
    let h = host.clone();
    FuncRegistration::new("transaction")
        .with_comments(tx_doc.clone())
        .register_into_engine(
            engine,
            move |ctx: NativeCallContext, f: FnPtr| -> RhaiResult<Dynamic> {
                let db = h.current().map_err(throw)?;
                run_transaction(&ctx, &db, &TxOptions::default(), &f)
            },
        );
    let h = host.clone();
    FuncRegistration::new("transaction")
        .with_comments(tx_doc.clone())
        .register_into_engine(
            engine,
            move |ctx: NativeCallContext, opts: Map, f: FnPtr| -> RhaiResult<Dynamic> {
                let db = h.current().map_err(throw)?;
                let o = TxOptions::from_map(&opts).map_err(throw)?;
                run_transaction(&ctx, &db, &o, &f)
            },
        );
    FuncRegistration::new("transaction")
        .with_comments(tx_doc.clone())
        .register_into_engine(
            engine,
            |ctx: NativeCallContext, db: &mut Db, f: FnPtr| -> RhaiResult<Dynamic> {
                run_transaction(&ctx, db, &TxOptions::default(), &f)
            },
        );
    FuncRegistration::new("transaction")
        .with_comments(tx_doc)
        .register_into_engine(
            engine,
            |ctx: NativeCallContext, db: &mut Db, opts: Map, f: FnPtr| -> RhaiResult<Dynamic> {
                let o = TxOptions::from_map(&opts).map_err(throw)?;
                run_transaction(&ctx, db, &o, &f)
            },
        );

    macro_rules! both {
        ($name:literal, $ret:ty, $f:expr, $doc:expr) => {{
            let h = host.clone();
            FuncRegistration::new($name)
                .with_comments($doc.clone())
                .register_into_engine(engine, move || -> RhaiResult<$ret> {
                    let db = h.current().map_err(throw)?;
                    ($f)(&h, &db).map_err(throw)
                });
            let h = host.clone();
            FuncRegistration::new($name)
                .with_comments($doc)
                .register_into_engine(engine, move |db: &mut Db| -> RhaiResult<$ret> {
                    ($f)(&h, db).map_err(throw)
                });
        }};
    }
    both!(
        "begin",
        (),
        |_: &Shell, db: &Db| begin(db),
        docs(
            "Start a transaction (explicit style; pair with commit() or rollback()).",
            "begin();\nexecute(\"INSERT INTO t VALUES (1)\");\ncommit();"
        )
    );
    both!(
        "commit",
        (),
        |h: &Shell, db: &Db| check_owner(h, db, "commit").and_then(|_| commit(db)),
        docs(
            "Commit the open transaction.",
            "begin();\nexecute(\"DELETE FROM t\");\ncommit();"
        )
    );
    both!(
        "rollback",
        (),
        |h: &Shell, db: &Db| check_owner(h, db, "rollback").and_then(|_| rollback(db)),
        docs(
            "Roll back the open transaction (no-op when none is open).",
            "begin();\nexecute(\"DELETE FROM t\");\nrollback();"
        )
    );
    both!(
        "in_transaction",
        bool,
        |_: &Shell, db: &Db| in_tx(db),
        docs(
            "Is a transaction open on the connection?",
            "begin();\nprint(in_transaction());  // true"
        )
    );
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
