//! A statement's result as psql sees it (libpq's `PGresult`): its status, the columns with their type OIDs,
//! and every value as the text the server sent. SQL mode and the describe commands print these; nothing in
//! them is decoded or re-formatted by pgsh.

use crate::error::DbDetails;

/// libpq's `ExecStatusType`, for the statuses a simple query can end in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecStatus {
    /// The query string was empty.
    EmptyQuery,
    /// A command that returns no rows (`PGRES_COMMAND_OK`).
    CommandOk,
    /// A query that returned rows, possibly none (`PGRES_TUPLES_OK`).
    TuplesOk,
    CopyOut,
    CopyIn,
    /// The server reported an error (`PGRES_FATAL_ERROR`).
    FatalError,
}

/// One column of a result (a RowDescription field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The table the column comes from (0 if none).
    pub table_oid: u32,
    /// Its attribute number in that table (0 if none).
    pub column_id: i16,
    pub type_oid: u32,
    pub type_size: i16,
    pub type_modifier: i32,
    /// 0 text, 1 binary.
    pub format: i16,
}

/// A result (see the module documentation). Values live in one buffer, so a million-row result costs
/// little more than its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgResult {
    pub status: ExecStatus,
    pub fields: Vec<Field>,
    /// The command tag (`SELECT 3`, `INSERT 0 1`, `CREATE TABLE`); empty for an error or empty query.
    pub command_tag: String,
    /// The error, for [`ExecStatus::FatalError`].
    pub error: Option<DbDetails>,
    data: String,
    /// Rows pushed (kept apart from `ends`: a result without columns still has rows, as
    /// `SELECT FROM generate_series(1,3)` does).
    rows: usize,
    /// End of each value in `data`, row-major.
    ends: Vec<usize>,
    /// One bit per value: set for SQL NULL.
    nulls: Vec<u64>,
}

impl PgResult {
    /// A result with this status and columns, and no rows yet.
    pub fn new(status: ExecStatus, fields: Vec<Field>) -> PgResult {
        PgResult {
            status,
            fields,
            command_tag: String::new(),
            error: None,
            data: String::new(),
            rows: 0,
            ends: Vec::new(),
            nulls: Vec::new(),
        }
    }

    /// An error result.
    pub fn error(details: DbDetails) -> PgResult {
        let mut r = PgResult::new(ExecStatus::FatalError, Vec::new());
        r.error = Some(details);
        r
    }

