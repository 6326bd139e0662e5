//! Frame encoding into a caller's `BytesMut`.

use bytes::BytesMut;

use crate::frame::{FrameHeader, OpCode, MAX_HEADER_LEN};
use crate::mask::apply_mask;

/// Masked payloads are copied and masked in blocks of this size, so the XOR pass runs on
/// bytes still in L1 cache instead of a second pass over the whole payload.
const MASK_BLOCK: usize = 4096;

/// Writes one frame (header + payload, masked with `mask` if given) into `dst`.
///
/// This is the low-level encoder: it does not check control-frame or fragmentation rules
/// ([`Connection`](crate::Connection) does).
///
/// ```
/// use bytes::BytesMut;
/// use codec_ws::{encode_frame, OpCode};
/// let mut out = BytesMut::new();
/// encode_frame(&mut out, true, 0, OpCode::Text, Some([0x37, 0xfa, 0x21, 0x3d]), b"Hello");
/// assert_eq!(&out[..], &[0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
/// ```
#[inline]
pub fn encode_frame(
    dst: &mut BytesMut,
    fin: bool,
    rsv: u8,
    opcode: OpCode,
    mask: Option<[u8; 4]>,
    payload: &[u8],
) {
    let header = FrameHeader {
        fin,
        rsv,
        opcode,
        mask,
        len: payload.len() as u64,
    };
    let mut h = [0u8; MAX_HEADER_LEN];
    let n = header.encode(&mut h);
    dst.reserve(n + payload.len());
    dst.extend_from_slice(&h[..n]);
    match mask {
        None => dst.extend_from_slice(payload),
        Some(key) => {
            let mut done = 0;
            for block in payload.chunks(MASK_BLOCK) {
                let at = dst.len();
                dst.extend_from_slice(block);
                apply_mask(&mut dst[at..], key, done);
                done += block.len();
            }
        }
    }
}

/// Writes only the header of a frame, for vectored writes of header + payload.
/// Returns the header bytes and their length.
#[must_use]
pub fn encode_header(header: &FrameHeader) -> ([u8; MAX_HEADER_LEN], usize) {
    let mut h = [0u8; MAX_HEADER_LEN];
    let n = header.encode(&mut h);
    (h, n)
}
