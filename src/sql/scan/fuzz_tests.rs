//! Fuzzing the statement splitter, the token lexer and the classifiers (issue 14): under any text — NUL,
//! what a lossy reader makes of invalid UTF-8, unbalanced quotes, comments and dollar tags, huge tokens —
//! they return, without a panic, answers that stay inside the input; and quoting hostile text with
//! `sql::quote` always gives one token the splitter does not break.

use proptest::prelude::*;

use super::scanner::Scanner;
use super::{leading_keywords, split, tx_effect};
use crate::fuzz_input::{config, hostile_text, within, CASE_LIMIT};
use crate::sql::lexer::{is_space, skip_block_comment, spanned, tokens, trim_leading, Tok};
use crate::sql::quote::{fmt_id, string_literal, string_literal_conn};

/// Statement ends from feeding `text` cut at `cuts` (taken modulo the length, moved back to a character
/// boundary), made absolute.
fn ends_in_chunks(text: &str, cuts: &[usize]) -> Vec<usize> {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| {
            let mut at = c % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        })
        .collect();
    points.push(text.len());
    points.sort_unstable();
    let mut scanner = Scanner::new();
    let (mut ends, mut from) = (Vec::new(), 0);
    for to in points {
        ends.extend(scanner.feed(&text[from..to]).into_iter().map(|e| e + from));
        from = to;
    }
    ends
}

/// What `split` promises about its statements, checked on `text`.
fn check_split(text: &str) -> Result<(), String> {
    let mut after = 0;
    let mut line = 1;
    for st in split(text) {
        let where_ = format!("{st:?} in {} bytes", text.len());
        if st.start < after || st.end < st.start || st.end > text.len() {
            return Err(format!("out of order or bounds: {where_}"));
        }
        if text.get(st.start..st.end) != Some(st.sql) || st.sql.is_empty() {
            return Err(format!("sql is not the text at start..end: {where_}"));
        }
        if st.terminated && text.as_bytes().get(st.end) != Some(&b';') {
            return Err(format!("terminated without a ';' at end: {where_}"));
        }
        if trim_leading(st.sql) != st.sql {
            return Err(format!("starts with a blank or a comment: {where_}"));
        }
        if st.line < line || st.line > text.bytes().filter(|&b| b == b'\n').count() + 1 {
            return Err(format!("line {} after line {line}: {where_}", st.line));
        }
        line = st.line;
        after = st.end;
    }
    Ok(())
}

/// What `spanned` and `tokens` promise: ranges in order, inside the text, on character boundaries, with
/// only whitespace between them; and as many tokens from `tokens` as non-comment ones from `spanned`.
fn check_tokens(text: &str) -> Result<(), String> {
    let mut at = 0;
    let mut non_comments = 0;
    for (tok, range) in spanned(text) {
        if range.start < at || range.end <= range.start || range.end > text.len() {
            return Err(format!("{tok:?} at {range:?} after {at} of {}", text.len()));
        }
        if !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
            return Err(format!("{tok:?} at {range:?} splits a character"));
        }
        if !text.as_bytes()[at..range.start]
            .iter()
            .all(|&b| is_space(b))
        {
            return Err(format!(
                "not whitespace before {tok:?} at {range:?}: {:?}",
                &text[at..range.start]
            ));
        }
        non_comments += usize::from(tok != Tok::Comment);
        at = range.end;
    }
    if !text.as_bytes()[at..].iter().all(|&b| is_space(b)) {
        return Err(format!("text after the last token: {:?}", &text[at..]));
    }
    let counted = tokens(text).count();
    if counted != non_comments {
        return Err(format!(
            "tokens gave {counted}, spanned {non_comments} non-comments"
        ));
    }
    Ok(())
}

proptest! {
    // Each case is a few milliseconds (the rare huge token a few tens): 200 cases stay within seconds.
    #![proptest_config(config(200))]

    #[test]
    fn the_splitter_and_scanner_take_any_text(
        text in hostile_text(),
        cuts in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let outcome = within(CASE_LIMIT, move || {
            check_split(&text)?;
            // Fed in chunks cut anywhere, the scanner finds the same ends as fed whole.
            let whole = Scanner::new().feed(&text);
            let chunked = ends_in_chunks(&text, &cuts);
            if whole != chunked {
                return Err(format!("whole {whole:?} but in chunks at {cuts:?} {chunked:?}"));
            }
            Ok(())
        });
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }

    #[test]
    fn the_lexer_and_classifiers_take_any_text(text in hostile_text(), n in 0usize..8, from in any::<usize>()) {
        let outcome = within(CASE_LIMIT, move || {
            check_tokens(&text)?;
            let trimmed = trim_leading(&text);
            if !text.ends_with(trimmed) {
                return Err("trim_leading is not a suffix".into());
            }
            let from = from % (text.len() + 1);
            let past = skip_block_comment(text.as_bytes(), from);
            if past < from || past > text.len() {
                return Err(format!("skip_block_comment from {from} gave {past} of {}", text.len()));
            }
            let kw = leading_keywords(&text, n);
            if kw.len() > n {
                return Err(format!("{n} keywords asked, {} given", kw.len()));
            }
            let _ = tx_effect(&text);
            Ok(())
        });
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }

    /// Whatever the text, a literal or identifier quoted by pgsh is one token: a statement around it splits
    /// as one statement ending at its own `;` (no quote or comment escapes the quoting).
    #[test]
    fn quoted_hostile_text_stays_one_token(text in hostile_text(), std_strings in any::<bool>()) {
        let outcome = within(CASE_LIMIT, move || {
            for quoted in [
                string_literal(&text, std_strings),
                string_literal_conn(&text, std_strings),
                fmt_id(&text),
            ] {
                let sql = format!("SELECT {quoted};");
                let st = split(&sql);
                let whole = &sql[..sql.len() - 1];
                if st.len() != 1 || st[0].sql != whole || !st[0].terminated {
                    return Err(format!("{sql:?} split as {st:?}"));
                }
                let toks: Vec<Tok<'_>> = tokens(whole).collect();
                if toks.len() != 2 || !matches!(toks[1], Tok::Str | Tok::Quoted | Tok::Word(_)) {
                    return Err(format!("{whole:?} lexed as {toks:?}"));
                }
            }
            Ok(())
        });
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}
