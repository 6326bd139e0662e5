//! SDP: `SdpDescription` and `parseCandidate`, over [`codec_sdp::Sdp`].

use codec_sdp::{Candidate, CandidateInit, Direction, Error, Limits, Mode, ParseOptions, Sdp};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{codec_error, num_usize, usage_error};
use crate::js::{int_arg, opt_bool, opt_usize, options, set, string_bytes, Input};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Options of `SdpDescription.parse`. Absent limits keep the codec's defaults. */
export interface SdpParseOptions {
  /** Reject what Chromium's setRemoteDescription rejects (default false: collect warnings). */
  strict?: boolean;
  /** Largest description in bytes. */
  maxSize?: number;
  /** Longest line in bytes. */
  maxLineLen?: number;
  /** Most lines. */
  maxLines?: number;
  /** Most warnings kept. */
  maxWarnings?: number;
}
/** A problem found while parsing (a warning in lenient mode). Positions are 1-based; 0 = none. */
export interface SdpWarning {
  code: string; message: string; line: number; column: number; rule?: string; problem?: string;
}
/** An ICE candidate in an SDP object (sdp-transform's shape; `foundation` stays a string). */
export interface SdpObjectCandidate {
  foundation: string; component: number; transport: string; priority: number; ip: string; port: number; type: string;
  raddr?: string; rport?: number; tcptype?: string; generation?: number; ufrag?: string;
  "network-id"?: number; "network-cost"?: number; extensions?: [string, string][];
}
/** One m= section as a plain object, in sdp-transform's shape. */
export interface SdpObjectMedia {
  type: string; port: number; numPorts?: number; protocol: string; payloads: string;
  rtp: { payload: number; codec: string; rate?: number; encoding?: string }[];
  fmtp: { payload: number; config: string }[];
  rtcpFb?: { payload: string; type: string; subtype?: string }[];
  ext?: { value: number; direction?: string; uri: string; config?: string }[];
  mid?: string; direction?: "sendrecv" | "sendonly" | "recvonly" | "inactive";
  iceUfrag?: string; icePwd?: string; iceOptions?: string;
  fingerprint?: { type: string; hash: string }; setup?: string;
  candidates?: SdpObjectCandidate[]; endOfCandidates?: string;
  ssrcs?: { id: number; attribute: string; value?: string }[];
  ssrcGroups?: { semantics: string; ssrcs: string }[];
  msid?: string; rtcpMux?: string; rtcpRsize?: string; sctpPort?: number; maxMessageSize?: number;
  rids?: { id: string; direction: string; params?: string }[];
  simulcast?: { dir1: string; list1: string; dir2?: string; list2?: string };
  connection?: { version: number; ip: string }; bandwidth?: { type: string; limit: number }[];
  invalid?: { value: string; type?: string }[];
  /** Line order of the section, so `writeSdp` puts every line back in place. */
  order?: string[];
  [key: string]: unknown;
}
/**
 * A session description as a plain object in the shape of sdp-transform's `parse()`,
 * without its losses: ids stay strings, unknown attributes and extensions are kept,
 * `order` records the line order (see the codec-sdp `json` module docs for each difference).
 */
export interface SdpObject {
  version?: number;
  origin?: { username: string; sessionId: number | string; sessionVersion: number; netType: string; ipVer: number; address: string };
  name?: string; timing?: { start: number; stop: number };
  connection?: { version: number; ip: string };
  groups?: { type: string; mids: string }[];
  msidSemantic?: { semantic: string; token: string };
  fingerprint?: { type: string; hash: string };
  iceUfrag?: string; icePwd?: string; iceOptions?: string; setup?: string;
  media: SdpObjectMedia[];
  invalid?: { value: string; type?: string }[];
  order?: string[];
  lineEnding?: string;
  charset?: "latin1";
  [key: string]: unknown;
}
/** A summary of one m= section. */
export interface SdpMediaSummary {
  index: number; type: string; port: number; protocol: string; formats: string[];
  mid?: string; direction: "sendrecv" | "sendonly" | "recvonly" | "inactive";
  rejected: boolean; bundleOnly: boolean;
}
/** The W3C RTCIceCandidateInit dictionary. An empty `candidate` marks end-of-candidates. */
export interface SdpCandidateInit {
  candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null; usernameFragment?: string | null;
}
/** An ICE candidate (RFC 8839 §5.1), with sdp-transform's field names. */
export interface SdpCandidate {
  foundation: string; component: number; transport: string; priority: number; ip: string; port: number;
  type: string; raddr?: string; rport?: number; tcptype?: string; generation?: number; ufrag?: string;
  "network-id"?: number; "network-cost"?: number;
  /** Address kind: "ipv4", "ipv6", "mdns" (a .local name) or "fqdn". */
  addressKind: string;
  /** Every extension name/value pair in order, known ones included. */
  extensions: [string, string][];
}
"#;

