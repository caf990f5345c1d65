//! Stage 3, naming: the only place that makes Rust identifiers.
//!
//! Case conversion with heck is only the first step: heck maps `+1` and `-1` both to `1`, and
//! `"200"` to something that is not an identifier. Symbols are spelled out first, keywords are
//! escaped, and every scope (module, struct, enum, method list) is one [`Namespace`] in which a
//! clash gets a stable suffix and a warning, never a silent overwrite (`spell`). The crate name
//! and environment variables are decided in `env`.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;

use crate::diag::Diagnostics;
use crate::model::{Api, Home, ResourceNames, TypeKind, Unnamed};
use crate::pointer;

mod env;
mod methods;
mod spell;

use env::{name_crate, scheme_env};
pub use spell::{Namespace, escape, module, pascal, snake, type_name};

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

/// Methods of the runtime's `Request` (and its pager method); parameter setters must not shadow them.
pub const REQUEST_METHODS: &[&str] = &[
    "timeout",
    "deadline",
    "max_retries",
    "header",
    "query",
    "json",
    "body_field",
    "part",
    "params",
    "params_mut",
    "into_prepared",
    "into_pager",
    "send",
    "send_with_response",
    "into_future",
    "pager",
    "new",
    "deferred",
    "streaming",
    "with",
];

/// Methods of the runtime's `Client`/`ClientBuilder`; generated methods must not shadow them.
pub const CLIENT_METHODS: &[&str] = &[
    "builder",
    "from_env",
    "path_default",
    "base_url",
    "server",
    "server_variable",
    "before_send",
    "after_receive",
    "strict_decoding",
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

/// Assigns every identifier in the model; the test functions of `tests/operations.rs` only when
/// `wire_tests` asks for that file.
pub fn assign(mut lowered: Api<Unnamed>, wire_tests: bool, diags: &mut Diagnostics) -> Api {
    let api = &mut lowered;
    name_crate(api);
    // Modules: one namespace per home (the shared `types` module, or a resource module).
    let mut modules: BTreeMap<Home, Namespace> = BTreeMap::new();
    for op in &api.operations {
        // Resource structs live in their module; reserve them before any type name.
        let ns = modules.entry(Home::Resource(op.resource.clone())).or_default();
        ns.reserve(resource_struct(op.resource.last().map(String::as_str).unwrap_or("root")));
    }
    let accessors = methods::name_methods(api, diags);
    name_types(api, &mut modules, diags);
    // Environment variables: the base URL's and the client defaults' are fixed; schemes get
    // `PREFIX_SCHEME` unless the config names one, unique among them all.
    let mut envs: BTreeSet<String> = api.client_defaults.iter().map(|(_, env)| env.clone()).collect();
    api.base_url_env = format!("{}_BASE_URL", api.env_prefix);
    envs.insert(api.base_url_env.clone());
    envs.extend(api.schemes.iter().filter(|s| !s.env.is_empty()).map(|s| s.env.clone()));
    for s in api.schemes.iter_mut().filter(|s| s.env.is_empty()) {
        // The derived name, else the scheme's own name in full, else a number.
        let base = scheme_env(&api.env_prefix, s);
        let named = format!("{}_{}", api.env_prefix, s.name.to_shouty_snake_case());
        let numbered = (2..).map(|n| format!("{base}_{n}"));
        let env = std::iter::once(base.clone())
            .chain(std::iter::once(named))
            .chain(numbered)
            .find(|candidate| envs.insert(candidate.clone()))
            .unwrap_or_default();
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
    name_operations(api, &mut modules, diags);
    if wire_tests {
        name_wire_tests(api);
    }
    resources(api, &accessors, diags);
    lowered.named()
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
    name_type_items(api, modules, diags);
    // A shared enum is re-exported where it was first lowered, unless a type there has its name.
    for t in api.types.iter_mut().filter(|t| !t.pruned) {
        if let Some(origin) = &t.moved_from {
            let ns = modules.entry(origin.clone()).or_default();
            if ns.contains(&t.name) {
                t.moved_from = None;
            } else {
                ns.reserve(t.name.clone());
            }
        }
    }
}

fn name_type_items(api: &mut Api<Unnamed>, modules: &mut BTreeMap<Home, Namespace>, diags: &mut Diagnostics) {
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
                    f.setter = match ident.as_str() {
                        "new" => "with_new".to_string(),
                        _ => ident.clone(),
                    };
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

/// Operation arguments, params structs and status enums (methods are named by `methods`).
fn name_operations(api: &mut Api<Unnamed>, modules: &mut BTreeMap<Home, Namespace>, diags: &mut Diagnostics) {
    for op in &mut api.operations {
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
        // The request's own methods come first; a parameter named like one is `<name>_param`.
        let mut setters = Namespace::with_reserved(REQUEST_METHODS);
        for p in op.params.iter_mut().filter(|p| !p.is_positional()) {
            let (setter, changed) = setters.claim_with(&p.ident, "param");
            if changed {
                diags.warning(
                    &p.pointer,
                    format!(
                        "parameter `{}` is set with `.{setter}(..)`: `{}` is a method of every request",
                        p.wire, p.ident
                    ),
                );
            }
            p.setter = setter;
        }
        // A list the client pages through sets its paging parameters on a params struct.
        let has_params = op.params.iter().any(|p| !p.is_positional()) || op.pagination.is_some();
        let ns = modules.entry(Home::Resource(op.resource.clone())).or_default();
        if has_params {
            let base = type_name(&[op.type_prefix.clone(), op.method_name.clone(), "Params".into()]);
            op.params_struct = ns.claim(&base).0;
        }
        if let crate::model::Response::Statuses(statuses) = &mut op.response {
            statuses.name =
                ns.claim(&type_name(&[op.type_prefix.clone(), op.method_name.clone(), "Response".into()])).0;
            let mut variants = Namespace::default();
            for v in &mut statuses.variants {
                v.ident = variants.claim(&type_name(std::slice::from_ref(&v.words))).0;
            }
        }
    }
}

/// Names every node of the resource tree: its module among its siblings, its struct, and its
/// accessor on the parent (its word: operation methods gave way to it).
/// Client-default builder methods come after the credentials' builder methods.
fn resources(api: &mut Api<Unnamed>, accessors: &BTreeMap<Vec<String>, String>, diags: &mut Diagnostics) {
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
        // Below the root, `methods` reserved each child's accessor before naming any operation.
        let (accessor, clash) = if parent.is_empty() {
            client.claim(&snake(word))
        } else {
            (accessors.get(words).cloned().unwrap_or_else(|| snake(word)), false)
        };
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
    for s in &api.schemes {
        builder.reserve(s.ident.clone());
    }
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

/// The struct name of a resource node (`servers` → `Servers`).
pub fn resource_struct(word: &str) -> String {
    pascal(word)
}
