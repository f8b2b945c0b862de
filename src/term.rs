//! The terminal: its size, whether to use colours (only on a terminal, never with NO_COLOR), and the pager
//! long results go through (`$PAGER`, default `less -S`, as psql does).

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

/// Colours are for terminals only, and `NO_COLOR` (any value) turns them off (no-color.org).
pub fn colours_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Does `text` need a pager on a terminal of `rows` × `cols`?
pub fn needs_pager(text: &str, cols: usize, rows: usize) -> bool {
    let lines = text.lines().count();
    lines + 1 > rows
        || text
            .lines()
            .any(|l| crate::output::table::display_width(l) > cols)
}

/// Show `text` through the pager; `Err` when the pager cannot be started (the caller prints instead).
pub fn page(text: &str) -> std::io::Result<()> {
    let pager = std::env::var("PSQL_PAGER")
        .or_else(|_| std::env::var("PAGER"))
        .unwrap_or_else(|_| "less -S".into());
    if pager.trim().is_empty() {
        return Err(std::io::Error::other("no pager"));
    }
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
