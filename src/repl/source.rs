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
