//! The JSON value of [`crate::json`] as a tape: a compact byte form that a
//! host builds its own objects from without parsing JSON text (the npm
//! package does, several times faster than `JSON.parse` on the same value).
//! [`to_json_string`](crate::json::to_json_string) is this tape printed as
//! JSON text, so both forms hold the same value, keys in the same order.
//!
//! # Format
//! ```text
//! value  = OBJ member* END       an object; keys in the order the JSON text has them
//!        | ARR value* END        an array
//!        | STR len byte*         a string of ASCII bytes
//!        | STR8 len byte*        a string of UTF-8 bytes (may hold non-ASCII)
//!        | INT uint              an integer, at most 2^53
//!        | NUM len byte*         a JSON number's text (decimals, larger integers)
//!        | NULL | FALSE | TRUE   the other JSON values (never written by codec-sdp)
//! member = key value             key: 1-based index into KEYS (never 0, which is END)
//!        | NAMED len byte* value a key KEYS does not hold, as UTF-8 (never written by codec-sdp)
//! len, uint = LEB128             7 bits per byte, least significant first, high bit: more follow
//! ```
//! Every `len` counts bytes. A tape holds one value (an object) and nothing
//! after it. Objects and arrays nest at most [`MAX_DEPTH`] deep.
//!
//! codec-sdp writes tapes with [`to_tape`](crate::json::to_tape) and reads
//! them with [`from_tape`](crate::json::from_tape). A host writing one holds
//! every JSON value (the npm package turns a JS object into a tape for
//! `writeSdp`, instead of `JSON.stringify` and a JSON parser).

use alloc::string::String;
use alloc::vec::Vec;

use alloc::borrow::Cow;

use serde_json::Value;

use crate::json_node::Node;

use crate::json_text::K;

/// Ends an object's members or an array's items.
pub const END: u8 = 0;
/// Starts an object.
pub const OBJ: u8 = 1;
/// Starts an array.
pub const ARR: u8 = 2;
/// A string of ASCII bytes.
pub const STR: u8 = 3;
/// A string of UTF-8 bytes.
pub const STR8: u8 = 4;
/// An integer up to 2^53 (exact in a JS number) in LEB128.
pub const INT: u8 = 5;
/// The text of a JSON number.
pub const NUM: u8 = 6;
/// `null`.
pub const NULL: u8 = 7;
/// `false`.
pub const FALSE: u8 = 8;
/// `true`.
pub const TRUE: u8 = 9;
/// In place of a key number: a key that is not in [`KEYS`], as its length
/// and UTF-8 bytes.
pub const NAMED: u8 = 255;

/// How deep objects and arrays nest in a tape, at most (the root object,
/// `media`, a section, an array key, an item, `extensions` and its pairs).
pub const MAX_DEPTH: usize = 8;

/// Keys only item objects use (a section's keys are [`K`]'s); with
/// [`K::NAMES`] first they make [`KEYS`].
const FIELD_KEYS: &[&str] = &[
    "address",
    "addressTypes",
    "app",
    "attribute",
    "attrs1",
    "attrs2",
    "clksrc",
    "clksrcExt",
    "codec",
    "component",
    "config",
    "destAddress",
    "dir1",
    "dir2",
    "encoding",
    "encrypt-uri",
    "extensions",
    "filterMode",
    "foundation",
    "generation",
    "hash",
    "id",
    "ip",
    "ipVer",
    "limit",
    "list1",
    "list2",
    "mStream",
    "mediaClockName",
    "mediaClockValue",
    "mids",
    "netType",
    "network-cost",
    "network-id",
    "params",
    "payload",
    "priority",
    "pt",
    "raddr",
    "rate",
    "rateDenominator",
    "rateNumerator",
    "rport",
    "sctpmapNumber",
    "semantic",
    "semantics",
    "sessionConfig",
    "sessionId",
    "sessionVersion",
    "srcList",
    "start",
    "stop",
    "subtype",
    "suite",
    "tcptype",
    "token",
    "transport",
    "ufrag",
    "username",
    "value",
];

