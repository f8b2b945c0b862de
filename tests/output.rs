//! How results are shown: `--format` csv/json/jsonl/markdown/table, json and arrays as the server wrote
//! them, result tables and records byte for byte as psql prints them, and `explain()`.

use crate::common;

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
            "--eval",
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
            "--eval",
            "let a = query_value(\"SELECT '[2:3]={a,b}'::text[]\"); `${a.len()} ${a[0]} ${a[1]}`",
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "2 a b", "{out}");
}

/// Tables printed by pgsh are byte-for-byte psql's: unicode, wide values, NULLs, numbers, multi-line. On a
/// native server and on the embedded one: psql runs against the native server, and these values have the same
/// text in PostgreSQL 15 and 17 (the catalog query, whose columns are the server version's, runs on the native
/// server only).
#[test]
fn result_tables_match_psql() {
    let pg = require_native!();
    let queries = [
        "SELECT 1 AS n, 'x' AS t",
        "SELECT * FROM (VALUES (1, 'é日本語🎉', NULL::text, 3.14159::numeric, -2.5::float8), (22222, '', 'wide value here', NULL, 1e20)) v(id, uni, nul, num, fl)",
        "SELECT 'line one' || chr(10) || 'line two' AS multi, 42 AS after",
        "SELECT generate_series(1, 3) AS g, repeat('ab', generate_series(1, 3)) AS r",
        "SELECT true AS yes, false AS no, NULL::bool AS unknown, '{1,2,NULL}'::int[] AS arr",
        "SELECT * FROM pg_catalog.pg_class WHERE false",
        "SELECT 12345678901234567890::numeric AS big, -0.0001::numeric AS small, 'NaN'::float8 AS nan",
        "SELECT '{\"b\":1, \"a\":[2, 3.0]}'::json AS j, '{\"b\":1.50,\"a\":2}'::jsonb AS jb, '\"s\"'::json AS s, \
         ARRAY['{\"a\": 1}'::json] AS ja, ROW(1, '{\"k\": \"v\"}'::jsonb) AS r",
        "SELECT '[2:3]={a,\"b c\"}'::text[] AS arr, '[0:1][1:2]={{1,2},{3,NULL}}'::int[] AS m, '{1,2}'::int[] AS plain",
    ];
    // One embedded run for all the queries (a server start each would be slow): -c runs them in order.
    let embedded = common::pgsh()
        .args(
            queries
                .iter()
                .filter(|q| !q.contains("pg_class"))
                .flat_map(|q| ["-c", q]),
        )
        .run();
    embedded.assert_ok();
    let mut expected_embedded = String::new();
    for q in queries {
        let ours = common::pgsh().envs(pg.env()).args(["-c", q]).run();
        ours.assert_ok();
        let theirs = pg
            .psql_command("postgres", "postgres")
            .args(["-P", "format=aligned", "-P", "tuples_only=off", "-c", q])
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
        assert_eq!(ours.stdout, theirs, "for {q}");
        if !q.contains("pg_class") {
            expected_embedded.push_str(&theirs);
        }
    }
    assert_eq!(embedded.stdout, expected_embedded, "on the embedded server");
}

/// Records with array, record, text-read and quoted fields print in SQL mode exactly as psql prints them, on
/// a native server and on the embedded one (against psql on the native server, as above).
#[test]
fn records_print_in_sql_mode_as_psql_does() {
    let pg = require_native!();
    let create = "CREATE TYPE inner_t AS (m money, n int)";
    pg.psql(create);
    let queries = [
        "SELECT row(1, array[1,2], row(3,'x'))",
        "SELECT row('a b', '', NULL, 'x\"y', array['a b', NULL], '{\"a\": 1}'::jsonb, 1.5::float8, 'x'::bytea)",
        "SELECT row(1::money, 2, row(3::money, array[4::money]), array[row(5::money)]) r, array[row(1,'a b')] ra",
        "SELECT row(row(1::money, 2)::inner_t, array[row(3::money, 4)::inner_t])",
        "SELECT array[1::money, NULL] a, array['int4'::regtype], array['a b'::tsvector]",
    ];
    // One embedded run for all the queries (a server start each would be slow): -c runs them in order.
    let embedded = common::pgsh()
        .args(["--format", "csv", "-c", create])
        .args(queries.iter().flat_map(|q| ["-c", q]))
        .run();
    embedded.assert_ok();
    let mut expected_embedded = String::from("CREATE TYPE\n");
    for q in queries {
        let theirs = pg
            .psql_command("postgres", "postgres")
            .args(["--csv", "-P", "tuples_only=off", "-c", q])
            .output()
            .unwrap();
        assert!(
            theirs.status.success(),
            "{}",
            String::from_utf8_lossy(&theirs.stderr)
        );
        let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
        let ours = common::pgsh()
            .envs(pg.env())
            .args(["--format", "csv", "-c", q])
            .run();
        ours.assert_ok();
        assert_eq!(ours.stdout, theirs, "{q}");
        expected_embedded.push_str(&theirs);
    }
    assert_eq!(embedded.stdout, expected_embedded, "on the embedded server");
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
    let out = common::pgsh()
        .envs(pg.env())
        .args(["--eval", &script])
        .run();
    out.assert_ok();
    let ours: Vec<&str> = out.stdout.split("--\n").collect();
    for (i, q) in queries.iter().enumerate() {
        let theirs = pg.psql(&format!("EXPLAIN {q}"));
        assert_eq!(nodes(ours[i]), nodes(&theirs), "{q}");
        assert!(!nodes(&theirs).is_empty(), "{q}");
    }
}
