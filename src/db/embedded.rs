//! The embedded PostgreSQL (pglite-oxide): started on demand, served on a unix socket in a private directory.
//!
//! The embedded server trusts every client, so it never listens on TCP: its socket lives in a 0700 directory
//! that only this user can enter. It serves one connection at a time, so its pool has exactly one connection.
//! A data directory in use by another process is reported with that process's pid (the kernel's lock table).

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
            let text = format!("{e:#}");
            let why = match data {
                Some(dir) if text.contains("already in use") => in_use_message(dir),
                _ => text,
            };
            Error::new(
                ErrorKind::Connect,
                format!("cannot start the embedded PostgreSQL: {why}"),
            )
        })?;
        crate::interrupt::remove_on_signal_exit(socket_dir.path());
        if data.is_none() {
            crate::interrupt::remove_on_signal_exit(server.root());
        }
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

    /// A description for the banner and errors: the database (when not the default one), where the data
    /// lives.
    pub fn describe(&self, dbname: Option<&str>) -> String {
        match (&self.data, dbname) {
            (Some(d), None) => format!("embedded PostgreSQL, data in {}", d.display()),
            (Some(d), Some(db)) => {
                format!(
                    "embedded PostgreSQL, database {db}, data in {}",
                    d.display()
                )
            }
            (None, None) => {
                "embedded PostgreSQL, temporary database (use --data DIR to keep it)".into()
            }
            (None, Some(db)) => format!("embedded PostgreSQL, database {db} (temporary)"),
        }
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        crate::interrupt::forget_on_signal_exit(self.socket_dir.path());
        if let Some(server) = self.server.take() {
            if self.data.is_none() {
                crate::interrupt::forget_on_signal_exit(server.root());
            }
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

/// The lock file pglite-oxide holds (flock, exclusive) in a data directory while a server runs on it.
const LOCK_FILE: &str = ".pglite-oxide.lock";

/// What to say when another process holds `dir`: which process, when the kernel's lock table says.
fn in_use_message(dir: &Path) -> String {
    let holder = std::fs::read_to_string("/proc/locks")
        .ok()
        .zip(std::fs::metadata(dir.join(LOCK_FILE)).ok())
        .and_then(|(table, meta)| {
            use std::os::unix::fs::MetadataExt;
            lock_holder(&table, meta.dev(), meta.ino())
        });
    let who = match holder {
        Some(pid) => {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            match name.trim() {
                "pgsh" => format!("another pgsh (pid {pid})"),
                "" => format!("another process (pid {pid})"),
                other => format!("another process (pid {pid}, {other})"),
            }
        }
        None => "another process".to_string(),
    };
    format!(
        "the data directory {} is in use by {who}; the embedded database serves one pgsh at a time \
         (end that one, or use another --data directory)",
        dir.display()
    )
}

/// The pid holding a lock on the file with device `dev` and inode `ino`, from the kernel's lock table
/// (`/proc/locks`: `1: FLOCK  ADVISORY  WRITE 30880 fe:00:10035203 0 EOF`, the device as hexadecimal
/// major:minor). The kernel's table is read rather than a pid file the holder writes: it cannot go stale
/// when a pgsh is killed, and it names whoever holds the lock, pgsh or not.
fn lock_holder(table: &str, dev: u64, ino: u64) -> Option<u32> {
    // glibc's gnu_dev_major/gnu_dev_minor.
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    table.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // `1: FLOCK ADVISORY WRITE pid dev:ino start end`; a blocked waiter's line has `->` after `1:`.
        if fields.len() < 8 || fields[1] != "FLOCK" {
            return None;
        }
        let pid: u32 = fields[4].parse().ok().filter(|p| *p > 0)?;
        let mut id = fields[5].split(':');
        let (ma, mi, i) = (id.next()?, id.next()?, id.next()?);
        let same = u64::from_str_radix(ma, 16).ok()? == major
            && u64::from_str_radix(mi, 16).ok()? == minor
            && i.parse::<u64>().ok()? == ino;
        same.then_some(pid)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_holder_is_found_by_device_and_inode() {
        // Lines as /proc/locks shows them (Linux 6.x), the lock file's device being 0xfe00.
        let table = "1: FLOCK  ADVISORY  WRITE 30145 fe:00:5308598 0 EOF\n\
                     2: FLOCK  ADVISORY  WRITE 30880 fe:00:10035203 0 EOF\n\
                     2: -> FLOCK  ADVISORY  WRITE 30990 fe:00:10035203 0 EOF\n\
                     3: POSIX  ADVISORY  WRITE 412 08:01:10035203 0 EOF\n";
        assert_eq!(lock_holder(table, 0xfe00, 10035203), Some(30880));
        assert_eq!(lock_holder(table, 0xfe00, 5308598), Some(30145));
        // Same inode number on another device: not ours.
        assert_eq!(lock_holder(table, 0x0801, 10035203), None);
        assert_eq!(lock_holder(table, 0xfe00, 1), None);
        assert_eq!(lock_holder("", 0xfe00, 1), None);
    }

    #[test]
    fn an_unlocked_directory_names_no_pid() {
        let dir = tempfile::tempdir().unwrap();
        let m = in_use_message(dir.path());
        assert!(m.contains("in use by another process;"), "{m}");
        assert!(m.contains(&dir.path().display().to_string()), "{m}");
    }
}
