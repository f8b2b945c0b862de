//! The footers of `\d` that list objects hanging off a relation (part of describe.c's
//! `describeOneTableDetails`): indexes, check and foreign-key constraints, referencing tables, row-level
//! security policies, statistics objects, rules, publications, a view's definition, and triggers.

use crate::output::content::TableContent;
use crate::psql::ctx::Ctx;
use crate::psql::describe::table_info::{
    add_tablespace_footer, exec, first_char, Failed, RelKind, TableInfo,
};

/// `rest` after the first `needle` (C's `strstr` + skip), or all of it when `needle` is absent.
fn after<'a>(text: &'a str, needle: &str) -> &'a str {
    text.find(needle)
        .map_or(text, |p| &text[p + needle.len()..])
}

/// The text after `CREATE RULE ` (psql skips its 12 bytes blindly).
fn rule_body(ruledef: &str) -> &str {
    ruledef.get(12..).unwrap_or("")
}

/// `Indexes:` with one line per index.
pub(super) fn indexes(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
    info: &TableInfo,
) -> Result<(), Failed> {
    if !info.hasindex {
        return Ok(());
    }
    let mut sql = String::from(concat!(
        "SELECT c2.relname, i.indisprimary, i.indisunique, ",
        "i.indisclustered, i.indisvalid, ",
        "pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),\n  ",
        "pg_catalog.pg_get_constraintdef(con.oid, true), ",
        "contype, condeferrable, condeferred"
    ));
    sql.push_str(if ctx.settings().sversion >= 90400 {
        ", i.indisreplident"
    } else {
        ", false AS indisreplident"
    });
    sql.push_str(", c2.reltablespace");
    sql.push_str(&format!(
        concat!(
            "\nFROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i\n",
            "  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))\n",
            "WHERE c.oid = '{}' AND c.oid = i.indrelid AND i.indexrelid = c2.oid\n",
            "ORDER BY i.indisprimary DESC, c2.relname;"
        ),
        oid
    ));
    let res = exec(ctx, &sql)?;
    if res.ntuples() > 0 {
        cont.add_footer("Indexes:");
    }
    for i in 0..res.ntuples() {
        let t = |col| res.get_value(i, col) == "t";
        let mut line = format!("    \"{}\"", res.get_value(i, 0));
        if res.get_value(i, 7) == "x" {
            // An exclusion constraint: its definition says it all.
            line.push_str(&format!(" {}", res.get_value(i, 6)));
        } else {
            // Primary key or unique, not both.
            if t(1) {
                line.push_str(" PRIMARY KEY,");
            } else if t(2) {
                if res.get_value(i, 7) == "u" {
                    line.push_str(" UNIQUE CONSTRAINT,");
                } else {
                    line.push_str(" UNIQUE,");
                }
            }
            // Everything after "USING" is echoed verbatim.
            line.push_str(&format!(" {}", after(res.get_value(i, 5), " USING ")));
            if t(8) {
                line.push_str(" DEFERRABLE");
            }
            if t(9) {
                line.push_str(" INITIALLY DEFERRED");
            }
        }
        if t(3) {
            line.push_str(" CLUSTER");
        }
        if !t(4) {
            line.push_str(" INVALID");
        }
        if t(10) {
            line.push_str(" REPLICA IDENTITY");
        }
        cont.add_footer(&line);
        // The index's tablespace goes on the same line.
        let tablespace = res.get_value(i, 11).parse().unwrap_or(0);
        add_tablespace_footer(ctx, cont, RelKind::Index, tablespace, false);
    }
    Ok(())
}

/// `Check constraints:` (of the table and its columns).
pub(super) fn check_constraints(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
    info: &TableInfo,
) -> Result<(), Failed> {
    if info.checks == 0 {
        return Ok(());
    }
    let res = exec(
        ctx,
        &format!(
            concat!(
                "SELECT r.conname, ",
                "pg_catalog.pg_get_constraintdef(r.oid, true)\n",
                "FROM pg_catalog.pg_constraint r\n",
                "WHERE r.conrelid = '{}' AND r.contype = 'c'\n",
                "ORDER BY 1;"
            ),
            oid
        ),
    )?;
    if res.ntuples() > 0 {
        cont.add_footer("Check constraints:");
    }
    for i in 0..res.ntuples() {
        cont.add_footer(&format!(
            "    \"{}\" {}",
            res.get_value(i, 0),
            res.get_value(i, 1)
        ));
    }
    Ok(())
}

