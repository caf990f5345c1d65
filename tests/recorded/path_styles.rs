//! Recorded on the wire (wiremock): path parameters in the styles Prism cannot check, each item
//! percent-encoded so a separator inside a value stays data.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn path_parameters_are_written_in_their_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = paths_client::Client::builder().base_url(server.uri()).build().expect("client");
    let cells = client.cells();
    cells.get(vec!["a".into(), "b,c".into()], 5, vec![1, 2], vec!["x".into(), "y;z".into()], "").await.expect("sent");
    cells.get(vec!["q".into()], 0, vec![7], vec!["x".into()], "hi there").await.expect("sent");
    // An empty label list is the segment `.`, which a URL parser would remove: refused, not sent.
    let refused = cells.get(vec![], 0, vec![7], vec!["x".into()], "").await.expect_err("a dot-segment");
    assert!(matches!(refused, paths_client::Error::InvalidParameter { .. }), "{refused:?}");

    let requests = server.received_requests().await.expect("recording is on");
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/cells/.a,b%2Cc/;id=5/;ids=1,2/x,y%3Bz/;note", "/cells/.q/;id=0/;ids=7/x/;note=hi%20there"]);
}