const KEY_COUNT: usize = K::NAMES.len() + FIELD_KEYS.len();

/// Every key a tape names, by number: key `n` is `KEYS[n - 1]`.
pub const KEYS: &[&str] = &{
    let mut all = [""; KEY_COUNT];
    let mut i = 0;
    while i < K::NAMES.len() {
        all[i] = K::NAMES[i];
        i += 1;
    }
    while i < KEY_COUNT {
        all[i] = FIELD_KEYS[i - K::NAMES.len()];
        i += 1;
    }
    all
};

// Key numbers are one byte; 0 is END and 255 NAMED.
const _: () = assert!(KEY_COUNT < NAMED as usize);

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The tape number of key `name` (evaluated at compile time by `key!`: an
/// unknown name fails the build).
pub(crate) const fn key_id(name: &str) -> u8 {
    let mut i = 0;
    while i < KEYS.len() {
        if same(KEYS[i], name) {
            return i as u8 + 1;
        }
        i += 1;
    }
    panic!("not a tape key")
}

/// Appends `n` in LEB128.
#[inline(always)]
pub(crate) fn leb(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a tape front to back.
struct Reader<'a> {
    tape: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.tape.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn uint(&mut self) -> Option<u64> {
        // At most 8 bytes (56 bits): lengths and integers up to 2^53.
        let mut n = 0u64;
        for shift in (0..56).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.uint()?).ok()?;
        let b = self.tape.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(b)
    }

    fn str(&mut self) -> Option<&'a str> {
        core::str::from_utf8(self.bytes()?).ok()
    }

    fn key(&mut self) -> Option<Option<&'a str>> {
        match self.byte()? {
            END => Some(None),
            NAMED => self.str().map(Some),
            k => KEYS.get(usize::from(k) - 1).map(|&name| Some(name)),
        }
    }
}

/// What `serde_json` writes for each byte below 0x20, `"` and `\`: 0 for
/// "as is", `u` for `\u00XX`, else the letter after the backslash.
static ESCAPE: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Writes `s` as a JSON string, escaped as `serde_json` does (the short
/// forms `\b \t \n \f \r \" \\`, `\u00XX` with lowercase hex for the other
/// control characters, everything else as is).
fn escaped(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    let mut from = 0;
    for (i, &c) in s.iter().enumerate() {
        let e = match ESCAPE.get(usize::from(c)) {
            Some(&e) if e != 0 => e,
            _ => continue,
        };
        out.extend_from_slice(s.get(from..i).unwrap_or_default());
        out.push(b'\\');
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"u00");
            out.push(HEX[usize::from(c >> 4)]);
            out.push(HEX[usize::from(c & 15)]);
        } else {
            out.push(e);
        }
        from = i + 1;
    }
    out.extend_from_slice(s.get(from..).unwrap_or_default());
    out.push(b'"');
}

/// Prints one value of `r` as JSON text; `None` on a malformed tape. See
/// [`print`] for `plain`.
fn print_value(r: &mut Reader<'_>, out: &mut Vec<u8>, plain: bool, depth: usize) -> Option<()> {
    match r.byte()? {
        OBJ => {
            let depth = depth.checked_sub(1)?;
            out.push(b'{');
            let mut first = true;
            while let Some(k) = r.key()? {
                if !first {
                    out.push(b',');
                }
                first = false;
                // KEYS need no escape; a NAMED key may.
                escaped(out, k.as_bytes());
                out.push(b':');
                print_value(r, out, plain, depth)?;
            }
            out.push(b'}');
        }
        ARR => {
            let depth = depth.checked_sub(1)?;
            out.push(b'[');
            let mut first = true;
            while *r.tape.get(r.at)? != END {
                if !first {
                    out.push(b',');
                }
                first = false;
                print_value(r, out, plain, depth)?;
            }
            r.at += 1;
            out.push(b']');
        }
        STR | STR8 => {
            let s = r.bytes()?;
            if plain && s.len() > 2 {
                out.push(b'"');
                out.extend_from_slice(s);
                out.push(b'"');
            } else {
                escaped(out, s);
            }
        }
        INT => {
            let mut buf = [0; 20];
            out.extend_from_slice(crate::json_text::digits(r.uint()?, &mut buf));
        }
        // Copied as it is (the writer's NUM texts are serde_json's).
        NUM => out.extend_from_slice(r.bytes()?),
        NULL => out.extend_from_slice(b"null"),
        FALSE => out.extend_from_slice(b"false"),
        TRUE => out.extend_from_slice(b"true"),
        _ => return None,
    }
    Some(())
}

