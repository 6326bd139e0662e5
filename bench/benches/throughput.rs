//! Throughput, ours against the best peers on the same bytes in one run, rounds interleaved
//! (see the `bench` crate docs for why), printed as one Markdown table.
//!
//! `cargo bench -p bench --bench throughput [-- FILTER...]`: only comparisons whose name
//! contains one of the filters run (e.g. `ws`, `sse`, `chunked`, `sdp`). `BENCH_QUICK=1`
//! shortens the rounds. Before timing, every decoding contender's output is checked against
//! what the input carries (message count, byte count and byte sum), so a contender that
//! skipped work would fail here rather than look fast.

mod common;

use std::hint::black_box;

use bench::inputs::{self, WsFrames};
use bench::{compare, memcpy, table, Comparison, Contender, Settings, Work};
use bytes::{Bytes, BytesMut};
use common::digest::Digest;
use common::{http, sdp, sse, ws};

struct Run {
    filters: Vec<String>,
    settings: Settings,
    rows: Vec<Comparison>,
}

impl Run {
    fn wants(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }

    fn compare(&mut self, name: &str, work: Work, contenders: &mut [Contender<'_>]) {
        let row = compare(name, work, self.settings, contenders);
        eprintln!("{}", one_line(&row));
        self.rows.push(row);
    }
}

fn one_line(row: &Comparison) -> String {
    let ours = row.medians[0].1;
    let mut s = format!("{:<40}", row.name);
    let ours_best = row.best[0];
    for ((n, ns), best) in row.medians.iter().zip(&row.best) {
        s.push_str(&format!(
            "  {n} {:.3} ms ({:.2}x, best {:.2}x)",
            ns / 1e6,
            ns / ours,
            best / ours_best
        ));
    }
    s
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let mut run = Run {
        filters,
        settings: Settings::default(),
        rows: Vec::new(),
    };
    let load_at_start = load();
    ws_decode(&mut run);
    ws_encode(&mut run);
    sse_parse(&mut run);
    http_chunked(&mut run);
    http_heads(&mut run);
    sdp_rows(&mut run);
    println!(
        "{} rounds of {:?} samples; load average at start {}, at end {}\n",
        run.settings.rounds,
        run.settings.sample,
        load_at_start,
        load()
    );
    println!("{}", table(&run.rows));
}

/// The 1-minute load average: other tenants' work shows up in the noise of the medians.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

const WS_SIZES: [(usize, &str); 5] = [
    (16, "16 B"),
    (125, "125 B"),
    (1 << 10, "1 KiB"),
    (64 << 10, "64 KiB"),
    (1 << 20, "1 MiB"),
];

fn ws_decode(run: &mut Run) {
    for text in [false, true] {
        for (len, label) in WS_SIZES {
            let name = format!("ws decode {label} {}", if text { "text" } else { "binary" });
            if !run.wants(&name) {
                continue;
            }
            let f = inputs::ws_client_frames(len, inputs::ws_frame_count(len), text);
            check_ws(&f);
            let (wire, count) = (&f.wire[..], f.count);
            let mut buf = BytesMut::with_capacity(2 * common::READ);
            let mut buf2 = BytesMut::with_capacity(2 * common::READ);
            let mut buf3 = BytesMut::with_capacity(2 * common::READ);
            let mut vbuf = Vec::with_capacity(2 * common::READ);
            let mut dst = vec![0u8; wire.len()];
            run.compare(
                &name,
                Work {
                    bytes: wire.len() as u64,
                    items: count as u64,
                },
                &mut [
                    Contender::new("ours", || ws::ours::<false>(wire, &mut buf).value()),
                    Contender::new("ours (feed)", || ws::ours_feed::<false>(wire).value()),
                    Contender::new("ours (frames)", || {
                        ws::ours_frames::<false>(wire, &mut buf2).value()
                    }),
                    Contender::new("ours (decode_slice)", || {
                        ws::ours_slice::<false>(wire, &mut vbuf).value()
                    }),
                    Contender::new("tungstenite", || {
                        ws::tungstenite::<false>(wire, count).value()
                    }),
                    Contender::new("tokio-websockets", || {
                        ws::tokio_websockets::<false>(wire, count).value()
                    }),
                    Contender::new("fastwebsockets", || {
                        ws::fastwebsockets::<false>(wire, count).value()
                    }),
                    // Ours minus this: the decoder's own cost, without the socket read.
                    Contender::new("read copy only", || http::read_copy(wire, &mut buf3)),
                    Contender::new("memcpy", || memcpy(&mut dst, wire)),
                ],
            );
        }
    }
}

fn check_ws(f: &WsFrames) {
    let want = Digest {
        msgs: f.count as u64,
        bytes: (f.count * f.payload_len) as u64,
        sum: f.payload_sum,
    };
    let mut buf = BytesMut::new();
    assert_eq!(ws::ours::<true>(&f.wire, &mut buf), want, "ours");
    assert_eq!(ws::ours_feed::<true>(&f.wire), want, "ours (feed)");
    assert_eq!(
        ws::ours_frames::<true>(&f.wire, &mut buf),
        want,
        "ours (frames)"
    );
    let mut v = Vec::new();
    assert_eq!(
        ws::ours_slice::<true>(&f.wire, &mut v),
        want,
        "ours (decode_slice)"
    );
    assert_eq!(
        ws::tungstenite::<true>(&f.wire, f.count),
        want,
        "tungstenite"
    );
    assert_eq!(
        ws::tokio_websockets::<true>(&f.wire, f.count),
        want,
        "tokio-websockets"
    );
    assert_eq!(
        ws::fastwebsockets::<true>(&f.wire, f.count),
        want,
        "fastwebsockets"
    );
}

fn ws_encode(run: &mut Run) {
    for (side, sizes) in [
        (ws::Side::Server, &WS_SIZES[..4]),
        (ws::Side::Client, &[WS_SIZES[0], WS_SIZES[3]][..]),
    ] {
        for &(len, label) in sizes {
            let dir = if side == ws::Side::Server {
                "unmasked"
            } else {
                "masked"
            };
            let name = format!("ws encode {label} binary {dir}");
            if !run.wants(&name) {
                continue;
            }
            let f = inputs::ws_client_frames(len, inputs::ws_frame_count(len), false);
            let payloads: Vec<Bytes> = f.payloads.chunks(len).map(Bytes::copy_from_slice).collect();
            let p = &payloads[..];
            let mut a = BytesMut::new();
            let mut b = BytesMut::new();
            let (mut c, mut d, mut e) = (Vec::new(), Vec::new(), Vec::new());
            // Same frames out of every encoder (unmasked output must match byte for byte).
            let n = ws::encode_ours(p, side, &mut a);
            assert_eq!(ws::encode_ours_frames(p, side, &mut b), n);
            assert_eq!(ws::encode_tungstenite(p, side, &mut c), n);
            assert_eq!(ws::encode_fastwebsockets(p, side, &mut e), n);
            if side == ws::Side::Server {
                assert_eq!(ws::encode_tokio_websockets(p, &mut d), n);
                assert!(a[..] == b[..] && a[..] == c[..] && a[..] == d[..] && a[..] == e[..]);
            }
            let mut dst = vec![0u8; f.payloads.len()];
            let mut list = vec![
                Contender::new("ours", || ws::encode_ours(p, side, &mut a) as u64),
                Contender::new("ours (frames)", || {
                    ws::encode_ours_frames(p, side, &mut b) as u64
                }),
                Contender::new("tungstenite", || {
                    ws::encode_tungstenite(p, side, &mut c) as u64
                }),
                Contender::new("fastwebsockets", || {
                    ws::encode_fastwebsockets(p, side, &mut e) as u64
                }),
            ];
            if side == ws::Side::Server {
                list.push(Contender::new("tokio-websockets", || {
                    ws::encode_tokio_websockets(p, &mut d) as u64
                }));
            }
            let src = &f.payloads[..];
            list.push(Contender::new("memcpy", || memcpy(&mut dst, src)));
            run.compare(
                &name,
                Work {
                    bytes: n as u64,
                    items: payloads.len() as u64,
                },
                &mut list,
            );
        }
    }
}

fn sse_parse(run: &mut Run) {
    let streams = [
        ("typical", inputs::sse_typical(1 << 20)),
        ("LLM tokens", inputs::sse_llm(1 << 20)),
    ];
    for (kind, s) in &streams {
        for (chunk, label) in [(16 << 10, "16 KiB"), (256, "256 B")] {
            let name = format!("sse {kind} in {label} chunks");
            if !run.wants(&name) {
                continue;
            }
            let chunks = sse::split(&s.body, chunk);
            let c = &chunks[..];
            let want = Digest {
                msgs: s.events as u64,
                bytes: s.data_len as u64,
                sum: 0,
            };
            let mut buf = BytesMut::new();
            let strip = |d: Digest| Digest { sum: 0, ..d };
            assert_eq!(strip(sse::ours::<true>(c)), want, "ours");
            let reference = sse::ours::<true>(c);
            assert_eq!(sse::sse_stream::<true>(c), reference, "sse-stream");
            assert_eq!(
                sse::eventsource_stream::<true>(c),
                reference,
                "eventsource-stream"
            );
            assert_eq!(sse::sse_parse::<true>(c), reference, "sse-parse");
            assert_eq!(
                sse::ours_ref::<true>(c, &mut buf),
                reference,
                "ours (decode_ref)"
            );
            assert_eq!(
                sse::ours_owned::<true>(c, &mut buf),
                reference,
                "ours (owned)"
            );
            let body = &s.body[..];
            let mut dst = vec![0u8; body.len()];
            let mut buf2 = BytesMut::new();
            run.compare(
                &name,
                Work {
                    bytes: body.len() as u64,
                    items: s.events as u64,
                },
                &mut [
                    Contender::new("ours", || sse::ours::<false>(c).value()),
                    Contender::new("ours (decode_ref)", || {
                        sse::ours_ref::<false>(c, &mut buf).value()
                    }),
                    Contender::new("ours (owned Item)", || {
                        sse::ours_owned::<false>(c, &mut buf2).value()
                    }),
                    Contender::new("sse-stream", || sse::sse_stream::<false>(c).value()),
                    Contender::new("eventsource-stream", || {
                        sse::eventsource_stream::<false>(c).value()
                    }),
                    Contender::new("sse-parse", || sse::sse_parse::<false>(c).value()),
                    Contender::new("memchr per line", || sse::memchr_lines(black_box(body))),
                    Contender::new("memcpy", || memcpy(&mut dst, body)),
                ],
            );
        }
    }
}

fn http_chunked(run: &mut Run) {
    // The last row: sizes that differ from chunk to chunk (events of a stream), so no size
    // line repeats the one before it and the decoders parse every one.
    for (min, max, label) in [
        (64, 64, "64 B"),
        (1 << 10, 1 << 10, "1 KiB"),
        (64 << 10, 64 << 10, "64 KiB"),
        (32, 96, "32-96 B (sizes vary)"),
    ] {
        let name = format!("chunked 4 MiB body in {label} chunks");
        if !run.wants(&name) {
            continue;
        }
        let (wire, data, n) = inputs::chunked_body_varying(4 << 20, min, max);
        let w = &wire[..];
        let mut buf = BytesMut::with_capacity(2 * common::READ);
        let mut buf2 = BytesMut::with_capacity(2 * common::READ);
        let mut buf3 = BytesMut::with_capacity(2 * common::READ);
        let mut body = Vec::with_capacity(data.len());
        let mut body2 = Vec::with_capacity(data.len());
        let mut body3 = Vec::with_capacity(data.len());
        let ours = http::chunked_ours::<true>(w, &mut buf);
        let peer = http::chunked_httparse::<true>(w);
        let (chunks, total) = (n as u64 + 1, data.len() as u64);
        let sum = inputs::byte_sum(&data);
        assert_eq!(
            (peer.msgs, peer.bytes, peer.sum),
            (chunks, total, sum),
            "httparse loop"
        );
        assert_eq!(
            (ours.msgs, ours.bytes, ours.sum),
            (chunks, total, sum),
            "ours"
        );
        let sliced = http::chunked_ours_slice::<true>(w);
        assert_eq!(
            (sliced.msgs, sliced.bytes, sliced.sum),
            (chunks, total, sum),
            "ours (slice)"
        );
        let fast = http::chunked_ours_data::<true>(w);
        assert_eq!((fast.bytes, fast.sum), (total, sum), "ours (decode_data)");
        http::chunked_ours_copy(w, &mut buf, &mut body);
        assert!(body == data, "ours (copy out)");
        http::chunked_ours_data_copy(w, &mut body);
        assert!(body == data, "ours (decode_data, copy out)");
        http::chunked_httparse_copy(w, &mut body2);
        assert!(body2 == data, "httparse loop (copy out)");
        let mut dst = vec![0u8; wire.len()];
        run.compare(
            &name,
            Work {
                bytes: wire.len() as u64,
                items: chunks,
            },
            &mut [
                Contender::new("ours (zero-copy)", || {
                    http::chunked_ours::<false>(w, &mut buf).value()
                }),
                Contender::new("ours (decode_slice)", || {
                    http::chunked_ours_slice::<false>(w).value()
                }),
                Contender::new("ours (decode_data)", || {
                    http::chunked_ours_data::<false>(w).value()
                }),
                Contender::new("ours (copy out)", || {
                    http::chunked_ours_copy(w, &mut buf2, &mut body)
                }),
                Contender::new("ours (decode_data, copy out)", || {
                    http::chunked_ours_data_copy(w, &mut body3)
                }),
                Contender::new("httparse loop", || {
                    http::chunked_httparse::<false>(w).value()
                }),
                Contender::new("httparse loop (copy out)", || {
                    http::chunked_httparse_copy(w, &mut body2)
                }),
                Contender::new("read copy only", || http::read_copy(w, &mut buf3)),
                Contender::new("memcpy", || memcpy(&mut dst, w)),
            ],
        );
    }
}

fn http_heads(run: &mut Run) {
    let name = "http response heads (1000 x 9 fields)";
    if !run.wants(name) {
        return;
    }
    let input = inputs::response_heads(1000);
    let i = &input[..];
    let mut buf = BytesMut::new();
    assert_eq!(http::heads_ours(i, &mut buf), http::heads_httparse(i));
    let mut dst = vec![0u8; input.len()];
    run.compare(
        name,
        Work {
            bytes: input.len() as u64,
            items: 1000,
        },
        &mut [
            Contender::new("ours", || http::heads_ours(i, &mut buf)),
            Contender::new("httparse", || http::heads_httparse(i)),
            Contender::new("memcpy", || memcpy(&mut dst, i)),
        ],
    );
}

fn sdp_rows(run: &mut Run) {
    for file in ["02-audio-video-offer.sdp", "03-simulcast-offer.sdp"] {
        let path = bench::shared_vector(&format!("sdp/chromium/{file}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!(
                "notice: {} is missing; skipping the SDP rows",
                path.display()
            );
            return;
        };
        let t = &text[..];
        let b = t.as_bytes();
        let work = Work {
            bytes: b.len() as u64,
            items: 1,
        };
        let name = format!("sdp parse {file}");
        if run.wants(&name) {
            // Lossless: ours gives the input back byte for byte.
            assert_eq!(sdp::parse_ours(b).to_bytes(), b);
            let mut dst = vec![0u8; b.len()];
            run.compare(
                &name,
                work,
                &mut [
                    Contender::new("ours", || sdp::parse_ours(b).line_count() as u64),
                    Contender::new("ours (+ typed walk)", || sdp::parse_ours_typed(b)),
                    Contender::new("webrtc-sdp", || sdp::parse_webrtc_sdp(t).media.len() as u64),
                    Contender::new("sdp (webrtc-rs)", || {
                        sdp::parse_sdp_crate(t).media_descriptions.len() as u64
                    }),
                    Contender::new("memcpy", || memcpy(&mut dst, b)),
                ],
            );
        }
        let name = format!("sdp serialize {file}");
        if run.wants(&name) {
            let ours = sdp::parse_ours(b);
            let edited = sdp::edited_ours(b);
            let mut out2 = BytesMut::new();
            edited.encode(&mut out2);
            assert!(
                out2[..] != b[..] && out2.len() > b.len() / 2,
                "the edit shows"
            );
            let moz = sdp::parse_webrtc_sdp(t);
            let rs = sdp::parse_sdp_crate(t);
            let mut out = BytesMut::new();
            let mut dst = vec![0u8; b.len()];
            run.compare(
                &name,
                work,
                &mut [
                    Contender::new("ours", || {
                        out.clear();
                        ours.encode(&mut out);
                        out.len() as u64
                    }),
                    Contender::new("ours (after an edit)", || {
                        out2.clear();
                        edited.encode(&mut out2);
                        out2.len() as u64
                    }),
                    Contender::new("webrtc-sdp", || moz.to_string().len() as u64),
                    Contender::new("sdp (webrtc-rs)", || rs.marshal().len() as u64),
                    Contender::new("memcpy", || memcpy(&mut dst, b)),
                ],
            );
        }
        let name = format!("sdp to JSON {file}");
        if run.wants(&name) {
            // sdp-transform's shape has no native peer: the row gives our µs, the tape the
            // text is printed from, the serde_json `Value` route for scale, and memcpy.
            let ours = sdp::parse_ours(b);
            let text = sdp::json_text_ours(&ours);
            let mut dst = vec![0u8; b.len()];
            run.compare(
                &name,
                work,
                &mut [
                    Contender::new("ours (to_json_string)", || {
                        sdp::json_text_ours(&ours).len() as u64
                    }),
                    Contender::new("ours (to_tape, what the npm package reads)", || {
                        codec_sdp::json::to_tape(&ours).len() as u64
                    }),
                    Contender::new("ours (to_json, a serde_json Value)", || {
                        codec_sdp::json::to_json(&ours)
                            .as_object()
                            .map_or(0, |m| m.len() as u64)
                    }),
                    Contender::new("memcpy", || memcpy(&mut dst, b)),
                ],
            );
            assert!(text.len() > b.len());
        }
    }
}
