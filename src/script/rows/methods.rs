//! The `rows` type's Rhai functions (a plugin module): array-like access, edits, and the closures-taking
//! methods (`filter`, `map`, `sort`, …).

use std::rc::Rc;

use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext, Position, INT};

use super::super::handle::shell_if_any;
use super::super::script_error::RhaiResult;
use super::set::Rows;

use crate::db::resultset::ResultSet;
use crate::output::table::TableOptions;

fn row_map_arg(v: Dynamic) -> Result<Map, Box<EvalAltResult>> {
    let t = crate::value::encode::rhai_type_name(&v);
    v.try_cast::<Map>().ok_or_else(|| {
        EvalAltResult::ErrorMismatchDataType("map (a row)".into(), t, Position::NONE).into()
    })
}

fn index_error(i: INT, len: usize) -> Box<EvalAltResult> {
    EvalAltResult::ErrorArrayBounds(len, i, Position::NONE).into()
}

fn resolve_index(i: INT, len: usize) -> Option<usize> {
    if i < 0 {
        let back = usize::try_from(i.unsigned_abs()).ok()?;
        len.checked_sub(back)
    } else {
        usize::try_from(i).ok().filter(|&u| u < len)
    }
}

/// Call `f(row)`, or `f(row, index)` when the closure takes two parameters (as Rhai's array methods do).
fn call_row(
    ctx: &NativeCallContext,
    f: &FnPtr,
    row: Map,
    i: usize,
) -> Result<Dynamic, Box<EvalAltResult>> {
    let row: Dynamic = row.into();
    match f.call_raw(ctx, None, [row.clone()]) {
        Err(e)
            if matches!(*e, EvalAltResult::ErrorFunctionNotFound(ref sig, _)
                if sig.starts_with(f.fn_name())) =>
        {
            f.call_raw(ctx, None, [row, (i as INT).into()])
        }
        other => other,
    }
}

fn call_bool(
    ctx: &NativeCallContext,
    f: &FnPtr,
    row: Map,
    i: usize,
) -> Result<bool, Box<EvalAltResult>> {
    let v: Dynamic = call_row(ctx, f, row, i)?;
    v.as_bool().map_err(|t| {
        EvalAltResult::ErrorMismatchOutputType("bool".into(), t.into(), Position::NONE).into()
    })
}

/// The plugin module: the `rows` type, its iterator and its array-like functions.
pub fn module() -> Module {
    let mut m = exported_module!(rows_functions);
    m.set_custom_type::<Rows>("rows");
    m.set_iterable::<Rows>();
    m
}

/// How rows print: the shell's table options (`\pset`) when there is a shell.
fn table_options(ctx: &NativeCallContext) -> TableOptions {
    shell_if_any(ctx)
        .map(|s| s.table.borrow().clone())
        .unwrap_or_default()
}

#[export_module]
mod rows_functions {
    use super::*;

    /// The number of rows.
    ///
    /// ```rhai
    /// let rows = query("SELECT * FROM fruit");
    /// rows.len()  // 3
    /// ```
    #[rhai_fn(name = "len", pure)]
    pub fn len(rows: &mut Rows) -> INT {
        rows.len() as INT
    }

    /// The number of rows, as a property (as arrays have it).
    ///
    /// ```rhai
    /// query("SELECT * FROM fruit").length  // 3
    /// ```
    #[rhai_fn(get = "length", pure)]
    pub fn length(rows: &mut Rows) -> INT {
        rows.len() as INT
    }

    /// Whether there are no rows.
    ///
    /// ```rhai
    /// query("SELECT * FROM fruit WHERE price > 100").is_empty()  // true
    /// ```
    #[rhai_fn(name = "is_empty", pure)]
    pub fn is_empty(rows: &mut Rows) -> bool {
        rows.is_empty()
    }

    /// The column names, in the SELECT's order.
    ///
    /// ```rhai
    /// query("SELECT price, name FROM fruit").columns  // ["price", "name"]
    /// ```
    #[rhai_fn(get = "columns", pure)]
    pub fn columns(rows: &mut Rows) -> Array {
        rows.columns()
            .keys
            .iter()
            .map(|k| Dynamic::from(k.clone()))
            .collect()
    }

