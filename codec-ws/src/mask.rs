//! Payload masking (RFC 6455 §5.3): XOR with a 4-byte key, a word at a time.
//!
//! The bulk of a payload goes through two small kernels, [`xor_blocks`] (in place) and
//! [`xor_copy_blocks`] (fused with a copy): plain loops over `u64` words in 64-byte blocks
//! that the compiler vectorizes. With the `std` feature on x86-64 the `multiversion` crate
//! compiles them a second time for AVX2 and picks that version at run time when the CPU
//! has it (a cached function pointer; its macro writes the dispatch, this crate stays free
//! of `unsafe`). Without `std`, or on other targets, they use the baseline target features
//! (SSE2 on x86-64, SIMD128 on wasm32 when enabled). AVX-512 is left out on purpose: on the
//! machines measured it made both kernels slower, not faster.

/// XORs `buf` with `key`, where `buf[0]` is byte number `offset` of the payload
/// (so a payload can be unmasked piece by piece as it arrives).
///
/// Payloads of 16 bytes or less are done inline a word at a time; longer ones in 64-byte
/// SIMD blocks (AVX2 when the CPU has it, see the module docs), aligned to cache lines
/// for long buffers.
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
            let x = read_word(word) ^ w;
            word.copy_from_slice(&x.to_ne_bytes());
        }
        for (b, m) in words.into_remainder().iter_mut().zip(w.to_ne_bytes()) {
            *b ^= m;
        }
        return;
    }
    apply_mask_long(buf, key, offset);
}

#[inline(never)]
fn apply_mask_long(buf: &mut [u8], key: [u8; 4], offset: usize) {
    if buf.len() < DISPATCH_MIN {
        // Not worth a call through the dispatch pointer (and `vzeroupper` on return).
        xor_small(buf, key_word(key_at(key, offset)));
        return;
    }
    let head = aligned_start(buf);
    let (h, rest) = buf.split_at_mut(head);
    xor_small(h, key_word(key_at(key, offset)));
    let w = key_word(key_at(key, offset + head));
    let done = xor_blocks(rest, w);
    // Blocks are multiples of 4 bytes long, so the key phase is unchanged.
    xor_small(&mut rest[done..], w);
}

/// [`apply_mask`] at offset 0 for a whole text payload: also returns true if the unmasked
/// bytes are all ASCII (so valid UTF-8), found in the same pass. Payloads shorter than 256
/// bytes are only unmasked (false): a separate ASCII test is as cheap for those.
#[inline(never)]
pub(crate) fn apply_mask_ascii(buf: &mut [u8], key: [u8; 4]) -> bool {
    if buf.len() < DISPATCH_MIN {
        apply_mask(buf, key, 0);
        return false;
    }
    let head = aligned_start(buf);
    let (h, rest) = buf.split_at_mut(head);
    let mut high = xor_small(h, key_word(key));
    let w = key_word(key_at(key, head));
    let (done, hb) = xor_blocks_ascii(rest, w);
    high |= hb | xor_small(&mut rest[done..], w);
    high & HIGH_BITS == 0
}

/// `dst = src ^ key` (over the shorter of the two), `src[0]` being payload byte `offset`.
/// With `ascii`, returns true if every byte written is ASCII (found in the same pass);
/// without, false.
#[inline(never)]
fn copy_masked(dst: &mut [u8], src: &[u8], key: [u8; 4], offset: usize, ascii: bool) -> bool {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    if n < DISPATCH_MIN {
        let high = xor_copy_small(dst, src, key_word(key_at(key, offset)));
        return ascii && high & HIGH_BITS == 0;
    }
    let head = aligned_start(dst);
    let mut high = xor_copy_small(&mut dst[..head], src, key_word(key_at(key, offset)));
    let w = key_word(key_at(key, offset + head));
    let (done, h) = if ascii {
        xor_copy_blocks_ascii(&mut dst[head..], &src[head..], w)
    } else {
        (
            xor_copy_blocks(&mut dst[head..], &src[head..], w),
            HIGH_BITS,
        )
    };
    let done = head + done;
    // Blocks are multiples of 4 bytes long, so the key phase is unchanged.
    high |= h | xor_copy_small(&mut dst[done..], &src[done..], w);
    ascii && high & HIGH_BITS == 0
}

/// The top bit of each byte of a word.
const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Payloads shorter than this are unmasked inline with baseline (SSE2) code rather than
/// through the run-time selected kernels.
const DISPATCH_MIN: usize = 4 * LANES;

