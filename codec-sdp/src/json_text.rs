//! The JSON text writer behind [`crate::json`]: every key the conversion
//! uses, string escaping and number formatting exactly as `serde_json`
//! writes them, and the per-section assembly that puts each object's keys
//! in `serde_json::Map` order (sorted byte-wise) without building a `Value`.
//!
//! Values are written once, in line order, into a scratch buffer; a section
//! keeps a list of value ranges per key and, when it ends, writes its object
//! by walking the keys in sorted order. Array keys (`rtp`, `candidates`...)
//! collect their items from their list, so nothing is sorted or parsed.
//!
//! Numbers are written digit by digit and strings of the document are
//! copied as they are when no line needs an escape (checked once).

use alloc::string::String;
use alloc::vec::Vec;

macro_rules! keys {
    ($($v:ident = $s:literal,)*) => {
        /// A key of a section object (session or media). The variants are
        /// declared in byte-wise order of their names, which is the order
        /// `serde_json::Map` (a `BTreeMap`) writes them in; a unit test
        /// checks it.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
        #[repr(u8)]
        pub(crate) enum K { $($v,)* }

        impl K {
            pub(crate) const ALL: &'static [Self] = &[$(Self::$v,)*];
            pub(crate) const NAMES: &'static [&'static str] = &[$($s,)*];
            /// `"name":` of each key.
            const MEMBER: &'static [&'static str] = &[$(concat!("\"", $s, "\":"),)*];
            /// `,"name` of each key: an `order` item without its end.
            const ORDER: &'static [&'static str] = &[$(concat!(",\"", $s),)*];
        }
    };
}

keys! {
    Bandwidth = "bandwidth",
    BfcpConfId = "bfcpConfId",
    BfcpFloorCtrl = "bfcpFloorCtrl",
    BfcpFloorId = "bfcpFloorId",
    BfcpUserId = "bfcpUserId",
    BundleOnly = "bundleOnly",
    Candidates = "candidates",
    Charset = "charset",
    Connection = "connection",
    ConnectionType = "connectionType",
    Content = "content",
    Control = "control",
    Crypto = "crypto",
    Description = "description",
    Direction = "direction",
    Email = "email",
    EndOfCandidates = "endOfCandidates",
    Ext = "ext",
    ExtmapAllowMixed = "extmapAllowMixed",
    Fingerprint = "fingerprint",
    Fmtp = "fmtp",
    Framerate = "framerate",
    Groups = "groups",
    IceOptions = "iceOptions",
    IcePwd = "icePwd",
    IceUfrag = "iceUfrag",
    Icelite = "icelite",
    Imageattrs = "imageattrs",
    Invalid = "invalid",
    Keywords = "keywords",
    Label = "label",
    LineEnding = "lineEnding",
    LineEndings = "lineEndings",
    MaxMessageSize = "maxMessageSize",
    Maxptime = "maxptime",
    Media = "media",
    MediaClk = "mediaClk",
    Mid = "mid",
    Msid = "msid",
    MsidSemantic = "msidSemantic",
    Name = "name",
    NumPorts = "numPorts",
    Order = "order",
    Origin = "origin",
    Payloads = "payloads",
    Phone = "phone",
    Port = "port",
    Protocol = "protocol",
    Ptime = "ptime",
    RemoteCandidates = "remoteCandidates",
    Repeats = "repeats",
    Rids = "rids",
    Rtcp = "rtcp",
    RtcpFb = "rtcpFb",
    RtcpFbTrrInt = "rtcpFbTrrInt",
    RtcpMux = "rtcpMux",
    RtcpRsize = "rtcpRsize",
    Rtp = "rtp",
    SctpPort = "sctpPort",
    Sctpmap = "sctpmap",
    Setup = "setup",
    Simulcast = "simulcast",
    Simulcast03 = "simulcast_03",
    SourceFilter = "sourceFilter",
    SsrcGroups = "ssrcGroups",
    Ssrcs = "ssrcs",
    Timezones = "timezones",
    Timing = "timing",
    TsRefClocks = "tsRefClocks",
    Type = "type",
    Uri = "uri",
    Version = "version",
    XGoogleFlag = "xGoogleFlag",
}