    /// Row `i` as a map; a negative index counts from the end.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows[0].name  // "apple"
    /// rows[-1].name  // "kiwi"
    /// ```
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn get(rows: &mut Rows, i: INT) -> RhaiResult<Map> {
        resolve_index(i, rows.len())
            .and_then(|u| rows.get(u))
            .ok_or_else(|| index_error(i, rows.len()))
    }

    /// Replace row `i` with a map; a key that is no column yet becomes one. `rows[i].col = v` edits one
    /// value.
    ///
    /// ```rhai
    /// let rows = query("SELECT name, price FROM fruit ORDER BY name");
    /// rows[0].price = 2;
    /// rows[1] = #{name: "date", price: 4};
    /// rows.column("name")  // ["apple", "date", "kiwi"]
    /// ```
    #[rhai_fn(index_set, return_raw)]
    pub fn set(rows: &mut Rows, i: INT, row: Dynamic) -> RhaiResult<()> {
        let u = resolve_index(i, rows.len()).ok_or_else(|| index_error(i, rows.len()))?;
        rows.set_row(u, &row_map_arg(row)?);
        Ok(())
    }

    /// Rows `a` up to (not including) `b`, as rows with the same columns.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows[0..2].column("name")  // ["apple", "fig"]
    /// ```
    #[rhai_fn(index_get, pure)]
    pub fn slice(rows: &mut Rows, range: std::ops::Range<INT>) -> Rows {
        rows.slice(range.start, range.end)
    }

    /// Rows `a` through `b`, as rows with the same columns.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows[1..=2].column("name")  // ["fig", "kiwi"]
    /// ```
    #[rhai_fn(index_get, pure)]
    pub fn slice_inclusive(rows: &mut Rows, range: std::ops::RangeInclusive<INT>) -> Rows {
        rows.slice(*range.start(), range.end().saturating_add(1))
    }

    /// `len` rows from `start` (a negative start counts from the end), as arrays do.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.extract(1, 1)[0].name  // "fig"
    /// rows.extract(-1, 1)[0].name  // "kiwi"
    /// ```
    #[rhai_fn(name = "extract", pure)]
    pub fn extract(rows: &mut Rows, start: INT, len: INT) -> Rows {
        // As arrays: a negative start counts from the end (before the length is added to it).
        let n = rows.len() as INT;
        let start = if start < 0 { (n + start).max(0) } else { start };
        rows.slice(start, start.saturating_add(len.max(0)))
    }

    /// The rows from `start` to the end.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.extract(1).len()  // 2
    /// ```
    #[rhai_fn(name = "extract", pure)]
    pub fn extract_rest(rows: &mut Rows, start: INT) -> Rows {
        rows.slice(start, INT::MAX)
    }

    /// Append a row (a map); keys that are no column yet become columns.
    ///
    /// ```rhai
    /// let rows = query("SELECT name, price FROM fruit");
    /// rows.push(#{name: "plum", price: 2});
    /// rows.len()  // 4
    /// ```
    #[rhai_fn(name = "push", return_raw)]
    pub fn push(rows: &mut Rows, row: Dynamic) -> RhaiResult<()> {
        let m = row_map_arg(row)?;
        let at = rows.len();
        rows.insert_row(at, &m);
        Ok(())
    }

    /// Insert a row (a map) before row `i`; past the end appends, a negative index counts from the end.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.insert(0, #{name: "date"});
    /// rows[0].name  // "date"
    /// ```
    #[rhai_fn(name = "insert", return_raw)]
    pub fn insert(rows: &mut Rows, i: INT, row: Dynamic) -> RhaiResult<()> {
        let m = row_map_arg(row)?;
        // As Rhai's array insert: past the end appends, negative counts from the end.
        let len = rows.len() as INT;
        let at = if i < 0 { (len + i).max(0) } else { i.min(len) };
        rows.insert_row(at as usize, &m);
        Ok(())
    }

    /// Remove the last row and return it (`()` when there is none).
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.pop().name  // "kiwi"
    /// rows.len()  // 2
    /// ```
    #[rhai_fn(name = "pop")]
    pub fn pop(rows: &mut Rows) -> Dynamic {
        match rows.len().checked_sub(1) {
            Some(i) => rows
                .remove_row(i)
                .map(Dynamic::from_map)
                .unwrap_or_default(),
            None => Dynamic::UNIT,
        }
    }

