//! pgsh patch (see vendor/README.md): the blocking side of `tokio_postgres::Exchange`, a simple-query
//! exchange with every server message in order.

use crate::connection::ConnectionRef;
use bytes::Bytes;
use tokio_postgres::backend_message::Message;
use tokio_postgres::Error;

/// A query sent with the simple query protocol; read its messages with [`Exchange::next`] until it gives
/// `None` (after ReadyForQuery). Dropping it early is safe: a COPY waiting for data is failed, and the
/// connection reads past the rest of the answer.
pub struct Exchange<'a> {
    connection: ConnectionRef<'a>,
    inner: tokio_postgres::Exchange,
}

impl<'a> Exchange<'a> {
    pub(crate) fn new(connection: ConnectionRef<'a>, inner: tokio_postgres::Exchange) -> Self {
        Exchange { connection, inner }
    }

    /// The next message from the server; `None` after ReadyForQuery.
    pub fn next(&mut self) -> Result<Option<Message>, Error> {
        self.connection.block_on(self.inner.next())
    }

    /// Whether the server is waiting for COPY data.
    pub fn in_copy_in(&self) -> bool {
        self.inner.in_copy_in()
    }

    /// Send COPY data.
    pub fn copy_data(&mut self, data: Bytes) -> Result<(), Error> {
        self.connection.block_on(self.inner.copy_data(data))
    }

    /// End the COPY data.
    pub fn copy_done(&mut self) -> Result<(), Error> {
        self.connection.block_on(self.inner.copy_done())
    }

    /// Abort the COPY; the server answers with an error carrying `message`.
    pub fn copy_fail(&mut self, message: &str) -> Result<(), Error> {
        self.connection.block_on(self.inner.copy_fail(message))
    }

    /// Notifications received so far on this connection (LISTEN/NOTIFY), oldest first.
    pub fn take_notifications(&mut self) -> Vec<crate::Notification> {
        self.connection.notifications_mut().drain(..).collect()
    }
}
