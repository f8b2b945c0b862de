//! Running one statement on many targets at once: a thread per target (at most `concurrency` at a time),
//! each with one connection of its own made under the target's retry policy, a time bound per target, and
//! Ctrl-C cancelling every statement still running. Values stay on the caller's thread: workers ask it to
//! encode parameters for the types their server reports, and hand back raw rows for it to decode.

use crate::error::SqlState;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use postgres::types::{ToSql, Type};
use postgres::CancelToken;

use super::connect::map_error;
use super::pool::Pool;
use super::retry::{fmt_duration, RetryPolicy};
use crate::error::{Error, ErrorKind, Result};
use crate::value::encode::Encoded;

/// One target, resolved: a pool of one connection (used once), the policy to connect under, its name.
pub struct Job {
    pub name: String,
    pub pool: Pool,
    pub policy: RetryPolicy,
}

/// How the targets are run.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub concurrency: usize,
    /// Bounds each target, from its start (connecting included) to its last row.
    pub timeout: Option<Duration>,
}

/// What one target answered: its columns, its rows (not yet decoded), and its session TimeZone.
pub struct Answer {
    pub columns: Vec<(String, Type)>,
    pub rows: Vec<postgres::Row>,
    pub timezone: String,
}

/// What the caller does for the workers: encode parameters for the types a server reports, and hear
/// about connection retries.
pub trait Host {
    fn encode(&mut self, types: &[Type]) -> std::result::Result<Vec<Encoded>, String>;
    fn retrying(&mut self, message: String);
}

enum Msg {
    Retry(String),
    Encode(
        Vec<Type>,
        mpsc::Sender<std::result::Result<Vec<Encoded>, String>>,
    ),
    Running(usize, CancelToken),
    Done(usize, Result<Answer>),
}

struct Running {
    started: Instant,
    abandon: Arc<AtomicBool>,
    cancel: Option<CancelToken>,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
}

/// How often the caller's thread looks at Ctrl-C and the time bounds while it waits.
const TICK: Duration = Duration::from_millis(20);
/// How long, after Ctrl-C, to wait for the cancelled statements to end before returning.
const CANCEL_GRACE: Duration = Duration::from_secs(3);

/// Run `sql` on every job; one outcome per job, in the jobs' order. `Err` only for Ctrl-C.
pub fn run(
    jobs: Vec<Job>,
    sql: &str,
    with_params: bool,
    settings: Settings,
    host: &mut dyn Host,
) -> Result<Vec<Result<Answer>>> {
    let total = jobs.len();
    let mut outcomes: Vec<Option<Result<Answer>>> = (0..total).map(|_| None).collect();
    let mut waiting: std::collections::VecDeque<(usize, Job)> =
        jobs.into_iter().enumerate().collect();
    let mut running: HashMap<usize, Running> = HashMap::new();
    let sql: Arc<str> = Arc::from(sql);
    let (tx, rx) = mpsc::channel::<Msg>();
    // Cancel requests of timed-out targets: sent before returning, so no statement outlives the call.
    let mut cancels = Vec::new();
    loop {
        while running.len() < settings.concurrency.max(1) {
            let Some((i, job)) = waiting.pop_front() else {
                break;
            };
            let abandon = Arc::new(AtomicBool::new(false));
            let tls = job.pool.spec.tls();
            let (t, s, a) = (tx.clone(), sql.clone(), abandon.clone());
            let spawned = std::thread::Builder::new()
                .name("pgsh-fan-out".into())
                .spawn(move || {
                    let outcome = work(i, &job, &s, with_params, &t, &a);
                    let _ = t.send(Msg::Done(i, outcome));
                });
            match spawned {
                Ok(_) => {
                    running.insert(
                        i,
                        Running {
                            started: Instant::now(),
                            abandon,
                            cancel: None,
                            tls,
                        },
                    );
                }
                Err(e) => {
                    outcomes[i] = Some(Err(Error::new(
                        ErrorKind::Connect,
                        format!("cannot start a thread: {e}"),
                    )))
                }
            }
        }
        if running.is_empty() && waiting.is_empty() {
            break;
        }
        match rx.recv_timeout(TICK) {
            Ok(Msg::Retry(m)) => host.retrying(m),
            Ok(Msg::Encode(types, reply)) => {
                let _ = reply.send(host.encode(&types));
            }
            Ok(Msg::Running(i, token)) => {
                if let Some(r) = running.get_mut(&i) {
                    r.cancel = Some(token);
                }
            }
            Ok(Msg::Done(i, outcome)) => {
                // A target already given up on (timed out) keeps the outcome it was given.
                if running.remove(&i).is_some() {
                    outcomes[i] = Some(outcome);
                }
            }
            Err(_) => {}
        }
        if crate::interrupt::is_set() {
            interrupt(running, &rx, cancels);
            return Err(Error::interrupted());
        }
        if let Some(limit) = settings.timeout {
            let late: Vec<usize> = running
                .iter()
                .filter(|(_, r)| r.started.elapsed() >= limit)
                .map(|(i, _)| *i)
                .collect();
            for i in late {
                if let Some(r) = running.remove(&i) {
                    cancels.extend(stop(&r));
                    outcomes[i] = Some(Err(Error::new(
                        ErrorKind::Sql,
                        format!("timed out after {}", fmt_duration(limit)),
                    )
                    .with_code(SqlState::QUERY_CANCELED)));
                }
            }
        }
    }
    for c in cancels {
        let _ = c.join();
    }
    Ok(outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| Err(Error::api("the target's worker ended without an answer")))
        })
        .collect())
}

