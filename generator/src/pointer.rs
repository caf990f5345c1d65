//! JSON pointers and `$ref`s, owned here and nowhere else: escaping and unescaping tokens
//! (`~0`, `~1`), percent-decoding (`$ref`s are URI fragments, so `{` may arrive as `%7B`),
//! building child pointers, looking a pointer up in the raw document, and one resolver that
//! follows a `$ref` of any kind (schema, parameter, response, request body, header, example) to
//! its definition, inside `#/components` or anywhere else in the document; [`follow`] does the
//! same on the raw document for readers of untyped values (the wire-test sampler).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Components, Example, Header, Parameter, ReferenceOr, RequestBody, Response, Schema};
use serde_json::Value;

use crate::diag::Diagnostics;
use crate::load::Spec;

/// One reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A token as written in a `$ref`: percent-decoded, then `~1` → `/`, `~0` → `~`.
pub fn unescape(token: &str) -> Option<String> {
    unescape_borrowed(token).map(std::borrow::Cow::into_owned)
}

/// [`unescape`] without a copy for the usual token, which holds neither `~` nor `%`.
fn unescape_borrowed(token: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !token.contains(['~', '%']) {
        return Some(token.into());
    }
    Some(percent_decode(token)?.replace("~1", "/").replace("~0", "~").into())
}

/// `pointer` extended by `tokens`, each escaped.
pub fn child(pointer: &str, tokens: &[&str]) -> String {
    let mut out = pointer.to_string();
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t));
    }
    out
}

/// Looks up a JSON pointer (`#/a/b~1c`, percent-encoded tokens allowed) in the raw document.
pub fn lookup<'a>(raw: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(raw);
    }
    let mut cur = raw;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = unescape_borrowed(token)?;
        cur = match cur {
            Value::Object(m) => m.get(token.as_ref())?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The raw value at `pointer`, following local `$ref`s (at most 32 in a chain); and the pointer
/// where it really is. `None` when a pointer leads nowhere or the chain does not end.
pub fn follow<'a>(raw: &'a Value, pointer: &str) -> (Option<&'a Value>, String) {
    let mut at = pointer.to_string();
    for _ in 0..32 {
        let Some(v) = lookup(raw, &at) else { return (None, at) };
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => at = r.to_string(),
            _ => return (Some(v), at),
        }
    }
    (None, at)
}

/// Where `pointer` is, in words a reader of the API's docs knows: "The `zone` schema of the API
/// description.", "`status` in the 200 response of `POST /things/{id}/sync`." Never the
/// generator's own dotted hint words.
pub fn describe(pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|t| unescape(t).unwrap_or_else(|| t.to_string()))
        .collect();
    let field = tokens.windows(2).rev().find(|w| w[0] == "properties").map(|w| w[1].clone());
    let place = match tokens.as_slice() {
        [c, s, name, ..] if c == "components" && s == "schemas" => match &field {
            None => return format!("The `{name}` schema of the API description."),
            Some(_) => format!("the `{name}` schema"),
        },
        [p, path, method, rest @ ..] if p == "paths" => {
            let op = format!("`{} {path}`", method.to_ascii_uppercase());
            match rest {
                [r, code, ..] if r == "responses" => format!("the {code} response of {op}"),
                [r, ..] if r == "requestBody" => format!("the request body of {op}"),
                [r, ..] if r == "parameters" => format!("a parameter of {op}"),
                _ => op,
            }
        }
        _ => "the API description".to_string(),
    };
    match field {
        Some(f) => format!("`{f}` in {place}."),
        None => format!("{}{}.", place[..1].to_uppercase(), &place[1..]),
    }
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A reference in one canonical spelling (percent-decoded), so two spellings of one target
/// name one type.
pub fn normalise(reference: &str) -> String {
    percent_decode(reference).unwrap_or_else(|| reference.to_string())
}

/// Definitions that `$ref`s point at outside their `#/components/<section>/<name>` (into
/// `#/paths`, into another component, ...), parsed once at load so lowering can borrow them.
#[derive(Debug, Clone, Default)]
pub struct Foreign {
    pub schemas: BTreeMap<String, ReferenceOr<Schema>>,
    pub parameters: BTreeMap<String, ReferenceOr<Parameter>>,
    pub responses: BTreeMap<String, ReferenceOr<Response>>,
    pub request_bodies: BTreeMap<String, ReferenceOr<RequestBody>>,
    pub headers: BTreeMap<String, ReferenceOr<Header>>,
    pub examples: BTreeMap<String, ReferenceOr<Example>>,
    /// Targets of path item `$ref`s (`paths: {/b: {$ref: "#/paths/~1a"}}`).
    pub path_items: BTreeMap<String, openapiv3::PathItem>,
}

