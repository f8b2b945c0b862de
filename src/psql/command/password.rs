//! `\password` (`command.c`'s `exec_command_password`): the new password read without echo, hashed as the
//! server's `password_encryption` asks (libpq's `PQencryptPasswordConn`), sent as `ALTER USER … PASSWORD`.

use super::cmd::{BackslashResult, Cmd};
use crate::psql::engine::Engine;
use crate::psql::scan::SlashOptionType;

/// `simple_prompt_extended(prompt, false)`: read a line without echo from the terminal (the prompt goes
/// there too), or from stdin with the prompt on stderr when there is no terminal. `None`: cancelled.
fn prompt_hidden(prompt: &str) -> Option<String> {
    match rpassword::prompt_password(prompt) {
        Ok(p) => Some(p),
        Err(err) if err.kind() == std::io::ErrorKind::Interrupted => None,
        Err(_) => {
            use std::io::Write;
            let mut errout = std::io::stderr();
            let _ = errout.write_all(prompt.as_bytes());
            let _ = errout.flush();
            // Nothing read (end of input) is an empty answer, as in psql.
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
            while line.ends_with('\n') || line.ends_with('\r') {
                line.pop();
            }
            // The Enter that was not echoed.
            let _ = errout.write_all(b"\n");
            let _ = errout.flush();
            Some(line)
        }
    }
}

/// `PQencryptPasswordConn(conn, password, user, NULL)`: the password hashed as the server's
/// `password_encryption` asks (`on`/`off` mean md5). `Err` is libpq's message.
pub fn encrypt_password(algorithm: &str, password: &str, user: &str) -> Result<String, String> {
    let algorithm = match algorithm {
        "on" | "off" => "md5",
        a => a,
    };
    match algorithm {
        "scram-sha-256" => Ok(postgres_protocol::password::scram_sha_256(
            password.as_bytes(),
        )),
        "md5" => Ok(postgres_protocol::password::md5(password.as_bytes(), user)),
        other => Err(format!(
            "unrecognized password encryption algorithm \"{other}\""
        )),
    }
}

/// The server's `password_encryption`, asked as libpq asks it (not a psql query: never echoed).
fn password_encryption(e: &mut Engine) -> Result<String, String> {
    if e.db.is_none() {
        // libpq's PQerrorMessage(NULL).
        return Err("connection pointer is NULL".to_string());
    }
    match crate::psql::psqlexec::exec_raw(e, "show password_encryption") {
        Ok(Some(r)) if r.status == crate::db::pgresult::ExecStatus::TuplesOk => {
            if r.ntuples() != 1 || r.nfields() != 1 {
                return Err("unexpected shape of result set returned for SHOW".to_string());
            }
            Ok(r.get(0, 0).unwrap_or_default().to_string())
        }
        Ok(Some(r)) => Err(r
            .error
            .as_ref()
            .map(|d| {
                crate::psql::errors::build_error_message(
                    d,
                    None,
                    e.set.verbosity,
                    e.set.show_context,
                    true,
                )
            })
            .unwrap_or_default()),
        Ok(None) => Err(String::new()),
        Err(err) => Err(err.message().to_string()),
    }
}

/// `\password [user]`: set a role's password, hashed here so it never reaches the server (or any log) in
/// the clear.
pub fn exec_password(c: &mut Cmd<'_>) -> BackslashResult {
    if !c.active() {
        c.ignore_options();
        return BackslashResult::SkipLine;
    }
    let user = match c.opt(SlashOptionType::SqlId, true) {
        Some(u) => u,
        None => {
            let Some(r) = crate::psql::psqlexec::psql_exec(c.e, "SELECT CURRENT_USER") else {
                return BackslashResult::Error;
            };
            r.get(0, 0).unwrap_or_default().to_string()
        }
    };
    let _ = std::io::Write::flush(&mut c.e.out);
    let Some(pw1) = prompt_hidden(&format!("Enter new password for user \"{user}\": ")) else {
        return BackslashResult::Error;
    };
    let Some(pw2) = prompt_hidden("Enter it again: ") else {
        return BackslashResult::Error;
    };
    if pw1 != pw2 {
        c.e.log_error("Passwords didn't match.");
        return BackslashResult::Error;
    }
    let encrypted =
        password_encryption(c.e).and_then(|algorithm| encrypt_password(&algorithm, &pw1, &user));
    drop(pw1);
    drop(pw2);
    let encrypted = match encrypted {
        Ok(v) => v,
        Err(msg) => {
            c.e.log_info(&msg);
            return BackslashResult::Error;
        }
    };
    let sql = format!(
        "ALTER USER {} PASSWORD {}",
        crate::sql::quote::fmt_id(&user),
        crate::sql::quote::string_literal_conn(&encrypted, c.e.std_strings)
    );
    Cmd::status(crate::psql::psqlexec::psql_exec(c.e, &sql).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Verifiers are checked by shape (SCRAM salts are random) and against the md5 definition:
    // "md5" || md5(password || user).
    #[test]
    fn passwords_are_hashed_as_password_encryption_says() {
        let scram = encrypt_password("scram-sha-256", "secret", "bob").unwrap_or_default();
        assert!(scram.starts_with("SCRAM-SHA-256$4096:"), "{scram}");
        assert!(!scram.contains("secret"));
        let md5 = encrypt_password("md5", "secret", "bob").unwrap_or_default();
        assert_eq!(
            md5,
            encrypt_password("on", "secret", "bob").unwrap_or_default()
        );
        assert_eq!(md5.len(), 35);
        assert!(md5.starts_with("md5"));
        assert_eq!(
            encrypt_password("rot13", "secret", "bob"),
            Err("unrecognized password encryption algorithm \"rot13\"".into())
        );
    }
}
