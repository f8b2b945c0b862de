//! The `rows` type scripts get from `query`: array-like, each row an object map, printed as a table in the
//! SELECT's column order.
//!
//! Values stay in the compact [`ResultSet`] (one flat vector); a row becomes a Rhai map only when the script
//! looks at it, so a large result does not cost a map per row up front.

use std::rc::Rc;

use rhai::{Array, Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext, Position, INT};

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

/// Register the type and its array-like functions.
pub fn register(engine: &mut rhai::Engine, opts: Rc<dyn Fn() -> TableOptions>) {
    engine.register_type_with_name::<Rows>("rows");
    engine.register_iterator::<Rows>();
    engine.register_fn("len", |r: &mut Rows| r.len() as INT);
    engine.register_fn("is_empty", |r: &mut Rows| r.is_empty());
    engine.register_get("length", |r: &mut Rows| r.len() as INT);
    engine.register_indexer_get(|r: &mut Rows, i: INT| -> Result<Map, Box<EvalAltResult>> {
        resolve_index(i, r.len())
            .and_then(|u| r.get(u))
            .ok_or_else(|| index_error(i, r.len()))
    });
    // With a setter, Rhai writes `rows[0].n = 5` back through the indexer chain.
    engine.register_indexer_set(
        |r: &mut Rows, i: INT, v: Dynamic| -> Result<(), Box<EvalAltResult>> {
            let u = resolve_index(i, r.len()).ok_or_else(|| index_error(i, r.len()))?;
            r.set_row(u, &row_map_arg(v)?);
            Ok(())
        },
    );
    engine.register_indexer_get(|r: &mut Rows, range: std::ops::Range<INT>| -> Rows {
        r.slice(range.start, range.end)
    });
    engine.register_indexer_get(
        |r: &mut Rows, range: std::ops::RangeInclusive<INT>| -> Rows {
            r.slice(*range.start(), range.end().saturating_add(1))
        },
    );
    engine.register_fn("extract", |r: &mut Rows, start: INT, len: INT| -> Rows {
        // As arrays: a negative start counts from the end (before the length is added to it).
        let n = r.len() as INT;
        let start = if start < 0 { (n + start).max(0) } else { start };
        r.slice(start, start.saturating_add(len.max(0)))
    });
    engine.register_fn("extract", |r: &mut Rows, start: INT| -> Rows {
        r.slice(start, INT::MAX)
    });
    engine.register_fn(
        "push",
        |r: &mut Rows, v: Dynamic| -> Result<(), Box<EvalAltResult>> {
            let m = row_map_arg(v)?;
            let at = r.len();
            r.insert_row(at, &m);
            Ok(())
        },
    );
    engine.register_fn(
        "insert",
        |r: &mut Rows, i: INT, v: Dynamic| -> Result<(), Box<EvalAltResult>> {
            let m = row_map_arg(v)?;
            // As Rhai's array insert: past the end appends, negative counts from the end.
            let len = r.len() as INT;
            let at = if i < 0 { (len + i).max(0) } else { i.min(len) };
            r.insert_row(at as usize, &m);
            Ok(())
        },
    );
    engine.register_fn("pop", |r: &mut Rows| -> Dynamic {
        match r.len().checked_sub(1) {
            Some(i) => r.remove_row(i).map(Dynamic::from_map).unwrap_or_default(),
            None => Dynamic::UNIT,
        }
    });
    engine.register_fn("shift", |r: &mut Rows| -> Dynamic {
        r.remove_row(0).map(Dynamic::from_map).unwrap_or_default()
    });
    engine.register_fn("remove", |r: &mut Rows, i: INT| -> Dynamic {
        resolve_index(i, r.len())
            .and_then(|u| r.remove_row(u))
            .map(Dynamic::from_map)
            .unwrap_or_default()
    });
    engine.register_fn("clear", |r: &mut Rows| {
        let cols = r.0.columns.clone();
        r.0 = Rc::new(ResultSet::new(cols));
    });
    engine.register_fn("truncate", |r: &mut Rows, n: INT| {
        let n = n.clamp(0, r.len() as INT);
        *r = r.slice(0, n);
    });
    engine.register_fn("reverse", |r: &mut Rows| {
        let width = r.0.columns.len();
        let n = r.len();
        let rs = r.make_mut();
        let mut out = Vec::with_capacity(rs.data.len());
        for i in (0..n).rev() {
            out.extend_from_slice(rs.data.get(i * width..(i + 1) * width).unwrap_or(&[]));
        }
        rs.data = out;
    });
    engine.register_fn("index_of", |r: &mut Rows, m: Map| -> INT {
        r.position(&m).map_or(-1, |i| i as INT)
    });
    engine.register_fn(
        "index_of",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<INT, Box<EvalAltResult>> {
            for i in 0..r.len() {
                if call_bool(&ctx, &f, r.get(i).unwrap_or_default(), i)? {
                    return Ok(i as INT);
                }
            }
            Ok(-1)
        },
    );
    engine.register_fn(
        "reduce",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<Dynamic, Box<EvalAltResult>> {
            let mut acc = Dynamic::UNIT;
            for i in 0..r.len() {
                acc = f.call_raw(&ctx, None, [acc, r.get(i).unwrap_or_default().into()])?;
            }
            Ok(acc)
        },
    );
    engine.register_get("columns", |r: &mut Rows| -> Array {
        r.columns()
            .keys
            .iter()
            .map(|k| Dynamic::from(k.clone()))
            .collect()
    });
    engine.register_fn("to_array", |r: &mut Rows| -> Array {
        r.clone().into_iter().collect()
    });
    engine.register_fn("first", |r: &mut Rows| -> Dynamic {
        r.get(0).map(Dynamic::from).unwrap_or(Dynamic::UNIT)
    });
    engine.register_fn("last", |r: &mut Rows| -> Dynamic {
        r.len()
            .checked_sub(1)
            .and_then(|i| r.get(i))
            .map(Dynamic::from)
            .unwrap_or(Dynamic::UNIT)
    });
    engine.register_fn(
        "filter",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<Rows, Box<EvalAltResult>> {
            let src = r.clone();
            src.retain(|i| call_bool(&ctx, &f, src.get(i).unwrap_or_default(), i))
        },
    );
    engine.register_fn(
        "map",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<Array, Box<EvalAltResult>> {
            (0..r.len())
                .map(|i| call_row(&ctx, &f, r.get(i).unwrap_or_default(), i))
                .collect()
        },
    );
    engine.register_fn(
        "for_each",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<(), Box<EvalAltResult>> {
            for i in 0..r.len() {
                let _: Dynamic = call_row(&ctx, &f, r.get(i).unwrap_or_default(), i)?;
            }
            Ok(())
        },
    );
    engine.register_fn(
        "reduce",
        |ctx: NativeCallContext,
         r: &mut Rows,
         f: FnPtr,
         init: Dynamic|
         -> Result<Dynamic, Box<EvalAltResult>> {
            let mut acc = init;
            for i in 0..r.len() {
                acc = f.call_raw(&ctx, None, [acc, r.get(i).unwrap_or_default().into()])?;
            }
            Ok(acc)
        },
    );
    engine.register_fn(
        "find",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<Dynamic, Box<EvalAltResult>> {
            for i in 0..r.len() {
                let row = r.get(i).unwrap_or_default();
                if call_bool(&ctx, &f, row.clone(), i)? {
                    return Ok(row.into());
                }
            }
            Ok(Dynamic::UNIT)
        },
    );
    engine.register_fn(
        "some",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<bool, Box<EvalAltResult>> {
            for i in 0..r.len() {
                if call_bool(&ctx, &f, r.get(i).unwrap_or_default(), i)? {
                    return Ok(true);
                }
            }
            Ok(false)
        },
    );
    engine.register_fn(
        "all",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<bool, Box<EvalAltResult>> {
            for i in 0..r.len() {
                if !call_bool(&ctx, &f, r.get(i).unwrap_or_default(), i)? {
                    return Ok(false);
                }
            }
            Ok(true)
        },
    );
    engine.register_fn(
        "sort",
        |ctx: NativeCallContext, r: &mut Rows, f: FnPtr| -> Result<Rows, Box<EvalAltResult>> {
            // Sort row indexes with the script's comparer (negative, zero, positive, as Rhai's sort).
            let mut order: Vec<usize> = (0..r.len()).collect();
            let mut failure = None;
            order.sort_by(|&a, &b| {
                if failure.is_some() {
                    return std::cmp::Ordering::Equal;
                }
                let args = [
                    r.get(a).unwrap_or_default().into(),
                    r.get(b).unwrap_or_default().into(),
                ];
                match f.call_raw(&ctx, None, args).map(|v| v.as_int()) {
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
            let mut out = ResultSet::new(r.0.columns.clone());
            for i in order {
                if let Some(row) = r.0.row(i) {
                    out.push_row(row.iter().cloned());
                }
            }
            Ok(Rows::new(out))
        },
    );
    engine.register_fn(
        "column",
        |r: &mut Rows, name: &str| -> Result<Array, Box<EvalAltResult>> {
            let cols = r.columns();
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
            Ok((0..r.len())
                .map(|i| {
                    r.0.row(i)
                        .and_then(|row| row.get(c))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect())
        },
    );
    engine.register_fn("contains", |r: &mut Rows, m: Map| -> bool {
        r.position(&m).is_some()
    });
    let o = opts.clone();
    engine.register_fn("to_string", move |r: &mut Rows| r.render(&o()));
    let o = opts.clone();
    engine.register_fn("to_debug", move |r: &mut Rows| r.render(&o()));
    engine.register_fn(
        "+",
        |a: Rows, b: Rows| -> Result<Rows, Box<EvalAltResult>> {
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
        },
    );
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
        register(&mut e, Rc::new(TableOptions::default));
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
