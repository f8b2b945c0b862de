//! `\watch` (`do_watch` of `command.c`): run the query again every few seconds, titled with the time,
//! until Ctrl-C, a failure, or the count is reached.

use crate::psql::engine::Engine;
use crate::psql::exec::{exec_query_and_process_results, timing_text, QueryOutcome};

/// Run `query` every `interval` seconds (`count` times, or until interrupted); false on failure.
pub fn do_watch(e: &mut Engine, query: &str, interval: f64, count: Option<u64>) -> bool {
    if query.is_empty() {
        e.log_error("\\watch cannot be used with an empty query");
        return false;
    }
    let user_title = e.set.popt.title.clone();
    let mut opt = e.set.popt.clone();
    // The pager would hold every run; psql turns it off unless PSQL_WATCH_PAGER is set.
    opt.topt.pager = crate::output::opts::Pager::Off;
    let mut runs = 0u64;
    loop {
        let now = crate::psql::watch::ctime_now();
        opt.title = Some(match &user_title {
            Some(t) => format!("{t}\t{now} (every {}s)\n", fmt_g(interval)),
            None => format!("{now} (every {}s)\n", fmt_g(interval)),
        });
        let mut elapsed = 0.0;
        let outcome =
            exec_query_and_process_results(e, query, &mut elapsed, None, true, Some(&opt));
        if e.set.timing {
            let t = timing_text(elapsed);
            e.stdout(&t);
        }
        if outcome != QueryOutcome::Success {
            // Ctrl-C ends \watch normally; a failed query ends it with an error.
            crate::interrupt::clear();
            return outcome == QueryOutcome::Interrupted;
        }
        runs += 1;
        if count.is_some_and(|c| runs >= c) {
            return true;
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(interval);
        while std::time::Instant::now() < deadline {
            if crate::interrupt::is_set() {
                crate::interrupt::clear();
                return true;
            }
            std::thread::sleep(
                std::time::Duration::from_millis(20)
                    .min(deadline.saturating_duration_since(std::time::Instant::now())),
            );
        }
    }
}

/// C's `%g` for an interval (`2`, `0.5`, `1.25`).
fn fmt_g(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The local time as C's `strftime("%c")` prints it in the C locale: `Mon Dec  7 10:05:31 2026`.
pub fn ctime_now() -> String {
    let now = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::system());
    now.strftime("%a %b %e %H:%M:%S %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_print_as_c_g() {
        assert_eq!(fmt_g(2.0), "2");
        assert_eq!(fmt_g(0.5), "0.5");
    }

    #[test]
    fn time_has_the_c_locale_shape() {
        let t = ctime_now();
        assert_eq!(t.len(), 24, "{t}");
    }
}
