//! Decoders that turn a 2xx body into the operation's result type, and the lenient parser that
//! reads `{success, errors, messages, result}` envelopes. Generated code passes one
//! of these as a plain `fn` pointer so each operation adds no decoding code of its own.

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::error::{ApiError, ApiMessage, Error, body_snippet};
use super::response::{Coercion, ResponseHead};

/// Decodes the whole body as JSON into `T`; a mismatch reports the JSON path that failed.
///
/// Unless the client was built with [`strict_decoding`](super::ClientBuilder::strict_decoding),
/// a value of the wrong JSON type (`"true"` for a boolean, `"5432"` for an integer, `37.6` for
/// a string, `"200"` for a list) is converted when the conversion loses nothing, and the call
/// succeeds; every conversion is recorded in [`ApiResponse::coerced`](super::ApiResponse::coerced)
/// and logged as a warning. Anything else is still an [`Error::Decode`] naming the field.
pub fn json<T: DeserializeOwned>(head: &mut ResponseHead, body: Bytes) -> Result<T, Error> {
    let mut out = None;
    let decoded = json_at(head, &body, &At { prefix: "", body: &body }, &mut |bytes| store(bytes, &mut out));
    stored(head, decoded, out, &body)
}

/// Where the bytes being decoded sit: inside the body (an envelope's `result`), below a path.
struct At<'a> {
    /// The path of the bytes in the body (`result`), empty for the whole body.
    prefix: &'a str,
    body: &'a [u8],
}

/// Decodes some `T` from the bytes it is given and keeps it; on failure, the error with the
/// path of the failure.
type Probe<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), serde_path_to_error::Error<serde_json::Error>>;

// The generic part of decoding is one small function per type (`store`) that decodes bytes with
// one deserializer (path tracking over `serde_json`; null and repaired values are bytes too),
// so each generated type's `Deserialize` is compiled once, and everything else (the envelope,
// error reporting, repair) is compiled once, not once per type.

/// Decodes `T` from `bytes` into `out`, tracking the path of a failure. Characters after the
/// JSON document are an error at the root, as `serde_json::from_slice` says. Written with
/// `match`es, not combinators and closures, since the crate compiles it once per result type.
fn store<T: DeserializeOwned>(bytes: &[u8], out: &mut Option<T>) -> Result<(), serde_path_to_error::Error<serde_json::Error>> {
    let mut track = serde_path_to_error::Track::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let error = match T::deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track)) {
        Ok(value) => match de.end() {
            Ok(()) => {
                *out = Some(value);
                return Ok(());
            }
            Err(error) => error,
        },
        Err(error) => error,
    };
    Err(serde_path_to_error::Error::new(track.path(), error))
}

/// The value a successful decode stored.
fn stored<T>(head: &ResponseHead, decoded: Result<(), Error>, out: Option<T>, body: &[u8]) -> Result<T, Error> {
    match (decoded, out) {
        (Ok(()), Some(value)) => Ok(value),
        (Err(error), _) => Err(error),
        (Ok(()), None) => Err(nothing_decoded(head, body)),
    }
}

/// A decode that reported success without a value (not expected to happen).
fn nothing_decoded(head: &ResponseHead, body: &[u8]) -> Error {
    decode_error(head, "(root)".to_owned(), "no value was decoded".to_owned(), body)
}

