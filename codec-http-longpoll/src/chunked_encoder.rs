//! Chunked transfer coding encoder (RFC 9112 §7.1).

use bytes::{BufMut, BytesMut};

use crate::chunk_ext::valid_ext_input;
use crate::head::encode_fields;
use crate::headers::Headers;
use crate::syntax::is_token;
use crate::Error;

/// One extension to send: a name and an optional value. A value that is a
/// token is sent bare, anything else as a quoted string.
pub type ExtParam<'a> = (&'a str, Option<&'a str>);

/// Writes a chunked body into a caller's `BytesMut`: lowercase hex sizes,
/// optional extensions, trailers at the end. It never writes a zero-size
/// chunk before the last one (that would end the body early), so empty
/// data is skipped.
///
/// ```
/// use bytes::BytesMut;
/// use codec_http_longpoll::{ChunkedEncoder, Headers};
///
/// let mut enc = ChunkedEncoder::new();
/// let mut out = BytesMut::new();
/// enc.encode_chunk(b"hello world!", &mut out)?;
/// enc.encode_chunk(b"", &mut out)?; // skipped
/// enc.finish(&Headers::new().with("X-Count", "1")?, &mut out)?;
/// assert_eq!(&out[..], b"c\r\nhello world!\r\n0\r\nX-Count: 1\r\n\r\n");
/// # Ok::<(), codec_http_longpoll::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ChunkedEncoder {
    finished: bool,
}

impl ChunkedEncoder {
    /// A new encoder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// True after [`finish`](Self::finish).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Write one chunk. Empty `data` writes nothing.
    ///
    /// # Errors
    /// [`Error::AfterEnd`] after `finish`.
    pub fn encode_chunk(&mut self, data: &[u8], dst: &mut BytesMut) -> Result<(), Error> {
        self.encode_chunk_with_ext(data, &[], dst)
    }

    /// Write one chunk with extensions. Empty `data` writes nothing.
    ///
    /// # Errors
    /// [`Error::AfterEnd`] after `finish`; [`Error::InvalidExtensionInput`]
    /// for a name that is not a token or a value with control bytes.
    pub fn encode_chunk_with_ext(
        &mut self,
        data: &[u8],
        ext: &[ExtParam<'_>],
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        if self.finished {
            return Err(Error::AfterEnd);
        }
        if data.is_empty() {
            return Ok(());
        }
        check_ext(ext)?;
        dst.reserve(data.len() + 20);
        write_size_line(data.len() as u64, ext, dst);
        dst.put_slice(data);
        dst.put_slice(b"\r\n");
        Ok(())
    }

    /// Write only the size line of a chunk of `size` bytes (for vectored
    /// writes: the caller sends the data and then CRLF itself).
    ///
    /// # Errors
    /// As [`encode_chunk_with_ext`](Self::encode_chunk_with_ext); a `size`
    /// of 0 is refused with [`Error::InvalidExtensionInput`] since it would
    /// end the body.
    pub fn encode_chunk_header(
        &mut self,
        size: u64,
        ext: &[ExtParam<'_>],
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        if self.finished {
            return Err(Error::AfterEnd);
        }
        if size == 0 {
            return Err(Error::InvalidExtensionInput);
        }
        check_ext(ext)?;
        write_size_line(size, ext, dst);
        Ok(())
    }

    /// Write the last chunk and the trailer section.
    ///
    /// # Errors
    /// [`Error::AfterEnd`] when called twice.
    pub fn finish(&mut self, trailers: &Headers, dst: &mut BytesMut) -> Result<(), Error> {
        self.finish_with_ext(&[], trailers, dst)
    }

    /// Write the last chunk (with extensions) and the trailer section.
    ///
    /// # Errors
    /// [`Error::AfterEnd`] when called twice; [`Error::InvalidExtensionInput`].
    pub fn finish_with_ext(
        &mut self,
        ext: &[ExtParam<'_>],
        trailers: &Headers,
        dst: &mut BytesMut,
    ) -> Result<(), Error> {
        if self.finished {
            return Err(Error::AfterEnd);
        }
        check_ext(ext)?;
        self.finished = true;
        write_size_line(0, ext, dst);
        encode_fields(trailers, dst);
        Ok(())
    }
}

fn check_ext(ext: &[ExtParam<'_>]) -> Result<(), Error> {
    if ext
        .iter()
        .all(|(n, v)| valid_ext_input(n.as_bytes(), v.map(str::as_bytes)))
    {
        Ok(())
    } else {
        Err(Error::InvalidExtensionInput)
    }
}

fn write_size_line(size: u64, ext: &[ExtParam<'_>], dst: &mut BytesMut) {
    const HEXL: &[u8; 16] = b"0123456789abcdef";
    let mut tmp = [0u8; 16];
    let mut i = tmp.len();
    let mut n = size;
    loop {
        i -= 1;
        tmp[i] = HEXL[(n & 0xF) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    dst.put_slice(&tmp[i..]);
    for (name, value) in ext {
        dst.put_u8(b';');
        dst.put_slice(name.as_bytes());
        if let Some(v) = value {
            dst.put_u8(b'=');
            if is_token(v.as_bytes()) {
                dst.put_slice(v.as_bytes());
            } else {
                dst.put_u8(b'"');
                for &b in v.as_bytes() {
                    if b == b'"' || b == b'\\' {
                        dst.put_u8(b'\\');
                    }
                    dst.put_u8(b);
                }
                dst.put_u8(b'"');
            }
        }
    }
    dst.put_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_hex_and_ext_quoting() {
        let mut enc = ChunkedEncoder::new();
        let mut out = BytesMut::new();
        enc.encode_chunk_with_ext(
            &[b'x'; 255],
            &[("a", None), ("b", Some("tok")), ("c", Some("x \"y\""))],
            &mut out,
        )
        .unwrap();
        assert!(out.starts_with(b"ff;a;b=tok;c=\"x \\\"y\\\"\"\r\nxxx"));
        assert!(out.ends_with(b"x\r\n"));
        assert_eq!(
            enc.encode_chunk_with_ext(b"z", &[("a b", None)], &mut out),
            Err(Error::InvalidExtensionInput)
        );
        assert_eq!(
            enc.encode_chunk_with_ext(b"z", &[("a", Some("x\r\n"))], &mut out),
            Err(Error::InvalidExtensionInput)
        );
        assert_eq!(
            enc.encode_chunk_header(0, &[], &mut out),
            Err(Error::InvalidExtensionInput)
        );
        enc.finish(&Headers::new(), &mut out).unwrap();
        assert!(out.ends_with(b"0\r\n\r\n"));
        assert_eq!(enc.encode_chunk(b"late", &mut out), Err(Error::AfterEnd));
        assert_eq!(enc.finish(&Headers::new(), &mut out), Err(Error::AfterEnd));
    }

    #[test]
    fn size_line_is_minimal_hex() {
        let mut out = BytesMut::new();
        write_size_line(u64::MAX, &[], &mut out);
        assert_eq!(&out[..], b"ffffffffffffffff\r\n");
        out.clear();
        write_size_line(0x1a0, &[], &mut out);
        assert_eq!(&out[..], b"1a0\r\n");
    }
}
