//! Process-level helpers for scripts: `env(name)`, `sleep(seconds)` (interruptible), `exit(code)`.

use rhai::plugin::*;
use rhai::{Dynamic, EvalAltResult, Position, FLOAT, INT};

use super::diag::ExitRequest;
use super::script_error::{throw, RhaiResult};
use crate::error::Error;

fn sleep_secs(secs: f64) -> RhaiResult<()> {
    if !(secs.is_finite() && secs >= 0.0) {
        return Err(throw(Error::api(format!(
            "sleep: {secs} is not a number of seconds"
        ))));
    }
    let d = std::time::Duration::try_from_secs_f64(secs)
        .map_err(|_| throw(Error::api(format!("sleep: {secs} seconds is too long"))))?;
    crate::interrupt::sleep(d)
        .map_err(|_| EvalAltResult::ErrorTerminated("interrupted".into(), Position::NONE).into())
}

fn exit_with(code: u8) -> RhaiResult<()> {
    Err(EvalAltResult::ErrorTerminated(Dynamic::from(ExitRequest(code)), Position::NONE).into())
}

/// The plugin module: `env`, `sleep`, `exit`.
pub fn module() -> Module {
    exported_module!(process)
}

#[export_module]
mod process {
    use super::*;

    /// The value of an environment variable, or `()` when it is not set.
    ///
    /// ```rhai
    /// let user = env("PGUSER") ?? "postgres";
    /// env("PGSH_SURELY_NOT_SET")  // ()
    /// ```
    #[rhai_fn(name = "env")]
    pub fn env(name: &str) -> Dynamic {
        std::env::var(name)
            .map(Dynamic::from)
            .unwrap_or(Dynamic::UNIT)
    }

    /// Pause for a number of seconds; Ctrl-C ends the pause (and the script).
    ///
    /// ```rhai
    /// sleep(0.1);
    /// ```
    #[rhai_fn(name = "sleep", return_raw)]
    pub fn sleep_float(seconds: FLOAT) -> RhaiResult<()> {
        sleep_secs(seconds)
    }

    /// Pause for a whole number of seconds; Ctrl-C ends the pause (and the script).
    ///
    /// ```rhai
    /// sleep(1);
    /// ```
    #[rhai_fn(name = "sleep", return_raw)]
    pub fn sleep_int(seconds: INT) -> RhaiResult<()> {
        sleep_secs(seconds as f64)
    }

    /// End the script now with an exit code, 0 to 255 (an open transaction is rolled back, never
    /// committed). `try` does not catch it.
    ///
    /// ```rhai
    /// if query_value("SELECT count(*) FROM fruit") == 0 {
    ///     exit(3);
    /// }
    /// ```
    #[rhai_fn(name = "exit", return_raw)]
    pub fn exit_code(code: INT) -> RhaiResult<()> {
        let code = u8::try_from(code).map_err(|_| {
            throw(Error::api(format!(
                "exit: {code} is not an exit code (0-255)"
            )))
        })?;
        exit_with(code)
    }

    /// Any other argument is an error: Rhai's own `exit(value)` would end the script with that value as
    /// its result and status 0, which is a mistake to report.
    ///
    /// ```rhai
    /// try {
    ///     exit("done");
    /// } catch (e) {
    ///     e.message  // "exit: the exit code must be an integer 0-255, not the string \"done\""
    /// }
    /// ```
    #[rhai_fn(name = "exit", return_raw)]
    pub fn exit_other(value: Dynamic) -> RhaiResult<()> {
        let given = if value.is_string() {
            format!("the string {value:?}")
        } else if value.is_float() {
            format!("the float {value}")
        } else if value.is_unit() {
            "()".to_string()
        } else {
            format!(
                "a value of type {}",
                crate::value::encode::rhai_type_name(&value)
            )
        };
        Err(throw(Error::api(format!(
            "exit: the exit code must be an integer 0-255, not {given}"
        ))))
    }

    /// End the script now with exit code 0.
    ///
    /// ```rhai
    /// if env("PGSH_EXAMPLE_DRY_RUN") != () {
    ///     exit();
    /// }
    /// ```
    #[rhai_fn(name = "exit", return_raw)]
    pub fn exit_zero() -> RhaiResult<()> {
        exit_with(0)
    }
}