/// How many bytes at the front of `buf` to do before the SIMD blocks, so that those store
/// to whole cache lines (a wide access that straddles two lines costs about twice as much);
/// 0 for buffers too short to gain from it.
#[inline(always)]
fn aligned_start(buf: &[u8]) -> usize {
    if buf.len() < DISPATCH_MIN {
        return 0;
    }
    buf.as_ptr().align_offset(LANES).min(buf.len())
}

/// Bytes per block of the SIMD kernels: two AVX2 registers, four SSE2 ones.
const LANES: usize = 64;

/// XORs every whole [`LANES`]-byte block of `buf` with `w` (repeated); returns how many
/// bytes that covered. See the module docs for how it is compiled.
#[cfg_attr(feature = "std", multiversion::multiversion(targets("x86_64+avx2")))]
fn xor_blocks(buf: &mut [u8], w: u64) -> usize {
    xor_blocks_body::<false>(buf, w).0
}

/// [`xor_blocks`] that also returns the OR of the words written (see
/// [`extend_xor_blocks_ascii`]).
#[cfg_attr(feature = "std", multiversion::multiversion(targets("x86_64+avx2")))]
fn xor_blocks_ascii(buf: &mut [u8], w: u64) -> (usize, u64) {
    xor_blocks_body::<true>(buf, w)
}

#[inline(always)]
fn xor_blocks_body<const ASCII: bool>(buf: &mut [u8], w: u64) -> (usize, u64) {
    let done = buf.len() - buf.len() % LANES;
    let mut high = [0u64; LANES / 8];
    for block in buf[..done].chunks_exact_mut(LANES) {
        for (word, h) in block.chunks_exact_mut(8).zip(&mut high) {
            let x = read_word(word) ^ w;
            if ASCII {
                *h |= x;
            }
            word.copy_from_slice(&x.to_ne_bytes());
        }
    }
    (done, high.iter().fold(0, |a, h| a | h))
}

/// `dst = src ^ w` over every whole [`LANES`]-byte block of `src` (`dst` at least as long);
/// returns how many bytes that covered. Compiled as [`xor_blocks`] is.
#[cfg_attr(feature = "std", multiversion::multiversion(targets("x86_64+avx2")))]
fn xor_copy_blocks(dst: &mut [u8], src: &[u8], w: u64) -> usize {
    xor_copy_blocks_body::<false>(dst, src, w).0
}

/// [`xor_copy_blocks`] that also returns the OR of the words written (see
/// [`extend_xor_blocks_ascii`]).
#[cfg_attr(feature = "std", multiversion::multiversion(targets("x86_64+avx2")))]
fn xor_copy_blocks_ascii(dst: &mut [u8], src: &[u8], w: u64) -> (usize, u64) {
    xor_copy_blocks_body::<true>(dst, src, w)
}

#[inline(always)]
fn xor_copy_blocks_body<const ASCII: bool>(dst: &mut [u8], src: &[u8], w: u64) -> (usize, u64) {
    let mut done = 0;
    // One accumulator per word of a block, folded at the end: a single one would make the
    // compiler fold the vector into it on every block.
    let mut high = [0u64; LANES / 8];
    for (d, s) in dst.chunks_exact_mut(LANES).zip(src.chunks_exact(LANES)) {
        for ((d, s), h) in d.chunks_exact_mut(8).zip(s.chunks_exact(8)).zip(&mut high) {
            let x = read_word(s) ^ w;
            if ASCII {
                *h |= x;
            }
            d.copy_from_slice(&x.to_ne_bytes());
        }
        done += LANES;
    }
    (done, high.iter().fold(0, |a, h| a | h))
}

/// XORs a short piece with `w` (its first byte taking `w`'s first byte): words, then bytes.
/// Returns the OR of what it wrote (see [`xor_copy_small`]), which callers that do not need
/// it let the compiler drop.
#[inline(always)]
fn xor_small(buf: &mut [u8], w: u64) -> u64 {
    let mut high = 0;
    // 32-byte blocks first, which the compiler turns into SSE2 code.
    let mut blocks = buf.chunks_exact_mut(32);
    for block in &mut blocks {
        for word in block.chunks_exact_mut(8) {
            let x = read_word(word) ^ w;
            high |= x;
            word.copy_from_slice(&x.to_ne_bytes());
        }
    }
    let mut words = blocks.into_remainder().chunks_exact_mut(8);
    for word in &mut words {
        let x = read_word(word) ^ w;
        high |= x;
        word.copy_from_slice(&x.to_ne_bytes());
    }
    let mut last = 0;
    for (b, m) in words.into_remainder().iter_mut().zip(w.to_ne_bytes()) {
        *b ^= m;
        last |= *b;
    }
    high | (u64::from(last) * 0x0101_0101_0101_0101)
}

