//! The auto-pager against a local server: it follows `result_info` and always stops.

use cloudflare_api::Client;
use cloudflare_api::runtime::{PageStyle, Pager, Prepared};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).api_token("t").max_retries(0).build().expect("client")
}

fn pager<'c>(client: &'c Client, style: PageStyle) -> Pager<'c, Value> {
    let prepared = Prepared::new(reqwest::Method::GET, "list-items", "/items", "/items".into(), &[]);
    Pager::new(client, Ok(prepared), style)
}

fn page(items: Value, info: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": true, "errors": [], "messages": [], "result": items, "result_info": info}))
}

async fn on(server: &MockServer, param: &str, value: Option<&str>, response: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path("/items"));
    match value {
        Some(v) => mock.and(query_param(param, v)).respond_with(response).expect(1).mount(server).await,
        None => mock.and(query_param_is_missing(param)).respond_with(response).expect(1).mount(server).await,
    }
}

#[tokio::test]
async fn page_numbers_stop_at_total_pages() {
    let server = MockServer::start().await;
    on(&server, "page", None, page(json!([1, 2]), json!({"page": 1, "per_page": 2, "total_pages": 3}))).await;
    on(&server, "page", Some("2"), page(json!([3, 4]), json!({"page": 2, "per_page": 2, "total_pages": 3}))).await;
    on(&server, "page", Some("3"), page(json!([5, 6]), json!({"page": 3, "per_page": 2, "total_pages": 3}))).await;
    let client = client(&server);
    let all = pager(&client, PageStyle::Number("page")).all().await.expect("all pages");
    assert_eq!(all, (1..=6).map(Value::from).collect::<Vec<_>>());
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
}

#[tokio::test]
async fn an_empty_page_ends_a_list_without_total_pages() {
    let server = MockServer::start().await;
    on(&server, "page", None, page(json!(["a", "b"]), json!({}))).await;
    on(&server, "page", Some("2"), page(json!([]), json!({}))).await;
    let client = client(&server);
    let mut pager = pager(&client, PageStyle::Number("page"));
    assert_eq!(pager.next_page().await.expect("page 1").map(|p| p.len()), Some(2));
    assert_eq!(pager.next_page().await.expect("page 2").map(|p| p.len()), Some(0));
    assert!(pager.next_page().await.expect("done").is_none());
}

#[tokio::test]
async fn a_short_page_is_the_last() {
    let server = MockServer::start().await;
    on(&server, "page", None, page(json!([1, 2]), json!({"per_page": "2"}))).await;
    on(&server, "page", Some("2"), page(json!([3]), json!({"per_page": 2}))).await;
    let client = client(&server);
    assert_eq!(pager(&client, PageStyle::Number("page")).all().await.expect("all").len(), 3);
}

#[tokio::test]
async fn cursors_are_followed_until_missing() {
    let server = MockServer::start().await;
    on(&server, "cursor", None, page(json!([1]), json!({"cursor": "c1"}))).await;
    on(&server, "cursor", Some("c1"), page(json!([2]), json!({"cursors": {"after": "c2"}}))).await;
    on(&server, "cursor", Some("c2"), page(json!([3]), json!({"cursor": ""}))).await;
    let client = client(&server);
    let all = pager(&client, PageStyle::Cursor("cursor")).all().await.expect("all");
    assert_eq!(all, vec![json!(1), json!(2), json!(3)]);
}

#[tokio::test]
async fn a_repeated_cursor_stops_instead_of_looping() {
    let server = MockServer::start().await;
    on(&server, "cursor", None, page(json!([1]), json!({"cursor": "same"}))).await;
    on(&server, "cursor", Some("same"), page(json!([2]), json!({"cursor": "same"}))).await;
    let client = client(&server);
    let all = pager(&client, PageStyle::Cursor("cursor")).all().await.expect("all");
    assert_eq!(all.len(), 2, "the second `same` cursor ends the listing");
}

#[tokio::test]
async fn an_error_ends_the_pager() {
    let server = MockServer::start().await;
    on(&server, "page", None, page(json!([1]), json!({"total_pages": 5}))).await;
    let failure = ResponseTemplate::new(403)
        .set_body_json(json!({"success": false, "errors": [{"code": 9109, "message": "Unauthorized"}]}));
    on(&server, "page", Some("2"), failure).await;
    let client = client(&server);
    let mut pager = pager(&client, PageStyle::Number("page"));
    assert!(pager.next_page().await.expect("page 1").is_some());
    let err = pager.next_page().await.expect_err("page 2 fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert!(pager.next_page().await.expect("after an error").is_none());
}
