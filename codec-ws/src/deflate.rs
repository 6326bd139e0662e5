//! permessage-deflate (RFC 7692): parameter negotiation and the per-message codec.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use bytes::BytesMut;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use crate::error::Error;
use crate::utf8::Utf8Validator;
use crate::Role;

/// The extension token.
pub(crate) const EXTENSION_NAME: &str = "permessage-deflate";

/// Inflated output is produced at most this many bytes per step, and the message limit is
/// checked after every step, so a small compressed frame cannot make a large allocation.
const INFLATE_STEP: usize = 32 << 10;

/// The 4 bytes a sync flush ends with; stripped by the sender, re-appended by the receiver
/// (RFC 7692 §7.2.1, §7.2.2).
const TAIL: [u8; 4] = [0, 0, 0xff, 0xff];

/// What one endpoint offers (client) or accepts (server).
///
/// ```
/// use codec_ws::DeflateConfig;
/// let cfg = DeflateConfig::default().client_no_context_takeover(true);
/// assert_eq!(cfg.offer(), "permessage-deflate; client_no_context_takeover; client_max_window_bits");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeflateConfig {
    pub(crate) server_no_context_takeover: bool,
    pub(crate) client_no_context_takeover: bool,
    pub(crate) server_max_window_bits: u8,
    pub(crate) client_max_window_bits: u8,
    pub(crate) level: u8,
}

impl Default for DeflateConfig {
    fn default() -> Self {
        Self {
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: 15,
            client_max_window_bits: 15,
            level: 6,
        }
    }
}

/// The parameters both sides agreed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeflateParams {
    /// The server resets its compressor after each message.
    pub server_no_context_takeover: bool,
    /// The client resets its compressor after each message.
    pub client_no_context_takeover: bool,
    /// LZ77 window of the server's compressor, 8-15.
    pub server_max_window_bits: u8,
    /// LZ77 window of the client's compressor, 8-15.
    pub client_max_window_bits: u8,
}

impl Default for DeflateParams {
    fn default() -> Self {
        Self {
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: 15,
            client_max_window_bits: 15,
        }
    }
}

impl DeflateConfig {
    /// Ask for (client) or impose (server) `server_no_context_takeover`.
    #[must_use]
    pub fn server_no_context_takeover(mut self, on: bool) -> Self {
        self.server_no_context_takeover = on;
        self
    }
    /// Ask for (server) or promise (client) `client_no_context_takeover`.
    #[must_use]
    pub fn client_no_context_takeover(mut self, on: bool) -> Self {
        self.client_no_context_takeover = on;
        self
    }
    /// Largest server window to ask for or allow, clamped to 8-15. Default 15.
    #[must_use]
    pub fn server_max_window_bits(mut self, bits: u8) -> Self {
        self.server_max_window_bits = bits.clamp(8, 15);
        self
    }
    /// Largest client window to ask for or allow, clamped to 8-15. Default 15.
    #[must_use]
    pub fn client_max_window_bits(mut self, bits: u8) -> Self {
        self.client_max_window_bits = bits.clamp(8, 15);
        self
    }
    /// Compression level 0-9, clamped. Default 6.
    #[must_use]
    pub fn level(mut self, level: u8) -> Self {
        self.level = level.min(9);
        self
    }

    /// The client's `Sec-WebSocket-Extensions` offer. It always lists
    /// `client_max_window_bits` so the server may limit the client's window (RFC 7692 §7.1.2.2).
    #[must_use]
    pub fn offer(&self) -> String {
        let mut s = String::from(EXTENSION_NAME);
        if self.server_no_context_takeover {
            s.push_str("; server_no_context_takeover");
        }
        if self.client_no_context_takeover {
            s.push_str("; client_no_context_takeover");
        }
        if self.server_max_window_bits < 15 {
            let _ = write!(
                s,
                "; server_max_window_bits={}",
                self.server_max_window_bits
            );
        }
        if self.client_max_window_bits < 15 {
            let _ = write!(
                s,
                "; client_max_window_bits={}",
                self.client_max_window_bits
            );
        } else {
            s.push_str("; client_max_window_bits");
        }
        s
    }

