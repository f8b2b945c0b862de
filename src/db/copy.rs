//! COPY: building `COPY … FROM STDIN` / `TO STDOUT` statements from friendly options, writing CSV for it
//! (NULL and the empty string kept apart), counting CSV records as they stream by, and psql's `\copy`.

pub use crate::sql::scan::CopyFormat;
use std::io::{self, Write};

use crate::error::{Error, Result};

/// CSV options shared by `copy_in`, `copy_out` and `\copy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    pub header: bool,
    pub delimiter: char,
    /// How NULL is written (unquoted); PostgreSQL's CSV default is the empty string.
    pub null: String,
    pub columns: Option<Vec<String>>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            header: true,
            delimiter: ',',
            null: String::new(),
            columns: None,
        }
    }
}

/// `name` or `schema.name` as SQL, quoting parts that need it.
pub fn quote_path(name: &str) -> String {
    name.split('.')
        .map(quote_ident)
        .collect::<Vec<_>>()
        .join(".")
}

/// An identifier as SQL: left alone when it is a plain lower-case name, double-quoted otherwise.
pub fn quote_ident(part: &str) -> String {
    let plain = part.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && part
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain || (part.starts_with('"') && part.ends_with('"') && part.len() > 1) {
        part.to_string()
    } else {
        format!("\"{}\"", part.replace('"', "\"\""))
    }
}

/// A SQL string literal.
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn with_clause(o: &CsvOptions) -> String {
    format!(
        "(FORMAT csv, HEADER {}, DELIMITER {}, NULL {})",
        o.header,
        quote_literal(&o.delimiter.to_string()),
        quote_literal(&o.null)
    )
}

