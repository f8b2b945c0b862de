//! Results → text in the user's chosen format (psql-style table, CSV, JSON, JSON lines, markdown).

pub mod aligned;
pub mod asciidoc;
pub mod cells;
pub mod content;
pub mod csv;
#[cfg(test)]
mod fixtures;
pub mod html;
pub mod json;
pub mod latex;
pub mod linestyle;
pub mod markdown;
pub mod numeric_locale;
pub mod opts;
pub mod pager;
pub mod print;
pub mod query;
pub mod result_table;
pub mod server_error;
pub mod table;
pub mod troff;
pub mod unaligned;
pub mod vertical;
pub mod width;
mod width_tables;

use crate::db::resultset::ResultSet;
use crate::value::format::{cell_text, is_numeric_type, json_string, write_json};
use table::{Align, ResultTable, TableOptions};

/// Output format for results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    Jsonl,
    Markdown,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s {
            "table" | "aligned" => Format::Table,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "markdown" | "md" => Format::Markdown,
            _ => {
                return Err(format!(
                    "unknown format \"{s}\": use table, csv, json, jsonl or markdown"
                ))
            }
        })
    }
}

/// Cell texts of a result, for the text formats.
pub fn cells(rs: &ResultSet) -> Vec<Vec<Option<String>>> {
    (0..rs.row_count())
        .map(|i| {
            rs.row(i)
                .unwrap_or_default()
                .iter()
                .zip(rs.columns.types.iter())
                .map(|(v, t)| cell_text(v, t.as_ref()))
                .collect()
        })
        .collect()
}

pub fn aligns(rs: &ResultSet) -> Vec<Align> {
    rs.columns
        .types
        .iter()
        .map(|t| match t {
            Some(t) if is_numeric_type(t) => Align::Right,
            _ => Align::Left,
        })
        .collect()
}

/// Render a result as `format` would show it. Table output ends with psql's blank line.
pub fn render(rs: &ResultSet, format: Format, opts: &TableOptions) -> String {
    match format {
        Format::Json => json_array(rs),
        Format::Jsonl => json_lines(rs),
        _ => {
            let names: Vec<String> = rs.columns.names.clone();
            let cells = cells(rs);
            let aligns = aligns(rs);
            let t = ResultTable {
                columns: &names,
                align: &aligns,
                rows: &cells,
            };
            match format {
                Format::Csv => table::render_csv(&t, opts),
                Format::Markdown => table::render_markdown(&t, opts),
                _ => table::render(&t, opts),
            }
        }
    }
}

fn json_object(rs: &ResultSet, i: usize, out: &mut String) {
    out.push('{');
    if let Some(row) = rs.row(i) {
        for (c, (k, v)) in rs.columns.keys.iter().zip(row).enumerate() {
            if c > 0 {
                out.push(',');
            }
            json_string(k, out);
            out.push(':');
            write_json(&v, out, ",", ":");
        }
    }
    out.push('}');
}

/// A JSON array of objects, keys in column order, values typed (numbers stay numbers, NULL is null).
pub fn json_array(rs: &ResultSet) -> String {
    let mut out = String::from("[");
    for i in 0..rs.row_count() {
        if i > 0 {
            out.push(',');
        }
        out.push('\n');
        json_object(rs, i, &mut out);
    }
    out.push_str(if rs.row_count() > 0 { "\n]\n" } else { "]\n" });
    out
}

/// One JSON object per line.
pub fn json_lines(rs: &ResultSet) -> String {
    let mut out = String::new();
    for i in 0..rs.row_count() {
        json_object(rs, i, &mut out);
        out.push('\n');
    }
    out
}
