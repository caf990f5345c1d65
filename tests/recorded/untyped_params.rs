//! Recorded on the wire (wiremock): parameters whose schema has no `type` go out as plain text in
//! the path, the query and headers, never JSON-quoted; arrays of them are exploded.

use untyped_client::accounts::items::ItemGetParams;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn untyped_parameters_are_sent_as_plain_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/accounts/023e105f4ecef8ad9ca31a8372d0c353/items/0f3a"))
        .and(query_param("zone_id", "zone-1"))
        .and(query_param("tag", "blue"))
        .and(query_param("page", "2"))
        .and(header("x-trace", "abc123"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id": "0f3a"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = untyped_client::Client::builder().base_url(server.uri()).build().expect("client");
    let params = ItemGetParams {
        zone_id: Some("zone-1".into()),
        tag: Some(vec!["blue".into(), "green".into()]),
        x_trace: Some("abc123".into()),
        page: Some(2.0),
    };
    let item = client
        .accounts()
        .items()
        .get("023e105f4ecef8ad9ca31a8372d0c353", "0f3a")
        // All optional parameters at once, as a struct (the form before setters).
        .params(params)
        .await
        .expect("the request matches");
    assert_eq!(item.id, serde_json::json!("0f3a"));
    let requests = server.received_requests().await.expect("recording is on");
    let url = requests[0].url.to_string();
    assert!(!url.contains("%22") && !url.contains('"'), "quoted value on the wire: {url}");
    assert!(url.ends_with("?zone_id=zone-1&tag=blue&tag=green&page=2"), "{url}");
    for (name, value) in requests[0].headers.iter() {
        assert!(!value.as_bytes().contains(&b'"'), "quoted header {name}: {value:?}");
    }
}