/// `Foreign-key constraints:` then `Referenced by:`. Without triggers there are none, except on a
/// partitioned table, whose foreign-key triggers live in its partitions.
pub(super) fn foreign_keys(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
    info: &TableInfo,
) -> Result<(), Failed> {
    if !(info.hastriggers || info.relkind == RelKind::PartitionedTable) {
        return Ok(());
    }
    let sversion = ctx.settings().sversion;
    let sql =
        if sversion >= 120000 && (info.ispartition || info.relkind == RelKind::PartitionedTable) {
            // The table's own constraints first, then those of its ancestors.
            format!(
                concat!(
                    "SELECT conrelid = '{0}'::pg_catalog.regclass AS sametable,\n",
                    "       conname,\n",
                    "       pg_catalog.pg_get_constraintdef(oid, true) AS condef,\n",
                    "       conrelid::pg_catalog.regclass AS ontable\n",
                    "  FROM pg_catalog.pg_constraint,\n",
                    "       pg_catalog.pg_partition_ancestors('{0}')\n",
                    " WHERE conrelid = relid AND contype = 'f' AND conparentid = 0\n",
                    "ORDER BY sametable DESC, conname;"
                ),
                oid
            )
        } else {
            let mut sql = format!(
                concat!(
                    "SELECT true as sametable, conname,\n",
                    "  pg_catalog.pg_get_constraintdef(r.oid, true) as condef,\n",
                    "  conrelid::pg_catalog.regclass AS ontable\n",
                    "FROM pg_catalog.pg_constraint r\n",
                    "WHERE r.conrelid = '{}' AND r.contype = 'f'\n"
                ),
                oid
            );
            if sversion >= 120000 {
                sql.push_str("     AND conparentid = 0\n");
            }
            sql.push_str("ORDER BY conname");
            sql
        };
    let res = exec(ctx, &sql)?;
    if res.ntuples() > 0 {
        let col = |name| res.fnumber(name).unwrap_or(usize::MAX);
        let (sametable, conname, condef, ontable) = (
            col("sametable"),
            col("conname"),
            col("condef"),
            col("ontable"),
        );
        cont.add_footer("Foreign-key constraints:");
        for i in 0..res.ntuples() {
            // A constraint inherited from a partitioned ancestor names the table it is defined on.
            let line = if res.get_value(i, sametable) == "f" {
                format!(
                    "    TABLE \"{}\" CONSTRAINT \"{}\" {}",
                    res.get_value(i, ontable),
                    res.get_value(i, conname),
                    res.get_value(i, condef)
                )
            } else {
                format!(
                    "    \"{}\" {}",
                    res.get_value(i, conname),
                    res.get_value(i, condef)
                )
            };
            cont.add_footer(&line);
        }
    }

    let sql = if sversion >= 120000 {
        format!(
            concat!(
                "SELECT conname, conrelid::pg_catalog.regclass AS ontable,\n",
                "       pg_catalog.pg_get_constraintdef(oid, true) AS condef\n",
                "  FROM pg_catalog.pg_constraint c\n",
                " WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('{0}')\n",
                "                     UNION ALL VALUES ('{0}'::pg_catalog.regclass))\n",
                "       AND contype = 'f' AND conparentid = 0\n",
                "ORDER BY conname;"
            ),
            oid
        )
    } else {
        format!(
            concat!(
                "SELECT conname, conrelid::pg_catalog.regclass AS ontable,\n",
                "       pg_catalog.pg_get_constraintdef(oid, true) AS condef\n",
                "  FROM pg_catalog.pg_constraint\n",
                " WHERE confrelid = {} AND contype = 'f'\n",
                "ORDER BY conname;"
            ),
            oid
        )
    };
    let res = exec(ctx, &sql)?;
    if res.ntuples() > 0 {
        let col = |name| res.fnumber(name).unwrap_or(usize::MAX);
        let (conname, ontable, condef) = (col("conname"), col("ontable"), col("condef"));
        cont.add_footer("Referenced by:");
        for i in 0..res.ntuples() {
            cont.add_footer(&format!(
                "    TABLE \"{}\" CONSTRAINT \"{}\" {}",
                res.get_value(i, ontable),
                res.get_value(i, conname),
                res.get_value(i, condef)
            ));
        }
    }
    Ok(())
}

