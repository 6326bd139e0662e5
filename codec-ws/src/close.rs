//! Close codes and close-frame payloads (RFC 6455 §5.5.1, §7.4).

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::Error;

/// A close status code (RFC 6455 §7.4, IANA "WebSocket Close Code Number Registry").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CloseCode(pub u16);

impl CloseCode {
    /// 1000: normal closure.
    pub const NORMAL: Self = Self(1000);
    /// 1001: endpoint going away.
    pub const GOING_AWAY: Self = Self(1001);
    /// 1002: protocol error.
    pub const PROTOCOL_ERROR: Self = Self(1002);
    /// 1003: data type not accepted.
    pub const UNSUPPORTED_DATA: Self = Self(1003);
    /// 1005: no status code was present (never on the wire).
    pub const NO_STATUS: Self = Self(1005);
    /// 1006: closed without a close frame (never on the wire).
    pub const ABNORMAL: Self = Self(1006);
    /// 1007: payload inconsistent with the message type (e.g. text not UTF-8).
    pub const INVALID_PAYLOAD: Self = Self(1007);
    /// 1008: policy violation.
    pub const POLICY_VIOLATION: Self = Self(1008);
    /// 1009: message too big.
    pub const MESSAGE_TOO_BIG: Self = Self(1009);
    /// 1010: a required extension was not negotiated (client only).
    pub const MANDATORY_EXTENSION: Self = Self(1010);
    /// 1011: internal server error.
    pub const INTERNAL_ERROR: Self = Self(1011);
    /// 1012: service restart (IANA).
    pub const SERVICE_RESTART: Self = Self(1012);
    /// 1013: try again later (IANA).
    pub const TRY_AGAIN_LATER: Self = Self(1013);
    /// 1014: bad gateway (IANA).
    pub const BAD_GATEWAY: Self = Self(1014);
    /// 1015: TLS handshake failure (never on the wire).
    pub const TLS_HANDSHAKE: Self = Self(1015);

    /// Whether this code may appear in a close frame.
    ///
    /// RFC 6455 §7.4.2 reserves 0-999; 1004 is reserved, 1005/1006/1015 are never sent;
    /// 1016-2999 are unassigned in the IANA registry (only 1000-1003 and 1007-1014 are);
    /// 3000-4999 are for libraries and applications; 5000 and up are undefined.
    #[must_use]
    pub fn is_allowed_on_wire(self) -> bool {
        matches!(self.0, 1000..=1003 | 1007..=1014 | 3000..=4999)
    }
}

impl From<u16> for CloseCode {
    fn from(code: u16) -> Self {
        Self(code)
    }
}

impl From<CloseCode> for u16 {
    fn from(code: CloseCode) -> Self {
        code.0
    }
}

/// The body of a close frame: a code and a UTF-8 reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseFrame {
    /// The status code.
    pub code: CloseCode,
    /// The reason: valid UTF-8, at most 123 bytes on the wire.
    pub reason: Bytes,
}

impl CloseFrame {
    /// A close frame with a code and an empty reason.
    #[must_use]
    pub fn new(code: CloseCode) -> Self {
        Self {
            code,
            reason: Bytes::new(),
        }
    }

    /// A close frame with a code and a reason.
    #[must_use]
    pub fn with_reason(code: CloseCode, reason: &str) -> Self {
        Self {
            code,
            reason: Bytes::copy_from_slice(reason.as_bytes()),
        }
    }

    /// The reason as text. Decoded close frames are always UTF-8; a frame built by hand
    /// with invalid bytes gives `""`.
    #[must_use]
    pub fn reason_str(&self) -> &str {
        core::str::from_utf8(&self.reason).unwrap_or("")
    }

    /// Parses a close payload (RFC 6455 §5.5.1): empty, or a 2-byte code and a UTF-8 reason.
    ///
    /// # Errors
    /// [`Error::CloseTooShort`], [`Error::InvalidCloseCode`], [`Error::InvalidCloseReason`],
    /// with `offset` as given.
    pub fn parse(payload: Bytes, offset: u64) -> Result<Option<Self>, Error> {
        match payload.len() {
            0 => Ok(None),
            1 => Err(Error::CloseTooShort { offset }),
            _ => {
                let code = CloseCode(u16::from_be_bytes([payload[0], payload[1]]));
                if !code.is_allowed_on_wire() {
                    return Err(Error::InvalidCloseCode {
                        code: code.0,
                        offset,
                    });
                }
                if simdutf8::basic::from_utf8(&payload[2..]).is_err() {
                    return Err(Error::InvalidCloseReason { offset });
                }
                Ok(Some(Self {
                    code,
                    reason: payload.slice(2..),
                }))
            }
        }
    }

    /// Checks the frame can be sent and writes its payload (code + reason) into `dst`.
    ///
    /// # Errors
    /// [`Error::CloseCodeNotSendable`] for a code not allowed on the wire,
    /// [`Error::ControlPayloadTooLong`] for a reason over 123 bytes.
    pub fn encode_payload(&self, dst: &mut BytesMut) -> Result<(), Error> {
        self.check()?;
        dst.put_u16(self.code.0);
        dst.extend_from_slice(&self.reason);
        Ok(())
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if !self.code.is_allowed_on_wire() {
            return Err(Error::CloseCodeNotSendable { code: self.code.0 });
        }
        if self.reason.len() > 123 {
            return Err(Error::ControlPayloadTooLong {
                len: self.reason.len() + 2,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::{string::String, vec, vec::Vec};

    #[test]
    fn wire_codes_follow_rfc_and_iana() {
        let allowed: Vec<u16> = (0..=u16::MAX)
            .filter(|c| CloseCode(*c).is_allowed_on_wire())
            .collect();
        assert_eq!(allowed.len(), 4 + 8 + 2000);
        for bad in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] {
            assert!(!CloseCode(bad).is_allowed_on_wire(), "{bad}");
        }
        for good in [1000, 1003, 1007, 1012, 1013, 1014, 3000, 4999] {
            assert!(CloseCode(good).is_allowed_on_wire(), "{good}");
        }
    }

    #[test]
    fn parse_rules() {
        assert_eq!(CloseFrame::parse(Bytes::new(), 0), Ok(None));
        assert_eq!(
            CloseFrame::parse(Bytes::from_static(&[3]), 7),
            Err(Error::CloseTooShort { offset: 7 })
        );
        assert_eq!(
            CloseFrame::parse(Bytes::from_static(&[0x03, 0xed]), 0),
            Err(Error::InvalidCloseCode {
                code: 1005,
                offset: 0
            })
        );
        assert_eq!(
            CloseFrame::parse(Bytes::from_static(&[0x03, 0xe8, 0xff]), 0),
            Err(Error::InvalidCloseReason { offset: 0 })
        );
        let f = CloseFrame::parse(Bytes::from_static(b"\x03\xe8bye"), 0)
            .unwrap()
            .unwrap();
        assert_eq!(f.code, CloseCode::NORMAL);
        assert_eq!(f.reason_str(), "bye");
    }

    #[test]
    fn encode_checks() {
        let mut out = BytesMut::new();
        assert!(CloseFrame::new(CloseCode(1006))
            .encode_payload(&mut out)
            .is_err());
        let long = String::from_utf8(vec![b'a'; 124]).unwrap();
        assert!(CloseFrame::with_reason(CloseCode::NORMAL, &long)
            .encode_payload(&mut out)
            .is_err());
        CloseFrame::with_reason(CloseCode::NORMAL, "ok")
            .encode_payload(&mut out)
            .unwrap();
        assert_eq!(&out[..], b"\x03\xe8ok");
    }
}