impl Foreign {
    /// Every local `$ref` of `raw` that is not a plain component reference, with its target
    /// parsed as each kind it can be (lowering reports a target of the wrong kind where used);
    /// and every plain component reference written where another kind belongs (a schema `$ref`
    /// to `#/components/responses/X`), read as that kind if it can be, with a warning.
    pub fn collect(raw: &Value, diags: &mut Diagnostics) -> Foreign {
        let mut refs = BTreeSet::new();
        let mut misplaced: BTreeMap<String, &'static str> = BTreeMap::new();
        let mut paths = BTreeSet::new();
        // (value, the key holding it, the key holding its container)
        let mut stack: Vec<(&Value, &str, &str)> = vec![(raw, "", "")];
        while let Some((v, key, outer)) = stack.pop() {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref")
                        && r.starts_with('#')
                    {
                        match (is_plain_component(r), expected_section(key, outer)) {
                            _ if outer == "paths" => {
                                paths.insert(r.clone());
                            }
                            (false, _) => {
                                refs.insert(r.clone());
                            }
                            (true, Some(section)) if !r.starts_with(&format!("#/components/{section}/")) => {
                                misplaced.insert(r.clone(), section);
                            }
                            _ => {}
                        }
                    }
                    stack.extend(m.iter().map(|(k, child)| (child, k.as_str(), key)));
                }
                Value::Array(a) => stack.extend(a.iter().map(|child| (child, key, outer))),
                _ => {}
            }
        }
        let mut foreign = Foreign::default();
        for r in refs {
            let Some(target) = lookup(raw, &r) else { continue };
            foreign.insert_as_any(&r, target);
        }
        for r in paths {
            if let Some(item) = lookup(raw, &r).and_then(parse) {
                foreign.path_items.insert(r, item);
            }
        }
        for (r, section) in misplaced {
            let Some(target) = lookup(raw, &r) else { continue };
            let noun = section.trim_end_matches('s');
            if foreign.insert_as(&r, target, section) {
                diags
                    .warning(&r, format!("referenced as a {noun} from outside its section; read as a {noun}"))
                    .with_hint("point the `$ref` at the section of the kind written in its place");
            }
        }
        foreign
    }

    /// `target` under `reference` as every kind it parses as.
    fn insert_as_any(&mut self, reference: &str, target: &Value) {
        for section in ["schemas", "parameters", "responses", "requestBodies", "headers", "examples"] {
            self.insert_as(reference, target, section);
        }
    }

    /// `target` under `reference` as the kind of `section`, if it parses as one.
    fn insert_as(&mut self, reference: &str, target: &Value, section: &str) -> bool {
        let r = reference.to_string();
        match section {
            "schemas" => parse(target).map(|s| self.schemas.insert(r, s)).is_some(),
            "parameters" => parse(target).map(|p| self.parameters.insert(r, p)).is_some(),
            "responses" => parse(target).map(|p| self.responses.insert(r, p)).is_some(),
            "requestBodies" => parse(target).map(|p| self.request_bodies.insert(r, p)).is_some(),
            "headers" => parse(target).map(|h| self.headers.insert(r, h)).is_some(),
            "examples" => parse(target).map(|e| self.examples.insert(r, e)).is_some(),
            _ => false,
        }
    }
}

/// The components section whose kind belongs at a `$ref` held under `key`, inside a container
/// held under `outer` (`schema` → schemas; an entry of `responses` → responses), if known.
fn expected_section(key: &str, outer: &str) -> Option<&'static str> {
    if outer == "properties" {
        return Some("schemas"); // `key` is a property name, whatever it spells
    }
    match key {
        "schema" | "items" | "not" | "additionalProperties" => return Some("schemas"),
        "requestBody" => return Some("requestBodies"),
        "parameters" => return Some("parameters"),
        "allOf" | "oneOf" | "anyOf" => return Some("schemas"),
        _ => {}
    }
    match outer {
        "schemas" => Some("schemas"),
        "responses" => Some("responses"),
        "requestBodies" => Some("requestBodies"),
        "headers" => Some("headers"),
        "examples" => Some("examples"),
        _ => None,
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: &Value) -> Option<T> {
    T::deserialize(v).ok()
}

/// `#/components/<section>/<name>` with nothing after the name.
fn is_plain_component(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| !name.contains('/'))
}

/// A kind of definition a `$ref` can name.
pub trait Kind: Sized + 'static {
    /// Its section under `#/components`.
    const SECTION: &'static str;
    /// What diagnostics call it.
    const NOUN: &'static str;
    fn components(c: &Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>>;
    fn foreign(f: &Foreign) -> &BTreeMap<String, ReferenceOr<Self>>;
}

