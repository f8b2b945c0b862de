//! `\dd` (describe.c's `objectDescription`): the comments on objects whose own describe commands do not
//! show them — table and domain constraints, operator classes and families, rules, triggers.

use crate::psql::ctx::Ctx;
use crate::psql::describe::validate_sql_name_pattern;
use crate::psql::pattern::PatternQuery;

/// `objectDescription` (`\dd[S] [pattern]`).
pub fn object_description(ctx: &mut dyn Ctx, pattern: Option<&str>, show_system: bool) -> bool {
    // Without S or a pattern, objects in the system schemas are left out.
    let hide_system = !show_system && pattern.is_none();
    let where_user = concat!(
        "WHERE n.nspname <> 'pg_catalog'\n",
        "      AND n.nspname <> 'information_schema'\n"
    );
    let and_user = concat!(
        "      AND n.nspname <> 'pg_catalog'\n",
        "      AND n.nspname <> 'information_schema'\n"
    );
    let q = |have_where: bool, namevar, visibilityrule| PatternQuery {
        have_where,
        force_escape: false,
        schemavar: Some("n.nspname"),
        namevar: Some(namevar),
        altnamevar: None,
        visibilityrule: Some(visibilityrule),
        want_dbname: false,
    };
    // Each branch of the UNION: its SELECT, its system-schema filter, and its pattern clauses.
    let parts = [
        (
            concat!(
                "  SELECT pgc.oid as oid, pgc.tableoid AS tableoid,\n",
                "  n.nspname as nspname,\n",
                "  CAST(pgc.conname AS pg_catalog.text) as name,",
                "  CAST('table constraint' AS pg_catalog.text) as object\n",
                "  FROM pg_catalog.pg_constraint pgc\n",
                "    JOIN pg_catalog.pg_class c ",
                "ON c.oid = pgc.conrelid\n",
                "    LEFT JOIN pg_catalog.pg_namespace n ",
                "    ON n.oid = c.relnamespace\n"
            ),
            where_user,
            q(
                hide_system,
                "pgc.conname",
                "pg_catalog.pg_table_is_visible(c.oid)",
            ),
        ),
        (
            concat!(
                "UNION ALL\n",
                "  SELECT pgc.oid as oid, pgc.tableoid AS tableoid,\n",
                "  n.nspname as nspname,\n",
                "  CAST(pgc.conname AS pg_catalog.text) as name,",
                "  CAST('domain constraint' AS pg_catalog.text) as object\n",
                "  FROM pg_catalog.pg_constraint pgc\n",
                "    JOIN pg_catalog.pg_type t ",
                "ON t.oid = pgc.contypid\n",
                "    LEFT JOIN pg_catalog.pg_namespace n ",
                "    ON n.oid = t.typnamespace\n"
            ),
            where_user,
            q(
                hide_system,
                "pgc.conname",
                "pg_catalog.pg_type_is_visible(t.oid)",
            ),
        ),
        (
            concat!(
                "UNION ALL\n",
                "  SELECT o.oid as oid, o.tableoid as tableoid,\n",
                "  n.nspname as nspname,\n",
                "  CAST(o.opcname AS pg_catalog.text) as name,\n",
                "  CAST('operator class' AS pg_catalog.text) as object\n",
                "  FROM pg_catalog.pg_opclass o\n",
                "    JOIN pg_catalog.pg_am am ON ",
                "o.opcmethod = am.oid\n",
                "    JOIN pg_catalog.pg_namespace n ON ",
                "n.oid = o.opcnamespace\n"
            ),
            // No WHERE in this branch: the filter extends the join condition, as psql writes it.
            and_user,
            q(true, "o.opcname", "pg_catalog.pg_opclass_is_visible(o.oid)"),
        ),
        (
            concat!(
                "UNION ALL\n",
                "  SELECT opf.oid as oid, opf.tableoid as tableoid,\n",
                "  n.nspname as nspname,\n",
                "  CAST(opf.opfname AS pg_catalog.text) AS name,\n",
                "  CAST('operator family' AS pg_catalog.text) as object\n",
                "  FROM pg_catalog.pg_opfamily opf\n",
                "    JOIN pg_catalog.pg_am am ",
                "ON opf.opfmethod = am.oid\n",
                "    JOIN pg_catalog.pg_namespace n ",
                "ON opf.opfnamespace = n.oid\n"
            ),
            and_user,
            q(
                true,
                "opf.opfname",
                "pg_catalog.pg_opfamily_is_visible(opf.oid)",
            ),
        ),
        (
            concat!(
                "UNION ALL\n",
                "  SELECT r.oid as oid, r.tableoid as tableoid,\n",
                "  n.nspname as nspname,\n",
                "  CAST(r.rulename AS pg_catalog.text) as name,",
                "  CAST('rule' AS pg_catalog.text) as object\n",
                "  FROM pg_catalog.pg_rewrite r\n",
                "       JOIN pg_catalog.pg_class c ON c.oid = r.ev_class\n",
                "       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n",
                "  WHERE r.rulename != '_RETURN'\n"
            ),
            and_user,
            q(true, "r.rulename", "pg_catalog.pg_table_is_visible(c.oid)"),
        ),
        (
            concat!(
                "UNION ALL\n",
                "  SELECT t.oid as oid, t.tableoid as tableoid,\n",
                "  n.nspname as nspname,\n",
                "  CAST(t.tgname AS pg_catalog.text) as name,",
                "  CAST('trigger' AS pg_catalog.text) as object\n",
                "  FROM pg_catalog.pg_trigger t\n",
                "       JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid\n",
                "       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
            ),
            where_user,
            q(
                hide_system,
                "t.tgname",
                "pg_catalog.pg_table_is_visible(c.oid)",
            ),
        ),
    ];

    let mut buf = String::from(concat!(
        "SELECT DISTINCT tt.nspname AS \"Schema\", tt.name AS \"Name\", tt.object AS \"Object\", d.description AS \"Description\"\n",
        "FROM (\n"
    ));
    for (select, system_filter, pq) in parts {
        buf.push_str(select);
        if hide_system {
            buf.push_str(system_filter);
        }
        if validate_sql_name_pattern(ctx, &mut buf, pattern, pq, 3).is_err() {
            return false;
        }
    }
    buf.push_str(concat!(
        ") AS tt\n",
        "  JOIN pg_catalog.pg_description d ON (tt.oid = d.objoid AND tt.tableoid = d.classoid AND d.objsubid = 0)\n"
    ));
    buf.push_str("ORDER BY 1, 2, 3;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut myopt = ctx.settings().popt.clone();
    myopt.null_print = String::new();
    myopt.title = Some("Object descriptions".into());
    myopt.translate_header = true;
    myopt.translate_columns = vec![false, false, true, false];
    ctx.print_query(&res, &myopt);
    true
}
