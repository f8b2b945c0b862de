//! Data at scale, for correctness (speed is the benchmark's job): streaming with an early break, COPY
//! round trips of awkward values, `\copy`, the statement cache after DDL, output formats, CSV/JSON helpers.

mod common;

#[test]
fn stream_reads_in_batches_closes_on_break_and_works_in_and_out_of_transactions() {
    let pg = require_native!();
    pg.psql("CREATE TABLE n AS SELECT g AS id FROM generate_series(1, 2500) g");
    let script = r#"
        // Outside a transaction: autocommit stays on while streaming.
        let total = 0; let count = 0;
        for r in stream("SELECT id FROM n ORDER BY id", [], #{batch: 100}) { total += r.id; count += 1; }
        print(`${count} ${total} ${in_transaction()}`);
        // Early break: the cursor is closed at once.
        for r in stream("SELECT id FROM n WHERE id > $1 ORDER BY id", [10]) { if r.id == 15 { break; } }
        print(query_value("SELECT count(*) FROM pg_cursors WHERE name LIKE 'pgsh%'"));
        // Statements inside the loop commit as usual (autocommit) and see their own writes.
        execute("CREATE TABLE seen (id int)");
        for r in stream("SELECT id FROM n WHERE id <= 3 ORDER BY id") { execute("INSERT INTO seen VALUES ($1)", [r.id]); }
        // Inside an explicit transaction.
        begin();
        let inside = 0;
        for r in stream("SELECT id FROM n WHERE id <= 10") { inside += 1; }
        print(`${inside} ${in_transaction()}`);
        rollback();
        // Errors name the statement the user wrote.
        try { for r in stream("SELECT nope FROM n") { } } catch (e) { print(`${e.code} ${e.sql} ${e.position}`); }
    "#;
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout, "2500 3126250 false\n0\n10 true\n42703 SELECT nope FROM n 8\n",
        "{}",
        out.stderr
    );
    assert_eq!(
        pg.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM seen"),
        "1,2,3"
    );
}

