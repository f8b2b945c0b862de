//! COPY in every form: `copy_in`/`copy_out` round trips of awkward values, CSV options and privileges,
//! `\copy` and `COPY … FROM stdin` in files, at the prompt and in `-c`, and tags counted as psql counts them.

use crate::common;
use crate::common::{write, Target};

const AWKWARD: &str = r#"
    execute("CREATE TABLE awk (id int, t text, j jsonb, ts timestamptz, n numeric)");
    let values = [
        #{id: 1, t: (), j: #{a: [1, ()]}, ts: "2024-01-01 00:00:00+00", n: parse_decimal("1.50")},
        #{id: 2, t: "", j: (), ts: (), n: ()},
        #{id: 3, t: "comma, \"quote\" and\nnewline\r\nand crlf", j: #{s: "x"}, ts: "2024-02-29 12:34:56.789+00", n: 3},
        #{id: 4, t: "unicode é 日本語 🎉 \\ backslash ; semicolon", j: [], ts: "infinity", n: parse_decimal("-0.0001")},
        #{id: 5, t: "\\.", j: "\"just a string\"", ts: "1999-12-31 23:59:59+00", n: 1e20},
    ];
    print(copy_in("awk", values));
"#;

#[test]
fn copy_round_trips_nulls_quotes_unicode_and_newlines_exactly() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("awk.csv");
    let csv2 = dir.path().join("awk2.csv");
    let script = format!(
        r#"{AWKWARD}
        print(copy_out("awk", "{csv}"));
        execute("CREATE TABLE awk2 (LIKE awk)");
        print(copy_in("awk2", "{csv}"));
        print(copy_out("SELECT * FROM awk2 ORDER BY id", "{csv2}"));
        print(query_value("SELECT count(*) FROM (SELECT * FROM awk EXCEPT SELECT * FROM awk2) d"));
        print(query_value("SELECT count(*) FROM awk2 WHERE t IS NULL"));
        print(query_value("SELECT count(*) FROM awk2 WHERE t = ''"));
        "#,
        csv = csv.display(),
        csv2 = csv2.display()
    );
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--eval", &script])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "5\n5\n5\n5\n0\n1\n1\n", "{}", out.stderr);
    // Byte for byte the CSV psql's \copy writes for the same rows.
    let theirs = dir.path().join("psql.csv");
    let theirs2 = dir.path().join("psql2.csv");
    pg.psql(&format!("\\copy awk TO '{}' CSV HEADER", theirs.display()));
    pg.psql(&format!(
        "\\copy (SELECT * FROM awk2 ORDER BY id) TO '{}' CSV HEADER",
        theirs2.display()
    ));
    for (ours, theirs) in [(&csv, &theirs), (&csv2, &theirs2)] {
        assert_eq!(
            std::fs::read_to_string(ours).unwrap(),
            std::fs::read_to_string(theirs).unwrap(),
            "{} against psql's {}",
            ours.display(),
            theirs.display()
        );
    }
    // The same values in psql's eyes.
    let q =
        "SELECT string_agg(format('%s|%s|%s|%s|%s', id, t, j, ts, n), E'\\n' ORDER BY id) FROM awk";
    assert_eq!(pg.psql(q), pg.psql(&q.replace("awk", "awk2")));
    // psql reads the file pgsh wrote, and \copy in pgsh reads it too.
    pg.psql("CREATE TABLE awk3 (LIKE awk)");
    pg.psql(&format!("\\copy awk3 FROM '{}' CSV HEADER", csv.display()));
    assert_eq!(pg.psql(q), pg.psql(&q.replace("awk", "awk3")));
    let out = common::pgsh()
        .envs(pg.env())
        .stdin_str(&format!(
            "CREATE TABLE awk4 (LIKE awk);\n\\copy awk4 FROM '{}' WITH (FORMAT csv, HEADER)\n\\copy (SELECT id FROM awk4 ORDER BY id) TO '{}' CSV\n",
            csv.display(),
            dir.path().join("ids.csv").display()
        ))
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("COPY 5\nCOPY 5\n"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ids.csv")).unwrap(),
        "1\n2\n3\n4\n5\n"
    );
    assert_eq!(pg.psql(q), pg.psql(&q.replace("awk", "awk4")));
}

