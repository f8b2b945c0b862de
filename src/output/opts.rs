//! How a table is printed: psql's print options (`printTableOpt`, `printQueryOpt` and the line styles of
//! PostgreSQL's `fe_utils/print.h`), set by `\pset` and used by every output format.

/// The output format (`\pset format`). psql's nine, plus pgsh's JSON, JSON lines and Markdown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrintFormat {
    #[default]
    Aligned,
    Asciidoc,
    Csv,
    Html,
    Latex,
    LatexLongtable,
    TroffMs,
    Unaligned,
    Wrapped,
    /// pgsh: one JSON array of objects.
    Json,
    /// pgsh: one JSON object per line.
    Jsonl,
    /// pgsh: a GitHub-flavoured Markdown table.
    Markdown,
}

/// `\pset expanded` (`\x`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Expanded {
    #[default]
    Off,
    On,
    /// Expanded when the aligned table would be wider than the screen.
    Auto,
}

/// `\pset pager`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pager {
    Off,
    /// When the output is longer than the screen (and stdout is a terminal).
    #[default]
    On,
    Always,
}

/// `\pset linestyle`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineStyleKind {
    #[default]
    Ascii,
    OldAscii,
    Unicode,
}

/// `\pset unicode_border_linestyle` and friends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnicodeLinestyle {
    #[default]
    Single,
    Double,
}

/// Which horizontal rule of a table (`printTextRule`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextRule {
    Top = 0,
    Middle = 1,
    Bottom = 2,
    Data = 3,
}

/// The characters of one kind of line (`printTextLineFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineFormat {
    pub hrule: &'static str,
    pub leftvrule: &'static str,
    pub midvrule: &'static str,
    pub rightvrule: &'static str,
}

/// A complete line style (`printTextFormat`): `pg_asciiformat`, `pg_asciiformat_old`, or the Unicode one
/// built from the three Unicode line-style options (`refresh_utf8format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineStyle {
    pub name: &'static str,
    /// Indexed by [`TextRule`].
    pub lrule: [LineFormat; 4],
    pub midvrule_nl: &'static str,
    pub midvrule_wrap: &'static str,
    pub midvrule_blank: &'static str,
    pub header_nl_left: &'static str,
    pub header_nl_right: &'static str,
    pub nl_left: &'static str,
    pub nl_right: &'static str,
    pub wrap_left: &'static str,
    pub wrap_right: &'static str,
    pub wrap_right_border: bool,
}

/// A field or record separator for unaligned output: a string, or the zero byte (`-z`, `-0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Separator {
    pub text: String,
    pub zero: bool,
}

impl Separator {
    pub fn text(s: &str) -> Separator {
        Separator {
            text: s.to_string(),
            zero: false,
        }
    }

    /// The bytes written between fields or records.
    pub fn bytes(&self) -> &[u8] {
        if self.zero {
            b"\0"
        } else {
            self.text.as_bytes()
        }
    }
}

/// psql's `printTableOpt`: every `\pset` setting that shapes a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintTableOpt {
    pub format: PrintFormat,
    pub expanded: Expanded,
    /// 0 = none, 1 = dividing lines, 2 = full frame (psql accepts up to 65535 and prints >2 as 2 for
    /// most formats; HTML uses the number).
    pub border: u16,
    pub pager: Pager,
    /// Do not page unless the output has at least this many lines. An `int` as in psql (`\pset
    /// pager_min_lines` takes `atoi` of its argument, so it can be negative).
    pub pager_min_lines: i32,
    /// `\t`: no headers, titles or footers.
    pub tuples_only: bool,
    /// Print the start decoration (`<table>`, `\begin{tabular}`); false for the later parts of a
    /// FETCH_COUNT result.
    pub start_table: bool,
    /// Print the end decoration and footers.
    pub stop_table: bool,
    /// `\pset footer`: allow the "(N rows)" footer.
    pub default_footer: bool,
    /// Records printed before this part (FETCH_COUNT), so expanded record numbers continue.
    pub prior_records: u64,
    pub line_style: LineStyleKind,
    pub field_sep: Separator,
    pub record_sep: Separator,
    pub csv_field_sep: char,
    /// `\pset numericlocale`.
    pub numeric_locale: bool,
    /// `\pset tableattr` (HTML `<table …>` attributes, LaTeX longtable column widths).
    pub table_attr: Option<String>,
    /// `$COLUMNS` when psql started (0 = unset).
    pub env_columns: i32,
    /// `\pset columns` (0 or less = use the terminal's width). An `int` as in psql, which shows a negative
    /// value back ("Target width is -5.").
    pub columns: i32,
    pub unicode_border_linestyle: UnicodeLinestyle,
    pub unicode_column_linestyle: UnicodeLinestyle,
    pub unicode_header_linestyle: UnicodeLinestyle,
}

impl Default for PrintTableOpt {
    /// psql's defaults (startup.c): aligned, border 1, pager on, footers on, `|` and newline separators.
    fn default() -> Self {
        PrintTableOpt {
            format: PrintFormat::Aligned,
            expanded: Expanded::Off,
            border: 1,
            pager: Pager::On,
            pager_min_lines: 0,
            tuples_only: false,
            start_table: true,
            stop_table: true,
            default_footer: true,
            prior_records: 0,
            line_style: LineStyleKind::Ascii,
            field_sep: Separator::text("|"),
            record_sep: Separator::text("\n"),
            csv_field_sep: ',',
            numeric_locale: false,
            table_attr: None,
            env_columns: 0,
            columns: 0,
            unicode_border_linestyle: UnicodeLinestyle::Single,
            unicode_column_linestyle: UnicodeLinestyle::Single,
            unicode_header_linestyle: UnicodeLinestyle::Single,
        }
    }
}

/// psql's `printQueryOpt`: table options plus what `printQuery` adds for a query result.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PrintQueryOpt {
    pub topt: PrintTableOpt,
    /// `\pset null`.
    pub null_print: String,
    /// `\pset title` (`\C`).
    pub title: Option<String>,
    /// Footers replacing the default "(N rows)" (describe commands set these).
    pub footers: Option<Vec<String>>,
    /// psql translates headers with gettext; pgsh prints English only, so this is kept for fidelity of
    /// the ported code and has no effect.
    pub translate_header: bool,
    /// Columns whose values psql would translate (no effect, as above).
    pub translate_columns: Vec<bool>,
}
