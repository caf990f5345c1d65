//! OpenAPI 3.1 → 3.0: rewrites a 3.1 document's JSON, in place, into the 3.0 shape the typed
//! parser (`openapiv3`) and every later stage understand. JSON Schema 2020-12 as 3.1 uses it
//! maps onto 3.0's dialect: `type` lists become `nullable` or a `oneOf` of one branch per type,
//! `const` a one-value `enum`, `examples` lists an `example`, numeric `exclusiveMinimum` a
//! `minimum` marked exclusive, a `$ref` with sibling keywords an `allOf` wrapper (3.1's meaning),
//! `contentEncoding`/`contentMediaType` a `byte`/`binary` format, boolean schemas `{}` and
//! `{not: {}}`. What 3.0 cannot say is left out with a warning.
//!
//! A rewrite that moves a node records where it came from ([`Origins`]); diagnostics about a
//! moved node then point at the user's node, not at one only the rewritten document has.

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, Origins};
use crate::pointer::child;

/// The marker of an `items` schema whose `oneOf` lists a tuple's positions.
pub const TUPLE: &str = "x-tuple";

/// Rust's traits (`Debug`, `Default`, ...) cover tuples up to 12 members.
const MAX_TUPLE: usize = 12;

/// Nesting beyond this is left as it is (the parsers' own limits are lower).
const MAX_DEPTH: usize = 512;

/// Keywords JSON Schema 2020-12 has and OpenAPI 3.0 does not, which the client cannot check:
/// dropped with a warning.
const UNTYPABLE: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "$dynamicRef",
    "$dynamicAnchor",
];

/// Keys whose values are schemas, one per entry of a map (the [`UNTYPABLE`] ones are removed
/// before the walk reaches them).
const SCHEMA_MAPS: &[&str] = &["properties", "$defs", "definitions"];
/// Keys whose values are lists of schemas (`prefixItems` is a tuple's `items.oneOf` by then).
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];
/// Keys whose values are one schema.
const SCHEMA_ONE: &[&str] = &["items", "not", "additionalProperties"];

/// Rewrites a 3.1 document into 3.0's shape; returns where moved nodes came from.
pub fn normalise(raw: &mut Value, diags: &mut Diagnostics) -> Origins {
    let mut n = Normaliser { diags, origins: Origins::default() };
    let Some(doc) = raw.as_object_mut() else { return n.origins };
    doc.insert("openapi".into(), Value::from("3.0.3"));
    doc.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    if let Some(webhooks) = doc.remove("webhooks").filter(|w| w.as_object().is_some_and(|m| !m.is_empty())) {
        let count = webhooks.as_object().map_or(0, Map::len);
        n.diags
            .warning(
                "#/webhooks",
                format!("{count} webhook(s) are not generated: a client sends requests, a webhook receives them"),
            )
            .with_hint("the schemas they name under `components` still get types");
    }
    if let Some(dialect) = doc.remove("jsonSchemaDialect")
        && dialect.as_str() != Some("https://spec.openapis.org/oas/3.1/dialect/base")
    {
        n.diags.warning(
            "#/jsonSchemaDialect",
            format!("schema dialect {dialect} is read as OpenAPI 3.1's default dialect"),
        );
    }
    n.document_level(doc);
    for (key, value) in doc.iter_mut() {
        if key.starts_with("x-") {
            continue;
        }
        n.document(value, &child("#", &[key]), 0);
    }
    n.origins
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Normaliser<'_> {
    /// What 3.1 made optional or added outside schemas: operations without `responses`, and
    /// the `mutualTLS` security scheme (configured on the HTTP client, not per request).
    fn document_level(&mut self, doc: &mut Map<String, Value>) {
        if let Some(Value::Object(schemes)) = doc.get_mut("components").and_then(|c| c.get_mut("securitySchemes")) {
            let tls: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(k, _)| k.clone())
                .collect();
            for name in tls {
                schemes.remove(&name);
                self.diags
                    .warning(
                        child("#/components/securitySchemes", &[&name]),
                        format!(
                            "security scheme `{name}` is mutual TLS: set the client certificate on the HTTP client"
                        ),
                    )
                    .with_hint("pass a reqwest::Client built with `.identity(..)` to the client builder");
            }
        }
        let path_items = doc.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|m| m.values_mut());
        for item in path_items.filter_map(Value::as_object_mut) {
            with_responses(item);
        }
        let components = doc.get_mut("components").and_then(|c| c.get_mut("pathItems")).and_then(Value::as_object_mut);
        for item in components.into_iter().flat_map(|m| m.values_mut()).filter_map(Value::as_object_mut) {
            with_responses(item);
        }
    }
}

/// 3.1 lets an operation leave out `responses`; 3.0's parser needs the (empty) map.
fn with_responses(item: &mut Map<String, Value>) {
    for method in METHODS {
        if let Some(Value::Object(op)) = item.get_mut(*method) {
            op.entry("responses").or_insert_with(|| Value::Object(Map::new()));
        }
    }
}

