//! The aligned and wrapped formats, one row per line (print.c's `print_aligned_text` and
//! `_print_horizontal_line`): column widths, the wrapped format's shrinking of columns to the target width,
//! `expanded auto`'s switch to the vertical layout, headers centred, newline and wrap markers.

use super::cells::{cell, cell_rows, footers_with_default, header, spaces, PrintTarget};
use super::content::{Align, Table};
use super::linestyle::get_line_style;
use super::opts::{Expanded, LineStyle, PrintFormat, PrintTableOpt, TextRule};
use super::vertical;
use super::width::{strlen_max_width, wcssize, Formatted};
use std::io::{self, Write};

/// What `print_aligned_text` works out before printing anything (shared with the pager's line count).
pub(crate) struct TextLayout {
    pub width_wrap: Vec<usize>,
    pub width_total: usize,
    pub total_header_width: usize,
    pub output_columns: usize,
    /// Height of the tallest header (psql's first `extra_output_lines`).
    pub header_lines: usize,
}

impl TextLayout {
    pub fn compute(t: &dyn Table, opt: &PrintTableOpt, target: &PrintTarget) -> TextLayout {
        let border = opt.border.min(2);
        let ncols = t.ncolumns();
        let mut width_header = vec![0; ncols];
        let mut max_width = vec![0; ncols];
        let mut width_average = vec![0u64; ncols];
        let mut header_lines = 0;
        for i in 0..ncols {
            let size = wcssize(&header(t, i));
            max_width[i] = max_width[i].max(size.width);
            header_lines = header_lines.max(size.height);
            width_header[i] = size.width;
        }
        let nrows = cell_rows(t);
        for r in 0..nrows {
            for c in 0..ncols {
                let size = wcssize(&cell(t, r, c));
                max_width[c] = max_width[c].max(size.width);
                width_average[c] += size.width as u64;
            }
        }
        if ncols != 0 && nrows != 0 {
            for avg in &mut width_average {
                *avg /= nrows as u64;
            }
        }
        let mut width_total = match border {
            0 => ncols,
            1 => (ncols * 3).saturating_sub(1),
            _ => ncols * 3 + 1,
        };
        let mut total_header_width = width_total;
        for i in 0..ncols {
            width_total += max_width[i];
            total_header_width += width_header[i];
        }
        let mut width_wrap = max_width.clone();
        let output_columns = target.output_columns(opt);
        if opt.format == PrintFormat::Wrapped
            && output_columns > 0
            && output_columns >= total_header_width
        {
            // Shrink the column with the highest ratio of maximum to average width (it will wrap the
            // fewest values), penalizing wide columns by 1% of their width, until the table fits.
            while width_total > output_columns {
                let mut max_ratio = 0.0;
                let mut worst_col = None;
                for i in 0..ncols {
                    if width_average[i] != 0 && width_wrap[i] > width_header[i] {
                        let ratio = width_wrap[i] as f64 / width_average[i] as f64
                            + max_width[i] as f64 * 0.01;
                        if ratio > max_ratio {
                            max_ratio = ratio;
                            worst_col = Some(i);
                        }
                    }
                }
                let Some(worst) = worst_col else { break };
                width_wrap[worst] -= 1;
                width_total -= 1;
            }
        }
        TextLayout {
            width_wrap,
            width_total,
            total_header_width,
            output_columns,
            header_lines,
        }
    }

    /// Wider than the known output width.
    pub fn too_wide(&self) -> bool {
        self.output_columns > 0
            && (self.output_columns < self.total_header_width
                || self.output_columns < self.width_total)
    }

    /// `expanded auto` turns to the vertical layout: too wide, and more than one column (one column
    /// would come out wider still).
    pub fn wants_vertical(&self, t: &dyn Table, opt: &PrintTableOpt) -> bool {
        opt.expanded == Expanded::Auto && t.ncolumns() > 1 && self.too_wide()
    }
}

