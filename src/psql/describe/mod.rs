//! psql's describe commands (`describe.c`): the `\d` family, `\l`, `\dp`, … Each builds psql's catalog query
//! for the server's version, runs it through [`Ctx::exec`] and prints the result as psql does.

pub mod access_methods;
pub mod acl;
pub mod comments;
pub mod config;
pub mod databases;
pub mod extensions;
#[cfg(test)]
mod fixtures;
pub mod foreign;
pub mod functions;
pub mod list;
pub mod listing;
#[cfg(test)]
mod lists_tests;
#[cfg(test)]
mod live_tests;
pub mod misc;
pub mod replication;
pub mod roles;
pub mod source;
pub mod table;
mod table_footers;
mod table_objects;
#[cfg(test)]
mod testkit;
pub mod text_search;
pub mod types;

use crate::psql::ctx::Ctx;
use crate::psql::pattern::{process_sql_name_pattern, PatternQuery};

/// `validateSQLNamePattern`: append the WHERE clauses for `pattern` to `buf` (see
/// [`process_sql_name_pattern`]) and check its number of dotted parts against `maxparts` (1 = name,
/// 2 = schema.name, 3 = db.schema.name, where db must be the current database). `Err(())` after reporting
/// psql's error through the context; `Ok(added_clause)` otherwise.
// The error has been reported to the user already; the caller only needs to stop (psql returns false).
#[allow(clippy::result_unit_err)]
pub fn validate_sql_name_pattern(
    ctx: &mut dyn Ctx,
    buf: &mut String,
    pattern: Option<&str>,
    q: PatternQuery<'_>,
    maxparts: usize,
) -> Result<bool, ()> {
    let sversion = ctx.settings().sversion;
    let q = PatternQuery {
        want_dbname: q.schemavar.is_some(),
        ..q
    };
    let outcome = process_sql_name_pattern(buf, pattern, q, sversion, ctx.std_strings());
    let pattern_text = pattern.unwrap_or("");
    if outcome.dotcnt >= maxparts {
        ctx.error(&format!(
            "improper qualified name (too many dotted names): {pattern_text}"
        ));
        return Err(());
    }
    if maxparts > 1 && outcome.dotcnt == maxparts - 1 {
        let db = outcome.dbname.unwrap_or_default();
        match ctx.dbname() {
            None => {
                ctx.error("You are currently not connected to a database.");
                return Err(());
            }
            Some(current) if current != db => {
                ctx.error(&format!(
                    "cross-database references are not implemented: {pattern_text}"
                ));
                return Err(());
            }
            Some(_) => {}
        }
    }
    Ok(outcome.added_clause)
}

/// `printACLColumn`: the select-list item showing an ACL column as psql does.
pub fn print_acl_column(buf: &mut String, colname: &str) {
    buf.push_str(&format!(
        "pg_catalog.array_to_string({colname}, E'\\n') AS \"Access privileges\""
    ));
}
