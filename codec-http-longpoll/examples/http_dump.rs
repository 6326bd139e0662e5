//! Read one raw HTTP/1.1 response (or, with `--request`, a request) from
//! stdin and print it as JSON: status/reason (or method/target), headers in
//! order, body (base64) and trailers; or `{"error":...,"offset":N}` and exit 1.
#![allow(dead_code)] // also compiled into tests/http_dump.rs, where `main` is unused

use std::io::{Read, Write};

use base64::Engine as _;
use bytes::BytesMut;
use codec_http_longpoll::{Event, Leniency, Limits, MessageDecoder, Role};

fn json_str(out: &mut String, b: &[u8]) {
    out.push('"');
    for ch in String::from_utf8_lossy(b).chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn fields(out: &mut String, h: &codec_http_longpoll::Headers) {
    out.push('[');
    for (i, f) in h.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        json_str(out, f.name());
        out.push(',');
        json_str(out, f.value());
        out.push(']');
    }
    out.push(']');
}

/// The JSON for one message in `input`, and whether it decoded.
pub(crate) fn dump(input: &[u8], request: bool) -> (String, bool) {
    let role = if request { Role::Server } else { Role::Client };
    let mut dec = MessageDecoder::with_config(role, Limits::default(), Leniency::default());
    let mut buf = BytesMut::from(input);
    let mut out = String::from("{");
    let mut body = Vec::new();
    let mut done = false;
    let result = (|| -> Result<(), codec_http_longpoll::Error> {
        loop {
            let ev = match dec.decode(&mut buf)? {
                Some(ev) => ev,
                None => match dec.decode_eof(&mut buf)? {
                    Some(ev) => ev,
                    None => return Ok(()),
                },
            };
            match ev {
                Event::Request { head, .. } => {
                    out.push_str("\"method\":");
                    json_str(&mut out, head.method().as_bytes());
                    out.push_str(",\"target\":");
                    json_str(&mut out, head.target().as_bytes());
                    out.push_str(",\"headers\":");
                    fields(&mut out, &head.headers);
                }
                Event::Response { head, .. } => {
                    out.push_str(&format!("\"status\":{},\"reason\":", head.status()));
                    json_str(&mut out, head.reason());
                    out.push_str(",\"headers\":");
                    fields(&mut out, &head.headers);
                }
                Event::Data(d) => body.extend_from_slice(&d),
                Event::End(t) => {
                    out.push_str(",\"body\":\"");
                    out.push_str(&base64::engine::general_purpose::STANDARD.encode(&body));
                    out.push_str("\",\"trailers\":");
                    fields(&mut out, &t);
                    done = true;
                    return Ok(());
                }
                Event::Upgrade => {
                    out.push_str(",\"upgrade\":true");
                    return Ok(());
                }
                _ => {}
            }
        }
    })();
    match result {
        Ok(()) if done || dec.is_upgraded() => {
            out.push('}');
            (out, true)
        }
        Ok(()) => ("{\"error\":\"no message\",\"offset\":0}".to_owned(), false),
        Err(e) => {
            let mut msg = String::new();
            json_str(&mut msg, e.to_string().as_bytes());
            (
                format!("{{\"error\":{msg},\"offset\":{}}}", e.offset().unwrap_or(0)),
                false,
            )
        }
    }
}

fn main() {
    let request = std::env::args().any(|a| a == "--request");
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("reading stdin: {e}");
        std::process::exit(2);
    }
    let (json, ok) = dump(&input, request);
    let _ = writeln!(std::io::stdout(), "{json}");
    if !ok {
        std::process::exit(1);
    }
}
