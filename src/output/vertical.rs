//! The aligned and wrapped formats in expanded mode, one line per field (print.c's
//! `print_aligned_vertical` and `print_aligned_vertical_line`): record headers, header and data columns,
//! newline and wrap markers, and the wrapped format's fitting of the data column to the target width.

use super::cells::{cell, cell_rows, footers, footers_with_default, header, spaces, PrintTarget};
use super::content::Table;
use super::linestyle::get_line_style;
use super::opts::{LineStyle, LineStyleKind, PrintFormat, PrintTableOpt, TextRule};
use super::width::{strlen_max_width, wcssize, Formatted};
use std::io::{self, Write};

/// `print_aligned_vertical_line`: a rule, with "[ RECORD n ]" (border 1, 2) or "* Record n" (border 0)
/// laid over its start when `record` is not 0.
fn vertical_line(
    out: &mut dyn Write,
    format: &LineStyle,
    border: u16,
    record: u64,
    hwidth: usize,
    dwidth: usize,
    pos: TextRule,
) -> io::Result<()> {
    let lformat = &format.lrule[pos as usize];
    let fill: &[u8] = if border > 0 {
        lformat.hrule.as_bytes()
    } else {
        b" "
    };
    if border == 2 {
        out.write_all(lformat.leftvrule.as_bytes())?;
        out.write_all(lformat.hrule.as_bytes())?;
    } else if border == 1 {
        out.write_all(lformat.hrule.as_bytes())?;
    }
    let mut reclen: i64 = 0;
    if record != 0 {
        let text = if border == 0 {
            format!("* Record {record}")
        } else {
            format!("[ RECORD {record} ]")
        };
        out.write_all(text.as_bytes())?;
        reclen = text.len() as i64;
    }
    if border != 2 {
        reclen += 1;
    }
    for _ in reclen..hwidth as i64 {
        out.write_all(fill)?;
    }
    reclen -= hwidth as i64;
    // Each piece of the separator is drawn only where the record label did not already cover it.
    let mut piece = |out: &mut dyn Write, s: &[u8]| -> io::Result<()> {
        let covered = reclen > 0;
        reclen -= 1;
        if covered {
            Ok(())
        } else {
            out.write_all(s)
        }
    };
    if border > 0 {
        piece(out, lformat.hrule.as_bytes())?;
        piece(out, lformat.midvrule.as_bytes())?;
        piece(out, lformat.hrule.as_bytes())?;
    } else {
        piece(out, b" ")?;
    }
    for _ in reclen.max(0)..dwidth as i64 {
        out.write_all(fill)?;
    }
    if border == 2 {
        out.write_all(lformat.hrule.as_bytes())?;
        out.write_all(lformat.rightvrule.as_bytes())?;
    }
    out.write_all(b"\n")
}

/// Widths and heights of the header and data columns.
struct Dimensions {
    hwidth: usize,
    dwidth: usize,
    hmultiline: bool,
    dmultiline: bool,
}

fn dimensions(t: &dyn Table) -> Dimensions {
    let mut d = Dimensions {
        hwidth: 0,
        dwidth: 0,
        hmultiline: false,
        dmultiline: false,
    };
    for i in 0..t.ncolumns() {
        let size = wcssize(&header(t, i));
        d.hwidth = d.hwidth.max(size.width);
        d.hmultiline |= size.height > 1;
    }
    for r in 0..cell_rows(t) {
        for c in 0..t.ncolumns() {
            let size = wcssize(&cell(t, r, c));
            d.dwidth = d.dwidth.max(size.width);
            d.dmultiline |= size.height > 1;
        }
    }
    d
}

/// Decimal digits of `n` (psql's `1 + (int) log10(n)` for n > 0).
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(0, |d| d as usize + 1)
}

