//! Streaming reader for psql-style SQL files (dumps, course datasets): statements, backslash commands, COPY data.
//!
//! The file is read one line at a time; only the statement being assembled is held in memory, so
//! a multi-gigabyte dump loads in bounded memory as long as its statements are of reasonable size
//! (COPY data is streamed line by line by [`SqlFileReader::copy_data_into`]).
//!
//! Line endings: a `\r\n` line end is read as `\n` in statements and meta-commands; COPY data
//! lines are passed through untouched. A UTF-8 byte-order mark at the start of the file is ignored.

use std::io::{self, BufRead, Write};

use super::scan::{self, Scanner, State};

pub use super::scan::is_copy_from_stdin;

/// One thing read from a SQL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A complete SQL statement (without the final `;`), the 1-based line where it starts.
    ///
    /// Leading whitespace and comments are not part of `sql`, and `line` is where its first token
    /// is. psql's `\;` has been turned into `;` (the statements go to the server as one query).
    Statement { sql: String, line: usize },
    /// A psql backslash command on its own line (psql reads them when the scanner is in Normal state at a line start
    /// or after a statement on the same line): the command name without the backslash, its arguments (split like psql:
    /// whitespace-separated, single-quoted args with '' escapes), and the line.
    ///
    /// Single-quoted parts lose their quotes and have `''` and psql's backslash escapes (`\n`,
    /// `\t`, octal, hex, ...) resolved; double-quoted and backquoted parts are kept verbatim,
    /// quotes included, as psql does for most commands, except in `\c`/`\connect` arguments, where
    /// psql reads double quotes as identifier quotes (`"My""Db"` is `My"Db`); `:variables` are left as
    /// written. For commands where psql drops a trailing unquoted `;` (`\c db;`, `\i file;`, `\d t;`,
    /// ...) it is dropped. `\copy`, `\!`, `\h`, `\sf`, `\sv`, `\ef` and `\ev` take the rest of the
    /// line as one argument.
    Meta {
        name: String,
        args: Vec<String>,
        /// Per argument: did any part of it come from quotes? psql gives quoted `-n` (`\echo`) and `-`
        /// (`\c`) no special meaning.
        quoted: Vec<bool>,
        line: usize,
    },
}

/// Reads [`Item`]s from a psql script.
///
/// A backslash command is recognised when it starts a line, or follows a statement's `;` on the
/// same line, while no statement is in progress; inside an unfinished statement, quote or comment
/// a backslash is ordinary text (psql would run such a command immediately, which this reader
/// does not attempt). After a `COPY ... FROM STDIN` statement the caller must call
/// [`SqlFileReader::copy_data_into`] (with [`io::sink`] to skip the data if the COPY failed),
/// otherwise the data lines would be read as SQL.
#[derive(Debug)]
pub struct SqlFileReader<R: BufRead> {
    reader: R,
    /// Number of the last line read.
    line: usize,
    scanner: Scanner,
    /// Text of the statement being assembled, from the end of the previous one.
    pending: String,
    /// Line on which `pending` starts.
    pending_line: usize,
    /// The current line (with `\n` if it had one) and how much of it has been consumed.
    cur: String,
    cur_pos: usize,
}

