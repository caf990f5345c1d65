//! Stage 3, naming: the only place that makes Rust identifiers.
//!
//! Case conversion with heck is only the first step: heck maps `+1` and `-1` both to `1`, and
//! `"200"` to something that is not an identifier. Symbols are spelled out first, keywords are
//! escaped, and every scope (module, struct, enum, method list) is one [`Namespace`] in which a
//! clash gets a stable numeric suffix and a warning, never a silent overwrite.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::diag::Diagnostics;
use crate::model::{Api, Home, ResourceNames, TypeDef, TypeKind, Unnamed};
use crate::pointer;

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Longest type name we emit; longer hints drop their middle words.
const MAX_TYPE_NAME: usize = 64;

/// Spells out symbols heck would drop, so `+1`/`-1` and `a*`/`a` stay distinct.
fn spell(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let word = match c {
            '+' => Some("plus"),
            '-' if i == 0 && chars.get(1).is_some_and(|n| n.is_ascii_digit() || *n == '.') => Some("minus"),
            '*' => Some("star"),
            '<' => Some("lt"),
            '>' => Some("gt"),
            '=' => Some("eq"),
            '!' => Some("not"),
            '@' => Some("at"),
            '#' => Some("hash"),
            '%' => Some("percent"),
            '&' => Some("and"),
            '.' if i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) => {
                Some("dot")
            }
            _ => None,
        };
        if let Some(w) = word {
            out.push(' ');
            out.push_str(w);
            out.push(' ');
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            // Non-ASCII letters would make identifiers users cannot type; keep them distinct.
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    out
}

/// `UpperCamelCase` identifier for a type or variant; never empty, never a keyword.
pub fn pascal(s: &str) -> String {
    let mut name = spell(s).to_upper_camel_case();
    if name.is_empty() {
        name = if s.is_empty() { "Empty".into() } else { "Value".into() };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if name == "Self" {
        name = "SelfValue".into();
    }
    name
}

/// `snake_case` identifier for a field, method, argument or module; keywords escaped.
pub fn snake(s: &str) -> String {
    let mut name = spell(s).to_snake_case();
    if name.is_empty() {
        name = if s.is_empty() { "empty".into() } else { "value".into() };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "n_");
    }
    escape(name)
}

/// `r#type` for keywords that may be raw; `self_` for those that may not.
pub fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Module names are also file names, so keywords get a suffix instead of `r#`.
pub fn module(s: &str) -> String {
    let name = snake(s);
    match name.strip_prefix("r#") {
        Some(k) => format!("{k}_"),
        None => name,
    }
}

/// Builds a type name from hint words, bounded in length.
pub fn type_name(words: &[String]) -> String {
    let parts: Vec<String> = words.iter().map(|w| pascal(w)).collect();
    let mut name = parts.concat();
    if name.len() > MAX_TYPE_NAME && parts.len() > 2 {
        // Keep the first word (the owner) and as many trailing words as fit.
        let mut tail: Vec<&String> = Vec::new();
        let mut len = parts[0].len();
        for p in parts[1..].iter().rev() {
            if len + p.len() > MAX_TYPE_NAME && !tail.is_empty() {
                break;
            }
            len += p.len();
            tail.push(p);
        }
        tail.reverse();
        name = std::iter::once(&parts[0]).chain(tail).map(String::as_str).collect();
    }
    name
}

/// One scope of identifiers. Claims are first-come; a clash gets `2`, `3`, ... appended.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: BTreeSet<String>,
}

impl Namespace {
    pub fn with_reserved(names: &[&str]) -> Self {
        Namespace { used: names.iter().map(|s| s.to_string()).collect() }
    }

    /// Returns the name to use and whether it had to change.
    pub fn claim(&mut self, name: &str) -> (String, bool) {
        self.claim_with(name, "")
    }

