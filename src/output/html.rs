//! The HTML format (print.c's `html_escaped_print`, `print_html_text`, `print_html_vertical`): a
//! `<table border="n" tableattr>` with a caption, header cells, and footers in a `<p>` after it.

use super::cells::{cell, cell_rows, footers, footers_with_default, header, PrintTarget};
use super::content::{Align, Table};
use super::opts::PrintTableOpt;
use std::io::{self, Write};

/// `html_escaped_print`: `& < > "` as entities, newlines as `<br />`, leading spaces as `&nbsp;` (so
/// EXPLAIN's indentation survives).
pub fn html_escaped_print(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let mut leading_space = true;
    for c in s.chars() {
        match c {
            '&' => out.write_all(b"&amp;")?,
            '<' => out.write_all(b"&lt;")?,
            '>' => out.write_all(b"&gt;")?,
            '\n' => out.write_all(b"<br />\n")?,
            '"' => out.write_all(b"&quot;")?,
            ' ' if leading_space => out.write_all(b"&nbsp;")?,
            _ => {
                let mut buf = [0; 4];
                out.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            }
        }
        if c != ' ' {
            leading_space = false;
        }
    }
    Ok(())
}

/// `html_escaped_print` into a string (psql's `\qecho`-style callers and `\H` users).
pub fn html_escaped(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    // Writing to a Vec cannot fail.
    let _ = html_escaped_print(&mut out, s);
    String::from_utf8(out).unwrap_or_default()
}

fn table_start(t: &dyn Table, opt: &PrintTableOpt, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "<table border=\"{}\"", opt.border)?;
    if let Some(attr) = &opt.table_attr {
        write!(out, " {attr}")?;
    }
    out.write_all(b">\n")?;
    if let (Some(title), false) = (t.title(), opt.tuples_only) {
        out.write_all(b"  <caption>")?;
        html_escaped_print(out, title)?;
        out.write_all(b"</caption>\n")?;
    }
    Ok(())
}

/// A data cell: whitespace-only values print as `&nbsp; ` so the cell keeps its border.
fn data_cell(out: &mut dyn Write, align: Align, value: &str) -> io::Result<()> {
    let side = if align == Align::Right {
        "right"
    } else {
        "left"
    };
    write!(out, "    <td align=\"{side}\">")?;
    if value.trim_start_matches([' ', '\t']).is_empty() {
        out.write_all(b"&nbsp; ")?;
    } else {
        html_escaped_print(out, value)?;
    }
    out.write_all(b"</td>\n")
}

fn footer_paragraph<S: AsRef<str>>(out: &mut dyn Write, footers: &[S]) -> io::Result<()> {
    out.write_all(b"<p>")?;
    for f in footers {
        html_escaped_print(out, f.as_ref())?;
        out.write_all(b"<br />\n")?;
    }
    out.write_all(b"</p>")
}

/// `print_html_text`.
pub(crate) fn print_html_text(
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
        table_start(t, opt, out)?;
        if !opt.tuples_only {
            out.write_all(b"  <tr>\n")?;
            for i in 0..ncols {
                out.write_all(b"    <th align=\"center\">")?;
                html_escaped_print(out, &header(t, i))?;
                out.write_all(b"</th>\n")?;
            }
            out.write_all(b"  </tr>\n")?;
        }
    }
    for r in 0..cell_rows(t) {
        if target.cancelled() {
            break;
        }
        out.write_all(b"  <tr valign=\"top\">\n")?;
        for c in 0..ncols {
            data_cell(out, t.align(c), &cell(t, r, c))?;
        }
        out.write_all(b"  </tr>\n")?;
    }
    if opt.stop_table {
        let footers = footers_with_default(t, opt);
        out.write_all(b"</table>\n")?;
        if let (Some(footers), false, false) = (footers, opt.tuples_only, target.cancelled()) {
            footer_paragraph(out, &footers)?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `print_html_vertical`: a two-column table, a "Record n" row above each record.
pub(crate) fn print_html_vertical(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    if opt.start_table {
        table_start(t, opt, out)?;
    }
    let mut record = opt.prior_records + 1;
    for r in 0..cell_rows(t) {
        if target.cancelled() {
            break;
        }
        if !opt.tuples_only {
            write!(
                out,
                "\n  <tr><td colspan=\"2\" align=\"center\">Record {record}</td></tr>\n"
            )?;
            record += 1;
        } else {
            out.write_all(b"\n  <tr><td colspan=\"2\">&nbsp;</td></tr>\n")?;
        }
        for c in 0..t.ncolumns() {
            out.write_all(b"  <tr valign=\"top\">\n    <th>")?;
            html_escaped_print(out, &header(t, c))?;
            out.write_all(b"</th>\n")?;
            data_cell(out, t.align(c), &cell(t, r, c))?;
            out.write_all(b"  </tr>\n")?;
        }
    }
    if opt.stop_table {
        out.write_all(b"</table>\n")?;
        if let (Some(footers), false, false) = (footers(t), opt.tuples_only, target.cancelled()) {
            footer_paragraph(out, footers)?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures;

    /// psql 15's HTML output at borders 0 to 3, normal and expanded, with table attributes, titles and
    /// footers (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn html_matches_psql() {
        fixtures::check(include_str!("testdata/html.jsonl"));
    }

    #[test]
    fn escaping_keeps_leading_spaces() {
        assert_eq!(
            html_escaped("  a <b> & \"c\"\n d"),
            "&nbsp;&nbsp;a &lt;b&gt; &amp; &quot;c&quot;<br />\n d"
        );
    }
}