/// The tape as JSON text; `None` when it is malformed or has bytes after
/// its value.
///
/// `plain` says that no byte of the document needs a JSON escape; then the
/// only strings that may need one are the line-ending values the writer
/// adds itself (`"\r\n"`, at most two bytes), and longer strings are
/// copied without a look (half the printing time).
pub(crate) fn print(tape: &[u8], plain: bool) -> Option<String> {
    let mut out = Vec::with_capacity(2 * tape.len() + 64);
    let mut r = Reader { tape, at: 0 };
    print_value(&mut r, &mut out, plain, MAX_DEPTH)?;
    if r.at != tape.len() {
        return None;
    }
    String::from_utf8(out).ok()
}

fn read_node<'a>(r: &mut Reader<'a>, depth: usize) -> Option<Node<'a>> {
    Some(match r.byte()? {
        OBJ => {
            let depth = depth.checked_sub(1)?;
            let mut m = Vec::new();
            while let Some(k) = r.key()? {
                m.push((Cow::Borrowed(k), read_node(r, depth)?));
            }
            Node::Obj(m)
        }
        ARR => {
            let depth = depth.checked_sub(1)?;
            let mut a = Vec::new();
            while *r.tape.get(r.at)? != END {
                a.push(read_node(r, depth)?);
            }
            r.at += 1;
            Node::Arr(a)
        }
        STR | STR8 => Node::Str(Cow::Borrowed(r.str()?)),
        INT => Node::Num(r.uint()?.into()),
        NUM => Node::Num(number(r)?),
        NULL => Node::Null,
        FALSE => Node::Bool(false),
        TRUE => Node::Bool(true),
        _ => return None,
    })
}

/// A NUM's text read as serde_json reads a number in JSON text (so a tape
/// and the JSON text of the same value give the same number); `None` when
/// it is not a JSON number.
fn number(r: &mut Reader<'_>) -> Option<serde_json::Number> {
    r.str()?.parse().ok()
}

/// The value of a tape (one value, nothing after it), its strings borrowed
/// from the tape; `None` when it is malformed.
pub(crate) fn node(tape: &[u8]) -> Option<Node<'_>> {
    node_at(tape).ok()
}

/// [`node`], or for a malformed tape how far the reader got (the fault is
/// at that byte or just before it).
pub(crate) fn node_at(tape: &[u8]) -> Result<Node<'_>, usize> {
    let mut r = Reader { tape, at: 0 };
    match read_node(&mut r, MAX_DEPTH) {
        Some(v) if r.at == tape.len() => Ok(v),
        _ => Err(r.at.min(tape.len())),
    }
}

