//! Every function is documented with an example, the reference is current, `\h` shows them, and every
//! example that needs no database runs and gives what it says (tests/reference.rs runs the others against
//! the embedded database).

use std::rc::Rc;

use super::*;
use crate::script::engine::{bare, EngineIo};
use crate::script::limits::Limits;

fn engine() -> Engine {
    bare(
        &Limits::default(),
        EngineIo {
            print: Rc::new(|_: &str| {}),
            debug: Rc::new(|_: &str| {}),
        },
    )
}

fn everything() -> Vec<(&'static str, FnDoc)> {
    catalog()
        .into_iter()
        .flat_map(|s| s.fns.into_iter().map(move |f| (s.title, f)))
        .collect()
}

#[test]
fn every_function_has_a_doc_and_an_example() {
    let all = everything();
    assert!(all.len() > 300, "{} functions", all.len());
    for (section, f) in &all {
        let what = format!("{section}: {}", f.signature);
        assert!(!f.summary().is_empty(), "{what} has no doc");
        assert!(
            f.examples().iter().any(|(_, e)| !e.trim().is_empty()),
            "{what} has no ```rhai example"
        );
        // Every type in a signature is one scripts know, not a Rust spelling.
        for word in f
            .signature
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            assert!(matches!(word, "Db" | "Fn"), "{what}: Rust type {word}");
        }
        assert!(!f.signature.contains("::"), "{what}");
    }
    // Nothing is registered outside the documented modules.
    assert_eq!(functions(&engine()).len(), all.len());
}

#[test]
fn signatures_read_as_scripts_call_them() {
    let all = everything();
    let has = |sig: &str| all.iter().any(|(_, f)| f.signature == sig);
    for sig in [
        "query(sql: string, params: array) -> rows",
        "db.query(sql: string) -> rows",
        "rows.filter(keep: Fn) -> rows",
        "rows[i: int] -> map",
        "rows[i: int] = row: value",
        "rows.length -> int",
        "date + int -> date",
        "-interval -> interval",
        "transaction(options: map, body: Fn) -> value",
        "sleep(seconds: float)",
    ] {
        assert!(has(sig), "no {sig}");
    }
}

/// Whether the reference must be rewritten rather than compared.
fn bless() -> bool {
    std::env::var_os("PGSH_BLESS").is_some_and(|v| v == "1")
}

#[test]
fn reference_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md");
    let want = reference(&catalog());
    if bless() {
        std::fs::write(&path, &want).expect("write docs/reference.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/reference.md is out of date with the functions' doc comments: \
         run `PGSH_BLESS=1 cargo test --release --lib script::docs` and commit it"
    );
}

#[test]
fn help_lists_every_function_and_shows_one_in_full() {
    let catalog = catalog();
    let index = help_index(&catalog);
    for s in &catalog {
        assert!(index.contains(&format!("\n{}\n", s.title)), "{}", s.title);
        for f in &s.fns {
            assert!(index.contains(f.shown.as_str()), "{} missing", f.shown);
        }
    }
    assert!(index.lines().all(|l| l.chars().count() <= WIDTH), "{index}");
    assert!(
        index.contains("\n  query_value      Run a query that must return exactly one row"),
        "{index}"
    );
    let one = help_on(&catalog, "query_one");
    assert!(one.starts_with("query_one(sql: string) -> map\n"), "{one}");
    assert!(
        one.contains("db.query_one(sql: string, params: array) -> map\n"),
        "{one}"
    );
    assert!(one.contains("Example:\n    let fig = query_one("), "{one}");
    // Properties by their name, with or without the dot; both the getter and the method.
    let year = help_on(&catalog, "year");
    assert!(year.contains("date.year -> int\n"), "{year}");
    assert_eq!(year, help_on(&catalog, ".year"));
    let finite = help_on(&catalog, "is_finite");
    assert!(
        finite.contains("date.is_finite -> bool\n")
            && finite.contains("date.is_finite() -> bool\n")
    );
    assert!(help_on(&catalog, "[]").contains("rows[range: range] -> rows\n"));
    assert!(help_on(&catalog, "+").contains("date + int -> date\n"));
    assert_eq!(
        help_on(&catalog, "quer"),
        "No help for \"quer\". Did you mean query? \\h lists pgsh's functions.\n"
    );
}

/// The script an example becomes: each `expression  // result` line checks that the expression shows as
/// `result` (a string shows quoted, as `debug` would).
fn checked(example: &str, label: &str) -> String {
    let mut out = String::from(
        "fn __expect(value, want, place) {\n\
         let got = if type_of(value) == \"string\" { value.to_debug() } \
         else if type_of(value) == \"()\" { \"()\" } else { value.to_string() };\n\
         if got != want { throw `${place}: got ${got}, expected ${want}`; }\n}\n",
    );
    for (n, line) in example.lines().enumerate() {
        let check = line.rsplit_once("  // ").and_then(|(code, want)| {
            let expr = code.trim();
            let statement = expr.is_empty()
                || expr.starts_with("//")
                || expr.ends_with([';', '{', '}', '(', ',', '[']);
            (!statement).then_some((expr, want.trim()))
        });
        match check {
            Some((expr, want)) => out.push_str(&format!(
                "__expect({expr}, {want:?}, \"{label}, line {}\");\n",
                n + 1
            )),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn examples_without_a_database_give_what_they_say() {
    let engine = engine();
    let dir = tempfile::tempdir().expect("temp dir");
    // Relative paths in examples resolve next to the script being run: inside the temp dir.
    let source = dir.path().join("example.rhai");
    std::fs::write(&source, "").expect("write");
    let (mut ran, mut need_db, mut failures) = (0, 0, Vec::new());
    for (section, f) in everything() {
        for (run, example) in f.examples() {
            if !run {
                continue;
            }
            let label = format!("{section} {}", f.signature);
            let script = checked(&example, &label);
            let result = match engine.compile(&script) {
                Ok(mut ast) => {
                    ast.set_source(source.to_string_lossy().as_ref());
                    engine.run_ast(&ast).map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            };
            if crate::script::handle::shell_was_needed() {
                need_db += 1;
                continue;
            }
            ran += 1;
            if let Err(e) = result {
                failures.push(format!("{label}: {e}\n{example}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        ran > 150 && need_db > 50,
        "ran {ran}, {need_db} need a database"
    );
}

#[test]
fn example_checks_become_assertions() {
    let s = checked(
        "let d = date(2024, 2, 29);\nd.year  // 2024\nprint(d);  // 2024-02-29\n",
        "t",
    );
    assert!(
        s.contains("__expect(d.year, \"2024\", \"t, line 2\");\n"),
        "{s}"
    );
    assert!(s.contains("print(d);  // 2024-02-29\n"), "{s}");
    let e = engine();
    let err = e
        .run(&checked("1 + 1  // 3", "sum"))
        .expect_err("1 + 1 is not 3");
    assert!(
        err.to_string().contains("sum, line 1: got 2, expected 3"),
        "{err}"
    );
}
