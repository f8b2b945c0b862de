//! `\pset numericlocale`: psql's `format_numeric_locale` and the separators `setDecimalLocale` picks.

/// The decimal point, thousands separator and group size (print.c's statics set by `setDecimalLocale`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumericLocale {
    pub decimal_point: String,
    pub thousands_sep: String,
    pub groupdigits: usize,
}

impl Default for NumericLocale {
    /// What `setDecimalLocale` settles on in the C (and C.UTF-8) locale: `.`, `,` and groups of 3.
    fn default() -> Self {
        NumericLocale::from_lconv(".", "", 0)
    }
}

impl NumericLocale {
    /// `setDecimalLocale`'s rules over `localeconv()`'s fields: an empty decimal point is `.`, a group size
    /// outside 1..=6 is 3, an empty thousands separator is `,` (or `.` when the decimal point is `,`).
    pub fn from_lconv(decimal_point: &str, thousands_sep: &str, grouping: i32) -> NumericLocale {
        let decimal_point = if decimal_point.is_empty() {
            "."
        } else {
            decimal_point
        };
        let groupdigits = if (1..=6).contains(&grouping) {
            grouping as usize
        } else {
            3
        };
        let thousands_sep = if !thousands_sep.is_empty() {
            thousands_sep
        } else if decimal_point != "," {
            ","
        } else {
            "."
        };
        NumericLocale {
            decimal_point: decimal_point.to_string(),
            thousands_sep: thousands_sep.to_string(),
            groupdigits,
        }
    }

    /// `format_numeric_locale`: group the integer digits and localize the decimal point of something that
    /// looks like a number (only `0-9 + - . e E`); anything else (e.g. money, already localized) unchanged.
    pub fn format(&self, s: &str, out: &mut String) {
        if !s.bytes().all(|b| b"0123456789+-.eE".contains(&b)) {
            out.push_str(s);
            return;
        }
        let (sign, rest) = match s.as_bytes().first() {
            Some(b'-' | b'+') => s.split_at(1),
            _ => ("", s),
        };
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut leading = int_len % self.groupdigits;
        if leading == 0 {
            leading = self.groupdigits;
        }
        out.push_str(sign);
        for (i, d) in rest[..int_len].chars().enumerate() {
            if i > 0 {
                leading -= 1;
                if leading == 0 {
                    out.push_str(&self.thousands_sep);
                    leading = self.groupdigits;
                }
            }
            out.push(d);
        }
        let mut tail = &rest[int_len..];
        if let Some(t) = tail.strip_prefix('.') {
            out.push_str(&self.decimal_point);
            tail = t;
        }
        out.push_str(tail);
    }

    /// [`NumericLocale::format`] into a new string.
    #[cfg(test)]
    pub fn formatted(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
        self.format(s, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_locale_groups_by_three_with_commas() {
        // psql 15 (LC_ALL=C.UTF-8): `\pset numericlocale on` then
        // `select 1234567890123::int8, -1234567.891::numeric, 1e+20::float8, 0.5, '$1,234.56'::money`
        // prints 1,234,567,890,123 | -1,234,567.891 | 1e+20 | 0.5 | $1,234.56.
        let l = NumericLocale::default();
        assert_eq!(l.formatted("1234567890123"), "1,234,567,890,123");
        assert_eq!(l.formatted("-1234567.891"), "-1,234,567.891");
        assert_eq!(l.formatted("1e+20"), "1e+20");
        assert_eq!(l.formatted("0.5"), "0.5");
        assert_eq!(l.formatted("$1,234.56"), "$1,234.56");
        assert_eq!(l.formatted("123"), "123");
        assert_eq!(l.formatted("+1234"), "+1,234");
        assert_eq!(l.formatted("NaN"), "NaN");
        assert_eq!(l.formatted(""), "");
    }

    #[test]
    fn other_locales_use_their_separators() {
        let de = NumericLocale::from_lconv(",", ".", 3);
        assert_eq!(de.formatted("-1234567.5"), "-1.234.567,5");
        let no_sep = NumericLocale::from_lconv(",", "", 0);
        assert_eq!(no_sep.thousands_sep, ".");
        let india = NumericLocale::from_lconv(".", ",", 2);
        assert_eq!(india.formatted("1234567"), "1,23,45,67");
        assert_eq!(NumericLocale::from_lconv("", "", 9).groupdigits, 3);
    }
}
