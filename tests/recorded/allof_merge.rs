//! Recorded on the wire (wiremock): a required property of an allOf-merged body (`password`,
//! from the stricter of two `origin` definitions) is typed and sent; an envelope whose `result`
//! the spec lets be absent or null decodes to `None` instead of failing the call.

use merging_client::types::{CreateConfig, OriginWithSecrets};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn merged_body_sends_the_required_password() {
    let server = MockServer::start().await;
    let sent = serde_json::json!({"name": "main-db", "origin": {"host": "db.example.com", "port": 5432, "password": "correct-horse"}});
    let envelope = serde_json::json!({"success": true, "errors": [], "messages": [], "result": {"name": "main-db"}});
    Mock::given(method("POST"))
        .and(path("/configs"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope))
        .expect(1)
        .mount(&server)
        .await;
    let client = merging_client::Client::builder().base_url(server.uri()).build().expect("client");
    let body = CreateConfig {
        name: "main-db".into(),
        origin: OriginWithSecrets { host: "db.example.com".into(), port: 5432, password: "correct-horse".into() },
    };
    let config = client.configs().create(body).await.expect("accepted");
    assert_eq!(config.map(|c| c.name).as_deref(), Some("main-db"));
}

#[tokio::test]
async fn null_or_missing_result_is_none() {
    let server = MockServer::start().await;
    for (id, envelope) in [
        ("a", serde_json::json!({"success": true, "errors": [], "messages": [], "result": null})),
        ("b", serde_json::json!({"success": true, "errors": [], "messages": []})),
    ] {
        Mock::given(method("DELETE"))
            .and(path(format!("/configs/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope))
            .mount(&server)
            .await;
    }
    let client = merging_client::Client::builder().base_url(server.uri()).build().expect("client");
    assert_eq!(client.configs().delete("a").await.expect("null result decodes"), None);
    assert_eq!(client.configs().delete("b").await.expect("absent result decodes"), None);
}
