//! The connection retry policy: which failures can heal, how long to wait between attempts, when to give up.
//!
//! Retrying happens at one layer only (here, when a connection is established), with capped exponential
//! backoff and full jitter (AWS, "Exponential Backoff And Jitter"), bounded by attempts and by an overall
//! deadline. Work that was already sent is never replayed: this module only ever retries connecting.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Result as PgshResult};

/// How the delay is randomised. Read from text (`"full"`, `"none"`, and the booleans' words) wherever it is
/// given: the configuration file, a `connect` map's `retry`, `--retry-jitter`, `PGSH_RETRY_JITTER`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Jitter {
    /// Sleep a uniformly random time in `[0, delay]`: spreads reconnect storms best.
    Full,
    /// Sleep exactly the computed delay.
    None,
}

/// A jitter setting that is none of the known words (the text as given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadJitter(pub String);

impl fmt::Display for BadJitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid jitter \"{}\": expected full or none", self.0)
    }
}

impl std::error::Error for BadJitter {}

impl std::str::FromStr for Jitter {
    type Err = BadJitter;
    fn from_str(s: &str) -> Result<Self, BadJitter> {
        match s.to_ascii_lowercase().as_str() {
            "full" | "true" | "on" => Ok(Jitter::Full),
            "none" | "false" | "off" => Ok(Jitter::None),
            _ => Err(BadJitter(s.to_string())),
        }
    }
}

impl TryFrom<String> for Jitter {
    type Error = BadJitter;
    fn try_from(s: String) -> Result<Self, BadJitter> {
        s.parse()
    }
}

impl fmt::Display for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Jitter::Full => "full",
            Jitter::None => "none",
        })
    }
}

/// When and how often to try again.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts including the first; 0 means unlimited (bounded by `deadline`).
    pub attempts: u32,
    /// Delay before the first retry.
    pub delay: Duration,
    /// Multiplier applied to the delay after each failed attempt.
    pub backoff: f64,
    /// Upper bound for one delay.
    pub max_delay: Duration,
    pub jitter: Jitter,
    /// Give up once this much time has passed since the first attempt; `None` means never.
    pub deadline: Option<Duration>,
    /// Time allowed for one attempt (TCP connect, TLS and authentication together).
    pub connect_timeout: Duration,
    /// Wait for a local server whose socket nothing listens on. Off by default: an absent socket is a
    /// wrong port or directory, or a server that is not running, far more often than one about to start
    /// (`pg_ctl start` and service managers return once the server accepts connections), so it fails at
    /// once, as psql does. Any layer that sets `attempts` or a `deadline` turns it on: that says a wait is
    /// expected. A target that was reached once is always waited for (a restart removes the socket).
    pub wait_for_server: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 0,
            delay: Duration::from_millis(250),
            backoff: 2.0,
            max_delay: Duration::from_secs(5),
            jitter: Jitter::Full,
            deadline: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(5),
            wait_for_server: false,
        }
    }
}

impl RetryPolicy {
    /// The delay ceiling before retry number `retry` (1 = the first retry), before jitter.
    pub fn base_delay(&self, retry: u32) -> Duration {
        let factor = self
            .backoff
            .max(1.0)
            .powi(retry.saturating_sub(1).min(1000) as i32);
        let secs = self.delay.as_secs_f64() * factor;
        let capped = secs.min(self.max_delay.as_secs_f64());
        Duration::try_from_secs_f64(capped).unwrap_or(self.max_delay)
    }

    /// The delay to sleep before retry number `retry`, given a uniform random number in `[0, 1)`.
    pub fn delay_for(&self, retry: u32, random: f64) -> Duration {
        let base = self.base_delay(retry);
        match self.jitter {
            Jitter::None => base,
            Jitter::Full => base.mul_f64(random.clamp(0.0, 1.0)),
        }
    }
}

/// Whether a failure can heal by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transience {
    Transient,
    Permanent,
}

/// Classify a SQLSTATE received while connecting.
pub fn classify_sqlstate(code: &str) -> Transience {
    match code {
        // Protocol violation: retrying cannot fix a client/server mismatch.
        "08P01" => Transience::Permanent,
        // Server starting up / shutting down / crashed, or out of connection slots.
        "57P01" | "57P02" | "57P03" | "53300" => Transience::Transient,
        _ if code.starts_with("08") => Transience::Transient,
        _ => Transience::Permanent,
    }
}

