//! The error value scripts catch (`try { … } catch (e) { e.code }`), how pgsh errors become Rhai errors, and
//! the error's properties for scripts.

use std::rc::Rc;

use rhai::plugin::*;
use rhai::{Dynamic, EvalAltResult, Position};

use crate::error::Error;

pub type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// The error value scripts catch: `e.code`, `e.message`, `e.detail`, `e.hint`, `e.position`, …
#[derive(Clone, Debug)]
pub struct ScriptError(pub Rc<Error>);

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.code() {
            Some(code) if self.0.db().is_none() => {
                write!(f, "{} (SQLSTATE {})", self.0, code.code())
            }
            _ => write!(f, "{}", self.0),
        }
    }
}

/// Turn a pgsh error into a Rhai runtime error carrying a [`ScriptError`].
pub fn throw(e: Error) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(Dynamic::from(ScriptError(Rc::new(e))), Position::NONE).into()
}

fn opt(s: Option<&str>) -> Dynamic {
    s.map(|s| Dynamic::from(s.to_string()))
        .unwrap_or(Dynamic::UNIT)
}

/// The plugin module: the `error` type and its properties.
pub fn module() -> Module {
    let mut m = exported_module!(error_properties);
    m.set_custom_type::<ScriptError>("error");
    m
}

#[export_module]
mod error_properties {
    use super::*;
    use crate::error::ErrorKind;
    use rhai::INT;

    /// The SQLSTATE code, such as `"23505"` for a unique violation (`()` for errors that have none).
    ///
    /// ```rhai
    /// try {
    ///     execute("INSERT INTO fruit VALUES ('fig', 1)");
    /// } catch (e) {
    ///     e.code  // "23505"
    /// }
    /// ```
    #[rhai_fn(get = "code", pure)]
    pub fn code(error: &mut ScriptError) -> Dynamic {
        opt(error.0.code().map(|c| c.code()))
    }

    /// The message: the server's primary message for a SQL error, else pgsh's.
    ///
    /// ```rhai
    /// try {
    ///     query("SELECT 1/0");
    /// } catch (e) {
    ///     e.message  // "division by zero"
    /// }
    /// ```
    #[rhai_fn(get = "message", pure)]
    pub fn message(error: &mut ScriptError) -> String {
        error
            .0
            .db()
            .map(|d| d.message.clone())
            .unwrap_or_else(|| error.0.message().to_string())
    }

    /// The severity the server gave (`"ERROR"`, `"FATAL"`, …); `"ERROR"` for pgsh's own errors.
    ///
    /// ```rhai
    /// try {
    ///     query("SELECT 1/0");
    /// } catch (e) {
    ///     e.severity  // "ERROR"
    /// }
    /// ```
    #[rhai_fn(get = "severity", pure)]
    pub fn severity(error: &mut ScriptError) -> Dynamic {
        opt(error.0.db().map(|d| d.severity.as_str()).or(Some("ERROR")))
    }

    /// The server's DETAIL line, or `()`.
    ///
    /// ```rhai
    /// try {
    ///     execute("INSERT INTO fruit VALUES ('fig', 1)");
    /// } catch (e) {
    ///     e.detail  // "Key (name)=(fig) already exists."
    /// }
    /// ```
    #[rhai_fn(get = "detail", pure)]
    pub fn detail(error: &mut ScriptError) -> Dynamic {
        opt(error.0.db().and_then(|d| d.detail.as_deref()))
    }

    /// The server's HINT line, or `()`.
    ///
    /// ```rhai
    /// try {
    ///     query("SELECT nme FROM fruit");
    /// } catch (e) {
    ///     e.hint  // "Perhaps you meant to reference the column \"fruit.name\"."
    /// }
    /// ```
    #[rhai_fn(get = "hint", pure)]
    pub fn hint(error: &mut ScriptError) -> Dynamic {
        opt(error.0.db().and_then(|d| d.hint.as_deref()))
    }

