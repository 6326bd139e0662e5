//! Strict mode against the facts recorded in ../shared/vectors/sdp/README.md
//! about what Chromium 156's setRemoteDescription rejects and accepts, applied
//! to a real Chromium offer; lenient mode keeps every line and warns.

mod common;

use codec_sdp::{Error, Mode, ParseOptions, Problem, Rule, Sdp};

fn offer() -> Option<Vec<u8>> {
    let dir = common::vectors_dir()?;
    Some(std::fs::read(dir.join("chromium/02-audio-video-offer.sdp")).expect("chromium offer"))
}

fn strict(b: &[u8]) -> Result<Sdp, Error> {
    Sdp::parse_with(b, ParseOptions::default().mode(Mode::Strict))
}

fn edit(base: &[u8], f: impl Fn(&str) -> String) -> Vec<u8> {
    f(std::str::from_utf8(base).unwrap()).into_bytes()
}

/// Checks that strict mode fails with `problem` on `line`, and lenient mode
/// keeps the bytes and reports the same problem as a warning.
fn rejected(b: &[u8], line: u32, rule: Rule, problem: Problem) {
    let e = strict(b).unwrap_err();
    assert_eq!(
        (e.line(), e.rule(), e.problem()),
        (Some(line), Some(rule), Some(problem)),
        "{e}"
    );
    let l = Sdp::parse(b).unwrap();
    assert_eq!(l.to_bytes(), b);
    assert!(l.warnings().contains(&e), "{:?}", l.warnings());
}

#[test]
fn chromium_rejects() {
    let Some(base) = offer() else { return };
    // A blank line.
    rejected(
        &edit(&base, |s| s.replacen("s=-\r\n", "s=-\r\n\r\n", 1)),
        4,
        Rule::Line,
        Problem::BlankLine,
    );
    // Trailing space after a token value (Chromium accepts it after free
    // text such as `s=- `: see chromium_accepts).
    let b = edit(&base, |s| {
        s.replacen("a=setup:actpass\r\n", "a=setup:actpass \r\n", 1)
    });
    let line = std::str::from_utf8(&b)
        .unwrap()
        .lines()
        .position(|l| l == "a=setup:actpass ")
        .unwrap() as u32
        + 1;
    rejected(&b, line, Rule::Setup, Problem::InvalidValue);
    // No final line terminator.
    let n = base.split(|b| *b == b'\n').count() as u32 - 1;
    rejected(
        &base[..base.len() - 2],
        n,
        Rule::Line,
        Problem::MissingLineEnding,
    );
    // CR-only line ends: the whole text is one line with bare CRs.
    rejected(
        &edit(&base, |s| s.replace("\r\n", "\r")),
        1,
        Rule::Line,
        Problem::BareCarriageReturn,
    );
    // A leading space.
    rejected(
        &edit(&base, |s| s.replacen("t=0 0", " t=0 0", 1)),
        4,
        Rule::Line,
        Problem::LeadingWhitespace,
    );
    // An unknown line type.
    rejected(
        &edit(&base, |s| s.replacen("t=0 0\r\n", "t=0 0\r\ny=1\r\n", 1)),
        5,
        Rule::Line,
        Problem::UnknownLineType,
    );
    // Session c= after t=.
    rejected(
        &edit(&base, |s| {
            s.replacen("t=0 0\r\n", "t=0 0\r\nc=IN IP4 0.0.0.0\r\n", 1)
        }),
        5,
        Rule::Order,
        Problem::ConnectionAfterTiming,
    );
    // An empty s=.
    rejected(
        &edit(&base, |s| s.replacen("s=-", "s=", 1)),
        3,
        Rule::SessionName,
        Problem::EmptyField,
    );
    // a=mid: 0 (space after the colon); column points at the space.
    let b = edit(&base, |s| s.replacen("a=mid:0", "a=mid: 0", 1));
    let line = std::str::from_utf8(&b)
        .unwrap()
        .lines()
        .position(|l| l == "a=mid: 0")
        .unwrap() as u32
        + 1;
    rejected(&b, line, Rule::Mid, Problem::InvalidToken);
    assert!(matches!(
        strict(&b).unwrap_err(),
        Error::Syntax { column: 7, .. }
    ));
}

