//! An operation method's docs: summary, description, HTTP line, the config's vendor
//! extensions, positional arguments, optional parameters (set on the request), multipart parts,
//! success and error responses.

use super::docs::markdown;
use super::types::resolve;
use crate::model::{Api, BodyKind, Operation, Param, Ty};

pub fn method_docs(api: &Api, op: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(s) = &op.summary {
        lines.extend(markdown(s));
    }
    if let Some(d) = &op.description {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(markdown(d));
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("`{}` (operation `{}`)", endpoint(op), op.operation_id.replace('`', "'")));
    for (heading, values) in &op.extension_docs {
        lines.push(String::new());
        lines.push(format!("# {}", heading.replace('\n', " ")));
        lines.extend(values.iter().map(|v| format!("- {}", super::docs::escape_inline(v))));
    }
    arguments(op, &mut lines);
    if let Some(body) = op.body.as_ref().filter(|b| b.kind == BodyKind::Multipart) {
        lines.push(String::new());
        let content_type = body.content_type.replace('`', "'");
        lines.push(if crate::model::form_fields(&api.types, &body.ty).is_some() {
            format!(
                "# Body\n`{content_type}`: each field set is a part; a [`File`](crate::runtime::File) a file part, text, numbers and enums a text part each (one per item of a list), anything else JSON."
            )
        } else {
            format!("# Body\n`{content_type}` parts, built with `crate::runtime::Part::{{text, json, file}}`.")
        });
    }
    lines.push(String::new());
    lines.push("# Errors".into());
    lines.push("Nothing is sent when a parameter breaks a rule of the API description ([`crate::Error::InvalidParameter`]) or a credential or default is missing.".into());
    for e in &op.errors {
        let body = match e.ty.as_ref().map(|ty| resolve(api, ty)) {
            Some(Ty::Named(id)) => {
                let t = &api.types[*id];
                let path = api.module_path(&t.home).join("::");
                format!("; its body decodes as [`{0}`](crate::{path}::{0}) with `ApiError::body`", t.name)
            }
            _ => String::new(),
        };
        lines.push(format!("- `{}`: {} ([`crate::Error::Api`]{body})", e.status, markdown(&e.description).join(" ")));
    }
    lines
}

/// `# Arguments` (the positional ones, with their constraints) and `# Optional parameters`
/// (their setters on the request).
fn arguments(op: &Operation, lines: &mut Vec<String>) {
    let documented: Vec<&Param> = op.params.iter().filter(|p| p.is_positional()).collect();
    if !documented.is_empty() {
        lines.push(String::new());
        lines.push("# Arguments".into());
        for p in documented {
            let mut text = p.docs.description.as_deref().map(|d| markdown(d).join(" ")).unwrap_or_default();
            if !p.docs.constraints.is_empty() {
                if !text.is_empty() && !text.ends_with('.') {
                    text.push('.');
                }
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&format!("Constraints: {}.", super::docs::escape_inline(&p.docs.constraints.join("; "))));
            }
            let name = p.ident.trim_start_matches("r#");
            let text = text.trim();
            lines.push(if text.is_empty() { format!("- `{name}`") } else { format!("- `{name}`: {text}") });
        }
    }
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.is_positional()).collect();
    if !optional.is_empty() {
        lines.push(String::new());
        lines.push("# Optional parameters".into());
        lines.push("Set on the returned request before awaiting it:".into());
        for p in optional {
            let text = p.docs.description.as_deref().map(|d| markdown(d).join(" ")).unwrap_or_default();
            let text = text.trim();
            let setter = p.setter.trim_start_matches("r#");
            lines.push(if text.is_empty() {
                format!("- `.{setter}(..)`")
            } else {
                format!("- `.{setter}(..)`: {text}")
            });
        }
    }
}

/// `POST /path`, with backticks made safe for docs.
pub fn endpoint(op: &Operation) -> String {
    format!("{} {}", op.method, op.path.replace('`', "'"))
}
