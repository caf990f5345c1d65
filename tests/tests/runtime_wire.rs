//! Wire tests of the embedded runtime: a real local HTTP server (wiremock on 127.0.0.1) and only
//! the generated crate's public API, so each behaviour the runtime promises is shown on the wire.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cloudflare_api::runtime::{Body, PageStyle, Pager, Part, Prepared, Request, decode, encode};
use cloudflare_api::zero_trust::access::ai_controls::mcp::servers::{
    ServerSyncParams, ServerSyncResponse, ServerSyncResponseStatus,
};
use cloudflare_api::{Client, ClientBuilder, Error};
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde_json::{Value, json};
use wiremock::http::Method;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-SECRET-1234";
const SYNC_TEMPLATE: &str = "/accounts/{account_id}/access/ai-controls/mcp/servers/{id}/sync";
const SYNC_PATH: &str = "/accounts/acc1/access/ai-controls/mcp/servers/my-portal/sync";

/// The example response of the spec, verbatim.
fn example_body() -> Value {
    json!({"result":{"error":"error","error_details":{"cause":"cause","is_upstream":true,"mcp_code":0,"retryable":true,"status_code":0},"status":"status"},"success":true})
}

fn ready_body() -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": {"status": "ready"}})
}

/// A client for `server` with a token, an account id, and backoffs tiny enough for tests.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .account_id("acc1")
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
        .timeout(Duration::from_secs(5))
}

fn client(server: &MockServer) -> Client {
    builder(server).build().expect("test client builds")
}

fn sync<'c>(client: &'c Client, id: &str) -> Request<'c, ServerSyncResponse, ServerSyncParams> {
    client.zero_trust().access().ai_controls().mcp().servers().sync(id)
}

/// An operation with a JSON body and no parameter validation, built the way generated code
/// builds one, to exercise bodies and path encoding on their own.
fn thing_op<'c>(client: &'c Client, name: &str, body: Body) -> Request<'c, Value> {
    let mut prepared = Prepared::new(
        Method::POST,
        "test-create-thing",
        "/things/{name}",
        format!("/things/{}", encode::segment(name)),
        &[&["api_token"]],
    );
    prepared.body = body;
    Request::new(client, Ok(prepared), decode::envelope::<Value>)
}

fn json_body(value: &Value) -> Body {
    Body::Json(serde_json::to_vec(value).expect("serialises").into())
}

async fn mount(server: &MockServer, status: u16, body: Value) {
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(status).set_body_json(body)).mount(server).await;
}

/// Responds `status` to the first `times` requests, then falls through to lower-priority mocks.
async fn mount_first(server: &MockServer, times: u64, template: ResponseTemplate) {
    Mock::given(method("POST")).respond_with(template).up_to_n_times(times).with_priority(1).mount(server).await;
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("request recording is on")
}

fn header_of<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn retry_counts(requests: &[wiremock::Request]) -> Vec<String> {
    requests.iter().map(|r| header_of(r, "x-retry-count").unwrap_or("-").to_owned()).collect()
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> cloudflare_api::ApiError {
    match result {
        Err(Error::Api(api)) => *api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn sync_parses_the_reference_example() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(SYNC_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(example_body()))
        .mount(&server)
        .await;
    let client = client(&server);

    let result = sync(&client, "my-portal").await.expect("sync succeeds");

    assert_eq!(result.status, Some(ServerSyncResponseStatus::Unknown("status".to_owned())));
    assert_eq!(result.error.as_deref(), Some("error"));
    let details = result.error_details.expect("error_details present");
    assert_eq!(details.cause.as_deref(), Some("cause"));
    assert_eq!((details.is_upstream, details.retryable), (Some(true), Some(true)));
    assert_eq!((details.mcp_code, details.status_code), (Some(0.0), Some(0.0)));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(header_of(&requests[0], "user-agent"), Some("cloudflare-api-rust/0.1.0"));
}

#[tokio::test]
async fn send_with_response_exposes_status_and_cf_ray() {
    let server = MockServer::start().await;
    let template = ResponseTemplate::new(200).set_body_json(ready_body()).insert_header("cf-ray", "8a1b2c3d4e5f-LHR");
    Mock::given(method("POST")).respond_with(template).mount(&server).await;
    let client = client(&server);

    let response = sync(&client, "my-portal").send_with_response().await.expect("sync succeeds");

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id(), Some("8a1b2c3d4e5f-LHR"));
    assert_eq!(response.headers.get("cf-ray").and_then(|v| v.to_str().ok()), Some("8a1b2c3d4e5f-LHR"));
    assert_eq!(response.data.status, Some(ServerSyncResponseStatus::Ready));
}

#[tokio::test]
async fn retries_server_errors_with_growing_backoff_and_counts_attempts() {
    let server = MockServer::start().await;
    mount_first(&server, 2, ResponseTemplate::new(503)).await;
    mount(&server, 200, ready_body()).await;
    let client = builder(&server)
        .initial_backoff(Duration::from_millis(40))
        .max_backoff(Duration::from_secs(1))
        .build()
        .unwrap();

    let started = Instant::now();
    let result = sync(&client, "my-portal").await;
    let elapsed = started.elapsed();

    assert_eq!(result.expect("third attempt succeeds").status, Some(ServerSyncResponseStatus::Ready));
    assert_eq!(retry_counts(&received(&server).await), ["0", "1", "2"]);
    // Two waits of 40 ms and 80 ms, each shortened by at most 25% jitter.
    assert!(elapsed >= Duration::from_millis(90), "waited only {elapsed:?}");
}

#[tokio::test]
async fn gives_up_after_max_retries_and_reports_attempts() {
    let server = MockServer::start().await;
    mount(&server, 500, json!({"success": false, "errors": [{"code": 10000, "message": "boom"}]})).await;
    let client = client(&server);

    let api = api_error(sync(&client, "my-portal").await);

    assert_eq!((api.status.as_u16(), api.attempts), (500, 3));
    assert!(Error::Api(Box::new(api.clone())).is_retryable());
    assert!(api.to_string().contains("after 3 attempts"), "{api}");
    assert_eq!(retry_counts(&received(&server).await), ["0", "1", "2"]);
}

#[tokio::test]
async fn retries_408_409_429_but_not_other_4xx() {
    for (status, expected_requests) in [(408, 2), (409, 2), (429, 2), (400, 1), (403, 1), (422, 1)] {
        let server = MockServer::start().await;
        mount(&server, status, json!({"success": false, "errors": []})).await;
        let client = builder(&server).max_retries(1).build().unwrap();

        let api = api_error(sync(&client, "my-portal").await);

        assert_eq!(api.status.as_u16(), status);
        assert_eq!(received(&server).await.len(), expected_requests, "status {status}");
    }
}

#[tokio::test]
async fn per_request_max_retries_overrides_the_client() {
    let server = MockServer::start().await;
    mount(&server, 503, json!({})).await;
    let client = client(&server);

    let none = api_error(sync(&client, "my-portal").max_retries(0).await);
    assert_eq!((none.attempts, received(&server).await.len()), (1, 1));

    server.reset().await;
    mount(&server, 503, json!({})).await;
    let more = api_error(sync(&client, "my-portal").max_retries(4).await);
    assert_eq!(more.attempts, 5);
    assert_eq!(retry_counts(&received(&server).await), ["0", "1", "2", "3", "4"]);
}

#[tokio::test]
async fn honours_retry_after_ms() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(429).insert_header("retry-after-ms", "300")).await;
    mount(&server, 200, ready_body()).await;
    let client = client(&server);

    let started = Instant::now();
    sync(&client, "my-portal").await.expect("retry succeeds");

    assert!(started.elapsed() >= Duration::from_millis(300), "waited only {:?}", started.elapsed());
    assert_eq!(retry_counts(&received(&server).await), ["0", "1"]);
}

