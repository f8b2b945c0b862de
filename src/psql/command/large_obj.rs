//! The large-object commands' work (`large_obj.c`): `\lo_import`, `\lo_export` and `\lo_unlink` inside a
//! transaction psql starts itself when none is open (`start_lo_xact`/`finish_lo_xact`/`fail_lo_xact`,
//! honouring AUTOCOMMIT). libpq's client-side `lo_import`/`lo_export` are done here with the server's
//! large-object functions through SQL (`lo_creat`, `lo_open`, `lowrite`, `loread`, `lo_close`), reading and
//! writing the local file, in the same order of steps so failures leave the same state.

use std::io::{Read, Write};

use crate::db::pgresult::{ExecStatus, PgResult};
use crate::db::simple_query::ReadyStatus;
use crate::psql::engine::Engine;
use crate::psql::output::os_error;
use crate::psql::psqlexec as exec;

/// libpq's `INV_WRITE` and `INV_READ` (`libpq/libpq-fs.h`).
const INV_WRITE: u32 = 0x0002_0000;
const INV_READ: u32 = 0x0004_0000;

/// How much one `lowrite`/`loread` moves (libpq uses 8 kB fast-path calls; a query costs more, so larger
/// pieces keep the round trips few).
const CHUNK: usize = 256 * 1024;

/// `atooid`: `strtoul(s, NULL, 10)` cast to an OID — leading blanks skipped, digits read, anything else
/// ends it (`abc` is 0, as in psql).
pub fn atooid(s: &str) -> u32 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut v: u64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    let v = if neg { v.wrapping_neg() } else { v };
    // The unsigned long is narrowed to a 32-bit Oid.
    v as u32
}

/// `print_lo_result`: the command's outcome on the query output (unless quiet; in `<p>` for HTML), and in
/// the log file.
fn print_lo_result(e: &mut Engine, text: &str) {
    if !e.set.quiet {
        let line = if e.set.popt.topt.format == crate::output::opts::PrintFormat::Html {
            format!("<p>{text}</p>\n")
        } else {
            format!("{text}\n")
        };
        e.query_out(&line);
    }
    e.write_log(&format!("{text}\n"));
}

/// `start_lo_xact`: make sure a transaction is open, starting one if none is. `Some(own)` when the
/// operation can go ahead (`own`: psql started it).
fn start_lo_xact(e: &mut Engine, operation: &str) -> Option<bool> {
    if e.db.is_none() {
        e.log_error(&format!("{operation}: not connected to a database"));
        return None;
    }
    match exec::tx_status(e) {
        Some(ReadyStatus::Idle) => {
            exec::psql_exec(e, "BEGIN")?;
            Some(true)
        }
        Some(ReadyStatus::InTransaction) => Some(false),
        Some(ReadyStatus::Failed) => {
            e.log_error(&format!("{operation}: current transaction is aborted"));
            None
        }
        None => {
            e.log_error(&format!("{operation}: unknown transaction status"));
            None
        }
    }
}

/// `finish_lo_xact`: commit the transaction psql started, in autocommit mode.
fn finish_lo_xact(e: &mut Engine, own: bool) -> bool {
    if own && e.set.autocommit && exec::psql_exec(e, "COMMIT").is_none() {
        let _ = exec::psql_exec(e, "ROLLBACK");
        return false;
    }
    true
}

/// `fail_lo_xact`: roll back the transaction psql started, in autocommit mode. Always false.
fn fail_lo_xact(e: &mut Engine, own: bool) -> bool {
    if own && e.set.autocommit {
        let _ = exec::psql_exec(e, "ROLLBACK");
    }
    false
}

/// Why a large-object step failed: libpq's `PQerrorMessage` text, which psql prints with `pg_log_info`.
struct LoError(String);

/// One of libpq's large-object calls, as a query run without echo (libpq's fast-path calls are not
/// `PSQLexec` queries): its single value, or the error as libpq would word it.
fn lo_call(e: &mut Engine, sql: &str) -> Result<Option<String>, LoError> {
    match exec::exec_raw(e, sql) {
        Ok(Some(r)) if r.status == ExecStatus::TuplesOk => Ok(r.get(0, 0).map(str::to_string)),
        Ok(Some(r)) => Err(result_error(e, &r)),
        Ok(None) => Err(LoError(String::new())),
        Err(err) => {
            // A broken connection: report it as psql's query layer does, then fail quietly.
            exec::report_connection_error(e, &err);
            Err(LoError(String::new()))
        }
    }
}

/// An error result as libpq's fast-path error message shows it (no statement, so no LINE part).
fn result_error(e: &Engine, r: &PgResult) -> LoError {
    let text = match &r.error {
        Some(d) => crate::psql::errors::build_error_message(
            d,
            None,
            e.set.verbosity,
            e.set.show_context,
            true,
        ),
        None => String::new(),
    };
    LoError(text)
}

fn lo_int(e: &mut Engine, sql: &str) -> Result<i64, LoError> {
    let v = lo_call(e, sql)?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(-1))
}

