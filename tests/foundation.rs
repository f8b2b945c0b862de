//! End-to-end tests of pgsh's foundation, run against the real binary: the tour, the Rhai database API, rows,
//! NULLs, errors (caught and uncaught), exit codes, connection failures, `--data`, piped stdin, `-e`, the
//! embedded single-session rule, session pinning and transactions.
//!
//! Most behaviour is checked on both targets: the embedded database (the default when no server is
//! configured) and a throwaway native PostgreSQL cluster (passed with `-d <url>` or its PG* variables).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{NativeCluster, Output, Pgsh};

/// Where a run connects.
enum Target<'a> {
    Embedded,
    Native(&'a NativeCluster),
}

impl Target<'_> {
    fn name(&self) -> &'static str {
        match self {
            Target::Embedded => "embedded",
            Target::Native(_) => "native",
        }
    }

    /// pgsh aimed at this target; the native cluster is named with `-d <url>`.
    fn pgsh(&self) -> Pgsh {
        match self {
            Target::Embedded => embedded(),
            Target::Native(pg) => common::pgsh().arg("-d").arg(pg.url()),
        }
    }

    /// Run a script file (written to a temp dir) on this target.
    fn script(&self, code: &str) -> (Output, PathBuf) {
        let (dir, path) = common::script_file(code);
        let out = self.pgsh().arg(&path).run();
        drop(dir);
        (out, path)
    }

    /// Run a script that must succeed; its stdout.
    fn ok(&self, code: &str) -> String {
        let (out, _) = self.script(code);
        out.assert_ok();
        out.stdout
    }
}

