//! psql's `printTable`: one table, in the format the options choose, to a writer (and its aligned form to
//! the `-L` log), plus what every format shares (the cells as psql sees them, the default footer, the width
//! to fit).

use super::content::Table;
use super::opts::{Expanded, PrintFormat, PrintTableOpt};
use super::{
    aligned, asciidoc, csv, html, json, latex, markdown, troff, unaligned, vertical, width,
};
use std::io::{self, BufWriter, Write};

pub use super::cells::PrintTarget;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::cells::footers_with_default;
    use crate::output::content::{Align, TableContent};
    use std::borrow::Cow;

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
