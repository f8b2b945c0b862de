//! Tests of the SQL lexer against psql 15 itself: each case's input was run as
//! `psql -X -q -e -o /dev/null -h /tmp/devpg -p 5499 -U postgres -d scan [-v k=v] -f case.sql` (with
//! `PGOPTIONS='-c standard_conforming_strings=off'` where `std` is false); `out` is its stdout (each query
//! sent, echoed by `-e`, then `\echo` output) and `err` the lexer's messages from its stderr, without the
//! `psql:file:line: ` prefix. The test driver (test_driver.rs) plays mainloop.c around the lexer.

use super::test_driver::{run_with, Transcript};
use super::*;

pub(super) struct Case {
    pub name: &'static str,
    pub input: &'static str,
    pub std: bool,
    pub vars: &'static [(&'static str, &'static str)],
    pub out: &'static str,
    pub err: &'static [&'static str],
}

pub(super) fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let t: Transcript = run_with(c.input, c.std, c.vars);
        if t.out != c.out || t.err != c.err {
            failures.push(format!(
                "{}:\n  input {:?}\n  psql  {:?} {:?}\n  ours  {:?} {:?}",
                c.name, c.input, c.out, c.err, t.out, t.err
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn statements_are_sent_as_psql_sends_them() {
    check(PSQL_SQL_CASES);
}

const PSQL_SQL_CASES: &[Case] = &[
    Case {
        name: "one statement per line",
        input: "select 1;\nselect 2;\n",
        std: true,
        vars: &[],
        out: "select 1;\nselect 2;\n",
        err: &[],
    },
    Case {
        name: "several statements on one line, last one sent at end of input",
        input: "select 1; select 2;select 3\n",
        std: true,
        vars: &[],
        out: "select 1;\nselect 2;\nselect 3\n",
        err: &[],
    },
    Case {
        name: "statement split across lines",
        input: "select\n  1\n  +\n  2\n;\n",
        std: true,
        vars: &[],
        out: "select\n  1\n  +\n  2\n;\n",
        err: &[],
    },
    Case {
        name: "blank and comment-only lines before a statement are dropped",
        input: "\n   \n-- only a comment\n   -- another\nselect 1; -- trailing\nselect 2;\n",
        std: true,
        vars: &[],
        out: "select 1;\nselect 2;\n",
        err: &[],
    },
    Case {
        name: "comment lines inside a statement are kept",
        input: "select 1 -- one\n-- between\n, 2;\n",
        std: true,
        vars: &[],
        out: "select 1 -- one\n-- between\n, 2;\n",
        err: &[],
    },
    Case {
        name: "semicolons inside strings, identifiers, dollar quotes, comments",
        input: "select 'a;b', \"c;d\", $$e;f$$, $t$g;$$h$t$, /* ; */ 1;\n",
        std: true,
        vars: &[],
        out: "select 'a;b', \"c;d\", $$e;f$$, $t$g;$$h$t$, /* ; */ 1;\n",
        err: &[],
    },
    Case {
        name: "semicolon inside parentheses does not end the statement",
        input: "select (1;\n2);\n",
        std: true,
        vars: &[],
        out: "select (1;\n2);\n",
        err: &[],
    },
    Case {
        name: "backslash-semicolon is a literal semicolon",
        input: "select 1 \\; select 2;\n",
        std: true,
        vars: &[],
        out: "select 1 ; select 2;\n",
        err: &[],
    },
    Case {
        name: "backslash-colon is a literal colon",
        input: "select 1 \\:x;\n",
        std: true,
        vars: &[("x", "5")],
        out: "select 1 :x;\n",
        err: &[],
    },
    Case {
        name: "nested comments",
        input: "select /* outer /* inner ; */ still; */ 1;\n/* a\n; b */ select 2;\n",
        std: true,
        vars: &[],
        out: "select /* outer /* inner ; */ still; */ 1;\n/* a\n; b */ select 2;\n",
        err: &[],
    },
    Case {
        name: "unicode, bit, hex and national strings",
        input: "select U&'d\\0061t;' , U&\"d;a\" , B'10;1', X'1F;', N'nat;', u&1;\n",
        std: true,
        vars: &[],
        out: "select U&'d\\0061t;' , U&\"d;a\" , B'10;1', X'1F;', N'nat;', u&1;\n",
        err: &[],
    },
    Case {
        name: "standard strings: backslash does not escape",
        input: "select 'c\\';select 1';\n",
        std: true,
        vars: &[],
        out: "select 'c\\';\nselect 1';\n",
        err: &[],
    },
    Case {
        name: "escape strings with standard_conforming_strings off",
        input: "select 'c\\';select 1';\n",
        std: false,
        vars: &[],
        out: "select 'c\\';select 1';\n",
        err: &[],
    },
    Case {
        name: "E strings escape under both settings",
        input: "select E'a\\';b', 'x';\n",
        std: true,
        vars: &[],
        out: "select E'a\\';b', 'x';\n",
        err: &[],
    },
    Case {
        name: "E strings escape with standard_conforming_strings off",
        input: "select E'a\\';b', 'x';\n",
        std: false,
        vars: &[],
        out: "select E'a\\';b', 'x';\n",
        err: &[],
    },
    Case {
        name: "a number running into e is not an E string",
        input: "select 1e'\\';'\n;\n",
        std: true,
        vars: &[],
        out: "select 1e'\\';\n'\n;\n",
        err: &[],
    },
    Case {
        name: "doubled quotes stay inside the string",
        input: "select 'it''s;', \"a\"\";\";\n",
        std: true,
        vars: &[],
        out: "select 'it''s;', \"a\"\";\";\n",
        err: &[],
    },
    Case {
        name: "string continued on the next line",
        input: "select 'a'\n'b;c';\n",
        std: true,
        vars: &[],
        out: "select 'a'\n'b;c';\n",
        err: &[],
    },
    Case {
        name: "BEGIN ATOMIC body keeps its semicolons",
        input: "create or replace function scan_f1() returns int language sql\nbegin atomic\n  select 1;\n  select 2;\nend;\nselect 3;\n",
        std: true,
        vars: &[],
        out: "create or replace function scan_f1() returns int language sql\nbegin atomic\n  select 1;\n  select 2;\nend;\nselect 3;\n",
        err: &[],
    },
    Case {
        name: "BEGIN ATOMIC with CASE ... END inside",
        input: "create or replace function scan_f2(x int) returns int begin atomic select case when x > 0 then 1 else 2 end; select 3; end; select 4;\n",
        std: true,
        vars: &[],
        out: "create or replace function scan_f2(x int) returns int begin atomic select case when x > 0 then 1 else 2 end; select 3; end;\nselect 4;\n",
        err: &[],
    },
    Case {
        name: "CREATE PROCEDURE with BEGIN ATOMIC",
        input: "create procedure scan_p1() language sql begin atomic select 1; end;\ndrop procedure scan_p1();\n",
        std: true,
        vars: &[],
        out: "create procedure scan_p1() language sql begin atomic select 1; end;\ndrop procedure scan_p1();\n",
        err: &[],
    },
    Case {
        name: "plain BEGIN and END are ordinary statements",
        input: "begin;\nselect 1;\nend;\n",
        std: true,
        vars: &[],
        out: "begin;\nselect 1;\nend;\n",
        err: &[],
    },
    Case {
        name: "a function without BEGIN splits at semicolons",
        input: "create or replace function scan_f3() returns int return 1; select 5;\n",
        std: true,
        vars: &[],
        out: "create or replace function scan_f3() returns int return 1;\nselect 5;\n",
        err: &[],
    },
    Case {
        name: "BEGIN inside parentheses is not counted",
        input: "create function scan_nope(begin int) returns int; select 6;\n",
        std: true,
        vars: &[],
        out: "create function scan_nope(begin int) returns int;\nselect 6;\n",
        err: &[],
    },
    Case {
        name: "dollar quote with a mismatched tag inside",
        input: "select $a$ $b$ ; $a$, $a$x$$a$;\n",
        std: true,
        vars: &[],
        out: "select $a$ $b$ ; $a$, $a$x$$a$;\n",
        err: &[],
    },
    Case {
        name: "parameters and a dollar followed by a tag without end",
        input: "select $1, $1a, $$;$$, $a;\n",
        std: true,
        vars: &[],
        out: "select $1, $1a, $$;$$, $a;\n",
        err: &[],
    },
    Case {
        name: "dollar quote across lines",
        input: "select $body$\nline;1\n$body$;\n",
        std: true,
        vars: &[],
        out: "select $body$\nline;1\n$body$;\n",
        err: &[],
    },
    Case {
        name: "CRLF line ends",
        input: "select 1\r\n;\r\nselect 2;\r\n",
        std: true,
        vars: &[],
        out: "select 1\r\n;\nselect 2;\n",
        err: &[],
    },
    Case {
        name: "unterminated quote at end of input",
        input: "select 'abc\n",
        std: true,
        vars: &[],
        out: "select 'abc\n",
        err: &[],
    },
    Case {
        name: "unterminated dollar quote at end of input",
        input: "select $$abc;\n",
        std: true,
        vars: &[],
        out: "select $$abc;\n",
        err: &[],
    },
    Case {
        name: "unterminated comment at end of input",
        input: "select 1 /* abc;\n",
        std: true,
        vars: &[],
        out: "select 1 /* abc;\n",
        err: &[],
    },
    Case {
        name: "unterminated quoted identifier at end of input",
        input: "select \"abc;\n",
        std: true,
        vars: &[],
        out: "select \"abc;\n",
        err: &[],
    },
    Case {
        name: "operators next to comments",
        input: "select 1 +-- c\n2, 3 */* c */ 4, 5 --\n;\n",
        std: true,
        vars: &[],
        out: "select 1 +-- c\n2, 3 */* c */ 4, 5 --\n;\n",
        err: &[],
    },
    Case {
        name: "typecast and colon-equals are not variables",
        input: "select 1::int, :x::text, a:=b;\n",
        std: true,
        vars: &[("x", "5")],
        out: "select 1::int, 5::text, a:=b;\n",
        err: &[],
    },
    Case {
        name: "whitespace at the start is dropped, inside kept",
        input: "\n\n   select\t1  ;   \n  select 2;\n",
        std: true,
        vars: &[],
        out: "select\t1  ;\nselect 2;\n",
        err: &[],
    },
    Case {
        name: "multibyte text in every kind of token",
        input: "select 'é;ü', \"ñ;\", $é$ ; $é$, 1 /* ü; */, éa;\n",
        std: true,
        vars: &[],
        out: "select 'é;ü', \"ñ;\", $é$ ; $é$, 1 /* ü; */, éa;\n",
        err: &[],
    },
    Case {
        name: "variables: plain, literal, identifier, test",
        input: "select :x, :'x', :\"x\", :{?x}, :{?nope};\n",
        std: true,
        vars: &[("x", "hello")],
        out: "select hello, 'hello', \"hello\", TRUE, FALSE;\n",
        err: &[],
    },
    Case {
        name: "variables with quotes and backslashes in the value",
        input: "select :'y', :\"y\";\n",
        std: true,
        vars: &[("y", "it's \"q\" \\z")],
        out: "select  E'it''s \"q\" \\\\z', \"it's \"\"q\"\" \\z\";\n",
        err: &[],
    },
    Case {
        name: "unset variables stay as written",
        input: "select :nope, :'nope', :\"nope\", :{?nope};\n",
        std: true,
        vars: &[],
        out: "select :nope, :'nope', :\"nope\", FALSE;\n",
        err: &[],
    },
    Case {
        name: "invalid variable references stay as written",
        input: "select :'', :\"\", :{x}, :{?}, :'a b', :\"x, :'x;\n",
        std: true,
        vars: &[("x", "5")],
        out: "select :'', :\"\", :{x}, :{?}, :'a b', :\"x, :'x;\n",
        err: &[],
    },
    Case {
        name: "no interpolation inside quotes, comments, dollar quotes",
        input: "select ':x', \":x\", $$:x$$, /* :x */ 1, E':x'; -- :x\n",
        std: true,
        vars: &[("x", "5")],
        out: "select ':x', \":x\", $$:x$$, /* :x */ 1, E':x';\n",
        err: &[],
    },
    Case {
        name: "a variable's value is lexed: its semicolon ends the statement",
        input: "select :x;\n",
        std: true,
        vars: &[("x", "1; select 2")],
        out: "select 1;\nselect 2;\n",
        err: &[],
    },
    Case {
        name: "a variable's value opening a quote",
        input: "select :x;';\n",
        std: true,
        vars: &[("x", "'a")],
        out: "select 'a;';\n",
        err: &[],
    },
    Case {
        name: "recursive variable expansion is skipped",
        input: "select :r;\n",
        std: true,
        vars: &[("r", ":r")],
        out: "select :r;\n",
        err: &["warning: skipping recursive expansion of variable \"r\""],
    },
    Case {
        name: "nested variable expansion",
        input: "select :a;\n",
        std: true,
        vars: &[("a", ":b + :b"), ("b", "2")],
        out: "select 2 + 2;\n",
        err: &[],
    },
    Case {
        name: "variable value with a backslash command",
        input: "select 1 :c tail\n",
        std: true,
        vars: &[("c", "\\echo inner")],
        out: "inner tail\nselect 1 \n",
        err: &[],
    },
    Case {
        name: "backslash command after SQL text on the same line",
        input: "select 1 \\echo hi\nselect 2;\n",
        std: true,
        vars: &[],
        out: "hi\nselect 1 \nselect 2;\n",
        err: &[],
    },
    Case {
        name: "backslash command after a complete statement",
        input: "select 1; \\echo x\n",
        std: true,
        vars: &[],
        out: "select 1;\nx\n",
        err: &[],
    },
    Case {
        name: "double backslash ends a command",
        input: "\\echo a \\\\ select 2;\n",
        std: true,
        vars: &[],
        out: "a\nselect 2;\n",
        err: &[],
    },
    Case {
        name: "two backslash commands on one line",
        input: "\\echo a \\echo b\n",
        std: true,
        vars: &[],
        out: "a\nb\n",
        err: &[],
    },
    Case {
        name: "backslash command alone on a line does not add a newline to the buffer",
        input: "select 1\n\\echo mid\n;\n",
        std: true,
        vars: &[],
        out: "mid\nselect 1\n;\n",
        err: &[],
    },
    Case {
        name: "\\p shows the buffer, \\g sends it",
        input: "select 1,\n  2 \\p\n\\g\nselect 3 \\g\n",
        std: true,
        vars: &[],
        out: "select 1,\n  2 \nselect 1,\n  2 \nselect 3 \n",
        err: &[],
    },
    Case {
        name: "\\r clears buffer and parentheses",
        input: "select (1\n\\r\nselect 2;\n",
        std: true,
        vars: &[],
        out: "select 2;\n",
        err: &[],
    },
    Case {
        name: "psql quit words are not special in a file",
        input: "help\n;\n",
        std: true,
        vars: &[],
        out: "help\n;\n",
        err: &[],
    },
    Case {
        name: "numbers running into identifiers and dollar signs",
        input: "select 1e5$t$, 1$$x;$$, 1.5e$a$b, 1e+$, 0x1F, .5e-3a;\n",
        std: true,
        vars: &[],
        out: "select 1e5$t$, 1$$x;$$, 1.5e$a$b, 1e+$, 0x1F, .5e-3a;\n",
        err: &[],
    },
    Case {
        name: "a backslash at the end of an E string line",
        input: "select E'a\\\n;b';\n",
        std: true,
        vars: &[],
        out: "select E'a\\\n;b';\n",
        err: &[],
    },
    Case {
        name: "slash-star right after an operator starts a comment",
        input: "select 2*/* x; */3, 4 */*/ 5;\n",
        std: true,
        vars: &[],
        out: "select 2*/* x; */3, 4 */*/ 5;\n",
        err: &[],
    },
];

/// Scan one line in a fresh state: the result, prompt and whether the lexer is inside quotes.
fn scan_line(line: &str) -> (ScanResult, PromptStatus, bool, String) {
    let mut st = PsqlScanState::new();
    let mut buf = String::new();
    st.setup(line, true);
    let (r, p) = st.scan(&mut buf, &mut NoCallbacks);
    (r, p, st.in_quote(), buf)
}

// psql's prompt is only visible interactively; these follow psql_scan's switch on the state lexing
// stopped in (psqlscan.l, psql_scan), case by case.
#[test]
fn end_of_line_results_and_prompts_follow_the_open_construct() {
    use PromptStatus as P;
    use ScanResult::{Backslash, Eol, Incomplete, Semicolon};
    let cases: &[(&str, ScanResult, PromptStatus, bool)] = &[
        ("select 1", Eol, P::Continue, false),
        ("select 'a'", Eol, P::Continue, false), // stopped just after a closing quote (xqs)
        ("", Incomplete, P::Ready, false),
        ("   -- only a comment", Incomplete, P::Ready, false),
        ("select 'abc", Incomplete, P::SingleQuote, true),
        ("select E'ab\\", Incomplete, P::SingleQuote, true),
        ("select B'1", Incomplete, P::SingleQuote, true),
        ("select X'1", Incomplete, P::SingleQuote, true),
        ("select U&'a", Incomplete, P::SingleQuote, true),
        ("select \"abc", Incomplete, P::DoubleQuote, true),
        ("select U&\"a", Incomplete, P::DoubleQuote, true),
        ("select $t$ a", Incomplete, P::DollarQuote, true),
        ("select /* a /* b */", Incomplete, P::Comment, true),
        ("select (1, (2)", Incomplete, P::Paren, false),
        (
            "create function f() begin atomic select 1;",
            Incomplete,
            P::Continue,
            false,
        ),
        ("select 1;", Semicolon, P::Ready, false),
        ("select 1 \\g", Backslash, P::Ready, false),
    ];
    for &(line, r, p, q) in cases {
        let (gr, gp, gq, _) = scan_line(line);
        assert_eq!((gr, gp, gq), (r, p, q), "{line:?}");
    }
}

#[test]
fn scanning_resumes_after_a_semicolon_and_stops_at_the_end() {
    let mut st = PsqlScanState::new();
    let mut buf = String::new();
    st.setup("select 1; select 2;  ", true);
    assert_eq!(st.scan(&mut buf, &mut NoCallbacks).0, ScanResult::Semicolon);
    assert_eq!(buf, "select 1;");
    buf.clear();
    assert_eq!(st.scan(&mut buf, &mut NoCallbacks).0, ScanResult::Semicolon);
    assert_eq!(buf, "select 2;");
    buf.clear();
    // the trailing blanks are dropped into an empty buffer: nothing to send
    assert_eq!(
        st.scan(&mut buf, &mut NoCallbacks),
        (ScanResult::Incomplete, PromptStatus::Ready)
    );
    assert_eq!(buf, "");
    // again at the end, and without any line set up
    assert_eq!(
        st.scan(&mut buf, &mut NoCallbacks).0,
        ScanResult::Incomplete
    );
    st.finish();
    assert_eq!(
        st.scan(&mut buf, &mut NoCallbacks).0,
        ScanResult::Incomplete
    );
}

#[test]
fn finish_drops_the_rest_of_the_line_but_keeps_the_state() {
    let mut st = PsqlScanState::new();
    let mut buf = String::new();
    st.setup("select (1; select 2", true);
    st.finish();
    assert_eq!(
        st.scan(&mut buf, &mut NoCallbacks).0,
        ScanResult::Incomplete
    );
    assert_eq!(buf, "");
    st.setup("select ($$", true);
    assert_eq!(
        st.scan(&mut buf, &mut NoCallbacks).1,
        PromptStatus::DollarQuote
    );
    st.finish();
    // the dollar quote is still open on the next line
    st.setup("; $$);", true);
    assert_eq!(st.scan(&mut buf, &mut NoCallbacks).0, ScanResult::Semicolon);
    assert_eq!(buf, "select ($$; $$);");
}

#[test]
fn reset_and_reselect() {
    let mut st = PsqlScanState::new();
    let mut buf = String::new();
    st.setup("create function f() begin atomic (( $q$", true);
    st.scan(&mut buf, &mut NoCallbacks);
    assert!(st.in_quote());
    assert_eq!(st.paren_depth(), 2);
    // reselecting the SQL lexer leaves the depths alone
    st.reselect_sql_lexer();
    assert!(!st.in_quote());
    assert_eq!(st.paren_depth(), 2);
    st.reset();
    assert_eq!(st.paren_depth(), 0);
    st.finish();
    buf.clear();
    st.setup("select 1;", true);
    assert_eq!(st.scan(&mut buf, &mut NoCallbacks).0, ScanResult::Semicolon);
    st.set_paren_depth(1);
    st.setup(";", true);
    assert_eq!(
        st.scan(&mut buf, &mut NoCallbacks),
        (ScanResult::Incomplete, PromptStatus::Paren)
    );
}

#[test]
fn begin_atomic_tracking_needs_create_function_or_procedure_first() {
    // psql 15 sends each of these as one statement, and the others as two (checked with psql -e as in
    // PSQL_SQL_CASES)
    let one = |sql: &str| {
        let t = run_with(sql, true, &[]);
        assert_eq!(t.sent, vec![sql.trim_end().to_string()], "{sql:?}");
    };
    one("CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC select 1; END;");
    one("create function f() returns int begin atomic select case when true then 1 end; end;");
    one("create function f() begin atomic begin atomic select 1; end; end;");
    // not CREATE [OR REPLACE] FUNCTION/PROCEDURE: the first semicolon ends it
    let t = run_with("create table begin_x (a int); select 1;", true, &[]);
    assert_eq!(t.sent.len(), 2);
    let t = run_with(
        "create or function f() begin atomic select 1; end;",
        true,
        &[],
    );
    assert_eq!(t.sent.len(), 2);
    // \; resets the identifier count like a semicolon, so the CREATE FUNCTION after it is tracked
    // (psql 15 sends this as one query)
    let t = run_with(
        "select 1 \\; create function f() begin atomic select 1; end;",
        true,
        &[],
    );
    assert_eq!(t.sent.len(), 1);
}

#[test]
fn variable_errors_leave_the_reference_and_are_reported() {
    let t = run_with("select :'z', :\"z\", :z;", true, &[("z", "a\0b")]);
    assert_eq!(t.sent, vec!["select :'z', :\"z\", a\0b;"]);
    assert_eq!(t.err.len(), 2);
    assert!(t.err[0].starts_with("error: "), "{:?}", t.err);
}
