//! The SQL lessons in `scripts/lessons/`: every lesson runs unchanged on the embedded database and on a
//! native server, checks itself, and cleans up; a lesson whose self-check no longer holds fails loudly
//! (exit code 3, "lesson check failed").

use std::fs;
use std::path::{Path, PathBuf};

use crate::common;

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lessons")
}

/// `scripts/lessons/[0-9]*.rhai`, in order.
fn lessons() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(lessons_dir())
        .unwrap_or_else(|e| panic!("read {}: {e}", lessons_dir().display()))
        .map(|e| e.expect("read a directory entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".rhai") && name.starts_with(|c: char| c.is_ascii_digit())
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected at least 10 lessons in {}, found {}: {files:?}",
        lessons_dir().display(),
        files.len()
    );
    files
}

/// The lesson number from `NN_name.rhai`.
fn number(path: &Path) -> u32 {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    name.split('_')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{name}: a lesson file name starts with its number and _"))
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs one lesson and checks it finished, checked itself, and said so.
fn assert_lesson_passes(lesson: &Path, run: common::Pgsh) {
    let out = run.arg(lesson).run();
    assert_eq!(
        out.status,
        Some(0),
        "lesson {} failed (exit {:?})\n{out}",
        name(lesson),
        out.status
    );
    assert!(
        !out.stderr.contains("lesson check failed"),
        "lesson {} reported a failed check\n{out}",
        name(lesson)
    );
    let done = format!("Lesson {} complete", number(lesson));
    assert!(
        out.stdout.contains(&done),
        "lesson {} did not reach its end ({done:?} missing)\n{out}",
        name(lesson)
    );
}

#[test]
fn every_lesson_starts_with_its_title_and_checks_itself() {
    for lesson in lessons() {
        let text = fs::read_to_string(&lesson).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let prefix = format!("// Lesson {}: ", number(&lesson));
        assert!(
            first.starts_with(&prefix) && first.contains(" — "),
            "{}: the first line must be `{prefix}<title> — <summary>`, got {first:?}",
            name(&lesson)
        );
        assert!(
            text.contains("import \"lib/check\" as check;") && text.contains("check::expect"),
            "{}: every lesson imports lib/check and uses it for its self-checks",
            name(&lesson)
        );
        assert!(
            text.contains("DROP TABLE IF EXISTS") || !text.contains("CREATE TABLE"),
            "{}: a lesson that creates tables drops leftovers first, so a rerun after a failure works",
            name(&lesson)
        );
    }
}

#[test]
fn lessons_run_on_the_embedded_database() {
    let tmp = tempfile::tempdir().unwrap();
    for lesson in lessons() {
        assert_lesson_passes(&lesson, common::pgsh().env("TMPDIR", tmp.path()));
    }
    // Lesson 9 cleans up its CSV files...
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind in $TMPDIR: {left:?}");
    // ...unless asked to keep them, and then they are under $TMPDIR, nowhere else.
    let nine = lessons()
        .into_iter()
        .find(|l| {
            l.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("09"))
        })
        .expect("lesson 9");
    assert_lesson_passes(
        &nine,
        common::pgsh()
            .env("TMPDIR", tmp.path())
            .env("PGSH_KEEP_LESSON_FILES", "1"),
    );
    for csv in ["pgsh_lesson09_products.csv", "pgsh_lesson09_big.csv"] {
        assert!(tmp.path().join(csv).is_file(), "{csv} missing from $TMPDIR");
    }
}

#[test]
fn lessons_run_on_a_native_server_and_clean_up() {
    let pg = require_native!();
    // Leftovers of an earlier run that failed half-way (even with other columns and dependent objects):
    // each lesson must drop them and start clean.
    pg.psql(
        "CREATE TABLE lesson02_students (x int);
         CREATE TABLE lesson05_authors (id int PRIMARY KEY);
         CREATE TABLE lesson05_books (author int REFERENCES lesson05_authors);
         CREATE VIEW lesson05_view AS SELECT * FROM lesson05_books;
         CREATE TABLE lesson07_customers (id int PRIMARY KEY);
         CREATE TABLE lesson07_orders (customer int REFERENCES lesson07_customers);",
    );
    let tmp = tempfile::tempdir().unwrap();
    for lesson in lessons() {
        assert_lesson_passes(
            &lesson,
            common::pgsh().envs(pg.env()).env("TMPDIR", tmp.path()),
        );
    }
    assert_eq!(
        pg.psql("SELECT count(*) FROM pg_class WHERE relname LIKE 'lesson%'"),
        "0",
        "the lessons left tables, views or indexes behind"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_broken_self_check_fails_the_lesson_with_exit_code_3() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lessons");
    copy_dir(&lessons_dir(), &dir);
    let lesson = dir.join("03_rows_as_maps.rhai");
    let text = fs::read_to_string(&lesson).unwrap();
    let good =
        r#"check::expect(big_in_rhai.len(), 5, "orders of 10 or more units (Rhai filter)");"#;
    assert!(
        text.contains(good),
        "lesson 3 no longer has the self-check this test breaks: {good}"
    );
    fs::write(
        &lesson,
        text.replace(good, &good.replace("len(), 5,", "len(), 6,")),
    )
    .unwrap();

    let out = common::pgsh().env("TMPDIR", tmp.path()).arg(&lesson).run();
    out.assert_code(3);
    out.assert_stderr_contains(
        "lesson check failed: orders of 10 or more units (Rhai filter): expected 6, got 5",
    );
    assert!(
        !out.stdout.contains("Lesson 3 complete"),
        "the lesson went on after its check failed\n{out}"
    );
}
