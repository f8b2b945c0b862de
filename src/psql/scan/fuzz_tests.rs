//! Fuzzing psql's input path (issue 14), beyond `prop_tests`' lexer pieces: raw bytes with NUL and invalid
//! UTF-8 read as psql reads a file (`ReaderInput`, then the lexers line by line), hostile variable values
//! interpolated as `:'v'` and `:"v"` (one token, never more, whatever the value), and `strtokx`, the
//! tokenizer of `\copy`'s arguments, on any text with any sets of separators and quotes.

use std::io::Cursor;

use proptest::prelude::*;

use super::test_driver::{run, Engine};
use super::*;
use crate::fuzz_input::{config, hostile_bytes, hostile_text, within, CASE_LIMIT};
use crate::psql::input::{Input, ReadLine, ReaderInput};

/// The lines `ReaderInput` reads from `bytes`, with the invalid ones counted; checks what it promises of
/// each line (no newline, no NUL) and that it ends.
fn read_lines(bytes: &[u8]) -> Result<(Vec<String>, usize), String> {
    let mut input = ReaderInput::new(Cursor::new(bytes.to_vec()));
    let (mut lines, mut invalid) = (Vec::new(), 0);
    for _ in 0..=bytes.len() + 1 {
        match input.read_line("") {
            ReadLine::Line(l) if l.contains(['\n', '\0']) => {
                return Err(format!("a line with a newline or NUL: {l:?}"))
            }
            ReadLine::Line(l) => lines.push(l),
            ReadLine::Invalid => invalid += 1,
            ReadLine::Eof => return Ok((lines, invalid)),
            ReadLine::Interrupted => return Err("a file read as interrupted".into()),
        }
    }
    Err(format!(
        "no end after {} reads of {} bytes",
        bytes.len() + 2,
        bytes.len()
    ))
}

fn engine_with(value: &str) -> Engine {
    let mut eng = Engine {
        fake_backticks: true,
        ..Engine::default()
    };
    eng.vars.insert("v".into(), value.to_string());
    eng
}

/// Some separator, delimiter or quote characters for `strtokx`: the ones psql passes and hostile ones.
fn char_set() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ' ', '\t', '\n', '\r', ',', '.', '(', ')', ';', '\'', '"', '\\', 'E', '\0', 'é',
        ]),
        0..5,
    )
    .prop_map(|c| c.into_iter().collect())
}

proptest! {
    // A few milliseconds a case (tens for a huge token): seconds per property.
    #![proptest_config(config(200))]

    /// A file of any bytes: every line read, invalid ones reported as such, and the valid ones scanned
    /// to the end by the SQL and backslash lexers as `psql -f` would.
    #[test]
    fn any_file_bytes_are_read_and_scanned(bytes in hostile_bytes(), std_strings in any::<bool>()) {
        let outcome: Result<(), String> = within(CASE_LIMIT, move || {
            let (lines, invalid) = read_lines(&bytes)?;
            if invalid == 0 && std::str::from_utf8(&bytes).is_err() && !bytes.contains(&0) {
                return Err("invalid UTF-8 read without an invalid line".to_string());
            }
            let mut eng = engine_with("x");
            let _ = run(&lines.join("\n"), std_strings, &mut eng);
            Ok(())
        });
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }

    /// `:'v'` and `:"v"` of any value are one literal or identifier, or refused with an error (a NUL): the
    /// statement around them is sent whole, as one statement.
    #[test]
    fn interpolated_values_stay_one_token(value in hostile_text(), std_strings in any::<bool>()) {
        let outcome = within(CASE_LIMIT, move || {
            for (reference, quote) in [(":'v'", QuoteType::SqlLiteral), (":\"v\"", QuoteType::SqlIdent)] {
                let mut eng = engine_with(&value);
                let t = run(&format!("select {reference} as x;\n"), std_strings, &mut eng);
                match quote_value(&value, quote) {
                    Ok(quoted) => {
                        let want = format!("select {quoted} as x;");
                        if t.sent != [want.clone()] || !t.err.is_empty() {
                            return Err(format!("{reference} of {value:?}: sent {:?} (errors {:?}), want {want:?}", t.sent, t.err));
                        }
                    }
                    Err(_) => {
                        if t.err.is_empty() {
                            return Err(format!("{reference} of {value:?} refused without a message"));
                        }
                    }
                }
            }
            Ok(())
        });
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }

    /// `strtokx` on any text with any sets ends, and returns no more tokens than the text has characters;
    /// `strip_quotes` takes any text.
    #[test]
    fn strtokx_takes_any_text(
        text in hostile_text(),
        whitespace in char_set(),
        delim in prop::option::of(char_set()),
        quote in prop::option::of(char_set()),
        escape in prop::option::of(prop::sample::select(vec!['\\', '\'', '"', '\0'])),
        e_strings in any::<bool>(),
        del_quotes in any::<bool>(),
    ) {
        let outcome = within(CASE_LIMIT, move || {
            let mut tok = Strtokx::new(&text);
            let limit = text.chars().count() + 2;
            let mut n = 0;
            while let Some(t) = tok.next_token(&whitespace, delim.as_deref(), quote.as_deref(), escape, e_strings, del_quotes) {
                n += 1;
                if n > limit {
                    return Err(format!("more than {limit} tokens; the last {t:?}"));
                }
                let _ = strip_quotes(&t, quote.as_deref().and_then(|q| q.chars().next()).unwrap_or('\''), escape);
            }
            Ok(())
        });
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}
