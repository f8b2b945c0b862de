//! The line styles of aligned output (print.c's `pg_asciiformat`, `pg_asciiformat_old`, the Unicode style
//! that `refresh_utf8format` builds from the three `unicode_*_linestyle` options, and `get_line_style`).

use super::opts::{LineFormat, LineStyle, LineStyleKind, PrintTableOpt, UnicodeLinestyle};

const fn lf(
    hrule: &'static str,
    leftvrule: &'static str,
    midvrule: &'static str,
    rightvrule: &'static str,
) -> LineFormat {
    LineFormat {
        hrule,
        leftvrule,
        midvrule,
        rightvrule,
    }
}

/// `pg_asciiformat` (`\pset linestyle ascii`, the default).
pub const ASCII: LineStyle = LineStyle {
    name: "ascii",
    lrule: [
        lf("-", "+", "+", "+"),
        lf("-", "+", "+", "+"),
        lf("-", "+", "+", "+"),
        lf("", "|", "|", "|"),
    ],
    midvrule_nl: "|",
    midvrule_wrap: "|",
    midvrule_blank: "|",
    header_nl_left: " ",
    header_nl_right: "+",
    nl_left: " ",
    nl_right: "+",
    wrap_left: ".",
    wrap_right: ".",
    wrap_right_border: true,
};

/// `pg_asciiformat_old` (`\pset linestyle old-ascii`, psql 8.4's look).
pub const OLD_ASCII: LineStyle = LineStyle {
    name: "old-ascii",
    lrule: [
        lf("-", "+", "+", "+"),
        lf("-", "+", "+", "+"),
        lf("-", "+", "+", "+"),
        lf("", "|", "|", "|"),
    ],
    midvrule_nl: ":",
    midvrule_wrap: ";",
    midvrule_blank: " ",
    header_nl_left: "+",
    header_nl_right: " ",
    nl_left: " ",
    nl_right: " ",
    wrap_left: " ",
    wrap_right: " ",
    wrap_right_border: false,
};