/// `_print_horizontal_line`.
pub(crate) fn horizontal_line(
    out: &mut dyn Write,
    widths: &[usize],
    border: u16,
    pos: TextRule,
    format: &LineStyle,
) -> io::Result<()> {
    let lformat = &format.lrule[pos as usize];
    let hrule = lformat.hrule.as_bytes();
    if border == 1 {
        out.write_all(hrule)?;
    } else if border == 2 {
        out.write_all(lformat.leftvrule.as_bytes())?;
        out.write_all(hrule)?;
    }
    for (i, &w) in widths.iter().enumerate() {
        for _ in 0..w {
            out.write_all(hrule)?;
        }
        if i + 1 < widths.len() {
            if border == 0 {
                out.write_all(b" ")?;
            } else {
                out.write_all(hrule)?;
                out.write_all(lformat.midvrule.as_bytes())?;
                out.write_all(hrule)?;
            }
        }
    }
    if border == 2 {
        out.write_all(hrule)?;
        out.write_all(lformat.rightvrule.as_bytes())?;
    } else if border == 1 {
        out.write_all(hrule)?;
    }
    out.write_all(b"\n")
}

/// How the next display line of a column continues (`printTextLineWrap`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineWrap {
    None,
    /// The value goes on because it was wrapped.
    Wrapped,
    /// The value goes on after a newline.
    Newline,
}

