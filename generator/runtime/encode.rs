//! Wire encodings the runtime writes by hand: path segments, form and multipart bodies and
//! Basic credentials. Path segments are the security-relevant one: a parameter value must never be
//! able to change which resource a request targets.

use std::fmt::Write as _;

use bytes::{BufMut, Bytes, BytesMut};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::prepared::Part;

/// Everything but RFC 3986 "unreserved" characters (`A-Za-z0-9-._~`). Encoding `/`, `?`, `#`
/// and `%` is what stops `a/b?c=d` or `%2e%2e` from adding segments, a query, or double-decoding.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path parameter so it stays exactly one path segment.
///
/// `.` and `..` are encoded as `%2E` and `%2E%2E` because unencoded they are dot-segments.
/// URL parsers (including the one reqwest uses) still resolve encoded dot-segments, so the
/// runtime also refuses to send a request whose path contains one; see `Request::send`.
#[doc(hidden)]
pub fn segment(value: &str) -> String {
    match value {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        // Ids and names are usually plain already; skip the encoder's per-byte formatting then.
        _ if value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')) => {
            value.to_owned()
        }
        _ => utf8_percent_encode(value, SEGMENT).to_string(),
    }
}

/// A path parameter's hole kept for later: the segment of a parameter the client may default
/// is known only when the request is sent ([`Prepared::fill`](super::Prepared::fill)).
#[doc(hidden)]
pub fn hole(name: &str) -> String {
    super::prepared::hole(name)
}

/// How a path parameter is written (OpenAPI `style`, RFC 6570 expansion).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `a,b`.
    Simple,
    /// `.a,b`, exploded `.a.b`.
    Label,
    /// `;id=a,b`, exploded `;id=a;id=b`; an empty value is `;id`.
    Matrix,
}

/// A path parameter's items (one for a scalar), each percent-encoded, in `style`.
#[doc(hidden)]
pub fn styled_segment(style: PathStyle, name: &str, items: &[String], explode: bool) -> String {
    let items: Vec<String> = items.iter().map(|item| segment(item)).collect();
    let name = segment(name);
    match style {
        PathStyle::Simple => items.join(","),
        PathStyle::Label => format!(".{}", items.join(if explode { "." } else { "," })),
        PathStyle::Matrix => {
            let pair = |value: &str| if value.is_empty() { format!(";{name}") } else { format!(";{name}={value}") };
            if explode { items.iter().map(|item| pair(item)).collect() } else { pair(&items.join(",")) }
        }
    }
}

/// Whether a path segment would be resolved as `.` or `..` by a WHATWG URL parser, which
/// also treats the percent-encoded forms (`%2e`, `.%2E`, ...) as dot-segments.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    const DOT_SEGMENTS: [&str; 6] = [".", "%2e", "..", ".%2e", "%2e.", "%2e%2e"];
    DOT_SEGMENTS.iter().any(|dots| segment.eq_ignore_ascii_case(dots))
}

/// The items of an unexploded array parameter as one value, joined by its style's delimiter
/// (`a,b` for `form`, `a|b` for `pipeDelimited`).
pub fn join(items: impl Iterator<Item = String>, delimiter: &str) -> String {
    items.collect::<Vec<_>>().join(delimiter)
}

/// A JSON value as a parameter's text: strings as they are (never quoted), numbers and booleans
/// as written, `null` empty, arrays and objects as JSON.
pub fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// An `application/x-www-form-urlencoded` body from a JSON object. Nested objects are written
/// with brackets (`card[number]=4242`), as Stripe and most form APIs read them; arrays of
/// objects are indexed (`items[0][price]=p`); arrays of plain values repeat the key
/// (`tag=a&tag=b`, OpenAPI's default `form` style) unless their property is listed in
/// `indexed` (`deepObject` style: `expand[0]=a`). `null` is left out.
#[doc(hidden)]
pub fn form(value: &serde_json::Value, indexed: &[&str]) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (key, v) in map {
            form_pairs(key, v, indexed.contains(&key.as_str()), &mut pairs);
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        let _ = write!(out, "{}={}", form_text(k), form_text(v));
    }
    out
}

/// A form body with top-level `fields` added: pairs of the body whose key is a field's name (or
/// starts with `name[`) are dropped, then each field is written as [`form`] writes a property.
pub(crate) fn form_with_fields(body: &[u8], fields: &[(String, serde_json::Value)]) -> String {
    let replaced = |key: &str| {
        fields.iter().any(|(name, _)| {
            key.strip_prefix(name.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
        })
    };
    let text = String::from_utf8_lossy(body);
    let mut out: Vec<String> = text
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !replaced(&percent_encoding::percent_decode_str(key).decode_utf8_lossy())
        })
        .map(str::to_owned)
        .collect();
    let mut pairs = Vec::new();
    for (name, value) in fields {
        form_pairs(name, value, false, &mut pairs);
    }
    out.extend(pairs.iter().map(|(k, v)| format!("{}={}", form_text(k), form_text(v))));
    out.join("&")
}