/// Decodes `bytes` (at `at` in the body) with `probe`: as they are, as `null` when there are
/// none, or repaired.
fn json_at(head: &mut ResponseHead, bytes: &[u8], at: &At<'_>, probe: Probe<'_>) -> Result<(), Error> {
    let error = match probe(bytes) {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    // No body where the spec gives no schema (`Value`) or an optional result: null.
    if bytes.iter().all(u8::is_ascii_whitespace) && probe(b"null").is_ok() {
        return Ok(());
    }
    let repaired = failed(head, bytes, at, error, &mut *probe)?;
    probe(&repaired).map_err(|e| path_error(head, &e, &repaired, at))
}

/// After a failed decode: the decode error, or (unless decoding is strict) the bytes with
/// mistyped values converted, which decode, and the conversions recorded in `head`.
fn failed(
    head: &mut ResponseHead,
    bytes: &[u8],
    at: &At<'_>,
    error: serde_path_to_error::Error<serde_json::Error>,
    probe: Probe<'_>,
) -> Result<Vec<u8>, Error> {
    let error = path_error(head, &error, bytes, at);
    if head.strict {
        return Err(error);
    }
    let Some((repaired, coerced)) = repair(bytes, probe) else { return Err(error) };
    for c in coerced {
        let c = Coercion { path: joined(at.prefix, &c.path), ..c };
        tracing::warn!(path = %c.path, found = %c.found, into = c.into, "converted a response value the spec types differently");
        head.coerced.push(c);
    }
    Ok(repaired)
}

/// `prefix.path`, or whichever is not empty; `(root)` when both are.
fn joined(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty() || path == "(root)") {
        (true, true) => "(root)".to_owned(),
        (true, false) => path.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// Conversions tried in one body before giving up.
const MAX_COERCIONS: usize = 64;

/// `bytes` after converting mistyped scalars one failing path at a time until `probe` decodes
/// them; `None` when a failure is not a mistyped scalar (or is inside an untagged union, where
/// serde does not say which field failed).
fn repair(bytes: &[u8], probe: Probe<'_>) -> Option<(Vec<u8>, Vec<Coercion>)> {
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    let mut coerced = Vec::new();
    for _ in 0..=MAX_COERCIONS {
        let current = serde_json::to_vec(&value).ok()?;
        let Err(error) = probe(&current) else { return Some((current, coerced)) };
        let path = error.path().to_string();
        let original = locate(&mut value, error.path())?.clone();
        let mut fixed = false;
        for (candidate, into) in candidates(&original) {
            *locate(&mut value, error.path())? = candidate;
            let still = probe(&serde_json::to_vec(&value).ok()?).err().map(|e| e.path().to_string());
            // Fixed when decoding now gets past this path (it succeeds or fails elsewhere).
            if still.as_ref() != Some(&path) {
                let found = original.to_string().chars().take(64).collect();
                coerced.push(Coercion { path: path.trim_start_matches('.').to_owned(), found, into });
                fixed = true;
                break;
            }
        }
        if !fixed {
            return None;
        }
    }
    None
}

/// The value at a decode path, when every step is an object key or a list index.
fn locate<'v>(value: &'v mut Value, path: &serde_path_to_error::Path) -> Option<&'v mut Value> {
    use serde_path_to_error::Segment;
    let mut at = value;
    for segment in path.iter() {
        at = match segment {
            Segment::Map { key } => at.as_object_mut()?.get_mut(key)?,
            Segment::Seq { index } => at.as_array_mut()?.get_mut(*index)?,
            Segment::Enum { .. } | Segment::Unknown => return None,
        };
    }
    Some(at)
}

/// What a mistyped value may have meant, most specific first. Every conversion is lossless: the
/// text of a boolean or number, the value of such a text, JSON written as a string, a timestamp
/// without an offset read as UTC (`2021-03-09T00:58:59.04` for a `date-time`), a value alone
/// where a list is expected, an object or list as its JSON text.
fn candidates(value: &Value) -> Vec<(Value, &'static str)> {
    let mut out = Vec::new();
    match value {
        Value::String(s) => {
            let t = s.trim();
            if let Ok(b) = t.parse::<bool>() {
                out.push((Value::Bool(b), "boolean"));
            }
            if let Ok(n) = t.parse::<serde_json::Number>() {
                out.push((Value::Number(n), "number"));
            }
            if let Ok(parsed @ (Value::Array(_) | Value::Object(_))) = serde_json::from_str::<Value>(t) {
                out.push((parsed, "JSON"));
            }
            if let Some(utc) = naive_timestamp(t) {
                out.push((Value::String(utc), "UTC timestamp"));
            }
        }
        Value::Number(n) => out.push((Value::String(n.to_string()), "string")),
        Value::Bool(b) => out.push((Value::String(b.to_string()), "string")),
        Value::Object(_) | Value::Array(_) => out.push((Value::String(value.to_string()), "string")),
        Value::Null => return out,
    }
    if !value.is_array() {
        out.push((Value::Array(vec![value.clone()]), "list"));
    }
    out
}