/// Rows the server sends as many CopyData messages, of varied widths, with NULLs, quotes and newlines: what
/// `copy_out` and `\\copy … TO` write is byte for byte what psql's `\\copy` writes (text and CSV), on both
/// targets. The vendored COPY reader gathers the messages into 64 kB chunks (vendor/README.md); a row lost,
/// doubled or cut at a chunk's edge shows here.
#[test]
fn copy_out_of_many_rows_is_byte_for_byte_psqls_copy() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    let query = "SELECT g, repeat(chr(97 + g % 26), (g * 7919) % 700) AS s, \
                 CASE WHEN g % 5 = 0 THEN NULL ELSE g * 1.5 END AS x, \
                 CASE WHEN g % 7 = 0 THEN 'a,\"b\"' || chr(10) || 'c\\d' END AS q \
                 FROM generate_series(1, 10000) g";
    let file = |name: &str| dir.path().join(name).display().to_string();
    pg.psql(&format!(
        "\\copy ({query}) TO '{}' CSV HEADER\n\\copy ({query}) TO '{}'",
        file("psql.csv"),
        file("psql.txt")
    ));
    let theirs_csv = std::fs::read_to_string(file("psql.csv")).unwrap();
    let theirs_txt = std::fs::read_to_string(file("psql.txt")).unwrap();
    assert!(theirs_csv.len() > 3_000_000, "{} bytes", theirs_csv.len());
    for target in [Target::Embedded, Target::Native(&pg)] {
        let script = format!(
            "print(copy_out(\"{}\", \"{}\"));",
            query.replace('\\', "\\\\").replace('"', "\\\""),
            file("ours.csv")
        );
        let out = target.pgsh().args(["--eval", &script]).run();
        out.assert_ok();
        assert_eq!(out.stdout, "10000\n", "{}: {out}", target.name());
        let out = target
            .pgsh()
            .args(["-c", &format!("\\copy ({query}) TO '{}'", file("ours.txt"))])
            .run();
        out.assert_ok();
        for (ours, theirs) in [("ours.csv", &theirs_csv), ("ours.txt", &theirs_txt)] {
            let ours_text = std::fs::read_to_string(file(ours)).unwrap();
            // Not assert_eq: a 3 MB diff helps nobody; the first differing line does.
            if &ours_text != theirs {
                let first = ours_text
                    .lines()
                    .zip(theirs.lines())
                    .position(|(a, b)| a != b);
                panic!(
                    "{}: {ours} differs from psql's copy ({} against {} bytes; first differing line {first:?})",
                    target.name(),
                    ours_text.len(),
                    theirs.len()
                );
            }
        }
    }
}

