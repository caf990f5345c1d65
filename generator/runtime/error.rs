//! The one error type every call returns. Users match on it, so each variant carries what is
//! needed to act (status, the envelope's `errors[]`, the failing field path, the parameter rule),
//! and no variant ever holds a credential, so printing an error can never leak one.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode, header::HeaderMap};

/// How many bytes of a response body errors keep. Enough to recognise an HTML error page or a
/// proxy message, small enough that a huge body does not bloat every log line.
pub(crate) const SNIPPET_BYTES: usize = 512;

/// Everything that can go wrong when calling the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-2xx status, or with `"success": false`.
    ///
    /// Boxed so that every `Result<_, Error>` stays small; fields read through the box as usual
    /// (`api.status`).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// An attempt took longer than the per-attempt timeout and no retry was left, or the overall
    /// deadline of the call ran out.
    #[error(
        "request timed out after {} ({attempts} attempt{}); raise ClientBuilder::timeout / \
         ClientBuilder::deadline or Request::timeout / Request::deadline if the server is slow",
        fmt_duration(*.elapsed), plural(*.attempts)
    )]
    Timeout {
        /// Time spent on the whole call, retries included.
        elapsed: Duration,
        /// Attempts made, the first one included.
        attempts: u32,
    },
    /// The server could not be reached (DNS, connect, TLS, connection reset) on every attempt.
    ///
    /// It names the operation by its path template, never by the URL, which holds parameter
    /// values (account and resource ids).
    #[error(
        "could not reach the server for {method} {path_template} ({operation_id}, {attempts} attempt{}): {}; \
         check the base URL and the network",
        plural(*.attempts), error_chain(.source)
    )]
    Connection {
        /// Attempts made, the first one included.
        attempts: u32,
        /// HTTP method of the request.
        method: Method,
        /// The spec's operationId (`Client::request` for a raw request).
        operation_id: &'static str,
        /// Path template of the operation (`/accounts/{account_id}/...`), free of parameter values.
        path_template: &'static str,
        /// The transport error of the last attempt, its URL removed.
        source: reqwest::Error,
    },
    /// A 2xx response whose body does not match the type the spec promises.
    #[error(
        "could not decode the {status} response at `{path}`: {message}; the body starts with: {}",
        display_snippet(.body_snippet)
    )]
    Decode {
        /// HTTP status of the response.
        status: StatusCode,
        /// Where in the body decoding failed, for example `result.status`.
        path: String,
        /// What the decoder expected.
        message: String,
        /// The first bytes of the body (lossy UTF-8).
        body_snippet: String,
    },
    /// A parameter broke a rule of the spec; nothing was sent.
    #[error("invalid parameter {name}: {rule}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The rule it broke, and the offending value (truncated).
        rule: String,
    },
    /// A required parameter was neither given nor configured on the client; nothing was sent.
    #[error("missing parameter {name}: {hint}")]
    MissingParameter {
        /// The parameter's name.
        name: &'static str,
        /// How to supply it.
        hint: String,
    },
    /// No configured credential satisfies the operation's security requirements; nothing was sent.
    #[error("missing credentials: {message}")]
    MissingCredentials {
        /// Which environment variables or builder methods would supply them.
        message: String,
    },
    /// The client or request configuration is unusable (bad base URL, bad header, ...).
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// reqwest failed before anything reached the network (building the request or the client).
    #[error("HTTP client error: {}", error_chain(.0))]
    Http(#[source] reqwest::Error),
}

impl Error {
    /// The HTTP status the server answered with, when there was an answer.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: connection errors, timeouts, and the
    /// statuses the runtime itself retries (408, 409, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } => true,
            Error::Api(api) => is_retryable_status(api.status),
            _ => false,
        }
    }
}

