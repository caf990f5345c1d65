//! The generated client's own cost per call: one `sync` call through the client (validation,
//! auth, retry loop, tracing, envelope decoding) against the same call written by hand with
//! reqwest, both on one reqwest client and one local server, so the difference is the runtime.

use std::time::Duration;

use cloudflare_api::Client;
use cloudflare_api::zero_trust::access::ai_controls::mcp::servers::ServerSyncResponse;
use criterion::{Criterion, criterion_group, criterion_main};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "bench-token";
const SYNC_PATH: &str = "/accounts/acc1/access/ai-controls/mcp/servers/my-portal/sync";

/// The hand-written call parses the same envelope into the same result type.
#[derive(serde::Deserialize)]
struct Envelope {
    success: bool,
    #[serde(default)]
    errors: Vec<serde_json::Value>,
    result: ServerSyncResponse,
}

fn client_overhead(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    // Recording every request would make the server slower as the benchmark runs.
    let server = rt.block_on(MockServer::builder().disable_request_recording().start());
    let body = serde_json::json!({"result":{"error":"error","error_details":{"cause":"cause","is_upstream":true,"mcp_code":0,"retryable":true,"status_code":0},"status":"status"},"success":true});
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(SYNC_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server),
    );
    let http = reqwest::Client::builder().build().expect("reqwest client");
    let client = Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .account_id("acc1")
        .http_client(http.clone())
        .build()
        .expect("client");
    let url = format!("{}{SYNC_PATH}", server.uri());

    let mut group = c.benchmark_group("sync_call");
    group.bench_function("generated_client", |b| {
        b.to_async(&rt).iter(|| async {
            let servers = client.zero_trust().access().ai_controls().mcp().servers();
            servers.sync("my-portal").await.expect("sync")
        })
    });
    group.bench_function("hand_written_reqwest", |b| b.to_async(&rt).iter(|| hand_written(&http, &url, None)));
    // The same hand-written call with a per-request timeout, which any production call needs:
    // it shows how much of the difference is the cost of arming a timer, not the runtime.
    let timeout = Some(Duration::from_secs(60));
    group.bench_function("hand_written_reqwest_with_timeout", |b| {
        b.to_async(&rt).iter(|| hand_written(&http, &url, timeout))
    });
    group.finish();
}

async fn hand_written(http: &reqwest::Client, url: &str, timeout: Option<Duration>) -> ServerSyncResponse {
    let mut request = http
        .post(url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("user-agent", "cloudflare-api-rust/0.1.0")
        .header("x-retry-count", "0");
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let response = request.send().await.expect("send");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("body");
    let envelope: Envelope = serde_json::from_slice(&bytes).expect("envelope");
    assert!(envelope.success && envelope.errors.is_empty());
    envelope.result
}

criterion_group! {
    name = benches;
    // Short runs: the point is the ratio between the two, which settles quickly.
    config = Criterion::default().warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(5));
    targets = client_overhead
}
criterion_main!(benches);
