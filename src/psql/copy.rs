//! COPY through psql (`copy.c`): the data of a `COPY … FROM STDIN` / `TO STDOUT` in the middle of a query
//! string (`handleCopyIn`, `handleCopyOut`), from and to the input the command came from, the query output,
//! a `\g` file, or `\copy`'s file or program.

use std::io::{Read, Write};

use bytes::Bytes;

use crate::db::simple_query::SimpleQuery;
use crate::error::Result;
use crate::psql::engine::{CopyStream, Engine};
use crate::psql::output::{os_error, Out};

/// Size of one COPY data message psql sends.
const COPYBUFSIZ: usize = 8192;

/// `handleCopyOut`: write the COPY data to where it belongs (a `\copy` target, a `\g` file, the query
/// output). Returns whether writing worked, and whether the data went to the query output (where the
/// COPY's status line would read as data, so it is not printed).
pub fn handle_copy_out(
    e: &mut Engine,
    q: &mut SimpleQuery<'_>,
    gfile: &mut Option<Out>,
    _is_watch: bool,
) -> Result<(bool, bool)> {
    let to_query_out = match &e.copy_stream {
        None => e.once.gfname.is_none(),
        Some(CopyStream::Stdout) => e.out.is_stdout(),
        Some(_) => false,
    };
    let mut ok = true;
    let mut write_failed = false;
    // `\g file` opens the file for COPY data too (psql sends COPY TO STDOUT there).
    if e.copy_stream.is_none() && e.once.gfname.is_some() && gfile.is_none() {
        match Out::open(e.once.gfname.clone().as_deref()) {
            Ok(o) => *gfile = Some(o),
            Err(msg) => {
                e.log_error(&msg);
                ok = false;
            }
        }
    }
    while let Some(item) = q.copy_out_next()? {
        let chunk = match item {
            crate::db::simple_query::CopyOutItem::Data(d) => d,
            crate::db::simple_query::CopyOutItem::Notice(n) => {
                // In its place among the data: what was written so far goes out first.
                if let Some(g) = gfile.as_mut() {
                    let _ = g.flush();
                }
                crate::psql::psqlexec::show_notice(e, &n, "");
                continue;
            }
        };
        if write_failed {
            continue;
        }
        let r = match (&mut e.copy_stream, gfile.as_mut()) {
            (Some(CopyStream::Writer(w)), _) => w.write_all(&chunk),
            (Some(CopyStream::Stdout), _) => std::io::stdout().write_all(&chunk),
            (Some(_), _) => Ok(()),
            (None, Some(g)) => g.write_all(&chunk),
            (None, None) => e.out.write_all(&chunk),
        };
        if let Err(err) = r {
            e.log_error(&format!("could not write COPY data: {}", os_error(&err)));
            write_failed = true;
            ok = false;
        }
    }
    if !write_failed {
        let r = match (&mut e.copy_stream, gfile.as_mut()) {
            (Some(CopyStream::Writer(w)), _) => w.flush(),
            (Some(CopyStream::Stdout), _) => std::io::stdout().flush(),
            (Some(_), _) => Ok(()),
            (None, Some(g)) => g.flush(),
            (None, None) => e.out.flush(),
        };
        if let Err(err) = r {
            e.log_error(&format!("could not write COPY data: {}", os_error(&err)));
            ok = false;
        }
    }
    Ok((ok, to_query_out))
}

/// Where COPY FROM STDIN data is read from.
enum Source {
    /// The input the command came from (psql's `pset.cur_cmd_source`).
    Current,
    Reader,
    Stdin,
}