    /// Like [`Namespace::claim`], but tries `name_word` before any number.
    pub fn claim_with(&mut self, name: &str, word: &str) -> (String, bool) {
        if self.used.insert(name.to_string()) {
            return (name.to_string(), false);
        }
        let with_word = format!("{}_{word}", name.strip_prefix("r#").unwrap_or(name).trim_end_matches('_'));
        if !word.is_empty() && self.used.insert(with_word.clone()) {
            return (with_word, true);
        }
        // A suffixed keyword is no longer a keyword: `r#type` clashes become `type_2`.
        let base = name.strip_prefix("r#").unwrap_or(name);
        for n in 2.. {
            let lower = base.chars().next().is_some_and(|c| c.is_lowercase() || c == '_');
            let digit = base.ends_with(|c: char| c.is_ascii_digit());
            let sep = if (digit || lower) && !base.ends_with('_') { "_" } else { "" };
            let candidate = format!("{base}{sep}{n}");
            if self.used.insert(candidate.clone()) {
                return (candidate, true);
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

/// Names reserved at the crate root: our own modules and re-exports.
pub const ROOT_RESERVED: &[&str] = &[
    "runtime",
    "types",
    "api_info",
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "ApiMessage",
    "ApiResponse",
    "Request",
    "Secret",
    "prelude",
    "ext",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "reqwest",
];

/// Methods of the runtime's `Client`/`ClientBuilder`; generated methods must not shadow them.
pub const CLIENT_METHODS: &[&str] = &[
    "builder",
    "from_env",
    "path_default",
    "base_url",
    "credential",
    "default_param",
    "max_retries",
    "timeout",
    "deadline",
    "max_retry_after",
    "initial_backoff",
    "max_backoff",
    "http_client",
    "user_agent",
    "header",
    "build",
    "clone",
    "fmt",
    "new",
];

/// Assigns every identifier in the model.
pub fn assign(mut lowered: Api<Unnamed>, diags: &mut Diagnostics) -> Api {
    let api = &mut lowered;
    name_crate(api);
    // Modules: one namespace per home (the shared `types` module, or a resource module).
    let mut modules: BTreeMap<Home, Namespace> = BTreeMap::new();
    for op in &api.operations {
        // Resource structs live in their module; reserve them before any type name.
        let ns = modules.entry(Home::Resource(op.resource.clone())).or_default();
        ns.used.insert(resource_struct(op.resource.last().map(String::as_str).unwrap_or("root")));
    }
    name_types(api, &mut modules, diags);
    // Environment variables: the base URL's and the client defaults' are fixed; schemes get
    // `PREFIX_SCHEME` unless the config names one, unique among them all.
    let mut envs: BTreeSet<String> = api.client_defaults.iter().map(|(_, env)| env.clone()).collect();
    envs.insert(format!("{}_BASE_URL", api.env_prefix));
    envs.extend(api.schemes.iter().filter(|s| !s.env.is_empty()).map(|s| s.env.clone()));
    for s in api.schemes.iter_mut().filter(|s| s.env.is_empty()) {
        let base = scheme_env(&api.env_prefix, s);
        let mut env = base.clone();
        for n in 2.. {
            if envs.insert(env.clone()) {
                break;
            }
            env = format!("{base}_{n}");
        }
        if env != base {
            diags.warning(
                pointer::child("#/components/securitySchemes", &[&s.name]),
                format!("security scheme `{}` reads `{env}`: `{base}` is taken", s.name),
            );
        }
        s.env = env;
    }
    let mut builder = Namespace::with_reserved(CLIENT_METHODS);
    for s in &mut api.schemes {
        let (ident, changed) = builder.claim(&snake(&s.name));
        if changed {
            diags.warning(
                pointer::child("#/components/securitySchemes", &[&s.name]),
                format!("security scheme `{}` has builder method `{ident}` to avoid a clash", s.name),
            );
        }
        s.ident = ident;
    }
    let methods = name_operations(api, &mut modules, diags);
    name_wire_tests(api);
    resources(api, methods, diags);
    lowered.named()
}

/// The crate's name (the config's, else the title's words), the environment variable prefix
/// (the config's, else the crate name's words) and the env vars of derived client defaults.
fn name_crate(api: &mut Api<Unnamed>) {
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
fn scheme_env(prefix: &str, scheme: &crate::model::Scheme) -> String {
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

/// Test functions of `tests/operations.rs`: one per operation and security alternative,
/// `<operation>_with_<scheme>_and_<scheme>` when there are several alternatives.
fn name_wire_tests(api: &mut Api<Unnamed>) {
    let mut names = Namespace::with_reserved(&["client", "base_url", "check"]);
    for op in &mut api.operations {
        let mut alternatives: Vec<Vec<String>> = op.security.clone();
        if alternatives.is_empty() {
            alternatives.push(Vec::new());
        }
        alternatives.dedup();
        let several = alternatives.len() > 1;
        op.wire_tests = alternatives
            .into_iter()
            .map(|alt| {
                let mut words = snake(&op.operation_id).trim_start_matches("r#").to_string();
                if several {
                    let schemes: Vec<String> =
                        alt.iter().map(|s| snake(s).trim_start_matches("r#").to_string()).collect();
                    words.push_str("_with_");
                    words.push_str(&schemes.join("_and_"));
                }
                let name = names.claim(&words).0.trim_start_matches("r#").to_string();
                (alt, name)
            })
            .collect();
    }
}

/// Type names (one namespace per module), struct fields, enum and union variants.
fn name_types(api: &mut Api<Unnamed>, modules: &mut BTreeMap<Home, Namespace>, diags: &mut Diagnostics) {
    for t in api.types.iter_mut().filter(|t| !t.pruned) {
        let ns = modules.entry(t.home.clone()).or_default();
        let (name, changed) = ns.claim(&type_name(&t.name_hint));
        if changed {
            diags
                .warning(
                    &t.pointer,
                    format!("type name `{}` is already taken in its module; using `{name}`", type_name(&t.name_hint)),
                )
                .with_hint("give the schema a distinct name or title");
        }
        t.name = name;
        let pointer = t.pointer.clone();
        match &mut t.kind {
            TypeKind::Struct(s) => {
                let mut fields = Namespace::default();
                for f in &mut s.fields {
                    let (ident, changed) = fields.claim(&snake(&f.wire));
                    if changed {
                        diags
                            .warning(&f.pointer, format!("property `{}` collides with another after conversion to snake_case; named `{ident}`", f.wire))
                            .with_hint("the JSON name is kept on the wire with #[serde(rename)]");
                    }
                    f.ident = ident;
                }
                if s.additional.is_some() {
                    s.extra_ident = fields.claim("additional_properties").0;
                }
            }
            TypeKind::Enum(e) => {
                let mut variants = Namespace::with_reserved(&["Unknown"]);
                for v in &mut e.variants {
                    let (ident, changed) = variants.claim(&pascal(&v.wire));
                    if changed {
                        diags.warning(
                            &pointer,
                            format!(
                                "enum value `{}` collides with another after case conversion; variant named `{ident}`",
                                v.wire
                            ),
                        );
                    }
                    v.ident = ident;
                }
            }
            TypeKind::Union(u) => {
                let reserved: &[&str] = if u.tag.is_some() { &["Unknown"] } else { &[] };
                let mut variants = Namespace::with_reserved(reserved);
                for v in &mut u.variants {
                    let (ident, changed) = variants.claim(&pascal(&v.name_hint));
                    if changed {
                        diags.warning(
                            &pointer,
                            format!("union variant `{}` collides with another; named `{ident}`", v.name_hint),
                        );
                    }
                    v.ident = ident;
                }
            }
            TypeKind::Alias(_) | TypeKind::Pending => {}
        }
    }
}

/// Operation methods (unique per resource), their pager methods, arguments and params structs.
/// Child accessors are claimed later, in `resources`, in the same per-resource namespaces.
fn name_operations(
    api: &mut Api<Unnamed>,
    modules: &mut BTreeMap<Home, Namespace>,
    diags: &mut Diagnostics,
) -> BTreeMap<Vec<String>, Namespace> {
    let mut methods: BTreeMap<Vec<String>, Namespace> = BTreeMap::new();
    for op in &mut api.operations {
        let ns = methods.entry(op.resource.clone()).or_insert_with(|| Namespace::with_reserved(&["new", "client"]));
        let (name, changed) = ns.claim(&snake(&op.method_name));
        if changed {
            let fallback = snake(&op.operation_id);
            let (alt, _) = ns.claim(&fallback);
            diags
                .warning(
                    &op.pointer,
                    format!(
                        "method `{}` already exists on resource `{}`; this operation is `{alt}`",
                        op.method_name,
                        op.resource.join(".")
                    ),
                )
                .with_hint("set `resource`/`method` for this operation in the generator config");
            op.method_name = alt;
        } else {
            op.method_name = name;
        }
        let plain = op.method_name.trim_start_matches("r#").to_string();
        op.prepare_fn = format!("prepare_{plain}");
        if let Some(pagination) = &mut op.pagination {
            let pages = format!("{plain}_pages");
            let (_, taken) = ns.claim(&pages);
            if taken {
                diags.warning(
                    &op.pointer,
                    format!("`{pages}` is already a method of this resource; no auto-paging method is generated"),
                );
                op.pagination = None;
            } else {
                pagination.method = pages;
            }
        }
        let mut args = Namespace::with_reserved(&["self", "params", "body"]);
        for p in &mut op.params {
            let (ident, changed) = args.claim(&snake(&p.wire));
            if changed {
                diags.warning(
                    &p.pointer,
                    format!("parameter `{}` collides with another argument; named `{ident}`", p.wire),
                );
            }
            p.ident = ident;
        }
        let has_params = op.params.iter().any(|p| !p.is_positional());
        if has_params {
            let ns = modules.entry(Home::Resource(op.resource.clone())).or_default();
            let base = type_name(&[op.type_prefix.clone(), op.method_name.clone(), "Params".into()]);
            op.params_struct = ns.claim(&base).0;
        }
    }
    methods
}

/// Names every node of the resource tree: its module among its siblings, its struct, and its
/// accessor on the parent (after the parent's own operation methods, which keep their names).
/// Client-default builder methods come after the credentials' builder methods.
fn resources(api: &mut Api<Unnamed>, mut methods: BTreeMap<Vec<String>, Namespace>, diags: &mut Diagnostics) {
    let mut nodes: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for op in &api.operations {
        for depth in 1..=op.resource.len() {
            nodes.entry(op.resource[..depth].to_vec()).or_insert_with(|| op.pointer.clone());
        }
    }
    let mut modules: BTreeMap<Vec<String>, Namespace> = BTreeMap::new();
    let mut client = Namespace::with_reserved(CLIENT_METHODS);
    let mut features = Namespace::with_reserved(&["default", crate::model::FULL]);
    for (words, pointer) in &nodes {
        let (parent, word) = words.split_at(words.len() - 1);
        let word = &word[0];
        let siblings = modules.entry(parent.to_vec()).or_insert_with(|| {
            if parent.is_empty() { Namespace::with_reserved(ROOT_RESERVED) } else { Namespace::default() }
        });
        let (module, renamed) = siblings.claim_with(&module(word), "api");
        let feature =
            if parent.is_empty() { features.claim_with(module.trim_end_matches('_'), "api").0 } else { String::new() };
        if parent.is_empty() {
            api.features.push(feature.clone());
        }
        let accessors = if parent.is_empty() {
            &mut client
        } else {
            methods.entry(parent.to_vec()).or_insert_with(|| Namespace::with_reserved(&["new", "client"]))
        };
        let (accessor, clash) = accessors.claim(&snake(word));
        if renamed || clash {
            diags
                .warning(
                    pointer,
                    format!(
                        "resource `{}` is named `{module}` with accessor `{accessor}()` to avoid a clash",
                        words.join(".")
                    ),
                )
                .with_hint("set `resource` for its operations in the generator config");
        }
        api.resources
            .insert(words.clone(), ResourceNames { module, struct_name: resource_struct(word), accessor, feature });
    }
    // Builder methods: the credentials' names are taken first.
    let mut builder = Namespace::with_reserved(CLIENT_METHODS);
    builder.used.extend(api.schemes.iter().map(|s| s.ident.clone()));
    for (param, _) in &api.client_defaults {
        let (name, clash) = builder.claim(&snake(param));
        if clash {
            diags.warning(
                format!("#/client_defaults/{}", pointer::escape(param)),
                format!("client default `{param}` has builder method `{name}` to avoid a clash"),
            );
        }
        api.default_methods.insert(param.clone(), name);
    }
}

/// A type's hint words as its fallback doc names them: an operation's type starts with its
/// resource and method words, spelled as in the type name (`Server.Sync.Response.status`).
pub fn hint_text(t: &TypeDef) -> String {
    let owner = if matches!(t.home, Home::Resource(_)) { 2 } else { 0 };
    let words: Vec<String> =
        t.name_hint.iter().enumerate().map(|(i, w)| if i < owner { pascal(w) } else { w.clone() }).collect();
    words.join(".")
}

/// The struct name of a resource node (`servers` → `Servers`).
pub fn resource_struct(word: &str) -> String {
    pascal(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_keep_values_apart() {
        assert_eq!(pascal("+1"), "Plus1");
        assert_eq!(pascal("-1"), "Minus1");
        assert_eq!(pascal("200"), "N200");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(pascal("Self"), "SelfValue");
        assert_eq!(pascal("1.5"), "N1Dot5");
        assert_ne!(pascal("é"), pascal("è"));
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("_"), "value");
        assert_eq!(module("type"), "type_");
    }

    #[test]
    fn clashes_get_suffixes() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim(&snake("user.name")), ("user_name".into(), false));
        assert_eq!(ns.claim(&snake("userName")), ("user_name_2".into(), true));
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Foo").0, "Foo");
        assert_eq!(ns.claim("Foo").0, "Foo2");
        let mut ns = Namespace::default();
        ns.claim("r#type");
        assert_eq!(ns.claim("r#type").0, "type_2");
    }

    #[test]
    fn reserved_names_prefer_a_word_to_a_number() {
        let mut ns = Namespace::with_reserved(&["prelude", "full"]);
        assert_eq!(ns.claim_with("prelude", "api"), ("prelude_api".to_string(), true));
        assert_eq!(ns.claim_with("prelude", "api"), ("prelude_2".to_string(), true));
        assert_eq!(ns.claim_with("users", "api"), ("users".to_string(), false));
    }

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

    #[test]
    fn long_type_names_are_bounded() {
        let words: Vec<String> = (0..20).map(|i| format!("Word{i}")).collect();
        let name = type_name(&words);
        assert!(name.len() <= MAX_TYPE_NAME, "{name}");
        assert!(name.starts_with("Word0") && name.ends_with("Word19"));
    }
}
