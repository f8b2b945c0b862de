//! Privileges: `\dp` / `\z` (describe.c's `permissionsList`: relations with their column privileges and
//! row-level security policies) and `\ddp` (`listDefaultACLs`).

use crate::psql::ctx::Ctx;
use crate::psql::describe::{print_acl_column, validate_sql_name_pattern};
use crate::psql::pattern::PatternQuery;

/// The policies column of `\dp`; 10 added restrictive policies.
fn policies_column(permissive: bool) -> String {
    let restrictive = if permissive {
        concat!(
            "    || CASE WHEN NOT polpermissive THEN\n",
            "       E' (RESTRICTIVE)'\n",
            "       ELSE '' END\n"
        )
    } else {
        ""
    };
    format!(
        concat!(
            ",\n  pg_catalog.array_to_string(ARRAY(\n",
            "    SELECT polname\n",
            "{}",
            "    || CASE WHEN polcmd != '*' THEN\n",
            "           E' (' || polcmd::pg_catalog.text || E'):'\n",
            "       ELSE E':'\n",
            "       END\n",
            "    || CASE WHEN polqual IS NOT NULL THEN\n",
            "           E'\\n  (u): ' || pg_catalog.pg_get_expr(polqual, polrelid)\n",
            "       ELSE E''\n",
            "       END\n",
            "    || CASE WHEN polwithcheck IS NOT NULL THEN\n",
            "           E'\\n  (c): ' || pg_catalog.pg_get_expr(polwithcheck, polrelid)\n",
            "       ELSE E''\n",
            "       END",
            "    || CASE WHEN polroles <> '{{0}}' THEN\n",
            "           E'\\n  to: ' || pg_catalog.array_to_string(\n",
            "               ARRAY(\n",
            "                   SELECT rolname\n",
            "                   FROM pg_catalog.pg_roles\n",
            "                   WHERE oid = ANY (polroles)\n",
            "                   ORDER BY 1\n",
            "               ), E', ')\n",
            "       ELSE E''\n",
            "       END\n",
            "    FROM pg_catalog.pg_policy pol\n",
            "    WHERE polrelid = c.oid), E'\\n')\n",
            "    AS \"Policies\""
        ),
        restrictive
    )
}

/// `permissionsList` (`\dp`, `\z`): the privileges of tables, views, sequences and foreign tables
/// (indexes and TOAST tables have none worth showing). Without a schema in the pattern, system and
/// temporary schemas are left out.
pub fn permissions_list(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT n.nspname as \"Schema\",\n",
        "  c.relname as \"Name\",\n",
        "  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'",
        " WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table'",
        " END as \"Type\",\n",
        "  "
    ));
    print_acl_column(&mut buf, "c.relacl");
    buf.push_str(concat!(
        ",\n  pg_catalog.array_to_string(ARRAY(\n",
        "    SELECT attname || E':\\n  ' || pg_catalog.array_to_string(attacl, E'\\n  ')\n",
        "    FROM pg_catalog.pg_attribute a\n",
        "    WHERE attrelid = c.oid AND NOT attisdropped AND attacl IS NOT NULL\n",
        "  ), E'\\n') AS \"Column privileges\""
    ));
    if (90500..100000).contains(&sversion) {
        buf.push_str(&policies_column(false));
    }
    if sversion >= 100000 {
        buf.push_str(&policies_column(true));
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_class c\n",
        "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n",
        "WHERE c.relkind IN ('r','v','m','S','f','p')\n"
    ));
    let q = PatternQuery {
        have_where: true,
        force_escape: false,
        schemavar: Some("n.nspname"),
        namevar: Some("c.relname"),
        altnamevar: None,
        visibilityrule: Some("n.nspname !~ '^pg_' AND pg_catalog.pg_table_is_visible(c.oid)"),
        want_dbname: false,
    };
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut myopt = ctx.settings().popt.clone();
    myopt.null_print = String::new();
    myopt.title = Some("Access privileges".into());
    myopt.translate_header = true;
    myopt.translate_columns = vec![false, false, true, false, false, false];
    ctx.print_query(&res, &myopt);
    true
}

/// `listDefaultACLs` (`\ddp`): default privileges; the pattern matches the schema or the role.
pub fn list_default_acls(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let mut buf = String::from(concat!(
        "SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS \"Owner\",\n",
        "  n.nspname AS \"Schema\",\n",
        "  CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS \"Type\",\n",
        "  "
    ));
    print_acl_column(&mut buf, "d.defaclacl");
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_default_acl d\n",
        "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace\n"
    ));
    let q = PatternQuery {
        have_where: false,
        force_escape: false,
        schemavar: None,
        namevar: Some("n.nspname"),
        altnamevar: Some("pg_catalog.pg_get_userbyid(d.defaclrole)"),
        visibilityrule: None,
        want_dbname: false,
    };
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2, 3;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut myopt = ctx.settings().popt.clone();
    myopt.null_print = String::new();
    myopt.title = Some("Default access privileges".into());
    myopt.translate_header = true;
    myopt.translate_columns = vec![false, false, true, false];
    ctx.print_query(&res, &myopt);
    true
}
