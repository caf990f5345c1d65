//! Stage 2 (model), for the per-operation wire tests: one schema-valid value for every parameter
//! and request body. A value comes from the spec (`example`, `examples`, `default`, `enum`) when
//! it fits the Rust type and the schema's rules; otherwise it is synthesised from the schema
//! (formats, patterns, bounds, required fields). An example that does not validate is a warning
//! at its JSON pointer. Values are plain JSON here; `emit::wire_tests` turns them into Rust.

mod check;
pub(crate) use check::format_ok;
mod hints;
mod values;

use serde_json::{Map, Value};

use super::{Api, BodyKind, Operation, ParamLocation, Ty, TypeKind};
use crate::diag::Diagnostics;
use crate::pointer::escape;
use hints::Hints;
use values::{number_value, string_value};

/// Values for one operation: one per parameter (same order as `Operation::params`; `None` for an
/// optional parameter left out) and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationSample {
    pub params: Vec<Option<Value>>,
    pub body: Option<Value>,
}

/// Samples for every operation (`None` where no valid value could be built, with a warning).
pub fn samples(api: &Api, raw: &Value, diags: &mut Diagnostics) -> Vec<Option<OperationSample>> {
    let mut s = Samples::new(api, raw, diags);
    api.operations.iter().map(|op| s.operation(op)).collect()
}

/// Samples one operation at a time, for a caller that needs only a few (the README's examples).
/// An operation's sample does not depend on those sampled before it; only a warning already
/// given is not given again.
pub struct Samples<'a>(Sampler<'a>);

impl<'a> Samples<'a> {
    pub fn new(api: &'a Api, raw: &'a Value, diags: &'a mut Diagnostics) -> Self {
        Samples(Sampler { api, raw, diags, warned: Default::default(), nesting: Default::default() })
    }

    pub fn operation(&mut self, op: &Operation) -> Option<OperationSample> {
        self.0.operation(op)
    }
}

const MAX_DEPTH: usize = 12;

/// Calls of `value` and `check` on the stack at once. `depth` counts object levels; aliases,
/// nullables and unions do not add to it, so a chain of thousands of them is bounded here.
const MAX_NESTING: usize = 96;

struct Sampler<'a> {
    api: &'a Api,
    raw: &'a Value,
    diags: &'a mut Diagnostics,
    /// Examples already reported (a shared schema is met once per operation using it).
    warned: std::collections::BTreeSet<String>,
    /// Calls of `value` and `check` on the stack (bounded by [`MAX_NESTING`]).
    nesting: std::cell::Cell<usize>,
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
                    BodyKind::Json | BodyKind::Form | BodyKind::Multipart => self.value(&b.ty, &hints, 0),
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
        Some(OperationSample { params, body })
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
        if depth > MAX_DEPTH || self.nesting.get() > MAX_NESTING {
            return None;
        }
        self.nesting.set(self.nesting.get() + 1);
        let value = self.value_at(ty, hints, depth);
        self.nesting.set(self.nesting.get() - 1);
        value
    }

    fn value_at(&mut self, ty: &Ty, hints: &Hints, depth: usize) -> Option<Value> {
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

    fn is_array(&self, ty: &Ty) -> bool {
        match super::resolve(&self.api.types, ty) {
            Ty::Array(_) => true,
            Ty::Nullable(inner) => matches!(super::resolve(&self.api.types, inner), Ty::Array(_)),
            _ => false,
        }
    }

    fn synthesise(&mut self, ty: &Ty, hints: &Hints, depth: usize) -> Option<Value> {
        match ty {
            Ty::String | Ty::File => Some(Value::from(string_value(hints))),
            Ty::Integer | Ty::Number => number_value(hints, *ty == Ty::Integer),
            Ty::Format(f) => self.synthesise(&f.plain(), hints, depth),
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
            Ty::Tuple(items) => {
                let item_hints = Hints::default();
                items
                    .iter()
                    .map(|t| self.value(t, &item_hints, depth + 1))
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array)
            }
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
                        if fallback.is_some() && u.one_of && self.warned.insert(t.pointer.clone()) {
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
}
