//! Engine.IO v4 polling payloads: packets joined by 0x1E (record separator),
//! a one-digit packet type, binary messages as `b` + base64.
//!
//! See the Engine.IO protocol v4 description ("Payload" section): a polling
//! request body or response body carries one or more packets separated by
//! `\x1e`; a text packet is `<type><data>`, a binary packet is `b<base64>`.

use alloc::vec::Vec;
use base64::Engine as _;
use bytes::{BufMut, Bytes, BytesMut};

use crate::Error;

/// The separator between packets in a polling payload.
pub const RECORD_SEPARATOR: u8 = 0x1E;

/// Engine.IO packet types (the one-digit prefix).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketType {
    /// `0`: handshake, server to client, JSON data.
    Open,
    /// `1`: close the session.
    Close,
    /// `2`: ping (server to client in v4).
    Ping,
    /// `3`: pong.
    Pong,
    /// `4`: a message.
    Message,
    /// `5`: upgrade to another transport.
    Upgrade,
    /// `6`: no operation.
    Noop,
}

impl PacketType {
    fn from_digit(b: u8) -> Option<Self> {
        Some(match b {
            b'0' => Self::Open,
            b'1' => Self::Close,
            b'2' => Self::Ping,
            b'3' => Self::Pong,
            b'4' => Self::Message,
            b'5' => Self::Upgrade,
            b'6' => Self::Noop,
            _ => return None,
        })
    }
    fn digit(self) -> u8 {
        match self {
            Self::Open => b'0',
            Self::Close => b'1',
            Self::Ping => b'2',
            Self::Pong => b'3',
            Self::Message => b'4',
            Self::Upgrade => b'5',
            Self::Noop => b'6',
        }
    }
}

/// One Engine.IO packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    /// A text packet; the data is valid UTF-8.
    Text(PacketType, Bytes),
    /// A binary message (`b` + base64 on the wire).
    Binary(Bytes),
}

impl Packet {
    /// A text message packet (`4...`).
    #[must_use]
    pub fn message(text: &str) -> Self {
        Self::Text(PacketType::Message, Bytes::copy_from_slice(text.as_bytes()))
    }
}

const WHAT: &str = "engine.io";

/// Split a polling payload into packets. `max_packet_len` bounds each
/// packet (decoded size for binary ones).
///
/// # Errors
/// [`Error::InvalidFrame`] for an empty packet, an unknown type digit,
/// text that is not UTF-8 or bad base64; [`Error::TooLarge`] over the limit.
pub fn decode_payload(payload: &Bytes, max_packet_len: usize) -> Result<Vec<Packet>, Error> {
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let end = memchr::memchr(RECORD_SEPARATOR, &payload[start..])
            .map_or(payload.len(), |i| start + i);
        let p = &payload[start..end];
        let bad = Error::InvalidFrame {
            what: WHAT,
            offset: start as u64,
        };
        if p.len() > max_packet_len.saturating_add(1) {
            return Err(Error::TooLarge {
                len: p.len() as u64,
                max: max_packet_len as u64,
            });
        }
        match p.first() {
            None => return Err(bad),
            Some(b'b') => {
                let data = base64::engine::general_purpose::STANDARD
                    .decode(&p[1..])
                    .map_err(|_| bad)?;
                out.push(Packet::Binary(Bytes::from(data)));
            }
            Some(&d) => {
                let ty = PacketType::from_digit(d).ok_or_else(|| bad.clone())?;
                core::str::from_utf8(&p[1..]).map_err(|_| bad)?;
                out.push(Packet::Text(ty, payload.slice(start + 1..end)));
            }
        }
        if end == payload.len() {
            return Ok(out);
        }
        start = end + 1;
    }
}

/// Join packets into a polling payload.
///
/// # Errors
/// [`Error::ContainsSeparator`] when a text packet contains 0x1E (real
/// Engine.IO would silently split it into two packets);
/// [`Error::InvalidFrame`] when text is not UTF-8.
pub fn encode_payload(packets: &[Packet], dst: &mut BytesMut) -> Result<(), Error> {
    for p in packets {
        if let Packet::Text(_, data) = p {
            if data.contains(&RECORD_SEPARATOR) {
                return Err(Error::ContainsSeparator {
                    byte: RECORD_SEPARATOR,
                });
            }
            if core::str::from_utf8(data).is_err() {
                return Err(Error::InvalidFrame {
                    what: WHAT,
                    offset: 0,
                });
            }
        }
    }
    for (i, p) in packets.iter().enumerate() {
        if i > 0 {
            dst.put_u8(RECORD_SEPARATOR);
        }
        match p {
            Packet::Text(ty, data) => {
                dst.put_u8(ty.digit());
                dst.put_slice(data);
            }
            Packet::Binary(data) => {
                dst.put_u8(b'b');
                let start = dst.len();
                let n = base64::encoded_len(data.len(), true).unwrap_or(0);
                dst.resize(start + n, 0);
                let _ =
                    base64::engine::general_purpose::STANDARD.encode_slice(data, &mut dst[start..]);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_with_binary() {
        let packets = alloc::vec![
            Packet::message("hello"),
            Packet::Binary(Bytes::from_static(&[1, 2, 3, 0x1E])),
            Packet::Text(PacketType::Ping, Bytes::new()),
        ];
        let mut out = BytesMut::new();
        encode_payload(&packets, &mut out).unwrap();
        assert_eq!(&out[..], b"4hello\x1ebAQIDHg==\x1e2");
        assert_eq!(decode_payload(&out.freeze(), 1024).unwrap(), packets);
    }

    #[test]
    fn rejects() {
        let mut out = BytesMut::new();
        assert_eq!(
            encode_payload(&[Packet::message("a\u{1e}b")], &mut out),
            Err(Error::ContainsSeparator { byte: 0x1E })
        );
        assert!(out.is_empty());
        for bad in [&b""[..], b"4a\x1e", b"9x", b"b!!", b"4\xff"] {
            assert!(
                decode_payload(&Bytes::copy_from_slice(bad), 64).is_err(),
                "{bad:?}"
            );
        }
        assert!(matches!(
            decode_payload(&Bytes::from_static(b"4abcdef"), 3),
            Err(Error::TooLarge { .. })
        ));
        assert_eq!(
            decode_payload(&Bytes::from_static(b"4a\x1e9"), 64),
            Err(Error::InvalidFrame {
                what: "engine.io",
                offset: 3
            })
        );
    }
}
