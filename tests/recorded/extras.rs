//! Recorded on the wire (wiremock): with `extra_fields`, properties the description does not
//! list are kept on what is received and sent with what is sent.

use profiles_client::types::Profile;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn undeclared_properties_are_kept_and_sent() {
    let server = MockServer::start().await;
    let answer = json!({"name": "Ada", "bio": "Mathematician", "pronouns": "she/her", "followers": 1815});
    Mock::given(method("GET"))
        .and(path("/profiles/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .mount(&server)
        .await;
    Mock::given(method("PUT")).and(path("/profiles/p1")).respond_with(ResponseTemplate::new(200).set_body_json(&answer)).mount(&server).await;
    let client = profiles_client::Client::builder().base_url(server.uri()).build().expect("client");

    let profile = client.profiles().get("p1").await.expect("decodes");
    assert_eq!(profile.name, "Ada");
    assert_eq!(profile.additional_properties["pronouns"], json!("she/her"));
    assert_eq!(profile.additional_properties["followers"], json!(1815));

    let mut edited = Profile::new("Ada Lovelace");
    edited.additional_properties.insert("pronouns".into(), json!("she/her"));
    client.profiles().update("p1", edited).await.expect("sent");
    let requests = server.received_requests().await.expect("recording is on");
    let sent: serde_json::Value = serde_json::from_slice(&requests[1].body).expect("JSON");
    assert_eq!(sent, json!({"name": "Ada Lovelace", "pronouns": "she/her"}));
}
