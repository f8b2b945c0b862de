//! psql's describe commands (`\l`, `\dn`, `\dt`, `\dv`, `\di`, `\ds`, `\df`, `\du`, `\d [name]`): catalog
//! queries and their psql-style layout, with psql's name patterns.

use rhai::Dynamic;

use crate::db::resultset::ResultSet;
use crate::db::session::Session;
use crate::error::Result;
use crate::output::table::{display_width, TableOptions};
use crate::repl::meta::Meta;

/// A psql name pattern turned into anchored regexes: `public.film*` → schema `^(public)$`, name `^(film.*)$`.
#[derive(Debug, PartialEq, Eq)]
pub struct Pattern {
    pub schema: Option<String>,
    pub name: Option<String>,
}

/// psql's `processSQLNamePattern`: unquoted text is lower-cased, `*` and `?` are wildcards, `.` separates the
/// schema, double quotes keep case and make wildcards literal, regex characters are escaped.
pub fn parse_pattern(pattern: &str) -> Pattern {
    let mut parts: Vec<String> = vec![String::new()];
    let mut in_quotes = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let cur = parts.last_mut();
        let Some(cur) = cur else { break };
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => in_quotes = !in_quotes,
            '.' if !in_quotes => parts.push(String::new()),
            '*' if !in_quotes => cur.push_str(".*"),
            '?' if !in_quotes => cur.push('.'),
            c if !in_quotes => push_literal(cur, c.to_lowercase()),
            c => push_literal(cur, std::iter::once(c)),
        }
    }
    let anchor = |s: &String| -> Option<String> {
        if s.is_empty() || s == ".*" {
            None
        } else {
            Some(format!("^({s})$"))
        }
    };
    match parts.len() {
        0 | 1 => Pattern {
            schema: None,
            name: parts.first().and_then(anchor),
        },
        n => Pattern {
            schema: parts.get(n - 2).and_then(anchor).or(Some("^(.*)$".into())),
            name: parts.last().and_then(anchor),
        },
    }
}

