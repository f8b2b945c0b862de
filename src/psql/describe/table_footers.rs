//! The footers under `\d`'s column table (the second half of describe.c's `describeOneTableDetails`), in
//! psql's order: partition facts, the index summary or the table's dependent objects (built in
//! `table_objects`), view definition, triggers, then inheritance, storage and options.

use crate::output::content::TableContent;
use crate::psql::ctx::Ctx;
use crate::psql::describe::table_info::{
    add_tablespace_footer, exec, first_char, Failed, RelKind, TableInfo,
};
use crate::psql::describe::table_objects;

/// Add every footer for relation `oid` (see the module documentation).
pub(super) fn add_footers(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    info: &TableInfo,
    schemaname: &str,
    oid: &str,
    verbose: bool,
) -> Result<(), Failed> {
    let rk = info.relkind;
    if info.ispartition {
        partition_of(ctx, cont, oid, verbose)?;
    }
    if rk == RelKind::PartitionedTable {
        partition_key(ctx, cont, oid)?;
    }
    if rk == RelKind::ToastValue {
        toast_owner(ctx, cont, oid)?;
    }
    let table_like = [
        RelKind::Relation,
        RelKind::MatView,
        RelKind::ForeignTable,
        RelKind::PartitionedTable,
        RelKind::PartitionedIndex,
        RelKind::ToastValue,
    ]
    .contains(&rk);
    if rk == RelKind::Index || rk == RelKind::PartitionedIndex {
        index_summary(ctx, cont, info, schemaname, oid)?;
    } else if table_like {
        table_objects::indexes(ctx, cont, oid, info)?;
        table_objects::check_constraints(ctx, cont, oid, info)?;
        table_objects::foreign_keys(ctx, cont, oid, info)?;
        table_objects::policies(ctx, cont, oid, info)?;
        table_objects::statistics(ctx, cont, oid)?;
        table_objects::rules(ctx, cont, oid, info)?;
        table_objects::publications(ctx, cont, oid)?;
    }
    if (rk == RelKind::View || rk == RelKind::MatView) && verbose {
        table_objects::view_definition(ctx, cont, oid, info)?;
    }
    // User-defined triggers, of a table or a view.
    if info.hastriggers {
        table_objects::triggers(ctx, cont, oid)?;
    }
    if table_like {
        finish_table(ctx, cont, info, schemaname, oid, verbose)?;
    }
    if verbose && !info.reloptions.is_empty() {
        cont.add_footer(&format!("Options: {}", info.reloptions));
    }
    Ok(())
}

/// A partition's parent and bound (and with `+` its partition constraint).
fn partition_of(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
    verbose: bool,
) -> Result<(), Failed> {
    let mut sql = String::from(concat!(
        "SELECT inhparent::pg_catalog.regclass,\n",
        "  pg_catalog.pg_get_expr(c.relpartbound, c.oid),\n  "
    ));
    sql.push_str(if ctx.settings().sversion >= 140000 {
        "inhdetachpending"
    } else {
        "false as inhdetachpending"
    });
    if verbose {
        sql.push_str(",\n  pg_catalog.pg_get_partition_constraintdef(c.oid)");
    }
    sql.push_str(&format!(
        "\nFROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON c.oid = inhrelid\nWHERE c.oid = '{oid}';"
    ));
    let res = exec(ctx, &sql)?;
    if res.ntuples() > 0 {
        let detached = if res.get_value(0, 2) == "t" {
            " DETACH PENDING"
        } else {
            ""
        };
        cont.add_footer(&format!(
            "Partition of: {} {}{}",
            res.get_value(0, 0),
            res.get_value(0, 1),
            detached
        ));
        if verbose {
            // No constraint at all is said explicitly.
            match res.get(0, 3).filter(|d| !d.is_empty()) {
                Some(def) => cont.add_footer(&format!("Partition constraint: {def}")),
                None => cont.add_footer("No partition constraint"),
            }
        }
    }
    Ok(())
}

/// A partitioned table's partition key.
fn partition_key(ctx: &mut dyn Ctx, cont: &mut TableContent, oid: &str) -> Result<(), Failed> {
    let res = exec(
        ctx,
        &format!("SELECT pg_catalog.pg_get_partkeydef('{oid}'::pg_catalog.oid);"),
    )?;
    if res.ntuples() == 1 {
        cont.add_footer(&format!("Partition key: {}", res.get_value(0, 0)));
    }
    Ok(())
}

/// The table a TOAST table belongs to.
fn toast_owner(ctx: &mut dyn Ctx, cont: &mut TableContent, oid: &str) -> Result<(), Failed> {
    let res = exec(
        ctx,
        &format!(
            "SELECT n.nspname, c.relname\nFROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\nWHERE reltoastrelid = '{oid}';"
        ),
    )?;
    if res.ntuples() == 1 {
        cont.add_footer(&format!(
            "Owning table: \"{}.{}\"",
            res.get_value(0, 0),
            res.get_value(0, 1)
        ));
    }
    Ok(())
}

