//! What came back: the response head a decoder reads (`ResponseHead`), the decoder's type, and
//! what `send_with_response` returns (`ApiResponse`) with the values lenient decoding converted.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::error::Error;

/// A response value of the wrong JSON type that lenient decoding converted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Coercion {
    /// Where in the body, for example `result.origin.port`.
    pub path: String,
    /// The value as the server sent it (JSON, truncated).
    pub found: String,
    /// What it became: `boolean`, `number`, `string`, `JSON` (a string holding JSON) or `list`.
    pub into: &'static str,
}

/// Turns a 2xx response into the operation's result type.
pub type Decoder<T> = fn(&mut ResponseHead, Bytes) -> Result<T, Error>;

/// Status and headers of a response, with the request facts a decoder needs to build a complete
/// error.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseHead {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Method of the request that got this response.
    pub method: Method,
    /// Path template of the operation.
    pub path_template: &'static str,
    /// Attempts made, this one included.
    pub attempts: u32,
    /// Values the decoder converted to the spec's type (see [`decode::json`](super::decode::json)).
    pub coerced: Vec<Coercion>,
    /// Whether the client refuses mistyped values instead of converting them.
    pub(crate) strict: bool,
    /// The API's request-id header name.
    pub(crate) request_id_header: Option<&'static str>,
}

impl ResponseHead {
    /// The value of the API's request-id header, when the API has one and the server sent it.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers, self.request_id_header)
    }
}

/// A typed result together with the response's status and headers.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The decoded result.
    pub data: T,
    /// Response values of the wrong JSON type that were converted to decode `data` (empty when
    /// the body matched the spec, and always empty under
    /// [`strict_decoding`](super::ClientBuilder::strict_decoding)).
    pub coerced: Vec<Coercion>,
    pub(crate) request_id_header: Option<&'static str>,
}

impl<T> ApiResponse<T> {
    /// The value of the API's request-id header, when the API has one and the server sent it.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers, self.request_id_header)
    }
}

fn request_id<'h>(headers: &'h HeaderMap, name: Option<&str>) -> Option<&'h str> {
    headers.get(name?).and_then(|v| v.to_str().ok())
}
