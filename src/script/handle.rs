//! The shell a script's functions act on, reached through the engine's tag: registered functions capture
//! nothing, so the same plugin modules serve every engine (and the reference is built without a shell).

use std::rc::Rc;

use rhai::{Dynamic, NativeCallContext};

use super::script_error::{throw, RhaiResult};
use crate::error::Error;
use crate::shell::Shell;

/// What the engine's default tag holds: the process's shell (sessions, the default target, print options).
#[derive(Clone)]
pub struct ShellRef(pub Rc<Shell>);

impl ShellRef {
    /// The tag to give an engine whose functions act on `shell`.
    pub fn tag(shell: Rc<Shell>) -> Dynamic {
        Dynamic::from(ShellRef(shell))
    }
}

/// The shell, for a function that needs the database.
pub fn shell(ctx: &NativeCallContext) -> RhaiResult<Rc<Shell>> {
    shell_if_any(ctx).ok_or_else(|| {
        #[cfg(test)]
        NEEDED.with(|n| n.set(true));
        throw(Error::api(
            "this engine has no database session (it was built without a shell)",
        ))
    })
}

/// The shell, when the engine has one (functions that only read its settings work without).
pub fn shell_if_any(ctx: &NativeCallContext) -> Option<Rc<Shell>> {
    ctx.tag()
        .and_then(|t| t.read_lock::<ShellRef>().map(|s| s.0.clone()))
}

#[cfg(test)]
thread_local! {
    /// Set when a function asked for the shell of an engine that has none: the documentation examples
    /// that need a database are run by the integration tests instead.
    static NEEDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a function asked for a missing shell since the last call (and forget it).
#[cfg(test)]
pub fn shell_was_needed() -> bool {
    NEEDED.with(|n| n.replace(false))
}
