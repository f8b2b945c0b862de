//! The informational variables psql sets itself: psql's version, the connection's facts (`SyncVariables`
//! and `UnsyncVariables` of `command.c`), and each query's outcome (`SetResultVariables`, `LASTOID` and
//! `ENCODING` tracking of `common.c`). The engine calls these at the points psql does.
//! psql 15 has no `SHELL_ERROR`/`SHELL_EXIT_CODE` (`SetShellResultVariables` came in 16), so there is no
//! such function here: setting them would add lines psql 15's `\set` does not print.

use crate::db::pgresult::PgResult;
use crate::psql::settings::Settings;
use crate::psql::vars::Variables;

// pgsh is psql 15 drop-in, so it reports the version of the psql it stands in for, byte for byte as the
// psql 15.18 of the reference machine (Debian 12's package) prints it: scripts branch on `VERSION_NUM`
// (`\if` on features), and PostgreSQL's regression suite and anyone diffing `\set` output compare against
// that psql. psql builds these from `PG_VERSION_STR`, `PG_VERSION` and `PG_VERSION_NUM`.

/// `VERSION` (`PG_VERSION_STR`), as `psql -X -c '\echo :VERSION'` prints it on the reference machine.
pub const PSQL_VERSION_STR: &str = "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit";
/// `VERSION_NAME` (`PG_VERSION`); also what `psql --version` prints after `psql (PostgreSQL) `.
pub const PSQL_VERSION_NAME: &str = "15.18 (Debian 15.18-0+deb12u1)";
/// `VERSION_NUM` (`PG_VERSION_NUM`).
pub const PSQL_VERSION_NUM: i32 = 150018;
/// `PG_MAJORVERSION`, used in the documentation URLs of `\h`.
pub const PSQL_MAJOR_VERSION: &str = "15";
/// `PG_VERSION`: psql's version without the packager's suffix (`~/.psqlrc-15.18`).
pub const PSQL_VERSION_NAME_SHORT: &str = "15.18";

/// What `SyncVariables` reads from the new connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnFacts<'a> {
    /// `PQdb`.
    pub dbname: &'a str,
    /// `PQuser`.
    pub user: &'a str,
    /// `PQhost`: the host name, address or socket directory connected to.
    pub host: &'a str,
    /// `PQport`.
    pub port: &'a str,
    /// The client encoding's name as PostgreSQL spells it (`UTF8`, `LATIN1`).
    pub encoding: &'a str,
    /// The server's `server_version` parameter (`15.18 (Debian 15.18-0+deb12u1)`), if it sent one.
    pub server_version: Option<&'a str>,
    /// `PQserverVersion` (`150018`).
    pub server_version_num: i32,
}

/// Set a variable psql sets for information. None of them is hooked, so the assignment cannot be refused
/// (psql ignores the result too).
fn set_info(vars: &mut Variables, settings: &mut Settings, name: &str, value: Option<&str>) {
    let _ = vars.assign(settings, name, value);
}

/// `SyncVariables`: after connecting, set `DBNAME`, `USER`, `HOST`, `PORT`, `ENCODING`,
/// `SERVER_VERSION_NAME` and `SERVER_VERSION_NUM`, and `settings.sversion`. (psql also hands `VERBOSITY`
/// and `SHOW_CONTEXT` to libpq here; pgsh's engine reads them from `settings` when it formats an error.)
pub fn sync_variables(vars: &mut Variables, settings: &mut Settings, conn: &ConnFacts) {
    settings.sversion = conn.server_version_num;
    set_info(vars, settings, "DBNAME", Some(conn.dbname));
    set_info(vars, settings, "USER", Some(conn.user));
    set_info(vars, settings, "HOST", Some(conn.host));
    set_info(vars, settings, "PORT", Some(conn.port));
    set_info(vars, settings, "ENCODING", Some(conn.encoding));
    let version = match conn.server_version {
        Some(v) => v.to_owned(),
        None => format_pg_version_number(conn.server_version_num, true),
    };
    set_info(vars, settings, "SERVER_VERSION_NAME", Some(&version));
    let num = conn.server_version_num.to_string();
    set_info(vars, settings, "SERVER_VERSION_NUM", Some(&num));
}

/// `UnsyncVariables`: without a connection, the connection's variables are unset.
pub fn unsync_variables(vars: &mut Variables, settings: &mut Settings) {
    for name in [
        "DBNAME",
        "USER",
        "HOST",
        "PORT",
        "ENCODING",
        "SERVER_VERSION_NAME",
        "SERVER_VERSION_NUM",
    ] {
        set_info(vars, settings, name, None);
    }
}

