//! Where psql's output goes: `pset.queryFout` (stdout, a file from `-o`/`\o`, or a pipe to a command),
//! one-shot `\g file` / `\g |command` targets, the `-L` log file, and stdout/stderr ordering — everything
//! on stderr is preceded by flushing stdout, as psql's logging does, so `> out 2>&1` reads in order.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// An output stream: stdout, a file, or a command's stdin (`|command`).
pub enum Out {
    Stdout(BufWriter<io::Stdout>),
    File(BufWriter<File>),
    Pipe {
        child: Child,
        stdin: Option<BufWriter<ChildStdin>>,
    },
}

impl Out {
    pub fn stdout() -> Out {
        Out::Stdout(BufWriter::with_capacity(64 * 1024, io::stdout()))
    }

    /// psql's `openQueryOutputFile`: `None`/empty → stdout, `|cmd` → a pipe to `sh -c cmd`, else a file
    /// created (truncated). The error is psql's message text (`file: reason`).
    pub fn open(target: Option<&str>) -> Result<Out, String> {
        match target {
            None | Some("") => Ok(Out::stdout()),
            Some(t) if t.starts_with('|') => {
                let mut child = Command::new("/bin/sh")
                    .arg("-c")
                    .arg(&t[1..])
                    .stdin(Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("{t}: {}", crate::psql::output::os_error(&e)))?;
                let stdin = child.stdin.take().map(BufWriter::new);
                Ok(Out::Pipe { child, stdin })
            }
            Some(path) => File::create(path)
                .map(|f| Out::File(BufWriter::with_capacity(64 * 1024, f)))
                .map_err(|e| format!("{path}: {}", os_error(&e))),
        }
    }

    pub fn is_stdout(&self) -> bool {
        matches!(self, Out::Stdout(_))
    }

    /// Writing to a terminal (stdout that is a tty).
    pub fn is_terminal(&self) -> bool {
        matches!(self, Out::Stdout(_)) && io::stdout().is_terminal()
    }

    /// Flush, and for a pipe wait for the command to finish (psql's `pclose`).
    pub fn close(self) -> io::Result<()> {
        match self {
            Out::Stdout(mut w) => w.flush(),
            Out::File(mut w) => w.flush(),
            Out::Pipe { mut child, stdin } => {
                let r = match stdin {
                    Some(mut w) => w.flush(),
                    None => Ok(()),
                };
                // Dropping stdin above closed the pipe: the command sees its end of input.
                child.wait()?;
                r
            }
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::Stdout(w) => w.write(buf),
            Out::File(w) => w.write(buf),
            Out::Pipe { stdin, .. } => match stdin {
                Some(w) => w.write(buf),
                None => Err(io::Error::from(io::ErrorKind::BrokenPipe)),
            },
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Stdout(w) => w.flush(),
            Out::File(w) => w.flush(),
            Out::Pipe { stdin, .. } => match stdin {
                Some(w) => w.flush(),
                None => Ok(()),
            },
        }
    }
}

/// An I/O error as C's `%m` prints it: the OS message without Rust's " (os error N)".
pub fn os_error(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_like_c() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(os_error(&e), "No such file or directory");
    }

    #[test]
    fn files_and_pipes() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { return };
        let path = dir.path().join("o.txt");
        let mut out = Out::open(path.to_str()).unwrap_or_else(|e| panic!("{e}"));
        out.write_all(b"hello\n").unwrap_or_else(|e| panic!("{e}"));
        out.close().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("hello\n")
        );
        let target = format!("|cat > {}", dir.path().join("p.txt").display());
        let mut out = Out::open(Some(&target)).unwrap_or_else(|e| panic!("{e}"));
        out.write_all(b"piped\n").unwrap_or_else(|e| panic!("{e}"));
        out.close().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("p.txt"))
                .ok()
                .as_deref(),
            Some("piped\n")
        );
        let e = Out::open(Some("/nonexistent-dir/x"))
            .err()
            .unwrap_or_default();
        assert_eq!(e, "/nonexistent-dir/x: No such file or directory");
    }
}
