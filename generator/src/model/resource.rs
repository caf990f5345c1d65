//! Where an operation lives in the client: `client.zero_trust().access().servers().sync(..)`.
//! Derived from the HTTP path when the config does not say.

/// Resource path and method name for `method path`, following the official SDKs' shape:
/// literal segments are resources, a literal after an `{id}` is an action, and CRUD verbs name
/// the rest. A leading `lit/{param}` pair is dropped when the client can default `param`
/// (`/accounts/{account_id}/access/apps` → `access.apps`).
pub fn derive_resource(method: &str, path: &str, client_defaults: &[String]) -> (Vec<String>, String) {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut start = 0;
    while start + 2 < segments.len()
        && !is_param(segments[start])
        && is_param(segments[start + 1])
        && client_defaults.iter().any(|d| param_name(segments[start + 1]) == d)
    {
        start += 2;
    }
    let rest = &segments[start..];
    let mut literals: Vec<String> =
        rest.iter().filter(|s| !is_param(s)).map(|s| word(s)).filter(|s| !s.is_empty()).collect();
    let ends_with_param = rest.last().is_some_and(|s| is_param(s));
    let method = method.to_ascii_lowercase();
    // `.../{id}/sync`: a literal right after a parameter, on a non-GET, is an action.
    let action = rest.len() >= 2 && !ends_with_param && is_param(rest[rest.len() - 2]) && method != "get";
    if action && literals.len() >= 2 {
        let name = literals.pop().unwrap_or_default();
        return (literals, name);
    }
    let name = match (method.as_str(), ends_with_param) {
        ("get", true) => "get",
        ("get", false) => "list",
        ("post", _) => "create",
        ("put", _) => "update",
        ("patch", _) => "edit",
        ("delete", _) => "delete",
        (other, _) => other,
    };
    if literals.is_empty() {
        literals.push("root".to_string());
    }
    (literals, name.to_string())
}

/// Whether the operation at `op_pointer` answers with a collection: its first 2xx JSON schema
/// is an array, or an object whose list wrapper (`result`, `data`, `items`, `results`, `value`)
/// is one, looking through `$ref`s and `allOf` parts. `None` when there is no such schema.
pub fn returns_collection(raw: &serde_json::Value, op_pointer: &str) -> Option<bool> {
    use crate::pointer::{child, follow};
    let (responses, at) = follow(raw, &child(op_pointer, &["responses"]));
    let status = responses?.as_object()?.keys().find(|k| k.starts_with('2'))?.clone();
    let (response, at) = follow(raw, &child(&at, &[&status]));
    let content = response?.get("content")?.as_object()?;
    let media = content.keys().find(|m| m.contains("json")).or_else(|| content.keys().next())?;
    let (schema, at) = follow(raw, &child(&at, &["content", media, "schema"]));
    Some(is_list(raw, schema?, &at, 0, true))
}

/// Whether `schema` (at `at`) is an array, or (with `wrappers`) an object whose list wrapper is
/// one, through `$ref`s and `allOf` parts (at most four deep).
fn is_list(raw: &serde_json::Value, schema: &serde_json::Value, at: &str, depth: usize, wrappers: bool) -> bool {
    use crate::pointer::{child, follow};
    if schema.get("type").and_then(|t| t.as_str()) == Some("array") || schema.get("items").is_some() {
        return true;
    }
    let part = |path: &[&str], depth: usize, wrappers: bool| {
        let (part, at) = follow(raw, &child(at, path));
        part.is_some_and(|p| is_list(raw, p, &at, depth, wrappers))
    };
    depth < 4
        && (wrappers
            && ["result", "data", "items", "results", "value"].iter().any(|w| {
                schema.get("properties").and_then(|p| p.get(w)).is_some() && part(&["properties", w], 0, false)
            })
            || schema
                .get("allOf")
                .and_then(|a| a.as_array())
                .is_some_and(|parts| (0..parts.len()).any(|i| part(&["allOf", &i.to_string()], depth + 1, wrappers))))
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

fn param_name(segment: &str) -> &str {
    segment.trim_start_matches('{').trim_end_matches('}')
}

fn word(segment: &str) -> String {
    crate::words::word(segment)
}

/// English singular of a resource word, for type-name prefixes (`servers` → `server`).
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses") || word.ends_with("xes") || word.ends_with("ches") || word.ends_with("shes") {
        word[..word.len() - 2].to_string()
    } else if word.ends_with('s') && !word.ends_with("ss") && word.len() > 1 {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(method: &str, path: &str) -> (String, String) {
        let (r, m) = derive_resource(method, path, &["account_id".into(), "zone_id".into()]);
        (r.join("."), m)
    }

    #[test]
    fn derives_like_the_official_sdks() {
        assert_eq!(
            d("post", "/accounts/{account_id}/access/ai-controls/mcp/servers/{id}/sync"),
            ("access.ai_controls.mcp.servers".into(), "sync".into())
        );
        assert_eq!(d("get", "/zones/{zone_id}/dns_records"), ("dns_records".into(), "list".into()));
        assert_eq!(d("get", "/zones/{zone_id}/dns_records/{id}"), ("dns_records".into(), "get".into()));
        assert_eq!(d("delete", "/zones/{zone_id}/dns_records/{id}"), ("dns_records".into(), "delete".into()));
        assert_eq!(d("get", "/accounts/{account_id}"), ("accounts".into(), "get".into()));
        assert_eq!(d("get", "/"), ("root".into(), "list".into()));
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("servers"), "server");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("access"), "access");
        assert_eq!(singular("addresses"), "address");
    }

    #[test]
    fn a_collection_is_an_array_or_a_list_wrapper() {
        let raw = serde_json::json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Env"}}}}}}},
                      "/b": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}},
                      "/c": {"get": {"responses": {"204": {"description": "none"}}}}},
            "components": {"schemas": {"Env": {"allOf": [{"type": "object"}, {"properties": {"result": {"type": "array", "items": {}}}}]}}}
        });
        assert_eq!(returns_collection(&raw, "#/paths/~1a/get"), Some(true));
        assert_eq!(returns_collection(&raw, "#/paths/~1b/get"), Some(false));
        assert_eq!(returns_collection(&raw, "#/paths/~1c/get"), None);
    }
}