/// Classify an I/O error kind seen while connecting: the network and a server that is not (yet) listening can
/// heal; anything else is a local problem that will not.
pub fn classify_io(kind: std::io::ErrorKind) -> Transience {
    use std::io::ErrorKind::*;
    match kind {
        ConnectionRefused | ConnectionReset | ConnectionAborted | NotConnected | TimedOut
        | BrokenPipe | UnexpectedEof | AddrNotAvailable | Interrupted | WouldBlock
        | HostUnreachable | NetworkUnreachable | NetworkDown
        // A unix socket file that does not exist yet: the server has not started.
        | NotFound => Transience::Transient,
        _ => Transience::Permanent,
    }
}

/// Time as the retry loop sees it; injected so tests can run the policy without sleeping.
pub trait Clock {
    /// Time elapsed since the clock was created.
    fn elapsed(&self) -> Duration;
    /// Sleep; `Err(())` when interrupted (Ctrl-C).
    fn sleep(&self, d: Duration) -> Result<(), crate::interrupt::Interrupted>;
    /// A uniform random number in `[0, 1)`.
    fn random(&self) -> f64;
}

/// One failed attempt that will be retried, for the "retrying" notice.
pub struct RetryEvent<'a, E> {
    pub attempt: u32,
    pub policy: &'a RetryPolicy,
    pub delay: Duration,
    pub error: &'a E,
}

impl<E: fmt::Display> fmt::Display for RetryEvent<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let of = match (self.policy.attempts, self.policy.deadline) {
            (0, Some(d)) => format!(" (retrying for up to {})", fmt_duration(d)),
            (0, None) => " (retrying until it works)".to_string(),
            (n, _) => format!(" of {n}"),
        };
        write!(
            f,
            "connection attempt {}{of} failed: {}; retrying in {}",
            self.attempt,
            self.error,
            fmt_duration(self.delay)
        )
    }
}

/// A failed attempt as the front end shows it: one line per retry for scripts, or the parts of one
/// status line that a terminal rewrites in place.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryStatus {
    /// The whole line (what [`RetryEvent`] displays).
    pub line: String,
    pub attempt: u32,
    /// Since the first attempt.
    pub elapsed: Duration,
    /// Before the next attempt.
    pub delay: Duration,
    pub cause: String,
}

impl RetryStatus {
    pub fn new<E: fmt::Display>(ev: &RetryEvent<'_, E>, elapsed: Duration) -> RetryStatus {
        RetryStatus {
            line: ev.to_string(),
            attempt: ev.attempt,
            elapsed,
            delay: ev.delay,
            cause: ev.error.to_string(),
        }
    }

    /// The status line: `connecting to X: attempt 3, 1.2s so far, next in 500ms (Ctrl-C to stop): connection
    /// refused`. The cause comes last: it is the longest part, and the one a narrow terminal may cut.
    pub fn status_line(&self, target: &str) -> String {
        format!(
            "connecting to {target}: attempt {}, {} so far, next in {} (Ctrl-C to stop): {}",
            self.attempt,
            fmt_duration(self.elapsed),
            fmt_duration(self.delay),
            self.cause,
        )
    }
}

/// Connecting under the retry policy, as it goes.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectProgress {
    /// An attempt to connect to `target` failed and another follows.
    Failed { target: String, status: RetryStatus },
    /// Retrying is over (connected, given up or interrupted): a status line can go.
    Ended,
}

/// Why the loop stopped without success.
#[derive(Debug)]
pub enum RetryFailure<E> {
    /// The error cannot heal: surfaced at once.
    Permanent(E),
    /// Attempts or deadline used up.
    Exhausted {
        attempts: u32,
        elapsed: Duration,
        last: E,
    },
    /// Ctrl-C while waiting.
    Interrupted(E),
}

/// The shortest wait between two attempts.
pub const MIN_RETRY_GAP: Duration = Duration::from_millis(50);

