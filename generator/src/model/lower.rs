//! Spec → [`Api`]: security schemes, every selected operation, every type, then recursion boxing.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

use super::operation::{OpInput, lower_operation};
use super::resource::{derive_resource, singular};
use super::schema::Lowerer;
use super::{Api, Scheme, SchemeKind, Ty, TypeDef, TypeId, TypeKind};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::load::Spec;
use crate::pointer::child;
use crate::words::word;

pub fn lower(spec: &Spec, config: &Config, diags: &mut Diagnostics) -> Api<super::Unnamed> {
    let schemes = lower_schemes(spec, config, diags);
    let defaults = client_defaults(spec, config);
    let client_defaults: Vec<String> = defaults.iter().map(|(k, _)| k.clone()).collect();
    let global_security: Vec<Vec<String>> =
        spec.api.security.iter().flatten().map(|r| r.keys().cloned().collect()).collect();

    let mut l = Lowerer::new(spec, diags);
    l.typed_formats = config.typed_formats;
    l.extra_fields = config.extra_fields;
    l.lower_components();
    // Header parameters a credential sets are the runtime's, not the caller's.
    let auth_headers: Vec<String> = schemes
        .iter()
        .filter_map(|s| match &s.kind {
            SchemeKind::Header(h) => Some(h.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let mut operations = lower_operations(&mut l, config, &client_defaults, &global_security, &auth_headers);
    let mut security = global_security.clone();
    prune_security(l.diags, &mut operations, &schemes, &mut security);
    let mut types = std::mem::take(&mut l.types);
    check_alias_cycles(&types, l.diags);
    mark_boxed(&mut types);
    Api {
        title: spec.api.info.title.clone(),
        crate_name: config.krate.name.clone().unwrap_or_default(),
        env_prefix: config.env_prefix.clone().unwrap_or_default(),
        base_url_env: String::new(),
        description: spec.api.info.description.clone(),
        spec_version: spec.api.info.version.clone(),
        base_url: config.base_url.clone().unwrap_or_else(|| base_url(spec)),
        servers: servers(spec),
        security,
        schemes,
        types,
        operations,
        client_defaults: defaults,
        request_id_header: config.request_id_header.clone().or_else(|| declared_request_id(spec)),
        features: Vec::new(),
        resources: Default::default(),
        default_methods: Default::default(),
        state: std::marker::PhantomData,
    }
}

/// Every selected operation of the spec, in document order; duplicate operationIds and
/// operations the config names but the spec lacks are errors.
fn lower_operations<'a>(
    l: &mut Lowerer<'a>,
    config: &'a Config,
    client_defaults: &'a [String],
    global_security: &'a [Vec<String>],
    auth_headers: &'a [String],
) -> Vec<super::Operation> {
    let spec = l.spec;
    let mut operations = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let wanted = config.operations.as_ref();
    let mut found = BTreeSet::new();
    for (path, item) in spec.api.paths.paths.iter() {
        let path_ptr = child("#/paths", &[path]);
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => match spec.foreign.path_items.get(reference) {
                Some(i) => i,
                None => {
                    l.diags
                        .error(&path_ptr, format!("path item `$ref` `{reference}` does not point at a path item"))
                        .with_hint("only `$ref`s within this document are followed");
                    continue;
                }
            },
        };
        for (method, op) in item.iter() {
            let pointer = child(&path_ptr, &[method]);
            let id = operation_id(l, op, method, path, &pointer);
            let operation_id = unique_id(l, &mut ids, id, method, path, &pointer);
            let overrides = wanted.and_then(|map| map.get(&operation_id));
            if overrides.is_some() {
                found.insert(operation_id.clone());
            }
            let selected = (config.select.is_none() && wanted.is_none())
                || overrides.is_some()
                || config.select.as_ref().is_some_and(|s| s.selects(&operation_id, &op.tags, path));
            if !selected {
                continue;
            }
            let (resource, mut method_name, type_prefix) = placement(overrides, method, path, client_defaults);
            // A GET of one object (a setting, a singleton) is `get`, not `list`, though no id ends its path.
            if overrides.and_then(|o| o.method.as_ref()).is_none()
                && method_name == "list"
                && super::resource::returns_collection(&l.spec.raw, &pointer) == Some(false)
            {
                method_name = "get".to_string();
            }
            operations.push(lower_operation(
                l,
                OpInput {
                    path,
                    method,
                    op,
                    path_params: &item.parameters,
                    operation_id,
                    resource,
                    method_name,
                    type_prefix,
                    pointer,
                    client_defaults,
                    envelope: config.envelope,
                    doc_extensions: &config.doc_extensions,
                    global_security,
                    auth_headers,
                },
            ));
        }
    }
    for id in wanted.into_iter().flat_map(|m| m.keys()).filter(|id| !found.contains(*id)) {
        l.diags
            .error(format!("#/operations/{id}"), format!("operation `{id}` named in the config is not in the spec"))
            .with_hint("check the operationId spelling in the generator config");
    }
    operations
}

/// Parameters the client holds defaults for, with their env vars: the config's, or without a
/// config those that scope much of the API (`/accounts/{account_id}/...`), so resources and
/// features follow what comes after them.
fn client_defaults(spec: &Spec, config: &Config) -> Vec<(String, String)> {
    if config.client_defaults.is_empty() && !config.selects_operations() {
        derived_scopes(spec)
    } else {
        config.client_defaults.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// `id`, or when an earlier operation has it, one made from the method and path (then a number),
/// with a warning: operationIds must be unique, but the operations are still worth a client.
fn unique_id(
    l: &mut Lowerer<'_>,
    ids: &mut BTreeMap<String, String>,
    id: String,
    method: &str,
    path: &str,
    pointer: &str,
) -> String {
    let Some(first) = ids.get(&id).cloned() else {
        ids.insert(id.clone(), pointer.to_string());
        return id;
    };
    let base = synthesize_id(method, path);
    let mut unique = base.clone();
    let mut n = 2;
    while ids.contains_key(&unique) {
        unique = format!("{base}_{n}");
        n += 1;
    }
    l.diags
        .warning(pointer, format!("duplicate operationId `{id}` (first used at {first}); this one is `{unique}`"))
        .with_hint("operationIds must be unique within the document");
    ids.insert(unique.clone(), pointer.to_string());
    unique
}

/// The operation's `operationId`, or one made from its method and path (warning).
fn operation_id(l: &mut Lowerer<'_>, op: &openapiv3::Operation, method: &str, path: &str, pointer: &str) -> String {
    match &op.operation_id {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => {
            let id = synthesize_id(method, path);
            l.diags
                .warning(pointer, format!("operation has no operationId; using `{id}`"))
                .with_hint("add an operationId so the generated method name is stable");
            id
        }
    }
}

/// Where an operation goes: its resource words, method word and type prefix, from the config's
/// overrides or derived from the path.
fn placement(
    overrides: Option<&crate::config::OperationConfig>,
    method: &str,
    path: &str,
    client_defaults: &[String],
) -> (Vec<String>, String, String) {
    let (derived_resource, derived_method) = derive_resource(method, path, client_defaults);
    let resource: Vec<String> = match overrides.and_then(|o| o.resource.as_ref()) {
        Some(r) => r.split('.').map(word).collect(),
        None => derived_resource,
    };
    let method_name = word(&overrides.and_then(|o| o.method.clone()).unwrap_or(derived_method));
    let type_prefix = singular(resource.last().map(String::as_str).unwrap_or("root"));
    (resource, method_name, type_prefix)
}

/// Security alternatives that name a scheme the client cannot send (undefined, or of a kind it
/// does not support) are left out, with one warning per scheme; an operation left with no
/// alternative is sent without credentials (`ClientBuilder::header` can still add them).
fn prune_security(
    diags: &mut Diagnostics,
    operations: &mut [super::Operation],
    schemes: &[Scheme],
    global: &mut Vec<Vec<String>>,
) {
    let known = |alt: &Vec<String>| alt.iter().all(|name| schemes.iter().any(|s| &s.name == name));
    let mut missing: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for op in operations.iter_mut() {
        for alt in op.security.iter().filter(|alt| !known(alt)) {
            for name in alt.iter().filter(|n| !schemes.iter().any(|s| &s.name == *n)) {
                missing.entry(name.clone()).or_insert_with(|| (child(&op.pointer, &["security"]), 0)).1 += 1;
            }
        }
        op.security.retain(|alt| known(alt));
    }
    global.retain(|alt| known(alt));
    for (name, (first, count)) in missing {
        diags
            .warning(
                first,
                format!(
                    "security scheme `{name}` is not defined or not supported; left out of {count} operation(s)' security"
                ),
            )
            .with_hint("define it under #/components/securitySchemes, or add its header with `ClientBuilder::header`");
    }
}

/// `lit/{singular_id}` path prefixes (`accounts/{account_id}`) shared by at least 5% of the
/// paths; naming decides the environment variable that will supply each.
fn derived_scopes(spec: &Spec) -> Vec<(String, String)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for path in spec.api.paths.paths.keys() {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let [lit, param, _, ..] = segments.as_slice() else { continue };
        let Some(name) = param.strip_prefix('{').and_then(|p| p.strip_suffix('}')) else { continue };
        if lit.starts_with('{') || name != format!("{}_id", word(&singular(lit))) {
            continue;
        }
        *counts.entry(name.to_string()).or_default() += 1;
    }
    let total = spec.api.paths.paths.len();
    counts.into_iter().filter(|(_, n)| *n >= 2 && n * 20 >= total).map(|(name, _)| (name, String::new())).collect()
}

fn synthesize_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    word(&format!("{}_{}", method, words.join("_")))
}

fn servers(spec: &Spec) -> Vec<super::Server> {
    spec.api
        .servers
        .iter()
        .map(|s| super::Server {
            url: s.url.trim_end_matches('/').to_string(),
            description: s.description.clone(),
            variables: s
                .variables
                .iter()
                .flatten()
                .map(|(name, v)| (name.clone(), v.default.clone(), v.enumeration.clone()))
                .collect(),
        })
        .collect()
}

fn base_url(spec: &Spec) -> String {
    let Some(server) = spec.api.servers.first() else { return "http://localhost".to_string() };
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    url.trim_end_matches('/').to_string()
}

fn lower_schemes(spec: &Spec, config: &Config, diags: &mut Diagnostics) -> Vec<Scheme> {
    let mut out = Vec::new();
    let Some(c) = &spec.api.components else { return out };
    let mut names: Vec<&String> = c.security_schemes.keys().collect();
    names.sort();
    for name in names {
        let at = child("#/components/securitySchemes", &[name]);
        let scheme = match &c.security_schemes[name] {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { .. } => {
                diags.warning(&at, "referenced security schemes are not supported; scheme left out");
                continue;
            }
        };
        let (kind, description) = match scheme {
            SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                (SchemeKind::Bearer, description)
            }
            SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                (SchemeKind::Basic, description)
            }
            SecurityScheme::APIKey { location, name: header, description, .. } => (
                match location {
                    APIKeyLocation::Header => SchemeKind::Header(header.clone()),
                    APIKeyLocation::Query => SchemeKind::Query(header.clone()),
                    APIKeyLocation::Cookie => SchemeKind::Cookie(header.clone()),
                },
                description,
            ),
            SecurityScheme::OAuth2 { description, .. } | SecurityScheme::OpenIDConnect { description, .. } => {
                diags
                    .warning(&at, format!("`{name}` is an OAuth2/OpenID Connect scheme; it is sent as a bearer token you obtain yourself"))
                    .with_hint("the client does not run OAuth flows");
                (SchemeKind::Bearer, description)
            }
            SecurityScheme::HTTP { scheme, .. } => {
                diags.warning(&at, format!("HTTP auth scheme `{scheme}` is not supported; scheme left out"));
                continue;
            }
        };
        // Empty: naming derives it (`PREFIX_SCHEME`), unique among the crate's variables.
        let env = config.auth_env.get(name.as_str()).cloned().unwrap_or_default();
        out.push(Scheme { name: name.clone(), kind, env, description: description.clone(), ident: String::new() });
    }
    out
}

