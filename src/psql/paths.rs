//! File names as psql reads them: `~` expanded (`expand_tilde`) and `.`/`..` resolved (`canonicalize_path`).

/// psql's `expand_tilde`: `~/x` and `~user/x`.
pub fn expand_tilde(path: &str) -> String {
    if !path.starts_with('~') {
        return path.to_string();
    }
    let rest_at = path.find('/').unwrap_or(path.len());
    let user = &path[1..rest_at];
    let home = if user.is_empty() {
        std::env::var("HOME").ok()
    } else {
        home_of(user)
    };
    match home {
        Some(h) => format!("{h}{}", &path[rest_at..]),
        None => path.to_string(),
    }
}

/// A user's home directory from the password database.
fn home_of(user: &str) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.first() == Some(&user)).then(|| f.get(5).map(|h| h.to_string()))?
    })
}

/// psql's `canonicalize_path`: `.` parts dropped, `..` resolved against the parts before it, `//` and a
/// trailing `/` removed.
pub fn canonicalize_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expansion() {
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(expand_tilde("~/x.sql"), format!("{home}/x.sql"));
        assert_eq!(expand_tilde("x~"), "x~");
        assert!(expand_tilde("~root/a").starts_with('/'));
        assert_eq!(expand_tilde("~nosuchuser_xyz/a"), "~nosuchuser_xyz/a");
    }

    #[test]
    fn paths_as_psql_canonicalizes_them() {
        assert_eq!(canonicalize_path("./a//b/./c/"), "a/b/c");
        assert_eq!(canonicalize_path("/x/../y"), "/y");
        assert_eq!(canonicalize_path("a/../../b"), "../b");
        assert_eq!(canonicalize_path("."), ".");
    }
}
