//! What generated methods build (`Prepared`, `Body`) and hand to `Request`, and the conversion
//! of a `Prepared` into wire form (URL, headers, replayable body) done once per call, so retries
//! resend the same bytes without rebuilding anything.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use super::client::{Client, header_pair};
use super::error::Error;
use super::{auth, encode, retry};

/// A request as generated code describes it: already validated, path already encoded.
#[doc(hidden)]
#[derive(Debug)]
pub struct Prepared {
    /// HTTP method.
    pub method: Method,
    /// The spec's operationId (for tracing and error messages).
    pub operation_id: &'static str,
    /// The spec's path template, logged instead of the real path so ids stay out of logs.
    pub path_template: &'static str,
    /// The path with parameters percent-encoded by `encode::segment`; begins with `/`.
    pub path: String,
    /// Query parameters, not yet encoded.
    pub query: Vec<(&'static str, String)>,
    /// Header parameters.
    pub headers: Vec<(&'static str, String)>,
    /// Request body.
    pub body: Body,
    /// Alternatives of scheme names, any one of which (all its schemes together) authorises the
    /// call; empty for a public operation.
    pub security: &'static [&'static [&'static str]],
}

impl Prepared {
    /// A copy to send again (one per page); `None` when the body can only be sent once.
    pub fn try_clone(&self) -> Option<Prepared> {
        let body = match &self.body {
            Body::Empty => Body::Empty,
            Body::Json(b) => Body::Json(b.clone()),
            Body::Bytes { data, content_type } => Body::Bytes { data: data.clone(), content_type },
            Body::Text { data, content_type } => Body::Text { data: data.clone(), content_type },
            Body::Multipart(parts) => Body::Multipart(parts.clone()),
            Body::Once(..) => return None,
        };
        Some(Prepared {
            method: self.method.clone(),
            operation_id: self.operation_id,
            path_template: self.path_template,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body,
            security: self.security,
        })
    }

    /// A request with no query, headers or body yet.
    pub fn new(
        method: Method,
        operation_id: &'static str,
        path_template: &'static str,
        path: String,
        security: &'static [&'static [&'static str]],
    ) -> Self {
        Prepared {
            method,
            operation_id,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            security,
        }
    }
}

/// A request body. Every variant but `Once` is kept as bytes, so it can be resent on retry.
#[doc(hidden)]
#[derive(Debug)]
pub enum Body {
    /// No body.
    Empty,
    /// Serialised JSON, sent as `application/json`.
    Json(Bytes),
    /// Raw bytes with their content type.
    Bytes {
        /// The bytes.
        data: Bytes,
        /// Their content type.
        content_type: &'static str,
    },
    /// Text with its content type.
    Text {
        /// The text.
        data: String,
        /// Its content type.
        content_type: &'static str,
    },
    /// `multipart/form-data` parts, encoded once per call.
    Multipart(Vec<Part>),
    /// A body that can be sent only once (a stream) and its content type; never retried.
    Once(reqwest::Body, &'static str),
}

/// One part of a `multipart/form-data` body (file uploads): build them with [`Part::text`],
/// [`Part::json`] and [`Part::file`].
#[derive(Debug, Clone)]
pub struct Part {
    /// Form field name.
    pub name: String,
    /// File name, for file fields.
    pub file_name: Option<String>,
    /// Content type of the part.
    pub content_type: Option<String>,
    /// Part contents.
    pub data: Bytes,
}

impl Part {
    /// A plain form field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        Part { name: name.into(), file_name: None, content_type: None, data: Bytes::from(value.into()) }
    }

    /// A field holding JSON (`application/json`), for structured fields of a form.
    pub fn json<T: serde::Serialize>(name: impl Into<String>, value: &T) -> Result<Self, Error> {
        let data = serde_json::to_vec(value).map_err(|e| Error::InvalidParameter {
            name: "multipart part",
            rule: format!("must serialize to JSON: {e}"),
        })?;
        Ok(Part { name: name.into(), file_name: None, content_type: Some("application/json".to_owned()), data: data.into() })
    }

    /// A file: its contents and file name, typed `application/octet-stream` unless
    /// [`with_content_type`](Self::with_content_type) says otherwise.
    pub fn file(name: impl Into<String>, file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        // Browsers and curl label a file part whose type they do not know as octet-stream; some
        // servers (and Prism's parser) cannot read a file part without a content type at all.
        Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some("application/octet-stream".to_owned()),
            data: data.into(),
        }
    }

    /// Sets the part's content type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
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
    pub coerced: Vec<super::decode::Coercion>,
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
    pub coerced: Vec<super::decode::Coercion>,
    request_id_header: Option<&'static str>,
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

/// One API call, ready to send. Per-call options can still be changed; nothing is sent until it
/// is awaited (or `send` / `send_with_response` is awaited).
#[must_use = "a Request does nothing until it is awaited"]
pub struct Request<'c, T> {
    client: &'c Client,
    prepared: Result<Prepared, Error>,
    decode: Decoder<T>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    headers: Vec<(String, String)>,
}

impl<T> fmt::Debug for Request<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.prepared.as_ref().map(|p| p.operation_id).ok();
        f.debug_struct("Request")
            .field("operation", &operation)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<'c, T> Request<'c, T> {
    /// Called by generated methods. A `prepared` error (invalid parameter, missing parameter) is
    /// returned when the request is sent, and nothing reaches the network.
    #[doc(hidden)]
    pub fn new(client: &'c Client, prepared: Result<Prepared, Error>, decode: Decoder<T>) -> Self {
        Request { client, prepared, decode, timeout: None, deadline: None, max_retries: None, headers: Vec::new() }
    }

    /// Time limit for each attempt of this call, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit for the whole call, retries included, instead of the client's.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Retries for this call, instead of the client's.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Adds a header to this call; it replaces a header of the same name set by the client or
    /// the operation. Its value is never printed.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the request (retrying as configured) and returns the decoded result.
    pub async fn send(self) -> Result<T, Error> {
        self.send_with_response().await.map(|response| response.data)
    }

    /// Like [`send`](Self::send), but also returns the response status, headers (and the request
    /// id among them) and any values lenient decoding converted.
    pub async fn send_with_response(self) -> Result<ApiResponse<T>, Error> {
        let prepared = self.prepared?;
        let inner = self.client.inner();
        let mut policy = inner.policy;
        policy.timeout = self.timeout.unwrap_or(policy.timeout);
        policy.deadline = self.deadline.unwrap_or(policy.deadline);
        policy.max_retries = self.max_retries.unwrap_or(policy.max_retries);
        let wire = Wire::build(self.client, prepared, &self.headers)?;
        let (mut head, body) = retry::execute(self.client, wire, policy).await?;
        let data = (self.decode)(&mut head, body)?;
        Ok(ApiResponse {
            status: head.status,
            headers: head.headers,
            data,
            coerced: head.coerced,
            request_id_header: head.request_id_header,
        })
    }
}

impl<'c, T: Send + 'c> IntoFuture for Request<'c, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A request in wire form, built once per call.
pub(crate) struct Wire {
    pub(crate) method: Method,
    pub(crate) operation_id: &'static str,
    pub(crate) path_template: &'static str,
    url: Url,
    headers: HeaderMap,
    body: WireBody,
}

enum WireBody {
    Empty,
    Replayable(Bytes),
    /// `Some` until the first attempt takes it.
    Once(Option<reqwest::Body>),
}

impl Wire {
    fn build(client: &Client, prepared: Prepared, extra_headers: &[(String, String)]) -> Result<Wire, Error> {
        let inner = client.inner();
        // Parsing resolves `.`/`..` segments, even percent-encoded ones, so a parameter equal to
        // ".." would silently address the parent resource. Refuse instead.
        if !prepared.path.starts_with('/') || prepared.path.split('/').any(encode::is_dot_segment) {
            return Err(Error::InvalidParameter {
                name: prepared.path_template,
                rule: "a path parameter must not be \".\" or \"..\" (it would change the request's path)".to_owned(),
            });
        }
        let mut url = inner.base.clone();
        url.set_path(&format!("{}{}", inner.base_path, prepared.path));

        let mut headers = inner.headers.clone();
        for (name, value) in &prepared.headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Config {
                message: format!("{name:?} is not a valid header name; this is a generator bug"),
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| Error::InvalidParameter {
                name,
                rule: "must be a valid HTTP header value (visible ASCII, no line breaks)".to_owned(),
            })?;
            headers.insert(header, value);
        }
        let (body, content_type) = match prepared.body {
            Body::Empty => (WireBody::Empty, None),
            Body::Json(data) => (WireBody::Replayable(data), Some("application/json".to_owned())),
            Body::Bytes { data, content_type } => (WireBody::Replayable(data), Some(content_type.to_owned())),
            Body::Text { data, content_type } => {
                (WireBody::Replayable(Bytes::from(data)), Some(content_type.to_owned()))
            }
            Body::Multipart(parts) => {
                let (data, content_type) = encode::multipart(&parts);
                (WireBody::Replayable(data), Some(content_type))
            }
            Body::Once(data, content_type) => (WireBody::Once(Some(data)), Some(content_type.to_owned())),
        };
        if let Some(content_type) = content_type {
            let value = HeaderValue::from_str(&content_type).map_err(|_| Error::Config {
                message: format!("invalid content type for {}", prepared.operation_id),
            })?;
            headers.insert(CONTENT_TYPE, value);
        }

        let mut query = prepared.query;
        auth::apply(inner, prepared.operation_id, prepared.security, &mut headers, &mut query)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        for (name, value) in extra_headers {
            let (name, value) = header_pair(name, value)?;
            headers.insert(name, value);
        }
        Ok(Wire {
            method: prepared.method,
            operation_id: prepared.operation_id,
            path_template: prepared.path_template,
            url,
            headers,
            body,
        })
    }

    pub(crate) fn is_replayable(&self) -> bool {
        !matches!(self.body, WireBody::Once(_))
    }

    /// The reqwest request for one attempt; `attempt` goes in `x-retry-count`.
    pub(crate) fn request(&mut self, attempt: u32) -> Result<reqwest::Request, Error> {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        let (name, value) = retry::retry_count_header(attempt);
        request.headers_mut().insert(name, value);
        match &mut self.body {
            // Front ends such as Google's answer 411 to a POST without a length; say it is empty.
            WireBody::Empty => {
                if [Method::POST, Method::PUT, Method::PATCH].contains(&self.method) {
                    request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                }
            }
            WireBody::Replayable(data) => *request.body_mut() = Some(reqwest::Body::from(data.clone())),
            WireBody::Once(body) => match body.take() {
                Some(body) => *request.body_mut() = Some(body),
                None => {
                    return Err(Error::Config { message: "a one-shot body cannot be sent twice".to_owned() });
                }
            },
        }
        Ok(request)
    }
}