/// An index's one-line summary: kind, access method, table, predicate and flags.
fn index_summary(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    info: &TableInfo,
    schemaname: &str,
    oid: &str,
) -> Result<(), Failed> {
    let sversion = ctx.settings().sversion;
    let mut sql = String::from(concat!(
        "SELECT i.indisunique, i.indisprimary, i.indisclustered, ",
        "i.indisvalid,\n",
        "  (NOT i.indimmediate) AND ",
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint ",
        "WHERE conrelid = i.indrelid AND ",
        "conindid = i.indexrelid AND ",
        "contype IN ('p','u','x') AND ",
        "condeferrable) AS condeferrable,\n",
        "  (NOT i.indimmediate) AND ",
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint ",
        "WHERE conrelid = i.indrelid AND ",
        "conindid = i.indexrelid AND ",
        "contype IN ('p','u','x') AND ",
        "condeferred) AS condeferred,\n"
    ));
    sql.push_str(if sversion >= 90400 {
        "i.indisreplident,\n"
    } else {
        "false AS indisreplident,\n"
    });
    sql.push_str(if sversion >= 150000 {
        "i.indnullsnotdistinct,\n"
    } else {
        "false AS indnullsnotdistinct,\n"
    });
    sql.push_str(&format!(
        concat!(
            "  a.amname, c2.relname, ",
            "pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)\n",
            "FROM pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_am a\n",
            "WHERE i.indexrelid = c.oid AND c.oid = '{}' AND c.relam = a.oid\n",
            "AND i.indrelid = c2.oid;"
        ),
        oid
    ));
    let res = exec(ctx, &sql)?;
    if res.ntuples() != 1 {
        return Err(Failed);
    }
    let t = |col| res.get_value(0, col) == "t";
    let mut line = if t(1) {
        "primary key, ".to_string()
    } else if t(0) {
        let mut s = "unique".to_string();
        if t(7) {
            s.push_str(" nulls not distinct");
        }
        s.push_str(", ");
        s
    } else {
        String::new()
    };
    line.push_str(&format!("{}, ", res.get_value(0, 8)));
    // The index and its table are assumed to be in the same schema.
    line.push_str(&format!(
        "for table \"{schemaname}.{}\"",
        res.get_value(0, 9)
    ));
    let indpred = res.get_value(0, 10);
    if !indpred.is_empty() {
        line.push_str(&format!(", predicate ({indpred})"));
    }
    for (col, set, text) in [
        (2, true, ", clustered"),
        (3, false, ", invalid"),
        (4, true, ", deferrable"),
        (5, true, ", initially deferred"),
        (6, true, ", replica identity"),
    ] {
        if t(col) == set {
            line.push_str(text);
        }
    }
    cont.add_footer(&line);
    // A partitioned index's tablespace is printed with the other table-like footers.
    if info.relkind == RelKind::Index {
        add_tablespace_footer(ctx, cont, info.relkind, info.tablespace, true);
    }
    Ok(())
}

/// `Inherits: a,` then the other parents aligned under the first.
fn aligned_list(label: &str, index: usize, item: &str) -> String {
    if index == 0 {
        format!("{label}: {item}")
    } else {
        // The label's display width: psql's labels are ASCII, so its length.
        format!("{:width$}  {item}", "", width = label.len())
    }
}

