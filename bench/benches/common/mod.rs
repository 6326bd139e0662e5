//! Helpers both benchmark binaries share: an in-memory stream that the Read/Write and async
//! peers can be driven over, and the read size every contender gets.

// Each benchmark binary uses a different part of this module, and none of it is exported.
#![allow(dead_code, unreachable_pub)]

pub mod digest;
pub mod http;
pub mod sdp;
pub mod sse;
pub mod ws;

use std::io::{self, Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The most one read hands over, as a socket read would (and what ours is fed per call).
pub const READ: usize = 64 << 10;

/// A socket stand-in: reads come from `input` (at most [`READ`] bytes each), writes go to
/// `out`. Implements both the blocking and the tokio I/O traits, so tungstenite,
/// tokio-websockets and fastwebsockets can all run over it without a runtime: nothing here
/// ever returns `Pending`.
pub struct MemStream<'a> {
    input: &'a [u8],
    pos: usize,
    /// Everything written.
    pub out: Vec<u8>,
}

impl<'a> MemStream<'a> {
    /// A stream that reads `input` and collects writes.
    pub fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            pos: 0,
            out: Vec::new(),
        }
    }

    /// A write-only stream whose output buffer starts with `capacity`.
    #[allow(dead_code)]
    pub fn sink(capacity: usize) -> Self {
        Self {
            input: &[],
            pos: 0,
            out: Vec::with_capacity(capacity),
        }
    }

    fn next_piece(&mut self, room: usize) -> &'a [u8] {
        let n = room.min(READ).min(self.input.len() - self.pos);
        let s = &self.input[self.pos..self.pos + n];
        self.pos += n;
        s
    }
}

impl Read for MemStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let s = self.next_piece(buf.len());
        buf[..s.len()].copy_from_slice(s);
        Ok(s.len())
    }
}

impl Write for MemStream<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl AsyncRead for MemStream<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let s = self.next_piece(buf.remaining());
        buf.put_slice(s);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for MemStream<'_> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.out.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