/// The wrapped format's data width: the data column shrinks to fit the output width, but keeps room for
/// three characters and for the record header lines, and reserves a marker column when it will wrap.
fn wrapped_data_width(
    t: &dyn Table,
    opt: &PrintTableOpt,
    d: &mut Dimensions,
    output_columns: usize,
) -> usize {
    let border = opt.border.min(2);
    let old = opt.line_style == LineStyleKind::OldAscii;
    let mut swidth = match border {
        // One space in the middle, and maybe a column for header newline markers.
        0 => 1 + usize::from(d.hmultiline),
        // Two spaces and a rule, and maybe old-ascii's left header newline markers.
        1 => 3 + usize::from(d.hmultiline && old),
        // The rules at both ends and the spaces beside them; markers reuse the spaces.
        _ => 7,
    };
    if d.dmultiline && border < 2 && !old {
        swidth += 1;
    }
    let mut rwidth = 0;
    if !opt.tuples_only {
        rwidth = digits(t.nrows())
            + match border {
                0 => 9,
                1 => 12,
                _ => 15,
            };
    }
    loop {
        let width = (d.hwidth + swidth + d.dwidth).max(rwidth);
        let newdwidth = if output_columns > 0 {
            let min_width = (d.hwidth + swidth + 3).max(rwidth);
            if output_columns >= width {
                width - d.hwidth - swidth
            } else if output_columns < min_width {
                min_width - d.hwidth - swidth
            } else {
                output_columns - d.hwidth - swidth
            }
        } else {
            width - d.hwidth - swidth
        };
        if newdwidth < d.dwidth && !d.dmultiline && border < 2 && !old {
            // It will wrap after all: make room for the marker and work it out again.
            d.dmultiline = true;
            swidth += 1;
        } else {
            return newdwidth;
        }
    }
}

