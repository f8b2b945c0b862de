//! The CSV format (print.c's `csv_print_field`, `print_csv_text`, `print_csv_vertical`): no title or
//! footers, fields quoted only when they must be, lines ended by `\n`.

use super::cells::{cell, cell_rows, header, PrintTarget};
use super::content::Table;
use super::opts::PrintTableOpt;
use std::io::{self, Write};

/// `csv_print_field`: quote a field that holds the separator, a CR, LF or double quote, or is exactly
/// `\.`; and every field when the separator is `\` or `.`, so no line can read as COPY's end-of-data.
pub fn csv_print_field(out: &mut dyn Write, s: &str, sep: char) -> io::Result<()> {
    if s.contains(sep) || s.contains(['\r', '\n', '"']) || s == "\\." || sep == '\\' || sep == '.' {
        out.write_all(b"\"")?;
        let mut rest = s;
        while let Some(i) = rest.find('"') {
            out.write_all(&rest.as_bytes()[..=i])?;
            out.write_all(b"\"")?;
            rest = &rest[i + 1..];
        }
        out.write_all(rest.as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(s.as_bytes())
    }
}

fn write_sep(out: &mut dyn Write, sep: char) -> io::Result<()> {
    let mut buf = [0; 4];
    out.write_all(sep.encode_utf8(&mut buf).as_bytes())
}

/// `print_csv_text`.
pub(crate) fn print_csv_text(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let sep = opt.csv_field_sep;
    let ncols = t.ncolumns();
    if opt.start_table && !opt.tuples_only {
        for i in 0..ncols {
            if i > 0 {
                write_sep(out, sep)?;
            }
            csv_print_field(out, &header(t, i), sep)?;
        }
        out.write_all(b"\n")?;
    }
    for r in 0..cell_rows(t) {
        for c in 0..ncols {
            csv_print_field(out, &cell(t, r, c), sep)?;
            if c + 1 < ncols {
                write_sep(out, sep)?;
            } else {
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

/// `print_csv_vertical`: one `header,value` line per field.
pub(crate) fn print_csv_vertical(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    let sep = opt.csv_field_sep;
    for r in 0..cell_rows(t) {
        for c in 0..t.ncolumns() {
            if target.cancelled() {
                return Ok(());
            }
            csv_print_field(out, &header(t, c), sep)?;
            write_sep(out, sep)?;
            csv_print_field(out, &cell(t, r, c), sep)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures;

    /// psql 15's CSV output, normal and expanded, with the separators `, ; | . \ tab a`
    /// (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn csv_matches_psql() {
        fixtures::check(include_str!("testdata/csv.jsonl"));
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let field = |s: &str, sep: char| {
            let mut out = Vec::new();
            csv_print_field(&mut out, s, sep).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(field("plain", ','), "plain");
        assert_eq!(field("a,b", ','), "\"a,b\"");
        assert_eq!(field("say \"hi\"", ','), "\"say \"\"hi\"\"\"");
        assert_eq!(field("\\.", ','), "\"\\.\"");
        assert_eq!(field("x", '.'), "\"x\"");
        assert_eq!(field("a;b", ','), "a;b");
    }
}
