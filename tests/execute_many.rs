//! `execute_many`: pipelined batches store what the single-row path stores (NULLs and every parameter
//! type, Rhai date/time values included), are all or nothing outside a transaction and join one that is
//! open, and a failing row is named by its index with nothing committed.

use crate::common::{lines, Target};

/// The same rows through `execute`, one at a time, and through `execute_many`: the tables must match.
const SAME_AS_EXECUTE: &str = r#"
let cols = "i int4, b int8, t text, n numeric, f float8, ok bool, d date, at timestamptz, j jsonb, a int4[], raw bytea, u uuid";
execute(`DROP TABLE IF EXISTS one_by_one, batched`);
execute(`CREATE TABLE one_by_one (${cols})`);
execute(`CREATE TABLE batched (${cols})`);
let rows = [
    [1, 10, "a", 1.5, 2.25, true, "2024-01-02", "2024-01-02 03:04:05+00", #{k: [1, "x"]}, [1, 2], blob(2, 65), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],
    [(), (), (), (), (), (), (), (), (), (), (), ()],
    [-5, 9007199254740993, "it's ; -- not SQL", query_value("SELECT 12345678901234567890.123::numeric"), -0.5, false, "infinity", "1999-12-31 23:59:59.5+02", [1, #{}], [], blob(0), "00000000-0000-0000-0000-000000000000"],
];
let sql = "INSERT INTO one_by_one VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
for r in rows { execute(sql, r); }
let batched = sql;
batched.replace("one_by_one", "batched");
print(execute_many(batched, rows));
print(query_value("SELECT count(*) FROM batched"));
print(query_value("SELECT count(*) FROM ((TABLE one_by_one EXCEPT ALL TABLE batched) UNION ALL (TABLE batched EXCEPT ALL TABLE one_by_one)) x"));
print(query_value("SELECT count(*) FROM batched WHERE i IS NULL AND t IS NULL AND j IS NULL AND raw IS NULL"));
execute("DROP TABLE one_by_one, batched");
"#;

/// The rest of the parameter types the single-row path accepts (int2, float4, oid, json, char, varchar,
/// time, timetz, interval, text[], nested int arrays, and dates and times given as Rhai date/time values,
/// also into a column of another date/time type), with NULLs among the rows: what `execute_many` stores
/// must be what `execute` stores, row for row, and both what the same values written as SQL literals store.
/// Rows are compared as text, with `json` (which has no equality operator, and keeps its text as given)
/// compared as `jsonb`.
const MORE_TYPES: &str = r#"
let cols = "k int, s int2, r float4, o oid, js json, c char(3), vc varchar(10), tm time, ttz timetz, iv interval, d date, ts timestamp, tz timestamptz, ts_from_tz timestamp, tz_from_d timestamptz, ta text[], na int4[]";
execute(`DROP TABLE IF EXISTS one_by_one, batched, literal`);
for t in ["one_by_one", "batched", "literal"] { execute(`CREATE TABLE ${t} (${cols})`); }
let rows = [
    [0, 7, 1.5, 4294967295, #{a: [1, ()], b: "x"}, "ab", "xyz", time(13, 45, 0.25), timetz("13:45:00+05:30"),
     interval("1 year 2 mons 3 days 04:05:06.5"), date(2024, 2, 29), timestamp(2024, 2, 29, 13, 45, 0.5),
     timestamptz("2024-02-29 13:45:30.5+01"), timestamptz("2024-07-01 12:00:00", "Europe/Paris"), date(2024, 3, 1),
     ["a", (), "b,c", "q\"uote", ""], [[1, 2], [3, 4]]],
    [1, (), (), (), (), (), (), (), (), (), (), (), (), (), (), (), ()],
    [2, -32768, 3, 0, [1, "x", ()], 'c', "", time("00:00:00"), timetz("23:59:59.999999-11"),
     interval("-1 days +02:00:00"), date("-infinity"), timestamp("infinity"), timestamptz("-infinity"),
     timestamptz("2024-01-01 00:00:00Z"), date("infinity"), [], [[(), 5], [6, ()]]],
    [3, 32767, -0.25, (), "\"just a string\"", "abc", (), time("23:59:59.5"), (), interval("P1DT2H"),
     date(-44, 3, 15), (), (), (), (), [()], [[[1]], [[2]]]],
];
let sql = "INSERT INTO one_by_one VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
for r in rows { execute(sql, r); }
let batched = sql;
batched.replace("one_by_one", "batched");
print(execute_many(batched, rows));
// The same values as SQL literals, read by the server's input functions: a reference that does not go
// through pgsh's encoding, so a value both paths encoded wrongly the same way still fails.
execute(`INSERT INTO literal VALUES
    (0, 7, 1.5, 4294967295, '{"a": [1, null], "b": "x"}', 'ab', 'xyz', '13:45:00.25', '13:45:00+05:30',
     '1 year 2 mons 3 days 04:05:06.5', '2024-02-29', '2024-02-29 13:45:00.5', '2024-02-29 13:45:30.5+01',
     '2024-07-01 12:00:00', '2024-03-01', ARRAY['a', NULL, 'b,c', 'q"uote', ''], '{{1,2},{3,4}}'),
    (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (2, -32768, 3, 0, '[1, "x", null]', 'c', '', '00:00:00', '23:59:59.999999-11', '-1 days +02:00:00',
     '-infinity', 'infinity', '-infinity', '2024-01-01 00:00:00', 'infinity', '{}', '{{NULL,5},{6,NULL}}'),
    (3, 32767, -0.25, NULL, '"just a string"', 'abc', NULL, '23:59:59.5', NULL, '1 day 02:00:00',
     '0044-03-15 BC', NULL, NULL, NULL, NULL, '{NULL}', '{{{1}},{{2}}}')`);
let as_text = |t| `SELECT (k, s, r, o, js::jsonb, c, vc, tm, ttz, iv, d, ts, tz, ts_from_tz, tz_from_d, ta, na)::text FROM ${t}`;
let differ = |a, b| query_value(`SELECT count(*) FROM ((${as_text.call(a)} EXCEPT ALL ${as_text.call(b)}) UNION ALL (${as_text.call(b)} EXCEPT ALL ${as_text.call(a)})) x`);
print(query_value("SELECT count(*) FROM batched"));
print(`execute_vs_many=${differ.call("one_by_one", "batched")}`);
print(`many_vs_literal=${differ.call("batched", "literal")}`);
print(query_value("SELECT num_nulls(s, r, o, js, c, vc, tm, ttz, iv, d, ts, tz, ts_from_tz, tz_from_d, ta, na) FROM batched WHERE k = 1"));
print(query_value("SELECT string_agg(k::text, ',' ORDER BY k) FROM batched WHERE ta IS NOT NULL AND na IS NOT NULL"));
execute("DROP TABLE one_by_one, batched, literal");
"#;

/// A row the server rejects in the middle: nothing of the batch stays, and the error names its index;
/// a value that cannot be encoded fails before anything is sent; inside a transaction the rows join it.
const ALL_OR_NOTHING: &str = r#"
execute("DROP TABLE IF EXISTS items");
execute("CREATE TABLE items (id int PRIMARY KEY, qty int CHECK (qty >= 0))");
let rows = [];
for i in 0..2500 { rows.push([i, if i == 1500 { -1 } else { i }]); }
try {
    execute_many("INSERT INTO items VALUES ($1, $2)", rows);
    print("no error");
} catch (e) {
    print(e.code);
    print(`names_index=${e.to_string().contains("parameter row 1500")}`);
}
print(`after_failure=${query_value("SELECT count(*) FROM items")}`);
print(`in_tx=${db().info().in_transaction}`);

try {
    execute_many("INSERT INTO items VALUES ($1, $2)", [[1, 1], [2, "two"], [3, 3]]);
} catch (e) {
    print(`encode: ${e.to_string().contains("parameter row 1")}`);
}
print(`after_encode_failure=${query_value("SELECT count(*) FROM items")}`);

try { execute_many("INSERT INTO items VALUES ($1, $2)", [[1, 1], 5]); } catch (e) { print(`not_an_array=${e.to_string().contains("parameter row 1 is")}`); }

rows[1500][1] = 0;
print(execute_many("INSERT INTO items VALUES ($1, $2)", rows));
print(query_value("SELECT count(*) FROM items"));

begin();
execute("DELETE FROM items");
print(execute_many("INSERT INTO items VALUES ($1, $2)", [[1, 1], [2, 2]]));
rollback();
print(`rolled_back_keeps=${query_value("SELECT count(*) FROM items")}`);

begin();
execute("DELETE FROM items WHERE id >= 10");
try {
    execute_many("INSERT INTO items VALUES ($1, $2)", [[100, 1], [1, 1], [101, 1]]);
} catch (e) {
    print(`${e.code} ${e.to_string().contains("parameter row 1")}`);
}
print(`in_failed_tx=${db().info().in_transaction}`);
try { execute("SELECT 1"); } catch (e) { print(e.code); }
rollback();
print(query_value("SELECT count(*) FROM items"));
print(execute_many("UPDATE items SET qty = qty + $2 WHERE id = $1", [[1, 10], [2, 20], [99999, 1]]));
print(execute_many("INSERT INTO items VALUES ($1, $2)", []));
execute("DROP TABLE items");
"#;

fn check(target: &Target) {
    let out = target.ok(SAME_AS_EXECUTE);
    assert_eq!(
        lines(&out),
        ["3", "3", "0", "1"],
        "{} run:\n{out}",
        target.name()
    );
    let out = target.ok(MORE_TYPES);
    assert_eq!(
        lines(&out),
        [
            "4",
            "4",
            "execute_vs_many=0",
            "many_vs_literal=0",
            "16",
            "0,2,3"
        ],
        "{} run:\n{out}",
        target.name()
    );
    let out = target.ok(ALL_OR_NOTHING);
    assert_eq!(
        lines(&out),
        [
            "23514",
            "names_index=true",
            "after_failure=0",
            "in_tx=false",
            "encode: true",
            "after_encode_failure=0",
            "not_an_array=true",
            "2500",
            "2500",
            "2",
            "rolled_back_keeps=2500",
            "23505 true",
            "in_failed_tx=true",
            "25P02",
            "2500",
            "2",
            "0",
        ],
        "{} run:\n{out}",
        target.name()
    );
}

#[test]
fn execute_many_on_the_embedded_database() {
    check(&Target::Embedded);
}

#[test]
fn execute_many_on_a_native_server() {
    let pg = require_native!();
    check(&Target::Native(&pg));
}
