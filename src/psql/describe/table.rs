//! `\d [pattern]` for relations (describe.c's `describeTableDetails` and `describeOneTableDetails`): the
//! relation's general facts, sequences, and the column table of every other relation kind; the footers
//! under the columns are built in `table_footers`.

use crate::output::content::{Align, TableContent};
use crate::output::opts::Expanded;
use crate::psql::ctx::Ctx;
use crate::psql::describe::table_footers;
use crate::psql::describe::table_info::{atoi, exec, first_char, Failed, RelKind, TableInfo};
use crate::psql::describe::validate_sql_name_pattern;
use crate::psql::pattern::PatternQuery;
use crate::sql::quote::fmt_id;

/// `describeTableDetails` (`\d[S+] pattern`): describe each relation matching `pattern` (all relations
/// outside the system schemas when `None`, all of them with `show_system`).
pub fn describe_table_details(
    ctx: &mut dyn Ctx,
    pattern: Option<&str>,
    verbose: bool,
    show_system: bool,
) -> bool {
    let mut buf = String::from(concat!(
        "SELECT c.oid,\n",
        "  n.nspname,\n",
        "  c.relname\n",
        "FROM pg_catalog.pg_class c\n",
        "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n",
    ));
    if !show_system && pattern.is_none() {
        buf.push_str(concat!(
            "WHERE n.nspname <> 'pg_catalog'\n",
            "      AND n.nspname <> 'information_schema'\n",
        ));
    }
    let q = PatternQuery {
        have_where: !show_system && pattern.is_none(),
        force_escape: false,
        schemavar: Some("n.nspname"),
        namevar: Some("c.relname"),
        altnamevar: None,
        visibilityrule: Some("pg_catalog.pg_table_is_visible(c.oid)"),
        want_dbname: false,
    };
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 3).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 2, 3;");

    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    if res.ntuples() == 0 {
        if !ctx.settings().quiet {
            match pattern {
                Some(p) => ctx.error(&format!("Did not find any relation named \"{p}\".")),
                None => ctx.error("Did not find any relations."),
            }
        }
        return false;
    }
    for i in 0..res.ntuples() {
        let oid = res.get_value(i, 0);
        let nspname = res.get_value(i, 1);
        let relname = res.get_value(i, 2);
        if !describe_one_table_details(ctx, nspname, relname, oid, verbose) {
            return false;
        }
    }
    true
}

/// `describeOneTableDetails`: one relation, as a table of its columns with footers.
fn describe_one_table_details(
    ctx: &mut dyn Ctx,
    schemaname: &str,
    relationname: &str,
    oid: &str,
    verbose: bool,
) -> bool {
    describe_one(ctx, schemaname, relationname, oid, verbose).is_ok()
}

/// The general facts query, per server version.
fn table_info_query(sversion: i32, oid: &str, verbose: bool) -> String {
    let reloptions = if verbose {
        "pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')\n"
    } else {
        "''"
    };
    if sversion >= 120000 {
        format!(
            concat!(
                "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, ",
                "c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, ",
                "false AS relhasoids, c.relispartition, {}, c.reltablespace, ",
                "CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, ",
                "c.relpersistence, c.relreplident, am.amname\n",
                "FROM pg_catalog.pg_class c\n ",
                "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n",
                "LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)\n",
                "WHERE c.oid = '{}';"
            ),
            reloptions, oid
        )
    } else if sversion >= 100000 {
        format!(
            concat!(
                "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, ",
                "c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, ",
                "c.relhasoids, c.relispartition, {}, c.reltablespace, ",
                "CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, ",
                "c.relpersistence, c.relreplident\n",
                "FROM pg_catalog.pg_class c\n ",
                "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n",
                "WHERE c.oid = '{}';"
            ),
            reloptions, oid
        )
    } else if sversion >= 90500 {
        format!(
            concat!(
                "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, ",
                "c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, ",
                "c.relhasoids, false as relispartition, {}, c.reltablespace, ",
                "CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, ",
                "c.relpersistence, c.relreplident\n",
                "FROM pg_catalog.pg_class c\n ",
                "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n",
                "WHERE c.oid = '{}';"
            ),
            reloptions, oid
        )
    } else if sversion >= 90400 {
        format!(
            concat!(
                "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, ",
                "c.relhastriggers, false, false, c.relhasoids, ",
                "false as relispartition, {}, c.reltablespace, ",
                "CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, ",
                "c.relpersistence, c.relreplident\n",
                "FROM pg_catalog.pg_class c\n ",
                "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n",
                "WHERE c.oid = '{}';"
            ),
            reloptions, oid
        )
    } else {
        format!(
            concat!(
                "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, ",
                "c.relhastriggers, false, false, c.relhasoids, ",
                "false as relispartition, {}, c.reltablespace, ",
                "CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, ",
                "c.relpersistence\n",
                "FROM pg_catalog.pg_class c\n ",
                "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n",
                "WHERE c.oid = '{}';"
            ),
            reloptions, oid
        )
    }
}