/// Row-level security: whether it is enabled or forced, and the policies.
pub(super) fn policies(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
    info: &TableInfo,
) -> Result<(), Failed> {
    let sversion = ctx.settings().sversion;
    if sversion < 90500 {
        return Ok(());
    }
    let mut sql = String::from("SELECT pol.polname,");
    sql.push_str(if sversion >= 100000 {
        " pol.polpermissive,\n"
    } else {
        " 't' as polpermissive,\n"
    });
    sql.push_str(&format!(
        concat!(
            "  CASE WHEN pol.polroles = '{{0}}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,\n",
            "  pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),\n",
            "  pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),\n",
            "  CASE pol.polcmd\n",
            "    WHEN 'r' THEN 'SELECT'\n",
            "    WHEN 'a' THEN 'INSERT'\n",
            "    WHEN 'w' THEN 'UPDATE'\n",
            "    WHEN 'd' THEN 'DELETE'\n",
            "    END AS cmd\n",
            "FROM pg_catalog.pg_policy pol\n",
            "WHERE pol.polrelid = '{}' ORDER BY 1;"
        ),
        oid
    ));
    let res = exec(ctx, &sql)?;
    let tuples = res.ntuples();
    let heading = match (info.rowsecurity, info.forcerowsecurity, tuples > 0) {
        (true, false, true) => Some("Policies:"),
        (true, true, true) => Some("Policies (forced row security enabled):"),
        (true, false, false) => Some("Policies (row security enabled): (none)"),
        (true, true, false) => Some("Policies (forced row security enabled): (none)"),
        (false, _, true) => Some("Policies (row security disabled):"),
        (false, _, false) => None,
    };
    if let Some(h) = heading {
        cont.add_footer(h);
    }
    for i in 0..tuples {
        let mut line = format!("    POLICY \"{}\"", res.get_value(i, 0));
        if first_char(res.get_value(i, 1)) == 'f' {
            line.push_str(" AS RESTRICTIVE");
        }
        if let Some(cmd) = res.get(i, 5) {
            line.push_str(&format!(" FOR {cmd}"));
        }
        if let Some(roles) = res.get(i, 2) {
            line.push_str(&format!("\n      TO {roles}"));
        }
        if let Some(qual) = res.get(i, 3) {
            line.push_str(&format!("\n      USING ({qual})"));
        }
        if let Some(check) = res.get(i, 4) {
            line.push_str(&format!("\n      WITH CHECK ({check})"));
        }
        cont.add_footer(&line);
    }
    Ok(())
}

