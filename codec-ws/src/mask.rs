//! Payload masking (RFC 6455 §5.3): XOR with a 4-byte key, a word at a time.

/// XORs `buf` with `key`, where `buf[0]` is byte number `offset` of the payload
/// (so a payload can be unmasked piece by piece as it arrives).
///
/// Works on 32-byte blocks of four `u64` words, which the compiler turns into SIMD
/// code with the baseline target features; the tail is done byte by byte.
///
/// ```
/// let mut data = *b"Hello";
/// codec_ws::apply_mask(&mut data, [0x37, 0xfa, 0x21, 0x3d], 0);
/// assert_eq!(data, [0x7f, 0x9f, 0x4d, 0x51, 0x58]); // RFC 6455 §5.7
/// ```
#[inline(always)]
pub fn apply_mask(buf: &mut [u8], key: [u8; 4], offset: usize) {
    if buf.len() <= 16 && offset & 3 == 0 {
        // Small frames: inline, two words at most.
        let w = key_word(key);
        let mut words = buf.chunks_exact_mut(8);
        for word in &mut words {
            xor_word(word, w);
        }
        for (b, m) in words.into_remainder().iter_mut().zip(w.to_ne_bytes()) {
            *b ^= m;
        }
        return;
    }
    apply_mask_long(buf, key, offset);
}

/// `dst = src ^ key` (same lengths), `src[0]` being payload byte `offset`.
#[inline(never)]
fn copy_masked(dst: &mut [u8], src: &[u8], key: [u8; 4], offset: usize) {
    let w = key_word(key_at(key, offset));
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut d = dst.chunks_exact_mut(32);
    let mut s = src.chunks_exact(32);
    for (d, s) in (&mut d).zip(&mut s) {
        for (d, s) in d.chunks_exact_mut(8).zip(s.chunks_exact(8)) {
            let mut a = [0; 8];
            a.copy_from_slice(s);
            d.copy_from_slice(&(u64::from_ne_bytes(a) ^ w).to_ne_bytes());
        }
    }
    let tail = w.to_ne_bytes();
    for (i, (d, s)) in d.into_remainder().iter_mut().zip(s.remainder()).enumerate() {
        *d = s ^ tail[i & 7];
    }
}

#[inline(never)]
fn apply_mask_long(buf: &mut [u8], key: [u8; 4], offset: usize) {
    let w = key_word(key_at(key, offset));
    let buf = if buf.len() >= 32 {
        let mut blocks = buf.chunks_exact_mut(32);
        for block in &mut blocks {
            for word in block.chunks_exact_mut(8) {
                xor_word(word, w);
            }
        }
        blocks.into_remainder()
    } else {
        buf
    };
    let mut words = buf.chunks_exact_mut(8);
    for word in &mut words {
        xor_word(word, w);
    }
    // Blocks and words are multiples of 4 bytes long, so the key phase is unchanged.
    let rest = words.into_remainder();
    let tail = w.to_ne_bytes();
    for (b, m) in rest.iter_mut().zip(tail) {
        *b ^= m;
    }
}

/// The key repeated over a `u64`, to XOR 8 payload bytes that start at a multiple of 4.
#[inline(always)]
pub(crate) fn mask_word(key: [u8; 4]) -> u64 {
    key_word(key)
}

/// Bytes copied and then unmasked at a time by [`extend_masked`]: small enough that the
/// XOR pass finds them in L1 cache, so the payload is read from memory once.
const BLOCK: usize = 8 << 10;

/// Appends `src` to `dst`, unmasked with `key` where `src[0]` is payload byte `offset`,
/// and calls `check` on each unmasked block while it is still in cache (text validation).
/// Stops at the first `Err` of `check`, returning it with the number of bytes appended.
#[inline]
pub(crate) fn extend_masked<E>(
    dst: &mut bytes::BytesMut,
    src: &[u8],
    key: Option<[u8; 4]>,
    offset: usize,
    mut check: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), (usize, E)> {
    dst.reserve(src.len());
    let mut done = 0;
    for block in src.chunks(BLOCK) {
        let at = dst.len();
        let piece = if let Some(key) = key {
            dst.resize(at + block.len(), 0);
            let piece = &mut dst[at..];
            copy_masked(piece, block, key, offset + done);
            piece
        } else {
            dst.extend_from_slice(block);
            &mut dst[at..]
        };
        done += block.len();
        check(piece).map_err(|e| (done, e))?;
    }
    Ok(())
}

/// The key as seen from payload byte `offset`: rotated so that its first byte applies there.
#[inline(always)]
fn key_at(key: [u8; 4], offset: usize) -> [u8; 4] {
    let r = offset & 3;
    [key[r], key[(r + 1) & 3], key[(r + 2) & 3], key[(r + 3) & 3]]
}

/// The key repeated over a word: the bytes `k0 k1 k2 k3 k0 k1 k2 k3` in memory order
/// (built from one 32-bit load, which the compiler keeps in a register).
#[inline(always)]
fn key_word(key: [u8; 4]) -> u64 {
    let k = u64::from(u32::from_ne_bytes(key));
    k | (k << 32)
}

#[inline(always)]
fn xor_word(word: &mut [u8], w: u64) {
    let mut a = [0u8; 8];
    a.copy_from_slice(word);
    word.copy_from_slice(&(u64::from_ne_bytes(a) ^ w).to_ne_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn naive(buf: &mut [u8], key: [u8; 4], offset: usize) {
        for (i, b) in buf.iter_mut().enumerate() {
            *b ^= key[(i + offset) & 3];
        }
    }

    #[test]
    fn matches_naive_for_all_lengths_and_offsets() {
        let key = [0x12, 0x34, 0x56, 0x78];
        for len in 0..100 {
            for offset in 0..4 {
                let mut a: Vec<u8> = (0..len as u8).collect();
                let mut b = a.clone();
                apply_mask(&mut a, key, offset);
                naive(&mut b, key, offset);
                assert_eq!(a, b, "len {len} offset {offset}");
            }
        }
    }

    #[test]
    fn word_and_extend_match_naive() {
        let key = [0x12, 0x34, 0x56, 0x78];
        assert_eq!(
            mask_word(key).to_ne_bytes(),
            [0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78]
        );
        let src: Vec<u8> = (0..3 * BLOCK + 7).map(|i| (i * 7) as u8).collect();
        for offset in 0..4 {
            let mut want = src.clone();
            naive(&mut want, key, offset);
            let mut dst = bytes::BytesMut::from(&b"xy"[..]);
            let mut seen = 0;
            let r = extend_masked(&mut dst, &src, Some(key), offset, |p| {
                seen += p.len();
                Ok::<(), ()>(())
            });
            assert_eq!((r, seen), (Ok(()), src.len()));
            assert_eq!(&dst[2..], &want[..]);
        }
        // A failing check stops the copy at the end of its block.
        let mut dst = bytes::BytesMut::new();
        let r = extend_masked(&mut dst, &src, None, 0, |p| {
            if p.len() == BLOCK {
                Err(1)
            } else {
                Ok(())
            }
        });
        assert_eq!(r, Err((BLOCK, 1)));
        assert_eq!(&dst[..], &src[..BLOCK]);
    }

    #[test]
    fn piecewise_equals_whole() {
        let key = [1, 2, 3, 4];
        let mut whole: Vec<u8> = (0..77).collect();
        let mut parts = whole.clone();
        apply_mask(&mut whole, key, 0);
        let (a, b) = parts.split_at_mut(13);
        apply_mask(a, key, 0);
        apply_mask(b, key, 13);
        assert_eq!(whole, parts);
    }
}
