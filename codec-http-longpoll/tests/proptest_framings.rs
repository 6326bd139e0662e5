//! Long-poll framings: any bytes never panic, any split gives the same
//! frames, and encode -> decode round-trips.

use bytes::{Bytes, BytesMut};
use codec_http_longpoll::engineio::{decode_payload, encode_payload, Packet, PacketType};
use codec_http_longpoll::{
    encode_delimited, encode_varint_frame, DelimitedDecoder, Delimiter, Error, VarIntDecoder,
};
use proptest::prelude::*;

fn delimited(kind: Delimiter, input: &[u8], cuts: &[usize]) -> (Vec<Bytes>, Option<Error>) {
    let mut d = DelimitedDecoder::new(kind, 16);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut start = 0;
    for end in cuts.iter().copied().chain(std::iter::once(input.len())) {
        buf.extend_from_slice(&input[start..end]);
        start = end;
        loop {
            match d.decode(&mut buf) {
                Ok(Some(f)) => out.push(f),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    loop {
        match d.decode_eof(&mut buf) {
            Ok(Some(f)) => out.push(f),
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e)),
        }
    }
}

fn varint(input: &[u8], cuts: &[usize]) -> (Vec<Bytes>, Option<Error>) {
    let mut d = VarIntDecoder::new(64);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut start = 0;
    for end in cuts.iter().copied().chain(std::iter::once(input.len())) {
        buf.extend_from_slice(&input[start..end]);
        start = end;
        loop {
            match d.decode(&mut buf) {
                Ok(Some(f)) => out.push(f),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    match d.decode_eof(&mut buf) {
        Ok(_) => (out, None),
        Err(e) => (out, Some(e)),
    }
}

fn kind() -> impl Strategy<Value = Delimiter> {
    prop_oneof![
        Just(Delimiter::Newline),
        Just(Delimiter::RecordSeparator),
        Just(Delimiter::JsonSeq)
    ]
}

fn bytes_with_separators() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            Just(b'\n'),
            Just(b'\r'),
            Just(0x1E),
            Just(b'{'),
            any::<u8>()
        ],
        0..60,
    )
}

fn cuts(len: usize, raw: Vec<usize>) -> Vec<usize> {
    let mut c: Vec<usize> = raw.into_iter().map(|c| c % (len + 1)).collect();
    c.sort_unstable();
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn delimited_split_invariance(k in kind(), input in bytes_with_separators(), raw in proptest::collection::vec(any::<usize>(), 0..8)) {
        let c = cuts(input.len(), raw);
        prop_assert_eq!(delimited(k, &input, &[]), delimited(k, &input, &c));
    }

    #[test]
    fn delimited_roundtrip(k in kind(), frames in proptest::collection::vec("[a-z{}\":,0-9 ]{1,16}", 0..6)) {
        let mut wire = BytesMut::new();
        for f in &frames {
            encode_delimited(k, f.as_bytes(), &mut wire).unwrap();
        }
        let (got, err) = delimited(k, &wire, &[]);
        prop_assert!(err.is_none());
        // Frames are never empty here, so newline framing skips none of them.
        let want: Vec<Bytes> = frames.iter().map(|f| Bytes::copy_from_slice(f.as_bytes())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn varint_split_invariance_and_roundtrip(frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..70), 0..5),
                                            noise in proptest::collection::vec(any::<u8>(), 0..6),
                                            raw in proptest::collection::vec(any::<usize>(), 0..8)) {
        let mut wire = BytesMut::new();
        for f in &frames {
            encode_varint_frame(f, &mut wire).unwrap();
        }
        let clean = wire.clone();
        let (got, err) = varint(&clean, &[]);
        let ok: Vec<Bytes> = frames.iter().take_while(|f| f.len() <= 64).map(|f| Bytes::copy_from_slice(f)).collect();
        prop_assert_eq!(&got, &ok);
        prop_assert_eq!(err.is_some(), ok.len() < frames.len());
        wire.extend_from_slice(&noise);
        let c = cuts(wire.len(), raw);
        prop_assert_eq!(varint(&wire, &[]), varint(&wire, &c));
    }

    #[test]
    fn engineio_roundtrip(texts in proptest::collection::vec("[^\u{1e}]{0,12}", 0..5), bins in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 0..3)) {
        let mut packets: Vec<Packet> = texts.iter().map(|t| Packet::message(t)).collect();
        packets.extend(bins.into_iter().map(|b| Packet::Binary(Bytes::from(b))));
        packets.push(Packet::Text(PacketType::Ping, Bytes::new()));
        let mut wire = BytesMut::new();
        encode_payload(&packets, &mut wire).unwrap();
        prop_assert_eq!(decode_payload(&wire.freeze(), 1024).unwrap(), packets);
    }

    #[test]
    fn engineio_any_bytes_never_panic(input in bytes_with_separators()) {
        let _ = decode_payload(&Bytes::from(input), 32);
    }
}
