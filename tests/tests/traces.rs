//! What the runtime's tracing shows, and what it never shows. These tests live in their own
//! binary with one process-wide subscriber, installed before any test touches a tracing callsite:
//! tracing caches each callsite's interest for the whole process, so a per-thread subscriber
//! installed while other tests run in parallel can miss events (it did, on CI).

use std::time::Duration;

use cloudflare_api::runtime::Request;
use cloudflare_api::zero_trust::access::ai_controls::mcp::servers::{ServerSyncParams, ServerSyncResponse};
use cloudflare_api::{Client, ClientBuilder, Error};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-SECRET-1234";
const SYNC_TEMPLATE: &str = "/accounts/{account_id}/access/ai-controls/mcp/servers/{id}/sync";

fn builder(base_url: String) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .api_token(TOKEN)
        .account_id("acc1")
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
        .timeout(Duration::from_secs(5))
}

fn sync<'c>(client: &'c Client, id: &str) -> Request<'c, ServerSyncResponse, ServerSyncParams> {
    client.zero_trust().access().ai_controls().mcp().servers().sync(id)
}

#[tokio::test]
async fn secrets_never_appear_in_debug_display_or_traces() {
    let recording = capture::start();
    let server = MockServer::start().await;
    let body = json!({"success": false, "errors": [{"code": 7002, "message": "Not Found"}]});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(404).set_body_json(body)).mount(&server).await;
    let secrets = [TOKEN, "KEY-SECRET-42", "USK-SECRET-7", "HDR-SECRET-9", "PASS-SECRET-3"];
    let builder = builder(server.uri())
        .api_email("me@example.com")
        .api_key(secrets[1])
        .user_service_key(secrets[2])
        .header("x-custom-auth", secrets[3]);
    let mut shown = vec![format!("{builder:?}")];
    let client = builder.max_retries(1).build().unwrap();
    shown.push(format!("{client:?}"));

    let api = sync(&client, "my-portal").header("x-other", secrets[3]).await.unwrap_err();
    shown.push(format!("{api} {api:?}"));
    let traced = recording.text();
    assert!(
        traced.contains(SYNC_TEMPLATE) && traced.contains("attempt=0") && traced.contains("status=404"),
        "{traced}"
    );
    shown.push(traced);

    let no_key = Client::builder().base_url(server.uri()).api_email("me@example.com").account_id("a").build().unwrap();
    let missing = sync(&no_key, "my-portal").await.unwrap_err();
    shown.push(format!("{missing} {missing:?}"));
    let userinfo = Client::builder().base_url(format!("http://user:{}@127.0.0.1:1", secrets[4])).build().unwrap();
    shown.push(format!("{userinfo:?}"));
    for bad_url in
        [format!("http://user:{}@127.0.0.1:1?q", secrets[4]), format!("http://user:{}@127.0.0.1:x", secrets[4])]
    {
        let bad = Client::builder().base_url(bad_url).build().unwrap_err();
        shown.push(format!("{bad} {bad:?}"));
    }

    for text in &shown {
        for secret in secrets {
            assert!(!text.contains(secret), "secret {secret} leaked in: {text}");
        }
    }
    assert!(shown[0].contains("api_token") && shown[0].contains("x-custom-auth"), "names stay visible: {}", shown[0]);
}

#[tokio::test]
async fn traces_show_the_path_template_never_parameter_values() {
    let recording = capture::start();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client =
        builder(format!("http://127.0.0.1:{port}")).account_id("acct-private-77").max_retries(1).build().unwrap();

    let result = sync(&client, "portal-private-88").await;

    assert!(matches!(result, Err(Error::Connection { attempts: 2, .. })), "{result:?}");
    let traced = recording.text();
    assert!(traced.contains("retrying") && traced.contains("operation=mcp-portals-api-sync-server"), "{traced}");
    assert!(traced.contains(SYNC_TEMPLATE), "{traced}");
    for value in ["acct-private-77", "portal-private-88", TOKEN] {
        assert!(!traced.contains(value), "{value} leaked in traces: {traced}");
    }
}

/// One process-wide subscriber that records every span and event field as text, into the
/// recording of the thread that emitted it (`#[tokio::test]` runs the client on the test's
/// thread), so tests running in parallel each see their own lines.
mod capture {
    use std::cell::RefCell;
    use std::fmt::{Debug, Write as _};
    use std::rc::Rc;
    use std::sync::Once;
    use std::sync::atomic::{AtomicU64, Ordering};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    thread_local! {
        static LINES: RefCell<Option<Rc<RefCell<Vec<String>>>>> = const { RefCell::new(None) };
    }

    /// The lines this thread has emitted since `start`.
    pub struct Recording(Rc<RefCell<Vec<String>>>);

    impl Recording {
        pub fn text(&self) -> String {
            self.0.borrow().join("\n")
        }
    }

    /// Installs the subscriber (once per process, before the caller touches any callsite) and
    /// starts recording this thread's lines.
    pub fn start() -> Recording {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(Capture { next_id: AtomicU64::new(1) })
                .expect("no other global subscriber in this test binary");
        });
        let lines = Rc::new(RefCell::new(Vec::new()));
        LINES.with(|slot| *slot.borrow_mut() = Some(lines.clone()));
        Recording(lines)
    }

    fn push(line: String) {
        LINES.with(|slot| {
            if let Some(lines) = slot.borrow().as_ref() {
                lines.borrow_mut().push(line);
            }
        });
    }

    struct Capture {
        next_id: AtomicU64,
    }

    struct Line(String);

    impl Visit for Line {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            let _ = write!(self.0, "{}={value:?} ", field.name());
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            let _ = write!(self.0, "{}={value} ", field.name());
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut line = Line(format!("span {} ", span.metadata().name()));
            span.record(&mut line);
            push(line.0);
            Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut line = Line("record ".to_owned());
            values.record(&mut line);
            push(line.0);
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut line = Line(format!("event {} ", event.metadata().level()));
            event.record(&mut line);
            push(line.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}
