//! LISTEN/NOTIFY for scripts: `listen`, `unlisten`, `notify`, `wait_notification`, `notifications`, on
//! the current session or on a `Db`.

use std::time::Duration;

use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult, Map, Position, FLOAT, INT};

use super::handle::shell;
use super::script_error::{throw, RhaiResult};
use crate::db::session::notify::Notification;
use crate::error::{Error, ErrorKind};
use crate::shell::Db;

/// The plugin module: the notification functions.
pub fn module() -> Module {
    exported_module!(notifications)
}

fn current(ctx: &NativeCallContext) -> RhaiResult<Db> {
    shell(ctx)?.current().map_err(throw)
}

fn as_map(n: Notification) -> Dynamic {
    let mut m = Map::new();
    m.insert("channel".into(), n.channel.into());
    m.insert("payload".into(), n.payload.into());
    m.insert("pid".into(), (n.pid as INT).into());
    m.into()
}

/// Ctrl-C during a wait ends the script, as it ends `sleep` (a worker's `try` must not swallow it).
fn failed(e: Error) -> Box<EvalAltResult> {
    if e.kind() == ErrorKind::Interrupted {
        EvalAltResult::ErrorTerminated("interrupted".into(), Position::NONE).into()
    } else {
        throw(e)
    }
}

fn wait_on(db: &Db, seconds: FLOAT) -> RhaiResult<Dynamic> {
    if seconds.is_nan() || seconds < 0.0 {
        return Err(throw(Error::usage(format!(
            "wait_notification: {seconds} is not a number of seconds (0 or more)"
        ))));
    }
    // Longer than Duration holds (or infinity): until a notification comes or Ctrl-C.
    let timeout = Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX);
    let got = db
        .try_session()
        .map_err(throw)?
        .wait_notification(timeout)
        .map_err(failed)?;
    Ok(got.map(as_map).unwrap_or(Dynamic::UNIT))
}

fn taken(db: &Db) -> RhaiResult<Array> {
    let list = db
        .try_session()
        .map_err(throw)?
        .notifications()
        .map_err(throw)?;
    Ok(list.into_iter().map(as_map).collect())
}

#[export_module]
mod notifications {
    use super::*;

    /// Receive the notifications of a channel on the current session (`LISTEN`). They are queued as they
    /// arrive, even while other statements run, and taken with `wait_notification` or `notifications`. The
    /// server delivers them between transactions only: a session waiting inside its own transaction gets
    /// them after it ends.
    ///
    /// ```rhai
    /// listen("jobs");
    /// notify("jobs", "42");
    /// wait_notification(5).payload  // "42"
    /// ```
    #[rhai_fn(name = "listen", return_raw)]
    pub fn listen(ctx: NativeCallContext, channel: &str) -> RhaiResult<()> {
        let db = current(&ctx)?;
        let result = db.try_session().map_err(throw)?.listen(channel);
        result.map_err(throw)
    }

    /// Receive a channel's notifications on this session (`LISTEN`).
    ///
    /// ```rhai
    /// let db = connect();
    /// db.listen("jobs");
    /// db.notify("jobs", "7");
    /// db.wait_notification(5).channel  // "jobs"
    /// ```
    #[rhai_fn(name = "listen", return_raw, pure)]
    pub fn listen_on(db: &mut Db, channel: &str) -> RhaiResult<()> {
        let result = db.try_session().map_err(throw)?.listen(channel);
        result.map_err(throw)
    }

    /// Stop receiving a channel's notifications (`UNLISTEN`); `"*"` stops them all. Those already
    /// received stay queued.
    ///
    /// ```rhai
    /// listen("jobs");
    /// unlisten("*");
    /// notify("jobs", "lost");
    /// wait_notification(0.2)  // ()
    /// ```
    #[rhai_fn(name = "unlisten", return_raw)]
    pub fn unlisten(ctx: NativeCallContext, channel: &str) -> RhaiResult<()> {
        let db = current(&ctx)?;
        let result = db.try_session().map_err(throw)?.unlisten(channel);
        result.map_err(throw)
    }

    /// Stop receiving a channel's notifications on this session; `"*"` stops them all.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.listen("jobs");
    /// db.unlisten("jobs");
    /// ```
    #[rhai_fn(name = "unlisten", return_raw, pure)]
    pub fn unlisten_on(db: &mut Db, channel: &str) -> RhaiResult<()> {
        let result = db.try_session().map_err(throw)?.unlisten(channel);
        result.map_err(throw)
    }