/// [`node`] as a `serde_json::Value`.
pub(crate) fn value(tape: &[u8]) -> Option<Value> {
    node(tape).map(Node::into_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_numbered() {
        for (i, k) in KEYS.iter().enumerate() {
            assert_eq!(usize::from(key_id(k)), i + 1, "{k}");
        }
        assert!(FIELD_KEYS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn strings_escape_like_serde_json() {
        let all: String = (0u8..0x80).map(char::from).chain("é€😀".chars()).collect();
        for s in [all.as_str(), "", "plain", "a\"b\\c", "\u{7f}\u{0}"] {
            let mut tape = vec![STR8];
            leb(&mut tape, s.len() as u64);
            tape.extend_from_slice(s.as_bytes());
            assert_eq!(
                print(&tape, false).unwrap(),
                serde_json::to_string(s).unwrap()
            );
            assert_eq!(value(&tape).unwrap(), Value::from(s));
        }
    }

    #[test]
    fn numbers_round_trip() {
        for n in [0, 1, 127, 128, 300, 1 << 32, 1 << 53] {
            let mut tape = vec![INT];
            leb(&mut tape, n);
            assert_eq!(print(&tape, false).unwrap(), n.to_string());
            assert_eq!(value(&tape).unwrap(), Value::from(n));
        }
        let tape = [NUM, 5, b'2', b'9', b'.', b'9', b'7'];
        assert_eq!(print(&tape, false).unwrap(), "29.97");
        assert_eq!(value(&tape).unwrap(), serde_json::json!(29.97));
    }

    /// What only a host writes: null, booleans, keys outside KEYS, and
    /// number texts serde_json reads (JS writes `1e+21`, `-5`, `0.5`).
    #[test]
    fn host_values_read_like_json_text() {
        let mut tape = vec![OBJ, NAMED, 4];
        tape.extend_from_slice("k\"é".as_bytes());
        tape.extend_from_slice(&[ARR, NULL, FALSE, TRUE]);
        for n in ["1e+21", "-5", "0.5"] {
            tape.push(NUM);
            leb(&mut tape, n.len() as u64);
            tape.extend_from_slice(n.as_bytes());
        }
        tape.extend_from_slice(&[END, key_id("media"), ARR, END, END]);
        let want = serde_json::json!({"k\"é": [null, false, true, 1e21, -5, 0.5], "media": []});
        assert_eq!(value(&tape).unwrap(), want);
        let text = print(&tape, false).unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            want,
            "{text}"
        );
        // Not JSON numbers: refused, as JSON text would be.
        for bad in ["", "+1", "0x10", "1.", ".5", "NaN", "1e"] {
            let mut t = vec![NUM];
            leb(&mut t, bad.len() as u64);
            t.extend_from_slice(bad.as_bytes());
            assert_eq!(value(&t), None, "{bad}");
        }
        // A NAMED key must be UTF-8.
        assert_eq!(value(&[OBJ, NAMED, 1, 0xff, NULL, END]), None);
    }

    /// A malformed tape says how far the reader got.
    #[test]
    fn malformed_tapes_say_where() {
        let at = |t: &[u8]| node_at(t).err();
        // An unknown key number (200) is read, then refused.
        assert_eq!(
            at(&[OBJ, key_id("media"), ARR, END, 200, INT, 1, END]),
            Some(5)
        );
        // Cut short: the tape's length.
        assert_eq!(at(&[OBJ, key_id("media"), ARR]), Some(3));
        assert_eq!(at(&[OBJ, key_id("name"), STR, 9, b'a']), Some(4));
        // A value after the value.
        assert_eq!(at(&[OBJ, END, NULL]), Some(2));
        assert!(node_at(&[OBJ, END]).is_ok());
    }

    #[test]
    fn malformed_tapes_are_refused() {
        let deep = vec![ARR; MAX_DEPTH + 1];
        for t in [
            &[][..],
            &[OBJ],
            &[OBJ, 200, INT, 1, END],
            &[ARR, INT],
            &[STR, 5, b'a'],
            &[STR8, 1, 0xff],
            &[INT, 0x80],
            &[
                INT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
            ],
            &[NUM, 1, b'x'],
            &[10],
            &[INT, 1, INT, 2],
            &deep,
        ] {
            assert_eq!(value(t), None, "{t:?}");
            // A number's text is copied as it is.
            if t != [NUM, 1, b'x'] {
                assert_eq!(print(t, false), None, "{t:?}");
            }
        }
    }
}
