//! Tests of statement scanning, splitting and classification, including property tests that chunking never
//! changes where statements end.

use proptest::prelude::*;

use super::scanner::State;
use super::*;
use crate::sql::lexer::trim_leading;

fn sqls(text: &str) -> Vec<&str> {
    split(text).into_iter().map(|s| s.sql).collect()
}

/// Offsets from feeding `text` in the given chunk sizes, made absolute.
fn chunked_ends(text: &str, cuts: &[usize]) -> (Vec<usize>, Scanner) {
    let mut scanner = Scanner::new();
    let mut ends = Vec::new();
    let mut from = 0;
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| c % (text.len() + 1))
        .filter(|c| text.is_char_boundary(*c))
        .collect();
    points.push(text.len());
    points.sort_unstable();
    for to in points {
        if to < from {
            continue;
        }
        ends.extend(scanner.feed(&text[from..to]).into_iter().map(|e| e + from));
        from = to;
    }
    (ends, scanner)
}

#[test]
fn plain_statements() {
    assert_eq!(sqls("select 1; select 2;"), vec!["select 1", "select 2"]);
    assert_eq!(sqls("select 1"), vec!["select 1"]);
    assert!(!split("select 1")[0].terminated);
    assert!(split("select 1;")[0].terminated);
    assert!(sqls("").is_empty());
    assert!(sqls(" ;; \n ; -- x\n /* y */ ;").is_empty());
}

#[test]
fn single_quotes() {
    assert_eq!(sqls("select 'a;b'; x"), vec!["select 'a;b'", "x"]);
    assert_eq!(sqls("select 'it''s;'; x"), vec!["select 'it''s;'", "x"]);
    // standard_conforming_strings: the backslash is an ordinary character.
    assert_eq!(sqls(r"select 'a\'; x"), vec![r"select 'a\'", "x"]);
    assert_eq!(sqls("select '';x"), vec!["select ''", "x"]);
    assert_eq!(sqls("select '''';x"), vec!["select ''''", "x"]);
}

#[test]
fn escape_strings() {
    assert_eq!(sqls(r"select E'\'';x"), vec![r"select E'\''", "x"]);
    assert_eq!(sqls(r"select e'a\';b';x"), vec![r"select e'a\';b'", "x"]);
    assert_eq!(sqls(r"select E'a\\';x"), vec![r"select E'a\\'", "x"]);
    assert_eq!(sqls(r"select E'a'';b';x"), vec![r"select E'a'';b'", "x"]);
    // Only a lone E at a token start makes an escape string.
    assert_eq!(sqls(r"select xe'a\';x"), vec![r"select xe'a\'", "x"]);
    assert_eq!(sqls(r"select 1e'a\';x"), vec![r"select 1e'a\'", "x"]);
    // psql's dolqfailed: `$e` gives back `e`, which then starts an E string.
    assert_eq!(sqls(r"select $e'\';';x"), vec![r"select $e'\';'", "x"]);
}

#[test]
fn prefixed_strings() {
    assert_eq!(
        sqls("select U&'d;\\0061';x"),
        vec!["select U&'d;\\0061'", "x"]
    );
    assert_eq!(sqls("select U&\"a;b\";x"), vec!["select U&\"a;b\"", "x"]);
    assert_eq!(sqls("select B'10;';x"), vec!["select B'10;'", "x"]);
    assert_eq!(sqls("select X'1F;';x"), vec!["select X'1F;'", "x"]);
    assert_eq!(sqls("select N'a;\\';x"), vec!["select N'a;\\'", "x"]);
    assert_eq!(sqls("select u & 1;x"), vec!["select u & 1", "x"]);
}

