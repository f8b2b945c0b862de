use crate::connection::ConnectionRef;
use crate::lazy_pin::LazyPin;
use bytes::{Buf, Bytes, BytesMut};
use futures_util::StreamExt;
use std::io::{self, BufRead, Read};
use tokio_postgres::CopyOutStream;

/// The reader returned by the `copy_out` method.
pub struct CopyOutReader<'a> {
    pub(crate) connection: ConnectionRef<'a>,
    pub(crate) stream: LazyPin<CopyOutStream>,
    cur: Bytes,
    /// The stream has ended (it must not be polled again).
    done: bool,
}

impl<'a> CopyOutReader<'a> {
    pub(crate) fn new(connection: ConnectionRef<'a>, stream: CopyOutStream) -> CopyOutReader<'a> {
        CopyOutReader {
            connection,
            stream: LazyPin::new(stream),
            cur: Bytes::new(),
            done: false,
        }
    }
}

impl Read for CopyOutReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let b = self.fill_buf()?;
        let len = usize::min(buf.len(), b.len());
        buf[..len].copy_from_slice(&b[..len]);
        self.consume(len);
        Ok(len)
    }
}

/// How much COPY data one trip into the runtime gathers (pgsh patch, see vendor/README.md).
const GATHER: usize = 64 * 1024;

impl BufRead for CopyOutReader<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while !self.cur.has_remaining() && !self.done {
            let mut stream = self.stream.pinned();
            let done = &mut self.done;
            // pgsh patch: the server sends one CopyData message per row, and entering the runtime once per
            // message cost a third of the time of a large COPY TO. Gather messages in one `block_on` instead.
            match self.connection.block_on(async {
                let first = match stream.next().await.transpose()? {
                    Some(b) => b,
                    None => {
                        *done = true;
                        return Ok(None);
                    }
                };
                if first.len() >= GATHER {
                    return Ok(Some(first));
                }
                let mut buf = BytesMut::with_capacity(GATHER + first.len());
                buf.extend_from_slice(&first);
                while buf.len() < GATHER {
                    match stream.next().await.transpose()? {
                        Some(b) => buf.extend_from_slice(&b),
                        None => {
                            *done = true;
                            break;
                        }
                    }
                }
                Ok(Some(buf.freeze()))
            }) {
                Ok(Some(cur)) => self.cur = cur,
                Err(e) => return Err(io::Error::other(e)),
                Ok(None) => break,
            };
        }

        Ok(&self.cur)
    }

    fn consume(&mut self, amt: usize) {
        self.cur.advance(amt);
    }
}
