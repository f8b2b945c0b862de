//! psql's object-name patterns (`processSQLNamePattern` and `patternToSQLRegex` of
//! `fe_utils/string_utils.c`): `*` and `?` wildcards, `schema.name` (and `db.schema.name`), double-quoted
//! parts taken literally, other regular-expression characters passed through outside quotes, all turned
//! into WHERE clauses on catalog queries.

use crate::sql::quote::string_literal_conn;

/// The regular expressions a pattern stands for (`patternToSQLRegex`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatternRegex {
    /// The database part: the literal text before the first dot of a three-part name.
    pub dbname: Option<String>,
    pub schema: Option<String>,
    pub name: String,
    /// How many dots separated parts (more than the parts asked for are kept in the name).
    pub dotcnt: usize,
}

/// `patternToSQLRegex(encoding, dbnamebuf, schemabuf, namebuf, pattern, force_escape,
/// want_literal_dbname=true, &dotcnt)`. `parts` is how many parts to split into: 1 (name only), 2
/// (schema.name) or 3 (db.schema.name).
pub fn pattern_to_regex(pattern: &str, parts: usize, force_escape: bool) -> PatternRegex {
    let maxbuf = parts.clamp(1, 3) - 1;
    let mut bufs: Vec<String> = vec!["^(".to_string()];
    let mut left = true;
    let mut left_literal = String::new();
    let mut inquotes = false;
    let mut dotcnt = 0;
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        let cur = bufs.len() - 1;
        if ch == '"' {
            if inquotes && chars.get(i + 1) == Some(&'"') {
                bufs[cur].push('"');
                if left {
                    left_literal.push('"');
                }
                i += 1;
            } else {
                inquotes = !inquotes;
            }
            i += 1;
        } else if !inquotes && ch.is_ascii_uppercase() {
            bufs[cur].push(ch.to_ascii_lowercase());
            if left {
                left_literal.push(ch.to_ascii_lowercase());
            }
            i += 1;
        } else if !inquotes && ch == '*' {
            bufs[cur].push_str(".*");
            if left {
                left_literal.push('*');
            }
            i += 1;
        } else if !inquotes && ch == '?' {
            bufs[cur].push('.');
            if left {
                left_literal.push('?');
            }
            i += 1;
        } else if !inquotes && ch == '.' {
            left = false;
            dotcnt += 1;
            if cur < maxbuf {
                bufs[cur].push_str(")$");
                bufs.push("^(".to_string());
            } else {
                bufs[cur].push('.');
            }
            i += 1;
        } else if ch == '$' {
            // Always literal: `$` is allowed in identifiers, and the pattern is anchored anyway.
            bufs[cur].push_str("\\$");
            if left {
                left_literal.push('$');
            }
            i += 1;
        } else {
            if (inquotes || force_escape) && "|*+?()[]{}.^$\\".contains(ch) {
                bufs[cur].push('\\');
            } else if ch == '[' && chars.get(i + 1) == Some(&']') {
                // `[]` is much more likely an array type name than a bracket expression.
                bufs[cur].push('\\');
            }
            if left {
                left_literal.push(ch);
            }
            bufs[cur].push(ch);
            i += 1;
        }
    }
    let last = bufs.len() - 1;
    bufs[last].push_str(")$");
    // The last buffer is the name, the one before it the schema, the one before that the database.
    let name = bufs.pop().unwrap_or_default();
    let schema = if parts >= 2 { bufs.pop() } else { None };
    let dbname = if parts >= 3 && !bufs.is_empty() {
        Some(left_literal)
    } else {
        None
    };
    PatternRegex {
        dbname,
        schema,
        name,
        dotcnt,
    }
}

/// What `processSQLNamePattern` needs to know about the query it extends.
#[derive(Clone, Copy, Debug)]
pub struct PatternQuery<'a> {
    /// The query already has a WHERE (clauses are ANDed onto it).
    pub have_where: bool,
    /// Quote regular-expression characters even outside double quotes.
    pub force_escape: bool,
    /// The column to match a schema part against; `None` when the pattern has no schema part.
    pub schemavar: Option<&'a str>,
    /// The column to match the name against.
    pub namevar: Option<&'a str>,
    /// A second column the name may match instead.
    pub altnamevar: Option<&'a str>,
    /// A clause limiting the result to visible objects, used when no schema is given.
    pub visibilityrule: Option<&'a str>,
    /// Also split off a database part (`db.schema.name`).
    pub want_dbname: bool,
}

/// What `processSQLNamePattern` returns beside the text it appended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatternOutcome {
    /// A clause was added (so the query now has a WHERE).
    pub added_clause: bool,
    /// The database part of the pattern, when asked for and present.
    pub dbname: Option<String>,
    /// The number of dots in the pattern.
    pub dotcnt: usize,
}

