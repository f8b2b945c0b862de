//! Property tests: no input makes the lexers panic or loop; SQL comes out the same whether fed in one
//! chunk or line by line as mainloop.c feeds it; statements and backslash commands built from known
//! pieces come out as built; scanning is linear in the input.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::test_driver::{run, Engine};
use super::*;

fn engine() -> Engine {
    let mut eng = Engine {
        fake_backticks: true,
        ..Engine::default()
    };
    for (k, v) in [
        ("x", "1"),
        ("semi", "1; select 2"),
        ("q", "'"),
        ("r", ":r"),
        ("a", ":b"),
        ("b", ":a"),
        ("d", "$$"),
        ("bs", "\\echo hi"),
        ("nul", "a\0b"),
        ("nl", "a\nb"),
    ] {
        eng.vars.insert(k.to_string(), v.to_string());
    }
    eng
}

/// Text made of the lexers' special pieces, arbitrary characters (NUL, control characters, any
/// Unicode) and plain words.
fn nasty_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "'", "\"", "$", "$$", "$a$", "$1", "--", "/*", "*/", "\\", "\\\\", "\\;", "\\:", ":", "::",
            ":x", ":'x'", ":\"x\"", ":{?x}", ":semi", ":q", ":r", ":a", ":d", ":bs", ":nul", ":'nl'",
            "`", ";", "(", ")", "\n", "\r", "\r\n", "\0", "\t", " ", "E'", "e'", "U&'", "u&\"", "B'",
            "X'", "N'", "''", "\"\"", "begin", "end", "case", "create", "or replace", "function",
            "procedure", "atomic", "1e", "1.", "..", "é", "😀", "\\echo ", "\\set v ", "\\if false\n",
            "\\if true\n", "\\else\n", "\\endif\n", "\\o |", "\\! ", "\\r\n", "\\g\n", "\\p\n",
            "\\x41", "\\101", "'\\",
        ])
        .prop_map(str::to_string),
        2 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[a-z ]{0,6}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

/// Drive the API directly on one chunk: every scan result, every option type, bounded by a step count
/// that a terminating lexer never reaches.
fn drive_chunk(text: &str, std: bool, eng: &mut Engine) {
    let mut st = PsqlScanState::new();
    let mut buf = String::new();
    st.setup(text, std);
    let types = [
        SlashOptionType::Normal,
        SlashOptionType::SqlId,
        SlashOptionType::SqlIdHack,
        SlashOptionType::FilePipe,
        SlashOptionType::WholeLine,
    ];
    let mut steps = 0usize;
    loop {
        steps += 1;
        assert!(steps < 100_000, "scan does not finish");
        let (r, _) = st.scan(&mut buf, eng);
        match r {
            ScanResult::Semicolon => buf.clear(),
            ScanResult::Backslash => {
                let _ = st.slash_command();
                let mut q = None;
                let mut i = steps;
                while st
                    .slash_option(types[i % types.len()], &mut q, i.is_multiple_of(2), eng)
                    .is_some()
                {
                    i += 1;
                    assert!(i < steps + 100_000, "options do not finish");
                }
                st.slash_command_end();
            }
            ScanResult::Incomplete | ScanResult::Eol => break,
        }
    }
    st.finish();
    let _ = st.in_quote();
}

