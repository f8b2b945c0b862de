//! Where psql's input comes from (`pset.cur_cmd_source`): a file, stdin, a `-c` string, or the terminal's
//! line editor. The main loop reads lines; COPY FROM STDIN reads raw data from the same source, so data
//! lines after a `COPY … FROM stdin;` in a file are the file's next lines.

use std::io::{self, BufRead};

/// What reading a line gave.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadLine {
    /// A line, without its line terminator.
    Line(String),
    /// A line that is not valid UTF-8 (pgsh keeps SQL as Rust text); the engine reports it.
    Invalid,
    Eof,
    /// Ctrl-C at an interactive prompt.
    Interrupted,
}

/// A source of input lines (and COPY data).
pub trait Input {
    /// The next line, showing `prompt` first when interactive.
    fn read_line(&mut self, prompt: &str) -> ReadLine;

    /// COPY text data: the next line with its newline appended to `buf`, as raw bytes (`fgets`); 0 at
    /// the end of input.
    fn read_raw_line(&mut self, buf: &mut Vec<u8>) -> io::Result<usize>;

    /// COPY binary data: up to `buf.len()` raw bytes; 0 at the end of input.
    fn read_raw(&mut self, buf: &mut [u8]) -> io::Result<usize>;

    /// Reading from a terminal (psql's `isatty(fileno(source))`).
    fn is_terminal(&self) -> bool {
        false
    }

    /// This source is the process's stdin (so `\copy … from pstdin` reads on from it).
    fn is_stdin(&self) -> bool {
        false
    }

    /// Remember an entry in the line editor's history.
    fn add_history(&mut self, _entry: &str) {}

    /// The line editor's history, oldest first (`\s`); empty without a line editor.
    fn history(&self) -> Vec<String> {
        Vec::new()
    }

    /// Lines may be pgsh's Rhai as well as SQL (pgsh's REPL and piped stdin; never a file run by `-f`
    /// or `\\i`): the engine's extension is offered each line that starts a statement.
    fn mixed(&self) -> bool {
        false
    }
}

/// Lines from any buffered reader: a file, stdin, a `-c` string.
pub struct ReaderInput<R: BufRead> {
    reader: R,
    stdin: bool,
    terminal: bool,
    mixed: bool,
}

impl<R: BufRead> ReaderInput<R> {
    pub fn new(reader: R) -> Self {
        ReaderInput {
            reader,
            stdin: false,
            terminal: false,
            mixed: false,
        }
    }

    /// Mark this reader as holding pgsh's mixed Rhai and SQL (see [`Input::mixed`]).
    pub fn marked_mixed(mut self) -> Self {
        self.mixed = true;
        self
    }

    /// Mark this reader as the process's stdin (and whether that is a terminal).
    pub fn marked_stdin(mut self, terminal: bool) -> Self {
        self.stdin = true;
        self.terminal = terminal;
        self
    }
}

impl<R: BufRead> Input for ReaderInput<R> {
    fn read_line(&mut self, _prompt: &str) -> ReadLine {
        let mut buf = Vec::new();
        let mut read = self.reader.read_until(b'\n', &mut buf);
        // psql reads with fgets and measures with strlen: a NUL byte ends what it keeps of that piece,
        // newline included, so the next line continues the same one. The NUL never reaches the server
        // (where it would break the protocol message and end the connection).
        while let Some(nul) = buf.iter().position(|&b| b == 0) {
            buf.truncate(nul);
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                other => read = other.map(|n| n + nul),
            }
        }
        match read {
            Ok(0) | Err(_) => ReadLine::Eof,
            Ok(_) => {
                // psql's gets_fromFile strips the newline (and a \r before it, for Windows files).
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                }
                match String::from_utf8(buf) {
                    Ok(s) => ReadLine::Line(s),
                    Err(_) => ReadLine::Invalid,
                }
            }
        }
    }

    fn read_raw_line(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        self.reader.read_until(b'\n', buf)
    }

    fn read_raw(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.reader.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.reader.consume(n);
        Ok(n)
    }

    fn is_terminal(&self) -> bool {
        self.terminal
    }

    fn is_stdin(&self) -> bool {
        self.stdin
    }

    fn mixed(&self) -> bool {
        self.mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_raw_lines_and_bad_utf8() {
        let data: &[u8] = b"SELECT 1;\r\nCOPY t FROM stdin;\n1\t2\n\\.\n\xff\xfe\nlast";
        let mut input = ReaderInput::new(data);
        assert_eq!(input.read_line(""), ReadLine::Line("SELECT 1;".into()));
        assert_eq!(
            input.read_line(""),
            ReadLine::Line("COPY t FROM stdin;".into())
        );
        let mut buf = Vec::new();
        assert_eq!(input.read_raw_line(&mut buf).ok(), Some(4));
        assert_eq!(input.read_raw_line(&mut buf).ok(), Some(3));
        assert_eq!(buf, b"1\t2\n\\.\n");
        assert_eq!(input.read_line(""), ReadLine::Invalid);
        assert_eq!(input.read_line(""), ReadLine::Line("last".into()));
        assert_eq!(input.read_line(""), ReadLine::Eof);
    }
}
