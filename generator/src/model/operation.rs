//! Lowering of one operation: parameters, security, pagination; its payloads are `payload`'s.

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::payload::{lower_body, lower_responses};
use super::schema::{Ctx, Lowerer, S};
use super::{Docs, Home, Operation, Param, ParamLocation, ParamStyle, Response, Ty};
use crate::config::EnvelopeMode;
use crate::pointer::child;

/// Everything about one operation that lowering needs from the caller.
pub struct OpInput<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub op: &'a openapiv3::Operation,
    pub path_params: &'a [ReferenceOr<Parameter>],
    pub operation_id: String,
    pub resource: Vec<String>,
    pub method_name: String,
    pub type_prefix: String,
    pub pointer: String,
    pub client_defaults: &'a [String],
    pub envelope: EnvelopeMode,
    /// The vendor extensions the docs show.
    pub doc_extensions: &'a [crate::config::DocExtension],
    pub global_security: &'a [Vec<String>],
    /// Headers the spec's security schemes set (lowercase).
    pub auth_headers: &'a [String],
}

pub fn lower_operation<'a>(l: &mut Lowerer<'a>, input: OpInput<'a>) -> Operation {
    let home = Home::Resource(input.resource.clone());
    let base_hint = vec![input.type_prefix.clone(), input.method_name.clone()];
    let params = lower_params(l, &input, &home, &base_hint);
    let body = input.op.request_body.as_ref().and_then(|b| {
        let ctx = Ctx {
            hint: [base_hint.clone(), vec!["Body".into()]].concat(),
            home: home.clone(),
            pointer: child(&input.pointer, &["requestBody"]),
        };
        lower_body(l, b, &ctx)
    });
    let (response, errors, paged) = lower_responses(l, &input, &home, &base_hint);
    let pagination = if paged && body.is_none() { pagination(l, &params, &response) } else { None };
    let security = match &input.op.security {
        Some(reqs) => reqs.iter().map(|r| r.keys().cloned().collect()).collect(),
        None => input.global_security.to_vec(),
    };
    Operation {
        operation_id: input.operation_id,
        method: input.method.to_ascii_uppercase(),
        path: input.path.to_string(),
        summary: input.op.summary.clone(),
        description: input.op.description.clone(),
        deprecated: input.op.deprecated,
        pointer: input.pointer,
        resource: input.resource,
        method_name: input.method_name,
        type_prefix: input.type_prefix,
        params,
        body,
        response,
        errors,
        security,
        params_struct: String::new(),
        params_alias_of: None,
        params_shared_by: 0,
        prepare_fn: String::new(),
        wire_tests: Vec::new(),
        pagination,
        extension_docs: extension_docs(input.op, input.doc_extensions),
    }
}