#[test]
fn copy_in_matches_csv_columns_by_name_and_takes_options() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), "name;id\nAda;1\nNULL;2\n").unwrap();
    let script = format!(
        r#"execute("CREATE TABLE people (id int, name text)");
        print(copy_in("people", "{}/people.csv", #{{delimiter: ";", null_as: "NULL"}}));
        print(query("SELECT id, name FROM people ORDER BY id"));
        try {{ copy_in("people", "{}/missing.csv"); }} catch (e) {{ print(e.message); }}"#,
        dir.path().display(),
        dir.path().display()
    );
    let out = common::pgsh().args(["--eval", &script]).run();
    out.assert_ok();
    assert!(out.stdout.starts_with("2\n"), "{}", out.stdout);
    assert!(out.stdout.contains("  1 | Ada"), "{}", out.stdout);
    assert!(out.stdout.contains("  2 | \n"), "{}", out.stdout);
    assert!(out.stdout.contains("cannot read"), "{}", out.stdout);
}

/// COPY FROM needs only INSERT on the table: so does `copy_in` from maps (it reads column types from the
/// catalog, not from the table).
#[test]
fn copy_in_needs_only_insert_privilege() {
    let pg = require_native!();
    pg.psql("CREATE TABLE t_ins (a int, tags text[]); CREATE ROLE writer LOGIN; GRANT INSERT ON t_ins TO writer;");
    let out = common::pgsh()
        .envs(pg.env())
        .env("PGUSER", "writer")
        .env("PGDATABASE", "postgres")
        .args([
            "--eval",
            r#"print(copy_in("t_ins", [#{a: 1, tags: ["x", "y z"]}, #{a: 2, tags: ()}]));"#,
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "2");
    assert_eq!(
        pg.psql("SELECT string_agg(a || ':' || coalesce(array_to_string(tags, '|'), '-'), ',' ORDER BY a) FROM t_ins"),
        "1:x|y z,2:-"
    );
}

/// Arrays and JSON string scalars leave as PostgreSQL's text forms, so what `write_csv` writes `copy_in`
/// reads back unchanged; `copy_in` from maps writes arrays in PostgreSQL's array syntax.
#[test]
fn arrays_and_json_strings_round_trip_through_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("ar.csv");
    let script = format!(
        r#"
        execute("CREATE TABLE ar (id int, arr int[], tags text[], j jsonb)");
        print(copy_in("ar", [#{{id: 1, arr: [1, (), 3], tags: ["a b", "c,\"d\"", ()], j: "{{\"x\": 1}}"}}]));
        execute("INSERT INTO ar VALUES (2, NULL, ARRAY[]::text[], '\"just a string\"')");
        let rows = query("SELECT * FROM ar ORDER BY id");
        write_csv("{csv}", rows);
        execute("CREATE TABLE ar2 (LIKE ar)");
        print(copy_in("ar2", "{csv}", #{{header: true}}));
        print(query_value("SELECT count(*) FROM ((TABLE ar EXCEPT TABLE ar2) UNION ALL (TABLE ar2 EXCEPT TABLE ar)) d"));
        print(query_value("SELECT arr[3] + array_length(tags, 1) FROM ar2 WHERE id = 1"));
        print(to_csv(rows));
        "#,
        csv = csv.display()
    );
    let out = common::pgsh().args(["--eval", &script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "1\n2\n0\n6\nid,arr,tags,j\n1,\"{1,NULL,3}\",\"{\"\"a b\"\",\"\"c,\\\"\"d\\\"\"\"\",NULL}\",\"{\"\"x\"\": 1}\"\n2,,{},\"\"\"just a string\"\"\"\n\n",
        "{}",
        out.stderr
    );
}

/// COPY TO output is read in large gathered chunks (vendor/postgres): an error half-way still surfaces as the
/// server's error, the session stays usable, and an empty result is zero rows.
#[test]
fn copy_out_errors_half_way_and_empty_results() {
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| dir.path().join(n).display().to_string();
    let script = format!(
        r#"try {{ copy_out("SELECT 1/(g-50000) FROM generate_series(1,100000) g", "{}"); }} catch (e) {{ print(e.code); }}
        print(query_value("SELECT 42"));
        print(copy_out("SELECT g FROM generate_series(1,0) g", "{}"));
        print(copy_out("SELECT g, repeat('x', 100000) FROM generate_series(1,3) g", "{}"));"#,
        f("err.csv"),
        f("empty.csv"),
        f("wide.csv")
    );
    let out = common::pgsh().args(["--eval", &script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "22012\n42\n0\n3\n", "{}", out.stderr);
    let wide = std::fs::read_to_string(dir.path().join("wide.csv")).unwrap();
    assert_eq!(wide.lines().count(), 4);
    assert!(wide.lines().nth(3).unwrap().ends_with(&"x".repeat(100000)));
}

#[test]
fn copy_tags_count_rows_as_psql_does() {
    let dir = tempfile::tempdir().unwrap();
    let f = |name: &str| dir.path().join(name).display().to_string();
    let input = format!(
        "CREATE TABLE headers (a text);\n\
         INSERT INTO headers VALUES ('a\"b'), ('plain'), ('c\"d'), (E'x\\ny');\n\
         \\copy headers TO '{}'\n\
         \\copy headers TO '{}' CSV\n\
         \\copy headers TO '{}' CSV HEADER\n\
         \\copy headers TO '{}' WITH (FORMAT binary)\n\
         \\copy headers TO STDOUT\n",
        f("t.txt"),
        f("c.csv"),
        f("h.csv"),
        f("b.bin")
    );
    let out = common::pgsh().stdin_str(&input).run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "CREATE TABLE\nINSERT 0 4\nCOPY 4\nCOPY 4\nCOPY 4\nCOPY 4\na\"b\nplain\nc\"d\nx\\ny\n",
        "{}",
        out.stderr
    );
}

#[test]
fn copy_from_stdin_reads_the_file_for_backslash_copy_and_pgsh_stdin_for_minus_c() {
    let pg = require_native!();
    let dir = tempfile::tempdir().unwrap();
    pg.psql("CREATE TABLE k (v int)");
    // In a file, \copy … from stdin takes the lines that follow (not pgsh's stdin); pstdin is pgsh's stdin.
    let file = write(
        dir.path(),
        "copy.sql",
        "\\copy k from stdin\n1\n2\n\\.\n\\copy k from pstdin\nSELECT count(*) AS n FROM k;\n",
    );
    let out = common::pgsh()
        .envs(pg.env())
        .arg("-f")
        .arg(&file)
        .stdin_str("3\n\\.\nnot data\n")
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("COPY 2\nCOPY 1\n"), "{}", out.stdout);
    assert_eq!(
        pg.psql("SELECT string_agg(v::text, ',' ORDER BY v) FROM k"),
        "1,2,3"
    );
    // -c: the data is pgsh's stdin, and its end ends the data (as psql reads it).
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "COPY k FROM stdin"])
        .stdin_str("7\n8\n")
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "COPY 2\n");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-c", "\\copy k from stdin"])
        .stdin_str("9\n\\.\n")
        .run();
    out.assert_ok();
    // With the SQL itself on stdin (-f -), pstdin is that same input.
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-f", "-"])
        .stdin_str("\\copy k from pstdin\n10\n\\.\nSELECT 'done' AS d;\n")
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("done"), "{}", out.stdout);
    assert_eq!(
        pg.psql("SELECT string_agg(v::text, ',' ORDER BY v) FROM k"),
        "1,2,3,7,8,9,10"
    );
}

#[test]
fn copy_data_in_files_and_at_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sql");
    std::fs::write(
        &bad,
        "CREATE TABLE ec (a int);\nCOPY ec (a) FROM stdin;\n1\nnotanint\n\\.\nINSERT INTO ec VALUES (5);\nCREATE TABLE ec2 (b int);\nSELECT count(*) AS n FROM ec2;\n",
    )
    .unwrap();
    let out = common::pgsh()
        .args(["--continue-on-error", "-f"])
        .arg(&bad)
        .run();
    out.assert_ok();
    assert!(
        out.stderr.contains("invalid input syntax for type integer"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("INSERT 0 1"), "{}", out.stdout);
    assert!(out.stdout.contains("CREATE TABLE"), "{}", out.stdout);
    assert!(out.stdout.contains(" n \n---\n 0\n"), "{}", out.stdout);
    // \i of a SQL file at the REPL goes through the same runner; COPY works at the prompt both ways.
    let data = dir.path().join("data.sql");
    std::fs::write(
        &data,
        "CREATE TABLE ic (a int, b text);\nCOPY ic (a, b) FROM stdin;\n1\tone\n2\ttwo\n\\.\n",
    )
    .unwrap();
    let out = common::pgsh()
        .stdin_str(&format!(
            "\\i {}\nCOPY ic FROM stdin;\n3\tthree\n\\.\nCOPY (SELECT a, b FROM ic ORDER BY a) TO STDOUT;\nSELECT count(*) FROM ic;\n",
            data.display()
        ))
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("COPY 2\n"), "{}", out.stdout);
    assert!(out.stdout.contains("COPY 1\n"), "{}", out.stdout);
    // As psql: data written to stdout is not followed by a tag (it would mix with the data).
    assert!(
        out.stdout.contains("1\tone\n2\ttwo\n3\tthree\n count"),
        "{}",
        out.stdout
    );
    // \copy ... TO stdout in a -c run lands in order in the output.
    let out = common::pgsh()
        .args(["-c", "SELECT 1 AS one", "-c", "\\copy (select 2) to stdout"])
        .run();
    out.assert_ok();
    assert!(
        out.stdout.find("one").unwrap() < out.stdout.find("\n2\n").unwrap(),
        "{}",
        out.stdout
    );
}

/// `\copy … from stdin` in piped input takes the lines that follow, up to `\.`, as psql does (it used to wait
/// forever on stdin, which the input loop itself holds).
#[test]
fn backslash_copy_from_stdin_reads_the_piped_input() {
    let out = common::pgsh()
        .stdin_str(
            "CREATE TABLE cc (a int, b text);\n\\copy cc from stdin\n1\tone\n2\ttwo\n\\.\n\\copy cc from stdin csv\n3,three\n\\.\nSELECT string_agg(b, ',' ORDER BY a) FROM cc;\n",
        )
        .timeout(std::time::Duration::from_secs(60))
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("COPY 2\nCOPY 1\n"), "{}", out.stdout);
    assert!(out.stdout.contains("one,two,three"), "{}", out.stdout);
}
