//! pgsh's REPL and piped stdin: the psql engine's main loop with pgsh's extension (Rhai beside SQL,
//! [`extension`]), a line editor that completes and highlights both (`editor`, `complete`, `highlight`),
//! and the rule that tells SQL from Rhai ([`input`]).

pub mod complete;
pub mod editor;
pub mod extension;
pub mod highlight;
pub mod input;
pub mod source;

use rhai::Dynamic;

/// A value at the prompt as `print` shows it (rows are shown by the caller, in the output format).
pub fn display_value(v: &Dynamic) -> String {
    crate::script::show::display(v, &crate::output::table::TableOptions::default())
}
