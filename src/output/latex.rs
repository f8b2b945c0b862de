//! The LaTeX formats (print.c's `latex_escaped_print`, `print_latex_text`, `print_latex_longtable_text`,
//! `print_latex_vertical`): a `tabular` (border 3 adds a rule under every row), or a `longtable` whose
//! left-aligned columns take their widths from `\pset tableattr`.

use super::cells::{cell, cell_rows, footers, footers_with_default, header, PrintTarget};
use super::content::{Align, Table};
use super::opts::PrintTableOpt;
use std::io::{self, Write};

/// `latex_escaped_print`: ASCII specials per "The Comprehensive LaTeX Symbol List"; a newline becomes
/// `\\` (psql's own comment: not right, but doing it right seems too hard).
fn escaped(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep: &[u8] = match b {
            b'#' => b"\\#",
            b'$' => b"\\$",
            b'%' => b"\\%",
            b'&' => b"\\&",
            b'<' => b"\\textless{}",
            b'>' => b"\\textgreater{}",
            b'\\' => b"\\textbackslash{}",
            b'^' => b"\\^{}",
            b'_' => b"\\_",
            b'{' => b"\\{",
            b'|' => b"\\textbar{}",
            b'}' => b"\\}",
            b'~' => b"\\~{}",
            b'\n' => b"\\\\",
            _ => continue,
        };
        out.write_all(&s.as_bytes()[start..i])?;
        out.write_all(rep)?;
        start = i + 1;
    }
    out.write_all(&s.as_bytes()[start..])
}

fn centered_title(t: &dyn Table, opt: &PrintTableOpt, out: &mut dyn Write) -> io::Result<()> {
    if let (Some(title), false) = (t.title(), opt.tuples_only) {
        out.write_all(b"\\begin{center}\n")?;
        escaped(out, title)?;
        out.write_all(b"\n\\end{center}\n\n")?;
    }
    Ok(())
}

fn footer_lines<S: AsRef<str>>(out: &mut dyn Write, footers: &[S]) -> io::Result<()> {
    for f in footers {
        escaped(out, f.as_ref())?;
        out.write_all(b" \\\\\n")?;
    }
    Ok(())
}

fn align_char(out: &mut dyn Write, align: Align) -> io::Result<()> {
    out.write_all(&[align.as_char() as u8])
}

