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
}
