//! The `rows` type scripts get from `query`: array-like, each row an object map, printed as a table in the
//! SELECT's column order.
//!
//! Values stay in the compact [`ResultSet`] (one flat vector); a row becomes a Rhai map only when the script
//! looks at it, so a large result does not cost a map per row up front.

use std::rc::Rc;

use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext, Position, INT};

use super::handle::shell_if_any;
use super::script_error::RhaiResult;

use crate::db::resultset::{Columns, ResultSet};
use crate::output::table::{Align, ResultTable, TableOptions};
use crate::value::format::{cell_text, is_numeric_type};

/// Query rows as Rhai sees them. Cheap to clone (scripts pass values by copy).
#[derive(Clone, Debug, Default)]
pub struct Rows(pub Rc<ResultSet>);

impl Rows {
    pub fn new(rs: ResultSet) -> Rows {
        Rows(Rc::new(rs))
    }

    pub fn len(&self) -> usize {
        self.0.row_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn columns(&self) -> &Columns {
        &self.0.columns
    }

    pub fn get(&self, i: usize) -> Option<Map> {
        self.0.row_map(i)
    }

    /// Keep the rows `keep` says yes to, with the same columns.
    fn retain(
        &self,
        mut keep: impl FnMut(usize) -> Result<bool, Box<EvalAltResult>>,
    ) -> Result<Rows, Box<EvalAltResult>> {
        let mut out = ResultSet::new(self.0.columns.clone());
        for i in 0..self.len() {
            if keep(i)? {
                if let Some(r) = self.0.row(i) {
                    out.push_row(r.iter().cloned());
                }
            }
        }
        Ok(Rows::new(out))
    }

    /// The result to change, copied first when another value shares it (rows are values, as arrays are).
    fn make_mut(&mut self) -> &mut ResultSet {
        Rc::make_mut(&mut self.0)
    }

    /// `m` as a row of these columns: a key that is no column yet becomes one (`()` in the other rows), a
    /// column missing from `m` is `()`.
    fn row_values(&mut self, m: &Map) -> Vec<Dynamic> {
        let keys = &self.0.columns.keys;
        let new: Vec<String> = m
            .keys()
            .filter(|k| !keys.iter().any(|c| c.as_str() == k.as_str()))
            .map(|k| k.to_string())
            .collect();
        if !new.is_empty() {
            let old = &self.0.columns;
            let width = old.len();
            let mut names = old.names.clone();
            let mut types = old.types.clone();
            names.extend(new.iter().cloned());
            types.extend(new.iter().map(|_| None));
            let columns = Rc::new(Columns::new(names, types));
            let mut widened = ResultSet::new(columns);
            for i in 0..self.len() {
                let row = self.0.row(i).unwrap_or(&[]);
                let values = row
                    .iter()
                    .cloned()
                    .chain(std::iter::repeat_n(Dynamic::UNIT, new.len()));
                widened.push_row(values.take(width + new.len()));
            }
            self.0 = Rc::new(widened);
        }
        self.0
            .columns
            .keys
            .iter()
            .map(|k| m.get(k.as_str()).cloned().unwrap_or(Dynamic::UNIT))
            .collect()
    }

    fn set_row(&mut self, i: usize, m: &Map) {
        let values = self.row_values(m);
        let width = values.len();
        let rs = self.make_mut();
        if let Some(slot) = rs.data.get_mut(i * width..(i + 1) * width) {
            for (x, v) in slot.iter_mut().zip(values) {
                *x = v;
            }
        }
    }

    fn insert_row(&mut self, i: usize, m: &Map) {
        let values = self.row_values(m);
        let width = values.len();
        let rs = self.make_mut();
        let at = (i * width).min(rs.data.len());
        rs.data.splice(at..at, values);
        rs.nrows += 1;
    }

    fn remove_row(&mut self, i: usize) -> Option<Map> {
        let row = self.get(i)?;
        let width = self.0.columns.len();
        let rs = self.make_mut();
        rs.data.drain(i * width..(i + 1) * width);
        rs.nrows -= 1;
        Some(row)
    }

    /// Rows `from..to` (clamped to the rows there are), with the same columns.
    fn slice(&self, from: INT, to: INT) -> Rows {
        let len = self.len() as INT;
        let clamp = |x: INT| {
            let x = if x < 0 { len + x } else { x };
            x.clamp(0, len) as usize
        };
        let (a, b) = (clamp(from), clamp(to));
        let mut out = ResultSet::new(self.0.columns.clone());
        for i in a..b.max(a) {
            if let Some(r) = self.0.row(i) {
                out.push_row(r.iter().cloned());
            }
        }
        Rows::new(out)
    }

    fn position(&self, m: &Map) -> Option<usize> {
        (0..self.len()).find(|&i| self.get(i).is_some_and(|row| same_row(&row, m)))
    }

    /// Cell texts for display.
    pub fn cells(&self) -> Vec<Vec<Option<String>>> {
        let types = &self.0.columns.types;
        (0..self.len())
            .map(|i| {
                self.0
                    .row(i)
                    .unwrap_or(&[])
                    .iter()
                    .zip(types.iter())
                    .map(|(v, t)| cell_text(v, t.as_ref()))
                    .collect()
            })
            .collect()
    }

    pub fn aligns(&self) -> Vec<Align> {
        let cols = &self.0.columns;
        (0..cols.len())
            .map(|c| {
                let numeric = match cols.types.get(c).and_then(Option::as_ref) {
                    Some(t) => is_numeric_type(t),
                    // Rows built in Rhai: right-align a column whose values are all numbers.
                    None => (0..self.len()).all(|r| {
                        self.0.row(r).and_then(|row| row.get(c)).is_some_and(|v| {
                            v.is_unit() || v.is_int() || v.is_float() || v.is_decimal()
                        })
                    }),
                };
                if numeric {
                    Align::Right
                } else {
                    Align::Left
                }
            })
            .collect()
    }

    /// One line for a value inside an array or a map: `<3 rows: name, price>`.
    pub fn summary(&self) -> String {
        let n = self.len();
        let names: Vec<&str> = self.0.columns.keys.iter().map(|k| k.as_str()).collect();
        let unit = if n == 1 { "row" } else { "rows" };
        format!("<{n} {unit}: {}>", names.join(", "))
    }

    /// The table as psql would print it (with its trailing blank line removed: print adds a newline).
    pub fn render(&self, opts: &TableOptions) -> String {
        let cells = self.cells();
        let aligns = self.aligns();
        let names: Vec<String> = self.0.columns.keys.iter().map(|k| k.to_string()).collect();
        let t = ResultTable {
            columns: &names,
            align: &aligns,
            rows: &cells,
        };
        let mut s = crate::output::table::render(&t, opts);
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }
}

// Items are `Dynamic` (made with `from_map`): Rhai's `From<Map>` would rebuild every map.
impl IntoIterator for Rows {
    type Item = Dynamic;
    type IntoIter = RowsIter;
    fn into_iter(self) -> RowsIter {
        RowsIter {
            rows: self,
            next: 0,
        }
    }
}

/// Iterates rows as maps, making each map only when it is reached.
pub struct RowsIter {
    rows: Rows,
    next: usize,
}

impl Iterator for RowsIter {
    type Item = Dynamic;
    fn next(&mut self) -> Option<Dynamic> {
        let m = self.rows.get(self.next)?;
        self.next += 1;
        Some(Dynamic::from_map(m))
    }
}

/// Rows compare as maps with the same keys and values (values by their text, as `contains` always did).
fn same_row(row: &Map, m: &Map) -> bool {
    row.len() == m.len()
        && row
            .iter()
            .all(|(k, v)| m.get(k).is_some_and(|x| x.to_string() == v.to_string()))
}

fn row_map_arg(v: Dynamic) -> Result<Map, Box<EvalAltResult>> {
    let t = v.type_name();
    v.try_cast::<Map>().ok_or_else(|| {
        EvalAltResult::ErrorMismatchDataType("map (a row)".into(), t.into(), Position::NONE).into()
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
        let width = rows.0.columns.len();
        let n = rows.len();
        let rs = rows.make_mut();
        let mut out = Vec::with_capacity(rs.data.len());
        for i in (0..n).rev() {
            out.extend_from_slice(rs.data.get(i * width..(i + 1) * width).unwrap_or(&[]));
        }
        rs.data = out;
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
            .map(|i| {
                rows.0
                    .row(i)
                    .and_then(|row| row.get(c))
                    .cloned()
                    .unwrap_or_default()
            })
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
                out.push_row(r.iter().cloned());
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
            out.push_row(row.iter().cloned());
        }
    }
    Ok(Rows::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Rows {
        let cols = Rc::new(Columns::new(
            vec!["name".into(), "price".into()],
            vec![
                Some(postgres_types::Type::TEXT),
                Some(postgres_types::Type::INT4),
            ],
        ));
        let mut rs = ResultSet::new(cols);
        rs.push_row(["apple".into(), Dynamic::from(3_i64)]);
        rs.push_row(["fig".into(), Dynamic::UNIT]);
        Rows::new(rs)
    }

    fn engine() -> rhai::Engine {
        let mut e = rhai::Engine::new();
        e.register_global_module(module().into());
        e
    }

    #[test]
    fn rows_behave_like_an_array_of_maps() {
        let e = engine();
        let mut scope = rhai::Scope::new();
        scope.push("rows", sample());
        let r: INT = e
            .eval_with_scope(
                &mut scope,
                r#"
                let n = 0;
                for row in rows { if row.price != () { n += row.price } }
                n + rows.len() + rows.filter(|r| r.name == "fig").len() * 100 + rows[-1].name.len()
                "#,
            )
            .unwrap();
        assert_eq!(r, 3 + 2 + 100 + 3);
        let names: Array = e
            .eval_with_scope(&mut scope, "rows.map(|r| r.name)")
            .unwrap();
        assert_eq!(names.len(), 2);
        let err = e
            .eval_with_scope::<Dynamic>(&mut scope, "rows[5]")
            .unwrap_err();
        assert!(err.to_string().contains("out of bounds"), "{err}");
    }

    fn eval<T: Clone + 'static>(script: &str) -> T {
        let e = engine();
        let mut scope = rhai::Scope::new();
        scope.push("rows", sample());
        e.eval_with_scope::<T>(&mut scope, script)
            .unwrap_or_else(|err| panic!("{script}: {err}"))
    }

    #[test]
    fn row_edits_persist() {
        assert_eq!(eval::<INT>("rows[0].price = 5; rows[0].price"), 5);
        assert_eq!(eval::<INT>("rows[-1].price = 7; rows[1].price"), 7);
        assert_eq!(
            eval::<String>(
                r#"rows[1] = #{name: "kiwi", price: 2}; `${rows[1].name}${rows[1].price}${rows.len()}`"#
            ),
            "kiwi22"
        );
        // A key that is no column yet becomes one, () in the other rows.
        let cols: Array =
            eval(r#"rows[0].note = "x"; if rows[1].note != () { throw "note" } rows.columns"#);
        assert_eq!(cols.len(), 3);
        // Rows are values: editing a copy leaves the original alone.
        assert_eq!(
            eval::<INT>("let c = rows; c[0].price = 9; rows[0].price"),
            3
        );
        let err = eval_err("rows[0] = 5");
        assert!(err.contains("map"), "{err}");
        let err = eval_err("rows[2].price = 1");
        assert!(err.contains("out of bounds"), "{err}");
    }

    fn eval_err(script: &str) -> String {
        let e = engine();
        let mut scope = rhai::Scope::new();
        scope.push("rows", sample());
        e.eval_with_scope::<Dynamic>(&mut scope, script)
            .expect_err(script)
            .to_string()
    }

    #[test]
    fn array_methods_work_on_rows() {
        assert_eq!(eval::<INT>("rows[0..1].len()"), 1);
        assert_eq!(eval::<String>("rows[1..=1][0].name"), "fig");
        assert_eq!(eval::<INT>("rows[5..9].len()"), 0);
        assert_eq!(
            eval::<INT>("rows.extract(1).len() * 10 + rows.extract(0, 1).len()"),
            11
        );
        // Negative starts count from the end, as for arrays.
        assert_eq!(eval::<String>("rows.extract(-1, 1)[0].name"), "fig");
        assert_eq!(eval::<INT>("rows.extract(-5, 1).len()"), 1);
        assert_eq!(
            eval::<INT>(r#"rows.push(#{name: "kiwi", price: 4}); rows[2].price + rows.len()"#),
            7
        );
        assert_eq!(
            eval::<String>(r#"rows.insert(0, #{name: "date"}); rows[0].name + rows[1].name"#),
            "dateapple"
        );
        assert_eq!(
            eval::<String>("let r = rows.pop(); r.name + rows.len()"),
            "fig1"
        );
        assert_eq!(
            eval::<String>("let r = rows.shift(); r.name + rows[0].name"),
            "applefig"
        );
        assert_eq!(eval::<String>("rows.remove(0).name + rows.len()"), "apple1");
        assert_eq!(eval::<String>("rows.reverse(); rows[0].name"), "fig");
        assert_eq!(eval::<INT>("rows.clear(); rows.len()"), 0);
        assert_eq!(eval::<INT>("rows.truncate(1); rows.len()"), 1);
        assert!(eval::<bool>(r#"rows.contains(#{name: "fig", price: ()})"#));
        assert!(!eval::<bool>(r#"rows.contains(#{name: "fig"})"#));
        assert_eq!(
            eval::<INT>(r#"rows.index_of(#{name: "fig", price: ()})"#),
            1
        );
        assert_eq!(eval::<INT>(r#"rows.index_of(|r| r.name == "apple")"#), 0);
        assert_eq!(eval::<INT>(r#"rows.index_of(|r| r.name == "none")"#), -1);
        assert!(eval::<bool>("rows.some(|r| r.price == ())"));
        assert!(!eval::<bool>("rows.all(|r| r.price != ())"));
        assert_eq!(
            eval::<String>(
                r#"rows.reduce(|acc, r| if acc == () { r.name } else { acc + r.name })"#
            ),
            "applefig"
        );
        assert_eq!(
            eval::<INT>("rows.reduce(|acc, r| acc + r.name.len(), 0)"),
            8
        );
        assert_eq!(eval::<INT>("rows += rows; rows.len()"), 4);
    }

    #[test]
    fn printing_keeps_select_column_order() {
        let s = sample().render(&TableOptions::default());
        // "name" comes before "price" although maps would sort "name" < "price" anyway: check the header.
        assert!(s.starts_with(" name  | price"), "{s}");
        assert!(s.ends_with("(2 rows)"), "{s}");
        let cols = Rc::new(Columns::new(
            vec!["z".into(), "a".into(), "a".into()],
            vec![None, None, None],
        ));
        let mut rs = ResultSet::new(cols);
        rs.push_row([1_i64.into(), 2_i64.into(), 3_i64.into()]);
        let t = Rows::new(rs).render(&TableOptions::default());
        assert!(t.starts_with(" z | a | a_2"), "{t}");
    }
}
