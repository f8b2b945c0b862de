//! psql's quick looks at a query's first words (`skip_white_space`, `command_no_begin`,
//! `is_select_command` of `common.c`): whether AUTOCOMMIT off may open a transaction before it, and whether
//! FETCH_COUNT may run it through a cursor.

/// `skip_white_space`: past white space, `--` comments and (nested) `/* */` comments.
pub fn skip_white_space(query: &str) -> &str {
    let b = query.as_bytes();
    let mut i = 0;
    let mut nest = 0usize;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            nest += 1;
            i += 2;
        } else if nest > 0 && b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            nest -= 1;
            i += 2;
        } else if nest == 0 && b[i] == b'-' && b.get(i + 1) == Some(&b'-') {
            i += 2;
            while i < b.len() {
                i += 1;
                if b[i - 1] == b'\n' {
                    break;
                }
            }
        } else if nest > 0 {
            i += 1;
        } else {
            break;
        }
    }
    // `i` only ever stops on an ASCII byte or the end, so it is a char boundary; be safe regardless.
    query.get(i..).unwrap_or("")
}

/// The leading run of ASCII letters (psql uses `isalpha`), and the text after it.
fn word(query: &str) -> (&str, &str) {
    let end = query
        .bytes()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(query.len());
    (&query[..end], &query[end..])
}

fn next_word(query: &str) -> (&str, &str) {
    word(skip_white_space(query))
}

/// `command_no_begin`: commands that must not (or need not) run inside a transaction block, before which
/// AUTOCOMMIT off does not send BEGIN.
pub fn command_no_begin(query: &str) -> bool {
    let (w, rest) = next_word(query);
    let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    if ["abort", "begin", "start", "commit", "end", "rollback"]
        .iter()
        .any(|k| is(w, k))
    {
        return true;
    }
    if is(w, "prepare") {
        return is(next_word(rest).0, "transaction");
    }
    if is(w, "vacuum") {
        return true;
    }
    if is(w, "cluster") {
        // CLUSTER without arguments only.
        return !skip_white_space(rest)
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
    }
    if is(w, "create") {
        let (mut w2, mut rest2) = next_word(rest);
        if is(w2, "database") || is(w2, "tablespace") {
            return true;
        }
        if is(w2, "unique") {
            (w2, rest2) = next_word(rest2);
        }
        if is(w2, "index") {
            return is(next_word(rest2).0, "concurrently");
        }
        return false;
    }
    if is(w, "alter") {
        return is(next_word(rest).0, "system");
    }
    if is(w, "drop") || is(w, "reindex") {
        let (w2, rest2) = next_word(rest);
        if is(w2, "database") || is(w2, "system") || is(w2, "tablespace") {
            return true;
        }
        if is(w2, "index") || is(w2, "table") {
            return is(next_word(rest2).0, "concurrently");
        }
        return false;
    }
    if is(w, "discard") {
        return is(next_word(rest).0, "all");
    }
    false
}

/// `is_select_command`: SELECT or VALUES, after any opening parentheses.
pub fn is_select_command(query: &str) -> bool {
    let mut q = query;
    loop {
        q = skip_white_space(q);
        match q.strip_prefix('(') {
            Some(r) => q = r,
            None => break,
        }
    }
    let (w, _) = word(q);
    w.eq_ignore_ascii_case("select") || w.eq_ignore_ascii_case("values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_and_comments() {
        assert_eq!(
            skip_white_space("  -- c\n /* a /* b */ */ SELECT"),
            "SELECT"
        );
        assert_eq!(skip_white_space("-- only"), "");
        assert_eq!(skip_white_space("/* open"), "");
    }

    #[test]
    fn commands_that_need_no_begin() {
        for q in [
            "BEGIN",
            " commit;",
            "end",
            "prepare transaction 'x'",
            "VACUUM t",
            "cluster;",
            "create database d",
            "create unique index concurrently i on t(a)",
            "alter system set x = 1",
            "drop index concurrently i",
            "reindex table concurrently t",
            "drop tablespace s",
            "discard all",
        ] {
            assert!(command_no_begin(q), "{q}");
        }
        for q in [
            "select 1",
            "prepare p as select 1",
            "cluster t",
            "create table t()",
            "create unique index i on t(a)",
            "alter table t add a int",
            "drop table t",
            "discard temp",
        ] {
            assert!(!command_no_begin(q), "{q}");
        }
    }

    #[test]
    fn select_commands() {
        assert!(is_select_command("((select 1))"));
        assert!(is_select_command("/* x */ VALUES (1)"));
        assert!(!is_select_command("with x as (select 1) select * from x"));
        assert!(!is_select_command("table t"));
    }
}
