//! A query result held compactly: column metadata once, values in one flat vector (no map per row).

use std::rc::Rc;

use postgres_types::Type;
use rhai::{Dynamic, ImmutableString, Map};

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

/// Rows of a result: `columns.len()` values per row, row after row.
#[derive(Debug, Clone, Default)]
pub struct ResultSet {
    pub columns: Rc<Columns>,
    pub data: Vec<Dynamic>,
    /// Kept apart from `data` because a result can have rows but no columns (`SELECT FROM t`).
    pub nrows: usize,
    /// `fan_out(…, #{keep_going: true})`: the targets that failed, one `#{target, message, code}` each.
    pub failures: Option<rhai::Array>,
}

impl ResultSet {
    pub fn new(columns: Rc<Columns>) -> ResultSet {
        ResultSet {
            columns,
            data: Vec::new(),
            nrows: 0,
            failures: None,
        }
    }

    pub fn push_row(&mut self, values: impl IntoIterator<Item = Dynamic>) {
        self.data.extend(values);
        self.nrows += 1;
    }

    pub fn row_count(&self) -> usize {
        self.nrows
    }

    pub fn row(&self, i: usize) -> Option<&[Dynamic]> {
        if i >= self.nrows {
            return None;
        }
        let n = self.columns.len();
        self.data.get(i * n..(i + 1) * n)
    }

    /// One row as a Rhai object map.
    pub fn row_map(&self, i: usize) -> Option<Map> {
        let values = self.row(i)?;
        Some(
            self.columns
                .map_from(|c| values.get(c).cloned().unwrap_or(Dynamic::UNIT)),
        )
    }

    /// One row as a map, moving its values out (for results read once, like a stream's batch).
    pub fn take_row_map(&mut self, i: usize) -> Option<Map> {
        if i >= self.nrows {
            return None;
        }
        let n = self.columns.len();
        let values = self.data.get_mut(i * n..(i + 1) * n)?;
        Some(self.columns.map_from(|c| {
            values
                .get_mut(c)
                .map(std::mem::take)
                .unwrap_or(Dynamic::UNIT)
        }))
    }
}