/// Run `attempt` under `policy`. `attempt` gets the attempt number (1-based) and the time it may take;
/// `classify` says whether its error can heal; `on_retry` is told about each retry before the sleep.
pub fn run<T, E>(
    policy: &RetryPolicy,
    clock: &dyn Clock,
    mut attempt: impl FnMut(u32, Duration) -> Result<T, E>,
    classify: impl Fn(&E) -> Transience,
    mut on_retry: impl FnMut(&RetryEvent<'_, E>),
) -> Result<T, RetryFailure<E>> {
    let mut n: u32 = 0;
    loop {
        n = n.saturating_add(1);
        let timeout = match policy.deadline {
            Some(deadline) => policy
                .connect_timeout
                .min(deadline.saturating_sub(clock.elapsed()))
                .max(Duration::from_millis(100)),
            None => policy.connect_timeout,
        };
        let err = match attempt(n, timeout) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if classify(&err) == Transience::Permanent {
            return Err(RetryFailure::Permanent(err));
        }
        // A floor, whatever the policy: `--retry-max-delay 0` (or full jitter drawing 0) must not become
        // thousands of attempts, and of stderr lines, a second.
        let mut delay = policy.delay_for(n, clock.random()).max(MIN_RETRY_GAP);
        let out_of_attempts = policy.attempts != 0 && n >= policy.attempts;
        let remaining = policy.deadline.map(|d| d.saturating_sub(clock.elapsed()));
        // The last wait is cut short so one final attempt happens right at the deadline.
        if let Some(r) = remaining {
            delay = delay.min(r);
        }
        let out_of_time = remaining.is_some_and(|r| r.is_zero());
        if out_of_attempts || out_of_time {
            return Err(RetryFailure::Exhausted {
                attempts: n,
                elapsed: clock.elapsed(),
                last: err,
            });
        }
        on_retry(&RetryEvent {
            attempt: n,
            policy,
            delay,
            error: &err,
        });
        if clock.sleep(delay).is_err() {
            return Err(RetryFailure::Interrupted(err));
        }
    }
}

/// `250ms`, `2s`, `1.5s`, `2m`, `1m30s`, `1 hour` (jiff's friendly format, or ISO 8601's `PT2S`), or a bare
/// number of seconds: the form durations take in flags, environment and config.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    // A bare number is seconds, as libpq's connect_timeout and `delay = 2` in the configuration file are.
    if let Ok(secs) = t.parse::<f64>() {
        return Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("invalid duration \"{s}\": out of range"));
    }
    let d: jiff::SignedDuration = t.parse().map_err(|_| {
        // jiff's own messages speak of its formats and types; say what the user can act on.
        let digits = t.trim_start_matches('-');
        let number = &digits[..digits
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(digits.len())];
        match number.parse::<f64>() {
            Ok(n) if n > 1e15 => format!("invalid duration \"{s}\": out of range"),
            _ => format!(
                "invalid duration \"{s}\": expected a number with a unit, like 250ms, 2s or 1m30s"
            ),
        }
    })?;
    Duration::try_from(d).map_err(|_| format!("invalid duration \"{s}\": it is negative"))
}

/// Per-attempt time standing for "no limit": the overall deadline still bounds the attempt.
pub const NO_CONNECT_LIMIT: Duration = Duration::from_secs(86_400);

/// libpq's `connect_timeout` as a per-attempt limit: 0 means no limit, and less than 2 s counts as 2 s.
pub fn libpq_connect_timeout(t: Duration) -> Duration {
    if t.is_zero() {
        NO_CONNECT_LIMIT
    } else {
        t.max(Duration::from_secs(2))
    }
}

/// Short human form (jiff's friendly format, compact): `250ms`, `2s`, `1.5s`, `1m30s`, `1h2m3s` — milliseconds
/// under a second, tenths of a second under a minute, whole seconds above.
pub fn fmt_duration(d: Duration) -> String {
    use jiff::fmt::friendly::{Designator, FractionalUnit, Spacing, SpanPrinter};
    let printer = SpanPrinter::new()
        .designator(Designator::Compact)
        .spacing(Spacing::None);
    let ms = d.as_millis();
    if ms < 1000 {
        return printer
            .zero_unit(jiff::Unit::Millisecond)
            .unsigned_duration_to_string(&Duration::from_millis(ms as u64));
    }
    if ms < 60_000 {
        let tenths = Duration::from_millis((ms / 100 * 100) as u64);
        return printer
            .fractional(Some(FractionalUnit::Second))
            .unsigned_duration_to_string(&tenths);
    }
    printer.unsigned_duration_to_string(&Duration::from_secs(d.as_secs()))
}