/// A parsed session description. Unedited, `toString()` gives back the
/// input byte for byte; edits rewrite only the lines they touch.
#[wasm_bindgen]
pub struct SdpDescription {
    inner: Sdp,
}

#[wasm_bindgen]
impl SdpDescription {
    /// Parses a description (a string, or the raw bytes).
    ///
    /// Throws a `CodecError` (`SDP_SYNTAX` with `line`, `column`, `rule`,
    /// `problem`; `SDP_TOO_LARGE`, `SDP_LINE_TOO_LONG`, `SDP_TOO_MANY_LINES`).
    ///
    /// # Errors
    /// As above.
    pub fn parse(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SdpParseOptions")] opts: &JsValue,
    ) -> Result<Self, JsValue> {
        let bytes = input_bytes(input)?;
        let opts = parse_options(opts)?;
        Sdp::parse_with(&bytes, opts)
            .map(|inner| Self { inner })
            .map_err(|e| to_js(&e))
    }

    /// Builds a description from an sdp-transform-shaped object (ours, or
    /// sdp-transform's own output). Lossless for the data; fields are written
    /// in canonical spacing.
    ///
    /// # Errors
    /// `SDP_JSON` when the object has no `media` array or is not an object;
    /// `SDP_JSON_LINE_BREAK` (with the SDP `line`) when a field holds a line
    /// break, which would add or merge SDP lines; `INVALID_ARGUMENT` when
    /// `JSON.stringify` would throw (a `toJSON` that throws, a BigInt) or a
    /// string holds a lone surrogate (no UTF-8 form).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "SdpObject")] obj: &JsValue,
    ) -> Result<Self, JsValue> {
        // The object as a tape (what JSON.stringify would write of it, without the text), read
        // by codec-sdp: no JSON text is written or parsed.
        let view = KEYS
            .with(|keys| sdp_tape(obj, keys, MAX_DEPTH))
            .map_err(|e| {
                // Say why: what a toJSON threw, a BigInt, a lone surrogate.
                let why = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string())
                    .unwrap_or_default();
                usage_error(&format!("the SDP object cannot be turned into JSON: {why}"))
            })?;
        let mut input = Input::default();
        codec_sdp::json::from_tape(input.read(&view)?)
            .map(|inner| Self { inner })
            .map_err(|e| to_js(&e))
    }

    /// The description as a plain object in sdp-transform's shape (also what
    /// `JSON.stringify(description)` writes).
    ///
    /// # Errors
    /// None in practice: the builder throws only on a malformed tape, which
    /// codec-sdp does not write.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SdpObject")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        json_value(&self.inner)
    }

    /// The description as text. Bytes that are not UTF-8 (Latin-1 text
    /// fields) map to the code points of the same value, so
    /// `SdpDescription.parse(d.toString())` sees the same characters.
    #[wasm_bindgen(js_name = toString)]
    #[must_use]
    pub fn to_text(&self) -> String {
        self.inner.to_text().unwrap_or_else(|| {
            self.inner
                .to_bytes()
                .iter()
                .map(|b| char::from(*b))
                .collect()
        })
    }

    /// The description's exact bytes.
    #[wasm_bindgen(js_name = toBytes)]
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    /// Problems found in lenient mode (and, in strict mode, those Chromium tolerates).
    #[wasm_bindgen(getter, unchecked_return_type = "SdpWarning[]")]
    #[must_use]
    pub fn warnings(&self) -> Array {
        self.inner.warnings().iter().map(warning).collect()
    }

    /// Number of lines.
    #[wasm_bindgen(getter, js_name = lineCount)]
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.inner.line_count()
    }

    /// A summary of each m= section, in order.
    #[wasm_bindgen(getter, unchecked_return_type = "SdpMediaSummary[]")]
    #[must_use]
    pub fn media(&self) -> Array {
        let out = Array::new();
        for m in self.inner.media() {
            let o = Object::new();
            set(&o, &"index".into(), &num_usize(m.index()).into());
            if let Some(ml) = m.media_line() {
                set(&o, &"type".into(), &ml.media.into());
                set(&o, &"port".into(), &ml.port.into());
                set(&o, &"protocol".into(), &ml.proto.into());
                let f: Array = ml.formats().map(JsValue::from_str).collect();
                set(&o, &"formats".into(), &f);
            }
            if let Some(mid) = m.mid() {
                set(&o, &"mid".into(), &mid.into());
            }
            set(
                &o,
                &"direction".into(),
                &m.effective_direction().as_str().into(),
            );
            set(&o, &"rejected".into(), &m.is_rejected().into());
            set(&o, &"bundleOnly".into(), &m.is_bundle_only().into());
            out.push(&o);
        }
        out
    }

    /// Every `a=candidate` line as an `RTCIceCandidateInit`.
    #[wasm_bindgen(js_name = candidateInits, unchecked_return_type = "SdpCandidateInit[]")]
    #[must_use]
    pub fn candidate_inits(&self) -> Array {
        self.inner
            .candidate_inits()
            .iter()
            .map(|c| {
                let o = Object::new();
                set(&o, &"candidate".into(), &c.candidate.as_str().into());
                set(&o, &"sdpMid".into(), &opt_str(c.sdp_mid.as_deref()));
                let idx = c.sdp_m_line_index.map_or(JsValue::NULL, JsValue::from);
                set(&o, &"sdpMLineIndex".into(), &idx);
                set(
                    &o,
                    &"usernameFragment".into(),
                    &opt_str(c.username_fragment.as_deref()),
                );
                JsValue::from(o)
            })
            .collect()
    }

    /// Adds a trickled candidate (an `RTCIceCandidateInit` or an
    /// `RTCIceCandidate`) to the section it names by `sdpMid`, else
    /// `sdpMLineIndex`. An empty candidate adds `a=end-of-candidates`.
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`, or `SDP_SYNTAX` when the candidate does not parse.
    #[wasm_bindgen(js_name = addCandidate)]
    pub fn add_candidate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SdpCandidateInit")] init: &JsValue,
    ) -> Result<(), JsValue> {
        let init = candidate_init(init)?;
        self.inner.add_candidate(&init).map_err(|e| to_js(&e))
    }

    /// Appends `a=<value>` to the session section.
    ///
    /// # Errors
    /// `SDP_INVALID_INPUT` when `value` holds a line break.
    #[wasm_bindgen(js_name = addSessionAttribute)]
    pub fn add_session_attribute(&mut self, value: &str) -> Result<(), JsValue> {
        self.inner
            .push_session_attribute(value)
            .map_err(|e| to_js(&e))
    }

    /// Removes payload type `pt` from media section `media` with its
    /// rtpmap/fmtp/rtcp-fb lines and the formats that name it in `apt=`.
    /// Returns the payload types removed.
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`, `SDP_NO_SUCH_PAYLOAD_TYPE`.
    #[wasm_bindgen(js_name = removeCodec)]
    pub fn remove_codec(&mut self, media: usize, pt: u8) -> Result<Vec<u8>, JsValue> {
        self.edit(media, |m| m.remove_codec(pt))
    }

    /// Reorders the payload types of media section `media` (those listed
    /// first, in this order; the rest keep their order after them).
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`, `SDP_NO_SUCH_PAYLOAD_TYPE`.
    #[wasm_bindgen(js_name = reorderPayloadTypes)]
    pub fn reorder_payload_types(&mut self, media: usize, order: &[u8]) -> Result<(), JsValue> {
        self.edit(media, |m| m.reorder_payload_types(order))
    }

    /// Sets `b=<bwtype>:<value>` (for example `AS` or `TIAS`) on media section `media`.
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`, `SDP_INVALID_INPUT`.
    #[wasm_bindgen(js_name = setBandwidth)]
    pub fn set_bandwidth(&mut self, media: usize, bwtype: &str, value: f64) -> Result<(), JsValue> {
        let value = js_u64(value, "value")?;
        self.edit(media, |m| m.set_bandwidth(bwtype, value))
    }

    /// Removes the `b=<bwtype>` lines of media section `media`; returns how many.
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`.
    #[wasm_bindgen(js_name = removeBandwidth)]
    pub fn remove_bandwidth(&mut self, media: usize, bwtype: &str) -> Result<usize, JsValue> {
        self.edit(media, |m| Ok(m.remove_bandwidth(bwtype)))
    }

    /// Appends `a=<value>` to media section `media`.
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`, `SDP_INVALID_INPUT`.
    #[wasm_bindgen(js_name = addAttribute)]
    pub fn add_attribute(&mut self, media: usize, value: &str) -> Result<(), JsValue> {
        self.edit(media, |m| m.push_attribute(value))
    }

    /// Removes every `a=<name>` line of media section `media`; returns how many.
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`.
    #[wasm_bindgen(js_name = removeAttributes)]
    pub fn remove_attributes(&mut self, media: usize, name: &str) -> Result<usize, JsValue> {
        self.edit(media, |m| Ok(m.remove_attributes(name)))
    }

    /// Sets the direction of media section `media`.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for an unknown direction, `SDP_NO_SUCH_MEDIA`.
    #[wasm_bindgen(js_name = setDirection)]
    pub fn set_direction(
        &mut self,
        media: usize,
        #[wasm_bindgen(
            unchecked_param_type = r#""sendrecv" | "sendonly" | "recvonly" | "inactive""#
        )]
        direction: &str,
    ) -> Result<(), JsValue> {
        let dir = Direction::from_name(direction)
            .ok_or_else(|| usage_error(&format!("unknown direction \"{direction}\"")))?;
        self.edit(media, |m| m.set_direction(dir))
    }

    /// Sets the port of media section `media` (0 rejects it).
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`; `INVALID_ARGUMENT` for a port that is not an
    /// integer from 0 to 65535.
    #[wasm_bindgen(js_name = setPort)]
    pub fn set_port(&mut self, media: usize, port: f64) -> Result<(), JsValue> {
        let port = u16::try_from(int_arg(port, 0xFFFF, "port")?).unwrap_or(u16::MAX);
        self.edit(media, |m| m.set_port(port))
    }

    /// Adds `a=rid:<rid> <direction>` lines and `a=simulcast:<direction> <rids>`
    /// (RFC 8851, RFC 8853) to media section `media`.
    ///
    /// # Errors
    /// `SDP_NO_SUCH_MEDIA`, `SDP_INVALID_INPUT`.
    #[wasm_bindgen(js_name = addSimulcast)]
    pub fn add_simulcast(
        &mut self,
        media: usize,
        #[wasm_bindgen(unchecked_param_type = r#""send" | "recv""#)] direction: &str,
        rids: Vec<String>,
    ) -> Result<(), JsValue> {
        let rids: Vec<&str> = rids.iter().map(String::as_str).collect();
        self.edit(media, |m| m.add_simulcast(direction, &rids))
    }

    fn edit<T>(
        &mut self,
        media: usize,
        f: impl FnOnce(&mut codec_sdp::MediaMut<'_>) -> Result<T, Error>,
    ) -> Result<T, JsValue> {
        let mut m = self.inner.media_mut(media).map_err(|e| to_js(&e))?;
        f(&mut m).map_err(|e| to_js(&e))
    }
}