/// `type A = B; type B = A;` cannot compile: report alias cycles as errors.
fn check_alias_cycles(types: &[TypeDef], diags: &mut Diagnostics) {
    for (start, t) in types.iter().enumerate() {
        let mut seen = BTreeSet::from([start]);
        let mut cur = alias_target(&t.kind);
        while let Some(next) = cur {
            if next == start {
                diags
                    .error(
                        &t.pointer,
                        "`$ref` cycle with no schema between its members (each one only refers to the next)",
                    )
                    .with_hint("give one schema in the cycle real content, or point the references at it directly");
                break;
            }
            if !seen.insert(next) {
                break;
            }
            cur = types.get(next).and_then(|t| alias_target(&t.kind));
        }
    }
}

fn alias_target(kind: &TypeKind) -> Option<TypeId> {
    match kind {
        TypeKind::Alias(ty) => named(ty),
        _ => None,
    }
}

/// The named type `ty` is, through `Nullable`.
fn named(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Nullable(inner) => named(inner),
        _ => None,
    }
}

/// The named types `ty` holds by value (not behind a Vec or map, which already box).
fn by_value(ty: &Ty) -> Vec<TypeId> {
    match ty {
        Ty::Tuple(items) => items.iter().flat_map(by_value).collect(),
        Ty::Nullable(inner) => by_value(inner),
        other => named(other).into_iter().collect(),
    }
}