    /// Server side: picks the first acceptable permessage-deflate offer from the
    /// `Sec-WebSocket-Extensions` values (RFC 7692 §5, §7.1). Offers with unknown,
    /// repeated or invalid parameters are declined, other extensions are ignored.
    /// Returns the agreed parameters and the response header value.
    #[must_use]
    pub fn accept<'a>(
        &self,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Option<(DeflateParams, String)> {
        for value in values {
            for ext in split_outside_quotes(value, b',') {
                let mut parts = split_outside_quotes(ext, b';');
                if !parts
                    .next()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(EXTENSION_NAME))
                {
                    continue;
                }
                let Ok(offer) = Offer::parse(parts, true) else {
                    continue;
                };
                return Some(self.answer(&offer));
            }
        }
        None
    }

    fn answer(&self, offer: &Offer) -> (DeflateParams, String) {
        let p = DeflateParams {
            server_no_context_takeover: offer.snct || self.server_no_context_takeover,
            client_no_context_takeover: offer.cnct || self.client_no_context_takeover,
            // Sending with a smaller window than allowed needs no signal (RFC 7692 §7.1.2.1).
            server_max_window_bits: offer.smwb.unwrap_or(15).min(self.server_max_window_bits),
            client_max_window_bits: match offer.cmwb {
                Some(v) => v.unwrap_or(15).min(self.client_max_window_bits),
                None => 15,
            },
        };
        let mut s = String::from(EXTENSION_NAME);
        if p.server_no_context_takeover {
            s.push_str("; server_no_context_takeover");
        }
        if p.client_no_context_takeover {
            s.push_str("; client_no_context_takeover");
        }
        if offer.smwb.is_some() {
            let _ = write!(s, "; server_max_window_bits={}", p.server_max_window_bits);
        }
        // Only when offered, and then always with a value (RFC 7692 §7.1.2.2).
        if offer.cmwb.is_some() && p.client_max_window_bits < 15 {
            let _ = write!(s, "; client_max_window_bits={}", p.client_max_window_bits);
        }
        (p, s)
    }

    /// Client side: validates the server's `Sec-WebSocket-Extensions` answer to
    /// [`offer`](Self::offer) and returns the agreed parameters.
    ///
    /// # Errors
    /// [`Error::InvalidExtension`] if the answer names another extension, repeats or
    /// misuses a parameter, or gives a window the offer did not allow.
    pub fn parse_response(&self, value: &str) -> Result<DeflateParams, Error> {
        let mut exts = split_outside_quotes(value, b',');
        let ext = exts.next().ok_or(Error::InvalidExtension)?;
        if exts.next().is_some() {
            return Err(Error::InvalidExtension); // we offered one extension
        }
        let mut parts = split_outside_quotes(ext, b';');
        if !parts
            .next()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(EXTENSION_NAME))
        {
            return Err(Error::InvalidExtension);
        }
        let r = Offer::parse(parts, false)?;
        let smwb = r.smwb.unwrap_or(15);
        if smwb > self.server_max_window_bits {
            return Err(Error::InvalidExtension);
        }
        let cmwb = match r.cmwb {
            Some(Some(b)) => b.min(self.client_max_window_bits),
            Some(None) => return Err(Error::InvalidExtension),
            None => self.client_max_window_bits,
        };
        Ok(DeflateParams {
            server_no_context_takeover: r.snct,
            client_no_context_takeover: r.cnct || self.client_no_context_takeover,
            server_max_window_bits: smwb,
            client_max_window_bits: cmwb,
        })
    }
}

/// Parameters of one offer or response.
#[derive(Default)]
struct Offer {
    snct: bool,
    cnct: bool,
    smwb: Option<u8>,
    cmwb: Option<Option<u8>>,
}

