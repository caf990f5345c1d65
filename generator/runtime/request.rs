//! The user-facing request (`Request`): per-call options, then sending through `wire` and
//! `retry` and decoding the answer. It is what every generated method returns.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use percent_encoding::percent_decode_str;

use super::client::Client;
use super::error::Error;
use super::extras::Extras;
use super::prepared::{Part, Prepared};
use super::response::{ApiResponse, Decoder, ResponseHead};
use super::wire::Wire;
use super::{decode, encode, retry};

/// One API call, ready to send. Its optional parameters (`P`, the operation's params struct, or
/// `()`) and per-call options can still be changed; nothing is built or sent until it is awaited
/// (or `send` / `send_with_response` is awaited).
#[must_use = "a Request does nothing until it is awaited"]
pub struct Request<'c, T, P = ()> {
    client: &'c Client,
    params: P,
    /// The request as the operation's arguments make it (or why they cannot).
    prepared: Result<Prepared, Error>,
    apply: Apply<P>,
    decode: Decode<T>,
    options: Options,
}

/// The per-call options of a request, apart from its types so that building a request is
/// mostly non-generic code.
#[derive(Default)]
struct Options {
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    headers: Vec<(String, String)>,
    /// Query pairs, body fields and parts added to the operation; applied when it is sent.
    extras: Extras,
}

/// Puts the optional parameters on the request, once, when it is sent: checks each that is
/// set, fills client defaults into the path, encodes the query, headers and cookies. One
/// function per params struct (its `apply`), not a closure per operation.
pub type Apply<P> = fn(P, &Client, &mut Prepared) -> Result<(), Error>;

/// The request as it goes out: what the method's arguments made, then the optional parameters,
/// then the extras of this call.
fn build<P>(client: &Client, prepared: Result<Prepared, Error>, apply: Apply<P>, params: P, extras: Extras) -> Result<Prepared, Error> {
    let mut prepared = prepared?;
    apply(params, client, &mut prepared)?;
    extras.apply(&mut prepared)?;
    Ok(prepared)
}

/// The [`Apply`] of a request without optional parameters.
#[doc(hidden)]
pub fn no_params<P>(_: P, _: &Client, _: &mut Prepared) -> Result<(), Error> {
    Ok(())
}

/// How the body becomes the result: read whole, or streamed (server-sent events).
enum Decode<T> {
    Body(Decoder<T>),
    Stream(StreamDecoder<T>),
}

/// Turns a 2xx response whose body is still arriving into the operation's result.
pub type StreamDecoder<T> = fn(&ResponseHead, reqwest::Response) -> Result<T, Error>;

impl<T, P: fmt::Debug> fmt::Debug for Request<'_, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("params", &self.params)
            .field("timeout", &self.options.timeout)
            .field("deadline", &self.options.deadline)
            .field("max_retries", &self.options.max_retries)
            .field("headers", &self.options.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("extras", &self.options.extras)
            .finish_non_exhaustive()
    }
}

impl<'c, T> Request<'c, T> {
    /// A request already built (no optional parameters left to set). A `prepared` error
    /// (invalid parameter, missing parameter) is returned when the request is sent, and nothing
    /// reaches the network.
    #[doc(hidden)]
    pub fn new(client: &'c Client, prepared: Result<Prepared, Error>, decode: Decoder<T>) -> Self {
        Self::deferred(client, prepared, no_params, decode)
    }
}

impl<'c, T, P: Default> Request<'c, T, P> {
    /// Called by generated methods: `prepared` is the request as the method's arguments make
    /// it; `apply` adds the optional parameters (none set yet, as the caller leaves them) when
    /// it is sent.
    #[doc(hidden)]
    pub fn deferred(client: &'c Client, prepared: Result<Prepared, Error>, apply: Apply<P>, decode: Decoder<T>) -> Self {
        Self::with(client, P::default(), prepared, apply, Decode::Body(decode))
    }

    /// Called by generated methods whose response is streamed (`text/event-stream`): retries
    /// cover everything up to the response head; the result then reads the body as it arrives.
    #[doc(hidden)]
    pub fn streaming(
        client: &'c Client,
        prepared: Result<Prepared, Error>,
        apply: Apply<P>,
        decode: StreamDecoder<T>,
    ) -> Self {
        Self::with(client, P::default(), prepared, apply, Decode::Stream(decode))
    }
}

impl<'c, T, P> Request<'c, T, P> {
    fn with(
        client: &'c Client,
        params: P,
        prepared: Result<Prepared, Error>,
        apply: Apply<P>,
        decode: Decode<T>,
    ) -> Self {
        Request {
            client,
            params,
            prepared,
            apply,
            decode,
            options: Options::default(),
        }
    }

    /// Replaces every optional parameter at once (`.params(ServerSyncParams { .. })`); the
    /// methods named after each parameter set one.
    pub fn params(mut self, params: P) -> Self {
        self.params = params;
        self
    }

    /// The optional parameters, for the generated setter methods (an API without optional
    /// parameters has none).
    #[allow(dead_code)]
    pub(crate) fn params_mut(&mut self) -> &mut P {
        &mut self.params
    }

    /// The request as it would be sent (parameters checked and encoded, extras applied), with
    /// its client; for the pager, which sends it once per page.
    pub(crate) fn into_prepared(self) -> (&'c Client, Result<Prepared, Error>) {
        (self.client, build(self.client, self.prepared, self.apply, self.params, self.options.extras))
    }