/// `Statistics objects:` (extended statistics on the table).
pub(super) fn statistics(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
) -> Result<(), Failed> {
    let sversion = ctx.settings().sversion;
    if sversion < 100000 {
        return Ok(());
    }
    let sql = if sversion >= 140000 {
        format!(
            concat!(
                "SELECT oid, ",
                "stxrelid::pg_catalog.regclass, ",
                "stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, ",
                "stxname,\n",
                "pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,\n",
                "  'd' = any(stxkind) AS ndist_enabled,\n",
                "  'f' = any(stxkind) AS deps_enabled,\n",
                "  'm' = any(stxkind) AS mcv_enabled,\n",
                "stxstattarget\n",
                "FROM pg_catalog.pg_statistic_ext\n",
                "WHERE stxrelid = '{}'\n",
                "ORDER BY nsp, stxname;"
            ),
            oid
        )
    } else {
        let mut sql = String::from(concat!(
            "SELECT oid, ",
            "stxrelid::pg_catalog.regclass, ",
            "stxnamespace::pg_catalog.regnamespace AS nsp, ",
            "stxname,\n",
            "  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(attname),', ')\n",
            "   FROM pg_catalog.unnest(stxkeys) s(attnum)\n",
            "   JOIN pg_catalog.pg_attribute a ON (stxrelid = a.attrelid AND\n",
            "        a.attnum = s.attnum AND NOT attisdropped)) AS columns,\n",
            "  'd' = any(stxkind) AS ndist_enabled,\n",
            "  'f' = any(stxkind) AS deps_enabled,\n",
            "  'm' = any(stxkind) AS mcv_enabled,\n"
        ));
        sql.push_str(if sversion >= 130000 {
            "  stxstattarget\n"
        } else {
            "  -1 AS stxstattarget\n"
        });
        sql.push_str(&format!(
            "FROM pg_catalog.pg_statistic_ext\nWHERE stxrelid = '{oid}'\nORDER BY 1;"
        ));
        sql
    };
    let res = exec(ctx, &sql)?;
    if res.ntuples() > 0 {
        cont.add_footer("Statistics objects:");
    }
    for i in 0..res.ntuples() {
        let ndistinct = res.get_value(i, 5) == "t";
        let dependencies = res.get_value(i, 6) == "t";
        let mcv = res.get_value(i, 7) == "t";
        let kinds: Vec<&str> = [
            (ndistinct, "ndistinct"),
            (dependencies, "dependencies"),
            (mcv, "mcv"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect();
        let mut line = format!("    \"{}.{}\"", res.get_value(i, 2), res.get_value(i, 3));
        if sversion >= 140000 {
            // Expression statistics are internal and never listed. No kinds means statistics on a single
            // expression, all kinds is taken as CREATE STATISTICS's default: neither is spelled out.
            if !kinds.is_empty() && kinds.len() < 3 {
                line.push_str(&format!(" ({})", kinds.join(", ")));
            }
            line.push_str(" ON ");
        } else {
            line.push_str(&format!(" ({}) ON ", kinds.join(", ")));
        }
        line.push_str(&format!(
            "{} FROM {}",
            res.get_value(i, 4),
            res.get_value(i, 1)
        ));
        // The statistics target, when not the default.
        let target = res.get_value(i, 8);
        if target != "-1" {
            line.push_str(&format!("; STATISTICS {target}"));
        }
        cont.add_footer(&line);
    }
    Ok(())
}

/// A table's rules, grouped as enabled, disabled, firing always and firing on replicas only (a
/// materialized view's rule is its definition, not listed).
pub(super) fn rules(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
    info: &TableInfo,
) -> Result<(), Failed> {
    if !info.hasrules || info.relkind == RelKind::MatView {
        return Ok(());
    }
    let res = exec(
        ctx,
        &format!(
            concat!(
                "SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true)), ",
                "ev_enabled\n",
                "FROM pg_catalog.pg_rewrite r\n",
                "WHERE r.ev_class = '{}' ORDER BY 1;"
            ),
            oid
        ),
    )?;
    for (enabled, heading) in [
        ('O', "Rules:"),
        ('D', "Disabled rules:"),
        ('A', "Rules firing always:"),
        ('R', "Rules firing on replica only:"),
    ] {
        let mut have_heading = false;
        for i in 0..res.ntuples() {
            if first_char(res.get_value(i, 2)) != enabled {
                continue;
            }
            if !have_heading {
                cont.add_footer(heading);
                have_heading = true;
            }
            cont.add_footer(&format!("    {}", rule_body(res.get_value(i, 1))));
        }
    }
    Ok(())
}

/// `Publications:` the table is published in, with each one's column list and row filter.
pub(super) fn publications(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
) -> Result<(), Failed> {
    let sversion = ctx.settings().sversion;
    if sversion < 100000 {
        return Ok(());
    }
    let sql = if sversion >= 150000 {
        format!(
            concat!(
                "SELECT pubname\n",
                "     , NULL\n",
                "     , NULL\n",
                "FROM pg_catalog.pg_publication p\n",
                "     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n",
                "     JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid\n",
                "WHERE pc.oid ='{0}' and pg_catalog.pg_relation_is_publishable('{0}')\n",
                "UNION\n",
                "SELECT pubname\n",
                "     , pg_get_expr(pr.prqual, c.oid)\n",
                "     , (CASE WHEN pr.prattrs IS NOT NULL THEN\n",
                "         (SELECT string_agg(attname, ', ')\n",
                "           FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,\n",
                "                pg_catalog.pg_attribute\n",
                "          WHERE attrelid = pr.prrelid AND attnum = prattrs[s])\n",
                "        ELSE NULL END) ",
                "FROM pg_catalog.pg_publication p\n",
                "     JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid\n",
                "     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid\n",
                "WHERE pr.prrelid = '{0}'\n",
                "UNION\n",
                "SELECT pubname\n",
                "     , NULL\n",
                "     , NULL\n",
                "FROM pg_catalog.pg_publication p\n",
                "WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('{0}')\n",
                "ORDER BY 1;"
            ),
            oid
        )
    } else {
        format!(
            concat!(
                "SELECT pubname\n",
                "     , NULL\n",
                "     , NULL\n",
                "FROM pg_catalog.pg_publication p\n",
                "JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid\n",
                "WHERE pr.prrelid = '{0}'\n",
                "UNION ALL\n",
                "SELECT pubname\n",
                "     , NULL\n",
                "     , NULL\n",
                "FROM pg_catalog.pg_publication p\n",
                "WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('{0}')\n",
                "ORDER BY 1;"
            ),
            oid
        )
    };
    let res = exec(ctx, &sql)?;
    if res.ntuples() > 0 {
        cont.add_footer("Publications:");
    }
    for i in 0..res.ntuples() {
        let mut line = format!("    \"{}\"", res.get_value(i, 0));
        if let Some(columns) = res.get(i, 2) {
            line.push_str(&format!(" ({columns})"));
        }
        if let Some(filter) = res.get(i, 1) {
            line.push_str(&format!(" WHERE {filter}"));
        }
        cont.add_footer(&line);
    }
    Ok(())
}

/// `View definition:` and the view's rules other than the one that makes it a view.
pub(super) fn view_definition(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
    info: &TableInfo,
) -> Result<(), Failed> {
    let res = exec(
        ctx,
        &format!("SELECT pg_catalog.pg_get_viewdef('{oid}'::pg_catalog.oid, true);"),
    )?;
    if res.ntuples() == 0 {
        return Ok(());
    }
    cont.add_footer("View definition:");
    cont.add_footer(res.get_value(0, 0));
    if info.hasrules {
        let res = exec(
            ctx,
            &format!(
                concat!(
                    "SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true))\n",
                    "FROM pg_catalog.pg_rewrite r\n",
                    "WHERE r.ev_class = '{}' AND r.rulename != '_RETURN' ORDER BY 1;"
                ),
                oid
            ),
        )?;
        if res.ntuples() > 0 {
            cont.add_footer("Rules:");
            for i in 0..res.ntuples() {
                cont.add_footer(&format!(" {}", rule_body(res.get_value(i, 1))));
            }
        }
    }
    Ok(())
}

/// User-defined triggers (and disabled internal ones), grouped by how they fire; an inherited trigger
/// names the table it comes from.
pub(super) fn triggers(
    ctx: &mut dyn Ctx,
    cont: &mut TableContent,
    oid: &str,
) -> Result<(), Failed> {
    let sversion = ctx.settings().sversion;
    let mut sql = String::from(concat!(
        "SELECT t.tgname, ",
        "pg_catalog.pg_get_triggerdef(t.oid, true), ",
        "t.tgenabled, t.tgisinternal,\n"
    ));
    // The topmost table an inherited trigger comes from: parent triggers are assumed to match by name,
    // and the first one without a parent in partition-ancestry order is the one (there is no tgparentid
    // before 13).
    sql.push_str(if sversion >= 130000 {
        concat!(
            "  CASE WHEN t.tgparentid != 0 THEN\n",
            "    (SELECT u.tgrelid::pg_catalog.regclass\n",
            "     FROM pg_catalog.pg_trigger AS u,\n",
            "          pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS a(relid, depth)\n",
            "     WHERE u.tgname = t.tgname AND u.tgrelid = a.relid\n",
            "           AND u.tgparentid = 0\n",
            "     ORDER BY a.depth LIMIT 1)\n",
            "  END AS parent\n"
        )
    } else {
        "  NULL AS parent\n"
    });
    sql.push_str(&format!(
        "FROM pg_catalog.pg_trigger t\nWHERE t.tgrelid = '{oid}' AND "
    ));
    // Servers 11 to 14 mark partitions' inherited triggers internal, yet they must be shown: they are
    // the ones depending on another trigger.
    sql.push_str(if (110000..150000).contains(&sversion) {
        concat!(
            "(NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D') \n",
            "    OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend WHERE objid = t.oid \n",
            "        AND refclassid = 'pg_catalog.pg_trigger'::pg_catalog.regclass))"
        )
    } else {
        // Disabled internal triggers are shown, as a warning.
        "(NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))"
    });
    sql.push_str("\nORDER BY 1;");
    let res = exec(ctx, &sql)?;

    type Category = fn(char, char) -> bool;
    let categories: [(&str, Category); 5] = [
        ("Triggers:", |e, _| e == 'O' || e == 't'),
        ("Disabled user triggers:", |e, internal| {
            (e == 'D' || e == 'f') && internal == 'f'
        }),
        ("Disabled internal triggers:", |e, internal| {
            (e == 'D' || e == 'f') && internal == 't'
        }),
        ("Triggers firing always:", |e, _| e == 'A'),
        ("Triggers firing on replica only:", |e, _| e == 'R'),
    ];
    for (heading, belongs) in categories {
        let mut have_heading = false;
        for i in 0..res.ntuples() {
            let enabled = first_char(res.get_value(i, 2));
            let internal = first_char(res.get_value(i, 3));
            if !belongs(enabled, internal) {
                continue;
            }
            if !have_heading {
                cont.add_footer(heading);
                have_heading = true;
            }
            // Everything after "TRIGGER" is echoed verbatim.
            let mut line = format!("    {}", after(res.get_value(i, 1), " TRIGGER "));
            if let Some(parent) = res.get(i, 4) {
                line.push_str(&format!(", ON TABLE {parent}"));
            }
            cont.add_footer(&line);
        }
    }
    Ok(())
}