/// Statuses worth another attempt, the set official API SDKs (Stainless-generated) retry: request
/// timeout, conflict (usually a transient lock), rate limiting and server errors.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// A non-2xx response, or a 2xx whose envelope says `"success": false`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// HTTP method of the request.
    pub method: Method,
    /// Path template of the operation (`/accounts/{account_id}/...`), free of parameter values.
    pub path_template: &'static str,
    /// Every entry of the body's `errors[]` (empty when the body is not a JSON envelope).
    pub errors: Vec<ApiMessage>,
    /// Every entry of the body's `messages[]`.
    pub messages: Vec<ApiMessage>,
    /// The API's request-id header (see [`request_id_header`](Self::request_id_header)), which
    /// its support asks for.
    pub request_id: Option<String>,
    /// The name of that header, when the API has one.
    pub request_id_header: Option<&'static str>,
    /// The first 512 bytes of the body (lossy UTF-8), to recognise HTML error pages.
    pub body_snippet: String,
    /// The whole body as received; [`ApiError::body`] decodes it as the type the API
    /// description gives for this status (each operation's docs name it).
    pub body: bytes::Bytes,
    /// Response headers (for example `retry-after` on a 429).
    pub headers: HeaderMap,
    /// Attempts made, the first one included.
    pub attempts: u32,
}

impl ApiError {
    /// The body decoded as `T`, typically the error type an operation's docs name for this
    /// status (`err.body::<types::NotFound>()`); the raw bytes stay in [`ApiError::body`].
    pub fn body<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// Whether any entry of `errors[]` has this code.
    pub fn has_code(&self, code: i64) -> bool {
        self.errors.iter().any(|e| e.code == Some(code))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} from {} {}", self.status, self.method, self.path_template)?;
        if self.errors.is_empty() {
            let snippet = display_snippet(&self.body_snippet);
            if !snippet.is_empty() {
                write!(f, ": {snippet}")?;
            }
        } else {
            f.write_str(": ")?;
            for (i, e) in self.errors.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{e}")?;
            }
        }
        if let (Some(id), Some(header)) = (&self.request_id, self.request_id_header) {
            write!(f, " ({header}: {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl StdError for ApiError {}

/// One entry of an envelope's `errors[]` or `messages[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiMessage {
    /// The API's numeric error code, when present.
    pub code: Option<i64>,
    /// Human-readable message.
    pub message: String,
}

impl ApiMessage {
    /// Builds a message; the runtime's lenient parser is the usual source.
    pub fn new(code: Option<i64>, message: impl Into<String>) -> Self {
        ApiMessage { code, message: message.into() }
    }
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "[{code}] {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The first [`SNIPPET_BYTES`] of a body as text. Cutting at a byte count can split a UTF-8
/// sequence; that partial character is dropped rather than shown as a replacement character.
pub(crate) fn body_snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_BYTES)];
    match std::str::from_utf8(cut) {
        Ok(text) => text.to_owned(),
        // `error_len() == None` means the input ended mid-character: only our cut is at fault.
        Err(e) if e.error_len().is_none() => String::from_utf8_lossy(&cut[..e.valid_up_to()]).into_owned(),
        Err(_) => String::from_utf8_lossy(cut).into_owned(),
    }
}

/// A snippet squeezed onto one line and shortened, so a multi-line HTML page stays readable in
/// an error message. The full snippet stays available in the error's field.
fn display_snippet(snippet: &str) -> String {
    const MAX_CHARS: usize = 200;
    let mut out = String::new();
    for (i, word) in snippet.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    match out.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => {
            out.truncate(at);
            out.push('…');
            out
        }
        None => out,
    }
}

/// An error and its causes on one line: reqwest's own message ("error sending request") says
/// little, the cause ("Connection refused") is what a user acts on.
fn error_chain(error: &reqwest::Error) -> String {
    let mut out = error.to_string();
    let mut source = StdError::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        // hyper and reqwest sometimes repeat the message of the error they wrap.
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

fn fmt_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) { format!("{} ms", d.as_millis()) } else { format!("{:.1} s", d.as_secs_f64()) }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_drops_a_split_character() {
        let mut body = vec![b'a'; SNIPPET_BYTES - 1];
        body.extend_from_slice("é".as_bytes());
        let snippet = body_snippet(&body);
        assert_eq!(snippet.len(), SNIPPET_BYTES - 1);
        assert!(!snippet.contains('\u{FFFD}'));
    }

    #[test]
    fn display_snippet_is_one_short_line() {
        let long = format!("<html>\n  <body>{}</body>", "x".repeat(500));
        let shown = display_snippet(&long);
        assert!(!shown.contains('\n'));
        assert!(shown.chars().count() <= 201);
    }
}
