//! JSON (sdp-transform shape) back to SDP; see [`crate::json`].

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::sdp::Sdp;

const SESSION_PRE: &[(&str, &str)] = &[
    ("v", "version"),
    ("o", "origin"),
    ("s", "name"),
    ("i", "description"),
    ("u", "uri"),
    ("e", "email"),
    ("p", "phone"),
    ("c", "connection"),
    ("b", "bandwidth"),
    ("t", "timing"),
    ("r", "repeats"),
    ("z", "timezones"),
];

const MEDIA_PRE: &[(&str, &str)] = &[
    ("i", "description"),
    ("c", "connection"),
    ("b", "bandwidth"),
];

/// sdp-transform's grammar order for `a=` lines, then `invalid`.
const A_KEYS: &[&str] = &[
    "rtp",
    "fmtp",
    "control",
    "rtcp",
    "rtcpFbTrrInt",
    "rtcpFb",
    "ext",
    "extmapAllowMixed",
    "crypto",
    "setup",
    "connectionType",
    "mid",
    "msid",
    "ptime",
    "maxptime",
    "direction",
    "icelite",
    "iceUfrag",
    "icePwd",
    "fingerprint",
    "candidates",
    "endOfCandidates",
    "remoteCandidates",
    "iceOptions",
    "ssrcs",
    "ssrcGroups",
    "msidSemantic",
    "groups",
    "rtcpMux",
    "rtcpRsize",
    "sctpmap",
    "xGoogleFlag",
    "rids",
    "imageattrs",
    "simulcast",
    "simulcast_03",
    "framerate",
    "sourceFilter",
    "bundleOnly",
    "label",
    "sctpPort",
    "maxMessageSize",
    "tsRefClocks",
    "mediaClk",
    "keywords",
    "content",
    "bfcpFloorCtrl",
    "bfcpConfId",
    "bfcpUserId",
    "bfcpFloorId",
    "invalid",
];

/// A field as text (strings as is, numbers printed).
fn st(v: &Value, field: &str) -> Option<String> {
    text(v.get(field)?)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(format!("{n}")),
        Value::Bool(b) => Some(format!("{b}")),
        _ => None,
    }
}

fn opt(v: &Value, field: &str, prefix: &str) -> String {
    st(v, field)
        .map(|x| format!("{prefix}{x}"))
        .unwrap_or_default()
}

