//! The attempt loop: per-attempt timeout, overall deadline, which failures are retried, how long
//! to wait (server's `retry-after-ms` / `Retry-After`, else exponential backoff with jitter), and
//! one tracing event per attempt. Kept apart from request building so the policy reads in one place.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};
use tracing::Instrument as _;

use super::client::Client;
use super::decode;
use super::error::{Error, is_retryable_status};
use super::policy::Policy;
use super::response::ResponseHead;
use super::wire::Wire;

const RETRY_AFTER_MS: HeaderName = HeaderName::from_static("retry-after-ms");

/// Sends `wire` until it succeeds, fails for good, or runs out of retries or time. Returns the
/// head and body of a 2xx response; every other outcome is an `Error` carrying the attempt count.
pub(crate) async fn execute(client: &Client, wire: Wire, policy: Policy) -> Result<(ResponseHead, Bytes), Error> {
    match attempts_in_span(client, wire, policy, false).await? {
        (head, Received::Bytes(body)) => Ok((head, body)),
        (head, Received::Stream(response)) => {
            let body = response.bytes().await.map_err(|e| Error::Http(strip_query(e)))?;
            Ok((head, body))
        }
    }
}

/// Like [`execute`], but a 2xx response comes back unread, for a decoder that streams its body
/// (server-sent events). Retries cover everything up to the response head.
pub(crate) async fn execute_streaming(
    client: &Client,
    wire: Wire,
    policy: Policy,
) -> Result<(ResponseHead, reqwest::Response), Error> {
    match attempts_in_span(client, wire, policy, true).await? {
        (head, Received::Stream(response)) => Ok((head, response)),
        (_, Received::Bytes(_)) => Err(Error::Config { message: "internal error: a streamed body was read".to_owned() }),
    }
}

/// A response body: read whole, or (a 2xx when streaming) left to the caller.
enum Received {
    Bytes(Bytes),
    Stream(reqwest::Response),
}

async fn attempts_in_span(
    client: &Client,
    wire: Wire,
    policy: Policy,
    streaming: bool,
) -> Result<(ResponseHead, Received), Error> {
    let span = tracing::debug_span!(
        "http_request",
        method = %wire.method,
        path = wire.path_template,
        operation = wire.operation_id,
    );
    attempts(client, wire, policy, streaming).instrument(span).await
}

