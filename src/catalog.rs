//! psql's describe commands (`\l`, `\dn`, `\dt`, `\dv`, `\di`, `\ds`, `\df`, `\du`, `\d [name]`): catalog
//! queries and their psql-style layout, with psql's name patterns.

use rhai::Dynamic;

use crate::db::resultset::ResultSet;
use crate::db::session::Session;
use crate::error::{Error, Result};
use crate::output::table::{display_width, TableOptions};
use crate::repl::meta::Meta;

/// A psql name pattern turned into anchored regexes: `public.film*` → schema `^(public)$`, name `^(film.*)$`.
#[derive(Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The database part of `db.schema.name`, literally (psql only accepts the current database there).
    pub db: Option<String>,
    /// `None` when the pattern names no schema: then only visible objects match, as in psql.
    pub schema: Option<String>,
    pub name: String,
    /// How many separating dots the pattern had (more than its command allows is an error).
    pub dots: usize,
}

/// psql's `patternToSQLRegex`, splitting into at most `parts` dotted parts (`db.schema.name` is 3): outside
/// double quotes ASCII letters are lower-cased, `*` is `.*`, `?` is `.`, `.` separates parts and other
/// regular-expression characters keep their meaning (`[]` excepted, as in a type name); inside double
/// quotes case is kept, every character is literal and `""` is a quote; `$` is always literal. Each part
/// is anchored as `^(…)$`.
pub fn parse_pattern(pattern: &str, parts: usize) -> Pattern {
    let parts = parts.max(1);
    let mut bufs: Vec<String> = vec![String::new()];
    let mut db_literal = String::new();
    let mut in_db_part = true;
    let mut dots = 0;
    let mut in_quotes = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let full = bufs.len() >= parts;
        let Some(cur) = bufs.last_mut() else { break };
        let mut literal = |c: char, cur: &mut String| {
            cur.push(c);
            if in_db_part {
                db_literal.push(c);
            }
        };
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                chars.next();
                literal('"', cur);
            }
            '"' => in_quotes = !in_quotes,
            '.' if !in_quotes => {
                in_db_part = false;
                dots += 1;
                if full {
                    // Past the last part a dot is text; the dot count makes it an error for the caller.
                    cur.push('.');
                } else {
                    bufs.push(String::new());
                }
            }
            '*' if !in_quotes => {
                cur.push_str(".*");
                if in_db_part {
                    db_literal.push('*');
                }
            }
            '?' if !in_quotes => {
                cur.push('.');
                if in_db_part {
                    db_literal.push('?');
                }
            }
            '$' => {
                cur.push_str("\\$");
                if in_db_part {
                    db_literal.push('$');
                }
            }
            c if !in_quotes && c.is_ascii_uppercase() => literal(c.to_ascii_lowercase(), cur),
            c => {
                let special = in_quotes && "|*+?()[]{}.^$\\".contains(c);
                let array_brackets = !in_quotes && c == '[' && chars.peek() == Some(&']');
                if special || array_brackets {
                    cur.push('\\');
                }
                literal(c, cur);
            }
        }
    }
    let mut anchored = bufs.into_iter().map(|b| format!("^({b})$"));
    let first = anchored.next().unwrap_or_else(|| "^()$".into());
    let (db, schema, name) = match (anchored.next(), anchored.next()) {
        (None, _) => (None, None, first),
        // Two parts are `db.name` for a command whose objects have no schema (\dn), else `schema.name`.
        (Some(name), None) if parts == 2 => (Some(db_literal), None, name),
        (Some(name), None) => (None, Some(first), name),
        (Some(schema), Some(name)) => (Some(db_literal), Some(schema), name),
    };
    Pattern {
        db,
        schema,
        name,
        dots,
    }
}

