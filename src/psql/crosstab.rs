//! `\crosstabview [colV [colH [colD [sortcolH]]]]`: psql's crosstabview.c. The distinct values of colV
//! become the rows and those of colH the columns (in order of first appearance, or of sortcolH's integers),
//! colD's values the cells; the result is a [`TableContent`] to print with the active options.

use crate::db::pgresult::{ExecStatus, PgResult};
use crate::output::content::TableContent;
use crate::output::opts::PrintQueryOpt;
use crate::output::query::column_type_alignment;
use crate::psql::pset::atoi;
use std::collections::BTreeMap;

/// psql's `CROSSTABVIEW_MAX_COLUMNS`.
pub const CROSSTABVIEW_MAX_COLUMNS: usize = 1600;

/// A header value as psql's `pivotFieldCompare` orders them: by bytes (`strcmp`), NULL after every
/// value, all NULLs equal.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key<'a> {
    is_null: bool,
    name: &'a str,
}

impl<'a> Key<'a> {
    fn of(res: &'a PgResult, row: usize, col: usize) -> Key<'a> {
        match res.get(row, col) {
            Some(name) => Key {
                is_null: false,
                name,
            },
            None => Key {
                is_null: true,
                name: "",
            },
        }
    }

    fn name(self) -> Option<&'a str> {
        (!self.is_null).then_some(self.name)
    }
}

/// A distinct header value: its rank (first appearance, until sorted) and, for colH, the first sortcolH
/// value seen with it (psql's `pivot_field`).
struct Pivot<'a> {
    rank: usize,
    sort_value: Option<&'a str>,
}

/// The distinct values of a column (psql keeps them in an AVL tree; an ordered map is the same set).
#[derive(Default)]
struct Pivots<'a> {
    map: BTreeMap<Key<'a>, Pivot<'a>>,
}

impl<'a> Pivots<'a> {
    /// `avlMergeValue`: add a value if new.
    fn merge(&mut self, key: Key<'a>, sort_value: Option<&'a str>) {
        let rank = self.map.len();
        self.map.entry(key).or_insert(Pivot { rank, sort_value });
    }

    fn rank(&self, key: &Key<'a>) -> Option<usize> {
        self.map.get(key).map(|p| p.rank)
    }

