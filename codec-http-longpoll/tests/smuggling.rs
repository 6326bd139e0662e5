//! Every row of the smuggling catalogue in ../shared/vectors/chunked/README.md,
//! as concrete messages, must be rejected (or, for SM-14, not decoded as a body)
//! in strict mode. The test also reads the README and fails if it lists a row
//! that has no case here.

mod common;

use codec_http_longpoll::{Error, Leniency, Limits, Role};
use common::{run_all_splits, vector};

const REQ: &str = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

fn chunked_req(body: &str) -> String {
    format!("{REQ}{body}")
}

fn rows() -> Vec<(&'static str, String)> {
    let big_ext = format!("1;{}\r\nZ\r\n0\r\n\r\n", "x".repeat(17 * 1024));
    let big_trailer = format!("0\r\nX: {}\r\n\r\n", "y".repeat(17 * 1024));
    vec![
        ("SM-01", "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".into()),
        ("SM-01", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n".into()),
        ("SM-02", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n".into()),
        ("SM-02", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n".into()),
        ("SM-02", "POST / HTTP/1.1\r\nTransfer-Encoding: chunkedchunked\r\n\r\n0\r\n\r\n".into()),
        ("SM-02", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n abc\r\n\r\n0\r\n\r\n".into()),
        ("SM-02", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n".into()),
        ("SM-03", chunked_req("5;ext\nXXXXX\r\n0\r\n\r\n")),
        ("SM-03", chunked_req("5;a\nXX\r\nhello\r\n0\r\n\r\n")),
        ("SM-04", chunked_req("5\nhello\r\n0\r\n\r\n")),
        ("SM-04", chunked_req("5\r\nhello\r\n0\n\r\n")),
        ("SM-05", chunked_req("5\r\nhelloXX0\r\n\r\n")),
        ("SM-06", chunked_req("5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n")),
        ("SM-07", chunked_req("2 erfrferferf\r\naa\r\n0\r\n\r\n")),
        ("SM-07", chunked_req("1 A\r\nZ\r\n0\r\n\r\n")),
        ("SM-07", chunked_req("123x\r\n")),
        ("SM-08", chunked_req("a \r\n0123456789\r\n0\r\n\r\n")),
        ("SM-09", chunked_req("f0000000000000003\r\n")),
        ("SM-09", chunked_req("00000000000000000001\r\nZ\r\n0\r\n\r\n")),
        ("SM-09", chunked_req("-1\r\n")),
        ("SM-10", chunked_req("1\r\nZ\r\n\r\n")),
        ("SM-10", chunked_req("3\r\nfoo\r\n\r\n")),
        ("SM-11", chunked_req(&big_ext)),
        ("SM-11", chunked_req(&big_trailer)),
        ("SM-12", "POST / HTTP/1.1\r\nx:\rTransfer-Encoding: chunked\r\n\r\n1\r\nA\r\n0\r\n\r\n".into()),
        ("SM-12", "POST / HTTP/1.1\r\nx:x\nTransfer-Encoding: chunked\r\n\r\n1\r\nA\r\n0\r\n\r\n".into()),
        ("SM-13", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked;ext=val\r\n\r\n0\r\n\r\n".into()),
    ]
}

/// SM-14: a response that has no body whatever its fields say.
fn no_body_responses() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (
            "SM-14",
            "GET",
            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
        (
            "SM-14",
            "HEAD",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
        (
            "SM-14",
            "GET",
            "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
        (
            "SM-14",
            "GET",
            "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
    ]
}

#[test]
fn catalogue_rows_rejected_in_strict_mode() {
    for (n, (id, msg)) in rows().into_iter().enumerate() {
        let o = run_all_splits(
            Role::Server,
            Limits::default(),
            Leniency::default(),
            msg.as_bytes(),
            n as u64,
            8,
        );
        assert!(o.error_before_eof(), "{id}: accepted: {msg:?} -> {o:?}");
        assert_eq!(o.completed(), 0, "{id}: completed a message: {msg:?}");
    }
}

#[test]
fn sm11_errors_name_the_limit() {
    let big_ext = chunked_req(&format!("1;{}\r\n", "x".repeat(17 * 1024)));
    let o = run_all_splits(
        Role::Server,
        Limits::default(),
        Leniency::default(),
        big_ext.as_bytes(),
        1,
        2,
    );
    assert!(
        matches!(
            o.error,
            Some((Error::ChunkExtensionsTooLarge { max: 16384, .. }, false))
        ),
        "{o:?}"
    );
    assert_eq!(o.error.unwrap().0.status_hint(), Some(413));
}

#[test]
fn sm14_no_body_even_with_transfer_encoding() {
    for (id, method, head) in no_body_responses() {
        // The bytes after the head are the next response, not a body.
        let input = format!("{head}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        let mut dec = codec_http_longpoll::MessageDecoder::new(Role::Client);
        dec.expect_response_to(method);
        dec.expect_response_to("GET");
        let mut buf = bytes::BytesMut::from(input.as_bytes());
        let mut statuses = Vec::new();
        let mut body = Vec::new();
        while let Some(ev) = dec.decode(&mut buf).unwrap() {
            match ev {
                codec_http_longpoll::Event::Response { head, .. } => statuses.push(head.status()),
                codec_http_longpoll::Event::Data(d) => body.extend_from_slice(&d),
                _ => {}
            }
        }
        assert_eq!(statuses.last(), Some(&200), "{id} {method}");
        assert_eq!(body, b"ok", "{id} {method}");
    }
}

#[test]
fn every_catalogue_row_has_a_case() {
    let Some(readme) = vector("chunked/README.md") else {
        return;
    };
    let mut ids: Vec<&str> = rows().iter().map(|r| r.0).collect();
    ids.extend(no_body_responses().iter().map(|r| r.0));
    let mut listed = 0;
    for line in readme.lines().filter(|l| l.starts_with("| SM-")) {
        let id = line[2..].split(' ').next().unwrap();
        listed += 1;
        assert!(ids.contains(&id), "catalogue row {id} has no test case");
    }
    assert!(listed >= 14, "catalogue not found in README");
}