/// `print_aligned_vertical`.
pub(crate) fn print_aligned_vertical(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let border = opt.border.min(2);
    let format = get_line_style(opt);
    let old = opt.line_style == LineStyleKind::OldAscii;
    let ncols = t.ncolumns();
    let nrows = cell_rows(t);

    if nrows == 0 && opt.start_table && opt.stop_table {
        if let (Some(footers), false, false) = (
            footers_with_default(t, opt),
            opt.tuples_only,
            target.cancelled(),
        ) {
            for f in footers {
                out.write_all(f.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        return out.write_all(b"\n");
    }

    let mut d = dimensions(t);
    if opt.start_table {
        if let (Some(title), false) = (t.title(), opt.tuples_only) {
            out.write_all(title.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    if opt.format == PrintFormat::Wrapped {
        d.dwidth = wrapped_data_width(t, opt, &mut d, target.output_columns(opt));
    }
    let Dimensions {
        hwidth,
        dwidth,
        hmultiline,
        dmultiline,
    } = d;

    let mut hfmt = Formatted::default();
    let mut dfmt = Formatted::default();
    let mut record = opt.prior_records + 1;
    for r in 0..nrows {
        for c in 0..ncols {
            let i = r * ncols + c;
            if target.cancelled() {
                break;
            }
            let pos = if i == 0 {
                TextRule::Top
            } else {
                TextRule::Middle
            };
            if c == 0 {
                let lhwidth = hwidth + usize::from(border < 2 && hmultiline && old);
                if !opt.tuples_only {
                    vertical_line(out, &format, border, record, lhwidth, dwidth, pos)?;
                    record += 1;
                } else if i != 0 || !opt.start_table || border == 2 {
                    vertical_line(out, &format, border, 0, lhwidth, dwidth, pos)?;
                }
            }
            hfmt.format(&header(t, c));
            dfmt.format(&cell(t, r, c));
            print_field(
                out, &format, border, old, &hfmt, &dfmt, hwidth, dwidth, hmultiline, dmultiline,
            )?;
        }
        if target.cancelled() {
            break;
        }
    }

    if opt.stop_table {
        if border == 2 && !target.cancelled() {
            vertical_line(out, &format, border, 0, hwidth, dwidth, TextRule::Bottom)?;
        }
        if let (Some(footers), false, false) = (footers(t), opt.tuples_only, target.cancelled()) {
            if border < 2 {
                out.write_all(b"\n")?;
            }
            for f in footers {
                out.write_all(f.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One field: its header and data side by side, line by line, until both are printed.
#[allow(clippy::too_many_arguments)]
fn print_field(
    out: &mut dyn Write,
    format: &LineStyle,
    border: u16,
    old: bool,
    hfmt: &Formatted,
    dfmt: &Formatted,
    hwidth: usize,
    dwidth: usize,
    hmultiline: bool,
    dmultiline: bool,
) -> io::Result<()> {
    let dformat = format.lrule[TextRule::Data as usize];
    let (mut dline, mut hline) = (0, 0);
    let (mut dcomplete, mut hcomplete) = (false, false);
    let mut offset = 0;
    let mut chars_to_output = dfmt.width(0);
    while !dcomplete || !hcomplete {
        if border == 2 {
            out.write_all(dformat.leftvrule.as_bytes())?;
        }
        if !hcomplete {
            // Headers are never wrapped, only split at newlines.
            if border == 2 || (hmultiline && old) {
                out.write_all(if hline > 0 {
                    format.header_nl_left.as_bytes()
                } else {
                    b" "
                })?;
            }
            let text = hfmt.line(hline).unwrap_or("");
            let (_, width) = strlen_max_width(text, hwidth);
            out.write_all(text.as_bytes())?;
            if hwidth > width {
                spaces(out, hwidth - width)?;
            }
            let marker = border > 0 || (hmultiline && !old);
            if hfmt.line(hline + 1).is_some() {
                if marker {
                    out.write_all(format.header_nl_right.as_bytes())?;
                }
                hline += 1;
            } else {
                if marker {
                    out.write_all(b" ")?;
                }
                hcomplete = true;
            }
        } else {
            let swidth = hwidth
                + border as usize
                + usize::from(border < 2 && hmultiline && old)
                + usize::from(border == 0 && !old && hmultiline);
            // psql prints " " padded to the width: one space at least.
            spaces(out, swidth.max(1))?;
        }

        if border > 0 {
            out.write_all(if offset > 0 {
                format.midvrule_wrap.as_bytes()
            } else if dline == 0 {
                dformat.midvrule.as_bytes()
            } else {
                format.midvrule_nl.as_bytes()
            })?;
        }

        if !dcomplete {
            out.write_all(if offset == 0 {
                b" "
            } else {
                format.wrap_left.as_bytes()
            })?;
            let line = dfmt.line(dline).unwrap_or("");
            let (bytes, width) = strlen_max_width(&line[offset..], dwidth);
            out.write_all(&line.as_bytes()[offset..offset + bytes])?;
            chars_to_output = chars_to_output.saturating_sub(width);
            offset += bytes;
            let pad = dwidth.saturating_sub(width);
            let marker = border > 1 || (dmultiline && !old);
            if chars_to_output > 0 {
                // The value continues on the next line, wrapped.
                if marker {
                    spaces(out, pad)?;
                    out.write_all(format.wrap_right.as_bytes())?;
                }
            } else if dfmt.line(dline + 1).is_some() {
                // The value continues after a newline.
                if marker {
                    spaces(out, pad)?;
                    out.write_all(format.nl_right.as_bytes())?;
                }
                dline += 1;
                offset = 0;
                chars_to_output = dfmt.width(dline);
            } else {
                if border > 1 {
                    spaces(out, pad)?;
                    out.write_all(b" ")?;
                }
                dcomplete = true;
            }
            if border == 2 {
                out.write_all(dformat.rightvrule.as_bytes())?;
            }
            out.write_all(b"\n")?;
        } else if border < 2 {
            // The header has more lines than the data.
            out.write_all(b"\n")?;
        } else {
            spaces(out, dwidth + 2)?;
            out.write_all(dformat.rightvrule.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures;

    /// psql 15's expanded aligned and wrapped output over every dataset, border and line style, with
    /// titles, `\pset columns` 5 to 200 and tuples only (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn vertical_matches_psql() {
        fixtures::check(include_str!("testdata/vertical.jsonl"));
    }

    #[test]
    fn record_numbers_count_digits() {
        assert_eq!(digits(0), 0);
        assert_eq!(digits(9), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(digits(1000), 4);
    }
}