/// The general facts of relation `oid`; `Err` after reporting when it is gone.
fn table_info(ctx: &mut dyn Ctx, oid: &str, verbose: bool) -> Result<TableInfo, Failed> {
    let sversion = ctx.settings().sversion;
    let res = exec(ctx, &table_info_query(sversion, oid, verbose))?;
    if res.ntuples() == 0 {
        if !ctx.settings().quiet {
            ctx.error(&format!("Did not find any relation with OID {oid}."));
        }
        return Err(Failed);
    }
    let t = |col| res.get_value(0, col) == "t";
    let reloftype = res.get_value(0, 11);
    Ok(TableInfo {
        checks: atoi(res.get_value(0, 0)),
        relkind: RelKind::of(first_char(res.get_value(0, 1))),
        hasindex: t(2),
        hasrules: t(3),
        hastriggers: t(4),
        rowsecurity: t(5),
        forcerowsecurity: t(6),
        hasoids: t(7),
        ispartition: t(8),
        reloptions: res.get_value(0, 9).to_string(),
        tablespace: res.get_value(0, 10).parse().unwrap_or(0),
        reloftype: (!reloftype.is_empty()).then(|| reloftype.to_string()),
        relpersistence: first_char(res.get_value(0, 12)),
        relreplident: if sversion >= 90400 {
            first_char(res.get_value(0, 13))
        } else {
            'd'
        },
        relam: if sversion >= 120000 {
            res.get(0, 14).map(str::to_string)
        } else {
            None
        },
    })
}

/// A sequence: its parameters as a query result, with the column owning it as footer.
fn describe_sequence(
    ctx: &mut dyn Ctx,
    schemaname: &str,
    relationname: &str,
    oid: &str,
    info: &TableInfo,
) -> Result<(), Failed> {
    let sversion = ctx.settings().sversion;
    let sql = if sversion >= 100000 {
        format!(
            concat!(
                "SELECT pg_catalog.format_type(seqtypid, NULL) AS \"Type\",\n",
                "       seqstart AS \"Start\",\n",
                "       seqmin AS \"Minimum\",\n",
                "       seqmax AS \"Maximum\",\n",
                "       seqincrement AS \"Increment\",\n",
                "       CASE WHEN seqcycle THEN 'yes' ELSE 'no' END AS \"Cycles?\",\n",
                "       seqcache AS \"Cache\"\n",
                "FROM pg_catalog.pg_sequence\n",
                "WHERE seqrelid = '{}';"
            ),
            oid
        )
    } else {
        format!(
            concat!(
                "SELECT 'bigint' AS \"Type\",\n",
                "       start_value AS \"Start\",\n",
                "       min_value AS \"Minimum\",\n",
                "       max_value AS \"Maximum\",\n",
                "       increment_by AS \"Increment\",\n",
                "       CASE WHEN is_cycled THEN 'yes' ELSE 'no' END AS \"Cycles?\",\n",
                "       cache_value AS \"Cache\"\n",
                "FROM {}.{};"
            ),
            fmt_id(schemaname),
            fmt_id(relationname)
        )
    };
    let res = exec(ctx, &sql)?;

    // The column that owns this sequence.
    let sql = format!(
        concat!(
            "SELECT pg_catalog.quote_ident(nspname) || '.' ||",
            "\n   pg_catalog.quote_ident(relname) || '.' ||",
            "\n   pg_catalog.quote_ident(attname),",
            "\n   d.deptype",
            "\nFROM pg_catalog.pg_class c",
            "\nINNER JOIN pg_catalog.pg_depend d ON c.oid=d.refobjid",
            "\nINNER JOIN pg_catalog.pg_namespace n ON n.oid=c.relnamespace",
            "\nINNER JOIN pg_catalog.pg_attribute a ON (",
            "\n a.attrelid=c.oid AND",
            "\n a.attnum=d.refobjsubid)",
            "\nWHERE d.classid='pg_catalog.pg_class'::pg_catalog.regclass",
            "\n AND d.refclassid='pg_catalog.pg_class'::pg_catalog.regclass",
            "\n AND d.objid='{}'",
            "\n AND d.deptype IN ('a', 'i')"
        ),
        oid
    );
    let owner = exec(ctx, &sql)?;
    // Never more than one row; if there were, psql would show nothing rather than guess.
    let footer = if owner.ntuples() == 1 {
        match first_char(owner.get_value(0, 1)) {
            'a' => Some(format!("Owned by: {}", owner.get_value(0, 0))),
            'i' => Some(format!(
                "Sequence for identity column: {}",
                owner.get_value(0, 0)
            )),
            _ => None,
        }
    } else {
        None
    };
    let title = if info.relpersistence == 'u' {
        format!("Unlogged sequence \"{schemaname}.{relationname}\"")
    } else {
        format!("Sequence \"{schemaname}.{relationname}\"")
    };
    let mut myopt = ctx.settings().popt.clone();
    myopt.footers = footer.map(|f| vec![f]);
    myopt.topt.default_footer = false;
    myopt.title = Some(title);
    myopt.translate_header = true;
    ctx.print_query(&res, &myopt);
    Ok(())
}