    /// Remove the first row and return it (`()` when there is none).
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.shift().name  // "apple"
    /// rows[0].name  // "fig"
    /// ```
    #[rhai_fn(name = "shift")]
    pub fn shift(rows: &mut Rows) -> Dynamic {
        rows.remove_row(0)
            .map(Dynamic::from_map)
            .unwrap_or_default()
    }

    /// Remove row `i` and return it (`()` when there is no such row).
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.remove(1).name  // "fig"
    /// rows.len()  // 2
    /// ```
    #[rhai_fn(name = "remove")]
    pub fn remove(rows: &mut Rows, i: INT) -> Dynamic {
        resolve_index(i, rows.len())
            .and_then(|u| rows.remove_row(u))
            .map(Dynamic::from_map)
            .unwrap_or_default()
    }

    /// Remove every row (the columns stay).
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit");
    /// rows.clear();
    /// rows.len()  // 0
    /// ```
    #[rhai_fn(name = "clear")]
    pub fn clear(rows: &mut Rows) {
        let cols = rows.0.columns.clone();
        rows.0 = Rc::new(ResultSet::new(cols));
    }

    /// Keep the first `n` rows.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit");
    /// rows.truncate(1);
    /// rows.len()  // 1
    /// ```
    #[rhai_fn(name = "truncate")]
    pub fn truncate(rows: &mut Rows, n: INT) {
        let n = n.clamp(0, rows.len() as INT);
        *rows = rows.slice(0, n);
    }

    /// Reverse the order of the rows.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.reverse();
    /// rows[0].name  // "kiwi"
    /// ```
    #[rhai_fn(name = "reverse")]
    pub fn reverse(rows: &mut Rows) {
        rows.make_mut().reverse();
    }

    /// The index of the first row equal to a map (same keys, same values), or -1.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.index_of(#{name: "fig"})  // 1
    /// ```
    #[rhai_fn(name = "index_of", pure)]
    pub fn index_of(rows: &mut Rows, row: Map) -> INT {
        rows.position(&row).map_or(-1, |i| i as INT)
    }

    /// The index of the first row the closure says yes to (`|row|` or `|row, index|`), or -1.
    ///
    /// ```rhai
    /// let rows = query("SELECT name, price FROM fruit ORDER BY name");
    /// rows.index_of(|r| r.price > 2)  // 1
    /// ```
    #[rhai_fn(name = "index_of", return_raw, pure)]
    pub fn index_where(ctx: NativeCallContext, rows: &mut Rows, test: FnPtr) -> RhaiResult<INT> {
        for i in 0..rows.len() {
            if call_bool(&ctx, &test, rows.get(i).unwrap_or_default(), i)? {
                return Ok(i as INT);
            }
        }
        Ok(-1)
    }

    /// Whether a row equal to a map (same keys, same values) is there.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit");
    /// rows.contains(#{name: "kiwi"})  // true
    /// ```
    #[rhai_fn(name = "contains", pure)]
    pub fn contains(rows: &mut Rows, row: Map) -> bool {
        rows.position(&row).is_some()
    }

