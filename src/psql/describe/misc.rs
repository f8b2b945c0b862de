//! The describe commands for catalogs that stand alone: `\dL` (procedural languages), `\dc` (encoding
//! conversions), `\dX` (extended statistics), `\dy` (event triggers) and `\dl`/`\lo_list` (large objects) —
//! psql's `listLanguages`, `listConversions`, `listExtendedStats`, `listEventTriggers` and
//! `listLargeObjects`.

use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{acl_column, not_supported, pq, query_opt};
use crate::psql::describe::validate_sql_name_pattern;

/// `\dL[S+] [pattern]`; without `S` or a pattern, only languages with a call handler (not the internal,
/// C and SQL ones).
pub fn list_languages(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT l.lanname AS \"Name\",\n",
        "       pg_catalog.pg_get_userbyid(l.lanowner) as \"Owner\",\n",
        "       l.lanpltrusted AS \"Trusted\"",
    ));
    if verbose {
        buf.push_str(concat!(
            ",\n       NOT l.lanispl AS \"Internal language\",\n",
            "       l.lanplcallfoid::pg_catalog.regprocedure AS \"Call handler\",\n",
            "       l.lanvalidator::pg_catalog.regprocedure AS \"Validator\",\n       ",
            "l.laninline::pg_catalog.regprocedure AS \"Inline handler\",\n       ",
        ));
        acl_column(&mut buf, "l.lanacl", sversion);
    }
    buf.push_str(concat!(
        ",\n       d.description AS \"Description\"",
        "\nFROM pg_catalog.pg_language l\n",
        "LEFT JOIN pg_catalog.pg_description d\n",
        "  ON d.classoid = l.tableoid AND d.objoid = l.oid\n",
        "  AND d.objsubid = 0\n",
    ));
    if pattern.is_some() {
        let q = pq(false, false, None, "l.lanname", None, None);
        if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 2).is_err() {
            return false;
        }
    }
    if !show_system && pattern.is_none() {
        buf.push_str("WHERE l.lanplcallfoid != 0\n");
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of languages", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dc[S+] [pattern]`.
pub fn list_conversions(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let mut buf = String::from(concat!(
        "SELECT n.nspname AS \"Schema\",\n",
        "       c.conname AS \"Name\",\n",
        "       pg_catalog.pg_encoding_to_char(c.conforencoding) AS \"Source\",\n",
        "       pg_catalog.pg_encoding_to_char(c.contoencoding) AS \"Destination\",\n",
        "       CASE WHEN c.condefault THEN 'yes'\n",
        "       ELSE 'no' END AS \"Default?\"",
    ));
    if verbose {
        buf.push_str(",\n       d.description AS \"Description\"");
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_conversion c\n",
        "     JOIN pg_catalog.pg_namespace n ",
        "ON n.oid = c.connamespace\n",
    ));
    if verbose {
        buf.push_str(concat!(
            "LEFT JOIN pg_catalog.pg_description d ",
            "ON d.classoid = c.tableoid\n",
            "          AND d.objoid = c.oid ",
            "AND d.objsubid = 0\n",
        ));
    }
    buf.push_str("WHERE true\n");
    if !show_system && pattern.is_none() {
        buf.push_str(concat!(
            "  AND n.nspname <> 'pg_catalog'\n",
            "  AND n.nspname <> 'information_schema'\n",
        ));
    }
    let q = pq(
        true,
        false,
        Some("n.nspname"),
        "c.conname",
        None,
        Some("pg_catalog.pg_conversion_is_visible(c.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(
        ctx,
        "List of conversions",
        &[false, false, false, false, true, false],
    );
    ctx.print_query(&res, &opt);
    true
}

/// `\dX [pattern]` (10 and later).
pub fn list_extended_stats(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let sversion = ctx.settings().sversion;
    if sversion < 100000 {
        return not_supported(ctx, "extended statistics");
    }
    let mut buf = String::from(concat!(
        "SELECT \n",
        "es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS \"Schema\", \n",
        "es.stxname AS \"Name\", \n",
    ));
    if sversion >= 140000 {
        buf.push_str(concat!(
            "pg_catalog.format('%s FROM %s', \n",
            "  pg_catalog.pg_get_statisticsobjdef_columns(es.oid), \n",
            "  es.stxrelid::pg_catalog.regclass) AS \"Definition\"",
        ));
    } else {
        buf.push_str(concat!(
            "pg_catalog.format('%s FROM %s', \n",
            "  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname),', ') \n",
            "   FROM pg_catalog.unnest(es.stxkeys) s(attnum) \n",
            "   JOIN pg_catalog.pg_attribute a \n",
            "   ON (es.stxrelid = a.attrelid \n",
            "   AND a.attnum = s.attnum \n",
            "   AND NOT a.attisdropped)), \n",
            "es.stxrelid::pg_catalog.regclass) AS \"Definition\"",
        ));
    }
    buf.push_str(concat!(
        ",\nCASE WHEN 'd' = any(es.stxkind) THEN 'defined' \n",
        "END AS \"Ndistinct\", \n",
        "CASE WHEN 'f' = any(es.stxkind) THEN 'defined' \n",
        "END AS \"Dependencies\"",
    ));
    if sversion >= 120000 {
        buf.push_str(concat!(
            ",\nCASE WHEN 'm' = any(es.stxkind) THEN 'defined' \n",
            "END AS \"MCV\" ",
        ));
    }
    buf.push_str(" \nFROM pg_catalog.pg_statistic_ext es \n");
    let q = pq(
        false,
        false,
        Some("es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text"),
        "es.stxname",
        None,
        Some("pg_catalog.pg_statistics_obj_is_visible(es.oid)"),
    );
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1, 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of extended statistics", &[]);
    ctx.print_query(&res, &opt);
    true
}

/// `\dy[+] [pattern]` (9.3 and later).
pub fn list_event_triggers(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    if ctx.settings().sversion < 90300 {
        return not_supported(ctx, "event triggers");
    }
    let mut buf = String::from(concat!(
        "SELECT evtname as \"Name\", ",
        "evtevent as \"Event\", ",
        "pg_catalog.pg_get_userbyid(e.evtowner) as \"Owner\",\n",
        " case evtenabled when 'O' then 'enabled'",
        "  when 'R' then 'replica'",
        "  when 'A' then 'always'",
        "  when 'D' then 'disabled' end as \"Enabled\",\n",
        " e.evtfoid::pg_catalog.regproc as \"Function\", ",
        "pg_catalog.array_to_string(array(select x",
        " from pg_catalog.unnest(evttags) as t(x)), ', ') as \"Tags\"",
    ));
    if verbose {
        buf.push_str(",\npg_catalog.obj_description(e.oid, 'pg_event_trigger') as \"Description\"");
    }
    buf.push_str("\nFROM pg_catalog.pg_event_trigger e ");
    let q = pq(false, false, None, "evtname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(
        ctx,
        "List of event triggers",
        &[false, false, false, true, false, false, false],
    );
    ctx.print_query(&res, &opt);
    true
}

/// `\dl[+]` and `\lo_list[+]`.
pub fn list_large_objects(ctx: &mut dyn Ctx, verbose: bool) -> bool {
    let sversion = ctx.settings().sversion;
    let mut buf = String::from(concat!(
        "SELECT oid as \"ID\",\n",
        "  pg_catalog.pg_get_userbyid(lomowner) as \"Owner\",\n  ",
    ));
    if verbose {
        acl_column(&mut buf, "lomacl", sversion);
        buf.push_str(",\n  ");
    }
    buf.push_str(concat!(
        "pg_catalog.obj_description(oid, 'pg_largeobject') as \"Description\"\n",
        "FROM pg_catalog.pg_largeobject_metadata\n",
        "ORDER BY oid",
    ));
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "Large objects", &[]);
    ctx.print_query(&res, &opt);
    true
}