    /// Send a notification with a payload on the current session (`pg_notify`). Inside a transaction it
    /// is sent when the transaction commits (and never if it rolls back).
    ///
    /// ```rhai
    /// listen("jobs");
    /// notify("jobs", "resize image 7");
    /// notifications()[0].payload  // "resize image 7"
    /// ```
    #[rhai_fn(name = "notify", return_raw)]
    pub fn notify(ctx: NativeCallContext, channel: &str, payload: &str) -> RhaiResult<()> {
        let db = current(&ctx)?;
        let result = db.try_session().map_err(throw)?.notify(channel, payload);
        result.map_err(throw)
    }

    /// Send a notification with a payload on this session.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.listen("jobs");
    /// db.notify("jobs", "done");
    /// db.notifications().len()  // 1
    /// ```
    #[rhai_fn(name = "notify", return_raw, pure)]
    pub fn notify_on(db: &mut Db, channel: &str, payload: &str) -> RhaiResult<()> {
        let result = db.try_session().map_err(throw)?.notify(channel, payload);
        result.map_err(throw)
    }

    /// The oldest notification not yet taken on the current session, as `#{channel, payload, pid}` (`pid`:
    /// the sending backend's process ID), waiting up to `timeout_secs` seconds for one; `()` when the time
    /// runs out. `0` only looks. Ctrl-C ends the wait and the script.
    ///
    /// ```rhai
    /// listen("jobs");
    /// notify("jobs", "1");
    /// let n = wait_notification(5);
    /// n.channel  // "jobs"
    /// n.pid > 0  // true
    /// wait_notification(0.1)  // ()
    /// ```
    #[rhai_fn(name = "wait_notification", return_raw)]
    pub fn wait_notification(ctx: NativeCallContext, timeout_secs: FLOAT) -> RhaiResult<Dynamic> {
        wait_on(&current(&ctx)?, timeout_secs)
    }

    /// The oldest notification not yet taken, waiting up to a whole number of seconds for one; `()` when
    /// the time runs out.
    ///
    /// ```rhai
    /// listen("jobs");
    /// notify("jobs", "2");
    /// wait_notification(1).payload  // "2"
    /// ```
    #[rhai_fn(name = "wait_notification", return_raw)]
    pub fn wait_notification_int(ctx: NativeCallContext, timeout_secs: INT) -> RhaiResult<Dynamic> {
        wait_on(&current(&ctx)?, timeout_secs as FLOAT)
    }

    /// The oldest notification not yet taken on this session, waiting up to `timeout_secs` seconds.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.listen("jobs");
    /// db.notify("jobs", "3");
    /// db.wait_notification(2.5).payload  // "3"
    /// ```
    #[rhai_fn(name = "wait_notification", return_raw, pure)]
    pub fn wait_notification_on(db: &mut Db, timeout_secs: FLOAT) -> RhaiResult<Dynamic> {
        wait_on(db, timeout_secs)
    }

    /// The oldest notification not yet taken on this session, waiting up to a whole number of seconds.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.wait_notification(0)  // ()
    /// ```
    #[rhai_fn(name = "wait_notification", return_raw, pure)]
    pub fn wait_notification_int_on(db: &mut Db, timeout_secs: INT) -> RhaiResult<Dynamic> {
        wait_on(db, timeout_secs as FLOAT)
    }

    /// Every notification received on the current session and not yet taken, oldest first (an array of
    /// `#{channel, payload, pid}`, empty when there is none); it does not wait.
    ///
    /// ```rhai
    /// listen("jobs");
    /// notify("jobs", "a");
    /// notify("jobs", "b");
    /// notifications().map(|n| n.payload)  // ["a", "b"]
    /// notifications()  // []
    /// ```
    #[rhai_fn(name = "notifications", return_raw)]
    pub fn notifications(ctx: NativeCallContext) -> RhaiResult<Array> {
        taken(&current(&ctx)?)
    }

    /// Every notification received on this session and not yet taken, oldest first.
    ///
    /// ```rhai
    /// let db = connect();
    /// db.notifications()  // []
    /// ```
    #[rhai_fn(name = "notifications", return_raw, pure)]
    pub fn notifications_on(db: &mut Db) -> RhaiResult<Array> {
        taken(db)
    }
}