/// `2021-03-09T00:58:59.04` (or with a space for the `T`), a timestamp with no offset, as RFC
/// 3339 in UTC: `2021-03-09T00:58:59.04Z`.
fn naive_timestamp(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let shaped = t.is_ascii()
        && b.len() >= 16
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b.iter().all(|c| c.is_ascii_digit() || b"-:.Tt ".contains(c));
    // Only a shaped text is sliced: any other string (`"true"`) is shorter or not ASCII.
    (shaped && !t[11..].contains(['Z', 'z', '+', '-'])).then(|| format!("{}T{}Z", &t[..10], &t[11..]))
}

/// Decodes a `{success, errors, messages, result}` envelope and returns its `result` as `T`.
///
/// `"success": false` is an API error even under a 2xx status. A missing or `null` result is
/// decoded as `T` from `null`, so operations whose result is optional or empty still work.
/// Decode failures inside the result are reported as `result.<path>`. The envelope itself is
/// read once for every operation (its `result` as raw JSON), so only `T` is decoded per type.
pub fn envelope<T: DeserializeOwned>(head: &mut ResponseHead, body: Bytes) -> Result<T, Error> {
    let mut out = None;
    let decoded = envelope_into(head, &body, &mut |bytes| store(bytes, &mut out));
    stored(head, decoded, out, &body)
}

/// [`envelope`], decoding the `result` with `probe`.
fn envelope_into(head: &mut ResponseHead, body: &[u8], probe: Probe<'_>) -> Result<(), Error> {
    match envelope_result(head, body)? {
        Some(result) => json_at(head, result.as_bytes(), &At { prefix: "result", body }, probe),
        None => probe(b"null")
            .map_err(|e| decode_error(head, "result".to_owned(), format!("missing or null result: {e}"), body)),
    }
}

/// The envelope's `result` as JSON text (`None` when missing or `null`), or the API error a
/// `"success": false` envelope is, or the decode error of a body that is no envelope.
fn envelope_result<'b>(head: &ResponseHead, body: &'b [u8]) -> Result<Option<&'b str>, Error> {
    let envelope = match serde_json::from_slice::<RawEnvelope<'_>>(body) {
        Ok(envelope) => envelope,
        Err(plain) => {
            let at = At { prefix: "", body };
            return Err(match serde_path_to_error::deserialize::<_, RawEnvelope<'_>>(&mut serde_json::Deserializer::from_slice(body)) {
                Err(e) => path_error(head, &e, body, &at),
                Ok(_) => decode_error(head, "(root)".to_owned(), plain.to_string(), body),
            });
        }
    };
    if envelope.success == Some(false) {
        let lenient = Lenient { errors: envelope.errors, messages: envelope.messages };
        return Err(Error::Api(Box::new(api_error_from(head, body, Some(lenient)))));
    }
    Ok(envelope.result.map(serde_json::value::RawValue::get))
}

/// An envelope whose `result` is a list, with its `result_info` (for [`Pager`](super::Pager)).
pub fn envelope_page<T: DeserializeOwned>(head: &mut ResponseHead, body: Bytes) -> Result<super::Page<T>, Error> {
    #[derive(Deserialize)]
    struct InfoOnly {
        result_info: Option<super::ResultInfo>,
    }
    // A null or missing `result` on a list is an empty page.
    let items: Vec<T> = envelope::<Option<Vec<T>>>(head, body.clone())?.unwrap_or_default();
    let info = serde_json::from_slice::<InfoOnly>(&body).ok().and_then(|i| i.result_info).unwrap_or_default();
    Ok(super::Page { items, info })
}

/// Decodes the body as UTF-8 text; invalid UTF-8 is a decode error rather than silently lossy.
pub fn text(head: &mut ResponseHead, body: Bytes) -> Result<String, Error> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        let message = format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to());
        decode_error(head, "(root)".to_owned(), message, e.as_bytes())
    })
}

/// Returns the body unchanged.
pub fn bytes(_head: &mut ResponseHead, body: Bytes) -> Result<Bytes, Error> {
    Ok(body)
}

/// Ignores the body (operations without a documented response schema).
pub fn unit(_head: &mut ResponseHead, _body: Bytes) -> Result<(), Error> {
    Ok(())
}

