//! Recorded on the wire (wiremock): a `text/event-stream` body becomes typed events in order,
//! with their `event` and `id`; comments and keep-alives are skipped, multi-line data is joined,
//! and `data: [DONE]` ends the stream.

use std::pin::Pin;

use events_client::runtime::{Event, EventStream};
use events_client::completions::CompletionCreateBody;
use futures_core::Stream;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn next<T: serde::de::DeserializeOwned>(stream: &mut EventStream<T>) -> Option<Result<Event<T>, events_client::Error>> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

#[tokio::test]
async fn server_sent_events_arrive_typed_and_in_order() {
    let server = MockServer::start().await;
    let body = "event: delta\nid: 1\ndata: {\"delta\":\"Hel\",\"index\":0}\n\n: keep-alive\n\ndata: {\"delta\":\"lo\",\ndata: \"index\":1}\n\ndata: [DONE]\n\ndata: {\"delta\":\"after\",\"index\":2}\n\n";
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let client = events_client::Client::builder().base_url(server.uri()).build().expect("client");
    let prompt = CompletionCreateBody { prompt: "hi".into() };
    let mut stream = client.completions().create(prompt).await.expect("the stream starts");
    let first = next(&mut stream).await.expect("a first event").expect("decodes");
    assert_eq!((first.event.as_deref(), first.id.as_deref()), (Some("delta"), Some("1")));
    assert_eq!((first.data.delta.as_str(), first.data.index), ("Hel", 0));
    let second = next(&mut stream).await.expect("a second event").expect("decodes");
    assert_eq!((second.data.delta.as_str(), second.data.index), ("lo", 1));
    assert!(next(&mut stream).await.is_none(), "[DONE] ends the stream");
}
