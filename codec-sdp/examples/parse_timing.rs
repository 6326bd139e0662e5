//! Rough timing of parse, typed walk and serialize on one file.
//!
//! `cargo run --release -p codec-sdp --example parse_timing -- FILE.sdp`

use std::time::Instant;

use codec_sdp::Sdp;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: parse_timing FILE.sdp");
    let input = std::fs::read(&path).expect("read file");
    let n = 20_000u32;
    let time = |name: &str, f: &mut dyn FnMut() -> usize| {
        let mut sink = 0usize;
        for _ in 0..n / 10 {
            sink = sink.wrapping_add(f());
        }
        let t = Instant::now();
        for _ in 0..n {
            sink = sink.wrapping_add(f());
        }
        let per = t.elapsed() / n;
        println!("{name:<28} {per:>10.2?}  (sink {})", sink % 7);
    };
    time("parse (lenient)", &mut || {
        Sdp::parse(&input).map_or(0, |s| s.line_count())
    });
    if std::env::args().nth(2).as_deref() == Some("parse-only") {
        return;
    }
    let sdp = Sdp::parse(&input).expect("parses");
    time("serialize", &mut || sdp.to_bytes().len());
    time("parse + walk typed attrs", &mut || {
        let s = Sdp::parse(&input).expect("parses");
        let mut k = s.session().attrs().count();
        for m in s.media() {
            k += m.attrs().count() + m.codecs().len();
        }
        k
    });
    let mut edited = sdp.clone();
    if let Ok(mut m) = edited.media_mut(0) {
        let _ = m.set_bandwidth("AS", 300);
    }
    time("serialize after an edit", &mut || edited.to_bytes().len());
    println!(
        "{} bytes, {} lines, {} media",
        input.len(),
        sdp.line_count(),
        sdp.media_count()
    );
}