/// The envelope with its `result` still JSON text. Unknown fields (`result_info`, ...) are
/// ignored; `success`, `errors` and `messages` are parsed leniently so an odd entry never turns
/// a successful call into a decode error.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(default, deserialize_with = "lenient_bool")]
    success: Option<bool>,
    #[serde(default, deserialize_with = "lenient_messages")]
    errors: Vec<ApiMessage>,
    #[serde(default, deserialize_with = "lenient_messages")]
    messages: Vec<ApiMessage>,
    #[serde(borrow)]
    result: Option<&'a serde_json::value::RawValue>,
}

/// The envelope without its result, read from error responses whatever their shape.
#[derive(Deserialize)]
struct Lenient {
    #[serde(default, deserialize_with = "lenient_messages")]
    errors: Vec<ApiMessage>,
    #[serde(default, deserialize_with = "lenient_messages")]
    messages: Vec<ApiMessage>,
}

/// Builds the error for a non-2xx response: the envelope's lists when the body is one, empty
/// lists otherwise (an HTML page from a proxy, an empty body), plus a snippet either way.
pub(crate) fn api_error(head: &ResponseHead, body: &[u8]) -> ApiError {
    api_error_from(head, body, serde_json::from_slice::<Lenient>(body).ok())
}

fn api_error_from(head: &ResponseHead, body: &[u8], lenient: Option<Lenient>) -> ApiError {
    let (errors, messages) = lenient.map(|l| (l.errors, l.messages)).unwrap_or_default();
    ApiError {
        status: head.status,
        method: head.method.clone(),
        path_template: head.path_template,
        errors,
        messages,
        request_id: head.request_id().map(str::to_owned),
        request_id_header: head.request_id_header,
        body_snippet: body_snippet(body),
        body: Bytes::copy_from_slice(body),
        headers: head.headers.clone(),
        attempts: head.attempts,
    }
}

fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Value::deserialize(d)?.as_bool())
}

/// Accepts any JSON: an array of `{code, message}` objects (code as number or numeric string),
/// bare strings, or anything else (ignored).
fn lenient_messages<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ApiMessage>, D::Error> {
    let Value::Array(items) = Value::deserialize(d)? else {
        return Ok(Vec::new());
    };
    Ok(items.into_iter().filter_map(message_from_value).collect())
}

fn message_from_value(value: Value) -> Option<ApiMessage> {
    match value {
        Value::Object(mut map) => {
            let code = map.get("code").and_then(code_from_value);
            let message = match map.remove("message") {
                Some(Value::String(s)) => s,
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            Some(ApiMessage::new(code, message))
        }
        Value::String(s) => Some(ApiMessage::new(None, s)),
        _ => None,
    }
}

fn code_from_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            // The spec types codes as `number`, so 7002.0 is a valid spelling of 7002.
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn decode_error(head: &ResponseHead, path: String, message: String, body: &[u8]) -> Error {
    Error::Decode { status: head.status, path, message, body_snippet: body_snippet(body) }
}

/// The decode error of `bytes` (at `at` in the body) failing as `error` says.
fn path_error(head: &ResponseHead, error: &serde_path_to_error::Error<serde_json::Error>, bytes: &[u8], at: &At<'_>) -> Error {
    let body = at.body;
    // The bytes as JSON, apart from the type: their syntax error says whether the input ended
    // (an error from inside a struct has crossed the erased deserializer of `de.rs` as text and
    // no longer does), and their value names what was found at the path.
    let root = serde_json::from_slice::<Value>(bytes);
    if let Err(syntax) = &root
        && syntax.is_eof()
    {
        // A cut-off body: the path of the half-read value means nothing (`result.?`).
        let message = format!("the body ends before its JSON does (truncated after {} bytes): {syntax}", body.len());
        return decode_error(head, "(end of body)".to_owned(), message, body);
    }
    let inner = error.inner();
    // serde_path_to_error prints the root as "." and an unknown key as "?"; keep what is known.
    let path = error.path().to_string();
    let path = path.trim_end_matches(".?").trim_end_matches('?').trim_end_matches('.');
    let path = joined(at.prefix, path);
    // The offending value itself, when short: `"yesterday"` for a timestamp names the fault.
    let found = root
        .ok()
        .and_then(|mut root| locate(&mut root, error.path()).map(|v| v.to_string()))
        .filter(|v| v.len() <= 120);
    let message = match found {
        Some(value) => format!("{inner} (found {value})"),
        None => inner.to_string(),
    };
    decode_error(head, path, message, body)
}
