//! tokio adapter (feature `tokio`): translation only, no protocol rule lives here.
//!
//! - [`WsCodec`]: tokio-util `Decoder`/`Encoder` over a [`Connection`]. With `Framed`,
//!   automatic replies (pongs, close echo) are written on the next `encode`, or taken
//!   with [`WsCodec::poll_transmit`].
//! - [`WebSocketStream`]: a `Stream` + `Sink` of [`Message`]s over any
//!   `AsyncRead + AsyncWrite`, which writes automatic replies itself; [`accept`] and
//!   [`connect`] run the handshake and return one.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use ::bytes::{Buf, BytesMut};
use ::futures_core::Stream;
use ::futures_sink::Sink;
use ::tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use ::tokio_util::io::poll_read_buf;

use crate::handshake::{encode_error_response, ClientRequest, ClientResult, ServerRequest};
use crate::{CloseFrame, Config, Connection, DeflateConfig, Error, Limits, Message, Role, State};

/// Errors of the adapter: I/O, or the codec's own.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokioError {
    /// The transport failed.
    #[error("i/o: {0}")]
    Io(#[from] io::Error),
    /// The peer broke the protocol (or the caller misused the API).
    #[error(transparent)]
    Ws(#[from] Error),
}

/// tokio-util codec over a [`Connection`].
#[derive(Debug)]
pub struct WsCodec {
    /// The connection state machine.
    pub conn: Connection,
}

impl WsCodec {
    /// Moves queued automatic replies into `dst` (see [`Connection::poll_transmit`]).
    pub fn poll_transmit(&mut self, dst: &mut BytesMut) -> bool {
        self.conn.poll_transmit(dst)
    }
}

impl ::tokio_util::codec::Decoder for WsCodec {
    type Item = Message;
    type Error = TokioError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Message>, TokioError> {
        Ok(self.conn.decode(src)?)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Message>, TokioError> {
        if let Some(m) = self.conn.decode(src)? {
            return Ok(Some(m));
        }
        Ok(self.conn.finish())
    }
}

impl ::tokio_util::codec::Encoder<Message> for WsCodec {
    type Error = TokioError;

    fn encode(&mut self, item: Message, dst: &mut BytesMut) -> Result<(), TokioError> {
        Ok(self.conn.send(&item, dst)?)
    }
}

/// A WebSocket over an async byte stream: `Stream<Item = Result<Message, TokioError>>`
/// and `Sink<Message>`. The stream ends after the close handshake (a server then shuts
/// its side down, as RFC 6455 §7.1.1 asks) or at end of input.
#[derive(Debug)]
pub struct WebSocketStream<S> {
    io: S,
    conn: Connection,
    rbuf: BytesMut,
    wbuf: BytesMut,
    eof: bool,
    done: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin> WebSocketStream<S> {
    /// Wraps an upgraded stream; `leftover` are bytes read past the handshake head.
    pub fn from_parts(io: S, conn: Connection, leftover: &[u8]) -> Self {
        Self {
            io,
            conn,
            rbuf: BytesMut::from(leftover),
            wbuf: BytesMut::new(),
            eof: false,
            done: false,
        }
    }

    /// The connection state machine.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Writes out `wbuf`; `Ready(Ok)` once it is empty.
    fn poll_write_out(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.wbuf.is_empty() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &self.wbuf))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.wbuf.advance(n);
        }
        Poll::Ready(Ok(()))
    }

    fn poll_flush_all(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_write_out(cx))?;
        Pin::new(&mut self.io).poll_flush(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Stream for WebSocketStream<S> {
    type Item = Result<Message, TokioError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let r = this.conn.decode(&mut this.rbuf);
            if this.conn.poll_transmit(&mut this.wbuf) {
                // Best effort now; poll_flush/poll_next finish it.
                if let Poll::Ready(Err(e)) = this.poll_flush_all(cx) {
                    return Poll::Ready(Some(Err(e.into())));
                }
            }
            match r {
                Ok(Some(m)) => return Poll::Ready(Some(Ok(m))),
                Err(e) => {
                    ready!(this.poll_flush_all(cx))?;
                    this.done = true;
                    let _ = Pin::new(&mut this.io).poll_shutdown(cx);
                    return Poll::Ready(Some(Err(e.into())));
                }
                Ok(None) => {}
            }
            if this.conn.is_closed() && (this.conn.role() == Role::Server || this.eof) {
                ready!(this.poll_flush_all(cx))?;
                ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
                this.done = true;
                return Poll::Ready(None);
            }
            if this.eof {
                this.done = true;
                return Poll::Ready(this.conn.finish().map(Ok));
            }
            if !this.wbuf.is_empty() {
                // Don't let unsent replies pile up while the peer keeps sending.
                ready!(this.poll_flush_all(cx))?;
            }
            this.rbuf.reserve(16 << 10);
            match ready!(poll_read_buf(Pin::new(&mut this.io), cx, &mut this.rbuf)) {
                Ok(0) => this.eof = true,
                Ok(_) => {}
                // After a finished close handshake a reset is just how some peers hang up.
                Err(_) if this.conn.is_closed() => this.eof = true,
                Err(e) => return Poll::Ready(Some(Err(e.into()))),
            }
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Sink<Message> for WebSocketStream<S> {
    type Error = TokioError;

    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), TokioError>> {
        if self.wbuf.len() >= 64 << 10 {
            ready!(self.poll_write_out(cx))?;
        }
        Poll::Ready(Ok(()))
    }

    fn start_send(mut self: Pin<&mut Self>, item: Message) -> Result<(), TokioError> {
        let this = &mut *self;
        this.conn.send(&item, &mut this.wbuf)?;
        Ok(())
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), TokioError>> {
        let this = &mut *self;
        this.conn.poll_transmit(&mut this.wbuf);
        Poll::Ready(Ok(ready!(this.poll_flush_all(cx))?))
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), TokioError>> {
        let this = &mut *self;
        if this.conn.state() == State::Open {
            this.conn.close(
                Some(&CloseFrame::new(crate::CloseCode::NORMAL)),
                &mut this.wbuf,
            )?;
        }
        this.conn.poll_transmit(&mut this.wbuf);
        ready!(this.poll_flush_all(cx))?;
        Poll::Ready(Ok(ready!(Pin::new(&mut this.io).poll_shutdown(cx))?))
    }
}

/// Server options for [`accept`].
#[derive(Debug, Clone, Default)]
pub struct AcceptConfig {
    /// Connection settings (limits, auto-pong).
    pub config: Config,
    /// Accept permessage-deflate when offered, with these limits.
    pub deflate: Option<DeflateConfig>,
    /// Subprotocols this server speaks, in preference order.
    pub protocols: Vec<String>,
}

/// Runs the server handshake on `io`: reads the request, answers 101 (or an error
/// response, then fails) and returns the WebSocket and the request.
///
/// # Errors
/// I/O errors; handshake errors after the error response was written.
pub async fn accept<S: AsyncRead + AsyncWrite + Unpin>(
    mut io: S,
    options: &AcceptConfig,
) -> Result<(WebSocketStream<S>, ServerRequest), TokioError> {
    let limits = options.config.limits;
    let mut buf = BytesMut::with_capacity(1024);
    let (req, used) = loop {
        match ServerRequest::parse(&buf, &limits) {
            Ok(Some(r)) => break r,
            Ok(None) => {}
            Err(e) => {
                let mut out = BytesMut::new();
                encode_error_response(&e, &mut out);
                io.write_all(&out).await?;
                let _ = io.shutdown().await;
                return Err(e.into());
            }
        }
        if io.read_buf(&mut buf).await? == 0 {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into());
        }
    };
    let protocol = options
        .protocols
        .iter()
        .find(|p| req.protocols.contains(p))
        .map(String::as_str);
    let mut config = options.config;
    let negotiated = options
        .deflate
        .and_then(|d| req.negotiate_deflate(&d).map(|n| (n, d.level)));
    let ext = negotiated.as_ref().map(|((_, s), _)| s.as_str());
    let mut out = BytesMut::new();
    req.accept(protocol, ext, &mut out)?;
    io.write_all(&out).await?;
    io.flush().await?;
    if let Some(((params, _), level)) = negotiated {
        config = config.deflate(params, level);
    }
    let conn = Connection::new(Role::Server, config);
    Ok((WebSocketStream::from_parts(io, conn, &buf[used..]), req))
}

/// Runs the client handshake on `io` with `request`, and returns the WebSocket and what
/// the server agreed to. `config` MUST carry a mask seed or hook from a good random source.
///
/// # Errors
/// I/O errors and [`ClientRequest::parse_response`] errors.
pub async fn connect<S: AsyncRead + AsyncWrite + Unpin>(
    mut io: S,
    request: &ClientRequest,
    config: Config,
    limits: &Limits,
) -> Result<(WebSocketStream<S>, ClientResult), TokioError> {
    let mut out = BytesMut::new();
    request.encode(&mut out)?;
    io.write_all(&out).await?;
    io.flush().await?;
    let mut buf = BytesMut::with_capacity(1024);
    let (result, used) = loop {
        if let Some(r) = request.parse_response(&buf, limits)? {
            break r;
        }
        if io.read_buf(&mut buf).await? == 0 {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into());
        }
    };
    let config = match &result.deflate {
        Some(p) => config.deflate(*p, request.deflate_level()),
        None => config,
    };
    let conn = Connection::new(Role::Client, config);
    Ok((WebSocketStream::from_parts(io, conn, &buf[used..]), result))
}