/// SQL-only text as lines: no backslashes, no empty lines outside quotes, and never a quote right
/// after a string's end quote and a newline. (There psql's line-at-a-time lexing differs from one chunk
/// by design: `E'a'` newline `'\'` continues an E string in a chunk but starts a new string per line.)
fn sql_lines() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "select",
        "a",
        "begin",
        "BEGIN",
        "end",
        "case",
        "create",
        "function",
        "procedure",
        "or",
        "replace",
        "atomic",
        "é",
        "1",
        "1.5",
        "1e5",
        "1..2",
        ".5",
        "1e+",
        "+",
        "-",
        "*",
        "/",
        "<>",
        "::",
        ":=",
        "=>",
        "|",
        "'a;b',",
        "'it''s',",
        "E'x\\'y;',",
        "E'\\\\',",
        "$$a;b$$",
        "$t$ ; $$ $t$",
        "\"q;\"",
        "\"a\"\"b\"",
        "B'10',",
        "X'1F',",
        "U&'a',",
        "U&\"a\"",
        "'multi\nline;',",
        "$$\n;\n\n$$",
        "/* c; */",
        "/* a /* b */ c */",
        "/*\n;\n*/",
        "(",
        ")",
        ";",
        ";",
        ";",
        " ",
        "\t",
        ":x",
        ":'x'",
        ":\"x\"",
        ":{?x}",
        ":{?y}",
        ":y",
        "$1",
    ]);
    // a `--` comment only ends a line: anywhere else it would swallow half a multi-line token
    let line = (prop::collection::vec(token, 1..12), any::<bool>())
        .prop_map(|(t, comment)| t.join(" ") + if comment { " -- c; 'x" } else { "" });
    prop::collection::vec(line, 1..12).prop_map(|l| l.join("\n"))
}

/// The statements of `text` scanned as one chunk.
fn chunk_statements(text: &str, std: bool) -> Vec<String> {
    let mut eng = engine();
    let mut st = PsqlScanState::new();
    let mut buf = String::new();
    let mut sent = Vec::new();
    st.setup(text, std);
    loop {
        match st.scan(&mut buf, &mut eng).0 {
            ScanResult::Semicolon => sent.push(std::mem::take(&mut buf)),
            ScanResult::Backslash => sent.push(format!("unexpected backslash after {buf:?}")),
            ScanResult::Incomplete | ScanResult::Eol => break,
        }
    }
    if !buf.is_empty() {
        sent.push(buf);
    }
    sent
}

/// Backslash-command options with the value psql gives each (from the psqlscanslash.l rules, as
/// checked against psql in PSQL_SLASH_CASES); `:x` is `1`, backquotes answer `[cmd]`.
const OPTIONS: &[(&str, &str)] = &[
    ("plain", "plain"),
    ("'q u'", "q u"),
    ("'it''s'", "it's"),
    ("\"d q\"", "\"d q\""),
    (":x", "1"),
    (":'x'", "'1'"),
    (":\"x\"", "\"1\""),
    (":{?x}", "TRUE"),
    (":nope", ":nope"),
    ("'\\t\\x41'", "\tA"),
    ("a'b'c", "abc"),
    ("é😀", "é😀"),
    ("`cmd :x`", "[cmd 1]"),
    ("x:x;", "x1;"),
];

/// Complete statements with their text as sent.
const STATEMENTS: &[&str] = &[
    "select 1;",
    "select 'a;b', $$;$$, \"c;\" /* ; */;",
    "select (1;2);",
    "create function f() begin atomic select 1; end;",
    "select :'x';",
];

#[derive(Debug, Clone)]
enum Item {
    Stmt(usize),
    Cmd(Vec<usize>),
    /// a statement, then a command on the same line
    StmtCmd(usize, Vec<usize>),
    /// a command, `\\`, then a statement on the same line
    CmdStmt(Vec<usize>, usize),
}

