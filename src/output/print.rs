//! psql's `printTable`: one table, in the format the options choose, to a writer (and its aligned form to
//! the `-L` log), plus what every format shares (the cells as psql sees them, the default footer, the width
//! to fit).

use super::content::Table;
use super::opts::{Expanded, PrintFormat, PrintTableOpt};
use super::{
    aligned, asciidoc, csv, html, json, latex, markdown, troff, unaligned, vertical, width,
};
use std::borrow::Cow;
use std::io::{self, BufWriter, Write};

/// What print.c learns from the output stream itself (`isatty`, `ioctl(TIOCGWINSZ)`, the caller's
/// `is_pager`, `cancel_pressed`), so printing stays a pure function of its inputs.
#[derive(Clone, Copy, Debug)]
pub struct PrintTarget {
    /// The caller already sends this output to the pager (psql's `is_pager` argument; `ExecQueryUsingCursor`
    /// passes true for a FETCH_COUNT result once the first full part came back while printing to stdout).
    /// The width rules then apply as for a terminal, and `expanded auto` stays vertical.
    pub is_pager: bool,
    /// The output is stdout and stdout is a terminal (psql's `fout == stdout && isatty(fileno(stdout))`).
    pub is_terminal: bool,
    /// The terminal's width as `ioctl(TIOCGWINSZ)` on stdout reports it; `None` when that fails.
    pub term_columns: Option<u32>,
    /// psql's `cancel_pressed`: polled once per row; printing stops early (without footers) when it is set.
    pub cancelled: fn() -> bool,
}

fn never() -> bool {
    false
}

impl Default for PrintTarget {
    /// A file or pipe: not a terminal, no pager, never cancelled.
    fn default() -> Self {
        PrintTarget {
            is_pager: false,
            is_terminal: false,
            term_columns: None,
            cancelled: never,
        }
    }
}

impl PrintTarget {
    /// The width aligned output fits (print.c's `output_columns`): `\pset columns`, else for a terminal or
    /// the pager `$COLUMNS` as it was at startup, else the terminal's width; 0 when unknown (no limit).
    pub fn output_columns(&self, opt: &PrintTableOpt) -> usize {
        if opt.columns > 0 {
            opt.columns as usize
        } else if self.is_terminal || self.is_pager {
            if opt.env_columns > 0 {
                opt.env_columns as usize
            } else {
                self.term_columns.unwrap_or(0) as usize
            }
        } else {
            0
        }
    }

    pub(crate) fn cancelled(&self) -> bool {
        (self.cancelled)()
    }
}

