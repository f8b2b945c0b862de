//! Lists of relations: `\d` without a pattern and `\dt \di \ds \dv \dm \dE` in any combination
//! (describe.c's `listTables`), and `\dP[itn]` (`listPartitionedTables`).

use crate::psql::ctx::Ctx;
use crate::psql::describe::validate_sql_name_pattern;
use crate::psql::pattern::PatternQuery;

/// The pattern clauses these lists share: schema and name, visible relations by default.
fn relation_pattern<'a>() -> PatternQuery<'a> {
    PatternQuery {
        have_where: true,
        force_escape: false,
        schemavar: Some("n.nspname"),
        namevar: Some("c.relname"),
        altnamevar: None,
        visibilityrule: Some("pg_catalog.pg_table_is_visible(c.oid)"),
        want_dbname: false,
    }
}

/// `listTables` (`\dt`, `\di`, …): `tabtypes` holds the kinds to list — `t` tables, `i` indexes,
/// `v` views, `m` materialized views, `s` sequences, `E` foreign tables — in any order; none of them
/// means `tvmsE`. Other characters (`S`, `+`) are ignored: `verbose` and `show_system` carry them.
pub fn list_tables(
    ctx: &mut dyn Ctx,
    tabtypes: &str,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let mut show_tables = tabtypes.contains('t');
    let show_indexes = tabtypes.contains('i');
    let mut show_views = tabtypes.contains('v');
    let mut show_mat_views = tabtypes.contains('m');
    let mut show_seq = tabtypes.contains('s');
    let mut show_foreign = tabtypes.contains('E');
    if !(show_tables || show_indexes || show_views || show_mat_views || show_seq || show_foreign) {
        show_tables = true;
        show_views = true;
        show_mat_views = true;
        show_seq = true;
        show_foreign = true;
    }
    let sversion = ctx.settings().sversion;
    let hide_tableam = ctx.settings().hide_tableam;
    let show_am =
        sversion >= 120000 && !hide_tableam && (show_tables || show_mat_views || show_indexes);

    let mut buf = String::from(concat!(
        "SELECT n.nspname as \"Schema\",\n",
        "  c.relname as \"Name\",\n",
        "  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'",
        " WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table'",
        " WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table'",
        " WHEN 'I' THEN 'partitioned index' END as \"Type\",\n",
        "  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\""
    ));
    if show_indexes {
        buf.push_str(",\n  c2.relname as \"Table\"");
    }
    if verbose {
        // Whether the relation is permanent, temporary or unlogged.
        buf.push_str(",\n  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN 'unlogged' END as \"Persistence\"");
        // Tables, materialized views and indexes have access methods (tables since 12).
        if show_am {
            buf.push_str(",\n  am.amname as \"Access method\"");
        }
        buf.push_str(concat!(
            ",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) as \"Size\"",
            ",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\""
        ));
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_class c",
        "\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    ));
    if show_am {
        buf.push_str("\n     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam");
    }
    if show_indexes {
        buf.push_str(concat!(
            "\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid",
            "\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid"
        ));
    }
    buf.push_str("\nWHERE c.relkind IN (");
    let system_or_pattern = show_system || pattern.is_some();
    if show_tables {
        buf.push_str("'r','p',");
        // With S or a pattern, t matches TOAST tables too.
        if system_or_pattern {
            buf.push_str("'t',");
        }
    }
    if show_views {
        buf.push_str("'v',");
    }
    if show_mat_views {
        buf.push_str("'m',");
    }
    if show_indexes {
        buf.push_str("'i','I',");
    }
    if show_seq {
        buf.push_str("'S',");
    }
    if system_or_pattern {
        // Once RELKIND_SPECIAL.
        buf.push_str("'s',");
    }
    if show_foreign {
        buf.push_str("'f',");
    }
    buf.push_str("''"); // closes the list after the trailing comma
    buf.push_str(")\n");
    if !system_or_pattern {
        buf.push_str(concat!(
            "      AND n.nspname <> 'pg_catalog'\n",
            "      AND n.nspname !~ '^pg_toast'\n",
            "      AND n.nspname <> 'information_schema'\n"
        ));
    }
    if validate_sql_name_pattern(ctx, &mut buf, pattern, relation_pattern(), 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1,2;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    // Unlike most lists, an empty one is an error message (outside quiet mode), for historical reasons.
    if res.ntuples() == 0 && !ctx.settings().quiet {
        match pattern {
            Some(p) => ctx.error(&format!("Did not find any relation named \"{p}\".")),
            None => ctx.error("Did not find any relations."),
        }
    } else {
        let mut myopt = ctx.settings().popt.clone();
        myopt.null_print = String::new();
        myopt.title = Some("List of relations".into());
        myopt.translate_header = true;
        let mut translate = vec![false, false, true, false, false, false, false, false, false];
        if verbose {
            translate[if show_indexes { 5 } else { 4 }] = true;
        }
        myopt.translate_columns = translate;
        ctx.print_query(&res, &myopt);
    }
    true
}

/// `formatPGVersionNumber(version, false, …)`: the major version, `15` or `9.6`.
fn format_version(version: i32) -> String {
    if version >= 100000 {
        format!("{}", version / 10000)
    } else {
        format!("{}.{}", version / 10000, version / 100 % 100)
    }
}

/// `listPartitionedTables` (`\dP`): `reltypes` holds `t` (tables), `i` (indexes) and `n` (also
/// partitions that are themselves partitioned), in any order; neither `t` nor `i` means both.
pub fn list_partitioned_tables(
    ctx: &mut dyn Ctx,
    reltypes: &str,
    pattern: Option<&str>,
    verbose: bool,
) -> bool {
    let mut show_tables = reltypes.contains('t');
    let mut show_indexes = reltypes.contains('i');
    let show_nested = reltypes.contains('n');
    let sversion = ctx.settings().sversion;

    // Declarative partitioning came with 10.
    if sversion < 100000 {
        ctx.error(&format!(
            "The server (version {}) does not support declarative table partitioning.",
            format_version(sversion)
        ));
        return true;
    }
    if !show_tables && !show_indexes {
        show_tables = true;
        show_indexes = true;
    }
    let mixed_output = show_tables && show_indexes;
    let tabletitle = if show_indexes && !show_tables {
        "List of partitioned indexes"
    } else if show_tables && !show_indexes {
        "List of partitioned tables"
    } else {
        "List of partitioned relations"
    };
    let nested_or_pattern = show_nested || pattern.is_some();

    let mut buf = String::from(concat!(
        "SELECT n.nspname as \"Schema\",\n",
        "  c.relname as \"Name\",\n",
        "  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\""
    ));
    let mut translate = vec![false; 9];
    if mixed_output {
        buf.push_str(",\n  CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as \"Type\"");
        translate[3] = true;
    }
    if nested_or_pattern {
        buf.push_str(",\n  inh.inhparent::pg_catalog.regclass as \"Parent name\"");
    }
    if show_indexes {
        buf.push_str(",\n c2.oid::pg_catalog.regclass as \"Table\"");
    }
    if verbose {
        if show_nested {
            buf.push_str(",\n  s.dps as \"Leaf partition size\"");
            buf.push_str(",\n  s.tps as \"Total size\"");
        } else {
            // The sizes of all partitions, at every level.
            buf.push_str(",\n  s.tps as \"Total size\"");
        }
        buf.push_str(",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\"");
    }
    buf.push_str(concat!(
        "\nFROM pg_catalog.pg_class c",
        "\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    ));
    if show_indexes {
        buf.push_str(concat!(
            "\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid",
            "\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid"
        ));
    }
    if nested_or_pattern {
        buf.push_str("\n     LEFT JOIN pg_catalog.pg_inherits inh ON c.oid = inh.inhrelid");
    }
    if verbose {
        if sversion < 120000 {
            buf.push_str(concat!(
                ",\n     LATERAL (WITH RECURSIVE d\n",
                "                AS (SELECT inhrelid AS oid, 1 AS level\n",
                "                      FROM pg_catalog.pg_inherits\n",
                "                     WHERE inhparent = c.oid\n",
                "                    UNION ALL\n",
                "                    SELECT inhrelid, level + 1\n",
                "                      FROM pg_catalog.pg_inherits i\n",
                "                           JOIN d ON i.inhparent = d.oid)\n",
                "                SELECT pg_catalog.pg_size_pretty(sum(pg_catalog.pg_table_size(",
                "d.oid))) AS tps,\n",
                "                       pg_catalog.pg_size_pretty(sum(",
                "\n             CASE WHEN d.level = 1",
                " THEN pg_catalog.pg_table_size(d.oid) ELSE 0 END)) AS dps\n",
                "               FROM d) s"
            ));
        } else {
            // 12 has pg_partition_tree.
            buf.push_str(concat!(
                ",\n     LATERAL (SELECT pg_catalog.pg_size_pretty(sum(",
                "\n                 CASE WHEN ppt.isleaf AND ppt.level = 1",
                "\n                      THEN pg_catalog.pg_table_size(ppt.relid)",
                " ELSE 0 END)) AS dps",
                ",\n                     pg_catalog.pg_size_pretty(sum(",
                "pg_catalog.pg_table_size(ppt.relid))) AS tps",
                "\n              FROM pg_catalog.pg_partition_tree(c.oid) ppt) s"
            ));
        }
    }
    buf.push_str("\nWHERE c.relkind IN (");
    if show_tables {
        buf.push_str("'p',");
    }
    if show_indexes {
        buf.push_str("'I',");
    }
    buf.push_str("''"); // closes the list after the trailing comma
    buf.push_str(")\n");
    if !nested_or_pattern {
        buf.push_str(" AND NOT c.relispartition\n");
    }
    if pattern.is_none() {
        buf.push_str(concat!(
            "      AND n.nspname <> 'pg_catalog'\n",
            "      AND n.nspname !~ '^pg_toast'\n",
            "      AND n.nspname <> 'information_schema'\n"
        ));
    }
    if validate_sql_name_pattern(ctx, &mut buf, pattern, relation_pattern(), 3).is_err() {
        return false;
    }
    buf.push_str(&format!(
        "ORDER BY \"Schema\", {}{}\"Name\";",
        if mixed_output { "\"Type\" DESC, " } else { "" },
        if nested_or_pattern {
            "\"Parent name\" NULLS FIRST, "
        } else {
            ""
        }
    ));

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let mut myopt = ctx.settings().popt.clone();
    myopt.null_print = String::new();
    myopt.title = Some(tabletitle.into());
    myopt.translate_header = true;
    myopt.translate_columns = translate;
    ctx.print_query(&res, &myopt);
    true
}
