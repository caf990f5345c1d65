//! A `Prepared` request in wire form (URL, headers, replayable body), built once per call so
//! retries resend the same bytes without rebuilding anything; credentials are applied here.

use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use super::client::{Client, header_pair};
use super::error::Error;
use super::prepared::{Body, Prepared};
use super::{auth, encode};

/// Tells the server which attempt this is (0 for the first), as Stainless-generated official SDKs do,
/// so it can tell retries from new requests.
const X_RETRY_COUNT: HeaderName = HeaderName::from_static("x-retry-count");
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

/// Cookie parameters join the `Cookie` header (one header, as RFC 6265 asks), after any cookie
/// credential; values are percent-encoded so `;` or a space cannot start another cookie.
fn add_cookies(headers: &mut HeaderMap, cookies: &[(&'static str, String)]) -> Result<(), Error> {
    let mut line: Vec<String> = headers.get(COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned).into_iter().collect();
    line.extend(cookies.iter().map(|(name, value)| format!("{name}={}", encode::segment(value))));
    let mut value = HeaderValue::from_str(&line.join("; "))
        .map_err(|_| Error::InvalidParameter { name: cookies[0].0, rule: "must fit in a Cookie header".to_owned() })?;
    // It may carry a credential.
    value.set_sensitive(true);
    headers.insert(COOKIE, value);
    Ok(())
}

impl Wire {
    pub(crate) fn build(client: &Client, prepared: Prepared, extra_headers: &[(String, String)]) -> Result<Wire, Error> {
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
        auth::apply(inner.api, &inner.auth, prepared.operation_id, prepared.security, &mut headers, &mut query)?;
        if !query.is_empty() || !prepared.query_pairs.is_empty() {
            let mut pairs = url.query_pairs_mut();
            pairs.extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
            pairs.extend_pairs(prepared.query_pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        if !prepared.cookies.is_empty() {
            add_cookies(&mut headers, &prepared.cookies)?;
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
        let (name, value) = retry_count_header(attempt);
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

/// Builds the header telling the server which attempt this is.
pub(crate) fn retry_count_header(attempt: u32) -> (HeaderName, HeaderValue) {
    // Static values for the usual counts: no allocation on the hot path.
    let value = match attempt {
        0 => HeaderValue::from_static("0"),
        1 => HeaderValue::from_static("1"),
        2 => HeaderValue::from_static("2"),
        n => HeaderValue::from(n),
    };
    (X_RETRY_COUNT, value)
}
