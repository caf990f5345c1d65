//! Recorded on the wire (wiremock): each parameter style is written as OpenAPI 3.0 defines it,
//! and the cookie parameter shares one `Cookie` header with the cookie credential.

use styles_client::search::{SearchListFilter, SearchListPage};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn every_style_is_written_as_openapi_defines_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/search")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = styles_client::Client::builder().base_url(server.uri()).session("s1").build().expect("client");
    // Every parameter is required, so each is an argument, in the description's order.
    client
        .search()
        .list(
            vec!["a".into(), "b c".into()],
            vec![1, 2],
            vec!["x".into(), "y".into()],
            vec!["low".into(), "high".into()],
            SearchListFilter { status: "open".into(), owner: None },
            SearchListPage { size: 10 },
            vec!["t1".into(), "t2".into()],
            "dark blue",
        )
        .await
        .expect("accepted");

    let requests = server.received_requests().await.expect("recording is on");
    let request = &requests[0];
    let query: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        query,
        [
            pair("tag", "a"),
            pair("tag", "b c"),
            pair("ids", "1,2"),
            pair("words", "x y"),
            pair("levels", "low|high"),
            pair("filter[status]", "open"),
            pair("size", "10"),
        ],
        "{}",
        request.url
    );
    assert_eq!(request.headers["x-trace"].to_str().expect("ASCII"), "t1,t2");
    assert_eq!(request.headers.get_all("cookie").iter().count(), 1, "one Cookie header");
    assert_eq!(request.headers["cookie"].to_str().expect("ASCII"), "session=s1; theme=dark%20blue");
}

#[tokio::test]
async fn path_parameters_are_written_in_their_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = styles_client::Client::builder().base_url(server.uri()).session("s1").build().expect("client");
    client
        .shapes()
        .get("a box", vec!["a".into(), "b/c".into()], vec![1, 2])
        .await
        .expect("accepted");

    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].url.path(), "/shapes/.a%20box/.a.b%2Fc/;points=1;points=2");
}