/// `SetResultVariables`, after a query the user sent (not one of a backslash command): `ERROR`,
/// `SQLSTATE`, `ROW_COUNT`, and on failure `LAST_ERROR_SQLSTATE` and `LAST_ERROR_MESSAGE`. The SQLSTATE is
/// empty for an error that did not come from the server (a lost connection).
pub fn set_result_variables(
    vars: &mut Variables,
    settings: &mut Settings,
    result: &PgResult,
    success: bool,
) {
    if success {
        let ntuples = result.cmd_tuples();
        set_info(vars, settings, "ERROR", Some("false"));
        set_info(vars, settings, "SQLSTATE", Some("00000"));
        let count = if ntuples.is_empty() { "0" } else { ntuples };
        set_info(vars, settings, "ROW_COUNT", Some(count));
    } else {
        let code = result.error.as_ref().map_or("", |e| e.code.as_str());
        let message = result.error.as_ref().map_or("", |e| e.message.as_str());
        set_info(vars, settings, "ERROR", Some("true"));
        set_info(vars, settings, "SQLSTATE", Some(code));
        set_info(vars, settings, "ROW_COUNT", Some("0"));
        set_info(vars, settings, "LAST_ERROR_SQLSTATE", Some(code));
        set_info(vars, settings, "LAST_ERROR_MESSAGE", Some(message));
    }
}

/// After a successful `FETCH_COUNT` query (fetched through a cursor, so no single result holds the row
/// count): psql sets `ERROR`, `SQLSTATE` and `ROW_COUNT` from the rows it printed in all.
pub fn set_fetch_result_variables(
    vars: &mut Variables,
    settings: &mut Settings,
    total_tuples: u64,
) {
    set_info(vars, settings, "ERROR", Some("false"));
    set_info(vars, settings, "SQLSTATE", Some("00000"));
    let count = total_tuples.to_string();
    set_info(vars, settings, "ROW_COUNT", Some(&count));
}

/// `LASTOID`, after each command status psql prints (`PQoidValue`: the OID of a one-row INSERT into a
/// table with OIDs, else 0) and after `\lo_import`.
pub fn set_last_oid(vars: &mut Variables, settings: &mut Settings, oid: u32) {
    let oid = oid.to_string();
    set_info(vars, settings, "LASTOID", Some(&oid));
}

/// `ENCODING`, when the client encoding changed (`SET client_encoding`, `\encoding`).
pub fn set_encoding(vars: &mut Variables, settings: &mut Settings, encoding: &str) {
    set_info(vars, settings, "ENCODING", Some(encoding));
}