impl<R: BufRead> SqlFileReader<R> {
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            line: 0,
            scanner: Scanner::new(),
            pending: String::new(),
            pending_line: 1,
            cur: String::new(),
            cur_pos: 0,
        }
    }

    /// 1-based number of the last line read (for error messages).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The next statement or backslash command, or `None` at the end of the file.
    /// Text after the last `;` that is more than whitespace and comments is returned as a final
    /// statement, as psql sends it too.
    pub fn next_item(&mut self) -> io::Result<Option<Item>> {
        loop {
            if self.cur_pos >= self.cur.len() && !self.read_line()? {
                let item = self.finish_statement(false);
                self.scanner.reset();
                return Ok(item);
            }
            let rest = self.cur.get(self.cur_pos..).unwrap_or("");
            if self.pending_is_blank() {
                let indent = rest.len() - rest.trim_start_matches([' ', '\t', '\x0c']).len();
                if rest.get(indent..).is_some_and(|r| r.starts_with('\\')) {
                    return Ok(Some(self.read_meta(indent + 1)));
                }
            }
            let from = self.cur_pos;
            let piece = self.cur.get(from..).unwrap_or("");
            match self.scanner.feed_until_end(piece) {
                Some(len) => {
                    self.append_pending(from, from + len);
                    self.cur_pos = from + len;
                    if let Some(item) = self.finish_statement(true) {
                        return Ok(Some(item));
                    }
                }
                None => {
                    self.append_pending(from, self.cur.len());
                    self.cur_pos = self.cur.len();
                    // Blank lines and comments between statements need not be kept.
                    if self.pending_is_blank() {
                        self.pending.clear();
                    }
                }
            }
        }
    }

    /// After the caller ran a `COPY ... FROM STDIN` statement from this file, stream the inline data that follows
    /// (lines up to a line that is exactly `\.`, which is consumed and not written) into `sink`; returns bytes written.
    /// Data lines are passed through unchanged (including their `\n`). Error if EOF comes before `\.`.
    ///
    /// The data starts on the line after the statement; anything after the statement's `;` on
    /// its own line is still read as SQL afterwards, as psql does.
    pub fn copy_data_into(&mut self, sink: &mut dyn Write) -> io::Result<u64> {
        let start_line = self.line;
        let mut buf = Vec::new();
        let mut written = 0u64;
        loop {
            buf.clear();
            if self.reader.read_until(b'\n', &mut buf)? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "end of file in COPY data started after line {start_line} (missing \\. terminator)"
                    ),
                ));
            }
            self.line += 1;
            if trim_line_end(&buf) == b"\\." {
                return Ok(written);
            }
            sink.write_all(&buf)?;
            written += u64::try_from(buf.len()).unwrap_or(u64::MAX);
        }
    }

    /// True when no statement text has been seen since the last statement end, outside any
    /// comment: the point where psql would accept a backslash command.
    fn pending_is_blank(&self) -> bool {
        self.scanner.is_blank() && *self.scanner.state() == State::Normal
    }

    /// Read the next line into `cur`; false at end of input.
    fn read_line(&mut self) -> io::Result<bool> {
        let mut buf = std::mem::take(&mut self.cur).into_bytes();
        buf.clear();
        self.cur_pos = 0;
        if self.reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(false);
        }
        self.line += 1;
        let had_newline = buf.last() == Some(&b'\n');
        let content_len = trim_line_end(&buf).len();
        buf.truncate(content_len);
        if self.line == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
        }
        let mut text = String::from_utf8(buf).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("line {}: invalid UTF-8: {}", self.line, e.utf8_error()),
            )
        })?;
        if had_newline {
            text.push('\n');
        }
        self.cur = text;
        Ok(true)
    }

    fn append_pending(&mut self, from: usize, to: usize) {
        if self.pending.is_empty() {
            self.pending_line = self.line;
        }
        self.pending.push_str(self.cur.get(from..to).unwrap_or(""));
    }

    /// Turn the pending text into a statement, unless it is only whitespace and comments.
    fn finish_statement(&mut self, terminated: bool) -> Option<Item> {
        let mut text = std::mem::take(&mut self.pending);
        if terminated {
            text.pop();
        }
        let body = crate::sql::lexer::trim_leading(&text);
        if body.is_empty() {
            return None;
        }
        let lead = text.len() - body.len();
        let line = self.pending_line
            + text
                .get(..lead)
                .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
        let sql = match scan::strip_psql_escapes(body) {
            std::borrow::Cow::Borrowed(_) => {
                text.drain(..lead);
                text
            }
            std::borrow::Cow::Owned(s) => s,
        };
        Some(Item::Statement { sql, line })
    }

    /// Parse the backslash command that starts `at` bytes into the unconsumed part of the line.
    fn read_meta(&mut self, at: usize) -> Item {
        let start = self.cur_pos + at;
        let text = self.cur.get(start..).unwrap_or("");
        let (name, args, quoted, used) = parse_meta(text);
        let mut end = start + used;
        // psql's `\\` ends a command and lets SQL follow on the same line.
        if self.cur.get(end..).is_some_and(|r| r.starts_with("\\\\")) {
            end += 2;
        }
        self.cur_pos = end;
        // Any blank text before the command belongs to nothing.
        self.pending.clear();
        self.scanner.reset();
        Item::Meta {
            name,
            args,
            quoted,
            line: self.line,
        }
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Commands whose argument is the rest of the line, verbatim (psql's OT_WHOLE_LINE).
fn takes_whole_line(name: &str) -> bool {
    matches!(
        name,
        "copy" | "!" | "h" | "help" | "sf" | "sf+" | "sv" | "sv+" | "ef" | "ev"
    )
}

/// Commands for which psql strips unquoted trailing semicolons from arguments.
fn strips_semicolons(name: &str) -> bool {
    matches!(
        name,
        "c" | "connect"
            | "C"
            | "cd"
            | "encoding"
            | "e"
            | "edit"
            | "g"
            | "gx"
            | "i"
            | "include"
            | "ir"
            | "include_relative"
            | "l"
            | "list"
            | "l+"
            | "list+"
            | "o"
            | "out"
            | "password"
            | "s"
            | "t"
            | "T"
            | "timing"
            | "w"
            | "write"
            | "x"
            | "z"
    ) || name.starts_with('d')
        || name.starts_with("lo_")
}

/// Split a backslash command (text after the backslash, up to the end of the line) into its
/// name, arguments and which of them were quoted, like psql's slash-command lexer; also returns how
/// many bytes belong to it (it stops before another unquoted backslash, which starts the next command).
fn parse_meta(text: &str) -> (String, Vec<String>, Vec<bool>, usize) {
    let line_len = text.find('\n').unwrap_or(text.len());
    let line = text.get(..line_len).unwrap_or("");
    let name_len = line
        .find(|c: char| c == '\\' || c.is_ascii_whitespace())
        .unwrap_or(line.len());
    let name = line.get(..name_len).unwrap_or("").to_string();
    let rest = line.get(name_len..).unwrap_or("");

    if takes_whole_line(&name) {
        let arg = rest.trim();
        let args = if arg.is_empty() {
            Vec::new()
        } else {
            vec![arg.to_string()]
        };
        let quoted = vec![false; args.len()];
        return (name, args, quoted, line_len);
    }

    let strip = strips_semicolons(&name);
    // psql's OT_SQLIDHACK: double quotes in `\connect` arguments quote identifiers (pg_dump writes
    // `\connect "Shop"` and `\connect -reuse-previous=on "dbname='my-app'"`).
    let identifiers = matches!(name.as_str(), "c" | "connect");
    let mut args = Vec::new();
    let mut quotes = Vec::new();
    let mut chars = rest.char_indices().peekable();
    let mut used = line_len;
    loop {
        while chars.next_if(|(_, c)| c.is_ascii_whitespace()).is_some() {}
        let Some(&(at, first)) = chars.peek() else {
            break;
        };
        if first == '\\' {
            used = name_len + at;
            break;
        }
        let mut arg = String::new();
        let mut quoted = false;
        // Characters at the end of `arg` that were not inside any quotes: only those
        // semicolons may be stripped.
        let mut unquoted_tail = 0usize;
        while let Some(&(_, c)) = chars.peek() {
            if c.is_ascii_whitespace() || c == '\\' {
                break;
            }
            chars.next();
            match c {
                '\'' => {
                    quoted = true;
                    unquoted_tail = 0;
                    read_single_quoted(&mut chars, &mut arg);
                }
                '"' if identifiers => {
                    quoted = true;
                    unquoted_tail = 0;
                    while let Some((_, q)) = chars.next() {
                        // `""` inside the quotes is one quote; a lone `"` closes them.
                        if q == '"' && chars.next_if(|(_, c)| *c == '"').is_none() {
                            break;
                        }
                        arg.push(q);
                    }
                }
                '"' | '`' => {
                    quoted = true;
                    unquoted_tail = 0;
                    arg.push(c);
                    for (_, q) in chars.by_ref() {
                        arg.push(q);
                        if q == c {
                            break;
                        }
                    }
                }
                _ => {
                    arg.push(c);
                    unquoted_tail += 1;
                }
            }
        }
        if strip {
            while unquoted_tail > 0 && arg.ends_with(';') {
                arg.pop();
                unquoted_tail -= 1;
            }
        }
        if quoted || !arg.is_empty() {
            args.push(arg);
            quotes.push(quoted);
        }
    }
    (name, args, quotes, used)
}

/// The body of a single-quoted meta-command argument, after its opening quote.
fn read_single_quoted(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    out: &mut String,
) {
    while let Some((_, c)) = chars.next() {
        match c {
            '\'' => {
                if chars.next_if(|(_, c)| *c == '\'').is_some() {
                    out.push('\'');
                } else {
                    return;
                }
            }
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return;
                };
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'b' => out.push('\u{8}'),
                    'r' => out.push('\r'),
                    'f' => out.push('\u{c}'),
                    '0'..='7' => {
                        let mut value = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.next_if(|(_, d)| d.is_digit(8)) {
                                Some((_, d)) => value = value * 8 + d.to_digit(8).unwrap_or(0),
                                None => break,
                            }
                        }
                        out.extend(char::from_u32(value & 0xff));
                    }
                    'x' if chars.peek().is_some_and(|(_, d)| d.is_ascii_hexdigit()) => {
                        let mut value = 0;
                        for _ in 0..2 {
                            match chars.next_if(|(_, d)| d.is_ascii_hexdigit()) {
                                Some((_, d)) => value = value * 16 + d.to_digit(16).unwrap_or(0),
                                None => break,
                            }
                        }
                        out.extend(char::from_u32(value));
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn items(text: &str) -> Vec<Item> {
        let mut reader = SqlFileReader::new(Cursor::new(text.as_bytes().to_vec()));
        let mut out = Vec::new();
        while let Some(item) = reader.next_item().expect("read") {
            out.push(item);
        }
        out
    }

    fn stmt(sql: &str, line: usize) -> Item {
        Item::Statement {
            sql: sql.to_string(),
            line,
        }
    }

    /// A command whose arguments were all unquoted.
    fn meta(name: &str, args: &[&str], line: usize) -> Item {
        Item::Meta {
            name: name.to_string(),
            args: args.iter().map(|s| s.to_string()).collect(),
            quoted: vec![false; args.len()],
            line,
        }
    }

    fn meta_quoted(name: &str, args: &[(&str, bool)], line: usize) -> Item {
        Item::Meta {
            name: name.to_string(),
            args: args.iter().map(|(s, _)| s.to_string()).collect(),
            quoted: args.iter().map(|(_, q)| *q).collect(),
            line,
        }
    }

    const DUMP: &str = "--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

CREATE FUNCTION public.f(a integer) RETURNS integer
    LANGUAGE plpgsql
    AS $_$
BEGIN
  RAISE NOTICE 'x;y';
  RETURN $1 + 1;
END;
$_$;

CREATE TABLE public.t (
    id integer NOT NULL,
    note text
);

COPY public.t (id, note) FROM stdin;
1\tsemi;colon
2\t\\N
3\tit's
4\t-- not a comment
\\.

SELECT pg_catalog.setval('public.t_id_seq', 4, true);
";

    #[test]
    fn pg_dump_like_text_with_copy() {
        let mut reader = SqlFileReader::new(Cursor::new(DUMP.as_bytes()));
        let mut seen = Vec::new();
        let mut copied = Vec::new();
        while let Some(item) = reader.next_item().expect("read") {
            if let Item::Statement { sql, .. } = &item {
                if is_copy_from_stdin(sql) {
                    let n = reader.copy_data_into(&mut copied).expect("copy");
                    assert_eq!(n, u64::try_from(copied.len()).expect("len"));
                }
            }
            seen.push(item);
        }
        assert_eq!(
            seen,
            vec![
                stmt("SET statement_timeout = 0", 5),
                stmt("SET client_encoding = 'UTF8'", 6),
                stmt("SELECT pg_catalog.set_config('search_path', '', false)", 7),
                stmt(
                    "CREATE FUNCTION public.f(a integer) RETURNS integer\n    LANGUAGE plpgsql\n    AS $_$\nBEGIN\n  RAISE NOTICE 'x;y';\n  RETURN $1 + 1;\nEND;\n$_$",
                    9
                ),
                stmt("CREATE TABLE public.t (\n    id integer NOT NULL,\n    note text\n)", 18),
                stmt("COPY public.t (id, note) FROM stdin", 23),
                stmt("SELECT pg_catalog.setval('public.t_id_seq', 4, true)", 30),
            ]
        );
        assert_eq!(
            String::from_utf8(copied).expect("utf8"),
            "1\tsemi;colon\n2\t\\N\n3\tit's\n4\t-- not a comment\n"
        );
        assert_eq!(reader.line(), 30);
    }

    #[test]
    fn copy_data_errors_at_eof_without_terminator() {
        let text = "COPY t FROM stdin;\n1\n2\n";
        let mut reader = SqlFileReader::new(Cursor::new(text.as_bytes()));
        assert_eq!(
            reader.next_item().expect("read"),
            Some(stmt("COPY t FROM stdin", 1))
        );
        let mut sink = Vec::new();
        let err = reader.copy_data_into(&mut sink).expect_err("must fail");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(sink, b"1\n2\n");
    }

    #[test]
    fn copy_data_crlf_and_skip() {
        let text = "copy t from stdin;\r\na\tb\r\n\\.\r\nselect 1;\r\n";
        let mut reader = SqlFileReader::new(Cursor::new(text.as_bytes()));
        assert_eq!(
            reader.next_item().expect("read"),
            Some(stmt("copy t from stdin", 1))
        );
        let mut sink = Vec::new();
        assert_eq!(reader.copy_data_into(&mut sink).expect("copy"), 5);
        assert_eq!(sink, b"a\tb\r\n");
        assert_eq!(reader.next_item().expect("read"), Some(stmt("select 1", 4)));
        assert_eq!(reader.next_item().expect("read"), None);

        let mut reader = SqlFileReader::new(Cursor::new("copy t from stdin;\nx\n\\.".as_bytes()));
        reader.next_item().expect("read");
        assert_eq!(reader.copy_data_into(&mut io::sink()).expect("copy"), 2);
        assert_eq!(reader.next_item().expect("read"), None);
    }

    #[test]
    fn meta_commands() {
        let text = "\\c chinook\n\\connect db user\n  \\i 'file.sql'\n\\set ON_ERROR_STOP on\n\\echo hello world\n\\c chinook;\n\\echo a; b;\n";
        assert_eq!(
            items(text),
            vec![
                meta("c", &["chinook"], 1),
                meta("connect", &["db", "user"], 2),
                meta_quoted("i", &[("file.sql", true)], 3),
                meta("set", &["ON_ERROR_STOP", "on"], 4),
                meta("echo", &["hello", "world"], 5),
                meta("c", &["chinook"], 6),
                meta("echo", &["a;", "b;"], 7),
            ]
        );
    }

    #[test]
    fn meta_argument_quoting() {
        let text = "\\echo 'it''s' 'a b' x'y'z '' \"Q d\" `date` :var ';'\n";
        assert_eq!(
            items(text),
            vec![meta_quoted(
                "echo",
                &[
                    ("it's", true),
                    ("a b", true),
                    ("xyz", true),
                    ("", true),
                    ("\"Q d\"", true),
                    ("`date`", true),
                    (":var", false),
                    (";", true)
                ],
                1
            )]
        );
        assert_eq!(
            items("\\echo '\\n\\t\\101\\x41\\q'\n"),
            vec![meta_quoted("echo", &[("\n\tAAq", true)], 1)]
        );
        assert_eq!(
            items("\\i 'a;';\n"),
            vec![meta_quoted("i", &[("a;", true)], 1)]
        );
        assert_eq!(items("\\q\n"), vec![meta("q", &[], 1)]);
        assert_eq!(
            items("\\echo unterminated 'quote\n"),
            vec![meta_quoted(
                "echo",
                &[("unterminated", false), ("quote", true)],
                1
            )]
        );
    }

    #[test]
    fn connect_arguments_are_identifiers() {
        // As pg_dump -C writes them: double quotes go, `""` is a quote, unquoted case stays.
        assert_eq!(
            items("\\connect \"Shop\"\n\\connect -reuse-previous=on \"dbname='my-app'\"\n\\c \"a\"\"b\" MixedUser\n\\c - \"-\"\n"),
            vec![
                meta_quoted("connect", &[("Shop", true)], 1),
                meta_quoted(
                    "connect",
                    &[("-reuse-previous=on", false), ("dbname='my-app'", true)],
                    2
                ),
                meta_quoted("c", &[("a\"b", true), ("MixedUser", false)], 3),
                meta_quoted("c", &[("-", false), ("-", true)], 4),
            ]
        );
    }

    #[test]
    fn whole_line_meta_commands() {
        assert_eq!(
            items("\\copy t (a, b) from 'x.csv' with csv\n\\! ls -l\n\\h\n"),
            vec![
                meta("copy", &["t (a, b) from 'x.csv' with csv"], 1),
                meta("!", &["ls -l"], 2),
                meta("h", &[], 3),
            ]
        );
    }

    #[test]
    fn several_commands_and_sql_on_one_line() {
        assert_eq!(
            items("\\set a 1 \\echo :a\n\\echo x \\\\ select 1;\nselect 2; \\echo after\n"),
            vec![
                meta("set", &["a", "1"], 1),
                meta("echo", &[":a"], 1),
                meta("echo", &["x"], 2),
                stmt("select 1", 2),
                stmt("select 2", 3),
                meta("echo", &["after"], 3),
            ]
        );
    }

    #[test]
    fn backslash_inside_text_is_sql() {
        let text = "select 'a\n\\echo no';\n/*\n\\echo no\n*/ select\n\\echo also text\n;\n-- \\echo no\nselect $$\n\\q\n$$;\n";
        assert_eq!(
            items(text),
            vec![
                stmt("select 'a\n\\echo no'", 1),
                stmt("select\n\\echo also text\n", 5),
                stmt("select $$\n\\q\n$$", 9),
            ]
        );
    }

    #[test]
    fn comments_between_statements_and_line_numbers() {
        let text = "\n\n-- one\n/* two\n   lines */\n\nselect 1; select\n2;\n\n   ;  \n/* c */ select 3 -- tail\n;\n";
        assert_eq!(
            items(text),
            vec![
                stmt("select 1", 7),
                stmt("select\n2", 7),
                stmt("select 3 -- tail\n", 11),
            ]
        );
    }

    #[test]
    fn trailing_statement_without_semicolon() {
        assert_eq!(
            items("select 1;\nselect 2\n"),
            vec![stmt("select 1", 1), stmt("select 2\n", 2)]
        );
        assert_eq!(items("select 1;\n-- done\n"), vec![stmt("select 1", 1)]);
        assert_eq!(items("select 'open"), vec![stmt("select 'open", 1)]);
        assert_eq!(items(""), vec![]);
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{FEFF}select 1;\r\nselect\r\n 'a\r\nb';\r\n\\c db\r\n";
        assert_eq!(
            items(text),
            vec![
                stmt("select 1", 1),
                stmt("select\n 'a\nb'", 2),
                meta("c", &["db"], 5)
            ]
        );
    }

    #[test]
    fn psql_escaped_semicolon() {
        assert_eq!(
            items("select 1 \\; select 2;\n"),
            vec![stmt("select 1 ; select 2", 1)]
        );
    }

    #[test]
    fn begin_atomic_body_is_one_statement() {
        let text =
            "CREATE PROCEDURE p()\nBEGIN ATOMIC\n  INSERT INTO t VALUES (1);\nEND;\nCALL p();\n";
        assert_eq!(
            items(text),
            vec![
                stmt(
                    "CREATE PROCEDURE p()\nBEGIN ATOMIC\n  INSERT INTO t VALUES (1);\nEND",
                    1
                ),
                stmt("CALL p()", 5),
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut reader = SqlFileReader::new(Cursor::new(b"select 1;\nselect '\xff';\n".to_vec()));
        assert_eq!(reader.next_item().expect("read"), Some(stmt("select 1", 1)));
        let err = reader.next_item().expect_err("bad utf8");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("line 2"));
    }

    #[test]
    fn long_file_keeps_little_pending_text() {
        // Many blank/comment lines between statements must not accumulate.
        let mut text = String::new();
        for i in 0..2000 {
            text.push_str(&format!("-- comment {i}\n\ninsert into t values ({i});\n"));
        }
        let mut reader = SqlFileReader::new(Cursor::new(text.into_bytes()));
        let mut n = 0;
        while let Some(item) = reader.next_item().expect("read") {
            assert!(matches!(item, Item::Statement { .. }));
            assert!(reader.pending.capacity() < 4096);
            n += 1;
        }
        assert_eq!(n, 2000);
    }

    #[test]
    fn chinook_dataset() {
        let path = "/work/shared/datasets/chinook/Chinook_PostgreSql.sql";
        let Ok(file) = std::fs::File::open(path) else {
            println!("note: {path} not found, skipping");
            return;
        };
        let mut reader = SqlFileReader::new(io::BufReader::new(file));
        let mut connects = 0;
        let mut create_tables = 0;
        let mut statements = 0;
        while let Some(item) = reader.next_item().expect("read chinook") {
            match item {
                Item::Meta { name, args, .. } => {
                    if name == "c" {
                        assert_eq!(args, vec!["chinook".to_string()]);
                        connects += 1;
                    }
                }
                Item::Statement { sql, .. } => {
                    statements += 1;
                    if scan::leading_keywords(&sql, 2) == ["CREATE", "TABLE"] {
                        create_tables += 1;
                    }
                }
            }
        }
        assert_eq!(connects, 1);
        assert!(create_tables >= 10, "{create_tables}");
        assert!(statements > create_tables, "{statements}");
    }
}
