//! Stage 2 (model), for the per-operation wire tests: one schema-valid value for every parameter
//! and request body. A value comes from the spec (`example`, `examples`, `default`, `enum`) when
//! it fits the Rust type and the schema's rules; otherwise it is synthesised from the schema
//! (formats, patterns, bounds, required fields). An example that does not validate is a warning
//! at its JSON pointer. Values are plain JSON here; `emit::wire_tests` turns them into Rust.

use serde_json::{Map, Value};

use super::{Api, BodyKind, Operation, ParamLocation, Ty, TypeKind};
use crate::diag::Diagnostics;
use crate::pointer::{escape, lookup};

/// Values for one operation: one per parameter (same order as `Operation::params`; `None` for an
/// optional parameter left out) and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationSample {
    pub params: Vec<Option<Value>>,
    pub body: Option<Value>,
    /// Multipart fields that are files (`format: binary`), sent as file parts.
    pub files: Vec<String>,
}

/// Samples for every operation (`None` where no valid value could be built, with a warning).
pub fn samples(api: &Api, raw: &Value, diags: &mut Diagnostics) -> Vec<Option<OperationSample>> {
    let mut s = Sampler { api, raw, diags, warned: Default::default() };
    api.operations.iter().map(|op| s.operation(op)).collect()
}

/// What a schema says about its values, gathered through `$ref`s and `allOf` parts.
#[derive(Debug, Default, Clone)]
struct Hints {
    /// Where the schema is (after following `$ref`s), for child pointers and warnings.
    at: Option<String>,
    examples: Vec<(Value, String)>,
    default: Option<Value>,
    enumeration: Vec<Value>,
    typ: Option<String>,
    format: Option<String>,
    pattern: Option<String>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    multiple_of: Option<f64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
}

const MAX_DEPTH: usize = 12;

struct Sampler<'a> {
    api: &'a Api,
    raw: &'a Value,
    diags: &'a mut Diagnostics,
    /// Examples already reported (a shared schema is met once per operation using it).
    warned: std::collections::BTreeSet<String>,
}

