//! psql's variable space (`variables.c`): named string values kept sorted by name, some with hooks that
//! normalise a new value (substitute hooks) or check it and update [`Settings`] (assign hooks). The special
//! variables' hooks are in `hooks`; the informational variables psql sets itself are in `varsync`.

use std::collections::BTreeMap;

use crate::psql::settings::Settings;

/// A substitute hook (`VariableSubstituteHook`): called first with the proposed value (`None` for
/// `\unset`); returns the value to assign instead. It does not judge the value; the assign hook does.
pub type SubstituteHook = fn(Option<String>) -> Option<String>;

/// An assign hook (`VariableAssignHook`): called with the value about to be stored (after the substitute
/// hook). It updates `settings` and returns `Ok`, or refuses with psql's error message, and then the
/// variable keeps its old value.
pub type AssignHook = fn(Option<&str>, &mut Settings) -> Result<(), String>;

#[derive(Clone, Debug)]
struct Variable {
    /// `None`: unset, the entry kept only to remember its hooks.
    value: Option<String>,
    substitute: Option<SubstituteHook>,
    assign: Option<AssignHook>,
}

/// A variable space (`VariableSpace`). Names are ordered by their bytes, as psql's `strcmp` orders them,
/// so `\set` lists `AUTOCOMMIT … VERSION_NUM` before lower-case and non-ASCII names.
#[derive(Clone, Debug, Default)]
pub struct Variables {
    vars: BTreeMap<String, Variable>,
}

/// `valid_variable_name`: not empty; ASCII letters, digits, `_`, and any non-ASCII character (the same
/// characters the lexer accepts after `:`).
pub fn valid_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '_')
}

/// `PsqlVarEnumError`: the message for a value outside a fixed list (`suggestions` is `"a, b, c"`).
pub fn enum_error(name: &str, value: &str, suggestions: &str) -> String {
    format!("unrecognized value \"{value}\" for \"{name}\"\nAvailable values are: {suggestions}.")
}

impl Variables {
    /// An empty space with no hooks (`CreateVariableSpace`). psql's own space, with every special variable,
    /// comes from `hooks::startup_variables`.
    pub fn new() -> Variables {
        Variables::default()
    }