/// libpq's `lo_import`: the new large object's OID.
fn lo_import(e: &mut Engine, filename: &str) -> Result<u32, LoError> {
    let mut file = std::fs::File::open(filename).map_err(|err| {
        LoError(format!(
            "could not open file \"{filename}\": {}",
            os_error(&err)
        ))
    })?;
    let oid = lo_int(e, &format!("SELECT pg_catalog.lo_creat({})", -1))?;
    let oid = u32::try_from(oid).unwrap_or(0);
    let fd = lo_int(e, &format!("SELECT pg_catalog.lo_open({oid}, {INV_WRITE})"))?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => {
                let _ = lo_call(e, &format!("SELECT pg_catalog.lo_close({fd})"));
                return Err(LoError(format!(
                    "could not read from file \"{filename}\": {}",
                    os_error(&err)
                )));
            }
        };
        let sql = format!(
            "SELECT pg_catalog.lowrite({fd}, '\\x{}'::pg_catalog.bytea)",
            hex(&buf[..n])
        );
        // With standard_conforming_strings off the backslash must be doubled, as an E'' literal.
        let sql = if e.std_strings {
            sql
        } else {
            sql.replacen("'\\x", "E'\\\\x", 1)
        };
        lo_call(e, &sql)?;
    }
    lo_call(e, &format!("SELECT pg_catalog.lo_close({fd})"))?;
    Ok(oid)
}

/// libpq's `lo_export`.
fn lo_export(e: &mut Engine, oid: u32, filename: &str) -> Result<(), LoError> {
    let fd = lo_int(e, &format!("SELECT pg_catalog.lo_open({oid}, {INV_READ})"))?;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(filename);
    let mut file = match file {
        Ok(f) => f,
        Err(err) => {
            let _ = lo_call(e, &format!("SELECT pg_catalog.lo_close({fd})"));
            return Err(LoError(format!(
                "could not open file \"{filename}\": {}",
                os_error(&err)
            )));
        }
    };
    loop {
        // Hex text whatever bytea_output says.
        let sql = format!("SELECT pg_catalog.encode(pg_catalog.loread({fd}, {CHUNK}), 'hex')");
        let chunk = lo_call(e, &sql)?.unwrap_or_default();
        if chunk.is_empty() {
            break;
        }
        let bytes = unhex(&chunk);
        if let Err(err) = file.write_all(&bytes) {
            let _ = lo_call(e, &format!("SELECT pg_catalog.lo_close({fd})"));
            return Err(LoError(format!(
                "could not write to file \"{filename}\": {}",
                os_error(&err)
            )));
        }
    }
    lo_call(e, &format!("SELECT pg_catalog.lo_close({fd})"))?;
    // The file is unbuffered: every byte has been handed to the system by now.
    drop(file);
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn unhex(text: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    };
    text.as_bytes()
        .chunks_exact(2)
        .map(|p| (val(p[0]) << 4) | val(p[1]))
        .collect()
}

/// Report a failed step (`pg_log_info("%s", PQerrorMessage(pset.db))`) and roll back what psql started.
fn fail(e: &mut Engine, err: LoError, own: bool) -> bool {
    if !err.0.is_empty() {
        e.log_info(&err.0);
    }
    fail_lo_xact(e, own)
}

/// `do_lo_export`: `\lo_export loid file`.
pub fn do_lo_export(e: &mut Engine, loid: &str, filename: &str) -> bool {
    let Some(own) = start_lo_xact(e, "\\lo_export") else {
        return false;
    };
    if let Err(err) = lo_export(e, atooid(loid), filename) {
        return fail(e, err, own);
    }
    if !finish_lo_xact(e, own) {
        return false;
    }
    print_lo_result(e, "lo_export");
    true
}

/// `do_lo_import`: `\lo_import file [comment]`; sets LASTOID.
pub fn do_lo_import(e: &mut Engine, filename: &str, comment: Option<&str>) -> bool {
    let Some(own) = start_lo_xact(e, "\\lo_import") else {
        return false;
    };
    let oid = match lo_import(e, filename) {
        Ok(oid) => oid,
        Err(err) => return fail(e, err, own),
    };
    if let Some(comment) = comment {
        // PQescapeStringConn: quotes doubled, and backslashes too when standard_conforming_strings is off.
        let mut escaped = comment.replace('\'', "''");
        if !e.std_strings {
            escaped = escaped.replace('\\', "\\\\");
        }
        let sql = format!("COMMENT ON LARGE OBJECT {oid} IS '{escaped}'");
        if exec::psql_exec(e, &sql).is_none() {
            return fail_lo_xact(e, own);
        }
    }
    if !finish_lo_xact(e, own) {
        return false;
    }
    print_lo_result(e, &format!("lo_import {oid}"));
    crate::psql::varsync::set_last_oid(&mut e.vars, &mut e.set, oid);
    true
}

/// `do_lo_unlink`: `\lo_unlink loid`.
pub fn do_lo_unlink(e: &mut Engine, loid: &str) -> bool {
    let oid = atooid(loid);
    let Some(own) = start_lo_xact(e, "\\lo_unlink") else {
        return false;
    };
    if let Err(err) = lo_call(e, &format!("SELECT pg_catalog.lo_unlink({oid})")) {
        return fail(e, err, own);
    }
    if !finish_lo_xact(e, own) {
        return false;
    }
    print_lo_result(e, &format!("lo_unlink {oid}"));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values are what glibc's strtoul gives for these strings, narrowed to 32 bits as psql's
    // atooid macro does (`(Oid) strtoul(x, NULL, 10)`).
    #[test]
    fn oids_read_as_atooid_does() {
        assert_eq!(atooid("17683"), 17683);
        assert_eq!(atooid("  42abc"), 42);
        assert_eq!(atooid("abc"), 0);
        assert_eq!(atooid(""), 0);
        assert_eq!(atooid("+7"), 7);
        assert_eq!(atooid("-1"), u32::MAX);
        assert_eq!(atooid("4294967296"), 0);
    }

    #[test]
    fn hex_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        let h = hex(&bytes);
        assert_eq!(&h[..8], "00010203");
        assert_eq!(&h[h.len() - 4..], "feff");
        assert_eq!(unhex(&h), bytes);
        assert_eq!(unhex("DEADbeef"), vec![0xde, 0xad, 0xbe, 0xef]);
    }
}