/// A duration written as text (`"250ms"`, `"2s"`) or as a number of seconds.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum DurationValue {
    Text(String),
    // Before `Seconds`: Rhai's serde bridge gives integers only to integer fields (`delay: 2`).
    WholeSeconds(i64),
    Seconds(f64),
}

impl DurationValue {
    pub fn get(&self) -> std::result::Result<Duration, String> {
        match self {
            DurationValue::Text(t) => parse_duration(t),
            DurationValue::WholeSeconds(n) => u64::try_from(*n)
                .map(Duration::from_secs)
                .map_err(|_| format!("invalid duration {n}")),
            DurationValue::Seconds(s) => {
                Duration::try_from_secs_f64(*s).map_err(|_| format!("invalid duration {s}"))
            }
        }
    }
}

/// Retry settings, each optional so layers can be stacked.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RetrySettings {
    pub attempts: Option<u32>,
    pub delay: Option<DurationValue>,
    #[serde(default, deserialize_with = "int_or_float")]
    pub backoff: Option<f64>,
    pub max_delay: Option<DurationValue>,
    pub jitter: Option<Jitter>,
    pub deadline: Option<DurationValue>,
    pub connect_timeout: Option<DurationValue>,
}

/// A number written either way (`backoff = 2` or `2.0`; Rhai hands integers over as integers).
fn int_or_float<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Int(i64),
        Float(f64),
    }
    Ok(Option::<Number>::deserialize(d)?.map(|n| match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }))
}

impl RetrySettings {
    /// Apply the settings this layer gives on top of `p`. `origin` names the layer in error messages.
    pub fn apply(&self, p: &mut RetryPolicy, origin: &str) -> PgshResult<()> {
        let bad = |what: &str, e: String| Error::usage(format!("{origin}: retry {what}: {e}"));
        if let Some(n) = self.attempts {
            p.attempts = n;
        }
        if self.attempts.is_some() || self.deadline.is_some() {
            p.wait_for_server = true;
        }
        if let Some(d) = &self.delay {
            p.delay = d.get().map_err(|e| bad("delay", e))?;
        }
        if let Some(b) = self.backoff {
            if !(b.is_finite() && b >= 1.0) {
                return Err(bad("backoff", format!("{b} must be a number >= 1")));
            }
            p.backoff = b;
        }
        if let Some(d) = &self.max_delay {
            p.max_delay = d.get().map_err(|e| bad("max_delay", e))?;
        }
        if let Some(j) = self.jitter {
            p.jitter = j;
        }
        if let Some(d) = &self.deadline {
            let d = d.get().map_err(|e| bad("deadline", e))?;
            p.deadline = if d.is_zero() { None } else { Some(d) };
        }
        if let Some(d) = &self.connect_timeout {
            let d = d.get().map_err(|e| bad("connect_timeout", e))?;
            // 0 means no limit per attempt, as in libpq (the deadline still applies).
            p.connect_timeout = if d.is_zero() {
                NO_CONNECT_LIMIT
            } else {
                d.max(Duration::from_millis(100))
            };
        }
        Ok(())
    }
}

/// The real clock: sleeps in short slices so Ctrl-C ends a wait within a few tens of milliseconds.
pub struct SystemClock {
    start: std::time::Instant,
}

