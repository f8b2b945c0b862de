//! Where the REPL's input lines come from (the line editor on a terminal), as the psql engine's input.

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
    /// The line editor's history, oldest first (`\s`).
    fn history(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A source shared with its owner (who saves the line editor's history after the run).
impl<S: LineSource> LineSource for std::rc::Rc<std::cell::RefCell<S>> {
    fn read_line(&mut self, prompt: &str) -> Read {
        self.borrow_mut().read_line(prompt)
    }

    fn add_history(&mut self, entry: &str) {
        self.borrow_mut().add_history(entry);
    }

    fn history(&self) -> Vec<String> {
        self.try_borrow().map(|s| s.history()).unwrap_or_default()
    }
}

/// A line source as the psql engine's input (the terminal's line editor for psql's interactive loop).
/// COPY data typed at the terminal is read line by line through the same editor.
pub struct PsqlInput<S: LineSource> {
    source: S,
    /// The source is a terminal (psql shows prompts and reads interactively).
    terminal: bool,
    /// pgsh's REPL: Rhai as well as SQL (see `Input::mixed`).
    mixed: bool,
    /// The lines after the first of a multi-line answer of the editor (a bracketed paste), still to hand
    /// out one by one.
    pasted: std::collections::VecDeque<String>,
}

impl<S: LineSource> PsqlInput<S> {
    pub fn new(source: S, terminal: bool, mixed: bool) -> Self {
        PsqlInput {
            source,
            terminal,
            mixed,
            pasted: std::collections::VecDeque::new(),
        }
    }

    /// The next line: a paste is handed out a line at a time, so each of its lines is read as if typed
    /// (a pasted Rhai line after SQL is Rhai, COPY data is data).
    fn next_line(&mut self, prompt: &str) -> Read {
        if let Some(l) = self.pasted.pop_front() {
            return Read::Line(l);
        }
        match self.source.read_line(prompt) {
            Read::Line(l) if l.contains('\n') => {
                let mut lines = l.split('\n').map(|p| p.trim_end_matches('\r').to_string());
                let first = lines.next().unwrap_or_default();
                self.pasted.extend(lines);
                // A paste that ends with a newline leaves no empty line behind.
                if self.pasted.back().is_some_and(String::is_empty) {
                    self.pasted.pop_back();
                }
                Read::Line(first)
            }
            other => other,
        }
    }
}

impl<S: LineSource> crate::psql::input::Input for PsqlInput<S> {
    fn read_line(&mut self, prompt: &str) -> crate::psql::input::ReadLine {
        match self.next_line(prompt) {
            Read::Line(l) => crate::psql::input::ReadLine::Line(l),
            Read::Interrupted => crate::psql::input::ReadLine::Interrupted,
            Read::Eof => crate::psql::input::ReadLine::Eof,
        }
    }

    fn read_raw_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<usize> {
        match self.next_line("") {
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

    fn history(&self) -> Vec<String> {
        self.source.history()
    }

    fn mixed(&self) -> bool {
        self.mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psql::input::{Input, ReadLine};

    struct Answers(Vec<String>);

    impl LineSource for Answers {
        fn read_line(&mut self, _prompt: &str) -> Read {
            if self.0.is_empty() {
                Read::Eof
            } else {
                Read::Line(self.0.remove(0))
            }
        }
    }

    #[test]
    fn a_paste_is_read_a_line_at_a_time() {
        let src = Answers(vec![
            "SELECT 1;\nlet w = 6;\r\nw * 7\n".into(),
            "after".into(),
        ]);
        let mut input = PsqlInput::new(src, true, true);
        let mut got = Vec::new();
        while let ReadLine::Line(l) = input.read_line("> ") {
            got.push(l);
        }
        assert_eq!(got, ["SELECT 1;", "let w = 6;", "w * 7", "after"]);
    }
}
