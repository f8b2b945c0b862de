//! The `Rows` value: a shared [`ResultSet`] with array-like edits (copy on write), rows as maps on demand,
//! and its table.

use std::rc::Rc;

use rhai::{Dynamic, EvalAltResult, Map, INT};

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
    pub(super) fn retain(
        &self,
        mut keep: impl FnMut(usize) -> Result<bool, Box<EvalAltResult>>,
    ) -> Result<Rows, Box<EvalAltResult>> {
        let mut out = ResultSet::new(self.0.columns.clone());
        for i in 0..self.len() {
            if keep(i)? {
                if let Some(r) = self.0.row(i) {
                    out.push_row(r);
                }
            }
        }
        Ok(Rows::new(out))
    }

    /// The result to change, copied first when another value shares it (rows are values, as arrays are).
    pub(super) fn make_mut(&mut self) -> &mut ResultSet {
        Rc::make_mut(&mut self.0)
    }

    /// `m` as a row of these columns: a key that is no column yet becomes one (`()` in the other rows), a
    /// column missing from `m` is `()`.
    pub(super) fn row_values(&mut self, m: &Map) -> Vec<Dynamic> {
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
                let row = self.0.row(i).unwrap_or_default();
                let values = row
                    .into_iter()
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

    pub(super) fn set_row(&mut self, i: usize, m: &Map) {
        let values = self.row_values(m);
        self.make_mut().set_row(i, values);
    }

    pub(super) fn insert_row(&mut self, i: usize, m: &Map) {
        let values = self.row_values(m);
        self.make_mut().insert_row(i, values);
    }

    pub(super) fn remove_row(&mut self, i: usize) -> Option<Map> {
        let row = self.get(i)?;
        self.make_mut().remove_row(i);
        Some(row)
    }

    /// Rows `from..to` (clamped to the rows there are), with the same columns.
    pub(super) fn slice(&self, from: INT, to: INT) -> Rows {
        let len = self.len() as INT;
        let clamp = |x: INT| {
            let x = if x < 0 { len + x } else { x };
            x.clamp(0, len) as usize
        };
        let (a, b) = (clamp(from), clamp(to));
        let mut out = ResultSet::new(self.0.columns.clone());
        for i in a..b.max(a) {
            if let Some(r) = self.0.row(i) {
                out.push_row(r);
            }
        }
        Rows::new(out)
    }

    pub(super) fn position(&self, m: &Map) -> Option<usize> {
        (0..self.len()).find(|&i| self.get(i).is_some_and(|row| same_row(&row, m)))
    }

    /// Cell texts for display.
    pub fn cells(&self) -> Vec<Vec<Option<String>>> {
        let types = &self.0.columns.types;
        (0..self.len())
            .map(|i| {
                self.0
                    .row(i)
                    .unwrap_or_default()
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
                        self.0.value(r, c).is_some_and(|v| {
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
