//! Process-level helpers for scripts: `env(name)`, `sleep(seconds)` (interruptible), `exit(code)`.

use rhai::{Dynamic, Engine, EvalAltResult, FuncRegistration, Position, FLOAT, INT};

use super::api::{throw, RhaiResult};
use super::diag::ExitRequest;
use crate::error::Error;

fn docs(summary: &str, example: &str) -> Vec<String> {
    let mut v = vec![format!("/// {summary}"), "/// ```rhai".into()];
    v.extend(example.lines().map(|l| format!("/// {l}")));
    v.push("/// ```".into());
    v
}

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

pub fn register(engine: &mut Engine) {
    FuncRegistration::new("env")
        .with_comments(docs(
            "The value of an environment variable, or () when it is not set.",
            "let user = env(\"PGUSER\") ?? \"postgres\";",
        ))
        .register_into_engine(engine, |name: &str| -> Dynamic {
            std::env::var(name)
                .map(Dynamic::from)
                .unwrap_or(Dynamic::UNIT)
        });
    FuncRegistration::new("sleep")
        .with_comments(docs(
            "Pause for a number of seconds; Ctrl-C ends the pause (and the script).",
            "sleep(0.5);",
        ))
        .register_into_engine(engine, |secs: FLOAT| sleep_secs(secs));
    FuncRegistration::new("sleep")
        .with_comments(docs("Pause for a number of seconds.", "sleep(2);"))
        .register_into_engine(engine, |secs: INT| sleep_secs(secs as f64));
    FuncRegistration::new("exit")
        .with_comments(docs(
            "End the script now with an exit code (open transactions are rolled back).",
            "if query_value(\"SELECT count(*) FROM jobs\") == 0 { exit(0); }",
        ))
        .register_into_engine(engine, |code: INT| -> RhaiResult<()> {
            let code = u8::try_from(code).map_err(|_| {
                throw(Error::api(format!(
                    "exit: {code} is not an exit code (0-255)"
                )))
            })?;
            Err(
                EvalAltResult::ErrorTerminated(Dynamic::from(ExitRequest(code)), Position::NONE)
                    .into(),
            )
        });
    // Rhai's own exit(value) would end the script with that value as its result and status 0: any other
    // argument is a mistake to report.
    FuncRegistration::new("exit").register_into_engine(
        engine,
        |value: Dynamic| -> RhaiResult<()> {
            let given = if value.is_string() {
                format!("the string {value:?}")
            } else if value.is_float() {
                format!("the float {value}")
            } else if value.is_unit() {
                "()".to_string()
            } else {
                format!("{} {value}", value.type_name())
            };
            Err(throw(Error::api(format!(
                "exit: the exit code must be an integer 0-255, not {given}"
            ))))
        },
    );
    FuncRegistration::new("exit")
        .with_comments(docs("End the script now with exit code 0.", "exit();"))
        .register_into_engine(engine, || -> RhaiResult<()> {
            Err(
                EvalAltResult::ErrorTerminated(Dynamic::from(ExitRequest(0)), Position::NONE)
                    .into(),
            )
        });
}
