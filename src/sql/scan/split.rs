//! Splitting a whole text into statements with the scanner.

use super::scanner::Scanner;
use crate::sql::lexer::trim_leading;

/// One statement found in a text: the SQL without the trailing `;` (but with everything else kept verbatim),
/// the byte range in the input, and the 1-based line where its first non-blank, non-comment token starts.
///
/// `sql` starts at that first token (leading whitespace and comments are dropped) and runs up to,
/// not including, the terminating `;`: `&text[start..end] == sql`, and when `terminated` the `;`
/// is at `text[end]`. A `\;` (psql's "send these together") stays verbatim; see [`strip_psql_escapes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    pub sql: &'a str,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub terminated: bool,
}

/// Split a whole text into statements (a trailing unterminated statement is returned with terminated=false;
/// blank/comment-only pieces are skipped).
pub fn split(text: &str) -> Vec<Statement<'_>> {
    let mut out = Vec::new();
    let mut scanner = Scanner::new();
    // Newlines are counted incrementally so long inputs stay linear.
    let mut line = 1;
    let mut counted_to = 0;
    let mut piece_start = 0;
    let ends = scanner.feed(text);
    let pieces = ends
        .iter()
        .map(|&end| (end - 1, true))
        .chain(std::iter::once((text.len(), false)));
    for (stop, terminated) in pieces {
        let Some(piece) = text.get(piece_start..stop) else {
            break;
        };
        let body = trim_leading(piece);
        if !body.is_empty() {
            let start = stop - body.len();
            line += text
                .get(counted_to..start)
                .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
            counted_to = start;
            out.push(Statement {
                sql: body,
                start,
                end: stop,
                line,
                terminated,
            });
        }
        piece_start = stop + 1;
    }
    out
}