/// Form keys and values keep only RFC 3986 unreserved characters; a space is `%20`, which
/// every form parser reads (`+` is refused by validators that treat it as reserved).
fn form_text(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

fn form_pairs(key: &str, value: &serde_json::Value, indexed: bool, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                form_pairs(&format!("{key}[{k}]"), v, true, out);
            }
        }
        Value::Array(items) => {
            let nested = items.iter().any(|v| v.is_object() || v.is_array());
            for (i, v) in items.iter().enumerate() {
                let k = if indexed || nested { format!("{key}[{i}]") } else { key.to_owned() };
                form_pairs(&k, v, true, out);
            }
        }
        other => out.push((key.to_owned(), plain(other))),
    }
}

/// A query parameter that is an object, as pairs: `deepObject` style gives `name[key]=value`
/// (nested objects and arrays in more brackets), `form` style with `explode` gives each property
/// as its own `key=value`. `null` is left out.
#[doc(hidden)]
pub fn query_object(name: &str, value: &serde_json::Value, deep: bool) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    match value {
        serde_json::Value::Object(map) if !deep => {
            for (key, v) in map {
                form_pairs(key, v, false, &mut pairs);
            }
        }
        other => form_pairs(name, other, true, &mut pairs),
    }
    pairs
}

/// A `multipart/form-data` body built once per call, so it can be resent unchanged on retry
/// (reqwest's own multipart type is a stream and cannot be replayed).
pub(crate) fn multipart(parts: &[Part]) -> (Bytes, String) {
    let boundary: String = std::iter::repeat_with(fastrand::alphanumeric).take(32).collect();
    let mut out = BytesMut::new();
    for part in parts {
        let mut head =
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", disposition_value(&part.name));
        if let Some(file_name) = &part.file_name {
            let _ = write!(head, "; filename=\"{}\"", disposition_value(file_name));
        }
        head.push_str("\r\n");
        if let Some(content_type) = &part.content_type {
            // A content type is ours or the spec's; strip line breaks so it cannot inject headers.
            let clean: String = content_type.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            let _ = write!(head, "Content-Type: {clean}\r\n");
        }
        head.push_str("\r\n");
        out.put_slice(head.as_bytes());
        out.put_slice(&part.data);
        out.put_slice(b"\r\n");
    }
    out.put_slice(format!("--{boundary}--\r\n").as_bytes());
    (out.freeze(), format!("multipart/form-data; boundary={boundary}"))
}

/// Escapes a field or file name the way browsers do (HTML spec): `"`, CR and LF are
/// percent-encoded so a name cannot close the quoted string or start a new header.
fn disposition_value(value: &str) -> String {
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// Standard base64 with padding, for `Authorization: Basic`. Written here because the generated
/// crate's dependency list is fixed and this is a few lines.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_keeps_one_segment() {
        assert_eq!(segment("../x"), "..%2Fx");
        assert_eq!(segment("a/b?c=d"), "a%2Fb%3Fc%3Dd");
        assert_eq!(segment("%2e%2e"), "%252e%252e");
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(segment("."), "%2E");
        assert_eq!(segment("my-portal_1.x~"), "my-portal_1.x~");
        assert_eq!(segment("é #"), "%C3%A9%20%23");
    }

    #[test]
    fn dot_segments_in_every_spelling() {
        for s in [".", "..", "%2E", "%2e%2E", ".%2e", "%2E."] {
            assert!(is_dot_segment(s), "{s}");
        }
        for s in ["...", "..%2Fx", "%252e%252e", "a."] {
            assert!(!is_dot_segment(s), "{s}");
        }
    }

    #[test]
    fn form_fields_replace_whole_properties() {
        let body = form(&serde_json::json!({"card": {"number": "1"}, "cardholder": "x", "n": 1}), &[]);
        let fields =
            [("card".to_owned(), serde_json::json!({"cvc": "2"})), ("tag".to_owned(), serde_json::json!(["a", "b"]))];
        assert_eq!(form_with_fields(body.as_bytes(), &fields), "cardholder=x&n=1&card%5Bcvc%5D=2&tag=a&tag=b");
        assert_eq!(form_with_fields(b"", &fields[1..]), "tag=a&tag=b");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn multipart_escapes_names() {
        let part = Part {
            name: "a\"b".into(),
            file_name: Some("x\r\ny".into()),
            content_type: Some("text/plain".into()),
            data: Bytes::from_static(b"hi"),
        };
        let (body, content_type) = multipart(&[part]);
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("name=\"a%22b\"; filename=\"x%0D%0Ay\""));
        assert!(text.contains("\r\n\r\nhi\r\n"));
        assert!(content_type.starts_with("multipart/form-data; boundary="));
    }
}