const fn bits(keys: &[K]) -> u128 {
    let mut b = 0;
    let mut i = 0;
    while i < keys.len() {
        b |= 1 << keys[i] as u8;
        i += 1;
    }
    b
}

/// Keys whose value is an array of items, one per line (sdp-transform's
/// `push` rules), plus our `lineEndings`.
const ARRAYS: u128 = bits(&[
    K::Bandwidth,
    K::Candidates,
    K::Crypto,
    K::Ext,
    K::Fmtp,
    K::Groups,
    K::Imageattrs,
    K::Invalid,
    K::LineEndings,
    K::Rids,
    K::RtcpFb,
    K::RtcpFbTrrInt,
    K::Rtp,
    K::SsrcGroups,
    K::Ssrcs,
    K::TsRefClocks,
]);

// Sets of keys are `u128` bit masks.
const _: () = assert!(K::COUNT <= 128);

impl K {
    pub(crate) const COUNT: usize = Self::ALL.len();

    pub(crate) const fn bit(self) -> u128 {
        1 << self as u8
    }

    pub(crate) const fn is_array(self) -> bool {
        ARRAYS & self.bit() != 0
    }

    /// The key named `name`.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        find(&KEY_TABLE, Self::NAMES, name.as_bytes()).map(|i| Self::ALL[i])
    }
}

/// A small hash of a name: its length and three of its bytes. Only used to
/// pick a slot in a 256-entry open-addressing table; a match is always
/// confirmed by comparing the whole name.
const fn hash(b: &[u8]) -> usize {
    let n = b.len();
    if n == 0 {
        return 0;
    }
    let mut h: u32 = 0x811c_9dc5 ^ n as u32;
    h = (h ^ b[0] as u32).wrapping_mul(0x0100_0193);
    h = (h ^ b[n / 2] as u32).wrapping_mul(0x0100_0193);
    h = (h ^ b[n - 1] as u32).wrapping_mul(0x0100_0193);
    (h ^ (h >> 15)) as usize & 255
}

/// An open-addressing table (linear probing) from `hash(name)` to the
/// index of `name` in `names`; `u8::MAX` marks a free slot. Built at compile
/// time; `names` has far fewer than 255 entries, so probing always ends.
pub(crate) const fn table(names: &[&str]) -> [u8; 256] {
    let mut t = [u8::MAX; 256];
    let mut i = 0;
    while i < names.len() {
        let mut s = hash(names[i].as_bytes());
        while t[s] != u8::MAX {
            s = (s + 1) & 255;
        }
        t[s] = i as u8;
        i += 1;
    }
    t
}

/// Looks `key` up in a [`table`] of `names`.
pub(crate) fn find(t: &[u8; 256], names: &[&str], key: &[u8]) -> Option<usize> {
    let mut s = hash(key);
    loop {
        let i = *t.get(s)?;
        let name = names.get(usize::from(i))?.as_bytes();
        // A plain loop: names are a few bytes, shorter than a memcmp call.
        if name.len() == key.len() && name.iter().zip(key).all(|(a, b)| a == b) {
            return Some(usize::from(i));
        }
        s = (s + 1) & 255;
    }
}

static KEY_TABLE: [u8; 256] = table(K::NAMES);

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
fn escaped(out: &mut String, s: &str) {
    out.push('"');
    let mut from = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        let e = match ESCAPE.get(usize::from(c)) {
            Some(&e) if e != 0 => e,
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on char boundaries.
        out.push_str(s.get(from..i).unwrap_or_default());
        out.push('\\');
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("u00");
            out.push(char::from(HEX[usize::from(c >> 4)]));
            out.push(char::from(HEX[usize::from(c & 15)]));
        } else {
            out.push(char::from(e));
        }
        from = i + 1;
    }
    out.push_str(s.get(from..).unwrap_or_default());
    out.push('"');
}

/// JSON text being written.
pub(crate) struct Out {
    pub(crate) s: String,
    /// No line of the document holds a byte that needs an escape, so its
    /// text goes out as is (checked once per document, not per string).
    pub(crate) plain: bool,
}

