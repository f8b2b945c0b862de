//! Fuzzing the secret scrubber (issue 14): a password made of hostile text — quotes, backslashes, dollar
//! signs, NUL, what a lossy reader makes of invalid UTF-8, huge runs — written every way a user can write
//! one (SQL `PASSWORD` with each kind of string constant, a Rhai `connect()` map, a connection string, a
//! URI) never survives `redact_secrets`, in any part.

use proptest::prelude::*;

use super::redact_secrets;
use crate::fuzz_input::{config, hostile_text_with, within, CASE_LIMIT};
use crate::sql::quote::{string_literal, string_literal_conn};

/// The secret's ends: neither may appear in redacted text (so neither a head nor a tail leaks).
const HEAD: &str = "Sx9q";
const TAIL: &str = "q9xS";

/// A Rhai string literal of `s`.
fn rhai_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A conninfo value of `s`: single-quoted, with `\` and `'` backslash-escaped (libpq's rules).
fn conninfo_value(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `s` percent-encoded for a URI's userinfo (everything but unreserved characters).
fn percent_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every way of writing `secret` that pgsh's scrubber promises to cover.
fn written_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![
        format!("ALTER ROLE bob PASSWORD {};", string_literal(secret, true)),
        format!(
            "CREATE ROLE bob LOGIN PASSWORD {} VALID UNTIL 'infinity';",
            string_literal_conn(secret, true)
        ),
        format!(
            "alter user bob with password /* c */ {}",
            string_literal(secret, true)
        ),
        format!(
            "connect(#{{host: \"h\", password: {}, dbname: \"d\"}})",
            rhai_string(secret)
        ),
        format!(
            "connect(\"host=h password={} dbname=d\")",
            conninfo_value(secret)
        ),
        format!(
            "let u = \"postgres://bob:{}@h:5432/db?sslmode=require\";",
            percent_encoded(secret)
        ),
        format!("PGPASSWORD={} pgsh", conninfo_value(secret)),
    ];
    // A dollar quote holds any text without its own closing tag.
    if !format!("{secret}$").contains("$pw$") {
        forms.push(format!("ALTER ROLE bob PASSWORD $pw${secret}$pw$;"));
    }
    forms
}

proptest! {
    // Scrubbing is linear but not quick (about 50 ns a character): a case with a huge run takes tens of
    // milliseconds, so fewer pieces and cases here keep the property to a few seconds.
    #![proptest_config(config(100))]

    #[test]
    fn a_hostile_password_never_survives_redaction(middle in hostile_text_with(&[], 20)) {
        let outcome: Result<(), String> = within(CASE_LIMIT, move || {
            let secret = format!("{HEAD}{middle}{TAIL}");
            for form in written_forms(&secret) {
                let shown = redact_secrets(&form);
                if shown.contains(HEAD) || shown.contains(TAIL) {
                    return Err(format!("the secret survives in {shown:?} (from {form:?})"));
                }
            }
            Ok(())
        });
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }

    /// Any text at all is scrubbed without a panic or a hang.
    #[test]
    fn any_text_is_scrubbed(text in hostile_text_with(&["password", "PASSWORD", "://", "@", "=", ":"], 40)) {
        within(CASE_LIMIT, move || {
            let _ = redact_secrets(&text);
        });
    }
}
