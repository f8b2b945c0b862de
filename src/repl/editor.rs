//! The terminal side of the REPL: rustyline with a private, bounded, de-duplicated history file whose entries
//! never hold a password, and `\e`'s round trip through $EDITOR.

use std::path::PathBuf;

use rustyline::error::ReadlineError;
use rustyline::history::{DefaultHistory, History};
use rustyline::{Config, Editor};

use std::cell::RefCell;
use std::rc::Rc;

use super::complete::{Catalog, Needs, Recent, Sources};
use super::input::Lang;
use super::source::{LineSource, Read};

/// History entries kept.
pub const HISTORY_SIZE: usize = 1000;

/// Where the history lives: `$XDG_DATA_HOME/pgsh/history` (or the platform's data dir).
pub fn history_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pgsh").map(|d| d.data_dir().join("history"))
}

pub struct EditorSource<H: rustyline::Helper> {
    editor: Editor<H, DefaultHistory>,
    history: Option<PathBuf>,
}

impl<H: rustyline::Helper + SessionHistory> EditorSource<H> {
    pub fn new(helper: Option<H>) -> Result<Self, String> {
        let config = Config::builder()
            .max_history_size(HISTORY_SIZE)
            .map_err(|e| e.to_string())?
            .history_ignore_dups(true)
            .map_err(|e| e.to_string())?
            .history_ignore_space(true)
            .auto_add_history(false)
            .bracketed_paste(true)
            .completion_type(rustyline::CompletionType::List)
            .build();
        let mut editor: Editor<H, DefaultHistory> = Editor::with_config(config)
            .map_err(|e| format!("cannot start the line editor: {e}"))?;
        editor.set_helper(helper);
        let history = history_path();
        if let Some(p) = &history {
            if p.exists() {
                let _ = editor.load_history(p);
            }
        }
        if let Some(h) = editor.helper() {
            h.history_loaded(editor.history().len());
        }
        Ok(EditorSource { editor, history })
    }
}

impl<H: rustyline::Helper> EditorSource<H> {
    /// Add this session's new entries to the history file, readable by this user only. Appending (rather
    /// than writing out the history held in memory) keeps what other sessions on the same file saved in the
    /// meantime: when the file changed since this session last read or wrote it, rustyline merges it under
    /// its lock, keeping the newest entries within the size bound.
    pub fn save_history(&mut self) -> Result<(), String> {
        let Some(p) = &self.history else {
            return Ok(());
        };
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        // Create it private before rustyline writes to it, so it is never briefly world-readable.
        {
            use std::os::unix::fs::OpenOptionsExt;
            let _ = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(p);
        }
        self.editor
            .append_history(p)
            .map_err(|e| format!("cannot save history to {}: {e}", p.display()))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", p.display()))
    }
}

impl<H: rustyline::Helper> EditorSource<H> {
    /// A printer other threads use to show a line above the one being typed, the prompt and the typed
    /// text redrawn below it (None when the terminal offers none).
    pub fn external_printer(&mut self) -> Option<crate::db::session::lent::IdlePrinter> {
        use rustyline::ExternalPrinter as _;
        let mut printer = self.editor.create_external_printer().ok()?;
        Some(std::sync::Arc::new(std::sync::Mutex::new(
            move |line: String| {
                let _ = printer.print(line);
            },
        )))
    }
}

impl<H: rustyline::Helper> LineSource for EditorSource<H> {
    fn read_line(&mut self, prompt: &str) -> Read {
        match self.editor.readline(prompt) {
            Ok(l) => Read::Line(l),
            Err(ReadlineError::Interrupted) => Read::Interrupted,
            Err(_) => Read::Eof,
        }
    }

    fn add_history(&mut self, entry: &str) {
        let clean = crate::redact::redact_secrets(entry);
        let _ = self.editor.history_mut().add(&clean);
        // Save as we go so a crash or a kill keeps what was typed.
        let _ = self.save_history();
    }

    fn history(&self) -> Vec<String> {
        self.editor.history().iter().cloned().collect()
    }
}

/// What the REPL shares with the editor while a line is being typed.
pub struct EditorState {
    /// Earlier lines of the input being typed (multi-line SQL or Rhai).
    pub pending: String,
    pub lang: Lang,
    /// Variables in the REPL's scope.
    pub variables: Vec<String>,
    /// pgsh and Rhai function names.
    pub functions: Vec<String>,
    /// Set after DDL: what completion cached of the catalog is dropped at the next completion.
    pub catalog_stale: bool,
    pub colours: bool,
    /// Prints above the line being typed (notifications that arrive while the prompt waits).
    pub printer: Option<crate::db::session::lent::IdlePrinter>,
}