/// `print_aligned_text`.
pub(crate) fn print_aligned_text(
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
    let dformat = format.lrule[TextRule::Data as usize];
    let ncols = t.ncolumns();
    let layout = TextLayout::compute(t, opt, target);
    if layout.wants_vertical(t, opt) {
        return vertical::print_aligned_vertical(t, opt, out, target);
    }
    let width_wrap = &layout.width_wrap;
    let width_total = layout.width_total;
    let mut fmt: Vec<Formatted> = (0..ncols).map(|_| Formatted::default()).collect();

    if opt.start_table {
        if let (Some(title), false) = (t.title(), opt.tuples_only) {
            let width = wcssize(title).width;
            if width < width_total {
                spaces(out, (width_total - width) / 2)?;
            }
            out.write_all(title.as_bytes())?;
            out.write_all(b"\n")?;
        }
        if !opt.tuples_only {
            if border == 2 {
                horizontal_line(out, width_wrap, border, TextRule::Top, &format)?;
            }
            for (i, f) in fmt.iter_mut().enumerate() {
                f.format(&header(t, i));
            }
            let mut more_col_wrapping = ncols;
            let mut curr_nl_line = 0;
            let mut header_done = vec![false; ncols];
            while more_col_wrapping > 0 {
                if border == 2 {
                    out.write_all(dformat.leftvrule.as_bytes())?;
                }
                for i in 0..ncols {
                    if border != 0 || (!format.wrap_right_border && i > 0) {
                        out.write_all(if curr_nl_line > 0 {
                            format.header_nl_left.as_bytes()
                        } else {
                            b" "
                        })?;
                    }
                    if !header_done[i] {
                        let text = fmt[i].line(curr_nl_line).unwrap_or("");
                        let nbspace = width_wrap[i].saturating_sub(fmt[i].width(curr_nl_line));
                        spaces(out, nbspace / 2)?;
                        out.write_all(text.as_bytes())?;
                        spaces(out, nbspace.div_ceil(2))?;
                        if fmt[i].line(curr_nl_line + 1).is_none() {
                            more_col_wrapping -= 1;
                            header_done[i] = true;
                        }
                    } else {
                        spaces(out, width_wrap[i])?;
                    }
                    if border != 0 || format.wrap_right_border {
                        out.write_all(if !header_done[i] {
                            format.header_nl_right.as_bytes()
                        } else {
                            b" "
                        })?;
                    }
                    if border != 0 && i + 1 < ncols {
                        out.write_all(dformat.midvrule.as_bytes())?;
                    }
                }
                curr_nl_line += 1;
                if border == 2 {
                    out.write_all(dformat.rightvrule.as_bytes())?;
                }
                out.write_all(b"\n")?;
            }
            horizontal_line(out, width_wrap, border, TextRule::Middle, &format)?;
        }
    }

    let aligns: Vec<Align> = (0..ncols).map(|c| t.align(c)).collect();
    let mut curr_nl_line = vec![0usize; ncols];
    let mut bytes_output = vec![0usize; ncols];
    let mut wrap = vec![LineWrap::None; ncols];
    for r in 0..cell_rows(t) {
        if target.cancelled() {
            break;
        }
        for j in 0..ncols {
            fmt[j].format(&cell(t, r, j));
            curr_nl_line[j] = 0;
        }
        bytes_output.fill(0);
        // One display line per pass: a whole value, or part of one that has newlines or is wrapped.
        loop {
            let mut more_lines = false;
            if border == 2 {
                out.write_all(dformat.leftvrule.as_bytes())?;
            }
            for j in 0..ncols {
                let mut chars_to_output = width_wrap[j];
                let finalspaces = border == 2 || j + 1 < ncols;
                if border != 0 {
                    out.write_all(match wrap[j] {
                        LineWrap::Wrapped => format.wrap_left.as_bytes(),
                        LineWrap::Newline => format.nl_left.as_bytes(),
                        LineWrap::None => b" ",
                    })?;
                }
                match fmt[j].line(curr_nl_line[j]) {
                    None => {
                        // Past this value's lines: pad for the columns after it.
                        if finalspaces {
                            spaces(out, chars_to_output)?;
                        }
                    }
                    Some(line) => {
                        let rest = &line[bytes_output[j]..];
                        let (bytes, width) = strlen_max_width(rest, chars_to_output);
                        // A single character wider than the column: pretend it fits.
                        chars_to_output = width.min(width_wrap[j]);
                        if aligns[j] == Align::Right {
                            spaces(out, width_wrap[j] - chars_to_output)?;
                        }
                        out.write_all(&rest.as_bytes()[..bytes])?;
                        bytes_output[j] += bytes;
                        if bytes_output[j] < line.len() {
                            more_lines = true;
                        } else {
                            curr_nl_line[j] += 1;
                            if fmt[j].line(curr_nl_line[j]).is_some() {
                                more_lines = true;
                            }
                            bytes_output[j] = 0;
                        }
                    }
                }
                wrap[j] = LineWrap::None;
                if fmt[j].line(curr_nl_line[j]).is_some() {
                    if bytes_output[j] != 0 {
                        wrap[j] = LineWrap::Wrapped;
                    } else if curr_nl_line[j] != 0 {
                        wrap[j] = LineWrap::Newline;
                    }
                }
                if aligns[j] != Align::Right && (finalspaces || wrap[j] != LineWrap::None) {
                    spaces(out, width_wrap[j] - chars_to_output)?;
                }
                match wrap[j] {
                    LineWrap::Wrapped => out.write_all(format.wrap_right.as_bytes())?,
                    LineWrap::Newline => out.write_all(format.nl_right.as_bytes())?,
                    LineWrap::None if border == 2 || j + 1 < ncols => out.write_all(b" ")?,
                    LineWrap::None => {}
                }
                if border != 0 && j + 1 < ncols {
                    let divider = match wrap[j + 1] {
                        LineWrap::Wrapped => format.midvrule_wrap,
                        LineWrap::Newline => format.midvrule_nl,
                        LineWrap::None if fmt[j + 1].line(curr_nl_line[j + 1]).is_none() => {
                            format.midvrule_blank
                        }
                        LineWrap::None => dformat.midvrule,
                    };
                    out.write_all(divider.as_bytes())?;
                }
            }
            if border == 2 {
                out.write_all(dformat.rightvrule.as_bytes())?;
            }
            out.write_all(b"\n")?;
            if !more_lines {
                break;
            }
        }
    }

    if opt.stop_table {
        let footers = footers_with_default(t, opt);
        if border == 2 && !target.cancelled() {
            horizontal_line(out, width_wrap, border, TextRule::Bottom, &format)?;
        }
        if let (Some(footers), false, false) = (footers, opt.tuples_only, target.cancelled()) {
            for f in footers {
                out.write_all(f.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::output::fixtures;

    /// psql 15's aligned format (normal layout) over every dataset, border, line style, title, null display,
    /// footer setting and numericlocale in `scripts/print_fixtures.py` (captured from `psql -X -q`).
    #[test]
    fn aligned_matches_psql() {
        fixtures::check(include_str!("testdata/aligned.jsonl"));
    }

    /// psql 15's wrapped format at `\pset columns` 10 to 200, every border and line style.
    #[test]
    fn wrapped_matches_psql() {
        fixtures::check(include_str!("testdata/wrapped.jsonl"));
    }

    /// What psql 15 writes to its `-L` log file (always the aligned layout) beside each format.
    #[test]
    fn log_copy_matches_psql() {
        fixtures::check(include_str!("testdata/log.jsonl"));
    }
}
