//! JSON in the shape of the npm `sdp-transform` package (feature `json`).
//!
//! [`to_json`] gives the same field names and nesting as sdp-transform's
//! `parse()`, and [`from_json`] writes SDP back from such a value (also from
//! sdp-transform's own output). Deliberate differences, each to avoid a loss:
//!
//! 1. Ids stay strings: `mid`, `iceUfrag`, `icePwd`, candidate `foundation`,
//!    rid `id`, simulcast ids and group `mids` (sdp-transform turns `mid`
//!    "0" into the number 0). Other numeric fields are numbers as in
//!    sdp-transform (`toIntIfInt`: only when the text is the canonical form
//!    of the number, so a 19-digit session id stays a string).
//! 2. Candidates keep `ufrag` and every extension: unknown ones go to
//!    `extensions` as `[name, value]` pairs.
//! 3. A single-valued key that appears again (a second `fingerprint`,
//!    `msid`, `c=`...) is not overwritten: the later line goes to `invalid`
//!    as `{value}` (with `type` for non-`a=` lines), in place.
//! 4. Unknown attributes go to `invalid` as in sdp-transform, and every
//!    section has an `order` array (`"rtp.0"`, `"mid"`, `"invalid.2"`...)
//!    giving the line order, so [`from_json`] writes them in place. Items not
//!    named in `order` (added by the caller) follow in sdp-transform's
//!    order. Top-level `lineEnding` records the first line's terminator,
//!    and `lineEndings` every line's when they differ (or the last line has
//!    none); it is used only while the line count still matches.
//! 5. `b=` of any type is kept (sdp-transform drops `X-...`);
//!    `rtcpFb.subtype`, `ext.config` and `msidSemantic.token` are the whole
//!    rest of the line and `iceOptions` keeps every option (sdp-transform
//!    keeps the first word); Chromium's `a=msid-semantic: WMS` gives semantic
//!    `WMS` and an empty token (sdp-transform: semantic "", token "WMS").
//!    `payloads`, fmtp `config` and ssrc-group `ssrcs` are always strings
//!    (sdp-transform makes a lone "111" a number).
//! 6. `imageattr`, `source-filter`, `ts-refclk`, `mediaclk`, `floorid` and
//!    the draft-03 `simulcast` form are split as sdp-transform does only
//!    when writing them back gives the same text (sdp-transform silently
//!    drops what its patterns do not cover); otherwise they stay verbatim in
//!    `invalid`, in place.
//! 7. A description that is not UTF-8 as a whole (Latin-1 `s=`) is decoded
//!    as Latin-1 throughout, one code point per byte, even in fields that
//!    would also be valid UTF-8, and top-level `charset` is `"latin1"`;
//!    [`from_json`] encodes it back byte for byte. In such a document a
//!    non-ASCII line other than the free-text ones (`s i u e p z r`) stays
//!    verbatim in `invalid`, because its typed fields are ASCII by grammar.
//!
//! JSON to SDP is lossless for the data, not byte-exact: fields are written
//! in their canonical spacing (149 of the 167 vector files still come back
//! byte for byte, every Chromium one among them). Keep the [`Sdp`] for a
//! byte-exact copy. sdp-transform's own `write()` accepts this JSON too and
//! gives back the same lines for browser output (`tests/json.rs`).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::attribute::split_attr;
use crate::candidate::Candidate;
use crate::fields::{Bandwidth, Connection, MediaLine, Origin, Timing};
use crate::line::LineEnding;
use crate::rtp::{Extmap, Fmtp, RtcpFb, Rtpmap, Ssrc, SsrcGroup};
use crate::scan::Num;
use crate::sdp::Sdp;

/// sdp-transform's `toIntIfInt`: a number only if printing it gives the same
/// text back (and it is exact in a JS number).
pub(crate) fn num_or_str(s: &str) -> Value {
    if !s.is_empty()
        && s.len() <= 16
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
    {
        // 2^53: the largest integer a JS number holds exactly.
        if let Some(n) = u64::parse_dec(s).filter(|n| *n <= 1 << 53) {
            return Value::from(n);
        }
    }
    if let Some(f) = crate::scan::parse_decimal(s) {
        if s.contains('.') && format!("{f}") == s {
            if let Some(n) = serde_json::Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(s.to_owned())
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

pub(crate) fn obj(pairs: &[(&str, Option<Value>)]) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert((*k).to_owned(), v.clone());
        }
    }
    Value::Object(m)
}