    /// `rankSort`: rank the values by their sort column's integer (`-?[0-9]*`, else 0), ties in value
    /// order. psql's qsort is glibc's merge sort here, so ties keep that order.
    fn rank_sort(&mut self) {
        let mut order: Vec<(i32, Key<'a>)> = self
            .map
            .iter()
            .map(|(k, p)| {
                let rank = match p.sort_value {
                    Some(v)
                        if v.strip_prefix('-')
                            .unwrap_or(v)
                            .bytes()
                            .all(|b| b.is_ascii_digit()) =>
                    {
                        atoi(v)
                    }
                    _ => 0,
                };
                (rank, *k)
            })
            .collect();
        order.sort_by_key(|&(rank, _)| rank);
        for (i, (_, key)) in order.into_iter().enumerate() {
            if let Some(p) = self.map.get_mut(&key) {
                p.rank = i;
            }
        }
    }
}

/// `dequote_downcase_identifier`: double quotes removed (`""` inside them is one quote), the rest
/// lower-cased outside them.
fn dequote_downcase(arg: &str) -> String {
    let mut out = String::with_capacity(arg.len());
    let mut inquotes = false;
    let mut chars = arg.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            if inquotes && chars.peek() == Some(&'"') {
                out.push('"');
                chars.next();
            } else {
                inquotes = !inquotes;
            }
        } else if inquotes {
            out.push(c);
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// `indexOfColumn`: a column number from 1, or a name (quoted, or folded to lower case).
fn index_of_column(arg: &str, res: &PgResult) -> Result<usize, String> {
    let nfields = res.nfields();
    if !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit()) {
        let idx = i64::from(atoi(arg)) - 1;
        if idx < 0 || idx >= nfields as i64 {
            return Err(format!(
                "\\crosstabview: column number {} is out of range 1..{nfields}",
                idx + 1
            ));
        }
        return Ok(idx as usize);
    }
    let name = dequote_downcase(arg);
    let mut found = None;
    for i in 0..nfields {
        if res.fname(i) == name {
            if found.is_some() {
                return Err(format!("\\crosstabview: ambiguous column name: \"{name}\""));
            }
            found = Some(i);
        }
    }
    found.ok_or_else(|| format!("\\crosstabview: column name not found: \"{name}\""))
}

/// `PrintResultInCrosstab` up to printing: the pivoted table, or psql's error message. `args` are the
/// command's arguments as the slash-command lexer returned them (quotes kept), missing ones `None`.
pub fn crosstab_view(
    res: &PgResult,
    args: &[Option<&str>],
    popt: &PrintQueryOpt,
) -> Result<TableContent, String> {
    let arg = |i: usize| args.get(i).copied().flatten();
    if res.status != ExecStatus::TuplesOk {
        return Err("\\crosstabview: statement did not return a result set".to_string());
    }
    let nfields = res.nfields();
    if nfields < 3 {
        return Err("\\crosstabview: query must return at least three columns".to_string());
    }
    let field_for_rows = arg(0).map_or(Ok(0), |a| index_of_column(a, res))?;
    let field_for_columns = arg(1).map_or(Ok(1), |a| index_of_column(a, res))?;
    if field_for_columns == field_for_rows {
        return Err(
            "\\crosstabview: vertical and horizontal headers must be different columns".to_string(),
        );
    }
    let field_for_data = match arg(2) {
        Some(a) => index_of_column(a, res)?,
        None if nfields != 3 => {
            return Err(
                "\\crosstabview: data column must be specified when query returns more \
                 than three columns"
                    .to_string(),
            )
        }
        // The one column that is neither header.
        None => (0..3)
            .find(|&i| i != field_for_rows && i != field_for_columns)
            .unwrap_or(2),
    };
    let sort_field = arg(3).map(|a| index_of_column(a, res)).transpose()?;

    let mut columns = Pivots::default();
    let mut rows = Pivots::default();
    for rn in 0..res.ntuples() {
        let sort_value = sort_field.and_then(|f| res.get(rn, f));
        columns.merge(Key::of(res, rn, field_for_columns), sort_value);
        if columns.map.len() > CROSSTABVIEW_MAX_COLUMNS {
            return Err(format!(
                "\\crosstabview: maximum number of columns ({CROSSTABVIEW_MAX_COLUMNS}) exceeded"
            ));
        }
        rows.merge(Key::of(res, rn, field_for_rows), None);
    }
    if sort_field.is_some() {
        columns.rank_sort();
    }
    print_crosstab(
        res,
        &columns,
        field_for_columns,
        &rows,
        field_for_rows,
        field_for_data,
        popt,
    )
}

/// `printCrosstab`: the table itself.
fn print_crosstab(
    res: &PgResult,
    columns: &Pivots<'_>,
    field_for_columns: usize,
    rows: &Pivots<'_>,
    field_for_rows: usize,
    field_for_data: usize,
    popt: &PrintQueryOpt,
) -> Result<TableContent, String> {
    let null = popt.null_print.as_str();
    let num_columns = columns.map.len();
    let width = num_columns + 1;
    let mut t = TableContent::new(popt.title.as_deref(), rows.map.len());
    t.add_header(
        res.fname(field_for_rows),
        column_type_alignment(res.ftype(field_for_rows)),
    );
    let mut by_rank: Vec<Option<&str>> = vec![None; num_columns];
    for (key, p) in &columns.map {
        by_rank[p.rank] = key.name();
    }
    let data_align = column_type_alignment(res.ftype(field_for_data));
    for name in by_rank {
        t.add_header(name.unwrap_or(null), data_align);
    }
    let mut cells: Vec<Option<&str>> = vec![None; rows.map.len() * width];
    for (key, p) in &rows.map {
        cells[p.rank * width] = Some(key.name().unwrap_or(null));
    }
    for rn in 0..res.ntuples() {
        let rkey = Key::of(res, rn, field_for_rows);
        let ckey = Key::of(res, rn, field_for_columns);
        let (Some(row), Some(col)) = (rows.rank(&rkey), columns.rank(&ckey)) else {
            continue;
        };
        let idx = 1 + col + row * width;
        if cells[idx].is_some() {
            // psql shows a NULL header as \pset null, or "(null)" when that is unset.
            let shown = |k: Key<'_>| {
                k.name()
                    .map(str::to_string)
                    .unwrap_or_else(|| if null.is_empty() { "(null)" } else { null }.to_string())
            };
            return Err(format!(
                "\\crosstabview: query result contains multiple data values for row \"{}\", column \"{}\"",
                shown(rkey),
                shown(ckey)
            ));
        }
        cells[idx] = Some(res.get(rn, field_for_data).unwrap_or(null));
    }
    for c in cells {
        t.add_cell(c.unwrap_or(""));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::pgresult::Field;
    use crate::output::print::{print_table, PrintTarget};
    use crate::psql::pset::do_pset;
    use serde_json::Value;

    fn result(v: &Value) -> PgResult {
        let fields = v["cols"]
            .as_array()
            .unwrap()
            .iter()
            .zip(v["oids"].as_array().unwrap())
            .map(|(n, o)| Field {
                name: n.as_str().unwrap().to_string(),
                table_oid: 0,
                column_id: 0,
                type_oid: o.as_u64().unwrap() as u32,
                type_size: -1,
                type_modifier: -1,
                format: 0,
            })
            .collect();
        let mut res = PgResult::new(ExecStatus::TuplesOk, fields);
        for row in v["rows"].as_array().unwrap() {
            res.push_row(
                row.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().map(str::as_bytes)),
            );
        }
        res
    }