fn push_literal(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        if "|()[]{}^$+\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Run a describe command and return its text.
pub fn run(s: &mut Session, cmd: &Meta, opts: &TableOptions) -> Result<String> {
    match cmd {
        Meta::Databases { pattern } => list(
            s,
            opts,
            "List of databases",
            "SELECT d.datname AS \"Name\", pg_catalog.pg_get_userbyid(d.datdba) AS \"Owner\", \
             pg_catalog.pg_encoding_to_char(d.encoding) AS \"Encoding\", d.datcollate AS \"Collate\", \
             d.datctype AS \"Ctype\", pg_catalog.array_to_string(d.datacl, E'\\n') AS \"Access privileges\" \
             FROM pg_catalog.pg_database d WHERE ($1::text IS NULL OR d.datname ~ $1) ORDER BY 1",
            &[pat(pattern).name.into()],
            "databases",
        ),
        Meta::Schemas { pattern } => list(
            s,
            opts,
            "List of schemas",
            "SELECT n.nspname AS \"Name\", pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\" \
             FROM pg_catalog.pg_namespace n \
             WHERE ($1::text IS NULL AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema') \
                OR n.nspname ~ $1 ORDER BY 1",
            &[pat(pattern).name.into()],
            "schemas",
        ),
        Meta::Tables { pattern } => relations(s, opts, pattern, &["r", "p"]),
        Meta::Views { pattern } => relations(s, opts, pattern, &["v", "m"]),
        Meta::Indexes { pattern } => relations(s, opts, pattern, &["i", "I"]),
        Meta::Sequences { pattern } => relations(s, opts, pattern, &["S"]),
        Meta::Functions { pattern } => {
            let p = pat(pattern);
            list(
                s,
                opts,
                "List of functions",
                "SELECT n.nspname AS \"Schema\", p.proname AS \"Name\", \
                 pg_catalog.pg_get_function_result(p.oid) AS \"Result data type\", \
                 pg_catalog.pg_get_function_arguments(p.oid) AS \"Argument data types\", \
                 CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc' ELSE 'func' END AS \"Type\" \
                 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 WHERE ($1::text IS NULL OR p.proname ~ $1) \
                   AND (($2::text IS NULL AND pg_catalog.pg_function_is_visible(p.oid) \
                         AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema') \
                        OR n.nspname ~ $2) \
                 ORDER BY 1, 2, 4",
                &[p.name.into(), p.schema.into()],
                "functions",
            )
        }
        Meta::Roles { pattern } => list(
            s,
            opts,
            "List of roles",
            "SELECT r.rolname AS \"Role name\", \
             concat_ws(', ', CASE WHEN r.rolsuper THEN 'Superuser' END, \
               CASE WHEN NOT r.rolinherit THEN 'No inheritance' END, \
               CASE WHEN r.rolcreaterole THEN 'Create role' END, \
               CASE WHEN r.rolcreatedb THEN 'Create DB' END, \
               CASE WHEN NOT r.rolcanlogin THEN 'Cannot login' END, \
               CASE WHEN r.rolreplication THEN 'Replication' END, \
               CASE WHEN r.rolbypassrls THEN 'Bypass RLS' END) AS \"Attributes\" \
             FROM pg_catalog.pg_roles r \
             WHERE ($1::text IS NULL AND r.rolname !~ '^pg_') OR r.rolname ~ $1 ORDER BY 1",
            &[pat(pattern).name.into()],
            "roles",
        ),
        Meta::Describe { name: None } => relations(s, opts, &None, &["r", "p", "v", "m", "S", "f"]),
        Meta::Describe { name: Some(n) } => describe(s, opts, n),
        _ => Ok(String::new()),
    }
}

fn pat(p: &Option<String>) -> Pattern {
    match p {
        Some(p) => parse_pattern(p),
        None => Pattern {
            schema: None,
            name: None,
        },
    }
}

fn opt_dyn(s: Option<String>) -> Dynamic {
    s.map(Dynamic::from).unwrap_or(Dynamic::UNIT)
}

impl From<Option<String>> for Arg {
    fn from(s: Option<String>) -> Arg {
        Arg(opt_dyn(s))
    }
}

/// A query argument (lets call sites write `pattern.into()`).
pub struct Arg(Dynamic);

fn list(
    s: &mut Session,
    opts: &TableOptions,
    title: &str,
    sql: &str,
    args: &[Arg],
    what: &str,
) -> Result<String> {
    let params: Vec<Dynamic> = args.iter().map(|a| a.0.clone()).collect();
    let rs = s.query(sql, &params)?;
    if rs.row_count() == 0 && !params.iter().all(Dynamic::is_unit) {
        return Ok(format!("Did not find any {what} matching the pattern.\n"));
    }
    Ok(titled(title, &rs, opts))
}

/// A result table with psql's centred title above it.
pub fn titled(title: &str, rs: &ResultSet, opts: &TableOptions) -> String {
    let table = crate::output::render(rs, crate::cli::Format::Table, opts);
    let width = table.lines().next().map(display_width).unwrap_or(0);
    let tw = display_width(title);
    let pad = width.saturating_sub(tw) / 2;
    format!("{}{title}\n{table}", " ".repeat(pad))
}

fn relations(
    s: &mut Session,
    opts: &TableOptions,
    pattern: &Option<String>,
    kinds: &[&str],
) -> Result<String> {
    let p = pat(pattern);
    let kinds_array =
        Dynamic::from_array(kinds.iter().map(|k| Dynamic::from(k.to_string())).collect());
    let index_col = if kinds.contains(&"i") {
        ", c2.relname AS \"Table\""
    } else {
        ""
    };
    let sql = format!(
        "SELECT n.nspname AS \"Schema\", c.relname AS \"Name\", \
         CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' \
           WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' \
           WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' \
           WHEN 'I' THEN 'partitioned index' END AS \"Type\", \
         pg_catalog.pg_get_userbyid(c.relowner) AS \"Owner\"{index_col} \
         FROM pg_catalog.pg_class c \
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid \
         LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid \
         WHERE c.relkind::text = ANY($1) \
           AND ($2::text IS NULL OR c.relname ~ $2) \
           AND (($3::text IS NULL AND pg_catalog.pg_table_is_visible(c.oid) \
                 AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' \
                 AND n.nspname <> 'information_schema') \
                OR n.nspname ~ $3) \
         ORDER BY 1, 2"
    );
    let rs = s.query(
        &sql,
        &[
            kinds_array,
            opt_dyn(p.name.clone()),
            opt_dyn(p.schema.clone()),
        ],
    )?;
    if rs.row_count() == 0 {
        return Ok(match pattern {
            Some(pt) => format!("Did not find any relation named \"{pt}\".\n"),
            None => "Did not find any relations.\n".to_string(),
        });
    }
    Ok(titled("List of relations", &rs, opts))
}

fn text_at(rs: &ResultSet, row: usize, col: usize) -> String {
    rs.row(row)
        .and_then(|r| r.get(col))
        .and_then(crate::value::format::scalar_text)
        .unwrap_or_default()
}

fn describe(s: &mut Session, opts: &TableOptions, name: &str) -> Result<String> {
    let p = parse_pattern(name);
    let found = s.query(
        "SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname ~ $1 AND (($2::text IS NULL AND pg_catalog.pg_table_is_visible(c.oid)) OR n.nspname ~ $2) \
         ORDER BY 2, 3",
        &[opt_dyn(p.name.clone()), opt_dyn(p.schema.clone())],
    )?;
    if found.row_count() == 0 {
        return Ok(format!("Did not find any relation named \"{name}\".\n"));
    }
    let mut out = String::new();
    for i in 0..found.row_count() {
        let oid: i64 = found
            .row(i)
            .and_then(|r| r.first())
            .and_then(|v| v.as_int().ok())
            .unwrap_or(0);
        let schema = text_at(&found, i, 1);
        let rel = text_at(&found, i, 2);
        let kind = text_at(&found, i, 3);
        out.push_str(&describe_one(s, opts, oid, &schema, &rel, &kind)?);
    }
    Ok(out)
}

fn describe_one(
    s: &mut Session,
    opts: &TableOptions,
    oid: i64,
    schema: &str,
    rel: &str,
    kind: &str,
) -> Result<String> {
    let oid_param = [Dynamic::from(oid)];
    let what = match kind {
        "r" => "Table",
        "p" => "Partitioned table",
        "v" => "View",
        "m" => "Materialized view",
        "i" | "I" => "Index",
        "S" => "Sequence",
        "f" => "Foreign table",
        _ => "Relation",
    };
    let title = format!("{what} \"{schema}.{rel}\"");
    if kind == "S" {
        let rs = s.query(
            "SELECT pg_catalog.format_type(seqtypid, NULL) AS \"Type\", seqstart AS \"Start\", \
             seqmin AS \"Minimum\", seqmax AS \"Maximum\", seqincrement AS \"Increment\", \
             CASE WHEN seqcycle THEN 'yes' ELSE 'no' END AS \"Cycles?\", seqcache AS \"Cache\" \
             FROM pg_catalog.pg_sequence WHERE seqrelid = $1::int8::oid",
            &oid_param,
        )?;
        return Ok(titled(&title, &rs, opts));
    }
    if kind == "i" || kind == "I" {
        let rs = s.query(
            "SELECT a.attname AS \"Column\", pg_catalog.format_type(a.atttypid, a.atttypmod) AS \"Type\", \
             CASE WHEN a.attnum <= i.indnkeyatts THEN 'yes' ELSE 'no' END AS \"Key?\", \
             pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, true) AS \"Definition\" \
             FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_index i ON i.indexrelid = a.attrelid \
             WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            &oid_param,
        )?;
        let mut text = titled(&title, &rs, opts);
        let foot = s.query(
            "SELECT am.amname, t.relname, n.nspname, i.indisprimary, i.indisunique \
             FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
             JOIN pg_catalog.pg_am am ON am.oid = c.relam JOIN pg_catalog.pg_class t ON t.oid = i.indrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace WHERE i.indexrelid = $1::int8::oid",
            &oid_param,
        )?;
        if foot.row_count() == 1 {
            let prefix = if text_at(&foot, 0, 3) == "t" {
                "primary key, "
            } else if text_at(&foot, 0, 4) == "t" {
                "unique, "
            } else {
                ""
            };
            strip_blank_line(&mut text);
            text.push_str(&format!(
                "{prefix}{}, for table \"{}.{}\"\n\n",
                text_at(&foot, 0, 0),
                text_at(&foot, 0, 2),
                text_at(&foot, 0, 1)
            ));
        }
        return Ok(text);
    }
    let cols = s.query(
        "SELECT a.attname AS \"Column\", pg_catalog.format_type(a.atttypid, a.atttypmod) AS \"Type\", \
         COALESCE((SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t \
                   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation), '') AS \"Collation\", \
         CASE WHEN a.attnotnull THEN 'not null' ELSE '' END AS \"Nullable\", \
         CASE WHEN a.attidentity = 'a' THEN 'generated always as identity' \
              WHEN a.attidentity = 'd' THEN 'generated by default as identity' \
              WHEN a.attgenerated = 's' THEN 'generated always as (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) || ') stored' \
              ELSE COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid, true), '') END AS \"Default\" \
         FROM pg_catalog.pg_attribute a \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        &oid_param,
    )?;
    let mut text = titled(&title, &cols, opts);
    let mut footers: Vec<String> = Vec::new();
    if kind == "v" || kind == "m" {
        let def = s.query(
            "SELECT pg_catalog.pg_get_viewdef($1::int8::oid, true)",
            &oid_param,
        )?;
        footers.push(format!(
            "View definition:\n{}",
            text_at(&def, 0, 0).trim_end()
        ));
    }
    let idx = s.query(
        "SELECT c2.relname, i.indisprimary, i.indisunique, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true), \
         COALESCE(con.contype::text, '') \
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c2 ON c2.oid = i.indexrelid \
         LEFT JOIN pg_catalog.pg_constraint con ON con.conrelid = i.indrelid AND con.conindid = i.indexrelid \
              AND con.contype IN ('p', 'u', 'x') \
         WHERE i.indrelid = $1::int8::oid ORDER BY i.indisprimary DESC, c2.relname",
        &oid_param,
    )?;
    if idx.row_count() > 0 {
        let mut lines = vec!["Indexes:".to_string()];
        for r in 0..idx.row_count() {
            let def = text_at(&idx, r, 3);
            let using = def.split_once(" USING ").map(|(_, u)| u).unwrap_or(&def);
            let kind = match (
                text_at(&idx, r, 1).as_str(),
                text_at(&idx, r, 4).as_str(),
                text_at(&idx, r, 2).as_str(),
            ) {
                ("t", _, _) => "PRIMARY KEY, ",
                (_, "u", _) => "UNIQUE CONSTRAINT, ",
                (_, _, "t") => "UNIQUE, ",
                _ => "",
            };
            lines.push(format!("    \"{}\" {kind}{using}", text_at(&idx, r, 0)));
        }
        footers.push(lines.join("\n"));
    }
    for (contype, heading) in [
        ("c", "Check constraints:"),
        ("f", "Foreign-key constraints:"),
    ] {
        let rs = s.query(
            "SELECT conname, pg_catalog.pg_get_constraintdef(oid, true) FROM pg_catalog.pg_constraint \
             WHERE conrelid = $1::int8::oid AND contype::text = $2 ORDER BY conname",
            &[Dynamic::from(oid), Dynamic::from(contype.to_string())],
        )?;
        if rs.row_count() > 0 {
            let mut lines = vec![heading.to_string()];
            for r in 0..rs.row_count() {
                lines.push(format!(
                    "    \"{}\" {}",
                    text_at(&rs, r, 0),
                    text_at(&rs, r, 1)
                ));
            }
            footers.push(lines.join("\n"));
        }
    }
    let refs = s.query(
        "SELECT conrelid::pg_catalog.regclass::text, conname, pg_catalog.pg_get_constraintdef(oid, true) \
         FROM pg_catalog.pg_constraint WHERE confrelid = $1::int8::oid AND contype = 'f' ORDER BY conname",
        &oid_param,
    )?;
    if refs.row_count() > 0 {
        let mut lines = vec!["Referenced by:".to_string()];
        for r in 0..refs.row_count() {
            lines.push(format!(
                "    TABLE \"{}\" CONSTRAINT \"{}\" {}",
                text_at(&refs, r, 0),
                text_at(&refs, r, 1),
                text_at(&refs, r, 2)
            ));
        }
        footers.push(lines.join("\n"));
    }
    let trg = s.query(
        "SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true) FROM pg_catalog.pg_trigger t \
         WHERE t.tgrelid = $1::int8::oid AND NOT t.tgisinternal ORDER BY 1",
        &oid_param,
    )?;
    if trg.row_count() > 0 {
        let mut lines = vec!["Triggers:".to_string()];
        for r in 0..trg.row_count() {
            let def = text_at(&trg, r, 1);
            let body = def
                .split_once(" TRIGGER ")
                .and_then(|(_, rest)| rest.split_once(' '))
                .map(|(_, rest)| rest.to_string())
                .unwrap_or(def.clone());
            lines.push(format!("    {} {body}", text_at(&trg, r, 0)));
        }
        footers.push(lines.join("\n"));
    }
    // psql prints footers right under the table (no row count), then a blank line.
    strip_footer(&mut text);
    for f in footers {
        text.push_str(&f);
        text.push('\n');
    }
    text.push('\n');
    Ok(text)
}

/// Drop the trailing blank line of a rendered table.
fn strip_blank_line(text: &mut String) {
    while text.ends_with("\n\n") {
        text.pop();
    }
}

/// Drop the "(N rows)" footer and the blank line: \d shows its own footers instead.
fn strip_footer(text: &mut String) {
    strip_blank_line(text);
    let trimmed = text.trim_end_matches('\n');
    if let Some(pos) = trimmed.rfind('\n') {
        let last = &trimmed[pos + 1..];
        if last.starts_with('(') && last.ends_with(')') && last.contains("row") {
            text.truncate(pos + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psql_patterns() {
        assert_eq!(
            parse_pattern("film*"),
            Pattern {
                schema: None,
                name: Some("^(film.*)$".into())
            }
        );
        assert_eq!(
            parse_pattern("Public.Fi?m"),
            Pattern {
                schema: Some("^(public)$".into()),
                name: Some("^(fi.m)$".into())
            }
        );
        assert_eq!(
            parse_pattern("\"MyTable\""),
            Pattern {
                schema: None,
                name: Some("^(MyTable)$".into())
            }
        );
        assert_eq!(
            parse_pattern("s.*"),
            Pattern {
                schema: Some("^(s)$".into()),
                name: None
            }
        );
        assert_eq!(parse_pattern("a$b").name.as_deref(), Some("^(a\\$b)$"));
    }
}
