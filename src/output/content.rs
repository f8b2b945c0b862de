//! What a table holds, independent of how it is printed: psql's `printTableContent` as a trait, so a query
//! result is printed straight from its rows (no copy of a million cells) and a describe command's table
//! from cells it built ([`TableContent`]).

/// Horizontal alignment of a column (psql's `'l'`, `'r'`; psql itself never asks for `'c'`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Right,
}

impl Align {
    /// psql's alignment character.
    #[cfg(test)]
    pub fn from_char(c: char) -> Align {
        match c {
            'r' => Align::Right,
            _ => Align::Left,
        }
    }

    /// psql's alignment character (LaTeX and troff print it as the column's format).
    pub fn as_char(self) -> char {
        match self {
            Align::Left => 'l',
            Align::Right => 'r',
        }
    }
}

/// A table to print. Cells are text; a NULL is whatever text the caller chose for it (`\pset null`).
pub trait Table {
    /// The title above the table (`\pset title`, or a describe command's "Table \"public.t\"").
    fn title(&self) -> Option<&str>;
    fn ncolumns(&self) -> usize;
    fn nrows(&self) -> usize;
    fn header(&self, col: usize) -> &str;
    fn align(&self, col: usize) -> Align;
    /// The cell at `row`, `col` (both in range).
    fn cell(&self, row: usize, col: usize) -> &str;
    /// Footer lines; `None` means the default footer, "(N rows)", when the options allow it.
    fn footers(&self) -> Option<&[String]>;

    /// Whether the cell is SQL NULL. Only the data formats (JSON) tell NULL from its display text; a table
    /// built from text has none.
    fn is_null(&self, _row: usize, _col: usize) -> bool {
        false
    }

    /// The column's type OID, when the table is a query result (0 otherwise). Only the data formats
    /// use it: booleans and JSON values become JSON's own.
    fn type_oid(&self, _col: usize) -> u32 {
        0
    }
}

/// A table built cell by cell (psql's `printTableInit`, `printTableAddHeader`, `printTableAddCell`,
/// `printTableAddFooter`, `printTableSetFooter`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableContent {
    pub title: Option<String>,
    pub headers: Vec<String>,
    pub aligns: Vec<Align>,
    /// Row-major; `cells.len()` is at most `ncolumns * nrows`.
    pub cells: Vec<String>,
    pub nrows: usize,
    pub footers: Option<Vec<String>>,
}

impl TableContent {
    /// `printTableInit`: a table with this title and `nrows` rows to come.
    pub fn new(title: Option<&str>, nrows: usize) -> TableContent {
        TableContent {
            title: title.map(str::to_string),
            nrows,
            ..TableContent::default()
        }
    }

    /// `printTableAddHeader`.
    pub fn add_header(&mut self, header: &str, align: Align) {
        self.headers.push(header.to_string());
        self.aligns.push(align);
    }

    /// `printTableAddCell`.
    pub fn add_cell(&mut self, cell: &str) {
        self.cells.push(cell.to_string());
    }

    /// `printTableAddFooter`.
    pub fn add_footer(&mut self, footer: &str) {
        self.footers
            .get_or_insert_with(Vec::new)
            .push(footer.to_string());
    }

    /// `printTableSetFooter`: replace the last footer (or add the first).
    pub fn set_footer(&mut self, footer: &str) {
        let footers = self.footers.get_or_insert_with(Vec::new);
        match footers.last_mut() {
            Some(last) => *last = footer.to_string(),
            None => footers.push(footer.to_string()),
        }
    }
}

impl Table for TableContent {
    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    fn ncolumns(&self) -> usize {
        self.headers.len()
    }

    fn nrows(&self) -> usize {
        self.nrows
    }

    fn header(&self, col: usize) -> &str {
        &self.headers[col]
    }

    fn align(&self, col: usize) -> Align {
        self.aligns.get(col).copied().unwrap_or_default()
    }

    fn cell(&self, row: usize, col: usize) -> &str {
        self.cells
            .get(row * self.headers.len() + col)
            .map_or("", String::as_str)
    }

    fn footers(&self) -> Option<&[String]> {
        self.footers.as_deref()
    }
}