impl Offer {
    fn parse<'a>(params: impl Iterator<Item = &'a str>, is_offer: bool) -> Result<Self, Error> {
        let mut o = Self::default();
        for p in params {
            let (name, value) = match p.split_once('=') {
                Some((n, v)) => (n.trim(), Some(unquote(v.trim())?)),
                None => (p.trim(), None),
            };
            let flag = |seen: &mut bool| {
                if *seen || value.is_some() {
                    return Err(Error::InvalidExtension);
                }
                *seen = true;
                Ok(())
            };
            if name.eq_ignore_ascii_case("server_no_context_takeover") {
                flag(&mut o.snct)?;
            } else if name.eq_ignore_ascii_case("client_no_context_takeover") {
                flag(&mut o.cnct)?;
            } else if name.eq_ignore_ascii_case("server_max_window_bits") {
                if o.smwb.is_some() {
                    return Err(Error::InvalidExtension);
                }
                o.smwb = Some(window_bits(value.ok_or(Error::InvalidExtension)?)?);
            } else if name.eq_ignore_ascii_case("client_max_window_bits") {
                if o.cmwb.is_some() {
                    return Err(Error::InvalidExtension);
                }
                o.cmwb = Some(match value {
                    Some(v) => Some(window_bits(v)?),
                    // Without a value only in an offer (RFC 7692 §7.1.2.2).
                    None if is_offer => None,
                    None => return Err(Error::InvalidExtension),
                });
            } else {
                return Err(Error::InvalidExtension);
            }
        }
        Ok(o)
    }
}

/// 1*DIGIT in 8..=15 without leading zeros (RFC 7692 §7.1.2).
fn window_bits(v: &str) -> Result<u8, Error> {
    let ok = !v.is_empty()
        && v.len() <= 2
        && v.bytes().all(|b| b.is_ascii_digit())
        && !v.starts_with('0');
    match v.parse::<u8>() {
        Ok(b @ 8..=15) if ok => Ok(b),
        _ => Err(Error::InvalidExtension),
    }
}

fn unquote(v: &str) -> Result<&str, Error> {
    match v.strip_prefix('"') {
        Some(rest) => rest.strip_suffix('"').ok_or(Error::InvalidExtension),
        None => Ok(v),
    }
}

fn split_outside_quotes(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let s = rest?;
        let mut quoted = false;
        for (i, b) in s.bytes().enumerate() {
            if b == b'"' {
                quoted = !quoted;
            } else if b == sep && !quoted {
                rest = Some(&s[i + 1..]);
                return Some(&s[..i]);
            }
        }
        rest = None;
        Some(s)
    })
    .filter(|p| !p.trim().is_empty())
}

/// The compression state of one connection.
pub(crate) struct DeflateCodec {
    inflater: Decompress,
    /// `None` when the agreed window is 8 bits, which zlib cannot produce for raw
    /// deflate: such an endpoint sends its messages uncompressed (RSV1 clear), as RFC 7692 allows.
    deflater: Option<Compress>,
    recv_reset: bool,
    send_reset: bool,
    /// Compressed bytes arrived for the current message.
    fed: bool,
    scratch: Vec<u8>,
    pub(crate) utf8: Utf8Validator,
}

impl core::fmt::Debug for DeflateCodec {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DeflateCodec")
            .field("recv_reset", &self.recv_reset)
            .finish_non_exhaustive()
    }
}

impl DeflateCodec {
    pub(crate) fn new(role: Role, p: &DeflateParams, level: u8) -> Self {
        let (send_bits, send_reset, recv_reset) = match role {
            Role::Server => (
                p.server_max_window_bits,
                p.server_no_context_takeover,
                p.client_no_context_takeover,
            ),
            Role::Client => (
                p.client_max_window_bits,
                p.client_no_context_takeover,
                p.server_no_context_takeover,
            ),
        };
        let deflater = (send_bits >= 9).then(|| {
            Compress::new_with_window_bits(Compression::new(level.into()), false, send_bits.min(15))
        });
        Self {
            // A 15-bit window inflates anything a peer with a smaller window sends.
            inflater: Decompress::new(false),
            deflater,
            recv_reset,
            send_reset,
            fed: false,
            scratch: Vec::new(),
            utf8: Utf8Validator::default(),
        }
    }

