//! Tests of the backslash-command lexer against psql 15 itself, obtained like sql_tests.rs's cases:
//! `psql -X -q -e -o /dev/null -h /tmp/devpg -p 5499 -U postgres -d scan [-v k=v] -f case.sql`, stdout
//! (queries sent and `\echo` output) and the lexer's and command loop's messages from stderr.

use super::sql_tests::{check, Case};

#[test]
fn backslash_commands_read_their_options_as_psql_does() {
    check(PSQL_SLASH_CASES);
}

const PSQL_SLASH_CASES: &[Case] = &[
    Case {
        name: "options: words, double quotes kept, single quotes processed",
        input: "\\echo a \"b c\" 'd\\te' 'it''s' x'y z'w\n",
        std: true,
        vars: &[],
        out: "a \"b c\" d\te it's xy zw\n",
        err: &[],
    },
    Case {
        name: "single-quote escapes",
        input: "\\echo '\\n|\\t|\\b|\\r|\\f|\\101\\x41\\x4a\\x4g\\xg\\q\\\\\\''\n",
        std: true,
        vars: &[],
        out: "\n|\t|\u{8}|\r|\u{c}|AAJ\u{4}gxgq\\'\n",
        err: &[],
    },
    Case {
        name: "octal escapes wrap at a byte; NUL ends the option",
        input: "\\echo '\\0' 'a\\0b' '\\1010'\n",
        std: true,
        vars: &[],
        out: " a A0\n",
        err: &[],
    },
    Case {
        name: "options with variables",
        input: "\\echo :x :'x' :\"x\" :{?x} :{?nope} :nope :'nope' a:x :x:x\n",
        std: true,
        vars: &[("x", "it's")],
        out: "it's 'it''s' \"it's\" TRUE FALSE :nope :'nope' ait's it'sit's\n",
        err: &[],
    },
    Case {
        name: "variable values in options are not rescanned",
        input: "\\echo :v\n",
        std: true,
        vars: &[("v", "a 'b' :x")],
        out: "a 'b' :x\n",
        err: &[],
    },
    Case {
        name: "invalid variable references in options",
        input: "\\echo :'' :\"\" :{x} :{? : :'a b'\n",
        std: true,
        vars: &[],
        out: ": :\"\" :{x} :{? : :a b\n",
        err: &[],
    },
    Case {
        name: "echo -n unquoted only",
        input: "\\echo -n a\n\\echo '-n' b\n\\echo\n\\echo x -n\n",
        std: true,
        vars: &[],
        out: "a-n b\n\nx -n\n",
        err: &[],
    },
    Case {
        name: "backquotes run a command",
        input: "\\echo `echo hi` x`printf 'a\\n\\n'`y `echo :x` `echo :'y'` `echo \":x\"`\n",
        std: true,
        vars: &[("x", "5"), ("y", "it's a b")],
        out: "hi xa\ny 5 it's a b 5\n",
        err: &[],
    },
    Case {
        name: "backquote output loses one trailing newline",
        input: "\\echo [`printf 'a\\n\\n'`]\n",
        std: true,
        vars: &[],
        out: "[a\n]\n",
        err: &[],
    },
    Case {
        name: "unterminated quotes in options",
        input: "\\echo a 'abc\n\\echo b \"abc\n\\echo c `abc\n",
        std: true,
        vars: &[],
        out: "a\nb\nc\n",
        err: &[
            "error: unterminated quoted string",
            "error: unterminated quoted string",
            "error: unterminated quoted string",
        ],
    },
    Case {
        name: "option ends at a backslash",
        input: "\\echo a'b'c\\echo d\n",
        std: true,
        vars: &[],
        out: "abc\nd\n",
        err: &[],
    },
    Case {
        name: "whitespace between options; tabs",
        input: "\\echo \t a  \t b\n",
        std: true,
        vars: &[],
        out: "a b\n",
        err: &[],
    },
    Case {
        name: "set and use a variable",
        input: "\\set v 'one two' three\n\\echo :v\nselect :'v';\n",
        std: true,
        vars: &[],
        out: "one twothree\nselect 'one twothree';\n",
        err: &[],
    },
    Case {
        name: "unknown command eats the rest of the line",
        input: "\\nosuch a b\nselect 1;\n",
        std: true,
        vars: &[],
        out: "select 1;\n",
        err: &["error: invalid command \\nosuch"],
    },
    Case {
        name: "extra arguments are reported and ignored",
        input: "\\r a `echo no` :x\n",
        std: true,
        vars: &[("x", "5")],
        out: "",
        err: &[
            "warning: \\r: extra argument \"a\" ignored",
            "warning: \\r: extra argument \"echo no\" ignored",
            "warning: \\r: extra argument \":x\" ignored",
        ],
    },
    Case {
        name: "inactive branch: nothing expanded, no command run",
        input: "\\if false\n\\echo `echo no` :x\nselect :x;\n\\else\n\\echo yes :x\n\\endif\n",
        std: true,
        vars: &[("x", "5")],
        out: "yes 5\n",
        err: &[],
    },
    Case {
        name: "variable expansion inside \\if expression",
        input: "\\if :t\n\\echo in\n\\endif\n",
        std: true,
        vars: &[("t", "true")],
        out: "in\n",
        err: &[],
    },
    Case {
        name: "quotes mixing in one option",
        input: "\\echo a\"b\"'c'`echo d`:x\n",
        std: true,
        vars: &[("x", "e")],
        out: "a\"b\"cde\n",
        err: &[],
    },
    Case {
        name: "colon not starting a variable",
        input: "\\echo a: :: :5 :é\n",
        std: true,
        vars: &[("5", "five"), ("é", "acute")],
        out: "a: :: five acute\n",
        err: &[],
    },
    Case {
        name: "multibyte option text",
        input: "\\echo 'é\\ü' \"ñ\" ü\n",
        std: true,
        vars: &[],
        out: "éü \"ñ\" ü\n",
        err: &[],
    },
    Case {
        name: "command name ends at whitespace or backslash",
        input: "\\echo\\echo x\n",
        std: true,
        vars: &[],
        out: "\nx\n",
        err: &[],
    },
    Case {
        name: "backslash right after SQL text",
        input: "select 1\\g\n",
        std: true,
        vars: &[],
        out: "select 1\n",
        err: &[],
    },
    Case {
        name: "the SQL after a double backslash continues a statement",
        input: "select 1 \\echo a \\\\ , 2;\n",
        std: true,
        vars: &[],
        out: "a\nselect 1  , 2;\n",
        err: &[],
    },
];

