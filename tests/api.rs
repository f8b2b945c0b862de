//! The Rhai database API end to end, on the embedded database and on a native server: the tour, the
//! global functions, `Db` handles and `connect()` options, rows as maps and how they print, NULL as `()`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common;
use crate::common::{assert_block, embedded, lines, Output, Target};

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