/// Parses a description (string or bytes) to a plain object in
/// sdp-transform's shape. Keep an `SdpDescription` instead when you need the
/// byte-exact text or the typed edits.
///
/// # Errors
/// As for `SdpDescription.parse`.
#[wasm_bindgen(js_name = parseSdp, unchecked_return_type = "SdpObject")]
pub fn parse_sdp(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SdpParseOptions")] opts: &JsValue,
) -> Result<JsValue, JsValue> {
    json_value(&SdpDescription::parse(input, opts)?.inner)
}

/// Writes SDP text from an sdp-transform-shaped object.
///
/// # Errors
/// As for `SdpDescription.fromJSON`.
#[wasm_bindgen(js_name = writeSdp)]
pub fn write_sdp(
    #[wasm_bindgen(unchecked_param_type = "SdpObject")] obj: &JsValue,
) -> Result<String, JsValue> {
    Ok(SdpDescription::from_json(obj)?.to_text())
}

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    /// Builds the sdp-transform-shaped object from a tape of `len` bytes at
    /// address `at` of WASM memory; `keys` is [`codec_sdp::json_tape::KEYS`]
    /// as a JS array (see js/objects.js).
    #[wasm_bindgen(catch)]
    fn sdp_object(at: u32, len: u32, keys: &Array) -> Result<JsValue, JsValue>;
    /// The tape of `value` (what `JSON.stringify` would write of it) as a
    /// view of a JS buffer, valid until the next call; `keys` as for
    /// `sdp_object`, `max_depth` is [`codec_sdp::json_tape::MAX_DEPTH`].
    /// Throws what a `toJSON` throws, and for a BigInt or a lone surrogate.
    #[wasm_bindgen(catch)]
    fn sdp_tape(value: &JsValue, keys: &Array, max_depth: u32) -> Result<JsValue, JsValue>;
}