    /// `GetVariable`: the value, `None` when unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|v| v.value.as_deref())
    }

    /// `SetVariable(name, value)` (`\set`). A hooked variable may substitute the value or refuse it; the
    /// error is psql's message, to be reported as `pg_log_error` does.
    pub fn set(&mut self, settings: &mut Settings, name: &str, value: &str) -> Result<(), String> {
        self.assign(settings, name, Some(value))
    }

    /// `DeleteVariable` (`\unset`). A hooked variable stays known; its substitute hook may turn the unset
    /// into a default (`\unset ON_ERROR_STOP` stores `off`). Unsetting an unknown or invalid name is not
    /// an error.
    #[cfg(test)]
    pub fn unset(&mut self, settings: &mut Settings, name: &str) -> Result<(), String> {
        self.assign(settings, name, None)
    }

    /// `SetVariable` with an optional value: `None` deletes.
    pub fn assign(
        &mut self,
        settings: &mut Settings,
        name: &str,
        value: Option<&str>,
    ) -> Result<(), String> {
        if !valid_variable_name(name) {
            return match value {
                None => Ok(()),
                Some(_) => Err(format!("invalid variable name: \"{name}\"")),
            };
        }
        let Some(var) = self.vars.get_mut(name) else {
            if let Some(v) = value {
                self.vars.insert(
                    name.to_owned(),
                    Variable {
                        value: Some(v.to_owned()),
                        substitute: None,
                        assign: None,
                    },
                );
            }
            return Ok(());
        };
        let mut new_value = value.map(str::to_owned);
        if let Some(substitute) = var.substitute {
            new_value = substitute(new_value);
        }
        if let Some(assign) = var.assign {
            assign(new_value.as_deref(), settings)?;
        }
        if new_value.is_none() && var.substitute.is_none() && var.assign.is_none() {
            // Nothing to remember: the variable goes away entirely.
            self.vars.remove(name);
        } else {
            var.value = new_value;
        }
        Ok(())
    }

    /// `-v NAME=VALUE` on psql's command line; `-v NAME` without `=` unsets `NAME`.
    #[cfg(test)]
    pub fn set_from_cli(&mut self, settings: &mut Settings, arg: &str) -> Result<(), String> {
        match arg.split_once('=') {
            Some((name, value)) => self.set(settings, name, value),
            None => self.unset(settings, arg),
        }
    }

    /// `SetVariableHooks`: attach hooks to `name` (creating it unset if needed), then run them on its
    /// current value so `settings` reflects it. An assign hook's refusal here is ignored, as in psql: hooks
    /// are installed before any user value can arrive.
    pub fn set_hooks(
        &mut self,
        settings: &mut Settings,
        name: &str,
        substitute: Option<SubstituteHook>,
        assign: Option<AssignHook>,
    ) {
        if !valid_variable_name(name) {
            return;
        }
        let var = self.vars.entry(name.to_owned()).or_insert(Variable {
            value: None,
            substitute: None,
            assign: None,
        });
        var.substitute = substitute;
        var.assign = assign;
        if let Some(substitute) = substitute {
            var.value = substitute(var.value.take());
        }
        if let Some(assign) = assign {
            // Ignored as psql ignores it (see above).
            let _ = assign(var.value.as_deref(), settings);
        }
    }

    /// `VariableHasHook`.
    pub fn has_hook(&self, name: &str) -> bool {
        self.vars
            .get(name)
            .is_some_and(|v| v.substitute.is_some() || v.assign.is_some())
    }

    /// `PrintVariables` (`\set` with no arguments): `NAME = 'value'` lines for the variables that are set,
    /// in name order.
    pub fn print_variables(&self) -> String {
        let mut out = String::new();
        for (name, value) in self.iter() {
            out.push_str(name);
            out.push_str(" = '");
            out.push_str(value);
            out.push_str("'\n");
        }
        out
    }

    /// The variables that are set, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.value.as_deref()?)))
    }

    /// Every known name in order, with its value: hooked variables appear even when unset, as psql's tab
    /// completion of `\unset`/`\set` offers them.
    #[cfg(test)]
    pub fn entries(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.vars
            .iter()
            .map(|(n, v)| (n.as_str(), v.value.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psql::boolean::{bool_error, parse_bool};

    fn off_when_unset(v: Option<String>) -> Option<String> {
        v.or_else(|| Some("off".into()))
    }

    fn quiet_hook(v: Option<&str>, s: &mut Settings) -> Result<(), String> {
        let v = v.unwrap_or("");
        s.quiet = parse_bool(v).ok_or_else(|| bool_error(v, "QUIET"))?;
        Ok(())
    }

    #[test]
    fn names_as_psql_allows_them() {
        for ok in ["a", "A_1", "_", "9", "Ü", "日本"] {
            assert!(valid_variable_name(ok), "{ok}");
        }
        for bad in ["", "a-b", "a b", "a.b", "x:", "1a+"] {
            assert!(!valid_variable_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn set_get_unset_and_strcmp_order() {
        let mut s = Settings::default();
        let mut v = Variables::new();
        // psql 15: `psql -X -v a=1 -v 'b=x y' -v Ü=1 -c '\set'` lists upper case, then lower case, then Ü.
        for (n, val) in [("b", "x y"), ("Ü", "1"), ("a", "1"), ("Z", "")] {
            v.set(&mut s, n, val).unwrap();
        }
        assert_eq!(v.print_variables(), "Z = ''\na = '1'\nb = 'x y'\nÜ = '1'\n");
        assert_eq!(v.get("b"), Some("x y"));
        v.unset(&mut s, "b").unwrap();
        assert_eq!(v.get("b"), None);
        assert_eq!(v.entries().count(), 3, "an unhooked variable disappears");
        // psql 15: `\set 1a+ x` → this message; `\unset 1a+` is silent.
        assert_eq!(
            v.set(&mut s, "1a+", "x"),
            Err("invalid variable name: \"1a+\"".into())
        );
        assert_eq!(v.unset(&mut s, "1a+"), Ok(()));
        assert_eq!(v.unset(&mut s, "never_set"), Ok(()));
    }

    #[test]
    fn hooks_substitute_refuse_and_survive_unset() {
        let mut s = Settings::default();
        let mut v = Variables::new();
        v.set(&mut s, "QUIET", "on").unwrap();
        v.set_hooks(&mut s, "QUIET", Some(off_when_unset), Some(quiet_hook));
        assert!(s.quiet, "installing runs the hooks on the current value");
        assert!(v.has_hook("QUIET") && !v.has_hook("OTHER"));
        assert_eq!(
            v.set(&mut s, "QUIET", "2"),
            Err("unrecognized value \"2\" for \"QUIET\": Boolean expected".into())
        );
        assert_eq!(v.get("QUIET"), Some("on"), "a refused value is not stored");
        assert!(s.quiet);
        v.unset(&mut s, "QUIET").unwrap();
        assert_eq!(v.get("QUIET"), Some("off"));
        assert!(!s.quiet);
        v.set_hooks(&mut s, "FRESH", None, None);
        assert_eq!(v.get("FRESH"), None);
        assert_eq!(v.entries().find(|e| e.0 == "FRESH"), Some(("FRESH", None)));
        assert!(!v.print_variables().contains("FRESH"));
    }

    #[test]
    fn command_line_assignments() {
        let mut s = Settings::default();
        let mut v = Variables::new();
        v.set_from_cli(&mut s, "a=b=c").unwrap();
        assert_eq!(v.get("a"), Some("b=c"));
        v.set_from_cli(&mut s, "e=").unwrap();
        assert_eq!(v.get("e"), Some(""));
        v.set_from_cli(&mut s, "a").unwrap();
        assert_eq!(v.get("a"), None);
        assert!(v.set_from_cli(&mut s, "x y=1").is_err());
    }

    #[test]
    fn enum_error_wording() {
        // psql 15: `psql -X -c '\set ECHO bogus'`.
        assert_eq!(
            enum_error("ECHO", "bogus", "none, errors, queries, all"),
            "unrecognized value \"bogus\" for \"ECHO\"\nAvailable values are: none, errors, queries, all."
        );
    }
}
