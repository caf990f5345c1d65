//! Stage 1, load: file → text → JSON value → version check → (3.1: rewritten to 3.0's shape,
//! [`v31`]) → typed `openapiv3::OpenAPI`.
//!
//! The version is checked on the untyped value *before* the typed parse, so a Swagger 2.0 or
//! OpenAPI 3.2 document gets a clear refusal rather than a serde error about untagged enums.
//! The untyped value is kept: `$ref`s that point anywhere other than `#/components/...` are
//! resolved against it.

mod v31;

pub use v31::TUPLE;

use std::path::Path;

use crate::diag::Diagnostics;

/// A parsed spec: the typed document plus the raw JSON it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    pub api: openapiv3::OpenAPI,
    pub raw: serde_json::Value,
    /// Definitions that `$ref`s point at outside `#/components/<section>/<name>` (into
    /// `#/paths`, into a property, ...), parsed once here so lowering can borrow them like the rest.
    pub foreign: crate::pointer::Foreign,
    /// The file name used in diagnostics.
    pub file: String,
}

/// Reads and parses a spec file; every failure becomes a located diagnostic.
pub fn load_file(path: &Path, diags: &mut Diagnostics) -> Option<Spec> {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                diags
                    .error(
                        "",
                        format!("the file is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
                    )
                    .with_hint("OpenAPI documents must be YAML or JSON, encoded as UTF-8");
                return None;
            }
        },
        Err(e) => {
            diags
                .error("", format!("cannot read the spec file: {e}"))
                .with_hint("check the path given with --spec (or `spec:` in the config)");
            return None;
        }
    };
    load_str(&text, is_json_path(path), diags)
}

fn is_json_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Parses spec text. `json` selects the JSON parser; otherwise YAML (of which JSON is a subset
/// in practice, so a `.yaml` file holding JSON still loads).
pub fn load_str(text: &str, json: bool, diags: &mut Diagnostics) -> Option<Spec> {
    if text.trim().is_empty() {
        diags.error("", "the spec file is empty").with_hint("expected an OpenAPI 3.0.x document in YAML or JSON");
        return None;
    }
    // A JSON document is parsed twice, as a value (for pointers, 3.1 normalising and `x-`
    // extensions) and typed; the typed parse runs from the text on a second thread meanwhile,
    // and takes longest (Microsoft Graph beta: 0.57 s against the value's 0.23 s), so the value's
    // checks, repairs and foreign definitions are done while it goes on. The typed result is
    // used only when the value needed no repair; otherwise the repaired value is parsed typed.
    let (prepared, early) = std::thread::scope(|scope| {
        let typed = (json || text.trim_start().starts_with('{'))
            .then(|| scope.spawn(|| serde_json::from_str::<openapiv3::OpenAPI>(text).ok()));
        let prepared = parse_value(text, json, diags).and_then(|raw| prepare(raw, diags));
        (prepared, typed.and_then(|t| t.join().ok().flatten()))
    });
    let Prepared { raw, repaired, foreign, foreign_diags } = prepared?;
    let api = match early {
        Some(api) if !repaired => api,
        _ => typed_parse(&raw, diags)?,
    };
    // The foreign definitions' warnings count only for a document that parsed.
    diags.extend(foreign_diags);
    Some(Spec { api, raw, foreign, file: diags.file().to_string() })
}

/// The value after its checks and repairs, with its foreign definitions (and their
/// diagnostics, kept apart until the typed parse has succeeded).
struct Prepared {
    raw: serde_json::Value,
    repaired: bool,
    foreign: crate::pointer::Foreign,
    foreign_diags: Diagnostics,
}

/// Checks the value's shape, fills a missing `info.title`/`info.version`, normalises 3.1 to 3.0
/// and collects the foreign definitions.
fn prepare(mut raw: serde_json::Value, diags: &mut Diagnostics) -> Option<Prepared> {
    let version = check_shape(&raw, diags)?;
    let mut repaired = false;
    if let Some(info) = raw.get_mut("info").and_then(serde_json::Value::as_object_mut) {
        for key in ["title", "version"] {
            if !info.contains_key(key) {
                repaired = true;
                diags
                    .warning(
                        crate::pointer::child("#/info", &[key]),
                        format!("`info` has no `{key}`; it is read as empty"),
                    )
                    .with_hint(format!("add `{key}:` to `info`"));
                info.insert(key.into(), serde_json::Value::from(""));
            }
        }
    }
    if version == Version::V31 {
        let origins = v31::normalise(&mut raw, diags);
        diags.set_origins(origins);
        repaired = true;
    }
    let mark = diags.len();
    let foreign = crate::pointer::Foreign::collect(&raw, diags);
    let foreign_diags = diags.split_off(mark);
    Some(Prepared { raw, repaired, foreign, foreign_diags })
}

fn parse_value(text: &str, json: bool, diags: &mut Diagnostics) -> Option<serde_json::Value> {
    let looks_json = json || text.trim_start().starts_with('{');
    if looks_json {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => return Some(v),
            Err(e) if json => {
                diags
                    .error("", format!("invalid JSON: {}", strip_position(&e.to_string())))
                    .at_line(e.line(), e.column());
                return None;
            }
            // Not JSON after all: let the YAML parser have a go and report its error.
            Err(_) => {}
        }
    }
    match serde_yaml::from_str::<Loose>(text) {
        Ok(Loose(v)) => Some(v),
        Err(e) => {
            let msg = strip_position(&e.to_string());
            let d = diags.error("", format!("invalid YAML: {msg}"));
            if let Some(loc) = e.location() {
                d.at_line(loc.line(), loc.column());
            }
            d.with_hint("the spec must be a YAML or JSON document");
            None
        }
    }
}

