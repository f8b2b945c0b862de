//! COPY: building `COPY … FROM STDIN` / `TO STDOUT` statements from friendly options, writing CSV for it
//! (NULL and the empty string kept apart), counting CSV records as they stream by.

use std::io::{self, Write};

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

/// A writer that counts the records of CSV data passing through (quoted newlines do not count).
pub struct RecordCounter<W: Write> {
    inner: W,
    in_quotes: bool,
    pub records: u64,
    pub bytes: u64,
}

impl<W: Write> RecordCounter<W> {
    /// A counter for CSV data.
    pub fn new(inner: W) -> Self {
        RecordCounter {
            inner,
            in_quotes: false,
            records: 0,
            bytes: 0,
        }
    }
}

impl<W: Write> Write for RecordCounter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let written = &buf[..n];
        if self.in_quotes || written.contains(&b'"') {
            for &b in written {
                match b {
                    b'"' => self.in_quotes = !self.in_quotes,
                    b'\n' if !self.in_quotes => self.records += 1,
                    _ => {}
                }
            }
        } else {
            // No quoted fields, so every newline ends a record (counted with a loop the compiler
            // vectorises).
            self.records += written.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
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
