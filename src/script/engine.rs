//! The Rhai engine, configured once: limits, Ctrl-C through `on_progress`, print/debug, and every pgsh package.

use std::rc::Rc;

use rhai::Engine;

use crate::host::Host;
use crate::output::table::TableOptions;

/// Safety limits for scripts. Generous by default; a runaway script fails with a clear error instead of
/// exhausting memory or the stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Operations per evaluation; 0 = unlimited.
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    pub max_string_size: usize,
    pub max_array_size: usize,
    pub max_map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 0,
            max_call_levels: 256,
            max_expr_depth: 256,
            max_string_size: 256 * 1024 * 1024,
            max_array_size: 50_000_000,
            max_map_size: 10_000_000,
        }
    }
}

/// Where `print` and `debug` output goes (the front end decides: stdout, a pager, a test buffer).
#[derive(Clone)]
pub struct EngineIo {
    pub print: Rc<dyn Fn(&str)>,
    pub debug: Rc<dyn Fn(&str)>,
}

/// Build the engine for a run.
pub fn build(host: Rc<Host>, limits: &Limits, io: EngineIo) -> Engine {
    let mut engine = Engine::new();
    engine.set_max_operations(limits.max_operations);
    engine.set_max_call_levels(limits.max_call_levels);
    engine.set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth);
    engine.set_max_string_size(limits.max_string_size);
    engine.set_max_array_size(limits.max_array_size);
    engine.set_max_map_size(limits.max_map_size);
    // Checked between operations: a loop or a long computation stops soon after Ctrl-C.
    engine.on_progress(|_| {
        if crate::interrupt::is_set() {
            Some("interrupted".into())
        } else {
            None
        }
    });
    let print = io.print.clone();
    engine.on_print(move |s| print(s));
    let debug = io.debug.clone();
    engine.on_debug(move |s, src, pos| {
        let place = match (src, pos.line()) {
            (Some(src), Some(line)) => format!("{src}:{line}: "),
            (None, Some(line)) => format!("line {line}: "),
            _ => String::new(),
        };
        debug(&format!("{place}{s}"))
    });

    crate::value::datetime::register(&mut engine);
    let h = host.clone();
    let table_opts: Rc<dyn Fn() -> TableOptions> = Rc::new(move || h.table.borrow().clone());
    super::rows::register(&mut engine, table_opts);
    super::api::register(&mut engine, host.clone());
    super::tx::register(&mut engine, host);
    super::sys::register(&mut engine);
    engine
}
