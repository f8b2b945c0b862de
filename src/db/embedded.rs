//! The embedded PostgreSQL (pglite-oxide): started on demand, served on a unix socket in a private directory.
//!
//! The embedded server trusts every client, so it never listens on TCP: its socket lives in a 0700 directory
//! that only this user can enter. It serves one connection at a time, so its pool has exactly one connection.

use std::path::{Path, PathBuf};

use pglite_oxide::PgliteServer;

use super::target::ConnParams;
use crate::error::{Error, ErrorKind, Result};

/// The user and database pgsh uses on the embedded server.
pub const USER: &str = "postgres";
pub const DATABASE: &str = "postgres";

/// A running embedded server. Dropping it stops the server and removes the socket directory.
pub struct Embedded {
    server: Option<PgliteServer>,
    socket_dir: tempfile::TempDir,
    data: Option<PathBuf>,
}

impl Embedded {
    /// Start the embedded server: on a temporary database, or on `data` (created if missing, reopened if not).
    pub fn start(data: Option<&Path>) -> Result<Embedded> {
        let socket_dir = private_dir()?;
        let socket = socket_dir.path().join(".s.PGSQL.5432");
        let mut builder = PgliteServer::builder()
            .unix(&socket)
            .username(USER)
            .database(DATABASE);
        builder = match data {
            Some(dir) => {
                // The server cannot start on it: that is "cannot connect" (exit 2), not a script error.
                if dir.exists() && !dir.is_dir() {
                    return Err(Error::new(
                        ErrorKind::Connect,
                        format!(
                            "cannot start the embedded PostgreSQL: --data {} is a file, not a directory",
                            dir.display()
                        ),
                    ));
                }
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::new(
                        ErrorKind::Connect,
                        format!(
                            "cannot start the embedded PostgreSQL: cannot create data directory {}: {e}",
                            dir.display()
                        ),
                    )
                })?;
                builder.path(dir)
            }
            None => builder.temporary(),
        };
        let server = builder.start().map_err(|e| {
            Error::new(
                ErrorKind::Connect,
                format!("cannot start the embedded PostgreSQL: {e:#}"),
            )
        })?;
        Ok(Embedded {
            server: Some(server),
            socket_dir,
            data: data.map(Path::to_path_buf),
        })
    }

    /// Connection parameters for the embedded server.
    pub fn params(&self) -> ConnParams {
        ConnParams {
            hosts: vec![self.socket_dir.path().display().to_string()],
            ports: vec![5432],
            user: Some(USER.into()),
            dbname: Some(DATABASE.into()),
            sslmode: Some(super::target::SslMode::Disable),
            ..ConnParams::default()
        }
    }

    /// A description for the banner: where the data lives.
    pub fn describe(&self) -> String {
        match &self.data {
            Some(d) => format!("embedded PostgreSQL, data in {}", d.display()),
            None => "embedded PostgreSQL, temporary database (use --data DIR to keep it)".into(),
        }
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            // The shutdown waits for the server's client to hang up; if one never does (a handle leaked by
            // a failing script), give up after a while instead of hanging the exit: the process ends anyway.
            let (tx, rx) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("pgsh-embedded-stop".into())
                .spawn(move || {
                    let _ = server.shutdown();
                    let _ = tx.send(());
                });
            if spawned.is_ok() {
                let _ = rx.recv_timeout(std::time::Duration::from_secs(5));
            }
        }
    }
}

/// A fresh directory only this user can enter, for the socket. Prefer XDG_RUNTIME_DIR (per-user, tmpfs).
fn private_dir() -> Result<tempfile::TempDir> {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new()
        .prefix("pgsh-")
        .tempdir_in(&base)
        .map_err(|e| {
            Error::io(
                format!("cannot create a socket directory in {}", base.display()),
                &e,
            )
        })?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).map_err(|e| {
        Error::io(
            format!(
                "cannot make the socket directory {} private",
                dir.path().display()
            ),
            &e,
        )
    })?;
    Ok(dir)
}