/// Writes one item as a whole line (`<type>=...`).
pub(crate) fn line(key: &str, v: &Value) -> Option<String> {
    let a = |body: String| Some(format!("a={body}"));
    let plain = |t: &str| Some(format!("{t}={}", text(v)?));
    match key {
        "version" => plain("v"),
        "origin" => Some(format!(
            "o={} {} {} {} IP{} {}",
            st(v, "username")?,
            st(v, "sessionId")?,
            st(v, "sessionVersion")?,
            st(v, "netType")?,
            st(v, "ipVer")?,
            st(v, "address")?
        )),
        "name" => plain("s"),
        "description" => plain("i"),
        "uri" => plain("u"),
        "email" => plain("e"),
        "phone" => plain("p"),
        "repeats" => plain("r"),
        "timezones" => plain("z"),
        "timing" => Some(format!("t={} {}", st(v, "start")?, st(v, "stop")?)),
        "connection" => Some(format!("c=IN IP{} {}", st(v, "version")?, st(v, "ip")?)),
        "bandwidth" => Some(format!("b={}:{}", st(v, "type")?, st(v, "limit")?)),
        "rtp" => a(format!(
            "rtpmap:{} {}{}{}",
            st(v, "payload")?,
            st(v, "codec")?,
            opt(v, "rate", "/"),
            opt(v, "encoding", "/")
        )),
        "fmtp" => a(format!("fmtp:{} {}", st(v, "payload")?, st(v, "config")?)),
        "control" => a(format!("control:{}", text(v)?)),
        "rtcp" => {
            let addr = match st(v, "address") {
                Some(ad) => format!(" {} IP{} {ad}", st(v, "netType")?, st(v, "ipVer")?),
                None => String::new(),
            };
            a(format!("rtcp:{}{addr}", st(v, "port")?))
        }
        "rtcpFbTrrInt" => a(format!(
            "rtcp-fb:{} trr-int {}",
            st(v, "payload")?,
            st(v, "value")?
        )),
        "rtcpFb" => a(format!(
            "rtcp-fb:{} {}{}",
            st(v, "payload")?,
            st(v, "type")?,
            opt(v, "subtype", " ")
        )),
        "ext" => a(format!(
            "extmap:{}{}{} {}{}",
            st(v, "value")?,
            opt(v, "direction", "/"),
            opt(v, "encrypt-uri", " "),
            st(v, "uri")?,
            opt(v, "config", " ")
        )),
        "crypto" => a(format!(
            "crypto:{} {} {}{}",
            st(v, "id")?,
            st(v, "suite")?,
            st(v, "config")?,
            opt(v, "sessionConfig", " ")
        )),
        "extmapAllowMixed" => a("extmap-allow-mixed".into()),
        "icelite" => a("ice-lite".into()),
        "endOfCandidates" => a("end-of-candidates".into()),
        "rtcpMux" => a("rtcp-mux".into()),
        "rtcpRsize" => a("rtcp-rsize".into()),
        "bundleOnly" => a("bundle-only".into()),
        "direction" => a(text(v)?),
        "setup" | "connectionType" | "mid" | "msid" | "ptime" | "maxptime" | "iceUfrag"
        | "icePwd" | "remoteCandidates" | "iceOptions" | "xGoogleFlag" | "framerate" | "label"
        | "sctpPort" | "maxMessageSize" | "keywords" | "content" | "bfcpFloorCtrl"
        | "bfcpConfId" | "bfcpUserId" => {
            let name = match key {
                "connectionType" => "connection",
                "iceUfrag" => "ice-ufrag",
                "icePwd" => "ice-pwd",
                "remoteCandidates" => "remote-candidates",
                "iceOptions" => "ice-options",
                "xGoogleFlag" => "x-google-flag",
                "sctpPort" => "sctp-port",
                "maxMessageSize" => "max-message-size",
                "keywords" => "keywds",
                "bfcpFloorCtrl" => "floorctrl",
                "bfcpConfId" => "confid",
                "bfcpUserId" => "userid",
                k => k,
            };
            a(format!("{name}:{}", text(v)?))
        }
        "fingerprint" => a(format!("fingerprint:{} {}", st(v, "type")?, st(v, "hash")?)),
        "candidates" => {
            let mut c = format!(
                "candidate:{} {} {} {} {} {} typ {}",
                st(v, "foundation")?,
                st(v, "component")?,
                st(v, "transport")?,
                st(v, "priority")?,
                st(v, "ip")?,
                st(v, "port")?,
                st(v, "type")?
            );
            c += &opt(v, "raddr", " raddr ");
            c += &opt(v, "rport", " rport ");
            for k in [
                "tcptype",
                "generation",
                "ufrag",
                "network-id",
                "network-cost",
            ] {
                c += &opt(v, k, &format!(" {k} "));
            }
            if let Some(Value::Array(ext)) = v.get("extensions") {
                for pair in ext {
                    if let Some([k, x]) = pair.as_array().map(Vec::as_slice) {
                        c += &format!(" {} {}", text(k)?, text(x)?);
                    }
                }
            }
            a(c)
        }
        "ssrcs" => {
            let attr = match st(v, "attribute") {
                Some(at) => format!(" {at}{}", opt(v, "value", ":")),
                None => String::new(),
            };
            a(format!("ssrc:{}{attr}", st(v, "id")?))
        }
        "ssrcGroups" => a(format!(
            "ssrc-group:{} {}",
            st(v, "semantics")?,
            st(v, "ssrcs")?
        )),
        "msidSemantic" => {
            let tok = st(v, "token").filter(|t| !t.is_empty());
            a(format!(
                "msid-semantic: {}{}",
                st(v, "semantic")?,
                tok.map(|t| format!(" {t}")).unwrap_or_default()
            ))
        }
        "groups" => {
            let mids = st(v, "mids").filter(|m| !m.is_empty());
            a(format!(
                "group:{}{}",
                st(v, "type")?,
                mids.map(|m| format!(" {m}")).unwrap_or_default()
            ))
        }
        "sctpmap" => a(format!(
            "sctpmap:{} {}{}",
            st(v, "sctpmapNumber")?,
            st(v, "app")?,
            opt(v, "maxMessageSize", " ")
        )),
        "rids" => a(format!(
            "rid:{} {}{}",
            st(v, "id")?,
            st(v, "direction")?,
            opt(v, "params", " ")
        )),
        "simulcast" => a(format!(
            "simulcast:{} {}{}{}",
            st(v, "dir1")?,
            st(v, "list1")?,
            opt(v, "dir2", " "),
            opt(v, "list2", " ")
        )),
        "imageattrs" => a(format!(
            "imageattr:{} {} {}{}{}",
            st(v, "pt")?,
            st(v, "dir1")?,
            st(v, "attrs1")?,
            opt(v, "dir2", " "),
            opt(v, "attrs2", " ")
        )),
        "sourceFilter" => a(format!(
            "source-filter: {} {} {} {} {}",
            st(v, "filterMode")?,
            st(v, "netType")?,
            st(v, "addressTypes")?,
            st(v, "destAddress")?,
            st(v, "srcList")?
        )),
        "tsRefClocks" => a(format!(
            "ts-refclk:{}{}",
            st(v, "clksrc")?,
            opt(v, "clksrcExt", "=")
        )),
        "mediaClk" => a(format!(
            "mediaclk:{}{}{}{}{}",
            st(v, "id").map(|i| format!("id={i} ")).unwrap_or_default(),
            st(v, "mediaClockName")?,
            opt(v, "mediaClockValue", "="),
            opt(v, "rateNumerator", " rate="),
            opt(v, "rateDenominator", "/")
        )),
        "bfcpFloorId" => a(format!(
            "floorid:{} mstrm:{}",
            st(v, "id")?,
            st(v, "mStream")?
        )),
        "simulcast_03" => a(format!("simulcast: {}", st(v, "value")?)),
        "invalid" => {
            let value = st(v, "value")?;
            match st(v, "type").as_deref() {
                Some("raw") => Some(value),
                Some(t) => Some(format!("{t}={value}")),
                None => a(value),
            }
        }
        _ => None,
    }
}

