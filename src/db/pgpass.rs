//! libpq's password file (PGPASSFILE or ~/.pgpass): finding a password with libpq's matching, escaping and permission rules.

use crate::db::target::Secret;
use std::io;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PgpassOutcome {
    Found(Secret),
    NotFound,
    /// The file was ignored; the text is a warning to show the user.
    Ignored(String),
}

/// Look up a password as libpq does. `path` is PGPASSFILE or ~/.pgpass, chosen by the caller.
///
/// Lines are `hostname:port:database:username:password`; a field that is exactly `*` matches
/// anything; `\:` and `\\` escape; lines starting with `#` are comments; the first matching line
/// wins, and an empty password on it counts as no password. A `host` that is empty or a
/// unix-socket directory matches `localhost` in the file (libpq does so for its compiled-in socket
/// directory, which pgsh cannot know, so any directory qualifies) as well as the directory itself.
/// An empty `dbname` or `user` finds nothing, as in libpq.
///
/// A missing file is `NotFound`. A file that is not a regular file, has group or other permission
/// bits, or cannot be opened is `Ignored` with a warning (libpq ignores it, silently in the last
/// case). `Err` is left for read errors after the file was opened.
pub fn lookup(
    path: &Path,
    host: &str,
    port: u16,
    dbname: &str,
    user: &str,
) -> io::Result<PgpassOutcome> {
    if dbname.is_empty() || user.is_empty() {
        return Ok(PgpassOutcome::NotFound);
    }
    let shown = path.display();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if is_missing(&e) => return Ok(PgpassOutcome::NotFound),
        Err(e) => {
            return Ok(PgpassOutcome::Ignored(format!(
                "could not read password file \"{shown}\": {e}"
            )))
        }
    };
    if !meta.is_file() {
        return Ok(PgpassOutcome::Ignored(format!(
            "password file \"{shown}\" is not a plain file"
        )));
    }
    if insecure(&meta) {
        return Ok(PgpassOutcome::Ignored(format!(
            "password file \"{shown}\" has group or world access; permissions should be u=rw (0600) or less"
        )));
    }
    let data = match std::fs::read(path) {
        Ok(data) => data,
        Err(e) if is_missing(&e) => return Ok(PgpassOutcome::NotFound),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return Ok(PgpassOutcome::Ignored(format!(
                "could not read password file \"{shown}\": {e}"
            )))
        }
        Err(e) => return Err(e),
    };

    let port = port.to_string();
    let socket_or_default = host.is_empty() || host.starts_with('/');
    let hosts: Vec<&[u8]> = if socket_or_default {
        ["localhost", host]
            .into_iter()
            .filter(|h| !h.is_empty())
            .map(str::as_bytes)
            .collect()
    } else {
        vec![host.as_bytes()]
    };

    for (number, line) in data.split(|&b| b == b'\n').enumerate() {
        let line = strip_crlf(line);
        if line.is_empty() || line.first() == Some(&b'#') {
            continue;
        }
        let Some(rest) = hosts.iter().find_map(|h| match_field(line, h)) else {
            continue;
        };
        let Some(rest) = match_field(rest, port.as_bytes())
            .and_then(|r| match_field(r, dbname.as_bytes()))
            .and_then(|r| match_field(r, user.as_bytes()))
        else {
            continue;
        };
        let password = unescape_password(rest);
        if password.is_empty() {
            return Ok(PgpassOutcome::NotFound);
        }
        return Ok(match String::from_utf8(password) {
            Ok(text) => PgpassOutcome::Found(Secret::new(text)),
            Err(_) => PgpassOutcome::Ignored(format!(
                "password file \"{shown}\" line {}: the password is not valid UTF-8",
                number + 1
            )),
        });
    }
    Ok(PgpassOutcome::NotFound)
}

fn is_missing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

#[cfg(unix)]
fn insecure(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o077 != 0
}

/// libpq does not check permissions on Windows either.
#[cfg(not(unix))]
fn insecure(_meta: &std::fs::Metadata) -> bool {
    false
}

/// libpq's pg_strip_crlf: files edited on Windows still match.
fn strip_crlf(mut line: &[u8]) -> &[u8] {
    while let Some((&last, rest)) = line.split_last() {
        if last == b'\r' || last == b'\n' {
            line = rest;
        } else {
            break;
        }
    }
    line
}

/// libpq's pwdfMatchesString: if the field at the start of `buf` matches `token` (or is exactly
/// `*`), return what follows its ':'. A backslash makes the next byte literal.
fn match_field<'a>(buf: &'a [u8], token: &[u8]) -> Option<&'a [u8]> {
    if let Some(rest) = buf.strip_prefix(b"*:") {
        return Some(rest);
    }
    let mut field = buf;
    let mut token = token;
    loop {
        let (&first, after) = field.split_first()?;
        let (byte, after, escaped) = if first == b'\\' {
            match after.split_first() {
                Some((&next, after_next)) => (next, after_next, true),
                None => return None,
            }
        } else {
            (first, after, false)
        };
        if byte == b':' && !escaped {
            return token.is_empty().then_some(after);
        }
        let (&want, token_rest) = token.split_first()?;
        if byte != want {
            return None;
        }
        field = after;
        token = token_rest;
    }
}

