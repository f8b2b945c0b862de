//! The terminal: its size, whether to use colours (only on a terminal, never with NO_COLOR), the pager
//! long results go through (`$PAGER`, default `less`, as tables in psql do), progress bars and the one
//! status line that rewrites itself (connection retries).

use std::io::{IsTerminal, Write};

/// (columns, rows) of the terminal on stdout, if it is one.
pub fn size() -> Option<(usize, usize)> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; a failure leaves it zeroed and is checked below.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0 && ws.ws_row > 0).then_some((ws.ws_col as usize, ws.ws_row as usize))
}

/// Columns of the terminal on stderr, if it is one (where status lines go); 80 when it does not say.
pub fn stderr_width() -> Option<usize> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    // SAFETY: as in `size`.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    Some(if ok && ws.ws_col > 0 {
        ws.ws_col as usize
    } else {
        80
    })
}

/// One line on a terminal that each update rewrites in place (carriage return, erase to the end of the
/// line), cut to the terminal's width so it never wraps: a wrapped line could not be rewritten. Anything
/// else written to the terminal must [`clear`](StatusLine::clear) it first.
#[derive(Debug, Default)]
pub struct StatusLine {
    shown: bool,
}

impl StatusLine {
    /// Show `text` in place of what the line showed; `width` is the terminal's (one column stays free, so
    /// the cursor never wraps to a new line).
    pub fn show(&mut self, out: &mut dyn Write, text: &str, width: usize) -> std::io::Result<()> {
        let room = width.saturating_sub(1).max(10);
        let cut: String = if text.chars().count() > room {
            let mut t: String = text.chars().take(room.saturating_sub(1)).collect();
            t.push('…');
            t
        } else {
            text.to_string()
        };
        self.shown = true;
        write!(out, "\r\x1b[K{cut}")?;
        out.flush()
    }

    /// Remove the line, leaving the cursor at the start of the now empty line.
    pub fn clear(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if std::mem::take(&mut self.shown) {
            write!(out, "\r\x1b[K")?;
            out.flush()?;
        }
        Ok(())
    }
}

/// Colours are for terminals only, and `NO_COLOR` (any value) turns them off (no-color.org).
pub fn colours_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Show `text` (help, listings: prose that wraps) through the pager; `Err` when the pager cannot be
/// started (the caller prints instead). The pager is the one tables go through (`$PSQL_PAGER`,
/// `$PAGER`, else `less`), which wraps long lines rather than cutting them as `less -S` would.
pub fn page(text: &str) -> std::io::Result<()> {
    let psql_pager = std::env::var("PSQL_PAGER").ok();
    let pager = std::env::var("PAGER").ok();
    let Some(pager) = crate::output::pager::pager_command(psql_pager.as_deref(), pager.as_deref())
    else {
        return Err(std::io::Error::other("no pager"));
    };
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(&pager)
        .env(
            "LESS",
            std::env::var("LESS").unwrap_or_else(|_| "-FRX".into()),
        )
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // A pager quit early closes its stdin: that is not an error worth reporting.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait()?;
    Ok(())
}

/// How many rows of a screen `cols` wide `text` takes, its long lines wrapped.
pub fn screen_rows(text: &str, cols: usize) -> usize {
    text.lines()
        .map(|l| {
            let w = crate::output::table::display_width(l);
            w.div_ceil(cols.max(1)).max(1)
        })
        .sum()
}

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `-q`: no progress bars either.
pub fn set_quiet(q: bool) {
    QUIET.store(q, std::sync::atomic::Ordering::Relaxed);
}

/// A progress bar on stderr for long COPY, SQL-file loads and streams: only on a terminal, only once the
/// work has taken a second (short operations stay silent), never with `-q`.
pub struct Progress {
    enabled: bool,
    total: Option<u64>,
    template: &'static str,
    what: String,
    position: u64,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(total: Option<u64>, template: &'static str, what: &str) -> Progress {
        Progress {
            enabled: !QUIET.load(std::sync::atomic::Ordering::Relaxed)
                && std::io::stderr().is_terminal(),
            total,
            template,
            what: what.to_string(),
            position: 0,
            started: std::time::Instant::now(),
            bar: None,
        }
    }

    /// Bytes of a known (or unknown) total, with throughput.
    pub fn bytes(total: Option<u64>, what: &str) -> Progress {
        let template = if total.is_some() {
            "{spinner} {msg} {bytes}/{total_bytes} ({bytes_rate}, {eta} left) {wide_bar}"
        } else {
            "{spinner} {msg} {bytes} ({bytes_rate})"
        };
        Progress::new(total, template, what)
    }

    /// Rows, with throughput.
    pub fn rows(what: &str) -> Progress {
        Progress::new(None, "{spinner} {msg} {human_pos} rows ({rows_rate})", what)
    }

    pub fn inc(&mut self, n: u64) {
        self.position += n;
        if let Some(bar) = &self.bar {
            bar.set_position(self.position);
            return;
        }
        // The bar is made only when the work turns out to be long.
        if self.enabled && self.started.elapsed() >= std::time::Duration::from_secs(1) {
            // Hidden until fully set up, so no frame shows a zero position.
            let bar = indicatif::ProgressBar::with_draw_target(
                self.total,
                indicatif::ProgressDrawTarget::hidden(),
            );
            // Throughput over the whole run: indicatif's own estimate starts from the jump to the position
            // reached in the silent first second, and would show an absurd rate.
            let started = self.started;
            let rate = move |state: &indicatif::ProgressState| {
                state.pos() as f64 / started.elapsed().as_secs_f64().max(1e-3)
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(self.template) {
                let style = style
                    .with_key(
                        "rows_rate",
                        move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{}/s", indicatif::HumanCount(rate(state) as u64));
                        },
                    )
                    .with_key(
                        "bytes_rate",
                        move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{}/s", indicatif::HumanBytes(rate(state) as u64));
                        },
                    );
                bar.set_style(style);
            }
            bar.set_message(self.what.clone());
            bar.set_position(self.position);
            let bar = bar.with_elapsed(self.started.elapsed());
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar = Some(bar);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A reader that reports its progress.
pub struct ProgressReader<R> {
    inner: R,
    pub progress: Progress,
}

impl<R> ProgressReader<R> {
    pub fn new(inner: R, progress: Progress) -> Self {
        ProgressReader { inner, progress }
    }
}

impl<R: std::io::Read> std::io::Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.inc(n as u64);
        Ok(n)
    }
}

impl<R: std::io::BufRead> std::io::BufRead for ProgressReader<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.progress.inc(amt as u64);
        self.inner.consume(amt)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lines_take_several_rows() {
        assert_eq!(super::screen_rows("a\nb\n", 80), 2);
        assert_eq!(
            super::screen_rows(&format!("{}\n\n", "x".repeat(81)), 80),
            3
        );
        assert_eq!(super::screen_rows(&"é".repeat(160), 80), 2);
    }

    use super::StatusLine;

    #[test]
    fn a_status_line_rewrites_itself_within_the_width_and_clears_once() {
        let mut out = Vec::new();
        let mut line = StatusLine::default();
        line.clear(&mut out).unwrap();
        assert!(out.is_empty(), "nothing shown, nothing to clear");
        line.show(&mut out, "attempt 1", 80).unwrap();
        line.show(&mut out, "attempt 2 with a long cause", 16)
            .unwrap();
        line.clear(&mut out).unwrap();
        line.clear(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\r\x1b[Kattempt 1\r\x1b[Kattempt 2 with\u{2026}\r\x1b[K"
        );
    }
}
