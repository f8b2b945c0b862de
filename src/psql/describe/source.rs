//! The source of a function or view as psql shows it for `\sf[+]` and `\sv[+]` and edits it for `\ef` and
//! `\ev` (command.c's `lookup_object_oid`, `get_create_object_cmd`, `exec_command_sf_sv`,
//! `print_with_linenumbers`, `count_lines_in_buf`, `strip_lineno_from_objdesc`). The text is returned
//! for the engine to print (through the pager when it says so) or to edit.

use crate::psql::ctx::Ctx;
use crate::psql::settings::EchoHidden;
use crate::sql::quote::{fmt_id, string_literal};

/// What kind of object (command.c's `EditableObjectType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditableObject {
    Function,
    View,
}

/// Why there is no source to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceError {
    /// psql's error message, for the engine to report as `pg_log_error` does (no trailing newline).
    Message(String),
    /// `ECHO_HIDDEN noexec`: the query was shown and not run; psql says nothing more.
    NotRun,
}

/// `appendStringLiteralConn`: a literal the server reads the same whatever `standard_conforming_strings`
/// says (with a backslash, an `E''` literal, so no escape-string warning either).
fn string_literal_conn(text: &str, std_strings: bool) -> String {
    if text.contains('\\') {
        format!("E{}", string_literal(text, false))
    } else {
        string_literal(text, std_strings)
    }
}

