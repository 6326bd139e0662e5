//! Instruction-count probe for the binary decode path at a server (16-byte frames by default).
//! Run under `valgrind --tool=callgrind` with `N build` (setup only) and `N bytes`, `N slice`
//! or `N conn` (Connection::decode); (total - setup) / N is the per-message cost.
//! `icount N build|bytes|slice|conn [SIZE]` (SIZE defaults to 16)
use bytes::BytesMut;
use codec_ws::{encode_frame, Decoder, Limits, OpCode, Role};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mode = std::env::args().nth(2).unwrap_or_else(|| "bytes".into());
    let size: usize = std::env::args()
        .nth(3)
        .and_then(|a| a.parse().ok())
        .unwrap_or(16);
    let payload = vec![7u8; size];
    let mut buf = BytesMut::with_capacity(n * (size + 14));
    for _ in 0..n {
        let key = Some([1, 2, 3, 4]);
        encode_frame(&mut buf, true, 0, OpCode::Binary, key, &payload);
    }
    let mut dec = Decoder::new(Role::Server, Limits::default());
    let mut count = 0;
    match mode.as_str() {
        "bytes" => {
            while let Some(f) = dec.decode(&mut buf).unwrap() {
                std::hint::black_box(&f.payload);
                count += 1;
            }
        }
        "slice" => {
            let mut at = 0;
            while let Some(f) = dec.decode_slice(&mut buf[at..]).unwrap() {
                std::hint::black_box(&buf[at + f.payload.start..at + f.payload.end]);
                at += f.consumed;
                count += 1;
            }
        }
        "conn" => {
            let mut conn = codec_ws::Connection::new(Role::Server, codec_ws::Config::default());
            while let Some(m) = conn.decode(&mut buf).unwrap() {
                std::hint::black_box(m.payload());
                count += 1;
            }
        }
        _ => count = n,
    }
    assert_eq!(count, n);
}
