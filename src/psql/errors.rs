//! Server errors and notices as libpq writes them for psql (`pqBuildErrorMessage3` and
//! `reportErrorPosition` of `fe-protocol3.c`): severity, SQLSTATE at VERBOSITY verbose, the statement line
//! with a caret (cut to 60 columns around the error), DETAIL, HINT, QUERY, CONTEXT, the verbose fields and
//! LOCATION.

use unicode_width::UnicodeWidthChar;

use crate::error::DbDetails;
use crate::psql::settings::{ShowContext, Verbosity};

/// Screen width of the `LINE n:` extract.
const DISPLAY_SIZE: usize = 60;
/// Keep the caret at least this far from the end of a cut line.
const MIN_RIGHT_CUT: usize = 10;

/// The message libpq builds for an error (`is_error`) or a notice. `query` is the statement text sent,
/// used for the `LINE n:` display when the server gave a position in it.
pub fn build_error_message(
    d: &DbDetails,
    query: Option<&str>,
    verbosity: Verbosity,
    show_context: ShowContext,
    is_error: bool,
) -> String {
    let mut msg = String::new();
    if !d.severity.is_empty() {
        msg.push_str(&d.severity);
        msg.push_str(":  ");
    }
    let mut verbosity = verbosity;
    if verbosity == Verbosity::Sqlstate {
        if !d.code.is_empty() {
            msg.push_str(&d.code);
            msg.push('\n');
            return msg;
        }
        verbosity = Verbosity::Terse;
    }
    if verbosity == Verbosity::Verbose && !d.code.is_empty() {
        msg.push_str(&d.code);
        msg.push_str(": ");
    }
    msg.push_str(&d.message);
    let mut cursor: Option<(&str, usize)> = None;
    if let Some(pos) = d.position {
        match query {
            Some(q) if verbosity != Verbosity::Terse => cursor = Some((q, pos as usize)),
            _ => msg.push_str(&format!(" at character {pos}")),
        }
    } else if let Some(pos) = d.internal_position {
        match d.internal_query.as_deref() {
            Some(q) if verbosity != Verbosity::Terse => cursor = Some((q, pos as usize)),
            _ => msg.push_str(&format!(" at character {pos}")),
        }
    }
    msg.push('\n');
    if verbosity != Verbosity::Terse {
        if let Some((q, pos)) = cursor.filter(|(_, p)| *p > 0) {
            report_error_position(&mut msg, q, pos);
        }
        if let Some(v) = &d.detail {
            msg.push_str(&format!("DETAIL:  {v}\n"));
        }
        if let Some(v) = &d.hint {
            msg.push_str(&format!("HINT:  {v}\n"));
        }
        if let Some(v) = &d.internal_query {
            msg.push_str(&format!("QUERY:  {v}\n"));
        }
        let context = match show_context {
            ShowContext::Always => true,
            ShowContext::Errors => is_error,
            ShowContext::Never => false,
        };
        if context {
            if let Some(v) = &d.context {
                msg.push_str(&format!("CONTEXT:  {v}\n"));
            }
        }
    }
    if verbosity == Verbosity::Verbose {
        for (label, v) in [
            ("SCHEMA NAME", &d.schema),
            ("TABLE NAME", &d.table),
            ("COLUMN NAME", &d.column),
            ("DATATYPE NAME", &d.datatype),
            ("CONSTRAINT NAME", &d.constraint),
        ] {
            if let Some(v) = v {
                msg.push_str(&format!("{label}:  {v}\n"));
            }
        }
        if d.routine.is_some() || d.file.is_some() || d.line.is_some() {
            msg.push_str("LOCATION:  ");
            if let Some(r) = &d.routine {
                msg.push_str(&format!("{r}, "));
            }
            if let (Some(f), Some(l)) = (&d.file, &d.line) {
                msg.push_str(&format!("{f}:{l}"));
            }
            msg.push('\n');
        }
    }
    msg
}

/// Screen width of one character as libpq counts it here (controls and zero-width characters as 1).
fn width(c: char) -> usize {
    match c.width() {
        Some(w) if w > 0 => w,
        _ => 1,
    }
}