async fn attempts(client: &Client, mut wire: Wire, policy: Policy, streaming: bool) -> Result<(ResponseHead, Received), Error> {
    let start = Instant::now();
    // `None` means a deadline so large it cannot be represented: no deadline.
    let deadline_at = start.checked_add(policy.deadline);
    // A body that can be sent only once cannot be retried, whatever the policy says.
    let max_retries = if wire.is_replayable() { policy.max_retries } else { 0 };
    let mut attempt: u32 = 0;
    loop {
        let remaining = deadline_at.map_or(Duration::MAX, |at| at.saturating_duration_since(Instant::now()));
        let attempt_timeout = policy.timeout.min(remaining);
        let mut request = wire.request(attempt)?;
        for hook in &client.inner().hooks.before_send {
            hook(&mut request);
        }
        let sent_at = Instant::now();
        let outcome = tokio::time::timeout(attempt_timeout, send(&client.inner().http, request, streaming)).await;
        let attempts = attempt + 1;
        let elapsed_ms = millis(sent_at.elapsed());
        // `reason` is what the retry log line says; it never holds a URL, so parameter values and
        // query credentials stay out of logs.
        let (error, server_delay, reason) = match outcome {
            Ok(Ok((status, headers, body))) => {
                tracing::debug!(attempt, status = status.as_u16(), elapsed_ms, "response");
                for hook in &client.inner().hooks.after_receive {
                    hook(status, &headers);
                }
                let head = ResponseHead {
                    status,
                    headers,
                    method: wire.method.clone(),
                    path_template: wire.path_template,
                    attempts,
                    coerced: Vec::new(),
                    strict: client.inner().strict_decoding,
                    request_id_header: client.inner().api.request_id_header,
                };
                let body = match body {
                    _ if status.is_success() => return Ok((head, body)),
                    Received::Bytes(body) => body,
                    Received::Stream(_) => Bytes::new(),
                };
                let error = Error::Api(Box::new(decode::api_error(&head, &body)));
                if !is_retryable_status(status) {
                    return Err(error);
                }
                let delay = server_delay(&head.headers, policy.max_retry_after);
                (error, delay, format!("HTTP {}", status.as_u16()))
            }
            // Not transport failures: sending the same request again would fail the same way.
            Ok(Err(e)) if e.is_builder() || e.is_redirect() => return Err(Error::Http(strip_query(e))),
            Ok(Err(e)) if e.is_timeout() => {
                // Only a caller-supplied reqwest client has timeouts of its own.
                tracing::debug!(attempt, elapsed_ms, "reqwest timeout");
                (Error::Timeout { elapsed: start.elapsed(), attempts }, None, "timeout".to_owned())
            }
            Ok(Err(e)) => {
                let cause = root_cause(&e);
                tracing::debug!(attempt, elapsed_ms, error = %cause, "transport error");
                // reqwest's message ends in the URL, with every id of the path in it.
                let error = Error::Connection {
                    attempts,
                    method: wire.method.clone(),
                    operation_id: wire.operation_id,
                    path_template: wire.path_template,
                    source: e.without_url(),
                };
                (error, None, cause)
            }
            Err(_) => {
                tracing::debug!(attempt, elapsed_ms, "attempt timed out");
                let timeout = Error::Timeout { elapsed: start.elapsed(), attempts };
                if attempt_timeout < policy.timeout {
                    // The overall deadline, not the per-attempt timeout, cut this attempt short.
                    return Err(timeout);
                }
                (timeout, None, "timeout".to_owned())
            }
        };
        if attempt >= max_retries {
            return Err(error);
        }
        let delay = server_delay.unwrap_or_else(|| backoff(&policy, attempt));
        let wake = Instant::now().checked_add(delay);
        let overruns_deadline = match (deadline_at, wake) {
            (Some(deadline), Some(wake)) => wake >= deadline,
            _ => false,
        };
        if overruns_deadline {
            // Waiting would only end in a timeout; the real failure is more useful.
            return Err(error);
        }
        tracing::info!(attempt, delay_ms = millis(delay), reason = %reason, "retrying");
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// One attempt: send, then read the whole body, so the per-attempt timeout covers a server that
/// stalls mid-body too; a 2xx body is left unread when `streaming`.
async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    streaming: bool,
) -> Result<(StatusCode, HeaderMap, Received), reqwest::Error> {
    let mut response = http.execute(request).await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    if streaming && status.is_success() {
        return Ok((status, headers, Received::Stream(response)));
    }
    let body = response.bytes().await?;
    Ok((status, headers, Received::Bytes(body)))
}

/// The wait the server asked for, when it is sane: `retry-after-ms` (fractional milliseconds)
/// first, then `Retry-After` as seconds or an HTTP date. A negative, unparseable or over-`cap`
/// value yields `None`, so the computed backoff is used instead of stalling or hammering.
fn server_delay(headers: &HeaderMap, cap: Duration) -> Option<Duration> {
    let text = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let seconds = if let Some(ms) = text(&RETRY_AFTER_MS).and_then(|v| v.parse::<f64>().ok()) {
        ms / 1000.0
    } else {
        let value = text(&reqwest::header::RETRY_AFTER)?;
        match value.parse::<f64>() {
            Ok(seconds) => seconds,
            Err(_) => {
                let at = httpdate::parse_http_date(value).ok()?;
                match at.duration_since(SystemTime::now()) {
                    Ok(ahead) => ahead.as_secs_f64(),
                    Err(_) => return None,
                }
            }
        }
    };
    if !(0.0..=cap.as_secs_f64()).contains(&seconds) {
        return None;
    }
    Duration::try_from_secs_f64(seconds).ok()
}

/// `initial * 2^retry`, capped at `max_backoff`, then shortened by up to 25% at random so clients
/// that failed together do not retry together.
fn backoff(policy: &Policy, retry: u32) -> Duration {
    let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
    let base = policy.initial_backoff.saturating_mul(factor).min(policy.max_backoff);
    let jitter = 1.0 - 0.25 * fastrand::f64();
    Duration::try_from_secs_f64(base.as_secs_f64() * jitter).unwrap_or(base)
}

/// reqwest errors print their URL; the query may carry a credential (query-parameter schemes) or
/// user data, so only scheme, host and path are kept.
fn strip_query(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    error
}

/// The innermost cause of a transport error ("Connection refused (os error 111)"): the part a
/// reader acts on, and unlike reqwest's own message it carries no URL.
fn root_cause(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    // reqwest's own message is skipped even when it is all there is, because it ends in the URL.
    let Some(mut cause) = error.source() else { return "transport error".to_owned() };
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}


#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")),
            );
        }
        map
    }

    #[test]
    fn retry_after_forms() {
        let cap = Duration::from_secs(60);
        assert_eq!(server_delay(&headers(&[("retry-after-ms", "250.5")]), cap), Some(Duration::from_micros(250_500)));
        assert_eq!(server_delay(&headers(&[("retry-after", "3")]), cap), Some(Duration::from_secs(3)));
        assert_eq!(
            server_delay(&headers(&[("retry-after-ms", "10"), ("retry-after", "3")]), cap),
            Some(Duration::from_millis(10))
        );
        assert_eq!(server_delay(&headers(&[("retry-after", "-1")]), cap), None);
        assert_eq!(server_delay(&headers(&[("retry-after", "120")]), cap), None);
        assert_eq!(server_delay(&headers(&[("retry-after", "soon")]), cap), None);
        assert_eq!(server_delay(&headers(&[("retry-after", "NaN")]), cap), None);
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let delay = server_delay(&headers(&[("retry-after", &future)]), cap);
        assert!(delay.is_some_and(|d| d > Duration::from_secs(25) && d <= Duration::from_secs(30)), "{delay:?}");
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(30));
        assert_eq!(server_delay(&headers(&[("retry-after", &past)]), cap), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_cap() {
        let policy = Policy::default();
        for (retry, full) in [(0, 500), (1, 1000), (2, 2000), (3, 4000), (4, 8000), (5, 8000), (40, 8000)] {
            let d = backoff(&policy, retry);
            let full = Duration::from_millis(full);
            assert!(d <= full && d >= full.mul_f64(0.75), "retry {retry}: {d:?}");
        }
    }
}
