//! Hostile inputs for the property tests that fuzz pgsh's parsers (issue 14: no panic, abort or hang under
//! any input): bytes and text made of the pieces parsers trip on — NUL, invalid UTF-8, unbalanced quotes,
//! comments and dollar tags, backslashes — and huge tokens; and a watchdog that turns a hang into a failure.

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;

/// Pieces SQL and psql lexers give meaning to, unbalanced on purpose (an opening quote with no close is
/// as likely as a close with no opening).
const SQL_PIECES: &[&str] = &[
    "'",
    "''",
    "\"",
    "\"\"",
    "$",
    "$$",
    "$a$",
    "$a",
    "a$",
    "$1",
    "$_$",
    "--",
    "-",
    "/*",
    "*/",
    "/",
    "*",
    "\\",
    "\\\\",
    "\\;",
    "\\:",
    ";",
    ":",
    "::",
    ":x",
    ":'x'",
    ":\"x\"",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "E'",
    "e'",
    "U&'",
    "u&\"",
    "B'",
    "X'",
    "N'",
    "UESCAPE",
    "begin",
    "BEGIN",
    "end",
    "atomic",
    "create",
    "function",
    "procedure",
    "or replace",
    "case",
    "commit",
    "rollback",
    "savepoint",
    "prepare transaction",
    "1e",
    "1.",
    "..",
    ".5",
    "0x",
    "NULL",
    "null",
    "=",
    ",",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "\0",
    "\x1b",
    "é",
    "😀",
    "\u{feff}",
    "\u{2028}",
];

/// Byte sequences that are not UTF-8: a lone continuation byte, truncated sequences, an overlong
/// encoding, a UTF-16 surrogate, a code point past U+10FFFF, bytes UTF-8 never uses.
const INVALID_UTF8: &[&[u8]] = &[
    b"\x80",
    b"\xbf",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xfe",
    b"\xff",
];

/// One piece of hostile input as bytes.
fn piece(extra: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> + Clone {
    let words: Vec<&'static str> = SQL_PIECES.iter().chain(extra).copied().collect();
    prop_oneof![
        8 => prop::sample::select(words).prop_map(|s| s.as_bytes().to_vec()),
        2 => prop::sample::select(INVALID_UTF8).prop_map(<[u8]>::to_vec),
        2 => any::<u8>().prop_map(|b| vec![b]),
        2 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        2 => "[a-zA-Z0-9_ ]{1,8}".prop_map(String::into_bytes),
        1 => huge_token(),
    ]
}

/// A token of 10,000 to 200,000 bytes: one character or short piece repeated (a long identifier, number,
/// string body, run of quotes, dollars, comment openers or backslashes).
fn huge_token() -> impl Strategy<Value = Vec<u8>> + Clone {
    let unit = prop::sample::select(vec![
        "x", "9", "'", "\"", "$", "$a", "/*", "*/", "-", "(", "\\", " ", "\n", "é", "\0", ":a",
        "E'\\",
    ]);
    (unit, 10_000usize..200_000).prop_map(|(u, len)| u.as_bytes().repeat(len / u.len().max(1)))
}

/// Hostile bytes: up to `max_pieces` pieces, with `extra` words of the parser under test among them.
pub fn hostile_bytes_with(
    extra: &'static [&'static str],
    max_pieces: usize,
) -> impl Strategy<Value = Vec<u8>> + Clone {
    prop::collection::vec(piece(extra), 0..max_pieces).prop_map(|v| v.concat())
}

/// Hostile bytes made of SQL's special pieces.
pub fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> + Clone {
    hostile_bytes_with(&[], 60)
}

/// Hostile text: [`hostile_bytes`] as Rust text (each invalid sequence becomes U+FFFD, as a lossy reader
/// would give it), so parsers that take `&str` see everything else as it was.
pub fn hostile_text() -> impl Strategy<Value = String> + Clone {
    hostile_bytes().prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Like [`hostile_text`] with the parser's own words among the pieces.
pub fn hostile_text_with(
    extra: &'static [&'static str],
    max_pieces: usize,
) -> impl Strategy<Value = String> + Clone {
    hostile_bytes_with(extra, max_pieces).prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Run `f` on a thread of its own and fail if it has not returned within `limit`: a parser that loops
/// forever fails the property instead of hanging the test run. (The stuck thread is left behind; the
/// failure ends the test anyway.) A panic in `f` is a failure too, with its message.
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        // Deeply nested input must not overflow a small test-thread stack before the parser can say no.
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn a fuzz worker");
    match rx.recv_timeout(limit) {
        Ok(v) => {
            let _ = worker.join();
            v
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("no answer within {limit:?}: a hang"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(p) => std::panic::resume_unwind(p),
            Ok(()) => panic!("the worker ended without an answer"),
        },
    }
}

/// The property-test configuration of a fuzz property: `cases` cases, or `PGSH_FUZZ_CASES` of them when
/// that is set (a longer hunt than the suite's few seconds: `PGSH_FUZZ_CASES=100000 cargo test --release
/// --lib fuzz_tests`).
pub fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PGSH_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig::with_cases(cases)
}

/// The watchdog limit for one case: far above what any case takes (milliseconds), so a busy machine does
/// not fail it, far below a hang.
pub const CASE_LIMIT: Duration = Duration::from_secs(20);
