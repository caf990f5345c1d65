//! Recorded on the wire (wiremock): a multipart upload carries a boundary in its content type
//! and the parts the spec names, with file name and contents; a body-less POST says
//! `Content-Length: 0`.

use uploads_client::runtime::Part;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn multipart_upload_has_a_boundary_and_the_named_parts() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).and(path("/scripts/worker")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = uploads_client::Client::builder().base_url(server.uri()).build().expect("client");
    let parts = vec![
        Part::file("script", "worker.js", bytes::Bytes::from_static(b"export default {}")),
        Part::json("metadata", &serde_json::json!({"main_module": "worker.js"})).expect("JSON part"),
    ];
    client.scripts().update("worker", parts).await.expect("upload accepted");

    let requests = server.received_requests().await.expect("recording is on");
    let request = &requests[0];
    let content_type = request.headers["content-type"].to_str().expect("ASCII");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("no boundary: {content_type}"));
    let body = String::from_utf8(request.body.clone()).expect("UTF-8 body");
    assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
    assert!(body.trim_end().ends_with(&format!("--{boundary}--")), "{body}");
    assert!(
        body.contains("Content-Disposition: form-data; name=\"script\"; filename=\"worker.js\"\r\n"),
        "{body}"
    );
    assert!(body.contains("Content-Type: application/octet-stream\r\n\r\nexport default {}\r\n"), "{body}");
    assert!(body.contains("name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"main_module\":\"worker.js\"}"), "{body}");
}

#[tokio::test]
async fn post_without_a_body_sends_content_length_zero() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/blobs")).respond_with(ResponseTemplate::new(200).set_body_string("ok")).mount(&server).await;
    let client = uploads_client::Client::builder().base_url(server.uri()).build().expect("client");
    let text = client.blobs().create(None).await.expect("accepted");
    assert_eq!(text, "ok");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].headers.get("content-length").map(|v| v.as_bytes()), Some(&b"0"[..]));
}
