//! Recorded on the wire (wiremock): the status the server sends picks the variant of the
//! success enum and the type its body decodes as.

use statuses_client::jobs::JobCreateResponse;
use statuses_client::jobs::log::LogGetResponse;
use statuses_client::types::{Job, JobState};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_answering(status: u16, body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs/7/log"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> statuses_client::Client {
    statuses_client::Client::builder().base_url(server.uri()).build().expect("client")
}

#[tokio::test]
async fn each_status_decodes_as_its_own_body() {
    let created = server_answering(201, r#"{"id": "7", "state": "running"}"#, "application/json").await;
    let job = Job { id: "7".into(), state: JobState::Running };
    assert_eq!(client(&created).jobs().create().await.expect("201"), JobCreateResponse::Created(job.clone()));

    let accepted = server_answering(202, r#"{"ticket": "t-1"}"#, "application/json").await;
    match client(&accepted).jobs().create().await.expect("202") {
        JobCreateResponse::Accepted(queued) => assert_eq!(queued.ticket, "t-1"),
        other => panic!("202 decoded as {other:?}"),
    }

    let nothing = server_answering(204, "", "application/json").await;
    assert_eq!(client(&nothing).jobs().create().await.expect("204"), JobCreateResponse::NoContent);

    // A success status the spec does not list decodes as the first one it does.
    let undeclared = server_answering(200, r#"{"id": "7", "state": "running"}"#, "application/json").await;
    assert_eq!(client(&undeclared).jobs().create().await.expect("200"), JobCreateResponse::Created(job));
}

#[tokio::test]
async fn an_exact_code_wins_over_a_range() {
    let text = server_answering(200, "line one\nline two", "text/plain").await;
    assert_eq!(client(&text).jobs().log().get("7").await.expect("200"), LogGetResponse::Ok("line one\nline two".into()));

    let lines = server_answering(206, r#"["line one", "line two"]"#, "application/json").await;
    assert_eq!(
        client(&lines).jobs().log().get("7").await.expect("206"),
        LogGetResponse::Success(vec!["line one".into(), "line two".into()])
    );
}