use super::test_driver::Engine;
use super::*;

/// Set up `line` (the text after a command's backslash) and read the command name.
fn command(line: &str) -> (PsqlScanState, String) {
    let mut st = PsqlScanState::new();
    st.setup(line, true);
    let name = st.slash_command();
    (st, name)
}

fn opt(
    st: &mut PsqlScanState,
    ty: SlashOptionType,
    semicolon: bool,
) -> (Option<String>, Option<char>) {
    let mut eng = Engine::default();
    eng.vars.insert("v".into(), "Var\"X".into());
    eng.vars.insert("s".into(), "x;".into());
    eng.fake_backticks = true;
    let mut q = Some('?');
    let r = st.slash_option(ty, &mut q, semicolon, &mut eng);
    (r, q)
}

// psql 15: `\c ARG` with each argument; the option is the database name in the connection error
// (`psql -X -v 'v=Var"X' -c '\c ARG'` → FATAL:  database "…" does not exist).
#[test]
fn connect_style_identifiers_keep_case_and_drop_semicolons() {
    let cases = [
        ("c \"My\"\"Db\"", "My\"Db"),
        ("c MyDb;;", "MyDb"),
        ("c \"x;\";", "x;"),
        ("c :v", "VarX"),
        ("c x;y", "x;y"),
        ("c 'a;';;b", "a;;;b"),
        ("c \"Ab\"Cd;", "AbCd"),
    ];
    for (line, want) in cases {
        let (mut st, _) = command(line);
        assert_eq!(
            opt(&mut st, SlashOptionType::SqlIdHack, true).0.as_deref(),
            Some(want),
            "{line}"
        );
    }
}

