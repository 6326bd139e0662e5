//! Command-line SDP tool.
//!
//! ```text
//! cargo run --release -p codec-sdp --features json --example sdp_tool -- json      < offer.sdp
//! cargo run --release -p codec-sdp --features json --example sdp_tool -- roundtrip < offer.sdp
//! cargo run --release -p codec-sdp --features json --example sdp_tool -- check     < offer.sdp
//! cargo run --release -p codec-sdp --features json --example sdp_tool -- fromjson  < offer.json
//! ```
//! `check` parses in strict mode and exits with status 1 printing
//! `line:column: message` for the first error (warnings go to stderr too).

use std::io::{Read, Write};
use std::process::ExitCode;

use codec_sdp::{json, ParseOptions, Sdp};

fn main() -> ExitCode {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("reading stdin: {e}");
        return ExitCode::from(2);
    }
    let mut out = std::io::stdout().lock();
    let result = match cmd.as_str() {
        "json" => Sdp::parse(&input).map(|sdp| {
            let v = json::to_json(&sdp);
            serde_json::to_vec_pretty(&v).unwrap_or_default()
        }),
        "roundtrip" => Sdp::parse(&input).map(|sdp| sdp.to_bytes()),
        "check" => Sdp::parse_with(&input, ParseOptions::strict()).map(|sdp| {
            for w in sdp.warnings() {
                eprintln!("warning: {w}");
            }
            Vec::new()
        }),
        "fromjson" => match std::str::from_utf8(&input) {
            Ok(t) => json::from_json_str(t).map(|sdp| sdp.to_bytes()),
            Err(_) => Err(codec_sdp::Error::Json { line: 0, column: 0 }),
        },
        _ => {
            eprintln!("usage: sdp_tool json|roundtrip|check|fromjson < input");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(bytes) => {
            if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
