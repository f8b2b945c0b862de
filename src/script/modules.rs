//! Reading script files (UTF-8, errors saying where), and `import "lib"`: modules resolved relative to the
//! script that imports them (a module in `lib/` importing `"sub/x"` finds `lib/sub/x.rhai`), compiled once
//! per run, with their text kept for error excerpts.
//! A module that imports itself, directly or through others, is an error naming the cycle (Rhai would
//! otherwise recurse until the stack overflows).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};

use super::script_error::throw;
use crate::error::Error;

type SharedModule = Shared<Module>;

/// Source texts by name, shared with the runner (for error excerpts).
pub type SourceMap = Rc<RefCell<HashMap<String, String>>>;

pub struct RelativeResolver {
    /// Where imports from code that is not a file (`-e`, the REPL, stdin) are looked up.
    base: PathBuf,
    cache: RefCell<HashMap<PathBuf, SharedModule>>,
    sources: SourceMap,
    /// The main script (canonical path and name as shown), which is the first link of any cycle through it.
    main: Option<(PathBuf, String)>,
    /// Modules being loaded, outermost first (canonical path, name as shown): an import of one of them
    /// is a cycle.
    loading: RefCell<Vec<(PathBuf, String)>>,
}

impl RelativeResolver {
    pub fn new(base: PathBuf, sources: SourceMap) -> Self {
        RelativeResolver {
            base,
            cache: RefCell::new(HashMap::new()),
            sources,
            main: None,
            loading: RefCell::new(Vec::new()),
        }
    }

    /// The script being run, so that a module importing it back is reported as a cycle too.
    pub fn with_main(mut self, main: &Path) -> Self {
        let key = main.canonicalize().unwrap_or_else(|_| main.to_path_buf());
        self.main = Some((key, self.shown(main)));
        self
    }

    /// A module's name for the cycle message: relative to the main script's directory when inside it.
    fn shown(&self, file: &Path) -> String {
        file.strip_prefix(&self.base)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(file)
            .display()
            .to_string()
    }

    /// `a.rhai → b.rhai → a.rhai` when importing `key` closes a cycle.
    fn cycle(&self, key: &Path, name: &str) -> Option<String> {
        let loading = self.loading.borrow();
        let chain: Vec<&(PathBuf, String)> = self.main.iter().chain(loading.iter()).collect();
        let from = chain.iter().position(|(k, _)| k == key)?;
        let mut names: Vec<&str> = chain[from..].iter().map(|(_, n)| n.as_str()).collect();
        names.push(name);
        Some(names.join(" → "))
    }

    /// The file an import names, relative to the importing file's directory.
    pub fn locate(&self, source: Option<&str>, path: &str) -> PathBuf {
        let dir = source
            .map(Path::new)
            .filter(|p| p.is_file())
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.base.clone());
        let mut file = if Path::new(path).is_absolute() {
            PathBuf::from(path)
        } else {
            dir.join(path)
        };
        if file.extension().is_none() {
            file.set_extension("rhai");
        }
        file
    }
}

impl ModuleResolver for RelativeResolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<SharedModule, Box<EvalAltResult>> {
        let file = self.locate(source, path);
        let key = file.canonicalize().unwrap_or_else(|_| file.clone());
        if let Some(m) = self.cache.borrow().get(&key) {
            return Ok(m.clone());
        }
        if let Some(chain) = self.cycle(&key, &self.shown(&file)) {
            let mut e = throw(Error::api(format!(
                "circular import: {chain} (a module cannot import itself, directly or through others)"
            )));
            e.set_position(pos);
            return Err(e);
        }
        let text = read_source(&file).map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                // It is there, but not text pgsh can run: say where, not "not found".
                let mut err = throw(Error::io(format!("cannot read {}", file.display()), &e));
                err.set_position(pos);
                return err;
            }
            Box::new(EvalAltResult::ErrorModuleNotFound(
                format!("{path} (looked for {})", file.display()),
                pos,
            ))
        })?;
        let name = file.display().to_string();
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        self.sources.borrow_mut().insert(name.clone(), text.clone());
        let in_module =
            |e: Box<EvalAltResult>| Box::new(EvalAltResult::ErrorInModule(name.clone(), e, pos));
        let mut ast = engine
            .compile(strip_shebang(&text).as_ref())
            .map_err(|e| in_module(Box::new(e.into())))?;
        ast.set_source(name.as_str());
        self.loading
            .borrow_mut()
            .push((key.clone(), self.shown(&file)));
        let evaluated = Module::eval_ast_as_new(Scope::new(), &ast, engine);
        self.loading.borrow_mut().pop();
        let module: SharedModule = evaluated.map_err(in_module)?.into();
        self.cache.borrow_mut().insert(key, module.clone());
        Ok(module)
    }
}

/// A `#!` first line (for executable scripts) becomes an empty line, so line numbers stay right. A UTF-8
/// byte-order mark (which some Windows editors write) goes too: Rhai reads it as a stray character.
pub fn strip_shebang(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with("#!") {
        let rest = text.find('\n').map(|i| &text[i..]).unwrap_or("");
        std::borrow::Cow::Owned(rest.to_string())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Read a script file as UTF-8 text. Invalid UTF-8 is an `InvalidData` error saying where (line, column and
/// the offending byte), which std's "stream did not contain valid UTF-8" does not.
pub fn read_source(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        std::io::Error::new(std::io::ErrorKind::InvalidData, invalid_utf8_at(bytes, at))
    })
}

/// "invalid UTF-8 at line 2, column 10 (byte 0xff); …" for the first bad byte at `at` (valid before it).
fn invalid_utf8_at(bytes: &[u8], at: usize) -> String {
    let before = String::from_utf8_lossy(&bytes[..at]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!(
        "invalid UTF-8 at line {line}, column {column} (byte 0x{:02x}); pgsh reads scripts as UTF-8 text \
         (convert the file, e.g. with iconv)",
        bytes.get(at).copied().unwrap_or(0)
    )
}

#[cfg(test)]
mod read_source_tests {
    use super::invalid_utf8_at;

    #[test]
    fn names_the_line_column_and_byte_of_the_first_invalid_byte() {
        let text = b"print(1);\nlet s = \"\xc3\xa9\xff\";\n";
        // Valid up to the 0xff: "print(1);\n" is 10 bytes, `let s = "é` 11 more.
        assert_eq!(
            invalid_utf8_at(text, 21),
            "invalid UTF-8 at line 2, column 11 (byte 0xff); pgsh reads scripts as UTF-8 text \
             (convert the file, e.g. with iconv)"
        );
    }
}