impl Sampler<'_> {
    fn operation(&mut self, op: &Operation) -> Option<OperationSample> {
        let mut params = Vec::new();
        for p in &op.params {
            let mut hints = self.param_hints(&p.pointer);
            if hints.min_length.is_none() && p.location == ParamLocation::Path {
                hints.min_length = Some(1);
            }
            let wanted = p.required || p.client_default;
            // Optional parameters are sent when the spec gives an example for them.
            if !wanted && hints.examples.is_empty() {
                params.push(None);
                continue;
            }
            match self.value(&p.ty, &hints, 0) {
                Some(v) => params.push(Some(v)),
                None if !wanted => params.push(None),
                None => return self.give_up(op, &format!("parameter `{}`", p.wire)),
            }
        }
        let body = match &op.body {
            None => None,
            Some(b) => {
                let at = format!("{}/requestBody/content/{}", op.pointer, escape(&b.content_type));
                let mut hints = self.hints_at(&format!("{at}/schema"));
                hints.examples.splice(0..0, self.media_examples(&at));
                let value = match b.kind {
                    BodyKind::Json | BodyKind::Multipart => self.value(&b.ty, &hints, 0),
                    BodyKind::Text | BodyKind::Bytes => Some(
                        hints
                            .examples
                            .iter()
                            .find_map(|(v, _)| v.as_str().map(Value::from))
                            .unwrap_or_else(|| Value::from("hello, world")),
                    ),
                };
                match value {
                    Some(v) => Some(v),
                    None => return self.give_up(op, "the request body"),
                }
            }
        };
        let files = match &op.body {
            Some(b) if b.kind == BodyKind::Multipart => self.file_fields(&b.ty),
            _ => Vec::new(),
        };
        Some(OperationSample { params, body, files })
    }

    fn file_fields(&self, ty: &Ty) -> Vec<String> {
        let Ty::Named(id) = super::resolve(&self.api.types, ty) else { return Vec::new() };
        let TypeKind::Struct(s) = &self.api.types[*id].kind else { return Vec::new() };
        s.fields
            .iter()
            .filter(|f| self.hints_at(&f.pointer).format.as_deref() == Some("binary"))
            .map(|f| f.wire.clone())
            .collect()
    }

    fn give_up(&mut self, op: &Operation, what: &str) -> Option<OperationSample> {
        self.diags
            .warning(
                &op.pointer,
                format!("no valid value for {what} can be built; operation `{}` gets no wire test", op.operation_id),
            )
            .with_hint("give the schema an `example` that validates against it");
        None
    }

    /// A value for `ty`: the first example that fits, else the default or first enum value
    /// that fits, else one synthesised from the hints.
    fn value(&mut self, ty: &Ty, hints: &Hints, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        for (example, at) in &hints.examples {
            // Query arrays are often given one item as their example (`example: 7d`).
            let wrapped = Value::Array(vec![example.clone()]);
            if !example.is_array() && self.is_array(ty) && self.check(ty, &wrapped, hints, depth).is_ok() {
                return Some(wrapped);
            }
            match self.check(ty, example, hints, depth) {
                Ok(()) => return Some(example.clone()),
                Err(why) => {
                    if !self.warned.insert(at.clone()) {
                        continue;
                    }
                    self.diags
                        .warning(at, format!("example does not validate against its schema ({why}); a synthesised value is used in wire tests"))
                        .with_hint("fix the example");
                }
            }
        }
        for candidate in hints.default.iter().chain(hints.enumeration.first()) {
            if self.check(ty, candidate, hints, depth).is_ok() {
                return Some(candidate.clone());
            }
        }
        self.synthesise(ty, hints, depth)
    }

    /// An object of struct `id`: its required properties, those an "at least one of" alternative
    /// requires, and with `rich` every optional property the spec gives an example or enum for.
    fn object(&mut self, id: usize, rich: bool, depth: usize) -> Option<Value> {
        let t = &self.api.types[id];
        let TypeKind::Struct(s) = &t.kind else { return None };
        let presence = self.presence_required(&t.pointer, 0);
        let mut object = Map::new();
        for f in &s.fields {
            let fh = self.hints_at(&f.pointer);
            if f.flatten {
                // The union's properties sit beside the struct's own.
                let Value::Object(inner) = self.value(&f.ty, &fh, depth + 1)? else { return None };
                object.extend(inner);
            } else if f.required || presence.contains(&f.wire) {
                object.insert(f.wire.clone(), self.value(&f.ty, &fh, depth + 1)?);
            } else if rich
                && (!fh.examples.is_empty() || !fh.enumeration.is_empty())
                && let Some(v) = self.value(&f.ty, &fh, depth + 1)
            {
                object.insert(f.wire.clone(), v);
            } else if rich
                && let Ty::Named(fid) = super::resolve(&self.api.types, &f.ty)
                && matches!(self.api.types[*fid].kind, TypeKind::Struct(_))
                && depth < MAX_DEPTH
                && let Some(v) = self.object(*fid, true, depth + 1)
            {
                // A nested object may hold what tells the variants apart (`source.provider`).
                object.insert(f.wire.clone(), v);
            }
        }
        Some(Value::Object(object))
    }

    /// Property names the first `oneOf`/`anyOf` alternative of the schema at `pointer` (or of
    /// one of its `allOf` parts) requires: `anyOf: [{required: [hostnames]}, {required: [ip_subnets]}]`.
    fn presence_required(&self, pointer: &str, depth: usize) -> Vec<String> {
        let (Some(schema), at) = self.follow(pointer) else { return Vec::new() };
        if depth > 8 {
            return Vec::new();
        }
        let own = ["oneOf", "anyOf"].iter().find_map(|k| {
            let first = schema.get(*k)?.as_array()?.first()?;
            // Only alternatives that list names and nothing else: others are real variants.
            let only_required =
                first.as_object()?.keys().all(|k| matches!(k.as_str(), "required" | "title" | "description"));
            only_required.then(|| first.get("required")?.as_array().cloned()).flatten()
        });
        let mut names: Vec<String> =
            own.unwrap_or_default().iter().filter_map(|v| v.as_str().map(String::from)).collect();
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for i in 0..parts.len() {
                names.extend(self.presence_required(&format!("{at}/allOf/{i}"), depth + 1));
            }
        }
        names
    }

    /// A value for one union variant, with the variant's own hints.
    fn variant_value(&mut self, ty: &Ty, union_pointer: &str, depth: usize) -> Option<Value> {
        let hints = match ty {
            Ty::Named(vid) => self.hints_at(&self.api.types[*vid].pointer.clone()),
            _ => Hints { at: Some(union_pointer.to_string()), ..Hints::default() },
        };
        self.value(ty, &hints, depth + 1)
    }

    /// Whether the union at `pointer` is a `oneOf` (exactly one variant may match).
    fn is_one_of(&self, pointer: &str) -> bool {
        self.follow(pointer).0.is_some_and(|schema| schema.get("oneOf").is_some())
    }

    /// How many of a union's variants accept `value`.
    fn fitting_variants(&self, variants: &[super::UnionVariant], value: &Value) -> usize {
        variants
            .iter()
            .filter(|v| {
                let vh = match &v.ty {
                    Ty::Named(vid) => self.hints_at(&self.api.types[*vid].pointer),
                    _ => Hints::default(),
                };
                self.check(&v.ty, value, &vh, 0).is_ok()
            })
            .count()
    }

    fn is_array(&self, ty: &Ty) -> bool {
        match super::resolve(&self.api.types, ty) {
            Ty::Array(_) => true,
            Ty::Nullable(inner) => matches!(super::resolve(&self.api.types, inner), Ty::Array(_)),
            _ => false,
        }
    }

    fn synthesise(&mut self, ty: &Ty, hints: &Hints, depth: usize) -> Option<Value> {
        match ty {
            Ty::String => Some(Value::from(string_value(hints))),
            Ty::Integer => number_value(hints, true),
            Ty::Number => number_value(hints, false),
            Ty::Boolean => Some(Value::Bool(true)),
            Ty::Any => Some(match hints.typ.as_deref() {
                Some("object") => Value::Object(Map::new()),
                Some("array") => Value::Array(Vec::new()),
                Some("integer" | "number") => Value::from(1),
                Some("boolean") => Value::Bool(true),
                _ => Value::from(string_value(hints)),
            }),
            Ty::Nullable(inner) => self.value(inner, hints, depth),
            Ty::Array(item) => {
                let count = std::cmp::min(hints.min_items.unwrap_or(1).max(1), hints.max_items.unwrap_or(u64::MAX));
                let item_hints = self.child_hints(hints, "items");
                let mut items = Vec::new();
                for _ in 0..count {
                    match self.value(item, &item_hints, depth + 1) {
                        Some(v) => items.push(v),
                        None if hints.min_items.unwrap_or(0) == 0 => return Some(Value::Array(Vec::new())),
                        None => return None,
                    }
                }
                Some(Value::Array(items))
            }
            Ty::Map(_) => Some(Value::Object(Map::new())),
            Ty::Named(id) => {
                let t = &self.api.types[*id];
                match &t.kind {
                    TypeKind::Alias(inner) => {
                        let merged = self.with_type_hints(hints, &t.pointer);
                        self.value(inner, &merged, depth)
                    }
                    TypeKind::Enum(e) => e.variants.first().map(|v| Value::from(v.wire.clone())),
                    TypeKind::Struct(_) => self.object(*id, false, depth),
                    TypeKind::Union(u) => {
                        // oneOf needs a value that exactly one variant accepts: when a minimal
                        // value fits several, the variant is filled with its optional examples
                        // (a `target: ip` that tells it from `target: ipv6`).
                        let mut fallback = None;
                        for v in &u.variants {
                            let Some(mut value) = self.variant_value(&v.ty, &t.pointer, depth) else { continue };
                            if let (Some(tag), Some(tv), Value::Object(map)) = (&u.tag, &v.tag_value, &mut value) {
                                map.insert(tag.clone(), Value::from(tv.clone()));
                                return Some(value);
                            }
                            if self.fitting_variants(&u.variants, &value) > 1
                                && let Ty::Named(vid) = super::resolve(&self.api.types, &v.ty)
                                && matches!(self.api.types[*vid].kind, TypeKind::Struct(_))
                                && let Some(rich) = self.object(*vid, true, depth + 1)
                            {
                                value = rich;
                            }
                            if self.fitting_variants(&u.variants, &value) == 1 {
                                return Some(value);
                            }
                            fallback.get_or_insert(value);
                        }
                        if fallback.is_some() && self.is_one_of(&t.pointer) && self.warned.insert(t.pointer.clone()) {
                            self.diags
                                .warning(&t.pointer, "every value built for this oneOf fits several of its alternatives; a validating server refuses them all")
                                .with_hint("make the alternatives exclusive (a required property, an enum, or `additionalProperties: false`)");
                        }
                        fallback
                    }
                    TypeKind::Pending => None,
                }
            }
        }
    }

    /// Whether `value` is valid for `ty` and the schema's rules; the reason when it is not.
    fn check(&self, ty: &Ty, value: &Value, hints: &Hints, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH + 4 {
            return Err("nested too deeply".into());
        }
        if !hints.enumeration.is_empty() && !hints.enumeration.contains(value) {
            return Err(format!("{value} is not one of the allowed values"));
        }
        match (ty, value) {
            (Ty::Nullable(_), Value::Null) => Ok(()),
            (Ty::Nullable(inner), _) => self.check(inner, value, hints, depth),
            (Ty::Any, _) => Ok(()),
            (Ty::String, Value::String(s)) => check_string(s, hints),
            (Ty::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() && n.as_u64() <= Some(i64::MAX as u64) => {
                check_number(n.as_f64().unwrap_or_default(), hints)
            }
            (Ty::Number, Value::Number(n)) => check_number(n.as_f64().unwrap_or_default(), hints),
            (Ty::Boolean, Value::Bool(_)) => Ok(()),
            (Ty::Array(item), Value::Array(items)) => {
                let n = items.len() as u64;
                if hints.min_items.is_some_and(|m| n < m) || hints.max_items.is_some_and(|m| n > m) {
                    return Err(format!("{n} items is outside the allowed count"));
                }
                let ih = self.child_hints(hints, "items");
                items.iter().try_for_each(|v| self.check(item, v, &ih, depth + 1))
            }
            (Ty::Map(inner), Value::Object(map)) => {
                let vh = self.child_hints(hints, "additionalProperties");
                map.values().try_for_each(|v| self.check(inner, v, &vh, depth + 1))
            }
            (Ty::Named(id), _) => {
                let t = &self.api.types[*id];
                match &t.kind {
                    TypeKind::Alias(inner) => self.check(inner, value, &self.with_type_hints(hints, &t.pointer), depth),
                    TypeKind::Enum(e) => match value {
                        Value::String(s) if e.variants.iter().any(|v| &v.wire == s) => Ok(()),
                        _ => Err(format!("{value} is not one of the enum's values")),
                    },
                    TypeKind::Struct(s) => {
                        let Value::Object(map) = value else {
                            return Err(format!("expected an object, found {value}"));
                        };
                        for f in &s.fields {
                            if f.flatten {
                                self.check(&f.ty, value, &Hints::default(), depth + 1)?;
                                continue;
                            }
                            match map.get(&f.wire) {
                                None if f.required => return Err(format!("required property `{}` is missing", f.wire)),
                                None => {}
                                Some(v) => self
                                    .check(&f.ty, v, &self.hints_at(&f.pointer), depth + 1)
                                    .map_err(|e| format!("`{}`: {e}", f.wire))?,
                            }
                        }
                        Ok(())
                    }
                    TypeKind::Union(u) => match self.fitting_variants(&u.variants, value) {
                        0 => Err(format!("{value} fits none of the variants")),
                        1 => Ok(()),
                        _ if self.is_one_of(&t.pointer) => Err(format!("{value} fits several variants of a oneOf")),
                        _ => Ok(()),
                    },
                    TypeKind::Pending => Err("unknown type".into()),
                }
            }
            _ => Err(format!("{value} does not have the expected type")),
        }
    }

    /// Hints for the schema at `pointer`, following `$ref`s and `allOf` parts.
    fn hints_at(&self, pointer: &str) -> Hints {
        let mut h = Hints::default();
        self.gather(pointer, &mut h, 0);
        h
    }

    /// A parameter: its own `example`/`examples`, then its schema's hints.
    fn param_hints(&self, pointer: &str) -> Hints {
        let (param, at) = self.follow(pointer);
        let mut h = Hints::default();
        if let Some(param) = param {
            push_examples(param, &at, &mut h);
            self.gather(&format!("{at}/schema"), &mut h, 0);
        }
        h
    }

    fn media_examples(&self, at: &str) -> Vec<(Value, String)> {
        let mut h = Hints::default();
        if let (Some(media), at) = self.follow(at) {
            push_examples(media, &at, &mut h);
        }
        h.examples
    }

    /// The value at `pointer`, following `$ref`s; and where it really is.
    fn follow(&self, pointer: &str) -> (Option<&Value>, String) {
        let mut at = pointer.to_string();
        for _ in 0..32 {
            let Some(v) = lookup(self.raw, &at) else { return (None, at) };
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with('#') => at = r.to_string(),
                _ => return (Some(v), at),
            }
        }
        (None, at)
    }

    fn gather(&self, pointer: &str, h: &mut Hints, depth: usize) {
        if depth > 8 {
            return;
        }
        let (Some(schema), at) = self.follow(pointer) else { return };
        if h.at.is_none() {
            h.at = Some(at.clone());
        }
        push_examples(schema, &at, h);
        let get = |k: &str| schema.get(k);
        if h.default.is_none() {
            h.default = get("default").cloned();
        }
        if h.enumeration.is_empty()
            && let Some(Value::Array(values)) = get("enum")
        {
            h.enumeration = values.clone();
        }
        let text = |k: &str| get(k).and_then(Value::as_str).map(String::from);
        let int = |k: &str| get(k).and_then(Value::as_u64);
        let num = |k: &str| get(k).and_then(Value::as_f64);
        let flag = |k: &str| get(k).and_then(Value::as_bool).unwrap_or(false);
        h.typ = h.typ.take().or_else(|| text("type"));
        h.format = h.format.take().or_else(|| text("format"));
        h.pattern = h.pattern.take().or_else(|| text("pattern"));
        h.min_length = h.min_length.or_else(|| int("minLength"));
        h.max_length = h.max_length.or_else(|| int("maxLength"));
        h.minimum = h.minimum.or_else(|| num("minimum").map(|m| (m, flag("exclusiveMinimum"))));
        h.maximum = h.maximum.or_else(|| num("maximum").map(|m| (m, flag("exclusiveMaximum"))));
        h.multiple_of = h.multiple_of.or_else(|| num("multipleOf").filter(|m| *m > 0.0));
        h.min_items = h.min_items.or_else(|| int("minItems"));
        h.max_items = h.max_items.or_else(|| int("maxItems"));
        if let Some(Value::Array(parts)) = get("allOf") {
            for i in 0..parts.len() {
                self.gather(&format!("{at}/allOf/{i}"), h, depth + 1);
            }
        }
    }

    /// Hints of a child schema (`items`, `additionalProperties`) of the schema the hints are for.
    fn child_hints(&self, hints: &Hints, key: &str) -> Hints {
        match &hints.at {
            Some(at) => self.hints_at(&format!("{at}/{key}")),
            None => Hints::default(),
        }
    }

    /// The hints at a use site, completed by the named type's own schema (what the site leaves
    /// unsaid; the type's examples come after the site's).
    fn with_type_hints(&self, site: &Hints, pointer: &str) -> Hints {
        let mut h = site.clone();
        self.gather(pointer, &mut h, 0);
        h
    }
}