fn items() -> impl Strategy<Value = Vec<Item>> {
    let stmt = 0..STATEMENTS.len();
    let opts = prop::collection::vec(0..OPTIONS.len(), 0..5);
    let item = prop_oneof![
        stmt.clone().prop_map(Item::Stmt),
        opts.clone().prop_map(Item::Cmd),
        (stmt.clone(), opts.clone()).prop_map(|(s, o)| Item::StmtCmd(s, o)),
        (opts, stmt).prop_map(|(o, s)| Item::CmdStmt(o, s)),
    ];
    prop::collection::vec(item, 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_input_panics_or_hangs(text in nasty_text(), std in any::<bool>()) {
        let mut eng = engine();
        drive_chunk(&text, std, &mut eng);
        let mut eng = engine();
        let _ = run(&text, std, &mut eng);
    }

    #[test]
    fn chunk_and_lines_give_the_same_statements(text in sql_lines(), std in any::<bool>()) {
        let mut eng = engine();
        let lines = run(&text, std, &mut eng);
        prop_assert_eq!(lines.sent, chunk_statements(&text, std));
    }

    #[test]
    fn statements_and_commands_come_out_as_built(items in items()) {
        let echo = |opts: &[usize]| {
            let written: Vec<&str> = opts.iter().map(|&i| OPTIONS[i].0).collect();
            let values: String = opts.iter().map(|&i| format!("[{}]", OPTIONS[i].1)).collect();
            (format!("\\echo {}", written.join(" ")), format!("\\echo{values}"))
        };
        let (mut text, mut sent, mut commands) = (String::new(), Vec::new(), Vec::new());
        for item in &items {
            match item {
                Item::Stmt(s) => {
                    text.push_str(STATEMENTS[*s]);
                    sent.push(STATEMENTS[*s].to_string());
                }
                Item::Cmd(o) => {
                    let (w, v) = echo(o);
                    text.push_str(&w);
                    commands.push(v);
                }
                Item::StmtCmd(s, o) => {
                    let (w, v) = echo(o);
                    text.push_str(&format!("  {} {w}", STATEMENTS[*s]));
                    sent.push(STATEMENTS[*s].to_string());
                    commands.push(v);
                }
                Item::CmdStmt(o, s) => {
                    let (w, v) = echo(o);
                    text.push_str(&format!("{w} \\\\ {}", STATEMENTS[*s]));
                    commands.push(v);
                    sent.push(STATEMENTS[*s].replace(":'x'", "'1'"));
                }
            }
            text.push('\n');
        }
        let sent: Vec<String> = sent.into_iter().map(|s| s.replace(":'x'", "'1'")).collect();
        let mut eng = engine();
        let t = run(&text, true, &mut eng);
        prop_assert_eq!(t.sent, sent);
        prop_assert_eq!(t.commands, commands);
        prop_assert!(t.err.is_empty(), "{:?}", t.err);
    }
}

/// Scan `text` as one chunk, counting statements, and report how long it took.
fn time_chunk(text: &str) -> (usize, Duration) {
    let start = Instant::now();
    let mut st = PsqlScanState::new();
    let mut buf = String::new();
    let mut n = 0;
    st.setup(text, true);
    loop {
        match st.scan(&mut buf, &mut NoCallbacks).0 {
            ScanResult::Semicolon => {
                n += 1;
                buf.clear();
            }
            ScanResult::Backslash => {
                st.slash_command();
                while st
                    .slash_option(SlashOptionType::Normal, &mut None, false, &mut NoCallbacks)
                    .is_some()
                {}
                st.slash_command_end();
            }
            _ => break,
        }
    }
    (n, start.elapsed())
}

// Each input is several MB of one construct that a backtracking or re-scanning lexer handles in
// quadratic time (which would take hours here); a linear one takes well under a second per input.
#[test]
fn scanning_is_linear_in_the_input() {
    const MB: usize = 1 << 20;
    let many = "select 'a;b', $$x$$, /* c */ \"i\" + 1.5e3 -- c\n;\n".repeat(4 * MB / 48);
    let inputs = [
        many,
        format!("select {};", "+-".repeat(2 * MB)),
        format!("select '{}';", "x".repeat(4 * MB)),
        format!("select $a${}$a$;", "$b".repeat(2 * MB)),
        format!("select 'a'{}x;", " ".repeat(4 * MB)),
        format!("select {};", ":'a".repeat(MB)),
        format!("select {};", "1e1".repeat(MB)),
        format!("select /*{}*/;", "/*/".repeat(MB)),
        format!("select E'{}';", "\\'".repeat(2 * MB)),
        format!("\\echo {}", "'a' ".repeat(MB)),
    ];
    for text in &inputs {
        let (n, took) = time_chunk(text);
        assert!(n > 0 || text.starts_with('\\') || text.starts_with("select /*"));
        assert!(
            took < Duration::from_secs(20),
            "{} bytes took {took:?}",
            text.len()
        );
    }
}