    /// PostgreSQL 15's src/test/regress/sql/psql_crosstab.sql and more, each query's result and what
    /// `\crosstabview` printed captured from psql 15 by `scripts/psql_fixtures.py`.
    #[test]
    fn crosstab_matches_psql() {
        let mut failures = Vec::new();
        let cases = include_str!("testdata/crosstab.jsonl");
        for line in cases.lines() {
            let case: Value = serde_json::from_str(line).unwrap();
            let mut popt = PrintQueryOpt::default();
            for p in case["pset"].as_array().unwrap() {
                do_pset(p[0].as_str().unwrap(), p[1].as_str(), &mut popt, true).unwrap();
            }
            let res = result(&case["result"]);
            let args: Vec<Option<&str>> = case["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::as_str)
                .collect();
            let (out, err) = match crosstab_view(&res, &args, &popt) {
                Ok(t) => {
                    let mut out = Vec::new();
                    print_table(&t, &popt.topt, &mut out, &PrintTarget::default(), None).unwrap();
                    (String::from_utf8(out).unwrap(), String::new())
                }
                Err(e) => (String::new(), e),
            };
            // psql reading stdin prefixes its errors with "psql:<stdin>:N: error: ".
            let want_err = case["stderr"].as_str().unwrap();
            let want_err = want_err
                .split_once("error: ")
                .map_or("", |(_, m)| m.trim_end());
            if out != case["stdout"].as_str().unwrap() || err != want_err {
                failures.push(format!(
                    "{} {}\n{}{}\n--- pgsh ---\n{out}{err}",
                    case["sql"],
                    case["args"],
                    case["stdout"].as_str().unwrap(),
                    want_err
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn names_are_dequoted_and_folded() {
        assert_eq!(dequote_downcase("Foo"), "foo");
        assert_eq!(dequote_downcase("\"Foo\""), "Foo");
        assert_eq!(dequote_downcase("\"\"\"month\"\" name\""), "\"month\" name");
        assert_eq!(dequote_downcase("a\"B\"C"), "aBc");
    }

    #[test]
    fn not_a_result_set() {
        let res = PgResult::new(ExecStatus::CommandOk, Vec::new());
        assert_eq!(
            crosstab_view(&res, &[], &PrintQueryOpt::default()).err(),
            Some("\\crosstabview: statement did not return a result set".to_string())
        );
    }
}
