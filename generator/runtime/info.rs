//! Static description of the API (server URL, security schemes, default parameters) that the
//! generator emits as `crate::api_info::API`. It is data rather than code so the runtime can stay
//! identical across every generated crate.

/// What the runtime needs to know about the API it talks to.
#[derive(Debug, Clone, Copy)]
pub struct ApiInfo {
    /// Server URL used when neither the builder nor the environment names one.
    pub default_base_url: &'static str,
    /// Environment variable that overrides the server URL (read by `ClientBuilder::from_env`).
    pub base_url_env: &'static str,
    /// The spec's servers, in order; `ClientBuilder::server` picks one.
    pub servers: &'static [ServerInfo],
    /// `User-Agent` sent with every request unless the builder overrides it.
    pub user_agent: &'static str,
    /// Every security scheme the spec declares, in a stable order.
    pub schemes: &'static [SchemeInfo],
    /// Parameters (such as an account id) a client may supply once instead of on every call.
    pub default_params: &'static [DefaultParamInfo],
    /// The spec's top-level security alternatives (OR of ANDs of scheme names), bearer-like
    /// first; used to tell users which variables go together.
    pub security: &'static [&'static [&'static str]],
    /// Response header that names the request on the server side (for example `x-request-id`),
    /// shown in errors so support can find the call; `None` when the API has none.
    pub request_id_header: Option<&'static str>,
}

/// A server of the spec: a URL template whose `{variables}` have defaults.
#[derive(Debug, Clone, Copy)]
pub struct ServerInfo {
    /// The URL template, for example `https://{region}.example.com/{version}`.
    pub url: &'static str,
    pub description: Option<&'static str>,
    /// Each variable's name, default and allowed values (empty: any value).
    pub variables: &'static [(&'static str, &'static str, &'static [&'static str])],
}

impl ServerInfo {
    /// The URL with each variable replaced by its value in `values`, else its default; the
    /// reason when a value is not one of the allowed ones or names no variable.
    pub fn url(&self, values: &std::collections::BTreeMap<String, String>) -> Result<String, String> {
        if let Some(unknown) = values.keys().find(|k| !self.variables.iter().any(|(name, ..)| name == k)) {
            let known: Vec<&str> = self.variables.iter().map(|(name, ..)| *name).collect();
            return Err(format!("server `{}` has no variable `{unknown}` (it has: {})", self.url, known.join(", ")));
        }
        let mut url = self.url.to_owned();
        for (name, default, allowed) in self.variables {
            let value = values.get(*name).map_or(*default, String::as_str);
            if !allowed.is_empty() && !allowed.contains(&value) {
                return Err(format!("server variable `{name}` is `{value}`; allowed: {}", allowed.join(", ")));
            }
            url = url.replace(&format!("{{{name}}}"), value);
        }
        Ok(url)
    }
}

/// One security scheme of the spec and the environment variable that may supply its credential.
#[derive(Debug, Clone, Copy)]
pub struct SchemeInfo {
    /// The scheme's name in the spec; operations refer to schemes by this name.
    pub name: &'static str,
    /// How the credential goes on the wire.
    pub kind: SchemeKind,
    /// Environment variable read by `ClientBuilder::from_env`.
    pub env: &'static str,
}

/// How a credential is attached to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic base64(<secret>)`; the secret is `user:password`.
    Basic,
    /// The secret is the value of this request header.
    Header(&'static str),
    /// The secret is the value of this query parameter.
    Query(&'static str),
    /// The secret is the value of this cookie.
    Cookie(&'static str),
}

/// A parameter a client can hold a default for, and the environment variable that may supply it.
#[derive(Debug, Clone, Copy)]
pub struct DefaultParamInfo {
    /// Parameter name as it appears in operations (for example `account_id`).
    pub name: &'static str,
    /// Environment variable read by `ClientBuilder::from_env`.
    pub env: &'static str,
}
