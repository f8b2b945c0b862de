//! Values across the embedding boundary: Rust values (serde) in as Rhai arguments, Rhai results (rows
//! included) out as JSON values, which deserialise into the caller's types.

use rhai::Dynamic;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

use super::call_error::CallError;
use crate::script::rows::Rows;

/// Arguments for a Rhai function: a tuple is spread (`(a, b)` is two arguments, `()` none, `(v,)` one);
/// any other value is one argument.
pub fn args_of(args: &impl Serialize) -> Result<Vec<Dynamic>, CallError> {
    let value = serde_json::to_value(args)
        .map_err(|e| CallError::Convert(format!("cannot pass the arguments to Rhai: {e}")))?;
    let spread = |v: Value| -> Result<Dynamic, CallError> {
        rhai::serde::to_dynamic(v)
            .map_err(|e| CallError::Convert(format!("cannot pass an argument to Rhai: {e}")))
    };
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items.into_iter().map(spread).collect(),
        other => Ok(vec![spread(other)?]),
    }
}

/// A Rhai value as a JSON value: rows are an array of objects (keys in column order), NULL and `()` are
/// null, numbers stay numbers, dates and times are ISO 8601 strings (as `to_json` writes them).
pub fn json_of(v: &Dynamic) -> Value {
    if v.is_unit() {
        return Value::Null;
    }
    if let Ok(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Ok(i) = v.as_int() {
        return Value::Number(i.into());
    }
    if let Ok(f) = v.as_float() {
        return Number::from_f64(f).map_or(Value::Null, Value::Number);
    }
    if v.is_string() {
        return Value::String(v.to_string());
    }
    if let Some(arr) = v.read_lock::<rhai::Array>() {
        return Value::Array(arr.iter().map(json_of).collect());
    }
    if let Some(map) = v.read_lock::<rhai::Map>() {
        return Value::Object(
            map.iter()
                .map(|(k, x)| (k.to_string(), json_of(x)))
                .collect(),
        );
    }
    if let Some(rows) = v.read_lock::<Rows>() {
        return Value::Array(
            (0..rows.len())
                .filter_map(|i| rows.get(i))
                .map(|row| {
                    Value::Object(
                        row.iter()
                            .map(|(k, x)| (k.to_string(), json_of(x)))
                            .collect::<Map<_, _>>(),
                    )
                })
                .collect(),
        );
    }
    // Decimals, dates, json columns, blobs: pgsh's own JSON text for them (exact digits, ISO 8601), read back.
    let text = crate::value::format::json_text(v);
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

/// A Rhai value as the caller's type; asking for `()` ignores the value (a function called for its effect).
pub fn from_dynamic<T: DeserializeOwned + 'static>(v: &Dynamic) -> Result<T, CallError> {
    let json = if std::any::TypeId::of::<T>() == std::any::TypeId::of::<()>() {
        Value::Null
    } else {
        json_of(v)
    };
    serde_json::from_value(json).map_err(|e| {
        CallError::Convert(format!(
            "the value ({}) does not fit {}: {e}",
            crate::value::encode::rhai_type_name(v),
            std::any::type_name::<T>()
        ))
    })
}
