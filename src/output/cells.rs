//! What every output format shares: the output target (`PrintTarget`: terminal, pager, width,
//! cancellation), the cells and headers as psql sees them, the default footer, padding.

use super::content::Table;
use super::opts::PrintTableOpt;
use super::width;
use std::borrow::Cow;
use std::io::{self, Write};

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
