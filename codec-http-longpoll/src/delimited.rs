//! Delimiter-based long-poll framings: record-separator JSON (SignalR's JSON
//! protocol), RFC 7464 JSON text sequences, and newline-delimited frames
//! (NDJSON, Kubernetes watch, SockJS streaming).

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::Error;

/// Which delimiter framing.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// Each frame is followed by 0x1E (SignalR JSON hub protocol).
    RecordSeparator,
    /// RFC 7464: each frame is `0x1E text LF`.
    JsonSeq,
    /// Each frame is followed by LF (a CR before it is dropped); empty lines
    /// are skipped; the last line may lack its LF at end of input.
    Newline,
}

impl Delimiter {
    fn name(self) -> &'static str {
        match self {
            Self::RecordSeparator => "record-separator",
            Self::JsonSeq => "json-seq",
            Self::Newline => "ndjson",
        }
    }
    fn byte(self) -> u8 {
        match self {
            Self::Newline => b'\n',
            _ => 0x1E,
        }
    }
}

/// Incremental decoder: frames come out as zero-copy `Bytes`, each at most
/// `max_frame_len` bytes (checked before the whole frame is buffered).
#[derive(Debug, Clone)]
pub struct DelimitedDecoder {
    kind: Delimiter,
    max_frame_len: usize,
    scanned: usize,
    consumed: u64,
    started: bool,
    error: Option<Error>,
}

impl DelimitedDecoder {
    /// A decoder for `kind` with a frame limit.
    #[must_use]
    pub fn new(kind: Delimiter, max_frame_len: usize) -> Self {
        Self {
            kind,
            max_frame_len,
            scanned: 0,
            consumed: 0,
            started: false,
            error: None,
        }
    }