/// `Kind` for a definition type: its components section, its noun, and its field in
/// `Components` and [`Foreign`].
macro_rules! kind {
    ($($ty:ty: $section:literal, $noun:literal, $field:ident;)*) => {$(
        impl Kind for $ty {
            const SECTION: &'static str = $section;
            const NOUN: &'static str = $noun;
            fn components(c: &Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>> {
                &c.$field
            }
            fn foreign(f: &Foreign) -> &BTreeMap<String, ReferenceOr<Self>> {
                &f.$field
            }
        }
    )*};
}

kind! {
    Schema: "schemas", "schema", schemas;
    Parameter: "parameters", "parameter", parameters;
    Response: "responses", "response", responses;
    RequestBody: "requestBodies", "request body", request_bodies;
    Header: "headers", "header", headers;
    Example: "examples", "example", examples;
}

/// Why a `$ref` leads nowhere: the message and a hint for the diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct RefError {
    pub message: String,
    pub hint: &'static str,
}

/// What `reference` names, one step: a definition or another reference.
pub fn step<'a, T: Kind>(spec: &'a Spec, reference: &str) -> Result<&'a ReferenceOr<T>, RefError> {
    if !reference.starts_with('#') {
        return Err(RefError {
            message: format!("external `$ref` `{reference}` is not supported"),
            hint: "bundle the spec into one document first (e.g. `redocly bundle`)",
        });
    }
    let prefix = format!("#/components/{}/", T::SECTION);
    if let Some(name) = reference.strip_prefix(&prefix).filter(|n| !n.contains('/'))
        && let Some(found) = unescape(name).and_then(|n| T::components(spec.api.components.as_ref()?).get(&n))
    {
        return Ok(found);
    }
    if let Some(found) = T::foreign(&spec.foreign).get(reference) {
        return Ok(found);
    }
    Err(if lookup(&spec.raw, reference).is_none() {
        RefError {
            message: format!("unresolved `$ref`: `{reference}` does not exist in the document"),
            hint: "check the spelling; names are case-sensitive and `/` inside a name is written `~1`",
        }
    } else {
        RefError {
            message: format!("`$ref` `{reference}` does not point at a {}", T::NOUN),
            hint: "a `$ref` must point at the kind of object written in its place",
        }
    })
}

/// The definition `reference` names, following chains of `$ref`s; the reason when there is
/// none (unresolved, the wrong kind, external, or a cycle).
pub fn resolve<'a, T: Kind>(spec: &'a Spec, reference: &str) -> Result<&'a T, RefError> {
    let mut current = reference;
    let mut seen = std::collections::BTreeSet::new();
    loop {
        if !seen.insert(current) {
            return Err(RefError {
                message: format!("`$ref` `{reference}` ends in a cycle of references"),
                hint: "one reference in the cycle must point at a definition",
            });
        }
        match step::<T>(spec, current)? {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => current = reference,
        }
    }
}

/// `item` itself, or what it refers to.
pub fn item<'a, T: Kind>(spec: &'a Spec, r: &'a ReferenceOr<T>) -> Result<&'a T, RefError> {
    match r {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => resolve(spec, reference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_escape_and_percent() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(unescape("a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(unescape("~1items~1%7Bid%7D").as_deref(), Some("/items/{id}"));
        assert_eq!(unescape("%zz"), None);
        assert_eq!(child("#/paths", &["/items/{id}", "get"]), "#/paths/~1items~1{id}/get");
    }

    #[test]
    fn lookup_decodes_percent_and_tilde() {
        let raw = serde_json::json!({"paths": {"/a/{id}": {"get": 1}}});
        assert_eq!(lookup(&raw, "#/paths/~1a~1%7Bid%7D/get"), Some(&serde_json::json!(1)));
        assert_eq!(lookup(&raw, "#/paths/nope"), None);
    }

    #[test]
    fn plain_components_are_told_from_deeper_pointers() {
        assert!(is_plain_component("#/components/responses/NotFound"));
        assert!(!is_plain_component("#/components/schemas/A/properties/b"));
        assert!(!is_plain_component("#/paths/~1a/get"));
    }

    #[test]
    fn describe_speaks_of_schemas_and_operations() {
        assert_eq!(describe("#/components/schemas/zone"), "The `zone` schema of the API description.");
        assert_eq!(describe("#/components/schemas/zone/properties/plan"), "`plan` in the `zone` schema.");
        assert_eq!(
            describe("#/paths/~1things~1{id}/post/responses/200/content/application~1json/schema/properties/status"),
            "`status` in the 200 response of `POST /things/{id}`."
        );
        assert_eq!(
            describe("#/paths/~1things/post/requestBody/content/application~1json/schema"),
            "The request body of `POST /things`."
        );
    }
}
