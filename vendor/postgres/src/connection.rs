use crate::{Error, Notification};
use futures_util::Stream;
use std::collections::VecDeque;
use std::future::{self, Future};
use std::ops::{Deref, DerefMut};
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::runtime::Runtime;
use tokio_postgres::error::DbError;
use tokio_postgres::{AsyncMessage, Row, RowStream};

/// pgsh patch (see vendor/README.md): a query sent ahead of need. Its rows are gathered whenever the
/// connection is driven, by any call, so later requests never wait behind an unread response.
struct Prefetch {
    token: u64,
    progress: Progress,
    rows: Vec<Row>,
    /// `Some` once the stream has ended.
    outcome: Option<Result<(), Error>>,
}

/// A prefetched query, before and after the server has bound it.
enum Progress {
    /// Sent (on its first poll), waiting for BindComplete; it holds the client.
    Sent(Pin<Box<dyn Future<Output = Result<RowStream, Error>> + Send>>),
    Rows(Pin<Box<RowStream>>),
    /// Ended (`outcome` says how): nothing held any more.
    Ended,
}

impl Prefetch {
    fn drive(&mut self, cx: &mut Context<'_>) {
        while self.outcome.is_none() {
            match &mut self.progress {
                Progress::Sent(sent) => match sent.as_mut().poll(cx) {
                    Poll::Ready(Ok(stream)) => self.progress = Progress::Rows(Box::pin(stream)),
                    Poll::Ready(Err(e)) => self.outcome = Some(Err(e)),
                    Poll::Pending => break,
                },
                Progress::Rows(stream) => match stream.as_mut().poll_next(cx) {
                    Poll::Ready(Some(Ok(row))) => self.rows.push(row),
                    Poll::Ready(Some(Err(e))) => self.outcome = Some(Err(e)),
                    Poll::Ready(None) => self.outcome = Some(Ok(())),
                    Poll::Pending => break,
                },
                Progress::Ended => break,
            }
        }
        if self.outcome.is_some() {
            // Let go of the client (a `Sent` one holds it) and of the stream.
            self.progress = Progress::Ended;
        }
    }
}

pub struct Connection {
    runtime: Runtime,
    state: State,
}

/// What the runtime drives on every call.
struct State {
    connection: Pin<Box<dyn Stream<Item = Result<AsyncMessage, Error>> + Send>>,
    notifications: VecDeque<Notification>,
    notice_callback: Arc<dyn Fn(DbError) + Sync + Send>,
    /// pgsh patch: queries sent ahead, oldest first.
    prefetch: VecDeque<Prefetch>,
}

impl State {
    /// Drive the connection as far as it goes; `true` once it has closed.
    fn poll(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        let done = loop {
            match self.connection.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(AsyncMessage::Notification(notification)))) => {
                    self.notifications.push_back(notification);
                }
                Poll::Ready(Some(Ok(AsyncMessage::Notice(notice)))) => {
                    (self.notice_callback)(notice)
                }
                Poll::Ready(Some(Ok(_))) => {}
                Poll::Ready(Some(Err(e))) => return Err(e),
                Poll::Ready(None) => break true,
                Poll::Pending => break false,
            }
        };
        // Draining them lets the connection read on to the responses after them.
        for p in self.prefetch.iter_mut() {
            p.drive(cx);
        }
        Ok(done)
    }
}

impl Connection {
    pub fn new<S, T>(
        runtime: Runtime,
        connection: tokio_postgres::Connection<S, T>,
        notice_callback: Arc<dyn Fn(DbError) + Sync + Send>,
    ) -> Connection
    where
        S: AsyncRead + AsyncWrite + Unpin + 'static + Send,
        T: AsyncRead + AsyncWrite + Unpin + 'static + Send,
    {
        Connection {
            runtime,
            state: State {
                connection: Box::pin(ConnectionStream { connection }),
                notifications: VecDeque::new(),
                notice_callback,
                prefetch: VecDeque::new(),
            },
        }
    }

