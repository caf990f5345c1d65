//! Recorded on the wire (wiremock): a 404 whose spec gives a JSON schema decodes, through
//! `ApiError::body`, into the type the operation's docs name; the raw body is kept, and a body
//! of another shape is a decode error, not a panic.

use errors_client::items::{ItemGetNotFoundError, ItemGetNotFoundErrorCode};
use errors_client::types::Problem;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn an_error_body_decodes_as_its_documented_type() {
    let server = MockServer::start().await;
    let body = r#"{"code":"not_found","message":"no item 7"}"#;
    Mock::given(method("GET"))
        .and(path("/items/7"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = errors_client::Client::builder().base_url(server.uri()).max_retries(0).build().expect("client");
    let Err(errors_client::Error::Api(error)) = client.items().get("7").await else { panic!("a 404 is an API error") };
    assert_eq!(error.status.as_u16(), 404);
    assert_eq!(&error.body[..], body.as_bytes());
    let typed: ItemGetNotFoundError = error.body().expect("the documented 404 body");
    assert_eq!(typed.code, ItemGetNotFoundErrorCode::NotFound);
    assert_eq!(typed.message, "no item 7");
    assert!(error.body::<Problem>().is_err(), "a body of another shape does not decode");
}
