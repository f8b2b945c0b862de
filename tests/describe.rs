//! psql's describe commands (`\d` and friends): byte for byte as psql on a native server, their `+` forms on
//! the embedded server, keys and indexes at the prompt, and where "not found" goes.

use crate::common;
use crate::common::{cmd, expect, pty};

#[test]
fn describe_shows_indexes_and_keys_and_x_auto_expands() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 50, &[]);
    expect(&mut s, "postgres=#");
    assert!(cmd(
        &mut s,
        "CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);"
    )
    .contains("CREATE TABLE"));
    assert!(cmd(
        &mut s,
        "CREATE TABLE book (id serial PRIMARY KEY, author_id int REFERENCES author(id), title text UNIQUE);"
    )
    .contains("CREATE TABLE"));
    assert!(cmd(
        &mut s,
        "CREATE INDEX book_title_lower ON book (lower(title));"
    )
    .contains("CREATE INDEX"));
    let out = cmd(&mut s, "\\d book");
    for want in [
        "Table \"public.book\"",
        "nextval('book_id_seq'::regclass)",
        "Indexes:",
        "\"book_pkey\" PRIMARY KEY, btree (id)",
        "\"book_title_key\" UNIQUE CONSTRAINT, btree (title)",
        "\"book_title_lower\" btree (lower(title))",
        "Foreign-key constraints:",
        "\"book_author_id_fkey\" FOREIGN KEY (author_id) REFERENCES author(id)",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let out = cmd(&mut s, "\\d author");
    assert!(out.contains("Referenced by:"), "{out}");
    assert!(
        out.contains("TABLE \"book\" CONSTRAINT \"book_author_id_fkey\""),
        "{out}"
    );
    assert!(cmd(&mut s, "\\x auto").contains("Expanded display is used automatically."));
    let narrow = cmd(&mut s, "SELECT 1 AS a, 'short' AS b;");
    assert!(narrow.contains(" a |   b"), "{narrow}");
    assert!(!narrow.contains("RECORD"), "{narrow}");
    let wide = cmd(
        &mut s,
        "SELECT repeat('x', 40) AS wide, repeat('y', 30) AS wider;",
    );
    assert!(wide.contains("-[ RECORD 1 ]"), "{wide}");
    assert!(wide.contains("wide  | xxxx"), "{wide}");
    s.send_line("\\q").unwrap();
}