/// Where a line goes: a single-valued key or an array key.
pub(crate) enum Slot {
    Name(&'static str),
    Push(&'static str),
}

fn ipver(addrtype: &str) -> Option<Value> {
    addrtype.strip_prefix("IP").map(num_or_str)
}

/// Converts one line to its slot and value; `None` means "not representable,
/// keep it verbatim in `invalid`".
///
/// `typed` is false for a non-ASCII line of a Latin-1 document: its bytes
/// must not be read as UTF-8 by the typed parsers, so only the plain text
/// kinds (decoded as Latin-1 in `text`) are converted.
fn item(kind: u8, raw: &[u8], text: &str, typed: bool) -> Option<(Slot, Value)> {
    use Slot::{Name, Push};
    if !typed && !matches!(kind, b'v' | b's' | b'i' | b'u' | b'e' | b'p' | b'z' | b'r') {
        return None;
    }
    Some(match kind {
        b'v' => (Name("version"), num_or_str(text)),
        b'o' => {
            let o = Origin::parse(raw).ok()?;
            let user = text.split(' ').next().unwrap_or("");
            (
                Name("origin"),
                obj(&[
                    ("username", Some(s(user))),
                    ("sessionId", Some(num_or_str(o.session_id))),
                    ("sessionVersion", Some(num_or_str(o.session_version))),
                    ("netType", Some(s(o.nettype))),
                    ("ipVer", Some(ipver(o.addrtype)?)),
                    ("address", Some(s(o.address))),
                ]),
            )
        }
        b's' => (Name("name"), s(text)),
        b'i' => (Name("description"), s(text)),
        b'u' => (Name("uri"), s(text)),
        b'e' => (Name("email"), s(text)),
        b'p' => (Name("phone"), s(text)),
        b'z' => (Name("timezones"), s(text)),
        b'r' => (Name("repeats"), s(text)),
        b't' => {
            let t = Timing::parse(raw).ok()?;
            (
                Name("timing"),
                obj(&[
                    ("start", Some(t.start.into())),
                    ("stop", Some(t.stop.into())),
                ]),
            )
        }
        b'c' => {
            let c = Connection::parse(raw).ok()?;
            if c.nettype != "IN" {
                return None;
            }
            (
                Name("connection"),
                obj(&[
                    ("version", Some(ipver(c.addrtype)?)),
                    ("ip", Some(s(c.address))),
                ]),
            )
        }
        b'b' => {
            let b = Bandwidth::parse(raw).ok()?;
            (
                Push("bandwidth"),
                obj(&[
                    ("type", Some(s(b.bwtype))),
                    ("limit", Some(b.bandwidth.into())),
                ]),
            )
        }
        b'a' => return attr_item(raw),
        _ => return None,
    })
}

fn attr_item(raw: &[u8]) -> Option<(Slot, Value)> {
    use Slot::{Name, Push};
    let (name, value) = split_attr(raw);
    let name = core::str::from_utf8(name).ok()?;
    let v = match value {
        Some(v) => Some(core::str::from_utf8(v).ok()?),
        None => None,
    };
    let flag = |key: &'static str| v.is_none().then(|| (Name(key), s(name)));
    Some(match name {
        // sdp-transform also reads an rtpmap without clock rate.
        "rtpmap" if v.is_some_and(|t| Rtpmap::parse(t).is_err()) => {
            let (pt, codec) = v?.split_once(' ')?;
            let pt = u8::parse_dec(pt).filter(|p| *p < 128)?;
            if codec.is_empty() || codec.contains(['/', ' ']) {
                return None;
            }
            (
                Push("rtp"),
                obj(&[("payload", Some(pt.into())), ("codec", Some(s(codec)))]),
            )
        }
        "rtpmap" => {
            let r = Rtpmap::parse(v?).ok()?;
            (
                Push("rtp"),
                obj(&[
                    ("payload", Some(r.pt.into())),
                    ("codec", Some(s(r.encoding))),
                    ("rate", Some(r.clock_rate.into())),
                    ("encoding", r.params.map(num_or_str)),
                ]),
            )
        }
        "fmtp" => {
            let f = Fmtp::parse(v?).ok()?;
            (
                Push("fmtp"),
                obj(&[
                    ("payload", Some(num_or_str(f.format))),
                    ("config", Some(s(f.params))),
                ]),
            )
        }
        "rtcp" => {
            let mut it = v?.split(' ');
            let port = it.next().filter(|p| u16::parse_dec(p).is_some())?;
            let net = it.next();
            let ip = match it.next() {
                Some(a) => Some(ipver(a)?),
                None => None,
            };
            let addr = it.next();
            if it.next().is_some() || net.is_some() != addr.is_some() {
                return None;
            }
            (
                Name("rtcp"),
                obj(&[
                    ("port", Some(num_or_str(port))),
                    ("netType", net.map(s)),
                    ("ipVer", ip),
                    ("address", addr.map(s)),
                ]),
            )
        }
        "rtcp-fb" => {
            let f = RtcpFb::parse(v?).ok()?;
            if f.kind == "trr-int" {
                (
                    Push("rtcpFbTrrInt"),
                    obj(&[
                        ("payload", Some(num_or_str(f.pt))),
                        ("value", Some(num_or_str(f.param?))),
                    ]),
                )
            } else {
                (
                    Push("rtcpFb"),
                    obj(&[
                        ("payload", Some(num_or_str(f.pt))),
                        ("type", Some(s(f.kind))),
                        ("subtype", f.param.map(s)),
                    ]),
                )
            }
        }
        "extmap" => {
            let e = Extmap::parse(v?).ok()?;
            let (enc, uri, config) = match (e.uri, e.attributes) {
                ("urn:ietf:params:rtp-hdrext:encrypt", Some(rest)) => {
                    let (u, c) = rest
                        .split_once(' ')
                        .map_or((rest, None), |(u, c)| (u, Some(c)));
                    (Some(s(e.uri)), u, c)
                }
                (u, c) => (None, u, c),
            };
            (
                Push("ext"),
                obj(&[
                    ("value", Some(e.id.into())),
                    ("direction", e.direction.map(|d| s(d.as_str()))),
                    ("encrypt-uri", enc),
                    ("uri", Some(s(uri))),
                    ("config", config.map(s)),
                ]),
            )
        }
        "extmap-allow-mixed" => flag("extmapAllowMixed")?,
        "crypto" => {
            let mut it = v?.splitn(4, ' ');
            let id = it.next()?;
            let suite = it.next()?;
            let config = it.next()?;
            (
                Push("crypto"),
                obj(&[
                    ("id", Some(num_or_str(id))),
                    ("suite", Some(s(suite))),
                    ("config", Some(s(config))),
                    ("sessionConfig", it.next().map(s)),
                ]),
            )
        }
        "setup" => (Name("setup"), s(v?)),
        "connection" => (Name("connectionType"), s(v?)),
        "mid" => (Name("mid"), s(v?)),
        "msid" => (Name("msid"), s(v?)),
        "ptime" => (Name("ptime"), num_or_str(v?)),
        "maxptime" => (Name("maxptime"), num_or_str(v?)),
        "sendrecv" | "recvonly" | "sendonly" | "inactive" => flag("direction")?,
        "ice-lite" => flag("icelite")?,
        "ice-ufrag" => (Name("iceUfrag"), s(v?)),
        "ice-pwd" => (Name("icePwd"), s(v?)),
        "fingerprint" => {
            let (t, h) = v?.split_once(' ')?;
            (
                Name("fingerprint"),
                obj(&[("type", Some(s(t))), ("hash", Some(s(h)))]),
            )
        }
        "candidate" => (
            Push("candidates"),
            candidate_json(&Candidate::parse_value(v?).ok()?),
        ),
        "end-of-candidates" => flag("endOfCandidates")?,
        "remote-candidates" => (Name("remoteCandidates"), s(v?)),
        "ice-options" => (Name("iceOptions"), s(v?)),
        "ssrc" => {
            let x = Ssrc::parse(v?).ok()?;
            (
                Push("ssrcs"),
                obj(&[
                    ("id", Some(x.ssrc.into())),
                    ("attribute", Some(s(x.attribute))),
                    ("value", x.value.map(s)),
                ]),
            )
        }
        "ssrc-group" => {
            let g = SsrcGroup::parse(v?).ok()?;
            (
                Push("ssrcGroups"),
                obj(&[
                    ("semantics", Some(s(g.semantics))),
                    ("ssrcs", Some(s(g.ssrcs))),
                ]),
            )
        }
        "msid-semantic" => {
            let t = v?.trim_start_matches(' ');
            let (sem, tok) = t.split_once(' ').unwrap_or((t, ""));
            (
                Name("msidSemantic"),
                obj(&[("semantic", Some(s(sem))), ("token", Some(s(tok)))]),
            )
        }
        "group" => {
            let (t, mids) = v?.split_once(' ').unwrap_or((v?, ""));
            (
                Push("groups"),
                obj(&[("type", Some(s(t))), ("mids", Some(s(mids)))]),
            )
        }
        "rtcp-mux" => flag("rtcpMux")?,
        "rtcp-rsize" => flag("rtcpRsize")?,
        "sctpmap" => {
            let mut it = v?.split(' ');
            let n = it.next()?;
            let app = it.next()?;
            let mms = it.next();
            if it.next().is_some() {
                return None;
            }
            (
                Name("sctpmap"),
                obj(&[
                    ("sctpmapNumber", Some(num_or_str(n))),
                    ("app", Some(s(app))),
                    ("maxMessageSize", mms.map(num_or_str)),
                ]),
            )
        }
        "x-google-flag" => (Name("xGoogleFlag"), s(v?)),
        "rid" => {
            let mut it = v?.splitn(3, ' ');
            let id = it.next()?;
            let dir = it.next()?;
            (
                Push("rids"),
                obj(&[
                    ("id", Some(s(id))),
                    ("direction", Some(s(dir))),
                    ("params", it.next().map(s)),
                ]),
            )
        }
        "simulcast" => {
            let t = v?;
            if t.starts_with(' ') {
                return crate::json_extra::item(name, t);
            }
            let parts: Vec<&str> = t.split(' ').collect();
            let ok = |d: &str| d == "send" || d == "recv";
            match parts.as_slice() {
                [d1, l1] if ok(d1) => (
                    Name("simulcast"),
                    obj(&[("dir1", Some(s(d1))), ("list1", Some(s(l1)))]),
                ),
                [d1, l1, d2, l2] if ok(d1) && ok(d2) => (
                    Name("simulcast"),
                    obj(&[
                        ("dir1", Some(s(d1))),
                        ("list1", Some(s(l1))),
                        ("dir2", Some(s(d2))),
                        ("list2", Some(s(l2))),
                    ]),
                ),
                _ => return None,
            }
        }
        "framerate" => (Name("framerate"), num_or_str(v?)),
        "bundle-only" => flag("bundleOnly")?,
        "label" => (Name("label"), num_or_str(v?)),
        "sctp-port" => (Name("sctpPort"), num_or_str(v?)),
        "max-message-size" => (Name("maxMessageSize"), num_or_str(v?)),
        "keywds" => (Name("keywords"), s(v?)),
        "content" => (Name("content"), s(v?)),
        "control" => (Name("control"), s(v?)),
        "floorctrl" => (Name("bfcpFloorCtrl"), s(v?)),
        "confid" => (Name("bfcpConfId"), num_or_str(v?)),
        "userid" => (Name("bfcpUserId"), num_or_str(v?)),
        _ => return crate::json_extra::item(name, v?),
    })
}

fn candidate_json(c: &Candidate<'_>) -> Value {
    let mut m = Map::new();
    m.insert("foundation".into(), s(c.foundation));
    m.insert("component".into(), c.component.into());
    m.insert("transport".into(), s(c.transport));
    m.insert("priority".into(), c.priority.into());
    m.insert("ip".into(), s(c.address));
    m.insert("port".into(), c.port.into());
    m.insert("type".into(), s(c.typ));
    if let Some(a) = c.raddr {
        m.insert("raddr".into(), s(a));
    }
    if let Some(p) = c.rport {
        m.insert("rport".into(), p.into());
    }
    let mut unknown = Vec::new();
    for (k, v) in c.extension_pairs() {
        let key = match k {
            "tcptype" | "ufrag" => {
                m.insert(k.into(), s(v));
                continue;
            }
            "generation" | "network-id" | "network-cost" => k,
            _ => {
                unknown.push(Value::Array(alloc::vec![s(k), s(v)]));
                continue;
            }
        };
        m.insert(key.into(), num_or_str(v));
    }
    if !unknown.is_empty() {
        m.insert("extensions".into(), Value::Array(unknown));
    }
    Value::Object(m)
}

/// Converts a description to sdp-transform-shaped JSON (see the module docs
/// for the differences).
#[must_use]
pub fn to_json(sdp: &Sdp) -> Value {
    let bytes = sdp.to_bytes();
    let utf8 = core::str::from_utf8(&bytes).is_ok();
    // One charset for the whole document, never chosen per field: a field
    // that happens to be valid UTF-8 inside a Latin-1 document must come
    // back as the same bytes (found by the `sdp_json` fuzz target).
    let text = |b: &[u8]| -> String {
        match core::str::from_utf8(b) {
            Ok(t) if utf8 => t.to_owned(),
            // Latin-1: every byte is the code point of the same value.
            _ => b.iter().map(|&c| char::from(c)).collect(),
        }
    };
    let mut root = Map::new();
    let mut media: Vec<Value> = Vec::new();
    let mut cur = Map::new();
    let mut order: Vec<Value> = Vec::new();
    let mut in_media = false;
    for line in sdp.lines() {
        let Some(kind) = line.kind() else {
            push_invalid(&mut cur, &mut order, Some("raw"), text(line.bytes()));
            continue;
        };
        let raw = line.value();
        let t = text(raw);
        let typed = utf8 || raw.is_ascii();
        if kind == b'm' {
            finish(&mut cur, &mut order, &mut root, &mut media, in_media);
            in_media = true;
            cur.insert("rtp".into(), Value::Array(Vec::new()));
            cur.insert("fmtp".into(), Value::Array(Vec::new()));
            match MediaLine::parse(raw).ok().filter(|_| typed) {
                Some(m) => {
                    cur.insert("type".into(), s(m.media));
                    cur.insert("port".into(), m.port.into());
                    if let Some(n) = m.num_ports {
                        cur.insert("numPorts".into(), n.into());
                    }
                    cur.insert("protocol".into(), s(m.proto));
                    cur.insert("payloads".into(), s(m.fmts));
                }
                None => push_invalid(&mut cur, &mut order, Some("m"), t),
            }
            continue;
        }
        match item(kind, raw, &t, typed) {
            Some((Slot::Name(k), v)) if !cur.contains_key(k) => {
                cur.insert(k.into(), v);
                order.push(s(k));
            }
            Some((Slot::Push(k), v)) => {
                let arr = cur.entry(k).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = arr {
                    order.push(Value::String(format!("{k}.{}", a.len())));
                    a.push(v);
                }
            }
            _ => {
                let k = [kind];
                let ty = (kind != b'a').then(|| core::str::from_utf8(&k).unwrap_or("a"));
                push_invalid(&mut cur, &mut order, ty, t);
            }
        }
    }
    finish(&mut cur, &mut order, &mut root, &mut media, in_media);
    root.insert("media".into(), Value::Array(media));
    let ending = match sdp.line(0).map(|l| l.ending()) {
        Some(LineEnding::Lf) => "\n",
        _ => "\r\n",
    };
    root.insert("lineEnding".into(), s(ending));
    // Mixed terminators or a last line without one: record every line's.
    if sdp
        .lines()
        .any(|l| l.ending().as_bytes() != ending.as_bytes())
    {
        let all = sdp
            .lines()
            .map(|l| s(core::str::from_utf8(l.ending().as_bytes()).unwrap_or("")))
            .collect();
        root.insert("lineEndings".into(), Value::Array(all));
    }
    if !utf8 {
        root.insert("charset".into(), s("latin1"));
    }
    Value::Object(root)
}

/// `ty`: the line type for non-`a=` lines, `"raw"` for a line that is not
/// `<type>=<value>` at all (its whole text is the value).
fn push_invalid(
    cur: &mut Map<String, Value>,
    order: &mut Vec<Value>,
    ty: Option<&str>,
    value: String,
) {
    let arr = cur
        .entry("invalid")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(a) = arr {
        order.push(Value::String(format!("invalid.{}", a.len())));
        let mut m = Map::new();
        if let Some(t) = ty {
            m.insert("type".into(), s(t));
        }
        m.insert("value".into(), Value::String(value));
        a.push(Value::Object(m));
    }
}

fn finish(
    cur: &mut Map<String, Value>,
    order: &mut Vec<Value>,
    root: &mut Map<String, Value>,
    media: &mut Vec<Value>,
    in_media: bool,
) {
    let mut m = core::mem::take(cur);
    m.insert("order".into(), Value::Array(core::mem::take(order)));
    if in_media {
        media.push(Value::Object(m));
    } else {
        root.extend(m);
    }
}

pub use crate::json_write::{from_json, from_json_str};
