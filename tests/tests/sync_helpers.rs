//! The hand-written domain helpers (spec/extensions/server_sync.rs) on the sync result.

use cloudflare_api::zero_trust::access::ai_controls::mcp::servers::{ServerSyncResponse, ServerSyncResponseStatus};
use serde_json::json;

fn parse(value: serde_json::Value) -> ServerSyncResponse {
    serde_json::from_value(value).expect("a sync result")
}

#[test]
fn retryable_follows_error_details() {
    let failed = parse(
        json!({"status": "error", "error": "timeout", "error_details": {"retryable": true, "is_upstream": false}}),
    );
    assert!(failed.is_retryable() && failed.is_error() && !failed.is_ready());
    let permanent = parse(json!({"status": "error", "error_details": {"retryable": false}}));
    assert!(!permanent.is_retryable() && permanent.is_error());
}

#[test]
fn ready_results_are_not_errors() {
    let ready = parse(json!({"status": "ready"}));
    assert!(ready.is_ready() && !ready.is_error() && !ready.is_retryable());
    assert_eq!(ready.status, Some(ServerSyncResponseStatus::Ready));
}

#[test]
fn unknown_status_values_and_fields_are_kept_or_ignored() {
    let later = parse(json!({"status": "paused", "new_field": 1}));
    assert_eq!(later.status, Some(ServerSyncResponseStatus::Unknown("paused".into())));
    assert_eq!(later.status.as_ref().map(|s| s.as_str()), Some("paused"));
    assert!(!later.is_ready() && !later.is_error());
    let empty = parse(json!({}));
    assert_eq!(empty, ServerSyncResponse::default());
}
