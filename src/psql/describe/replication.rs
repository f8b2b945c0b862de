//! Logical replication: `\dRp` (publications), `\dRp+` (each publication with its tables and schemas) and
//! `\dRs` (subscriptions) — psql's `listPublications`, `describePublications` and
//! `describeSubscriptions`.

use crate::output::content::{Align, TableContent};
use crate::psql::ctx::Ctx;
use crate::psql::describe::listing::{not_supported, pq, query_opt, PSQL17};
use crate::psql::describe::validate_sql_name_pattern;

/// `\dRp [pattern]` (10 and later).
pub fn list_publications(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let sversion = ctx.settings().sversion;
    if sversion < 100000 {
        return not_supported(ctx, "publications");
    }
    let mut buf = String::from(concat!(
        "SELECT pubname AS \"Name\",\n",
        "  pg_catalog.pg_get_userbyid(pubowner) AS \"Owner\",\n",
        "  puballtables AS \"All tables\",\n",
        "  pubinsert AS \"Inserts\",\n",
        "  pubupdate AS \"Updates\",\n",
        "  pubdelete AS \"Deletes\"",
    ));
    if sversion >= 110000 {
        buf.push_str(",\n  pubtruncate AS \"Truncates\"");
    }
    if sversion >= 130000 {
        buf.push_str(",\n  pubviaroot AS \"Via root\"");
    }
    buf.push_str("\nFROM pg_catalog.pg_publication\n");
    let q = pq(false, false, None, "pubname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of publications", &[false; 8]);
    ctx.print_query(&res, &opt);
    true
}

/// `addFooterToPublicationDesc`: run `sql` and, when it finds anything, add `footermsg` and one footer line
/// per row — a schema name, or a table with its column list and row filter. `false` if the query failed.
fn add_publication_footer(
    ctx: &mut dyn Ctx,
    sql: &str,
    footermsg: &str,
    as_schema: bool,
    cont: &mut TableContent,
) -> bool {
    let Some(res) = ctx.exec(sql) else {
        return false;
    };
    if res.ntuples() > 0 {
        cont.add_footer(footermsg);
    }
    for i in 0..res.ntuples() {
        let line = if as_schema {
            format!("    \"{}\"", res.get_value(i, 0))
        } else {
            let mut line = format!("    \"{}.{}\"", res.get_value(i, 0), res.get_value(i, 1));
            if let Some(columns) = res.get(i, 3) {
                line.push_str(&format!(" ({columns})"));
            }
            if let Some(filter) = res.get(i, 2) {
                line.push_str(&format!(" WHERE {filter}"));
            }
            line
        };
        cont.add_footer(&line);
    }
    true
}

/// `\dRp+ [pattern]`: one table per publication, with what it publishes as footers.
pub fn describe_publications(ctx: &mut dyn Ctx, pattern: Option<&str>) -> bool {
    let sversion = ctx.settings().sversion;
    if sversion < 100000 {
        return not_supported(ctx, "publications");
    }
    let has_pubtruncate = sversion >= 110000;
    let has_pubviaroot = sversion >= 130000;
    let mut buf = String::from(concat!(
        "SELECT oid, pubname,\n",
        "  pg_catalog.pg_get_userbyid(pubowner) AS owner,\n",
        "  puballtables, pubinsert, pubupdate, pubdelete",
    ));
    if has_pubtruncate {
        buf.push_str(", pubtruncate");
    }
    if has_pubviaroot {
        buf.push_str(", pubviaroot");
    }
    buf.push_str("\nFROM pg_catalog.pg_publication\n");
    let q = pq(false, false, None, "pubname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 2;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    if res.ntuples() == 0 {
        if !ctx.settings().quiet {
            match pattern {
                Some(p) => ctx.error(&format!("Did not find any publication named \"{p}\".")),
                None => ctx.error("Did not find any publications."),
            }
        }
        return false;
    }

    let mut headers = vec!["Owner", "All tables", "Inserts", "Updates", "Deletes"];
    // Columns 2..=6 of the query, then the optional ones in the same order as their headers.
    let mut columns = vec![2, 3, 4, 5, 6];
    if has_pubtruncate {
        headers.push("Truncates");
        columns.push(7);
    }
    if has_pubviaroot {
        headers.push("Via root");
        columns.push(8);
    }
    for i in 0..res.ntuples() {
        let pubid = res.get_value(i, 0);
        let pubname = res.get_value(i, 1);
        let puballtables = res.get_value(i, 3) == "t";
        let title = format!("Publication {pubname}");
        let mut cont = TableContent::new(Some(&title), 1);
        for header in &headers {
            cont.add_header(header, Align::Left);
        }
        for &col in &columns {
            cont.add_cell(res.get_value(i, col));
        }
        if !puballtables {
            let mut sql = String::from("SELECT n.nspname, c.relname");
            if sversion >= 150000 {
                sql.push_str(", pg_get_expr(pr.prqual, c.oid)");
                sql.push_str(concat!(
                    ", (CASE WHEN pr.prattrs IS NOT NULL THEN\n",
                    "     pg_catalog.array_to_string(",
                    "      ARRAY(SELECT attname\n",
                    "              FROM\n",
                    "                pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,\n",
                    "                pg_catalog.pg_attribute\n",
                    "        WHERE attrelid = c.oid AND attnum = prattrs[s]), ', ')\n",
                    "       ELSE NULL END)",
                ));
            } else {
                sql.push_str(", NULL, NULL");
            }
            sql.push_str(&format!(
                "\nFROM pg_catalog.pg_class c,\n\
                 \x20    pg_catalog.pg_namespace n,\n\
                 \x20    pg_catalog.pg_publication_rel pr\n\
                 WHERE c.relnamespace = n.oid\n\
                 \x20 AND c.oid = pr.prrelid\n\
                 \x20 AND pr.prpubid = '{pubid}'\n\
                 ORDER BY 1,2"
            ));
            if !add_publication_footer(ctx, &sql, "Tables:", false, &mut cont) {
                return false;
            }
            if sversion >= 150000 {
                let sql = format!(
                    "SELECT n.nspname\n\
                     FROM pg_catalog.pg_namespace n\n\
                     \x20    JOIN pg_catalog.pg_publication_namespace pn ON n.oid = pn.pnnspid\n\
                     WHERE pn.pnpubid = '{pubid}'\n\
                     ORDER BY 1"
                );
                if !add_publication_footer(ctx, &sql, "Tables from schemas:", true, &mut cont) {
                    return false;
                }
            }
        }
        ctx.print_table(&cont);
    }
    true
}

