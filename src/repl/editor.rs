//! The terminal side of the REPL: rustyline with a private, bounded, de-duplicated history file whose entries
//! never hold a password, and `\e`'s round trip through $EDITOR.

use std::path::PathBuf;

use rustyline::error::ReadlineError;
use rustyline::history::{DefaultHistory, History};
use rustyline::{Config, Editor};

use super::{LineSource, Read};

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

impl<H: rustyline::Helper> EditorSource<H> {
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
        Ok(EditorSource { editor, history })
    }

    pub fn helper_mut(&mut self) -> Option<&mut H> {
        self.editor.helper_mut()
    }

    /// Write the history file, readable by this user only.
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
            .save_history(p)
            .map_err(|e| format!("cannot save history to {}: {e}", p.display()))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", p.display()))
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
        let clean = crate::db::target::redact_secrets(entry);
        let _ = self.editor.history_mut().add(&clean);
        // Save as we go so a crash or a kill keeps what was typed.
        let _ = self.save_history();
    }
}

/// `\e`: write `initial` to a temp file, open $VISUAL/$EDITOR (default vi) on it, read it back.
pub fn edit_in_editor(initial: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let mut file = tempfile::Builder::new()
        .prefix("pgsh-edit-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("\\e: cannot create a temp file: {e}"))?;
    use std::io::Write;
    file.write_all(initial.as_bytes())
        .map_err(|e| format!("\\e: {e}"))?;
    let path = file.path().to_path_buf();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()
        .map_err(|e| format!("\\e: cannot run {editor}: {e}"))?;
    if !status.success() {
        return Err(format!("\\e: {editor} exited with {status}"));
    }
    std::fs::read_to_string(&path).map_err(|e| format!("\\e: {e}"))
}

/// rustyline's helper: completion and highlighting (filled in by the REPL issue).
pub struct Helper {
    #[allow(dead_code)]
    host: std::rc::Rc<crate::host::Host>,
}

impl Helper {
    pub fn new(host: std::rc::Rc<crate::host::Host>) -> Self {
        Helper { host }
    }
}

impl rustyline::completion::Completer for Helper {
    type Candidate = String;
}
impl rustyline::hint::Hinter for Helper {
    type Hint = String;
}
impl rustyline::highlight::Highlighter for Helper {}
impl rustyline::validate::Validator for Helper {}
impl rustyline::Helper for Helper {}