    /// The values of one column, as an array.
    ///
    /// ```rhai
    /// query("SELECT name FROM fruit ORDER BY name").column("name")  // ["apple", "fig", "kiwi"]
    /// ```
    #[rhai_fn(name = "column", return_raw, pure)]
    pub fn column(rows: &mut Rows, name: &str) -> RhaiResult<Array> {
        let cols = rows.columns();
        let c = cols
            .keys
            .iter()
            .position(|k| k.as_str() == name)
            .ok_or_else(|| -> Box<EvalAltResult> {
                format!(
                    "no column \"{name}\" (columns: {})",
                    cols.keys
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .into()
            })?;
        Ok((0..rows.len())
            .map(|i| rows.0.value(i, c).unwrap_or_default())
            .collect())
    }

    /// The rows as an array of maps.
    ///
    /// ```rhai
    /// let maps = query("SELECT name FROM fruit ORDER BY name LIMIT 1").to_array();
    /// maps  // [#{name: "apple"}]
    /// ```
    #[rhai_fn(name = "to_array", pure)]
    pub fn to_array(rows: &mut Rows) -> Array {
        rows.clone().into_iter().collect()
    }

    /// The first row, or `()` when there is none.
    ///
    /// ```rhai
    /// query("SELECT name FROM fruit ORDER BY name").first().name  // "apple"
    /// ```
    #[rhai_fn(name = "first", pure)]
    pub fn first(rows: &mut Rows) -> Dynamic {
        rows.get(0).map(Dynamic::from).unwrap_or(Dynamic::UNIT)
    }

    /// The last row, or `()` when there is none.
    ///
    /// ```rhai
    /// query("SELECT name FROM fruit ORDER BY name").last().name  // "kiwi"
    /// ```
    #[rhai_fn(name = "last", pure)]
    pub fn last(rows: &mut Rows) -> Dynamic {
        rows.len()
            .checked_sub(1)
            .and_then(|i| rows.get(i))
            .map(Dynamic::from)
            .unwrap_or(Dynamic::UNIT)
    }

    /// The rows the closure says yes to (`|row|` or `|row, index|`), as rows with the same columns.
    ///
    /// ```rhai
    /// let rows = query("SELECT name, price FROM fruit ORDER BY name");
    /// rows.filter(|r| r.price < 2).column("name")  // ["apple", "kiwi"]
    /// ```
    #[rhai_fn(name = "filter", return_raw, pure)]
    pub fn filter(ctx: NativeCallContext, rows: &mut Rows, keep: FnPtr) -> RhaiResult<Rows> {
        let src = rows.clone();
        src.retain(|i| call_bool(&ctx, &keep, src.get(i).unwrap_or_default(), i))
    }

    /// An array of what the closure gives for each row (`|row|` or `|row, index|`).
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.map(|r| r.name.len())  // [5, 3, 4]
    /// ```
    #[rhai_fn(name = "map", return_raw, pure)]
    pub fn map(ctx: NativeCallContext, rows: &mut Rows, f: FnPtr) -> RhaiResult<Array> {
        (0..rows.len())
            .map(|i| call_row(&ctx, &f, rows.get(i).unwrap_or_default(), i))
            .collect()
    }

    /// Call the closure for each row (`|row|` or `|row, index|`).
    ///
    /// ```rhai
    /// let names = [];
    /// query("SELECT name FROM fruit ORDER BY name").for_each(|r| names.push(r.name));
    /// names  // ["apple", "fig", "kiwi"]
    /// ```
    #[rhai_fn(name = "for_each", return_raw, pure)]
    pub fn for_each(ctx: NativeCallContext, rows: &mut Rows, f: FnPtr) -> RhaiResult<()> {
        for i in 0..rows.len() {
            let _: Dynamic = call_row(&ctx, &f, rows.get(i).unwrap_or_default(), i)?;
        }
        Ok(())
    }

    /// Fold the rows into one value with `|acc, row|`, starting from `()`.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name");
    /// rows.reduce(|acc, r| if acc == () { r.name } else { acc + "," + r.name })  // "apple,fig,kiwi"
    /// ```
    #[rhai_fn(name = "reduce", return_raw, pure)]
    pub fn reduce(ctx: NativeCallContext, rows: &mut Rows, f: FnPtr) -> RhaiResult<Dynamic> {
        let mut acc = Dynamic::UNIT;
        for i in 0..rows.len() {
            acc = f.call_raw(&ctx, None, [acc, rows.get(i).unwrap_or_default().into()])?;
        }
        Ok(acc)
    }

    /// Fold the rows into one value with `|acc, row|`, starting from `initial`.
    ///
    /// ```rhai
    /// let rows = query("SELECT price FROM fruit");
    /// rows.reduce(|sum, r| sum + r.price, 0)  // 5.70
    /// ```
    #[rhai_fn(name = "reduce", return_raw, pure)]
    pub fn reduce_from(
        ctx: NativeCallContext,
        rows: &mut Rows,
        f: FnPtr,
        initial: Dynamic,
    ) -> RhaiResult<Dynamic> {
        let mut acc = initial;
        for i in 0..rows.len() {
            acc = f.call_raw(&ctx, None, [acc, rows.get(i).unwrap_or_default().into()])?;
        }
        Ok(acc)
    }

    /// The first row the closure says yes to, or `()`.
    ///
    /// ```rhai
    /// let rows = query("SELECT name, price FROM fruit ORDER BY name");
    /// rows.find(|r| r.price > 2).name  // "fig"
    /// ```
    #[rhai_fn(name = "find", return_raw, pure)]
    pub fn find(ctx: NativeCallContext, rows: &mut Rows, test: FnPtr) -> RhaiResult<Dynamic> {
        for i in 0..rows.len() {
            let row = rows.get(i).unwrap_or_default();
            if call_bool(&ctx, &test, row.clone(), i)? {
                return Ok(row.into());
            }
        }
        Ok(Dynamic::UNIT)
    }

    /// Whether the closure says yes to at least one row.
    ///
    /// ```rhai
    /// query("SELECT price FROM fruit").some(|r| r.price > 2)  // true
    /// ```
    #[rhai_fn(name = "some", return_raw, pure)]
    pub fn some(ctx: NativeCallContext, rows: &mut Rows, test: FnPtr) -> RhaiResult<bool> {
        for i in 0..rows.len() {
            if call_bool(&ctx, &test, rows.get(i).unwrap_or_default(), i)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether the closure says yes to every row.
    ///
    /// ```rhai
    /// query("SELECT price FROM fruit").all(|r| r.price > 2)  // false
    /// ```
    #[rhai_fn(name = "all", return_raw, pure)]
    pub fn all(ctx: NativeCallContext, rows: &mut Rows, test: FnPtr) -> RhaiResult<bool> {
        for i in 0..rows.len() {
            if !call_bool(&ctx, &test, rows.get(i).unwrap_or_default(), i)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The rows sorted by a comparer `|a, b|` that returns a negative number, zero or a positive number
    /// (as Rhai's array sort); the rows themselves are left as they are.
    ///
    /// ```rhai
    /// let rows = query("SELECT name, price FROM fruit");
    /// rows.sort(|a, b| if a.price < b.price { -1 } else if a.price > b.price { 1 } else { 0 }).column("name")  // ["apple", "kiwi", "fig"]
    /// ```
    #[rhai_fn(name = "sort", return_raw, pure)]
    pub fn sort(ctx: NativeCallContext, rows: &mut Rows, comparer: FnPtr) -> RhaiResult<Rows> {
        sorted(&ctx, rows, &comparer)
    }

    /// The rows as a table in the SELECT's column order, as psql prints them (what `print` shows).
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit ORDER BY name LIMIT 1");
    /// rows.to_string()  // " name  \n-------\n apple\n(1 row)"
    /// ```
    #[rhai_fn(name = "to_string", name = "to_debug", pure)]
    pub fn to_string(ctx: NativeCallContext, rows: &mut Rows) -> String {
        rows.render(&table_options(&ctx))
    }

    /// Both rows one after the other; they must have the same columns.
    ///
    /// ```rhai
    /// let rows = query("SELECT name FROM fruit");
    /// (rows + rows).len()  // 6
    /// ```
    #[rhai_fn(name = "+", return_raw)]
    pub fn concat(a: Rows, b: Rows) -> RhaiResult<Rows> {
        if a.columns().keys != b.columns().keys {
            return Err("cannot concatenate rows with different columns".into());
        }
        let mut out = (*a.0).clone();
        for i in 0..b.len() {
            if let Some(r) = b.0.row(i) {
                out.push_row(r);
            }
        }
        Ok(Rows::new(out))
    }
}

/// Sort row indexes with the script's comparer (negative, zero, positive, as Rhai's sort).
fn sorted(ctx: &NativeCallContext, rows: &Rows, f: &FnPtr) -> RhaiResult<Rows> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut failure = None;
    order.sort_by(|&a, &b| {
        if failure.is_some() {
            return std::cmp::Ordering::Equal;
        }
        let args = [
            rows.get(a).unwrap_or_default().into(),
            rows.get(b).unwrap_or_default().into(),
        ];
        match f.call_raw(ctx, None, args).map(|v| v.as_int()) {
            Ok(Ok(n)) => n.cmp(&0),
            Ok(Err(t)) => {
                failure = Some(Box::new(EvalAltResult::ErrorMismatchOutputType(
                    "integer".into(),
                    t.into(),
                    Position::NONE,
                )));
                std::cmp::Ordering::Equal
            }
            Err(e) => {
                failure = Some(e);
                std::cmp::Ordering::Equal
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let mut out = ResultSet::new(rows.0.columns.clone());
    for i in order {
        if let Some(row) = rows.0.row(i) {
            out.push_row(row);
        }
    }
    Ok(Rows::new(out))
}