/// Give up on a target: it must not start its statement, and one already running is cancelled.
fn stop(r: &Running) -> Option<std::thread::JoinHandle<()>> {
    r.abandon.store(true, Ordering::SeqCst);
    let token = r.cancel.clone()?;
    let tls = r.tls.clone();
    std::thread::Builder::new()
        .name("pgsh-cancel".into())
        .spawn(move || {
            let _ = token.cancel_query(tls);
        })
        .ok()
}

/// Ctrl-C: cancel every running statement, and wait (a little) for them to end, so that none is left
/// running on a server when the script stops.
fn interrupt(
    mut running: HashMap<usize, Running>,
    rx: &mpsc::Receiver<Msg>,
    mut cancels: Vec<std::thread::JoinHandle<()>>,
) {
    cancels.extend(running.values().filter_map(stop));
    let end = Instant::now() + CANCEL_GRACE;
    while !running.is_empty() && Instant::now() < end {
        match rx.recv_timeout(TICK) {
            Ok(Msg::Done(i, _)) => {
                running.remove(&i);
            }
            Ok(Msg::Encode(_, reply)) => {
                let _ = reply.send(Err("interrupted by Ctrl-C".into()));
            }
            _ => {}
        }
    }
    for c in cancels {
        if Instant::now() < end {
            let _ = c.join();
        }
    }
}

/// One target, on its own thread: connect, prepare, have the parameters encoded, run.
fn work(
    i: usize,
    job: &Job,
    sql: &str,
    with_params: bool,
    tx: &mpsc::Sender<Msg>,
    abandon: &AtomicBool,
) -> Result<Answer> {
    let gone = || Error::interrupted();
    let mut conn = job.pool.checkout(&job.policy, &mut |p| {
        if let crate::db::retry::ConnectProgress::Failed { status, .. } = p {
            let _ = tx.send(Msg::Retry(format!(
                "fan_out target {}: {}",
                job.name, status.line
            )));
        }
    })?;
    // Used once: never handed to anyone else.
    conn.broken = true;
    if abandon.load(Ordering::SeqCst) {
        return Err(gone());
    }
    let stmt = conn
        .client
        .prepare(sql)
        .map_err(|e| map_error(&e).with_sql(sql))?;
    let values = if with_params || !stmt.params().is_empty() {
        let (reply, answer) = mpsc::channel();
        tx.send(Msg::Encode(stmt.params().to_vec(), reply))
            .map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?.map_err(Error::param)?
    } else {
        Vec::new()
    };
    let _ = tx.send(Msg::Running(i, conn.client.cancel_token()));
    if abandon.load(Ordering::SeqCst) {
        return Err(gone());
    }
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let rows = conn
        .client
        .query(&stmt, &refs)
        .map_err(|e| map_error(&e).with_sql(sql))?;
    Ok(Answer {
        columns: stmt
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), c.type_().clone()))
            .collect(),
        rows,
        timezone: conn.timezone.clone(),
    })
}