// The rules of psqlscanslash.l, case by case (these option types have no side-effect-free observer in
// psql): OT_SQLID downcases outside quotes, OT_FILEPIPE takes `|…` to the end, OT_WHOLE_LINE drops
// only leading whitespace, `semicolon` strips only unquoted trailing semicolons.
#[test]
fn each_option_type_reads_as_psql_does() {
    use SlashOptionType as T;
    let read = |line: &str, ty: T, semi: bool| {
        let (mut st, _) = command(line);
        opt(&mut st, ty, semi)
    };
    assert_eq!(
        read("x FOO\"BAR\"BAZ", T::SqlId, false).0.as_deref(),
        Some("fooBARbaz")
    );
    assert_eq!(
        read("x \"a\"\"B\".C", T::SqlId, false).0.as_deref(),
        Some("a\"B.c")
    );
    assert_eq!(
        read("o |cat  -A  ", T::FilePipe, false).0.as_deref(),
        Some("|cat  -A  ")
    );
    assert_eq!(
        read("o  out.txt rest", T::FilePipe, false).0.as_deref(),
        Some("out.txt")
    );
    assert_eq!(read("o a|b", T::FilePipe, false).0.as_deref(), Some("a|b"));
    assert_eq!(
        read("! \t ls  -l \\x ", T::WholeLine, false).0.as_deref(),
        Some("ls  -l \\x ")
    );
    assert_eq!(read("!   ", T::WholeLine, false), (None, None));
    assert_eq!(read("echo |x", T::Normal, false).0.as_deref(), Some("|x"));
    // semicolons
    assert_eq!(read("x abc;;", T::Normal, true).0.as_deref(), Some("abc"));
    assert_eq!(
        read("x abc;;", T::Normal, false).0.as_deref(),
        Some("abc;;")
    );
    assert_eq!(
        read("x 'abc;';", T::Normal, true).0.as_deref(),
        Some("abc;")
    );
    assert_eq!(read("x :s;", T::Normal, true).0.as_deref(), Some("x;"));
    assert_eq!(read("x ;", T::Normal, true), (None, None));
    // the quote reported
    assert_eq!(read("x abc", T::Normal, false), (Some("abc".into()), None));
    assert_eq!(
        read("x 'a'b", T::Normal, false),
        (Some("ab".into()), Some('\''))
    );
    assert_eq!(
        read("x ''", T::Normal, false),
        (Some(String::new()), Some('\''))
    );
    assert_eq!(
        read("x \"a\"", T::Normal, false),
        (Some("\"a\"".into()), Some('"'))
    );
    assert_eq!(
        read("x `c`", T::Normal, false),
        (Some("[c]".into()), Some('`'))
    );
    assert_eq!(
        read("x a:v", T::Normal, false),
        (Some("aVar\"X".into()), Some(':'))
    );
    assert_eq!(
        read("x :nope", T::Normal, false),
        (Some(":nope".into()), Some(':'))
    );
    assert_eq!(
        read("x :{?v}", T::Normal, false),
        (Some("TRUE".into()), None)
    );
    assert_eq!(read("x 'open", T::Normal, false), (None, Some('\'')));
}

#[test]
fn inactive_branch_reads_options_without_expanding() {
    let (mut st, name) = command("echo `echo ran` :v :'v' :{?v} `:v`");
    assert_eq!(name, "echo");
    let mut eng = Engine::default();
    eng.vars.insert("v".into(), "1".into());
    eng.cond.push((super::test_driver::IfState::False, 0, 0));
    let mut q = None;
    let mut opts = Vec::new();
    while let Some(o) = st.slash_option(SlashOptionType::Normal, &mut q, false, &mut eng) {
        opts.push(o);
    }
    assert_eq!(opts, ["echo ran", ":v", ":'v'", "FALSE", ":v"]);
    assert!(eng.err.is_empty());
}

#[test]
fn command_end_eats_only_a_double_backslash() {
    let (mut st, name) = command("echo a \\\\ select 1;");
    assert_eq!(name, "echo");
    let mut eng = Engine::default();
    let mut q = None;
    assert_eq!(
        st.slash_option(SlashOptionType::Normal, &mut q, false, &mut eng)
            .as_deref(),
        Some("a")
    );
    assert_eq!(
        st.slash_option(SlashOptionType::Normal, &mut q, false, &mut eng),
        None
    );
    st.slash_command_end();
    let mut buf = String::new();
    assert_eq!(st.scan(&mut buf, &mut eng).0, ScanResult::Semicolon);
    assert_eq!(buf, "select 1;");
    // a single backslash is left for the SQL lexer, which returns it as the next command
    let (mut st, _) = command("echo \\x");
    st.slash_command_end();
    assert_eq!(
        st.scan(&mut String::new(), &mut eng).0,
        ScanResult::Backslash
    );
    assert_eq!(st.slash_command(), "x");
}

#[test]
fn a_command_in_a_variable_reads_options_on_into_the_line() {
    // psql 15: `psql -X -v 'c=\echo in' -c 'select 1 :c out'`-like input via -f prints "in out"
    // (see PSQL_SQL_CASES "variable value with a backslash command"); here through the API.
    let mut eng = Engine::default();
    eng.vars.insert("c".into(), "\\echo 'in".into());
    let mut st = PsqlScanState::new();
    st.setup(":c side' rest", true);
    let mut buf = String::new();
    assert_eq!(st.scan(&mut buf, &mut eng).0, ScanResult::Backslash);
    assert_eq!(st.slash_command(), "echo");
    let mut q = None;
    let a = st.slash_option(SlashOptionType::Normal, &mut q, false, &mut eng);
    assert_eq!(a.as_deref(), Some("in side"));
    let b = st.slash_option(SlashOptionType::Normal, &mut q, false, &mut eng);
    assert_eq!(b.as_deref(), Some("rest"));
}