    /// Next frame, or `Ok(None)` when more input is needed.
    ///
    /// # Errors
    /// [`Error::TooLarge`] over the limit; for JSON text sequences,
    /// [`Error::InvalidFrame`] for data before the first 0x1E or a text not
    /// ended by LF (RFC 7464 §2.1: possibly truncated). Sticky.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.step(src, false);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    /// As [`decode`](Self::decode) at end of input: a newline frame without
    /// its LF is returned; other leftovers are [`Error::UnexpectedEof`].
    ///
    /// # Errors
    /// As `decode`, plus `UnexpectedEof`.
    pub fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.step(src, true);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    fn step(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<Bytes>, Error> {
        let d = self.kind.byte();
        loop {
            if self.kind == Delimiter::JsonSeq {
                // RFC 7464 §2.1: each text starts with RS; empty texts are skipped.
                while src.first() == Some(&0x1E) {
                    src.advance(1);
                    self.consumed += 1;
                    self.scanned = 0;
                    self.started = true;
                }
                if !src.is_empty() && !self.started {
                    return Err(Error::InvalidFrame {
                        what: self.kind.name(),
                        offset: self.consumed,
                    });
                }
            }
            // Never look further than one frame past the limit.
            let limit = self.max_frame_len.saturating_add(2).min(src.len());
            let from = self.scanned.min(limit);
            let Some(end) = memchr::memchr(d, &src[from..limit]).map(|i| from + i) else {
                self.scanned = limit;
                if src.len() > self.max_frame_len.saturating_add(1) {
                    // Only "longer than the limit" is known; report max + 1
                    // so the error does not depend on how the input was split.
                    return Err(Error::TooLarge {
                        len: self.max_frame_len as u64 + 1,
                        max: self.max_frame_len as u64,
                    });
                }
                if !eof || src.is_empty() {
                    return Ok(None);
                }
                let at = self.consumed;
                return match self.kind {
                    Delimiter::RecordSeparator => Err(Error::UnexpectedEof {
                        offset: at + src.len() as u64,
                    }),
                    _ => {
                        let n = src.len();
                        self.consumed += n as u64;
                        self.scanned = 0;
                        let f = src.split().freeze();
                        self.finish_frame(f, at)
                    }
                };
            };
            self.scanned = 0;
            let at = self.consumed;
            // A JSON-seq RS starts the next text: leave it in the buffer.
            let (take, frame_len) = match self.kind {
                Delimiter::JsonSeq => (end, end),
                _ => (end + 1, end),
            };
            let mut frame = src.split_to(take).freeze();
            self.consumed += take as u64;
            frame.truncate(frame_len);
            if let Some(f) = self.finish_frame(frame, at)? {
                return Ok(Some(f));
            }
        }
    }

    /// Strip the framing's line end; `None` for a frame to skip.
    fn finish_frame(&self, mut frame: Bytes, at: u64) -> Result<Option<Bytes>, Error> {
        match self.kind {
            Delimiter::Newline => {
                if frame.ends_with(b"\r") {
                    frame.truncate(frame.len() - 1);
                }
                if frame.is_empty() {
                    return Ok(None);
                }
            }
            Delimiter::JsonSeq => {
                // RFC 7464 §2.1: a text not ended by LF may be truncated.
                if !frame.ends_with(b"\n") {
                    return Err(Error::InvalidFrame {
                        what: self.kind.name(),
                        offset: at + frame.len() as u64,
                    });
                }
                frame.truncate(frame.len() - 1);
            }
            Delimiter::RecordSeparator => {}
        }
        if frame.len() > self.max_frame_len {
            return Err(Error::TooLarge {
                len: frame.len() as u64,
                max: self.max_frame_len as u64,
            });
        }
        Ok(Some(frame))
    }
}

/// Append one frame in the `kind` framing.
///
/// # Errors
/// [`Error::ContainsSeparator`] when `payload` contains the delimiter (LF
/// for newline framing, 0x1E otherwise), which would split the frame.
pub fn encode_delimited(kind: Delimiter, payload: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
    let sep = kind.byte();
    if memchr::memchr(sep, payload).is_some()
        || (kind == Delimiter::JsonSeq && payload.contains(&b'\n'))
    {
        let byte = if payload.contains(&sep) { sep } else { b'\n' };
        return Err(Error::ContainsSeparator { byte });
    }
    dst.reserve(payload.len() + 2);
    match kind {
        Delimiter::JsonSeq => {
            dst.put_u8(0x1E);
            dst.put_slice(payload);
            dst.put_u8(b'\n');
        }
        _ => {
            dst.put_slice(payload);
            dst.put_u8(sep);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn all(kind: Delimiter, input: &[u8], max: usize) -> Result<Vec<Vec<u8>>, Error> {
        let mut d = DelimitedDecoder::new(kind, max);
        let mut out = Vec::new();
        let mut buf = BytesMut::new();
        for &b in input {
            buf.put_u8(b);
            while let Some(f) = d.decode(&mut buf)? {
                out.push(f.to_vec());
            }
        }
        while let Some(f) = d.decode_eof(&mut buf)? {
            out.push(f.to_vec());
        }
        Ok(out)
    }

    #[test]
    fn signalr_record_separator() {
        let v = all(
            Delimiter::RecordSeparator,
            b"{\"protocol\":\"json\"}\x1e{}\x1e",
            64,
        )
        .unwrap();
        assert_eq!(v, [&b"{\"protocol\":\"json\"}"[..], b"{}"]);
        assert!(matches!(
            all(Delimiter::RecordSeparator, b"{}\x1e{", 64),
            Err(Error::UnexpectedEof { offset: 4 })
        ));
    }

    #[test]
    fn json_seq() {
        let v = all(Delimiter::JsonSeq, b"\x1e{\"a\":1}\n\x1e\x1e2\n", 64).unwrap();
        assert_eq!(v, [&b"{\"a\":1}"[..], b"2"]);
        assert!(all(Delimiter::JsonSeq, b"\x1e{\"a\":1\x1e2\n", 64).is_err());
        assert!(all(Delimiter::JsonSeq, b"x\x1e1\n", 64).is_err());
    }

    #[test]
    fn ndjson() {
        let v = all(Delimiter::Newline, b"{\"type\":\"ADDED\"}\r\n\n{}\n[1]", 64).unwrap();
        assert_eq!(v, [&b"{\"type\":\"ADDED\"}"[..], b"{}", b"[1]"]);
        assert!(matches!(
            all(Delimiter::Newline, b"0123456789\n", 4),
            Err(Error::TooLarge { max: 4, .. })
        ));
    }

    #[test]
    fn encode_refuses_separator() {
        let mut b = BytesMut::new();
        assert!(encode_delimited(Delimiter::Newline, b"a\nb", &mut b).is_err());
        assert!(encode_delimited(Delimiter::RecordSeparator, b"a\x1eb", &mut b).is_err());
        assert!(encode_delimited(Delimiter::JsonSeq, b"a\nb", &mut b).is_err());
        encode_delimited(Delimiter::JsonSeq, b"{}", &mut b).unwrap();
        encode_delimited(Delimiter::RecordSeparator, b"{}", &mut b).unwrap();
        assert_eq!(&b[..], b"\x1e{}\n{}\x1e");
    }
}