    /// Where in the SQL text the error is, as a 1-based character position (`()` when the server gave none).
    ///
    /// ```rhai
    /// try {
    ///     query("SELECT nme FROM fruit");
    /// } catch (e) {
    ///     e.position  // 8
    /// }
    /// ```
    #[rhai_fn(get = "position", pure)]
    pub fn position(error: &mut ScriptError) -> Dynamic {
        error
            .0
            .db()
            .and_then(|d| d.position)
            .map(|p| Dynamic::from(p as INT))
            .unwrap_or(Dynamic::UNIT)
    }

    /// The statement that failed, or `()`.
    ///
    /// ```rhai
    /// try {
    ///     query("SELECT nme FROM fruit");
    /// } catch (e) {
    ///     e.sql  // "SELECT nme FROM fruit"
    /// }
    /// ```
    #[rhai_fn(get = "sql", pure)]
    pub fn sql(error: &mut ScriptError) -> Dynamic {
        opt(error.0.db().and_then(|d| d.sql.as_deref()))
    }

    /// The constraint a violation names, or `()`.
    ///
    /// ```rhai
    /// try {
    ///     execute("INSERT INTO fruit VALUES ('fig', 1)");
    /// } catch (e) {
    ///     e.constraint  // "fruit_pkey"
    /// }
    /// ```
    #[rhai_fn(get = "constraint", pure)]
    pub fn constraint(error: &mut ScriptError) -> Dynamic {
        opt(error.0.db().and_then(|d| d.constraint.as_deref()))
    }

    /// The table an error is about, or `()`.
    ///
    /// ```rhai
    /// try {
    ///     execute("INSERT INTO fruit VALUES ('fig', 1)");
    /// } catch (e) {
    ///     e.table  // "fruit"
    /// }
    /// ```
    #[rhai_fn(get = "table", pure)]
    pub fn table(error: &mut ScriptError) -> Dynamic {
        opt(error.0.db().and_then(|d| d.table.as_deref()))
    }

    /// The column an error is about (a NOT NULL violation names it), or `()`.
    ///
    /// ```rhai
    /// try {
    ///     execute("INSERT INTO fruit (name) VALUES ('plum')");
    /// } catch (e) {
    ///     e.column  // "price"
    /// }
    /// ```
    #[rhai_fn(get = "column", pure)]
    pub fn column(error: &mut ScriptError) -> Dynamic {
        opt(error.0.db().and_then(|d| d.column.as_deref()))
    }

    /// What went wrong, broadly: `"sql"` (the server refused a statement), `"connect"`,
    /// `"connection_lost"`, `"parameter"` (a value that does not fit `$n`), `"decode"`, `"api"` (a function
    /// used wrongly), `"usage"`, `"io"` or `"interrupted"`.
    ///
    /// ```rhai
    /// try {
    ///     query("SELECT $1::int", [#{a: 1}]);
    /// } catch (e) {
    ///     e.kind  // "parameter"
    /// }
    /// ```
    #[rhai_fn(get = "kind", pure)]
    pub fn kind(error: &mut ScriptError) -> String {
        match error.0.kind() {
            ErrorKind::Usage => "usage",
            ErrorKind::Io => "io",
            ErrorKind::Connect => "connect",
            ErrorKind::ConnectionLost => "connection_lost",
            ErrorKind::Sql => "sql",
            ErrorKind::Param => "parameter",
            ErrorKind::Decode => "decode",
            ErrorKind::Api => "api",
            ErrorKind::Interrupted => "interrupted",
        }
        .into()
    }

    /// The error as one line: severity, message and SQLSTATE (what `print(e)` shows).
    ///
    /// ```rhai
    /// try {
    ///     query("SELECT 1/0");
    /// } catch (e) {
    ///     e.to_string()  // "ERROR: division by zero (SQLSTATE 22012)"
    /// }
    /// ```
    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn to_string(error: &mut ScriptError) -> String {
        error.to_string()
    }
}