/// The configured vendor extensions of `op`, each as its heading and one line per value: a
/// string as it is, a list (or an `{enum: [..]}`) one line per item, an object of flags the keys
/// that are `true`, anything else as JSON.
fn extension_docs(op: &openapiv3::Operation, wanted: &[crate::config::DocExtension]) -> Vec<(String, Vec<String>)> {
    use serde_json::Value;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    wanted
        .iter()
        .filter_map(|x| {
            let value = op.extensions.get(&x.key)?;
            let lines: Vec<String> = match value {
                Value::Array(items) => items.iter().map(text).collect(),
                Value::Object(m) if m.get("enum").is_some_and(Value::is_array) => {
                    m["enum"].as_array().into_iter().flatten().map(text).collect()
                }
                Value::Object(m) if !m.is_empty() && m.values().all(Value::is_boolean) => {
                    vec![
                        m.iter()
                            .filter(|(_, v)| v.as_bool() == Some(true))
                            .map(|(k, _)| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                }
                other => vec![text(other)],
            };
            (!lines.is_empty()).then(|| (x.heading.clone(), lines))
        })
        .collect()
}

/// A `result` list plus a `page` (or `cursor`) query parameter makes an operation pageable.
fn pagination(l: &Lowerer<'_>, params: &[Param], response: &Response) -> Option<super::Pagination> {
    let Response::Json { ty, envelope: true } = response else { return None };
    let mut cur = ty;
    let item = loop {
        match cur {
            Ty::Array(item) => break item.as_ref().clone(),
            Ty::Nullable(inner) => cur = inner,
            Ty::Named(id) => match &l.types[*id].kind {
                super::TypeKind::Alias(inner) => cur = inner,
                _ => return None,
            },
            _ => return None,
        }
    };
    let query = |name: &str| params.iter().any(|p| p.location == ParamLocation::Query && p.wire == name);
    let (by_cursor, param) = if query("page") {
        (false, "page")
    } else if query("cursor") {
        (true, "cursor")
    } else {
        return None;
    };
    Some(super::Pagination { by_cursor, param: param.to_string(), item, method: String::new() })
}

fn lower_params<'a>(l: &mut Lowerer<'a>, input: &OpInput<'a>, home: &Home, base_hint: &[String]) -> Vec<Param> {
    let template: Vec<String> = template_params(input.path);
    let mut out: Vec<Param> = declared_params(l, input)
        .into_iter()
        .filter_map(|(param, at)| lower_param(l, input, param, at, &template, home, base_hint))
        .collect();
    for name in &template {
        if !out.iter().any(|p| p.location == ParamLocation::Path && &p.wire == name) {
            out.push(undeclared_path_param(l, input, name));
        }
    }
    // Positional path parameters in template order; the rest keep declaration order.
    out.sort_by_key(|p| (p.location, template.iter().position(|t| *t == p.wire).unwrap_or(usize::MAX)));
    out
}

/// The path item's parameters and the operation's, resolved; an operation-level parameter
/// overrides a path-level one with the same name and location.
fn declared_params<'a>(l: &mut Lowerer<'a>, input: &OpInput<'a>) -> Vec<(&'a Parameter, String)> {
    let mut all: Vec<(&'a Parameter, String)> = Vec::new();
    let sources = [
        (
            input.path_params,
            child(&input.pointer, &[]).rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default(),
        ),
        (&input.op.parameters[..], input.pointer.clone()),
    ];
    for (list, base) in sources {
        for (i, p) in list.iter().enumerate() {
            let at = child(&base, &["parameters", &i.to_string()]);
            let Some(param) = resolve_param(l, p, &at) else { continue };
            let key = (param.parameter_data_ref().name.clone(), location_name(param));
            all.retain(|(q, _)| (q.parameter_data_ref().name.clone(), location_name(q)) != key);
            all.push((param, at));
        }
    }
    all
}

/// One declared parameter; `None` (with a warning) for path parameters missing
/// from the template, and silently for headers the runtime sets itself.
fn lower_param<'a>(
    l: &mut Lowerer<'a>,
    input: &OpInput<'a>,
    param: &'a Parameter,
    at: String,
    template: &[String],
    home: &Home,
    base_hint: &[String],
) -> Option<Param> {
    let data = param.parameter_data_ref();
    let (location, style) = location_and_style(param);
    // OpenAPI: `explode` defaults to true for `form` style only.
    let explode = data.explode.unwrap_or(style == ParamStyle::Form);
    if location == ParamLocation::Path && !template.contains(&data.name) {
        l.diags
            .warning(
                &at,
                format!(
                    "path parameter `{}` is declared but not in the path `{}`; it is left out",
                    data.name, input.path
                ),
            )
            .with_hint("remove the declaration or add `{name}` to the path");
        return None;
    }
    if location == ParamLocation::Header && is_reserved_header(&data.name, input.auth_headers) {
        return None;
    }
    let hint: Vec<String> = [base_hint.to_vec(), vec![data.name.clone()]].concat();
    let ctx = Ctx { hint, home: home.clone(), pointer: child(&at, &["schema"]) };
    let example = param_example(l, data);
    let (ty, constraints, allowed, docs_extra) = match &data.format {
        ParameterSchemaOrContent::Schema(s) => {
            let s = S::from(s);
            let lowered = l.ty(s, &ctx);
            let ty = plain_formats(&l.types, &lowered);
            let (c, allowed) = l.constraints_of(s, &ctx.pointer);
            let d = l.docs_for(s, &ctx.pointer);
            (ty, c, allowed, d)
        }
        ParameterSchemaOrContent::Content(_) => (Ty::String, Default::default(), Vec::new(), Docs::default()),
    };
    // A path segment always has a value: `nullable` on a path parameter means nothing; on an
    // optional one, `null` is the absent value (a query string cannot spell it), so `Option` once.
    let ty = if location == ParamLocation::Path || !data.required { non_null(l, ty) } else { ty };
    let checked = check_pattern(l, constraints, &ctx.pointer);
    // Numeric bounds without a type say the value is a number.
    let text = if checked.minimum.is_some() || checked.maximum.is_some() { Ty::Number } else { Ty::String };
    let ty = plain_text(l, ty, text);
    let mut docs = Docs { description: data.description.clone().or(docs_extra.description), ..Docs::default() };
    docs.constraints = checked.describe();
    let checked = applicable(l, checked, &ty, &ctx.pointer);
    docs.deprecated = data.deprecated.unwrap_or(false);
    Some(Param {
        wire: data.name.clone(),
        ident: String::new(),
        setter: String::new(),
        location,
        style,
        explode,
        ty,
        required: data.required || location == ParamLocation::Path,
        client_default: location == ParamLocation::Path && input.client_defaults.contains(&data.name),
        docs,
        constraints: checked,
        allowed,
        example,
        pointer: at,
    })
}

