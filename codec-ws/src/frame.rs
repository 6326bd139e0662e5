//! Frame headers (RFC 6455 §5.2): pure parsing and encoding.

use crate::error::Error;

/// A frame opcode (RFC 6455 §5.2). Reserved opcodes are rejected when parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum OpCode {
    /// 0x0: continuation of a fragmented message.
    Continuation = 0,
    /// 0x1: text message (UTF-8).
    Text = 1,
    /// 0x2: binary message.
    Binary = 2,
    /// 0x8: close.
    Close = 8,
    /// 0x9: ping.
    Ping = 9,
    /// 0xA: pong.
    Pong = 10,
}

impl OpCode {
    /// The opcode for a 4-bit value, or `None` for a reserved one.
    #[must_use]
    #[inline]
    pub fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            0 => Self::Continuation,
            1 => Self::Text,
            2 => Self::Binary,
            8 => Self::Close,
            9 => Self::Ping,
            10 => Self::Pong,
            _ => return None,
        })
    }

    /// Close, ping and pong are control opcodes (RFC 6455 §5.5).
    #[must_use]
    #[inline]
    pub fn is_control(self) -> bool {
        (self as u8) & 0x8 != 0
    }
}

/// Longest possible header: 2 + 8 (length) + 4 (mask key).
pub const MAX_HEADER_LEN: usize = 14;

/// A parsed frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// FIN: last frame of a message.
    pub fin: bool,
    /// RSV1..3 as a 3-bit number (RSV1 = 0b100).
    pub rsv: u8,
    /// The opcode.
    pub opcode: OpCode,
    /// The masking key, if the frame is masked.
    pub mask: Option<[u8; 4]>,
    /// Payload length in bytes.
    pub len: u64,
}

impl FrameHeader {
    /// Parses a header from the start of `buf`.
    ///
    /// Returns `Ok(None)` when `buf` holds less than a whole header, else the header and
    /// its length in bytes. Only checks what the header alone decides: reserved opcodes,
    /// the 64-bit top bit and (unless `allow_non_minimal`) non-minimal lengths. RSV,
    /// masking and control-frame rules depend on the connection and are left to the
    /// [`Decoder`](crate::Decoder).
    ///
    /// # Errors
    /// [`Error::ReservedOpcode`], [`Error::LengthTopBit`], [`Error::NonMinimalLength`]
    /// (with offset 0).
    ///
    /// ```
    /// use codec_ws::{FrameHeader, OpCode};
    /// // RFC 6455 §5.7: a single-frame unmasked text message "Hello".
    /// let (h, n) = FrameHeader::parse(b"\x81\x05Hello", false).unwrap().unwrap();
    /// assert_eq!((h.opcode, h.fin, h.len, n), (OpCode::Text, true, 5, 2));
    /// ```
    pub fn parse(buf: &[u8], allow_non_minimal: bool) -> Result<Option<(Self, usize)>, Error> {
        parse_at(buf, 0, allow_non_minimal)
    }

    /// Writes the header into `out` and returns its length (2 to 14 bytes). Always uses the
    /// minimal length form.
    ///
    /// ```
    /// use codec_ws::{FrameHeader, OpCode};
    /// let h = FrameHeader { fin: true, rsv: 0, opcode: OpCode::Binary, mask: None, len: 256 };
    /// let mut out = [0; 14];
    /// let n = h.encode(&mut out);
    /// assert_eq!(&out[..n], &[0x82, 126, 1, 0]);
    /// ```
    #[inline]
    pub fn encode(&self, out: &mut [u8; MAX_HEADER_LEN]) -> usize {
        out[0] = (u8::from(self.fin) << 7) | ((self.rsv & 7) << 4) | self.opcode as u8;
        let m = if self.mask.is_some() { 0x80 } else { 0 };
        let mut n = if self.len < 126 {
            out[1] = m | self.len as u8;
            2
        } else if self.len <= 0xffff {
            out[1] = m | 126;
            out[2..4].copy_from_slice(&(self.len as u16).to_be_bytes());
            4
        } else {
            out[1] = m | 127;
            out[2..10].copy_from_slice(&self.len.to_be_bytes());
            10
        };
        if let Some(key) = self.mask {
            out[n..n + 4].copy_from_slice(&key);
            n += 4;
        }
        n
    }
}