#[tokio::test]
async fn honours_retry_after_seconds() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(503).insert_header("retry-after", "1")).await;
    mount(&server, 200, ready_body()).await;
    let client = client(&server);

    let started = Instant::now();
    sync(&client, "my-portal").await.expect("retry succeeds");

    assert!(started.elapsed() >= Duration::from_secs(1), "waited only {:?}", started.elapsed());
}

#[tokio::test]
async fn honours_retry_after_http_date() {
    let server = MockServer::start().await;
    // HTTP dates have one-second resolution: two seconds ahead means a wait of over one second.
    let date = httpdate_in(Duration::from_secs(2));
    mount_first(&server, 1, ResponseTemplate::new(503).insert_header("retry-after", date.as_str())).await;
    mount(&server, 200, ready_body()).await;
    let client = client(&server);

    let started = Instant::now();
    sync(&client, "my-portal").await.expect("retry succeeds");

    assert!(started.elapsed() >= Duration::from_millis(900), "waited only {:?}", started.elapsed());
}

/// Formats `now + ahead` as an IMF-fixdate without a date crate in the test's dependencies.
fn httpdate_in(ahead: Duration) -> String {
    let secs = (std::time::SystemTime::now() + ahead).duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[tokio::test]
async fn retry_after_beyond_the_cap_falls_back_to_backoff() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(429).insert_header("retry-after", "3600")).await;
    mount(&server, 200, ready_body()).await;
    let client = builder(&server).max_retry_after(Duration::from_secs(1)).build().unwrap();

    let started = Instant::now();
    sync(&client, "my-portal").await.expect("retry succeeds");

    // Far below the hour the server asked for: the cap turned it into the 1 ms backoff.
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn per_attempt_timeout_is_retried_then_reported() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(ready_body()).set_delay(Duration::from_secs(10));
    Mock::given(method("POST")).respond_with(slow).mount(&server).await;
    let client = builder(&server).timeout(Duration::from_millis(100)).max_retries(1).build().unwrap();

    let started = Instant::now();
    let result = sync(&client, "my-portal").await;

    match result {
        Err(error @ Error::Timeout { attempts: 2, .. }) => assert!(error.is_retryable()),
        other => panic!("expected a timeout after 2 attempts, got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert!(started.elapsed() < Duration::from_secs(8), "did not time out: {:?}", started.elapsed());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn per_request_timeout_overrides_the_client() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(ready_body()).set_delay(Duration::from_secs(10));
    Mock::given(method("POST")).respond_with(slow).mount(&server).await;
    let client = builder(&server).timeout(Duration::from_secs(60)).build().unwrap();

    let result = sync(&client, "my-portal").timeout(Duration::from_millis(100)).max_retries(0).await;

    assert!(matches!(result, Err(Error::Timeout { attempts: 1, .. })), "{result:?}");
}

#[tokio::test]
async fn overall_deadline_bounds_a_slow_call() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(ready_body()).set_delay(Duration::from_secs(10));
    Mock::given(method("POST")).respond_with(slow).mount(&server).await;
    let client =
        builder(&server).timeout(Duration::from_secs(60)).deadline(Duration::from_millis(300)).build().unwrap();

    let started = Instant::now();
    let result = sync(&client, "my-portal").await;

    let Err(Error::Timeout { elapsed, attempts: 1 }) = result else {
        panic!("expected a deadline timeout, got {result:?}")
    };
    assert!(elapsed >= Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(8), "deadline ignored: {:?}", started.elapsed());
    assert_eq!(received(&server).await.len(), 1, "the deadline also stops further attempts");
}

