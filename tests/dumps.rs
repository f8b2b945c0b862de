//! Real dumps reload exactly as with psql: the Chinook dataset and pg_dump output (plain and with `-C`).

use crate::common;
use crate::common::{write, NativeCluster};

/// `table=<rows>:<md5 of the rows' text>` for every table in `public`: equal digests mean equal contents.
fn table_digests(pg: &NativeCluster, db: &str) -> String {
    pg.psql_db(
        db,
        "SELECT string_agg(format('%s=%s', table_name, (xpath('/row/c/text()', query_to_xml(format(\
         'SELECT count(*) || '':'' || md5(coalesce(string_agg(t::text, ''|'' ORDER BY t::text), '''')) AS c FROM %I t', \
         table_name), false, true, '')))[1]::text), ', ' ORDER BY table_name) \
         FROM information_schema.tables WHERE table_schema = 'public'",
    )
}

/// Chinook loads through pgsh exactly as through psql (every table's rows compared). Never skipped: without
/// ../shared the cut-down copy in tests/fixtures runs (see `common::chinook_sql`).
#[test]
fn chinook_loads_exactly_as_with_psql() {
    let chinook = common::chinook_sql();
    let ours = require_native!();
    let theirs = require_native!();
    let out = common::pgsh()
        .envs(ours.env())
        .arg("-q")
        .arg("-f")
        .arg(&chinook.path)
        .run();
    out.assert_ok();
    theirs.psql_file("postgres", &chinook.path);
    let a = table_digests(&ours, "chinook");
    let b = table_digests(&theirs, "chinook");
    assert_eq!(a, b);
    assert_eq!(a.matches('=').count(), 11, "{a}");
    assert!(!a.contains("=0:"), "an empty table: {a}");
    if chinook.full {
        assert!(a.contains("track=3503:"), "{a}");
    }
}

const RICH_SCHEMA: &str = r#"
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
CREATE TABLE person (id serial PRIMARY KEY, mail email UNIQUE, feeling mood DEFAULT 'ok', data jsonb);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.data := coalesce(NEW.data, '{}'::jsonb) || jsonb_build_object('touched', true);
  RETURN NEW;
END
$fn$;
CREATE TRIGGER person_touch BEFORE INSERT ON person FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW happy AS SELECT id, mail FROM person WHERE feeling = 'happy';
CREATE TABLE event (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO person (mail, feeling, data) VALUES ('a@x', 'happy', '{"k": [1, 2]}'), ('b@x', 'sad', NULL), ('c@x', DEFAULT, '{"q": "it''s"}');
INSERT INTO event SELECT d::date, 'day ' || d::date FROM generate_series('2024-12-25'::date, '2025-01-05'::date, '1 day') d;
COMMENT ON TABLE person IS 'people; with a semicolon';
"#;

/// `pg_dump` output with the per-dump random `\restrict` key removed.
fn dump(pg: &NativeCluster, db: &str) -> String {
    dump_with(pg, &[db])
}

/// `pg_dump` with extra arguments, without the per-dump random `\restrict` key.
fn dump_with(pg: &NativeCluster, args: &[&str]) -> String {
    let bin = pg.psql_binary().parent().unwrap().join("pg_dump");
    let out = std::process::Command::new(bin)
        .args([
            "-h",
            &pg.socket_dir().display().to_string(),
            "-p",
            &pg.port().to_string(),
            "-U",
            "postgres",
        ])
        .args(args)
        .output()
        .expect("pg_dump");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_pg_dump_reloads_identically() {
    let pg = require_native!();
    pg.psql("CREATE DATABASE src");
    pg.psql_db("src", RICH_SCHEMA);
    let original = dump(&pg, "src");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "src.sql", &original);
    pg.psql("CREATE DATABASE dst");
    let out = common::pgsh()
        .envs(pg.env())
        .args(["-q", "-d", &pg.url_for("dst", "postgres"), "-f"])
        .arg(&file)
        .run();
    out.assert_ok();
    assert_eq!(dump(&pg, "dst"), original);
    assert_eq!(pg.psql_db("dst", "SELECT count(*) FROM event"), "12");
}

#[test]
fn a_pg_dump_with_create_reloads_databases_whose_names_need_quoting() {
    let from = require_native!();
    let to = require_native!();
    let dir = tempfile::tempdir().unwrap();
    for db in ["My-App", "Shop"] {
        from.psql(&format!("CREATE DATABASE \"{db}\""));
        from.psql_db(db, RICH_SCHEMA);
        let original = dump_with(&from, &["-C", db]);
        // pg_dump writes `\connect "Shop"` and `\encoding …` + `\connect -reuse-previous=on "dbname='My-App'"`.
        assert!(original.contains("\\connect"), "{original}");
        let file = write(dir.path(), &format!("{db}.sql"), &original);
        let out = common::pgsh()
            .envs(to.env())
            .args(["-q", "-f"])
            .arg(&file)
            .run();
        out.assert_ok();
        assert_eq!(dump_with(&to, &["-C", db]), original, "{db}");
        assert_eq!(to.psql_db(db, "SELECT count(*) FROM event"), "12");
    }
    // psql's argument rules: `""` inside quotes, `-` keeps the current value, an unknown encoding is refused.
    to.psql("CREATE DATABASE \"q\"\"d\"");
    let file = write(
        dir.path(),
        "meta.sql",
        "\\encoding UTF8\n\\c \"q\"\"d\" -\nSELECT current_database();\n\\encoding LATIN1\n",
    );
    let out = common::pgsh().envs(to.env()).args(["-f"]).arg(&file).run();
    out.assert_code(3);
    assert!(
        out.stdout
            .contains("You are now connected to database \"q\"d\" as user \"postgres\"."),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(" q\"d\n"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("meta.sql:4: \\encoding LATIN1: pgsh reads SQL files as UTF-8"),
        "{}",
        out.stderr
    );
}