/// `printTable`: print `t` as `opt` says to `out`, and its aligned form to `log` (psql's `-L` file gets the
/// aligned layout whatever the format). The pager is the caller's business (see [`super::pager`]).
///
/// psql ignores write errors; here they are returned, `out`'s first. A failing log does not stop the
/// table reaching `out`.
pub fn print_table(
    t: &dyn Table,
    opt: &PrintTableOpt,
    out: &mut dyn Write,
    target: &PrintTarget,
    log: Option<&mut dyn Write>,
) -> io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let mut log_result = Ok(());
    if let Some(log) = log {
        // The log is a file: no terminal width, no pager.
        let log_target = PrintTarget {
            cancelled: target.cancelled,
            ..PrintTarget::default()
        };
        let mut log = BufWriter::with_capacity(1 << 16, log);
        log_result =
            aligned::print_aligned_text(t, opt, &mut log, &log_target).and_then(|()| log.flush());
    }
    let mut w = BufWriter::with_capacity(1 << 16, out);
    let out: &mut dyn Write = &mut w;
    let vertical = opt.expanded == Expanded::On;
    match opt.format {
        PrintFormat::Unaligned if vertical => {
            unaligned::print_unaligned_vertical(t, opt, out, target)
        }
        PrintFormat::Unaligned => unaligned::print_unaligned_text(t, opt, out, target),
        PrintFormat::Aligned | PrintFormat::Wrapped => {
            // In expanded-auto mode a pager passed in forces vertical, or the parts of a FETCH_COUNT result
            // could come out in different layouts.
            if vertical || (opt.expanded == Expanded::Auto && target.is_pager) {
                vertical::print_aligned_vertical(t, opt, out, target)
            } else {
                aligned::print_aligned_text(t, opt, out, target)
            }
        }
        PrintFormat::Csv if vertical => csv::print_csv_vertical(t, opt, out, target),
        PrintFormat::Csv => csv::print_csv_text(t, opt, out, target),
        PrintFormat::Html if vertical => html::print_html_vertical(t, opt, out, target),
        PrintFormat::Html => html::print_html_text(t, opt, out, target),
        PrintFormat::Asciidoc if vertical => asciidoc::print_asciidoc_vertical(t, opt, out, target),
        PrintFormat::Asciidoc => asciidoc::print_asciidoc_text(t, opt, out, target),
        PrintFormat::Latex | PrintFormat::LatexLongtable if vertical => {
            latex::print_latex_vertical(t, opt, out, target)
        }
        PrintFormat::Latex => latex::print_latex_text(t, opt, out, target),
        PrintFormat::LatexLongtable => latex::print_latex_longtable_text(t, opt, out, target),
        PrintFormat::TroffMs if vertical => troff::print_troff_ms_vertical(t, opt, out, target),
        PrintFormat::TroffMs => troff::print_troff_ms_text(t, opt, out, target),
        PrintFormat::Json => json::print_json(t, opt, out, target),
        PrintFormat::Jsonl => json::print_jsonl(t, opt, out, target),
        PrintFormat::Markdown => markdown::print_markdown(t, opt, out, target),
    }?;
    w.flush()?;
    log_result
}

/// A header as psql holds it (`printTableAddHeader` passes it through `mbvalidate`).
pub(crate) fn header(t: &dyn Table, col: usize) -> Cow<'_, str> {
    width::mbvalidate(t.header(col))
}

/// A cell as psql holds it (`printTableAddCell` passes it through `mbvalidate`).
pub(crate) fn cell(t: &dyn Table, row: usize, col: usize) -> Cow<'_, str> {
    width::mbvalidate(t.cell(row, col))
}

/// Rows that have cells: psql walks its cell array, which a table without columns does not have.
pub(crate) fn cell_rows(t: &dyn Table) -> usize {
    if t.ncolumns() == 0 {
        0
    } else {
        t.nrows()
    }
}

/// The table's own footers (an empty list counts as none, as in psql's linked list).
pub(crate) fn footers(t: &dyn Table) -> Option<&[String]> {
    t.footers().filter(|f| !f.is_empty())
}

/// print.c's `footers_with_default`: the table's footers or, when it has none and `\pset footer` allows,
/// "(N rows)" counting the rows of earlier parts of the result.
pub(crate) fn footers_with_default<'a>(
    t: &'a dyn Table,
    opt: &PrintTableOpt,
) -> Option<Vec<Cow<'a, str>>> {
    match footers(t) {
        Some(f) => Some(f.iter().map(|s| Cow::Borrowed(s.as_str())).collect()),
        None if opt.default_footer => {
            let total = opt.prior_records + t.nrows() as u64;
            Some(vec![Cow::Owned(if total == 1 {
                "(1 row)".to_string()
            } else {
                format!("({total} rows)")
            })])
        }
        None => None,
    }
}

