//! `Client` and `ClientBuilder`: configuration (server URL, credentials, default parameters,
//! retry and timeout policy) gathered once, checked once in `build`, then shared cheaply by every
//! request so generated methods only borrow it.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use super::auth::{self, Credential};
use super::error::Error;
use super::info::{ApiInfo, SchemeKind};
use super::policy::Policy;
use super::secret::Secret;

/// A configured API client. Cloning is cheap (the configuration sits behind an `Arc`) and clones
/// share reqwest's connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// The shared, immutable part of a client; read by `request` and `retry`.
pub(crate) struct Inner {
    pub(crate) api: &'static ApiInfo,
    pub(crate) base_url: String,
    /// `base_url` parsed once, so a request only sets its path instead of parsing a whole URL.
    pub(crate) base: Url,
    /// The base URL's path without a trailing `/` (empty for a bare host).
    pub(crate) base_path: String,
    pub(crate) http: reqwest::Client,
    /// Credentials in wire form, built once in `build`, keyed by scheme name.
    pub(crate) auth: BTreeMap<&'static str, Credential>,
    pub(crate) default_params: BTreeMap<&'static str, String>,
    pub(crate) policy: Policy,
    /// Refuse mistyped response values instead of converting them.
    pub(crate) strict_decoding: bool,
    /// `User-Agent` plus the builder's default headers, validated once in `build`.
    pub(crate) headers: HeaderMap,
    pub(crate) hooks: Hooks,
}

/// A function run on every attempt's request just before it is sent.
pub type BeforeSend = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;
/// A function run on every response head (any status) as it arrives.
pub type AfterReceive = Arc<dyn Fn(reqwest::StatusCode, &HeaderMap) + Send + Sync>;