/// `reportErrorPosition`: the line of `query` holding character `loc` (1-based), cut to fit, and a caret
/// under the character.
fn report_error_position(msg: &mut String, query: &str, loc: usize) {
    let loc = loc - 1;
    // Tabs become spaces in the extract.
    let chars: Vec<char> = query
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    // scr[i]: screen column where character i starts; scr[len] is the end.
    let mut scr = Vec::with_capacity(chars.len() + 1);
    let mut loc_line = 1;
    let mut ibeg = 0;
    let mut iend = None;
    let mut col = 0;
    for (cno, &ch) in chars.iter().enumerate() {
        scr.push(col);
        if ch == '\r' || ch == '\n' {
            if cno < loc {
                // Each \r or \n counts as a line, except \r\n together.
                if ch == '\r' || cno == 0 || chars[cno - 1] != '\r' {
                    loc_line += 1;
                }
                ibeg = cno + 1;
            } else {
                iend = Some(cno);
                break;
            }
        }
        col += width(ch);
    }
    let iend_found = iend.is_some();
    let mut iend = iend.unwrap_or(chars.len());
    if !iend_found {
        scr.push(col);
    }
    // Print only if loc is within the query (or just past its end).
    if loc > iend {
        return;
    }
    let mut beg_trunc = false;
    let mut end_trunc = false;
    if scr[iend] - scr[ibeg] > DISPLAY_SIZE {
        if scr[ibeg] + DISPLAY_SIZE >= scr[loc] + MIN_RIGHT_CUT {
            while scr[iend] - scr[ibeg] > DISPLAY_SIZE {
                iend -= 1;
            }
            end_trunc = true;
        } else {
            while scr[loc] + MIN_RIGHT_CUT < scr[iend] {
                iend -= 1;
                end_trunc = true;
            }
            while scr[iend] - scr[ibeg] > DISPLAY_SIZE {
                ibeg += 1;
                beg_trunc = true;
            }
        }
    }
    let mut prefix = format!("LINE {loc_line}: ");
    if beg_trunc {
        prefix.push_str("...");
    }
    let prefix_width: usize = prefix.chars().map(width).sum();
    msg.push_str(&prefix);
    msg.extend(&chars[ibeg..iend]);
    if end_trunc {
        msg.push_str("...");
    }
    msg.push('\n');
    let caret = prefix_width + scr[loc] - scr[ibeg];
    msg.push_str(&" ".repeat(caret));
    msg.push_str("^\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(message: &str, position: Option<u32>) -> DbDetails {
        DbDetails {
            severity: "ERROR".into(),
            code: "42601".into(),
            message: message.into(),
            position,
            ..DbDetails::default()
        }
    }

    fn default(d: &DbDetails, q: &str) -> String {
        build_error_message(d, Some(q), Verbosity::Default, ShowContext::Errors, true)
    }

    #[test]
    fn caret_under_the_error() {
        // psql 15: `psql -X -c 'SELECT 1 +;'`
        let d = err("syntax error at or near \";\"", Some(11));
        assert_eq!(
            default(&d, "SELECT 1 +;"),
            "ERROR:  syntax error at or near \";\"\nLINE 1: SELECT 1 +;\n                  ^\n"
        );
    }

    #[test]
    fn later_lines_and_long_lines_are_cut_as_libpq_cuts_them() {
        // psql 15, a file holding "SELECT\n  1 +\n  nope;" → LINE 3.
        let d = err("column \"nope\" does not exist", Some(16));
        assert_eq!(
            default(&d, "SELECT\n  1 +\n  nope;"),
            "ERROR:  column \"nope\" does not exist\nLINE 3:   nope;\n          ^\n"
        );
        // psql 15: `psql -X -c "SELECT 'aaaa…(80 a)…' || nope"`: the line is cut on the left.
        let q = format!("SELECT '{}' || nope", "a".repeat(80));
        let d = err("column \"nope\" does not exist", Some(94));
        let expected = format!(
            "ERROR:  column \"nope\" does not exist\nLINE 1: ...{}' || nope\n{}^\n",
            "a".repeat(51),
            " ".repeat(67)
        );
        assert_eq!(default(&d, &q), expected);
    }

    #[test]
    fn verbosity_and_context() {
        let mut d = err("division by zero", None);
        d.code = "22012".into();
        d.context = Some("SQL function \"f\" statement 1".into());
        d.routine = Some("int4div".into());
        d.file = Some("int.c".into());
        d.line = Some("841".into());
        assert_eq!(
            build_error_message(&d, None, Verbosity::Terse, ShowContext::Errors, true),
            "ERROR:  division by zero\n"
        );
        assert_eq!(
            build_error_message(&d, None, Verbosity::Sqlstate, ShowContext::Errors, true),
            "ERROR:  22012\n"
        );
        assert_eq!(
            build_error_message(&d, None, Verbosity::Verbose, ShowContext::Errors, true),
            "ERROR:  22012: division by zero\nCONTEXT:  SQL function \"f\" statement 1\nLOCATION:  int4div, int.c:841\n"
        );
        // Notices show their context only with SHOW_CONTEXT always.
        assert_eq!(
            build_error_message(&d, None, Verbosity::Default, ShowContext::Errors, false),
            "ERROR:  division by zero\n"
        );
        assert_eq!(
            build_error_message(&d, None, Verbosity::Default, ShowContext::Never, true),
            "ERROR:  division by zero\n"
        );
    }

    #[test]
    fn terse_or_no_query_gives_the_position_as_text() {
        let d = err("syntax error at or near \";\"", Some(11));
        assert_eq!(
            build_error_message(&d, None, Verbosity::Default, ShowContext::Errors, true),
            "ERROR:  syntax error at or near \";\" at character 11\n"
        );
    }
}
