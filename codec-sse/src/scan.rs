//! Finding line ends a block at a time.
//!
//! Event stream lines end in CR, LF or CRLF (WHATWG HTML §9.2.6) and are
//! short (typically 10-100 bytes), so one search call per line spends more
//! on the call than on the search. Instead each 64-byte block is compared
//! against CR and LF at once (four 16-byte SIMD compares through `wide`:
//! SSE2 on x86-64, NEON on AArch64, simd128 on wasm when enabled, plain
//! arrays elsewhere), giving a mask with one bit per line end; lines are then
//! taken from the mask with `trailing_zeros`, and a block is loaded again
//! only once its mask is used up.

use wide::u8x16;

/// Bit `i` set when `block[i]` is CR or LF.
#[inline(always)]
fn mask64(block: &[u8; 64]) -> u64 {
    let lf = u8x16::splat(b'\n');
    let cr = u8x16::splat(b'\r');
    let mut mask = 0u64;
    for k in 0..4 {
        let mut lane = [0u8; 16];
        lane.copy_from_slice(&block[16 * k..16 * k + 16]);
        let v = u8x16::new(lane);
        // `move_mask` gives the 16 lane bits in the low half of an i32.
        let bits = (v.cmp_eq(lf) | v.cmp_eq(cr)).move_mask() as u16;
        mask |= u64::from(bits) << (16 * k);
    }
    mask
}

/// The line-end mask of `buf[at..at + 64]`; bytes past the end of `buf`
/// count as "not a line end". `at` must be below `buf.len()`. Not inlined:
/// it runs once per 64 bytes, and keeping it out of the per-line loop leaves
/// that loop its registers.
#[inline(never)]
fn block(buf: &[u8], at: usize) -> u64 {
    if let Some(b) = buf.get(at..).and_then(<[u8]>::first_chunk::<64>) {
        return mask64(b);
    }
    // The last, short block: the last 64 bytes of the buffer, shifted, when
    // there are that many (no copy), else bytes one at a time.
    let start = buf.len().saturating_sub(64);
    match buf.get(start..).and_then(<[u8]>::first_chunk::<64>) {
        Some(b) => mask64(b) >> (at - start),
        None => buf
            .get(at..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .fold(0, |m, (i, &c)| {
                m | (u64::from(c == b'\n' || c == b'\r') << i)
            }),
    }
}

/// A cursor over the line ends of one buffer (a region). Make a new one
/// whenever the buffer changes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineEnds {
    /// Start of the block that `mask` describes.
    base: usize,
    /// Line ends in `buf[base..base + 64]` not yet handed out.
    mask: u64,
}

impl Default for LineEnds {
    fn default() -> Self {
        Self::new()
    }
}

impl LineEnds {
    /// A cursor whose first block starts at index 0.
    pub(crate) const fn new() -> Self {
        Self::at(0)
    }

    /// A cursor whose first block starts at index `at` (the bytes before it
    /// hold no line end that is still wanted).
    pub(crate) const fn at(at: usize) -> Self {
        // `next` moves on by one block before loading the first one.
        Self {
            base: at.wrapping_sub(64),
            mask: 0,
        }
    }

    /// The index of the first CR or LF in `buf[pos..]`. Calls must use the
    /// same `buf` and non-decreasing `pos` (so line ends below `pos`, such
    /// as the LF of a CRLF, are skipped) until the next [`Self::new`].
    #[inline(always)]
    pub(crate) fn next(&mut self, buf: &[u8], pos: usize) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let i = self.base + self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                if i >= pos {
                    return Some(i);
                }
            } else {
                self.base = self.base.wrapping_add(64);
                if self.base >= buf.len() {
                    // Stay at the end: later calls load nothing.
                    self.base = buf.len().wrapping_sub(64);
                    return None;
                }
                self.mask = block(buf, self.base);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn all(buf: &[u8]) -> Vec<usize> {
        let mut s = LineEnds::new();
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(i) = s.next(buf, pos) {
            out.push(i);
            pos = i + 1;
        }
        out
    }

    #[test]
    fn finds_every_line_end_like_a_plain_search() {
        // Line ends at every distance, across block boundaries and in the
        // short last block.
        let mut buf = Vec::new();
        for n in 0..150 {
            buf.extend(core::iter::repeat_n(b'x', n));
            buf.push(if n % 3 == 0 { b'\r' } else { b'\n' });
        }
        buf.extend_from_slice(b"\xFF\x0A\x8A\x8D\x0D");
        let want: Vec<usize> = (0..buf.len())
            .filter(|&i| matches!(buf[i], b'\n' | b'\r'))
            .collect();
        assert_eq!(all(&buf), want);
        for start in 0..70 {
            assert_eq!(
                all(&buf[start..]).len(),
                want.iter().filter(|&&i| i >= start).count()
            );
        }
    }

    #[test]
    fn skips_positions_and_ends() {
        let buf = b"a\r\nb\n\nc";
        let mut s = LineEnds::new();
        assert_eq!(s.next(buf, 0), Some(1));
        // Skip the LF of the CRLF.
        assert_eq!(s.next(buf, 3), Some(4));
        assert_eq!(s.next(buf, 5), Some(5));
        assert_eq!(s.next(buf, 6), None);
        assert_eq!(LineEnds::new().next(b"", 0), None);
        assert_eq!(LineEnds::new().next(b"abc", 3), None);
    }
}
