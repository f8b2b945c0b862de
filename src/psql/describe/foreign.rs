//! SQL/MED: `\dew` (foreign-data wrappers), `\des` (foreign servers), `\deu` (user mappings) and `\det`
//! (foreign tables) — psql's `listForeignDataWrappers`, `listForeignServers`, `listUserMappings` and
//! `listForeignTables`.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{acl_column, pq, query_opt};
use crate::psql::describe::validate_sql_name_pattern;

/// The "FDW options" column over an options array, as `(name 'value', …)`.
fn fdw_options(column: &str) -> String {
    format!(
        "CASE WHEN {column} IS NULL THEN '' ELSE \
         \x20 '(' || pg_catalog.array_to_string(ARRAY(SELECT \
         \x20 pg_catalog.quote_ident(option_name) ||  ' ' || \
         \x20 pg_catalog.quote_literal(option_value)  FROM \
         \x20 pg_catalog.pg_options_to_table({column})),  ', ') || ')' \
         \x20 END AS \"FDW options\""
    )
}

/// `\dew[+] [pattern]`.
pub fn list_foreign_data_wrappers(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT fdw.fdwname AS \"Name\",\n",
        "  pg_catalog.pg_get_userbyid(fdw.fdwowner) AS \"Owner\",\n",
        "  fdw.fdwhandler::pg_catalog.regproc AS \"Handler\",\n",
        "  fdw.fdwvalidator::pg_catalog.regproc AS \"Validator\"",
    ));
    if verbose {
        buf.push_str(",\n  ");
        acl_column(&mut buf, "fdwacl", sversion);
        buf.push_str(",\n ");
        buf.push_str(&fdw_options("fdwoptions"));
        buf.push_str(",\n  d.description AS \"Description\" ");
    }
    buf.push_str("\nFROM pg_catalog.pg_foreign_data_wrapper fdw\n");
    if verbose {
        buf.push_str(concat!(
            "LEFT JOIN pg_catalog.pg_description d\n",
            "       ON d.classoid = fdw.tableoid ",
            "AND d.objoid = fdw.oid AND d.objsubid = 0\n",
        ));
    }
    let q = pq(false, false, None, "fdwname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of foreign-data wrappers", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\des[+] [pattern]`.
pub fn list_foreign_servers(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT s.srvname AS \"Name\",\n",
        "  pg_catalog.pg_get_userbyid(s.srvowner) AS \"Owner\",\n",
        "  f.fdwname AS \"Foreign-data wrapper\"",
    ));
    if verbose {
        buf.push_str(",\n  ");
        acl_column(&mut buf, "s.srvacl", sversion);
        buf.push_str(concat!(
            ",\n",
            "  s.srvtype AS \"Type\",\n",
            "  s.srvversion AS \"Version\",\n  ",
        ));
        buf.push_str(&fdw_options("srvoptions"));
        buf.push_str(",\n  d.description AS \"Description\"");
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_foreign_server s\n",
        "     JOIN pg_catalog.pg_foreign_data_wrapper f ON f.oid=s.srvfdw\n",
    ));
    if verbose {
        buf.push_str(concat!(
            "LEFT JOIN pg_catalog.pg_description d\n       ",
            "ON d.classoid = s.tableoid AND d.objoid = s.oid ",
            "AND d.objsubid = 0\n",
        ));
    }
    let q = pq(false, false, None, "s.srvname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of foreign servers", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\deu[+] [pattern]`: the pattern matches the server or the user name.
pub fn list_user_mappings(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let mut buf = String::from(concat!(
        "SELECT um.srvname AS \"Server\",\n",
        "  um.usename AS \"User name\"",
    ));
    if verbose {
        buf.push_str(",\n ");
        buf.push_str(&fdw_options("umoptions"));
    }
    buf.push_str("\nFROM pg_catalog.pg_user_mappings um\n");
    let q = pq(false, false, None, "um.srvname", Some("um.usename"), None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of user mappings", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\det[+] [pattern]`.
pub fn list_foreign_tables(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let mut buf = String::from(concat!(
        "SELECT n.nspname AS \"Schema\",\n",
        "  c.relname AS \"Table\",\n",
        "  s.srvname AS \"Server\"",
    ));
    if verbose {
        buf.push_str(",\n ");
        buf.push_str(&fdw_options("ftoptions"));
        buf.push_str(",\n  d.description AS \"Description\"");
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_foreign_table ft\n",
        "  INNER JOIN pg_catalog.pg_class c",
        " ON c.oid = ft.ftrelid\n",
        "  INNER JOIN pg_catalog.pg_namespace n",
        " ON n.oid = c.relnamespace\n",
        "  INNER JOIN pg_catalog.pg_foreign_server s",
        " ON s.oid = ft.ftserver\n",
    ));
    if verbose {
        buf.push_str(concat!(
            "   LEFT JOIN pg_catalog.pg_description d\n",
            "          ON d.classoid = c.tableoid AND ",
            "d.objoid = c.oid AND d.objsubid = 0\n",
        ));
    }
    let q = pq(
        false,
        false,
        Some("n.nspname"),
        "c.relname",
        None,
        Some("pg_catalog.pg_table_is_visible(c.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of foreign tables", &[]);
    ctx.print_query(&res, &opt);
    true
}