/// Writes the lines of one section: first in `order`, then what `order`
/// does not name, in sdp-transform's order.
fn section(m: &Map<String, Value>, pre: &[(&str, &str)], out: &mut Vec<String>) {
    // A set, so that a long `order` array costs O(n log n), not O(n²).
    let mut used: BTreeSet<(String, usize)> = BTreeSet::new();
    let get = |key: &str, idx: Option<usize>| -> Option<&Value> {
        let v = m.get(key)?;
        match (idx, v) {
            (Some(i), Value::Array(a)) => a.get(i),
            (None, Value::Array(_)) => None,
            (None, v) => Some(v),
            (Some(_), _) => None,
        }
    };
    if let Some(Value::Array(order)) = m.get("order") {
        for r in order.iter().filter_map(Value::as_str) {
            let (key, idx) = match r.rsplit_once('.') {
                Some((k, i)) if i.bytes().all(|b| b.is_ascii_digit()) && !i.is_empty() => {
                    (k, i.parse().ok())
                }
                _ => (r, None),
            };
            let marker = (String::from(key), idx.unwrap_or(usize::MAX));
            if used.contains(&marker) {
                continue;
            }
            if let Some(l) = get(key, idx).and_then(|v| line(key, v)) {
                out.push(l);
                used.insert(marker);
            }
        }
    }
    let keys = pre.iter().map(|(_, k)| *k).chain(A_KEYS.iter().copied());
    for key in keys {
        match m.get(key) {
            Some(Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    if !used.contains(&(String::from(key), i)) {
                        if let Some(l) = line(key, v) {
                            out.push(l);
                        }
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(v) => {
                if !used.contains(&(String::from(key), usize::MAX)) {
                    if let Some(l) = line(key, v) {
                        out.push(l);
                    }
                }
            }
        }
    }
}

/// Writes SDP from sdp-transform-shaped JSON (ours or sdp-transform's own).
///
/// # Errors
/// [`Error::Json`] if `json` is not an object with a `media` array.
pub fn from_json(json: &Value) -> Result<Sdp, Error> {
    let bad = Error::Json { line: 0, column: 0 };
    let root = json.as_object().ok_or_else(|| bad.clone())?;
    let media = match root.get("media") {
        Some(Value::Array(m)) => m.as_slice(),
        None => &[],
        Some(_) => return Err(bad),
    };
    let mut lines = Vec::new();
    let mut session = root.clone();
    // sdp-transform's writer supplies these two when they are missing; our
    // own JSON (with `order`) says exactly which lines there were.
    if !root.contains_key("order") {
        session.entry("version").or_insert(Value::from(0));
        session
            .entry("name")
            .or_insert(Value::String(String::from(" ")));
    }
    section(&session, SESSION_PRE, &mut lines);
    for m in media {
        let m = m.as_object().ok_or_else(|| bad.clone())?;
        let payloads = m.get("payloads").and_then(text).unwrap_or_default();
        let port = m.get("port").and_then(text).unwrap_or_default();
        let ports = m
            .get("numPorts")
            .and_then(text)
            .map(|n| format!("/{n}"))
            .unwrap_or_default();
        let ty = m.get("type").and_then(text).unwrap_or_default();
        let proto = m.get("protocol").and_then(text).unwrap_or_default();
        // A malformed m= line was kept verbatim in `invalid` (type "m") and
        // is written from there, in place.
        let raw_m = m
            .get("invalid")
            .and_then(Value::as_array)
            .is_some_and(|inv| {
                inv.iter()
                    .any(|i| i.get("type").and_then(Value::as_str) == Some("m"))
            });
        if !raw_m || m.contains_key("type") {
            lines.push(
                format!("m={ty} {port}{ports} {proto} {payloads}")
                    .trim_end()
                    .into(),
            );
        }
        section(m, MEDIA_PRE, &mut lines);
    }
    let ending = root
        .get("lineEnding")
        .and_then(Value::as_str)
        .unwrap_or("\r\n");
    let ending = if ending == "\n" { "\n" } else { "\r\n" };
    let latin1 = root.get("charset").and_then(Value::as_str) == Some("latin1");
    let per_line: Option<Vec<&str>> = root
        .get("lineEndings")
        .and_then(Value::as_array)
        .filter(|a| a.len() == lines.len())
        .map(|a| a.iter().map(|e| e.as_str().unwrap_or(ending)).collect());
    let mut bytes = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let ending = match per_line.as_ref().and_then(|p| p.get(i).copied()) {
            Some(e @ ("\r\n" | "\n" | "")) => e,
            _ => ending,
        };
        if latin1 {
            for c in l.chars() {
                match u8::try_from(u32::from(c)) {
                    Ok(b) => bytes.push(b),
                    Err(_) => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                }
            }
        } else {
            bytes.extend_from_slice(l.as_bytes());
        }
        bytes.extend_from_slice(ending.as_bytes());
    }
    Sdp::parse(&bytes)
}

/// [`from_json`] on JSON text.
///
/// # Errors
/// [`Error::Json`] with the position serde_json reports.
pub fn from_json_str(json: &str) -> Result<Sdp, Error> {
    let v: Value = serde_json::from_str(json).map_err(|e| Error::Json {
        line: u32::try_from(e.line()).unwrap_or(u32::MAX),
        column: u32::try_from(e.column()).unwrap_or(u32::MAX),
    })?;
    from_json(&v)
}
