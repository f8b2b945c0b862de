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
}

/// A source shared with its owner (who saves the line editor's history after the run).
impl<S: LineSource> LineSource for std::rc::Rc<std::cell::RefCell<S>> {
    fn read_line(&mut self, prompt: &str) -> Read {
        self.borrow_mut().read_line(prompt)
    }

    fn add_history(&mut self, entry: &str) {
        self.borrow_mut().add_history(entry);
    }
}

/// A line source as the psql engine's input (the terminal's line editor for psql's interactive loop).
/// COPY data typed at the terminal is read line by line through the same editor.
pub struct PsqlInput<S: LineSource> {
    pub source: S,
    /// The source is a terminal (psql shows prompts and reads interactively).
    pub terminal: bool,
    /// pgsh's REPL: Rhai as well as SQL (see `Input::mixed`).
    pub mixed: bool,
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

    fn mixed(&self) -> bool {
        self.mixed
    }
}
