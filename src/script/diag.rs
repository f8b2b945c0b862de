//! Rendering an uncaught error for humans: the script's file:line:col with the source line and a caret, and for
//! SQL errors psql's layout (the message, `LINE n:` with a caret under the server's position, DETAIL, HINT,
//! SQLSTATE).

use std::rc::Rc;

use rhai::{EvalAltResult, Position};

use super::script_error::ScriptError;
use crate::error::{Error, ErrorKind};
use crate::output::server_error::sql_details;
use crate::output::table::display_width;

/// Looks up the text of a script or module by its source name.
pub trait Sources {
    fn text(&self, name: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> Sources for F {
    fn text(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// Where an error happened and what it was, after looking through function-call and module wrappers.
pub struct Located<'a> {
    pub error: &'a EvalAltResult,
    pub source: Option<String>,
    pub position: Position,
    /// Outer call sites, innermost first: (source, position, function).
    pub trace: Vec<(Option<String>, Position, String)>,
}

pub fn locate<'a>(err: &'a EvalAltResult, main: Option<&str>) -> Located<'a> {
    let mut source = main.map(str::to_string);
    let mut trace = Vec::new();
    let mut cur = err;
    loop {
        match cur {
            EvalAltResult::ErrorInFunctionCall(name, src, inner, pos) => {
                trace.push((source.clone(), *pos, name.clone()));
                if !src.is_empty() {
                    source = Some(src.clone());
                }
                cur = inner;
            }
            EvalAltResult::ErrorInModule(path, inner, pos) => {
                trace.push((source.clone(), *pos, format!("import \"{path}\"")));
                source = Some(path.clone());
                cur = inner;
            }
            _ => break,
        }
    }
    trace.reverse();
    Located {
        error: cur,
        source,
        position: cur.position(),
        trace,
    }
}

/// The pgsh error inside a Rhai error, if it carries one.
pub fn pgsh_error(err: &EvalAltResult) -> Option<Rc<Error>> {
    match err {
        EvalAltResult::ErrorRuntime(v, _) => v.read_lock::<ScriptError>().map(|e| e.0.clone()),
        _ => None,
    }
}

/// The value `exit(code)` unwinds with (not catchable by `try`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExitRequest(pub u8);

/// If an error is an `exit(code)`, its code.
pub fn exit_request(err: &EvalAltResult) -> Option<u8> {
    let loc = locate(err, None);
    match loc.error {
        EvalAltResult::ErrorTerminated(v, _) => v.read_lock::<ExitRequest>().map(|r| r.0),
        _ => None,
    }
}

/// The exit code an uncaught error maps to (psql's: 2 for connection trouble, 3 for script errors).
pub fn exit_code(err: &EvalAltResult) -> u8 {
    let located = locate(err, None);
    if let Some(code) = exit_request(err) {
        return code;
    }
    match located.error {
        EvalAltResult::ErrorTerminated(..) => 130,
        e => match pgsh_error(e) {
            Some(pe) => match pe.kind() {
                ErrorKind::Connect | ErrorKind::ConnectionLost => 2,
                ErrorKind::Interrupted => 130,
                ErrorKind::Io | ErrorKind::Usage => 3,
                _ => 3,
            },
            None => 3,
        },
    }
}

/// The message of an error, without Rhai's " (line x, position y)" suffix.
fn bare_message(err: &EvalAltResult) -> String {
    if let Some(pe) = pgsh_error(err) {
        let place = pe.place().map(|p| format!("{p}: ")).unwrap_or_default();
        let body = match pe.db() {
            Some(db) => format!("{}:  {}", db.severity, db.message),
            None => match pe.code() {
                Some(code) if pe.kind() != ErrorKind::Api => {
                    format!("{} (SQLSTATE {})", pe.message(), code.code())
                }
                _ => pe.message().to_string(),
            },
        };
        return format!("{place}{body}");
    }
    if let EvalAltResult::ErrorRuntime(v, _) = err {
        return format!("uncaught exception: {v}");
    }
    if let EvalAltResult::ErrorTerminated(..) = err {
        return "interrupted".into();
    }
    let text = err.to_string();
    // Rhai appends " (line L, position P)"; the place is printed separately.
    match text.rfind(" (line ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text,
    }
}

/// Render an uncaught error. `main` is the main script's source name (a path, `-e`, `<stdin>`).
pub fn render(err: &EvalAltResult, main: Option<&str>, sources: &dyn Sources) -> String {
    render_with(err, main, sources, &|_: &str| None)
}

/// [`render`], with where a closure is written (`file:line`) by Rhai's name for it (`anon$…`), so the
/// trace names a closure by its place; and a hint for the errors newcomers meet ([`super::hints`]).
pub fn render_with(
    err: &EvalAltResult,
    main: Option<&str>,
    sources: &dyn Sources,
    closures: &dyn Fn(&str) -> Option<String>,
) -> String {
    let loc = locate(err, main);
    let mut out = String::new();
    let place = match (&loc.source, loc.position.line()) {
        (Some(src), Some(line)) => {
            format!("{src}:{line}:{}: ", loc.position.position().unwrap_or(1))
        }
        (None, Some(line)) => format!("line {line}:{}: ", loc.position.position().unwrap_or(1)),
        (Some(src), None) => format!("{src}: "),
        (None, None) => String::new(),
    };
    out.push_str(&place);
    out.push_str(&bare_message(loc.error));
    out.push('\n');
    if let (Some(src), Some(line)) = (&loc.source, loc.position.line()) {
        if let Some(text) = sources.text(src) {
            out.push_str(&source_excerpt(
                &text,
                line,
                loc.position.position().unwrap_or(1),
            ));
        }
    }
    for (src, pos, name) in &loc.trace {
        if let Some(line) = pos.line() {
            let name = match (name.starts_with("anon$"), closures(name)) {
                (true, Some(place)) => format!("the closure at {place}"),
                (true, None) => "a closure".to_string(),
                (false, _) => name.clone(),
            };
            out.push_str(&format!(
                "  in {name}, called at {}:{line}:{}\n",
                src.as_deref().unwrap_or("script"),
                pos.position().unwrap_or(1)
            ));
        }
    }
    if let Some(h) = super::hints::hint(loc.error) {
        out.push_str(&format!("hint: {h}\n"));
    }
    if let Some(pe) = pgsh_error(loc.error) {
        if let Some(db) = pe.db() {
            out.push_str(&sql_details(db));
        }
    }
    out
}

/// `  3 | let x = query("...");` and a caret line under column `col` (1-based, in characters).
pub fn source_excerpt(text: &str, line: usize, col: usize) -> String {
    let Some(src_line) = text.lines().nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let num = line.to_string();
    // The script's own text may hold a connection URL with a password: never echo it.
    let prefix: String = src_line.chars().take(col.saturating_sub(1)).collect();
    let prefix = crate::redact::redact_secrets(&prefix);
    let shown = crate::redact::redact_secrets(src_line);
    let pad = display_width(&prefix.replace('\t', "    "));
    format!(
        "{num:>4} | {}\n{:>4} | {}^\n",
        shown.replace('\t', "    "),
        "",
        " ".repeat(pad)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DbDetails;

    #[test]
    fn source_excerpt_marks_the_column() {
        let s = source_excerpt("let a = 1;\nlet b = query(\"x\");\n", 2, 9);
        assert_eq!(s, "   2 | let b = query(\"x\");\n     |         ^\n");
    }

    #[test]
    fn renders_rhai_errors_with_place() {
        let engine = rhai::Engine::new();
        let script = "let x = 1;\nlet y = nope + 1;\n";
        let err = engine.run(script).unwrap_err();
        let text = render(&err, Some("t.rhai"), &|_: &str| Some(script.to_string()));
        assert!(
            text.starts_with("t.rhai:2:9: Variable not found: nope\n"),
            "{text}"
        );
        assert!(
            text.contains("   2 | let y = nope + 1;\n     |         ^\n"),
            "{text}"
        );
        assert_eq!(exit_code(&err), 3);
    }

    #[test]
    fn closures_are_named_by_their_place() {
        // As Rhai reports an error inside a closure a native function called (`transaction(|| …)`).
        let inner = EvalAltResult::ErrorVariableNotFound("nope".into(), Position::new(2, 7));
        let err = EvalAltResult::ErrorInFunctionCall(
            "anon$015d1607ac168817".into(),
            "t.rhai".into(),
            Box::new(inner),
            Position::new(4, 1),
        );
        let named = |name: &str| name.starts_with("anon$").then(|| "t.rhai:1".to_string());
        let text = render_with(&err, Some("t.rhai"), &|_: &str| None, &named);
        assert!(
            text.contains("  in the closure at t.rhai:1, called at t.rhai:4:"),
            "{text}"
        );
        assert!(!text.contains("anon$"), "{text}");
        let text = render(&err, Some("t.rhai"), &|_: &str| None);
        assert!(
            text.contains("  in a closure, called at t.rhai:4:"),
            "{text}"
        );
    }

    #[test]
    fn sql_errors_show_psql_style_details() {
        let db = DbDetails {
            code: "42P01".into(),
            severity: "ERROR".into(),
            message: "relation \"nope\" does not exist".into(),
            position: Some(15),
            hint: Some("Check the name.".into()),
            sql: Some("SELECT * FROM nope".into()),
            ..DbDetails::default()
        };
        let err = super::super::script_error::throw(Error::server(db));
        let text = render(&err, None, &|_: &str| None);
        assert!(
            text.starts_with("ERROR:  relation \"nope\" does not exist\n"),
            "{text}"
        );
        assert!(
            text.contains("LINE 1: SELECT * FROM nope\n                      ^\n"),
            "{text}"
        );
        assert!(text.contains("HINT:  Check the name.\n"));
        assert!(text.ends_with("SQLSTATE: 42P01\n"));
        assert_eq!(exit_code(&err), 3);
    }
}
