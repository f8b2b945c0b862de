//! Where the REPL's input lines come from: the line editor on a terminal, piped stdin, or nothing.

use std::io::BufRead;

/// What reading a line gave.
pub enum Read {
    Line(String),
    Interrupted,
    Eof,
}

/// Where input lines come from.
pub trait LineSource {
    fn read_line(&mut self, prompt: &str) -> Read;
    fn add_history(&mut self, _entry: &str) {}
}

/// No input at all (for re-running a statement where no data lines can follow).
pub struct NoInput;

impl LineSource for NoInput {
    fn read_line(&mut self, _prompt: &str) -> Read {
        Read::Eof
    }
}

/// Piped stdin: plain lines, no prompt.
pub struct StdinSource<R: BufRead> {
    reader: R,
}

impl<R: BufRead> StdinSource<R> {
    pub fn new(reader: R) -> Self {
        StdinSource { reader }
    }
}

impl<R: BufRead> LineSource for StdinSource<R> {
    fn read_line(&mut self, _prompt: &str) -> Read {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) | Err(_) => Read::Eof,
            Ok(_) => {
                while line.ends_with('\n') || line.ends_with('\r') {
                    line.pop();
                }
                Read::Line(line)
            }
        }
    }
}

/// A line source as the psql engine's input (the terminal's line editor for psql's interactive loop).
/// COPY data typed at the terminal is read line by line through the same editor.
pub struct PsqlInput<S: LineSource> {
    pub source: S,
    /// The source is a terminal (psql shows prompts and reads interactively).
    pub terminal: bool,
}

impl<S: LineSource> crate::psql::input::Input for PsqlInput<S> {
    fn read_line(&mut self, prompt: &str) -> crate::psql::input::ReadLine {
        match self.source.read_line(prompt) {
            Read::Line(l) => crate::psql::input::ReadLine::Line(l),
            Read::Interrupted => crate::psql::input::ReadLine::Interrupted,
            Read::Eof => crate::psql::input::ReadLine::Eof,
        }
    }

    fn read_raw_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<usize> {
        match self.source.read_line("") {
            Read::Line(l) => {
                buf.extend_from_slice(l.as_bytes());
                buf.push(b'\n');
                Ok(l.len() + 1)
            }
            Read::Eof => Ok(0),
            Read::Interrupted => Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "canceled by user",
            )),
        }
    }

    fn read_raw(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut line = Vec::new();
        let n = self.read_raw_line(&mut line)?;
        let n = n.min(buf.len());
        buf[..n].copy_from_slice(&line[..n]);
        Ok(n)
    }

    fn is_terminal(&self) -> bool {
        self.terminal
    }

    fn is_stdin(&self) -> bool {
        true
    }

    fn add_history(&mut self, entry: &str) {
        self.source.add_history(entry);
    }
}