/// How deep [`sdp_tape`] writes (containers deeper are `null`).
const MAX_DEPTH: u32 = codec_sdp::json_tape::MAX_DEPTH as u32;

thread_local! {
    /// The tape's key names as JS strings, made once.
    static KEYS: Array = codec_sdp::json_tape::KEYS
        .iter()
        .map(|k| JsValue::from_str(k))
        .collect();
}

/// The sdp-transform-shaped value as a JS object: codec-sdp writes it as a
/// tape (see [`codec_sdp::json_tape`]) and one call into JS builds the
/// objects from it, reading WASM memory. Measured on a 6 KB offer: about a
/// third of the time `JSON.parse` takes for the same value as JSON text.
fn json_value(sdp: &Sdp) -> Result<JsValue, JsValue> {
    let tape = codec_sdp::json::to_tape(sdp);
    crate::js::bind_batches();
    let len = u32::try_from(tape.len()).map_err(|_| usage_error("description too large"))?;
    // The tape stays alive (and memory cannot grow) until the builder returns.
    KEYS.with(|keys| sdp_object(crate::js::addr(tape.as_ptr()), len, keys))
}

/// Parses one ICE candidate (`candidate:...`, with or without `a=`), as in
/// `RTCIceCandidate.candidate`.
///
/// # Errors
/// `SDP_SYNTAX` with rule `candidate` and the 1-based `column`.
#[wasm_bindgen(js_name = parseCandidate, unchecked_return_type = "SdpCandidate")]
pub fn parse_candidate(candidate: &str) -> Result<JsValue, JsValue> {
    let c = Candidate::parse(candidate).map_err(|e| to_js(&e))?;
    Ok(candidate_obj(&c).into())
}