fn column_list(o: &CsvOptions) -> String {
    match &o.columns {
        Some(cols) if !cols.is_empty() => format!(
            " ({})",
            cols.iter()
                .map(|c| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => String::new(),
    }
}

/// `COPY table (cols) FROM STDIN WITH (FORMAT csv, …)`.
pub fn copy_in_sql(table: &str, o: &CsvOptions) -> String {
    format!(
        "COPY {}{} FROM STDIN WITH {}",
        quote_path(table),
        column_list(o),
        with_clause(o)
    )
}

/// Is this a query (rather than a table name)?
pub fn is_query(s: &str) -> bool {
    let t = s.trim_start();
    t.contains(char::is_whitespace) || t.starts_with('(')
}

/// `COPY (query) TO STDOUT …` or `COPY table (cols) TO STDOUT …`.
pub fn copy_out_sql(source: &str, o: &CsvOptions) -> String {
    let what = if is_query(source) {
        let q = source.trim().trim_end_matches(';');
        if q.starts_with('(') {
            q.to_string()
        } else {
            format!("({q})")
        }
    } else {
        format!("{}{}", quote_path(source), column_list(o))
    };
    format!("COPY {what} TO STDOUT WITH {}", with_clause(o))
}

/// Write one CSV field as COPY's CSV format reads it: NULL unquoted as `null`, other values quoted when
/// they contain the delimiter, a quote, CR or LF, equal the NULL string (so "" stays an empty string), or
/// are `\.` (which would end the data).
pub fn write_field(out: &mut String, value: Option<&str>, o: &CsvOptions) {
    match value {
        None => out.push_str(&o.null),
        Some(v) => {
            let needs = v == o.null
                || v == "\\."
                || v.contains(o.delimiter)
                || v.contains(['"', '\n', '\r']);
            if needs {
                out.push('"');
                out.push_str(&v.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(v);
            }
        }
    }
}

/// A writer that counts the records of COPY data passing through: CSV (quoted newlines do not count), text
/// (every newline ends a record: text format escapes the ones inside values) or binary (tuples parsed).
pub struct RecordCounter<W: Write> {
    inner: W,
    format: CopyFormat,
    in_quotes: bool,
    binary: BinaryTuples,
    pub records: u64,
    pub bytes: u64,
}

impl<W: Write> RecordCounter<W> {
    /// A counter for CSV data.
    pub fn new(inner: W) -> Self {
        Self::with_format(inner, CopyFormat::Csv)
    }

    pub fn with_format(inner: W, format: CopyFormat) -> Self {
        RecordCounter {
            inner,
            format,
            in_quotes: false,
            binary: BinaryTuples::default(),
            records: 0,
            bytes: 0,
        }
    }
}

impl<W: Write> Write for RecordCounter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let written = &buf[..n];
        match self.format {
            CopyFormat::Binary => self.records += self.binary.feed(written),
            CopyFormat::Csv if self.in_quotes || written.contains(&b'"') => {
                for &b in written {
                    match b {
                        b'"' => self.in_quotes = !self.in_quotes,
                        b'\n' if !self.in_quotes => self.records += 1,
                        _ => {}
                    }
                }
            }
            // No quoted fields (or text format), so every newline ends a record (counted with a loop the
            // compiler vectorises).
            _ => self.records += written.iter().filter(|&&b| b == b'\n').count() as u64,
        }
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Counts the tuples of binary COPY data as it streams past: a 19-byte header and its extension area,
/// then per tuple an int16 field count (-1 ends the data) and per field an int32 length and the bytes.
#[derive(Default)]
struct BinaryTuples {
    /// Bytes still to skip (header, extension area, field data).
    skip: u64,
    /// The bytes of the integer being read.
    int: Vec<u8>,
    state: BinaryState,
    fields_left: u16,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum BinaryState {
    #[default]
    Start,
    HeaderExtLen,
    FieldCount,
    FieldLen,
    Done,
}

impl BinaryTuples {
    fn feed(&mut self, mut buf: &[u8]) -> u64 {
        let mut tuples = 0;
        loop {
            if self.skip > 0 {
                let n = (self.skip.min(buf.len() as u64)) as usize;
                self.skip -= n as u64;
                buf = &buf[n..];
                if self.skip > 0 {
                    return tuples;
                }
            }
            let want = match self.state {
                BinaryState::Start => {
                    // Signature (11) and flags (4).
                    self.skip = 15;
                    self.state = BinaryState::HeaderExtLen;
                    continue;
                }
                BinaryState::HeaderExtLen | BinaryState::FieldLen => 4,
                BinaryState::FieldCount => 2,
                BinaryState::Done => return tuples,
            };
            while self.int.len() < want {
                let Some((&b, rest)) = buf.split_first() else {
                    return tuples;
                };
                self.int.push(b);
                buf = rest;
            }
            let value = if want == 2 {
                i64::from(i16::from_be_bytes([self.int[0], self.int[1]]))
            } else {
                i64::from(i32::from_be_bytes([
                    self.int[0],
                    self.int[1],
                    self.int[2],
                    self.int[3],
                ]))
            };
            self.int.clear();
            match self.state {
                BinaryState::HeaderExtLen => {
                    self.skip = value.max(0) as u64;
                    self.state = BinaryState::FieldCount;
                }
                BinaryState::FieldCount if value < 0 => self.state = BinaryState::Done,
                BinaryState::FieldCount => {
                    tuples += 1;
                    self.fields_left = value as u16;
                    if self.fields_left > 0 {
                        self.state = BinaryState::FieldLen;
                    }
                }
                BinaryState::FieldLen => {
                    self.skip = value.max(0) as u64;
                    self.fields_left -= 1;
                    if self.fields_left == 0 {
                        self.state = BinaryState::FieldCount;
                    }
                }
                BinaryState::Start | BinaryState::Done => {}
            }
        }
    }
}

/// psql's `\copy`: the statement to run and the client-side file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaCopy {
    /// `COPY … FROM STDIN …` or `COPY … TO STDOUT …`.
    pub sql: String,
    pub from: bool,
    /// None for stdin/stdout.
    pub file: Option<String>,
    /// `pstdin`/`pstdout`: pgsh's own stdin/stdout, where `stdin` means the input the command came from.
    pub process_io: bool,
}

/// Parse `\copy table [(cols)] from|to 'file'|stdin|stdout [with] [(options)| csv header …]`.
pub fn parse_meta_copy(args: &str) -> Result<MetaCopy> {
    let text = args.trim();
    // Find " from " / " to " outside parentheses and quotes.
    let lower = text.to_ascii_lowercase();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut split: Option<(usize, bool)> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (idx, &(i, c)) in chars.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, c) if c.is_whitespace() && depth == 0 => {
                let rest = &lower[i..];
                let next = chars.get(idx + 1).map(|(j, _)| *j).unwrap_or(i);
                if rest.trim_start().starts_with("from ") || rest.trim_start().starts_with("from\t")
                {
                    split = Some((next, true));
                    break;
                }
                if rest.trim_start().starts_with("to ") || rest.trim_start().starts_with("to\t") {
                    split = Some((next, false));
                    break;
                }
            }
            _ => {}
        }
    }
    let Some((at, from)) = split else {
        return Err(Error::api(
            "\\copy: expected \\copy table FROM 'file' … or \\copy (query) TO 'file' …",
        ));
    };
    let target = text[..at].trim();
    let after = text[at..].trim_start();
    let after = after[if from { 4 } else { 2 }..].trim_start();
    let (file_token, options) = match after.strip_prefix('\'') {
        Some(q) => {
            let end = q
                .find('\'')
                .ok_or_else(|| Error::api("\\copy: unterminated file name"))?;
            (q[..end].to_string(), q[end + 1..].trim())
        }
        None => {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..end].to_string(), after[end..].trim())
        }
    };
    let lower_token = file_token.to_ascii_lowercase();
    let process_io = matches!(lower_token.as_str(), "pstdin" | "pstdout");
    let file = match lower_token.as_str() {
        "stdin" | "stdout" | "pstdin" | "pstdout" => None,
        _ => Some(file_token),
    };
    let options = options.trim_end_matches(';').trim();
    let sql = format!(
        "COPY {target} {} {options}",
        if from { "FROM STDIN" } else { "TO STDOUT" }
    );
    Ok(MetaCopy {
        sql: sql.trim_end().to_string(),
        from,
        file,
        process_io,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements() {
        let o = CsvOptions {
            columns: Some(vec!["id".into(), "Name".into()]),
            ..CsvOptions::default()
        };
        assert_eq!(
            copy_in_sql("public.t", &o),
            "COPY public.t (id, \"Name\") FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',', NULL '')"
        );
        assert_eq!(
            copy_out_sql("SELECT 1;", &CsvOptions::default()),
            "COPY (SELECT 1) TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER ',', NULL '')"
        );
        assert_eq!(quote_path("My Table"), "\"My Table\"");
    }

    #[test]
    fn fields_keep_null_and_empty_apart() {
        let o = CsvOptions::default();
        let mut s = String::new();
        for v in [
            None,
            Some(""),
            Some("a,b"),
            Some("say \"hi\""),
            Some("x\ny"),
            Some("\\."),
            Some("plain"),
        ] {
            write_field(&mut s, v, &o);
            s.push('|');
        }
        assert_eq!(
            s,
            "|\"\"|\"a,b\"|\"say \"\"hi\"\"\"|\"x\ny\"|\"\\.\"|plain|"
        );
    }

    #[test]
    fn counts_records_not_quoted_newlines() {
        let mut c = RecordCounter::new(Vec::new());
        c.write_all(b"a,b\n1,\"x\ny\"\n2,z\n").unwrap();
        assert_eq!(c.records, 3);
        // Text format: quotes are data, newlines inside values are escaped.
        let mut c = RecordCounter::with_format(Vec::new(), CopyFormat::Text);
        c.write_all(b"a\"b\t1\nx\\ny\t2\nc\"\t3\n").unwrap();
        assert_eq!(c.records, 3);
    }

    #[test]
    fn counts_binary_tuples_across_writes() {
        let mut data = b"PGCOPY\n\xff\r\n\0".to_vec();
        data.extend(0i32.to_be_bytes()); // flags
        data.extend(4i32.to_be_bytes()); // extension area
        data.extend(b"\n\n\n\n");
        for (a, b) in [
            (Some(b"xyz".as_slice()), None),
            (None, Some(b"\n".as_slice())),
        ] {
            data.extend(2i16.to_be_bytes());
            for f in [a, b] {
                match f {
                    Some(v) => {
                        data.extend((v.len() as i32).to_be_bytes());
                        data.extend(v);
                    }
                    None => data.extend((-1i32).to_be_bytes()),
                }
            }
        }
        data.extend((-1i16).to_be_bytes());
        for chunk in [1, 3, 7, 64] {
            let mut c = RecordCounter::with_format(Vec::new(), CopyFormat::Binary);
            for piece in data.chunks(chunk) {
                c.write_all(piece).unwrap();
            }
            assert_eq!(c.records, 2, "chunks of {chunk}");
        }
    }

    #[test]
    fn parses_psql_copy() {
        let m = parse_meta_copy("t (a, b) from '/tmp/x y.csv' with (format csv, header)").unwrap();
        assert_eq!(m.sql, "COPY t (a, b) FROM STDIN with (format csv, header)");
        assert_eq!(m.file.as_deref(), Some("/tmp/x y.csv"));
        assert!(m.from);
        let m = parse_meta_copy("(select 1 from t) to out.csv csv header").unwrap();
        assert_eq!(m.sql, "COPY (select 1 from t) TO STDOUT csv header");
        assert_eq!(m.file.as_deref(), Some("out.csv"));
        assert!(!m.from);
        let m = parse_meta_copy("t to stdout").unwrap();
        assert_eq!(m.file, None);
        assert!(parse_meta_copy("nonsense").is_err());
    }
}

/// Reads CSV records as COPY writes them, keeping whether each field was quoted: in PostgreSQL's CSV an
/// unquoted field equal to the NULL string is NULL, while a quoted one is always a string (so `""` and
/// NULL stay apart, which general CSV readers cannot tell).
pub struct CsvRecords<R: io::BufRead> {
    input: R,
    delimiter: char,
    line: String,
}

/// One field: its text and whether it was quoted.
pub type Field = (String, bool);

impl<R: io::BufRead> CsvRecords<R> {
    pub fn new(input: R, delimiter: char) -> Self {
        CsvRecords {
            input,
            delimiter,
            line: String::new(),
        }
    }

    /// The next record, or None at the end.
    pub fn next_record(&mut self) -> io::Result<Option<Vec<Field>>> {
        self.line.clear();
        if self.input.read_line(&mut self.line)? == 0 {
            return Ok(None);
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut in_quotes = false;
        loop {
            let mut chars = self.line.chars().peekable();
            while let Some(c) = chars.next() {
                if in_quotes {
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            cur.push('"');
                        } else {
                            in_quotes = false;
                        }
                    } else {
                        cur.push(c);
                    }
                } else if c == '"' {
                    in_quotes = true;
                    quoted = true;
                } else if c == self.delimiter {
                    fields.push((std::mem::take(&mut cur), quoted));
                    quoted = false;
                } else if c == '\n' || (c == '\r' && chars.peek() == Some(&'\n')) {
                    // End of record (the \n of \r\n is next and ends the loop).
                } else {
                    cur.push(c);
                }
            }
            if !in_quotes {
                break;
            }
            // A quoted field runs on to the next line.
            self.line.clear();
            if self.input.read_line(&mut self.line)? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "unterminated quoted field at the end of the file",
                ));
            }
        }
        fields.push((cur, quoted));
        Ok(Some(fields))
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn quoted_and_unquoted_fields_are_told_apart() {
        let text = "a,b,c\n1,,\"\"\n\"x,\"\"y\"\"\nz\",2,\r\n";
        let mut r = CsvRecords::new(text.as_bytes(), ',');
        let h = r.next_record().unwrap().unwrap();
        assert_eq!(
            h.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        let r1 = r.next_record().unwrap().unwrap();
        assert_eq!(
            r1,
            vec![("1".into(), false), ("".into(), false), ("".into(), true)]
        );
        let r2 = r.next_record().unwrap().unwrap();
        assert_eq!(r2[0], ("x,\"y\"\nz".to_string(), true));
        assert_eq!(r2[2], ("".to_string(), false));
        assert!(r.next_record().unwrap().is_none());
    }
}
