//! VarInt length-prefixed frames (SignalR MessagePack hub protocol): each
//! frame is its length as a little-endian base-128 VarInt (at most 5 bytes,
//! so below 2^35; SignalR caps it at 2 GiB) followed by the payload.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::Error;

const WHAT: &str = "varint";

/// Incremental VarInt-prefixed frame decoder with a frame size limit,
/// checked before any payload is buffered.
#[derive(Debug, Clone)]
pub struct VarIntDecoder {
    max_frame_len: usize,
    consumed: u64,
    error: Option<Error>,
}

impl VarIntDecoder {
    /// A decoder that refuses frames over `max_frame_len` bytes.
    #[must_use]
    pub fn new(max_frame_len: usize) -> Self {
        Self {
            max_frame_len,
            consumed: 0,
            error: None,
        }
    }

    /// Next frame, or `Ok(None)` when more input is needed. The caller's
    /// buffer is `reserve`d for the rest of a frame once its length is known.
    ///
    /// # Errors
    /// [`Error::InvalidFrame`] for a VarInt longer than 5 bytes;
    /// [`Error::TooLarge`] over the limit. Sticky.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.step(src);
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    /// As [`decode`](Self::decode) at end of input: leftover bytes are
    /// [`Error::UnexpectedEof`].
    ///
    /// # Errors
    /// As `decode`, plus `UnexpectedEof`.
    pub fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        match self.decode(src)? {
            Some(f) => Ok(Some(f)),
            None if src.is_empty() => Ok(None),
            None => {
                let e = Error::UnexpectedEof {
                    offset: self.consumed + src.len() as u64,
                };
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    fn step(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        let mut len: u64 = 0;
        let mut i = 0;
        loop {
            let Some(&b) = src.get(i) else {
                return Ok(None);
            };
            if i == 5 {
                return Err(Error::InvalidFrame {
                    what: WHAT,
                    offset: self.consumed + i as u64,
                });
            }
            len |= u64::from(b & 0x7F) << (7 * i);
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        if len > self.max_frame_len as u64 {
            return Err(Error::TooLarge {
                len,
                max: self.max_frame_len as u64,
            });
        }
        let n = len as usize;
        if src.len() < i + n {
            src.reserve(i + n - src.len());
            return Ok(None);
        }
        src.advance(i);
        self.consumed += (i + n) as u64;
        Ok(Some(src.split_to(n).freeze()))
    }
}

/// Append `payload` with its VarInt length prefix.
///
/// # Errors
/// [`Error::TooLarge`] when the payload is 2^35 bytes or more.
pub fn encode_varint_frame(payload: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
    let mut n = payload.len() as u64;
    if n >= 1 << 35 {
        return Err(Error::TooLarge {
            len: n,
            max: (1 << 35) - 1,
        });
    }
    dst.reserve(payload.len() + 5);
    loop {
        let b = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            dst.put_u8(b);
            break;
        }
        dst.put_u8(b | 0x80);
    }
    dst.put_slice(payload);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn roundtrip_and_split() {
        let mut wire = BytesMut::new();
        let big = vec![7u8; 300];
        encode_varint_frame(b"", &mut wire).unwrap();
        encode_varint_frame(b"abc", &mut wire).unwrap();
        encode_varint_frame(&big, &mut wire).unwrap();
        assert_eq!(&wire[..5], b"\x00\x03abc");
        assert_eq!(&wire[5..7], &[0xAC, 0x02]);
        let mut d = VarIntDecoder::new(1000);
        let mut buf = BytesMut::new();
        let mut frames = vec![];
        for &b in wire.iter() {
            buf.put_u8(b);
            while let Some(f) = d.decode(&mut buf).unwrap() {
                frames.push(f);
            }
        }
        assert_eq!(
            frames,
            vec![Bytes::new(), Bytes::from_static(b"abc"), Bytes::from(big)]
        );
        assert_eq!(d.decode_eof(&mut buf), Ok(None));
    }

    #[test]
    fn limits() {
        let mut d = VarIntDecoder::new(10);
        let mut b = BytesMut::from(&[0x0B][..]);
        assert_eq!(d.decode(&mut b), Err(Error::TooLarge { len: 11, max: 10 }));
        let mut d = VarIntDecoder::new(usize::MAX);
        let mut b = BytesMut::from(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01][..]);
        assert!(matches!(
            d.decode(&mut b),
            Err(Error::InvalidFrame { offset: 5, .. })
        ));
        let mut d = VarIntDecoder::new(10);
        let mut b = BytesMut::from(&[0x03, b'a'][..]);
        assert_eq!(
            d.decode_eof(&mut b),
            Err(Error::UnexpectedEof { offset: 2 })
        );
    }
}
