//! Every PostgreSQL value becomes a natural Rhai value and back: round trips on both targets, result-side
//! coverage of every base type against psql's own text, time zones, parameter conversions and mismatches.

use std::fmt::Write as _;

use crate::common;

/// Rhai: a list of `[sql type, rhai expression, expected type_of, the server's text]` for values that must
/// survive Rhai → parameter → server → result unchanged (compared with ==, NaN by is_nan). Written in the style
/// of rust-postgres's `test_type`: one row per value, extremes included.
///
/// A round trip alone would pass with an encoder and a decoder wrong in the same way, so each value is also
/// checked against the server's own text: what the server read from the parameter (`$1::type::text`) must be
/// the text psql shows for the literal, and the value pgsh decodes from that text (`$1::text::type`) must equal
/// the Rhai value. The texts are psql 15's: `psql -XAt -c "SET TimeZone = 'UTC'; SELECT ('<literal>'::type)::text"`
/// (json through jsonb, whose text does not depend on how the client spaced the document).
const ROUND_TRIP: &str = r##"
execute("SET TimeZone = 'UTC'");
let cases = [
    ["int2", "32767", "i64", `32767`], ["int2", "-32768", "i64", `-32768`],
    ["int4", "2147483647", "i64", `2147483647`], ["int4", "-2147483648", "i64", `-2147483648`],
    ["int8", "9223372036854775807", "i64", `9223372036854775807`],
    ["int8", "-9223372036854775807 - 1", "i64", `-9223372036854775808`],
    ["oid", "4294967295", "i64", `4294967295`],
    ["float4", "1.5", "f64", `1.5`], ["float4", "1.1", "f64", `1.1`], ["float4", "-0.25", "f64", `-0.25`],
    ["float8", "1e300", "f64", `1e+300`], ["float8", "-2.5e-300", "f64", `-2.5e-300`], ["float8", "0.1", "f64", `0.1`],
    ["float8", "1.0 / 0.0", "f64", `Infinity`], ["float8", "-1.0 / 0.0", "f64", `-Infinity`],
    ["numeric", "parse_decimal(\"12.50\")", "decimal", `12.50`],
    ["numeric", "parse_decimal(\"-0.0001\")", "decimal", `-0.0001`],
    ["numeric", "parse_decimal(\"79228162514264337593543950335\")", "decimal", `79228162514264337593543950335`],
    ["numeric", "\"123456789012345678901234567890.123456789\"", "string", `123456789012345678901234567890.123456789`],
    ["numeric", "\"NaN\"", "string", `NaN`],
    ["bool", "true", "bool", `true`], ["bool", "false", "bool", `false`],
    ["text", "\"\"", "string", ``], ["text", "\"unicode é 日本語 🎉\"", "string", `unicode é 日本語 🎉`],
    ["text", "\"quote ' and \\\\ and \\\"\"", "string", `quote ' and \ and "`],
    ["varchar", "\"abc\"", "string", `abc`], ["name", "\"pg_class\"", "string", `pg_class`],
    ["\"char\"", "\"x\"", "string", `x`],
    ["bytea", "blob(3, 0)", "blob", `\x000000`],
    ["bytea", "{ let b = blob(); b.push(0); b.push(255); b.push(10); b }", "blob", `\x00ff0a`],
    ["jsonb", "#{a: 1, b: [1, 2.5, ()], c: \"x\", d: #{e: true}}", "map", `{"a": 1, "b": [1, 2.5, null], "c": "x", "d": {"e": true}}`],
    ["json", "[1, \"two\", #{three: 3}]", "array", `[1, "two", {"three": 3}]`],
    ["uuid", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", "string", `a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11`],
    ["date", "date(2024, 2, 29)", "date", `2024-02-29`], ["date", "date(\"infinity\")", "date", `infinity`],
    ["date", "date(\"-infinity\")", "date", `-infinity`], ["date", "date(\"0044-03-15 BC\")", "date", `0044-03-15 BC`],
    ["date", "date(\"5874897-12-31\")", "date", `5874897-12-31`],
    ["timestamp", "timestamp(\"2024-02-29 13:45:00.5\")", "timestamp", `2024-02-29 13:45:00.5`],
    ["timestamp", "timestamp(\"4713-01-01 00:00:00 BC\")", "timestamp", `4713-01-01 00:00:00 BC`],
    ["timestamp", "timestamp(\"294276-12-31 23:59:59.999999\")", "timestamp", `294276-12-31 23:59:59.999999`],
    ["timestamp", "timestamp(\"infinity\")", "timestamp", `infinity`],
    ["timestamptz", "timestamptz(\"2024-02-29 13:45:00.123456+01\")", "timestamptz", `2024-02-29 12:45:00.123456+00`],
    ["timestamptz", "timestamptz(\"-infinity\")", "timestamptz", `-infinity`],
    ["time", "time(\"23:59:59.999999\")", "time", `23:59:59.999999`],
    ["timetz", "timetz(\"13:45:00+05:30\")", "timetz", `13:45:00+05:30`],
    ["interval", "interval(\"1 year 2 mons -3 days 04:05:06.5\")", "interval", `1 year 2 mons -3 days +04:05:06.5`],
    ["interval", "interval(\"-00:00:00.000001\")", "interval", `-00:00:00.000001`],
    ["inet", "\"192.168.0.1/24\"", "string", `192.168.0.1/24`], ["cidr", "\"10.0.0.0/8\"", "string", `10.0.0.0/8`],
    ["macaddr", "\"08:00:2b:01:02:03\"", "string", `08:00:2b:01:02:03`], ["varbit", "\"10110\"", "string", `10110`],
    ["xml", "\"<a>x</a>\"", "string", `<a>x</a>`], ["point", "\"(1.5,2)\"", "string", `(1.5,2)`],
    ["int4range", "\"[1,10)\"", "string", `[1,10)`],
    ["pg_lsn", "\"0/16B6C50\"", "string", `0/16B6C50`], ["money", "\"$1,234.50\"", "string", `$1,234.50`],
    ["tsvector", "\"'a' 'cat' 'fat'\"", "string", `'a' 'cat' 'fat'`],
    ["int4[]", "[1, (), 3]", "array", `{1,NULL,3}`], ["int4[]", "[[1, 2], [3, 4]]", "array", `{{1,2},{3,4}}`],
    ["int4[]", "[]", "array", `{}`],
    ["text[]", "[\"a b\", \"\", \"é\", ()]", "array", `{"a b","",é,NULL}`],
    ["float8[]", "[1.5, -2.0]", "array", `{1.5,-2}`],
    ["date[]", "[date(2024, 1, 1), ()]", "array", `{2024-01-01,NULL}`],
    ["jsonb[]", "[#{a: 1}]", "array", `{"{\"a\": 1}"}`],
    ["bool[]", "[true, false]", "array", `{t,f}`],
    ["int4", "()", "()", ()], ["text", "()", "()", ()], ["jsonb", "()", "()", ()], ["int4[]", "()", "()", ()],
];
// Rhai compares floats within an epsilon, which makes inf != inf: compare those by their text.
fn same(got, want) {
    if type_of(want) == "f64" && want.is_nan { got.is_nan }
    else if type_of(want) == "f64" && !want.is_finite { got.to_string() == want.to_string() }
    else { got == want }
}
let failures = [];
let skipped = [];
for c in cases {
    let v = eval(c[1]);
    let ty = c[0];
    let as_text = if ty == "json" { "::jsonb::text" } else { "::text" };
    let back = (); let sent = (); let read = ();
    try {
        back = query_value(`SELECT $1::${ty}`, [v]);
        sent = query_value(`SELECT $1::${ty}${as_text}`, [v]);
        read = query_value(`SELECT $1::text::${ty}`, [c[3]]);
    } catch (e) {
        // The embedded server is built without libxml: 0A000 (feature not supported). Counted, not hidden.
        if e.code == "0A000" && ty == "xml" { skipped.push(ty); continue; }
        throw e;
    }
    if sent != c[3] {
        failures.push(`${ty} ${c[1]}: the server read ${sent}, psql shows ${c[3]}`);
    }
    if !same(back, v) || type_of(back) != c[2] {
        failures.push(`${ty} ${c[1]}: round trip gave ${back} (${type_of(back)}), want ${v} (${c[2]})`);
    }
    if !same(read, v) || type_of(read) != c[2] {
        failures.push(`${ty} ${c[1]}: from the server's text ${c[3]} got ${read} (${type_of(read)}), want ${v} (${c[2]})`);
    }
}
let nan = query_value("SELECT $1::float8", [0.0 / 0.0]);
if !nan.is_nan { failures.push(`float8 NaN: got ${nan}`); }
let nan_text = query_value("SELECT $1::float8::text", [0.0 / 0.0]);
if nan_text != "NaN" { failures.push(`float8 NaN: the server read ${nan_text}`); }
if failures.len() > 0 { throw failures; }
print(`round trip ok: ${cases.len() - skipped.len()} of ${cases.len()} cases; skipped: ${skipped}`);
"##;

/// Runs [`ROUND_TRIP`]; `skipped` is what the target cannot check, listed in the summary.
fn run_round_trip(extra_env: &[(String, String)], skipped: &str) {
    let out = common::pgsh()
        .envs(extra_env.iter().cloned())
        .arg("--eval")
        .arg(ROUND_TRIP)
        .run();
    out.assert_ok();
    // `round trip ok: <checked> of <total> cases; skipped: <list>`
    let summary = out.stdout.trim_end();
    let (counts, list) = summary
        .strip_prefix("round trip ok: ")
        .and_then(|s| s.split_once(" cases; skipped: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(list, skipped, "{out}");
    let (checked, total) = counts.split_once(" of ").unwrap_or_else(|| panic!("{out}"));
    let (checked, total): (usize, usize) = (checked.parse().unwrap(), total.parse().unwrap());
    assert_eq!(total - checked, skipped.matches('"').count() / 2, "{out}");
    assert!(checked >= 60, "{out}");
}

#[test]
fn round_trip_on_embedded() {
    run_round_trip(&[], "[\"xml\"]");
}

#[test]
fn round_trip_on_native() {
    let pg = require_native!();
    // The PostgreSQL packages are built with libxml: every case runs.
    run_round_trip(&pg.env(), "[]");
}

/// Domains, enums, composites, citext: types a script defines.
const USER_TYPES: &str = r##"
execute("CREATE TYPE mood AS ENUM ('sad', 'happy')");
execute("CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)");
execute("CREATE TYPE pair AS (a int4, b text)");
let m = query_value("SELECT $1::mood", ["happy"]);
if m != "happy" || type_of(m) != "string" { throw `enum: ${m}`; }
let d = query_value("SELECT $1::posint", [5]);
if d != 5 || type_of(d) != "i64" { throw `domain: ${d}`; }
try { query_value("SELECT $1::posint", [0]); throw "domain check not enforced"; } catch (e) { if e.code != "23514" { throw e; } }
let p = query_value("SELECT $1::pair", ["(1,\"x y\")"]);
if p.a != 1 || p.b != "x y" { throw `composite: ${p}`; }
let rows = query("SELECT ROW(7, 'z')::pair AS p, ROW(1, NULL, 'q') AS r");
if rows[0].r.f1 != 1 || rows[0].r.f2 != () || rows[0].r.f3 != "q" { throw `record: ${rows[0].r}`; }
print(rows);
"##;

#[test]
fn user_defined_types_on_both_targets() {
    let out = common::pgsh().arg("--eval").arg(USER_TYPES).run();
    out.assert_ok();
    // Composite in field order, anonymous record in psql's form.
    assert!(out.stdout.contains("(7,z)"), "{}", out.stdout);
    assert!(out.stdout.contains("(1,,q)"), "{}", out.stdout);
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .arg("--eval")
        .arg(USER_TYPES)
        .run();
    out.assert_ok();
    pg.psql("CREATE EXTENSION citext");
    let out = common::pgsh()
        .envs(pg.env())
        .arg("--eval")
        .arg(r#"let v = query_value("SELECT $1::citext", ["MiXeD"]); if v != "MiXeD" { throw v } ; print(query_value("SELECT 'A'::citext = 'a'::citext"))"#)
        .run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "true");
}

#[test]
fn timestamptz_follows_the_session_time_zone() {
    let script = r#"
        execute("SET TimeZone = 'America/New_York'");
        let t = query_value("SELECT '2024-07-01 12:00:00+00'::timestamptz");
        print(t);
        print(t.hour);
        execute("SET TimeZone = 'Asia/Kolkata'");
        print(query_value("SELECT '2024-07-01 12:00:00+00'::timestamptz"));
        // The same instant compares equal whatever zone displayed it.
        print(t == query_value("SELECT '2024-07-01 12:00:00+00'::timestamptz"));
    "#;
    let out = common::pgsh().arg("--eval").arg(script).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "2024-07-01 08:00:00-04",
            "8",
            "2024-07-01 17:30:00+05:30",
            "true"
        ],
        "{}",
        out.stdout
    );
}

/// TimeZone is read again whenever it may have changed: a transaction's end undoing SET LOCAL or a
/// rolled-back SET, transaction() closures, savepoints, and set_config().
#[test]
fn time_zone_is_never_stale() {
    let script = r#"
        let at_noon = "select '2024-07-01 12:00+00'::timestamptz";
        execute("SET TimeZone=UTC");
        transaction(|| execute("SET LOCAL TimeZone='Asia/Tokyo'"));
        print(`closure: ${query_value("show timezone")} ${query_value(at_noon)}`);
        execute("BEGIN");
        execute("SET TimeZone='Asia/Tokyo'");
        print(`inside: ${query_value(at_noon)}`);
        execute("ROLLBACK");
        print(`rollback: ${query_value(at_noon)}`);
        execute("BEGIN; SET TimeZone='Asia/Tokyo'; ROLLBACK");
        print(`batch: ${query_value(at_noon)}`);
        query_value("select set_config('TimeZone','America/New_York',false)");
        print(`set_config: ${query_value(at_noon)}`);
        execute("BEGIN");
        execute("SAVEPOINT a");
        execute("SET TimeZone='Asia/Tokyo'");
        execute("ROLLBACK TO SAVEPOINT a");
        print(`savepoint: ${query_value(at_noon)}`);
        execute("COMMIT");
        try { transaction(|| { execute("SET TimeZone='Asia/Tokyo'"); throw "no"; }); } catch {}
        print(`failed closure: ${query_value(at_noon)}`);
        // A value read in the right zone converts to the right date when sent as a date parameter.
        execute("SET TimeZone='Asia/Tokyo'");
        transaction(|| execute("SET LOCAL TimeZone='UTC'"));
        let late = query_value("select '2024-07-01 20:00+00'::timestamptz");
        print(`date param: ${query_value("select $1::date", [late])}`);
    "#;
    let check = |env: &[(String, String)]| {
        let out = common::pgsh()
            .envs(env.iter().cloned())
            .arg("--eval")
            .arg(script)
            .run();
        out.assert_ok();
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(
            lines,
            vec![
                "closure: UTC 2024-07-01 12:00:00+00",
                "inside: 2024-07-01 21:00:00+09",
                "rollback: 2024-07-01 12:00:00+00",
                "batch: 2024-07-01 12:00:00+00",
                "set_config: 2024-07-01 08:00:00-04",
                "savepoint: 2024-07-01 08:00:00-04",
                "failed closure: 2024-07-01 08:00:00-04",
                "date param: 2024-07-02",
            ],
            "{}",
            out.stdout
        );
    };
    check(&[]);
    let pg = require_native!();
    check(&pg.env());
}

#[test]
fn parameter_mismatches_are_clear_and_nothing_is_sent() {
    let script = r#"
        execute("CREATE TEMP TABLE t (i int4, u uuid, s int2, d date)");
        let tries = [
            ["INSERT INTO t (i) VALUES ($1)", [#{a: 1}]],
            ["INSERT INTO t (u) VALUES ($1)", [1.5]],
            ["INSERT INTO t (s) VALUES ($1)", [70000]],
            ["INSERT INTO t (i) VALUES ($1)", [1, 2]],
            ["INSERT INTO t (i, s) VALUES ($1, $2)", [1]],
            ["INSERT INTO t (i) VALUES ($1)", [blob(2)]],
            ["INSERT INTO t (d) VALUES ($1)", [true]],
            ["INSERT INTO t (i) VALUES ($1)", [1.5]],
        ];
        for t in tries {
            try { execute(t[0], t[1]); print("NO ERROR"); } catch (e) { print(`${e.code}|${e.message}`); }
        }
        print(`rows: ${query_value("SELECT count(*) FROM t")}`);
    "#;
    let out = common::pgsh().arg("--eval").arg(script).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    let expect = [
        "parameter $1 expects int4, but a Rhai map was given",
        "parameter $1 expects uuid, but a Rhai float was given (1.5)",
        "parameter $1: 70000 is out of range for int2",
        "the statement expects 1 parameter ($1), but 2 were given",
        "the statement expects 2 parameters ($1..$2), but 1 was given",
        "parameter $1 expects int4, but a Rhai blob was given",
        "parameter $1 expects date, but a Rhai bool was given",
        "parameter $1 expects int4, but a Rhai float was given",
    ];
    assert_eq!(lines.len(), expect.len() + 1, "{}", out.stdout);
    for (line, want) in lines.iter().zip(expect) {
        assert!(line.starts_with("22023|"), "{line}");
        assert!(line.contains(want), "{line} should contain {want}");
    }
    assert_eq!(lines.last().copied(), Some("rows: 0"));
}

/// Decimals out of an integer type's range, SQL array type names, and chars where strings are taken.
#[test]
fn parameter_edge_cases_name_the_parameter() {
    let script = r#"
        print(query_value("select $1::text", ['x']));
        print(query_value("select $1::text[]", [['a', "b"]]));
        for t in [["select $1::int2", [parse_decimal("40000")]],
                  ["select $1::int4", [parse_decimal("3000000000")]],
                  ["select $1::int8", [parse_decimal("10000000000000000000")]],
                  ["select $1::int4[]", [1]],
                  ["select $1::int4, $2::int4", [1, #{a: 1}]]] {
            try { query_value(t[0], t[1]); print("NO ERROR"); } catch (e) { print(`${e.code}|${e.message}`); }
        }
        print(query_value("select $1::int8", [parse_decimal("9223372036854775807")]));
    "#;
    let out = common::pgsh().arg("--eval").arg(script).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "x",
            "[\"a\", \"b\"]",
            "22023|parameter $1: 40000 is out of range for int2",
            "22023|parameter $1: 3000000000 is out of range for int4",
            "22023|parameter $1: 10000000000000000000 is out of range for int8",
            "22023|parameter $1 expects int4[], but a Rhai integer was given (1)",
            // The guide's example (docs/rhai-api.md), word for word.
            "22023|parameter $2 expects int4, but a Rhai map was given ({\"a\": 1})",
            "9223372036854775807",
        ],
        "{}",
        out.stdout
    );
}

#[test]
fn parameters_convert_like_sql_casts() {
    let out = common::pgsh()
        .args([
            "--eval",
            r#"execute("SET TimeZone = 'UTC'");
            print(query_value("SELECT $1::int4 + 1", [query_value("SELECT 5.0::numeric")]));
            print(query_value("SELECT $1::timestamp", [query_value("SELECT '2024-01-01 12:00:00+05'::timestamptz")]));
            print(query_value("SELECT $1::date", [query_value("SELECT '2024-01-01 23:30:00-05'::timestamptz")]));"#,
        ])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "6\n2024-01-01 07:00:00\n2024-01-02\n");
}

/// For every base type in pg_catalog, find a literal the type accepts, then check that pgsh shows exactly
/// the text psql shows for it (CSV output of both, compared line by line).
#[test]
fn every_base_type_decodes_to_psql_text() {
    let pg = require_native!();
    let finder = r#"
CREATE FUNCTION pg_temp.sample(t regtype) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE c text; r text;
BEGIN
  FOREACH c IN ARRAY ARRAY['1', '0', 't', 'a', 'x', '(1,2)', '((1,2),(3,4))', '<(1,2),3>', '{1,2,3}',
      '[(1,2),(3,4)]', '[1,2]', '2024-01-01', '2024-01-01 12:00:00+00', '12:00', '12:00+01', '1 day',
      '192.168.0.1', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '0/16B6C50',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{}', '101', 'a & b', 'a:1 b:2', '{"a": 1}', '<x/>', '$1.00',
      '(1,1)', 'english', 'pg_class', 'int4', 'now', '+', 'public', 'postgres', 'simple', 'btree',
      'plpgsql', '1:2:', '1:3:', '10:20:10,14,15', '{1}', 'pg_catalog.pg_class', 'sum(int4)', '=(int4,int4)',
      'abs(int4)', '$.a', '1 2', '(,)', '2 3', '{[1,2]}', 'postgres=r/postgres', '(0,1)']
  LOOP
    BEGIN
      EXECUTE format('SELECT %L::%s::text', c, t) INTO r;
      RETURN c;
    EXCEPTION WHEN others THEN NULL;
    END;
  END LOOP;
  RETURN NULL;
END $f$;
SELECT format_type(t.oid, NULL) || E'\t' || coalesce(pg_temp.sample(t.oid::regtype), '')
FROM pg_type t
WHERE t.typtype = 'b' AND t.typnamespace = 'pg_catalog'::regnamespace AND t.typisdefined
  AND t.typelem = 0 AND t.typname NOT IN ('unknown')
ORDER BY 1;
"#;
    let listing = pg.psql(finder);
    let mut sql = String::new();
    let mut untested = Vec::new();
    let mut count = 0;
    for line in listing.lines() {
        let Some((ty, lit)) = line.split_once('\t') else {
            continue;
        };
        if lit.is_empty() {
            untested.push(ty.to_string());
            continue;
        }
        count += 1;
        let lit = lit.replace('\'', "''");
        writeln!(
            sql,
            "SELECT '{lit}'::{ty} AS v, '{}' AS type;",
            ty.replace('\'', "''")
        )
        .unwrap();
    }
    assert!(
        count > 45,
        "only {count} base types found a sample:\n{listing}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("types.sql");
    std::fs::write(&file, &sql).unwrap();
    let ours = common::pgsh()
        .envs(pg.env())
        .args(["--format", "csv", "-f"])
        .arg(&file)
        .run();
    ours.assert_ok();
    let theirs = pg
        .psql_command("postgres", "postgres")
        .args(["--csv", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        theirs.status.success(),
        "{}",
        String::from_utf8_lossy(&theirs.stderr)
    );
    let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
    let a: Vec<&str> = ours.stdout.lines().filter(|l| *l != "v,type").collect();
    let b: Vec<&str> = theirs.lines().filter(|l| *l != "v,type").collect();
    let mismatches: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("pgsh: {x}\npsql: {y}"))
        .collect();
    assert_eq!(
        a.len(),
        b.len(),
        "row counts differ\n{}\n---\n{}",
        ours.stdout,
        theirs
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
    eprintln!(
        "{count} base types decode as psql shows them; no sample literal for: {}",
        untested.join(", ")
    );
}

/// Arrays of types read as text come back as (nested) arrays of strings with NULL as (), from literals
/// and from parameters alike.
const TEXT_ARRAYS: &str = r##"
let checks = [
    [query_value("select array[1::money, null]"), ["$1.00", ()]],
    [query_value("select $1::money[]", [["$2.50", ()]]), ["$2.50", ()]],
    [query_value("select array[[1, 2], [3, null]]::money[]"), [["$1.00", "$2.00"], ["$3.00", ()]]],
    [query_value("select array['int4', 'text']::regtype[]"), ["integer", "text"]],
    [query_value("select array['a b'::tsvector, '''x y'' z'::tsvector]"), ["'a' 'b'", "'x y' 'z'"]],
    [query_value("select '{}'::money[]"), []],
    [query_value("select array[int4multirange(int4range(1, 3))]"), ["{[1,3)}"]],
];
for c in checks {
    if type_of(c[0]) != "array" || c[0] != c[1] { throw `got ${c[0]} (${type_of(c[0])}), want ${c[1]}`; }
}
let r = query("select array[1::money] as a, 'x' as b");
if r[0].a[0] != "$1.00" || r[0].b != "x" { throw `rows: ${r}`; }
print(r);
"##;

#[test]
fn arrays_of_text_read_types_are_arrays() {
    let out = common::pgsh().arg("--eval").arg(TEXT_ARRAYS).run();
    out.assert_ok();
    // Shown as psql shows an array column.
    assert!(out.stdout.contains(" {$1.00} | x"), "{}", out.stdout);
    let pg = require_native!();
    let out = common::pgsh()
        .envs(pg.env())
        .arg("--eval")
        .arg(TEXT_ARRAYS)
        .run();
    out.assert_ok();
}

/// Records and composites with fields pgsh reads only as text (money, tsvector, hstore, ltree, user
/// composites inside anonymous records) decode: those fields as their text, the others as usual.
#[test]
fn records_with_text_read_fields_never_fail_the_query() {
    let pg = require_native!();
    pg.psql(
        "CREATE EXTENSION hstore; CREATE EXTENSION ltree; \
         CREATE TYPE inner_t AS (m money, n int); \
         CREATE TYPE outer_t AS (i inner_t, h hstore, a inner_t[])",
    );
    let script = r##"
        let r = query("select row(1::money, 2) r")[0].r;
        if r != #{f1: "$1.00", f2: 2} { throw `money: ${r}`; }
        let v = query_value("select row(to_tsvector('simple', 'fat cats'), 'a=>1'::hstore, 'a.b'::ltree, row(3::money, 4)::inner_t, row(5::money, array[6::money]))");
        let want = #{f1: "'cats':2 'fat':1", f2: "\"a\"=>\"1\"", f3: "a.b", f4: "($3.00,4)", f5: #{f1: "$5.00", f2: ["$6.00"]}};
        if v != want { throw `mixed: ${v}`; }
        let o = query_value("select row(row(1::money, 2)::inner_t, 'a=>1'::hstore, array[row(3::money, 4)::inner_t])::outer_t");
        if o != #{i: #{m: "$1.00", n: 2}, h: "\"a\"=>\"1\"", a: [#{m: "$3.00", n: 4}]} { throw `composite: ${o}`; }
        let a = query_value("select array[row(5::money, null), null]");
        if a != [#{f1: "$5.00", f2: ()}, ()] { throw `record[]: ${a}`; }
        // Binary-decodable fields keep their types.
        let t = query_value("select row(1::money, 2.5::numeric, true, date '2024-01-02')");
        if type_of(t.f2) != "decimal" || t.f3 != true || type_of(t.f4) != "date" { throw `types: ${t}`; }
        // Streams read records the same way.
        for row in stream("select row(g::money, g) r from generate_series(1, 3) g") { print(row.r.f1); }
        print("ok");
    "##;
    let out = common::pgsh()
        .envs(pg.env())
        .arg("--eval")
        .arg(script)
        .run();
    out.assert_ok();
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        ["$1.00", "$2.00", "$3.00", "ok"],
        "{}",
        out.stdout
    );
}

/// query() of a statement ending in a comment, and statements that cannot be wrapped to read a column as
/// text: the text form, or a clear error before anything runs, never "no binary decoder".
#[test]
fn text_read_columns_survive_comments_and_unwrappable_statements() {
    let script = r#"
        print(query_value("select 1::money as m; -- note"));
        print(query_value("select 2::money as m /* note */ ;  "));
        print(query_value("select 3::money as m -- note"));
        execute("CREATE TEMP TABLE t (m money)");
        execute("INSERT INTO t VALUES (1)");
        execute("BEGIN");
        try {
            query("WITH d AS (DELETE FROM t RETURNING m) SELECT * FROM d");
            print("NO ERROR");
        } catch (e) { print(e.message); }
        // The refusal neither ran the DELETE nor broke the transaction.
        print(query_value("SELECT count(*) FROM t"));
        execute("COMMIT");
    "#;
    let out = common::pgsh().arg("--eval").arg(script).run();
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[..3], ["$1.00", "$2.00", "$3.00"], "{}", out.stdout);
    assert!(
        lines[3].starts_with("cannot read column \"m\" of type money")
            && lines[3].contains("WITH clause containing a data-modifying statement")
            && lines[3].contains("m::text")
            && lines[3].contains("was not run"),
        "{}",
        lines[3]
    );
    assert!(!out.stdout.contains("binary decoder"), "{}", out.stdout);
    assert_eq!(lines[4], "1", "{}", out.stdout);
    // SQL mode shows what cannot be wrapped (FETCH) in text, as psql does.
    let out = common::pgsh()
        .args([
            "-c",
            "BEGIN",
            "-c",
            "DECLARE c CURSOR FOR SELECT 1::money AS m, 2 AS n",
            "-c",
            "FETCH ALL FROM c",
            "-c",
            "COMMIT",
        ])
        .run();
    out.assert_ok();
    assert!(out.stdout.contains(" $1.00 | 2"), "{}", out.stdout);
}

/// Rows from a query take edits and the array methods scripts expect.
#[test]
fn query_rows_take_edits_like_arrays() {
    let script = r#"
        let r = query("SELECT g AS n, g * 10 AS m FROM generate_series(1, 4) g");
        r[0].n = 5;
        r[1] = #{n: 7, m: 70};
        r.push(#{n: 9, m: 90});
        let popped = r.pop();
        r.reverse();
        print(`${r[3].n} ${r[2].n} ${popped.n} ${r[0..2].len()} ${r.index_of(|x| x.n == 7)} ${r.contains(#{n: 7, m: 70})}`);
        print(r);
    "#;
    let out = common::pgsh().arg("--eval").arg(script).run();
    out.assert_ok();
    assert!(out.stdout.starts_with("5 7 9 2 2 true\n"), "{}", out.stdout);
    // The table keeps the column types (numbers right-aligned) after the edits.
    assert!(
        out.stdout.contains(" 4 | 40\n 3 | 30\n 7 | 70\n 5 | 10\n"),
        "{}",
        out.stdout
    );
}

/// Date/time accessors and operators agree with SQL: EXTRACT fields of intervals, time and timetz epochs,
/// date vs timestamp comparisons, interval * and / by integers and floats.
#[test]
fn datetime_accessors_and_operators_match_sql() {
    let script = r#"
        let bad = [];
        let intervals = ["1 year 2 mons 3 days 04:05:06.5", "-1 year -2 mons +3 days -04:05:06.5", "14 mons",
                         "30:00:00", "-00:00:00.000001", "1 mon", "7 days 12:34:56.789", "0"];
        for s in intervals {
            let i = interval(s);
            for f in ["year", "month", "day", "hour", "minute", "second", "epoch"] {
                let ours = switch f { "year" => i.year, "month" => i.month, "day" => i.day, "hour" => i.hour,
                    "minute" => i.minute, "second" => i.second, _ => i.epoch };
                let sql = query_value(`SELECT extract(${f} FROM $1::interval)::float8`, [i]);
                if ours.to_float() != sql { bad.push(`${s}.${f}: ${ours} vs ${sql}`); }
            }
            for n in [2, 3, -4, 7] {
                let sql = query_value("SELECT $1::interval / $2::int4", [i, n]);
                if i / n != sql || (i / n).to_string() != sql.to_string() { bad.push(`${s} / ${n}: ${i / n} vs ${sql}`); }
            }
            for x in [1.5, 0.5, -2.25, 0.1, 3.0, 1.0 / 3.0] {
                let sql = query_value("SELECT $1::interval * $2::float8", [i, x]);
                if (i * x).to_string() != sql.to_string() { bad.push(`${s} * ${x}: ${i * x} vs ${sql}`); }
                if (x * i).to_string() != sql.to_string() { bad.push(`${x} * ${s}: ${x * i} vs ${sql}`); }
                let sql = query_value("SELECT $1::interval / $2::float8", [i, x]);
                if (i / x).to_string() != sql.to_string() { bad.push(`${s} / ${x}: ${i / x} vs ${sql}`); }
            }
        }
        for t in ["13:45:00.25", "00:00", "23:59:59.999999", "24:00"] {
            let sql = query_value("SELECT extract(epoch FROM $1::time)::float8", [time(t)]);
            if time(t).epoch != sql { bad.push(`time ${t}: ${time(t).epoch} vs ${sql}`); }
        }
        for t in ["13:45:00+05:30", "01:00-08", "12:00+00", "00:30:15.5+14"] {
            let sql = query_value("SELECT extract(epoch FROM $1::timetz)::float8", [timetz(t)]);
            if timetz(t).epoch != sql { bad.push(`timetz ${t}: ${timetz(t).epoch} vs ${sql}`); }
        }
        let dates = ["2024-01-01", "2024-01-02", "infinity", "-infinity", "0044-03-15 BC", "5874897-12-31"];
        let stamps = ["2024-01-01 00:00", "2024-01-01 00:00:00.000001", "2023-12-31 23:59:59.999999", "infinity", "-infinity"];
        for d in dates {
            for t in stamps {
                let a = date(d); let b = timestamp(t);
                let sql = query_value("SELECT array[$1::date = $2::timestamp, $1 <> $2, $1 < $2, $1 <= $2, $1 > $2, $1 >= $2]", [a, b]);
                let ours = [a == b, a != b, a < b, a <= b, a > b, a >= b];
                if ours != sql { bad.push(`${d} vs ${t}: ${ours} vs ${sql}`); }
                let back = [b == a, b != a, b > a, b >= a, b < a, b <= a];
                if back != sql { bad.push(`${t} vs ${d}: ${back} vs ${sql}`); }
            }
        }
        try { interval("1 day") / 0; bad.push("no division by zero"); } catch (e) { if !`${e}`.contains("division by zero") { bad.push(`${e}`); } }
        if bad.len() > 0 { throw bad; }
        print("ok");
    "#;
    let out = common::pgsh().arg("--eval").arg(script).run();
    out.assert_ok();
    assert_eq!(out.stdout.trim(), "ok");
}

/// The JSON and numeric rules docs/rhai-api.md states: a JSON string is a Rhai string, JSON null is (), a Rhai
/// string parameter is JSON text, numbers beyond a float lose digits; numeric falls back to text by
/// rust_decimal's range and scale.
#[test]
fn json_and_numeric_fallbacks_are_as_documented() {
    let script = r#"
        let s = query_value("SELECT '\"x\"'::jsonb");
        print(`${type_of(s)} ${s}`);
        print(type_of(query_value("SELECT 'null'::jsonb")));
        print(type_of(query_value("SELECT $1::jsonb", ["{\"a\": 1}"])));
        print(query_value("SELECT $1::jsonb ->> 'a'", ["{\"a\": 1}"]));
        print(query_value("SELECT $1::jsonb", ["\"x\""]));
        print(query_value("SELECT '12345678901234567890123'::jsonb"));
        for n in ["0.00000000000000000000000000001", "1e30", "0.0000000000000000000000000001", "79228162514264337593543950335"] {
            let v = query_value(`SELECT ${n}::numeric`);
            print(`${type_of(v)} ${v}`);
        }
    "#;
    let out = common::pgsh().arg("--eval").arg(script).run();
    out.assert_ok();
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        [
            "string x",
            "()",
            "map",
            "1",
            "x",
            "1.2345678901234568e22",
            "string 0.00000000000000000000000000001",
            "string 1000000000000000000000000000000",
            "decimal 0.0000000000000000000000000001",
            "decimal 79228162514264337593543950335",
        ],
        "{}",
        out.stdout
    );
}

#[test]
fn json_numbers_beyond_a_float_come_back_as_the_documents_text() {
    let out = common::pgsh()
        .args([
            "--eval",
            r#"let v = query_value("SELECT '{\"n\": 1e400}'::json"); print(type_of(v)); print(v);
               print(query_value("SELECT '{\"n\": 1.5}'::json").n);"#,
        ])
        .run();
    out.assert_ok();
    assert_eq!(
        out.stdout, "string\n{\"n\": 1e400}\n1.5\n",
        "{}",
        out.stderr
    );
}
