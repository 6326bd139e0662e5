//! What a decoding contender hands back: enough to check it decoded everything, cheap enough
//! not to dominate the timing.

use bench::inputs::byte_sum;

/// Messages, payload bytes and (when checking) the sum of all payload byte values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    /// Messages (or events, or data pieces) delivered.
    pub msgs: u64,
    /// Payload bytes delivered.
    pub bytes: u64,
    /// With `CHECK`: the sum of every payload byte; without: the first byte of each payload
    /// (so the payload is touched and cannot be optimised away).
    pub sum: u64,
}

impl Digest {
    /// Counts one delivered payload.
    #[inline]
    pub fn add<const CHECK: bool>(&mut self, payload: &[u8]) {
        self.msgs += 1;
        self.bytes += payload.len() as u64;
        if CHECK {
            self.sum += byte_sum(payload);
        } else if let Some(&b) = payload.first() {
            self.sum += u64::from(b);
        }
    }

    /// Counts payload bytes without a new message (a piece of a larger one).
    #[inline]
    #[allow(dead_code)]
    pub fn add_piece<const CHECK: bool>(&mut self, payload: &[u8]) {
        self.add::<CHECK>(payload);
        self.msgs -= 1;
    }

    /// One number for the harness to keep alive.
    pub fn value(&self) -> u64 {
        self.msgs ^ self.bytes.rotate_left(21) ^ self.sum.rotate_left(42)
    }
}
