//! `\dx` (installed extensions) and `\dx+` (the objects each extension owns) — psql's `listExtensions`,
//! `listExtensionContents` and `listOneExtensionContents`.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{cancel_pressed, pq, query_opt};
use crate::psql::describe::validate_sql_name_pattern;

/// `\dx [pattern]`.
pub fn list_extensions(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let mut buf = String::from(concat!(
        "SELECT e.extname AS \"Name\", ",
        "e.extversion AS \"Version\", n.nspname AS \"Schema\", c.description AS \"Description\"\n",
        "FROM pg_catalog.pg_extension e ",
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace ",
        "LEFT JOIN pg_catalog.pg_description c ON c.objoid = e.oid ",
        "AND c.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass\n",
    ));
    let q = pq(false, false, None, "e.extname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of installed extensions", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dx+ [pattern]`: one table of member objects per matching extension.
pub fn list_extension_contents(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let mut buf = String::from("SELECT e.extname, e.oid\nFROM pg_catalog.pg_extension e\n");
    let q = pq(false, false, None, "e.extname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    if res.ntuples() == 0 {
        if !ctx.settings().quiet {
            match pattern {
                Some(p) => ctx.error(&format!("Did not find any extension named \"{p}\".")),
                None => ctx.error("Did not find any extensions."),
            }
        }
        return false;
    }
    for i in 0..res.ntuples() {
        let extname = res.get_value(i, 0);
        let oid = res.get_value(i, 1);
        if !list_one_extension_contents(ctx, extname, oid) || cancel_pressed() {
            return false;
        }
    }
    true
}

/// The objects that depend on extension `oid` as its members.
fn list_one_extension_contents(ctx: &mut dyn Ctx, extname: &str, oid: &str) -> bool {
    let buf = format!(
        "SELECT pg_catalog.pg_describe_object(classid, objid, 0) AS \"Object description\"\n\
         FROM pg_catalog.pg_depend\n\
         WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND refobjid = '{oid}' AND deptype = 'e'\n\
         ORDER BY 1;"
    );
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, &format!("Objects in extension \"{extname}\""), &[]);
    ctx.print_query(&res, &opt);
    true
}