/// The footers every table-like relation ends with: foreign server, parents, children, typed table,
/// replica identity, OIDs, tablespace and access method.
fn finish_table(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    info: &TableInfo,
    schemaname: &str,
    oid: &str,
    verbose: bool,
) -> Result<(), Failed> {
    let sversion = ctx.settings().sversion;
    let rk = info.relkind;
    let is_partitioned = rk == RelKind::PartitionedTable || rk == RelKind::PartitionedIndex;

    if rk == RelKind::ForeignTable {
        let res = exec(
            ctx,
            &format!(
                concat!(
                    "SELECT s.srvname,\n",
                    "  pg_catalog.array_to_string(ARRAY(\n",
                    "    SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)\n",
                    "    FROM pg_catalog.pg_options_to_table(ftoptions)),  ', ')\n",
                    "FROM pg_catalog.pg_foreign_table f,\n",
                    "     pg_catalog.pg_foreign_server s\n",
                    "WHERE f.ftrelid = '{}' AND s.oid = f.ftserver;"
                ),
                oid
            ),
        )?;
        if res.ntuples() != 1 {
            return Err(Failed);
        }
        cont.add_footer(&format!("Server: {}", res.get_value(0, 0)));
        let ftoptions = res.get_value(0, 1);
        if !ftoptions.is_empty() {
            cont.add_footer(&format!("FDW options: ({ftoptions})"));
        }
    }

    // Parents, except partitioned ones (a partition's parent was shown above).
    let res = exec(
        ctx,
        &format!(
            concat!(
                "SELECT c.oid::pg_catalog.regclass\n",
                "FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\n",
                "WHERE c.oid = i.inhparent AND i.inhrelid = '{}'\n",
                "  AND c.relkind != 'p' AND c.relkind != 'I'\n",
                "ORDER BY inhseqno;"
            ),
            oid
        ),
    )?;
    let tuples = res.ntuples();
    for i in 0..tuples {
        let mut line = aligned_list("Inherits", i, res.get_value(i, 0));
        if i + 1 < tuples {
            line.push(',');
        }
        cont.add_footer(&line);
    }

    // Children, with their bounds when they are partitions.
    let sql = if sversion >= 140000 {
        format!(
            concat!(
                "SELECT c.oid::pg_catalog.regclass, c.relkind,",
                " inhdetachpending,",
                " pg_catalog.pg_get_expr(c.relpartbound, c.oid)\n",
                "FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\n",
                "WHERE c.oid = i.inhrelid AND i.inhparent = '{}'\n",
                "ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT',",
                " c.oid::pg_catalog.regclass::pg_catalog.text;"
            ),
            oid
        )
    } else if sversion >= 100000 {
        format!(
            concat!(
                "SELECT c.oid::pg_catalog.regclass, c.relkind,",
                " false AS inhdetachpending,",
                " pg_catalog.pg_get_expr(c.relpartbound, c.oid)\n",
                "FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\n",
                "WHERE c.oid = i.inhrelid AND i.inhparent = '{}'\n",
                "ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT',",
                " c.oid::pg_catalog.regclass::pg_catalog.text;"
            ),
            oid
        )
    } else {
        format!(
            concat!(
                "SELECT c.oid::pg_catalog.regclass, c.relkind,",
                " false AS inhdetachpending, NULL\n",
                "FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\n",
                "WHERE c.oid = i.inhrelid AND i.inhparent = '{}'\n",
                "ORDER BY c.oid::pg_catalog.regclass::pg_catalog.text;"
            ),
            oid
        )
    };
    let res = exec(ctx, &sql)?;
    let tuples = res.ntuples();
    if is_partitioned && tuples == 0 {
        // Said even with `+`, or a partitioned table without partitions would show nothing.
        cont.add_footer("Number of partitions: 0");
    } else if !verbose {
        if tuples > 0 {
            cont.add_footer(&if is_partitioned {
                format!("Number of partitions: {tuples} (Use \\d+ to list them.)")
            } else {
                format!("Number of child tables: {tuples} (Use \\d+ to list them.)")
            });
        }
    } else {
        let label = if is_partitioned {
            "Partitions"
        } else {
            "Child tables"
        };
        for i in 0..tuples {
            let mut line = aligned_list(label, i, res.get_value(i, 0));
            if let Some(bound) = res.get(i, 3) {
                line.push(' ');
                line.push_str(bound);
            }
            let child_kind = RelKind::of(first_char(res.get_value(i, 1)));
            if child_kind == RelKind::PartitionedTable || child_kind == RelKind::PartitionedIndex {
                line.push_str(", PARTITIONED");
            }
            if res.get_value(i, 2) == "t" {
                line.push_str(" (DETACH PENDING)");
            }
            if i + 1 < tuples {
                line.push(',');
            }
            cont.add_footer(&line);
        }
    }

    if let Some(reloftype) = &info.reloftype {
        cont.add_footer(&format!("Typed table of type: {reloftype}"));
    }

    // Default replica identities are not shown; an index one is marked on the index line.
    let ident = info.relreplident;
    let in_catalog = schemaname == "pg_catalog";
    if verbose
        && (rk == RelKind::Relation || rk == RelKind::MatView)
        && ident != 'i'
        && ((!in_catalog && ident != 'd') || (in_catalog && ident != 'n'))
    {
        let what = match ident {
            'f' => "FULL",
            'n' => "NOTHING",
            _ => "???",
        };
        cont.add_footer(&format!("Replica Identity: {what}"));
    }

    if verbose && rk != RelKind::MatView && info.hasoids {
        cont.add_footer("Has OIDs: yes");
    }

    add_tablespace_footer(ctx, cont, rk, info.tablespace, true);

    if verbose && !ctx.settings().hide_tableam {
        if let Some(am) = &info.relam {
            cont.add_footer(&format!("Access method: {am}"));
        }
    }
    Ok(())
}
