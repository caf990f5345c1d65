//! Credentials in wire form and the choice of which to send. `prepare` turns each configured
//! secret into its header (or query pair, or cookie) once, when the client is built, so a bad
//! credential fails early and requests only copy ready values. This is the only code that reads
//! a secret's value.

use std::collections::BTreeMap;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue};

use super::encode;
use super::error::Error;
use super::info::{ApiInfo, SchemeKind};
use super::secret::Secret;

/// A credential ready to go on a request.
pub(crate) enum Credential {
    /// A header (Bearer and Basic become `Authorization`), its value marked sensitive.
    Header(HeaderName, HeaderValue),
    /// A query parameter and its value.
    Query(&'static str, Secret),
    /// One `name=value` pair of the `Cookie` header.
    Cookie(Secret),
}

/// Wire forms of the configured credentials, keyed by scheme name. Credentials for schemes the
/// spec does not declare are dropped: no operation can ask for them.
pub(crate) fn prepare(
    api: &ApiInfo,
    credentials: &BTreeMap<&'static str, Secret>,
) -> Result<BTreeMap<&'static str, Credential>, Error> {
    let mut prepared = BTreeMap::new();
    for scheme in api.schemes {
        let Some(secret) = credentials.get(scheme.name).filter(|s| !s.is_empty()) else {
            continue;
        };
        let credential = match scheme.kind {
            SchemeKind::Bearer => {
                Credential::Header(AUTHORIZATION, sensitive(scheme.name, &format!("Bearer {}", secret.expose()))?)
            }
            SchemeKind::Basic => {
                let encoded = encode::base64(secret.expose().as_bytes());
                Credential::Header(AUTHORIZATION, sensitive(scheme.name, &format!("Basic {encoded}"))?)
            }
            SchemeKind::Header(header) => {
                let header = HeaderName::from_bytes(header.as_bytes()).map_err(|_| Error::Config {
                    message: format!(
                        "security scheme {} names an invalid header; this is a generator bug",
                        scheme.name
                    ),
                })?;
                Credential::Header(header, sensitive(scheme.name, secret.expose())?)
            }
            SchemeKind::Query(param) => Credential::Query(param, secret.clone()),
            SchemeKind::Cookie(cookie) => Credential::Cookie(Secret::new(format!("{cookie}={}", secret.expose()))),
        };
        prepared.insert(scheme.name, credential);
    }
    Ok(prepared)
}

/// Adds the credentials of the first satisfiable alternative of `security` (an OR of ANDs of
/// scheme names) to `headers` or `query`. An empty `security` means the operation is public.
pub(crate) fn apply(
    api: &ApiInfo,
    ready: &BTreeMap<&'static str, Credential>,
    operation_id: &str,
    security: &[&[&str]],
    headers: &mut HeaderMap,
    query: &mut Vec<(&'static str, String)>,
) -> Result<(), Error> {
    if security.is_empty() {
        return Ok(());
    }
    let Some(chosen) = security.iter().find(|alternative| alternative.iter().all(|name| ready.contains_key(name)))
    else {
        return Err(Error::MissingCredentials { message: missing_message(api, operation_id, security) });
    };
    let mut cookies: Vec<&str> = Vec::new();
    for credential in chosen.iter().filter_map(|name| ready.get(name)) {
        match credential {
            Credential::Header(name, value) => {
                headers.insert(name.clone(), value.clone());
            }
            Credential::Query(param, secret) => query.push((param, secret.expose().to_owned())),
            Credential::Cookie(pair) => cookies.push(pair.expose()),
        }
    }
    if !cookies.is_empty() {
        headers.append(COOKIE, sensitive("cookie", &cookies.join("; "))?);
    }
    Ok(())
}

/// A header value hyper will never print; errors name the scheme, never the value.
fn sensitive(scheme: &str, value: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| Error::Config {
        message: format!("the credential for {scheme} contains characters not allowed in an HTTP header"),
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// "set EXAMPLE_API_TOKEN, or EXAMPLE_EMAIL and EXAMPLE_API_KEY": one group per
/// alternative, so the user knows which variables go together.
fn missing_message(api: &ApiInfo, operation_id: &str, security: &[&[&str]]) -> String {
    format!("{operation_id} needs credentials: set {}, or pass them to the ClientBuilder", env_groups(api, security))
}

/// The environment variables of each security alternative, grouped: `A, or B and C`.
pub(crate) fn env_groups(api: &ApiInfo, security: &[&[&str]]) -> String {
    let groups: Vec<String> = security
        .iter()
        .map(|alternative| {
            let vars: Vec<&str> = alternative
                .iter()
                .map(|name| api.schemes.iter().find(|s| s.name == *name).map_or(*name, |s| s.env))
                .collect();
            vars.join(" and ")
        })
        .collect();
    groups.join(", or ")
}
