//! Piped standard input: SQL, Rhai and meta-commands mixed in one stream, stopping at the first error.

use crate::common;
use crate::common::{assert_block, embedded, lines, Output};

const PIPED: &str = "CREATE TABLE fruit (name text, price numeric);
INSERT INTO fruit VALUES ('fig', 3), ('kiwi', 1.5);
SELECT name,
       price
FROM fruit
ORDER BY name;
let n = query_value(\"SELECT count(*) FROM fruit\");
print(`n=${n}`);
n * 10
\\echo hello from echo
query(\"SELECT name FROM fruit WHERE price < $1\", [2])
";

fn check_piped(out: &Output, how: &str) {
    out.assert_ok();
    assert_block(
        &out.stdout,
        &[
            "CREATE TABLE",
            "INSERT 0 2",
            " name | price ",
            "------+-------",
            " fig  |     3",
            " kiwi |   1.5",
            "(2 rows)",
        ],
        how,
    );
    assert_block(&out.stdout, &["n=2", "20", "hello from echo"], how);
    assert_block(&out.stdout, &[" name ", "------", " kiwi", "(1 row)"], how);
    assert!(out.stderr.is_empty(), "{how}: {out}");
}

#[test]
fn piped_stdin_mixes_sql_rhai_and_meta_commands() {
    let out = embedded().stdin_str(PIPED).run();
    check_piped(&out, "pgsh < input");
    let dash = embedded().arg("-").stdin_str(PIPED).run();
    check_piped(&dash, "pgsh - < input");
    assert_eq!(out.stdout, dash.stdout);
}

#[test]
fn piped_stdin_on_native() {
    let pg = require_native!();
    let out = common::pgsh().envs(pg.env()).stdin_str(PIPED).run();
    check_piped(&out, "pgsh < input (native)");
    assert_eq!(pg.psql("select count(*) from fruit"), "2");
}

#[test]
fn piped_stdin_stops_at_a_sql_error() {
    let input =
        "SELECT 1 AS one;\nprint(\"a\");\n\nSELECT * FROM\n  nope;\nprint(\"not reached\");\n";
    for args in [&[][..], &["-"][..]] {
        let out = embedded().args(args).stdin_str(input).run();
        out.assert_code(3);
        assert!(out.stdout.contains("(1 row)"), "{args:?}: {out}");
        assert!(lines(&out.stdout).contains(&"a"), "{args:?}: {out}");
        assert!(!out.stdout.contains("not reached"), "{args:?}: {out}");
        // As psql reading a file: the line where the statement ended (5), and the statement as sent,
        // its `;` included, with the server's caret in its second line.
        assert!(
            out.stderr
                .starts_with("pgsh:<stdin>:5: ERROR:  relation \"nope\" does not exist\n"),
            "{args:?}: {out}"
        );
        assert!(
            out.stderr.contains("LINE 2:   nope;\n          ^\n"),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn piped_stdin_stops_at_a_rhai_error() {
    let input = "print(\"a\");\nlet x = 1;\nlet y = nope + 1;\nprint(\"not reached\");\n";
    for args in [&[][..], &["-"][..]] {
        let out = embedded().args(args).stdin_str(input).run();
        out.assert_code(3);
        assert_eq!(out.stdout, "a\n", "{args:?}: {out}");
        assert!(
            out.stderr
                .starts_with("<stdin>:3:9: Variable not found: nope\n   3 | let y = nope + 1;\n"),
            "{args:?}: {out}"
        );
    }
}

/// psql's variables and Rhai meet: `\gset` feeds a script, a script's `set_psql_var` feeds `:name`,
/// `:'name'` and `:"name"` (quoted by psql's rules), and a value psql's hooks refuse stops the run.
#[test]
fn rhai_reads_and_sets_psql_variables() {
    let input = "SELECT 'Lisbon' AS city, 3 AS n \\gset\n\
                 print(`city from gset: ${psql_var(\"city\")}`);\n\
                 set_psql_var(\"tbl\", \"pg_class\");\n\
                 set_psql_var(\"greeting\", \"it's\");\n\
                 SELECT count(*) > 0 AS ok FROM :\"tbl\" WHERE :'greeting' = 'it''s';\n\
                 let doubled = psql_var(\"n\").parse_int() * 2;\n\
                 SELECT :doubled AS rhai_var;\n\
                 unset_psql_var(\"city\");\n\
                 \\echo [:city] :n\n\
                 set_psql_var(\"FETCH_COUNT\", \"many\");\n\
                 print(\"not reached\");\n";
    let out = embedded().stdin_str(input).run();
    out.assert_code(3);
    assert_block(&out.stdout, &["city from gset: Lisbon"], "gset");
    assert_block(&out.stdout, &[" ok ", "----", " t", "(1 row)"], "quoting");
    assert_block(
        &out.stdout,
        &[" rhai_var ", "----------", "        6"],
        "rhai :name",
    );
    assert_block(&out.stdout, &["[:city] 3"], "unset");
    assert!(!out.stdout.contains("not reached"), "{out}");
    assert!(
        out.stderr
            .contains("invalid value \"many\" for \"FETCH_COUNT\": integer expected"),
        "{out}"
    );
}

/// `connect()` in the input makes another session current: the SQL typed after it goes there too, so
/// SQL and `query()` never talk to two different sessions.
#[test]
fn typed_sql_follows_the_session_connect_made_current() {
    let pg = require_native!();
    pg.psql("CREATE DATABASE follow_me");
    let input = format!(
        "SELECT current_database() AS before;\nlet d = connect(\"{}\");\n\
         SELECT current_database() AS after;\n\\echo :DBNAME\n\
         d.close();\nSELECT current_database() || ' again' AS reopened;\n",
        pg.url_for("follow_me", "postgres")
    );
    let out = common::pgsh().envs(pg.env()).stdin_str(&input).run();
    out.assert_ok();
    assert_block(
        &out.stdout,
        &["  before  ", "----------", " postgres"],
        "before",
    );
    assert_block(
        &out.stdout,
        &["   after   ", "-----------", " follow_me"],
        "after",
    );
    assert!(lines(&out.stdout).contains(&"follow_me"), "{out}");
    // Closing that session leaves SQL on the one Rhai would use next: the default target, reopened.
    assert!(lines(&out.stdout).contains(&" postgres again"), "{out}");
}
