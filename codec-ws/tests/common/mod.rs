//! Shared helpers: build client frames, run a server connection over bytes three ways
//! (whole, one byte at a time, with trailing bytes), decode what it sent back.
#![allow(dead_code, unreachable_pub)]

use bytes::BytesMut;
use codec_ws::{
    encode_frame, Config, Connection, Decoder, Error, Frame, Limits, Message, OpCode, Role,
};

pub const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// A masked client frame.
pub fn cframe(fin: bool, rsv: u8, opcode: OpCode, payload: &[u8]) -> Vec<u8> {
    let mut out = BytesMut::new();
    encode_frame(&mut out, fin, rsv, opcode, Some(KEY), payload);
    out.to_vec()
}

/// A masked client frame from a raw first byte (reserved opcodes).
pub fn raw_frame(b0: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![b0, 0x80 | payload.len() as u8];
    v.extend_from_slice(&KEY);
    v.extend(payload.iter().enumerate().map(|(i, b)| b ^ KEY[i & 3]));
    v
}

pub fn text(s: &str) -> Vec<u8> {
    cframe(true, 0, OpCode::Text, s.as_bytes())
}

pub fn close(code: u16, reason: &str) -> Vec<u8> {
    let mut p = code.to_be_bytes().to_vec();
    p.extend_from_slice(reason.as_bytes());
    cframe(true, 0, OpCode::Close, &p)
}

#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub events: Vec<Message>,
    pub error: Option<Error>,
    /// Frames the server sent back (pongs, close replies).
    pub sent: Vec<Frame>,
}

impl Outcome {
    /// The close code the server sent, if any.
    pub fn sent_close_code(&self) -> Option<u16> {
        self.sent
            .iter()
            .find(|f| f.opcode == OpCode::Close)
            .map(|f| {
                if f.payload.len() >= 2 {
                    u16::from_be_bytes([f.payload[0], f.payload[1]])
                } else {
                    1005
                }
            })
    }
}

fn drain(conn: &mut Connection, out: &mut Outcome) -> bool {
    loop {
        match conn.next_event() {
            Ok(Some(m)) => out.events.push(m),
            Ok(None) => return true,
            Err(e) => {
                out.error = Some(e);
                return false;
            }
        }
    }
}

fn sent_frames(conn: &mut Connection) -> Vec<Frame> {
    let mut wire = BytesMut::new();
    conn.poll_transmit(&mut wire);
    let mut dec = Decoder::new(Role::Client, Limits::default());
    let mut frames = Vec::new();
    while let Ok(Some(f)) = dec.decode(&mut wire) {
        frames.push(f);
    }
    frames
}

/// Runs `input` through a server connection fed whole.
pub fn run_with(config: Config, input: &[u8], chunk: usize) -> Outcome {
    let mut conn = Connection::new(Role::Server, config);
    let mut out = Outcome {
        events: Vec::new(),
        error: None,
        sent: Vec::new(),
    };
    for piece in input.chunks(chunk.max(1)) {
        conn.feed(piece);
        if !drain(&mut conn, &mut out) {
            break;
        }
    }
    if input.is_empty() {
        drain(&mut conn, &mut out);
    }
    out.sent = sent_frames(&mut conn);
    out
}

/// Runs `input` whole and one byte at a time and checks both give the same outcome.
pub fn run(input: &[u8]) -> Outcome {
    run_cfg(Config::default(), input)
}

pub fn run_cfg(config: Config, input: &[u8]) -> Outcome {
    let whole = run_with(config, input, input.len());
    let bytewise = run_with(config, input, 1);
    assert_eq!(whole, bytewise, "split invariance");
    whole
}

pub fn concat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

/// Skips (or under CI fails) when an external tool is missing.
pub fn tool_available(cmd: &str, arg: &str) -> bool {
    let ok = std::process::Command::new(cmd)
        .arg(arg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{cmd} is required under CI"
        );
        eprintln!("notice: {cmd} not found; skipping");
    }
    ok
}
