//! Recorded on the wire (wiremock): a multipart upload carries a boundary in its content type
//! and one part per field set (files with their name and contents, lists as one part per item,
//! objects as JSON); a body-less POST says `Content-Length: 0`.

use uploads_client::runtime::{File, Part};
use uploads_client::scripts::{ScriptUpdateBody, ScriptUpdateBodyKind, ScriptUpdateBodyMetadata};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn multipart_upload_has_a_boundary_and_the_named_parts() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).and(path("/scripts/worker")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = uploads_client::Client::builder().base_url(server.uri()).build().expect("client");
    let body = ScriptUpdateBody {
        script: File::new(&b"export default {}"[..]).with_name("worker.js").with_content_type("application/javascript"),
        metadata: Some(ScriptUpdateBodyMetadata { main_module: Some("worker.js".into()) }),
        modules: Some(vec![File::from(&b"a"[..]), File::from(&b"b"[..]).with_name("b.wasm")]),
        tags: Some(vec!["x".into(), "y".into()]),
        size: Some(17),
        kind: Some(ScriptUpdateBodyKind::Module),
    };
    client.scripts().update("worker", body).await.expect("upload accepted");

    let requests = server.received_requests().await.expect("recording is on");
    let request = &requests[0];
    let content_type = request.headers["content-type"].to_str().expect("ASCII");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("no boundary: {content_type}"));
    let body = String::from_utf8(request.body.clone()).expect("UTF-8 body");
    assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
    assert!(body.trim_end().ends_with(&format!("--{boundary}--")), "{body}");
    let parts: Vec<&str> = body.split(&format!("--{boundary}")).map(str::trim).filter(|p| !p.is_empty() && *p != "--").collect();
    let expected = [
        // `encoding` declares the kind and metadata parts' content types.
        "Content-Disposition: form-data; name=\"kind\"\r\nContent-Type: text/plain\r\n\r\nmodule",
        "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/vnd.worker-metadata+json\r\n\r\n{\"main_module\":\"worker.js\"}",
        "Content-Disposition: form-data; name=\"modules\"; filename=\"modules\"\r\nContent-Type: application/octet-stream\r\n\r\na",
        "Content-Disposition: form-data; name=\"modules\"; filename=\"b.wasm\"\r\nContent-Type: application/octet-stream\r\n\r\nb",
        "Content-Disposition: form-data; name=\"script\"; filename=\"worker.js\"\r\nContent-Type: application/javascript\r\n\r\nexport default {}",
        "Content-Disposition: form-data; name=\"size\"\r\n\r\n17",
        "Content-Disposition: form-data; name=\"tags\"\r\n\r\nx",
        "Content-Disposition: form-data; name=\"tags\"\r\n\r\ny",
    ];
    assert_eq!(parts, expected);
}

#[tokio::test]
async fn unset_optional_fields_send_no_part_and_extra_parts_go_after_the_fields() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = uploads_client::Client::builder().base_url(server.uri()).build().expect("client");
    let body =
        ScriptUpdateBody { script: File::from("x"), metadata: None, modules: None, tags: None, size: None, kind: None };
    let extra = Part::file("lib.js", "lib.js", &b"export const a = 1"[..]);
    client.scripts().update("worker", body).part(extra).await.expect("upload accepted");
    let requests = server.received_requests().await.expect("recording is on");
    let body = String::from_utf8(requests[0].body.clone()).expect("UTF-8 body");
    assert_eq!(body.matches("Content-Disposition").count(), 2, "{body}");
    let script = body.find("name=\"script\"").expect("the script part");
    // A file without a content type of its own gets the one `encoding` declares (the first listed).
    assert!(body.contains("filename=\"script\"\r\nContent-Type: application/javascript+module\r\n"), "{body}");
    let extra = body.find("name=\"lib.js\"; filename=\"lib.js\"").expect("the extra part");
    assert!(script < extra, "{body}");

    // Only a multipart body takes parts: refused before anything is sent.
    let refused = client.blobs().create(None).part(Part::text("a", "b")).await.expect_err("not multipart");
    assert!(matches!(refused, uploads_client::Error::InvalidParameter { name: "part", .. }), "{refused:?}");
    assert_eq!(server.received_requests().await.expect("recording is on").len(), 1);
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
