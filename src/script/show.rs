//! How values read for people: one text form for the prompt, `print`, `${…}` and `"" + value`, so a value
//! looks the same wherever it is shown.
//!
//! At the top level a string is its text and rows are a table; inside an array or a map strings are quoted,
//! map keys are bare when they are names, date/time values show PostgreSQL's text (`2021-01-01 00:00:00`),
//! blobs PostgreSQL's bytea text (`\x4142`), and rows, plans and streams a one-line summary. `debug` keeps
//! Rhai's notation (constructor calls such as `timestamp("…")`), which is for reading code, not data.

use rhai::plugin::*;
use rhai::{Array, Blob, Dynamic, Map};

use super::data::Stream;
use super::explain::Plan;
use super::rows::Rows;
use super::script_error::ScriptError;
use crate::output::table::TableOptions;
use crate::shell::Db;

/// A value as the prompt and `print` show it on its own.
pub fn display(v: &Dynamic, table: &TableOptions) -> String {
    if v.is_string() {
        return v.to_string();
    }
    if let Some(rows) = v.read_lock::<Rows>() {
        return rows.render(table);
    }
    if let Some(plan) = v.read_lock::<Plan>() {
        return plan.text.to_string();
    }
    nested(v)
}

/// A value inside an array or a map: one line, strings quoted.
pub fn nested(v: &Dynamic) -> String {
    if v.is_unit() {
        return "()".into();
    }
    if v.is_string() {
        return format!("{:?}", v.to_string());
    }
    if let Ok(c) = v.as_char() {
        return format!("{c:?}");
    }
    if let Some(arr) = v.read_lock::<Array>() {
        return array(&arr);
    }
    if let Some(m) = v.read_lock::<Map>() {
        return map(&m);
    }
    if let Some(t) = crate::value::format::datetime_text(v) {
        return t;
    }
    if v.is_blob() {
        return crate::value::format::scalar_text(v).unwrap_or_default();
    }
    if let Ok(d) = v.as_decimal() {
        return d.to_string();
    }
    if let Some(e) = v.read_lock::<ScriptError>() {
        return e.to_string();
    }
    if let Some(db) = v.read_lock::<Db>() {
        return db.to_string();
    }
    if let Some(rows) = v.read_lock::<Rows>() {
        return rows.summary();
    }
    if let Some(plan) = v.read_lock::<Plan>() {
        return format!("<plan: {}>", plan.text.lines().next().unwrap_or_default());
    }
    if let Some(s) = v.read_lock::<Stream>() {
        return s.to_string();
    }
    v.to_string()
}

/// `[1, "a", ()]`.
pub fn array(arr: &Array) -> String {
    let parts: Vec<String> = arr.iter().map(nested).collect();
    format!("[{}]", parts.join(", "))
}

/// `#{name: "fig", "unit price": 3}`: keys that are names stay bare, others are quoted.
pub fn map(m: &Map) -> String {
    let parts: Vec<String> = m
        .iter()
        .map(|(k, x)| {
            let bare = k
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && k.chars().all(|c| c.is_alphanumeric() || c == '_');
            if bare {
                format!("{k}: {}", nested(x))
            } else {
                format!("{:?}: {}", k.as_str(), nested(x))
            }
        })
        .collect();
    format!("#{{{}}}", parts.join(", "))
}

/// The plugin module: `print` and `to_string` for arrays, maps and blobs in the prompt's form (Rhai's own
/// would show `timestamp("…")` and quoted keys).
pub fn module() -> Module {
    exported_module!(printing)
}

#[export_module]
mod printing {
    use super::*;

    /// A map as the prompt shows it: keys that are names bare, strings quoted, dates and times as
    /// PostgreSQL writes them (`debug` shows Rhai's notation).
    ///
    /// ```rhai
    /// #{name: "fig", day: date(2024, 2, 29), "unit price": 3}  // #{day: 2024-02-29, name: "fig", "unit price": 3}
    /// ```
    #[rhai_fn(name = "print", name = "to_string", pure)]
    pub fn map_text(map: &mut Map) -> String {
        super::map(map)
    }

    /// An array as the prompt shows it: strings quoted, dates and times as PostgreSQL writes them.
    ///
    /// ```rhai
    /// [1, "two", (), time(12, 30, 0)]  // [1, "two", (), 12:30:00]
    /// ```
    #[rhai_fn(name = "print", name = "to_string", pure)]
    pub fn array_text(array: &mut Array) -> String {
        super::array(array)
    }

    /// A blob as PostgreSQL writes a bytea: `\x` and two hex digits a byte.
    ///
    /// ```rhai
    /// blob(2, 0x41)  // \x4141
    /// ```
    #[rhai_fn(name = "print", name = "to_string", pure)]
    pub fn blob_text(blob: &mut Blob) -> String {
        crate::value::format::scalar_text(&Dynamic::from_blob(blob.clone())).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::datetime::Timestamp;

    #[test]
    fn containers_show_their_values_readably() {
        let mut m = Map::new();
        m.insert(
            "invoice_date".into(),
            Dynamic::from(Timestamp(662_774_400_000_000)),
        );
        m.insert("unit price".into(), Dynamic::from(3_i64));
        m.insert("note".into(), Dynamic::from("a \"b\""));
        m.insert(
            "tags".into(),
            Dynamic::from(vec![Dynamic::UNIT, Dynamic::from('x')]),
        );
        m.insert("raw".into(), Dynamic::from_blob(vec![0x41, 0xff]));
        let opts = TableOptions::default();
        assert_eq!(
            display(&Dynamic::from_map(m), &opts),
            r#"#{invoice_date: 2021-01-01 00:00:00, note: "a \"b\"", raw: \x41ff, tags: [(), 'x'], "unit price": 3}"#
        );
        assert_eq!(display(&Dynamic::from("top"), &opts), "top");
        assert_eq!(display(&Dynamic::from(1.5_f64), &opts), "1.5");
    }
}
