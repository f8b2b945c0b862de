//! `fan_out(targets, sql[, params][, opts])`: one statement on many databases at once. Here the targets
//! are resolved (URLs, connection strings, profile names, connect maps), the parameters encoded and the
//! rows decoded; `db::fan_out` runs the connections.

use crate::error::SqlState;
use std::rc::Rc;
use std::time::Duration;

use postgres_types::Type;

use crate::db::raw::Raw;
use rhai::plugin::*;
use rhai::{Array, Dynamic, Map, NativeCallContext};

use super::handle::shell;
use super::rows::Rows;
use super::script_error::{throw, RhaiResult};
use crate::db::connect::ConnectSpec;
use crate::db::fan_out::{self, Answer, Job, Settings};
use crate::db::pool::{Pool, PoolSettings};
use crate::db::resultset::{Columns, ResultSet};
use crate::db::session::Report;
use crate::db::target::ConnParams;
use crate::error::{Error, ErrorKind, Result};
use crate::shell::{DefaultTarget, Shell};
use crate::value::decode::{decode, decode_shadowed, read_mode, ColumnRead, DecodeCtx};
use crate::value::encode::{encode_params, Encoded};

/// The plugin module: `fan_out` and `rows.failures`.
pub fn module() -> Module {
    exported_module!(fan_out_fns)
}

/// `fan_out`'s options.
struct Options {
    settings: Settings,
    keep_going: bool,
}

fn options(m: &Map) -> Result<Options> {
    let bad = |k: &str, why: &str| Error::usage(format!("fan_out: option \"{k}\" {why}"));
    let mut o = Options {
        settings: Settings {
            concurrency: 8,
            timeout: None,
        },
        keep_going: false,
    };
    for (k, v) in m {
        match k.as_str() {
            "concurrency" => {
                o.settings.concurrency = v
                    .as_int()
                    .ok()
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| bad(k, "must be a positive integer"))?
            }
            "timeout" => {
                let secs = if let Ok(n) = v.as_int() {
                    Some(n as f64)
                } else {
                    v.as_float().ok()
                };
                let d = match secs {
                    Some(s) if s > 0.0 => Duration::try_from_secs_f64(s).ok(),
                    Some(_) => None,
                    None => match v.clone().into_string() {
                        Ok(text) => crate::db::retry::parse_duration(&text)
                            .ok()
                            .filter(|d| !d.is_zero()),
                        Err(_) => None,
                    },
                };
                o.settings.timeout = Some(d.ok_or_else(|| {
                    bad(
                        k,
                        "must be a positive number of seconds (or a duration like \"5s\")",
                    )
                })?);
            }
            "keep_going" => {
                o.keep_going = v.as_bool().map_err(|_| bad(k, "must be true or false"))?
            }
            other => {
                return Err(Error::usage(format!(
                    "fan_out: unknown option \"{other}\" (known: concurrency, timeout, keep_going)"
                )))
            }
        }
    }
    Ok(o)
}

/// The embedded database serves one session at a time: it is never a fan-out target.
fn embedded_refused(i: usize) -> Error {
    Error::usage(format!(
        "fan_out: target {i} is the embedded database, which serves one session at a time; fan_out runs \
         on servers (give a URL, a connection string with a host, a profile or a map with a host)"
    ))
}

