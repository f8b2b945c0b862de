//! The Rhai engine, configured once: limits, Ctrl-C through `on_progress`, print/debug, and pgsh's plugin
//! modules by topic (which `\h` and the reference document).

use std::rc::Rc;

use rhai::{Engine, Module};

use super::handle::ShellRef;
use super::limits::Limits;
use crate::shell::Shell;

/// Where `print` and `debug` output goes (the front end decides: stdout, a pager, a test buffer).
#[derive(Clone)]
pub struct EngineIo {
    pub print: Rc<dyn Fn(&str)>,
    pub debug: Rc<dyn Fn(&str)>,
}

/// One topic of pgsh's functions: a plugin module, and how `\h` and the reference introduce it.
pub struct Group {
    pub title: &'static str,
    pub about: &'static str,
    pub module: Module,
}

/// Every function pgsh gives scripts, by topic, in the order the reference shows them.
pub fn groups() -> Vec<Group> {
    let group = |title, about, module| Group {
        title,
        about,
        module,
    };
    vec![
        group(
            "Connections and queries",
            "Sessions and statements. The global functions use the current session (the latest `connect()`, \
             or the default target on first use); the same functions called on a `Db` use that session.",
            super::api::module(),
        ),
        group(
            "Rows",
            "What `query` returns: like an array of maps, one per row (`rows[0].name`, `for row in rows`), \
             that keeps the SELECT's column order and prints as a table.",
            super::rows::module(),
        ),
        group(
            "Transactions",
            "`transaction(|| …)` commits when the closure returns and rolls back when it throws; `begin()`, \
             `commit()` and `rollback()` are the explicit style. The two do not mix on one session.",
            super::tx::module(),
        ),
        group(
            "Errors",
            "The value `catch (e)` gets when a pgsh function fails: a SQL error's fields as the server \
             sent them.",
            super::script_error::module(),
        ),
        group(
            "Moving data",
            "Streams (`for row in stream(sql)`: a server-side cursor, for results of any size), COPY in and \
             out, and CSV/JSON files. Relative paths are relative to the script's directory.",
            super::data::module(),
        ),
        group(
            "Query plans",
            "`explain` gives a statement's plan as a value to print or to inspect.",
            super::explain::module(),
        ),
        group(
            "Dates",
            "PostgreSQL's `date`, with its full range (4714 BC to 5874897 AD) and ±infinity.",
            super::datetime::date_module(),
        ),
        group(
            "Timestamps",
            "PostgreSQL's `timestamp` and `timestamptz` (an instant shown in a time zone, normally the \
             session's TimeZone).",
            super::datetime::timestamp_module(),
        ),
        group(
            "Times of day",
            "PostgreSQL's `time` and `timetz`.",
            super::datetime::time_module(),
        ),
        group(
            "Intervals",
            "PostgreSQL's `interval`: months, days and time kept apart, compared as PostgreSQL does (a month \
             as 30 days).",
            super::datetime::interval_module(),
        ),
        group(
            "Numbers",
            "numeric columns arrive as exact decimals; these let them meet Rhai's floats.",
            super::numeric::module(),
        ),
        group(
            "Printing",
            "Values print the same way with `print`, in `${…}` and at the prompt.",
            super::show::module(),
        ),
        group(
            "Process",
            "The environment, pauses and the exit code.",
            super::sys::module(),
        ),
    ]
}

/// Build the engine for a run: pgsh's functions act on `shell`, which they reach through the engine's tag.
pub fn build(shell: Rc<Shell>, limits: &Limits, io: EngineIo) -> Engine {
    let mut engine = bare(limits, io);
    engine.set_default_tag(ShellRef::tag(shell));
    engine
}

/// The engine with every pgsh function but no shell: the database functions fail with a clear error.
pub fn bare(limits: &Limits, io: EngineIo) -> Engine {
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
    for g in groups() {
        engine.register_global_module(g.module.into());
    }
    engine
}