/// Boxes struct fields and union variants whose type contains the parent by value.
fn mark_boxed(types: &mut [TypeDef]) {
    let edges: Vec<Vec<TypeId>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().flat_map(|f| by_value(&f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().flat_map(|v| by_value(&v.ty)).collect(),
            TypeKind::Alias(ty) => by_value(ty),
            _ => Vec::new(),
        })
        .collect();
    let reaches = |from: TypeId, target: TypeId| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == target {
                return true;
            }
            if seen.insert(n) {
                stack.extend(edges.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut boxes: Vec<(TypeId, usize)> = Vec::new();
    for (id, t) in types.iter().enumerate() {
        match &t.kind {
            TypeKind::Struct(s) => {
                for (i, f) in s.fields.iter().enumerate() {
                    if by_value(&f.ty).into_iter().any(|to| reaches(to, id)) {
                        boxes.push((id, i));
                    }
                }
            }
            TypeKind::Union(u) => {
                for (i, v) in u.variants.iter().enumerate() {
                    if by_value(&v.ty).into_iter().any(|to| reaches(to, id)) {
                        boxes.push((id, i));
                    }
                }
            }
            _ => {}
        }
    }
    for (id, i) in boxes {
        match &mut types[id].kind {
            TypeKind::Struct(s) => s.fields[i].boxed = true,
            TypeKind::Union(u) => u.variants[i].boxed = true,
            _ => {}
        }
    }
}

/// The request-id header most declared in the spec's responses, among the names servers use
/// for it (`x-request-id`, `request-id`, `x-correlation-id`, ...).
fn declared_request_id(spec: &Spec) -> Option<String> {
    const NAMES: &[&str] = &[
        "x-request-id",
        "request-id",
        "x-correlation-id",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-ms-request-id",
        "x-github-request-id",
        "cf-ray",
    ];
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let responses =
        spec.api.paths.paths.values().filter_map(|item| item.as_item()).flat_map(|item| item.iter().map(|(_, op)| op));
    for op in responses {
        for response in op.responses.responses.values().chain(op.responses.default.iter()) {
            let Ok(response) = crate::pointer::item(spec, response) else { continue };
            for name in response.headers.keys() {
                let lower = name.to_ascii_lowercase();
                if NAMES.contains(&lower.as_str()) {
                    *counts.entry(lower).or_default() += 1;
                }
            }
        }
    }
    counts.into_iter().max_by_key(|(name, n)| (*n, std::cmp::Reverse(name.clone()))).map(|(name, _)| name)
}