/// Which columns the per-column query fetched (`-1` in C for those it did not).
#[derive(Default)]
struct ColumnQuery {
    sql: String,
    attrdef: Option<usize>,
    attnotnull: Option<usize>,
    attcoll: Option<usize>,
    attidentity: Option<usize>,
    attgenerated: Option<usize>,
    isindexkey: Option<usize>,
    indexdef: Option<usize>,
    fdwopts: Option<usize>,
    attstorage: Option<usize>,
    attcompression: Option<usize>,
    attstattarget: Option<usize>,
    attdescr: Option<usize>,
}

/// The per-column query; its column set depends on the relation kind, the server version and `+`.
fn column_query(
    ctx: &dyn Ctx,
    info: &TableInfo,
    oid: &str,
    verbose: bool,
    show_column_details: bool,
) -> ColumnQuery {
    let sversion = ctx.settings().sversion;
    let rk = info.relkind;
    let mut q = ColumnQuery::default();
    let mut cols = 2;
    let mut next = || {
        cols += 1;
        Some(cols - 1)
    };
    q.sql.push_str("SELECT a.attname");
    q.sql
        .push_str(",\n  pg_catalog.format_type(a.atttypid, a.atttypmod)");
    if show_column_details {
        // "pretty" mode for the expression avoids excessive parentheses.
        q.sql.push_str(concat!(
            ",\n  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)",
            "\n   FROM pg_catalog.pg_attrdef d",
            "\n   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef)",
            ",\n  a.attnotnull"
        ));
        q.attrdef = next();
        q.attnotnull = next();
        q.sql.push_str(concat!(
            ",\n  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t\n",
            "   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation"
        ));
        q.attcoll = next();
        q.sql.push_str(if sversion >= 100000 {
            ",\n  a.attidentity"
        } else {
            ",\n  ''::pg_catalog.char AS attidentity"
        });
        q.attidentity = next();
        q.sql.push_str(if sversion >= 120000 {
            ",\n  a.attgenerated"
        } else {
            ",\n  ''::pg_catalog.char AS attgenerated"
        });
        q.attgenerated = next();
    }
    if rk == RelKind::Index || rk == RelKind::PartitionedIndex {
        if sversion >= 110000 {
            q.sql.push_str(&format!(
                ",\n  CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE i.indexrelid = '{oid}') THEN 'yes' ELSE 'no' END AS is_key"
            ));
            q.isindexkey = next();
        }
        q.sql
            .push_str(",\n  pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE) AS indexdef");
        q.indexdef = next();
    }
    if rk == RelKind::ForeignTable {
        q.sql.push_str(concat!(
            ",\n  CASE WHEN attfdwoptions IS NULL THEN '' ELSE ",
            "  '(' || pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)  FROM ",
            "  pg_catalog.pg_options_to_table(attfdwoptions)), ', ') || ')' END AS attfdwoptions"
        ));
        q.fdwopts = next();
    }
    if verbose {
        q.sql.push_str(",\n  a.attstorage");
        q.attstorage = next();
        if sversion >= 140000
            && !ctx.settings().hide_compression
            && (rk == RelKind::Relation
                || rk == RelKind::PartitionedTable
                || rk == RelKind::MatView)
        {
            q.sql.push_str(",\n  a.attcompression AS attcompression");
            q.attcompression = next();
        }
        if [
            RelKind::Relation,
            RelKind::Index,
            RelKind::PartitionedIndex,
            RelKind::MatView,
            RelKind::ForeignTable,
            RelKind::PartitionedTable,
        ]
        .contains(&rk)
        {
            q.sql.push_str(",\n  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget");
            q.attstattarget = next();
        }
        // Column comments exist for relations, views, composite types and foreign tables (see
        // CommentObject() in the server's comment.c).
        if rk.has_column_details() {
            q.sql
                .push_str(",\n  pg_catalog.col_description(a.attrelid, a.attnum)");
            q.attdescr = next();
        }
    }
    q.sql.push_str("\nFROM pg_catalog.pg_attribute a");
    q.sql.push_str(&format!(
        "\nWHERE a.attrelid = '{oid}' AND a.attnum > 0 AND NOT a.attisdropped"
    ));
    q.sql.push_str("\nORDER BY a.attnum;");
    q
}

