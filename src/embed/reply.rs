//! The answer to a call, on its way back from the worker that ran it: waited for by a thread, or awaited
//! by an async task (no runtime needed: the worker wakes whichever is waiting).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Waker};

use super::call_error::CallError;

struct State<T> {
    value: Option<Result<T, CallError>>,
    waker: Option<Waker>,
    /// The worker dropped its end without answering (it stopped): the call fails instead of waiting.
    abandoned: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
}

/// A call's result, to [`wait`](Reply::wait) for or to `.await`.
#[must_use = "a Reply does nothing unless waited for or awaited"]
pub struct Reply<T> {
    shared: Arc<Shared<T>>,
}

/// The worker's end: answers once; dropped unanswered, it tells the waiting side.
pub(crate) struct Answer<T> {
    shared: Arc<Shared<T>>,
    sent: bool,
}

pub(crate) fn channel<T>() -> (Answer<T>, Reply<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            value: None,
            waker: None,
            abandoned: false,
        }),
        ready: Condvar::new(),
    });
    (
        Answer {
            shared: shared.clone(),
            sent: false,
        },
        Reply { shared },
    )
}

impl<T> Answer<T> {
    pub(crate) fn send(mut self, value: Result<T, CallError>) {
        self.sent = true;
        self.finish(Some(value));
    }

    fn finish(&self, value: Option<Result<T, CallError>>) {
        let waker = match self.shared.state.lock() {
            Ok(mut s) => {
                match value {
                    Some(v) => s.value = Some(v),
                    None => s.abandoned = true,
                }
                s.waker.take()
            }
            Err(_) => None,
        };
        self.shared.ready.notify_all();
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> Drop for Answer<T> {
    fn drop(&mut self) {
        if !self.sent {
            self.finish(None);
        }
    }
}

fn stopped<T>() -> Result<T, CallError> {
    Err(CallError::Busy(
        "the embedded shell stopped before answering".into(),
    ))
}

impl<T> Reply<T> {
    /// Block this thread until the answer arrives.
    pub fn wait(self) -> Result<T, CallError> {
        let Ok(mut s) = self.shared.state.lock() else {
            return stopped();
        };
        loop {
            if let Some(v) = s.value.take() {
                return v;
            }
            if s.abandoned {
                return stopped();
            }
            s = match self.shared.ready.wait(s) {
                Ok(s) => s,
                Err(_) => return stopped(),
            };
        }
    }
}

impl<T> Future for Reply<T> {
    type Output = Result<T, CallError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Ok(mut s) = self.shared.state.lock() else {
            return Poll::Ready(stopped());
        };
        if let Some(v) = s.value.take() {
            return Poll::Ready(v);
        }
        if s.abandoned {
            return Poll::Ready(stopped());
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
