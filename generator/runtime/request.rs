//! The user-facing request (`Request`): per-call options, then sending through `wire` and
//! `retry` and decoding the answer. It is what every generated method returns.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use super::client::Client;
use super::error::Error;
use super::extras::Extras;
use super::prepared::{Part, Prepared};
use super::response::{ApiResponse, Decoder, ResponseHead};
use super::retry;
use super::wire::Wire;

/// One API call, ready to send. Per-call options can still be changed; nothing is sent until it
/// is awaited (or `send` / `send_with_response` is awaited).
#[must_use = "a Request does nothing until it is awaited"]
pub struct Request<'c, T> {
    client: &'c Client,
    prepared: Result<Prepared, Error>,
    decode: Decode<T>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    headers: Vec<(String, String)>,
    /// Query pairs, body fields and parts added to the operation; applied when it is sent.
    extras: Extras,
}

/// How the body becomes the result: read whole, or streamed (server-sent events).
enum Decode<T> {
    Body(Decoder<T>),
    Stream(StreamDecoder<T>),
}

/// Turns a 2xx response whose body is still arriving into the operation's result.
pub type StreamDecoder<T> = fn(&ResponseHead, reqwest::Response) -> Result<T, Error>;

impl<T> fmt::Debug for Request<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.prepared.as_ref().map(|p| p.operation_id).ok();
        f.debug_struct("Request")
            .field("operation", &operation)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("extras", &self.extras)
            .finish_non_exhaustive()
    }
}

impl<'c, T> Request<'c, T> {
    /// Called by generated methods. A `prepared` error (invalid parameter, missing parameter) is
    /// returned when the request is sent, and nothing reaches the network.
    #[doc(hidden)]
    pub fn new(client: &'c Client, prepared: Result<Prepared, Error>, decode: Decoder<T>) -> Self {
        Self::with(client, prepared, Decode::Body(decode))
    }

    /// Called by generated methods whose response is streamed (`text/event-stream`): retries
    /// cover everything up to the response head; the result then reads the body as it arrives.
    #[doc(hidden)]
    pub fn streaming(client: &'c Client, prepared: Result<Prepared, Error>, decode: StreamDecoder<T>) -> Self {
        Self::with(client, prepared, Decode::Stream(decode))
    }

    fn with(client: &'c Client, prepared: Result<Prepared, Error>, decode: Decode<T>) -> Self {
        Request {
            client,
            prepared,
            decode,
            timeout: None,
            deadline: None,
            max_retries: None,
            headers: Vec::new(),
            extras: Extras::default(),
        }
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

    /// Adds a query pair the API description does not name (or replaces the operation's own
    /// parameter of that name). Calling it again with the same name sends every value
    /// (`tag=a&tag=b`). The value is percent-encoded as any query value is.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extras.query(name.into(), value.into());
        self
    }

    /// Sets a top-level field of this call's body, for fields the API description does not
    /// name; it replaces a field of the same name. A JSON object body takes any JSON value; a
    /// form body (`application/x-www-form-urlencoded`) writes it as it writes the body's own
    /// properties (`card[number]=..`). Any other body, or none, makes the call fail with
    /// [`Error::InvalidParameter`] before anything is sent.
    pub fn body_field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.extras.field(name.into(), value.into());
        self
    }

    /// Adds a part to this call's `multipart/form-data` body, for parts the API description
    /// cannot name (e.g. one file part per module, each named by its file). Any other body makes
    /// the call fail with [`Error::InvalidParameter`] before anything is sent.
    pub fn part(mut self, part: Part) -> Self {
        self.extras.part(part);
        self
    }

    /// Sends the request (retrying as configured) and returns the decoded result.
    pub async fn send(self) -> Result<T, Error> {
        self.send_with_response().await.map(|response| response.data)
    }

    /// Like [`send`](Self::send), but also returns the response status, headers (and the request
    /// id among them) and any values lenient decoding converted.
    pub async fn send_with_response(self) -> Result<ApiResponse<T>, Error> {
        let mut prepared = self.prepared?;
        self.extras.apply(&mut prepared)?;
        let inner = self.client.inner();
        let mut policy = inner.policy;
        policy.timeout = self.timeout.unwrap_or(policy.timeout);
        policy.deadline = self.deadline.unwrap_or(policy.deadline);
        policy.max_retries = self.max_retries.unwrap_or(policy.max_retries);
        let wire = Wire::build(self.client, prepared, &self.headers)?;
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

impl<'c, T: Send + 'c> IntoFuture for Request<'c, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