/// `example` and every value of `examples` (a map of Example Objects in OpenAPI 3.0, or an
/// array of values in JSON Schema).
fn push_examples(node: &Value, at: &str, h: &mut Hints) {
    if let Some(v) = node.get("example") {
        h.examples.push((v.clone(), format!("{at}/example")));
    }
    match node.get("examples") {
        Some(Value::Object(map)) => {
            for (name, ex) in map {
                if let Some(v) = ex.get("value") {
                    h.examples.push((v.clone(), format!("{at}/examples/{}/value", escape(name))));
                }
            }
        }
        Some(Value::Array(values)) => {
            for (i, v) in values.iter().enumerate() {
                h.examples.push((v.clone(), format!("{at}/examples/{i}")));
            }
        }
        _ => {}
    }
}

fn check_string(s: &str, h: &Hints) -> Result<(), String> {
    let len = s.chars().count() as u64;
    if h.min_length.is_some_and(|m| len < m) || h.max_length.is_some_and(|m| len > m) {
        return Err(format!("{s:?} has a length outside the allowed range"));
    }
    if let Some(p) = &h.pattern
        && let Ok(re) = regex::Regex::new(p)
        && !re.is_match(s)
    {
        return Err(format!("{s:?} does not match `{p}`"));
    }
    match h.format.as_deref().map(|f| (f, format_ok(f, s))) {
        Some((f, false)) => Err(format!("{s:?} is not a valid `{f}`")),
        _ => Ok(()),
    }
}

