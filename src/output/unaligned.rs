//! The unaligned format (print.c's `print_unaligned_text` and `print_unaligned_vertical`): fields joined by
//! `\pset fieldsep`, records by `\pset recordsep`, the last record ended by a newline (or the zero byte).

use super::cells::{cell, cell_rows, footers, footers_with_default, header, PrintTarget};
use super::content::Table;
use super::opts::PrintTableOpt;
use std::io::{self, Write};

/// The end of the output: a newline whatever the record separator, except that a zero-byte separator
/// ends it too (as `find -print0` does, for `xargs -0`).
fn end_last_record(out: &mut dyn Write, opt: &PrintTableOpt) -> io::Result<()> {
    if opt.record_sep.zero {
        out.write_all(opt.record_sep.bytes())
    } else {
        out.write_all(b"\n")
    }
}

/// `print_unaligned_text`.
pub(crate) fn print_unaligned_text(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let fsep = opt.field_sep.bytes();
    let rsep = opt.record_sep.bytes();
    let mut need_recordsep = false;
    if opt.start_table {
        if !opt.tuples_only {
            if let Some(title) = t.title() {
                out.write_all(title.as_bytes())?;
                out.write_all(rsep)?;
            }
            for i in 0..t.ncolumns() {
                if i > 0 {
                    out.write_all(fsep)?;
                }
                out.write_all(header(t, i).as_bytes())?;
            }
            need_recordsep = true;
        }
    } else {
        // Continuing an earlier part.
        need_recordsep = true;
    }
    let ncols = t.ncolumns();
    'rows: for r in 0..cell_rows(t) {
        for c in 0..ncols {
            if need_recordsep {
                out.write_all(rsep)?;
                need_recordsep = false;
                if target.cancelled() {
                    break 'rows;
                }
            }
            out.write_all(cell(t, r, c).as_bytes())?;
            if c + 1 < ncols {
                out.write_all(fsep)?;
            } else {
                need_recordsep = true;
            }
        }
    }
    if opt.stop_table {
        if let (Some(footers), false, false) = (
            footers_with_default(t, opt),
            opt.tuples_only,
            target.cancelled(),
        ) {
            for f in footers {
                if need_recordsep {
                    out.write_all(rsep)?;
                }
                out.write_all(f.as_bytes())?;
                need_recordsep = true;
            }
        }
        if need_recordsep {
            end_last_record(out, opt)?;
        }
    }
    Ok(())
}

/// `print_unaligned_vertical`: one `header<fieldsep>value` per line, records separated by two record
/// separators.
pub(crate) fn print_unaligned_vertical(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let fsep = opt.field_sep.bytes();
    let rsep = opt.record_sep.bytes();
    let mut need_recordsep = false;
    if opt.start_table {
        if let (Some(title), false) = (t.title(), opt.tuples_only) {
            out.write_all(title.as_bytes())?;
            need_recordsep = true;
        }
    } else {
        need_recordsep = true;
    }
    let ncols = t.ncolumns();
    'rows: for r in 0..cell_rows(t) {
        for c in 0..ncols {
            if need_recordsep {
                out.write_all(rsep)?;
                out.write_all(rsep)?;
                need_recordsep = false;
                if target.cancelled() {
                    break 'rows;
                }
            }
            out.write_all(header(t, c).as_bytes())?;
            out.write_all(fsep)?;
            out.write_all(cell(t, r, c).as_bytes())?;
            if c + 1 < ncols {
                out.write_all(rsep)?;
            } else {
                need_recordsep = true;
            }
        }
    }
    if opt.stop_table {
        if let (Some(footers), false, false) = (footers(t), opt.tuples_only, target.cancelled()) {
            out.write_all(rsep)?;
            for f in footers {
                out.write_all(rsep)?;
                out.write_all(f.as_bytes())?;
            }
        }
        if need_recordsep {
            end_last_record(out, opt)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::output::fixtures;

    /// psql 15's unaligned output, normal and expanded, with field and record separators (zero bytes too),
    /// titles, footers and null display (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn unaligned_matches_psql() {
        fixtures::check(include_str!("testdata/unaligned.jsonl"));
    }
}
