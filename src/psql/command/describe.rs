//! The describe family (`exec_command_d` and friends of `command.c`): `\d…`, `\l`, `\z`, `\sf`, `\sv` and
//! the large-object commands `\lo_…`.

use super::cmd::{BackslashResult, Cmd};

/// `\d…`.
pub fn exec_d(c: &mut Cmd<'_>) -> BackslashResult {
    c.ignore_options();
    BackslashResult::Unknown
}

/// `\l[+] [pattern]`.
pub fn exec_list(c: &mut Cmd<'_>) -> BackslashResult {
    c.ignore_options();
    BackslashResult::Unknown
}

/// `\lo_import`, `\lo_export`, `\lo_list`, `\lo_unlink`.
pub fn exec_lo(c: &mut Cmd<'_>) -> BackslashResult {
    c.ignore_options();
    BackslashResult::Unknown
}

/// `\sf[+]`, `\sv[+]`.
pub fn exec_sf_sv(c: &mut Cmd<'_>, is_func: bool) -> BackslashResult {
    let _ = is_func;
    c.ignore_whole_line();
    BackslashResult::Unknown
}

/// `\z [pattern]`.
pub fn exec_z(c: &mut Cmd<'_>) -> BackslashResult {
    c.ignore_options();
    BackslashResult::Unknown
}