    /// Inflates one frame's payload into `out`, checking the message limit after each step.
    /// `last` appends the stripped sync-flush tail first.
    pub(crate) fn inflate(
        &mut self,
        input: &[u8],
        last: bool,
        out: &mut BytesMut,
        max: u64,
        offset: u64,
    ) -> Result<(), Error> {
        self.inflate_part(input, out, max, offset)?;
        self.fed |= !input.is_empty();
        if last {
            // A peer may send an empty message as an empty compressed payload; the tail
            // alone would not inflate.
            if core::mem::take(&mut self.fed) {
                self.inflate_part(&TAIL, out, max, offset)?;
            }
            if self.recv_reset {
                self.inflater.reset(false);
            }
        }
        Ok(())
    }

    fn inflate_part(
        &mut self,
        mut input: &[u8],
        out: &mut BytesMut,
        max: u64,
        offset: u64,
    ) -> Result<(), Error> {
        // Start small for small frames (the buffer is zeroed before inflating into it).
        let mut step = (input.len() * 4).clamp(256, INFLATE_STEP);
        loop {
            let start = out.len();
            out.resize(start + step, 0);
            let (in0, out0) = (self.inflater.total_in(), self.inflater.total_out());
            let status = self
                .inflater
                .decompress(input, &mut out[start..], FlushDecompress::Sync)
                .map_err(|_| Error::Inflate { offset });
            let used = (self.inflater.total_in() - in0) as usize;
            let made = (self.inflater.total_out() - out0) as usize;
            out.truncate(start + made);
            let status = status?;
            if out.len() as u64 > max {
                return Err(Error::MessageTooLarge {
                    len: out.len() as u64,
                    max,
                    offset,
                });
            }
            input = &input[used..];
            if status == Status::StreamEnd {
                // A final block (BFINAL) ends the deflate stream; start a new one.
                self.inflater.reset(false);
                if input.is_empty() {
                    return Ok(());
                }
                continue;
            }
            if made < step && input.is_empty() {
                return Ok(());
            }
            step = INFLATE_STEP;
            if used == 0 && made == 0 {
                return Err(Error::Inflate { offset });
            }
        }
    }

    /// Compresses a whole message; `None` if this endpoint sends uncompressed.
    pub(crate) fn deflate(&mut self, input: &[u8]) -> Option<&[u8]> {
        self.deflate_part(input, true)
    }

    /// Whether this endpoint compresses what it sends.
    pub(crate) fn compresses(&self) -> bool {
        self.deflater.is_some()
    }

    /// Compresses one piece of a message sent in fragments; `last` ends the message
    /// (only its output loses the sync-flush tail, RFC 7692 §7.2.1).
    pub(crate) fn deflate_part(&mut self, mut input: &[u8], last: bool) -> Option<&[u8]> {
        let c = self.deflater.as_mut()?;
        self.scratch.clear();
        loop {
            self.scratch.reserve(input.len() / 2 + 64);
            let in0 = c.total_in();
            // Compress::compress_vec only fails on a corrupt stream state, which cannot
            // happen here; treat it as "send uncompressed".
            c.compress_vec(input, &mut self.scratch, FlushCompress::Sync)
                .ok()?;
            input = &input[(c.total_in() - in0) as usize..];
            if input.is_empty() && self.scratch.len() < self.scratch.capacity() {
                break;
            }
        }
        if !last {
            return Some(&self.scratch);
        }
        if self.scratch.ends_with(&TAIL) {
            self.scratch.truncate(self.scratch.len() - 4);
        }
        if self.scratch.is_empty() {
            // An empty message is sent as one 0x00 byte (RFC 7692 §7.2.3.6).
            self.scratch.push(0);
        }
        if self.send_reset {
            c.reset();
        }
        if self.scratch.capacity() > 1 << 20 && self.scratch.len() < 1 << 16 {
            self.scratch.shrink_to(1 << 16);
        }
        Some(&self.scratch)
    }

