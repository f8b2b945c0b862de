//! Rhai's `run_sql_file`: a psql-style SQL file (dumps, datasets: `COPY … FROM stdin`, `\c`, `\i`,
//! `\set`) run quietly by the psql engine on a session, its first error turned into the script's error.

use std::path::Path;
use std::rc::Rc;

use crate::error::Error;
use crate::psql::engine::{Engine, Level};
use crate::psql::settings::Settings;
use crate::shell::{Db, Shell};

/// Run the file at `path` on `db` (the current session when `None`) with ON_ERROR_STOP; the number of
/// statements sent, or the first error with the file and line it came from.
pub fn run(shell: &Rc<Shell>, db: Option<Db>, path: &Path) -> Result<i64, Error> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(Error::io(
            format!("run_sql_file: cannot read {}", path.display()),
            &e,
        ));
    }
    let db = match db {
        Some(db) => db,
        None => shell.current()?,
    };
    let set = Settings {
        progname: "pgsh".into(),
        notty: true,
        ..Settings::default()
    };
    let mut e = Engine::new(shell.clone(), set, crate::psql::mainloop::process_file);
    e.pgsh_mode = true;
    e.captured = Some(Vec::new());
    e.db = Some(db);
    crate::psql::connect::sync_variables(&mut e);
    e.set_var("ON_ERROR_STOP", Some("on"));
    e.set_var("QUIET", Some("on"));
    // Results go nowhere: the caller asked for the file to be run, not shown.
    e.out = crate::psql::output::Out::open(Some("/dev/null"))
        .map_err(|m| Error::api(format!("run_sql_file: {m}")))?;
    let code = crate::psql::mainloop::process_file(&mut e, &path.to_string_lossy(), false);
    if code == crate::psql::mainloop::EXIT_SUCCESS {
        return Ok(i64::try_from(e.statements_sent).unwrap_or(i64::MAX));
    }
    let first = e
        .captured
        .take()
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.level != Level::Warning);
    let place = first.as_ref().and_then(|c| c.place.clone());
    let err = match e.last_error.take().and_then(|(r, _)| r.error) {
        Some(details) => Error::server(details),
        None => Error::api(match &first {
            Some(c) => c.message.clone(),
            None => format!("run_sql_file: {} failed", path.display()),
        }),
    };
    Err(match place {
        Some(p) => err.with_place(p),
        None => err,
    })
}
