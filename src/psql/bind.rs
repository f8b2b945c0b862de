//! psql 16's `\\bind [PARAM]...`: the next query is sent with these parameters, as `PQsendQueryParams`
//! sends it — the unnamed statement parsed, bound with text parameters, described and executed, with text
//! results — so `$1`, `$2` in it take the values (which are never quoted into the SQL).

use bytes::{Bytes, BytesMut};
use postgres_protocol::message::frontend;
use postgres_protocol::IsNull;

/// The extended-protocol messages for `sql` with `params` (all text, types left to the server), ending
/// with Sync; psql's wording when a message cannot be built (a NUL byte in the text).
pub fn messages(sql: &str, params: &[String]) -> Result<Bytes, String> {
    let mut buf = BytesMut::new();
    let fail = |_| {
        "could not send the query with its \\bind parameters: a NUL byte in the text".to_string()
    };
    frontend::parse("", sql, std::iter::empty(), &mut buf).map_err(fail)?;
    frontend::bind(
        "",
        "",
        std::iter::empty(),
        params.iter(),
        |p, buf| {
            buf.extend_from_slice(p.as_bytes());
            Ok(IsNull::No)
        },
        std::iter::empty(),
        &mut buf,
    )
    .map_err(|_| "could not send the query with its \\bind parameters".to_string())?;
    frontend::describe(b'P', "", &mut buf).map_err(fail)?;
    frontend::execute("", 0, &mut buf).map_err(fail)?;
    frontend::sync(&mut buf);
    Ok(buf.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_parse_bind_describe_execute_sync() {
        let m = messages("SELECT $1", &["a".to_string()]).unwrap();
        let kinds: Vec<u8> = {
            let mut out = Vec::new();
            let mut rest = &m[..];
            while !rest.is_empty() {
                out.push(rest[0]);
                let len = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
                rest = &rest[1 + len..];
            }
            out
        };
        assert_eq!(kinds, b"PBDES".to_vec());
        assert!(messages("SELECT 1\0", &[]).is_err());
    }
}
