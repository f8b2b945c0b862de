//! pgsh's JSON formats (not psql's): `json`, an array of objects, and `jsonl`, one object per line. Keys are
//! the column names in column order (duplicates kept, as a result has them); values are strings, `null` for
//! SQL NULL, and bare numbers for right-aligned (numeric) columns whose text is a JSON number (`NaN`,
//! `Infinity` and money stay strings). No title, footer or expanded layout: this is data, not a report.

use super::cells::{cell, header, PrintTarget};
use super::content::{Align, Table};
use super::opts::PrintTableOpt;
use std::io::{self, Write};

/// A JSON string literal.
pub fn write_json_string(out: &mut dyn Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.write_all(&s.as_bytes()[start..i])?;
                write!(out, "\\u{b:04x}")?;
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.write_all(&s.as_bytes()[start..i])?;
        out.write_all(esc)?;
        start = i + 1;
    }
    out.write_all(&s.as_bytes()[start..])?;
    out.write_all(b"\"")
}

/// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
pub fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn write_object(t: &dyn Table, row: usize, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"{")?;
    for c in 0..t.ncolumns() {
        if c > 0 {
            out.write_all(b",")?;
        }
        write_json_string(out, &header(t, c))?;
        out.write_all(b":")?;
        if t.is_null(row, c) {
            out.write_all(b"null")?;
        } else {
            let value = cell(t, row, c);
            if t.align(c) == Align::Right && is_json_number(&value) {
                out.write_all(value.as_bytes())?;
            } else {
                write_json_string(out, &value)?;
            }
        }
    }
    out.write_all(b"}")
}

/// `json`: `[`, one object per line after it (separated by commas), `]`. The parts of a FETCH_COUNT result
/// continue one array.
pub(crate) fn print_json(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if opt.start_table {
        out.write_all(b"[")?;
    }
    let mut count = opt.prior_records;
    for r in 0..t.nrows() {
        if target.cancelled() {
            break;
        }
        out.write_all(if count > 0 { b",\n" } else { b"\n" })?;
        write_object(t, r, out)?;
        count += 1;
    }
    if opt.stop_table {
        out.write_all(if count > 0 { b"\n]\n" } else { b"]\n" })?;
    }
    Ok(())
}

/// `jsonl`: one object per line.
pub(crate) fn print_jsonl(
    t: &dyn Table,
    _opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    for r in 0..t.nrows() {
        if target.cancelled() {
            break;
        }
        write_object(t, r, out)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::content::TableContent;
    use crate::output::opts::PrintFormat;
    use crate::output::print::print_table;

    fn sample() -> TableContent {
        let mut t = TableContent::new(None, 2);
        t.add_header("id", Align::Right);
        t.add_header("name \"q\"", Align::Left);
        t.add_header("n", Align::Right);
        for c in ["1", "a\tb\u{1}", "NaN", "-20", "", "1.5e3"] {
            t.add_cell(c);
        }
        t
    }

    fn render(t: &TableContent, opt: &PrintTableOpt) -> String {
        let mut out = Vec::new();
        print_table(t, opt, &mut out, &PrintTarget::default(), None).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_is_an_array_of_objects_with_numbers_bare() {
        let opt = PrintTableOpt {
            format: PrintFormat::Json,
            ..PrintTableOpt::default()
        };
        assert_eq!(
            render(&sample(), &opt),
            "[\n{\"id\":1,\"name \\\"q\\\"\":\"a\\tb\\u0001\",\"n\":\"NaN\"},\n\
             {\"id\":-20,\"name \\\"q\\\"\":\"\",\"n\":1.5e3}\n]\n"
        );
        assert_eq!(render(&TableContent::new(None, 0), &opt), "[]\n");
    }

    #[test]
    fn json_parts_continue_one_array() {
        let mut opt = PrintTableOpt {
            format: PrintFormat::Json,
            stop_table: false,
            ..PrintTableOpt::default()
        };
        let mut all = render(&sample(), &opt);
        opt.start_table = false;
        opt.stop_table = true;
        opt.prior_records = 2;
        all += &render(&sample(), &opt);
        let v: serde_json::Value = serde_json::from_str(&all).unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let opt = PrintTableOpt {
            format: PrintFormat::Jsonl,
            ..PrintTableOpt::default()
        };
        let out = render(&sample(), &opt);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(v["id"], serde_json::json!(-20));
        assert_eq!(v["n"], serde_json::json!(1500.0));
    }

    #[test]
    fn json_numbers_follow_the_grammar() {
        for ok in ["0", "-1", "12.5", "1e10", "1.5E-3", "-0.0"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "+1", "NaN", "Infinity", "$1.00", "1,000",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
