//! Recorded on the wire (wiremock): a merge-patch body is JSON sent as
//! `application/merge-patch+json`, a vendor `+json` response decodes as JSON, and a `*/*`
//! response comes back as bytes.

use variants_client::users::UserEditBody;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn json_media_types_keep_their_names() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/users/7"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"id":"7","name":"Ada"}"#, "application/vnd.example.user+json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exports/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "application/octet-stream"))
        .mount(&server)
        .await;
    let client = variants_client::Client::builder().base_url(server.uri()).build().expect("client");
    let user = client.users().edit("7", UserEditBody { name: Some("Ada".into()), email: None }).await.expect("patched");
    assert_eq!(user.name.as_deref(), Some("Ada"));
    let export = client.exports().get("1").await.expect("bytes");
    assert_eq!(&export[..], &[0u8, 159, 146, 150]);
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].headers["content-type"].to_str().expect("ASCII"), "application/merge-patch+json");
    assert_eq!(String::from_utf8_lossy(&requests[0].body), r#"{"name":"Ada"}"#);
}