/// `dst = src ^ w` for a short piece (the shorter of the two): words, then bytes. Returns
/// the OR of what it wrote, as a word whose top bits tell whether any byte is non-ASCII.
#[inline(always)]
fn xor_copy_small(dst: &mut [u8], src: &[u8], w: u64) -> u64 {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut high = 0;
    let mut d = dst.chunks_exact_mut(8);
    let mut s = src.chunks_exact(8);
    for (d, s) in (&mut d).zip(&mut s) {
        let x = read_word(s) ^ w;
        high |= x;
        d.copy_from_slice(&x.to_ne_bytes());
    }
    let mut last = 0;
    for ((d, s), m) in d
        .into_remainder()
        .iter_mut()
        .zip(s.remainder())
        .zip(w.to_ne_bytes())
    {
        *d = s ^ m;
        last |= *d;
    }
    high | (u64::from(last) * 0x0101_0101_0101_0101)
}

/// The key (as read from the frame, native byte order) repeated over a `u64`, to XOR 8
/// payload bytes that start at a multiple of 4.
#[inline(always)]
pub(crate) fn mask_word(key: u32) -> u64 {
    let k = u64::from(key);
    k | (k << 32)
}

/// Bytes copied and unmasked at a time by [`extend_masked`]: small enough that the
/// validation finds them in L1 cache, so the payload is read from memory once.
const BLOCK: usize = 8 << 10;