/// `count` spaces.
pub(crate) fn spaces(out: &mut dyn Write, count: usize) -> io::Result<()> {
    const SPACES: &[u8; 64] = &[b' '; 64];
    let mut left = count;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.write_all(&SPACES[..n])?;
        left -= n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::content::{Align, TableContent};

    fn table(nrows: usize) -> TableContent {
        let mut t = TableContent::new(None, nrows);
        t.add_header("a", Align::Left);
        for i in 0..nrows {
            t.add_cell(&i.to_string());
        }
        t
    }

    #[test]
    fn default_footer_counts_earlier_parts() {
        let mut opt = PrintTableOpt::default();
        let t = table(1);
        assert_eq!(
            footers_with_default(&t, &opt),
            Some(vec![Cow::from("(1 row)")])
        );
        opt.prior_records = 4;
        assert_eq!(
            footers_with_default(&t, &opt),
            Some(vec![Cow::from("(5 rows)")])
        );
        opt.default_footer = false;
        assert_eq!(footers_with_default(&t, &opt), None);
        let mut t = table(0);
        t.add_footer("custom");
        assert_eq!(
            footers_with_default(&t, &opt),
            Some(vec![Cow::from("custom")])
        );
    }

    #[test]
    fn output_columns_follow_psql_rules() {
        let mut opt = PrintTableOpt::default();
        let mut target = PrintTarget {
            term_columns: Some(80),
            ..PrintTarget::default()
        };
        assert_eq!(target.output_columns(&opt), 0, "a file has no width");
        target.is_terminal = true;
        assert_eq!(target.output_columns(&opt), 80);
        opt.env_columns = 100;
        assert_eq!(target.output_columns(&opt), 100, "$COLUMNS beats the ioctl");
        opt.columns = 30;
        assert_eq!(target.output_columns(&opt), 30, "\\pset columns beats both");
        opt.columns = -5;
        target.is_terminal = false;
        target.is_pager = true;
        assert_eq!(
            target.output_columns(&opt),
            100,
            "the pager counts as a terminal"
        );
    }

    fn two_columns(b: &str) -> TableContent {
        let mut t = TableContent::new(None, 1);
        t.add_header("a", Align::Right);
        t.add_header("b", Align::Left);
        t.add_cell("1");
        t.add_cell(b);
        t
    }

    fn render(t: &TableContent, opt: &PrintTableOpt, target: &PrintTarget) -> String {
        let mut out = Vec::new();
        print_table(t, opt, &mut out, target, None).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_terminal_uses_columns_from_the_environment_then_the_ioctl() {
        // psql 15 on a terminal (`script`), the pty's CRs removed:
        // COLUMNS=10 psql -P pager=off -c '\x auto' -c "select 1 as a, 'hello world' as b"
        let t = two_columns("hello world");
        let auto = PrintTableOpt {
            expanded: Expanded::Auto,
            env_columns: 10,
            ..PrintTableOpt::default()
        };
        let terminal = PrintTarget {
            is_terminal: true,
            term_columns: Some(80),
            ..PrintTarget::default()
        };
        assert_eq!(
            render(&t, &auto, &terminal),
            "-[ RECORD 1 ]--\na | 1\nb | hello world\n\n"
        );
        // The same options into a file: no width, no switch.
        assert_eq!(
            render(&t, &auto, &PrintTarget::default()),
            " a |      b      \n---+-------------\n 1 | hello world\n(1 row)\n\n"
        );
        // stty cols 12; psql -P pager=off -P format=wrapped -c "select 1 as a, 'hello world wide' as b"
        let t = two_columns("hello world wide");
        let wrapped = PrintTableOpt {
            format: PrintFormat::Wrapped,
            ..PrintTableOpt::default()
        };
        let narrow = PrintTarget {
            is_terminal: true,
            term_columns: Some(12),
            ..PrintTarget::default()
        };
        assert_eq!(
            render(&t, &wrapped, &narrow),
            " a |   b    \n---+--------\n 1 | hello .\n   |.world .\n   |.wide\n(1 row)\n\n"
        );
    }

    #[test]
    fn a_failing_log_does_not_stop_the_output() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Vec::new();
        let mut log = Broken;
        let r = print_table(
            &two_columns("x"),
            &PrintTableOpt::default(),
            &mut out,
            &PrintTarget::default(),
            Some(&mut log),
        );
        assert!(r.is_err());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " a | b \n---+---\n 1 | x\n(1 row)\n\n"
        );
    }

    #[test]
    fn cancelled_prints_nothing() {
        fn yes() -> bool {
            true
        }
        let target = PrintTarget {
            cancelled: yes,
            ..PrintTarget::default()
        };
        let mut out = Vec::new();
        let mut log = Vec::new();
        print_table(
            &table(2),
            &PrintTableOpt::default(),
            &mut out,
            &target,
            Some(&mut log),
        )
        .unwrap();
        assert!(out.is_empty() && log.is_empty());
    }
}
