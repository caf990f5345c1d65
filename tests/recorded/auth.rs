//! Recorded on the wire (wiremock): each auth kind puts its credential where the spec says, an
//! AND requirement sends both, an OR requirement the first alternative the client can satisfy,
//! and nothing else leaks into a request.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn every_auth_kind_is_on_the_wire_where_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = auth_kinds_client::Client::builder()
        .base_url(server.uri())
        .basic("user:pass")
        .bearer("tok")
        .header_key("hk")
        .query_key("qk")
        .cookie_key("ck")
        .oauth("oa")
        .oidc("oi")
        .build()
        .expect("client");
    client.basic().list().await.expect("basic");
    client.bearer().list().await.expect("bearer");
    client.header_key().list().x_auth_email("a@b.c").await.expect("header key");
    client.query_key().list().await.expect("query key");
    client.cookie_key().list().await.expect("cookie key");
    client.oauth().list().await.expect("oauth");
    client.oidc().list().await.expect("oidc");
    client.both().list().await.expect("both");
    client.either().list().await.expect("either");

    let requests = server.received_requests().await.expect("recording is on");
    let by_path = |p: &str| requests.iter().find(|r| r.url.path() == p).unwrap_or_else(|| panic!("no request to {p}"));
    assert_eq!(header(by_path("/basic"), "authorization"), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(header(by_path("/bearer"), "authorization"), Some("Bearer tok"));
    assert_eq!(header(by_path("/header-key"), "x-api-key"), Some("hk"));
    assert_eq!(header(by_path("/header-key"), "x-auth-email"), Some("a@b.c"));
    assert_eq!(by_path("/query-key").url.query(), Some("api_key=qk"));
    assert_eq!(header(by_path("/cookie-key"), "cookie"), Some("session=ck"));
    assert_eq!(header(by_path("/oauth"), "authorization"), Some("Bearer oa"));
    assert_eq!(header(by_path("/oidc"), "authorization"), Some("Bearer oi"));
    let both = by_path("/both");
    assert_eq!((header(both, "x-api-key"), both.url.query()), (Some("hk"), Some("api_key=qk")));
    assert_eq!(header(by_path("/either"), "authorization"), Some("Bearer tok"));
    for r in &requests {
        let only = match r.url.path() {
            "/header-key" | "/both" => "x-api-key",
            "/cookie-key" => "cookie",
            _ => "authorization",
        };
        for name in ["authorization", "x-api-key", "cookie"].into_iter().filter(|n| *n != only) {
            assert!(header(r, name).is_none() || r.url.path() == "/query-key", "{} leaks {name}", r.url.path());
        }
    }
}

#[tokio::test]
async fn an_or_requirement_falls_back_to_the_alternative_the_client_has() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = auth_kinds_client::Client::builder().base_url(server.uri()).basic("u:p").build().expect("client");
    client.either().list().await.expect("basic satisfies the second alternative");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(header(&requests[0], "authorization"), Some("Basic dTpw"));
}
