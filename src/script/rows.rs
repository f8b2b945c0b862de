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
        r.clone()
            .into_iter()
            .filter_map(|d| d.try_cast::<Map>())
            .any(|row| {
                row.len() == m.len()
                    && row
                        .iter()
                        .all(|(k, v)| m.get(k).is_some_and(|x| x.to_string() == v.to_string()))
            })
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