/// A command's pattern, checked as psql checks it: no more dotted parts than `parts`, and a database part
/// only for the current database.
fn checked(s: &Session, pattern: &Option<String>, parts: usize) -> Result<Option<Pattern>> {
    let Some(text) = pattern else {
        return Ok(None);
    };
    let p = parse_pattern(text, parts);
    if p.dots >= parts {
        return Err(Error::api(format!(
            "improper qualified name (too many dotted names): {text}"
        )));
    }
    if let Some(db) = &p.db {
        let current = s.server_info().map(|i| i.database.as_str());
        if current != Some(db.as_str()) {
            return Err(Error::api(format!(
                "cross-database references are not implemented: {text}"
            )));
        }
    }
    Ok(Some(p))
}

/// The query arguments for a pattern: (has a pattern, name regex, schema regex).
fn pattern_args(p: &Option<Pattern>) -> [Dynamic; 3] {
    match p {
        None => [Dynamic::FALSE, Dynamic::UNIT, Dynamic::UNIT],
        Some(p) => [
            Dynamic::TRUE,
            Dynamic::from(p.name.clone()),
            opt_dyn(p.schema.clone()),
        ],
    }
}

/// Run a describe command and return its text. As psql, system objects (`pg_catalog`, `information_schema`,
/// `pg_*` roles and schemas) are hidden only when no pattern is given, and a pattern without a schema part
/// matches only visible objects.
pub fn describe_command(s: &mut Session, cmd: &Meta, opts: &TableOptions) -> Result<Described> {
    let out = |text: String| Described { text, notice: None };
    Ok(match cmd {
        Meta::Databases { pattern, plus } => {
            let p = checked(s, pattern, 1)?;
            let [has, name, _] = pattern_args(&p);
            // The locale columns of the psql that knows the server: 15's layout for 15 and 16, 17's after
            // (PostgreSQL 17 renamed daticulocale to datlocale).
            let version = server_version(s)?;
            let locale = if version >= 170000 {
                "CASE d.datlocprovider WHEN 'b' THEN 'builtin' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END \
                 AS \"Locale Provider\", d.datcollate AS \"Collate\", d.datctype AS \"Ctype\", \
                 d.datlocale AS \"Locale\", d.daticurules AS \"ICU Rules\", "
            } else if version >= 150000 {
                "d.datcollate AS \"Collate\", d.datctype AS \"Ctype\", d.daticulocale AS \"ICU Locale\", \
                 CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\", "
            } else {
                "d.datcollate AS \"Collate\", d.datctype AS \"Ctype\", "
            };
            let verbose = if *plus {
                ", CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT') \
                   THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname)) \
                   ELSE 'No Access' END AS \"Size\", t.spcname AS \"Tablespace\", \
                 pg_catalog.shobj_description(d.oid, 'pg_database') AS \"Description\""
            } else {
                ""
            };
            out(list(
                s,
                opts,
                "List of databases",
                &format!(
                    "SELECT d.datname AS \"Name\", pg_catalog.pg_get_userbyid(d.datdba) AS \"Owner\", \
                     pg_catalog.pg_encoding_to_char(d.encoding) AS \"Encoding\", {locale}\
                     pg_catalog.array_to_string(d.datacl, E'\\n') AS \"Access privileges\"{verbose} \
                     FROM pg_catalog.pg_database d \
                     JOIN pg_catalog.pg_tablespace t ON d.dattablespace = t.oid \
                     WHERE NOT $1 OR d.datname OPERATOR(pg_catalog.~) $2::text COLLATE pg_catalog.default \
                     ORDER BY 1"
                ),
                &[has, name],
            )?)
        }
        Meta::Schemas { pattern, plus } => {
            let p = checked(s, pattern, 2)?;
            let [has, name, _] = pattern_args(&p);
            let verbose = if *plus {
                ", pg_catalog.array_to_string(n.nspacl, E'\\n') AS \"Access privileges\", \
                 pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\""
            } else {
                ""
            };
            out(list(
                s,
                opts,
                "List of schemas",
                &format!("SELECT n.nspname AS \"Name\", pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"{verbose} \
                 FROM pg_catalog.pg_namespace n \
                 WHERE CASE WHEN $1 THEN n.nspname OPERATOR(pg_catalog.~) $2::text COLLATE pg_catalog.default \
                       ELSE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' END \
                 ORDER BY 1"),
                &[has, name],
            )?)
        }
        // As psql, a pattern lets \dt find TOAST tables too.
        Meta::Tables {
            pattern: None,
            plus,
        } => relations(s, opts, &None, &["r", "p"], *plus)?,
        Meta::Tables { pattern, plus } => relations(s, opts, pattern, &["r", "p", "t"], *plus)?,
        Meta::Views { pattern, plus } => relations(s, opts, pattern, &["v"], *plus)?,
        Meta::MatViews { pattern, plus } => relations(s, opts, pattern, &["m"], *plus)?,
        Meta::Indexes { pattern, plus } => relations(s, opts, pattern, &["i", "I"], *plus)?,
        Meta::Sequences { pattern, plus } => relations(s, opts, pattern, &["S"], *plus)?,
        Meta::Functions { pattern, plus } => {
            let p = checked(s, pattern, 3)?;
            let [has, name, schema] = pattern_args(&p);
            let verbose = if *plus {
                ", CASE WHEN p.provolatile = 'i' THEN 'immutable' WHEN p.provolatile = 's' THEN 'stable' \
                   WHEN p.provolatile = 'v' THEN 'volatile' END AS \"Volatility\", \
                 CASE WHEN p.proparallel = 'r' THEN 'restricted' WHEN p.proparallel = 's' THEN 'safe' \
                   WHEN p.proparallel = 'u' THEN 'unsafe' END AS \"Parallel\", \
                 pg_catalog.pg_get_userbyid(p.proowner) AS \"Owner\", \
                 CASE WHEN prosecdef THEN 'definer' ELSE 'invoker' END AS \"Security\", \
                 pg_catalog.array_to_string(p.proacl, E'\\n') AS \"Access privileges\", \
                 l.lanname AS \"Language\", \
                 COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc) AS \"Source code\", \
                 pg_catalog.obj_description(p.oid, 'pg_proc') AS \"Description\""
            } else {
                ""
            };
            out(list(
                s,
                opts,
                "List of functions",
                &format!("SELECT n.nspname AS \"Schema\", p.proname AS \"Name\", \
                 pg_catalog.pg_get_function_result(p.oid) AS \"Result data type\", \
                 pg_catalog.pg_get_function_arguments(p.oid) AS \"Argument data types\", \
                 CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc' ELSE 'func' END AS \"Type\"{verbose} \
                 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang \
                 WHERE ($2::text IS NULL OR p.proname OPERATOR(pg_catalog.~) $2::text COLLATE pg_catalog.default) \
                   AND CASE WHEN $3::text IS NULL THEN pg_catalog.pg_function_is_visible(p.oid) \
                       ELSE n.nspname OPERATOR(pg_catalog.~) $3::text COLLATE pg_catalog.default END \
                   AND ($1 OR (n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema')) \
                 ORDER BY 1, 2, 4"),
                &[has, name, schema],
            )?)
        }
        Meta::Roles { pattern, plus } => {
            let p = checked(s, pattern, 1)?;
            let [has, name, _] = pattern_args(&p);
            out(roles(s, opts, has, name, *plus)?)
        }
        Meta::Describe { name: None, plus } => {
            relations(s, opts, &None, &["r", "p", "v", "m", "S", "f"], *plus)?
        }
        Meta::Describe {
            name: Some(n),
            plus,
        } => {
            // psql never shows \d's column lists expanded: "this output looks confusing in expanded mode".
            let aligned = TableOptions {
                expanded: crate::output::table::Expanded::Off,
                ..opts.clone()
            };
            out(describe(s, &aligned, n, *plus)?)
        }
        _ => out(String::new()),
    })
}

/// What a describe command shows: `text` for stdout and, when a relation list matched nothing, psql's
/// `notice` for stderr (not an error: psql goes on, even with ON_ERROR_STOP).
#[derive(Debug, Default)]
pub struct Described {
    pub text: String,
    pub notice: Option<String>,
}

/// `\du`: psql 15's columns (with "Member of") and, like psql, no row count under the table.
fn roles(
    s: &mut Session,
    opts: &TableOptions,
    has: Dynamic,
    name: Dynamic,
    plus: bool,
) -> Result<String> {
    let verbose = if plus {
        ", pg_catalog.shobj_description(r.oid, 'pg_authid') AS \"Description\""
    } else {
        ""
    };
    let rs = s.query(
        &format!("SELECT r.rolname AS \"Role name\", \
         concat_ws(E'\\n', NULLIF(concat_ws(', ', CASE WHEN r.rolsuper THEN 'Superuser' END, \
           CASE WHEN NOT r.rolinherit THEN 'No inheritance' END, \
           CASE WHEN r.rolcreaterole THEN 'Create role' END, \
           CASE WHEN r.rolcreatedb THEN 'Create DB' END, \
           CASE WHEN NOT r.rolcanlogin THEN 'Cannot login' END, \
           CASE WHEN r.rolreplication THEN 'Replication' END, \
           CASE WHEN r.rolbypassrls THEN 'Bypass RLS' END), ''), \
           CASE WHEN r.rolconnlimit = 0 THEN 'No connections' \
                WHEN r.rolconnlimit > 0 THEN r.rolconnlimit || ' connection' || CASE WHEN r.rolconnlimit > 1 THEN 's' ELSE '' END END, \
           CASE WHEN r.rolvaliduntil IS NOT NULL THEN 'Password valid until ' || r.rolvaliduntil END) AS \"Attributes\", \
         ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m \
               JOIN pg_catalog.pg_roles b ON m.roleid = b.oid WHERE m.member = r.oid)::text AS \"Member of\"{verbose} \
         FROM pg_catalog.pg_roles r \
         WHERE CASE WHEN $1 THEN r.rolname OPERATOR(pg_catalog.~) $2::text COLLATE pg_catalog.default \
               ELSE r.rolname !~ '^pg_' END \
         ORDER BY 1"),
        &[has, name],
    )?;
    let no_count = TableOptions {
        footer: false,
        ..opts.clone()
    };
    Ok(titled("List of roles", &rs, &no_count))
}

fn opt_dyn(s: Option<String>) -> Dynamic {
    s.map(Dynamic::from).unwrap_or(Dynamic::UNIT)
}

fn list(
    s: &mut Session,
    opts: &TableOptions,
    title: &str,
    sql: &str,
    args: &[Dynamic],
) -> Result<String> {
    // Nothing found is an empty table, as in psql.
    let rs = s.query(sql, args)?;
    Ok(titled(title, &rs, opts))
}

/// A result table with psql's centred title above it.
pub fn titled(title: &str, rs: &ResultSet, opts: &TableOptions) -> String {
    let table = crate::output::render(rs, crate::output::Format::Table, opts);
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
    plus: bool,
) -> Result<Described> {
    let p = checked(s, pattern, 3)?;
    let [has, name, schema] = pattern_args(&p);
    let kinds_array =
        Dynamic::from_array(kinds.iter().map(|k| Dynamic::from(k.to_string())).collect());
    let index_col = if kinds.contains(&"i") {
        ", c2.relname AS \"Table\""
    } else {
        ""
    };
    // As psql: an access method for what can have one (not views or sequences).
    let verbose = match plus {
        false => String::new(),
        true => format!(
            ", CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' \
               WHEN 'u' THEN 'unlogged' END AS \"Persistence\"{} \
             , pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) AS \"Size\", \
             pg_catalog.obj_description(c.oid, 'pg_class') AS \"Description\"",
            if kinds.iter().any(|k| ["r", "p", "m", "i"].contains(k)) {
                ", am.amname AS \"Access method\""
            } else {
                ""
            }
        ),
    };
    let sql = format!(
        "SELECT n.nspname AS \"Schema\", c.relname AS \"Name\", \
         CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' \
           WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' \
           WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' \
           WHEN 'I' THEN 'partitioned index' END AS \"Type\", \
         pg_catalog.pg_get_userbyid(c.relowner) AS \"Owner\"{index_col}{verbose} \
         FROM pg_catalog.pg_class c \
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam \
         LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid \
         LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid \
         WHERE c.relkind::text = ANY($1) \
           AND ($3::text IS NULL OR c.relname OPERATOR(pg_catalog.~) $3::text COLLATE pg_catalog.default) \
           AND CASE WHEN $4::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) \
               ELSE n.nspname OPERATOR(pg_catalog.~) $4::text COLLATE pg_catalog.default END \
           AND ($2 OR (n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' \
                       AND n.nspname <> 'information_schema')) \
         ORDER BY 1, 2"
    );
    let rs = s.query(&sql, &[kinds_array, has, name, schema])?;
    if rs.row_count() == 0 {
        let notice = match pattern {
            Some(pt) => format!("Did not find any relation named \"{pt}\".\n"),
            None => "Did not find any relations.\n".to_string(),
        };
        return Ok(Described {
            text: String::new(),
            notice: Some(notice),
        });
    }
    Ok(Described {
        text: titled("List of relations", &rs, opts),
        notice: None,
    })
}

/// The columns `\d+` adds for a relation of `kind`, as psql 15 chooses them.
fn verbose_columns(kind: &str, plus: bool) -> String {
    if !plus {
        return String::new();
    }
    let mut cols = String::from(
        ", CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'm' THEN 'main' WHEN 'x' THEN 'extended' \
           WHEN 'e' THEN 'external' END AS \"Storage\"",
    );
    if matches!(kind, "r" | "p" | "m") {
        cols.push_str(
            ", CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE '' END AS \"Compression\"",
        );
    }
    if matches!(kind, "r" | "i" | "I" | "m" | "f" | "p") {
        cols.push_str(
            ", CASE WHEN a.attstattarget = -1 THEN NULL ELSE a.attstattarget::text END AS \"Stats target\"",
        );
    }
    if matches!(kind, "r" | "v" | "m" | "f" | "p" | "c") {
        cols.push_str(", pg_catalog.col_description(a.attrelid, a.attnum) AS \"Description\"");
    }
    cols
}

/// `server_version_num` of the connected server (the describe queries differ across versions, as psql's).
fn server_version(s: &mut Session) -> Result<i64> {
    let rs = s.query("SELECT current_setting('server_version_num')::int8", &[])?;
    Ok(rs
        .row(0)
        .and_then(|r| r.first())
        .and_then(|v| v.as_int().ok())
        .unwrap_or(0))
}

fn text_at(rs: &ResultSet, row: usize, col: usize) -> String {
    rs.row(row)
        .and_then(|r| r.get(col))
        .and_then(crate::value::format::scalar_text)
        .unwrap_or_default()
}

fn describe(s: &mut Session, opts: &TableOptions, name: &str, plus: bool) -> Result<String> {
    let p = checked(s, &Some(name.to_string()), 3)?;
    let [_, rel, schema] = pattern_args(&p);
    let found = s.query(
        "SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname OPERATOR(pg_catalog.~) $1::text COLLATE pg_catalog.default \
           AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) \
               ELSE n.nspname OPERATOR(pg_catalog.~) $2::text COLLATE pg_catalog.default END \
         ORDER BY 2, 3",
        &[rel, schema],
    )?;
    if found.row_count() == 0 {
        // An error, as in psql (which stops here under ON_ERROR_STOP).
        return Err(Error::api(format!(
            "Did not find any relation named \"{name}\"."
        )));
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
        out.push_str(&describe_one(s, opts, oid, &schema, &rel, &kind, plus)?);
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
    plus: bool,
) -> Result<String> {
    let oid_param = [Dynamic::from(oid)];
    let what = match kind {
        "r" => "Table",
        "p" => "Partitioned table",
        "v" => "View",
        "m" => "Materialized view",
        "i" => "Index",
        "I" => "Partitioned index",
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
        let mut text = titled(&title, &rs, opts);
        strip_footer(&mut text);
        let owner = s.query(
            "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) || '.' \
               || pg_catalog.quote_ident(a.attname), d.deptype::text \
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_depend d ON c.oid = d.refobjid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid \
             WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass \
               AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass \
               AND d.objid = $1::int8::oid AND d.deptype IN ('a', 'i')",
            &oid_param,
        )?;
        if owner.row_count() > 0 {
            let what = if text_at(&owner, 0, 1) == "i" {
                "Sequence for identity column"
            } else {
                "Owned by"
            };
            text.push_str(&format!("{what}: {}\n", text_at(&owner, 0, 0)));
        }
        text.push('\n');
        return Ok(text);
    }
    if kind == "i" || kind == "I" {
        let rs = s.query(
            &format!("SELECT a.attname AS \"Column\", pg_catalog.format_type(a.atttypid, a.atttypmod) AS \"Type\", \
             CASE WHEN a.attnum <= i.indnkeyatts THEN 'yes' ELSE 'no' END AS \"Key?\", \
             pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, true) AS \"Definition\"{} \
             FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_index i ON i.indexrelid = a.attrelid \
             WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
             verbose_columns(kind, plus)),
            &oid_param,
        )?;
        let mut text = titled(&title, &rs, opts);
        strip_footer(&mut text);
        let mut footers = Vec::new();
        footers.extend(partition_of(s, oid)?);
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
            footers.push(format!(
                "{prefix}{}, for table \"{}.{}\"",
                text_at(&foot, 0, 0),
                text_at(&foot, 0, 2),
                text_at(&foot, 0, 1)
            ));
        }
        if kind == "I" {
            footers.extend(inheritance(s, oid, kind, plus)?);
        }
        for f in footers {
            text.push_str(&f);
            text.push('\n');
        }
        text.push('\n');
        return Ok(text);
    }
    let cols = s.query(
        &format!("SELECT a.attname AS \"Column\", pg_catalog.format_type(a.atttypid, a.atttypmod) AS \"Type\", \
         COALESCE((SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t \
                   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation), '') AS \"Collation\", \
         CASE WHEN a.attnotnull THEN 'not null' ELSE '' END AS \"Nullable\", \
         CASE WHEN a.attidentity = 'a' THEN 'generated always as identity' \
              WHEN a.attidentity = 'd' THEN 'generated by default as identity' \
              WHEN a.attgenerated = 's' THEN 'generated always as (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) || ') stored' \
              ELSE COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid, true), '') END AS \"Default\"{} \
         FROM pg_catalog.pg_attribute a \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
         verbose_columns(kind, plus)),
        &oid_param,
    )?;
    let mut text = titled(&title, &cols, opts);
    let mut footers: Vec<String> = Vec::new();
    // psql's order: what the table is a partition of and its partition key come first.
    footers.extend(partition_of(s, oid)?);
    if kind == "p" {
        let key = s.query(
            "SELECT pg_catalog.pg_get_partkeydef($1::int8::oid)",
            &oid_param,
        )?;
        footers.push(format!("Partition key: {}", text_at(&key, 0, 0)));
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
    // Only \d+ shows a view's query, as in psql.
    if plus && (kind == "v" || kind == "m") {
        let def = s.query(
            "SELECT pg_catalog.pg_get_viewdef($1::int8::oid, true)",
            &oid_param,
        )?;
        footers.push(format!(
            "View definition:\n{}",
            text_at(&def, 0, 0).trim_end()
        ));
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
    if kind == "r" || kind == "p" || kind == "f" {
        footers.extend(inheritance(s, oid, kind, plus)?);
    }
    if plus {
        let more = s.query(
            "SELECT am.amname, pg_catalog.array_to_string(c.reloptions, ', ') \
             FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam \
             WHERE c.oid = $1::int8::oid",
            &oid_param,
        )?;
        let (am, options) = (text_at(&more, 0, 0), text_at(&more, 0, 1));
        if !am.is_empty() {
            footers.push(format!("Access method: {am}"));
        }
        if !options.is_empty() {
            footers.push(format!("Options: {options}"));
        }
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

/// `Partition of: parent bound` when the relation (a table or an index) is a partition.
fn partition_of(s: &mut Session, oid: i64) -> Result<Option<String>> {
    let rs = s.query(
        "SELECT i.inhparent::pg_catalog.regclass::text, \
         COALESCE(pg_catalog.pg_get_expr(c.relpartbound, c.oid), ''), i.inhdetachpending::text \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid \
         WHERE c.oid = $1::int8::oid AND c.relispartition",
        &[Dynamic::from(oid)],
    )?;
    if rs.row_count() == 0 {
        return Ok(None);
    }
    let detach = if text_at(&rs, 0, 2) == "true" {
        " DETACH PENDING"
    } else {
        ""
    };
    Ok(Some(format!(
        "Partition of: {} {}{detach}",
        text_at(&rs, 0, 0),
        text_at(&rs, 0, 1)
    )))
}

/// psql's footers about inheritance: the parents (`Inherits:`), then the children — counted
/// (`Number of partitions: 2 (Use \d+ to list them.)`), or listed with their bounds by `\d+`.
fn inheritance(s: &mut Session, oid: i64, kind: &str, plus: bool) -> Result<Vec<String>> {
    let oid_param = [Dynamic::from(oid)];
    let mut footers = Vec::new();
    let parents = s.query(
        "SELECT c.oid::pg_catalog.regclass::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i \
         ON c.oid = i.inhparent WHERE i.inhrelid = $1::int8::oid AND c.relkind NOT IN ('p', 'I') \
         ORDER BY i.inhseqno",
        &oid_param,
    )?;
    footers.extend(listed("Inherits", &parents));
    let children = s.query(
        "SELECT c.oid::pg_catalog.regclass::text || COALESCE(' ' || pg_catalog.pg_get_expr(c.relpartbound, c.oid), '') \
           || CASE c.relkind WHEN 'p' THEN ', PARTITIONED' WHEN 'f' THEN ', FOREIGN' ELSE '' END \
           || CASE WHEN i.inhdetachpending THEN ' (DETACH PENDING)' ELSE '' END \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON c.oid = i.inhrelid \
         WHERE i.inhparent = $1::int8::oid \
         ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.oid::pg_catalog.regclass::text",
        &oid_param,
    )?;
    let n = children.row_count();
    // A partitioned index counts its partitions like a partitioned table.
    let partitioned = kind == "p" || kind == "I";
    let what = if partitioned {
        "partitions"
    } else {
        "child tables"
    };
    if partitioned && n == 0 {
        footers.push("Number of partitions: 0".to_string());
    } else if !plus && n > 0 {
        footers.push(format!("Number of {what}: {n} (Use \\d+ to list them.)"));
    } else if plus {
        let heading = if partitioned {
            "Partitions"
        } else {
            "Child tables"
        };
        footers.extend(listed(heading, &children));
    }
    Ok(footers)
}

/// psql's `Heading: first,` / aligned `          next` footer lines, one value per line.
fn listed(heading: &str, rs: &ResultSet) -> Option<String> {
    let n = rs.row_count();
    if n == 0 {
        return None;
    }
    let indent = " ".repeat(display_width(heading) + 2);
    let lines: Vec<String> = (0..n)
        .map(|i| {
            let lead = if i == 0 {
                format!("{heading}: ")
            } else {
                indent.clone()
            };
            let comma = if i + 1 < n { "," } else { "" };
            format!("{lead}{}{comma}", text_at(rs, i, 0))
        })
        .collect();
    Some(lines.join("\n"))
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

    fn rel(p: &str) -> (Option<String>, Option<String>, String) {
        let p = parse_pattern(p, 3);
        (p.db, p.schema, p.name)
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn psql_patterns() {
        // Unquoted: lower-cased, `*` and `?` are wildcards, anchored.
        assert_eq!(rel("film*"), (None, None, "^(film.*)$".into()));
        assert_eq!(
            rel("Public.Fi?m"),
            (None, some("^(public)$"), "^(fi.m)$".into())
        );
        // `*` alone still matches everything (no name, so no "named NULL" filter).
        assert_eq!(rel("*"), (None, None, "^(.*)$".into()));
        assert_eq!(rel("public.*"), (None, some("^(public)$"), "^(.*)$".into()));
        assert_eq!(rel("s."), (None, some("^(s)$"), "^()$".into()));
        // Double quotes keep case and make every character literal; `""` is a quote.
        assert_eq!(rel("\"MyTable\"").2, "^(MyTable)$");
        assert_eq!(rel("\"a*b\"").2, "^(a\\*b)$");
        assert_eq!(rel("\"a?b.c\"").2, "^(a\\?b\\.c)$");
        assert_eq!(
            rel("\"x|(y)+[z]{1}^\\\"").2,
            "^(x\\|\\(y\\)\\+\\[z\\]\\{1\\}\\^\\\\)$"
        );
        assert_eq!(rel("\"say \"\"hi\"\"\"").2, "^(say \"hi\")$");
        assert_eq!(rel("\"My\"Tab*").2, "^(Mytab.*)$");
        assert_eq!(
            rel("\"My.Schema\".t"),
            (None, some("^(My\\.Schema)$"), "^(t)$".into())
        );
        // Outside quotes other regular-expression characters keep their meaning...
        assert_eq!(rel("a|b").2, "^(a|b)$");
        assert_eq!(rel("(foo|bar)+").2, "^((foo|bar)+)$");
        assert_eq!(rel("t[0-9]").2, "^(t[0-9])$");
        // ...except `[]` (an array type name) and `$` (allowed in identifiers), always literal.
        assert_eq!(rel("int[]").2, "^(int\\[])$");
        assert_eq!(rel("a$b").2, "^(a\\$b)$");
        assert_eq!(rel("\"a$b\"").2, "^(a\\$b)$");
        // Only ASCII letters are lower-cased, as psql does byte by byte.
        assert_eq!(rel("ÉTÉ").2, "^(ÉtÉ)$");
        // Three parts: the database is kept literally (lower-cased unless quoted).
        assert_eq!(
            rel("Postgres.public.t"),
            (some("postgres"), some("^(public)$"), "^(t)$".into())
        );
        assert_eq!(rel("\"Db\".s.t").0, some("Db"));
        // Dots beyond the last part are counted, for the "too many dotted names" error.
        let p = parse_pattern("a.b.c.d", 3);
        assert_eq!(p.dots, 3);
        assert_eq!(p.name, "^(c.d)$");
        // Commands without schemas: two parts are db.name, one part is just a name.
        let p = parse_pattern("postgres.public", 2);
        assert_eq!(
            (p.db, p.schema, p.name),
            (some("postgres"), None, "^(public)$".into())
        );
        let p = parse_pattern("a.b", 1);
        assert_eq!((p.dots, p.name), (1, "^(a.b)$".into()));
    }
}
