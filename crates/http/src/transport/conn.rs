//! One connection's clock: when it must have sent a whole request head, and how long it
//! may sit idle between requests.
//!
//! hyper's own `header_read_timeout` starts again whenever a keep-alive connection waits
//! for its next request, so it would also close idle connections after the (short) header
//! timeout. We keep the two apart: a connection that has sent nothing yet, or has begun a
//! new request head, gets `header_read_timeout` to finish it; one that finished a response
//! and sent nothing since gets `idle_timeout`. While a request is being answered neither
//! applies (the body deadline and the request timeout of the router do).

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Instant;

/// What one connection is doing, as far as its timeouts are concerned.
#[derive(Debug)]
pub(super) struct ConnClock {
    phase: Mutex<Phase>,
    changed: Notify,
    header_read_timeout: Duration,
    idle_timeout: Duration,
}

#[derive(Debug)]
struct Phase {
    /// Requests handed to the router and not answered yet.
    in_flight: usize,
    /// When the head being awaited began: the connection's start, or the first byte after
    /// an idle spell. `None` while idle after a response.
    head_started: Option<Instant>,
    /// The last time bytes moved either way.
    last_activity: Instant,
}

impl ConnClock {
    /// A new connection: it owes its first request head from now on.
    pub(super) fn new(header_read_timeout: Duration, idle_timeout: Duration) -> Arc<Self> {
        let now = Instant::now();
        Arc::new(Self {
            phase: Mutex::new(Phase {
                in_flight: 0,
                head_started: Some(now),
                last_activity: now,
            }),
            changed: Notify::new(),
            header_read_timeout,
            idle_timeout,
        })
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        // A panic while holding this lock leaves plain numbers behind: keep using them.
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// When the connection is to be closed if nothing changes; `None` while answering.
    fn deadline(&self) -> Option<Instant> {
        let p = self.phase();
        if p.in_flight > 0 {
            return None;
        }
        Some(match p.head_started {
            Some(started) => started + self.header_read_timeout,
            None => p.last_activity + self.idle_timeout,
        })
    }

    /// A request on this connection is being answered.
    pub(super) fn answering(&self) -> bool {
        self.phase().in_flight > 0
    }

    /// Completes when the connection has been too slow sending a head or idle too long.
    pub(super) async fn expired(&self) {
        loop {
            // Registered before the deadline is read, so no change can slip between them.
            let changed = self.changed.notified();
            match self.deadline() {
                None => changed.await,
                Some(deadline) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(deadline) => {
                            if self.deadline().is_some_and(|d| d <= Instant::now()) {
                                return;
                            }
                        }
                        () = changed => {}
                    }
                }
            }
        }
    }

    /// A request head arrived whole and goes to the router.
    pub(super) fn request_started(self: &Arc<Self>) -> InFlight {
        let mut p = self.phase();
        p.in_flight += 1;
        p.head_started = None;
        drop(p);
        self.changed.notify_waiters();
        InFlight(self.clone())
    }

    fn read_some(&self) {
        let mut p = self.phase();
        p.last_activity = Instant::now();
        if p.in_flight == 0 && p.head_started.is_none() {
            // The first byte of a new request after an idle spell: the head is now owed.
            p.head_started = Some(p.last_activity);
            drop(p);
            self.changed.notify_waiters();
        }
    }

    fn wrote_some(&self) {
        self.phase().last_activity = Instant::now();
    }
}

/// A request being answered; dropping it (answered, or abandoned) lets the idle clock run.
#[derive(Debug)]
pub(super) struct InFlight(Arc<ConnClock>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut p = self.0.phase();
        p.in_flight = p.in_flight.saturating_sub(1);
        p.last_activity = Instant::now();
        drop(p);
        self.0.changed.notify_waiters();
    }
}

/// A connection's byte stream that tells its clock when bytes move.
#[derive(Debug)]
pub(super) struct Tracked<I> {
    pub(super) io: I,
    pub(super) clock: Arc<ConnClock>,
}

impl<I: AsyncRead + Unpin> AsyncRead for Tracked<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.clock.read_some();
        }
        result
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Tracked<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.wrote_some();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.wrote_some();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
