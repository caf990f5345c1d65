//! Retry and timeout settings (`Policy`): the client holds the defaults, a request may override
//! them, `retry` applies them.

use std::time::Duration;

/// Retry and timeout settings; the client holds the defaults, a request may override them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
}

impl Default for Policy {
    /// The values of Stainless-generated official SDKs, plus a deadline so retries cannot hang a caller.
    fn default() -> Self {
        Policy {
            max_retries: 2,
            timeout: Duration::from_secs(60),
            deadline: Duration::from_secs(300),
            max_retry_after: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
        }
    }
}