impl Out {
    pub(crate) fn with_capacity(n: usize, plain: bool) -> Self {
        Self {
            s: String::with_capacity(n),
            plain,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.s.len()
    }

    pub(crate) fn truncate(&mut self, n: usize) {
        self.s.truncate(n);
    }

    /// A string of the document's text (see [`plain`](Self::plain)).
    #[inline(always)]
    pub(crate) fn str(&mut self, s: &str) {
        if self.plain {
            self.s.reserve(s.len() + 2);
            self.s.push('"');
            self.s.push_str(s);
            self.s.push('"');
        } else {
            escaped(&mut self.s, s);
        }
    }

    /// Any string, escaped as needed.
    pub(crate) fn any_str(&mut self, s: &str) {
        escaped(&mut self.s, s);
    }

    /// `n` in decimal.
    #[inline]
    pub(crate) fn u64(&mut self, n: u64) {
        u64(&mut self.s, n);
    }

    /// [`num_or_str`].
    pub(crate) fn num_or_str(&mut self, s: &str) {
        if is_number(s) {
            self.s.push_str(s);
        } else {
            self.str(s);
        }
    }
}

/// Writes `n` in decimal.
#[inline(always)]
pub(crate) fn u64(out: &mut String, n: u64) {
    // `order` indexes, ids, small payload types: inline.
    if n < 100 {
        if n >= 10 {
            out.push(char::from(b'0' + (n / 10) as u8));
        }
        out.push(char::from(b'0' + (n % 10) as u8));
    } else {
        long_u64(out, n);
    }
}

fn long_u64(out: &mut String, n: u64) {
    let d = |x: u64| char::from(b'0' + (x % 10) as u8);
    if n < 1000 {
        // Dynamic payload types (96-127).
        out.push(d(n / 100));
        out.push(d(n / 10));
        out.push(d(n));
        return;
    }
    let mut buf = [0; 20];
    for &c in digits(n, &mut buf) {
        out.push(char::from(c));
    }
}

/// The decimal digits of `n`, written at the end of `buf`.
pub(crate) fn digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// sdp-transform's `toIntIfInt` (`String(Number(v)) === v`): whether `s` is
/// the canonical text of a number, so that it becomes a JSON number whose
/// text is `s` itself.
///
/// Integers: at most 2^53 (exact in a JS number), no leading zero.
/// Decimals: `<int>.<frac>` in shortest form (no leading zero but `0.`,
/// no trailing zero), at most 15 significant digits and at least 0.00001.
/// 15 digits is what a double always keeps (`DBL_DIG`), so every JSON
/// reader gets the same double and writes the same shortest text back;
/// below 0.00001 serde_json and JS switch to exponent notation.
pub(crate) fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    // The common case first: a short integer (15 digits stay below 2^53).
    if b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        return !b.is_empty() && (b.len() == 1 || b[0] != b'0');
    }
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let digits = |d: &[u8]| !d.is_empty() && d.iter().all(u8::is_ascii_digit);
    if !digits(int) || (int.len() > 1 && int[0] == b'0') {
        return false;
    }
    let Some(frac) = frac else {
        // 2^53 has 16 digits.
        return int.len() <= 16
            && int
                .iter()
                .try_fold(0u64, |n, &d| {
                    n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                })
                .is_some_and(|n| n <= 1 << 53);
    };
    if !digits(frac) || frac.last() == Some(&b'0') {
        return false;
    }
    let (significant, leading_zeros) = if int == b"0" {
        let z = frac.iter().take_while(|&&c| c == b'0').count();
        (frac.len() - z, z)
    } else {
        (int.len() + frac.len(), 0)
    };
    significant <= 15 && leading_zeros <= 4
}

/// `,"<name>":` for [`Obj`]: the key as the bytes it writes.
macro_rules! key {
    ($k:literal) => {
        concat!(",\"", $k, "\":")
    };
}
pub(crate) use key;

/// Writes one JSON object. Keys are [`key!`] literals and must come in
/// byte-wise order (checked in debug builds), as `serde_json::Map` writes
/// them.
pub(crate) struct Obj<'a> {
    out: &'a mut Out,
    first: bool,
    #[cfg(debug_assertions)]
    last: &'static str,
}

impl<'a> Obj<'a> {
    #[inline(always)]
    pub(crate) fn new(out: &'a mut Out) -> Self {
        out.s.push('{');
        Self {
            out,
            first: true,
            #[cfg(debug_assertions)]
            last: "",
        }
    }

