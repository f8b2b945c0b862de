//! Display widths of UTF-8 text as psql computes them (`PQdsplen`/`ucs_wcwidth` of `src/common/wchar.c`,
//! `pg_wcswidth`, `pg_wcssize`, `pg_wcsformat` and `mbvalidate` of `src/fe_utils/mbprint.c`, and print.c's
//! `strlen_max_width`): control characters shown as `\r`, `\xNN` and `\uNNNN`, tabs expanded to the next
//! multiple of 8, East Asian wide characters two columns, combining characters none.

use super::width_tables::{COMBINING, EAST_ASIAN_FW};
use std::borrow::Cow;

fn in_table(ucs: u32, table: &[(u32, u32)]) -> bool {
    // As psql's mbbisearch: outside the table's range, no search.
    match (table.first(), table.last()) {
        (Some(&(first, _)), Some(&(_, last))) if (first..=last).contains(&ucs) => {}
        _ => return false,
    }
    table
        .binary_search_by(|&(first, last)| {
            if last < ucs {
                std::cmp::Ordering::Less
            } else if first > ucs {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `ucs_wcwidth`: 0 for NUL and combining characters, -1 for C0/C1 control characters and DEL, 2 for East
/// Asian wide and fullwidth characters, 1 for everything else.
pub fn char_width(c: char) -> i32 {
    let ucs = c as u32;
    if ucs == 0 {
        return 0;
    }
    if (0x20..0x7f).contains(&ucs) {
        // Printable ASCII, the common case.
        return 1;
    }
    if ucs < 0x20 || (0x7f..0xa0).contains(&ucs) {
        return -1;
    }
    // As PostgreSQL does, the non-spacing property wins over the wide one.
    if in_table(ucs, COMBINING) {
        return 0;
    }
    if in_table(ucs, EAST_ASIAN_FW) {
        return 2;
    }
    1
}

/// `pg_wcswidth`: the width of `s` on one line, ignoring control characters.
pub fn wcswidth(s: &str) -> usize {
    s.chars().map(|c| char_width(c).max(0) as usize).sum()
}

/// What `pg_wcssize` measures of a string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    /// Display width of the widest line.
    pub width: usize,
    /// Number of lines.
    pub height: usize,
    /// Bytes of the formatted text, each line counted with a terminator (psql's buffer size).
    pub format_size: usize,
}

/// `pg_wcssize`. Kept in step with [`Formatted::format`], as psql's two functions are.
pub fn wcssize(s: &str) -> Size {
    let mut width = 0;
    let mut linewidth = 0;
    let mut height = 1;
    let mut format_size = 0;
    for c in s.chars() {
        if c == '\0' {
            break;
        }
        let w = char_width(c);
        if c.is_ascii() {
            match c {
                '\n' => {
                    width = width.max(linewidth);
                    linewidth = 0;
                    height += 1;
                    format_size += 1;
                }
                '\r' => {
                    linewidth += 2;
                    format_size += 2;
                }
                '\t' => loop {
                    linewidth += 1;
                    format_size += 1;
                    if linewidth % 8 == 0 {
                        break;
                    }
                },
                _ if w < 0 => {
                    linewidth += 4;
                    format_size += 4;
                }
                _ => {
                    linewidth += w as usize;
                    format_size += 1;
                }
            }
        } else if w < 0 {
            // \u0085
            linewidth += 6;
            format_size += 6;
        } else {
            linewidth += w as usize;
            format_size += c.len_utf8();
        }
    }
    Size {
        width: width.max(linewidth),
        height,
        format_size: format_size + 1,
    }
}

/// One line of a formatted string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Line {
    start: usize,
    end: usize,
    width: usize,
}

/// `pg_wcsformat`'s output: a string made printable and split at its newlines. Reused from cell to cell so
/// that printing a million rows allocates once per column.
#[derive(Clone, Debug, Default)]
pub struct Formatted {
    text: String,
    lines: Vec<Line>,
}

impl Formatted {
    /// Format `s` (replacing what was there): `\r` becomes `\r`, other ASCII control characters `\xNN`,
    /// C1 control characters `\uNNNN`, tabs spaces up to the next multiple of 8.
    pub fn format(&mut self, s: &str) {
        use std::fmt::Write;
        self.text.clear();
        self.lines.clear();
        let mut start = 0;
        let mut linewidth = 0;
        for c in s.chars() {
            if c == '\0' {
                break;
            }
            let w = char_width(c);
            if c.is_ascii() {
                match c {
                    '\n' => {
                        self.lines.push(Line {
                            start,
                            end: self.text.len(),
                            width: linewidth,
                        });
                        start = self.text.len();
                        linewidth = 0;
                    }
                    '\r' => {
                        self.text.push_str("\\r");
                        linewidth += 2;
                    }
                    '\t' => loop {
                        self.text.push(' ');
                        linewidth += 1;
                        if linewidth % 8 == 0 {
                            break;
                        }
                    },
                    _ if w < 0 => {
                        let _ = write!(self.text, "\\x{:02X}", c as u32);
                        linewidth += 4;
                    }
                    _ => {
                        self.text.push(c);
                        linewidth += w as usize;
                    }
                }
            } else if w < 0 {
                let _ = write!(self.text, "\\u{:04X}", c as u32);
                linewidth += 6;
            } else {
                self.text.push(c);
                linewidth += w as usize;
            }
        }
        self.lines.push(Line {
            start,
            end: self.text.len(),
            width: linewidth,
        });
    }

    /// Number of lines (at least 1).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Line `i`, `None` past the last (psql's NULL `lineptr`).
    pub fn line(&self, i: usize) -> Option<&str> {
        self.lines.get(i).map(|l| &self.text[l.start..l.end])
    }

    /// Display width of line `i` (0 past the last).
    pub fn width(&self, i: usize) -> usize {
        self.lines.get(i).map_or(0, |l| l.width)
    }
}

/// print.c's `strlen_max_width`: the bytes of the longest prefix of `s` that fits in `target` columns (at
/// least one character, even if wider), and the columns that prefix fills.
pub fn strlen_max_width(s: &str, target: usize) -> (usize, usize) {
    let mut curr: i64 = 0;
    let target = target as i64;
    for (i, c) in s.char_indices() {
        let w = i64::from(char_width(c));
        if target < curr + w && curr != 0 {
            return (i, curr.max(0) as usize);
        }
        curr += w;
    }
    (s.len(), curr.max(0) as usize)
}

/// `mbvalidate` for UTF-8 as psql applies it to every header and cell: the text up to a NUL, without the
/// characters psql's `utf_charcheck` rejects. Of valid UTF-8 those are the noncharacters U+nFFFE and U+nFFFF
/// of the supplementary planes (psql's test for the BMP ones never matches, and surrogates cannot occur).
pub fn mbvalidate(s: &str) -> Cow<'_, str> {
    let s = match s.find('\0') {
        Some(i) => &s[..i],
        None => s,
    };
    // Only four-byte sequences can be rejected; most text has none.
    if !s.bytes().any(|b| b >= 0xf0) {
        return Cow::Borrowed(s);
    }
    let rejected = |c: char| (c as u32) > 0xffff && (c as u32) & 0xfffe == 0xfffe;
    if s.chars().any(rejected) {
        Cow::Owned(s.chars().filter(|&c| !rejected(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_widths_follow_postgresql_tables() {
        assert_eq!(char_width('a'), 1);
        assert_eq!(char_width('\0'), 0);
        assert_eq!(char_width('\x01'), -1);
        assert_eq!(char_width('\x7f'), -1);
        assert_eq!(char_width('\u{85}'), -1);
        assert_eq!(char_width('\u{a0}'), 1);
        assert_eq!(char_width('\u{301}'), 0);
        assert_eq!(char_width('漢'), 2);
        assert_eq!(char_width('😀'), 2);
        assert_eq!(char_width('é'), 1);
        assert_eq!(wcswidth("a漢\x01b"), 4);
    }

    #[test]
    fn sizes_count_escapes_tabs_and_lines() {
        assert_eq!(
            wcssize("ab\tc"),
            Size {
                width: 9,
                height: 1,
                format_size: 10
            }
        );
        assert_eq!(
            wcssize("a\nbb\r\n漢"),
            Size {
                width: 4,
                height: 3,
                format_size: 1 + 1 + 2 + 2 + 1 + 3 + 1
            }
        );
        assert_eq!(wcssize("\x01\u{85}").width, 10);
        assert_eq!(wcssize("").height, 1);
    }

    #[test]
    fn formatting_matches_the_measured_size() {
        let mut f = Formatted::default();
        for s in [
            "ab\tc",
            "x\r\n\x01y\u{85}",
            "",
            "trail\n",
            "漢字\tz",
            "e\u{301}",
        ] {
            f.format(s);
            let size = wcssize(s);
            assert_eq!(f.len(), size.height, "{s:?}");
            let widest = (0..f.len()).map(|i| f.width(i)).max().unwrap_or(0);
            assert_eq!(widest, size.width, "{s:?}");
            for i in 0..f.len() {
                assert_eq!(
                    wcswidth(f.line(i).unwrap_or("")),
                    f.width(i),
                    "{s:?} line {i}"
                );
            }
        }
        f.format("x\r\n\x01y\u{85}");
        assert_eq!(f.line(0), Some("x\\r"));
        assert_eq!(f.line(1), Some("\\x01y\\u0085"));
        assert_eq!(f.line(2), None);
        f.format("\tab\tc");
        assert_eq!(f.line(0), Some("        ab      c"));
    }

    #[test]
    fn prefixes_fit_the_target_width() {
        assert_eq!(strlen_max_width("abcdef", 4), (4, 4));
        assert_eq!(strlen_max_width("漢字漢", 3), (3, 2));
        // The first character is taken even when it is wider than the target.
        assert_eq!(strlen_max_width("漢字", 1), (3, 2));
        assert_eq!(strlen_max_width("ab", 10), (2, 2));
        assert_eq!(strlen_max_width("", 0), (0, 0));
    }

    #[test]
    fn validation_drops_supplementary_noncharacters_and_stops_at_nul() {
        assert_eq!(mbvalidate("non\u{1FFFF}char\u{10FFFE}"), "nonchar");
        assert_eq!(mbvalidate("ok 😀 \u{FFFF}"), "ok 😀 \u{FFFF}");
        assert!(matches!(mbvalidate("plain"), Cow::Borrowed(_)));
        assert_eq!(mbvalidate("a\0b"), "a");
    }
}