/// The builder's hooks, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) before_send: Vec<BeforeSend>,
    pub(crate) after_receive: Vec<AfterReceive>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured only from environment variables: credentials (the variables are
    /// listed in the crate's README), the server URL and default parameters.
    ///
    /// Fails with [`Error::MissingCredentials`], naming the variables to set, when the
    /// environment supplies no credential at all.
    pub fn from_env() -> Result<Client, Error> {
        let builder = ClientBuilder::new().from_env();
        // An API without security schemes needs no credentials, so only then is none acceptable.
        if builder.credentials.is_empty() && !builder.api.schemes.is_empty() {
            return Err(Error::MissingCredentials { message: no_env_credentials_message(builder.api) });
        }
        builder.build()
    }

    /// The server URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Resolves a parameter that the client may hold a default for: the given value, else the
    /// client's default, else an error that says how to supply it.
    #[doc(hidden)]
    pub fn path_default<'a>(&'a self, name: &'static str, given: Option<&'a str>) -> Result<&'a str, Error> {
        if let Some(value) = given {
            return Ok(value);
        }
        if let Some(value) = self.inner.default_params.get(name) {
            return Ok(value);
        }
        let env = self.inner.api.default_params.iter().find(|p| p.name == name).map(|p| p.env);
        let hint = match env {
            Some(env) => format!("pass it in the params, call ClientBuilder::{name}, or set {env}"),
            None => "pass it in the params".to_owned(),
        };
        Err(Error::MissingParameter { name, hint })
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &redact_url(&inner.base_url))
            .field("credentials", &inner.auth.keys().collect::<Vec<_>>())
            .field("default_params", &inner.default_params)
            .field("policy", &inner.policy)
            // Header values may be custom credentials; names are enough to debug with.
            .field("headers", &inner.headers.keys().map(HeaderName::as_str).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Collects client configuration; [`ClientBuilder::build`] checks it.
///
/// Values set on the builder win over environment variables, whichever order `from_env` and
/// the setters are called in.
#[must_use = "a ClientBuilder does nothing until build() is called"]
pub struct ClientBuilder {
    api: &'static ApiInfo,
    base_url: Option<String>,
    server: usize,
    server_variables: BTreeMap<String, String>,
    credentials: BTreeMap<&'static str, Secret>,
    default_params: BTreeMap<&'static str, String>,
    policy: Policy,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    headers: Vec<(String, String)>,
    strict_decoding: bool,
    hooks: Hooks,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with the defaults: the spec's server URL, no credentials, 2 retries, 60 s per
    /// attempt, 5 min per call.
    pub fn new() -> Self {
        ClientBuilder {
            api: &crate::api_info::API,
            base_url: None,
            server: 0,
            server_variables: BTreeMap::new(),
            credentials: BTreeMap::new(),
            default_params: BTreeMap::new(),
            policy: Policy::default(),
            http: None,
            user_agent: None,
            headers: Vec::new(),
            strict_decoding: false,
            hooks: Hooks::default(),
        }
    }

    /// Sends requests to this server URL instead of the spec's (a trailing `/` is ignored).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Runs `hook` on every attempt's request (retries included) just before it is sent: the
    /// place for tracing, request signing, or a token that changes (read it from shared state
    /// and set the header; the credential set on the builder is already applied).
    pub fn before_send(mut self, hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static) -> Self {
        self.hooks.before_send.push(Arc::new(hook));
        self
    }

    /// Runs `hook` on the status and headers of every response as it arrives (errors and
    /// retried attempts included), before the client decides what to do with it.
    pub fn after_receive(mut self, hook: impl Fn(reqwest::StatusCode, &HeaderMap) + Send + Sync + 'static) -> Self {
        self.hooks.after_receive.push(Arc::new(hook));
        self
    }

    /// Sends requests to the spec's server number `index` (0 is the first, the default), with
    /// its variables' defaults unless [`ClientBuilder::server_variable`] sets them. A URL given
    /// with [`ClientBuilder::base_url`] or the environment wins over this.
    pub fn server(mut self, index: usize) -> Self {
        self.server = index;
        self
    }

    /// Sets a variable of the server URL template (`region` in `https://{region}.example.com`);
    /// [`ClientBuilder::build`] checks it against the values the spec allows.
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.server_variables.insert(name.into(), value.into());
        self
    }

    /// Fills everything not set yet from the environment: each security scheme's credential
    /// variable, the server URL variable and each default parameter's variable. Empty or
    /// non-UTF-8 variables count as unset.
    pub fn from_env(mut self) -> Self {
        for scheme in self.api.schemes {
            if self.credentials.contains_key(scheme.name) {
                continue;
            }
            if let Some(value) = env_var(scheme.env) {
                self.credentials.insert(scheme.name, Secret::new(value));
            }
        }
        if self.base_url.is_none() {
            self.base_url = env_var(self.api.base_url_env);
        }
        for param in self.api.default_params {
            if self.default_params.contains_key(param.name) {
                continue;
            }
            if let Some(value) = env_var(param.env) {
                self.default_params.insert(param.name, value);
            }
        }
        self
    }

    /// Sets the credential of a security scheme by its spec name. Generated code wraps this in
    /// typed methods such as `api_token`. An empty secret counts as unset.
    #[doc(hidden)]
    pub fn credential(mut self, scheme_name: &'static str, secret: impl Into<String>) -> Self {
        let secret = Secret::new(secret);
        if secret.is_empty() {
            self.credentials.remove(scheme_name);
        } else {
            self.credentials.insert(scheme_name, secret);
        }
        self
    }

    /// Sets a default for a parameter (such as `account_id`); generated code wraps this in typed
    /// methods.
    #[doc(hidden)]
    pub fn default_param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.default_params.insert(name, value.into());
        self
    }

    /// Retries after the first attempt (default 2). `0` disables retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.policy.max_retries = retries;
        self
    }

    /// Time limit for one attempt, from sending to the last byte of the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.policy.timeout = timeout;
        self
    }

    /// Time limit for a whole call, retries and waits included (default 5 min).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.policy.deadline = deadline;
        self
    }

    /// Longest `Retry-After` / `retry-after-ms` wait honoured (default 60 s); a longer one falls
    /// back to the computed backoff rather than stalling the caller.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.policy.max_retry_after = cap;
        self
    }

    /// Backoff before the first retry (default 0.5 s); it doubles on each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.policy.initial_backoff = backoff;
        self
    }

    /// Upper bound of the computed backoff (default 8 s).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.policy.max_backoff = backoff;
        self
    }

    /// Uses this reqwest client (proxies, TLS roots, pool settings). Its own timeouts, if any,
    /// also apply; the runtime's per-attempt timeout is enforced either way.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Replaces the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Adds a header sent with every request. Its value is treated as sensitive: it is never
    /// printed.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Refuses a response value of the wrong JSON type (`"true"` where the spec says boolean)
    /// with [`Error::Decode`] instead of converting it. Off by default: specs often type a field
    /// differently from what servers send, and a converted value is still reported in
    /// [`ApiResponse::coerced`](crate::runtime::ApiResponse::coerced).
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] when the server URL is not an absolute `http(s)` URL or a
    /// header is malformed, and with [`Error::Http`] when reqwest cannot build its client.
    pub fn build(self) -> Result<Client, Error> {
        let server_url = match (&self.base_url, self.api.servers.get(self.server)) {
            (Some(_), _) => None,
            (None, Some(server)) => Some(server.url(&self.server_variables).map_err(|message| Error::Config { message })?),
            (None, None) if self.server > 0 || !self.server_variables.is_empty() => {
                let message = format!("the API description has {} server(s); there is no server {}", self.api.servers.len(), self.server);
                return Err(Error::Config { message });
            }
            (None, None) => None,
        };
        let raw_base = self.base_url.as_deref().or(server_url.as_deref()).unwrap_or(self.api.default_base_url);
        let (base, base_url) = check_base_url(raw_base, self.api.base_url_env)?;
        let base_path = base.path().trim_end_matches('/').to_owned();
        let auth = auth::prepare(self.api, &self.credentials)?;
        let mut headers = HeaderMap::new();
        let user_agent = self.user_agent.as_deref().unwrap_or(self.api.user_agent);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| Error::Config { message: "the user agent is not a valid header value".to_owned() })?;
        headers.insert(USER_AGENT, user_agent);
        for (name, value) in &self.headers {
            let (name, value) = header_pair(name, value)?;
            headers.append(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                install_tls_provider();
                reqwest::Client::builder().build().map_err(Error::Http)?
            }
        };
        let inner = Inner {
            api: self.api,
            base_url,
            base,
            base_path,
            http,
            auth,
            default_params: self.default_params,
            policy: self.policy,
            strict_decoding: self.strict_decoding,
            headers,
            hooks: self.hooks,
        };
        Ok(Client { inner: Arc::new(inner) })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("default_params", &self.default_params)
            .field("policy", &self.policy)
            .field("user_agent", &self.user_agent)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("strict_decoding", &self.strict_decoding)
            .finish_non_exhaustive()
    }
}

