//! The REPL for a newcomer (issue 16), through a pseudo-terminal: the mode in the prompt, hints when input
//! is neither Rhai nor SQL or trips on Rhai's quoting and parameters, backtick strings across lines, values
//! shown the same everywhere, `\watch` of Rhai, `\e` of Rhai, help and listings paged only when they do
//! not fit and then wrapped.

use crate::common::{cmd, expect, expect_line, pty};

#[test]
fn the_mode_shows_in_the_prompt_and_switching_says_so() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "\\sql");
    assert!(
        out.contains("Input is now SQL only (and backslash commands); \\rhai goes back."),
        "{out}"
    );
    // The next prompt carries the mode; Rhai is now sent to the server as SQL.
    expect(&mut s, "[sql] postgres=#");
    let out = cmd(&mut s, "let x = 1;");
    assert!(out.contains("syntax error at or near \"let\""), "{out}");
    // ...with a hint that it is Rhai; SQL that is simply wrong gets none.
    assert!(
        out.contains(
            "hint: input is SQL only (\\sql); as Rhai this parses: \\rhai reads Rhai again"
        ),
        "{out}"
    );
    let out = cmd(&mut s, "SELECT FROM WHERE;");
    assert!(out.contains("syntax error"), "{out}");
    assert!(!out.contains("hint:"), "{out}");
    let out = cmd(&mut s, "SELECT 2 AS two;");
    assert!(out.contains("(1 row)"), "{out}");
    let out = cmd(&mut s, "\\rhai");
    assert!(
        out.contains("Input is now Rhai, and SQL where a line starts with a SQL command"),
        "{out}"
    );
    // Back to psql's own prompt.
    let before = expect(&mut s, "postgres=#");
    assert!(!before.contains("[sql]"), "{before:?}");
    let out = cmd(&mut s, "let x = 20; x + 1");
    assert!(out.contains("21"), "{out}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

#[test]
fn input_that_is_neither_language_or_reads_as_sql_is_helped() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    // A misspelt command is not Rhai, and not SQL either.
    let out = cmd(&mut s, "SELEC 1;");
    assert!(out.contains("Syntax error"), "{out}");
    assert!(
        out.contains("not SQL either: did you mean SELECT?"),
        "{out}"
    );
    let out = cmd(&mut s, "updte t set a = 1;");
    assert!(out.contains("did you mean UPDATE?"), "{out}");
    // Rhai that is simply wrong gets no such hint.
    let out = cmd(&mut s, "let y = ;");
    assert!(out.contains("Syntax error"), "{out}");
    assert!(!out.contains("not SQL either"), "{out}");
    // `SELECT(1)` and a parenthesised query are SQL.
    let out = cmd(&mut s, "SELECT(1) AS one;");
    assert!(out.contains(" one \n-----\n   1\n(1 row)"), "{out}");
    let out = cmd(&mut s, "(SELECT 1) UNION (SELECT 2) ORDER BY 1;");
    assert!(out.contains("(2 rows)"), "{out}");
    // A parenthesised Rhai expression is still Rhai.
    let out = cmd(&mut s, "(20 + 1) * 2");
    assert!(out.contains("42"), "{out}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

#[test]
fn a_backtick_string_continues_across_lines() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    s.send_line("let r = query(`SELECT 'rock' AS name").unwrap();
    expect(&mut s, "postgres-#");
    s.send_line("UNION ALL SELECT 'jazz'").unwrap();
    expect(&mut s, "postgres-#");
    s.send_line("ORDER BY name`);").unwrap();
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "r.len()");
    assert!(out.contains('2'), "{out}");
    // A "…" string continued with a backslash at the end of the line.
    s.send_line("let t = \"one \\").unwrap();
    expect(&mut s, "postgres-#");
    s.send_line("two\"; t").unwrap();
    expect_line(&mut s, "one two");
    // The same backtick query pasted in one go runs line by line, as piped input does.
    s.send("\x1b[200~let p = query(`SELECT 1 AS a\rUNION SELECT 2`);\rp.len() * 10\r\x1b[201~")
        .unwrap();
    s.send("\r").unwrap();
    expect_line(&mut s, "20");
    // A one-line "…" string left open cannot be mended by more lines: Rhai says so at once.
    let out = cmd(&mut s, "let u = \"open");
    assert!(out.contains("Open string is not terminated"), "{out}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

#[test]
fn rhai_errors_newcomers_meet_carry_a_hint() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "query('SELECT 1')");
    assert!(out.contains("Invalid character: 'SELECT 1'"), "{out}");
    assert!(
        out.contains(
            "hint: single quotes hold one character in Rhai: write a string in \"double quotes\" or `backticks`"
        ),
        "{out}"
    );
    let out = cmd(&mut s, "query(\"SELECT $1::int\", 5)");
    assert!(out.contains("Function not found: query"), "{out}");
    assert!(
        out.contains("hint: the parameters of query go in one array: query(sql, [p1])"),
        "{out}"
    );
    // As the hint says, it works.
    let out = cmd(&mut s, "query_value(\"SELECT $1::int + 1\", [5])");
    assert!(out.contains('6'), "{out}");
    // An error in a closure names the closure by where it is written.
    s.send_line("transaction(|| {").unwrap();
    expect(&mut s, "postgres-#");
    let out = cmd(&mut s, "  query(\"SELECT 1/0\") })");
    assert!(out.contains("division by zero"), "{out}");
    assert!(
        out.contains("in the closure at <repl>:1, called at <repl>:1:1"),
        "{out}"
    );
    assert!(!out.contains("anon$"), "{out}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

#[test]
fn values_show_the_same_at_the_prompt_and_through_print() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    cmd(
        &mut s,
        "let r = query(\"SELECT '2021-01-01'::timestamp AS invoice_date, 2.50::numeric AS total\")[0];",
    );
    let shown = "#{invoice_date: 2021-01-01 00:00:00, total: 2.50}";
    for line in ["r", "print(r)", "print(`${r}`)", "[r]", "print([r])"] {
        let out = cmd(&mut s, line);
        assert!(out.contains(shown), "{line}: {out}");
        assert!(!out.contains("timestamp("), "{line}: {out}");
    }
    // A stream says what it is and that it has not been read, both ways.
    for line in [
        "stream(\"SELECT 1 AS n\")",
        "print(stream(\"SELECT 1 AS n\"))",
    ] {
        let out = cmd(&mut s, line);
        assert!(
            out.contains("<stream over n: not read yet>"),
            "{line}: {out}"
        );
        assert!(!out.contains("pgsh::"), "{line}: {out}");
    }
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

#[test]
fn watch_reruns_rhai_and_edited_rhai_runs_and_is_remembered() {
    let home = tempfile::tempdir().unwrap();
    // An "editor" that keeps what it was given (in seen.txt) and writes a Rhai input into the file.
    let editor = home.path().join("editor.sh");
    let seen = home.path().join("seen.txt");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\ncat \"$1\" >> '{}'\necho '--- end' >> '{}'\nprintf 'let edited = 6 * 7;\\nedited + 1000\\n' > \"$1\"\n",
            seen.display(),
            seen.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut s = pty(
        home.path(),
        100,
        &[("EDITOR".to_string(), editor.display().to_string())],
    );
    expect(&mut s, "postgres=#");
    assert!(cmd(&mut s, "SELECT 'sql-before' AS s;").contains("sql-before"));
    cmd(&mut s, "let n = 0;");
    let out = cmd(&mut s, "n += 1; `run ${n}`");
    assert!(out.contains("run 1"), "{out}");
    // \watch reruns the Rhai, under psql's title line, not the SQL before it.
    let out = cmd(&mut s, "\\watch c=2 0.01");
    assert!(out.contains("run 2") && out.contains("run 3"), "{out}");
    assert!(out.contains("(every 0.01s)"), "{out}");
    assert!(!out.contains("sql-before"), "{out}");
    // After SQL, \watch reruns the SQL as psql does.
    assert!(cmd(&mut s, "SELECT 'sql-after' AS s;").contains("sql-after"));
    let out = cmd(&mut s, "\\watch c=1");
    assert!(out.contains("sql-after"), "{out}");
    // \e after SQL opens that SQL, as psql does; the edited Rhai runs as Rhai, and is in the history.
    let out = cmd(&mut s, "\\e");
    assert!(out.contains("1042"), "{out}");
    // \e after a Rhai input opens the Rhai (not the SQL before it), and runs what comes back.
    let out = cmd(&mut s, "\\e");
    assert!(out.contains("1042"), "{out}");
    let opened = std::fs::read_to_string(&seen).unwrap();
    let opened: Vec<&str> = opened.split("--- end\n").collect();
    assert!(opened[0].contains("SELECT 'sql-after'"), "{opened:?}");
    assert!(
        opened[1].contains("let edited = 6 * 7;") && !opened[1].contains("SELECT"),
        "{opened:?}"
    );
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
    let hist = std::fs::read_to_string(home.path().join(".local/share/pgsh/history")).unwrap();
    assert!(hist.contains("let edited = 6 * 7;"), "{hist}");
}

#[test]
fn listings_are_paged_only_when_they_do_not_fit_the_screen() {
    let home = tempfile::tempdir().unwrap();
    let pager = [("PAGER".to_string(), "sed 's/^/PAGED:/'".to_string())];
    // 200 columns and 50 rows: the lessons fit, one line each, and are printed directly.
    let mut s = pty(home.path(), 200, &pager);
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "\\lessons");
    assert!(out.contains("Lesson 1: First contact"), "{out}");
    assert!(!out.contains("PAGED:"), "{out}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
    // 30 columns: as many lines, but wrapped they take more than the 50 rows, so they are paged.
    let mut s = pty(home.path(), 30, &pager);
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "\\lessons");
    assert!(out.contains("PAGED:Lessons"), "{out}");
    s.send_line("\\q").unwrap();
    s.expect(expectrl::Eof).expect("pgsh exits");
}

/// `\s` lists the line editor's history, SQL and Rhai entries alike, in order (it printed nothing: the
/// engine kept a list of its own that nothing filled).
#[test]
fn backslash_s_lists_the_history() {
    let home = tempfile::tempdir().unwrap();
    let mut s = pty(home.path(), 100, &[]);
    expect(&mut s, "postgres=#");
    let out = cmd(&mut s, "SELECT 41 + 1 AS x;");
    assert!(out.contains("42"), "{out}");
    cmd(&mut s, "let y = 2 * 21;");
    let out = cmd(&mut s, "\\s");
    assert!(
        out.contains("SELECT 41 + 1 AS x;\nlet y = 2 * 21;\n"),
        "{out}"
    );
    s.send_line("\\q").unwrap();
}