    /// Writes `"key":` (`key` from [`key!`]) and hands out the buffer for
    /// the value.
    #[inline(always)]
    pub(crate) fn key(&mut self, key: &'static str) -> &mut Out {
        #[cfg(debug_assertions)]
        {
            // `"a":` sorts like `a`: `"` is below every key character.
            let name = key.get(1..).unwrap_or_default();
            debug_assert!(key.starts_with(",\"") && key.ends_with("\":"), "{key}");
            debug_assert!(self.last < name, "{} before {name}", self.last);
            self.last = name;
        }
        // Inlined with a literal `key`, both copies have a constant length.
        if self.first {
            self.out.s.push_str(key.get(1..).unwrap_or_default());
        } else {
            self.out.s.push_str(key);
        }
        self.first = false;
        self.out
    }

    /// The buffer, to continue a value that [`key`](Self::key) started.
    pub(crate) fn raw(&mut self) -> &mut Out {
        self.out
    }

    #[inline(always)]
    pub(crate) fn str(&mut self, key: &'static str, v: &str) -> &mut Self {
        self.key(key).str(v);
        self
    }

    #[inline(always)]
    pub(crate) fn opt_str(&mut self, key: &'static str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.str(key, v);
        }
        self
    }

    #[inline(always)]
    pub(crate) fn num(&mut self, key: &'static str, v: u64) -> &mut Self {
        self.key(key).u64(v);
        self
    }

    /// [`num_or_str`](Out::num_or_str).
    #[inline(always)]
    pub(crate) fn nos(&mut self, key: &'static str, v: &str) -> &mut Self {
        self.key(key).num_or_str(v);
        self
    }

    #[inline(always)]
    pub(crate) fn opt_nos(&mut self, key: &'static str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.nos(key, v);
        }
        self
    }

    #[inline(always)]
    pub(crate) fn end(&mut self) {
        self.out.s.push('}');
    }
}

/// No entry (end of a key's list).
const NIL: u32 = u32::MAX;

/// One value in [`Section::vals`] and the next value of the same key.
#[derive(Clone, Copy)]
struct Entry {
    start: u32,
    end: u32,
    next: u32,
}

/// One section object (the session or one media section) being collected.
pub(crate) struct Section {
    /// JSON text of the values, one after another in line order.
    pub(crate) vals: Out,
    entries: Vec<Entry>,
    /// First and last entry of each key: a list per key, so the object is
    /// written in key order without sorting.
    head: [u32; K::COUNT],
    tail: [u32; K::COUNT],
    /// Keys that have a value (or an array, maybe empty).
    present: u128,
    /// Items pushed so far per array key (for `order`'s `"rtp.3"`).
    counts: [u32; K::COUNT],
    /// JSON text of the `order` array's items.
    order: String,
}

impl Section {
    pub(crate) fn with_capacity(n: usize, plain: bool) -> Self {
        Self {
            vals: Out::with_capacity(n, plain),
            entries: Vec::with_capacity(n / 32),
            head: [NIL; K::COUNT],
            tail: [NIL; K::COUNT],
            present: 0,
            counts: [0; K::COUNT],
            order: String::with_capacity(n / 4),
        }
    }

    pub(crate) fn clear(&mut self) {
        self.vals.s.clear();
        self.entries.clear();
        self.head = [NIL; K::COUNT];
        self.tail = [NIL; K::COUNT];
        self.present = 0;
        self.counts = [0; K::COUNT];
        self.order.clear();
    }

    pub(crate) const fn has(&self, k: K) -> bool {
        self.present & k.bit() != 0
    }

    /// Marks `k` present without a value (an empty array).
    pub(crate) fn touch(&mut self, k: K) {
        self.present |= k.bit();
    }

    /// The value written to `vals` since `start` is `k`'s (or, for an
    /// array key, its next item); not recorded in `order`.
    pub(crate) fn set(&mut self, k: K, start: usize) {
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let i = to_u32(self.entries.len());
        self.entries.push(Entry {
            start: to_u32(start),
            end: to_u32(self.vals.s.len()),
            next: NIL,
        });
        let k = k as usize;
        match self.entries.get_mut(self.tail[k] as usize) {
            Some(prev) => prev.next = i,
            None => self.head[k] = i,
        }
        self.tail[k] = i;
        self.present |= 1 << k;
    }