/// One target as given → a job (its own pool of one connection, its retry policy, its display name).
fn resolve(shell: &Shell, i: usize, target: &Dynamic) -> Result<Job> {
    let config = shell.config();
    let mut params;
    let mut policy = config.policy.clone();
    let mut name = None;
    let mut profile = None;
    if let Ok(text) = target.clone().into_string() {
        let text = text.trim();
        if text.contains("://") || text.contains('=') {
            params = ConnParams::parse(text).map_err(|e| {
                Error::new(
                    ErrorKind::Connect,
                    crate::redact::redact_secrets(&format!("fan_out: target {i}: {e}")),
                )
                .with_code(SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION)
            })?;
            if let Some(t) = params.connect_timeout {
                policy.connect_timeout = crate::db::retry::libpq_connect_timeout(t);
            }
        } else {
            profile = Some(text.to_string());
            params = ConnParams::default();
        }
    } else if let Some(m) = target.read_lock::<Map>() {
        let (p, overrides) = super::api::connect_options(&m)
            .map_err(|e| e.context(format!("fan_out: target {i}")))?;
        params = p;
        if let Some(r) = &overrides.retry {
            policy = config.retry.policy(Some(r))?;
        }
        if let Some(t) = overrides.connect_timeout {
            policy.connect_timeout = t;
        }
        profile = overrides.profile.clone();
    } else {
        return Err(Error::usage(format!(
            "fan_out: target {i} is {}; a target is a URL, a connection string, a profile name or a \
             connect map",
            crate::value::encode::rhai_type_name(target)
        )));
    }
    if let Some(p) = profile {
        let found = config.profiles.get(&p)?;
        params = params.or(&found.params(&p, &|k| std::env::var(k).ok())?);
        policy = config.retry.policy_with_profile(Some(&found.retry), None)?;
        name = Some(p);
    }
    if !params.names_server() {
        match &config.target {
            DefaultTarget::Embedded { .. } => return Err(embedded_refused(i)),
            DefaultTarget::Server(default) => params = params.or(default),
        }
    } else {
        params = params.or(&config.env_params);
    }
    if let Some(socket) = shell.embedded_socket() {
        if params.hosts.contains(&socket) {
            return Err(embedded_refused(i));
        }
    }
    let spec = ConnectSpec::resolve(params, shell.resolve_env(), false)
        .map_err(|e| e.context(format!("fan_out: target {i}")).redacted())?;
    for w in &spec.warnings {
        shell.report(Report::Warning(w.clone()));
    }
    let settings = PoolSettings {
        size: 1,
        ..config.pool.clone()
    };
    let name = name.unwrap_or_else(|| spec.label.clone());
    Ok(Job {
        name,
        pool: Pool::new(spec, settings),
        policy,
    })
}

/// The caller's side of the workers: parameters encoded here (Rhai values stay on this thread).
struct Caller<'a> {
    shell: &'a Shell,
    params: &'a [Dynamic],
}

impl fan_out::Host for Caller<'_> {
    fn encode(&mut self, types: &[Type]) -> std::result::Result<Vec<Encoded>, String> {
        encode_params(types, self.params)
    }
    fn retrying(&mut self, message: String) {
        self.shell.report(Report::Retry(message));
    }
}

