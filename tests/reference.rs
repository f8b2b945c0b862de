//! The examples of docs/reference.md (generated from the functions' doc comments, which `\h` shows) run
//! against the embedded database: each on a fresh copy of the fixture the reference describes, and each
//! `expression  // result` line checks what the expression gives.

use std::fs;
use std::path::Path;

use crate::common;

/// The tables the reference's introduction promises the examples.
const FIXTURE: &str = "DROP TABLE IF EXISTS fruit, account; \
    CREATE TABLE fruit (name text PRIMARY KEY, price numeric NOT NULL); \
    INSERT INTO fruit VALUES ('apple', 1.20), ('fig', 3), ('kiwi', 1.5); \
    CREATE TABLE account (id int PRIMARY KEY, balance numeric NOT NULL CHECK (balance >= 0)); \
    INSERT INTO account VALUES (1, 100), (2, 50)";

/// One runnable ```rhai block and the function heading it is under.
struct Example {
    heading: String,
    code: String,
}

fn examples() -> Vec<Example> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut block: Option<String> = None;
    for line in text.lines() {
        match block.take() {
            Some(code) if line == "```" => out.push(Example {
                heading: heading.clone(),
                code,
            }),
            Some(mut code) => {
                code.push_str(line);
                code.push('\n');
                block = Some(code);
            }
            None if line == "```rhai" => block = Some(String::new()),
            None => {
                if let Some(h) = line.strip_prefix("### ") {
                    heading = h.trim_matches('`').to_string();
                }
            }
        }
    }
    out
}

/// The example as a script: `expression  // result` lines become checks (a string shows quoted).
fn checked(example: &str, label: &str) -> String {
    let mut out = String::new();
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
fn reference_examples_run_on_the_embedded_database() {
    let examples = examples();
    assert!(examples.len() > 250, "{} examples", examples.len());
    let mut script = format!(
        "fn __expect(value, want, place) {{\n\
         let got = if type_of(value) == \"string\" {{ value.to_debug() }} \
         else if type_of(value) == \"()\" {{ \"()\" }} else {{ value.to_string() }};\n\
         if got != want {{ throw `${{place}}: got ${{got}}, expected ${{want}}`; }}\n}}\n\
         fn __reset() {{\n\
         // Whatever an example left open (a transaction, another session) ends here.\n\
         let d = db();\nd.close();\nexecute({FIXTURE:?});\n}}\n"
    );
    for (i, ex) in examples.iter().enumerate() {
        let label = format!("{} (example {})", ex.heading, i + 1);
        script.push_str(&format!(
            "__reset();\ntry {{\n{}}} catch (e) {{\nprint(`EXAMPLE FAILED: {label}: ${{e}}`);\n}}\nprint(\"EXAMPLE DONE\");\n",
            checked(&ex.code, &label)
        ));
    }
    script.push_str("print(\"ALL EXAMPLES RAN\");\n");

    let (dir, path) = common::script_file_named("examples.rhai", &script);
    // The files the examples read, beside the script.
    fs::write(
        dir.path().join("more_fruit.sql"),
        "INSERT INTO fruit VALUES ('lime', 0.5);\nINSERT INTO fruit VALUES ('pear', 2);\n",
    )
    .expect("write more_fruit.sql");
    fs::write(
        dir.path().join("fruit.csv"),
        "name,price\napple,1.20\nfig,3\nkiwi,1.5\n",
    )
    .expect("write fruit.csv");

    let out = common::pgsh().current_dir(dir.path()).arg(&path).run();
    let failed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("EXAMPLE FAILED"))
        .collect();
    assert!(failed.is_empty(), "{}\n\n{out}", failed.join("\n"));
    out.assert_ok().assert_stdout_contains("ALL EXAMPLES RAN");
    assert_eq!(
        out.stdout.matches("EXAMPLE DONE").count(),
        examples.len(),
        "{out}"
    );
}
