//! A Rhai result ([`ResultSet`]) as a table for psql's printer, so rows shown at pgsh's prompt follow
//! `\pset` exactly as a query's do: each cell is the value's text, each column aligned as psql aligns its
//! type.

use crate::db::resultset::ResultSet;
use crate::output::content::{Align, Table};
use crate::output::opts::PrintQueryOpt;
use crate::output::query::column_type_alignment;
use crate::value::format::cell_text;

/// See the module documentation.
pub struct ResultSetTable<'a> {
    rs: &'a ResultSet,
    opt: &'a PrintQueryOpt,
    /// Row-major cell texts; `None` is SQL NULL.
    cells: Vec<Option<String>>,
    aligns: Vec<Align>,
    oids: Vec<u32>,
}

impl<'a> ResultSetTable<'a> {
    pub fn new(rs: &'a ResultSet, opt: &'a PrintQueryOpt) -> ResultSetTable<'a> {
        let types = &rs.columns.types;
        let mut cells = Vec::with_capacity(rs.row_count() * types.len());
        for i in 0..rs.row_count() {
            let row = rs.row(i).unwrap_or_default();
            for (c, t) in types.iter().enumerate() {
                cells.push(row.get(c).and_then(|v| cell_text(v, t.as_ref())));
            }
        }
        let oids: Vec<u32> = types
            .iter()
            .map(|t| t.as_ref().map_or(0, |t| t.oid()))
            .collect();
        let aligns = oids.iter().map(|&o| column_type_alignment(o)).collect();
        ResultSetTable {
            rs,
            opt,
            cells,
            aligns,
            oids,
        }
    }

    fn at(&self, row: usize, col: usize) -> Option<&Option<String>> {
        self.cells.get(row * self.ncolumns() + col)
    }
}

impl Table for ResultSetTable<'_> {
    fn title(&self) -> Option<&str> {
        self.opt.title.as_deref()
    }

    fn ncolumns(&self) -> usize {
        self.rs.columns.names.len()
    }

    fn nrows(&self) -> usize {
        self.rs.row_count()
    }

    fn header(&self, col: usize) -> &str {
        &self.rs.columns.names[col]
    }

    fn align(&self, col: usize) -> Align {
        self.aligns.get(col).copied().unwrap_or_default()
    }

    fn cell(&self, row: usize, col: usize) -> &str {
        match self.at(row, col) {
            Some(Some(s)) => s,
            _ => &self.opt.null_print,
        }
    }

    fn footers(&self) -> Option<&[String]> {
        self.opt.footers.as_deref()
    }

    fn is_null(&self, row: usize, col: usize) -> bool {
        !matches!(self.at(row, col), Some(Some(_)))
    }

    fn type_oid(&self, col: usize) -> u32 {
        self.oids.get(col).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::resultset::Columns;
    use crate::output::print::{print_table, PrintTarget};
    use postgres::types::Type;
    use std::rc::Rc;

    fn two_rows() -> ResultSet {
        let cols = Columns::new(
            vec!["id".into(), "name".into()],
            vec![Some(Type::INT4), Some(Type::TEXT)],
        );
        let mut rs = ResultSet::new(Rc::new(cols));
        rs.push_row(vec![rhai::Dynamic::from(7_i64), rhai::Dynamic::from("fig")]);
        rs.push_row(vec![rhai::Dynamic::from(12_i64), rhai::Dynamic::UNIT]);
        rs
    }

    fn printed(rs: &ResultSet, opt: &PrintQueryOpt) -> String {
        let t = ResultSetTable::new(rs, opt);
        let mut out = Vec::new();
        print_table(&t, &opt.topt, &mut out, &PrintTarget::default(), None).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_print_as_psql_prints_a_query_with_the_same_options() {
        let rs = two_rows();
        let mut opt = PrintQueryOpt::default();
        // psql 15: `psql -X -c "select * from (values (7,'fig'),(12,null)) v(id,name)"`.
        assert_eq!(
            printed(&rs, &opt),
            " id | name \n----+------\n  7 | fig\n 12 | \n(2 rows)\n\n"
        );
        opt.null_print = "∅".into();
        opt.topt.format = crate::output::opts::PrintFormat::Unaligned;
        assert_eq!(printed(&rs, &opt), "id|name\n7|fig\n12|∅\n(2 rows)\n");
    }
}
