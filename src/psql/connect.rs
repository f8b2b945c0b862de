//! The connection as psql's variables and prompt see it (`SyncVariables`, `UnsyncVariables`, the facts
//! behind `%/`, `%n`, `%m`, …), read from pgsh's session.

use crate::psql::engine::Engine;
use crate::psql::varsync::{self, ConnFacts};

/// `PQserverVersion`: `15.18 (Debian …)` → 150018, `9.6.3` → 90603, `17devel` → 170000.
pub fn server_version_num(version: &str) -> i32 {
    let nums: Vec<i32> = version
        .split(|c: char| !c.is_ascii_digit())
        .take_while(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let leading: String = version.chars().take_while(|c| c.is_ascii_digit()).collect();
    let major: i32 = leading.parse().unwrap_or(0);
    if major >= 10 {
        // Two parts: major.minor (a "devel"/"beta" suffix counts as minor 0).
        major * 10000 + nums.get(1).copied().unwrap_or(0)
    } else {
        major * 10000 + nums.get(1).copied().unwrap_or(0) * 100 + nums.get(2).copied().unwrap_or(0)
    }
}

/// `SyncVariables`: after connecting, the connection's variables and `pset.sversion`.
pub fn sync_variables(e: &mut Engine) {
    let Some(db) = e.db.clone() else {
        return;
    };
    let Ok(s) = db.try_session() else {
        return;
    };
    let Some(info) = s.server_info().cloned() else {
        return;
    };
    let version = s.parameter_status("server_version");
    let encoding = s
        .parameter_status("client_encoding")
        .unwrap_or_else(|| "UTF8".to_string());
    e.std_strings = s.parameter_status("standard_conforming_strings").as_deref() != Some("off");
    drop(s);
    let num = server_version_num(version.as_deref().unwrap_or(&info.version));
    let port = info.port.to_string();
    let facts = ConnFacts {
        dbname: &info.database,
        user: &info.user,
        host: &info.host,
        port: &port,
        encoding: &encoding,
        server_version: version.as_deref(),
        server_version_num: num,
    };
    varsync::sync_variables(&mut e.vars, &mut e.set, &facts);
    e.encoding = encoding;
}

/// `UnsyncVariables`.
pub fn unsync_variables(e: &mut Engine) {
    varsync::unsync_variables(&mut e.vars, &mut e.set);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers_as_libpq_reads_them() {
        assert_eq!(server_version_num("15.18 (Debian 15.18-0+deb12u1)"), 150018);
        assert_eq!(server_version_num("17.2"), 170002);
        assert_eq!(server_version_num("17devel"), 170000);
        assert_eq!(server_version_num("9.6.3"), 90603);
    }
}
