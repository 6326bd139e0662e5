//! Same-run comparison of codec-sdp with the `sdp` crate and `webrtc-sdp`.
//!
//! `cargo run --release -- FILE.sdp...` prints, per file, the best of 15
//! interleaved rounds of each operation in per-thread CPU time (so a loaded
//! machine distorts it less than wall time).

// Same-run comparison: per-thread CPU time (excludes time the 2-core box
// spends running other jobs), minimum of 15 interleaved rounds.
fn cpu_now() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e6 + ts.tv_nsec as f64 / 1e3
}

fn main() {
    for path in std::env::args().skip(1) {
        let input = std::fs::read_to_string(&path).unwrap();
        println!("== {path} ({} bytes)", input.len());
        let ours = codec_sdp::Sdp::parse(input.as_bytes()).unwrap();
        let mut edited = ours.clone();
        edited
            .media_mut(0)
            .unwrap()
            .set_bandwidth("AS", 300)
            .unwrap();
        let theirs = {
            let mut r = std::io::Cursor::new(input.as_bytes());
            sdp::SessionDescription::unmarshal(&mut r).unwrap()
        };
        let wsdp = webrtc_sdp::parse_sdp(&input, false).unwrap();
        let mut cases: Vec<(&str, Box<dyn FnMut() -> usize>)> = vec![
            (
                "codec-sdp parse (lenient)",
                Box::new(|| {
                    codec_sdp::Sdp::parse(input.as_bytes())
                        .unwrap()
                        .line_count()
                }),
            ),
            (
                "codec-sdp parse (strict)",
                Box::new(|| {
                    codec_sdp::Sdp::parse_with(input.as_bytes(), codec_sdp::ParseOptions::strict())
                        .unwrap()
                        .line_count()
                }),
            ),
            (
                "codec-sdp parse + all typed attrs",
                Box::new(|| {
                    let s = codec_sdp::Sdp::parse(input.as_bytes()).unwrap();
                    let mut k = s.session().attrs().count();
                    for m in s.media() {
                        k += m.attrs().count();
                    }
                    k
                }),
            ),
            (
                "sdp (webrtc-rs) parse",
                Box::new(|| {
                    let mut r = std::io::Cursor::new(input.as_bytes());
                    sdp::SessionDescription::unmarshal(&mut r)
                        .unwrap()
                        .media_descriptions
                        .len()
                }),
            ),
            (
                "webrtc-sdp parse",
                Box::new(|| webrtc_sdp::parse_sdp(&input, false).unwrap().media.len()),
            ),
            ("codec-sdp serialize", Box::new(|| ours.to_bytes().len())),
            (
                "codec-sdp serialize (edited)",
                Box::new(|| edited.to_bytes().len()),
            ),
            (
                "sdp (webrtc-rs) marshal",
                Box::new(|| theirs.marshal().len()),
            ),
            ("webrtc-sdp to_string", Box::new(|| wsdp.to_string().len())),
        ];
        let mut best = vec![f64::MAX; cases.len()];
        let mut sink = 0usize;
        let n = 500;
        for _round in 0..15 {
            for (i, (_, f)) in cases.iter_mut().enumerate() {
                let t = cpu_now();
                for _ in 0..n {
                    sink = sink.wrapping_add(f());
                }
                best[i] = best[i].min((cpu_now() - t) / n as f64);
            }
        }
        for (i, (name, _)) in cases.iter().enumerate() {
            println!("{name:<36} {:>9.2} us", best[i]);
        }
        println!("(sink {})", sink % 3);
    }
}