#[test]
fn double_quotes() {
    assert_eq!(sqls(r#"select "a;b"; x"#), vec![r#"select "a;b""#, "x"]);
    assert_eq!(sqls(r#"select "a"";b"; x"#), vec![r#"select "a"";b""#, "x"]);
    assert_eq!(
        sqls(r#"select "a'b"; 'c;'"#),
        vec![r#"select "a'b""#, "'c;'"]
    );
}

#[test]
fn dollar_quotes() {
    assert_eq!(sqls("select $$a;b$$; x"), vec!["select $$a;b$$", "x"]);
    assert_eq!(
        sqls("select $fn$ a; $$ ; $f$ ;$fn$; x"),
        vec!["select $fn$ a; $$ ; $f$ ;$fn$", "x"]
    );
    assert_eq!(
        sqls("select $_$ ';' $_$; x"),
        vec!["select $_$ ';' $_$", "x"]
    );
    // A near-miss delimiter followed by the real one.
    assert_eq!(
        sqls("select $a$ $ab$ ; $a$;x"),
        vec!["select $a$ $ab$ ; $a$", "x"]
    );
    assert_eq!(
        sqls("select $a$ $Ab$ ; $A$ ;$a$;x"),
        vec!["select $a$ $Ab$ ; $A$ ;$a$", "x"]
    );
    // psql gives back the last `$` of a wrong delimiter, so it can start the right one.
    assert_eq!(sqls("select $a$ $b$a$ ;x"), vec!["select $a$ $b$a$ ", "x"]);
    assert_eq!(sqls("select $a$ $$a$; x"), vec!["select $a$ $$a$", "x"]);
    // Non-ASCII tags are identifier characters.
    assert_eq!(sqls("select $é$;$é$;x"), vec!["select $é$;$é$", "x"]);
}

#[test]
fn dollar_non_quotes() {
    assert_eq!(sqls("select $1; select $2"), vec!["select $1", "select $2"]);
    assert_eq!(sqls("select a$b$; x $b$"), vec!["select a$b$", "x $b$"]);
    assert_eq!(sqls("select $1$a$;$a$;x"), vec!["select $1$a$;$a$", "x"]);
    assert_eq!(sqls("select 1$a$;$a$;x"), vec!["select 1$a$;$a$", "x"]);
    assert_eq!(sqls("select $1a$b$;x"), vec!["select $1a$b$", "x"]);
    assert_eq!(sqls("select $ 1;x"), vec!["select $ 1", "x"]);
    assert_eq!(sqls("select $a + 1;x"), vec!["select $a + 1", "x"]);
    assert_eq!(sqls("select $9a;x"), vec!["select $9a", "x"]);
}

#[test]
fn comments() {
    assert_eq!(sqls("select 1 -- a;b\n; x"), vec!["select 1 -- a;b\n", "x"]);
    assert_eq!(sqls("select 1 -- a;b\r; x"), vec!["select 1 -- a;b\r", "x"]);
    assert_eq!(sqls("select /* a; */ 1; x"), vec!["select /* a; */ 1", "x"]);
    assert_eq!(
        sqls("select /* a /* b; */ c; */ 1; x"),
        vec!["select /* a /* b; */ c; */ 1", "x"]
    );
    assert_eq!(sqls("select /*/ ; */ 1;x"), vec!["select /*/ ; */ 1", "x"]);
    assert_eq!(
        sqls("select /** ; **/ 1;x"),
        vec!["select /** ; **/ 1", "x"]
    );
    assert_eq!(
        sqls("select 1 +/* ; */2;x"),
        vec!["select 1 +/* ; */2", "x"]
    );
    assert_eq!(sqls("select 1--2;\n;x"), vec!["select 1--2;\n", "x"]);
    assert_eq!(
        sqls("select 1 - 2; select 3/4;"),
        vec!["select 1 - 2", "select 3/4"]
    );
    assert_eq!(sqls("select '--';x"), vec!["select '--'", "x"]);
    assert_eq!(sqls("select '/*';x"), vec!["select '/*'", "x"]);
}

#[test]
fn parentheses() {
    let rule = "CREATE RULE r AS ON INSERT TO t DO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); x";
    assert_eq!(
        sqls(rule),
        vec!["CREATE RULE r AS ON INSERT TO t DO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", "x"]
    );
    assert_eq!(sqls("select (1;2"), vec!["select (1;2"]);
    assert!(!split("select (1;2")[0].terminated);
    // psql never lets the depth go negative.
    assert_eq!(
        sqls("select 1)); select (2);"),
        vec!["select 1))", "select (2)"]
    );
    assert_eq!(sqls("select ')'; x"), vec!["select ')'", "x"]);
}

#[test]
fn begin_atomic() {
    let f = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\nselect 3;";
    let got = sqls(f);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].ends_with("END"));
    assert_eq!(got[1], "select 3");

    let p = "create or replace procedure p() begin atomic insert into t values (1); insert into t values (2); end; call p();";
    assert_eq!(sqls(p).len(), 2);
    let p2 = "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END; CALL p();";
    assert_eq!(sqls(p2).len(), 2);
    // Nested BEGIN ... END inside the body.
    let n = "create function f() returns int begin atomic select 1; begin select 2; end; end; x";
    assert_eq!(sqls(n).len(), 2);
    // Parenthesised BEGIN does not count.
    let q = "create function f(begin int) returns int return 1; x";
    assert_eq!(sqls(q).len(), 2);
}

#[test]
fn begin_transactions_unaffected() {
    assert_eq!(
        sqls("BEGIN; insert into t values (1); END; begin work; commit;"),
        vec![
            "BEGIN",
            "insert into t values (1)",
            "END",
            "begin work",
            "commit"
        ]
    );
    assert_eq!(
        sqls("do $$ begin perform 1; end $$; select 1;"),
        vec!["do $$ begin perform 1; end $$", "select 1"]
    );
    // A dollar-quoted function body is opaque; BEGIN inside it is not tracked.
    let f =
        "create function f() returns int as $$ begin return 1; end $$ language plpgsql; select 2;";
    assert_eq!(sqls(f).len(), 2);
    // CREATE TABLE with a column called begin.
    assert_eq!(sqls("create table t (begin int); select 1;").len(), 2);
    // Identifier state is reset at each statement end.
    let seq = "create table x (a int); begin; select 1; end;";
    assert_eq!(sqls(seq).len(), 4);
}

#[test]
fn backslash_semicolon() {
    assert_eq!(
        sqls(r"select 1 \; select 2; x"),
        vec![r"select 1 \; select 2", "x"]
    );
}

#[test]
fn statement_positions_and_lines() {
    let text = "-- header\n\nselect 1;\n/* c\n */ select\n 2 ;  select 3\n";
    let st = split(text);
    assert_eq!(st.len(), 3);
    assert_eq!((st[0].sql, st[0].line), ("select 1", 3));
    assert_eq!((st[1].sql, st[1].line), ("select\n 2 ", 5));
    assert_eq!(
        (st[2].sql, st[2].line, st[2].terminated),
        ("select 3\n", 6, false)
    );
    for s in &st {
        assert_eq!(&text[s.start..s.end], s.sql);
        if s.terminated {
            assert_eq!(&text[s.end..=s.end], ";");
        }
    }
    assert_eq!(split("a;\r\nb;")[1].line, 2);
}

#[test]
fn unterminated_constructs() {
    for text in [
        "select 'abc;",
        "select \"a;",
        "select $$;",
        "select /* ;",
        "select E'\\';",
    ] {
        let st = split(text);
        assert_eq!(st.len(), 1, "{text}");
        assert!(!st[0].terminated);
        assert_eq!(st[0].sql, text);
    }
    // A comment-only tail is not a statement.
    assert_eq!(split("select 1; /* open ;").len(), 1);
}

#[test]
fn scanner_states() {
    let mut s = Scanner::new();
    assert!(s.is_blank());
    assert_eq!(s.prompt_indicator(), '=');
    s.feed("select 'a");
    assert_eq!(s.state(), &State::SingleQuote);
    assert_eq!(s.prompt_indicator(), '\'');
    s.feed("' , E'x\\");
    assert_eq!(s.state(), &State::EscapeQuote);
    s.feed("'");
    assert_eq!(s.state(), &State::EscapeQuote);
    s.feed("' , \"q");
    assert_eq!(s.state(), &State::DoubleQuote);
    s.feed("\" , $tag$ body");
    assert_eq!(s.state(), &State::Dollar("tag".into()));
    assert_eq!(s.prompt_indicator(), '$');
    s.feed("$tag$ /* a /* b");
    assert_eq!(s.state(), &State::BlockComment(2));
    s.feed(" */");
    assert_eq!(s.state(), &State::BlockComment(1));
    s.feed(" */ (");
    assert_eq!(s.state(), &State::Normal);
    assert_eq!(s.paren_depth(), 1);
    assert_eq!(s.prompt_indicator(), '(');
    assert!(s.feed(";").is_empty());
    assert_eq!(s.feed(") -- x"), Vec::<usize>::new());
    assert_eq!(s.state(), &State::LineComment);
    assert_eq!(s.feed("\n;"), vec![2]);
    assert!(s.is_blank());
    s.feed("  -- only a comment\n /* and this */ ");
    assert!(s.is_blank());
    s.feed("-");
    assert!(!s.is_blank());
    s.feed("-");
    assert!(s.is_blank());
    s.reset();
    s.feed("x");
    assert_eq!(s.prompt_indicator(), '-');
}

#[test]
fn chunk_splits_inside_tokens() {
    let text =
        "select 'a''b', E'\\'', \"x\"\"y\", $tg$ ; $t $tg$ /* /* */ */ -- ;\n, $1; select 2;";
    let whole = Scanner::new().feed(text);
    assert_eq!(whole.len(), 2);
    for cut in 0..=text.len() {
        if !text.is_char_boundary(cut) {
            continue;
        }
        let (ends, _) = chunked_ends(text, &[cut]);
        assert_eq!(ends, whole, "cut at {cut}");
    }
    // Byte-at-a-time, too.
    let cuts: Vec<usize> = (0..text.len()).collect();
    assert_eq!(chunked_ends(text, &cuts).0, whole);
}

#[test]
fn trimming() {
    assert_eq!(trim_leading("  -- a\n /* b /* c */ */\tselect"), "select");
    assert_eq!(trim_leading("/* open"), "");
    assert_eq!(trim_leading("-- only"), "");
    assert_eq!(trim_leading("- 1"), "- 1");
    assert_eq!(trim_leading("/ 1"), "/ 1");
    assert_eq!(trim_leading("select -- x"), "select -- x");
}

#[test]
fn keywords() {
    assert_eq!(
        leading_keywords("  -- c\n /* d */ ( (select 1", 3),
        vec!["SELECT"]
    );
    assert_eq!(
        leading_keywords("start transaction read only", 2),
        vec!["START", "TRANSACTION"]
    );
    assert_eq!(
        leading_keywords("rollback to savepoint a", 9),
        vec!["ROLLBACK", "TO", "SAVEPOINT", "A"]
    );
    assert_eq!(
        leading_keywords("create table \"T\" (a int)", 5),
        vec!["CREATE", "TABLE"]
    );
    assert_eq!(
        leading_keywords("copy public.t from stdin", 5),
        vec!["COPY", "PUBLIC"]
    );
    assert_eq!(leading_keywords("insert", 0), Vec::<String>::new());
    assert_eq!(leading_keywords("'x' select", 2), Vec::<String>::new());
    assert_eq!(leading_keywords("", 2), Vec::<String>::new());
    assert_eq!(leading_keywords("Über_1$ x", 2), vec!["ÜBER_1$", "X"]);
}

#[test]
fn transaction_effects() {
    use TxEffect::*;
    let cases = [
        ("BEGIN", Begin),
        ("begin work", Begin),
        ("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", Begin),
        ("start transaction", Begin),
        ("start", None),
        ("COMMIT", Commit),
        ("commit work", Commit),
        ("END", Commit),
        ("end transaction", Commit),
        ("COMMIT AND CHAIN", Begin),
        ("commit work and chain", Begin),
        ("COMMIT AND NO CHAIN", Commit),
        ("ROLLBACK", Rollback),
        ("abort", Rollback),
        ("rollback and chain", Begin),
        ("ROLLBACK TO a", RollbackToSavepoint),
        ("rollback to savepoint a", RollbackToSavepoint),
        ("ROLLBACK WORK TO SAVEPOINT a", RollbackToSavepoint),
        ("SAVEPOINT a", Savepoint),
        ("RELEASE a", ReleaseSavepoint),
        ("release savepoint a", ReleaseSavepoint),
        ("PREPARE TRANSACTION 'x'", PrepareTransaction),
        ("PREPARE q AS SELECT 1", None),
        ("COMMIT PREPARED 'x'", None),
        ("ROLLBACK PREPARED 'x'", None),
        ("select 1", None),
        ("/* c */ BEGIN", Begin),
        ("", None),
    ];
    for (sql, want) in cases {
        assert_eq!(tx_effect(sql), want, "{sql}");
    }
}

/// A statement fragment: (text, is it a real token rather than blank/comment?).
fn fragment() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_$]{0,6}".prop_map(|s| (s, true)),
        "[0-9]{1,3}".prop_map(|s| (s, true)),
        "[0-9]{1,2}".prop_map(|s| (format!("${s}"), true)),
        "[a-z ;'\"$\\\\]{0,8}".prop_map(|s| (format!("'{}'", s.replace('\'', "''")), true)),
        "[a-z ;'\"$]{0,8}".prop_map(|s| (format!("E'{}'", s.replace('\'', "\\'")), true)),
        "[a-z ;'$]{0,8}".prop_map(|s| (format!("\"{}\"", s.replace('"', "\"\"")), true)),
        "[a-z ;'\"]{0,8}".prop_map(|s| (format!("$$ {s} $ $$"), true)),
        ("[a-z]{1,3}", "[a-z ;'\"]{0,8}")
            .prop_map(|(t, s)| (format!("${t}$ {s} $ ${t}x$ ${t}$"), true)),
        "[a-z ;]{0,8}".prop_map(|s| (format!("(x; {s})"), true)),
        "[a-z ;'\"$]{0,8}".prop_map(|s| (format!("/* {s} /* ; */ */"), false)),
        "[a-z ;'\"$]{0,8}".prop_map(|s| (format!("-- {s}\n"), false)),
        Just(("\n".to_string(), false)),
        Just(("+".to_string(), true)),
    ]
}

fn statement() -> impl Strategy<Value = (String, bool)> {
    prop::collection::vec(fragment(), 1..6).prop_map(|frags| {
        let real = frags.iter().any(|(_, r)| *r);
        let text = frags
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .join(" ");
        (text, real)
    })
}

proptest! {
    #[test]
    fn split_reassembles_input(stmts in prop::collection::vec(statement(), 0..6), trailing_semi in any::<bool>()) {
        let mut text = String::new();
        let mut expected = 0;
        for (i, (s, real)) in stmts.iter().enumerate() {
            text.push_str(s);
            if i + 1 < stmts.len() || trailing_semi {
                text.push(';');
            }
            text.push(' ');
            expected += usize::from(*real);
        }
        let st = split(&text);
        prop_assert_eq!(st.len(), expected, "{:?}", text);
        let mut rebuilt = String::new();
        let mut pos = 0;
        for s in &st {
            prop_assert_eq!(&text[s.start..s.end], s.sql);
            rebuilt.push_str(&text[pos..s.start]);
            rebuilt.push_str(s.sql);
            pos = s.end;
            if s.terminated {
                rebuilt.push(';');
                pos += 1;
            }
        }
        rebuilt.push_str(&text[pos..]);
        prop_assert_eq!(rebuilt, text);
    }

    #[test]
    fn chunking_never_changes_results(stmts in prop::collection::vec(statement(), 0..5), cuts in prop::collection::vec(0usize..400, 0..8)) {
        let text = stmts.into_iter().map(|(s, _)| s).collect::<Vec<_>>().join(";");
        let mut whole = Scanner::new();
        let ends = whole.feed(&text);
        let (chunked, scanner) = chunked_ends(&text, &cuts);
        prop_assert_eq!(chunked, ends);
        prop_assert_eq!(scanner.state(), whole.state());
        prop_assert_eq!(scanner.paren_depth(), whole.paren_depth());
        prop_assert_eq!(scanner.is_blank(), whole.is_blank());
    }

    #[test]
    fn never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = split(&text);
        let _ = leading_keywords(&text, 4);
        let _ = tx_effect(&text);
        let _ = trim_leading(&text);
    }
}