    /// Time limit for each attempt of this call, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Time limit for the whole call, retries included, instead of the client's.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Retries for this call, instead of the client's.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.max_retries = Some(retries);
        self
    }

    /// Adds a header to this call; it replaces a header of the same name set by the client or
    /// the operation. Its value is never printed.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query pair the API description does not name (or replaces the operation's own
    /// parameter of that name). Calling it again with the same name sends every value
    /// (`tag=a&tag=b`). The value is percent-encoded as any query value is.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.extras.query(name.into(), value.into());
        self
    }

    /// Sets this call's body to `value` as JSON (`application/json`), replacing any body the
    /// operation has; meant for [`Client::request`], whose requests start without one. A value
    /// that cannot be serialised makes the call fail with [`Error::InvalidParameter`].
    pub fn json(mut self, value: &impl serde::Serialize) -> Self {
        self.options.extras.json(value);
        self
    }

    /// Sets a top-level field of this call's body, for fields the API description does not
    /// name; it replaces a field of the same name. A JSON object body takes any JSON value; a
    /// form body (`application/x-www-form-urlencoded`) writes it as it writes the body's own
    /// properties (`card[number]=..`). Any other body, or none, makes the call fail with
    /// [`Error::InvalidParameter`] before anything is sent.
    pub fn body_field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.options.extras.field(name.into(), value.into());
        self
    }

    /// Adds a part to this call's `multipart/form-data` body, for parts the API description
    /// cannot name (e.g. one file part per module, each named by its file). Any other body makes
    /// the call fail with [`Error::InvalidParameter`] before anything is sent.
    pub fn part(mut self, part: Part) -> Self {
        self.options.extras.part(part);
        self
    }

    /// Sends the request (retrying as configured) and returns the decoded result.
    pub async fn send(self) -> Result<T, Error> {
        self.send_with_response().await.map(|response| response.data)
    }

    /// Like [`send`](Self::send), but also returns the response status, headers (and the request
    /// id among them) and any values lenient decoding converted.
    pub async fn send_with_response(self) -> Result<ApiResponse<T>, Error> {
        let prepared = build(self.client, self.prepared, self.apply, self.params, self.options.extras)?;
        let inner = self.client.inner();
        let mut policy = inner.policy;
        policy.timeout = self.options.timeout.unwrap_or(policy.timeout);
        policy.deadline = self.options.deadline.unwrap_or(policy.deadline);
        policy.max_retries = self.options.max_retries.unwrap_or(policy.max_retries);
        let wire = Wire::build(self.client, prepared, &self.options.headers)?;
        let (head, data) = match self.decode {
            Decode::Body(decode) => {
                let (mut head, body) = retry::execute(self.client, wire, policy).await?;
                let data = decode(&mut head, body)?;
                (head, data)
            }
            Decode::Stream(decode) => {
                let (head, response) = retry::execute_streaming(self.client, wire, policy).await?;
                let data = decode(&head, response)?;
                (head, data)
            }
        };
        Ok(ApiResponse {
            status: head.status,
            headers: head.headers,
            data,
            coerced: head.coerced,
            request_id_header: head.request_id_header,
        })
    }
}

impl Client {
    /// A request to an endpoint the API description lacks: `path` is relative to the base URL
    /// (`/accounts/abc/new-thing?x=1`; a query in it is sent as query pairs). It goes through
    /// the same credentials, retries, timeouts, hooks and errors as generated operations, and
    /// its 2xx result is the whole body as JSON (`null` when empty), with no envelope unwrapped:
    /// a 2xx saying `"success": false` is returned, not an error. Add a body with
    /// [`Request::json`], more with [`Request::query`] and [`Request::header`].
    ///
    /// Credentials are chosen as for an operation that declares no security of its own: the
    /// first alternative of the description's top-level security whose credentials the client
    /// holds (none when the description has no top-level security; set them with
    /// [`Request::header`] then). A path with a `.` or `..` segment, or a `#`, fails with
    /// [`Error::InvalidParameter`] and nothing is sent.
    pub fn request(&self, method: reqwest::Method, path: &str) -> Request<'_, serde_json::Value> {
        let api = self.inner().api;
        let prepared = raw_path(path).map(|(path, query)| {
            let mut prepared = Prepared::new(method, "Client::request", "{path}", path, api.security);
            prepared.query_pairs = query;
            prepared
        });
        Request::new(self, prepared, decode::json::<serde_json::Value>)
    }
}

/// A raw request's path (with a leading `/`) and its decoded query pairs.
fn raw_path(raw: &str) -> Result<(String, Vec<(String, String)>), Error> {
    let refuse = |rule: &str| Error::InvalidParameter { name: "path", rule: rule.to_owned() };
    if raw.contains('#') {
        return Err(refuse("must not contain a fragment (`#`)"));
    }
    let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
    // The URL parser would resolve these, even percent-encoded, and address another resource.
    if path.split('/').any(encode::is_dot_segment) {
        return Err(refuse("must not contain a \".\" or \"..\" segment"));
    }
    let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    let unescape = |text: &str| percent_decode_str(&text.replace('+', " ")).decode_utf8_lossy().into_owned();
    let pairs = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (unescape(name), unescape(value))
        })
        .collect();
    Ok((path, pairs))
}

impl<'c, T: Send + 'c, P: Send + 'c> IntoFuture for Request<'c, T, P> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

