//! Owns turning a query result set into text: psql's `aligned`, `\x` expanded, `-A` unaligned and
//! `--csv` formats (byte-for-byte as psql 15 prints them with the default `ascii` linestyle), plus a
//! GitHub-flavoured markdown table.
//!
//! Where psql's behaviour is surprising, this module copies it on purpose:
//!
//! * Every render function returns exactly what psql writes to stdout. For `aligned` and expanded
//!   output that includes the blank line psql prints after each result (after the footer, or after
//!   the last row when the footer is off); unaligned and CSV output has no such line.
//! * Aligned: headers are centred (an odd leftover space goes to the right) and the header line is
//!   always padded to full width, so it ends in a space with `border` 1. Data cells are padded on
//!   every column except the last one, whose left-aligned text is not padded unless the cell
//!   continues on another line (then it is padded up to the `+` marker). A right-aligned last
//!   column is padded on the left as usual. Continuation lines of a multi-line row print a single
//!   space for a last column that has no more lines, so such lines end in `| `.
//! * NULL is shown as `TableOptions::null` everywhere psql uses `\pset null`, including CSV (psql
//!   prints the null string there too; with the default `""` that is an empty unquoted field). An
//!   empty string and NULL therefore look the same unless a null string is set.
//! * Cell text is laid out the way psql's `pg_wcsformat` does: `\n` splits lines, a tab becomes
//!   spaces up to the next multiple of 8 columns, `\r` is shown as `\r`, other ASCII control
//!   characters as `\xNN` and C1 controls as `\uNNNN`. Unaligned and CSV output print cells raw.
//! * Expanded mode prints no `(N rows)` footer, except for a result with no cells (no rows, or no
//!   columns), which psql prints as just the footer, e.g. `(0 rows)`. psql 15 sizes the data column
//!   by the widest value only, so a `-[ RECORD N ]` label wider than `header | value` sticks out
//!   past the values (psql 16 widens the column instead); this module prints what psql 15 does.
//! * `Expanded::Auto` switches to expanded output only when there is more than one column and
//!   the aligned table (psql's width estimate: sum of column widths plus border overhead) is
//!   wider than `terminal_width`; with no known width it stays aligned, as psql does when stdout
//!   is not a terminal.
//! * A result with zero columns prints the rule line (`--` with `border` 1) and the footer, and
//!   no data lines however many rows it has; in CSV it is one empty header line.
//! * CSV quotes a field that contains the separator, a quote, CR or LF, or is exactly `\.`
//!   (which COPY would read as end of data); an empty field is never quoted, even when it is a
//!   row's only field (unlike the csv crate's default, which writes `""` there).
//!
//! Known difference from psql 15: character widths come from `unicode-width` (whose 0.2.3 tables
//! are Unicode 18), summed one character at a time as psql does, while psql 15 has its own older
//! Unicode 14 tables. The two agree on ASCII, Latin, CJK and emoji (including variation selectors
//! and skin-tone modifiers). They disagree on about 5,800 code points, mostly format characters
//! such as U+200B..U+200F (zero-width space, ZWJ), U+2060..U+206F, U+00AD and U+FEFF (psql counts
//! 1 column, we count 0), Hangul jungseong/jongseong jamo, and letters of scripts added or
//! reclassified after Unicode 14.

use unicode_width::UnicodeWidthChar;

/// Horizontal alignment of a column's cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One result set ready for display. Cells are already text (None = SQL NULL); `align` says per
/// column whether it is numeric (Right) as psql does for int/float/numeric/money/oid columns.
///
/// A missing `align` entry means `Left`; a row shorter than `columns` is padded with NULLs and
/// extra cells are ignored.
#[derive(Clone, Copy, Debug)]
pub struct ResultTable<'a> {
    pub columns: &'a [String],
    pub align: &'a [Align],
    pub rows: &'a [Vec<Option<String>>],
}

/// psql's `\x` setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Expanded {
    #[default]
    Off,
    On,
    Auto,
}

/// The `\pset` options that change how a result is printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableOptions {
    /// psql `\pset null`: text shown for SQL NULL.
    pub null: String,
    pub expanded: Expanded,
    /// psql `\pset footer`: whether to print "(N rows)".
    pub footer: bool,
    /// Terminal width used by `Expanded::Auto`; `None` means unknown (never expand).
    pub terminal_width: Option<usize>,
    /// psql `\pset border`: 0, 1 or 2 (larger values act as 2).
    pub border: u8,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            null: String::new(),
            expanded: Expanded::Off,
            footer: true,
            terminal_width: None,
            border: 1,
        }
    }
}

/// psql's default footer: "(1 row)" / "(N rows)".
pub fn rows_footer(n: usize) -> String {
    if n == 1 {
        "(1 row)".to_string()
    } else {
        format!("({n} rows)")
    }
}

/// Display width of a string as this module lays it out: the widest of its lines, with tabs
/// expanded to 8-column stops and control characters counted as their escapes (see module doc).
pub fn display_width(s: &str) -> usize {
    format_text(s).width()
}

/// Picks aligned or expanded per `opts.expanded` (Auto: expanded when the aligned output is wider
/// than `terminal_width`, judged the way psql judges it).
pub fn render(t: &ResultTable, opts: &TableOptions) -> String {
    match opts.expanded {
        Expanded::Off => render_aligned(t, opts),
        Expanded::On => render_expanded(t, opts),
        Expanded::Auto => {
            let grid = Grid::new(t, opts);
            let too_wide = match opts.terminal_width {
                Some(w) if w > 0 => grid.ncols > 1 && grid.aligned_width(border(opts)) > w,
                _ => false,
            };
            let mut out = String::new();
            if too_wide {
                grid.write_expanded(&mut out, opts);
            } else {
                grid.write_aligned(&mut out, opts);
            }
            out
        }
    }
}

/// psql's `aligned` format (see the module doc for its padding rules).
pub fn render_aligned(t: &ResultTable, opts: &TableOptions) -> String {
    let mut out = String::new();
    Grid::new(t, opts).write_aligned(&mut out, opts);
    out
}

