//! A query result held compactly: column metadata once, values by column (no map per row; the common
//! scalar types in typed vectors, see [`Column`]).

use std::rc::Rc;

use postgres_types::Type;
use rhai::{Dynamic, ImmutableString, Map};

use crate::value::column::Column;

/// Column names, unique keys and types of a result.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    /// Names as the server sent them (may repeat: `SELECT 1 AS a, 2 AS a`).
    pub names: Vec<String>,
    /// Map keys: the names, with repeats made unique (`a`, `a_2`) so no column is silently lost.
    pub keys: Vec<ImmutableString>,
    /// PostgreSQL types, for display (`None` for columns made in Rhai).
    pub types: Vec<Option<Type>>,
    /// An empty row map (keys set, values `()`); cloning it and filling the values is much cheaper than
    /// building a map per row.
    template: Map,
    /// For each entry of `template` in its (sorted) key order, the column it takes its value from.
    order: Vec<usize>,
}

impl Columns {
    pub fn new(names: Vec<String>, types: Vec<Option<Type>>) -> Columns {
        let mut keys: Vec<ImmutableString> = Vec::with_capacity(names.len());
        for name in &names {
            let mut key = name.clone();
            let mut n = 2;
            while keys.iter().any(|k| k.as_str() == key) {
                key = format!("{name}_{n}");
                n += 1;
            }
            keys.push(key.into());
        }
        let template: Map = keys
            .iter()
            .map(|k| (k.as_str().into(), Dynamic::UNIT))
            .collect();
        let order = template
            .keys()
            .map(|k| {
                keys.iter()
                    .position(|c| c.as_str() == k.as_str())
                    .unwrap_or(0)
            })
            .collect();
        Columns {
            names,
            keys,
            types,
            template,
            order,
        }
    }

    /// A row map from its values in column order.
    pub fn map_from(&self, mut value: impl FnMut(usize) -> Dynamic) -> Map {
        let mut m = self.template.clone();
        for (slot, &c) in m.values_mut().zip(&self.order) {
            *slot = value(c);
        }
        m
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Rows of a result, held by column ([`Column`]: the common scalar types compactly, others as Rhai values).
#[derive(Debug, Clone, Default)]
pub struct ResultSet {
    pub columns: Rc<Columns>,
    /// One per column, each `nrows` long.
    data: Vec<Column>,
    /// Kept apart from `data` because a result can have rows but no columns (`SELECT FROM t`).
    nrows: usize,
    /// `fan_out(…, #{keep_going: true})`: the targets that failed, one `#{target, message, code}` each.
    pub failures: Option<rhai::Array>,
}

impl ResultSet {
    /// An empty result whose columns hold Rhai values.
    pub fn new(columns: Rc<Columns>) -> ResultSet {
        let data = vec![Column::values(); columns.len()];
        ResultSet::with_columns(columns, data)
    }

    /// An empty result with these (empty) columns, one per column of `columns`, e.g. typed ones
    /// ([`Column::for_binary`]) for rows about to be read.
    pub fn with_columns(columns: Rc<Columns>, mut data: Vec<Column>) -> ResultSet {
        data.resize_with(columns.len(), Column::values);
        ResultSet {
            columns,
            data,
            nrows: 0,
            failures: None,
        }
    }

    /// Append a row from its values in column order (missing values are `()`).
    pub fn push_row(&mut self, values: impl IntoIterator<Item = Dynamic>) {
        let mut values = values.into_iter();
        for col in &mut self.data {
            col.push(values.next().unwrap_or(Dynamic::UNIT));
        }
        self.nrows += 1;
    }

    /// Append a row whose value in each column `fill` adds (given the column's index and the column). When
    /// `fill` fails the result is left part-filled: the caller drops it.
    pub fn push_row_with<E>(
        &mut self,
        mut fill: impl FnMut(usize, &mut Column) -> Result<(), E>,
    ) -> Result<(), E> {
        for (i, col) in self.data.iter_mut().enumerate() {
            fill(i, col)?;
        }
        self.nrows += 1;
        Ok(())
    }

    pub fn row_count(&self) -> usize {
        self.nrows
    }

    /// The value in row `i`, column `c`.
    pub fn value(&self, i: usize, c: usize) -> Option<Dynamic> {
        if i >= self.nrows {
            return None;
        }
        self.data.get(c).map(|col| col.get(i))
    }

    /// Row `i`'s values in column order.
    pub fn row(&self, i: usize) -> Option<Vec<Dynamic>> {
        if i >= self.nrows {
            return None;
        }
        Some(self.data.iter().map(|col| col.get(i)).collect())
    }

    /// One row as a Rhai object map.
    pub fn row_map(&self, i: usize) -> Option<Map> {
        if i >= self.nrows {
            return None;
        }
        Some(self.columns.map_from(|c| {
            self.data
                .get(c)
                .map(|col| col.get(i))
                .unwrap_or(Dynamic::UNIT)
        }))
    }

    /// One row as a map, moving its values out (for results read once, like a stream's batch).
    pub fn take_row_map(&mut self, i: usize) -> Option<Map> {
        if i >= self.nrows {
            return None;
        }
        let data = &mut self.data;
        Some(self.columns.map_from(|c| {
            data.get_mut(c)
                .and_then(|col| col.values_mut().get_mut(i))
                .map(std::mem::take)
                .unwrap_or(Dynamic::UNIT)
        }))
    }

    /// Replace row `i`'s values (in column order).
    pub fn set_row(&mut self, i: usize, values: Vec<Dynamic>) {
        if i >= self.nrows {
            return;
        }
        for (col, v) in self.data.iter_mut().zip(values) {
            if let Some(slot) = col.values_mut().get_mut(i) {
                *slot = v;
            }
        }
    }

    /// Insert a row before row `i` (at the end when `i` is past it).
    pub fn insert_row(&mut self, i: usize, values: Vec<Dynamic>) {
        let at = i.min(self.nrows);
        let mut values = values.into_iter();
        for col in &mut self.data {
            let v = col.values_mut();
            v.insert(at.min(v.len()), values.next().unwrap_or(Dynamic::UNIT));
        }
        self.nrows += 1;
    }

    /// Remove row `i`.
    pub fn remove_row(&mut self, i: usize) {
        if i >= self.nrows {
            return;
        }
        for col in &mut self.data {
            let v = col.values_mut();
            if i < v.len() {
                drop(v.remove(i));
            }
        }
        self.nrows -= 1;
    }

    /// Reverse the order of the rows.
    pub fn reverse(&mut self) {
        for col in &mut self.data {
            col.values_mut().reverse();
        }
    }
}
