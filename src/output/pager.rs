//! When psql pages a table, as pure functions: the line count it would pass to `PageOutput` (`IsPagerNeeded`
//! and the aligned formats' own checks: newlines, wrapping, a table wider than the screen), `PageOutput`'s
//! decision, and the pager command. The engine opens and closes the pager.

use super::aligned::TextLayout;
use super::cells::{cell, cell_rows, footers, PrintTarget};
use super::content::Table;
use super::opts::{Expanded, Pager, PrintFormat, PrintTableOpt};
use super::width::wcssize;

/// What psql passes to `PageOutput` to force the pager (`INT_MAX`): a table wider than the screen, and
/// every part of a FETCH_COUNT result after a full first one.
pub const FORCE: i64 = i32::MAX as i64;

/// `IsPagerNeeded`'s count: a line per row (and the header line), or per field and record header when
/// expanded; plus one per footer (psql counts footers, not their lines) and `extra_lines`.
fn is_pager_needed(t: &dyn Table, opt: &PrintTableOpt, extra_lines: i64, expanded: bool) -> i64 {
    let nrows = t.nrows() as i64;
    let mut lines = if expanded {
        (t.ncolumns() as i64 + 1) * nrows
    } else {
        nrows + 1
    };
    if !opt.tuples_only {
        lines += footers(t).map_or(0, |f| f.len() as i64);
    }
    lines + extra_lines
}

/// `print_aligned_vertical`'s check: none for an empty table printed whole (just its footer).
fn vertical_lines(t: &dyn Table, opt: &PrintTableOpt) -> Option<i64> {
    if cell_rows(t) == 0 && opt.start_table && opt.stop_table {
        None
    } else {
        Some(is_pager_needed(t, opt, 0, true))
    }
}

/// The number of lines psql would give `PageOutput` before printing `t` to `target`, or `None` when it
/// would not consider the pager (the output is not the terminal, or is the pager already). The engine then
/// asks [`page_output`] whether to open it, and prints with the same target.
pub fn pager_lines(t: &dyn Table, opt: &PrintTableOpt, target: &PrintTarget) -> Option<i64> {
    if target.is_pager || !target.is_terminal {
        return None;
    }
    match opt.format {
        PrintFormat::Aligned | PrintFormat::Wrapped => {
            if opt.expanded == Expanded::On {
                return vertical_lines(t, opt);
            }
            let layout = TextLayout::compute(t, opt, target);
            if layout.wants_vertical(t, opt) {
                return vertical_lines(t, opt);
            }
            if layout.too_wide() {
                return Some(FORCE);
            }
            // Lines beyond the first that newlines and wrapping add to each row (its tallest cell), and
            // the tallest header's height.
            let ncols = t.ncolumns();
            let mut extra = layout.header_lines as i64;
            for r in 0..cell_rows(t) {
                let mut row_extra = 0;
                for c in 0..ncols {
                    let size = wcssize(&cell(t, r, c));
                    let wrap = layout.width_wrap[c];
                    if size.width > 0 && wrap > 0 {
                        let lines = ((size.width - 1) / wrap + size.height) as i64 - 1;
                        row_extra = row_extra.max(lines);
                    }
                }
                extra += row_extra;
            }
            Some(is_pager_needed(t, opt, extra, false))
        }
        _ => Some(is_pager_needed(t, opt, 0, opt.expanded == Expanded::On)),
    }
}

/// `PageOutput`'s decision: page when `\pset pager` is on and stdin and stdout are terminals, and the
/// output has at least as many lines as the screen (a one-line prompt is allowed for) and at least
/// `pager_min_lines`, or the screen size is unknown, or `\pset pager always`.
pub fn page_output(
    lines: i64,
    opt: &PrintTableOpt,
    stdin_tty: bool,
    stdout_tty: bool,
    screen_rows: Option<u16>,
) -> bool {
    if opt.pager == Pager::Off || !stdin_tty || !stdout_tty {
        return false;
    }
    match screen_rows {
        None => true,
        Some(rows) => {
            (lines >= i64::from(rows) && lines >= i64::from(opt.pager_min_lines))
                || opt.pager == Pager::Always
        }
    }
}

