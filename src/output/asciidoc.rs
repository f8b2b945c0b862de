//! The AsciiDoc format (print.c's `asciidoc_escaped_print`, `print_asciidoc_text`,
//! `print_asciidoc_vertical`): a `|====` table with its column specification, footers in a literal block.

use super::cells::{cell, cell_rows, footers, footers_with_default, header, PrintTarget};
use super::content::{Align, Table};
use super::opts::PrintTableOpt;
use std::io::{self, Write};

/// `asciidoc_escaped_print`: `|` is the cell separator, so it is escaped.
fn escaped(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let mut rest = s;
    while let Some(i) = rest.find('|') {
        out.write_all(&rest.as_bytes()[..i])?;
        out.write_all(b"\\|")?;
        rest = &rest[i + 1..];
    }
    out.write_all(rest.as_bytes())
}

fn blank(s: &str) -> bool {
    s.trim_start_matches([' ', '\t']).is_empty()
}

fn frame(out: &mut dyn Write, border: u16) -> io::Result<()> {
    out.write_all(match border {
        0 => &b",frame=\"none\",grid=\"none\""[..],
        1 => b",frame=\"none\"",
        2 => b",frame=\"all\",grid=\"all\"",
        _ => b"",
    })
}

/// The preliminary newline (a table starts a paragraph) and the title.
fn start(t: &dyn Table, opt: &PrintTableOpt, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"\n")?;
    if let (Some(title), false) = (t.title(), opt.tuples_only) {
        out.write_all(b".")?;
        out.write_all(title.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn literal_footers<S: AsRef<str>>(out: &mut dyn Write, footers: &[S]) -> io::Result<()> {
    out.write_all(b"\n....\n")?;
    for f in footers {
        out.write_all(f.as_ref().as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.write_all(b"....\n")
}

/// `print_asciidoc_text`.
pub(crate) fn print_asciidoc_text(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let ncols = t.ncolumns();
    if opt.start_table {
        start(t, opt, out)?;
        out.write_all(if opt.tuples_only {
            &b"[cols=\""[..]
        } else {
            b"[options=\"header\",cols=\""
        })?;
        for i in 0..ncols {
            if i != 0 {
                out.write_all(b",")?;
            }
            out.write_all(if t.align(i) == Align::Right {
                b">l"
            } else {
                b"<l"
            })?;
        }
        out.write_all(b"\"")?;
        frame(out, opt.border)?;
        out.write_all(b"]\n|====\n")?;
        if !opt.tuples_only {
            for i in 0..ncols {
                if i != 0 {
                    out.write_all(b" ")?;
                }
                out.write_all(b"^l|")?;
                escaped(out, &header(t, i))?;
            }
            out.write_all(b"\n")?;
        }
    }
    for r in 0..cell_rows(t) {
        if target.cancelled() {
            break;
        }
        for c in 0..ncols {
            if c != 0 {
                out.write_all(b" ")?;
            }
            out.write_all(b"|")?;
            let value = cell(t, r, c);
            // No needless spaces for an empty cell, except to keep the next `|` apart.
            if blank(&value) {
                if c + 1 < ncols {
                    out.write_all(b" ")?;
                }
            } else {
                escaped(out, &value)?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.write_all(b"|====\n")?;
    if opt.stop_table {
        if let (Some(footers), false, false) = (
            footers_with_default(t, opt),
            opt.tuples_only,
            target.cancelled(),
        ) {
            literal_footers(out, &footers)?;
        }
    }
    Ok(())
}

/// `print_asciidoc_vertical`: a header column and a value column, a "Record n" row above each record.
pub(crate) fn print_asciidoc_vertical(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    if opt.start_table {
        start(t, opt, out)?;
        out.write_all(b"[cols=\"h,l\"")?;
        frame(out, opt.border)?;
        out.write_all(b"]\n|====\n")?;
    }
    let mut record = opt.prior_records + 1;
    for r in 0..cell_rows(t) {
        if target.cancelled() {
            break;
        }
        if !opt.tuples_only {
            writeln!(out, "2+^|Record {record}")?;
            record += 1;
        } else {
            out.write_all(b"2+|\n")?;
        }
        for c in 0..t.ncolumns() {
            out.write_all(b"<l|")?;
            escaped(out, &header(t, c))?;
            out.write_all(if t.align(c) == Align::Right {
                b" >l|"
            } else {
                b" <l|"
            })?;
            let value = cell(t, r, c);
            if blank(&value) {
                out.write_all(b" ")?;
            } else {
                escaped(out, &value)?;
            }
            out.write_all(b"\n")?;
        }
    }
    out.write_all(b"|====\n")?;
    if opt.stop_table {
        if let (Some(footers), false, false) = (footers(t), opt.tuples_only, target.cancelled()) {
            literal_footers(out, footers)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::output::fixtures;

    /// psql 15's AsciiDoc output at borders 0 to 3, normal and expanded, with titles and footers
    /// (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn asciidoc_matches_psql() {
        fixtures::check(include_str!("testdata/asciidoc.jsonl"));
    }
}
