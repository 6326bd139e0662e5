//! Quick in-crate throughput check of the server-side decoder and the encoder
//! (std::time, no harness; the cross-library comparison lives in the workspace `bench/`).
//! `cargo bench -p codec-ws --bench decode`

use std::hint::black_box;
use std::time::Instant;

use bytes::BytesMut;
use codec_ws::{encode_frame, Decoder, Limits, OpCode, Role};

fn frames(size: usize, opcode: OpCode, total: usize) -> (BytesMut, usize) {
    let payload: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
    let n = (total / (size + 14)).max(1);
    let mut buf = BytesMut::new();
    for _ in 0..n {
        encode_frame(&mut buf, true, 0, opcode, Some([1, 2, 3, 4]), &payload);
    }
    (buf, n)
}

fn main() {
    let filter = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    for (name, opcode) in [("binary", OpCode::Binary), ("text", OpCode::Text)] {
        for size in [16usize, 125, 1024, 64 << 10, 1 << 20] {
            let label = format!("decode {name} {size} B");
            if filter.as_ref().is_some_and(|f| !label.contains(f.as_str())) {
                continue;
            }
            let (input, n) = frames(size, opcode, 32 << 20);
            let mut best = f64::MAX;
            for _ in 0..7 {
                let mut src = input.clone();
                let mut dec = Decoder::new(Role::Server, Limits::default().max_frame_len(2 << 20));
                let t = Instant::now();
                let mut count = 0;
                while let Some(f) = dec.decode(&mut src).unwrap() {
                    black_box(&f.payload);
                    count += 1;
                }
                best = best.min(t.elapsed().as_secs_f64());
                assert_eq!(count, n);
            }
            let bytes = (size * n) as f64;
            println!(
                "{label:>26}: {:8.1} M msg/s {:8.2} GB/s",
                n as f64 / best / 1e6,
                bytes / best / 1e9
            );
        }
    }
    for size in [16usize, 1024, 64 << 10] {
        let payload = vec![7u8; size];
        let n = (32 << 20) / (size + 14);
        let mut best = f64::MAX;
        for _ in 0..5 {
            let mut out = BytesMut::with_capacity(n * (size + 14));
            let t = Instant::now();
            for _ in 0..n {
                encode_frame(
                    &mut out,
                    true,
                    0,
                    OpCode::Binary,
                    Some([1, 2, 3, 4]),
                    black_box(&payload),
                );
            }
            best = best.min(t.elapsed().as_secs_f64());
            black_box(&out);
        }
        println!(
            "{:>26}: {:8.1} M msg/s {:8.2} GB/s",
            format!("encode masked {size} B"),
            n as f64 / best / 1e6,
            (size * n) as f64 / best / 1e9
        );
    }
}
