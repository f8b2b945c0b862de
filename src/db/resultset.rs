//! A query result held compactly: column metadata once, values in one flat vector (no map per row).

use std::rc::Rc;

use postgres_types::Type;
use rhai::{Dynamic, ImmutableString, Map};

/// Column names, unique keys and types of a result.
#[derive(Debug, Default)]
pub struct Columns {
    /// Names as the server sent them (may repeat: `SELECT 1 AS a, 2 AS a`).
    pub names: Vec<String>,
    /// Map keys: the names, with repeats made unique (`a`, `a_2`) so no column is silently lost.
    pub keys: Vec<ImmutableString>,
    /// PostgreSQL types, for display (`None` for columns made in Rhai).
    pub types: Vec<Option<Type>>,
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
        Columns { names, keys, types }
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
}

impl ResultSet {
    pub fn new(columns: Rc<Columns>) -> ResultSet {
        ResultSet {
            columns,
            data: Vec::new(),
            nrows: 0,
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
                .keys
                .iter()
                .zip(values)
                .map(|(k, v)| (k.as_str().into(), v.clone()))
                .collect(),
        )
    }
}
