//! The inputs every contender gets: built here, byte for byte the same for ours and the peers,
//! and independent of our codecs (the WebSocket frames are masked by this module's own code),
//! so a benchmark also checks that each contender decodes what was encoded.

/// A small deterministic generator (xorshift64*): the benchmarks must not depend on a random
/// number generator, and every run must see the same bytes.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed (zero is replaced).
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// One WebSocket workload: `count` data frames of `payload_len` bytes each.
#[derive(Clone, Debug)]
pub struct WsFrames {
    /// The frames as a client sends them (masked, RFC 6455 §5.3).
    pub wire: Vec<u8>,
    /// Frames in `wire`.
    pub count: usize,
    /// Payload bytes per frame.
    pub payload_len: usize,
    /// Sum of all unmasked payload bytes (a checksum every decoder must reproduce).
    pub payload_sum: u64,
    /// The unmasked payload of each frame, back to back (what an encoder is given).
    pub payloads: Vec<u8>,
}

/// Frames whose payloads add up to about 1 MiB (at least four frames), so per-iteration
/// setup is amortised over many messages: 65,536 frames at 16 B, 1,024 at 1 KiB.
#[must_use]
pub fn ws_frame_count(payload_len: usize) -> usize {
    ((1usize << 20) / payload_len.max(1)).max(4)
}

/// `count` masked client frames (FIN set, binary or text) of `payload_len` bytes each.
/// Text payloads are JSON-like ASCII, as chat and ticker messages are; binary payloads are
/// random bytes. Each frame gets its own masking key.
#[must_use]
pub fn ws_client_frames(payload_len: usize, count: usize, text: bool) -> WsFrames {
    let mut rng = Rng::new(0x5eed ^ payload_len as u64);
    let mut wire = Vec::with_capacity(count * (payload_len + 14));
    let mut payloads = Vec::with_capacity(count * payload_len);
    let mut payload_sum = 0u64;
    for i in 0..count {
        let start = payloads.len();
        if text {
            push_text(&mut payloads, payload_len, i);
        } else {
            payloads.extend((0..payload_len).map(|_| rng.next_u64() as u8));
        }
        let payload = &payloads[start..];
        payload_sum += payload.iter().map(|&b| u64::from(b)).sum::<u64>();
        // RFC 6455 §5.2: FIN + opcode, then MASK + 7-bit length (126: 16-bit, 127: 64-bit).
        wire.push(0x80 | if text { 0x1 } else { 0x2 });
        match payload_len {
            0..=125 => wire.push(0x80 | payload_len as u8),
            126..=0xffff => {
                wire.push(0x80 | 126);
                wire.extend_from_slice(&(payload_len as u16).to_be_bytes());
            }
            _ => {
                wire.push(0x80 | 127);
                wire.extend_from_slice(&(payload_len as u64).to_be_bytes());
            }
        }
        let key = (rng.next_u64() as u32 | 1).to_be_bytes();
        wire.extend_from_slice(&key);
        wire.extend(payload.iter().enumerate().map(|(j, &b)| b ^ key[j % 4]));
    }
    WsFrames {
        wire,
        count,
        payload_len,
        payload_sum,
        payloads,
    }
}

/// Appends exactly `len` bytes of JSON-looking ASCII text.
fn push_text(out: &mut Vec<u8>, len: usize, i: usize) {
    let start = out.len();
    while out.len() - start < len {
        let piece = format!("{{\"seq\":{i},\"user\":\"alice\",\"text\":\"hello world\"}}");
        let room = len - (out.len() - start);
        out.extend_from_slice(&piece.as_bytes()[..piece.len().min(room)]);
    }
}

/// The sum of all byte values: the checksum contenders return for payloads they decode.
#[must_use]
pub fn byte_sum(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| u64::from(b)).sum()
}

/// An SSE workload and what parsing it must give.
#[derive(Clone, Debug)]
pub struct SseStream {
    /// The `text/event-stream` body.
    pub body: Vec<u8>,
    /// Events dispatched (comments are not events).
    pub events: usize,
    /// Total bytes of event data (lines joined with LF, as the spec builds it).
    pub data_len: usize,
}

/// About `target` bytes of typical events: `id`, `event`, two `data` lines, and a comment
/// line every tenth event (a keep-alive).
#[must_use]
pub fn sse_typical(target: usize) -> SseStream {
    let mut s = SseStream {
        body: Vec::with_capacity(target + 256),
        events: 0,
        data_len: 0,
    };
    let mut i = 0usize;
    while s.body.len() < target {
        if i % 10 == 9 {
            s.body.extend_from_slice(b": keep-alive\n");
        }
        let d1 = format!("{{\"user\":\"alice\",\"seq\":{i},\"room\":\"general\"}}");
        let d2 = format!(
            "{{\"text\":\"message number {i} with some words in it\",\"ts\":{}}}",
            1_700_000_000 + i
        );
        let ev = format!("id: {i}\nevent: chat.message\ndata: {d1}\ndata: {d2}\n\n");
        s.body.extend_from_slice(ev.as_bytes());
        s.events += 1;
        s.data_len += d1.len() + 1 + d2.len();
        i += 1;
    }
    s
}

/// About `target` bytes of LLM token-streaming events: one small `data:` line each.
#[must_use]
pub fn sse_llm(target: usize) -> SseStream {
    const WORDS: [&str; 8] = [
        " the", " model", " streams", " tokens", ",", " one", " at", " a time.",
    ];
    let mut s = SseStream {
        body: Vec::with_capacity(target + 256),
        events: 0,
        data_len: 0,
    };
    let mut i = 0usize;
    while s.body.len() < target {
        let d = format!(
            "{{\"id\":\"chatcmpl-42\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{}\"}}}}]}}",
            WORDS[i % WORDS.len()]
        );
        s.body.extend_from_slice(b"data: ");
        s.body.extend_from_slice(d.as_bytes());
        s.body.extend_from_slice(b"\n\n");
        s.events += 1;
        s.data_len += d.len();
        i += 1;
    }
    s
}