/// pgsh on the embedded database. The runtime pglite unpacks (about 100 MB) is cached in one directory
/// shared by this file's tests, not in each run's fresh HOME: it holds no user state, only the unpacked
/// runtime, and pglite locks it for concurrent users. A run takes about a second: 60 s means it hung.
fn embedded() -> Pgsh {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pgsh-foundation-cache");
    std::fs::create_dir_all(&cache).expect("create the shared pglite cache dir");
    common::pgsh()
        .env("XDG_CACHE_HOME", cache)
        .timeout(Duration::from_secs(60))
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

/// The lines of `stdout`, in order, must include `expected` as a contiguous block.
fn assert_block(stdout: &str, expected: &[&str], what: &str) {
    let got = lines(stdout);
    let found = got.windows(expected.len()).any(|w| {
        w.iter()
            .map(|l| l.trim_end())
            .eq(expected.iter().map(|l| l.trim_end()))
    });
    assert!(
        found,
        "{what}: expected the block\n{}\nin stdout:\n{stdout}",
        expected.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------------------
// 1. The tour
// ---------------------------------------------------------------------------------------------------------

fn tour_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tour.rhai")
}

fn check_tour(out: &Output, target: &str) {
    out.assert_ok();
    for needle in [
        "Ada Lovelace",
        "Brian O'Brien",
        "Chen Wei",
        "(3 rows)",
        "Ada Lovelace earns 5200.00",
        "Payroll: 14100.50",
        "SQLSTATE 23505, constraint employee_email_key",
        "Still 3 employees. Tour complete.",
    ] {
        assert!(
            out.stdout.contains(needle),
            "tour on {target}: stdout lacks {needle:?}\n{out}"
        );
    }
    // The table comes in the SELECT's column order, highest salary first.
    let header = out
        .stdout
        .lines()
        .find(|l| l.contains("name") && l.contains("salary"))
        .unwrap_or_else(|| panic!("no table header in\n{out}"));
    let cols: Vec<&str> = header.split('|').map(str::trim).collect();
    assert_eq!(cols, ["id", "name", "salary", "hired"], "{out}");
    let ada = out.stdout.find("| Ada Lovelace").expect("Ada's row");
    let chen = out.stdout.find("| Chen Wei").expect("Chen's row");
    let brian = out.stdout.find("| Brian O'Brien").expect("Brian's row");
    assert!(
        ada < chen && chen < brian,
        "rows not by salary desc:\n{out}"
    );
    assert!(
        !out.stderr.contains("warning"),
        "tour on {target} warned:\n{out}"
    );
}

#[test]
fn tour_runs_on_embedded() {
    let t = Instant::now();
    let out = embedded().arg(tour_path()).run();
    check_tour(&out, "embedded");
    assert!(
        out.stdout.contains("Connected to embedded PostgreSQL"),
        "{out}"
    );
    // A script that keeps its `Db` in a variable must not hang on exit (the embedded server's shutdown used
    // to wait for the pooled connection the script's handle kept open, about 5 minutes).
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "the tour took {:?}",
        t.elapsed()
    );
}

#[test]
fn tour_runs_on_native_via_pg_env() {
    let pg = require_native!();
    let out = common::pgsh().envs(pg.env()).arg(tour_path()).run();
    check_tour(&out, "native");
    assert!(
        out.stdout.contains(&format!(
            "Connected to postgres@{}",
            pg.socket_dir().display()
        )),
        "{out}"
    );
    let version = pg.psql("show server_version");
    assert!(
        out.stdout.contains(&format!("(PostgreSQL {version})")),
        "{out}"
    );
    // The tour's table was temporary: nothing is left behind.
    assert_eq!(
        pg.psql("select count(*) from pg_class where relname = 'employee'"),
        "0"
    );
}

// ---------------------------------------------------------------------------------------------------------
// 2. The API functions
// ---------------------------------------------------------------------------------------------------------

const API_SCRIPT: &str = r#"
execute("CREATE TABLE item (id int PRIMARY KEY, name text, price numeric)");
print(`insert1=${execute("INSERT INTO item VALUES ($1, $2, $3)", [1, "fig", 3])}`);
print(`insert2=${execute("INSERT INTO item VALUES (2, 'kiwi', 1.5), (3, 'lime', 2)")}`);
// Several statements without parameters: all run, the total of rows affected comes back.
print(`batch=${execute("UPDATE item SET price = price + 1; DELETE FROM item WHERE id = 3; INSERT INTO item VALUES (4, 'plum', 9)")}`);
print(`count=${query_value("SELECT count(*) FROM item")}`);
print(`type=${type_of(query_value("SELECT count(*) FROM item"))}`);
print(`sum=${query_value("SELECT sum(price) FROM item")}`);
print(`one=${query_one("SELECT name FROM item WHERE id = $1", [2]).name}`);
print(`one_price=${query_one("SELECT * FROM item WHERE id = 1").price}`);
try { query_one("SELECT * FROM item WHERE id = 99"); print("no error for 0 rows"); }
catch (e) { print(`zero: ${e}`); }
try { query_one("SELECT * FROM item WHERE id IN (1, 2)"); print("no error for 2 rows"); }
catch (e) { print(`two: ${e}`); }
try { query_value("SELECT id FROM item"); print("no error for 3 rows"); }
catch (e) { print(`qv: ${e}`); }
let rows = query("SELECT id FROM item WHERE price > $1 ORDER BY id", [3.0]);
print(`gt3=${rows.map(|r| r.id)}`);
"#;

fn check_api(target: &Target) {
    let out = target.ok(API_SCRIPT);
    assert_eq!(
        lines(&out),
        [
            "insert1=1",
            "insert2=2",
            "batch=5",
            "count=3",
            "type=i64",
            "sum=15.5",
            "one=kiwi",
            "one_price=4",
            "zero: expected exactly one row, but the query returned 0: SELECT * FROM item WHERE id = 99",
            "two: expected exactly one row, but the query returned 2: SELECT * FROM item WHERE id IN (1, 2)",
            "qv: query_value expected exactly one row, but the query returned 3: SELECT id FROM item",
            "gt3=[1, 4]",
        ],
        "{}:\n{out}",
        target.name()
    );
}

#[test]
fn api_functions_on_embedded() {
    check_api(&Target::Embedded);
}

#[test]
fn api_functions_on_native() {
    let pg = require_native!();
    check_api(&Target::Native(&pg));
}

const HANDLE_SCRIPT: &str = r#"
let db = connect();
print(`method_query=${db.query("SELECT 5 AS five")[0].five}`);
db.execute("CREATE TABLE h (x int)");
print(`method_execute=${db.execute("INSERT INTO h VALUES ($1), ($2)", [1, 2])}`);
print(`method_batch=${db.execute("INSERT INTO h VALUES (3); DELETE FROM h WHERE x < 3")}`);
print(`method_one=${db.query_one("SELECT x FROM h").x}`);
print(`method_value=${db.query_value("SELECT x * 10 FROM h")}`);
let info = db.info();
print(`info_keys=${info.keys()}`);
print(`info_user=${info.user}`);
print(`info_db=${info.database}`);
print(`info_pid_is_int=${type_of(info.pid) == "i64" && info.pid > 0}`);
print(`info_in_tx=${info.in_transaction}`);
print(`info_has_version=${info.server_version.len() > 0}`);
db.close();
print(`closed_info=${db.info().closed}`);
print(`shown=${db}`);
try { db.query("SELECT 1"); print("closed handle still works"); }
catch (e) { print(`after_close: ${e}`); }
try { db.execute("SELECT 1"); print("closed handle still executes"); }
catch (e) { print(`after_close_execute: ${e}`); }
"#;

fn check_handle(target: &Target) {
    let out = target.ok(HANDLE_SCRIPT);
    let t = target.name();
    for expected in [
        "method_query=5",
        "method_execute=2",
        "method_batch=3",
        "method_one=3",
        "method_value=30",
        "info_user=postgres",
        "info_db=postgres",
        "info_pid_is_int=true",
        "info_in_tx=false",
        "info_has_version=true",
        "closed_info=true",
        "after_close: this connection was closed with close()",
        "after_close_execute: this connection was closed with close()",
    ] {
        assert!(
            lines(&out).contains(&expected),
            "{t}: stdout lacks line {expected:?}:\n{out}"
        );
    }
    assert!(!out.contains("still"), "{t}: closed handle worked:\n{out}");
    let keys = out
        .lines()
        .find(|l| l.starts_with("info_keys="))
        .expect("info_keys line");
    for key in [
        "target",
        "server_version",
        "user",
        "database",
        "pid",
        "in_transaction",
    ] {
        assert!(keys.contains(&format!("\"{key}\"")), "{t}: {keys}");
    }
    assert!(!keys.contains("password"), "{t}: {keys}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("shown=Db(") && l.ends_with("(closed)")),
        "{t}:\n{out}"
    );
}

#[test]
fn db_handle_methods_on_embedded() {
    check_handle(&Target::Embedded);
}

#[test]
fn db_handle_methods_on_native() {
    let pg = require_native!();
    check_handle(&Target::Native(&pg));
}

#[test]
fn connect_with_url_and_options_map_on_native() {
    let pg = require_native!();
    let dir = pg.socket_dir().display().to_string();
    let port = pg.port();
    let url = pg.url();
    pg.psql("create database other; create role reader login");
    let script = format!(
        r##"
let a = connect("{url}");
print(`url_db=${{a.query_value("SELECT current_database()")}}`);
let b = connect(#{{host: "{dir}", port: {port}, user: "reader", dbname: "other", application_name: "pgsh-test", password: "s3cretpw"}});
print(`map_db=${{b.query_value("SELECT current_database()")}}`);
print(`map_user=${{b.query_value("SELECT current_user")}}`);
print(`map_app=${{b.query_value("SELECT current_setting('application_name')")}}`);
// connect() makes the new session the current one: the globals now use b.
print(`global_db=${{query_value("SELECT current_database()")}}`);
print(`info=${{b.info()}}`);
print(`shown=${{b}}`);
print(`user_from_info=${{b.info().user}}`);
"##
    );
    // The default target is the cluster too (through PG* variables), so connect() works without arguments.
    let (dir_guard, path) = common::script_file(&script);
    let out = common::pgsh().envs(pg.env()).arg(&path).run();
    drop(dir_guard);
    out.assert_ok();
    for expected in [
        "url_db=postgres",
        "map_db=other",
        "map_user=reader",
        "map_app=pgsh-test",
        "global_db=other",
        "user_from_info=reader",
    ] {
        assert!(
            lines(&out.stdout).contains(&expected),
            "stdout lacks line {expected:?}:\n{out}"
        );
    }
    let info = out
        .stdout
        .lines()
        .find(|l| l.starts_with("info="))
        .expect("info line");
    assert!(info.contains("database: \"other\""), "{info}");
    // The cluster trusts every user, so the password is accepted and ignored; it must not show anywhere.
    assert!(!out.stdout.contains("s3cretpw"), "{out}");
    assert!(!out.stderr.contains("s3cretpw"), "{out}");
    assert!(!info.contains("password"), "{info}");
}

// ---------------------------------------------------------------------------------------------------------
// 3. Rows as maps, and how they print
// ---------------------------------------------------------------------------------------------------------

const ROWS_SCRIPT: &str = r#"
execute("CREATE TABLE fruit (name text, price numeric, qty int)");
execute("INSERT INTO fruit VALUES ('fig', 3, 10), ('kiwi', 1.5, 20), ('lime', 2, 30)");
let rows = query("SELECT name, price, qty FROM fruit ORDER BY name");
print(`len=${rows.len()}`);
print(`first=${rows[0].name}`);
print(`bracket=${rows[1]["price"]}`);
print(`last=${rows[-1].name}`);
print(`second_last=${rows[-2].qty}`);
for row in rows { print(`each=${row.name}:${row.qty}`); }
let cheap = rows.filter(|r| r.price < 3);
print(`filter_type=${type_of(cheap)}`);
print(`filter_len=${cheap.len()}`);
print(`filter_first=${cheap[0].name}`);
print(`map=${rows.map(|r| r.qty * 2)}`);
print(`row_type=${type_of(rows[0])}`);
print("--- table ---");
print(query("SELECT qty AS z, name AS a FROM fruit ORDER BY qty"));
print("--- cheap ---");
print(cheap);
print("--- dup ---");
let dup = query("SELECT 1 AS a, 2 AS a, 3 AS b");
print(dup);
print(`dup_a=${dup[0].a} dup_a_2=${dup[0].a_2}`);
print("--- end ---");
"#;

fn check_rows(target: &Target) {
    let out = target.ok(ROWS_SCRIPT);
    let t = target.name();
    for expected in [
        "len=3",
        "first=fig",
        "bracket=1.5",
        "last=lime",
        "second_last=20",
        "each=fig:10",
        "each=kiwi:20",
        "each=lime:30",
        "filter_type=rows",
        "filter_len=2",
        "filter_first=kiwi",
        "map=[20, 40, 60]",
        "row_type=map",
        "dup_a=1 dup_a_2=2",
    ] {
        assert!(
            lines(&out).contains(&expected),
            "{t}: stdout lacks line {expected:?}:\n{out}"
        );
    }
    // `for` visits the rows in order.
    let each: Vec<&str> = out.lines().filter(|l| l.starts_with("each=")).collect();
    assert_eq!(each, ["each=fig:10", "each=kiwi:20", "each=lime:30"], "{t}");
    // psql's layout, in the SELECT's column order (z before a, though a sorts first), with a footer.
    assert_block(
        &out,
        &[
            "--- table ---",
            " z  |  a   ",
            "----+------",
            " 10 | fig",
            " 20 | kiwi",
            " 30 | lime",
            "(3 rows)",
            "--- cheap ---",
        ],
        t,
    );
    assert_block(
        &out,
        &[
            "--- cheap ---",
            " name | price | qty ",
            "------+-------+-----",
            " kiwi |   1.5 |  20",
            " lime |     2 |  30",
            "(2 rows)",
        ],
        t,
    );
    assert_block(
        &out,
        &[
            "--- dup ---",
            " a | a_2 | b ",
            "---+-----+---",
            " 1 |   2 | 3",
            "(1 row)",
        ],
        t,
    );
}

#[test]
fn rows_behave_like_maps_on_embedded() {
    check_rows(&Target::Embedded);
}

#[test]
fn rows_behave_like_maps_on_native() {
    let pg = require_native!();
    check_rows(&Target::Native(&pg));
}

// ---------------------------------------------------------------------------------------------------------
// 4. NULL
// ---------------------------------------------------------------------------------------------------------

const NULL_SCRIPT: &str = r#"
execute("CREATE TABLE n (id int, label text)");
execute("INSERT INTO n VALUES ($1, $2)", [1, ()]);
execute("INSERT INTO n VALUES ($1, $2)", [2, "two"]);
let v = query_value("SELECT label FROM n WHERE id = 1");
print(`is_unit=${v == ()} type=${type_of(v)}`);
print(`row_null=${query_one("SELECT * FROM n WHERE id = 1").label == ()}`);
print(`param_null=${query_value("SELECT $1::int IS NULL", [()])}`);
print(`stored_null=${query_value("SELECT count(*) FROM n WHERE label IS NULL")}`);
print("--- table ---");
print(query("SELECT id, label, NULL::int AS nothing FROM n ORDER BY id"));
"#;

fn check_null(target: &Target) {
    let out = target.ok(NULL_SCRIPT);
    let t = target.name();
    for expected in [
        "is_unit=true type=()",
        "row_null=true",
        "param_null=true",
        "stored_null=1",
    ] {
        assert!(
            lines(&out).contains(&expected),
            "{t}: stdout lacks line {expected:?}:\n{out}"
        );
    }
    assert_block(
        &out,
        &[
            "--- table ---",
            " id | label | nothing ",
            "----+-------+---------",
            "  1 |       |",
            "  2 | two   |",
            "(2 rows)",
        ],
        t,
    );
}

#[test]
fn null_is_unit_on_embedded() {
    check_null(&Target::Embedded);
}

#[test]
fn null_is_unit_on_native() {
    let pg = require_native!();
    check_null(&Target::Native(&pg));
}

// ---------------------------------------------------------------------------------------------------------
// 5. Catchable errors
// ---------------------------------------------------------------------------------------------------------

const CAUGHT_SCRIPT: &str = r#"
try { query("SELECT nope"); print("no error"); }
catch (e) {
    print(`code=${e.code}`);
    print(`message=${e.message}`);
    print(`position=${e.position}`);
    print(`sql=${e.sql}`);
    print(`kind=${e.kind}`);
}
execute("CREATE TABLE person (id int PRIMARY KEY, email text CONSTRAINT person_email_key UNIQUE)");
execute("INSERT INTO person VALUES (1, 'ada@example.com')");
try { execute("INSERT INTO person VALUES ($1, $2)", [2, "ada@example.com"]); print("no error"); }
catch (e) {
    print(`code=${e.code}`);
    print(`constraint=${e.constraint}`);
    print(`table=${e.table}`);
    print(`detail=${e.detail}`);
}
print(`after=${query_value("SELECT count(*) FROM person")}`);
"#;

fn check_caught(target: &Target) {
    let out = target.ok(CAUGHT_SCRIPT);
    let t = target.name();
    let expected = [
        "code=42703",
        "message=column \"nope\" does not exist",
        "position=8",
        "sql=SELECT nope",
        "kind=sql",
        "code=23505",
        "constraint=person_email_key",
        "table=person",
        "detail=Key (email)=(ada@example.com) already exists.",
        "after=1",
    ];
    assert_eq!(lines(&out), expected, "{t}:\n{out}");
}

#[test]
fn sql_errors_are_catchable_on_embedded() {
    check_caught(&Target::Embedded);
}

#[test]
fn sql_errors_are_catchable_on_native() {
    let pg = require_native!();
    check_caught(&Target::Native(&pg));
}

// ---------------------------------------------------------------------------------------------------------
// 6. Uncaught errors
// ---------------------------------------------------------------------------------------------------------

const UNCAUGHT_SCRIPT: &str = "print(\"before\");\nlet x = 1;\n  let r = query(\"SELECT id FROM missing_table\");\nprint(\"after\");\n";

fn check_uncaught(target: &Target) {
    let (out, path) = target.script(UNCAUGHT_SCRIPT);
    let t = target.name();
    out.assert_code(3);
    assert_eq!(out.stdout, "before\n", "{t}: {out}");
    let expected = format!(
        "{}:3:11: ERROR:  relation \"missing_table\" does not exist\n\
         \x20  3 |   let r = query(\"SELECT id FROM missing_table\");\n\
         \x20    |           ^\n\
         LINE 1: SELECT id FROM missing_table\n\
         \x20                      ^\n\
         SQLSTATE: 42P01\n",
        path.display()
    );
    assert_eq!(out.stderr, expected, "{t}: {out}");
}

#[test]
fn uncaught_sql_error_is_rendered_on_embedded() {
    check_uncaught(&Target::Embedded);
}

#[test]
fn uncaught_sql_error_is_rendered_on_native() {
    let pg = require_native!();
    check_uncaught(&Target::Native(&pg));
}

#[test]
fn uncaught_query_one_error_exits_3() {
    let (out, path) = Target::Embedded
        .script("let r = query_one(\"SELECT 1 WHERE false\");\nprint(\"after\");\n");
    out.assert_code(3);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(
        out.stderr.starts_with(&format!(
            "{}:1:9: expected exactly one row, but the query returned 0",
            path.display()
        )),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------------------
// 7. Connection failures
// ---------------------------------------------------------------------------------------------------------

#[test]
fn malformed_url_exits_2_without_the_password() {
    let (_dir, path) = common::script_file("print(query_value(\"SELECT 1\"));\n");
    let out = common::pgsh()
        .args(["-d", "postgres://u:s3cretpw@host:99999/db"])
        .arg(&path)
        .run();
    out.assert_code(2);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.starts_with("pgsh: "), "{out}");
    // It says what is wrong: the port.
    assert!(out.stderr.contains("\"99999\""), "{out}");
    assert!(out.stderr.contains("port"), "{out}");
    assert!(!out.stderr.contains("s3cretpw"), "{out}");
    assert!(!out.stdout.contains("s3cretpw"), "{out}");
}

#[test]
fn unreachable_server_exits_2_naming_the_host_not_the_password() {
    let (_dir, path) =
        common::script_file("print(\"start\");\nprint(query_value(\"SELECT 1\"));\n");
    let t = Instant::now();
    let out = common::pgsh()
        .args([
            "-d",
            "postgres://u:s3cretpw@127.0.0.1:1/db",
            "--retry-attempts",
            "1",
        ])
        .arg(&path)
        .run();
    out.assert_code(2);
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(out.stdout, "start\n", "{out}");
    assert!(out.stderr.contains("cannot connect to"), "{out}");
    assert!(out.stderr.contains("127.0.0.1:1"), "{out}");
    assert!(out.stderr.contains("1 attempt"), "{out}");
    assert!(!out.stderr.contains("s3cretpw"), "{out}");

    // The same from -e with connect(): still exit 2, still no password.
    let out = common::pgsh()
        .args([
            "-d",
            "postgres://u:s3cretpw@127.0.0.1:1/db",
            "--retry-attempts",
            "1",
            "-e",
            "connect()",
        ])
        .run();
    out.assert_code(2);
    assert!(out.stderr.contains("127.0.0.1"), "{out}");
    assert!(!out.stderr.contains("s3cretpw"), "{out}");
}

// ---------------------------------------------------------------------------------------------------------
// 8. --data persistence
// ---------------------------------------------------------------------------------------------------------

#[test]
fn data_dir_persists_between_runs() {
    let data = tempfile::tempdir().expect("temp dir for --data");
    let dir = data.path().join("db");
    let first = embedded()
        .arg("--data")
        .arg(&dir)
        .arg("-e")
        .arg("execute(\"CREATE TABLE keep (x int, note text)\"); execute(\"INSERT INTO keep VALUES ($1, $2)\", [42, \"kept\"])")
        .run();
    first.assert_ok();
    assert_eq!(first.stdout, "1\n", "{first}");
    assert!(dir.is_dir(), "--data did not create {}", dir.display());

    let second = embedded()
        .arg("--data")
        .arg(&dir)
        .arg("-e")
        .arg("let r = query_one(\"SELECT * FROM keep\"); `${r.x} ${r.note}`")
        .run();
    second.assert_ok();
    assert_eq!(second.stdout, "42 kept\n", "{second}");

    // Without --data the table is not there: each plain run gets a fresh database.
    let fresh = embedded()
        .arg("-e")
        .arg("query_value(\"SELECT to_regclass('keep') IS NULL\")")
        .run();
    fresh.assert_ok();
    assert_eq!(fresh.stdout, "true\n", "{fresh}");
}

// ---------------------------------------------------------------------------------------------------------
// 9. Piped stdin
// ---------------------------------------------------------------------------------------------------------

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
        // The statement started on line 4; the server's caret points into its second line.
        assert!(
            out.stderr
                .starts_with("pgsh:<stdin>:4: ERROR:  relation \"nope\" does not exist\n"),
            "{args:?}: {out}"
        );
        assert!(
            out.stderr.contains("LINE 2:   nope\n          ^\n"),
            "{args:?}: {out}"
        );
        assert!(out.stderr.contains("SQLSTATE: 42P01"), "{args:?}: {out}");
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

// ---------------------------------------------------------------------------------------------------------
// 10, 11. -e, --version, --help, bad flags
// ---------------------------------------------------------------------------------------------------------

#[test]
fn eval_prints_values_and_takes_args() {
    let out = embedded().args(["-e", "1 + 2"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "3\n", "{out}");

    let out = embedded()
        .args([
            "-e",
            "query(\"SELECT 2 AS b, 1 AS a UNION ALL SELECT 4, 3\")",
        ])
        .run();
    out.assert_ok();
    assert_block(
        &out.stdout,
        &[" b | a ", "---+---", " 2 | 1", " 4 | 3", "(2 rows)"],
        "-e query",
    );

    let out = embedded().args(["-e", "ARGS", "x", "y z"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "[\"x\", \"y z\"]\n", "{out}");

    let out = embedded()
        .args(["-e", "`${ARGS.len()}:${ARGS[1]}`", "one", "--two"])
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "2:--two\n", "{out}");

    // A unit value prints nothing.
    let out = embedded().args(["-e", "let x = 1;"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "", "{out}");
}

#[test]
fn eval_on_native() {
    let pg = require_native!();
    let out = Target::Native(&pg)
        .pgsh()
        .args([
            "-e",
            "query_value(\"SELECT current_setting('server_version_num')::int / 10000\")",
        ])
        .run();
    out.assert_ok();
    let major = pg.psql("select current_setting('server_version_num')::int / 10000");
    assert_eq!(out.stdout, format!("{major}\n"), "{out}");

    let out = Target::Native(&pg)
        .pgsh()
        .args(["-e", "query(\"SELECT 'x' AS k, current_database() AS db\")"])
        .run();
    out.assert_ok();
    assert_block(
        &out.stdout,
        &[
            " k |    db    ",
            "---+----------",
            " x | postgres",
            "(1 row)",
        ],
        "-e query on native",
    );
}

#[test]
fn script_args_are_available_as_args() {
    let (_dir, path) = common::script_file("print(ARGS);\nprint(ARGS.len());\n");
    let out = embedded().arg(&path).args(["a", "b", "-x"]).run();
    out.assert_ok();
    assert_eq!(out.stdout, "[\"a\", \"b\", \"-x\"]\n3\n", "{out}");
}

#[test]
fn version_help_and_bad_flags() {
    let out = common::pgsh().arg("--version").run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        format!("pgsh {}\n", env!("CARGO_PKG_VERSION")),
        "{out}"
    );

    let out = common::pgsh().arg("--help").run();
    out.assert_ok();
    assert!(
        out.stdout
            .contains("Usage: pgsh [OPTIONS] [SCRIPT] [ARGS]..."),
        "{out}"
    );
    for flag in ["--eval", "--command", "--data", "--dbname", "--embedded"] {
        assert!(out.stdout.contains(flag), "--help lacks {flag}: {out}");
    }

    let out = common::pgsh().arg("--bogus").run();
    out.assert_code(1);
    assert!(out.stderr.contains("--bogus"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");

    let out = common::pgsh().args(["--format", "xml", "-e", "1"]).run();
    out.assert_code(1);
    assert!(out.stderr.contains("unknown format \"xml\""), "{out}");
}

// ---------------------------------------------------------------------------------------------------------
// 12. Sessions: one at a time on embedded, concurrent on a server
// ---------------------------------------------------------------------------------------------------------

#[test]
fn embedded_second_connect_fails_fast() {
    let t = Instant::now();
    let (out, path) = Target::Embedded
        .script("let a = connect();\nprint(\"a ok\");\nlet b = connect();\nprint(\"b ok\");\n");
    let elapsed = t.elapsed();
    assert!(
        elapsed < Duration::from_secs(10),
        "second connect() took {elapsed:?}"
    );
    out.assert_code(2);
    assert_eq!(out.stdout, "a ok\n", "{out}");
    assert!(
        out.stderr.starts_with(&format!("{}:3:9: ", path.display())),
        "{out}"
    );
    assert!(out.stderr.contains("one session at a time"), "{out}");
    assert!(out.stderr.contains("SQLSTATE 53300"), "{out}");

    // Caught, the first session keeps working; closing it lets a new one in.
    let t = Instant::now();
    let out = Target::Embedded.ok(r#"
let a = connect();
try { let b = connect(); print("b ok"); } catch (e) { print(`caught ${e.code}`); }
print(`a=${a.query_value("SELECT 7")}`);
a.close();
let c = connect();
print(`c=${c.query_value("SELECT 8")}`);
"#);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(lines(&out), ["caught 53300", "a=7", "c=8"], "{out}");
}

#[test]
fn native_connects_give_separate_sessions() {
    let pg = require_native!();
    let out = Target::Native(&pg).ok(r#"
let a = connect();
let b = connect();
let pa = a.info().pid;
let pb = b.info().pid;
print(`distinct=${pa != pb}`);
print(`a_backend=${a.query_value("SELECT pg_backend_pid()") == pa}`);
print(`b_backend=${b.query_value("SELECT pg_backend_pid()") == pb}`);
a.execute("CREATE TEMP TABLE only_a (x int)");
print(`a_sees=${a.query_value("SELECT to_regclass('pg_temp.only_a') IS NOT NULL")}`);
print(`b_sees=${b.query_value("SELECT to_regclass('pg_temp.only_a') IS NOT NULL")}`);
"#);
    assert_eq!(
        lines(&out),
        [
            "distinct=true",
            "a_backend=true",
            "b_backend=true",
            "a_sees=true",
            "b_sees=false"
        ],
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------------------
// 13. Session pinning
// ---------------------------------------------------------------------------------------------------------

const PINNING_SCRIPT: &str = r#"
execute("CREATE SCHEMA myschema");
execute("CREATE TABLE myschema.thing (x int)");
execute("INSERT INTO myschema.thing VALUES (11)");
execute("SET search_path TO myschema");
print(`path=${query_value("SHOW search_path")}`);
print(`unqualified=${query_value("SELECT x FROM thing")}`);
execute("CREATE TEMP TABLE scratch AS SELECT 5 AS v");
print(`temp=${query_value("SELECT v FROM scratch")}`);
execute("BEGIN");
print(`in_tx=${in_transaction()}`);
execute("INSERT INTO thing VALUES (12)");
print(`inside=${query_value("SELECT count(*) FROM thing")}`);
execute("ROLLBACK");
print(`in_tx_after=${in_transaction()}`);
print(`after_rollback=${query_value("SELECT count(*) FROM thing")}`);
"#;

fn check_pinning(target: &Target) {
    let out = target.ok(PINNING_SCRIPT);
    assert_eq!(
        lines(&out),
        [
            "path=myschema",
            "unqualified=11",
            "temp=5",
            "in_tx=true",
            "inside=2",
            "in_tx_after=false",
            "after_rollback=1"
        ],
        "{}: {out}",
        target.name()
    );
}

#[test]
fn session_is_pinned_on_embedded() {
    check_pinning(&Target::Embedded);
}

#[test]
fn session_is_pinned_on_native() {
    let pg = require_native!();
    check_pinning(&Target::Native(&pg));
}

// ---------------------------------------------------------------------------------------------------------
// 14. A transaction left open is rolled back, with a warning
// ---------------------------------------------------------------------------------------------------------

const OPEN_TX_WARNING: &str = "pgsh: warning: a transaction was still open on";

#[test]
fn open_transaction_at_end_is_rolled_back_on_embedded() {
    let data = tempfile::tempdir().expect("temp dir for --data");
    let dir = data.path().join("db");
    let (_d, path) = common::script_file(
        "execute(\"CREATE TABLE k (x int)\");\nbegin();\nexecute(\"INSERT INTO k VALUES (1)\");\nprint(`inside=${query_value(\"SELECT count(*) FROM k\")}`);\n",
    );
    let out = embedded().arg("--data").arg(&dir).arg(&path).run();
    out.assert_ok();
    assert_eq!(out.stdout, "inside=1\n", "{out}");
    assert!(out.stderr.contains(OPEN_TX_WARNING), "{out}");
    assert!(out.stderr.contains("rolled back"), "{out}");

    let check = embedded()
        .arg("--data")
        .arg(&dir)
        .args(["-e", "query_value(\"SELECT count(*) FROM k\")"])
        .run();
    check.assert_ok();
    assert_eq!(
        check.stdout, "0\n",
        "the uncommitted insert survived: {check}"
    );
    assert!(check.stderr.is_empty(), "{check}");
}

#[test]
fn open_transaction_at_end_is_rolled_back_on_native() {
    let pg = require_native!();
    pg.psql("create table k (x int)");
    for script in [
        "begin();\nexecute(\"INSERT INTO k VALUES (1)\");\nprint(`inside=${query_value(\"SELECT count(*) FROM k\")}`);\n",
        "execute(\"BEGIN\");\nexecute(\"INSERT INTO k VALUES (1)\");\nprint(`inside=${query_value(\"SELECT count(*) FROM k\")}`);\n",
    ] {
        let (_d, path) = common::script_file(script);
        let out = common::pgsh().arg("-d").arg(pg.url()).arg(&path).run();
        out.assert_ok();
        assert_eq!(out.stdout, "inside=1\n", "{out}");
        assert!(out.stderr.contains(OPEN_TX_WARNING), "{out}");
        assert_eq!(pg.psql("select count(*) from k"), "0", "{out}");
    }
    // Committed work is kept, and no warning.
    let (_d, path) =
        common::script_file("begin();\nexecute(\"INSERT INTO k VALUES (2)\");\ncommit();\n");
    let out = common::pgsh().arg("-d").arg(pg.url()).arg(&path).run();
    out.assert_ok();
    assert!(out.stderr.is_empty(), "{out}");
    assert_eq!(pg.psql("select x from k"), "2");
}

// ---------------------------------------------------------------------------------------------------------
// 15. transaction(|| ...)
// ---------------------------------------------------------------------------------------------------------

const TX_SCRIPT: &str = r#"
execute("CREATE TABLE acct (id int PRIMARY KEY, v int)");
let r = transaction(|| {
    execute("INSERT INTO acct VALUES (1, 10)");
    execute("INSERT INTO acct VALUES (2, 20)");
    "committed"
});
print(`value=${r}`);
try {
    transaction(|| {
        execute("INSERT INTO acct VALUES (3, 30)");
        execute("INSERT INTO acct VALUES (1, 99)");
        print("not reached");
    });
    print("not rethrown");
} catch (e) { print(`rethrown=${e.code}`); }
print(`in_tx=${in_transaction()}`);
print(`after_fail=${query("SELECT id FROM acct ORDER BY id").map(|r| r.id)}`);
try {
    transaction(|| { execute("INSERT INTO acct VALUES (7, 70)"); throw "plain failure"; });
} catch (e) { print(`thrown=${e}`); }
print(`after_throw=${query_value("SELECT count(*) FROM acct")}`);
transaction(|| {
    execute("INSERT INTO acct VALUES (4, 40)");
    try {
        transaction(|| {
            execute("INSERT INTO acct VALUES (5, 50)");
            execute("INSERT INTO acct VALUES (5, 51)");
        });
    } catch (e) { print(`inner=${e.code}`); }
    execute("INSERT INTO acct VALUES (6, 60)");
});
print(`final=${query("SELECT id FROM acct ORDER BY id").map(|r| r.id)}`);
"#;

const TX_EXPECTED: &[&str] = &[
    "value=committed",
    "rethrown=23505",
    "in_tx=false",
    "after_fail=[1, 2]",
    "thrown=plain failure",
    "after_throw=2",
    "inner=23505",
    "final=[1, 2, 4, 6]",
];

#[test]
fn transaction_commits_rolls_back_and_nests_on_embedded() {
    let out = Target::Embedded.ok(TX_SCRIPT);
    assert_eq!(lines(&out), TX_EXPECTED, "{out}");
}

#[test]
fn transaction_commits_rolls_back_and_nests_on_native() {
    let pg = require_native!();
    let target = Target::Native(&pg);
    let out = target.ok(TX_SCRIPT);
    assert_eq!(lines(&out), TX_EXPECTED, "{out}");
    // A second connection sees exactly what was committed.
    assert_eq!(
        pg.psql("select string_agg(id::text, ',' order by id) from acct"),
        "1,2,4,6"
    );

    // Seen from a second session while the script runs: the failed transaction's row never shows.
    let out = target.ok(r#"
execute("CREATE TABLE ledger (id int PRIMARY KEY)");
let watcher = connect();
let worker = connect();
try {
    worker.transaction(|tx| {
        tx.execute("INSERT INTO ledger VALUES (1)");
        print(`watcher_during=${watcher.query_value("SELECT count(*) FROM ledger")}`);
        tx.execute("INSERT INTO ledger VALUES (1)");
    });
} catch (e) { print(`failed=${e.code}`); }
print(`watcher_after=${watcher.query_value("SELECT count(*) FROM ledger")}`);
worker.transaction(|tx| tx.execute("INSERT INTO ledger VALUES (2)"));
print(`watcher_commit=${watcher.query_value("SELECT count(*) FROM ledger")}`);
"#);
    assert_eq!(
        lines(&out),
        [
            "watcher_during=0",
            "failed=23505",
            "watcher_after=0",
            "watcher_commit=1"
        ],
        "{out}"
    );
    assert_eq!(pg.psql("select id from ledger"), "2");
}

// ---------------------------------------------------------------------------------------------------------
// 16. exit() and env()
// ---------------------------------------------------------------------------------------------------------

#[test]
fn exit_code_and_env() {
    // With the embedded server running and a `Db` held, as scripts usually do.
    let t = Instant::now();
    let (out, _) = Target::Embedded.script(
        "let db = connect();\nprint(db.query_value(\"SELECT 'a'\"));\nexit(4);\nprint(\"b\");\n",
    );
    out.assert_code(4);
    assert_eq!(out.stdout, "a\n", "{out}");
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "took {:?}",
        t.elapsed()
    );
    assert!(out.stderr.is_empty(), "exit() printed an error: {out}");

    // exit() cannot be caught by try.
    let (out, _) = Target::Embedded
        .script("try { exit(5); } catch (e) { print(\"caught\"); }\nprint(\"after\");\n");
    out.assert_code(5);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.is_empty(), "{out}");

    let out = common::pgsh()
        .env("PGSH_TEST_X", "hello there")
        .args([
            "-e",
            "`${env(\"PGSH_TEST_X\")}|${env(\"PGSH_TEST_UNSET\") == ()}`",
        ])
        .env_remove("PGSH_TEST_UNSET")
        .run();
    out.assert_ok();
    assert_eq!(out.stdout, "hello there|true\n", "{out}");
}

#[test]
fn exit_code_on_native_rolls_back() {
    let pg = require_native!();
    pg.psql("create table e (x int)");
    let (out, _) =
        Target::Native(&pg).script("begin();\nexecute(\"INSERT INTO e VALUES (1)\");\nexit(4);\n");
    out.assert_code(4);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(!out.stderr.contains("ERROR"), "{out}");
    assert_eq!(pg.psql("select count(*) from e"), "0", "{out}");
}
