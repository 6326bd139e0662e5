//! Reads an event stream from stdin and prints one JSON object per line:
//! `{"type":…,"data":…,"lastEventId":…}` per dispatched event and
//! `{"retry":N}` per valid retry field, in stream order.
//!
//! `cargo run --release -p codec-sse --example sse_dump < stream.txt`

use std::io::{Read, Write};

use codec_sse::{Item, Parser};

fn main() {
    let mut parser = Parser::new();
    let mut stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut buf = vec![0u8; 64 * 1024];
    let print = |parser: &mut Parser, out: &mut dyn Write| loop {
        match parser.next_event() {
            Ok(Some(Item::Event(ev))) => {
                // Keys in this order; serde_json escapes the strings.
                let s = |v: &str| serde_json::to_string(v).expect("strings serialize");
                writeln!(
                    out,
                    "{{\"type\":{},\"data\":{},\"lastEventId\":{}}}",
                    s(ev.event_type()),
                    s(ev.data()),
                    s(ev.last_event_id())
                )
                .expect("write stdout");
            }
            Ok(Some(Item::Retry(ms))) => writeln!(out, "{{\"retry\":{ms}}}").expect("write stdout"),
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                let _ = out.flush();
                eprintln!("sse_dump: {e}");
                std::process::exit(1);
            }
        }
    };
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                eprintln!("sse_dump: reading stdin: {e}");
                std::process::exit(1);
            }
        };
        parser.feed(&buf[..n]);
        print(&mut parser, &mut out);
    }
    parser.finish();
    print(&mut parser, &mut out);
    out.flush().expect("flush stdout");
}