/// The formats a validating server checks (as ajv-formats does), roughly.
fn format_ok(format: &str, s: &str) -> bool {
    let re = |p: &str| regex::Regex::new(p).is_ok_and(|r| r.is_match(s));
    match format {
        "date-time" => re(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$"),
        "date" => re(r"^\d{4}-\d{2}-\d{2}$"),
        "time" => re(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$"),
        "uuid" => re(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
        "email" => re(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "uri" | "url" => re(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$"),
        "hostname" => {
            re(r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")
        }
        _ => true,
    }
}

fn check_number(n: f64, h: &Hints) -> Result<(), String> {
    if let Some((m, excl)) = h.minimum
        && (n < m || excl && n == m)
    {
        return Err(format!("{n} is below the minimum {m}"));
    }
    if let Some((m, excl)) = h.maximum
        && (n > m || excl && n == m)
    {
        return Err(format!("{n} is above the maximum {m}"));
    }
    if let Some(step) = h.multiple_of
        && ((n / step).round() * step - n).abs() > 1e-9
    {
        return Err(format!("{n} is not a multiple of {step}"));
    }
    Ok(())
}

/// A string satisfying the format, pattern and length rules (in that order of preference).
fn string_value(h: &Hints) -> String {
    let by_format = match h.format.as_deref() {
        Some("date-time") => Some("2024-01-01T00:00:00Z"),
        Some("date") => Some("2024-01-01"),
        Some("time") => Some("12:00:00Z"),
        Some("uuid") => Some("123e4567-e89b-12d3-a456-426614174000"),
        Some("email") => Some("user@example.com"),
        Some("uri" | "url") => Some("https://example.com/"),
        Some("hostname") => Some("example.com"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("byte") => Some("aGVsbG8="),
        _ => None,
    };
    let mut s = match (by_format, &h.pattern) {
        (Some(f), _) => f.to_string(),
        (None, Some(p)) => pattern_value(p).unwrap_or_else(|| "example".into()),
        (None, None) => "example".into(),
    };
    let min = h.min_length.unwrap_or(0) as usize;
    while s.chars().count() < min {
        s.push('a');
    }
    if let Some(max) = h.max_length {
        s = s.chars().take(max as usize).collect();
    }
    s
}

/// The shortest simple string a regular expression matches: first alternatives, first class
/// members (letters and digits preferred), minimum repetitions.
fn pattern_value(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn walk(h: &Hir, out: &mut String) {
        match h.kind() {
            HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
            HirKind::Class(Class::Unicode(c)) => {
                let pick = c
                    .iter()
                    .flat_map(|r| [r.start(), r.end()])
                    .find(|ch| ch.is_ascii_alphanumeric())
                    .or_else(|| c.iter().next().map(|r| r.start()));
                if let Some(ch) = pick {
                    out.push(ch);
                }
            }
            HirKind::Class(Class::Bytes(c)) => {
                if let Some(r) = c.iter().next() {
                    out.push(r.start() as char);
                }
            }
            HirKind::Repetition(r) => {
                for _ in 0..r.min.clamp(1, 64) {
                    walk(&r.sub, out);
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out),
            HirKind::Concat(parts) => parts.iter().for_each(|p| walk(p, out)),
            HirKind::Alternation(parts) => {
                if let Some(p) = parts.first() {
                    walk(p, out);
                }
            }
            HirKind::Empty | HirKind::Look(_) => {}
        }
    }
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut out = String::new();
    walk(&hir, &mut out);
    let re = regex::Regex::new(pattern).ok()?;
    re.is_match(&out).then_some(out)
}

fn number_value(h: &Hints, integer: bool) -> Option<Value> {
    let step = h.multiple_of.unwrap_or(1.0);
    let mut n = match (h.minimum, h.maximum) {
        (Some((m, excl)), _) => {
            let mut n = (m / step).ceil() * step;
            if excl && n <= m {
                n += step;
            }
            n
        }
        (None, Some((m, excl))) if m < 1.0 => {
            let mut n = (m / step).floor() * step;
            if excl && n >= m {
                n -= step;
            }
            n
        }
        _ => step.max(1.0),
    };
    if integer {
        n = n.ceil();
        return Some(Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_matching_strings() {
        for p in ["^[a-z0-9_]+(?:-[a-z0-9_]+)*$", "^[0-9a-f]{32}$", r"^\d{3}-\d{4}$", "^(foo|bar)baz$"] {
            let s = pattern_value(p).unwrap_or_else(|| panic!("{p}"));
            assert!(regex::Regex::new(p).unwrap().is_match(&s), "{p} → {s}");
        }
    }

    #[test]
    fn strings_respect_lengths_and_formats() {
        let h = Hints { min_length: Some(12), max_length: Some(12), ..Hints::default() };
        assert_eq!(string_value(&h).len(), 12);
        let h = Hints { format: Some("uuid".into()), ..Hints::default() };
        assert!(format_ok("uuid", &string_value(&h)));
        assert!(!format_ok("date-time", "yesterday"));
    }

    #[test]
    fn numbers_respect_bounds() {
        let h = Hints { minimum: Some((5.0, true)), multiple_of: Some(5.0), ..Hints::default() };
        assert_eq!(number_value(&h, true), Some(Value::from(10)));
        let h = Hints { maximum: Some((-3.0, false)), ..Hints::default() };
        assert_eq!(number_value(&h, true), Some(Value::from(-3)));
    }
}
