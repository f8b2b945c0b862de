//! The troff-ms format (print.c's `troff_ms_escaped_print`, `print_troff_ms_text`,
//! `print_troff_ms_vertical`): a `tbl` table inside `.TS`/`.TE`, footers in a display after it.

use super::cells::{cell, cell_rows, footers, footers_with_default, header, PrintTarget};
use super::content::Table;
use super::opts::PrintTableOpt;
use std::io::{self, Write};

/// `troff_ms_escaped_print`: a backslash is `\(rs`.
fn escaped(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.write_all(&rest.as_bytes()[..i])?;
        out.write_all(b"\\(rs")?;
        rest = &rest[i + 1..];
    }
    out.write_all(rest.as_bytes())
}

/// The title display and the table's start.
fn start(t: &dyn Table, opt: &PrintTableOpt, border: u16, out: &mut dyn Write) -> io::Result<()> {
    if let (Some(title), false) = (t.title(), opt.tuples_only) {
        out.write_all(b".LP\n.DS C\n")?;
        escaped(out, title)?;
        out.write_all(b"\n.DE\n")?;
    }
    out.write_all(b".LP\n.TS\n")?;
    out.write_all(if border == 2 {
        &b"center box;\n"[..]
    } else {
        b"center;\n"
    })
}

fn end<S: AsRef<str>>(out: &mut dyn Write, footers: Option<&[S]>) -> io::Result<()> {
    out.write_all(b".TE\n.DS L\n")?;
    for f in footers.unwrap_or(&[]) {
        escaped(out, f.as_ref())?;
        out.write_all(b"\n")?;
    }
    out.write_all(b".DE\n")
}

/// `print_troff_ms_text`.
pub(crate) fn print_troff_ms_text(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let border = opt.border.min(2);
    let ncols = t.ncolumns();
    if opt.start_table {
        start(t, opt, border, out)?;
        for i in 0..ncols {
            out.write_all(&[t.align(i).as_char() as u8])?;
            if border > 0 && i + 1 < ncols {
                out.write_all(b" | ")?;
            }
        }
        out.write_all(b".\n")?;
        if !opt.tuples_only {
            for i in 0..ncols {
                if i != 0 {
                    out.write_all(b"\t")?;
                }
                out.write_all(b"\\fI")?;
                escaped(out, &header(t, i))?;
                out.write_all(b"\\fP")?;
            }
            out.write_all(b"\n_\n")?;
        }
    }
    for r in 0..cell_rows(t) {
        for c in 0..ncols {
            escaped(out, &cell(t, r, c))?;
            out.write_all(if c + 1 < ncols { b"\t" } else { b"\n" })?;
        }
        if target.cancelled() {
            break;
        }
    }
    if opt.stop_table {
        let footers = footers_with_default(t, opt);
        let show = !opt.tuples_only && !target.cancelled();
        end(out, footers.as_deref().filter(|_| show))?;
    }
    Ok(())
}

/// `print_troff_ms_vertical`: header and value per line, a "Record n" line above each record, `.T&`
/// switching the column formats between the two kinds of line.
pub(crate) fn print_troff_ms_vertical(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let border = opt.border.min(2);
    // The column format in force: none yet, the record line's, or the fields'.
    #[derive(PartialEq)]
    enum Current {
        None,
        Header,
        Body,
    }
    let mut current = Current::None;
    if opt.start_table {
        start(t, opt, border, out)?;
        if opt.tuples_only {
            out.write_all(b"c l;\n")?;
        }
    } else {
        // Fields were printed already.
        current = Current::Body;
    }
    let mut record = opt.prior_records + 1;
    for r in 0..cell_rows(t) {
        if target.cancelled() {
            break;
        }
        if !opt.tuples_only {
            if current != Current::Header {
                if border == 2 && record > 1 {
                    out.write_all(b"_\n")?;
                }
                if current != Current::None {
                    out.write_all(b".T&\n")?;
                }
                out.write_all(b"c s.\n")?;
                current = Current::Header;
            }
            writeln!(out, "\\fIRecord {record}\\fP")?;
            record += 1;
        }
        if border >= 1 {
            out.write_all(b"_\n")?;
        }
        for c in 0..t.ncolumns() {
            if !opt.tuples_only && current != Current::Body {
                if current != Current::None {
                    out.write_all(b".T&\n")?;
                }
                out.write_all(if border != 1 {
                    &b"c l.\n"[..]
                } else {
                    b"c | l.\n"
                })?;
                current = Current::Body;
            }
            escaped(out, &header(t, c))?;
            out.write_all(b"\t")?;
            escaped(out, &cell(t, r, c))?;
            out.write_all(b"\n")?;
        }
    }
    if opt.stop_table {
        let show = !opt.tuples_only && !target.cancelled();
        end(out, footers(t).filter(|_| show))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::output::fixtures;

    /// psql 15's troff-ms output at borders 0 to 3, normal and expanded, with titles and footers
    /// (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn troff_matches_psql() {
        fixtures::check(include_str!("testdata/troff.jsonl"));
    }
}
