//! Safety limits for scripts: what the engine is built with, filled by the flags and the configuration file.

/// The native stack pgsh's thread gets (reserved address space, committed only as it is touched).
pub const STACK_BYTES: usize = 512 * 1024 * 1024;

/// The deepest function calls and expression nesting that [`STACK_BYTES`] holds, with room to spare: a
/// larger limit is lowered to it, and 0 ("unlimited") means it.
pub const MAX_CALL_LEVELS_CAP: usize = 10_000;
pub const MAX_EXPR_DEPTH_CAP: usize = 10_000;

/// Safety limits for scripts; 0 turns a limit off.
///
/// Call and expression depth are limited by default, so deep recursion fails with a clear error instead of
/// overflowing the stack. Operations are unlimited (Ctrl-C stops a runaway loop). The data-size limits are
/// off by default: while any of them is on, Rhai re-measures a whole array or map, recursively, after every
/// change to it, so building a result with `push` becomes quadratic (100 000 pushes: seconds instead of
/// milliseconds), which a shell that collects query rows cannot afford. They stay available for untrusted
/// scripts (`[limits]` in the configuration file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Operations per evaluation; 0 = unlimited.
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    /// Bytes in one string; 0 = unlimited.
    pub max_string_size: usize,
    /// Items in one array (nested arrays counted in); 0 = unlimited.
    pub max_array_size: usize,
    /// Entries in one map (nested maps counted in); 0 = unlimited.
    pub max_map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 0,
            max_call_levels: 256,
            max_expr_depth: 256,
            max_string_size: 0,
            max_array_size: 0,
            max_map_size: 0,
        }
    }
}
