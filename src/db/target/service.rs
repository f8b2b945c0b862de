//! libpq's connection service file: `service=NAME` (or `PGSERVICE`) names a `[NAME]` section of
//! `pg_service.conf` whose `key=value` lines fill the connection parameters nothing else set. libpq looks in
//! the user's file first (`PGSERVICEFILE`, else `~/.pg_service.conf`), then in the system one
//! (`PGSYSCONFDIR/pg_service.conf`); a name found in neither is an error, never a silent default.

use std::path::{Path, PathBuf};

use super::ConnParams;

/// Where the service files are.
#[derive(Clone, Debug, Default)]
pub struct ServiceFiles {
    /// `PGSERVICEFILE`, else `~/.pg_service.conf`.
    pub user: Option<PathBuf>,
    /// `PGSYSCONFDIR/pg_service.conf` (Debian's libpq: `/etc/postgresql-common/pg_service.conf`).
    pub system: Option<PathBuf>,
}

impl ServiceFiles {
    /// libpq's places, from its environment variables and the home directory.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>, home: Option<&Path>) -> ServiceFiles {
        let set = |k: &str| env(k).filter(|v| !v.is_empty());
        ServiceFiles {
            user: set("PGSERVICEFILE")
                .map(PathBuf::from)
                .or_else(|| home.map(|h| h.join(".pg_service.conf"))),
            system: Some(
                PathBuf::from(
                    set("PGSYSCONFDIR").unwrap_or_else(|| "/etc/postgresql-common".into()),
                )
                .join("pg_service.conf"),
            ),
        }
    }

    /// The parameters of service `name`, with libpq's messages for what goes wrong.
    pub fn lookup(&self, name: &str) -> Result<ConnParams, String> {
        for file in [&self.user, &self.system].into_iter().flatten() {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                // A file that is not there is skipped, as libpq does.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(format!(
                        "service file \"{}\" could not be read: {e}",
                        file.display()
                    ))
                }
            };
            if let Some(params) = parse_section(&text, name, file)? {
                return Ok(params);
            }
        }
        Err(format!("definition of service \"{name}\" not found"))
    }
}

/// Whether `message` is one of [`ServiceFiles::lookup`]'s: found before any server is tried, so a caller
/// wording connection failures as libpq does shows it alone.
pub fn is_lookup_error(message: &str) -> bool {
    message.starts_with("definition of service \"")
        || message.starts_with("service file \"")
        || message.starts_with("syntax error in service file \"")
        || message.starts_with("nested service specifications not supported in service file \"")
}

/// The section `name` of a service file's `text`, `None` when it has none.
fn parse_section(text: &str, name: &str, file: &Path) -> Result<Option<ConnParams>, String> {
    let mut found: Option<ConnParams> = None;
    let mut inside = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let syntax = || {
            format!(
                "syntax error in service file \"{}\", line {}",
                file.display(),
                i + 1
            )
        };
        if let Some(section) = line.strip_prefix('[') {
            let section = section.strip_suffix(']').ok_or_else(syntax)?;
            if inside {
                // The section ended: libpq stops at the first section of that name.
                break;
            }
            inside = section == name;
            if inside {
                found = Some(ConnParams::default());
            }
            continue;
        }
        if !inside {
            continue;
        }
        // As libpq: no spaces around `=` (`port = 5` names a key "port " and is a syntax error).
        let (key, value) = line.split_once('=').ok_or_else(syntax)?;
        if key == "service" {
            return Err(format!(
                "nested service specifications not supported in service file \"{}\", line {}",
                file.display(),
                i + 1
            ));
        }
        let params = found.get_or_insert_with(ConnParams::default);
        params.set(key, value, false).map_err(|_| {
            format!(
                "syntax error in service file \"{}\", line {}",
                file.display(),
                i + 1
            )
        })?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_fills_its_parameters() {
        let text = "# comment\n[other]\nhost=nowhere\n\n[shop]\nhost=/tmp/sock\nport=5499\ndbname=shop\n[later]\nuser=x\n";
        let p = parse_section(text, "shop", Path::new("s.conf"))
            .unwrap()
            .unwrap();
        assert_eq!(p.hosts, vec!["/tmp/sock".to_string()]);
        assert_eq!(p.ports, vec![5499]);
        assert_eq!(p.dbname.as_deref(), Some("shop"));
        assert_eq!(p.user, None);
        assert!(parse_section(text, "none", Path::new("s.conf"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn errors_as_libpq_words_them() {
        let err = parse_section("[a]\nservice=b\n", "a", Path::new("s.conf")).unwrap_err();
        assert_eq!(
            err,
            "nested service specifications not supported in service file \"s.conf\", line 2"
        );
        let err = parse_section("[a]\nno equals sign\n", "a", Path::new("s.conf")).unwrap_err();
        assert_eq!(err, "syntax error in service file \"s.conf\", line 2");
        let err = parse_section("[a]\nport = 5\n", "a", Path::new("s.conf")).unwrap_err();
        assert_eq!(err, "syntax error in service file \"s.conf\", line 2");
        let files = ServiceFiles {
            user: Some(PathBuf::from("/nonexistent/pg_service.conf")),
            system: None,
        };
        let err = files.lookup("shop").unwrap_err();
        assert_eq!(err, "definition of service \"shop\" not found");
        assert!(is_lookup_error(&err));
        assert!(!is_lookup_error("connection refused"));
    }
}