/// `minimal_error_message`: just the severity and primary message of a failed lookup (no query, no
/// position), as `SEVERITY:  message`.
fn minimal_error_message(res: Option<&crate::db::pgresult::PgResult>) -> SourceError {
    let err = res.and_then(|r| r.error.as_ref());
    let severity = err
        .map(|e| e.severity.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("ERROR");
    let message = err.map(|e| e.message.as_str()).unwrap_or("(not available)");
    SourceError::Message(format!("{severity}:  {message}"))
}

/// Run one of command.c's own queries (`echo_hidden_command` + `PQexec`) and insist on exactly one row.
fn exec_one_row(
    ctx: &mut dyn Ctx,
    sql: &str,
) -> Result<crate::db::pgresult::PgResult, SourceError> {
    let res = ctx.exec_unchecked(sql);
    if res.is_none() && ctx.settings().echo_hidden == EchoHidden::NoExec {
        return Err(SourceError::NotRun);
    }
    match res {
        Some(r) if r.status == crate::db::pgresult::ExecStatus::TuplesOk && r.ntuples() == 1 => {
            Ok(r)
        }
        other => Err(minimal_error_message(other.as_ref())),
    }
}

/// `lookup_object_oid`: the OID of the function (`x` or `x(int)`, through `regproc` or `regprocedure`)
/// or relation named by `desc`. Fails when it does not exist, is ambiguous or is not well-formed — the
/// server's message does not always say which.
pub fn lookup_object_oid(
    ctx: &mut dyn Ctx,
    obj_type: EditableObject,
    desc: &str,
) -> Result<u32, SourceError> {
    let literal = string_literal_conn(desc, ctx.std_strings());
    let sql = match obj_type {
        EditableObject::Function => format!(
            "SELECT {literal}::pg_catalog.{}::pg_catalog.oid",
            if desc.contains('(') {
                "regprocedure"
            } else {
                "regproc"
            }
        ),
        // Whether the relation is a view is checked by get_create_object_cmd.
        EditableObject::View => format!("SELECT {literal}::pg_catalog.regclass::pg_catalog.oid"),
    };
    let res = exec_one_row(ctx, &sql)?;
    Ok(res.get_value(0, 0).parse().unwrap_or(0))
}

/// `get_create_object_cmd`: the `CREATE OR REPLACE …` command that recreates function or view `oid`,
/// ending with a newline.
pub fn get_create_object_cmd(
    ctx: &mut dyn Ctx,
    obj_type: EditableObject,
    oid: u32,
) -> Result<String, SourceError> {
    let sql = match obj_type {
        EditableObject::Function => format!("SELECT pg_catalog.pg_get_functiondef({oid})"),
        // pg_get_viewdef gives only the query: the CREATE, the qualified name, the options and (from
        // 9.4, kept in reloptions) the check option are added here.
        EditableObject::View if ctx.settings().sversion >= 90400 => format!(
            concat!(
                "SELECT nspname, relname, relkind, ",
                "pg_catalog.pg_get_viewdef(c.oid, true), ",
                "pg_catalog.array_remove(pg_catalog.array_remove(c.reloptions,'check_option=local'),'check_option=cascaded') AS reloptions, ",
                "CASE WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'::text ",
                "WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'::text ELSE NULL END AS checkoption ",
                "FROM pg_catalog.pg_class c ",
                "LEFT JOIN pg_catalog.pg_namespace n ",
                "ON c.relnamespace = n.oid WHERE c.oid = {}"
            ),
            oid
        ),
        EditableObject::View => format!(
            concat!(
                "SELECT nspname, relname, relkind, ",
                "pg_catalog.pg_get_viewdef(c.oid, true), ",
                "c.reloptions AS reloptions, ",
                "NULL AS checkoption ",
                "FROM pg_catalog.pg_class c ",
                "LEFT JOIN pg_catalog.pg_namespace n ",
                "ON c.relnamespace = n.oid WHERE c.oid = {}"
            ),
            oid
        ),
    };
    let res = exec_one_row(ctx, &sql)?;
    let mut buf = match obj_type {
        EditableObject::Function => res.get_value(0, 0).to_string(),
        EditableObject::View => {
            let nspname = res.get_value(0, 0);
            let relname = res.get_value(0, 1);
            let reloptions = res.get_value(0, 4);
            let checkoption = res.get_value(0, 5);
            // There is no CREATE OR REPLACE MATERIALIZED VIEW, so a materialized view cannot be
            // recreated this way.
            if res.get_value(0, 2) != "v" {
                return Err(SourceError::Message(format!(
                    "\"{nspname}.{relname}\" is not a view"
                )));
            }
            let mut buf = format!(
                "CREATE OR REPLACE VIEW {}.{}",
                fmt_id(nspname),
                fmt_id(relname)
            );
            // Options, unless the array is empty ("{}").
            if reloptions.len() > 2 {
                buf.push_str("\n WITH (");
                let Some(options) = reloptions_text(reloptions, "", ctx.std_strings()) else {
                    return Err(SourceError::Message(
                        "could not parse reloptions array".into(),
                    ));
                };
                buf.push_str(&options);
                buf.push(')');
            }
            buf.push_str(&format!(" AS\n{}", res.get_value(0, 3)));
            // pg_get_viewdef ends the query with a semicolon, which the check option must follow.
            if buf.ends_with(';') {
                buf.pop();
            }
            if !checkoption.is_empty() {
                buf.push_str(&format!("\n WITH {checkoption} CHECK OPTION"));
            }
            buf
        }
    };
    if !buf.is_empty() && !buf.ends_with('\n') {
        buf.push('\n');
    }
    Ok(buf)
}

/// `parsePGArray`: the items of a one-dimensional array's text (`{a,"b c"}`); `None` when malformed.
fn parse_pg_array(text: &str) -> Option<Vec<String>> {
    let inner = text.strip_prefix('{')?.strip_suffix('}')?;
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    if inner.is_empty() {
        return Some(items);
    }
    loop {
        let mut item = String::new();
        while let Some(&c) = chars.peek() {
            if c == ',' {
                break;
            }
            chars.next();
            if c == '"' {
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => item.push(chars.next()?),
                        other => item.push(other),
                    }
                }
            } else if c == '}' {
                // An embedded '}' is bogus syntax.
                return None;
            } else {
                item.push(c);
            }
        }
        items.push(item);
        match chars.next() {
            Some(',') => {
                // A trailing comma ends the list, as in psql ("{a,}" has one item).
                if chars.peek().is_none() {
                    return Some(items);
                }
            }
            None => return Some(items),
            Some(_) => return None,
        }
    }
}

