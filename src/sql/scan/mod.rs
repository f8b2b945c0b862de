//! SQL lexing for statement boundaries (psql-compatible) and light statement classification.
//!
//! The [`Scanner`] follows psql's `psqlscan.l` closely enough to agree with psql on where every
//! statement ends: quotes of every kind, dollar quotes, nested comments, parentheses and the
//! `BEGIN ATOMIC ... END` bodies of `CREATE FUNCTION`/`CREATE PROCEDURE`. It works byte by byte
//! with explicit look-behind state, so text can be fed in chunks split anywhere (even inside a
//! `$tag$` or between the two quotes of `''`) with the same result as feeding it whole.
//!
//! The classifiers ([`leading_keywords`], [`tx_effect`]) only
//! look at tokens and are best-effort guesses from the text.
//!
//! This module gathers the scanner ([`scanner`]), splitting ([`split`]) and the classifiers
//! ([`classify`]); SQL's lexical rules themselves are in [`crate::sql::lexer`].

mod classify;
#[cfg(test)]
mod fuzz_tests;
mod scanner;
mod split;
#[cfg(test)]
mod tests;

pub use classify::{leading_keywords, tx_effect, TxEffect};
#[cfg(test)]
pub use scanner::Scanner;
pub use split::split;