/// The pager program: `$PSQL_PAGER`, else `$PAGER`, else `less`; `None` (no pager) when the variable that
/// applies is empty or all white space.
pub fn pager_command(psql_pager: Option<&str>, pager: Option<&str>) -> Option<String> {
    match psql_pager.or(pager) {
        None => Some("less".to_string()),
        Some(p) if p.trim_matches([' ', '\t', '\r', '\n']).is_empty() => None,
        Some(p) => Some(p.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::content::{Align, TableContent};

    fn table(rows: &[&[&str]]) -> TableContent {
        let mut t = TableContent::new(None, rows.len());
        t.add_header("a", Align::Left);
        t.add_header("b", Align::Left);
        for r in rows {
            for c in *r {
                t.add_cell(c);
            }
        }
        t
    }

    fn terminal(columns: u32) -> PrintTarget {
        PrintTarget {
            is_terminal: true,
            term_columns: Some(columns),
            ..PrintTarget::default()
        }
    }

    #[test]
    fn aligned_counts_rows_header_newlines_and_wrapping() {
        let opt = PrintTableOpt::default();
        // psql 15, print.c: nrows + 1, plus the header's height (1), plus the extra lines of the tallest
        // cell of each row.
        let t = table(&[&["x", "y"], &["two\nlines", "z"], &["a\nb\nc", "d\ne"]]);
        assert_eq!(
            pager_lines(&t, &opt, &terminal(80)),
            Some(3 + 1 + 1 + 1 + 2)
        );
        assert_eq!(
            pager_lines(&t, &opt, &PrintTarget::default()),
            None,
            "not a terminal"
        );
        let wrapped = PrintTableOpt {
            format: PrintFormat::Wrapped,
            columns: 12,
            ..PrintTableOpt::default()
        };
        // The first column shrinks to 12 - 5 (rules and spaces) - 1 (the second column) = 6, so
        // "abcdefghijklmnop" takes two more lines.
        let t = table(&[&["abcdefghijklmnop", "y"]]);
        assert_eq!(pager_lines(&t, &wrapped, &terminal(80)), Some(2 + 1 + 2));
    }

    #[test]
    fn too_wide_forces_and_expanded_counts_fields() {
        let t = table(&[&["a long value here", "another long value"]]);
        let opt = PrintTableOpt::default();
        assert_eq!(pager_lines(&t, &opt, &terminal(20)), Some(FORCE));
        let auto = PrintTableOpt {
            expanded: Expanded::Auto,
            ..PrintTableOpt::default()
        };
        assert_eq!(pager_lines(&t, &auto, &terminal(20)), Some(3));
        let mut with_footer = t.clone();
        with_footer.add_footer("f1");
        with_footer.add_footer("f2");
        let csv = PrintTableOpt {
            format: PrintFormat::Csv,
            ..PrintTableOpt::default()
        };
        assert_eq!(pager_lines(&with_footer, &csv, &terminal(20)), Some(2 + 2));
        let empty = table(&[]);
        let on = PrintTableOpt {
            expanded: Expanded::On,
            ..PrintTableOpt::default()
        };
        assert_eq!(pager_lines(&empty, &on, &terminal(20)), None);
    }

    #[test]
    fn page_output_and_command() {
        let mut opt = PrintTableOpt::default();
        assert!(page_output(24, &opt, true, true, Some(24)));
        assert!(!page_output(23, &opt, true, true, Some(24)));
        assert!(!page_output(100, &opt, false, true, Some(24)));
        assert!(page_output(1, &opt, true, true, None));
        opt.pager_min_lines = 50;
        assert!(!page_output(30, &opt, true, true, Some(24)));
        opt.pager = Pager::Always;
        assert!(page_output(1, &opt, true, true, Some(24)));
        opt.pager = Pager::Off;
        assert!(!page_output(FORCE, &opt, true, true, Some(24)));
        assert_eq!(pager_command(None, None).as_deref(), Some("less"));
        assert_eq!(
            pager_command(Some("most"), Some("more")).as_deref(),
            Some("most")
        );
        assert_eq!(pager_command(None, Some(" \t")), None);
    }
}
