//! psql's readings of variable values (`ParseVariableBool`, `ParseVariableNum` of `variables.c`), used by
//! special variables, `\pset`, `\timing`, `\set` hooks and every on/off argument.

/// `ParseVariableBool`: `true false yes no on off 1 0` and unique prefixes of the words, any case.
pub fn parse_bool(value: &str) -> Option<bool> {
    let len = value.len();
    let lower = value.to_ascii_lowercase();
    // A prefix of `word` at least `min` long (pg_strncasecmp(value, word, max(len, min)) == 0).
    let prefix =
        |word: &str, min: usize| len >= min && word.len() >= len && word.starts_with(&lower);
    if prefix("true", 1) || prefix("yes", 1) {
        Some(true)
    } else if prefix("false", 1) || prefix("no", 1) {
        Some(false)
    } else if prefix("on", 2) {
        // "o" alone is not unique enough.
        Some(true)
    } else if prefix("off", 2) {
        Some(false)
    } else if value == "1" {
        Some(true)
    } else if value == "0" {
        Some(false)
    } else {
        None
    }
}

/// The error `ParseVariableBool` reports for a value it cannot read.
pub fn bool_error(value: &str, name: &str) -> String {
    format!("unrecognized value \"{value}\" for \"{name}\": Boolean expected")
}

/// `ParseVariableNum`: an `int` as C's `strtol(value, &end, 0)` reads it, the whole string: leading
/// white space, a sign, then decimal, `0x` hexadecimal or `0` octal digits.
pub fn parse_num(value: &str) -> Option<i32> {
    let s = value.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (16, h)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    let n = if negative { -magnitude } else { magnitude };
    i32::try_from(n).ok()
}

/// The error `ParseVariableNum` reports for a value it cannot read.
pub fn num_error(value: &str, name: &str) -> String {
    format!("invalid value \"{value}\" for \"{name}\": integer expected")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_as_psql_reads_them() {
        for v in ["t", "TRUE", "y", "yes", "on", "ON", "1"] {
            assert_eq!(parse_bool(v), Some(true), "{v}");
        }
        for v in ["f", "fal", "n", "NO", "of", "off", "0"] {
            assert_eq!(parse_bool(v), Some(false), "{v}");
        }
        for v in ["", "o", "tru e", "yess", "2", "onn", "offf", " 1"] {
            assert_eq!(parse_bool(v), None, "{v:?}");
        }
        assert_eq!(
            bool_error("x", "ON_ERROR_STOP"),
            "unrecognized value \"x\" for \"ON_ERROR_STOP\": Boolean expected"
        );
    }

    #[test]
    fn numbers_as_strtol_reads_them() {
        assert_eq!(parse_num("42"), Some(42));
        assert_eq!(parse_num("  -7"), Some(-7));
        assert_eq!(parse_num("0x1f"), Some(31));
        assert_eq!(parse_num("010"), Some(8));
        assert_eq!(parse_num("0"), Some(0));
        assert_eq!(parse_num("+5"), Some(5));
        for v in ["", "x", "5 ", "1e3", "3000000000", "09"] {
            assert_eq!(parse_num(v), None, "{v:?}");
        }
    }
}