impl Default for EditorState {
    fn default() -> Self {
        EditorState {
            pending: String::new(),
            lang: Lang::Rhai,
            variables: Vec::new(),
            functions: Vec::new(),
            catalog_stale: true,
            colours: false,
            printer: None,
        }
    }
}

pub type SharedState = Rc<RefCell<EditorState>>;

/// rustyline's helper: completion and highlighting.
pub struct Helper {
    host: Rc<crate::shell::Shell>,
    state: SharedState,
    /// What completion has read of the catalog so far (parts are read when a completion needs them).
    catalog: RefCell<Catalog>,
    /// How many history entries earlier sessions left: the entries after them were typed in this one.
    history_base: std::cell::Cell<usize>,
    meta: Vec<String>,
}

/// A helper that wants to know how much of the history was loaded from the file, before this session.
pub trait SessionHistory {
    fn history_loaded(&self, _entries: usize) {}
}

impl SessionHistory for Helper {
    fn history_loaded(&self, entries: usize) {
        self.history_base.set(entries);
    }
}

impl Helper {
    pub fn new(host: Rc<crate::shell::Shell>, state: SharedState) -> Self {
        Helper {
            host,
            state,
            catalog: RefCell::new(Catalog::default()),
            history_base: std::cell::Cell::new(0),
            meta: {
                let mut names = crate::psql::help::command_names();
                names.extend(["sql", "rhai", "lessons"].map(String::from));
                names
            },
        }
    }

    /// Read what `needs` asks of the catalog and is not cached, from the current session (never
    /// connecting by itself); after DDL everything cached is dropped first. A part that cannot be read now
    /// (no session, a failed transaction, time up) is simply missing: completion then offers keywords.
    fn fill_catalog(&self, needs: &Needs) {
        let started = std::time::Instant::now();
        if std::mem::take(&mut self.state.borrow_mut().catalog_stale) {
            self.catalog.borrow_mut().clear();
        }
        if self.catalog.borrow().missing(needs) == Needs::default() {
            return;
        }
        let Some(db) = self.host.current_if_any() else {
            return;
        };
        let Ok(mut session) = db.try_session() else {
            return;
        };
        let _ = self.catalog.borrow_mut().fill(&mut session, needs, started);
        // Reading the catalog took back a connection lent to the notification watcher (the prompt is
        // still waiting): lend it again.
        let printer = self.state.borrow().printer.clone();
        if let Some(printer) = printer {
            session.watch_while_idle(printer);
        }
    }

    /// The words of the entries typed in this session.
    fn recent(&self, history: &dyn History) -> Recent {
        let entries: Vec<String> = (self.history_base.get()..history.len())
            .filter_map(|i| {
                history
                    .get(i, rustyline::history::SearchDirection::Forward)
                    .ok()
                    .flatten()
                    .map(|r| r.entry.into_owned())
            })
            .collect();
        Recent::from_entries(entries.iter().map(String::as_str))
    }
}

impl rustyline::completion::Completer for Helper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let (pending, lang, vars, functions) = {
            let st = self.state.borrow();
            (
                st.pending.clone(),
                st.lang,
                st.variables.clone(),
                st.functions.clone(),
            )
        };
        if let Some(needs) = super::complete::catalog_needs(&pending, line, pos, lang) {
            self.fill_catalog(&needs);
        }
        let catalog = self.catalog.borrow();
        let recent = self.recent(ctx.history());
        let cwd = std::env::current_dir().unwrap_or_default();
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let src = Sources {
            functions: &functions,
            variables: &vars,
            meta: &self.meta,
            catalog: Some(&catalog),
            recent: &recent,
            cwd: &cwd,
            home: home.as_deref(),
        };
        Ok(super::complete::complete(&pending, line, pos, lang, &src))
    }
}

impl rustyline::hint::Hinter for Helper {
    type Hint = String;
}

impl rustyline::highlight::Highlighter for Helper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> std::borrow::Cow<'l, str> {
        let st = self.state.borrow();
        if !st.colours {
            return std::borrow::Cow::Borrowed(line);
        }
        std::borrow::Cow::Owned(super::highlight::highlight(&st.pending, line, pos, st.lang))
    }

    fn highlight_char(
        &self,
        _line: &str,
        _pos: usize,
        _kind: rustyline::highlight::CmdKind,
    ) -> bool {
        self.state.borrow().colours
    }
}

impl rustyline::validate::Validator for Helper {}
impl rustyline::Helper for Helper {}