/// `processSQLNamePattern`: append WHERE clauses for `pattern` (or, with no pattern, the visibility rule)
/// to `buf`, which should end with a newline; what is appended ends with one too. `sversion` is the
/// server's version number and `std_strings` its `standard_conforming_strings`.
pub fn process_sql_name_pattern(
    buf: &mut String,
    pattern: Option<&str>,
    q: PatternQuery<'_>,
    sversion: i32,
    std_strings: bool,
) -> PatternOutcome {
    let mut have_where = q.have_where;
    let mut out = PatternOutcome::default();
    let mut where_and = |buf: &mut String, out: &mut PatternOutcome| {
        buf.push_str(if have_where { "  AND " } else { "WHERE " });
        have_where = true;
        out.added_clause = true;
    };
    let collate = if sversion >= 120000 {
        " COLLATE pg_catalog.default"
    } else {
        ""
    };
    let Some(pattern) = pattern else {
        if let Some(rule) = q.visibilityrule {
            where_and(buf, &mut out);
            buf.push_str(rule);
            buf.push('\n');
        }
        return out;
    };
    let parts = match (q.schemavar.is_some(), q.want_dbname) {
        (false, _) => 1,
        (true, false) => 2,
        (true, true) => 3,
    };
    let re = pattern_to_regex(pattern, parts, q.force_escape);
    out.dotcnt = re.dotcnt;
    out.dbname = re.dbname.clone();
    if let Some(namevar) = q.namevar {
        if re.name.len() > 2 && re.name != "^(.*)$" {
            where_and(buf, &mut out);
            let lit = string_literal_conn(&re.name, std_strings);
            match q.altnamevar {
                Some(alt) => {
                    buf.push_str(&format!(
                        "({namevar} OPERATOR(pg_catalog.~) {lit}{collate}\n        OR {alt} OPERATOR(pg_catalog.~) {lit}{collate})\n"
                    ));
                }
                None => buf.push_str(&format!(
                    "{namevar} OPERATOR(pg_catalog.~) {lit}{collate}\n"
                )),
            }
        }
    }
    match (q.schemavar, &re.schema) {
        (Some(schemavar), Some(schema)) if schema.len() > 2 => {
            if schema != "^(.*)$" {
                where_and(buf, &mut out);
                let lit = string_literal_conn(schema, std_strings);
                buf.push_str(&format!(
                    "{schemavar} OPERATOR(pg_catalog.~) {lit}{collate}\n"
                ));
            }
        }
        _ => {
            if let Some(rule) = q.visibilityrule {
                where_and(buf, &mut out);
                buf.push_str(rule);
                buf.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q<'a>() -> PatternQuery<'a> {
        PatternQuery {
            have_where: false,
            force_escape: false,
            schemavar: Some("n.nspname"),
            namevar: Some("c.relname"),
            altnamevar: None,
            visibilityrule: Some("pg_catalog.pg_table_is_visible(c.oid)"),
            want_dbname: false,
        }
    }

    #[test]
    fn regexes_as_psql_builds_them() {
        let r = pattern_to_regex("Foo*", 2, false);
        assert_eq!(r.name, "^(foo.*)$");
        assert_eq!(r.schema, None);
        let r = pattern_to_regex("s.\"My\"\"T\"?", 2, false);
        assert_eq!(r.schema.as_deref(), Some("^(s)$"));
        assert_eq!(r.name, "^(My\"T.)$");
        let r = pattern_to_regex("db.s.t", 3, false);
        assert_eq!(r.dbname.as_deref(), Some("db"));
        assert_eq!(r.schema.as_deref(), Some("^(s)$"));
        let r = pattern_to_regex("a.b.c.d", 2, false);
        assert_eq!(r.dotcnt, 3);
        assert_eq!(r.schema.as_deref(), Some("^(a)$"));
        assert_eq!(r.name, "^(b.c.d)$");
        assert_eq!(pattern_to_regex("int[]", 1, false).name, "^(int\\[])$");
        assert_eq!(pattern_to_regex("a$b", 1, false).name, "^(a\\$b)$");
        assert_eq!(pattern_to_regex("\"a.b\"", 1, false).name, "^(a\\.b)$");
    }

    #[test]
    fn clauses_as_psql_writes_them() {
        let mut buf = String::new();
        let o = process_sql_name_pattern(&mut buf, None, q(), 150000, true);
        assert!(o.added_clause);
        assert_eq!(buf, "WHERE pg_catalog.pg_table_is_visible(c.oid)\n");
        let mut buf = String::new();
        process_sql_name_pattern(&mut buf, Some("t*"), q(), 150000, true);
        assert_eq!(
            buf,
            "WHERE c.relname OPERATOR(pg_catalog.~) '^(t.*)$' COLLATE pg_catalog.default\n  AND pg_catalog.pg_table_is_visible(c.oid)\n"
        );
        let mut buf = String::new();
        process_sql_name_pattern(&mut buf, Some("s.*"), q(), 110000, true);
        assert_eq!(buf, "WHERE n.nspname OPERATOR(pg_catalog.~) '^(s)$'\n");
    }
}
