//! `\c[onnect]`, `\conninfo`, `\password` (`command.c`'s `do_connect` and friends).

use super::cmd::{BackslashResult, Cmd};

/// `\c [-reuse-previous=on|off] [dbname [user [host [port]]] | conninfo]`.
pub fn exec_connect(c: &mut Cmd<'_>) -> BackslashResult {
    c.ignore_options();
    BackslashResult::Unknown
}

/// `\conninfo`.
pub fn exec_conninfo(c: &mut Cmd<'_>) -> BackslashResult {
    let _ = c;
    BackslashResult::Unknown
}

/// `\password [user]`.
pub fn exec_password(c: &mut Cmd<'_>) -> BackslashResult {
    c.ignore_options();
    BackslashResult::Unknown
}
