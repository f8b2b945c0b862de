//! A server error's details as psql shows them under the message: `LINE n:` with a caret under the
//! server's position, DETAIL, HINT, CONTEXT and the SQLSTATE.

use crate::error::DbDetails;
use crate::output::table::display_width;

/// psql's report of a server error's details: `LINE n:` with a caret, DETAIL, HINT, CONTEXT, SQLSTATE.
pub fn sql_details(db: &DbDetails) -> String {
    let mut out = String::new();
    if let (Some(sql), Some(pos)) = (&db.sql, db.position) {
        out.push_str(&caret_in_sql(sql, pos as usize));
    }
    if let Some(d) = &db.detail {
        out.push_str(&format!("DETAIL:  {d}\n"));
    }
    if let Some(h) = &db.hint {
        out.push_str(&format!("HINT:  {h}\n"));
    }
    if let Some(c) = &db.context {
        out.push_str(&format!("CONTEXT:  {c}\n"));
    }
    out.push_str(&format!("SQLSTATE: {}\n", db.code));
    out
}

/// `LINE 2: WHERE nme = 1` and a caret under the character at 1-based `pos` (as psql prints it).
pub fn caret_in_sql(sql: &str, pos: usize) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let idx = pos.saturating_sub(1).min(chars.len());
    let before: String = chars.iter().take(idx).collect();
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col_text = &before[line_start..];
    let line_text: String = sql[line_start..]
        .split('\n')
        .next()
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_string();
    let label = format!("LINE {line_no}: ");
    // The statement may set a password (ALTER ROLE … PASSWORD '…'): never show it.
    let redact = crate::redact::redact_secrets;
    format!(
        "{label}{}\n{}^\n",
        redact(&line_text).replace('\t', " "),
        " ".repeat(display_width(&label) + display_width(&redact(col_text).replace('\t', " ")))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_server_position() {
        let s = caret_in_sql("SELECT * FROM nope", 15);
        assert_eq!(s, "LINE 1: SELECT * FROM nope\n                      ^\n");
        let s = caret_in_sql("SELECT a,\n  nme\nFROM t", 13);
        assert_eq!(s, "LINE 2:   nme\n          ^\n");
    }
}
