//! Prism (tests/src/prism.rs) on the project's spec: a valid request is answered from the spec, an
//! invalid one is refused and reported in Prism's log. Needs Node.js; installs Prism on first use.

use serde_json::Value;
use tests::prism::Prism;

const SYNC: &str = "/accounts/a86a8f5c339544d7bdc89926de14fb8c/access/ai-controls/mcp/servers";

#[tokio::test]
async fn prism_validates_requests_against_the_spec() {
    let prism = Prism::start(&tests::repo().join("spec/openapi.yaml"));
    let http = reqwest::Client::new();

    let ok = http
        .post(format!("{}{SYNC}/my-mcp-portal/sync", prism.url))
        .bearer_auth("tok-1234")
        .send()
        .await
        .expect("Prism answers");
    let status = ok.status();
    let body = json(ok.bytes().await.expect("a body"));
    assert!(status.is_success(), "valid request: {status} {body}\n{}", prism.log());
    assert_eq!(body["success"], true, "{body}");
    assert!(prism.violations().is_empty(), "valid request flagged: {:#?}", prism.violations());

    // 33 characters: the spec's maxLength for the server id is 32.
    let long_id = "a".repeat(33);
    let bad = http
        .post(format!("{}{SYNC}/{long_id}/sync", prism.url))
        .bearer_auth("tok-1234")
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(bad.status().as_u16(), 422);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let problem = json(bad.bytes().await.expect("a body"));
    assert_eq!(problem["validation"][0]["code"], "maxLength", "{problem}");
    assert_eq!(problem["validation"][0]["location"], serde_json::json!(["path", "id"]), "{problem}");
    let violations = prism.violations();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert!(
        violations[0].ends_with("Request path parameter id must NOT have more than 32 characters"),
        "{violations:#?}"
    );

    let anonymous = http.post(format!("{}{SYNC}/my-mcp-portal/sync", prism.url)).send().await.expect("Prism answers");
    assert_eq!(anonymous.status().as_u16(), 401);
    let violations = prism.violations();
    assert!(violations.last().is_some_and(|v| v.ends_with("Invalid security scheme used")), "{violations:#?}");
}

fn json(bytes: impl AsRef<[u8]>) -> Value {
    let bytes = bytes.as_ref();
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}