/// A stream asks for its next batches while the script works (two in flight): statements in the loop body,
/// nested streams, a failure in a later batch and an early break must all behave as without that.
#[test]
fn stream_batches_asked_ahead_stay_correct() {
    let pg = require_native!();
    pg.psql("CREATE TABLE n AS SELECT g AS id FROM generate_series(1, 2500) g");
    let script = r#"
        execute("CREATE TABLE log (id int)");
        // The body writes on the same connection, inside a transaction, while later batches are on the way.
        transaction(|| {
            for r in stream("SELECT id FROM n ORDER BY id", [], #{batch: 100}) {
                if r.id % 50 == 0 { execute("INSERT INTO log VALUES ($1)", [r.id]); }
            }
        });
        print(query_value("SELECT count(*) FROM log"));
        // Nested streams on one connection.
        let pairs = 0;
        for a in stream("SELECT id FROM n WHERE id <= 300 ORDER BY id", [], #{batch: 100}) {
            if a.id % 100 == 0 {
                for b in stream("SELECT id FROM n WHERE id <= 250", [], #{batch: 100}) { pairs += 1; }
            }
        }
        print(pairs);
        // A failure in batch 15: its error, and nothing the transaction wrote is kept.
        try {
            transaction(|| {
                for r in stream("SELECT 1 / (1500 - id) AS x, id FROM n", [], #{batch: 100}) {
                    execute("INSERT INTO log VALUES ($1)", [r.id]);
                }
            });
        } catch (e) { print(`${e.code} ${e.message}`); }
        print(query_value("SELECT count(*) FROM log"));
        // The same failure with a body that does not touch the connection.
        let seen = 0;
        try {
            for r in stream("SELECT 1 / (1500 - id) AS x FROM n", [], #{batch: 100}) { seen += 1; }
        } catch (e) { print(`${e.code} after ${seen}`); }
        print(`${in_transaction()} ${query_value("SELECT count(*) FROM pg_cursors WHERE name LIKE 'pgsh%'")}`);
        // A break before the failing row: never an error, in a transaction or not (batches asked for ahead
        // of the loop would reach it).
        for r in stream("SELECT 1 / (1500 - id) AS x FROM n", [], #{batch: 100}) { break; }
        begin();
        for r in stream("SELECT 1 / (1500 - id) AS x FROM n", [], #{batch: 100}) { break; }
        print(`${query_value("SELECT 8")} ${in_transaction()}`);
        rollback();
        // An early break in the first batch, with the next two asked for.
        for r in stream("SELECT id FROM n ORDER BY id", [], #{batch: 10}) { if r.id == 3 { break; } }
        print(`${in_transaction()} ${query_value("SELECT count(*) FROM pg_cursors WHERE name LIKE 'pgsh%'")} ${query_value("SELECT 7")}`);
    "#;
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "50\n750\n22012 division by zero\n50\n22012 after 1400\nfalse 0\n8 true\nfalse 0 7\n",
        "{out}"
    );
}

/// A stream kept in a variable after one of its batches failed (the batches asked for after it fail too,
/// as the transaction is aborted): the next statement runs, with no error of theirs.
#[test]
fn a_kept_stream_whose_batch_failed_leaves_the_session_usable() {
    let pg = require_native!();
    pg.psql("CREATE TABLE n AS SELECT g AS id FROM generate_series(1, 2500) g");
    let script = r#"
        let s = stream("SELECT 1 / (1500 - id) AS x FROM n", [], #{batch: 100});
        let seen = 0;
        try { for r in s { seen += 1; } } catch (e) { print(`${e.code} after ${seen}`); }
        print(`${query_value("SELECT 5")} ${in_transaction()}`);
        try { for r in s { seen += 1; } } catch (e) { print(`again ${e.code}`); }
        print(`${seen} ${query_value("SELECT count(*) FROM pg_cursors WHERE name LIKE 'pgsh%'")}`);
    "#;
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "22012 after 1400\n5 false\n1400 0\n", "{out}");
}

/// The loop body opening its own transaction while batches are on the way: a failure in one of them is
/// reported where it would have been without them (the commit of the stream's transaction, before the
/// user's BEGIN), and a healthy stream leaves the user's transaction to commit.
#[test]
fn stream_bodies_that_begin_transactions_keep_them() {
    let pg = require_native!();
    pg.psql("CREATE TABLE n AS SELECT g AS id FROM generate_series(1, 2500) g; CREATE TABLE log (id int)");
    let script = r#"
        let code = "";
        try {
            for r in stream("SELECT id, 1 / (1500 - id) AS x FROM n") {
                begin(); execute("INSERT INTO log VALUES ($1)", [r.id]); break;
            }
        } catch (e) { code = e.code; }
        print(`${code} ${in_transaction()}`);
        for r in stream("SELECT id FROM n ORDER BY id") {
            begin(); execute("INSERT INTO log VALUES ($1)", [r.id + 10000]); break;
        }
        commit();
        print(query_value("SELECT string_agg(id::text, ',') FROM log"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "22012 false\n10001\n", "{out}");
}

/// Slow batches (2 kB rows, pg_sleep) under a slow loop body and a liveness bound of 100 ms: every row
/// arrives and the connection is never called lost. Batches are asked for without waiting for the server,
/// so a liveness check run while they are in flight would queue behind them and time out (this test fails
/// when pgsh does not skip the check then).
#[test]
fn slow_stream_batches_are_not_mistaken_for_a_lost_connection() {
    let pg = require_native!();
    let run = common::pgsh();
    let dir = run.home().join(".config/pgsh");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[pool]\nvalidation_timeout = \"100ms\"\n",
    )
    .unwrap();
    let script = r#"
        let n = 0;
        // 2 kB rows, so the server sends a batch's first rows (and the bind) before the batch is done.
        let q = "SELECT g, repeat('x', 2000) AS pad, pg_sleep(0.05) FROM generate_series(1, 40) g";
        for r in stream(q, [], #{batch: 10}) {
            if r.g % 10 == 1 { sleep(0.15); }
            n += 1;
        }
        print(n);
    "#;
    let out = run.envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "40", "{out}");
    assert!(!out.stderr.contains("lost"), "{out}");
}

#[test]
fn stream_on_the_embedded_database() {
    let out = common::pgsh()
        .args(["-e", "let s = 0; for r in stream(\"SELECT g FROM generate_series(1, 3000) g\") { s += r.g; } print(s);"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "4501500");
}

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
    let out = common::pgsh().envs(pg.env()).args(["-e", &script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "5\n5\n5\n5\n0\n1\n1\n", "{}", out.stderr);
    assert_eq!(std::fs::read(&csv).unwrap(), std::fs::read(&csv2).unwrap());
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
    let out = common::pgsh().args(["-e", &script]).run();
    out.assert_ok();
    assert!(out.stdout.starts_with("2\n"), "{}", out.stdout);
    assert!(out.stdout.contains("  1 | Ada"), "{}", out.stdout);
    assert!(out.stdout.contains("  2 | \n"), "{}", out.stdout);
    assert!(out.stdout.contains("cannot read"), "{}", out.stdout);
}

#[test]
fn cached_statements_are_reprepared_after_ddl() {
    let pg = require_native!();
    let script = r#"
        execute("CREATE TABLE c (a int)");
        execute("INSERT INTO c VALUES (1)");
        for i in 0..6 { query("SELECT * FROM c"); }
        execute("ALTER TABLE c ADD COLUMN b text DEFAULT 'x'");
        let r = query("SELECT * FROM c");
        print(r.columns);
        execute("ALTER TABLE c ALTER COLUMN a TYPE bigint");
        print(query_value("SELECT a FROM c") + 1);
        // DDL from another session: the server reports the stale plan (0A000) and pgsh prepares again.
        let other = connect();
        for i in 0..3 { query("SELECT * FROM c"); }
        other.execute("ALTER TABLE c ADD COLUMN z int DEFAULT 7");
        print(query_one("SELECT * FROM c").z);
        // Inside a transaction a stale plan cannot be retried (the failure aborts the transaction), so at
        // most one run fails, and the next prepares afresh.
        for i in 0..3 { transaction(|| query("SELECT * FROM c")); }
        other.execute("ALTER TABLE c DROP COLUMN z");
        try { transaction(|| query("SELECT * FROM c")); } catch (e) { if e.code != "0A000" { throw e; } }
        print(transaction(|| query("SELECT * FROM c")).columns);
        // A stream reads the columns the table has now, not the ones a cached plan remembers.
        for r in stream("SELECT * FROM c") { }
        other.execute("ALTER TABLE c DROP COLUMN a");
        let n = 0;
        for r in stream("SELECT * FROM c") { n += 1; print(r); }
        print(n);
        // Streams leave no prepared FETCH behind.
        for i in 0..20 { for r in stream("SELECT 1 AS x") { } }
        print(query_value("SELECT count(*) FROM pg_prepared_statements WHERE statement ILIKE 'FETCH%'"));
    "#;
    let out = common::pgsh().envs(pg.env()).args(["-e", script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout, "[\"a\", \"b\"]\n2\n7\n[\"a\", \"b\"]\n#{b: \"x\"}\n1\n0\n",
        "{}",
        out.stderr
    );
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
fn output_formats_for_c_and_piped_input() {
    let q = "SELECT 1 AS n, 'a,b' AS t, NULL::text AS z, 1.50::numeric AS d, true AS ok, '2024-01-02 03:04:05+00'::timestamptz AS ts, '{\"k\": [1]}'::jsonb AS j";
    let run = |fmt: &str| {
        let out = common::pgsh()
            .args(["--format", fmt, "-c", "SET TimeZone = 'UTC'", "-c", q])
            .run();
        out.assert_ok();
        out.stdout
    };
    let csv = run("csv");
    assert!(
        csv.ends_with(
            "n,t,z,d,ok,ts,j\n1,\"a,b\",,1.50,t,2024-01-02 03:04:05+00,\"{\"\"k\"\": [1]}\"\n"
        ),
        "{csv}"
    );
    let json = run("json");
    assert!(
        json.ends_with("[\n{\"n\":1,\"t\":\"a,b\",\"z\":null,\"d\":1.50,\"ok\":true,\"ts\":\"2024-01-02T03:04:05+00:00\",\"j\":{\"k\":[1]}}\n]\n"),
        "{json}"
    );
    let jsonl = run("jsonl");
    assert!(jsonl.ends_with("{\"n\":1,\"t\":\"a,b\",\"z\":null,\"d\":1.50,\"ok\":true,\"ts\":\"2024-01-02T03:04:05+00:00\",\"j\":{\"k\":[1]}}\n"), "{jsonl}");
    let md = run("markdown");
    assert!(md.contains("| n   | t   | z   | d    | ok  |"), "{md}");
    assert!(md.contains("| --: | --- | --- | ---: |"), "{md}");
    assert!(md.contains("|   1 | a,b |     | 1.50 | t   |"), "{md}");
    let table = run("table");
    assert!(table.contains(" n |  t  | z |  d   | ok |"), "{table}");
    // The REPL loop (piped) honours --format too.
    let out = common::pgsh()
        .args(["--format", "csv"])
        .stdin_str("SELECT 2 AS x;\n")
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "x\n2\n");
    // Unknown formats are a usage error.
    common::pgsh()
        .args(["--format", "xml", "-c", "SELECT 1"])
        .run()
        .assert_code(1);
}

/// Shown results keep json and jsonb as the server wrote them (key order, duplicate keys, number forms), as
/// psql does; JSON lines stay one line. Scripts still get decoded values.
#[test]
fn shown_json_keeps_the_servers_text() {
    let q = "SELECT E'{\\n  \"b\": 1,\\n  \"a\": \"x, y: z\",\\n  \"b\": 2.50\\n}'::json AS j, \
             '{\"x\": 1.0, \"w\": 3.14159265358979323846}'::jsonb AS jb";
    let run = |fmt: &str| {
        let out = common::pgsh().args(["--format", fmt, "-c", q]).run();
        out.assert_ok();
        out.stdout
    };
    let table = run("table");
    for want in [
        "| {\"w\": 3.14159265358979323846, \"x\": 1.0}\n",
        "   \"a\": \"x, y: z\",+|",
        "   \"b\": 2.50      +|",
    ] {
        assert!(table.contains(want), "no {want} in {table}");
    }
    assert_eq!(
        run("jsonl"),
        "{\"j\":{\"b\":1,\"a\":\"x, y: z\",\"b\":2.50},\"jb\":{\"w\":3.14159265358979323846,\"x\":1.0}}\n"
    );
    let csv = run("csv");
    assert!(csv.contains("\"{\n  \"\"b\"\": 1,"), "{csv}");
    let out = common::pgsh()
        .args([
            "-e",
            "let v = query_value(\"SELECT '{\\\"b\\\": 1.0}'::json\"); `${type_of(v)} ${type_of(v.b)}`",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "map f64", "{out}");
}

/// An array whose lower bounds are not 1 shows them, as psql does; a script gets its elements.
#[test]
fn shown_arrays_keep_their_bounds() {
    let out = common::pgsh()
        .args([
            "--format",
            "csv",
            "-c",
            "SELECT '[2:3]={a,b}'::text[] AS a, '[0:1][1:1]={{1},{NULL}}'::int[] AS m",
        ])
        .run();
    out.assert_ok();
    // As psql --csv writes them.
    assert_eq!(
        out.stdout, "a,m\n\"[2:3]={a,b}\",\"[0:1][1:1]={{1},{NULL}}\"\n",
        "{out}"
    );
    let out = common::pgsh()
        .args([
            "-e",
            "let a = query_value(\"SELECT '[2:3]={a,b}'::text[]\"); `${a.len()} ${a[0]} ${a[1]}`",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "2 a b", "{out}");
}

#[test]
fn csv_and_json_helpers() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        r#"let rows = query("SELECT 2 AS z, 'x,y' AS a, NULL::int AS n, 1.5::float8 AS f");
        print(to_csv(rows));
        print(to_json(rows));
        print(write_csv("{d}/r.csv", rows));
        let back = read_csv("{d}/r.csv");
        print(back.columns);
        print(back[0].a);
        print(write_json("{d}/r.json", [#{{b: 1, a: "q"}}]));
        print(to_csv([#{{b: 1, a: ""}}, #{{b: (), a: "w"}}]));"#,
        d = dir.path().display()
    );
    let out = common::pgsh().args(["-e", &script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "z,a,n,f\n2,\"x,y\",,1.5\n\n[\n  {\"z\": 2, \"a\": \"x,y\", \"n\": null, \"f\": 1.5}\n]\n1\n[\"z\", \"a\", \"n\", \"f\"]\nx,y\n1\na,b\n\"\",1\nw,\n\n",
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("r.json")).unwrap(),
        "[\n  {\"a\": \"q\", \"b\": 1}\n]\n"
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("big.csv");
    let mut text = String::from("id\n");
    for i in 0..200_000 {
        text.push_str(&format!("{i}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let out = common::pgsh()
        .args([
            "-e",
            &format!(
                "execute(\"CREATE TABLE big (id int)\"); print(copy_in(\"big\", \"{}\")); let n = 0; for r in stream(\"SELECT id FROM big\") {{ n += 1; }} print(n);",
                csv.display()
            ),
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "200000\n200000\n");
    assert!(out.stderr.is_empty(), "{:?}", out.stderr);
}

#[test]
fn read_csv_keeps_null_and_empty_apart_and_rows_sort_and_decimals_mix_with_floats() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        r#"execute("CREATE TABLE zz (id int, note text, price numeric)");
        execute("INSERT INTO zz VALUES (1, NULL, 2.50), (2, '', 1.25), (3, 'x', 10)");
        copy_out("zz", "{d}/zz.csv");
        let back = read_csv("{d}/zz.csv");
        print(back.filter(|r| r.note == ()).len());
        print(back.filter(|r| r.note == "").len());
        execute("TRUNCATE zz");
        print(copy_in("zz", back));
        print(query_value("SELECT count(*) FROM zz WHERE note IS NULL"));
        let rows = query("SELECT id, price FROM zz").sort(|a, b| b.id - a.id);
        print(rows.map(|r| r.id));
        let p = rows[1].price;
        print(p == 1.25);
        print(p * 2.0);
        print(p > 1.0 && p < 2.0);"#,
        d = dir.path().display()
    );
    let out = common::pgsh().args(["-e", &script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout, "1\n1\n3\n1\n[3, 2, 1]\ntrue\n2.50\ntrue\n",
        "{}",
        out.stderr
    );
}

#[test]
fn connect_options_refine_the_embedded_default_and_describe_works_in_c() {
    let out = common::pgsh()
        .args([
            "-e",
            r#"execute("CREATE DATABASE other");
            let o = connect(#{dbname: "other"});
            print(o.query_value("SELECT current_database()"));
            try { connect(); } catch (e) { print(e.code); }
            o.close();
            print(connect().query_value("SELECT current_database()"));"#,
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "other\n53300\npostgres\n");
    let out = common::pgsh()
        .args([
            "-c",
            "CREATE TABLE zz (a int PRIMARY KEY)",
            "-c",
            "\\dt",
            "-c",
            "\\d zz",
        ])
        .run();
    out.assert_ok();
    assert!(out.stdout.contains("List of relations"), "{}", out.stdout);
    assert!(
        out.stdout.contains("\"zz_pkey\" PRIMARY KEY, btree (a)"),
        "{}",
        out.stdout
    );
}

/// The plan tree `explain()` prints names every node as psql's EXPLAIN does (the JSON format it reads names
/// some nodes differently), with the same costs.
#[test]
fn explain_nodes_read_as_psql_shows_them() {
    let pg = require_native!();
    pg.psql(
        "CREATE TABLE ex (k int, v text); INSERT INTO ex SELECT g % 10, 'v' FROM generate_series(1, 5000) g; ANALYZE ex",
    );
    let queries = [
        "SELECT k, count(*) FROM ex GROUP BY k",
        "SELECT k FROM ex INTERSECT SELECT k FROM ex",
        "SELECT * FROM (VALUES (1),(2)) v",
        "SELECT * FROM ex a LEFT JOIN ex b ON a.k = b.k AND b.v > a.v WHERE a.k = 1 LIMIT 1",
        "SELECT * FROM generate_series(1,3) g",
        "SELECT * FROM ex ORDER BY k DESC LIMIT 1",
        "INSERT INTO ex VALUES (1, 'x')",
        "UPDATE ex SET v = 'w' WHERE k = 3",
        "SELECT k FROM ex GROUP BY k HAVING count(*) > 1 ORDER BY k",
    ];
    let nodes = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains("(cost="))
            .map(|l| l.trim_end().to_string())
            .collect()
    };
    let script: String = queries
        .iter()
        .map(|q| format!("print(explain(\"{q}\", [])); print(\"--\");\n"))
        .collect();
    let out = common::pgsh().envs(pg.env()).args(["-e", &script]).run();
    out.assert_ok();
    let ours: Vec<&str> = out.stdout.split("--\n").collect();
    for (i, q) in queries.iter().enumerate() {
        let theirs = pg.psql(&format!("EXPLAIN {q}"));
        assert_eq!(nodes(ours[i]), nodes(&theirs), "{q}");
        assert!(!nodes(&theirs).is_empty(), "{q}");
    }
}

/// On a terminal a long stream shows a progress bar with a whole-number row rate (the rate covers the whole
/// run: the bar appears only after a second, and must not start from an absurd figure).
#[test]
fn a_long_stream_shows_progress_on_a_terminal() {
    let pg = require_native!();
    let (cmd, _home) = common::pgsh()
        .envs(pg.env())
        .env_remove("NO_COLOR")
        .args([
            "-e",
            "let n = 0; for r in stream(\"SELECT g FROM generate_series(1, 4000000) g\") { n += 1; } print(`done ${n}`);",
        ])
        .into_parts();
    let mut s = expectrl::Session::spawn(cmd).expect("spawn pgsh in a pty");
    s.set_expect_timeout(Some(std::time::Duration::from_secs(120)));
    let found = s
        .expect(expectrl::Regex(r"streaming ([0-9,]+) rows \(([0-9,]+)/s\)"))
        .expect("a progress line");
    let num = |i: usize| -> u64 {
        String::from_utf8_lossy(found.get(i).unwrap())
            .replace(',', "")
            .parse()
            .unwrap()
    };
    let (rows, rate) = (num(1), num(2));
    assert!(rows > 0);
    // Rows over at least the silent first second: never more than the rows themselves.
    assert!(rate <= rows, "rate {rate} for {rows} rows");
    s.expect("done 4000000").expect("the stream ends");
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
    let out = common::pgsh().args(["-e", &script]).run();
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
    let out = common::pgsh().args(["-e", &script]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "22012\n42\n0\n3\n", "{}", out.stderr);
    let wide = std::fs::read_to_string(dir.path().join("wide.csv")).unwrap();
    assert_eq!(wide.lines().count(), 4);
    assert!(wide.lines().nth(3).unwrap().ends_with(&"x".repeat(100000)));
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
            "-e",
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