/// One horizontal rule's pieces in print.c's `unicodeStyleRowFormat`: the line, and the left and right
/// junctions indexed by the border style.
struct RowStyle {
    horizontal: &'static str,
    vertical_and_right: [&'static str; 2],
    vertical_and_left: [&'static str; 2],
}

/// `unicodeStyleColumnFormat`: the column separator and its junctions, indexed by the crossing line's style.
struct ColumnStyle {
    vertical: &'static str,
    vertical_and_horizontal: [&'static str; 2],
    up_and_horizontal: [&'static str; 2],
    down_and_horizontal: [&'static str; 2],
}

/// `unicodeStyleBorderFormat`.
struct BorderStyle {
    up_and_right: &'static str,
    vertical: &'static str,
    down_and_right: &'static str,
    horizontal: &'static str,
    down_and_left: &'static str,
    left_and_right: &'static str,
}

const ROW_STYLE: [RowStyle; 2] = [
    RowStyle {
        horizontal: "\u{2500}",
        vertical_and_right: ["\u{251C}", "\u{255F}"],
        vertical_and_left: ["\u{2524}", "\u{2562}"],
    },
    RowStyle {
        horizontal: "\u{2550}",
        vertical_and_right: ["\u{255E}", "\u{2560}"],
        vertical_and_left: ["\u{2561}", "\u{2563}"],
    },
];

const COLUMN_STYLE: [ColumnStyle; 2] = [
    ColumnStyle {
        vertical: "\u{2502}",
        vertical_and_horizontal: ["\u{253C}", "\u{256A}"],
        up_and_horizontal: ["\u{2534}", "\u{2567}"],
        down_and_horizontal: ["\u{252C}", "\u{2564}"],
    },
    ColumnStyle {
        vertical: "\u{2551}",
        vertical_and_horizontal: ["\u{256B}", "\u{256C}"],
        up_and_horizontal: ["\u{2568}", "\u{2569}"],
        down_and_horizontal: ["\u{2565}", "\u{2566}"],
    },
];

const BORDER_STYLE: [BorderStyle; 2] = [
    BorderStyle {
        up_and_right: "\u{2514}",
        vertical: "\u{2502}",
        down_and_right: "\u{250C}",
        horizontal: "\u{2500}",
        down_and_left: "\u{2510}",
        left_and_right: "\u{2518}",
    },
    BorderStyle {
        up_and_right: "\u{255A}",
        vertical: "\u{2551}",
        down_and_right: "\u{2554}",
        horizontal: "\u{2550}",
        down_and_left: "\u{2557}",
        left_and_right: "\u{255D}",
    },
];

fn index(style: UnicodeLinestyle) -> usize {
    match style {
        UnicodeLinestyle::Single => 0,
        UnicodeLinestyle::Double => 1,
    }
}

/// The Unicode line style for these border, column and header styles (`refresh_utf8format`).
pub fn unicode(
    border_style: UnicodeLinestyle,
    column_style: UnicodeLinestyle,
    header_style: UnicodeLinestyle,
) -> LineStyle {
    let b = index(border_style);
    let h = index(header_style);
    let border = &BORDER_STYLE[b];
    let header = &ROW_STYLE[h];
    let column = &COLUMN_STYLE[index(column_style)];
    LineStyle {
        name: "unicode",
        lrule: [
            lf(
                border.horizontal,
                border.down_and_right,
                column.down_and_horizontal[b],
                border.down_and_left,
            ),
            lf(
                header.horizontal,
                header.vertical_and_right[b],
                column.vertical_and_horizontal[h],
                header.vertical_and_left[b],
            ),
            lf(
                border.horizontal,
                border.up_and_right,
                column.up_and_horizontal[b],
                border.left_and_right,
            ),
            lf("", border.vertical, column.vertical, border.vertical),
        ],
        midvrule_nl: column.vertical,
        midvrule_wrap: column.vertical,
        midvrule_blank: column.vertical,
        header_nl_left: " ",
        header_nl_right: "\u{21B5}",
        nl_left: " ",
        nl_right: "\u{21B5}",
        wrap_left: "\u{2026}",
        wrap_right: "\u{2026}",
        wrap_right_border: true,
    }
}

/// `get_line_style`: the style the options select.
pub fn get_line_style(opt: &PrintTableOpt) -> LineStyle {
    match opt.line_style {
        LineStyleKind::Ascii => ASCII,
        LineStyleKind::OldAscii => OLD_ASCII,
        LineStyleKind::Unicode => unicode(
            opt.unicode_border_linestyle,
            opt.unicode_column_linestyle,
            opt.unicode_header_linestyle,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::opts::TextRule;

    #[test]
    fn unicode_styles_combine_as_psql_does() {
        let single = unicode(
            UnicodeLinestyle::Single,
            UnicodeLinestyle::Single,
            UnicodeLinestyle::Single,
        );
        let top = single.lrule[TextRule::Top as usize];
        assert_eq!(
            (top.leftvrule, top.midvrule, top.rightvrule),
            ("┌", "┬", "┐")
        );
        let mid = single.lrule[TextRule::Middle as usize];
        assert_eq!((mid.hrule, mid.leftvrule, mid.midvrule), ("─", "├", "┼"));
        // Double border, single columns, double header rule (psql 15: `\pset unicode_border_linestyle
        // double`, `\pset unicode_header_linestyle double`, border 2: "╔═══╤═══╗", "╠═══╪═══╣").
        let mixed = unicode(
            UnicodeLinestyle::Double,
            UnicodeLinestyle::Single,
            UnicodeLinestyle::Double,
        );
        let top = mixed.lrule[TextRule::Top as usize];
        assert_eq!(
            (top.leftvrule, top.hrule, top.midvrule, top.rightvrule),
            ("╔", "═", "╤", "╗")
        );
        let mid = mixed.lrule[TextRule::Middle as usize];
        assert_eq!(
            (mid.leftvrule, mid.hrule, mid.midvrule, mid.rightvrule),
            ("╠", "═", "╪", "╣")
        );
        let data = mixed.lrule[TextRule::Data as usize];
        assert_eq!((data.leftvrule, data.midvrule), ("║", "│"));
    }

    #[test]
    fn the_options_pick_the_style() {
        let mut opt = PrintTableOpt::default();
        assert_eq!(get_line_style(&opt).name, "ascii");
        opt.line_style = LineStyleKind::OldAscii;
        assert_eq!(get_line_style(&opt), OLD_ASCII);
        opt.line_style = LineStyleKind::Unicode;
        assert_eq!(get_line_style(&opt).name, "unicode");
    }
}