/// The title above the columns.
fn title(info: &TableInfo, schemaname: &str, relationname: &str) -> String {
    let unlogged = info.relpersistence == 'u';
    let kind = match info.relkind {
        RelKind::Relation if unlogged => "Unlogged table",
        RelKind::Relation => "Table",
        RelKind::View => "View",
        RelKind::MatView if unlogged => "Unlogged materialized view",
        RelKind::MatView => "Materialized view",
        RelKind::Index if unlogged => "Unlogged index",
        RelKind::Index => "Index",
        RelKind::PartitionedIndex if unlogged => "Unlogged partitioned index",
        RelKind::PartitionedIndex => "Partitioned index",
        RelKind::ToastValue => "TOAST table",
        RelKind::CompositeType => "Composite type",
        RelKind::ForeignTable => "Foreign table",
        RelKind::PartitionedTable if unlogged => "Unlogged partitioned table",
        RelKind::PartitionedTable => "Partitioned table",
        other => return format!("?{}? \"{schemaname}.{relationname}\"", other.code()),
    };
    format!("{kind} \"{schemaname}.{relationname}\"")
}

/// The body of `describeOneTableDetails`.
fn describe_one(
    ctx: &mut dyn Ctx,
    schemaname: &str,
    relationname: &str,
    oid: &str,
    verbose: bool,
) -> Result<(), Failed> {
    let info = table_info(ctx, oid, verbose)?;
    if info.relkind == RelKind::Sequence {
        return describe_sequence(ctx, schemaname, relationname, oid, &info);
    }

    let mut myopt = ctx.settings().popt.topt.clone();
    myopt.default_footer = false;
    // This output looks confusing in expanded mode.
    myopt.expanded = Expanded::Off;

    let show_column_details = info.relkind.has_column_details();
    let q = column_query(ctx, &info, oid, verbose, show_column_details);
    let res = exec(ctx, &q.sql)?;
    let numrows = res.ntuples();

    let mut cont = TableContent::new(Some(&title(&info, schemaname, relationname)), numrows);
    let mut headers = vec!["Column", "Type"];
    if show_column_details {
        headers.extend(["Collation", "Nullable", "Default"]);
    }
    for (col, header) in [
        (q.isindexkey, "Key?"),
        (q.indexdef, "Definition"),
        (q.fdwopts, "FDW options"),
        (q.attstorage, "Storage"),
        (q.attcompression, "Compression"),
        (q.attstattarget, "Stats target"),
        (q.attdescr, "Description"),
    ] {
        if col.is_some() {
            headers.push(header);
        }
    }
    for h in headers {
        cont.add_header(h, Align::Left);
    }

    for i in 0..numrows {
        let v = |col: Option<usize>| col.map_or("", |c| res.get_value(i, c));
        cont.add_cell(res.get_value(i, 0));
        cont.add_cell(res.get_value(i, 1));
        if show_column_details {
            cont.add_cell(v(q.attcoll));
            cont.add_cell(if v(q.attnotnull) == "t" {
                "not null"
            } else {
                ""
            });
            let identity = first_char(v(q.attidentity));
            let generated = first_char(v(q.attgenerated));
            let default = match (identity, generated) {
                ('a', _) => "generated always as identity".to_string(),
                ('d', _) => "generated by default as identity".to_string(),
                (_, 's') => format!("generated always as ({}) stored", v(q.attrdef)),
                _ => v(q.attrdef).to_string(),
            };
            cont.add_cell(&default);
        }
        if q.isindexkey.is_some() {
            cont.add_cell(v(q.isindexkey));
        }
        if q.indexdef.is_some() {
            cont.add_cell(v(q.indexdef));
        }
        if q.fdwopts.is_some() {
            cont.add_cell(v(q.fdwopts));
        }
        if q.attstorage.is_some() {
            // Literal in the SQL syntax, so not translated.
            cont.add_cell(match first_char(v(q.attstorage)) {
                'p' => "plain",
                'm' => "main",
                'x' => "extended",
                'e' => "external",
                _ => "???",
            });
        }
        if q.attcompression.is_some() {
            cont.add_cell(match first_char(v(q.attcompression)) {
                'p' => "pglz",
                'l' => "lz4",
                '\0' => "",
                _ => "???",
            });
        }
        if q.attstattarget.is_some() {
            cont.add_cell(v(q.attstattarget));
        }
        if q.attdescr.is_some() {
            cont.add_cell(v(q.attdescr));
        }
    }

    table_footers::add_footers(ctx, &mut cont, &info, schemaname, oid, verbose)?;

    ctx.print_table_opt(&cont, &myopt);
    Ok(())
}
