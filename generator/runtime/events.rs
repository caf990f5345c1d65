//! `text/event-stream` responses (server-sent events, as LLM APIs stream completions): a
//! [`Stream`] of [`Event`]s whose `data` is decoded as the operation's event type while the
//! body is still arriving. Reconnection (`Last-Event-ID`) is left to the caller: each event's
//! `id` and `retry` are kept for it.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::error::Error;
use super::response::ResponseHead;

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event:` field (the event type), when the server sent one.
    pub event: Option<String>,
    /// The `id:` field, to resume from with a `Last-Event-ID` header.
    pub id: Option<String>,
    /// The `retry:` field: the reconnection delay the server asks for, in milliseconds.
    pub retry: Option<u64>,
    /// The `data:` lines, joined, decoded as the operation's event type.
    pub data: T,
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The events of one response, in order. Ends when the server closes the stream (or sends the
/// `data: [DONE]` marker many streaming APIs end with).
pub struct EventStream<T> {
    body: ByteStream,
    buffer: Vec<u8>,
    ready: VecDeque<Result<Event<T>, Error>>,
    status: reqwest::StatusCode,
    done: bool,
}

// Nothing is pinned structurally (the body stream is boxed), whatever `T` is.
impl<T> Unpin for EventStream<T> {}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("status", &self.status).field("done", &self.done).finish_non_exhaustive()
    }
}

/// The streaming decoder generated methods pass to `Request::streaming`.
#[doc(hidden)]
pub fn stream<T: DeserializeOwned>(head: &ResponseHead, response: reqwest::Response) -> Result<EventStream<T>, Error> {
    Ok(EventStream {
        body: Box::pin(response.bytes_stream()),
        buffer: Vec::new(),
        ready: VecDeque::new(),
        status: head.status,
        done: false,
    })
}

impl<T: DeserializeOwned> EventStream<T> {
    /// Moves every complete event (ended by a blank line) from the buffer to `ready`.
    fn drain_events(&mut self) {
        while let Some((end, len)) = block_end(&self.buffer) {
            let block: Vec<u8> = self.buffer.drain(..end + len).take(end).collect();
            let text = String::from_utf8_lossy(&block);
            match parse_block(&text) {
                Some(raw) if raw.data == "[DONE]" => self.done = true,
                Some(raw) => self.ready.push_back(decode(raw, self.status)),
                None => {}
            }
            if self.done {
                return;
            }
        }
    }
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(event) = this.ready.pop_front() {
                return Poll::Ready(Some(event));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    this.buffer.extend_from_slice(&chunk);
                    this.drain_events();
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::Http(e))));
                }
                Poll::Ready(None) => {
                    // A last event without its blank line still counts.
                    this.buffer.extend_from_slice(b"\n\n");
                    this.drain_events();
                    this.done = true;
                }
            }
        }
    }
}

/// Where the first blank line (`\n\n`, `\r\n\r\n` or `\r\r`) ends: (start, length).
fn block_end(buffer: &[u8]) -> Option<(usize, usize)> {
    (0..buffer.len()).find_map(|i| {
        let rest = &buffer[i..];
        if rest.starts_with(b"\r\n\r\n") {
            Some((i, 4))
        } else if rest.starts_with(b"\n\n") || rest.starts_with(b"\r\r") {
            Some((i, 2))
        } else {
            None
        }
    })
}

/// An event's fields before its data is decoded.
#[derive(Debug, Default, PartialEq)]
struct RawEvent {
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: String,
}

/// One event block as the SSE specification reads it: `field: value` lines, `:` comments,
/// several `data:` lines joined by `\n`; `None` for a block without data (a keep-alive).
fn parse_block(block: &str) -> Option<RawEvent> {
    let mut raw = RawEvent::default();
    let mut data: Vec<&str> = Vec::new();
    for line in block.split(['\n', '\r']).filter(|l| !l.is_empty() && !l.starts_with(':')) {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => data.push(value),
            "event" => raw.event = Some(value.to_owned()),
            "id" => raw.id = Some(value.to_owned()),
            "retry" => raw.retry = value.parse().ok(),
            _ => {}
        }
    }
    if data.is_empty() {
        return None;
    }
    raw.data = data.join("\n");
    Some(raw)
}

/// `data` as JSON of type `T`, or, for text events, as a JSON string.
fn decode<T: DeserializeOwned>(raw: RawEvent, status: reqwest::StatusCode) -> Result<Event<T>, Error> {
    let data = serde_json::from_str::<T>(&raw.data)
        .or_else(|first| T::deserialize(serde_json::Value::String(raw.data.clone())).map_err(|_| first))
        .map_err(|e| Error::Decode {
            status,
            path: "(event data)".to_owned(),
            message: e.to_string(),
            body_snippet: raw.data.chars().take(200).collect(),
        })?;
    Ok(Event { event: raw.event, id: raw.id, retry: raw.retry, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_read_as_the_specification_says() {
        let raw = parse_block(": keep-alive\nevent: delta\nid: 7\nretry: 1500\ndata: {\"a\":\ndata:  1}").unwrap();
        assert_eq!(raw.event.as_deref(), Some("delta"));
        assert_eq!(raw.id.as_deref(), Some("7"));
        assert_eq!(raw.retry, Some(1500));
        assert_eq!(raw.data, "{\"a\":\n 1}");
        assert_eq!(parse_block(": only a comment"), None);
        assert_eq!(block_end(b"data: x\r\n\r\ndata: y"), Some((7, 4)));
        assert_eq!(block_end(b"data: x\n"), None);
    }

    #[test]
    fn data_decodes_as_json_or_as_text() {
        let ok = |data: &str| RawEvent { data: data.into(), ..RawEvent::default() };
        let json: Event<serde_json::Value> = decode(ok("{\"n\":1}"), reqwest::StatusCode::OK).unwrap();
        assert_eq!(json.data["n"], 1);
        let text: Event<String> = decode(ok("hello world"), reqwest::StatusCode::OK).unwrap();
        assert_eq!(text.data, "hello world");
        assert!(decode::<u32>(ok("x"), reqwest::StatusCode::OK).is_err());
    }
}