/// psql's `\x` expanded format: one `-[ RECORD N ]` block per row.
pub fn render_expanded(t: &ResultTable, opts: &TableOptions) -> String {
    let mut out = String::new();
    Grid::new(t, opts).write_expanded(&mut out, opts);
    out
}

/// psql's `-A` unaligned format with NULL printed as the empty string (psql's default).
#[cfg(test)]
pub fn render_unaligned(t: &ResultTable, sep: &str, header: bool, footer: bool) -> String {
    render_unaligned_null(t, sep, header, footer, "")
}

/// psql's `-A` unaligned format with `\pset null` text for NULL. `header: false, footer: false`
/// is psql's `-A -t`. Cells are printed raw, newlines included, and every line ends in `\n`.
#[cfg(test)]
pub fn render_unaligned_null(
    t: &ResultTable,
    sep: &str,
    header: bool,
    footer: bool,
    null: &str,
) -> String {
    let ncols = t.columns.len();
    let mut out = String::new();
    // psql separates records rather than terminating them, then ends whatever it printed last
    // with one newline; an empty `-At` result prints nothing at all.
    let mut need_newline = false;
    if header {
        out.push_str(&t.columns.join(sep));
        need_newline = true;
    }
    if ncols > 0 {
        for row in t.rows {
            if need_newline {
                out.push('\n');
            }
            for i in 0..ncols {
                if i > 0 {
                    out.push_str(sep);
                }
                out.push_str(cell_text(row, i, null));
            }
            need_newline = true;
        }
    }
    if footer {
        if need_newline {
            out.push('\n');
        }
        out.push_str(&rows_footer(t.rows.len()));
        need_newline = true;
    }
    if need_newline {
        out.push('\n');
    }
    out
}

/// psql's `--csv` format: a header line, then one line per row, fields quoted as psql quotes them
/// (see the module doc); NULL is `opts.null`, by default an empty unquoted field.
pub fn render_csv(t: &ResultTable, opts: &TableOptions) -> String {
    let ncols = t.columns.len();
    let mut out = String::new();
    for (i, name) in t.columns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_field(&mut out, name);
    }
    out.push('\n');
    if ncols > 0 {
        for row in t.rows {
            for i in 0..ncols {
                if i > 0 {
                    out.push(',');
                }
                push_csv_field(&mut out, cell_text(row, i, &opts.null));
            }
            out.push('\n');
        }
    }
    out
}

/// GitHub-flavoured markdown table: `|` escaped as `\|`, line breaks as `<br>`, NULL as
/// `opts.null`, right-aligned columns marked `---:` and padded on the left. The source is padded
/// by display width so it also reads well as plain text. With `opts.footer` a blank line and
/// "(N rows)" follow the table. A zero-column result has no table, only the footer.
pub fn render_markdown(t: &ResultTable, opts: &TableOptions) -> String {
    let ncols = t.columns.len();
    let mut out = String::new();
    if ncols > 0 {
        let header: Vec<String> = t.columns.iter().map(|c| markdown_escape(c)).collect();
        let body: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|row| {
                (0..ncols)
                    .map(|i| markdown_escape(cell_text(row, i, &opts.null)))
                    .collect()
            })
            .collect();
        // A delimiter cell needs at least three dashes to be recognised everywhere.
        let mut widths = vec![3usize; ncols];
        for line in std::iter::once(&header).chain(body.iter()) {
            for (w, cell) in widths.iter_mut().zip(line) {
                *w = (*w).max(markdown_width(cell));
            }
        }
        let aligns: Vec<Align> = (0..ncols).map(|i| column_align(t, i)).collect();
        let left = vec![Align::Left; ncols];
        push_markdown_row(&mut out, &header, &widths, &left);
        out.push('|');
        for (w, a) in widths.iter().zip(&aligns) {
            out.push(' ');
            match a {
                Align::Left => push_repeat(&mut out, '-', *w),
                Align::Right => {
                    push_repeat(&mut out, '-', w.saturating_sub(1));
                    out.push(':');
                }
            }
            out.push_str(" |");
        }
        out.push('\n');
        for line in &body {
            push_markdown_row(&mut out, line, &widths, &aligns);
        }
    }
    if opts.footer {
        if ncols > 0 {
            // Without the blank line GFM would read the footer as one more table row.
            out.push('\n');
        }
        out.push_str(&rows_footer(t.rows.len()));
        out.push('\n');
    }
    out
}

fn push_markdown_row(out: &mut String, cells: &[String], widths: &[usize], aligns: &[Align]) {
    out.push('|');
    for ((cell, w), a) in cells.iter().zip(widths).zip(aligns) {
        out.push(' ');
        let pad = w.saturating_sub(markdown_width(cell));
        match a {
            Align::Left => {
                out.push_str(cell);
                push_spaces(out, pad);
            }
            Align::Right => {
                push_spaces(out, pad);
                out.push_str(cell);
            }
        }
        out.push_str(" |");
    }
    out.push('\n');
}

fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn markdown_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

