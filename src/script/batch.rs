//! `execute_many`: one statement over many parameter rows, pipelined, all or nothing.

use rhai::plugin::*;
use rhai::{Array, NativeCallContext, INT};

use super::handle::shell;
use super::script_error::{throw, RhaiResult};
use crate::error::Error;
use crate::shell::Db;

/// The plugin module: `execute_many`.
pub fn module() -> Module {
    exported_module!(batches)
}

fn run(db: &Db, sql: &str, rows: Array) -> RhaiResult<INT> {
    let rows: Vec<Array> = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let kind = crate::value::encode::rhai_type_name(&row);
            row.try_cast::<Array>().ok_or_else(|| {
                throw(Error::usage(format!(
                    "execute_many: parameter row {i} is {kind}, not an array of parameters"
                )))
            })
        })
        .collect::<RhaiResult<_>>()?;
    let n = db
        .try_session()
        .map_err(throw)?
        .execute_many(sql, &rows)
        .map_err(throw)?;
    Ok(n as INT)
}

#[export_module]
mod batches {
    use super::*;

    /// Run one statement once per parameter row (`rows_of_params`: an array of arrays, one value per
    /// `$n`) and return the total rows affected. The statement is prepared once and every row is sent
    /// without waiting for the one before (pipelining), so a batch costs about one round trip rather than
    /// one per row. Inside an open transaction the rows join it; otherwise they run in a transaction of
    /// their own. All or nothing: a row that fails (its index, from 0, is in the error) leaves none of
    /// the batch committed. For loading a file or a very large batch of plain rows, `copy_in` is faster
    /// still; `execute_many` is for statements COPY cannot run (`ON CONFLICT`, `UPDATE`, `DELETE`, …).
    ///
    /// ```rhai
    /// execute_many("INSERT INTO fruit VALUES ($1, $2)", [["lime", 0.5], ["pear", 2]])  // 2
    /// execute_many("UPDATE fruit SET price = $2 WHERE name = $1", [["fig", 4], ["kiwi", 2]])  // 2
    /// query_value("SELECT count(*) FROM fruit")  // 5
    /// ```
    #[rhai_fn(name = "execute_many", return_raw)]
    pub fn execute_many(
        ctx: NativeCallContext,
        sql: &str,
        rows_of_params: Array,
    ) -> RhaiResult<INT> {
        run(&shell(&ctx)?.current().map_err(throw)?, sql, rows_of_params)
    }

    /// Run one statement once per parameter row on this session, pipelined; returns the total rows
    /// affected.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.execute_many("DELETE FROM fruit WHERE name = $1", [["fig"], ["kiwi"], ["none"]])  // 2
    /// ```
    #[rhai_fn(name = "execute_many", return_raw, pure)]
    pub fn execute_many_on(db: &mut Db, sql: &str, rows_of_params: Array) -> RhaiResult<INT> {
        run(db, sql, rows_of_params)
    }
}
