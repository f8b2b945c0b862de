//! `-1` (`--single-transaction`): the whole run is one transaction, never committed after an error (caught
//! or not), covering `connect()` to the default target, and `\c` is refused inside it.

use crate::common;

#[test]
fn single_transaction_is_not_committed_after_a_caught_error_and_covers_connect() {
    let pg = require_native!();
    pg.psql("CREATE TABLE s1 (a int)");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-1", "-e", r#"execute("INSERT INTO s1 VALUES (7)"); try { execute("SELECT 1/0"); } catch (e) { } "done""#])
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("rolled back"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM s1"), "0");
    let out = common::pgsh()
        .envs(pg.env())
        .args([
            "-1",
            "-e",
            r#"let db = connect(); execute("INSERT INTO s1 VALUES (1)"); throw "boom";"#,
        ])
        .run();
    out.assert_code(3);
    assert_eq!(pg.psql("SELECT count(*) FROM s1"), "0");
    common::pgsh()
        .envs(pg.env())
        .args([
            "-1",
            "-e",
            r#"connect().execute("INSERT INTO s1 VALUES (1)");"#,
        ])
        .run()
        .assert_ok();
    assert_eq!(pg.psql("SELECT count(*) FROM s1"), "1");
}

#[test]
fn backslash_c_is_refused_inside_the_single_transaction() {
    let pg = require_native!();
    pg.psql("CREATE TABLE ci (n int)");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("switch.sql");
    std::fs::write(
        &f,
        "INSERT INTO ci VALUES (1);\n\\c postgres\nINSERT INTO ci VALUES (2);\n",
    )
    .unwrap();
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-1", "-f"])
        .arg(&f)
        .run();
    out.assert_code(3);
    assert!(out.stderr.contains("single transaction"), "{}", out.stderr);
    assert_eq!(pg.psql("SELECT count(*) FROM ci"), "0");
}