/// `formatPGVersionNumber`: `150018` → `15.18` (`15` without the minor), `90605` → `9.6.5` (`9.6`).
pub fn format_pg_version_number(version_number: i32, include_minor: bool) -> String {
    let major = version_number / 10000;
    if version_number >= 100000 {
        if include_minor {
            format!("{major}.{}", version_number % 10000)
        } else {
            major.to_string()
        }
    } else {
        let minor = (version_number / 100) % 100;
        if include_minor {
            format!("{major}.{minor}.{}", version_number % 100)
        } else {
            format!("{major}.{minor}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::pgresult::ExecStatus;
    use crate::error::DbDetails;
    use crate::psql::hooks::startup_variables;

    fn dev_server() -> ConnFacts<'static> {
        ConnFacts {
            dbname: "postgres",
            user: "postgres",
            host: "/tmp/devpg",
            port: "5499",
            encoding: "UTF8",
            server_version: Some("15.18 (Debian 15.18-0+deb12u1)"),
            server_version_num: 150018,
        }
    }

    #[test]
    fn set_lists_exactly_what_psql_lists() {
        let mut s = Settings::default();
        let mut v = startup_variables(&mut s);
        sync_variables(&mut v, &mut s, &dev_server());
        assert_eq!(s.sversion, 150018);
        // psql 15: `psql -X -h /tmp/devpg -p 5499 -U postgres -c '\set'`, captured verbatim.
        let expected = "AUTOCOMMIT = 'on'
COMP_KEYWORD_CASE = 'preserve-upper'
DBNAME = 'postgres'
ECHO = 'none'
ECHO_HIDDEN = 'off'
ENCODING = 'UTF8'
FETCH_COUNT = '0'
HIDE_TABLEAM = 'off'
HIDE_TOAST_COMPRESSION = 'off'
HISTCONTROL = 'none'
HISTSIZE = '500'
HOST = '/tmp/devpg'
IGNOREEOF = '0'
LAST_ERROR_MESSAGE = ''
LAST_ERROR_SQLSTATE = '00000'
ON_ERROR_ROLLBACK = 'off'
ON_ERROR_STOP = 'off'
PORT = '5499'
PROMPT1 = '%/%R%x%# '
PROMPT2 = '%/%R%x%# '
PROMPT3 = '>> '
QUIET = 'off'
SERVER_VERSION_NAME = '15.18 (Debian 15.18-0+deb12u1)'
SERVER_VERSION_NUM = '150018'
SHOW_ALL_RESULTS = 'on'
SHOW_CONTEXT = 'errors'
SINGLELINE = 'off'
SINGLESTEP = 'off'
USER = 'postgres'
VERBOSITY = 'default'
VERSION = 'PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit'
VERSION_NAME = '15.18 (Debian 15.18-0+deb12u1)'
VERSION_NUM = '150018'
";
        assert_eq!(v.print_variables(), expected);
        unsync_variables(&mut v, &mut s);
        for name in [
            "DBNAME",
            "USER",
            "HOST",
            "PORT",
            "ENCODING",
            "SERVER_VERSION_NAME",
            "SERVER_VERSION_NUM",
        ] {
            assert_eq!(v.get(name), None, "{name}");
        }
        let old = ConnFacts {
            server_version: None,
            server_version_num: 90605,
            ..dev_server()
        };
        sync_variables(&mut v, &mut s, &old);
        assert_eq!(v.get("SERVER_VERSION_NAME"), Some("9.6.5"));
    }

    #[test]
    fn result_variables() {
        let mut s = Settings::default();
        let mut v = startup_variables(&mut s);
        // psql 15 (`\echo :ERROR :SQLSTATE :ROW_COUNT` after each): `select 1 union select 2` → false
        // 00000 2; `create temp table t()` → false 00000 0; `select x` → true 42703 0, with
        // LAST_ERROR_MESSAGE `column "x" does not exist`.
        let mut ok = PgResult::new(ExecStatus::TuplesOk, Vec::new());
        ok.command_tag = "SELECT 2".into();
        set_result_variables(&mut v, &mut s, &ok, true);
        assert_eq!(
            [v.get("ERROR"), v.get("SQLSTATE"), v.get("ROW_COUNT")],
            [Some("false"), Some("00000"), Some("2")]
        );
        ok.command_tag = "CREATE TABLE".into();
        set_result_variables(&mut v, &mut s, &ok, true);
        assert_eq!(v.get("ROW_COUNT"), Some("0"));
        let err = PgResult::error(DbDetails {
            code: "42703".into(),
            message: "column \"x\" does not exist".into(),
            ..DbDetails::default()
        });
        set_result_variables(&mut v, &mut s, &err, false);
        assert_eq!(
            [
                v.get("ERROR"),
                v.get("SQLSTATE"),
                v.get("ROW_COUNT"),
                v.get("LAST_ERROR_SQLSTATE")
            ],
            [Some("true"), Some("42703"), Some("0"), Some("42703")]
        );
        assert_eq!(
            v.get("LAST_ERROR_MESSAGE"),
            Some("column \"x\" does not exist")
        );
        // A later success resets ERROR and SQLSTATE but keeps the last error.
        set_fetch_result_variables(&mut v, &mut s, 12345);
        assert_eq!(
            [v.get("ERROR"), v.get("SQLSTATE"), v.get("ROW_COUNT")],
            [Some("false"), Some("00000"), Some("12345")]
        );
        assert_eq!(v.get("LAST_ERROR_SQLSTATE"), Some("42703"));
        set_result_variables(
            &mut v,
            &mut s,
            &PgResult::new(ExecStatus::FatalError, Vec::new()),
            false,
        );
        assert_eq!(
            [v.get("SQLSTATE"), v.get("LAST_ERROR_MESSAGE")],
            [Some(""), Some("")]
        );
        set_last_oid(&mut v, &mut s, 0);
        assert_eq!(v.get("LASTOID"), Some("0"));
        set_encoding(&mut v, &mut s, "LATIN1");
        assert_eq!(v.get("ENCODING"), Some("LATIN1"));
    }

    #[test]
    fn version_numbers() {
        assert_eq!(format_pg_version_number(150018, true), "15.18");
        assert_eq!(format_pg_version_number(150018, false), "15");
        assert_eq!(format_pg_version_number(90605, true), "9.6.5");
        assert_eq!(format_pg_version_number(90605, false), "9.6");
        assert_eq!(PSQL_VERSION_NUM.to_string(), "150018");
    }
}
