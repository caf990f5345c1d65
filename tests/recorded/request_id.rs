//! Recorded on the wire (wiremock): the request-id header comes from the spec (`x-request-id`),
//! not from Cloudflare, in `ApiResponse::request_id` and in errors.

use orders_client::Error;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(status: u16, body: &str) -> (MockServer, orders_client::Client) {
    let server = MockServer::start().await;
    let answer = ResponseTemplate::new(status)
        .insert_header("x-request-id", "req-42")
        .insert_header("cf-ray", "not-this-one")
        .set_body_raw(body.to_owned(), "application/json");
    Mock::given(method("GET")).and(path("/orders/ord_1")).respond_with(answer).mount(&server).await;
    let client =
        orders_client::Client::builder().base_url(server.uri()).bearer("t0ken").max_retries(0).build().expect("client");
    (server, client)
}

#[tokio::test]
async fn responses_and_errors_name_the_spec_request_id() {
    let (_server, client) = serve(200, r#"{"id": "ord_1", "paid": "true"}"#).await;
    let response = client.orders().get("ord_1").send_with_response().await.expect("decodes");
    assert_eq!(response.request_id(), Some("req-42"));
    assert_eq!(response.data.paid, Some(true), "a mistyped boolean is converted");
    assert_eq!(response.coerced.len(), 1);

    let (_server, client) = serve(404, r#"{"message": "no such order"}"#).await;
    let Err(Error::Api(error)) = client.orders().get("ord_1").await else { panic!("a 404 is an API error") };
    assert_eq!(error.request_id.as_deref(), Some("req-42"));
    let shown = error.to_string();
    assert!(shown.contains("(x-request-id: req-42)") && !shown.contains("cf-ray"), "{shown}");
}
