//! psql's `printQuery`: a query result printed straight from its [`PgResult`] through a [`Table`] that
//! borrows the values (no copy per cell), with `\pset null` for NULLs, `\pset numericlocale` for
//! right-aligned columns, and the alignment each column's type gets (`column_type_alignment`).

use super::content::{Align, Table};
use super::numeric_locale::NumericLocale;
use super::opts::{PrintFormat, PrintQueryOpt};
use crate::db::pgresult::PgResult;

/// `column_type_alignment`: numbers (int2, int4, int8, float4, float8, numeric, oid, xid, xid8, cid,
/// money) right, everything else left.
pub fn column_type_alignment(ftype: u32) -> Align {
    const RIGHT: [u32; 11] = [21, 23, 20, 700, 701, 1700, 26, 28, 5069, 29, 790];
    if RIGHT.contains(&ftype) {
        Align::Right
    } else {
        Align::Left
    }
}

/// The localized text of the right-aligned columns (`\pset numericlocale`), in one buffer: psql allocates
/// one string per such cell, this keeps the same text with less overhead.
struct Localized {
    /// For each column, its index among the localized columns.
    index: Vec<Option<usize>>,
    ncols: usize,
    data: String,
    ends: Vec<usize>,
}

impl Localized {
    fn build(res: &PgResult, aligns: &[Align], locale: &NumericLocale) -> Option<Localized> {
        let index: Vec<Option<usize>> = aligns
            .iter()
            .scan(0, |k, a| {
                Some((*a == Align::Right).then(|| {
                    *k += 1;
                    *k - 1
                }))
            })
            .collect();
        let cols: Vec<usize> = (0..aligns.len()).filter(|&c| index[c].is_some()).collect();
        if cols.is_empty() {
            return None;
        }
        let mut data = String::new();
        let mut ends = Vec::with_capacity(cols.len() * res.ntuples());
        for r in 0..res.ntuples() {
            for &c in &cols {
                // NULLs print as `\pset null`, never localized.
                if !res.get_is_null(r, c) {
                    locale.format(res.get_value(r, c), &mut data);
                }
                ends.push(data.len());
            }
        }
        Some(Localized {
            index,
            ncols: cols.len(),
            data,
            ends,
        })
    }

    fn get(&self, row: usize, col: usize) -> Option<&str> {
        let k = self.index.get(col).copied().flatten()?;
        let i = row * self.ncols + k;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.data[start..self.ends[i]])
    }
}

/// A query result as a table (see the module documentation).
pub struct QueryTable<'a> {
    res: &'a PgResult,
    opt: &'a PrintQueryOpt,
    aligns: Vec<Align>,
    localized: Option<Localized>,
}

impl<'a> QueryTable<'a> {
    /// The result as `printQuery` would lay it out with `opt`, numbers localized with `locale` when
    /// `\pset numericlocale` is on (JSON keeps the server's numbers).
    pub fn new(
        res: &'a PgResult,
        opt: &'a PrintQueryOpt,
        locale: &NumericLocale,
    ) -> QueryTable<'a> {
        let aligns: Vec<Align> = res
            .fields
            .iter()
            .map(|f| column_type_alignment(f.type_oid))
            .collect();
        let json = matches!(opt.topt.format, PrintFormat::Json | PrintFormat::Jsonl);
        let localized = (opt.topt.numeric_locale && !json)
            .then(|| Localized::build(res, &aligns, locale))
            .flatten();
        QueryTable {
            res,
            opt,
            aligns,
            localized,
        }
    }
}

impl Table for QueryTable<'_> {
    fn title(&self) -> Option<&str> {
        self.opt.title.as_deref()
    }

    fn ncolumns(&self) -> usize {
        self.res.nfields()
    }

    fn nrows(&self) -> usize {
        self.res.ntuples()
    }

    fn header(&self, col: usize) -> &str {
        self.res.fname(col)
    }

    fn align(&self, col: usize) -> Align {
        self.aligns.get(col).copied().unwrap_or_default()
    }

    fn cell(&self, row: usize, col: usize) -> &str {
        if self.res.get_is_null(row, col) {
            return &self.opt.null_print;
        }
        match &self.localized {
            Some(l) => l
                .get(row, col)
                .unwrap_or_else(|| self.res.get_value(row, col)),
            None => self.res.get_value(row, col),
        }
    }

    fn footers(&self) -> Option<&[String]> {
        self.opt.footers.as_deref()
    }

    fn is_null(&self, row: usize, col: usize) -> bool {
        self.res.get_is_null(row, col)
    }

    fn type_oid(&self, col: usize) -> u32 {
        self.res.ftype(col)
    }
}

