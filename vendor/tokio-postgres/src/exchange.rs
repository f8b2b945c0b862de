//! pgsh patch (see vendor/README.md): a query sent with the simple query protocol, as libpq's `PQexec`
//! sends it, with every message the server answers in the order it sent them — row descriptions with their
//! column types, rows, command tags, errors, notices, parameter changes and the COPY sub-protocol — up to
//! and including ReadyForQuery. The caller plays libpq's part: it reads each message, and answers a
//! CopyInResponse with CopyData and then CopyDone or CopyFail.

use crate::codec::{BackendMessages, FrontendMessage};
use crate::connection::RequestMessages;
use crate::Error;
use bytes::{Bytes, BytesMut};
use fallible_iterator::FallibleIterator;
use futures_channel::mpsc;
use futures_util::{SinkExt, StreamExt};
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;
use std::future;
use std::task::{Context, Poll, ready};

/// One simple-query exchange; see the module documentation.
pub struct Exchange {
    /// What the client sends; dropped once the server is ready for the next query, which ends the request.
    sender: Option<mpsc::Sender<FrontendMessage>>,
    receiver: mpsc::Receiver<BackendMessages>,
    cur: BackendMessages,
    /// The server asked for COPY data and has not been given CopyDone or CopyFail yet.
    copy_in: bool,
    done: bool,
}

impl Exchange {
    pub(crate) fn start(client: &crate::client::InnerClient, query: &str) -> Result<Exchange, Error> {
        let mut buf = BytesMut::new();
        frontend::query(query, &mut buf).map_err(Error::encode)?;
        Exchange::start_raw(client, buf.freeze())
    }

    /// Send `messages` (already encoded frontend messages ending with Sync or a Query) and read the
    /// answer the same way: libpq's `PQprepare`/`PQdescribePrepared` with the unnamed statement, or a
    /// `\bind` execution, are exchanges of this kind.
    pub(crate) fn start_raw(
        client: &crate::client::InnerClient,
        messages: Bytes,
    ) -> Result<Exchange, Error> {
        let (mut sender, receiver) = mpsc::channel(1);
        // The channel holds one message per sender without waiting: the request itself.
        sender
            .try_send(FrontendMessage::Raw(messages))
            .map_err(|_| Error::closed())?;
        let responses = client.send_in_band(RequestMessages::Raw(receiver))?;
        Ok(Exchange {
            sender: Some(sender),
            receiver: responses,
            cur: BackendMessages::empty(),
            copy_in: false,
            done: false,
        })
    }

    /// The next message from the server; `None` after ReadyForQuery.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Message>, Error>> {
        if self.done {
            return Poll::Ready(Ok(None));
        }
        loop {
            if let Some(message) = self.cur.next().map_err(Error::parse)? {
                match &message {
                    Message::ReadyForQuery(_) => {
                        self.done = true;
                        self.copy_in = false;
                        // Ends the request: the connection goes on to the next one.
                        self.sender = None;
                    }
                    Message::CopyInResponse(_) => self.copy_in = true,
                    _ => {}
                }
                return Poll::Ready(Ok(Some(message)));
            }
            match ready!(self.receiver.poll_next_unpin(cx)) {
                Some(messages) => self.cur = messages,
                None => return Poll::Ready(Err(Error::closed())),
            }
        }
    }

    /// The next message from the server; `None` after ReadyForQuery.
    pub async fn next(&mut self) -> Result<Option<Message>, Error> {
        future::poll_fn(|cx| self.poll_next(cx)).await
    }

    /// Whether the server is waiting for COPY data.
    pub fn in_copy_in(&self) -> bool {
        self.copy_in
    }

    async fn send(&mut self, buf: BytesMut) -> Result<(), Error> {
        match &mut self.sender {
            Some(sender) => sender
                .send(FrontendMessage::Raw(buf.freeze()))
                .await
                .map_err(|_| Error::closed()),
            None => Err(Error::closed()),
        }
    }

    /// Send COPY data (after a CopyInResponse).
    pub async fn copy_data(&mut self, data: Bytes) -> Result<(), Error> {
        let mut buf = BytesMut::with_capacity(data.len() + 5);
        frontend::CopyData::new(data)
            .map_err(Error::encode)?
            .write(&mut buf);
        self.send(buf).await
    }

    /// End the COPY data.
    pub async fn copy_done(&mut self) -> Result<(), Error> {
        let mut buf = BytesMut::new();
        frontend::copy_done(&mut buf);
        self.copy_in = false;
        self.send(buf).await
    }

    /// Abort the COPY with this message (the server answers with an error).
    pub async fn copy_fail(&mut self, message: &str) -> Result<(), Error> {
        let mut buf = BytesMut::new();
        frontend::copy_fail(message, &mut buf).map_err(Error::encode)?;
        self.copy_in = false;
        self.send(buf).await
    }
}

impl Drop for Exchange {
    fn drop(&mut self) {
        // A COPY the caller gave up on must still end, or the server would wait for its data forever and
        // every later request on the connection behind it.
        if self.copy_in {
            let mut buf = BytesMut::new();
            if frontend::copy_fail("COPY abandoned by the client", &mut buf).is_ok() {
                if let Some(sender) = &mut self.sender {
                    let _ = sender.try_send(FrontendMessage::Raw(buf.freeze()));
                }
            }
        }
    }
}
