//! Domain helpers for the result of Sync MCP Server Capabilities.

use crate::zero_trust::access::ai_controls::mcp::servers::{ServerSyncResponse, ServerSyncResponseStatus};

impl ServerSyncResponse {
    /// Whether the sync failed in a way the server calls transient (`error_details.retryable`),
    /// so syncing again later may succeed. `false` when there are no error details.
    pub fn is_retryable(&self) -> bool {
        self.error_details.as_ref().and_then(|d| d.retryable).unwrap_or(false)
    }

    /// Whether the server reports the MCP server as ready.
    pub fn is_ready(&self) -> bool {
        matches!(self.status, Some(ServerSyncResponseStatus::Ready))
    }

    /// Whether the sync reported a failure: status `error`, or an `error` message.
    pub fn is_error(&self) -> bool {
        matches!(self.status, Some(ServerSyncResponseStatus::Error)) || self.error.is_some()
    }
}
