//! psql's variables from Rhai: `psql_var`, `set_psql_var`, `unset_psql_var`, `psql_vars`. At pgsh's
//! prompt and in piped input they are the psql engine's own (`\set`, `-v`, `\gset`, `ROW_COUNT`…): what a
//! script sets is seen by `:name` in the SQL that follows, with psql's hooks (`ON_ERROR_STOP`,
//! `FETCH_COUNT`…) applied. A script run on its own has a set of its own.

use rhai::plugin::*;
use rhai::{Dynamic, Map};

use super::handle::shell;
use super::script_error::RhaiResult;

/// The plugin module: the psql variable functions.
pub fn module() -> Module {
    exported_module!(psql_variables)
}

/// A value as psql keeps it: text (a string as it is, anything else as it prints).
fn as_text(v: &Dynamic) -> String {
    match v.clone().into_immutable_string() {
        Ok(s) => s.to_string(),
        Err(_) => v.to_string(),
    }
}

#[export_module]
mod psql_variables {
    use super::*;

    /// A psql variable's value (always a string), or `()` when it is not set.
    ///
    /// ```rhai
    /// set_psql_var("city", "Lisbon");
    /// psql_var("city")  // "Lisbon"
    /// ```
    #[rhai_fn(return_raw)]
    pub fn psql_var(ctx: NativeCallContext, name: &str) -> RhaiResult<Dynamic> {
        let sh = shell(&ctx)?;
        let vars = sh.psql_vars.borrow();
        Ok(vars
            .values
            .get(name)
            .map_or(Dynamic::UNIT, |v| v.clone().into()))
    }

    /// Set a psql variable (as `\set name value`); a value that is not a string is set as it prints. At
    /// the prompt the SQL that follows sees it as `:name`, `:'name'` or `:"name"`.
    ///
    /// ```rhai
    /// set_psql_var("limit", 3);
    /// psql_var("limit")  // "3"
    /// ```
    #[rhai_fn(return_raw)]
    pub fn set_psql_var(ctx: NativeCallContext, name: &str, value: Dynamic) -> RhaiResult<()> {
        let sh = shell(&ctx)?;
        sh.psql_vars.borrow_mut().set(name, Some(as_text(&value)));
        Ok(())
    }

    /// Unset a psql variable (as `\unset name`).
    ///
    /// ```rhai
    /// set_psql_var("tmp", "x");
    /// unset_psql_var("tmp");
    /// psql_var("tmp")  // ()
    /// ```
    #[rhai_fn(return_raw)]
    pub fn unset_psql_var(ctx: NativeCallContext, name: &str) -> RhaiResult<()> {
        let sh = shell(&ctx)?;
        sh.psql_vars.borrow_mut().set(name, None);
        Ok(())
    }

    /// Every psql variable that is set, as a map of strings (at the prompt: psql's own too, such as
    /// `DBNAME`, `ROW_COUNT` and what `\gset` stored).
    ///
    /// ```rhai
    /// set_psql_var("who", "me");
    /// psql_vars().who  // "me"
    /// ```
    #[rhai_fn(return_raw)]
    pub fn psql_vars(ctx: NativeCallContext) -> RhaiResult<Map> {
        let sh = shell(&ctx)?;
        let vars = sh.psql_vars.borrow();
        Ok(vars
            .values
            .iter()
            .map(|(k, v)| (k.as_str().into(), v.clone().into()))
            .collect())
    }
}