/// `\dRs[+] [pattern]` (10 and later): the subscriptions of the current database.
pub fn describe_subscriptions(ctx: &mut dyn Ctx, pattern: Option<&str>, verbose: bool) -> bool {
    let sversion = ctx.settings().sversion;
    if sversion < 100000 {
        return not_supported(ctx, "subscriptions");
    }
    let mut buf = String::from(concat!(
        "SELECT subname AS \"Name\"\n",
        ",  pg_catalog.pg_get_userbyid(subowner) AS \"Owner\"\n",
        ",  subenabled AS \"Enabled\"\n",
        ",  subpublications AS \"Publication\"\n",
    ));
    if verbose {
        if sversion >= PSQL17 {
            // psql 17: streaming may be "parallel", and 16's and 17's subscription options.
            buf.push_str(concat!(
                ", subbinary AS \"Binary\"\n",
                ", (CASE substream\n",
                "    WHEN 'f' THEN 'off'\n",
                "    WHEN 't' THEN 'on'\n",
                "    WHEN 'p' THEN 'parallel'\n",
                "   END) AS \"Streaming\"\n",
                ", subtwophasestate AS \"Two-phase commit\"\n",
                ", subdisableonerr AS \"Disable on error\"\n",
                ", suborigin AS \"Origin\"\n",
                ", subpasswordrequired AS \"Password required\"\n",
                ", subrunasowner AS \"Run as owner?\"\n",
                ", subfailover AS \"Failover\"\n",
            ));
        } else {
            // Binary mode and streaming from 14; two-phase commit and disable-on-error from 15.
            if sversion >= 140000 {
                buf.push_str(", subbinary AS \"Binary\"\n, substream AS \"Streaming\"\n");
            }
            if sversion >= 150000 {
                buf.push_str(concat!(
                    ", subtwophasestate AS \"Two-phase commit\"\n",
                    ", subdisableonerr AS \"Disable on error\"\n",
                ));
            }
        }
        buf.push_str(concat!(
            ",  subsynccommit AS \"Synchronous commit\"\n",
            ",  subconninfo AS \"Conninfo\"\n",
        ));
        // Skip LSN from 15.
        if sversion >= 150000 {
            buf.push_str(", subskiplsn AS \"Skip LSN\"\n");
        }
    }
    // Only the subscriptions of the current database.
    buf.push_str(concat!(
        "FROM pg_catalog.pg_subscription\n",
        "WHERE subdbid = (SELECT oid\n",
        "                 FROM pg_catalog.pg_database\n",
        "                 WHERE datname = pg_catalog.current_database())",
    ));
    let q = pq(true, false, None, "subname", None, None);
    if validate_sql_name_pattern(ctx, &mut buf, pattern, q, 1).is_err() {
        return false;
    }
    buf.push_str("ORDER BY 1;");
    let Some(res) = ctx.exec(&buf) else {
        return false;
    };
    let opt = query_opt(ctx, "List of subscriptions", &[false; 11]);
    ctx.print_query(&res, &opt);
    true
}
