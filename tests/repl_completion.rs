//! Tab completion at the REPL on a real server, through a pseudo-terminal: what is offered and in what
//! order (issue 16) — the columns of the tables in scope first, functions users call but no type I/O or
//! conversion functions, no flood on an empty word, words used in the session first, the catalog read
//! again after DDL. (The timing on 10,000 tables is in scripts/bench.py, `--only completion`.)

use crate::common::{cmd, expect, pty};

/// rustyline's list after a second Tab: the candidates in one row, in the order given, padded with spaces.
fn list_row(names: &[&str]) -> expectrl::Regex<String> {
    expectrl::Regex(format!("\\r\\n{} *\\r\\n", names.join(" +")))
}

/// Ctrl-C: the line is dropped and an empty prompt is back (not the prompt redrawn under a list).
fn cancel(s: &mut crate::common::pty::Pty) {
    s.send("\x03").unwrap();
    expect(s, "tabs=# \r");
}

#[test]
fn completion_offers_columns_in_scope_first() {
    let pg = require_native!();
    pg.psql("CREATE DATABASE tabs");
    pg.psql_db(
        "tabs",
        "CREATE TABLE track (track_id int PRIMARY KEY, name text, milliseconds int, unit_price numeric);
         CREATE TABLE album (album_id int, title text)",
    );
    let home = tempfile::tempdir().unwrap();
    let mut env = pg.env();
    env.retain(|(k, _)| k != "PGDATABASE");
    env.push(("PGDATABASE".into(), "tabs".into()));
    let mut s = pty(home.path(), 100, &env);
    expect(&mut s, "tabs=#");

    // `mi`: the column, then the functions starting with it — min and min_scale, not the 17 encoding
    // conversions (mic_to_big5, …) that pg_proc also holds.
    s.send("SELECT * FROM track WHERE mi\t\t").unwrap();
    let listed = s
        .expect(list_row(&["milliseconds", "min", "min_scale"]))
        .unwrap_or_else(|e| panic!("the list for `mi`: {e}"));
    assert!(!String::from_utf8_lossy(listed.before()).contains("mic_to"));
    cancel(&mut s);

    // After SET only a column of the updated table fits: the one candidate is completed at once.
    s.send("UPDATE track SET un\t").unwrap();
    expect(&mut s, "SET unit_price");
    cancel(&mut s);

    // An empty word after WHERE: the four columns of track and nothing else.
    s.send("SELECT * FROM track WHERE \t\t").unwrap();
    s.expect(list_row(&[
        "milliseconds",
        "name",
        "track_id",
        "unit_price",
    ]))
    .unwrap_or_else(|e| panic!("the list for an empty word: {e}"));
    cancel(&mut s);

    // A column through an alias the FROM after the cursor defines: type the line, go back 13 characters
    // to the end of `a.ti`, complete, then run it.
    s.send("SELECT a.ti FROM album a").unwrap();
    s.send("\x1b[D".repeat(13)).unwrap();
    s.send("\t").unwrap();
    expect(&mut s, "a.title FROM");
    s.send("\x05;\r").unwrap();
    expect(&mut s, "(0 rows)");

    // A function used in this session ranks first among the functions.
    let out = cmd(&mut s, "SELECT min_scale(1.50) AS scale;");
    assert!(out.contains("(1 row)"), "{out}");
    s.send("SELECT * FROM track WHERE mi\t\t").unwrap();
    s.expect(list_row(&["milliseconds", "min_scale", "min"]))
        .unwrap_or_else(|e| panic!("the list after using min_scale: {e}"));
    cancel(&mut s);

    // DDL in the session: the new column is offered at the next Tab.
    let out = cmd(&mut s, "ALTER TABLE track ADD COLUMN composer text;");
    assert!(out.contains("ALTER TABLE"), "{out}");
    s.send("SELECT * FROM track WHERE compo\t").unwrap();
    expect(&mut s, "WHERE composer");
    s.send(" IS NULL;\r").unwrap();
    expect(&mut s, "(0 rows)");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}