/// One target's rows as values (without the target column).
fn decode_answer(a: &Answer) -> Result<Vec<Vec<Dynamic>>> {
    let zone = crate::value::datetime::session_zone(&a.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let ctx = DecodeCtx {
        zone: Rc::new(zone),
        for_display: false,
    };
    let mut out = Vec::with_capacity(a.rows.len());
    for row in &a.rows {
        let mut values = Vec::with_capacity(a.columns.len());
        for (i, (name, ty)) in a.columns.iter().enumerate() {
            let raw: Raw = row
                .try_get(i)
                .map_err(|e| crate::db::connect::map_error(&e))?;
            let v = match read_mode(ty) {
                // A void result (`SELECT pg_sleep(1)`) has no value to read.
                _ if *ty == Type::VOID => Ok(Dynamic::UNIT),
                ColumnRead::Binary => decode(ty, raw.0, &ctx).map_err(|e| e.to_string()),
                ColumnRead::Shadowed => {
                    decode_shadowed(ty, raw.0, None, &ctx).map_err(|e| e.to_string())
                }
                ColumnRead::Text => Err(format!(
                    "fan_out reads {} values only as text: cast the column to text in the statement \
                     ({name}::text)",
                    ty.name()
                )),
            }
            .map_err(|e| {
                Error::new(
                    ErrorKind::Decode,
                    format!("cannot read column \"{name}\" of type {}: {e}", ty.name()),
                )
            })?;
            values.push(v);
        }
        out.push(values);
    }
    Ok(out)
}

fn failure_map(target: &str, e: &Error) -> Dynamic {
    let mut m = Map::new();
    m.insert("target".into(), target.to_string().into());
    m.insert(
        "message".into(),
        crate::redact::redact_secrets(e.message()).into(),
    );
    m.insert(
        "code".into(),
        e.code()
            .map(|c| Dynamic::from(c.code().to_string()))
            .unwrap_or(Dynamic::UNIT),
    );
    m.into()
}

fn run(
    ctx: &NativeCallContext,
    targets: Array,
    sql: &str,
    params: Option<Array>,
    opts: Option<Map>,
) -> RhaiResult<Rows> {
    let shell = shell(ctx)?;
    let o = options(&opts.unwrap_or_default()).map_err(throw)?;
    let jobs: Vec<Job> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| resolve(&shell, i, t))
        .collect::<Result<_>>()
        .map_err(throw)?;
    let names: Vec<String> = jobs.iter().map(|j| j.name.clone()).collect();
    let with_params = params.is_some();
    let params = params.unwrap_or_default();
    let mut caller = Caller {
        shell: &shell,
        params: &params,
    };
    let outcomes = fan_out::run(jobs, sql, with_params, o.settings, &mut caller).map_err(throw)?;

    let mut columns: Option<Vec<(String, Type)>> = None;
    let mut result: Option<ResultSet> = None;
    let mut failures: Vec<(String, Error)> = Vec::new();
    for (name, outcome) in names.into_iter().zip(outcomes) {
        let decoded = outcome.and_then(|a| {
            match &columns {
                Some(first) if *first != a.columns => {
                    let show = |c: &[(String, Type)]| {
                        c.iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    return Err(Error::api(format!(
                        "its result has columns ({}) where the first target's has ({})",
                        show(&a.columns),
                        show(first)
                    )));
                }
                Some(_) => {}
                None => columns = Some(a.columns.clone()),
            }
            decode_answer(&a)
        });
        match decoded {
            Ok(rows) => {
                let rs = result.get_or_insert_with(|| {
                    let cols = columns.clone().unwrap_or_default();
                    let mut names = vec!["target".to_string()];
                    let mut types = vec![Some(Type::TEXT)];
                    for (n, t) in cols {
                        names.push(n);
                        types.push(Some(t));
                    }
                    ResultSet::new(Rc::new(Columns::new(names, types)))
                });
                for row in rows {
                    rs.push_row(std::iter::once(Dynamic::from(name.clone())).chain(row));
                }
            }
            Err(e) => failures.push((name, e)),
        }
    }
    if !failures.is_empty() && !o.keep_going {
        let (_, first) = &failures[0];
        // The error carries the first failure's SQLSTATE (shown once, at its end); others say theirs.
        let lines: Vec<String> = failures
            .iter()
            .map(|(n, e)| {
                let code = match e.code() {
                    Some(c) if Some(c) != first.code() => format!(" (SQLSTATE {})", c.code()),
                    _ => String::new(),
                };
                format!("{n}: {}{code}", e.message())
            })
            .collect();
        let err = Error::new(
            first.kind(),
            format!(
                "fan_out: {} of {} targets failed: {}",
                failures.len(),
                targets.len(),
                lines.join("; ")
            ),
        );
        let err = match first.code() {
            Some(c) => err.with_code(c.clone()),
            None => err,
        };
        return Err(throw(err.redacted()));
    }
    let mut rs = result.unwrap_or_else(|| {
        ResultSet::new(Rc::new(Columns::new(
            vec!["target".to_string()],
            vec![Some(Type::TEXT)],
        )))
    });
    rs.failures = Some(failures.iter().map(|(n, e)| failure_map(n, e)).collect());
    Ok(Rows::new(rs))
}

#[export_module]
mod fan_out_fns {
    use super::*;

    /// Run one statement on many databases at once and return all their rows, each led by a `target`
    /// column (the target's name: its profile name, or `user@host:port/db`, never a password), in the
    /// order of `targets`. A target is a URL, a connection string, a profile name from the configuration
    /// file, or a map of `connect` options; each gets one connection of its own, made under the retry
    /// policy, with at most 8 targets at a time. A target that fails does not stop the others; once all
    /// have finished the call throws one error naming every failed target and its cause (see the
    /// four-argument form for `keep_going`). Ctrl-C cancels every statement still running. The embedded
    /// database (one session at a time) is never a target.
    ///
    /// ```rhai,no_run
    /// let rows = fan_out(["postgres://app@db1/shop", "host=db2 dbname=shop", "reporting"],
    ///                    "SELECT count(*) AS orders FROM orders");
    /// for r in rows { print(`${r.target}: ${r.orders}`); }
    /// ```
    #[rhai_fn(name = "fan_out", return_raw)]
    pub fn fan_out(ctx: NativeCallContext, targets: Array, sql: &str) -> RhaiResult<Rows> {
        run(&ctx, targets, sql, None, None)
    }

    /// `fan_out` with parameters (`$1`, `$2`, … take the array's values, encoded for each server's
    /// types).
    ///
    /// ```rhai,no_run
    /// fan_out(["shop_eu", "shop_us"], "SELECT count(*) AS n FROM orders WHERE placed > $1", ["2024-01-01"])
    /// ```
    #[rhai_fn(name = "fan_out", return_raw)]
    pub fn fan_out_params(
        ctx: NativeCallContext,
        targets: Array,
        sql: &str,
        params: Array,
    ) -> RhaiResult<Rows> {
        run(&ctx, targets, sql, Some(params), None)
    }

    /// `fan_out` with options: `concurrency` (targets at a time, default 8), `timeout` (seconds, or a
    /// duration like `"30s"`, bounding each target from connecting to its last row), `keep_going` (when
    /// `true`, the rows of the targets that worked come back and `rows.failures` lists the others as
    /// `#{target, message, code}` instead of the call throwing).
    ///
    /// ```rhai,no_run
    /// let rows = fan_out(["db1", "db2", "db3"], "SELECT pg_is_in_recovery() AS standby",
    ///                    #{concurrency: 2, timeout: 5, keep_going: true});
    /// for f in rows.failures { print(`${f.target} failed: ${f.message}`); }
    /// ```
    #[rhai_fn(name = "fan_out", return_raw)]
    pub fn fan_out_opts(
        ctx: NativeCallContext,
        targets: Array,
        sql: &str,
        opts: Map,
    ) -> RhaiResult<Rows> {
        run(&ctx, targets, sql, None, Some(opts))
    }

    /// `fan_out` with parameters and options.
    ///
    /// ```rhai,no_run
    /// fan_out(["db1", "db2"], "SELECT $1::int + 1 AS n", [41], #{keep_going: true})
    /// ```
    #[rhai_fn(name = "fan_out", return_raw)]
    pub fn fan_out_params_opts(
        ctx: NativeCallContext,
        targets: Array,
        sql: &str,
        params: Array,
        opts: Map,
    ) -> RhaiResult<Rows> {
        run(&ctx, targets, sql, Some(params), Some(opts))
    }

    /// The targets a `fan_out(…, #{keep_going: true})` could not run on, as `#{target, message, code}`
    /// (`code`: the SQLSTATE, or `()`); empty when all worked, and for rows that did not come from
    /// `fan_out`.
    ///
    /// ```rhai
    /// query("SELECT 1 AS one").failures  // []
    /// ```
    #[rhai_fn(get = "failures", pure)]
    pub fn failures(rows: &mut Rows) -> Array {
        rows.0.failures.clone().unwrap_or_default()
    }
}