#[tokio::test]
async fn deadline_stops_retries_whose_wait_would_overrun_it() {
    let server = MockServer::start().await;
    mount_first(&server, 10, ResponseTemplate::new(503).insert_header("retry-after-ms", "400")).await;
    let client = builder(&server).deadline(Duration::from_millis(600)).max_retries(5).build().unwrap();

    let started = Instant::now();
    let api = api_error(sync(&client, "my-portal").await);

    // The second 400 ms wait cannot fit in 600 ms: the call ends with the server's error.
    assert_eq!(api.status.as_u16(), 503);
    assert!(api.attempts <= 2, "{api}");
    assert_eq!(received(&server).await.len() as u32, api.attempts);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn html_500_is_an_api_error_with_a_snippet() {
    let server = MockServer::start().await;
    let page = "<html>\n<body><h1>502 upstream exploded</h1></body>\n</html>";
    let template = ResponseTemplate::new(500).set_body_raw(page, "text/html").insert_header("cf-ray", "ray-html");
    Mock::given(method("POST")).respond_with(template).mount(&server).await;
    let client = builder(&server).max_retries(0).build().unwrap();

    let api = api_error(sync(&client, "my-portal").await);

    assert_eq!(api.status.as_u16(), 500);
    assert!(api.errors.is_empty() && api.messages.is_empty());
    assert_eq!(api.body_snippet, page);
    assert_eq!(api.request_id.as_deref(), Some("ray-html"));
    let shown = api.to_string();
    assert!(shown.starts_with(&format!("HTTP 500 Internal Server Error from POST {SYNC_TEMPLATE}")), "{shown}");
    assert!(shown.contains("502 upstream exploded") && shown.contains("cf-ray: ray-html"), "{shown}");
}

#[tokio::test]
async fn wrong_type_in_a_200_is_a_decode_error_with_the_field_path() {
    let server = MockServer::start().await;
    mount(&server, 200, json!({"success": true, "errors": [], "result": {"status": 42}})).await;
    let client = builder(&server).strict_decoding(true).build().expect("builds");

    let result = sync(&client, "my-portal").await;

    let Err(Error::Decode { status, path, message, body_snippet }) = result else { panic!("{result:?}") };
    assert_eq!((status.as_u16(), path.as_str()), (200, "result.status"));
    assert!(message.contains("invalid type"), "{message}");
    assert!(body_snippet.contains("\"status\":42"), "{body_snippet}");
    assert_eq!(received(&server).await.len(), 1, "decode errors are not retried");
}

#[tokio::test]
async fn mistyped_scalars_are_converted_and_reported_unless_strict() {
    let server = MockServer::start().await;
    let details = json!({"is_upstream": "true", "status_code": "503", "mcp_code": 7, "retryable": false});
    mount(
        &server,
        200,
        json!({"success": true, "result": {"status": "error", "error": 500, "error_details": details}}),
    )
    .await;

    let response = sync(&client(&server), "my-portal").send_with_response().await.expect("converted");
    let details = response.data.error_details.as_ref().expect("details");
    assert_eq!((details.is_upstream, details.status_code), (Some(true), Some(503.0)));
    assert_eq!(response.data.error.as_deref(), Some("500"));
    let mut coerced: Vec<(String, &str)> = response.coerced.iter().map(|c| (c.path.clone(), c.into)).collect();
    coerced.sort();
    assert_eq!(
        coerced,
        [
            ("result.error".to_owned(), "string"),
            ("result.error_details.is_upstream".to_owned(), "boolean"),
            ("result.error_details.status_code".to_owned(), "number"),
        ]
    );

    let strict = builder(&server).strict_decoding(true).build().expect("builds");
    let Err(Error::Decode { path, .. }) = sync(&strict, "my-portal").await else { panic!("strict refuses") };
    assert!(path.starts_with("result."), "{path}");
}

#[tokio::test]
async fn values_that_no_conversion_fits_are_still_decode_errors() {
    let server = MockServer::start().await;
    mount(
        &server,
        200,
        json!({"success": true, "result": {"status": "ready", "error_details": {"retryable": {"no": 1}}}}),
    )
    .await;

    let Err(Error::Decode { path, .. }) = sync(&client(&server), "my-portal").await else { panic!("refused") };
    assert_eq!(path, "result.error_details.retryable");
}

#[tokio::test]
async fn malformed_json_in_a_200_is_a_decode_error() {
    let server = MockServer::start().await;
    let template =
        ResponseTemplate::new(200).set_body_raw(r#"{"success": true, "result": {"status": "rea"#, "application/json");
    Mock::given(method("POST")).respond_with(template).mount(&server).await;
    let client = client(&server);

    let result = sync(&client, "my-portal").await;

    let Err(Error::Decode { status, path, message, .. }) = &result else { panic!("{result:?}") };
    assert_eq!(status.as_u16(), 200);
    // A cut-off body has no meaningful field path (serde_path_to_error would say `result.?`).
    assert_eq!(path, "(end of body)");
    assert!(message.contains("truncated"), "{message}");
    let shown = result.unwrap_err().to_string();
    assert!(shown.contains("could not decode the 200 OK response"), "{shown}");
}

#[tokio::test]
async fn connection_refused_is_retried_then_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_token(TOKEN)
        .account_id("acct-private-77")
        .max_retries(1)
        .initial_backoff(Duration::from_millis(1))
        .build()
        .unwrap();

    let result = sync(&client, "portal-private-88").await;

    let Err(error @ Error::Connection { attempts: 2, .. }) = result else { panic!("{result:?}") };
    assert!(error.is_retryable() && error.status().is_none());
    let shown = error.to_string();
    let expected =
        format!("could not reach the server for POST {SYNC_TEMPLATE} (mcp-portals-api-sync-server, 2 attempts)");
    assert!(shown.contains(&expected) && shown.to_lowercase().contains("refused"), "{shown}");
    // The URL (with the ids in its path) is in neither the message nor the debug form.
    for shown in [shown, format!("{error:?}")] {
        for value in ["acct-private-77", "portal-private-88", "/accounts/acct"] {
            assert!(!shown.contains(value), "{value} shown: {shown}");
        }
    }
}

#[tokio::test]
async fn success_false_in_a_200_is_an_api_error_with_every_error() {
    let server = MockServer::start().await;
    let body = json!({"success": false, "errors": [{"code": 1000, "message": "bad portal"}, {"code": "1001", "message": "and more"}],
        "messages": [{"code": null, "message": "note"}], "result": null});
    mount(&server, 200, body).await;
    let client = client(&server);

    let api = api_error(sync(&client, "my-portal").await);

    assert_eq!(api.status.as_u16(), 200);
    let codes: Vec<_> = api.errors.iter().map(|e| (e.code, e.message.as_str())).collect();
    assert_eq!(codes, [(Some(1000), "bad portal"), (Some(1001), "and more")]);
    assert_eq!(api.messages[0].message, "note");
    assert!(api.to_string().contains("[1000] bad portal; [1001] and more"), "{api}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn spec_404_envelope_is_an_api_error_with_code_7002() {
    let server = MockServer::start().await;
    let body = json!({"success":false,"errors":[{"code":7002,"message":"Not Found"}]});
    let template = ResponseTemplate::new(404).set_body_json(body).insert_header("cf-ray", "abc");
    Mock::given(method("POST")).respond_with(template).mount(&server).await;
    let client = client(&server);

    let result = sync(&client, "my-portal").await;

    let error = result.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(!error.is_retryable());
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert!(api.has_code(7002));
    assert_eq!(
        error.to_string(),
        format!("HTTP 404 Not Found from POST {SYNC_TEMPLATE}: [7002] Not Found (cf-ray: abc)")
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn api_token_is_sent_as_bearer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(ready_body()))
        .mount(&server)
        .await;
    let client = builder(&server).api_email("me@example.com").build().unwrap();

    sync(&client, "my-portal").await.expect("authorised");

    let requests = received(&server).await;
    assert!(header_of(&requests[0], "x-auth-email").is_none(), "only the chosen scheme is sent");
    assert!(header_of(&requests[0], "x-auth-key").is_none());
}

#[tokio::test]
async fn email_and_key_are_sent_together() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-auth-email", "me@example.com"))
        .and(header("x-auth-key", "KEY-SECRET-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ready_body()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_email("me@example.com")
        .api_key("KEY-SECRET-42")
        .account_id("acc1")
        .build()
        .unwrap();

    sync(&client, "my-portal").await.expect("authorised");

    assert!(header_of(&received(&server).await[0], "authorization").is_none());
}

#[tokio::test]
async fn incomplete_credentials_fail_before_sending_and_name_the_variables() {
    let server = MockServer::start().await;
    mount(&server, 200, ready_body()).await;
    let client =
        Client::builder().base_url(server.uri()).api_email("me@example.com").account_id("acc1").build().unwrap();

    let result = sync(&client, "my-portal").await;

    let Err(Error::MissingCredentials { message }) = result else { panic!("{result:?}") };
    assert!(message.contains("set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY"), "{message}");
    assert!(received(&server).await.is_empty());
}

const CHILD_SCENARIO: &str = "RUNTIME_WIRE_ENV_SCENARIO";
const CHILD_SERVER: &str = "RUNTIME_WIRE_SERVER";
const ENV_VARS: [&str; 6] = [
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_EMAIL",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_API_USER_SERVICE_KEY",
    "CLOUDFLARE_BASE_URL",
    "CLOUDFLARE_ACCOUNT_ID",
];

/// Environment handling runs in child processes of this test binary, each with its own
/// environment, so no test ever mutates the environment of a process running other tests.
#[tokio::test]
async fn from_env_reads_credentials_base_url_and_account_id() {
    let server = MockServer::start().await;
    let env_path = "/accounts/env-acc/access/ai-controls/mcp/servers/my-portal/sync";
    for (name, value) in [("authorization", "Bearer env-token"), ("authorization", "Bearer explicit-token")] {
        Mock::given(path(env_path))
            .and(header(name, value))
            .respond_with(ResponseTemplate::new(200).set_body_json(ready_body()))
            .mount(&server)
            .await;
    }
    Mock::given(path(env_path))
        .and(header("x-auth-email", "env@example.com"))
        .and(header("x-auth-key", "env-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ready_body()))
        .mount(&server)
        .await;
    let scenarios: [(&str, &[(&str, &str)]); 4] = [
        ("none", &[("CLOUDFLARE_BASE_URL", "http://127.0.0.1:9")]),
        ("token", &[("CLOUDFLARE_API_TOKEN", "env-token"), ("CLOUDFLARE_ACCOUNT_ID", "env-acc")]),
        (
            "email_key",
            &[
                ("CLOUDFLARE_EMAIL", "env@example.com"),
                ("CLOUDFLARE_API_KEY", "env-key"),
                ("CLOUDFLARE_ACCOUNT_ID", "env-acc"),
            ],
        ),
        (
            "explicit_wins",
            &[
                ("CLOUDFLARE_API_TOKEN", "env-token"),
                ("CLOUDFLARE_ACCOUNT_ID", "env-acc"),
                ("CLOUDFLARE_BASE_URL", "http://127.0.0.1:9"),
            ],
        ),
    ];
    for (scenario, vars) in scenarios {
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        command.args(["--exact", "from_env_child", "--ignored", "--nocapture", "--test-threads=1"]);
        for var in ENV_VARS {
            command.env_remove(var);
        }
        command.env("CLOUDFLARE_BASE_URL", server.uri()).env(CHILD_SERVER, server.uri()).env(CHILD_SCENARIO, scenario);
        command.envs(vars.iter().copied());
        let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
        let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "scenario {scenario} failed:\n{log}");
        assert!(log.contains("1 passed"), "scenario {scenario} did not run:\n{log}");
    }
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
#[ignore = "run in a child process by from_env_reads_credentials_base_url_and_account_id"]
async fn from_env_child() {
    let Ok(scenario) = std::env::var(CHILD_SCENARIO) else {
        return;
    };
    let server = std::env::var(CHILD_SERVER).unwrap();
    match scenario.as_str() {
        "none" => {
            let Err(Error::MissingCredentials { message }) = Client::from_env() else { panic!("credentials found") };
            for var in &ENV_VARS[..4] {
                assert!(message.contains(var), "{message}");
            }
        }
        "token" | "email_key" => {
            let client = Client::from_env().unwrap();
            assert_eq!(client.base_url(), server.trim_end_matches('/'));
            sync(&client, "my-portal").await.unwrap();
        }
        "explicit_wins" => {
            let client = ClientBuilder::new().api_token("explicit-token").base_url(&server).from_env().build().unwrap();
            sync(&client, "my-portal").await.unwrap();
        }
        other => panic!("unknown scenario {other}"),
    }
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    mount(&server, 200, json!({"success": true, "result": {}})).await;
    let client = client(&server);

    for name in ["../x", "a/b?c=d", "%2e%2e", "é #"] {
        thing_op(&client, name, Body::Empty).await.expect("sent");
    }
    // account_id has no pattern in the spec, so only encoding protects it.
    client
        .zero_trust()
        .access()
        .ai_controls()
        .mcp()
        .servers()
        .sync("my-portal")
        .account_id("../../user?x=1")
        .await
        .expect("sent");

    let requests = received(&server).await;
    let paths: Vec<_> = requests.iter().map(|r| (r.url.path().to_owned(), r.url.query().map(str::to_owned))).collect();
    let expected = [
        "/things/..%2Fx",
        "/things/a%2Fb%3Fc%3Dd",
        "/things/%252e%252e",
        "/things/%C3%A9%20%23",
        "/accounts/..%2F..%2Fuser%3Fx%3D1/access/ai-controls/mcp/servers/my-portal/sync",
    ];
    assert_eq!(paths, expected.map(|p| (p.to_owned(), None)));
}

#[tokio::test]
async fn dot_segment_parameters_are_refused_before_sending() {
    let server = MockServer::start().await;
    mount(&server, 200, json!({"success": true, "result": {}})).await;
    let client = client(&server);

    for name in [".", ".."] {
        let result = thing_op(&client, name, Body::Empty).await;
        assert!(matches!(result, Err(Error::InvalidParameter { name: "/things/{name}", .. })), "{result:?}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn query_values_are_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let client = client(&server);
    let mut prepared = Prepared::new(Method::GET, "test-list", "/things", "/things".to_owned(), &[]);
    prepared.query.push(("q", "a&b=c d#".to_owned()));
    prepared.query.push(("page", "2".to_owned()));

    Request::new(&client, Ok(prepared), decode::json::<Value>).await.expect("sent");

    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), Some("q=a%26b%3Dc+d%23&page=2"));
    assert!(header_of(&requests[0], "authorization").is_none(), "empty security sends no credentials");
}

#[tokio::test]
async fn validation_errors_send_nothing() {
    let server = MockServer::start().await;
    mount(&server, 200, ready_body()).await;
    let client = client(&server);
    let pattern = "^[a-z0-9_]+(?:-[a-z0-9_]+)*$";

    let cases = [
        ("../x".to_owned(), format!("must match {pattern} (got \"../x\")")),
        ("a/b?c=d".to_owned(), format!("must match {pattern} (got \"a/b?c=d\")")),
        ("%2e%2e".to_owned(), format!("must match {pattern} (got \"%2e%2e\")")),
        ("a".repeat(40), "must be at most 32 characters (got 40)".to_owned()),
        (String::new(), "must be at least 1 character (got 0)".to_owned()),
    ];
    for (id, expected) in cases {
        let result = sync(&client, &id).await;
        let Err(error @ Error::InvalidParameter { name: "id", .. }) = result else { panic!("{id}: {result:?}") };
        assert_eq!(error.to_string(), format!("invalid parameter id: {expected}"));
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn missing_account_id_says_how_to_supply_it() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).api_token(TOKEN).build().unwrap();

    let result = sync(&client, "my-portal").await;

    let Err(Error::MissingParameter { name: "account_id", hint }) = result else { panic!("{result:?}") };
    assert_eq!(hint, "pass it in the params, call ClientBuilder::account_id, or set CLOUDFLARE_ACCOUNT_ID");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn bad_base_url_is_a_config_error() {
    for url in ["not a url", "ftp://example.com", "https://example.com/v4?x=1"] {
        let result = Client::builder().base_url(url).build();
        assert!(matches!(result, Err(Error::Config { .. })), "{url}: {result:?}");
    }
    let client = Client::builder().base_url("http://127.0.0.1:1/client/v4/").build().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:1/client/v4");
}

#[tokio::test]
async fn json_bodies_are_replayed_on_retry() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(502)).await;
    mount(&server, 200, json!({"success": true, "result": {"id": 7}})).await;
    let client = client(&server);
    let payload = json!({"name": "portal", "tags": ["a", "b"]});

    let result = thing_op(&client, "new", json_body(&payload)).await.expect("retry succeeds");

    assert_eq!(result, json!({"id": 7}));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body_json::<Value>().unwrap(), payload);
        assert_eq!(header_of(request, "content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn multipart_bodies_are_encoded_and_replayed() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(500)).await;
    mount(&server, 200, json!({"success": true, "result": null})).await;
    let client = client(&server);
    let parts = vec![
        Part {
            name: "metadata".to_owned(),
            file_name: None,
            content_type: Some("application/json".to_owned()),
            data: b"{}".to_vec().into(),
        },
        Part {
            name: "file".to_owned(),
            file_name: Some("a.txt".to_owned()),
            content_type: None,
            data: b"hello".to_vec().into(),
        },
    ];

    thing_op(&client, "upload", Body::Multipart(parts)).await.expect("retry succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    let content_type = header_of(&requests[1], "content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart content type");
    let body = String::from_utf8_lossy(&requests[1].body);
    assert!(body.contains("name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n"), "{body}");
    assert!(body.ends_with(&format!("--{boundary}--\r\n")));
}

#[tokio::test]
async fn once_bodies_are_never_retried() {
    let server = MockServer::start().await;
    mount(&server, 503, json!({})).await;
    let client = builder(&server).max_retries(3).build().unwrap();

    let api = api_error(thing_op(&client, "stream", Body::Once("streamed".into(), "text/plain")).await);

    assert_eq!((api.status.as_u16(), api.attempts), (503, 1));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"streamed");
    assert_eq!(header_of(&requests[0], "content-type"), Some("text/plain"));
}

#[tokio::test]
async fn per_request_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(header("x-request-tag", "t-1"))
        .and(header("x-client-wide", "yes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ready_body()))
        .mount(&server)
        .await;
    let client = builder(&server).header("x-client-wide", "yes").build().unwrap();

    sync(&client, "my-portal").header("x-request-tag", "t-1").await.expect("headers matched");

    let bad = sync(&client, "my-portal").header("x-bad", "line\nbreak").await;
    assert!(matches!(bad, Err(Error::Config { .. })), "{bad:?}");
}

#[tokio::test]
async fn null_result_where_the_spec_requires_one_is_a_clear_decode_error() {
    // The sync operation's schema lists `result` as required (not nullable), so its type is not
    // an `Option`; `null` is refused with the field named (optional results decode to `None`:
    // tests/recorded/allof_merge.rs).
    let server = MockServer::start().await;
    mount(&server, 200, json!({"success": true, "errors": [], "messages": [], "result": null})).await;
    let client = client(&server);

    let result = sync(&client, "my-portal").await;

    let Err(Error::Decode { path, message, .. }) = &result else { panic!("{result:?}") };
    assert_eq!(path, "result");
    assert!(message.contains("missing or null result"), "{message}");
}

#[tokio::test]
async fn hooks_see_every_attempt_and_can_change_the_token() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(503)).await;
    mount(&server, 200, ready_body()).await;
    let token = Arc::new(Mutex::new("first".to_string()));
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let (t, s) = (token.clone(), statuses.clone());
    let client = builder(&server)
        .before_send(move |request| {
            let value = format!("Bearer {}", t.lock().unwrap());
            request.headers_mut().insert("authorization", value.parse().unwrap());
        })
        .after_receive(move |status, _headers| s.lock().unwrap().push(status.as_u16()))
        .build()
        .unwrap();
    sync(&client, "my-portal").await.expect("retried after the 503");
    *token.lock().unwrap() = "refreshed".into();
    sync(&client, "my-portal").await.expect("second call");
    let auth: Vec<String> =
        received(&server).await.iter().map(|r| r.headers["authorization"].to_str().unwrap().to_string()).collect();
    assert_eq!(auth, ["Bearer first", "Bearer first", "Bearer refreshed"]);
    assert_eq!(*statuses.lock().unwrap(), [503, 200, 200]);
}

/// A `GET /items` list paged by `style`, built the way generated `*_pages` methods build one.
fn items_pager(client: &Client, style: PageStyle) -> Pager<'_, Value> {
    let prepared = Prepared::new(Method::GET, "list-items", "/items", "/items".into(), &[&["api_token"]]);
    Pager::new(client, Ok(prepared), style)
}

/// Answers `GET /items` with `items` and `info` exactly once when `param` is `value` (or absent).
async fn mount_page(server: &MockServer, param: &str, value: Option<&str>, items: Value, info: Value) {
    let body = json!({"success": true, "errors": [], "messages": [], "result": items, "result_info": info});
    let mock = Mock::given(method("GET")).and(path("/items"));
    let mock = match value {
        Some(v) => mock.and(query_param(param, v)),
        None => mock.and(query_param_is_missing(param)),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(server).await;
}

#[tokio::test]
async fn items_stream_every_item_of_every_page_in_order() {
    let server = MockServer::start().await;
    mount_page(&server, "page", None, json!([1, 2]), json!({"page": 1, "per_page": 2, "total_pages": 3})).await;
    mount_page(&server, "page", Some("2"), json!([3, 4]), json!({"page": 2, "per_page": 2, "total_pages": 3})).await;
    mount_page(&server, "page", Some("3"), json!([5]), json!({"page": 3, "per_page": 2, "total_pages": 3})).await;
    let client = client(&server);

    let items: Vec<Value> = items_pager(&client, PageStyle::Number("page")).items().try_collect().await.expect("items");

    assert_eq!(items, (1..=5).map(Value::from).collect::<Vec<_>>());
    assert_eq!(received(&server).await.len(), 3, "one request per page, none after the last");
}

#[tokio::test]
async fn page_stream_stops_on_a_repeated_cursor() {
    let server = MockServer::start().await;
    mount_page(&server, "cursor", None, json!(["a"]), json!({"cursor": "c1"})).await;
    mount_page(&server, "cursor", Some("c1"), json!(["b"]), json!({"cursors": {"after": "c1"}})).await;
    let client = client(&server);

    let pages: Vec<_> = items_pager(&client, PageStyle::Cursor("cursor")).pages().try_collect().await.expect("pages");

    let items: Vec<Vec<Value>> = pages.into_iter().map(|page| page.items).collect();
    assert_eq!(items, [vec![json!("a")], vec![json!("b")]], "the repeated `c1` ends the listing");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_error_is_the_last_item_of_a_stream() {
    let server = MockServer::start().await;
    mount_page(&server, "page", None, json!([1, 2]), json!({"total_pages": 9})).await;
    let failure = json!({"success": false, "errors": [{"code": 9109, "message": "Unauthorized"}]});
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(failure))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let results: Vec<Result<Value, Error>> = items_pager(&client, PageStyle::Number("page")).items().collect().await;

    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().ok(), Some(&json!(1)));
    assert_eq!(results[1].as_ref().ok(), Some(&json!(2)));
    assert_eq!(results[2].as_ref().err().and_then(Error::status).map(|s| s.as_u16()), Some(403));
}

fn query_of(request: &wiremock::Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[tokio::test]
async fn extra_query_pairs_and_json_body_fields_are_sent() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(503)).await;
    mount(&server, 200, json!({"success": true, "result": null})).await;
    let client = client(&server);
    let body = json_body(&json!({"name": "portal", "keep": 1}));

    thing_op(&client, "new", body)
        .query("x-extra", "a b&c")
        .query("tag", "1")
        .query("tag", "2")
        .body_field("name", "renamed")
        .body_field("added", json!({"n": [1]}))
        .await
        .expect("sent with extras");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "the retry carries the extras too");
    for request in &requests {
        let expected = [("x-extra", "a b&c"), ("tag", "1"), ("tag", "2")].map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(query_of(request), expected);
        assert_eq!(request.body_json::<Value>().unwrap(), json!({"name": "renamed", "keep": 1, "added": {"n": [1]}}));
    }
}

#[tokio::test]
async fn an_extra_query_pair_replaces_the_operations_own() {
    let server = MockServer::start().await;
    mount_page(&server, "page", Some("7"), json!([]), json!({})).await;
    let client = client(&server);
    let mut prepared = Prepared::new(Method::GET, "list-items", "/items", "/items".into(), &[&["api_token"]]);
    prepared.query.push(("page", "1".to_owned()));
    prepared.query.push(("per_page", "5".to_owned()));

    Request::new(&client, Ok(prepared), decode::envelope::<Value>).query("page", "7").await.expect("page 7 asked for");

    let requests = received(&server).await;
    let expected = [("per_page", "5"), ("page", "7")].map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(query_of(&requests[0]), expected);
}

#[tokio::test]
async fn form_body_fields_replace_whole_properties() {
    let server = MockServer::start().await;
    mount(&server, 200, json!({"success": true, "result": null})).await;
    let client = client(&server);
    let form = encode::form(&json!({"card": {"number": "4242"}, "email": "a@b"}), &[]);
    let body = Body::Bytes { data: form.into(), content_type: "application/x-www-form-urlencoded" };

    thing_op(&client, "charge", body)
        .body_field("card", json!({"token": "tok"}))
        .body_field("metadata", json!({"k": "v w"}))
        .await
        .expect("sent");

    let requests = received(&server).await;
    let sent = String::from_utf8_lossy(&requests[0].body);
    assert_eq!(sent, "email=a%40b&card%5Btoken%5D=tok&metadata%5Bk%5D=v%20w");
    assert_eq!(header_of(&requests[0], "content-type"), Some("application/x-www-form-urlencoded"));
}

#[tokio::test]
async fn extra_parts_join_a_multipart_body() {
    let server = MockServer::start().await;
    mount(&server, 200, json!({"success": true, "result": null})).await;
    let client = client(&server);

    let body = Body::Multipart(vec![Part::text("metadata", "{}")]);
    thing_op(&client, "upload", body).part(Part::file("worker.js", "worker.js", "export {}")).await.expect("sent");

    let requests = received(&server).await;
    let sent = String::from_utf8_lossy(&requests[0].body);
    assert!(sent.contains("name=\"metadata\"\r\n\r\n{}\r\n"), "{sent}");
    assert!(
        sent.contains("name=\"worker.js\"; filename=\"worker.js\"\r\nContent-Type: application/octet-stream"),
        "{sent}"
    );
}

#[tokio::test]
async fn fields_and_parts_on_a_body_that_cannot_take_them_send_nothing() {
    let server = MockServer::start().await;
    mount(&server, 200, json!({"success": true, "result": null})).await;
    let client = client(&server);
    let text = || Body::Text { data: "plain".to_owned(), content_type: "text/plain" };

    let refused = [
        thing_op(&client, "a", text()).body_field("x", 1).await,
        thing_op(&client, "b", Body::Empty).body_field("x", 1).await,
        thing_op(&client, "c", json_body(&json!([1, 2]))).body_field("x", 1).await,
        thing_op(&client, "d", Body::Multipart(Vec::new())).body_field("x", 1).await,
        thing_op(&client, "e", json_body(&json!({}))).part(Part::text("a", "b")).await,
    ];

    let names: Vec<&str> = refused
        .iter()
        .map(|result| match result {
            Err(Error::InvalidParameter { name, .. }) => *name,
            other => panic!("expected InvalidParameter, got {other:?}"),
        })
        .collect();
    assert_eq!(names, ["body_field", "body_field", "body_field", "body_field", "part"]);
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn raw_requests_reach_endpoints_the_spec_lacks() {
    let server = MockServer::start().await;
    mount_first(&server, 1, ResponseTemplate::new(503)).await;
    let answer = json!({"success": true, "result": {"id": "t1"}, "result_info": {"page": 1}});
    Mock::given(method("POST"))
        .and(path("/client/v4/accounts/acc9/new-thing"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .mount(&server)
        .await;
    let hooked = Arc::new(Mutex::new(0));
    let seen = hooked.clone();
    let client = builder(&server)
        .base_url(format!("{}/client/v4/", server.uri()))
        .api_email("me@example.com")
        .api_key("key-1")
        .before_send(move |_| *seen.lock().unwrap() += 1)
        .build()
        .unwrap();

    let result = client
        .request(Method::POST, "/accounts/acc9/new-thing?x=1%202&y=a+b&flag")
        .query("z", "3")
        .json(&json!({"name": "n", "size": 2}))
        .await
        .expect("retried after the 503, then answered");

    assert_eq!(result, answer, "the whole body, no envelope unwrapped");
    assert_eq!(*hooked.lock().unwrap(), 2, "hooks run on every attempt");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let last = &requests[1];
    assert_eq!(last.url.path(), "/client/v4/accounts/acc9/new-thing");
    let expected = [("x", "1 2"), ("y", "a b"), ("flag", ""), ("z", "3")].map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(query_of(last), expected);
    assert_eq!(last.body_json::<Value>().unwrap(), json!({"name": "n", "size": 2}));
    assert_eq!(header_of(last, "content-type"), Some("application/json"));
    assert_eq!(header_of(last, "x-auth-email"), None, "one security alternative: the token, listed first");
}

#[tokio::test]
async fn raw_requests_use_the_first_top_level_alternative_the_client_has() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).api_email("me@example.com").api_key("key-1").build().unwrap();

    let result = client.request(Method::DELETE, "zones/z1/thing").await.expect("204");

    assert_eq!(result, Value::Null, "an empty body is null");
    let requests = received(&server).await;
    assert_eq!(requests[0].url.path(), "/zones/z1/thing");
    assert_eq!(header_of(&requests[0], "x-auth-email"), Some("me@example.com"));
    assert_eq!(header_of(&requests[0], "x-auth-key"), Some("key-1"));
    assert_eq!(header_of(&requests[0], "authorization"), None);
    let none = Client::builder().base_url(server.uri()).build().unwrap();
    let missing = none.request(Method::GET, "/zones").await;
    assert!(
        matches!(&missing, Err(Error::MissingCredentials { message }) if message.contains("CLOUDFLARE_API_TOKEN")),
        "{missing:?}"
    );
}

#[tokio::test]
async fn raw_paths_that_would_leave_their_resource_are_refused() {
    let server = MockServer::start().await;
    mount(&server, 200, json!({})).await;
    let client = client(&server);
    for raw in ["/accounts/../zones", "/accounts/%2E%2e/zones", "/a/./b", "/a#frag", "/a?x=1#frag"] {
        let result = client.request(Method::POST, raw).await;
        assert!(matches!(result, Err(Error::InvalidParameter { name: "path", .. })), "{raw}: {result:?}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_user_supplied_reqwest_client_sends_every_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(SYNC_PATH))
        .and(header("x-from-http-client", "yes"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(ready_body()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-http-client", "yes".parse().unwrap());
    let http =
        reqwest::Client::builder().default_headers(defaults).timeout(Duration::from_millis(200)).build().unwrap();
    let client = builder(&server).http_client(http).max_retries(0).build().unwrap();

    let synced = sync(&client, "my-portal").await.expect("sent through the given client, with its default header");
    assert_eq!(synced.status, Some(ServerSyncResponseStatus::Ready));
    // The given client's own timeout (200 ms) cuts the call, well before the runtime's 5 s.
    let started = Instant::now();
    let slow = client.request(Method::GET, "/slow").await;
    assert!(matches!(slow, Err(Error::Timeout { attempts: 1, .. })), "{slow:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

#[test]
fn an_operation_path_takes_its_encoded_segments_in_template_order() {
    let segments = [encode::segment("a b"), encode::segment("x/y")];
    let prepared = Prepared::operation(Method::GET, "op", "/users/{user-id}/apps(upn='{upn}')/list", &segments, &[]);
    assert_eq!(prepared.path, "/users/a%20b/apps(upn='x%2Fy')/list");
    assert_eq!(prepared.path_template, "/users/{user-id}/apps(upn='{upn}')/list");
    assert_eq!(Prepared::operation(Method::GET, "op", "/items", &[], &[]).path, "/items");
}

#[test]
fn requests_and_their_futures_can_move_between_threads() {
    fn send<T: Send>(_: &T) {}
    let client = Client::builder().base_url("http://127.0.0.1:9").build().expect("client");
    let request = client.zero_trust().access().ai_controls().mcp().servers().sync("id");
    send(&request);
    send(&request.into_future());
}
