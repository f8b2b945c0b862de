//! Light statement classification from tokens: the leading keywords and what a statement does to the
//! transaction state; and the COPY data formats. Best-effort guesses from the text.

use crate::sql::lexer::{tokens, Tok};

/// The first `n` keywords of a statement, upper-cased, skipping leading whitespace, comments and opening parens
/// (used to classify statements: BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK \[TO\] / ABORT / SAVEPOINT /
/// CREATE TABLE / INSERT / COPY ... FROM STDIN, etc.). A keyword is a run of identifier characters; stop at the first
/// non-keyword token.
pub fn leading_keywords(sql: &str, n: usize) -> Vec<String> {
    tokens(sql)
        .skip_while(|t| *t == Tok::Punct(b'('))
        .map_while(|t| match t {
            Tok::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        })
        .take(n)
        .collect()
}

/// What a statement does to the session's transaction state.
///
/// `COMMIT AND CHAIN` / `ROLLBACK AND CHAIN` end the transaction and immediately open a new one,
/// so they report [`TxEffect::Begin`] (a fresh transaction without savepoints).
/// `COMMIT PREPARED` / `ROLLBACK PREPARED` act on another, prepared transaction: [`TxEffect::None`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxEffect {
    None,
    Begin,
    Commit,
    Rollback,
    Savepoint,
    RollbackToSavepoint,
    ReleaseSavepoint,
    PrepareTransaction,
}

/// Classify a statement's effect on the transaction state (see [`TxEffect`]).
pub fn tx_effect(sql: &str) -> TxEffect {
    let kw = leading_keywords(sql, 6);
    let w = |i: usize| kw.get(i).map_or("", String::as_str);
    // Optional WORK / TRANSACTION noise word after COMMIT / ROLLBACK / END / ABORT.
    let after_noise = if matches!(w(1), "WORK" | "TRANSACTION") {
        2
    } else {
        1
    };
    let chained = w(after_noise) == "AND" && w(after_noise + 1) == "CHAIN";
    match w(0) {
        "BEGIN" => TxEffect::Begin,
        "START" if w(1) == "TRANSACTION" => TxEffect::Begin,
        "COMMIT" | "END" if w(1) == "PREPARED" => TxEffect::None,
        "COMMIT" | "END" if chained => TxEffect::Begin,
        "COMMIT" | "END" => TxEffect::Commit,
        "ROLLBACK" if w(1) == "PREPARED" => TxEffect::None,
        "ROLLBACK" | "ABORT" if w(after_noise) == "TO" => TxEffect::RollbackToSavepoint,
        "ROLLBACK" | "ABORT" if chained => TxEffect::Begin,
        "ROLLBACK" | "ABORT" => TxEffect::Rollback,
        "SAVEPOINT" => TxEffect::Savepoint,
        "RELEASE" => TxEffect::ReleaseSavepoint,
        "PREPARE" if w(1) == "TRANSACTION" => TxEffect::PrepareTransaction,
        _ => TxEffect::None,
    }
}
