//! The Rhai engine, configured once: limits, Ctrl-C through `on_progress`, print/debug, and every pgsh package.

use std::rc::Rc;

use rhai::Engine;

use crate::host::Host;
use crate::output::table::TableOptions;

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

    crate::script::datetime::register(&mut engine);
    super::numeric::register(&mut engine);
    let h = host.clone();
    let table_opts: Rc<dyn Fn() -> TableOptions> = Rc::new(move || h.table.borrow().clone());
    super::rows::register(&mut engine, table_opts);
    super::api::register(&mut engine, host.clone());
    super::tx::register(&mut engine, host.clone());
    super::data::register(&mut engine, host.clone());
    super::explain::register(&mut engine, host);
    super::sys::register(&mut engine);
    engine
}

/// A registered function as `\h` and completion see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnInfo {
    pub name: String,
    pub signature: String,
    /// Doc comment lines without the `///`.
    pub docs: Vec<String>,
}

/// pgsh's own functions (those registered with docs), from the engine's metadata.
pub fn function_docs(engine: &Engine) -> Vec<FnInfo> {
    let Ok(json) = engine.gen_fn_metadata_to_json(false) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&json) else {
        return Vec::new();
    };
    let mut out: Vec<FnInfo> = value
        .get("functions")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
        .filter_map(|f| {
            let name = f.get("name")?.as_str()?.to_string();
            let docs: Vec<String> = f
                .get("docComments")?
                .as_array()?
                .iter()
                .filter_map(|l| l.as_str())
                .flat_map(|block| block.lines().map(str::to_string).collect::<Vec<_>>())
                .map(|l| {
                    l.trim_start_matches("///")
                        .strip_prefix(' ')
                        .map(str::to_string)
                        .unwrap_or_else(|| l.trim_start_matches("///").to_string())
                })
                .collect();
            if docs.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return None;
            }
            let signature =
                tidy_signature(f.get("signature").and_then(|s| s.as_str()).unwrap_or(&name));
            Some(FnInfo {
                name,
                signature,
                docs,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.signature.cmp(&b.signature)));
    out
}

/// Rhai's metadata signatures name Rust types (`core::result::Result<pgsh::script::rows::Rows, …>`); show
/// what a script sees instead: `query(sql: string, params: array) -> rows`.
pub fn tidy_signature(sig: &str) -> String {
    const RESULT: &str = "core::result::Result<";
    let mut s = sig.to_string();
    while let Some(start) = s.find(RESULT) {
        let inner_start = start + RESULT.len();
        // The Ok type ends at the comma at nesting depth 0.
        let mut depth = 0;
        let mut end = None;
        for (i, c) in s[inner_start..].char_indices() {
            match c {
                '<' => depth += 1,
                '>' if depth == 0 => break,
                '>' => depth -= 1,
                ',' if depth == 0 => {
                    end = Some(inner_start + i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let ok = s[inner_start..end].to_string();
        // Drop the error type and the closing '>'.
        let mut depth = 0;
        let mut close = s.len();
        for (i, c) in s[end..].char_indices() {
            match c {
                '<' => depth += 1,
                '>' if depth == 0 => {
                    close = end + i + 1;
                    break;
                }
                '>' => depth -= 1,
                _ => {}
            }
        }
        s.replace_range(start..close, &ok);
    }
    // Module paths and Rust-only spellings.
    let mut out = String::new();
    for token in s.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
        let (word, tail) = match token.char_indices().last() {
            Some((i, c)) if !(c.is_alphanumeric() || c == '_' || c == ':') => token.split_at(i),
            _ => (token, ""),
        };
        out.push_str(word.rsplit("::").next().unwrap_or(word));
        out.push_str(tail);
    }
    out.replace("&mut ", "")
        .replace("_: ", "")
        .replace(" -> ()", "")
        .replace("Rows", "rows")
        .replace("Dynamic", "value")
        .replace("ImmutableString", "string")
        .replace("i64", "int")
        .replace("f64", "float")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_read_like_rhai() {
        assert_eq!(
            tidy_signature("query(_: &mut Db, _: string, _: array) -> core::result::Result<pgsh::script::rows::Rows,alloc::boxed::Box<rhai::types::error::EvalAltResult>>"),
            "query(Db, string, array) -> rows"
        );
        assert_eq!(
            tidy_signature("sleep(secs: f64) -> core::result::Result<(),alloc::boxed::Box<rhai::types::error::EvalAltResult>>"),
            "sleep(secs: float)"
        );
    }
}
