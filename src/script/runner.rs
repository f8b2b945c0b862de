//! Running Rhai code: script files, `-e` code and REPL chunks, with one scope (and the functions defined so
//! far) that persists across chunks.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, Scope, AST};

use super::modules::strip_shebang;
use crate::error::Error;
use crate::shell::Shell;

pub struct Runner {
    pub engine: Engine,
    pub host: Rc<Shell>,
    scope: Scope<'static>,
    /// Functions defined by earlier REPL chunks (statements are cleared after each evaluation).
    functions: AST,
    /// Source texts by name, for error excerpts.
    sources: Rc<RefCell<HashMap<String, String>>>,
    /// Where each closure compiled so far is written (`file:line`), by Rhai's name for it.
    closures: Rc<RefCell<HashMap<String, String>>>,
}

impl Runner {
    pub fn new(engine: Engine, host: Rc<Shell>) -> Runner {
        let mut scope = Scope::new();
        scope.push_constant("ARGS", Array::new());
        let mut runner = Runner {
            engine,
            host,
            scope,
            functions: AST::empty(),
            sources: Rc::new(RefCell::new(HashMap::new())),
            closures: Rc::new(RefCell::new(HashMap::new())),
        };
        runner.set_base_dir(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")));
        runner
    }

    /// `ARGS` for the script.
    pub fn set_args(&mut self, args: &[String]) {
        let arr: Array = args.iter().map(|a| Dynamic::from(a.clone())).collect();
        self.scope.set_or_push("ARGS", arr);
    }

    /// Resolve `import "x"` relative to the importing script (and to `dir` for code that is not a file).
    pub fn set_base_dir(&mut self, dir: &Path) {
        let resolver =
            super::modules::RelativeResolver::new(dir.to_path_buf(), self.sources.clone());
        self.engine.set_module_resolver(resolver);
    }

    pub fn remember_source(&self, name: &str, text: &str) {
        self.sources
            .borrow_mut()
            .insert(name.to_string(), text.to_string());
    }

    /// Read and run a script file.
    pub fn run_file(&mut self, path: &Path) -> Result<Dynamic, RunError> {
        let text = super::modules::read_source(path).map_err(|e| {
            RunError::Shell(Error::io(format!("cannot read {}", path.display()), &e))
        })?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let resolver = super::modules::RelativeResolver::new(dir.clone(), self.sources.clone())
            .with_main(path);
        self.engine.set_module_resolver(resolver);
        let name = path.display().to_string();
        self.run_source(&name, &text).map_err(RunError::Script)
    }

    /// Compile and run a whole script (file, `-e`, stdin) in the runner's scope.
    pub fn run_source(&mut self, name: &str, text: &str) -> Result<Dynamic, Box<EvalAltResult>> {
        // Without the byte-order mark, so error excerpts line up with what Rhai counted.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        self.remember_source(name, text);
        let text = &strip_shebang(text);
        let mut ast = self
            .engine
            .compile_with_scope(&self.scope, text)
            .map_err(|e| Box::new(EvalAltResult::from(e)))?;
        ast.set_source(name);
        self.note_closures(&ast, name);
        self.engine.eval_ast_with_scope(&mut self.scope, &ast)
    }

    /// Evaluate one REPL chunk: functions it defines stay available to later chunks, as do its variables.
    pub fn eval_chunk(&mut self, name: &str, text: &str) -> Result<Dynamic, Box<EvalAltResult>> {
        let mut ast = self
            .engine
            .compile_with_scope(&self.scope, text)
            .map_err(|e| Box::new(EvalAltResult::from(e)))?;
        ast.set_source(name);
        self.note_closures(&ast, name);
        let mut combined = self.functions.merge(&ast);
        combined.set_source(name);
        let result = self.engine.eval_ast_with_scope(&mut self.scope, &combined);
        combined.clear_statements();
        self.functions = combined;
        result
    }

    /// Is `text` an unfinished Rhai input (an open block, list or call) that more lines could complete?
    pub fn is_incomplete(&self, text: &str) -> bool {
        use rhai::ParseErrorType;
        let Err(e) = self.engine.compile_with_scope(&self.scope, text) else {
            return false;
        };
        let lines: Vec<&str> = text.trim_end().lines().collect();
        let at_end = match e.position().line() {
            None => true,
            Some(l) => {
                let n = lines.len();
                let last_len = lines.last().map(|s| s.chars().count()).unwrap_or(0);
                l > n || (l == n && e.position().position().unwrap_or(0) > last_len)
            }
        };
        matches!(e.err_type(), ParseErrorType::UnexpectedEOF)
            || open_string(text, &e)
            || (at_end
                && matches!(
                    e.err_type(),
                    ParseErrorType::MissingToken(..)
                        | ParseErrorType::MissingSymbol(..)
                        | ParseErrorType::ExprExpected(..)
                ))
    }

    /// Render an uncaught error for the terminal, closures named by where they are written.
    pub fn render_error(&self, err: &EvalAltResult, main: Option<&str>) -> String {
        let sources = self.sources.clone();
        let lookup = move |name: &str| -> Option<String> {
            sources
                .borrow()
                .get(name)
                .cloned()
                .or_else(|| std::fs::read_to_string(name).ok())
        };
        let closures = self.closures.clone();
        let closure = move |name: &str| closures.borrow().get(name).cloned();
        super::diag::render_with(err, main, &lookup, &closure)
    }

    /// Remember where the closures of `ast` are written (Rhai names them `anon$…` in errors).
    fn note_closures(&self, ast: &AST, name: &str) {
        let mut closures = self.closures.borrow_mut();
        for f in ast.iter_fn_def() {
            if f.name.starts_with("anon$") {
                let pos = f.body.start_position();
                if let Some(line) = pos.line() {
                    closures.insert(f.name.to_string(), format!("{name}:{line}"));
                }
            }
        }
    }

    pub fn scope(&self) -> &Scope<'static> {
        &self.scope
    }
}

/// Whether Rhai stopped at a string that more lines could close: a backtick string (which may span
/// lines) or a `"…"` string whose line ends in `\` (continued on the next), open at the end of the
/// input. Rhai reports both where the string starts.
fn open_string(text: &str, e: &rhai::ParseError) -> bool {
    use rhai::{LexError, ParseErrorType};
    if !matches!(
        e.err_type(),
        ParseErrorType::BadInput(LexError::UnterminatedString)
    ) {
        return false;
    }
    let (Some(line), Some(col)) = (e.position().line(), e.position().position()) else {
        return false;
    };
    let opening = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.chars().nth(col - 1));
    match opening {
        Some('`') => true,
        Some('"') => text.trim_end_matches('\n').ends_with('\\'),
        _ => false,
    }
}

/// Why a run failed.
pub enum RunError {
    /// pgsh could not run the script at all (unreadable file).
    Shell(Error),
    /// The script raised an error.
    Script(Box<EvalAltResult>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str) -> bool {
        match rhai::Engine::new().compile(text) {
            Ok(_) => false,
            Err(e) => open_string(text, &e),
        }
    }

    #[test]
    fn a_string_that_more_lines_can_close_is_open() {
        assert!(open("let r = query(`SELECT name FROM genre\n"));
        assert!(open("let a = 1;\nlet r = `one\ntwo\n"));
        assert!(open("let s = \"one \\\n"));
        // Closed, or a one-line string left open: nothing more can mend it.
        assert!(!open("let r = `SELECT 1`;\n"));
        assert!(!open("let s = \"open\n"));
        assert!(!open("let s = \"open\nx\n"));
        assert!(!open("let c = 'ab';\n"));
    }
}
