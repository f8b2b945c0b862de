//! COPY through a session: `COPY … FROM STDIN` fed by the caller, `COPY … TO STDOUT` into a sink.

use super::{cancel_guard, Session};
use crate::db::connect::map_error;
use crate::error::{Error, ErrorKind, Result};

/// An I/O error met while COPY data streams: the server's error when the driver wrapped one (the COPY
/// failed there), else the local failure, named by `what`.
fn copy_io_error(e: &std::io::Error, sql: &str, what: &str) -> Error {
    match e
        .get_ref()
        .and_then(|x| x.downcast_ref::<postgres::Error>())
    {
        Some(pe) => map_error(pe).with_sql(sql),
        None => Error::new(ErrorKind::Io, format!("{what}: {e}")),
    }
}

impl Session {
    /// `COPY ... FROM STDIN`: `feed` writes the data (streamed, never held whole); returns the rows copied.
    pub fn copy_in(
        &mut self,
        sql: &str,
        feed: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<u64>,
    ) -> Result<u64> {
        super::no_nul(sql)?;
        self.settle_stream_tx()?;
        self.echo(sql, &[]);
        let conn = self.conn()?;
        let result = (|| {
            let _guard = cancel_guard(conn);
            let mut writer = conn
                .client
                .copy_in(sql)
                .map_err(|e| map_error(&e).with_sql(sql))?;
            if let Err(e) = feed(&mut writer) {
                // Dropping the writer without finish() aborts the COPY on the server.
                drop(writer);
                return Err(copy_io_error(&e, sql, "COPY data"));
            }
            writer.finish().map_err(|e| map_error(&e).with_sql(sql))
        })();
        self.finish(sql, result)
    }

    /// `COPY ... TO STDOUT`: `sink` receives the data as it arrives; returns the bytes written.
    pub fn copy_out(&mut self, sql: &str, sink: &mut dyn std::io::Write) -> Result<u64> {
        super::no_nul(sql)?;
        self.settle_stream_tx()?;
        self.echo(sql, &[]);
        let conn = self.conn()?;
        let result = (|| {
            let _guard = cancel_guard(conn);
            let mut reader = conn
                .client
                .copy_out(sql)
                .map_err(|e| map_error(&e).with_sql(sql))?;
            // COPY sends one message per row: gather them into large writes, so whatever the sink does per
            // write (counting records, progress, the file) happens once per 256 KB rather than once per row.
            let read_err = |e: std::io::Error| copy_io_error(&e, sql, "COPY output");
            let write_err =
                |e: std::io::Error| Error::new(ErrorKind::Io, format!("COPY output: {e}"));
            let mut staged: Vec<u8> = Vec::with_capacity(256 * 1024);
            let mut total = 0u64;
            loop {
                use std::io::BufRead;
                let chunk = reader.fill_buf().map_err(read_err)?;
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len();
                staged.extend_from_slice(chunk);
                reader.consume(n);
                total += n as u64;
                if staged.len() >= 256 * 1024 {
                    sink.write_all(&staged).map_err(write_err)?;
                    staged.clear();
                }
            }
            sink.write_all(&staged).map_err(write_err)?;
            Ok(total)
        })();
        self.finish(sql, result)
    }
}
