//! What the list commands (`\da` … `\dl`) share: the print options each starts from (`myopt`), psql's
//! "server does not support" message, and the Access privileges column as the psql of the server's version
//! writes it.
//!
//! pgsh answers each describe command as the psql of the server's version would (the lead's rule): psql 15's
//! queries and output below PostgreSQL 17, psql 17's from 17 on, where psql 17 differs.

use crate::output::opts::PrintQueryOpt;
use crate::psql::ctx::Ctx;
use crate::psql::describe::print_acl_column;
use crate::psql::pattern::PatternQuery;

/// The first server version whose describe output follows psql 17.
pub(crate) const PSQL17: i32 = 170000;

/// `printQueryOpt myopt = pset.popt; myopt.nullPrint = NULL; myopt.title = …; myopt.translate_header =
/// true; myopt.translate_columns = …`. psql 17 no longer resets `nullPrint`, so from 17 on `\pset null`
/// shows in describe output too.
pub(crate) fn query_opt(ctx: &dyn Ctx, title: &str, translate_columns: &[bool]) -> PrintQueryOpt {
    let mut opt = ctx.settings().popt.clone();
    if ctx.settings().sversion < PSQL17 {
        opt.null_print = String::new();
    }
    opt.title = Some(title.to_string());
    opt.translate_header = true;
    opt.translate_columns = translate_columns.to_vec();
    opt
}

/// `printACLColumn` of the server's psql: psql 17 shows an empty (not NULL) ACL as `(none)`.
pub(crate) fn acl_column(buf: &mut String, colname: &str, sversion: i32) {
    if sversion >= PSQL17 {
        buf.push_str(&format!(
            "CASE WHEN pg_catalog.array_length({colname}, 1) = 0 THEN '(none)' ELSE pg_catalog.array_to_string({colname}, E'\\n') END AS \"Access privileges\""
        ));
    } else {
        print_acl_column(buf, colname);
    }
}

/// psql's "The server (version %s) does not support %s." error; the command still succeeds, as in psql.
pub(crate) fn not_supported(ctx: &mut dyn Ctx, what: &str) -> bool {
    let version = crate::psql::varsync::format_pg_version_number(ctx.settings().sversion, false);
    ctx.error(&format!(
        "The server (version {version}) does not support {what}."
    ));
    true
}

/// A [`PatternQuery`] from `validateSQLNamePattern`'s positional arguments.
pub(crate) fn pq<'a>(
    have_where: bool,
    force_escape: bool,
    schemavar: Option<&'a str>,
    namevar: &'a str,
    altnamevar: Option<&'a str>,
    visibilityrule: Option<&'a str>,
) -> PatternQuery<'a> {
    PatternQuery {
        have_where,
        force_escape,
        schemavar,
        namevar: Some(namevar),
        altnamevar,
        visibilityrule,
        want_dbname: false,
    }
}

/// psql's `cancel_pressed`: Ctrl-C stops a command that describes many objects one by one.
pub(crate) fn cancel_pressed() -> bool {
    crate::interrupt::is_set()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acl_column_follows_the_servers_psql() {
        let mut old = String::new();
        acl_column(&mut old, "d.datacl", 150000);
        assert_eq!(
            old,
            "pg_catalog.array_to_string(d.datacl, E'\\n') AS \"Access privileges\""
        );
        let mut new = String::new();
        acl_column(&mut new, "d.datacl", 170004);
        // psql 17: `psql -E -c '\l'` against a 17 server.
        assert_eq!(
            new,
            "CASE WHEN pg_catalog.array_length(d.datacl, 1) = 0 THEN '(none)' ELSE pg_catalog.array_to_string(d.datacl, E'\\n') END AS \"Access privileges\""
        );
    }
}
