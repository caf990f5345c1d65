//! Recorded on the wire (wiremock): a form body is `application/x-www-form-urlencoded` with
//! every value percent-encoded (a space is `%20`), nested objects and maps in brackets, the
//! `deepObject` array indexed, the default-style array as repeated keys, `None` left out.

use std::collections::BTreeMap;

use forms_client::types::{CustomerForm, CustomerFormAddress};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn form_body_is_written_as_bracketed_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "cus_1"})))
        .mount(&server)
        .await;
    let client = forms_client::Client::builder().base_url(server.uri()).build().expect("client");
    let form = CustomerForm {
        email: "a b+c@example.com".into(),
        balance: None,
        tag: vec!["x".into(), "y z".into()],
        expand: vec!["sources".into()],
        address: CustomerFormAddress { city: Some("Paris".into()), line1: None },
        metadata: BTreeMap::from([("plan".to_string(), "pro & more".to_string())]),
    };
    let created = client.customers().create(form).await.expect("accepted");
    assert_eq!(created.id, "cus_1");

    let requests = server.received_requests().await.expect("recording is on");
    let request = &requests[0];
    assert_eq!(request.headers["content-type"].to_str().expect("ASCII"), "application/x-www-form-urlencoded");
    let body = String::from_utf8(request.body.clone()).expect("UTF-8 body");
    let mut pairs: Vec<&str> = body.split('&').collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            "address%5Bcity%5D=Paris",
            "email=a%20b%2Bc%40example.com",
            "expand%5B0%5D=sources",
            "metadata%5Bplan%5D=pro%20%26%20more",
            "tag=x",
            "tag=y%20z",
        ],
        "{body}"
    );
}
