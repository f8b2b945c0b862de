//! Test support: replays the cases `scripts/print_fixtures.py` captured from real psql 15 (testdata/*.jsonl)
//! through the printer and compares the bytes. Each case names a dataset of testdata/datasets.json (built
//! here into the same PgResult or TableContent psql printed), the `\pset` commands psql ran (applied with
//! our `do_pset`), FETCH_COUNT, and what psql wrote to stdout and to its `-L` log.

use super::content::{Align, TableContent};
use super::opts::{Expanded, PrintQueryOpt};
use super::print::{print_table, PrintTarget};
use super::query::print_query;
use crate::db::pgresult::{ExecStatus, Field, PgResult};
use crate::psql::pset::do_pset;
use serde_json::Value;

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

fn datasets() -> Value {
    serde_json::from_str(include_str!("testdata/datasets.json")).expect("datasets.json")
}

fn text(v: &Value) -> Option<&str> {
    v.as_str()
}

/// A result with the dataset's columns and rows `from..to`.
pub(crate) fn result(ds: &Value, from: usize, to: usize) -> PgResult {
    let names = ds["cols"].as_array().expect("cols");
    let oids = ds["oids"].as_array().cloned().unwrap_or_default();
    let fields = names
        .iter()
        .zip(oids.iter().map(|o| o.as_u64().unwrap_or(0) as u32))
        .map(|(c, oid)| field(c[0].as_str().unwrap_or(""), oid))
        .collect();
    let mut res = PgResult::new(ExecStatus::TuplesOk, fields);
    let rows = ds["rows"].as_array().expect("rows");
    for row in &rows[from.min(rows.len())..to.min(rows.len())] {
        let row = row.as_array().expect("row");
        res.push_row(row.iter().map(|v| text(v).map(str::as_bytes)));
    }
    res
}

fn table(ds: &Value) -> TableContent {
    let rows = ds["rows"].as_array().expect("rows");
    let mut t = TableContent::new(ds["title"].as_str(), rows.len());
    let aligns = ds["aligns"].as_str().unwrap_or("");
    for (h, a) in ds["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .zip(aligns.chars())
    {
        t.add_header(h.as_str().unwrap_or(""), Align::from_char(a));
    }
    for row in rows {
        for v in row.as_array().expect("row") {
            t.add_cell(v.as_str().unwrap_or(""));
        }
    }
    for f in ds["footers"].as_array().into_iter().flatten() {
        t.add_footer(f.as_str().unwrap_or(""));
    }
    t
}

/// Print one case: (stdout, log).
fn print_case(case: &Value, all: &Value) -> (String, Option<String>) {
    let ds = &all[case["data"].as_str().expect("data")];
    let mut popt = PrintQueryOpt::default();
    for cmd in case["pset"].as_array().expect("pset") {
        let name = cmd[0].as_str().expect("pset name");
        do_pset(name, cmd[1].as_str(), &mut popt, true).expect("pset applies");
    }
    let mut out = Vec::new();
    let mut log = Vec::new();
    let want_log = case["log"].as_bool().unwrap_or(false);
    fn log_arg(log: &mut Vec<u8>, want: bool) -> Option<&mut dyn std::io::Write> {
        if want {
            Some(log)
        } else {
            None
        }
    }
    let nrows = ds["rows"].as_array().map_or(0, Vec::len);
    if ds["table"].as_bool().unwrap_or(false) {
        // \d: describeOneTableDetails prints with expanded off and no default footer.
        let mut topt = popt.topt.clone();
        topt.expanded = Expanded::Off;
        topt.default_footer = false;
        print_table(
            &table(ds),
            &topt,
            &mut out,
            &PrintTarget::default(),
            log_arg(&mut log, want_log),
        )
        .expect("print");
    } else if let Some(fc) = case["fetch_count"].as_u64() {
        // ExecQueryUsingCursor: parts of fetch_count rows; the first full part makes psql "open the
        // pager" on stdout (not a terminal here, so it stays stdout) and pass is_pager from then on.
        let fc = fc as usize;
        let mut opt = popt.clone();
        opt.topt.start_table = true;
        opt.topt.stop_table = false;
        opt.topt.prior_records = 0;
        let mut is_pager = false;
        let mut from = 0;
        loop {
            let part = result(ds, from, from + fc);
            let n = part.ntuples();
            if n < fc {
                opt.topt.stop_table = true;
            } else {
                is_pager = true;
            }
            let target = PrintTarget {
                is_pager,
                ..PrintTarget::default()
            };
            print_query(&part, &opt, &mut out, &target, None).expect("print");
            opt.topt.start_table = false;
            opt.topt.prior_records += n as u64;
            from += n;
            if n < fc {
                break;
            }
        }
    } else {
        let res = result(ds, 0, nrows);
        if let Some(title) = ds["title"].as_str() {
            // \d of a sequence: printQuery with its own title and footers, no default footer.
            popt.title = Some(title.to_string());
            popt.footers = Some(
                ds["footers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| f.as_str().unwrap_or("").to_string())
                    .collect(),
            );
            popt.topt.default_footer = ds["default_footer"].as_bool().unwrap_or(true);
        }
        print_query(
            &res,
            &popt,
            &mut out,
            &PrintTarget::default(),
            log_arg(&mut log, want_log),
        )
        .expect("print");
    }
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8 output");
    (text(out), want_log.then(|| text(log)))
}

/// Run every case of a testdata/*.jsonl file; panic listing the cases that differ from psql.
pub(crate) fn check(cases: &str) {
    let all = datasets();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in cases.lines().filter(|l| !l.is_empty()) {
        let case: Value = serde_json::from_str(line).expect("case");
        count += 1;
        let (out, log) = print_case(&case, &all);
        let want = case["out"].as_str().expect("out");
        if out != want {
            failures.push(format!(
                "{} {}\n--- psql ---\n{want}\n--- pgsh ---\n{out}",
                case["data"], case["pset"]
            ));
        }
        if let (Some(log), Some(want)) = (log, case["log_out"].as_str()) {
            if log != want {
                failures.push(format!(
                    "log of {} {}\n--- psql ---\n{want}\n--- pgsh ---\n{log}",
                    case["data"], case["pset"]
                ));
            }
        }
    }
    assert!(count > 0, "no cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ from psql; first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "1 of 2 cases differ from psql")]
    fn a_wrong_expectation_fails() {
        check(concat!(
            r#"{"data": "one", "pset": [], "out": "wrong"}"#,
            "\n",
            r#"{"data": "one", "pset": [["tuples_only", "on"]], "out": "        1\n\n"}"#,
        ));
    }
}