struct Normaliser<'d> {
    diags: &'d mut Diagnostics,
    origins: Origins,
}

impl Normaliser<'_> {
    /// A node outside any schema: finds the schemas below it (`schema:` of parameters, media
    /// types and headers; `components.schemas`), skipping examples and extensions, which are data.
    fn document(&mut self, value: &mut Value, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    let here = child(at, &[key]);
                    match key.as_str() {
                        "example" | "examples" | "default" | "enum" => {}
                        k if k.starts_with("x-") => {}
                        "schema" => self.schema(v, &here, depth + 1),
                        "schemas" if at == "#/components" => {
                            if let Some(schemas) = v.as_object_mut() {
                                for (name, s) in schemas.iter_mut() {
                                    let p = child(&here, &[name]);
                                    self.schema(s, &p, depth + 2);
                                }
                            }
                        }
                        _ => self.document(v, &here, depth + 1),
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    self.document(v, &child(at, &[&i.to_string()]), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// One schema: rewritten to 3.0's dialect, then its subschemas.
    fn schema(&mut self, value: &mut Value, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Value::Bool(b) = value {
            *value = if *b { Value::Object(Map::new()) } else { serde_json::json!({"not": {}}) };
            return;
        }
        let Some(map) = value.as_object_mut() else { return };
        self.tuple(map, at);
        self.keywords(map, at);
        self.ref_siblings(map, at);
        self.type_list(map, at);
        for (key, v) in map.iter_mut() {
            let here = child(at, &[key]);
            if SCHEMA_MAPS.contains(&key.as_str()) {
                if let Some(entries) = v.as_object_mut() {
                    for (name, s) in entries.iter_mut() {
                        let p = child(&here, &[name]);
                        self.schema(s, &p, depth + 1);
                    }
                }
            } else if SCHEMA_LISTS.contains(&key.as_str()) {
                if let Some(items) = v.as_array_mut() {
                    for (i, s) in items.iter_mut().enumerate() {
                        self.schema(s, &child(&here, &[&i.to_string()]), depth + 1);
                    }
                }
            } else if SCHEMA_ONE.contains(&key.as_str()) && !(key == "additionalProperties" && v.is_boolean()) {
                self.schema(v, &here, depth + 1);
            }
        }
        self.null_branches(map, at);
    }

    /// Keyword by keyword: `const`, `examples`, numeric exclusive bounds, content encoding,
    /// and the keywords 3.0 has no word for.
    fn keywords(&mut self, map: &mut Map<String, Value>, at: &str) {
        if let Some(c) = map.remove("const")
            && !map.contains_key("enum")
        {
            map.insert("enum".into(), Value::Array(vec![c]));
        }
        if let Some(Value::Array(examples)) = map.get("examples") {
            let first = examples.first().cloned();
            map.remove("examples");
            if let Some(first) = first
                && !map.contains_key("example")
            {
                map.insert("example".into(), first);
            }
        }
        for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
                map.insert(bound.into(), n);
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
        let encoding = map.remove("contentEncoding");
        let media = map.remove("contentMediaType");
        if !map.contains_key("format") {
            if encoding.as_ref().and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
                map.insert("format".into(), Value::from("byte"));
            } else if encoding.is_none()
                && media
                    .as_ref()
                    .and_then(Value::as_str)
                    .is_some_and(|m| !m.starts_with("text/") && !m.contains("json"))
            {
                map.insert("format".into(), Value::from("binary"));
            }
        }
        if map.contains_key("nullable") {
            self.diags
                .warning(child(at, &["nullable"]), "`nullable` is OpenAPI 3.0; in 3.1 write `type: [T, \"null\"]`")
                .with_hint("it is read as 3.0 meant it");
        }
        let dropped: Vec<&str> = UNTYPABLE.iter().copied().filter(|k| map.remove(*k).is_some()).collect();
        if !dropped.is_empty() {
            self.diags
                .warning(at, format!("`{}` cannot be typed in Rust; not checked by the client", dropped.join("`, `")))
                .with_hint("the server still applies them; the schema's other keywords are typed");
        }
        for annotation in ["description", "title"] {
            if map.get(annotation).is_some_and(|v| !v.is_string()) {
                map.remove(annotation);
                self.diags
                    .warning(child(at, &[annotation]), format!("`{annotation}` is not text; left out"))
                    .with_hint("write it as a string");
            }
        }
        map.remove("$schema");
        map.remove("$id");
        map.remove("$anchor");
        map.remove("$comment");
    }

    /// `prefixItems` of a fixed length (`items: false`, or `maxItems` the prefix's length) is a
    /// tuple: 3.0's nearest shape, `items: {oneOf: [..]}`, marked `x-tuple` so lowering gives
    /// each position its own type. An open-ended prefix is a list, with a warning.
    fn tuple(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(Value::Array(prefix)) = map.remove("prefixItems") else { return };
        let len = prefix.len();
        let closed = map.get("items") == Some(&Value::Bool(false))
            || map.get("maxItems").and_then(Value::as_u64) == Some(len as u64);
        if !closed || !(1..=MAX_TUPLE).contains(&len) {
            self.diags
                .warning(child(at, &["prefixItems"]), "`prefixItems` of open length: typed as a list")
                .with_hint("close it with `items: false` (or `maxItems`) to get a tuple");
            return;
        }
        for i in 0..len {
            self.origins
                .moved(child(at, &["items", "oneOf", &i.to_string()]), &child(at, &["prefixItems", &i.to_string()]));
        }
        map.insert("type".into(), Value::from("array"));
        map.insert("items".into(), serde_json::json!({ "oneOf": prefix, TUPLE: true }));
    }

    /// `{$ref, description, ...}`: in 3.1 the siblings apply beside the reference (3.0 ignored
    /// them), which is `allOf: [{$ref}]` with the siblings around it.
    fn ref_siblings(&mut self, map: &mut Map<String, Value>, at: &str) {
        if map.len() < 2 {
            return;
        }
        let Some(reference) = map.remove("$ref") else { return };
        let mut wrapped = Map::new();
        wrapped.insert("$ref".into(), reference);
        let all = map.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = all {
            items.insert(0, Value::Object(wrapped));
            // Every other member moved one place along.
            for i in (1..items.len()).rev() {
                self.origins.moved(child(at, &["allOf", &i.to_string()]), &child(at, &["allOf", &(i - 1).to_string()]));
            }
            self.origins.moved(child(at, &["allOf", "0"]), at);
        }
    }

    /// `anyOf: [X, {type: "null"}]` (after rewriting, `{nullable: true}`): the null branch
    /// becomes `nullable` on the schema; a single branch left is wrapped as `allOf: [X]`.
    fn null_branches(&mut self, map: &mut Map<String, Value>, at: &str) {
        if map.contains_key(TUPLE) {
            return;
        }
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = map.get_mut(key) else { continue };
            let kept: Vec<usize> = (0..branches.len()).filter(|i| !is_null_only(&branches[*i])).collect();
            if kept.len() == branches.len() {
                continue;
            }
            let mut index = 0;
            branches.retain(|_| {
                index += 1;
                kept.contains(&(index - 1))
            });
            map.insert("nullable".into(), Value::Bool(true));
            let single = kept.len() == 1 && !map.contains_key("allOf");
            let target = if single { "allOf" } else { key };
            for (to, from) in kept.iter().enumerate() {
                self.origins.moved(child(at, &[target, &to.to_string()]), &child(at, &[key, &from.to_string()]));
            }
            if single && let Some(only) = map.remove(key) {
                map.insert("allOf".into(), only);
            }
        }
    }

    /// `type: [string, "null"]` → `type: string, nullable: true`; several non-null types → a
    /// `oneOf` with a branch per type, each taking the keywords that apply to its type.
    fn type_list(&mut self, map: &mut Map<String, Value>, at: &str) {
        let types: Vec<String> = match map.get("type") {
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            Some(Value::String(t)) if t == "null" => vec!["null".into()],
            _ => return,
        };
        map.remove("type");
        let mut kinds: Vec<&str> = types.iter().map(String::as_str).filter(|t| *t != "null").collect();
        if types.iter().any(|t| t == "null") {
            map.insert("nullable".into(), Value::Bool(true));
        }
        // `[integer, number]` is a number.
        if kinds.contains(&"integer") && kinds.contains(&"number") {
            kinds.retain(|k| *k != "integer");
        }
        match kinds.as_slice() {
            [] => {}
            [one] => {
                map.insert("type".into(), Value::from(*one));
            }
            several => {
                let branches: Vec<Value> = several.iter().map(|kind| Value::Object(branch(map, kind))).collect();
                for i in 0..several.len() {
                    self.origins.moved(child(at, &["oneOf", &i.to_string()]), at);
                }
                if map.contains_key("oneOf") || map.contains_key("anyOf") {
                    let all = map.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(items) = all {
                        items.push(serde_json::json!({ "oneOf": branches }));
                    }
                } else {
                    map.insert("oneOf".into(), Value::Array(branches));
                }
            }
        }
    }
}

/// The branch of a type list for one type: `{type}` plus the keywords that apply to it, moved
/// out of the schema.
fn branch(map: &mut Map<String, Value>, kind: &str) -> Map<String, Value> {
    let keys: &[&str] = match kind {
        "string" => &["minLength", "maxLength", "pattern", "format"],
        "integer" | "number" => &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"],
        "array" => &["items", "minItems", "maxItems", "uniqueItems", "prefixItems"],
        "object" => &["properties", "required", "additionalProperties", "minProperties", "maxProperties"],
        _ => &[],
    };
    let mut out = Map::new();
    out.insert("type".into(), Value::from(kind));
    for key in keys {
        // `format` can apply to strings and numbers alike: copied, not moved.
        let value = if *key == "format" { map.get(*key).cloned() } else { map.remove(*key) };
        if let Some(v) = value {
            out.insert((*key).to_string(), v);
        }
    }
    out
}

fn is_null_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|m| m.len() == 1 && m.get("nullable") == Some(&Value::Bool(true)))
}
