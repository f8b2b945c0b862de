//! The cluster's and the database's containers: `\l` (databases, also `psql -l`), `\db` (tablespaces) and
//! `\dn` (schemas) — psql's `listAllDbs`, `describeTablespaces` and `listSchemas`.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{acl_column, pq, query_opt, PSQL17};
use crate::psql::describe::validate_sql_name_pattern;

/// `\l[+] [pattern]` and `psql -l`.
pub fn list_all_dbs(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::new();
    if sversion >= PSQL17 {
        // psql 17: the provider first, then 17's locale columns (daticulocale became datlocale).
        buf.push_str(concat!(
            "SELECT\n",
            "  d.datname as \"Name\",\n",
            "  pg_catalog.pg_get_userbyid(d.datdba) as \"Owner\",\n",
            "  pg_catalog.pg_encoding_to_char(d.encoding) as \"Encoding\",\n",
            "  CASE d.datlocprovider WHEN 'b' THEN 'builtin' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\",\n",
            "  d.datcollate as \"Collate\",\n",
            "  d.datctype as \"Ctype\",\n",
            "  d.datlocale as \"Locale\",\n",
            "  d.daticurules as \"ICU Rules\",\n",
            "  ",
        ));
        acl_column(&mut buf, "d.datacl", sversion);
        if verbose {
            buf.push_str(concat!(
                ",\n  CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')\n",
                "       OR pg_catalog.pg_has_role('pg_read_all_stats', 'USAGE')\n",
                "       THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))\n",
                "       ELSE 'No Access'\n",
                "  END as \"Size\",\n",
                "  t.spcname as \"Tablespace\",\n",
                "  pg_catalog.shobj_description(d.oid, 'pg_database') as \"Description\"",
            ));
        }
    } else {
        buf.push_str(concat!(
            "SELECT d.datname as \"Name\",\n",
            "       pg_catalog.pg_get_userbyid(d.datdba) as \"Owner\",\n",
            "       pg_catalog.pg_encoding_to_char(d.encoding) as \"Encoding\",\n",
            "       d.datcollate as \"Collate\",\n",
            "       d.datctype as \"Ctype\",\n",
        ));
        if sversion >= 150000 {
            buf.push_str(concat!(
                "       d.daticulocale as \"ICU Locale\",\n",
                "       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\",\n",
            ));
        } else {
            buf.push_str(concat!(
                "       NULL as \"ICU Locale\",\n",
                "       'libc' AS \"Locale Provider\",\n",
            ));
        }
        buf.push_str("       ");
        acl_column(&mut buf, "d.datacl", sversion);
        if verbose {
            buf.push_str(concat!(
                ",\n       CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')\n",
                "            THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))\n",
                "            ELSE 'No Access'\n",
                "       END as \"Size\"",
                ",\n       t.spcname as \"Tablespace\"",
                ",\n       pg_catalog.shobj_description(d.oid, 'pg_database') as \"Description\"",
            ));
        }
    }
    buf.push_str("\nFROM pg_catalog.pg_database d\n");
    if verbose {
        buf.push_str("  JOIN pg_catalog.pg_tablespace t on d.dattablespace = t.oid\n");
    }
    if pattern.is_some() {
        let q = pq(false, false, None, "d.datname", None, None);
        if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
            return false;
        }
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of databases", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\db[+] [pattern]`.
pub fn describe_tablespaces(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT spcname AS \"Name\",\n",
        "  pg_catalog.pg_get_userbyid(spcowner) AS \"Owner\",\n",
        "  pg_catalog.pg_tablespace_location(oid) AS \"Location\"",
    ));
    if verbose {
        buf.push_str(",\n  ");
        acl_column(&mut buf, "spcacl", sversion);
        buf.push_str(concat!(
            ",\n  spcoptions AS \"Options\"",
            ",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_tablespace_size(oid)) AS \"Size\"",
            ",\n  pg_catalog.shobj_description(oid, 'pg_tablespace') AS \"Description\"",
        ));
    }
    buf.push_str("\nFROM pg_catalog.pg_tablespace\n");
    let q = pq(false, false, None, "spcname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of tablespaces", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dn[S+] [pattern]`; with a pattern (15 and later), the publications that publish the schema as
/// footers.
pub fn list_schemas(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT n.nspname AS \"Name\",\n",
        "  pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"",
    ));
    if verbose {
        buf.push_str(",\n  ");
        acl_column(&mut buf, "n.nspacl", sversion);
        buf.push_str(",\n  pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\"");
    }
    buf.push_str("\nFROM pg_catalog.pg_namespace n\n");
    let hide_system = !show_system && pattern.is_none();
    if hide_system {
        buf.push_str("WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n");
    }
    let q = pq(hide_system, false, None, "n.nspname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 2).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut opt = query_opt(ctx, "List of schemas", &[]);
    if let Some(pattern) = pattern.filter(|_| sversion >= 150000) {
        // psql puts the pattern in the literal as it is, unescaped and unprocessed.
        let sql = format!(
            "SELECT pubname \n\
             FROM pg_catalog.pg_publication p\n\
             \x20    JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n\
             \x20    JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid \n\
             WHERE n.nspname = '{pattern}'\n\
             ORDER BY 1"
        );
        let Some(publications) = ctx.exec(&sql) else {
            return false;
        };
        if publications.ntuples() > 0 {
            let mut footers = vec!["Publications:".to_string()];
            for i in 0..publications.ntuples() {
                footers.push(format!("    \"{}\"", publications.get_value(i, 0)));
            }
            opt.footers = Some(footers);
        }
    }
    ctx.print_query(&res, &opt);
    true
}
