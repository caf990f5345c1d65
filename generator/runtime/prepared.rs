//! What generated methods build and hand to `Request`: the operation's method and path with
//! parameters already validated and encoded (`Prepared`), and its body (`Body`, `Part`). The
//! bottom layer of the runtime: it knows nothing about sending.

use bytes::Bytes;
use reqwest::Method;

use super::error::Error;

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
    /// Query pairs whose keys are built at run time (`filter[status]=open` for a `deepObject`
    /// parameter, each property of an exploded object), not yet encoded; sent after `query`.
    pub query_pairs: Vec<(String, String)>,
    /// Header parameters.
    pub headers: Vec<(&'static str, String)>,
    /// Cookie parameters, sent in one `Cookie` header with any cookie credential.
    pub cookies: Vec<(&'static str, String)>,
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
            query_pairs: self.query_pairs.clone(),
            cookies: self.cookies.clone(),
            headers: self.headers.clone(),
            body,
            security: self.security,
        })
    }

    /// An operation's request with no query, headers or body yet: each `{name}` of the path
    /// template in turn takes the next of `segments` (already encoded). The template is data,
    /// so generated code holds no format string per operation.
    pub fn operation(
        method: Method,
        operation_id: &'static str,
        path_template: &'static str,
        segments: &[String],
        security: &'static [&'static [&'static str]],
    ) -> Self {
        let mut path = String::with_capacity(path_template.len() + segments.iter().map(String::len).sum::<usize>());
        let mut rest = path_template;
        let mut segments = segments.iter();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            let Some(segment) = segments.next() else { break };
            path.push_str(&rest[..start]);
            path.push_str(segment);
            rest = &rest[start + len + 1..];
        }
        path.push_str(rest);
        Self::new(method, operation_id, path_template, path, security)
    }

    /// Fills the path's `{name}` hole, left by [`encode::hole`](super::encode::hole) for a
    /// parameter the client may default, with its encoded segment.
    #[doc(hidden)]
    pub fn fill(&mut self, name: &str, segment: &str) {
        let hole = hole(name);
        if let Some(start) = self.path.find(&hole) {
            self.path.replace_range(start..start + hole.len(), segment);
        }
    }

    /// This request, for a method whose arguments cannot fail (only the path comes from them).
    pub fn ready(self) -> Result<Self, Error> {
        Ok(self)
    }

    /// This request with `value` serialised as its JSON body (`application/json`): what a
    /// method whose arguments need no other work passes on.
    pub fn with_json<B: serde::Serialize + ?Sized>(mut self, value: &B) -> Result<Self, Error> {
        self.body = Body::json(value)?;
        Ok(self)
    }

    /// This request, or the first of the arguments' failed checks (`validate::*`, in order).
    pub fn checked<const N: usize>(self, checks: [Result<(), Error>; N]) -> Result<Self, Error> {
        checks.into_iter().collect::<Result<(), Error>>()?;
        Ok(self)
    }

    /// [`checked`](Self::checked), then the JSON body: a failed check is reported before a
    /// body that does not serialise.
    pub fn checked_json<B: serde::Serialize + ?Sized, const N: usize>(
        self,
        checks: [Result<(), Error>; N],
        value: &B,
    ) -> Result<Self, Error> {
        self.checked(checks)?.with_json(value)
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
            query_pairs: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
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

impl Body {
    /// `value` serialised as JSON, sent as `application/json`.
    pub fn json<B: serde::Serialize + ?Sized>(value: &B) -> Result<Body, Error> {
        to_json("body", value).map(Body::Json)
    }

    /// `value` serialised as JSON, sent under another JSON media type
    /// (`application/merge-patch+json`, a vendor `+json` type).
    pub fn json_as<B: serde::Serialize + ?Sized>(value: &B, content_type: &'static str) -> Result<Body, Error> {
        Ok(Body::Bytes { data: to_json("body", value)?, content_type })
    }
}

/// `value` as JSON bytes; a value that cannot be serialised is an invalid `name`.
fn to_json<B: serde::Serialize + ?Sized>(name: &'static str, value: &B) -> Result<Bytes, Error> {
    serde_json::to_vec(value).map(Bytes::from).map_err(|e| not_json(name, e))
}

/// Kept out of the generic [`to_json`], so each body type does not compile its own copy.
fn not_json(name: &'static str, e: serde_json::Error) -> Error {
    Error::InvalidParameter { name, rule: format!("must serialize to JSON: {e}") }
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
        let data = to_json("multipart part", value)?;
        Ok(Part { name: name.into(), file_name: None, content_type: Some("application/json".to_owned()), data })
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

    /// A file part for a [`File`]: its own name and content type, else the field's name and
    /// `application/octet-stream`.
    pub fn from_file(name: impl Into<String>, file: File) -> Self {
        let name = name.into();
        let part = Part::file(name.clone(), file.name.unwrap_or(name), file.data);
        match file.content_type {
            Some(content_type) => part.with_content_type(content_type),
            None => part,
        }
    }
}

/// A file (`format: binary` in the API description): its contents, and optionally the file
/// name and content type its multipart part carries. In JSON it is its contents as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct File {
    /// The contents.
    pub data: Bytes,
    /// The file name sent with it (the field's name when `None`).
    pub name: Option<String>,
    /// Its content type (`application/octet-stream` when `None`).
    pub content_type: Option<String>,
}

impl File {
    /// A file with these contents.
    pub fn new(data: impl Into<Bytes>) -> Self {
        File { data: data.into(), name: None, content_type: None }
    }

    /// Sets the file name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the content type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The content type the API description declares for this file's part, unless the file
    /// says its own.
    #[doc(hidden)]
    pub fn or_content_type(mut self, content_type: &str) -> Self {
        if self.content_type.is_none() {
            self.content_type = Some(content_type.to_owned());
        }
        self
    }
}

impl<T: Into<Bytes>> From<T> for File {
    fn from(data: T) -> Self {
        File::new(data)
    }
}

impl serde::Serialize for File {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.data))
    }
}

impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(deserializer).map(File::new)
    }
}

/// The text of the path hole `{name}`, as the spec's template writes it: what
/// [`Prepared::operation`] leaves for [`encode::hole`](super::encode::hole) and [`Prepared::fill`]
/// replaces. No encoded segment contains a brace, so a hole cannot be confused with a value.
pub(crate) fn hole(name: &str) -> String {
    format!("{{{name}}}")
}
