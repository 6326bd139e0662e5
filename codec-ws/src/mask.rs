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
        let w = u64::from_ne_bytes([
            key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3],
        ]);
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

#[inline(never)]
fn apply_mask_long(buf: &mut [u8], key: [u8; 4], offset: usize) {
    let mut k = key;
    if offset & 3 != 0 {
        k.rotate_left(offset & 3);
    }
    let w = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
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