/// Appends `src` to `dst`, unmasked with `key` where `src[0]` is payload byte `offset`,
/// and calls `check` on each unmasked block while it is still in cache (text validation).
/// With `text`, `check` is also told whether the block is known to be all ASCII (found
/// while unmasking; never for unmasked input). Stops at the first `Err` of `check`,
/// returning it with the number of bytes appended.
#[inline]
pub(crate) fn extend_masked<E>(
    dst: &mut bytes::BytesMut,
    src: &[u8],
    key: Option<[u8; 4]>,
    offset: usize,
    text: bool,
    mut check: impl FnMut(&[u8], bool) -> Result<(), E>,
) -> Result<(), (usize, E)> {
    dst.reserve(src.len());
    let mut done = 0;
    for block in src.chunks(BLOCK) {
        let at = dst.len();
        let (piece, ascii) = if let Some(key) = key {
            dst.resize(at + block.len(), 0);
            let piece = &mut dst[at..];
            let ascii = copy_masked(piece, block, key, offset + done, text);
            (piece, ascii)
        } else {
            dst.extend_from_slice(block);
            (&mut dst[at..], false)
        };
        done += block.len();
        check(piece, ascii).map_err(|e| (done, e))?;
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

/// The first 8 bytes of `b` (which has at least 8) as a native-endian word.
#[inline(always)]
fn read_word(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_ne_bytes(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
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
            mask_word(u32::from_ne_bytes(key)).to_ne_bytes(),
            [0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78]
        );
        let src: Vec<u8> = (0..3 * BLOCK + 7).map(|i| (i * 7) as u8).collect();
        for offset in 0..4 {
            let mut want = src.clone();
            naive(&mut want, key, offset);
            let mut dst = bytes::BytesMut::from(&b"xy"[..]);
            let mut seen = 0;
            let r = extend_masked(&mut dst, &src, Some(key), offset, false, |p, ascii| {
                seen += p.len();
                assert!(!ascii);
                Ok::<(), ()>(())
            });
            assert_eq!((r, seen), (Ok(()), src.len()));
            assert_eq!(&dst[2..], &want[..]);
        }
        // Text: each block says whether it is all ASCII.
        let mut plain = vec![b'a'; 3 * BLOCK + 7];
        plain[BLOCK + 5] = 0xc3;
        let mut masked = plain.clone();
        naive(&mut masked, key, 1);
        let mut dst = bytes::BytesMut::new();
        let mut flags = Vec::new();
        let r = extend_masked(&mut dst, &masked, Some(key), 1, true, |p, ascii| {
            flags.push((p.len(), ascii));
            Ok::<(), ()>(())
        });
        assert_eq!(r, Ok(()));
        assert_eq!(&dst[..], &plain[..]);
        assert_eq!(
            flags,
            [(BLOCK, true), (BLOCK, false), (BLOCK, true), (7, true)]
        );
        // A failing check stops the copy at the end of its block.
        let mut dst = bytes::BytesMut::new();
        let r = extend_masked(&mut dst, &src, None, 0, true, |p, ascii| {
            assert!(!ascii);
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

    /// Every length up to 300 plus some long ones, every key phase and every start
    /// address within a cache line: the run-time selected kernels (AVX2 on a CPU that has
    /// it), the baseline ones and the byte-by-byte definition agree, and the ASCII flags
    /// are right.
    #[test]
    fn kernels_match_naive_for_every_length_offset_and_alignment() {
        let key = [0x9a, 0x13, 0xc7, 0x5e];
        let lens = (0usize..300).chain([511, 512, 1000, 1024, 4095, 4096, 9000]);
        for len in lens {
            let plain: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            for offset in 0..4 {
                let mut masked = plain.clone();
                naive(&mut masked, key, offset);
                for shift in 0..LANES {
                    let mut buf = vec![0u8; shift];
                    buf.extend_from_slice(&masked);
                    apply_mask(&mut buf[shift..], key, offset);
                    assert_eq!(
                        &buf[shift..],
                        &plain[..],
                        "in place: len {len} offset {offset} shift {shift}"
                    );
                    let mut dst = vec![0u8; shift + len];
                    copy_masked(&mut dst[shift..], &masked, key, offset, false);
                    assert_eq!(
                        &dst[shift..],
                        &plain[..],
                        "copy: len {len} offset {offset} shift {shift}"
                    );
                }
            }
        }
    }

    #[test]
    fn dispatched_and_baseline_kernels_agree() {
        let w = key_word([1, 0x80, 3, 0x7f]);
        for len in (0usize..300).chain([4096 + 17]) {
            let src: Vec<u8> = (0..len).map(|i| (i * 13) as u8).collect();
            let (mut a, mut b) = (src.clone(), src.clone());
            assert_eq!(xor_blocks(&mut a, w), xor_blocks_body::<false>(&mut b, w).0);
            assert_eq!(a, b, "xor_blocks, len {len}");
            let (mut a, mut b) = (src.clone(), src.clone());
            assert_eq!(
                xor_blocks_ascii(&mut a, w),
                xor_blocks_body::<true>(&mut b, w)
            );
            assert_eq!(a, b, "xor_blocks_ascii, len {len}");
            let (mut a, mut b) = (vec![0; len], vec![0; len]);
            assert_eq!(
                xor_copy_blocks(&mut a, &src, w),
                xor_copy_blocks_body::<false>(&mut b, &src, w).0
            );
            assert_eq!(a, b, "xor_copy_blocks, len {len}");
            let (mut a, mut b) = (vec![0; len], vec![0; len]);
            assert_eq!(
                xor_copy_blocks_ascii(&mut a, &src, w),
                xor_copy_blocks_body::<true>(&mut b, &src, w)
            );
            assert_eq!(a, b, "xor_copy_blocks_ascii, len {len}");
        }
    }

    /// The ASCII flag of the text paths: true exactly when every unmasked byte is ASCII
    /// (one high byte anywhere clears it), and the bytes are unmasked either way.
    #[test]
    fn ascii_flags_see_every_byte() {
        let key = [0x80, 0x01, 0xff, 0x7f];
        for len in (0usize..300).chain([1024, 4097]) {
            let ascii: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let mut cases = vec![(ascii.clone(), true)];
            for at in [
                0,
                1,
                7,
                8,
                31,
                32,
                63,
                64,
                100,
                255,
                256,
                len / 2,
                len.saturating_sub(1),
            ] {
                if at < len {
                    let mut p = ascii.clone();
                    p[at] = 0x80 | (at as u8);
                    cases.push((p, false));
                }
            }
            for (plain, is_ascii) in cases {
                let mut masked = plain.clone();
                naive(&mut masked, key, 0);
                let mut buf = masked.clone();
                let flag = apply_mask_ascii(&mut buf, key);
                assert_eq!(buf, plain, "len {len}");
                // Short payloads report false: the caller checks them itself.
                assert_eq!(flag, is_ascii && len >= DISPATCH_MIN, "in place, len {len}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_key_offset_and_start(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000),
            key in proptest::prelude::any::<[u8; 4]>(),
            offset in 0usize..8,
            shift in 0usize..64,
        ) {
            let mut want = data.clone();
            naive(&mut want, key, offset);
            let mut buf = vec![0u8; shift];
            buf.extend_from_slice(&data);
            apply_mask(&mut buf[shift..], key, offset);
            proptest::prop_assert_eq!(&buf[shift..], &want[..]);
            let mut dst = vec![0u8; shift + data.len()];
            let flag = copy_masked(&mut dst[shift..], &data, key, offset, true);
            proptest::prop_assert_eq!(&dst[shift..], &want[..]);
            proptest::prop_assert_eq!(flag, want.is_ascii());
            if offset == 0 {
                let mut b = data.clone();
                let flag = apply_mask_ascii(&mut b, key);
                proptest::prop_assert_eq!(&b, &want);
                proptest::prop_assert_eq!(flag, want.is_ascii() && data.len() >= DISPATCH_MIN);
            }
        }
    }
}
