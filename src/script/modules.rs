//! `import "lib"`: modules resolved relative to the script that imports them (a module in `lib/` importing
//! `"sub/x"` finds `lib/sub/x.rhai`), compiled once per run, with their text kept for error excerpts.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};

type SharedModule = Shared<Module>;

/// Source texts by name, shared with the runner (for error excerpts).
pub type SourceMap = Rc<RefCell<HashMap<String, String>>>;

pub struct RelativeResolver {
    /// Where imports from code that is not a file (`-e`, the REPL, stdin) are looked up.
    base: PathBuf,
    cache: RefCell<HashMap<PathBuf, SharedModule>>,
    sources: SourceMap,
}

impl RelativeResolver {
    pub fn new(base: PathBuf, sources: SourceMap) -> Self {
        RelativeResolver {
            base,
            cache: RefCell::new(HashMap::new()),
            sources,
        }
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
        let text = std::fs::read_to_string(&file).map_err(|_| {
            Box::new(EvalAltResult::ErrorModuleNotFound(
                format!("{path} (looked for {})", file.display()),
                pos,
            ))
        })?;
        let name = file.display().to_string();
        self.sources.borrow_mut().insert(name.clone(), text.clone());
        let in_module =
            |e: Box<EvalAltResult>| Box::new(EvalAltResult::ErrorInModule(name.clone(), e, pos));
        let mut ast = engine
            .compile(super::runner::strip_shebang(&text).as_ref())
            .map_err(|e| in_module(Box::new(e.into())))?;
        ast.set_source(name.as_str());
        let module: SharedModule = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(in_module)?
            .into();
        self.cache.borrow_mut().insert(key, module.clone());
        Ok(module)
    }
}