/// `handleCopyIn`: send the data that follows (text: line by line up to `\.`; binary: everything), then
/// end the COPY. The COPY's own result follows in the exchange.
pub fn handle_copy_in(e: &mut Engine, q: &mut SimpleQuery<'_>, binary: bool) -> Result<bool> {
    let source = match &e.copy_stream {
        Some(CopyStream::Reader(_)) => Source::Reader,
        Some(CopyStream::Stdin) => Source::Stdin,
        _ => Source::Current,
    };
    // pstdin when the current input is stdin itself reads on from it (one reader, one buffer).
    let source = match source {
        Source::Stdin if e.current_input_is_stdin() => Source::Current,
        s => s,
    };
    let interactive = matches!(source, Source::Current) && e.current_input_is_terminal();
    if interactive && !e.set.quiet {
        e.stdout("Enter data to be copied followed by a newline.\nEnd with a backslash and a period on a line by itself, or an EOF signal.\n");
    }
    let mut ok = true;
    // Not locked here: the current input may itself read stdin (`-c 'COPY … FROM STDIN'`).
    let mut stdin_reader = std::io::stdin();
    if binary {
        let mut buf = vec![0u8; COPYBUFSIZ];
        loop {
            if crate::interrupt::is_set() {
                q.copy_fail("canceled by user")?;
                return Ok(false);
            }
            let n = match source {
                Source::Current => e.read_current_raw(&mut buf),
                Source::Stdin => stdin_reader.read(&mut buf),
                Source::Reader => match &mut e.copy_stream {
                    Some(CopyStream::Reader(r)) => r.read(&mut buf),
                    _ => Ok(0),
                },
            };
            match n {
                Ok(0) => break,
                Ok(n) => q.copy_data(Bytes::copy_from_slice(&buf[..n]))?,
                Err(_) => {
                    ok = false;
                    break;
                }
            }
        }
    } else {
        let mut buf: Vec<u8> = Vec::with_capacity(COPYBUFSIZ);
        let mut line: Vec<u8> = Vec::new();
        let mut done = false;
        let mut stdin_buf = std::io::BufReader::new(&mut stdin_reader);
        while !done {
            if crate::interrupt::is_set() {
                q.copy_fail("canceled by user")?;
                return Ok(false);
            }
            if interactive {
                // PROMPT3, its escapes expanded as psql's get_prompt(PROMPT_COPY) does.
                let prompt = crate::psql::promptfacts::prompt(
                    e,
                    crate::psql::scan::PromptStatus::Copy,
                    true,
                );
                e.stdout(&prompt);
            }
            line.clear();
            let n = match source {
                Source::Current => e.read_current_raw_line(&mut line),
                Source::Stdin => std::io::BufRead::read_until(&mut stdin_buf, b'\n', &mut line),
                Source::Reader => read_line_from_stream(e, &mut line),
            };
            match n {
                Ok(0) => done = true,
                Ok(_) => {
                    if line.last() == Some(&b'\n') {
                        if line == b"\\.\n" || line == b"\\.\r\n" {
                            done = true;
                        }
                        if matches!(source, Source::Current) {
                            e.set.lineno += 1;
                            e.set.stmt_lineno += 1;
                        }
                    }
                    buf.extend_from_slice(&line);
                }
                Err(_) => {
                    ok = false;
                    done = true;
                }
            }
            if buf.len() >= COPYBUFSIZ - 5 || (done && !buf.is_empty()) {
                q.copy_data(Bytes::from(std::mem::take(&mut buf)))?;
            }
        }
    }
    if ok {
        q.copy_done()?;
    } else {
        q.copy_fail("aborted because of read failure")?;
    }
    Ok(ok)
}

/// One line from `\copy`'s file or program, through a small line buffer kept in the engine.
fn read_line_from_stream(e: &mut Engine, line: &mut Vec<u8>) -> std::io::Result<usize> {
    let Some(CopyStream::Reader(r)) = &mut e.copy_stream else {
        return Ok(0);
    };
    // Served from a read-ahead buffer kept in the engine (the stream itself is unbuffered).
    loop {
        if let Some(pos) = e.copy_pending.iter().position(|&b| b == b'\n') {
            let rest = e.copy_pending.split_off(pos + 1);
            let n = e.copy_pending.len();
            line.extend_from_slice(&e.copy_pending);
            e.copy_pending = rest;
            return Ok(n);
        }
        let mut chunk = [0u8; COPYBUFSIZ];
        let got = r.read(&mut chunk)?;
        if got == 0 {
            let n = e.copy_pending.len();
            line.append(&mut e.copy_pending);
            return Ok(n);
        }
        e.copy_pending.extend_from_slice(&chunk[..got]);
    }
}
