//! Recorded on the wire (wiremock): server URL templates. The default server with its port
//! variable set reaches the mock under the chosen version; another server and another variable
//! value give that URL; values the spec does not allow and unknown variables are refused.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_server_template_with_variables_reaches_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(["a"])))
        .mount(&server)
        .await;
    let port = server.address().port().to_string();
    let client = servers_client::Client::builder()
        .server_variable("port", port)
        .server_variable("version", "v2")
        .build()
        .expect("client");
    assert_eq!(client.items().list().await.expect("reached /v2/items"), vec!["a".to_string()]);
}

#[test]
fn servers_and_variables_are_chosen_and_checked() {
    let base = |b: servers_client::ClientBuilder| b.build().map(|c| c.base_url().to_owned());
    let builder = servers_client::Client::builder;
    assert_eq!(base(builder()).expect("defaults"), "http://127.0.0.1:8080/v1");
    assert_eq!(base(builder().server(1)).expect("second server"), "https://eu.api.example.com/v1");
    assert_eq!(
        base(builder().server(1).server_variable("region", "us")).expect("region"),
        "https://us.api.example.com/v1"
    );
    let refused = base(builder().server(1).server_variable("region", "mars")).expect_err("not allowed");
    assert!(refused.to_string().contains("allowed: eu, us"), "{refused}");
    let unknown = base(builder().server_variable("zone", "x")).expect_err("no such variable");
    assert!(unknown.to_string().contains("no variable `zone`"), "{unknown}");
    assert!(base(builder().server(5)).is_err(), "there are two servers");
    assert_eq!(base(builder().server(1).base_url("http://localhost:1")).expect("base_url wins"), "http://localhost:1");
}