/// A JSON value deserialised leniently from YAML: what JSON cannot hold still loads. Integer
/// keys (`200:` under `responses`) become strings, integers beyond i64/u64 become floats (as
/// the JSON parser does), and `<<: *anchor` merge keys are applied.
struct Loose(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Loose(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut merges = Vec::new();
        while let Some((Loose(k), Loose(v))) = map.next_entry()? {
            let key = match k {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            if key == "<<" {
                merges.push(v);
            } else {
                out.insert(key, v);
            }
        }
        // Explicit keys win over merged ones, as YAML's merge-key spec says.
        for merge in merges {
            let sources = match merge {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                if let serde_json::Value::Object(m) = source {
                    for (k, v) in m {
                        out.entry(k).or_insert(v);
                    }
                }
            }
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// serde's messages end with "at line X column Y"; we report the position separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Checks what the typed parse cannot explain well: top-level kind, version, required sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

fn check_shape(raw: &serde_json::Value, diags: &mut Diagnostics) -> Option<Version> {
    let Some(obj) = raw.as_object() else {
        diags
            .error("#", format!("the top level of the document is {}, not a mapping", kind_of(raw)))
            .with_hint("an OpenAPI document starts with `openapi: 3.0.3`, `info:` and `paths:`");
        return None;
    };
    let version = match obj.get("openapi") {
        Some(serde_json::Value::String(v)) if v == "3.0" || v.starts_with("3.0.") => Version::V30,
        Some(serde_json::Value::String(v)) if v == "3.1" || v.starts_with("3.1.") => Version::V31,
        Some(serde_json::Value::String(v)) => {
            diags
                .error("#/openapi", format!("OpenAPI {v} is not supported: OpenAPI 3.0.x and 3.1.x are"))
                .with_hint("write the document as OpenAPI 3.1.1 or 3.0.3");
            return None;
        }
        Some(other) => {
            diags
                .error(
                    "#/openapi",
                    format!("`openapi` must be a version string such as \"3.0.3\", found {}", kind_of(other)),
                )
                .with_hint("quote the version: openapi: \"3.0.3\"");
            return None;
        }
        None if obj.contains_key("swagger") => {
            diags.error("#/swagger", "Swagger 2.0 documents are not supported: OpenAPI 3.0.x and 3.1.x are").with_hint(
                "convert it first, e.g. `npx swagger2openapi swagger.json -o openapi.json`, then generate from that",
            );
            return None;
        }
        None => {
            diags
                .error("#", "missing `openapi` version field: OpenAPI 3.0.x and 3.1.x are supported")
                .with_hint("add `openapi: 3.1.1` (or `3.0.3`) at the top of the document");
            return None;
        }
    };
    let mut ok = true;
    for (key, hint) in [
        ("info", "add `info:` with at least `title:` and `version:`"),
        ("paths", "add `paths:` (it may be empty: `paths: {}`)"),
    ] {
        // 3.1 made `paths` optional (a document of webhooks or components only).
        if !(obj.contains_key(key) || key == "paths" && version == Version::V31) {
            diags.error("#", format!("missing required field `{key}`")).with_hint(hint);
            ok = false;
        }
    }
    ok.then_some(version)
}

pub(crate) fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a mapping",
    }
}

fn typed_parse(raw: &serde_json::Value, diags: &mut Diagnostics) -> Option<openapiv3::OpenAPI> {
    // Tracking the path costs a fifth of the parse; only a document that fails needs it.
    if let Ok(api) = serde::Deserialize::deserialize(raw) {
        return Some(api);
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw) {
        Ok(api) => Some(api),
        Err(e) => {
            // `#[serde(flatten)]` inside openapiv3 hides the path; narrow it down part by part.
            let (pointer, message) = match locate(raw) {
                Some(found) => found,
                None => (path_to_pointer(e.path()), e.inner().to_string()),
            };
            diags
                .error(pointer, format!("not a valid OpenAPI document: {message}"))
                .with_hint("fix the value at this location; see https://spec.openapis.org/oas/v3.0.3");
            None
        }
    }
}

/// Deserialises the document piece by piece to find the innermost part that fails.
fn locate(raw: &serde_json::Value) -> Option<(String, String)> {
    use openapiv3::{
        Info, Operation, Parameter, ReferenceOr, RequestBody, Response, Responses, Schema, SecurityScheme,
    };
    fn try_as<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<(), String> {
        serde_path_to_error::deserialize::<_, T>(v).map(|_| ()).map_err(|e| {
            let inner = path_to_pointer(e.path());
            let suffix = inner.trim_start_matches('#');
            if suffix.is_empty() { e.inner().to_string() } else { format!("{} (at …{suffix})", e.inner()) }
        })
    }
    fn each<T: serde::de::DeserializeOwned>(v: Option<&serde_json::Value>, base: &str) -> Option<(String, String)> {
        for (k, item) in v?.as_object()? {
            if let Err(m) = try_as::<T>(item) {
                return Some((crate::pointer::child(base, &[k]), m));
            }
        }
        None
    }
    if let Some(info) = raw.get("info")
        && let Err(m) = try_as::<Info>(info)
    {
        return Some(("#/info".into(), m));
    }
    for (path, item) in raw.get("paths").and_then(|p| p.as_object()).into_iter().flatten() {
        let base = crate::pointer::child("#/paths", &[path]);
        let Some(item) = item.as_object() else {
            return Some((base, format!("a path item must be a mapping, found {}", kind_of(item))));
        };
        for (method, op) in item {
            let at = crate::pointer::child(&base, &[method]);
            if !["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method.as_str()) {
                continue;
            }
            if try_as::<Operation>(op).is_ok() {
                continue;
            }
            if let Some(r) = op.get("responses") {
                if let Err(m) = try_as::<Responses>(r) {
                    return Some((crate::pointer::child(&at, &["responses"]), m));
                }
                if let Some(found) = each::<ReferenceOr<Response>>(Some(r), &crate::pointer::child(&at, &["responses"]))
                {
                    return Some(found);
                }
            }
            for (i, p) in op.get("parameters").and_then(|p| p.as_array()).into_iter().flatten().enumerate() {
                if let Err(m) = try_as::<ReferenceOr<Parameter>>(p) {
                    return Some((crate::pointer::child(&at, &["parameters", &i.to_string()]), m));
                }
            }
            if let Some(b) = op.get("requestBody")
                && let Err(m) = try_as::<ReferenceOr<RequestBody>>(b)
            {
                return Some((crate::pointer::child(&at, &["requestBody"]), m));
            }
            return Some((at, try_as::<Operation>(op).err().unwrap_or_default()));
        }
    }
    let components = raw.get("components");
    let part = |name: &str| components.and_then(|c| c.get(name));
    each::<ReferenceOr<Schema>>(part("schemas"), "#/components/schemas")
        .or_else(|| each::<ReferenceOr<Parameter>>(part("parameters"), "#/components/parameters"))
        .or_else(|| each::<ReferenceOr<Response>>(part("responses"), "#/components/responses"))
        .or_else(|| each::<ReferenceOr<RequestBody>>(part("requestBodies"), "#/components/requestBodies"))
        .or_else(|| each::<ReferenceOr<SecurityScheme>>(part("securitySchemes"), "#/components/securitySchemes"))
}

/// serde_path_to_error prints `paths./zones.get`; users want a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for seg in path.iter() {
        let token = match seg {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        out.push('/');
        out.push_str(&crate::pointer::escape(&token));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> Vec<String> {
        let mut d = Diagnostics::new("t.yaml");
        assert!(load_str(text, false, &mut d).is_none());
        d.sorted().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn rejects_other_versions_before_typed_parse() {
        assert!(errors_of("swagger: '2.0'\ninfo: {}\npaths: {}\n")[0].contains("Swagger 2.0"));
        assert!(errors_of("openapi: 3.2.0\ninfo: {}\npaths: {}\n")[0].contains("OpenAPI 3.2.0 is not supported"));
    }

    #[test]
    fn yaml_syntax_errors_have_a_line() {
        let e = errors_of("openapi: 3.0.3\ninfo: [\n");
        assert!(e[0].contains("t.yaml:"), "{e:?}");
    }

    /// The foreign definitions are collected while the typed parse runs, but their warnings
    /// count only for a document that parsed: a broken one reports its error alone.
    #[test]
    fn foreign_warnings_only_for_a_document_that_parses() {
        let spec = |responses: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses: {responses}\n\
                 components:\n  schemas:\n    S: {{$ref: '#/components/responses/R'}}\n  responses:\n    R:\n      \
                 description: r\n      content: {{application/json: {{schema: {{type: string}}}}}}\n"
            )
        };
        let mut d = Diagnostics::new("t.yaml");
        assert!(load_str(&spec("{'200': {description: ok}}"), false, &mut d).is_some());
        let warned = |d: &Diagnostics| d.sorted().iter().any(|d| d.to_string().contains("from outside its section"));
        assert!(warned(&d), "{:?}", d.sorted());
        let mut d = Diagnostics::new("t.yaml");
        assert!(load_str(&spec("7"), false, &mut d).is_none());
        assert!(d.has_errors() && !warned(&d), "{:?}", d.sorted());
    }
}
