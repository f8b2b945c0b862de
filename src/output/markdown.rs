//! pgsh's Markdown format (not psql's): a GitHub-flavoured table, columns padded to their display width,
//! numeric columns right-aligned (`--:`), `|` escaped and newlines as `<br>` so a value stays in its cell;
//! the title as a paragraph before the table and the footers after it, each after a blank line so GitHub
//! does not read them as table rows. `\t` (tuples only) leaves the body rows alone.

use super::cells::{cell, cell_rows, footers_with_default, header, spaces, PrintTarget};
use super::content::{Align, Table};
use super::opts::PrintTableOpt;
use super::width::wcswidth;
use std::borrow::Cow;
use std::io::{self, Write};

/// A value as it goes in a cell: `|` escaped, line breaks (`\n`, `\r\n`, `\r`) as `<br>`.
pub fn markdown_escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['|', '\n', '\r']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn row<'a>(
    out: &mut dyn Write,
    cells: impl Iterator<Item = Cow<'a, str>>,
    widths: &[usize],
    aligns: &[Align],
) -> io::Result<()> {
    out.write_all(b"|")?;
    for ((text, &w), &align) in cells.zip(widths).zip(aligns) {
        out.write_all(b" ")?;
        let pad = w.saturating_sub(wcswidth(&text));
        if align == Align::Right {
            spaces(out, pad)?;
            out.write_all(text.as_bytes())?;
        } else {
            out.write_all(text.as_bytes())?;
            spaces(out, pad)?;
        }
        out.write_all(b" |")?;
    }
    out.write_all(b"\n")
}

/// `markdown`.
pub(crate) fn print_markdown(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
) -> io::Result<()> {
    let ncols = t.ncolumns();
    let nrows = cell_rows(t);
    let aligns: Vec<Align> = (0..ncols).map(|c| t.align(c)).collect();
    let show_header = opt.start_table && !opt.tuples_only;
    // A delimiter cell needs three dashes to be recognised everywhere.
    let mut widths = vec![if show_header { 3 } else { 0 }; ncols];
    if show_header {
        for (c, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(wcswidth(&markdown_escape(&header(t, c))));
        }
    }
    for r in 0..nrows {
        for (c, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(wcswidth(&markdown_escape(&cell(t, r, c))));
        }
    }
    if opt.start_table && !opt.tuples_only {
        if let Some(title) = t.title() {
            out.write_all(title.as_bytes())?;
            out.write_all(b"\n\n")?;
        }
    }
    if show_header && ncols > 0 {
        let headers = (0..ncols).map(|c| Cow::Owned(markdown_escape(&header(t, c)).into_owned()));
        row(out, headers, &widths, &vec![Align::Left; ncols])?;
        out.write_all(b"|")?;
        for (&w, &align) in widths.iter().zip(&aligns) {
            out.write_all(b" ")?;
            if align == Align::Right {
                out.write_all("-".repeat(w - 1).as_bytes())?;
                out.write_all(b":")?;
            } else {
                out.write_all("-".repeat(w).as_bytes())?;
            }
            out.write_all(b" |")?;
        }
        out.write_all(b"\n")?;
    }
    for r in 0..nrows {
        if target.cancelled() {
            break;
        }
        let cells = (0..ncols).map(|c| Cow::Owned(markdown_escape(&cell(t, r, c)).into_owned()));
        row(out, cells, &widths, &aligns)?;
    }
    if opt.stop_table {
        if let (Some(footers), false, false) = (
            footers_with_default(t, opt),
            opt.tuples_only,
            target.cancelled(),
        ) {
            if ncols > 0 {
                out.write_all(b"\n")?;
            }
            for f in footers {
                out.write_all(f.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::content::TableContent;
    use crate::output::opts::PrintFormat;
    use crate::output::print::print_table;

    fn render(t: &TableContent, opt: &PrintTableOpt) -> String {
        let mut out = Vec::new();
        print_table(t, opt, &mut out, &PrintTarget::default(), None).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample() -> TableContent {
        let mut t = TableContent::new(Some("Title"), 2);
        t.add_header("id", Align::Right);
        t.add_header("a|b", Align::Left);
        t.add_header("note", Align::Left);
        for c in ["1", "x|y", "two\nlines", "-20", "", "日本語"] {
            t.add_cell(c);
        }
        t
    }

    #[test]
    fn markdown_is_a_padded_github_table() {
        let opt = PrintTableOpt {
            format: PrintFormat::Markdown,
            ..PrintTableOpt::default()
        };
        assert_eq!(
            render(&sample(), &opt),
            "Title\n\n\
             | id  | a\\|b | note         |\n\
             | --: | ---- | ------------ |\n\
             |   1 | x\\|y | two<br>lines |\n\
             | -20 |      | 日本語       |\n\
             \n\
             (2 rows)\n"
        );
    }

    #[test]
    fn tuples_only_keeps_the_body() {
        let opt = PrintTableOpt {
            format: PrintFormat::Markdown,
            tuples_only: true,
            ..PrintTableOpt::default()
        };
        assert_eq!(
            render(&sample(), &opt),
            "|   1 | x\\|y | two<br>lines |\n| -20 |      | 日本語       |\n"
        );
    }

    #[test]
    fn line_breaks_and_pipes_are_escaped() {
        assert_eq!(markdown_escape("a\r\nb\rc\nd|e"), "a<br>b<br>c<br>d\\|e");
        assert!(matches!(markdown_escape("plain"), Cow::Borrowed(_)));
    }
}
