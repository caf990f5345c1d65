//! Recorded on the wire (wiremock): operations whose params structs and response types share one
//! shape (aliases since issue #13) still send their own parameters and decode their own
//! responses; the written-out serde impls read and write the JSON serde's derive did: unknown
//! properties skipped, `null` for an optional value, missing or repeated required properties
//! refused with the field named, unset optional fields left out of a body.

use dedupe_client::types::{TreeA, TreeB};
use dedupe_client::zones::tree::TreeGetParams;
use dedupe_client::zones::{ZoneDeleteParams, ZoneDeleteResponse, ZoneGetResponse};
use dedupe_client::{Client, Error};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().expect("client")
}

#[tokio::test]
async fn shared_params_and_types_send_and_decode_per_operation() {
    let server = MockServer::start().await;
    let zone = serde_json::json!({"id": "z1", "label": null, "meta": {"count": 3}, "unknown": [1, 2]});
    Mock::given(method("DELETE"))
        .and(path("/zones/z1"))
        .and(query_param("verbose", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&zone))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zones/z1/tree"))
        .and(query_param("verbose", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "root", "children": [{"name": "leaf"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let deleted: ZoneDeleteResponse = client.zones().delete("z1").verbose(true).await.expect("decodes");
    let as_get: &ZoneGetResponse = &deleted; // one type, two names
    assert_eq!(as_get.id, "z1");
    assert_eq!(as_get.label, None);
    assert_eq!(as_get.meta.as_ref().and_then(|m| m.count), Some(3));

    let params: TreeGetParams = ZoneDeleteParams { verbose: Some(false) };
    let tree = client.zones().tree().get("z1").params(params).await.expect("decodes");
    assert_eq!(tree.name.as_deref(), Some("root"));
    assert_eq!(tree.children.as_deref().map(<[TreeA]>::len), Some(1));
}

#[tokio::test]
async fn bodies_leave_unset_optional_fields_out() {
    let server = MockServer::start().await;
    let sent = serde_json::json!({"name": "root", "children": [{"name": "leaf", "note": "n"}]});
    Mock::given(method("PUT"))
        .and(path("/zones/z1/forest"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(&sent))
        .expect(1)
        .mount(&server)
        .await;
    let body = TreeB::default().name("root").children(vec![TreeA::default().name("leaf").note("n")]);
    let stored = client(&server).zones().forest("z1", body.clone()).await.expect("accepted");
    assert_eq!(stored, body);
}

#[tokio::test]
async fn missing_or_repeated_required_properties_are_decode_errors() {
    let server = MockServer::start().await;
    let cases = [
        ("missing", r#"{"label": "x"}"#),
        ("twice", r#"{"id": "a", "id": "b"}"#),
        ("mistyped", r#"{"id": "a", "meta": {"count": "many"}}"#),
        ("cut", r#"{"id": "a", "meta": {"count": 3"#),
    ];
    for (id, text) in cases {
        Mock::given(method("GET"))
            .and(path(format!("/zones/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(text, "application/json"))
            .mount(&server)
            .await;
    }
    // Strict: lenient decoding would read the body as a JSON value first, where a repeated
    // property keeps its last value.
    let client = Client::builder().base_url(server.uri()).strict_decoding(true).build().expect("client");
    let strict = |result: Result<ZoneGetResponse, Error>| match result {
        Err(Error::Decode { path, message, .. }) => format!("{path}: {message}"),
        other => panic!("expected a decode error, got {other:?}"),
    };
    let missing = strict(client.zones().get("missing").await);
    assert!(missing.contains("missing field `id`"), "{missing}");
    let twice = strict(client.zones().get("twice").await);
    assert!(twice.contains("duplicate field `id`"), "{twice}");
    let mistyped = strict(client.zones().get("mistyped").await);
    assert!(mistyped.starts_with("meta.count: invalid type"), "{mistyped}");
    // The position is where the fault is, said once, though the error crossed the type-erased
    // reader of each enclosing object as text (serde_json reads its own position back).
    assert!(mistyped.contains("at line 1 column 36") && mistyped.matches(" at line ").count() == 1, "{mistyped}");
    // A body cut off inside a nested object is a truncated body, not a type error.
    let cut = strict(client.zones().get("cut").await);
    assert!(cut.starts_with("(end of body): the body ends before its JSON does"), "{cut}");

    // Three levels down, through lists: the path and the one position of the fault.
    let deep = r#"{"name": "root", "children": [{"name": "a", "children": [{"name": 5}]}]}"#;
    Mock::given(method("GET"))
        .and(path("/zones/deep/tree"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(deep, "application/json"))
        .mount(&server)
        .await;
    let deep = match client.zones().tree().get("deep").await {
        Err(Error::Decode { path, message, .. }) => format!("{path}: {message}"),
        other => panic!("expected a decode error, got {other:?}"),
    };
    assert!(deep.starts_with("children[0].children[0].name: invalid type: integer `5`, expected a string at line 1 column 67"), "{deep}");
    assert_eq!(deep.matches(" at line ").count(), 1, "{deep}");
}