    /// The value written since `start` is the single-valued key `k`.
    pub(crate) fn name(&mut self, k: K, start: usize) {
        self.set(k, start);
        self.order.push_str(K::ORDER[k as usize]);
        self.order.push('"');
    }

    /// The value written since `start` is the next item of array `k`.
    pub(crate) fn push(&mut self, k: K, start: usize) {
        self.set(k, start);
        self.order.push_str(K::ORDER[k as usize]);
        self.order.push('.');
        let n = &mut self.counts[k as usize];
        u64(&mut self.order, u64::from(*n));
        *n += 1;
        self.order.push('"');
    }

    /// A line kept verbatim: `{type?, value}` pushed to `invalid`.
    pub(crate) fn invalid(&mut self, ty: Option<&str>, value: &str) {
        let start = self.vals.len();
        let mut o = Obj::new(&mut self.vals);
        if let Some(t) = ty {
            o.str(key!("type"), t);
        }
        o.str(key!("value"), value).end();
        self.push(K::Invalid, start);
    }

    /// Writes the members of the present keys in `lo..hi` (`order` always
    /// counts as present), each after a comma unless `*first`.
    pub(crate) fn members(&self, dst: &mut String, lo: K, hi: Option<K>, first: &mut bool) {
        let below = |k: Option<K>| k.map_or(u128::MAX, |k| k.bit() - 1);
        let mut bits = (self.present | K::Order.bit()) & below(hi) & !below(Some(lo));
        dst.reserve(self.vals.s.len() + self.order.len() + 16 * bits.count_ones() as usize);
        let vals = &self.vals.s;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if !*first {
                dst.push(',');
            }
            *first = false;
            dst.push_str(K::MEMBER[i]);
            if i == K::Order as usize {
                // The items start with a comma: skip it.
                dst.push('[');
                dst.push_str(self.order.get(1..).unwrap_or_default());
                dst.push(']');
                continue;
            }
            let array = K::ALL[i].is_array();
            if array {
                dst.push('[');
            }
            let mut e = self.head[i];
            while let Some(x) = self.entries.get(e as usize) {
                if e != self.head[i] {
                    dst.push(',');
                }
                dst.push_str(
                    vals.get(x.start as usize..x.end as usize)
                        .unwrap_or_default(),
                );
                e = x.next;
            }
            if array {
                dst.push(']');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn keys_are_in_map_order_and_found() {
        assert!(K::NAMES
            .windows(2)
            .all(|w| w[0].as_bytes() < w[1].as_bytes()));
        for (i, n) in K::NAMES.iter().enumerate() {
            assert_eq!(K::from_name(n), Some(K::ALL[i]));
            assert_eq!(K::ALL[i] as usize, i);
        }
        assert_eq!(K::from_name("rtpx"), None);
        assert_eq!(K::from_name(""), None);
    }

    #[test]
    fn strings_escape_like_serde_json() {
        let all: String = (0u8..0x80).map(char::from).chain("é€😀".chars()).collect();
        for s in [all.as_str(), "", "plain", "a\"b\\c", "\u{7f}\u{0}"] {
            let plain = !s.bytes().any(|c| c < 0x20 || c == b'"' || c == b'\\');
            let mut out = Out::with_capacity(0, plain);
            out.str(s);
            assert_eq!(out.s, serde_json::to_string(s).unwrap());
            out.s.clear();
            out.any_str(s);
            assert_eq!(out.s, serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn numbers_are_canonical() {
        for s in [
            "0",
            "1",
            "9007199254740992",
            "29.97",
            "0.5",
            "0.00001",
            "123456789.123456",
        ] {
            assert!(is_number(s), "{s}");
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            assert_eq!(serde_json::to_string(&v).unwrap(), s);
        }
        for s in [
            "",
            "01",
            "9007199254740993",
            "1.",
            ".5",
            "1.50",
            "0.000001",
            "1234567890.1234567",
            "-1",
            "1e5",
            "00.5",
            "0x1",
            "1.2.3",
            "+1",
            " 1",
        ] {
            assert!(!is_number(s), "{s}");
        }
        let mut out = String::new();
        for n in [0, 7, 10, 99, 100, 999, 1000, 12345, u64::MAX] {
            out.clear();
            u64(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