#[inline]
pub(crate) fn parse_at(
    buf: &[u8],
    offset: u64,
    allow_non_minimal: bool,
) -> Result<Option<(FrameHeader, usize)>, Error> {
    let (b0, b1) = match buf {
        [a, b, ..] => (*a, *b),
        _ => return Ok(None),
    };
    let Some(opcode) = OpCode::from_u8(b0 & 0x0f) else {
        return Err(Error::ReservedOpcode {
            opcode: b0 & 0x0f,
            offset,
        });
    };
    let masked = b1 & 0x80 != 0;
    let (len, mut n) = match b1 & 0x7f {
        126 => {
            let Some(b) = buf.get(2..4) else {
                return Ok(None);
            };
            let len = u64::from(u16::from_be_bytes([b[0], b[1]]));
            if len < 126 && !allow_non_minimal {
                return Err(Error::NonMinimalLength { len, offset });
            }
            (len, 4)
        }
        127 => {
            let Some(b) = buf.get(2..10) else {
                return Ok(None);
            };
            let mut a = [0; 8];
            a.copy_from_slice(b);
            let len = u64::from_be_bytes(a);
            if len >> 63 != 0 {
                return Err(Error::LengthTopBit { offset });
            }
            if len <= 0xffff && !allow_non_minimal {
                return Err(Error::NonMinimalLength { len, offset });
            }
            (len, 10)
        }
        l => (u64::from(l), 2),
    };
    let mask = if masked {
        let Some(k) = buf.get(n..n + 4) else {
            return Ok(None);
        };
        n += 4;
        Some([k[0], k[1], k[2], k[3]])
    } else {
        None
    };
    let header = FrameHeader {
        fin: b0 & 0x80 != 0,
        rsv: (b0 >> 4) & 7,
        opcode,
        mask,
        len,
    };
    Ok(Some((header, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_examples() {
        // RFC 6455 §5.7 masked "Hello".
        let buf = [
            0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ];
        let (h, n) = FrameHeader::parse(&buf, false).unwrap().unwrap();
        assert_eq!(n, 6);
        assert_eq!(h.mask, Some([0x37, 0xfa, 0x21, 0x3d]));
        // 256 bytes binary, 64 KiB binary.
        let (h, n) = FrameHeader::parse(&[0x82, 0x7e, 0x01, 0x00], false)
            .unwrap()
            .unwrap();
        assert_eq!((h.len, n), (256, 4));
        let b = [0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0];
        let (h, n) = FrameHeader::parse(&b, false).unwrap().unwrap();
        assert_eq!((h.len, n), (65536, 10));
    }

    #[test]
    fn partial_headers_need_more() {
        let b = [0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4];
        for cut in 0..b.len() {
            assert_eq!(FrameHeader::parse(&b[..cut], false), Ok(None), "cut {cut}");
        }
        assert!(FrameHeader::parse(&b, false).unwrap().is_some());
    }

    #[test]
    fn header_errors() {
        assert_eq!(
            FrameHeader::parse(&[0x83, 0], false),
            Err(Error::ReservedOpcode {
                opcode: 3,
                offset: 0
            })
        );
        assert_eq!(
            FrameHeader::parse(&[0x82, 0x7e, 0, 5], false),
            Err(Error::NonMinimalLength { len: 5, offset: 0 })
        );
        assert!(FrameHeader::parse(&[0x82, 0x7e, 0, 5], true)
            .unwrap()
            .is_some());
        let b = [0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
        assert_eq!(
            FrameHeader::parse(&b, false),
            Err(Error::NonMinimalLength {
                len: 0xffff,
                offset: 0
            })
        );
        let b = [0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            FrameHeader::parse(&b, true),
            Err(Error::LengthTopBit { offset: 0 })
        );
    }

    #[test]
    fn encode_parse_round_trip() {
        for len in [0u64, 1, 125, 126, 65535, 65536, u64::MAX >> 1] {
            for mask in [None, Some([9, 8, 7, 6])] {
                let h = FrameHeader {
                    fin: len % 2 == 0,
                    rsv: 4,
                    opcode: OpCode::Binary,
                    mask,
                    len,
                };
                let mut out = [0; MAX_HEADER_LEN];
                let n = h.encode(&mut out);
                assert_eq!(FrameHeader::parse(&out[..n], false), Ok(Some((h, n))));
            }
        }
    }
}