/// `printQuery`: print a result with `opt` (its title, footers and null display over the table options),
/// numbers localized as in the C locale.
#[cfg(test)]
pub fn print_query(
    res: &PgResult,
    opt: &PrintQueryOpt,
    out: &mut dyn std::io::Write,
    target: &super::print::PrintTarget,
    log: Option<&mut dyn std::io::Write>,
) -> std::io::Result<()> {
    if target.cancelled() {
        return Ok(());
    }
    let table = QueryTable::new(res, opt, &NumericLocale::default());
    super::print::print_table(&table, &opt.topt, out, target, log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::pgresult::{ExecStatus, Field};
    use crate::output::fixtures;
    use crate::output::print::PrintTarget;

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

    /// psql 15 over results fetched in parts (`\set FETCH_COUNT 1, 2, 3, 5`: start_table, stop_table and
    /// prior_records) in every format (`scripts/print_fixtures.py`, from `psql -X -q`).
    #[test]
    fn fetch_count_parts_match_psql() {
        fixtures::check(include_str!("testdata/fetch.jsonl"));
    }

    #[test]
    fn cells_borrow_from_the_result_and_localize_numbers() {
        let mut res = PgResult::new(
            ExecStatus::TuplesOk,
            vec![field("n", 1700), field("t", 25), field("i", 23)],
        );
        res.push_row([Some(&b"1234567.5"[..]), Some(&b"1234567"[..]), None]);
        res.push_row([None, None, Some(&b"-98765"[..])]);
        let mut opt = PrintQueryOpt {
            null_print: "(null)".into(),
            ..PrintQueryOpt::default()
        };
        opt.topt.numeric_locale = true;
        let t = QueryTable::new(&res, &opt, &NumericLocale::default());
        assert_eq!(t.align(0), Align::Right);
        assert_eq!(t.align(1), Align::Left);
        assert_eq!(t.cell(0, 0), "1,234,567.5");
        assert_eq!(t.cell(0, 1), "1234567", "text is never localized");
        assert_eq!(t.cell(0, 2), "(null)");
        assert_eq!(t.cell(1, 0), "(null)");
        assert_eq!(t.cell(1, 2), "-98,765");
        assert!(t.is_null(1, 1) && !t.is_null(1, 2));
        opt.topt.numeric_locale = false;
        let plain = QueryTable::new(&res, &opt, &NumericLocale::default());
        assert!(std::ptr::eq(plain.cell(0, 0), res.get_value(0, 0)));
    }

    #[test]
    fn json_keeps_nulls_and_server_numbers() {
        let mut res = PgResult::new(ExecStatus::TuplesOk, vec![field("n", 23), field("t", 25)]);
        res.push_row([Some(&b"1234"[..]), None]);
        let mut opt = PrintQueryOpt {
            null_print: "NULL".into(),
            ..PrintQueryOpt::default()
        };
        opt.topt.format = PrintFormat::Json;
        opt.topt.numeric_locale = true;
        let mut out = Vec::new();
        print_query(&res, &opt, &mut out, &PrintTarget::default(), None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[\n{\"n\":1234,\"t\":null}\n]\n"
        );
    }

    #[test]
    fn a_million_rows_print_without_copying_cells() {
        let mut res = PgResult::new(ExecStatus::TuplesOk, vec![field("i", 23), field("t", 25)]);
        for i in 0..1_000_000u32 {
            let n = i.to_string();
            res.push_row([Some(n.as_bytes()), Some(&b"x"[..])]);
        }
        let opt = PrintQueryOpt::default();
        let mut out = Vec::new();
        print_query(&res, &opt, &mut out, &PrintTarget::default(), None).unwrap();
        let text = String::from_utf8(out).unwrap();
        // psql 15: `select i, 'x' as t from generate_series(0,999999) i`.
        assert!(text.starts_with("   i    | t \n--------+---\n      0 | x\n"));
        assert!(text.ends_with(" 999999 | x\n(1000000 rows)\n\n"));
    }
}