fn candidate_obj(c: &Candidate<'_>) -> Object {
    let o = Object::new();
    set(&o, &"foundation".into(), &c.foundation.into());
    set(&o, &"component".into(), &c.component.into());
    set(&o, &"transport".into(), &c.transport.into());
    // Priorities are 32-bit in RFC 8839; any u64 up to 2^53 stays exact.
    #[allow(clippy::cast_precision_loss)]
    set(&o, &"priority".into(), &(c.priority as f64).into());
    set(&o, &"ip".into(), &c.address.into());
    set(&o, &"port".into(), &c.port.into());
    set(&o, &"type".into(), &c.typ.into());
    if let Some(v) = c.raddr {
        set(&o, &"raddr".into(), &v.into());
    }
    if let Some(v) = c.rport {
        set(&o, &"rport".into(), &v.into());
    }
    if let Some(v) = c.tcptype() {
        set(&o, &"tcptype".into(), &v.into());
    }
    if let Some(v) = c.generation() {
        set(&o, &"generation".into(), &v.into());
    }
    if let Some(v) = c.ufrag() {
        set(&o, &"ufrag".into(), &v.into());
    }
    if let Some(v) = c.network_id() {
        set(&o, &"network-id".into(), &v.into());
    }
    if let Some(v) = c.network_cost() {
        set(&o, &"network-cost".into(), &v.into());
    }
    let kind = match c.address_kind() {
        codec_sdp::AddressKind::Ipv4 => "ipv4",
        codec_sdp::AddressKind::Ipv6 => "ipv6",
        codec_sdp::AddressKind::Mdns => "mdns",
        _ => "fqdn",
    };
    set(&o, &"addressKind".into(), &kind.into());
    let ext: Array = c
        .extension_pairs()
        .map(|(k, v)| JsValue::from(Array::of2(&k.into(), &v.into())))
        .collect();
    set(&o, &"extensions".into(), &ext);
    o
}

fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from_str)
}

/// A string or a `Uint8Array`, as bytes.
fn input_bytes(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = string_bytes(input) {
        return Ok(s);
    }
    input
        .dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| usage_error("input must be a string or a Uint8Array"))
}

fn parse_options(value: &JsValue) -> Result<ParseOptions, JsValue> {
    let mut opts = ParseOptions::default();
    let Some(o) = options(value)? else {
        return Ok(opts);
    };
    if opt_bool(&o, "strict")? == Some(true) {
        opts = opts.mode(Mode::Strict);
    }
    let mut limits = Limits::default();
    if let Some(n) = opt_usize(&o, "maxSize")? {
        limits = limits.max_size(n);
    }
    if let Some(n) = opt_usize(&o, "maxLineLen")? {
        limits = limits.max_line_len(n);
    }
    if let Some(n) = opt_usize(&o, "maxLines")? {
        limits = limits.max_lines(n);
    }
    if let Some(n) = opt_usize(&o, "maxWarnings")? {
        limits = limits.max_warnings(n);
    }
    Ok(opts.limits(limits))
}