/// `appendReloptionsArray`: `name=value, …` from a reloptions array, each name prefixed and quoted as an
/// identifier, each value bare when it would not need quoting as an identifier, else a string literal.
fn reloptions_text(reloptions: &str, prefix: &str, std_strings: bool) -> Option<String> {
    let options = parse_pg_array(reloptions)?;
    let mut out = String::new();
    for (i, option) in options.iter().enumerate() {
        // An element without "=" is taken as an empty value.
        let (name, value) = option.split_once('=').unwrap_or((option, ""));
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("{prefix}{}=", fmt_id(name)));
        if fmt_id(value) == value {
            out.push_str(value);
        } else {
            out.push_str(&string_literal(value, std_strings));
        }
    }
    Some(out)
}

/// `count_lines_in_buf`: the lines of `text` (a last line without newline counts), for the pager.
pub fn count_lines_in_buf(text: &str) -> usize {
    let mut count = 0;
    let mut rest = text;
    while !rest.is_empty() {
        count += 1;
        match rest.find('\n') {
            Some(p) => rest = &rest[p + 1..],
            None => break,
        }
    }
    count
}

/// `print_with_linenumbers`: `text` with line numbers. For a function, line 1 is the first line of the
/// body — the line `pg_get_functiondef` starts with `AS `, `BEGIN ` or `RETURN ` — and the header lines
/// before it are indented without a number.
pub fn print_with_linenumbers(text: &str, is_func: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut in_header = is_func;
    let mut lineno = 0;
    let mut rest = text;
    while !rest.is_empty() {
        if in_header
            && (rest.starts_with("AS ")
                || rest.starts_with("BEGIN ")
                || rest.starts_with("RETURN "))
        {
            in_header = false;
        }
        if !in_header {
            lineno += 1;
        }
        let (line, next) = match rest.find('\n') {
            Some(p) => (&rest[..p], Some(&rest[p + 1..])),
            None => (rest, None),
        };
        if in_header {
            out.push_str(&format!("        {line}\n"));
        } else {
            out.push_str(&format!("{lineno:<7} {line}\n"));
        }
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    out
}

/// `exec_command_sf_sv` without the output stream: the text `\sf[+]` (`is_func`) or `\sv[+]` prints for
/// `obj_desc` (the rest of the command line), numbered with `+` (`show_linenumbers`).
#[cfg(test)]
pub fn show_source(
    ctx: &mut dyn Ctx,
    obj_desc: Option<&str>,
    is_func: bool,
    show_linenumbers: bool,
) -> Result<String, SourceError> {
    let Some(desc) = obj_desc else {
        return Err(SourceError::Message(
            if is_func {
                "function name is required"
            } else {
                "view name is required"
            }
            .into(),
        ));
    };
    let kind = if is_func {
        EditableObject::Function
    } else {
        EditableObject::View
    };
    let oid = lookup_object_oid(ctx, kind, desc)?;
    let text = get_create_object_cmd(ctx, kind, oid)?;
    Ok(if show_linenumbers {
        print_with_linenumbers(&text, is_func)
    } else {
        text
    })
}

/// C's `isspace` in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `strip_lineno_from_objdesc` (for `\ef` and `\ev`): a line number ending `obj` (after a space or a
/// closing parenthesis) is cut off it and returned. `Ok(None)` when there is none; an error for a
/// number below 1.
pub fn strip_lineno_from_objdesc(obj: &mut String) -> Result<Option<u32>, SourceError> {
    let bytes = obj.as_bytes();
    if bytes.is_empty() {
        return Ok(None);
    }
    let mut c = bytes.len() - 1;
    while c > 0 && is_c_space(bytes[c]) {
        c -= 1;
    }
    // The last non-space character must be a digit.
    if c == 0 || !bytes[c].is_ascii_digit() {
        return Ok(None);
    }
    while c > 0 && bytes[c].is_ascii_digit() {
        c -= 1;
    }
    // Digits must follow a space or a closing parenthesis, and an object name.
    if c == 0 || !(is_c_space(bytes[c]) || bytes[c] == b')') {
        return Ok(None);
    }
    let start = c + 1;
    let digits = &obj[start..];
    let lineno = crate::psql::describe::table_info::atoi(digits);
    if lineno < 1 {
        return Err(SourceError::Message(format!(
            "invalid line number: {digits}"
        )));
    }
    obj.truncate(start);
    Ok(Some(u32::try_from(lineno).unwrap_or(u32::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values follow string_utils.c's parsePGArray and appendReloptionsArray, read case by case.
    #[test]
    fn arrays_parse_as_parse_pg_array_does() {
        assert_eq!(parse_pg_array("{}"), Some(vec![]));
        assert_eq!(
            parse_pg_array("{a=1,\"b c=x\\\"y\"}"),
            Some(vec!["a=1".to_string(), "b c=x\"y".to_string()])
        );
        assert_eq!(parse_pg_array("{a,}"), Some(vec!["a".to_string()]));
        assert_eq!(
            parse_pg_array("{,b}"),
            Some(vec![String::new(), "b".to_string()])
        );
        assert_eq!(parse_pg_array("{\"}\"}"), Some(vec!["}".to_string()]));
        assert_eq!(parse_pg_array("{a}b}"), None);
        assert_eq!(parse_pg_array("{\"a}"), None);
        assert_eq!(parse_pg_array("a"), None);
        assert_eq!(parse_pg_array("{"), None);
    }

    #[test]
    fn reloptions_quote_values_that_are_not_plain_identifiers() {
        // "true" is a reserved keyword, so fmtId would quote it: psql 15 prints security_barrier='true'.
        assert_eq!(
            reloptions_text("{security_barrier=true,fillfactor=70}", "", true).as_deref(),
            Some("security_barrier='true', fillfactor='70'")
        );
        assert_eq!(
            reloptions_text("{\"Odd=it's\",flag}", "toast.", true).as_deref(),
            Some("toast.\"Odd\"='it''s', toast.flag=''")
        );
        assert_eq!(reloptions_text("{x", "", true), None);
    }

    #[test]
    fn line_numbers_start_at_the_function_body() {
        let def = "CREATE FUNCTION f()\n RETURNS int\nAS $$\nSELECT 1\n$$\n";
        assert_eq!(
            print_with_linenumbers(def, true),
            "        CREATE FUNCTION f()\n         RETURNS int\n1       AS $$\n2       SELECT 1\n3       $$\n"
        );
        // A view is numbered from its first line; a last line without newline still counts.
        assert_eq!(
            print_with_linenumbers("a\nb", false),
            "1       a\n2       b\n"
        );
        assert_eq!(count_lines_in_buf("a\nb"), 2);
        assert_eq!(count_lines_in_buf("a\nb\n"), 2);
        assert_eq!(count_lines_in_buf(""), 0);
    }

    #[test]
    fn line_numbers_are_stripped_from_object_descriptions() {
        let mut obj = "f(int) 12  ".to_string();
        assert_eq!(strip_lineno_from_objdesc(&mut obj), Ok(Some(12)));
        assert_eq!(obj, "f(int) ");
        let mut obj = "f(int)3".to_string();
        assert_eq!(strip_lineno_from_objdesc(&mut obj), Ok(Some(3)));
        assert_eq!(obj, "f(int)");
        for plain in ["f", "f2", "12", "", "f x3"] {
            let mut obj = plain.to_string();
            assert_eq!(strip_lineno_from_objdesc(&mut obj), Ok(None), "{plain}");
            assert_eq!(obj, plain);
        }
        let mut obj = "v 0".to_string();
        assert_eq!(
            strip_lineno_from_objdesc(&mut obj),
            Err(SourceError::Message("invalid line number: 0".into()))
        );
    }

    #[test]
    fn backslashes_make_an_escape_string_literal() {
        assert_eq!(string_literal_conn("a'b", true), "'a''b'");
        assert_eq!(string_literal_conn("a\\b", true), "E'a\\\\b'");
    }
}