/// Where a parameter goes and its style.
fn location_and_style(param: &Parameter) -> (ParamLocation, ParamStyle) {
    match param {
        Parameter::Path { style, .. } => (
            ParamLocation::Path,
            match style {
                openapiv3::PathStyle::Simple => ParamStyle::Simple,
                openapiv3::PathStyle::Label => ParamStyle::Label,
                openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
            },
        ),
        Parameter::Query { style, .. } => (
            ParamLocation::Query,
            match style {
                openapiv3::QueryStyle::Form => ParamStyle::Form,
                openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
        ),
        Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple),
        Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form),
    }
}

/// A `{name}` of the path template that no parameter declares: a required string (warning).
fn undeclared_path_param(l: &mut Lowerer<'_>, input: &OpInput<'_>, name: &str) -> Param {
    l.diags
        .warning(
            &input.pointer,
            format!("path template parameter `{{{name}}}` is not declared; it is taken as a required string"),
        )
        .with_hint(format!("declare it: `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}`"));
    Param {
        wire: name.to_string(),
        ident: String::new(),
        setter: String::new(),
        location: ParamLocation::Path,
        style: ParamStyle::Simple,
        explode: false,
        ty: Ty::String,
        required: true,
        client_default: input.client_defaults.iter().any(|d| d == name),
        docs: Docs::default(),
        constraints: Default::default(),
        allowed: Vec::new(),
        example: None,
        pointer: input.pointer.clone(),
    }
}

/// The type without nullability, looking through aliases (`type Id = Option<String>`).
fn non_null(l: &Lowerer<'_>, ty: Ty) -> Ty {
    let mut cur = ty;
    for _ in 0..64 {
        cur = match cur {
            Ty::Nullable(inner) => *inner,
            Ty::Named(id) => match &l.types[id].kind {
                super::TypeKind::Alias(inner) if matches!(inner, Ty::Nullable(_) | Ty::Named(_)) => inner.clone(),
                _ => return Ty::Named(id),
            },
            other => return other,
        };
    }
    cur
}

/// A parameter's type with its typed formats as their plain types: parameters are written by
/// the caller as text (`since: "2024-01-01T00:00:00Z"`), so any spelling the server accepts
/// passes through unchanged; the body and response types keep their formats.
fn plain_formats(types: &[super::TypeDef], ty: &Ty) -> Ty {
    let inner = |t: &Ty| Box::new(plain_formats(types, t));
    match ty {
        Ty::Format(f) => f.plain(),
        Ty::Array(t) => Ty::Array(inner(t)),
        Ty::Nullable(t) => Ty::Nullable(inner(t)),
        Ty::Map(t) => Ty::Map(inner(t)),
        Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| plain_formats(types, t)).collect()),
        Ty::Named(_) => {
            let target = super::resolve(types, ty);
            let plain = if std::ptr::eq(target, ty) { ty.clone() } else { plain_formats(types, target) };
            if &plain == target { ty.clone() } else { plain }
        }
        other => other.clone(),
    }
}

/// A string example of the parameter for docs: its `example`, else its first `examples` entry
/// (an Example Object or a `$ref` to one), else its schema's `example` (through `$ref`s).
fn param_example(l: &Lowerer<'_>, data: &openapiv3::ParameterData) -> Option<String> {
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str().map(String::from));
    let spec = l.spec;
    text(data.example.as_ref())
        .or_else(|| {
            let first = data.examples.values().next()?;
            text(crate::pointer::item(spec, first).ok()?.value.as_ref())
        })
        .or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                text(crate::pointer::item(spec, s).ok()?.schema_data.example.as_ref())
            }
            ParameterSchemaOrContent::Content(_) => None,
        })
}