/// Reads an `RTCIceCandidateInit`-shaped object (an `RTCIceCandidate` works too).
fn candidate_init(value: &JsValue) -> Result<CandidateInit, JsValue> {
    let Some(o) = options(value)? else {
        return Err(usage_error("candidate init must be an object"));
    };
    let get = |name: &str| Reflect::get(&o, &name.into());
    let text = |v: JsValue, name: &str| -> Result<Option<String>, JsValue> {
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        v.as_string()
            .map(Some)
            .ok_or_else(|| usage_error(&format!("{name} must be a string")))
    };
    let idx = get("sdpMLineIndex")?;
    let sdp_m_line_index = if idx.is_undefined() || idx.is_null() {
        None
    } else {
        let n = idx
            .as_f64()
            .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u16::MAX))
            .ok_or_else(|| usage_error("sdpMLineIndex must be an integer 0-65535"))?;
        // Exact: checked to be an integer in u16 range above.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(n as u16)
    };
    let init = CandidateInit {
        candidate: text(get("candidate")?, "candidate")?.unwrap_or_default(),
        sdp_mid: text(get("sdpMid")?, "sdpMid")?,
        sdp_m_line_index,
        username_fragment: text(get("usernameFragment")?, "usernameFragment")?,
    };
    Ok(init)
}

fn js_u64(v: f64, name: &str) -> Result<u64, JsValue> {
    if v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_991.0 {
        // Exact: a non-negative integer below 2^53.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(v as u64)
    } else {
        Err(usage_error(&format!(
            "{name} must be a non-negative integer"
        )))
    }
}

fn warning(e: &Error) -> JsValue {
    let o = Object::new();
    let (code, fields) = describe(e);
    set(&o, &"code".into(), &code.into());
    set(&o, &"message".into(), &e.to_string().into());
    set(&o, &"line".into(), &0.into());
    set(&o, &"column".into(), &0.into());
    for (k, v) in fields {
        set(&o, &k.into(), &v);
    }
    o.into()
}

/// The stable code and the position fields of an SDP error.
fn describe(e: &Error) -> (&'static str, Vec<(&'static str, JsValue)>) {
    match *e {
        Error::Syntax {
            line,
            column,
            rule,
            problem,
        } => (
            "SDP_SYNTAX",
            vec![
                ("line", line.into()),
                ("column", column.into()),
                ("rule", rule.as_str().into()),
                ("problem", problem.as_str().into()),
            ],
        ),
        Error::TooLarge { len, max } => (
            "SDP_TOO_LARGE",
            vec![
                ("len", num_usize(len).into()),
                ("max", num_usize(max).into()),
            ],
        ),
        Error::LineTooLong { line, len, max } => (
            "SDP_LINE_TOO_LONG",
            vec![
                ("line", line.into()),
                ("column", 1.into()),
                ("len", num_usize(len).into()),
                ("max", num_usize(max).into()),
            ],
        ),
        Error::TooManyLines { max } => ("SDP_TOO_MANY_LINES", vec![("max", num_usize(max).into())]),
        Error::NoSuchMedia { index } => (
            "SDP_NO_SUCH_MEDIA",
            // usize::MAX means "named by a mid that is not there".
            vec![(
                "index",
                if index == usize::MAX {
                    JsValue::NULL
                } else {
                    num_usize(index).into()
                },
            )],
        ),
        Error::NoSuchPayloadType { pt } => ("SDP_NO_SUCH_PAYLOAD_TYPE", vec![("pt", pt.into())]),
        Error::InvalidInput { rule } => ("SDP_INVALID_INPUT", vec![("rule", rule.as_str().into())]),
        Error::Json { line, column } => (
            "SDP_JSON",
            vec![("line", line.into()), ("column", column.into())],
        ),
        Error::JsonTape { offset } => ("SDP_JSON", vec![("offset", num_usize(offset).into())]),
        Error::JsonLineBreak { line } => ("SDP_JSON_LINE_BREAK", vec![("line", line.into())]),
        _ => ("SDP_ERROR", Vec::new()),
    }
}

/// The JS error for a core SDP error.
fn to_js(e: &Error) -> JsValue {
    let (code, fields) = describe(e);
    codec_error(code, &e.to_string(), &fields)
}