    pub fn as_ref(&mut self) -> ConnectionRef<'_> {
        ConnectionRef { connection: self }
    }

    pub fn enter<F, T>(&self, f: F) -> T
    where
        F: FnOnce() -> T,
    {
        let _guard = self.runtime.enter();
        f()
    }

    pub fn block_on<F, T>(&mut self, future: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>>,
    {
        let mut future = pin!(future);
        self.poll_block_on(|cx, _, _| future.as_mut().poll(cx))
    }

    pub fn poll_block_on<F, T>(&mut self, mut f: F) -> Result<T, Error>
    where
        F: FnMut(&mut Context<'_>, &mut VecDeque<Notification>, bool) -> Poll<Result<T, Error>>,
    {
        let state = &mut self.state;
        self.runtime.block_on({
            future::poll_fn(|cx| {
                let done = match state.poll(cx) {
                    Ok(done) => done,
                    Err(e) => return Poll::Ready(Err(e)),
                };
                f(cx, &mut state.notifications, done)
            })
        })
    }

    /// pgsh patch: queue `sent` (a query, sent on its first poll) and gather its rows in the background of later calls.
    pub(crate) fn push_prefetch(
        &mut self,
        token: u64,
        sent: Pin<Box<dyn Future<Output = Result<RowStream, Error>> + Send>>,
    ) {
        self.state.prefetch.push_back(Prefetch {
            token,
            progress: Progress::Sent(sent),
            rows: Vec::new(),
            outcome: None,
        });
        // Its first poll puts the request in the client's queue, in order, and the next poll of the
        // connection writes it out: the server has it before the caller goes back to work.
        let state = &mut self.state;
        let _ = self.runtime.block_on(future::poll_fn(|cx| {
            if let Some(p) = state.prefetch.back_mut() {
                p.drive(cx);
            }
            // A broken connection is reported by the next call that waits on it (as upstream's
            // `Client::is_closed` turns true, pgsh's next statement finds it closed, without polling it).
            let _ = state.poll(cx);
            Poll::Ready(())
        }));
    }

    pub(crate) fn prefetches(&self) -> usize {
        self.state.prefetch.len()
    }

    /// pgsh patch: wait until every queued prefetch has ended; the first one's error, if one failed.
    pub(crate) fn settle_prefetches(&mut self) -> Option<&Error> {
        if self.state.prefetch.is_empty() {
            return None;
        }
        let state = &mut self.state;
        let _ = self.runtime.block_on(future::poll_fn(|cx| {
            let done = match state.poll(cx) {
                Ok(done) => done,
                Err(e) => return Poll::Ready(Err(e)),
            };
            if done || state.prefetch.iter().all(|p| p.outcome.is_some()) {
                Poll::Ready(Ok(()))
            } else {
                Poll::Pending
            }
        }));
        self.state
            .prefetch
            .iter()
            .find_map(|p| p.outcome.as_ref().and_then(|o| o.as_ref().err()))
    }

    /// pgsh patch: forget every queued prefetch (their responses, if still coming, are discarded).
    pub(crate) fn clear_prefetches(&mut self) {
        self.state.prefetch.clear();
    }

    pub(crate) fn has_prefetch(&self, token: u64) -> bool {
        self.state.prefetch.iter().any(|p| p.token == token)
    }

    /// pgsh patch: wait for the oldest query prefetched with `token` to end and hand over its rows (others,
    /// older or newer, stay queued); `None` when there is none, or the connection closed before it ended
    /// (the caller's own request then reports that).
    pub(crate) fn take_prefetch(&mut self, token: u64) -> Option<Result<Vec<Row>, Error>> {
        let at = self.state.prefetch.iter().position(|p| p.token == token)?;
        let state = &mut self.state;
        let waited = self.runtime.block_on(future::poll_fn(|cx| {
            let done = match state.poll(cx) {
                Ok(done) => done,
                Err(e) => return Poll::Ready(Err(e)),
            };
            let ended = state.prefetch.get(at).is_none_or(|p| p.outcome.is_some());
            if ended || done {
                Poll::Ready(Ok(()))
            } else {
                Poll::Pending
            }
        }));
        let p = self.state.prefetch.remove(at)?;
        match (waited, p.outcome) {
            (Err(e), _) | (_, Some(Err(e))) => Some(Err(e)),
            (Ok(()), Some(Ok(()))) => Some(Ok(p.rows)),
            (Ok(()), None) => None,
        }
    }

    pub fn notifications(&self) -> &VecDeque<Notification> {
        &self.state.notifications
    }

    pub fn notifications_mut(&mut self) -> &mut VecDeque<Notification> {
        &mut self.state.notifications
    }
}

pub struct ConnectionRef<'a> {
    connection: &'a mut Connection,
}

// no-op impl to extend the borrow until drop
impl Drop for ConnectionRef<'_> {
    #[inline]
    fn drop(&mut self) {}
}

impl Deref for ConnectionRef<'_> {
    type Target = Connection;

    #[inline]
    fn deref(&self) -> &Connection {
        self.connection
    }
}

impl DerefMut for ConnectionRef<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Connection {
        self.connection
    }
}

struct ConnectionStream<S, T> {
    connection: tokio_postgres::Connection<S, T>,
}

impl<S, T> Stream for ConnectionStream<S, T>
where
    S: AsyncRead + AsyncWrite + Unpin,
    T: AsyncRead + AsyncWrite + Unpin,
{
    type Item = Result<AsyncMessage, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.connection.poll_message(cx)
    }
}