/// The password runs to the next unescaped ':' (later fields are ignored) or the end of line.
fn unescape_password(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut bytes = field.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b':' => break,
            b'\\' => match bytes.next() {
                Some(&next) => out.push(next),
                None => out.push(b'\\'),
            },
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;

    struct Pgpass {
        _dir: tempfile::TempDir,
        path: PathBuf,
    }

    fn pgpass(contents: &str, mode: u32) -> Pgpass {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, contents).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        Pgpass { _dir: dir, path }
    }

    fn found(file: &Pgpass, host: &str, port: u16, db: &str, user: &str) -> Option<String> {
        match lookup(&file.path, host, port, db, user).unwrap() {
            PgpassOutcome::Found(s) => Some(s.expose().to_string()),
            PgpassOutcome::NotFound => None,
            PgpassOutcome::Ignored(w) => panic!("ignored: {w}"),
        }
    }

    #[test]
    fn exact_match() {
        let f = pgpass("db.example.com:5432:app:alice:s3cret\n", 0o600);
        assert_eq!(
            found(&f, "db.example.com", 5432, "app", "alice").as_deref(),
            Some("s3cret")
        );
        assert_eq!(found(&f, "db.example.com", 5433, "app", "alice"), None);
        assert_eq!(found(&f, "db.example.com", 5432, "other", "alice"), None);
        assert_eq!(found(&f, "db.example.com", 5432, "app", "bob"), None);
        assert_eq!(found(&f, "db.example.co", 5432, "app", "alice"), None);
        assert_eq!(found(&f, "db.example.com.evil", 5432, "app", "alice"), None);
    }

    #[test]
    fn wildcards() {
        let f = pgpass("*:*:*:alice:any\n*:5433:*:*:port-only\n", 0o600);
        assert_eq!(found(&f, "h", 1, "d", "alice").as_deref(), Some("any"));
        assert_eq!(
            found(&f, "h", 5433, "d", "bob").as_deref(),
            Some("port-only")
        );
        assert_eq!(found(&f, "h", 5432, "d", "bob"), None);
    }

    #[test]
    fn star_is_only_a_wildcard_as_a_whole_field() {
        let f = pgpass("db*:*:*:*:pat\n\\*:*:*:*:literal\n", 0o600);
        assert_eq!(found(&f, "db1", 5432, "d", "u"), None);
        assert_eq!(found(&f, "db*", 5432, "d", "u").as_deref(), Some("pat"));
        assert_eq!(found(&f, "*", 5432, "d", "u").as_deref(), Some("literal"));
    }

    #[test]
    fn first_match_wins() {
        let f = pgpass(
            "h:5432:app:alice:first\n*:*:*:*:fallback\nh:5432:app:alice:second\n",
            0o600,
        );
        assert_eq!(
            found(&f, "h", 5432, "app", "alice").as_deref(),
            Some("first")
        );
        assert_eq!(
            found(&f, "x", 5432, "app", "alice").as_deref(),
            Some("fallback")
        );
    }

    #[test]
    fn escapes_in_fields_and_password() {
        let f = pgpass(
            "h:5432:my\\:db:us\\\\er:pa\\:ss\\\\word:extra:fields\n",
            0o600,
        );
        assert_eq!(
            found(&f, "h", 5432, "my:db", "us\\er").as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(found(&f, "h", 5432, "my", "us\\er"), None);
    }

    #[test]
    fn comments_blank_lines_and_crlf() {
        let f = pgpass(
            "# h:5432:app:alice:commented\n\n   \r\nh:5432:app:alice:pw\r\n",
            0o600,
        );
        assert_eq!(found(&f, "h", 5432, "app", "alice").as_deref(), Some("pw"));
        // A comment only counts at the very start of a line, as in libpq.
        let f = pgpass(" #:5432:app:alice:odd\n", 0o600);
        assert_eq!(
            found(&f, " #", 5432, "app", "alice").as_deref(),
            Some("odd")
        );
    }

    #[test]
    fn last_line_without_newline_and_utf8_password() {
        let f = pgpass("h:5432:app:alice:pässwörd", 0o600);
        assert_eq!(
            found(&f, "h", 5432, "app", "alice").as_deref(),
            Some("pässwörd")
        );
    }

    #[test]
    fn empty_password_on_first_match_is_none() {
        let f = pgpass("h:5432:app:alice:\n*:*:*:*:later\n", 0o600);
        assert_eq!(found(&f, "h", 5432, "app", "alice"), None);
    }

    #[test]
    fn short_lines_do_not_match() {
        let f = pgpass("h:5432:app\nh:5432:app:alice\n", 0o600);
        assert_eq!(found(&f, "h", 5432, "app", "alice"), None);
    }

    #[test]
    fn socket_and_empty_hosts_match_localhost() {
        let f = pgpass("localhost:5432:*:alice:local\n", 0o600);
        assert_eq!(
            found(&f, "", 5432, "app", "alice").as_deref(),
            Some("local")
        );
        assert_eq!(
            found(&f, "/var/run/postgresql", 5432, "app", "alice").as_deref(),
            Some("local")
        );
        assert_eq!(
            found(&f, "/tmp", 5432, "app", "alice").as_deref(),
            Some("local")
        );
        assert_eq!(
            found(&f, "localhost", 5432, "app", "alice").as_deref(),
            Some("local")
        );
        assert_eq!(found(&f, "127.0.0.1", 5432, "app", "alice"), None);
        let f = pgpass("/custom/dir:5432:*:alice:bydir\n", 0o600);
        assert_eq!(
            found(&f, "/custom/dir", 5432, "app", "alice").as_deref(),
            Some("bydir")
        );
        assert_eq!(found(&f, "", 5432, "app", "alice"), None);
    }

    #[test]
    fn group_or_world_access_is_ignored_with_warning() {
        for mode in [0o640, 0o604, 0o660, 0o644, 0o700 | 0o001] {
            let f = pgpass("*:*:*:*:pw\n", mode);
            match lookup(&f.path, "h", 5432, "d", "u").unwrap() {
                PgpassOutcome::Ignored(w) => {
                    assert!(w.contains(&f.path.display().to_string()), "{w}");
                    assert!(w.contains("0600"), "{w}");
                    assert!(w.contains("has group or world access"), "{w}");
                    assert!(!w.contains("pw\n"), "{w}");
                }
                other => panic!("mode {mode:o}: {other:?}"),
            }
        }
        let f = pgpass("*:*:*:*:pw\n", 0o400);
        assert_eq!(found(&f, "h", 5432, "d", "u").as_deref(), Some("pw"));
    }

    #[test]
    fn missing_file_is_not_found_without_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope");
        assert_eq!(
            lookup(&path, "h", 5432, "d", "u").unwrap(),
            PgpassOutcome::NotFound
        );
        let file = pgpass("", 0o600);
        let under_file = file.path.join("child");
        assert_eq!(
            lookup(&under_file, "h", 5432, "d", "u").unwrap(),
            PgpassOutcome::NotFound
        );
    }

    #[test]
    fn directory_is_not_a_plain_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        match lookup(dir.path(), "h", 5432, "d", "u").unwrap() {
            PgpassOutcome::Ignored(w) => assert!(w.contains("not a plain file"), "{w}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn symlink_to_private_file_is_followed() {
        let f = pgpass("*:*:*:*:viasymlink\n", 0o600);
        let link = f.path.with_file_name("link");
        std::os::unix::fs::symlink(&f.path, &link).unwrap();
        let outcome = lookup(&link, "h", 5432, "d", "u").unwrap();
        assert_eq!(outcome, PgpassOutcome::Found(Secret::new("viasymlink")));
    }

    #[test]
    fn empty_dbname_or_user_finds_nothing() {
        let f = pgpass("*:*:*:*:pw\n", 0o600);
        assert_eq!(found(&f, "h", 5432, "", "u"), None);
        assert_eq!(found(&f, "h", 5432, "d", ""), None);
    }

    #[test]
    fn invalid_utf8_password_is_reported_not_mangled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, b"*:*:*:*:\xff\xfe\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        match lookup(&path, "h", 5432, "d", "u").unwrap() {
            PgpassOutcome::Ignored(w) => assert!(w.contains("line 1"), "{w}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn debug_output_hides_the_password() {
        let f = pgpass("*:*:*:*:topsecret\n", 0o600);
        let outcome = lookup(&f.path, "h", 5432, "d", "u").unwrap();
        assert!(!format!("{outcome:?}").contains("topsecret"));
    }

    #[test]
    fn match_field_rules() {
        assert_eq!(match_field(b"abc:rest", b"abc"), Some(&b"rest"[..]));
        assert_eq!(match_field(b"abc:rest", b"ab"), None);
        assert_eq!(match_field(b"ab:rest", b"abc"), None);
        assert_eq!(match_field(b"abc", b"abc"), None);
        assert_eq!(match_field(b"*:rest", b"anything"), Some(&b"rest"[..]));
        assert_eq!(match_field(b"a\\:b:rest", b"a:b"), Some(&b"rest"[..]));
        assert_eq!(match_field(b":rest", b""), Some(&b"rest"[..]));
        assert_eq!(unescape_password(b"a\\:b:c"), b"a:b".to_vec());
        assert_eq!(unescape_password(b"trailing\\"), b"trailing\\".to_vec());
    }
}
