//! `\e`, `\ef`, `\ev`: edit the query buffer, a function or a view in `$PSQL_EDITOR`/`$EDITOR`/`$VISUAL`.

use super::cmd::{BackslashResult, Cmd};

/// `\e [file [line]]`.
pub fn exec_edit(c: &mut Cmd<'_>) -> BackslashResult {
    c.ignore_options();
    BackslashResult::Unknown
}

/// `\ef [function [line]]`, `\ev [view [line]]`.
pub fn exec_ef_ev(c: &mut Cmd<'_>, is_func: bool) -> BackslashResult {
    let _ = is_func;
    c.ignore_whole_line();
    BackslashResult::Unknown
}