    /// Add a row; `values` must hold one entry per field (`None` for NULL). A value that is not valid
    /// UTF-8 (a C function's broken output, a SQL_ASCII database) is kept as psql shows it: a multibyte
    /// sequence cut short at the end is dropped (psql's `pg_wcsformat` stops there), other invalid bytes
    /// become U+FFFD.
    pub fn push_row<'a>(&mut self, values: impl IntoIterator<Item = Option<&'a [u8]>>) {
        for v in values {
            let i = self.ends.len();
            if i / 64 >= self.nulls.len() {
                self.nulls.push(0);
            }
            match v {
                Some(bytes) => match std::str::from_utf8(bytes) {
                    Ok(s) => self.data.push_str(s),
                    Err(e) if e.error_len().is_none() => {
                        // Only the tail is incomplete.
                        let good = &bytes[..e.valid_up_to()];
                        self.data.push_str(&String::from_utf8_lossy(good));
                    }
                    Err(_) => self.data.push_str(&String::from_utf8_lossy(bytes)),
                },
                None => self.nulls[i / 64] |= 1 << (i % 64),
            }
            self.ends.push(self.data.len());
        }
        self.rows += 1;
    }

    /// `PQntuples`.
    pub fn ntuples(&self) -> usize {
        self.rows
    }

    /// `PQnfields`.
    pub fn nfields(&self) -> usize {
        self.fields.len()
    }

    /// `PQfname`.
    pub fn fname(&self, col: usize) -> &str {
        self.fields.get(col).map_or("", |f| f.name.as_str())
    }

    /// `PQftype`.
    pub fn ftype(&self, col: usize) -> u32 {
        self.fields.get(col).map_or(0, |f| f.type_oid)
    }

    /// `PQfnumber` for an unquoted name (exact match, as the describe code uses it).
    pub fn fnumber(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    fn index(&self, row: usize, col: usize) -> Option<usize> {
        let n = self.fields.len();
        (col < n && row < self.ntuples()).then_some(row * n + col)
    }

    /// `PQgetvalue`: the value's text, `""` for NULL or out of range (as libpq).
    pub fn get_value(&self, row: usize, col: usize) -> &str {
        match self.index(row, col) {
            Some(i) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] };
                &self.data[start..self.ends[i]]
            }
            None => "",
        }
    }

    /// `PQgetisnull` (true out of range, as libpq).
    pub fn get_is_null(&self, row: usize, col: usize) -> bool {
        match self.index(row, col) {
            Some(i) => self.nulls[i / 64] & (1 << (i % 64)) != 0,
            None => true,
        }
    }

    /// The value, or `None` for NULL.
    pub fn get(&self, row: usize, col: usize) -> Option<&str> {
        (!self.get_is_null(row, col)).then(|| self.get_value(row, col))
    }

    /// `PQcmdTuples`: the row count of an INSERT/UPDATE/DELETE/MERGE/SELECT/MOVE/FETCH/COPY tag, else "".
    pub fn cmd_tuples(&self) -> &str {
        let tag = self.command_tag.as_str();
        let rest = if let Some(r) = tag.strip_prefix("INSERT ") {
            // "INSERT oid rows"
            r.split_once(' ').map_or("", |(_, n)| n)
        } else {
            [
                "SELECT ", "UPDATE ", "DELETE ", "MERGE ", "MOVE ", "FETCH ", "COPY ",
            ]
            .iter()
            .find_map(|p| tag.strip_prefix(p))
            .unwrap_or("")
        };
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            rest
        } else {
            ""
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, oid: u32) -> Field {
        Field {
            name: name.into(),
            table_oid: 0,
            column_id: 0,
            type_oid: oid,
            type_size: -1,
            type_modifier: -1,
            format: 0,
        }
    }

    #[test]
    fn values_nulls_and_counts() {
        let mut r = PgResult::new(ExecStatus::TuplesOk, vec![field("a", 23), field("b", 25)]);
        r.push_row([Some(&b"1"[..]), None]);
        r.push_row([Some(&b"22"[..]), Some(&b"x y"[..])]);
        assert_eq!(r.ntuples(), 2);
        assert_eq!(r.get_value(0, 0), "1");
        assert!(r.get_is_null(0, 1));
        assert_eq!(r.get_value(0, 1), "");
        assert_eq!(r.get(1, 1), Some("x y"));
        assert!(r.get_is_null(5, 0));
        assert_eq!(r.fnumber("b"), Some(1));
        r.command_tag = "SELECT 2".into();
        assert_eq!(r.cmd_tuples(), "2");
        r.command_tag = "INSERT 0 7".into();
        assert_eq!(r.cmd_tuples(), "7");
        r.command_tag = "CREATE TABLE".into();
        assert_eq!(r.cmd_tuples(), "");
    }

    #[test]
    fn rows_without_columns_are_counted() {
        let mut r = PgResult::new(ExecStatus::TuplesOk, Vec::new());
        for _ in 0..3 {
            r.push_row(std::iter::empty::<Option<&[u8]>>());
        }
        assert_eq!(r.ntuples(), 3);
        assert!(r.get_is_null(0, 0));
    }

    #[test]
    fn many_values_cross_the_null_bitmap_words() {
        let mut r = PgResult::new(ExecStatus::TuplesOk, vec![field("a", 23)]);
        for i in 0..200 {
            let text = i.to_string();
            r.push_row([(i % 3 != 0).then_some(text.as_bytes())]);
        }
        assert_eq!(r.ntuples(), 200);
        assert!(r.get_is_null(0, 0) && r.get_is_null(129, 0));
        assert_eq!(r.get(130, 0), Some("130"));
    }
}