#[test]
fn chromium_accepts() {
    let Some(base) = offer() else { return };
    let cases: Vec<Vec<u8>> = vec![
        edit(&base, |s| s.replace("\r\n", "\n")),
        edit(&base, |s| {
            s.replacen("s=-\r\n", "s=- \r\n", 1)
                .replacen("t=0 0\r\n", "t=0 0 \r\n", 1)
        }),
        edit(&base, |s| {
            s.replacen("a=mid:0\r\n", "a=mid:0\r\na=x-vendor:whatever\r\n", 1)
        }),
        edit(&base, |s| s.replacen("m=video 9", "m=video 0", 1)),
        edit(&base, |s| {
            s.replacen(
                "c=IN IP4 0.0.0.0\r\n",
                "c=IN IP4 0.0.0.0\r\nc=IN IP6 ::1\r\nc=IN IP4 host.example.org\r\n",
                1,
            )
        }),
        edit(&base, |s| {
            s.replacen("a=mid:0\r\n", "a=mid:0\r\na=candidate:1 1 udp 5 4a1e0c5b-aaaa-bbbb.local 5000 typ host\r\na=candidate:2 1 TCP 5 192.0.2.3 9 typ host tcptype passive x-ext y\r\na=candidate:3 1 tcp 5 192.0.2.3 9 typ host tcptype so\r\na=end-of-candidates\r\n", 1)
        }),
        edit(&base, |s| s.replacen("s=-", "s=\u{e9}", 1))
            .into_iter()
            .map(|b| if b == 0xc3 { b'x' } else { b })
            .collect(),
        edit(&base, |s| {
            s.replacen("a=msid-semantic: WMS", "a=msid-semantic:WMS", 1)
        }),
        edit(&base, |s| {
            s.replacen(
                "a=mid:0\r\n",
                "a=mid:0\r\na=msid:- {7b1d2c4e-1111-2222-3333-444455556666}\r\n",
                1,
            )
        }),
        edit(&base, |s| {
            s.replacen(
                "c=IN IP4 0.0.0.0\r\n",
                "c=IN IP4 0.0.0.0\r\nb=AS:300\r\nb=TIAS:300000\r\nb=RR:0\r\nb=X-FOO:1\r\n",
                1,
            )
        }),
        edit(&base, |s| {
            s.replacen(
                "a=mid:0\r\n",
                "a=mid:0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abcd\r\n",
                1,
            )
        }),
        edit(&base, |s| {
            s.replacen(
                "a=mid:0\r\n",
                &format!("a=mid:0\r\na=x-big:{}\r\n", "z".repeat(100_000)),
                1,
            )
        }),
    ];
    for (i, c) in cases.iter().enumerate() {
        let sdp = strict(c).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(&sdp.to_bytes(), c, "case {i}");
    }
    // Duplicate a=mid is accepted: both kept, one warning.
    let dup = edit(&base, |s| {
        s.replacen("a=mid:0\r\n", "a=mid:0\r\na=mid:0\r\n", 1)
    });
    let sdp = strict(&dup).unwrap();
    assert_eq!(sdp.warnings().len(), 1);
    assert_eq!(sdp.warnings()[0].problem(), Some(Problem::Duplicate));
    assert_eq!(sdp.media_at(0).unwrap().named("mid").count(), 2);
}

#[test]
fn limits() {
    let Some(base) = offer() else { return };
    use codec_sdp::Limits;
    let o = |l: Limits| ParseOptions::default().limits(l);
    assert!(matches!(
        Sdp::parse_with(&base, o(Limits::default().max_size(100))),
        Err(Error::TooLarge { max: 100, .. })
    ));
    assert!(matches!(
        Sdp::parse_with(&base, o(Limits::default().max_lines(10))),
        Err(Error::TooManyLines { max: 10 })
    ));
    assert!(matches!(
        Sdp::parse_with(&base, o(Limits::default().max_line_len(40))),
        Err(Error::LineTooLong { max: 40, .. })
    ));
    let junk = b"x\n".repeat(50);
    let sdp = Sdp::parse_with(&junk, o(Limits::default().max_warnings(5))).unwrap();
    assert_eq!(sdp.warnings().len(), 5);
    assert!(sdp.dropped_warnings() > 40);
}