impl SystemClock {
    pub fn new() -> Self {
        SystemClock {
            start: std::time::Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
    fn sleep(&self, d: Duration) -> Result<(), crate::interrupt::Interrupted> {
        crate::interrupt::sleep(d)
    }
    fn random(&self) -> f64 {
        fastrand::f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    /// A clock that advances only when slept on or when an attempt "takes" time.
    struct FakeClock {
        now: Cell<Duration>,
        random: f64,
        slept: RefCell<Vec<Duration>>,
    }

    impl FakeClock {
        fn new(random: f64) -> Self {
            FakeClock {
                now: Cell::new(Duration::ZERO),
                random,
                slept: RefCell::new(vec![]),
            }
        }
        fn advance(&self, d: Duration) {
            self.now.set(self.now.get() + d);
        }
    }

    impl Clock for FakeClock {
        fn elapsed(&self) -> Duration {
            self.now.get()
        }
        fn sleep(&self, d: Duration) -> Result<(), crate::interrupt::Interrupted> {
            self.slept.borrow_mut().push(d);
            self.advance(d);
            Ok(())
        }
        fn random(&self) -> f64 {
            self.random
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn default_backoff_doubles_from_250ms_and_caps_at_5s() {
        let p = RetryPolicy::default();
        let delays: Vec<_> = (1..=7).map(|n| p.base_delay(n)).collect();
        assert_eq!(
            delays,
            vec![
                ms(250),
                ms(500),
                ms(1000),
                ms(2000),
                ms(4000),
                ms(5000),
                ms(5000)
            ]
        );
    }

    #[test]
    fn full_jitter_stays_within_zero_and_base() {
        let p = RetryPolicy::default();
        for retry in 1..10 {
            for r in [0.0, 0.3, 0.999_999] {
                let d = p.delay_for(retry, r);
                assert!(d <= p.base_delay(retry), "{d:?} > base at retry {retry}");
            }
            assert_eq!(p.delay_for(retry, 0.0), Duration::ZERO);
        }
        let none = RetryPolicy {
            jitter: Jitter::None,
            ..RetryPolicy::default()
        };
        assert_eq!(none.delay_for(3, 0.1), ms(1000));
    }

    #[test]
    fn seed_policy_every_2s_forever_is_expressible() {
        let p = RetryPolicy {
            attempts: 0,
            delay: Duration::from_secs(2),
            backoff: 1.0,
            max_delay: Duration::from_secs(2),
            jitter: Jitter::None,
            deadline: None,
            connect_timeout: Duration::from_secs(5),
            wait_for_server: false,
        };
        assert!((1..50).all(|n| p.delay_for(n, 0.5) == Duration::from_secs(2)));
    }

    #[test]
    fn classification_matches_the_documented_lists() {
        for code in [
            "08000", "08001", "08003", "08006", "57P01", "57P02", "57P03", "53300",
        ] {
            assert_eq!(classify_sqlstate(code), Transience::Transient, "{code}");
        }
        for code in [
            "08P01", "28000", "28P01", "3D000", "42501", "42601", "40001",
        ] {
            assert_eq!(classify_sqlstate(code), Transience::Permanent, "{code}");
        }
        use std::io::ErrorKind;
        assert_eq!(
            classify_io(ErrorKind::ConnectionRefused),
            Transience::Transient
        );
        assert_eq!(classify_io(ErrorKind::NotFound), Transience::Transient);
        assert_eq!(
            classify_io(ErrorKind::PermissionDenied),
            Transience::Permanent
        );
        assert_eq!(classify_io(ErrorKind::InvalidInput), Transience::Permanent);
    }

    #[test]
    fn transient_errors_are_retried_until_success() {
        let clock = FakeClock::new(1.0);
        let p = RetryPolicy {
            jitter: Jitter::None,
            ..RetryPolicy::default()
        };
        let mut notices = vec![];
        let out = run(
            &p,
            &clock,
            |n, _| if n < 4 { Err("refused") } else { Ok(n) },
            |_| Transience::Transient,
            |ev| notices.push(ev.to_string()),
        );
        assert_eq!(out.ok(), Some(4));
        assert_eq!(*clock.slept.borrow(), vec![ms(250), ms(500), ms(1000)]);
        assert_eq!(notices.len(), 3);
        assert!(
            notices[0]
                .contains("attempt 1 (retrying for up to 30s) failed: refused; retrying in 250ms"),
            "{}",
            notices[0]
        );
    }

    #[test]
    fn retries_never_come_faster_than_the_floor() {
        let clock = FakeClock::new(0.0);
        let p = RetryPolicy {
            attempts: 5,
            max_delay: Duration::ZERO,
            ..RetryPolicy::default()
        };
        let out: Result<(), _> = run(
            &p,
            &clock,
            |_, _| Err("refused"),
            |_| Transience::Transient,
            |_| {},
        );
        assert!(matches!(
            out,
            Err(RetryFailure::Exhausted { attempts: 5, .. })
        ));
        assert_eq!(*clock.slept.borrow(), vec![MIN_RETRY_GAP; 4]);
    }

    #[test]
    fn permanent_errors_fail_at_once() {
        let clock = FakeClock::new(0.5);
        let mut calls = 0;
        let out: Result<(), _> = run(
            &RetryPolicy::default(),
            &clock,
            |_, _| {
                calls += 1;
                Err("28P01")
            },
            |e| classify_sqlstate(e),
            |_| {},
        );
        assert!(matches!(out, Err(RetryFailure::Permanent("28P01"))));
        assert_eq!(calls, 1);
        assert!(clock.slept.borrow().is_empty());
    }

    #[test]
    fn attempts_limit_is_total_attempts() {
        let clock = FakeClock::new(0.5);
        let p = RetryPolicy {
            attempts: 3,
            deadline: None,
            ..RetryPolicy::default()
        };
        let mut calls = 0;
        let out: Result<(), _> = run(
            &p,
            &clock,
            |_, _| {
                calls += 1;
                Err("x")
            },
            |_| Transience::Transient,
            |_| {},
        );
        assert_eq!(calls, 3);
        match out {
            Err(RetryFailure::Exhausted { attempts, .. }) => assert_eq!(attempts, 3),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn deadline_bounds_the_total_time_including_attempt_time() {
        let clock = FakeClock::new(1.0);
        let p = RetryPolicy {
            jitter: Jitter::None,
            deadline: Some(Duration::from_secs(10)),
            ..RetryPolicy::default()
        };
        let mut timeouts = vec![];
        let out: Result<(), _> = run(
            &p,
            &clock,
            |_, t| {
                timeouts.push(t);
                clock.advance(Duration::from_secs(1));
                Err("timeout")
            },
            |_| Transience::Transient,
            |_| {},
        );
        let Err(RetryFailure::Exhausted {
            elapsed, attempts, ..
        }) = out
        else {
            panic!("expected exhaustion")
        };
        // It keeps trying until the deadline, and stops within one attempt of it.
        assert!(elapsed >= Duration::from_secs(10), "{elapsed:?}");
        assert!(elapsed <= Duration::from_secs(11), "{elapsed:?}");
        assert!(attempts >= 4, "{attempts}");
        // No attempt is allowed to run past the deadline.
        assert!(timeouts.iter().all(|t| *t <= Duration::from_secs(5)));
    }

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("250ms"), Ok(ms(250)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5s"), Ok(ms(1500)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("2 weeks").is_err());
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration(" 1 hour "), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("PT2S"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("-1s").unwrap_err().contains("negative"));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("99999999999999999999999s")
            .unwrap_err()
            .ends_with("out of range"));
        assert_eq!(fmt_duration(Duration::ZERO), "0ms");
        assert_eq!(fmt_duration(ms(1234)), "1.2s");
        assert_eq!(fmt_duration(Duration::from_secs(3723)), "1h2m3s");
        assert_eq!(fmt_duration(ms(250)), "250ms");
        assert_eq!(fmt_duration(ms(2000)), "2s");
        assert_eq!(fmt_duration(ms(1500)), "1.5s");
        assert_eq!(fmt_duration(Duration::from_secs(90)), "1m30s");
    }

    #[test]
    fn only_attempts_or_a_deadline_mean_waiting_for_a_server() {
        let policy = |s: RetrySettings| {
            let mut p = RetryPolicy::default();
            s.apply(&mut p, "test").map(|_| p.wait_for_server).ok()
        };
        assert_eq!(policy(RetrySettings::default()), Some(false));
        let delay = RetrySettings {
            delay: Some(DurationValue::Text("1s".into())),
            connect_timeout: Some(DurationValue::Text("1s".into())),
            ..RetrySettings::default()
        };
        assert_eq!(policy(delay), Some(false));
        let attempts = RetrySettings {
            attempts: Some(5),
            ..RetrySettings::default()
        };
        assert_eq!(policy(attempts), Some(true));
        let deadline = RetrySettings {
            deadline: Some(DurationValue::Text("30s".into())),
            ..RetrySettings::default()
        };
        assert_eq!(policy(deadline), Some(true));
    }

    #[test]
    fn a_status_line_says_attempt_elapsed_cause_and_how_to_stop() {
        let p = RetryPolicy::default();
        let ev = RetryEvent {
            attempt: 3,
            policy: &p,
            delay: ms(500),
            error: &"connection refused",
        };
        let s = RetryStatus::new(&ev, ms(1200));
        assert_eq!(s.line, ev.to_string());
        assert_eq!(
            s.status_line("app@db:5432/shop"),
            "connecting to app@db:5432/shop: attempt 3, 1.2s so far, next in 500ms (Ctrl-C to stop): \
             connection refused"
        );
    }
}