/// `print_latex_text`.
pub(crate) fn print_latex_text(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let border = opt.border.min(3);
    let ncols = t.ncolumns();
    if opt.start_table {
        centered_title(t, opt, out)?;
        out.write_all(b"\\begin{tabular}{")?;
        if border >= 2 {
            out.write_all(b"| ")?;
        }
        for i in 0..ncols {
            align_char(out, t.align(i))?;
            if border != 0 && i + 1 < ncols {
                out.write_all(b" | ")?;
            }
        }
        if border >= 2 {
            out.write_all(b" |")?;
        }
        out.write_all(b"}\n")?;
        if !opt.tuples_only && border >= 2 {
            out.write_all(b"\\hline\n")?;
        }
        if !opt.tuples_only {
            for i in 0..ncols {
                if i != 0 {
                    out.write_all(b" & ")?;
                }
                out.write_all(b"\\textit{")?;
                escaped(out, &header(t, i))?;
                out.write_all(b"}")?;
            }
            out.write_all(b" \\\\\n\\hline\n")?;
        }
    }
    for r in 0..cell_rows(t) {
        for c in 0..ncols {
            escaped(out, &cell(t, r, c))?;
            if c + 1 < ncols {
                out.write_all(b" & ")?;
            }
        }
        out.write_all(b" \\\\\n")?;
        if border == 3 {
            out.write_all(b"\\hline\n")?;
        }
        if target.cancelled() {
            break;
        }
    }
    if opt.stop_table {
        let footers = footers_with_default(t, opt);
        if border == 2 {
            out.write_all(b"\\hline\n")?;
        }
        out.write_all(b"\\end{tabular}\n\n\\noindent ")?;
        if let (Some(footers), false, false) = (footers, opt.tuples_only, target.cancelled()) {
            footer_lines(out, &footers)?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The column specification of a longtable: a left-aligned column takes the next width of `tableattr`
/// (`p{W\textwidth}`), or the last one when they run out; other columns their alignment.
fn longtable_columns(t: &dyn Table, opt: &PrintTableOpt, out: &mut dyn Write) -> io::Result<()> {
    const WHITESPACE: [char; 3] = [' ', '\t', '\n'];
    let border = opt.border.min(3);
    let ncols = t.ncolumns();
    let mut next = opt.table_attr.as_deref();
    let mut last: Option<&str> = None;
    for i in 0..ncols {
        let align = t.align(i);
        match next {
            Some(attr) if align == Align::Left => {
                let attr = attr.trim_start_matches(WHITESPACE);
                let word_end = attr.find(WHITESPACE).unwrap_or(attr.len());
                if !attr.is_empty() {
                    write!(out, "p{{{}\\textwidth}}", &attr[..word_end])?;
                    last = Some(&attr[..word_end]);
                } else if let Some(width) = last {
                    write!(out, "p{{{width}\\textwidth}}")?;
                } else {
                    out.write_all(b"l")?;
                }
                next = Some(&attr[word_end..]);
            }
            _ => align_char(out, align)?,
        }
        if border != 0 && i + 1 < ncols {
            out.write_all(b" | ")?;
        }
    }
    Ok(())
}

fn longtable_headers(t: &dyn Table, out: &mut dyn Write) -> io::Result<()> {
    for i in 0..t.ncolumns() {
        if i != 0 {
            out.write_all(b" & ")?;
        }
        out.write_all(b"\\small\\textbf{\\textit{")?;
        escaped(out, &header(t, i))?;
        out.write_all(b"}}")?;
    }
    out.write_all(b" \\\\\n")
}

/// `print_latex_longtable_text`: the header repeated on every page, the title as the caption.
pub(crate) fn print_latex_longtable_text(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let border = opt.border.min(3);
    let ncols = t.ncolumns();
    if opt.start_table {
        out.write_all(b"\\begin{longtable}{")?;
        if border >= 2 {
            out.write_all(b"| ")?;
        }
        longtable_columns(t, opt, out)?;
        if border >= 2 {
            out.write_all(b" |")?;
        }
        out.write_all(b"}\n")?;
        if !opt.tuples_only {
            // The first page's head, then the head of the pages after it.
            if border >= 2 {
                out.write_all(b"\\toprule\n")?;
            }
            longtable_headers(t, out)?;
            out.write_all(b"\\midrule\n\\endfirsthead\n")?;
            if border >= 2 {
                out.write_all(b"\\toprule\n")?;
            }
            longtable_headers(t, out)?;
            // A rule under every row already ends the head.
            if border != 3 {
                out.write_all(b"\\midrule\n")?;
            }
            out.write_all(b"\\endhead\n")?;
            if let Some(title) = t.title() {
                if border == 2 {
                    out.write_all(b"\\bottomrule\n")?;
                }
                out.write_all(b"\\caption[")?;
                escaped(out, title)?;
                out.write_all(b" (Continued)]{")?;
                escaped(out, title)?;
                out.write_all(b"}\n\\endfoot\n")?;
                if border == 2 {
                    out.write_all(b"\\bottomrule\n")?;
                }
                out.write_all(b"\\caption[")?;
                escaped(out, title)?;
                out.write_all(b"]{")?;
                escaped(out, title)?;
                out.write_all(b"}\n\\endlastfoot\n")?;
            } else if border >= 2 {
                out.write_all(b"\\bottomrule\n\\endfoot\n\\bottomrule\n\\endlastfoot\n")?;
            }
        }
    }
    'rows: for r in 0..cell_rows(t) {
        for c in 0..ncols {
            if c != 0 {
                out.write_all(b"\n&\n")?;
            }
            out.write_all(b"\\raggedright{")?;
            escaped(out, &cell(t, r, c))?;
            out.write_all(b"}")?;
            if c + 1 == ncols {
                out.write_all(b" \\tabularnewline\n")?;
                if border == 3 {
                    out.write_all(b" \\hline\n")?;
                }
            }
            if target.cancelled() {
                break 'rows;
            }
        }
    }
    if opt.stop_table {
        out.write_all(b"\\end{longtable}\n")?;
    }
    Ok(())
}

/// `print_latex_vertical` (both LaTeX formats): a two-column tabular, a "Record n" row above each
/// record.
pub(crate) fn print_latex_vertical(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let border = opt.border.min(2);
    if opt.start_table {
        centered_title(t, opt, out)?;
        out.write_all(b"\\begin{tabular}{")?;
        out.write_all(match border {
            0 => &b"cl"[..],
            1 => b"c|l",
            _ => b"|c|l|",
        })?;
        out.write_all(b"}\n")?;
    }
    let mut record = opt.prior_records + 1;
    for r in 0..cell_rows(t) {
        if target.cancelled() {
            break;
        }
        if !opt.tuples_only {
            if border == 2 {
                out.write_all(b"\\hline\n")?;
                writeln!(
                    out,
                    "\\multicolumn{{2}}{{|c|}}{{\\textit{{Record {record}}}}} \\\\"
                )?;
            } else {
                writeln!(
                    out,
                    "\\multicolumn{{2}}{{c}}{{\\textit{{Record {record}}}}} \\\\"
                )?;
            }
            record += 1;
        }
        if border >= 1 {
            out.write_all(b"\\hline\n")?;
        }
        for c in 0..t.ncolumns() {
            escaped(out, &header(t, c))?;
            out.write_all(b" & ")?;
            escaped(out, &cell(t, r, c))?;
            out.write_all(b" \\\\\n")?;
        }
    }
    if opt.stop_table {
        if border == 2 {
            out.write_all(b"\\hline\n")?;
        }
        out.write_all(b"\\end{tabular}\n\n\\noindent ")?;
        if let (Some(footers), false, false) = (footers(t), opt.tuples_only, target.cancelled()) {
            footer_lines(out, footers)?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::output::fixtures;

    /// psql 15's latex and latex-longtable output at borders 0 to 3, normal and expanded, with titles,
    /// longtable widths from `\pset tableattr` and footers (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn latex_matches_psql() {
        fixtures::check(include_str!("testdata/latex.jsonl"));
    }
}
