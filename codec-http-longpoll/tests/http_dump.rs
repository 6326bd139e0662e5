//! The `http_dump` example's output, checked with serde_json.

#[path = "../examples/http_dump.rs"]
mod http_dump;

use serde_json::Value;

#[test]
fn response_with_trailers() {
    let (json, ok) = http_dump::dump(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: \"q\"\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
        false,
    );
    assert!(ok);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["status"], 200);
    assert_eq!(v["reason"], "OK");
    assert_eq!(v["headers"][1][1], "\"q\"");
    assert_eq!(v["body"], "aGVsbG8=");
    assert_eq!(v["trailers"][0][0], "X-T");
}

#[test]
fn request_and_error_offset() {
    let (json, ok) = http_dump::dump(b"POST /p HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", true);
    assert!(ok);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (
            v["method"].as_str(),
            v["target"].as_str(),
            v["body"].as_str()
        ),
        (Some("POST"), Some("/p"), Some("aGk="))
    );
    let (json, ok) = http_dump::dump(
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
        true,
    );
    assert!(!ok);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["offset"], 49);
    assert!(v["error"].as_str().unwrap().contains("chunk size"));
}
