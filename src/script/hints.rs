//! Hints on Rhai errors newcomers run into: a string in single quotes (a character in Rhai), and a query's
//! parameters passed one by one instead of in an array. Pure: an error in, a line of advice out.

use rhai::{EvalAltResult, LexError, ParseErrorType};

/// pgsh's functions that take the SQL text and then one array of parameters.
const TAKES_PARAMS: &[&str] = &[
    "query",
    "query_one",
    "query_value",
    "execute",
    "stream",
    "explain",
];

/// A hint for an uncaught error (the innermost one, past function-call wrappers), if one applies.
pub fn hint(err: &EvalAltResult) -> Option<String> {
    match err {
        EvalAltResult::ErrorParsing(ParseErrorType::BadInput(LexError::MalformedChar(_)), _) => {
            Some(
                "single quotes hold one character in Rhai: write a string in \"double quotes\" or `backticks`"
                    .into(),
            )
        }
        EvalAltResult::ErrorFunctionNotFound(sig, _) => params_hint(sig),
        _ => None,
    }
}

/// `query (&str | ImmutableString | String, i64)`: the values after the SQL go in one array.
fn params_hint(sig: &str) -> Option<String> {
    let (name, args) = sig.split_once(" (")?;
    let name = name.trim();
    if !TAKES_PARAMS.contains(&name) {
        return None;
    }
    let args: Vec<&str> = args.trim_end_matches(')').split(", ").collect();
    let sql = args.iter().position(|a| a.contains("String"))?;
    let rest = &args[sql + 1..];
    let one_array = rest.len() == 1 && rest[0].eq_ignore_ascii_case("array");
    if rest.is_empty() || one_array {
        return None;
    }
    let values: Vec<String> = (1..=rest.len()).map(|i| format!("p{i}")).collect();
    Some(format!(
        "the parameters of {name} go in one array: {name}(sql, [{}])",
        values.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint_for(script: &str) -> Option<String> {
        let mut engine = rhai::Engine::new();
        engine.register_fn("query", |_: &str| 0_i64);
        engine.register_fn("query", |_: &str, _: rhai::Array| 0_i64);
        let err = engine.run(script).expect_err("the script fails");
        hint(&err)
    }

    #[test]
    fn single_quoted_strings() {
        let h = hint_for("query('SELECT 1')").expect("a hint");
        assert!(h.contains("\"double quotes\" or `backticks`"), "{h}");
        assert_eq!(hint_for("let c = 'a'; c + 1 + x"), None);
    }

    #[test]
    fn parameters_not_in_an_array() {
        assert_eq!(
            hint_for("query(\"SELECT $1\", 5)").as_deref(),
            Some("the parameters of query go in one array: query(sql, [p1])")
        );
        assert_eq!(
            hint_for("query(\"SELECT $1, $2\", 5, \"x\")").as_deref(),
            Some("the parameters of query go in one array: query(sql, [p1, p2])")
        );
        // Other functions, and a call that is wrong another way, get none.
        assert_eq!(hint_for("nothing(\"x\", 5)"), None);
        assert_eq!(hint_for("query(5)"), None);
        assert_eq!(
            params_hint("query (pgsh::shell::Db, &str | ImmutableString | String, i64)").as_deref(),
            Some("the parameters of query go in one array: query(sql, [p1])")
        );
        assert_eq!(
            params_hint("query (&str | ImmutableString | String, array)"),
            None
        );
    }
}