/// psql's describe commands and patterns, compared byte for byte with psql on the same database.
#[test]
fn describe_commands_match_psql() {
    let pg = require_native!();
    pg.psql(
        "CREATE TABLE genre (id int PRIMARY KEY, name text); \
         CREATE TABLE \"a*b\" (i int); CREATE TABLE aab (i int); \
         CREATE VIEW gv AS SELECT id FROM genre; \
         CREATE TABLE meas (id int, logdate date NOT NULL) PARTITION BY RANGE (logdate); \
         CREATE TABLE meas_2020 PARTITION OF meas FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'); \
         CREATE TABLE meas_2021 PARTITION OF meas FOR VALUES FROM ('2021-01-01') TO ('2022-01-01'); \
         CREATE INDEX meas_day ON meas (logdate); \
         CREATE TABLE lst (k text) PARTITION BY LIST (k); CREATE TABLE lst_d PARTITION OF lst DEFAULT; \
         CREATE TABLE empty_p (k int) PARTITION BY HASH (k); \
         CREATE TABLE par (i int); CREATE TABLE ch1 () INHERITS (par); \
         CREATE TABLE idt (id int GENERATED ALWAYS AS IDENTITY, s serial); \
         CREATE ROLE r1; CREATE ROLE r2 LOGIN; GRANT r1 TO r2; \
         CREATE TABLE noted (a int, b text COMPRESSION pglz) WITH (fillfactor = 70); \
         ALTER TABLE noted ALTER a SET STATISTICS 50; COMMENT ON TABLE noted IS 'a table'; \
         COMMENT ON COLUMN noted.b IS 'the b'; COMMENT ON ROLE r1 IS 'first role'; \
         CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x; \
         CREATE FUNCTION addone(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1'; \
         COMMENT ON FUNCTION addone(int) IS 'adds one';",
    );
    let commands = [
        // The `+` forms: psql's extra columns and footers.
        "\\l",
        "\\dt+",
        "\\dv+",
        "\\dm+",
        "\\dm",
        "\\di+ genre*",
        "\\ds+",
        "\\dn+",
        "\\du+ r*",
        "\\df+ addone",
        "\\d+",
        "\\d+ noted",
        "\\d+ genre",
        "\\d+ genre_pkey",
        "\\d+ gv",
        "\\d+ mv",
        "\\d+ idt",
        "\\d genre",
        "\\d public.*",
        "\\dt \"a*b\"",
        "\\dt a?b",
        "\\dt genre|aab",
        "\\dt pg_class",
        "\\dt postgres.public.genre",
        "\\dt *.*",
        "\\df now",
        "\\dv pg_stat_a*",
        "\\di pg_class*",
        "\\dn *",
        "\\dn",
        "\\df nosuch",
        "\\dn nosuch",
        "\\du nosuch",
        "\\du",
        "\\du r*",
        "\\d gv",
        "\\d meas",
        "\\d meas_2020",
        "\\d meas_day",
        "\\d meas_2020_logdate_idx",
        "\\d lst_d",
        "\\d empty_p",
        "\\d par",
        "\\d ch1",
        "\\d idt_s_seq",
        "\\d idt_id_seq",
    ];
    for c in commands {
        let ours = common::pgsh()
            .envs(pg.env())
            .stdin_str(&format!("{c}\n"))
            .run();
        ours.assert_ok();
        let theirs = pg
            .psql_command("postgres", "postgres")
            .args(["-P", "format=aligned", "-P", "tuples_only=off", "-c", c])
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
        assert_eq!(ours.stdout, theirs, "for {c}");
    }
    // \d * describes every visible relation, system catalogs included.
    let out = common::pgsh().envs(pg.env()).stdin_str("\\d *\n").run();
    out.assert_ok();
    for want in [
        "Table \"public.genre\"",
        "Table \"pg_catalog.pg_class\"",
        "View \"public.gv\"",
    ] {
        assert!(out.stdout.contains(want), "missing {want} in {out}");
    }
    // \d+ adds a view's definition and lists partitions.
    let out = common::pgsh()
        .envs(pg.env())
        .stdin_str("\\d+ gv\n\\d+ meas\n")
        .run();
    out.assert_ok();
    assert!(
        out.stdout
            .contains("View definition:\n SELECT genre.id\n   FROM genre;\n"),
        "{out}"
    );
    assert!(
        out.stdout.contains(
            "Partitions: meas_2020 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'),\n            meas_2021 FOR VALUES"
        ),
        "{out}"
    );
    // \l+ adds sizes: compared by its columns, as psql of the server in use names them (a database's size,
    // and with it the table's widths, may move between two runs).
    let cells =
        |line: &str| -> Vec<String> { line.split('|').map(|c| c.trim().to_string()).collect() };
    let out = common::pgsh().envs(pg.env()).args(["-c", "\\l+"]).run();
    out.assert_ok();
    let theirs = pg
        .psql_command("postgres", "postgres")
        .args([
            "-P",
            "format=aligned",
            "-P",
            "tuples_only=off",
            "-c",
            "\\l+",
        ])
        .output()
        .unwrap();
    let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
    let header = |text: &str| cells(text.lines().nth(1).unwrap_or_default());
    assert_eq!(header(&out.stdout), header(&theirs), "{out}\n{theirs}");
    assert!(header(&theirs).contains(&"Size".to_string()), "{theirs}");
    let postgres_row = |text: &str| -> Vec<String> {
        let row = text
            .lines()
            .find(|l| l.starts_with(" postgres "))
            .unwrap_or_default();
        // Without the size.
        cells(row)
            .into_iter()
            .filter(|c| !c.ends_with(" kB") && !c.ends_with(" MB"))
            .collect()
    };
    assert_eq!(
        postgres_row(&out.stdout),
        postgres_row(&theirs),
        "{out}\n{theirs}"
    );
    assert!(
        out.stdout
            .contains("| pg_default | default administrative connection database"),
        "{out}"
    );
    // Nothing found: a relation list says so on stderr and goes on; \d of a missing name is an error.
    let out = common::pgsh()
        .envs(pg.env())
        .stdin_str("\\dt nosuch\nSELECT 'went on' AS w;\n\\d nosuch\nSELECT 'stopped' AS s;\n")
        .run();
    assert_ne!(out.status, Some(0), "{out}");
    assert!(
        out.stderr
            .contains("Did not find any relation named \"nosuch\".\n"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("pgsh:<stdin>:3: error: Did not find any relation named \"nosuch\"."),
        "{out}"
    );
    assert!(out.stdout.contains("went on"), "{out}");
    assert!(!out.stdout.contains("stopped"), "{out}");
    // Bad qualified names, as psql words them.
    for (pattern, msg) in [
        (
            "a.b.c.d",
            "improper qualified name (too many dotted names): a.b.c.d",
        ),
        (
            "other.public.t",
            "cross-database references are not implemented: other.public.t",
        ),
    ] {
        let out = common::pgsh()
            .envs(pg.env())
            .stdin_str(&format!("\\dt {pattern}\n"))
            .run();
        assert!(out.stderr.contains(msg), "{out}");
    }
}

/// On the embedded PostgreSQL 17, \l has psql 17's locale columns and the `+` forms work as on a server.
#[test]
fn verbose_describe_commands_on_the_embedded_server() {
    let out = common::pgsh()
        .args([
            "-c",
            "CREATE TABLE noted (a int, b text); COMMENT ON COLUMN noted.b IS 'the b';",
            "-c",
            "\\l+",
            "-c",
            "\\d+ noted",
            "-c",
            "\\dt+ noted",
        ])
        .run();
    out.assert_ok();
    let o = &out.stdout;
    // A line of the output whose cells are exactly `names`.
    let has_header = |names: &[&str]| {
        o.lines()
            .any(|l| l.split('|').map(str::trim).eq(names.iter().copied()))
    };
    let db_header = has_header(&[
        "Name",
        "Owner",
        "Encoding",
        "Locale Provider",
        "Collate",
        "Ctype",
        "Locale",
        "ICU Rules",
        "Access privileges",
        "Size",
        "Tablespace",
        "Description",
    ]);
    assert!(db_header, "{out}");
    let storage_header = has_header(&[
        "Column",
        "Type",
        "Collation",
        "Nullable",
        "Default",
        "Storage",
        "Compression",
        "Stats target",
        "Description",
    ]);
    assert!(storage_header, "{out}");
    assert!(
        o.contains("| extended |             |              | the b"),
        "{out}"
    );
    assert!(o.contains("Access method: heap"), "{out}");
    assert!(o.contains("| permanent   | heap          |"), "{out}");
}

#[test]
fn describe_notices_go_to_stderr_in_command_runs() {
    let out = common::pgsh()
        .args(["-c", "\\dt nosuch", "-c", "SELECT 1 AS one"])
        .run();
    out.assert_ok();
    assert!(
        out.stderr
            .contains("Did not find any relation named \"nosuch\"."),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("Did not find"), "{}", out.stdout);
    assert!(out.stdout.contains(" one"), "{}", out.stdout);
}