fn push_csv_field(out: &mut String, field: &str) {
    // `\.` alone on a line ends COPY data, so psql quotes it even though it has nothing special.
    let needs_quotes = field == "\\."
        || field
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if !needs_quotes {
        out.push_str(field);
        return;
    }
    let mut wtr = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(field.len() * 2 + 8)
        .from_writer(Vec::with_capacity(field.len() + 3));
    let quoted = wtr
        .write_record([field])
        .ok()
        .and_then(|()| wtr.into_inner().ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match quoted {
        Some(q) => out.push_str(q.strip_suffix('\n').unwrap_or(&q)),
        // Writing to a Vec cannot fail; quote by hand rather than drop the field if it ever did.
        None => {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        }
    }
}

fn cell_text<'r>(row: &'r [Option<String>], i: usize, null: &'r str) -> &'r str {
    match row.get(i) {
        Some(Some(s)) => s,
        _ => null,
    }
}

fn column_align(t: &ResultTable, i: usize) -> Align {
    t.align.get(i).copied().unwrap_or(Align::Left)
}

fn border(opts: &TableOptions) -> usize {
    usize::from(opts.border.min(2))
}

fn push_repeat(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}

fn push_spaces(out: &mut String, n: usize) {
    push_repeat(out, ' ', n);
}

/// Text split into display lines, each with its display width, as psql's `pg_wcsformat` does.
struct Formatted {
    lines: Vec<(String, usize)>,
}

impl Formatted {
    fn width(&self) -> usize {
        self.lines.iter().map(|(_, w)| *w).max().unwrap_or(0)
    }

    fn height(&self) -> usize {
        self.lines.len()
    }

    fn line(&self, i: usize) -> Option<(&str, usize)> {
        self.lines.get(i).map(|(s, w)| (s.as_str(), *w))
    }
}

fn format_text(s: &str) -> Formatted {
    let mut lines = Vec::new();
    let mut cur = String::with_capacity(s.len());
    let mut width = 0usize;
    for c in s.chars() {
        match c {
            '\n' => {
                lines.push((std::mem::take(&mut cur), width));
                width = 0;
            }
            '\r' => {
                cur.push_str("\\r");
                width += 2;
            }
            '\t' => {
                let stop = (width / 8 + 1) * 8;
                push_spaces(&mut cur, stop - width);
                width = stop;
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                cur.push_str(&format!("\\x{:02X}", c as u32));
                width += 4;
            }
            c if ('\u{80}'..'\u{a0}').contains(&c) => {
                cur.push_str(&format!("\\u{:04X}", c as u32));
                width += 6;
            }
            c => {
                cur.push(c);
                width += c.width().unwrap_or(0);
            }
        }
    }
    lines.push((cur, width));
    Formatted { lines }
}

/// A result with every header and cell already formatted for the aligned layouts.
struct Grid {
    ncols: usize,
    nrows: usize,
    headers: Vec<Formatted>,
    /// Row-major, `ncols` cells per row.
    cells: Vec<Formatted>,
    aligns: Vec<Align>,
    /// Per column: the widest header or cell line.
    widths: Vec<usize>,
}

impl Grid {
    fn new(t: &ResultTable, opts: &TableOptions) -> Grid {
        let ncols = t.columns.len();
        let headers: Vec<Formatted> = t.columns.iter().map(|c| format_text(c)).collect();
        let mut widths: Vec<usize> = headers.iter().map(Formatted::width).collect();
        let mut cells = Vec::with_capacity(ncols * t.rows.len());
        for row in t.rows {
            for (i, w) in widths.iter_mut().enumerate() {
                let f = format_text(cell_text(row, i, &opts.null));
                *w = (*w).max(f.width());
                cells.push(f);
            }
        }
        Grid {
            ncols,
            nrows: t.rows.len(),
            headers,
            cells,
            aligns: (0..ncols).map(|i| column_align(t, i)).collect(),
            widths,
        }
    }

    fn row(&self, r: usize) -> &[Formatted] {
        self.cells
            .get(r * self.ncols..(r + 1) * self.ncols)
            .unwrap_or(&[])
    }

    /// psql's estimate of the aligned table's width, used for `\x auto`.
    fn aligned_width(&self, border: usize) -> usize {
        let overhead = match border {
            0 => self.ncols,
            1 => (self.ncols * 3).saturating_sub(1),
            _ => self.ncols * 3 + 1,
        };
        overhead + self.widths.iter().sum::<usize>()
    }

    fn write_rule(&self, out: &mut String, border: usize) {
        match border {
            0 => {}
            1 => out.push('-'),
            _ => out.push_str("+-"),
        }
        for (i, w) in self.widths.iter().enumerate() {
            push_repeat(out, '-', *w);
            if i + 1 < self.ncols {
                out.push_str(if border == 0 { " " } else { "-+-" });
            }
        }
        match border {
            0 => {}
            1 => out.push('-'),
            _ => out.push_str("-+"),
        }
        out.push('\n');
    }

    fn write_aligned(&self, out: &mut String, opts: &TableOptions) {
        let border = border(opts);
        if border == 2 {
            self.write_rule(out, border);
        }
        let header_height = self.headers.iter().map(Formatted::height).max();
        for l in 0..header_height.unwrap_or(0) {
            if border == 2 {
                out.push('|');
            }
            for (i, (h, w)) in self.headers.iter().zip(&self.widths).enumerate() {
                if border != 0 {
                    out.push(' ');
                }
                match h.line(l) {
                    Some((text, tw)) => {
                        let spare = w.saturating_sub(tw);
                        push_spaces(out, spare / 2);
                        out.push_str(text);
                        push_spaces(out, spare - spare / 2);
                    }
                    None => push_spaces(out, *w),
                }
                out.push(if l + 1 < h.height() { '+' } else { ' ' });
                if border != 0 && i + 1 < self.ncols {
                    out.push('|');
                }
            }
            if border == 2 {
                out.push('|');
            }
            out.push('\n');
        }
        self.write_rule(out, border);

        for r in 0..self.nrows {
            let row = self.row(r);
            let height = row.iter().map(Formatted::height).max().unwrap_or(0);
            for l in 0..height {
                if border == 2 {
                    out.push('|');
                }
                for (j, ((cell, w), align)) in
                    row.iter().zip(&self.widths).zip(&self.aligns).enumerate()
                {
                    let not_last = j + 1 < self.ncols;
                    let final_spaces = border == 2 || not_last;
                    let continues = l + 1 < cell.height();
                    if border != 0 {
                        out.push(' ');
                    }
                    match cell.line(l) {
                        None => {
                            if final_spaces {
                                push_spaces(out, *w);
                            }
                        }
                        Some((text, tw)) => {
                            let spare = w.saturating_sub(tw);
                            match align {
                                Align::Right => {
                                    push_spaces(out, spare);
                                    out.push_str(text);
                                }
                                Align::Left => {
                                    out.push_str(text);
                                    if final_spaces || continues {
                                        push_spaces(out, spare);
                                    }
                                }
                            }
                        }
                    }
                    if continues {
                        out.push('+');
                    } else if final_spaces {
                        out.push(' ');
                    }
                    if border != 0 && not_last {
                        out.push('|');
                    }
                }
                if border == 2 {
                    out.push('|');
                }
                out.push('\n');
            }
        }

        if border == 2 {
            self.write_rule(out, border);
        }
        if opts.footer {
            out.push_str(&rows_footer(self.nrows));
            out.push('\n');
        }
        out.push('\n');
    }

    fn write_expanded(&self, out: &mut String, opts: &TableOptions) {
        let border = border(opts);
        if self.cells.is_empty() {
            if opts.footer {
                out.push_str(&rows_footer(self.nrows));
                out.push('\n');
            }
            out.push('\n');
            return;
        }

        let hwidth = self.headers.iter().map(Formatted::width).max().unwrap_or(0);
        let hmultiline = self.headers.iter().any(|h| h.height() > 1);
        let dwidth = self.cells.iter().map(Formatted::width).max().unwrap_or(0);
        let dmultiline = self.cells.iter().any(|c| c.height() > 1);

        let layout = Vertical {
            border,
            hwidth,
            dwidth,
            hmultiline,
            dmultiline,
        };
        for r in 0..self.nrows {
            write_record_line(out, border, r + 1, hwidth, dwidth);
            for (header, cell) in self.headers.iter().zip(self.row(r)) {
                layout.write_field(out, header, cell);
            }
        }
        if border == 2 {
            write_record_line(out, border, 0, hwidth, dwidth);
        }
        out.push('\n');
    }
}

/// Sizes shared by every field of an expanded result.
struct Vertical {
    border: usize,
    hwidth: usize,
    dwidth: usize,
    hmultiline: bool,
    dmultiline: bool,
}

impl Vertical {
    /// One `header | value` pair, header and value lines advancing side by side.
    fn write_field(&self, out: &mut String, header: &Formatted, cell: &Formatted) {
        let Vertical {
            border,
            hwidth,
            dwidth,
            hmultiline,
            dmultiline,
        } = *self;
        let (mut hline, mut dline) = (0usize, 0usize);
        let (mut hdone, mut ddone) = (false, false);
        while !hdone || !ddone {
            if border == 2 {
                out.push('|');
            }
            if !hdone {
                if border == 2 {
                    out.push(' ');
                }
                let (text, tw) = header.line(hline).unwrap_or(("", 0));
                out.push_str(text);
                push_spaces(out, hwidth.saturating_sub(tw));
                let marks = border > 0 || hmultiline;
                if hline + 1 < header.height() {
                    if marks {
                        out.push('+');
                    }
                    hline += 1;
                } else {
                    if marks {
                        out.push(' ');
                    }
                    hdone = true;
                }
            } else {
                let mut blank = hwidth + border;
                if border == 0 && hmultiline {
                    blank += 1;
                }
                // psql prints this with `%*s` of " ", so it is never narrower than one space.
                push_spaces(out, blank.max(1));
            }
            if border > 0 {
                out.push('|');
            }
            if !ddone {
                out.push(' ');
                let (text, tw) = cell.line(dline).unwrap_or(("", 0));
                out.push_str(text);
                let spare = dwidth.saturating_sub(tw);
                if dline + 1 < cell.height() {
                    if border > 1 || dmultiline {
                        push_spaces(out, spare);
                        out.push('+');
                    }
                    dline += 1;
                } else {
                    if border > 1 {
                        push_spaces(out, spare);
                        out.push(' ');
                    }
                    ddone = true;
                }
                if border == 2 {
                    out.push('|');
                }
                out.push('\n');
            } else if border < 2 {
                out.push('\n');
            } else {
                push_spaces(out, dwidth + 2);
                out.push_str("|\n");
            }
        }
    }
}

/// The `-[ RECORD N ]-+----` line (record 0: a plain rule, used as the bottom border), laid out
/// as psql's `print_aligned_vertical_line`: the label eats into the header and `-+-` columns
/// first, and only then into the data column.
fn write_record_line(out: &mut String, border: usize, record: usize, hwidth: usize, dwidth: usize) {
    let fill = if border > 0 { '-' } else { ' ' };
    match border {
        0 => {}
        1 => out.push('-'),
        _ => out.push_str("+-"),
    }
    let mut used = 0usize;
    if record > 0 {
        let label = if border == 0 {
            format!("* Record {record}")
        } else {
            format!("[ RECORD {record} ]")
        };
        out.push_str(&label);
        used = label.len();
    }
    if border != 2 {
        used += 1;
    }
    push_repeat(out, fill, hwidth.saturating_sub(used));
    let mut over = used.saturating_sub(hwidth);
    let joint: &[char] = if border > 0 { &['-', '+', '-'] } else { &[' '] };
    for c in joint {
        if over == 0 {
            out.push(*c);
        } else {
            over -= 1;
        }
    }
    push_repeat(out, fill, dwidth.saturating_sub(over));
    if border == 2 {
        out.push_str("-+");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    //! Expected strings are psql 15.18 output captured from real runs (`psql -X -c ...` with the
    //! options noted on each test), except for markdown, which psql does not have.
    use super::*;

    const L: Align = Align::Left;
    const R: Align = Align::Right;
    const N: Option<&str> = None;

    struct Data {
        columns: Vec<String>,
        align: Vec<Align>,
        rows: Vec<Vec<Option<String>>>,
    }

    impl Data {
        fn t(&self) -> ResultTable<'_> {
            ResultTable {
                columns: &self.columns,
                align: &self.align,
                rows: &self.rows,
            }
        }
    }

    fn data(cols: &[(&str, Align)], rows: &[&[Option<&str>]]) -> Data {
        Data {
            columns: cols.iter().map(|(c, _)| c.to_string()).collect(),
            align: cols.iter().map(|(_, a)| *a).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.map(str::to_string)).collect())
                .collect(),
        }
    }

    fn lines(ls: &[&str]) -> String {
        ls.iter().map(|l| format!("{l}\n")).collect()
    }

    fn opts() -> TableOptions {
        TableOptions::default()
    }

    fn null(s: &str) -> TableOptions {
        TableOptions {
            null: s.to_string(),
            ..TableOptions::default()
        }
    }

    fn bordered(border: u8) -> TableOptions {
        TableOptions {
            border,
            ..TableOptions::default()
        }
    }

    fn auto(width: Option<usize>) -> TableOptions {
        TableOptions {
            expanded: Expanded::Auto,
            terminal_width: width,
            ..TableOptions::default()
        }
    }

    /// select 1 as id, 'Alice' as name, 'a fairly long value' as description
    fn alice() -> Data {
        data(
            &[("id", R), ("name", L), ("description", L)],
            &[&[Some("1"), Some("Alice"), Some("a fairly long value")]],
        )
    }

    /// select 1 as id, E'a\nbb' as note, 'z' as last union all select -5, 'c', E'w\nww'
    fn two_multiline() -> Data {
        data(
            &[("id", R), ("note", L), ("last", L)],
            &[
                &[Some("1"), Some("a\nbb"), Some("z")],
                &[Some("-5"), Some("c"), Some("w\nww")],
            ],
        )
    }

    /// select 1 as id, E'a\nb' as note union all select 2, 'cc'
    fn expanded_pair() -> Data {
        data(
            &[("id", R), ("note", L)],
            &[&[Some("1"), Some("a\nb")], &[Some("2"), Some("cc")]],
        )
    }

    #[test]
    fn defaults_match_psql() {
        let o = TableOptions::default();
        assert_eq!(o.null, "");
        assert_eq!(o.expanded, Expanded::Off);
        assert!(o.footer);
        assert_eq!(o.terminal_width, None);
        assert_eq!(o.border, 1);
    }

    #[test]
    fn rows_footer_singular_and_plural() {
        assert_eq!(rows_footer(0), "(0 rows)");
        assert_eq!(rows_footer(1), "(1 row)");
        assert_eq!(rows_footer(2), "(2 rows)");
        assert_eq!(rows_footer(1000), "(1000 rows)");
    }

    #[test]
    fn display_width_counts_columns_not_bytes() {
        assert_eq!(display_width(""), 0);
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("é"), 1);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("日本語"), 6);
        assert_eq!(display_width("😀"), 2);
        assert_eq!(display_width("👍🏽"), 4);
        assert_eq!(display_width("❤\u{fe0f}"), 1);
        assert_eq!(display_width("ab\nlonger"), 6);
        assert_eq!(display_width("a\tb"), 9);
        assert_eq!(display_width("\u{1}"), 4);
        assert_eq!(display_width("x\ry"), 4);
    }

    // psql -c "select 1 as a, 'x' as b"
    #[test]
    fn aligned_basic_pads_header_but_not_last_cell() {
        let d = data(&[("a", R), ("b", L)], &[&[Some("1"), Some("x")]]);
        let expected = lines(&[" a | b ", "---+---", " 1 | x", "(1 row)", ""]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
        assert_eq!(render(&d.t(), &opts()), expected);
    }

    // psql -c "select 'é' as \"café\", '日本語' as \"名前\", '😀 ok' as emoji, 7 as n
    //          union all select 'ü', 'x', '👍🏽', 1234"
    #[test]
    fn aligned_unicode_uses_display_width() {
        let d = data(
            &[("café", L), ("名前", L), ("emoji", L), ("n", R)],
            &[
                &[Some("é"), Some("日本語"), Some("😀 ok"), Some("7")],
                &[Some("ü"), Some("x"), Some("👍🏽"), Some("1234")],
            ],
        );
        let expected = lines(&[
            " café |  名前  | emoji |  n   ",
            "------+--------+-------+------",
            " é    | 日本語 | 😀 ok |    7",
            " ü    | x      | 👍🏽  | 1234",
            "(2 rows)",
            "",
        ]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    fn nulls_and_empties() -> Data {
        // select 1 as n, null::text as t, ''::text as e union all select null, 'abc', null
        data(
            &[("n", R), ("t", L), ("e", L)],
            &[&[Some("1"), N, Some("")], &[N, Some("abc"), N]],
        )
    }

    // psql -P null=(null) -c "<nulls_and_empties>"
    #[test]
    fn aligned_null_string_is_aligned_like_a_value() {
        let expected = lines(&[
            "   n    |   t    |   e    ",
            "--------+--------+--------",
            "      1 | (null) | ",
            " (null) | abc    | (null)",
            "(2 rows)",
            "",
        ]);
        assert_eq!(
            render_aligned(&nulls_and_empties().t(), &null("(null)")),
            expected
        );
    }

    // psql -c "<nulls_and_empties>"
    #[test]
    fn aligned_null_and_empty_string_look_alike_by_default() {
        let expected = lines(&[
            " n |  t  | e ",
            "---+-----+---",
            " 1 |     | ",
            "   | abc | ",
            "(2 rows)",
            "",
        ]);
        assert_eq!(render_aligned(&nulls_and_empties().t(), &opts()), expected);
    }

    // psql -c "select * from (values (1, 'one', 3.14::numeric), (-42, 'minus', -0.5),
    //          (1234567, 'big', 100000000000)) v(id, name, amount)"
    #[test]
    fn aligned_right_aligns_numbers_including_negatives() {
        let d = data(
            &[("id", R), ("name", L), ("amount", R)],
            &[
                &[Some("1"), Some("one"), Some("3.14")],
                &[Some("-42"), Some("minus"), Some("-0.5")],
                &[Some("1234567"), Some("big"), Some("100000000000")],
            ],
        );
        let expected = lines(&[
            "   id    | name  |    amount    ",
            "---------+-------+--------------",
            "       1 | one   |         3.14",
            "     -42 | minus |         -0.5",
            " 1234567 | big   | 100000000000",
            "(3 rows)",
            "",
        ]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    // psql -c "select 1 as id, E'first\nsecond line' as note, E'x\nyy\nz' as last
    //          union all select 22, 'plain', 'p'"
    #[test]
    fn aligned_multiline_cells_get_plus_markers() {
        let d = data(
            &[("id", R), ("note", L), ("last", L)],
            &[
                &[Some("1"), Some("first\nsecond line"), Some("x\nyy\nz")],
                &[Some("22"), Some("plain"), Some("p")],
            ],
        );
        let expected = lines(&[
            " id |    note     | last ",
            "----+-------------+------",
            "  1 | first      +| x   +",
            "    | second line | yy  +",
            "    |             | z",
            " 22 | plain       | p",
            "(2 rows)",
            "",
        ]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    // psql -c "select 'v' as \"two<newline>lines\", 5 as n"
    #[test]
    fn aligned_multiline_header() {
        let d = data(&[("two\nlines", L), ("n", R)], &[&[Some("v"), Some("5")]]);
        let expected = lines(&[
            "  two +| n ",
            " lines |   ",
            "-------+---",
            " v     | 5",
            "(1 row)",
            "",
        ]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    // psql -c "select * from (values ('alpha'), ('be'), ('')) v(word)"
    #[test]
    fn aligned_single_column() {
        let d = data(
            &[("word", L)],
            &[&[Some("alpha")], &[Some("be")], &[Some("")]],
        );
        let expected = lines(&[" word  ", "-------", " alpha", " be", " ", "(3 rows)", ""]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    // psql -c "select 1 as id, 'x' as name where false"
    #[test]
    fn aligned_zero_rows() {
        let d = data(&[("id", R), ("name", L)], &[]);
        let expected = lines(&[" id | name ", "----+------", "(0 rows)", ""]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    // psql -c "select from generate_series(1,3)"
    #[test]
    fn aligned_zero_columns() {
        let d = data(&[], &[&[], &[], &[]]);
        assert_eq!(
            render_aligned(&d.t(), &opts()),
            lines(&["--", "(3 rows)", ""])
        );
    }

    #[test]
    fn aligned_zero_columns_other_borders() {
        let d = data(&[], &[&[]]);
        assert_eq!(
            render_aligned(&d.t(), &bordered(0)),
            lines(&["", "(1 row)", ""])
        );
        assert_eq!(
            render_aligned(&d.t(), &bordered(2)),
            lines(&["+--+", "+--+", "+--+", "(1 row)", ""])
        );
    }

    // psql -P border=0 -c "<two_multiline>"
    #[test]
    fn aligned_border_0() {
        let expected = lines(&[
            "id note last ",
            "-- ---- ----",
            " 1 a   +z",
            "   bb   ",
            "-5 c    w   +",
            "        ww",
            "(2 rows)",
            "",
        ]);
        assert_eq!(render_aligned(&two_multiline().t(), &bordered(0)), expected);
    }

    // psql -P border=2 -c "<two_multiline>"
    #[test]
    fn aligned_border_2() {
        let expected = lines(&[
            "+----+------+------+",
            "| id | note | last |",
            "+----+------+------+",
            "|  1 | a   +| z    |",
            "|    | bb   |      |",
            "| -5 | c    | w   +|",
            "|    |      | ww   |",
            "+----+------+------+",
            "(2 rows)",
            "",
        ]);
        assert_eq!(render_aligned(&two_multiline().t(), &bordered(2)), expected);
        // psql clamps larger borders to 2.
        assert_eq!(render_aligned(&two_multiline().t(), &bordered(7)), expected);
    }

    // psql -P footer=off -c "select 1 as a, 'x' as b"
    #[test]
    fn aligned_footer_off_keeps_blank_line() {
        let d = data(&[("a", R), ("b", L)], &[&[Some("1"), Some("x")]]);
        let o = TableOptions {
            footer: false,
            ..TableOptions::default()
        };
        assert_eq!(
            render_aligned(&d.t(), &o),
            lines(&[" a | b ", "---+---", " 1 | x", ""])
        );
    }

    // psql -c "select E'a\tb' as tab, E'x\ry' as cr, E'\u0001z' as ctl, E'\u0085' as c1"
    #[test]
    fn aligned_escapes_control_characters_like_psql() {
        let d = data(
            &[("tab", L), ("cr", L), ("ctl", L), ("c1", L)],
            &[&[Some("a\tb"), Some("x\ry"), Some("\u{1}z"), Some("\u{85}")]],
        );
        let expected = lines(&[
            "    tab    |  cr  |  ctl  |   c1   ",
            "-----------+------+-------+--------",
            " a       b | x\\ry | \\x01z | \\u0085",
            "(1 row)",
            "",
        ]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    // psql -c "select 'short' as s, repeat('wide ', 12) as long_text, 3 as n"
    #[test]
    fn aligned_wide_value_keeps_trailing_space() {
        let long = "wide ".repeat(12);
        let d = data(
            &[("s", L), ("long_text", L), ("n", R)],
            &[&[Some("short"), Some(long.as_str()), Some("3")]],
        );
        let expected = lines(&[
            "   s   |                          long_text                           | n ",
            "-------+--------------------------------------------------------------+---",
            " short | wide wide wide wide wide wide wide wide wide wide wide wide  | 3",
            "(1 row)",
            "",
        ]);
        assert_eq!(render_aligned(&d.t(), &opts()), expected);
    }

    #[test]
    fn ragged_input_does_not_panic() {
        let d = Data {
            columns: vec!["a".into(), "b".into()],
            align: vec![R],
            rows: vec![vec![Some("1".into())], vec![], vec![N.map(Into::into); 3]],
        };
        let o = null("-");
        let aligned = render_aligned(&d.t(), &o);
        assert_eq!(
            aligned,
            lines(&[" a | b ", "---+---", " 1 | -", " - | -", " - | -", "(3 rows)", ""])
        );
        assert!(render_expanded(&d.t(), &o).contains("b | -"));
        assert_eq!(render_csv(&d.t(), &o), lines(&["a,b", "1,-", "-,-", "-,-"]));
        assert!(render_markdown(&d.t(), &o).contains("|   1 | -   |"));
        assert_eq!(
            render_unaligned(&d.t(), "|", true, false),
            lines(&["a|b", "1|", "|", "|"])
        );
    }

    // psql -x -c "select 1 as id, 'Alice' as name, 'a fairly long value here' as description,
    //   null::text as very_long_column_name union all select 2, 'Bob', 'short', 'set'"
    #[test]
    fn expanded_multiple_records_with_long_column_name() {
        let d = data(
            &[
                ("id", R),
                ("name", L),
                ("description", L),
                ("very_long_column_name", L),
            ],
            &[
                &[
                    Some("1"),
                    Some("Alice"),
                    Some("a fairly long value here"),
                    N,
                ],
                &[Some("2"), Some("Bob"), Some("short"), Some("set")],
            ],
        );
        let expected = lines(&[
            "-[ RECORD 1 ]---------+-------------------------",
            "id                    | 1",
            "name                  | Alice",
            "description           | a fairly long value here",
            "very_long_column_name | ",
            "-[ RECORD 2 ]---------+-------------------------",
            "id                    | 2",
            "name                  | Bob",
            "description           | short",
            "very_long_column_name | set",
            "",
        ]);
        assert_eq!(render_expanded(&d.t(), &opts()), expected);
        let on = TableOptions {
            expanded: Expanded::On,
            ..TableOptions::default()
        };
        assert_eq!(render(&d.t(), &on), expected);
    }

    // psql -x -c "select E'line one\nline two' as \"multi<newline>head\", 42 as n"
    #[test]
    fn expanded_multiline_value_and_header() {
        let d = data(
            &[("multi\nhead", L), ("n", R)],
            &[&[Some("line one\nline two"), Some("42")]],
        );
        let expected = lines(&[
            "-[ RECORD 1 ]---",
            "multi+| line one+",
            "head  | line two",
            "n     | 42",
            "",
        ]);
        assert_eq!(render_expanded(&d.t(), &opts()), expected);
    }

    // psql -x -c "select 1 as id where false"
    #[test]
    fn expanded_zero_rows_prints_only_footer() {
        let d = data(&[("id", R)], &[]);
        assert_eq!(render_expanded(&d.t(), &opts()), lines(&["(0 rows)", ""]));
        let quiet = TableOptions {
            footer: false,
            ..TableOptions::default()
        };
        assert_eq!(render_expanded(&d.t(), &quiet), "\n");
        let no_columns = data(&[], &[&[], &[]]);
        assert_eq!(
            render_expanded(&no_columns.t(), &opts()),
            lines(&["(2 rows)", ""])
        );
    }

    // psql -x -P border=0 -c "<expanded_pair>"
    #[test]
    fn expanded_border_0() {
        let expected = lines(&[
            "* Record 1",
            "id   1",
            "note a +",
            "     b",
            "* Record 2",
            "id   2",
            "note cc",
            "",
        ]);
        assert_eq!(
            render_expanded(&expanded_pair().t(), &bordered(0)),
            expected
        );
    }

    // psql -x -P border=2 -c "<expanded_pair>"
    #[test]
    fn expanded_border_2() {
        let expected = lines(&[
            "+-[ RECORD 1 ]-+",
            "| id   | 1  |",
            "| note | a +|",
            "|      | b  |",
            "+-[ RECORD 2 ]-+",
            "| id   | 2  |",
            "| note | cc |",
            "+------+----+",
            "",
        ]);
        assert_eq!(
            render_expanded(&expanded_pair().t(), &bordered(2)),
            expected
        );
    }

    // psql -x -c "select 'v' as a from generate_series(1,10)"
    #[test]
    fn expanded_record_label_wider_than_fields() {
        let rows: Vec<&[Option<&str>]> = vec![&[Some("v")]; 10];
        let d = data(&[("a", L)], &rows);
        let mut want = Vec::new();
        for i in 1..=10 {
            want.push(format!("-[ RECORD {i} ]"));
            want.push("a | v".to_string());
        }
        want.push(String::new());
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        assert_eq!(render_expanded(&d.t(), &opts()), lines(&want));
    }

    // psql -x -P null=<NULL> -c "select null::int as n, 'x' as t"
    #[test]
    fn expanded_null_string() {
        let d = data(&[("n", R), ("t", L)], &[&[N, Some("x")]]);
        assert_eq!(
            render_expanded(&d.t(), &null("<NULL>")),
            lines(&["-[ RECORD 1 ]", "n | <NULL>", "t | x", ""])
        );
    }

    // psql -P expanded=auto -P columns=20 -c "<alice>"
    #[test]
    fn auto_expands_when_too_wide() {
        let expected = lines(&[
            "-[ RECORD 1 ]--------------------",
            "id          | 1",
            "name        | Alice",
            "description | a fairly long value",
            "",
        ]);
        assert_eq!(render(&alice().t(), &auto(Some(20))), expected);
    }

    // psql -P expanded=auto -P columns=34 / columns=33 -c "<alice>"; the table is 34 wide.
    #[test]
    fn auto_switches_exactly_past_the_table_width() {
        let aligned = lines(&[
            " id | name  |     description     ",
            "----+-------+---------------------",
            "  1 | Alice | a fairly long value",
            "(1 row)",
            "",
        ]);
        let expanded = lines(&[
            "-[ RECORD 1 ]--------------------",
            "id          | 1",
            "name        | Alice",
            "description | a fairly long value",
            "",
        ]);
        assert_eq!(render(&alice().t(), &auto(Some(34))), aligned);
        assert_eq!(render(&alice().t(), &auto(Some(33))), expanded);
        // Unknown width: psql only expands when it knows the terminal's width.
        assert_eq!(render(&alice().t(), &auto(None)), aligned);
        assert_eq!(render(&alice().t(), &auto(Some(0))), aligned);
        // With border 2 the same table is 36 wide.
        let b2 = |w| TableOptions {
            border: 2,
            ..auto(Some(w))
        };
        assert!(render(&alice().t(), &b2(36)).starts_with("+----+"));
        assert!(render(&alice().t(), &b2(35)).starts_with("+-[ RECORD 1 ]"));
    }

    // psql -P expanded=auto -P columns=5 -c "select 'a fairly long value' as description"
    #[test]
    fn auto_never_expands_a_single_column() {
        let d = data(&[("description", L)], &[&[Some("a fairly long value")]]);
        let expected = lines(&[
            "     description     ",
            "---------------------",
            " a fairly long value",
            "(1 row)",
            "",
        ]);
        assert_eq!(render(&d.t(), &auto(Some(5))), expected);
    }

    // psql --csv -c "select 1 as n, null::text as t, ''::text as e, 'a,b' as comma,
    //   'say \"hi\"' as quote, E'l1\nl2' as nl, E'\\.' as eod, ' sp ' as sp"
    #[test]
    fn csv_quotes_like_psql() {
        let d = data(
            &[
                ("n", R),
                ("t", L),
                ("e", L),
                ("comma", L),
                ("quote", L),
                ("nl", L),
                ("eod", L),
                ("sp", L),
            ],
            &[&[
                Some("1"),
                N,
                Some(""),
                Some("a,b"),
                Some("say \"hi\""),
                Some("l1\nl2"),
                Some("\\."),
                Some(" sp "),
            ]],
        );
        let expected = lines(&[
            "n,t,e,comma,quote,nl,eod,sp",
            "1,,,\"a,b\",\"say \"\"hi\"\"\",\"l1",
            "l2\",\"\\.\", sp ",
        ]);
        assert_eq!(render_csv(&d.t(), &opts()), expected);
    }

    // psql --csv -P null=NULL -c "select null::text as \"x,y\", 'é' as \"q\"\"\""
    #[test]
    fn csv_quotes_headers_and_prints_null_string() {
        let d = data(&[("x,y", L), ("q\"", L)], &[&[N, Some("é")]]);
        assert_eq!(
            render_csv(&d.t(), &null("NULL")),
            lines(&["\"x,y\",\"q\"\"\"", "NULL,é"])
        );
    }

    // psql --csv -c "select * from (values (''), (null), ('v')) v(a)"
    #[test]
    fn csv_lone_empty_field_is_not_quoted() {
        let d = data(&[("a", L)], &[&[Some("")], &[N], &[Some("v")]]);
        assert_eq!(render_csv(&d.t(), &opts()), lines(&["a", "", "", "v"]));
    }

    // psql --csv -c "select from generate_series(1,2)"
    #[test]
    fn csv_zero_columns() {
        let d = data(&[], &[&[], &[]]);
        assert_eq!(render_csv(&d.t(), &opts()), "\n");
    }

    #[test]
    fn csv_carriage_return_is_quoted() {
        let d = data(&[("a", L)], &[&[Some("x\ry")], &[Some("\\")]]);
        assert_eq!(render_csv(&d.t(), &opts()), "a\n\"x\ry\"\n\\\n");
    }

    fn unaligned_data() -> Data {
        // select 1 as n, null::text as t, E'a\nb' as ml union all select -2, 'x', 'y'
        data(
            &[("n", R), ("t", L), ("ml", L)],
            &[
                &[Some("1"), N, Some("a\nb")],
                &[Some("-2"), Some("x"), Some("y")],
            ],
        )
    }

    // psql -A -c "<unaligned_data>"
    #[test]
    fn unaligned_with_header_and_footer() {
        assert_eq!(
            render_unaligned(&unaligned_data().t(), "|", true, true),
            lines(&["n|t|ml", "1||a", "b", "-2|x|y", "(2 rows)"])
        );
    }

    // psql -A -t -F , -c "<unaligned_data>"
    #[test]
    fn unaligned_tuples_only_with_separator() {
        assert_eq!(
            render_unaligned(&unaligned_data().t(), ",", false, false),
            lines(&["1,,a", "b", "-2,x,y"])
        );
    }

    // psql -A -c / psql -A -t -c "select 1 as n where false"
    #[test]
    fn unaligned_zero_rows() {
        let d = data(&[("n", R)], &[]);
        assert_eq!(
            render_unaligned(&d.t(), "|", true, true),
            lines(&["n", "(0 rows)"])
        );
        assert_eq!(render_unaligned(&d.t(), "|", false, false), "");
    }

    // psql -A -P null=NULL -F <tab> -c "select 1 as n, null::text as t"
    #[test]
    fn unaligned_null_string() {
        let d = data(&[("n", R), ("t", L)], &[&[Some("1"), N]]);
        assert_eq!(
            render_unaligned_null(&d.t(), "\t", true, true, "NULL"),
            lines(&["n\tt", "1\tNULL", "(1 row)"])
        );
    }

    // psql -A -c "select from generate_series(1,2)"
    #[test]
    fn unaligned_zero_columns() {
        let d = data(&[], &[&[], &[]]);
        assert_eq!(
            render_unaligned(&d.t(), "|", true, true),
            lines(&["", "(2 rows)"])
        );
    }

    #[test]
    fn markdown_escapes_pipes_and_right_aligns_numbers() {
        let d = data(
            &[("id", R), ("a|b", L), ("note", L)],
            &[
                &[Some("1"), Some("x|y"), Some("two\nlines")],
                &[Some("-20"), N, Some("日本語")],
            ],
        );
        let expected = lines(&[
            "| id  | a\\|b | note         |",
            "| --: | ---- | ------------ |",
            "|   1 | x\\|y | two<br>lines |",
            "| -20 | NULL | 日本語       |",
            "",
            "(2 rows)",
        ]);
        assert_eq!(render_markdown(&d.t(), &null("NULL")), expected);
    }

    #[test]
    fn markdown_without_footer_and_edge_cases() {
        let quiet = TableOptions {
            footer: false,
            ..TableOptions::default()
        };
        let d = data(&[("a", L)], &[&[Some("x\r\ny")], &[N]]);
        assert_eq!(
            render_markdown(&d.t(), &quiet),
            lines(&["| a      |", "| ------ |", "| x<br>y |", "|        |"])
        );
        let empty = data(&[("n", R)], &[]);
        assert_eq!(
            render_markdown(&empty.t(), &opts()),
            lines(&["| n   |", "| --: |", "", "(0 rows)"])
        );
        let no_columns = data(&[], &[&[]]);
        assert_eq!(render_markdown(&no_columns.t(), &opts()), "(1 row)\n");
    }
}