/// A chunked body (RFC 9112 §7.1) carrying `total` data bytes in chunks of `chunk` bytes
/// (lowercase hex sizes, no extensions, no trailers), and the data it carries.
#[must_use]
pub fn chunked_body(total: usize, chunk: usize) -> (Vec<u8>, Vec<u8>) {
    let (wire, data, _) = chunked_body_varying(total, chunk, chunk);
    (wire, data)
}

/// As [`chunked_body`], with each chunk's size drawn from `min..=max` (a stream of events
/// of different sizes, where neighbouring size lines are seldom alike), and the number of
/// data chunks.
#[must_use]
pub fn chunked_body_varying(total: usize, min: usize, max: usize) -> (Vec<u8>, Vec<u8>, usize) {
    let (min, max) = (min.max(1), max.max(min.max(1)));
    let mut rng = Rng::new(0xc4c4 ^ min as u64 ^ ((max as u64) << 32));
    let mut sizes = Vec::new();
    let mut left = total;
    while left > 0 {
        let len = (min + (rng.next_u64() as usize) % (max - min + 1)).min(left);
        sizes.push(len);
        left -= len;
    }
    let (wire, data) = chunked_body_sized(&sizes, &mut rng);
    (wire, data, sizes.len())
}

/// `count` chunks with sizes drawn from `min..=max`, and the data they carry.
#[must_use]
pub fn chunked_body_count(count: usize, min: usize, max: usize) -> (Vec<u8>, Vec<u8>) {
    let (min, max) = (min.max(1), max.max(min.max(1)));
    let mut rng = Rng::new(0x5eed ^ count as u64);
    let sizes: Vec<usize> = (0..count)
        .map(|_| min + (rng.next_u64() as usize) % (max - min + 1))
        .collect();
    chunked_body_sized(&sizes, &mut rng)
}

/// One chunk per entry of `sizes`, random data, then the last chunk.
fn chunked_body_sized(sizes: &[usize], rng: &mut Rng) -> (Vec<u8>, Vec<u8>) {
    let total: usize = sizes.iter().sum();
    let data: Vec<u8> = (0..total).map(|_| rng.next_u64() as u8).collect();
    let mut wire = Vec::with_capacity(total + sizes.len() * 8 + 8);
    let mut at = 0;
    for &len in sizes {
        wire.extend_from_slice(format!("{len:x}\r\n").as_bytes());
        wire.extend_from_slice(&data[at..at + len]);
        wire.extend_from_slice(b"\r\n");
        at += len;
    }
    wire.extend_from_slice(b"0\r\n\r\n");
    (wire, data)
}

/// A typical HTTP/1.1 response head of a JSON API (eight fields, `Content-Length: 0` so a
/// message decoder can take many of them back to back).
pub const RESPONSE_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\n\
Date: Wed, 25 Nov 2026 13:00:00 GMT\r\n\
Server: realtime-codecs-demo\r\n\
Content-Type: application/json; charset=utf-8\r\n\
Content-Length: 0\r\n\
Cache-Control: no-cache, no-store\r\n\
Connection: keep-alive\r\n\
Vary: Accept-Encoding\r\n\
X-Request-Id: 3f2b9c1e-8a7d-4e21-b0c4-5d6e7f809a1b\r\n\
\r\n";

/// `n` copies of [`RESPONSE_HEAD`] back to back.
#[must_use]
pub fn response_heads(n: usize) -> Vec<u8> {
    RESPONSE_HEAD.repeat(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_frames_have_the_advertised_shape() {
        for (len, header) in [(16usize, 6usize), (125, 6), (1024, 8), (70_000, 14)] {
            let f = ws_client_frames(len, 3, len == 16);
            assert_eq!(f.wire.len(), 3 * (len + header));
            assert_eq!(f.payloads.len(), 3 * len);
            assert_eq!(f.payload_sum, byte_sum(&f.payloads));
            // Unmask the first frame by hand and compare.
            let key = &f.wire[header - 4..header];
            let first: Vec<u8> = f.wire[header..header + len]
                .iter()
                .enumerate()
                .map(|(j, b)| b ^ key[j % 4])
                .collect();
            assert_eq!(first, f.payloads[..len]);
        }
        assert!(std::str::from_utf8(&ws_client_frames(125, 2, true).payloads).is_ok());
    }

    #[test]
    fn sse_streams_count_events_and_data() {
        let s = sse_typical(10_000);
        assert!(s.body.len() >= 10_000);
        let blank = s.body.windows(2).filter(|w| w == b"\n\n").count();
        assert_eq!(blank, s.events);
        let l = sse_llm(1000);
        assert_eq!(
            l.body.windows(6).filter(|w| w == b"data: ").count(),
            l.events
        );
    }

    #[test]
    fn chunked_body_ends_with_the_last_chunk() {
        let (wire, data) = chunked_body(1000, 64);
        assert_eq!(data.len(), 1000);
        assert!(wire.starts_with(b"40\r\n"));
        assert!(wire.ends_with(b"\r\n0\r\n\r\n"));
        // 15 full chunks of 64 and one of 40 (0x28).
        assert_eq!(wire.len(), 15 * (4 + 64 + 2) + (4 + 40 + 2) + 5);
    }
}
