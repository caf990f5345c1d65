//! The crate's name and its environment variables (prefix, client defaults, credentials),
//! read like the official SDKs' (`CLOUDFLARE_API_TOKEN`, `STRIPE_TOKEN`).

use heck::ToShoutySnakeCase;

use crate::model::{Api, Unnamed};

/// The crate's name (the config's, else the title's words), the environment variable prefix
/// (the config's, else the crate name's words) and the env vars of derived client defaults.
pub(super) fn name_crate(api: &mut Api<Unnamed>) {
    if api.crate_name.is_empty() {
        api.crate_name = crate_name(&api.title);
    }
    if api.env_prefix.is_empty() {
        api.env_prefix = env_prefix(&api.title, &api.crate_name);
    }
    for (param, env) in api.client_defaults.iter_mut().filter(|(_, env)| env.is_empty()) {
        *env = format!("{}_{}", api.env_prefix, param.to_shouty_snake_case());
    }
}

/// Words of a title that say nothing about which API it is.
const GENERIC_TITLE_WORDS: &[&str] =
    &["API", "APIS", "CLIENT", "REST", "RESTFUL", "OPENAPI", "SWAGGER", "SERVICE", "SERVICES", "SPEC", "THE", "HTTP"];

/// The environment variable prefix: the title's words without the generic ones (`GitHub v3 REST
/// API` → `GITHUB`, `Microsoft Graph` → `MICROSOFT_GRAPH`), at most three; else the crate name's.
fn env_prefix(title: &str, crate_name: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_uppercase)
        .filter(|w| !w.is_empty() && !GENERIC_TITLE_WORDS.contains(&w.as_str()))
        .filter(|w| !(w.starts_with('V') && w.len() > 1 && w[1..].chars().all(|c| c.is_ascii_digit())))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .take(3)
        .collect();
    let prefix = if words.is_empty() { crate_name.replace('-', "_").to_shouty_snake_case() } else { words.join("_") };
    if prefix.starts_with(|c: char| c.is_ascii_digit()) { format!("API_{prefix}") } else { prefix }
}

/// Words of a security scheme's name that only say it is one (`bearerAuth`, `oauth2`).
const GENERIC_SCHEME_WORDS: &[&str] = &[
    "AUTH",
    "AUTHORIZATION",
    "BEARER",
    "BASIC",
    "HTTP",
    "SECURITY",
    "SCHEME",
    "OAUTH",
    "OAUTH2",
    "JWT",
    "OPENID",
    "OIDC",
];

/// A scheme's environment variable: `PREFIX_` and its name without the generic words
/// (`api_token` → `PREFIX_API_TOKEN`, `ApiKeyAuth` → `PREFIX_API_KEY`), or when nothing is left,
/// what it holds (`bearerAuth` → `PREFIX_TOKEN`, `basicAuth` → `PREFIX_CREDENTIALS`).
pub(super) fn scheme_env(prefix: &str, scheme: &crate::model::Scheme) -> String {
    use crate::model::SchemeKind;
    // `OAuth2` is one word, not `O_AUTH2`.
    let name = oauth_as_one_word(&scheme.name);
    let prefix_words: Vec<&str> = prefix.split('_').collect();
    let words: Vec<String> = name
        .to_shouty_snake_case()
        .split('_')
        .filter(|w| !w.is_empty() && !GENERIC_SCHEME_WORDS.contains(w) && !prefix_words.contains(w))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .map(String::from)
        .collect();
    let mut name = words.join("_");
    if name.is_empty() {
        name = match scheme.kind {
            SchemeKind::Bearer => "TOKEN",
            SchemeKind::Basic => "CREDENTIALS",
            SchemeKind::Header(_) | SchemeKind::Query(_) | SchemeKind::Cookie(_) => "API_KEY",
        }
        .to_string();
    }
    format!("{prefix}_{name}")
}

/// `OAuth`, `Oauth`, `OAUTH` spelled `Oauth`, so case conversion keeps it one word.
fn oauth_as_one_word(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.to_ascii_lowercase().find("oauth") {
        out.push_str(&rest[..i]);
        out.push_str("Oauth");
        rest = &rest[i + 5..];
    }
    out.push_str(rest);
    out
}

/// The spec title in kebab case with `-client` (`api-` first when it starts with a digit).
fn crate_name(title: &str) -> String {
    let name = heck::ToKebabCase::to_kebab_case(title);
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let name = name.trim_matches('-').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}").trim_end_matches('-').to_string()
    } else {
        format!("{name}-client")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_read_like_the_official_sdks() {
        use crate::model::{Scheme, SchemeKind};
        assert_eq!(env_prefix("GitHub v3 REST API", "x"), "GITHUB");
        assert_eq!(env_prefix("Cloudflare API", "x"), "CLOUDFLARE");
        assert_eq!(env_prefix("Microsoft Graph", "x"), "MICROSOFT_GRAPH");
        assert_eq!(env_prefix("1Forge Finance APIs", "x"), "API_1FORGE_FINANCE");
        assert_eq!(env_prefix("API", "my-client"), "MY_CLIENT");
        let scheme = |name: &str, kind| Scheme {
            name: name.into(),
            kind,
            env: String::new(),
            description: None,
            ident: String::new(),
        };
        assert_eq!(scheme_env("STRIPE", &scheme("bearerAuth", SchemeKind::Bearer)), "STRIPE_TOKEN");
        assert_eq!(scheme_env("STRIPE", &scheme("basicAuth", SchemeKind::Basic)), "STRIPE_CREDENTIALS");
        assert_eq!(scheme_env("CLOUDFLARE", &scheme("api_token", SchemeKind::Bearer)), "CLOUDFLARE_API_TOKEN");
        assert_eq!(scheme_env("X", &scheme("OAuth2UserToken", SchemeKind::Bearer)), "X_USER_TOKEN");
        assert_eq!(scheme_env("SLACK", &scheme("slackAuth", SchemeKind::Bearer)), "SLACK_TOKEN");
        assert_eq!(scheme_env("X", &scheme("ApiKeyAuth", SchemeKind::Header("k".into()))), "X_API_KEY");
    }
}