    pub(crate) fn shrink(&mut self) {
        self.scratch = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_accepts_first_valid_offer() {
        let cfg = DeflateConfig::default();
        let (p, s) = cfg
            .accept([
                "permessage-deflate; foo=1, permessage-deflate; server_max_window_bits=10; client_max_window_bits",
                "x-other",
            ])
            .unwrap();
        assert_eq!(p.server_max_window_bits, 10);
        assert_eq!(p.client_max_window_bits, 15);
        assert_eq!(s, "permessage-deflate; server_max_window_bits=10");
    }

    #[test]
    fn server_declines_invalid_offers() {
        let cfg = DeflateConfig::default();
        for bad in [
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=010",
            "permessage-deflate; client_max_window_bits=8; client_max_window_bits=9",
            "permessage-deflate; client_no_context_takeover=1",
            "permessage-deflate; unknown",
        ] {
            assert_eq!(cfg.accept([bad]), None, "{bad}");
        }
        assert!(cfg
            .accept(["permessage-deflate; server_max_window_bits=\"9\""])
            .is_some());
    }

    #[test]
    fn client_max_window_bits_answered_only_when_offered() {
        let cfg = DeflateConfig::default().client_max_window_bits(10);
        let (_, s) = cfg.accept(["permessage-deflate"]).unwrap();
        assert_eq!(s, "permessage-deflate");
        let (p, s) = cfg
            .accept(["permessage-deflate; client_max_window_bits"])
            .unwrap();
        assert_eq!(s, "permessage-deflate; client_max_window_bits=10");
        assert_eq!(p.client_max_window_bits, 10);
    }

    #[test]
    fn client_validates_response() {
        let cfg = DeflateConfig::default().server_max_window_bits(12);
        assert!(cfg
            .parse_response("permessage-deflate; server_max_window_bits=13")
            .is_err());
        assert!(cfg
            .parse_response("permessage-deflate; client_max_window_bits")
            .is_err());
        assert!(cfg.parse_response("x-webkit-deflate-frame").is_err());
        assert!(cfg
            .parse_response("permessage-deflate, permessage-deflate")
            .is_err());
        let p = cfg
            .parse_response(
                "permessage-deflate; server_max_window_bits=9; client_max_window_bits=8",
            )
            .unwrap();
        assert_eq!((p.server_max_window_bits, p.client_max_window_bits), (9, 8));
    }

    #[test]
    fn round_trip_with_and_without_context_takeover() {
        for reset in [false, true] {
            let p = DeflateParams {
                server_no_context_takeover: reset,
                ..DeflateParams::default()
            };
            let mut tx = DeflateCodec::new(Role::Server, &p, 6);
            let mut rx = DeflateCodec::new(Role::Client, &p, 6);
            for msg in [&b"hello hello hello"[..], b"", b"hello hello hello again"] {
                let z = tx.deflate(msg).unwrap().to_vec();
                let mut out = BytesMut::new();
                rx.inflate(&z, true, &mut out, 1 << 20, 0).unwrap();
                assert_eq!(&out[..], msg);
            }
        }
    }

    #[test]
    fn bomb_is_cut_at_the_limit() {
        let mut tx = DeflateCodec::new(Role::Server, &DeflateParams::default(), 9);
        let zeros = alloc::vec![0u8; 10 << 20];
        let z = tx.deflate(&zeros).unwrap().to_vec();
        assert!(z.len() < 20_000, "{}", z.len());
        let mut rx = DeflateCodec::new(Role::Client, &DeflateParams::default(), 6);
        let mut out = BytesMut::new();
        let e = rx.inflate(&z, true, &mut out, 1 << 20, 5).unwrap_err();
        assert!(
            matches!(
                e,
                Error::MessageTooLarge {
                    max: 1048576,
                    offset: 5,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(out.len() <= (1 << 20) + INFLATE_STEP);
    }
}