/// The keywords the client checks for a parameter of type `ty`: each applies to one JSON type
/// and JSON Schema ignores it on others, so a string keyword on an array parameter is left out
/// with a warning (an enum's or a boolean's keywords were never checked and stay documented).
fn applicable(l: &mut Lowerer<'_>, mut c: super::Constraints, ty: &Ty, at: &str) -> super::Constraints {
    let base = non_null(l, ty.clone());
    let (kind, strings, numbers, arrays) = match super::resolve(&l.types, &base) {
        Ty::String => ("a string", true, false, false),
        Ty::Integer | Ty::Number => ("a number", false, true, false),
        Ty::Array(_) => ("an array", false, false, true),
        _ => return super::Constraints::default(),
    };
    let mut dropped = Vec::new();
    // Called only for keywords present: keeps them, or records them as left out.
    let mut drop = |keep: bool, keyword: &'static str| {
        if !keep {
            dropped.push(keyword);
        }
        keep
    };
    c.min_length = c.min_length.filter(|_| drop(strings, "minLength"));
    c.max_length = c.max_length.filter(|_| drop(strings, "maxLength"));
    c.pattern = c.pattern.take().filter(|_| drop(strings, "pattern"));
    c.minimum = c.minimum.filter(|_| drop(numbers, "minimum"));
    c.maximum = c.maximum.filter(|_| drop(numbers, "maximum"));
    c.min_items = c.min_items.filter(|_| drop(arrays, "minItems"));
    c.max_items = c.max_items.filter(|_| drop(arrays, "maxItems"));
    if !dropped.is_empty() {
        l.diags
            .warning(at, format!("`{}` do not apply to {kind} parameter; not checked", dropped.join("`, `")))
            .with_hint(
                "JSON Schema ignores keywords written for another type; move them where they apply (e.g. `items`)",
            );
    }
    c
}

/// `ty`, made able to hold `null` unless it already can.
pub(super) fn may_be_null(l: &Lowerer<'_>, ty: Ty) -> Ty {
    if matches!(super::resolve(&l.types, &ty), Ty::Nullable(_) | Ty::Any) { ty } else { Ty::Nullable(Box::new(ty)) }
}

/// A parameter schema without a type (`{maxLength: 32}`, common for ids) is text on the wire:
/// `text` (a string, or a number when it has numeric bounds), not a JSON value that would be
/// sent quoted. Arrays of such items likewise. A `format: binary` parameter is text too.
fn plain_text(l: &Lowerer<'_>, ty: Ty, text: Ty) -> Ty {
    let is_any = |t: &Ty| matches!(super::resolve(&l.types, t), Ty::Any);
    let is_file = |t: &Ty| matches!(super::resolve(&l.types, t), Ty::File);
    match super::resolve(&l.types, &ty) {
        Ty::Any => text,
        Ty::File => Ty::String,
        Ty::Nullable(inner) if is_any(inner) => Ty::Nullable(Box::new(text)),
        Ty::Nullable(inner) if is_file(inner) => Ty::Nullable(Box::new(Ty::String)),
        Ty::Array(inner) if is_any(inner) || is_file(inner) => Ty::Array(Box::new(Ty::String)),
        _ => ty,
    }
}

/// Headers the runtime owns: the body's and response's media types, and every header a security
/// scheme sets (a spec declaring them as parameters would clash with auth).
fn is_reserved_header(name: &str, auth_headers: &[String]) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "content-type", "accept"].contains(&name.as_str()) || auth_headers.contains(&name)
}

/// A pattern the `regex` crate cannot compile (look-arounds, ...) is documented, not checked.
fn check_pattern(l: &mut Lowerer<'_>, mut c: super::Constraints, at: &str) -> super::Constraints {
    if let Some(p) = &c.pattern
        && let Err(e) = regex::Regex::new(p)
    {
        l.diags
            .warning(
                at,
                format!(
                    "pattern `{p}` is not supported by the regex crate and is not checked: {}",
                    e.to_string().lines().last().unwrap_or("")
                ),
            )
            .with_hint("ECMAScript look-around and back-references have no equivalent in Rust's regex");
        c.pattern = None;
    }
    c
}

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn template_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

fn resolve_param<'a>(l: &mut Lowerer<'a>, p: &'a ReferenceOr<Parameter>, at: &str) -> Option<&'a Parameter> {
    resolved(l, p, at)
}

/// The definition behind a `$ref` of any kind, or a located error saying why there is none.
pub(super) fn resolved<'a, T: crate::pointer::Kind>(
    l: &mut Lowerer<'a>,
    r: &'a ReferenceOr<T>,
    at: &str,
) -> Option<&'a T> {
    match crate::pointer::item(l.spec, r) {
        Ok(item) => Some(item),
        Err(why) => {
            l.diags.error(at, why.message).with_hint(why.hint);
            None
        }
    }
}