/// Parses a header the user configured. The value is marked sensitive so hyper and reqwest
/// never print it, and errors name the header but never echo its value.
pub(crate) fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Config { message: format!("{name:?} is not a valid header name") })?;
    let mut header_value = HeaderValue::from_str(value)
        .map_err(|_| Error::Config { message: format!("the value of header {name} is not a valid header value") })?;
    header_value.set_sensitive(true);
    Ok((header_name, header_value))
}

/// Requests are built by appending a path to the base URL, so it must be an absolute http(s)
/// URL with no query or fragment that the path would land after.
fn check_base_url(raw: &str, env: &str) -> Result<(Url, String), Error> {
    let invalid = |why: String| Error::Config {
        message: format!("base URL {} (from ClientBuilder::base_url or {env}): {why}", redact_url(raw)),
    };
    let url = Url::parse(raw).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid("must be an absolute http:// or https:// URL".to_owned()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment".to_owned()));
    }
    let trimmed = url.as_str().trim_end_matches('/').to_owned();
    Ok((url, trimmed))
}

/// A URL for display, with any password replaced, since a base URL may carry userinfo.
fn redact_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("redacted"));
            url.to_string()
        }
        Ok(_) => raw.to_owned(),
        // Unparseable: userinfo cannot be located reliably, so such a URL is not shown at all.
        Err(_) if raw.contains('@') => "(not shown: it seems to contain a password)".to_owned(),
        // Show only a prefix in case it is something pasted by mistake.
        Err(_) => raw.chars().take(64).collect(),
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Names the variables to set, grouped by the spec's top-level security alternatives when it
/// has them (`A, or B and C`); otherwise every credential variable, token-like schemes first.
fn no_env_credentials_message(api: &ApiInfo) -> String {
    if !api.security.is_empty() {
        return format!(
            "no credentials found in the environment: set {}, or pass credentials to the ClientBuilder",
            super::auth::env_groups(api, api.security)
        );
    }
    let mut names: Vec<&str> = api
        .schemes
        .iter()
        .filter(|s| matches!(s.kind, SchemeKind::Bearer | SchemeKind::Basic))
        .map(|s| s.env)
        .collect();
    names.extend(
        api.schemes.iter().filter(|s| !matches!(s.kind, SchemeKind::Bearer | SchemeKind::Basic)).map(|s| s.env),
    );
    let list = match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "no credentials found in the environment: set {list} (each operation's documentation says which \
         combination it accepts), or pass credentials to the ClientBuilder"
    )
}

/// With the `rustls-ring` feature, reqwest's rustls has no crypto provider of its own: make ring
/// the process default, unless the program installed one already.
fn install_tls_provider() {
    #[cfg(feature = "rustls-ring")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one between the check and here; either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls")))]
compile_error!(
    "choose a TLS backend: enable one of the features `rustls-ring` (the default), `rustls-aws-lc` or `native-tls`"
);
