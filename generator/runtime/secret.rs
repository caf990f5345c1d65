//! `Secret`: a credential wrapper whose only job is to keep credentials out of logs, `Debug`
//! output and error messages, so a client can be printed or traced without leaking a token.

use std::fmt;
use std::sync::Arc;

/// A credential (API token, API key, password) that never prints its value.
///
/// `Debug` shows `Secret([redacted])` and there is deliberately no `Display`, so a secret cannot
/// end up in a log line or an error message by accident. The value is only read when the runtime
/// builds the authentication header of a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// Returns the credential itself. Only call this where the value must go on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the credential is the empty string (an empty environment variable counts as unset).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(secret.expose(), "hunter2");
    }
}
