#!/usr/bin/env python3
"""Writes the committed seed corpora (fuzz/seeds/<target>/) from small cases written for this repo
from the specs. Run again after changing a case; cargo-fuzz grows its own corpus under corpus/."""
import hashlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))

SSE = [
    b"data: hello\n\n",
    b"event: update\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n",
    b"\xef\xbb\xbfdata: after a BOM\r\r",
    b": a comment\nretry: 2500\nid\nid: 1\x002\ndata\n\n",
    b"data:no space\ndata:  two spaces\n\nevent: x\n",
]
CHUNKED = [
    b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n",
    b"3;name=value;flag\r\nabc\r\n0\r\nExpires: never\r\n\r\n",
    b'a ; q="quoted \\" value"\r\n0123456789\r\n0\r\n\r\n',
    b"1\nA\n0\n\n",
    b"ffffffffffffffff\r\n",
]
MESSAGES = [
    b"GET /poll HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"3\"\r\n\r\n",
    b"POST /publish HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc",
    b"GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
]
RESPONSES = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    b"HTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 200 OK\r\n\r\nclose-delimited body",
]


def masked(opcode_byte, payload, key=b"\x37\xfa\x21\x3d"):
    n = len(payload)
    if n < 126:
        head = bytes([opcode_byte, 0x80 | n])
    elif n < 65536:
        head = bytes([opcode_byte, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([opcode_byte, 0x80 | 127]) + n.to_bytes(8, "big")
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def unmasked(opcode_byte, payload):
    return bytes([opcode_byte, len(payload)]) + payload


# RFC 6455 §5.7 shapes: a masked "Hello", fragments with a ping between, a close with a code.
CLIENT_FRAMES = [
    masked(0x81, b"Hello"),
    masked(0x01, b"Hel") + masked(0x89, b"p") + masked(0x80, b"lo"),
    masked(0x82, bytes(range(256)) * 2),
    masked(0x88, b"\x03\xe8bye"),
    masked(0x81, "κόσμε".encode()),
]
SERVER_FRAMES = [unmasked(0x81, b"Hello"), unmasked(0x8A, b"pong"), unmasked(0x88, b"\x03\xe9")]
HANDSHAKES = [
    b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n",
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
]
SDP = [
    b"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    b"a=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
    b"a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=ice-options:trickle\r\n"
    b"a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n"
    b"a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n",
    b"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63\r\nc=IN IP4 0.0.0.0\r\n"
    b"a=rtcp-mux\r\na=mid:0\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n"
    b"a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\n"
    b"a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=ssrc:1 cname:x\r\n"
    b"a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0 network-id 1\r\n",
    b"v=0\no=- 1 1 IN IP6 ::1\ns=\xe9t\xe9\nt=0 0\nm=video 0 UDP/TLS/RTP/SAVPF 96\na=bundle-only\n",
]
CANDIDATES = [
    b"candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999",
    b"candidate:1 1 tcp 1518280447 2001:db8::1 9 typ host tcptype active generation 0",
    b"candidate:2 1 udp 2113937151 4f1c8a1e-2d5f-4a4f-9c77-0b9c2a1d0e3f.local 51234 typ host",
]


def prefixed(cases, control=b""):
    # The split/role targets read a control prefix: its length first, then the control bytes.
    return [bytes([len(control)]) + control + c for c in cases]


TARGETS = {
    "sse_parse": SSE,
    "sse_split": prefixed(SSE) + prefixed(SSE, b"\x01\x02\x03"),
    "http_chunked": CHUNKED,
    "http_chunked_split": prefixed(CHUNKED) + prefixed(CHUNKED, b"\x00\x05"),
    "http_chunk_size_diff": CHUNKED,
    "http_message": prefixed(MESSAGES, b"\x00") + prefixed(RESPONSES, b"\x01"),
    "ws_frames": prefixed(CLIENT_FRAMES, b"\x00") + prefixed(SERVER_FRAMES, b"\x01"),
    "ws_split": prefixed(CLIENT_FRAMES, b"\x00\x03") + prefixed(SERVER_FRAMES, b"\x01\x01"),
    "ws_handshake": prefixed(HANDSHAKES, bytes(range(16))),
    "sdp_parse": SDP,
    "sdp_roundtrip": SDP,
    "sdp_candidate": CANDIDATES,
    "sse_reemit": SSE,
    "sdp_edit": SDP,
    "sdp_json": SDP,
}

for target, cases in TARGETS.items():
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    for c in cases:
        with open(os.path.join(d, hashlib.sha1(c).hexdigest()[:16]), "wb") as f:
            f.write(c)
print(f"wrote seeds for {len(TARGETS)} targets")
