//! Lowering of JSON schemas into [`Ty`] and named [`TypeDef`]s: references and inline schemas
//! here, keywords normalised in `normalise`, objects and `allOf` in `object`, `oneOf`/`anyOf`
//! in `union`.

mod normalise;
mod object;
mod union;

pub use normalise::docs_of;
use normalise::{Norm, norm};

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use super::{Constraints, Docs, EnumDef, Home, Ty, TypeDef, TypeId, TypeKind, Variant};
use crate::diag::Diagnostics;
use crate::load::Spec;
use crate::pointer::child;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// A schema or a reference to one, borrowed from the spec (or from a resolved `$ref` target).
#[derive(Debug, Clone, Copy)]
pub enum S<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for S<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => S::Ref(reference),
            ReferenceOr::Item(s) => S::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for S<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => S::Ref(reference),
            ReferenceOr::Item(s) => S::Item(s),
        }
    }
}

/// Where a schema is being lowered: the words its type name would be built from, the module it
/// would live in, and its JSON pointer.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub hint: Vec<String>,
    pub home: Home,
    pub pointer: String,
}

impl Ctx {
    pub fn child(&self, word: &str, tokens: &[&str]) -> Ctx {
        let mut hint = self.hint.clone();
        hint.push(word.to_string());
        Ctx { hint, home: self.home.clone(), pointer: child(&self.pointer, tokens) }
    }
}

/// An object's properties after following `$ref`s and merging `allOf` parts.
pub struct ObjectView<'a> {
    pub properties: Vec<(String, S<'a>, String)>,
    pub required: BTreeSet<String>,
    pub additional: Option<(&'a AdditionalProperties, String)>,
}

impl<'a> ObjectView<'a> {
    pub fn property(&self, name: &str) -> Option<&(String, S<'a>, String)> {
        self.properties.iter().find(|(n, _, _)| n == name)
    }
}

pub struct Lowerer<'a> {
    pub spec: &'a Spec,
    pub diags: &'a mut Diagnostics,
    pub types: Vec<TypeDef>,
    components: BTreeMap<String, TypeId>,
    /// Non-component `$ref` targets already lowered (pointer → type), and those in progress.
    by_pointer: BTreeMap<String, Ty>,
    resolving: BTreeSet<String>,
    /// Inline schemas already lowered, by the JSON pointer of where they are written.
    by_site: BTreeMap<String, Ty>,
    /// Schemas whose `allOf` is being merged right now (to stop self-inclusion).
    viewing: BTreeSet<String>,
    /// `$ref`s whose properties an inline `allOf` is copying into a struct being lowered.
    inlining: BTreeSet<String>,
    /// An `allOf` chain was too deep (reported once; the run fails).
    too_deep: bool,
    /// Typed formats (`chrono`, `uuid`, ...) rather than strings: the config's `typed_formats`.
    pub typed_formats: bool,
    /// Every object keeps undeclared properties in a map: the config's `extra_fields`.
    pub extra_fields: bool,
}

impl<'a> Lowerer<'a> {
    /// Hands out an id to every component schema before converting any.
    pub fn new(spec: &'a Spec, diags: &'a mut Diagnostics) -> Self {
        let mut types = Vec::new();
        let mut components = BTreeMap::new();
        if let Some(c) = &spec.api.components {
            let mut names: Vec<&String> = c.schemas.keys().collect();
            names.sort();
            for name in names {
                components.insert(name.clone(), types.len());
                types.push(TypeDef {
                    name_hint: vec![name.clone()],
                    name: String::new(),
                    home: Home::Shared,
                    docs: Docs::default(),
                    pointer: child("#/components/schemas", &[name]),
                    kind: TypeKind::Pending,
                    groups: Default::default(),
                    pruned: false,
                    moved_from: None,
                    serde: Default::default(),
                    setters: false,
                });
            }
        }
        Lowerer {
            spec,
            diags,
            types,
            components,
            by_pointer: BTreeMap::new(),
            resolving: BTreeSet::new(),
            by_site: BTreeMap::new(),
            viewing: BTreeSet::new(),
            inlining: BTreeSet::new(),
            too_deep: false,
            typed_formats: true,
            extra_fields: false,
        }
    }

    pub fn lower_components(&mut self) {
        let Some(c) = &self.spec.api.components else { return };
        for (name, id) in self.components.clone() {
            let Some(schema) = c.schemas.get(&name) else { continue };
            let ctx = Ctx { hint: vec![name.clone()], home: Home::Shared, pointer: self.types[id].pointer.clone() };
            let (kind, docs) = match schema {
                ReferenceOr::Reference { reference } => {
                    (TypeKind::Alias(self.reference(reference, &ctx)), Docs::default())
                }
                ReferenceOr::Item(s) => (self.named_kind(s, &ctx, id), docs_of(s)),
            };
            self.types[id].kind = kind;
            self.types[id].docs = docs;
        }
    }

    /// A component schema's own definition: the type lowering would add for it inline is moved
    /// into the component's pre-assigned slot; anything else becomes an alias.
    fn named_kind(&mut self, schema: &'a Schema, ctx: &Ctx, slot: TypeId) -> TypeKind {
        let before = self.types.len();
        let ty = self.inline(schema, ctx);
        if let Ty::Named(id) = ty
            && id >= before
            && id + 1 == self.types.len()
            && let Some(def) = self.types.pop()
        {
            // Later sites that reuse this schema must find the component, not the popped id.
            self.by_site.insert(ctx.pointer.clone(), Ty::Named(slot));
            return def.kind;
        }
        TypeKind::Alias(ty)
    }

    /// The component id for `#/components/schemas/Name`, if that is what `reference` names.
    fn component_id(&self, reference: &str) -> Option<TypeId> {
        let rest = reference.strip_prefix(COMPONENT_PREFIX)?;
        let name = crate::pointer::unescape(rest)?;
        self.components.get(&name).copied()
    }

    /// Follows a `$ref` to the schema it names (for merging and inspection, not for typing).
    pub fn deref(&mut self, reference: &str, at: &str) -> Option<(&'a Schema, String)> {
        let mut current = reference.to_string();
        let mut seen = BTreeSet::new();
        loop {
            if !seen.insert(current.clone()) {
                self.diags
                    .error(at, format!("`$ref` cycle with no schema between its members: {current}"))
                    .with_hint("one schema in the cycle must have structure (properties, items, ...)");
                return None;
            }
            match self.target(&current, at)? {
                ReferenceOr::Reference { reference } => current = reference.clone(),
                ReferenceOr::Item(s) => return Some((s, normalise_ref(&current))),
            }
        }
    }

    /// The schema a reference points at (one step), reporting unresolved or external references.
    fn target(&mut self, reference: &str, at: &str) -> Option<&'a ReferenceOr<Schema>> {
        match crate::pointer::step::<Schema>(self.spec, reference) {
            Ok(target) => Some(target),
            Err(why) => {
                self.diags.error(at, why.message).with_hint(why.hint);
                None
            }
        }
    }

    /// The type for a schema or reference in context `ctx`.
    pub fn ty(&mut self, s: S<'a>, ctx: &Ctx) -> Ty {
        match s {
            S::Ref(r) => self.reference(r, ctx),
            S::Item(schema) => self.inline(schema, ctx),
        }
    }

    fn reference(&mut self, reference: &str, ctx: &Ctx) -> Ty {
        if let Some(id) = self.component_id(reference) {
            return Ty::Named(id);
        }
        let key = normalise_ref(reference);
        if let Some(ty) = self.by_pointer.get(&key) {
            return ty.clone();
        }
        if !self.resolving.insert(key.clone()) {
            self.diags
                .error(&ctx.pointer, format!("`$ref` cycle through `{reference}` cannot be typed"))
                .with_hint("move the recursive schema under #/components/schemas so it gets a name");
            return Ty::Any;
        }
        let ty = match self.target(reference, &ctx.pointer) {
            Some(ReferenceOr::Reference { reference: next }) => {
                let next = next.clone();
                self.reference(&next, ctx)
            }
            Some(ReferenceOr::Item(schema)) => {
                let last = key.rsplit('/').next().unwrap_or("Ref").to_string();
                let inner = Ctx { hint: vec![last], home: Home::Shared, pointer: key.clone() };
                self.inline(schema, &inner)
            }
            None => Ty::Any,
        };
        self.resolving.remove(&key);
        self.by_pointer.insert(key, ty.clone());
        ty
    }

    /// An inline schema. Each schema *site* (JSON pointer) is lowered once: `allOf` merging
    /// copies a part's properties into every schema that includes it, and without this their
    /// inline types would be generated again for each.
    fn inline(&mut self, schema: &'a Schema, ctx: &Ctx) -> Ty {
        if let Some(ty) = self.by_site.get(&ctx.pointer) {
            return ty.clone();
        }
        let n = norm(schema);
        let ty = self.inline_norm(schema, &n, ctx);
        let ty = if schema.schema_data.nullable && !matches!(ty, Ty::Nullable(_) | Ty::Any) {
            Ty::Nullable(Box::new(ty))
        } else {
            ty
        };
        self.by_site.insert(ctx.pointer.clone(), ty.clone());
        ty
    }

    fn inline_norm(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Ty {
        if n.not {
            self.diags
                .warning(&ctx.pointer, "`not` cannot be expressed as a Rust type; using serde_json::Value")
                .with_hint("the value is accepted as-is and not checked against the `not` schema");
            return Ty::Any;
        }
        if !n.all_of.is_empty() {
            return self.all_of(schema, n, ctx);
        }
        if let Some(ty) = self.alternatives(schema, n, ctx) {
            return ty;
        }
        let implied = if !n.properties.is_empty() || n.additional.is_some() {
            Some("object")
        } else if n.items.is_some() {
            Some("array")
        } else {
            None
        };
        match n.typ.or(implied) {
            Some("string") => self.string_enum(schema, n, ctx).unwrap_or_else(|| match n.format.as_deref() {
                Some("binary") => Ty::File,
                _ => self.formatted("string", n),
            }),
            Some("integer") => match self.number_like(n, ctx, Ty::Integer) {
                Ty::Integer => self.formatted("integer", n),
                other => other,
            },
            Some("number") => self.formatted("number", n),
            Some("boolean") => Ty::Boolean,
            Some("array") => {
                if let Some(S::Item(items)) = n.items
                    && items.schema_data.extensions.contains_key(crate::load::TUPLE)
                    && let openapiv3::SchemaKind::OneOf { one_of } = &items.schema_kind
                {
                    let positions = one_of.iter().enumerate().map(|(i, part)| {
                        let at = i.to_string();
                        self.ty(S::from(part), &ctx.child(&format!("Item{i}"), &["items", "oneOf", &at]))
                    });
                    return Ty::Tuple(positions.collect());
                }
                let item = match n.items {
                    Some(items) => self.ty(items, &ctx.child("Item", &["items"])),
                    None => Ty::Any,
                };
                Ty::Array(Box::new(item))
            }
            Some("object") => {
                if n.properties.is_empty() {
                    return Ty::Map(Box::new(self.additional(n.additional, ctx)));
                }
                let view = self.view_of_norm(n, &ctx.pointer);
                let def = self.struct_def(&view, ctx);
                Ty::Named(self.add(ctx, docs_of(schema), TypeKind::Struct(def)))
            }
            Some(other) => {
                self.diags
                    .warning(&ctx.pointer, format!("unknown schema type `{other}`; using serde_json::Value"))
                    .with_hint("OpenAPI 3.0 types are string, number, integer, boolean, array and object");
                Ty::Any
            }
            None => self.untyped_enum(schema, n, ctx),
        }
    }

    /// `oneOf`/`anyOf` beside the schema's own keywords: a union, or `None` when the schema's
    /// own type wins (an array with `items`; properties with "at least one of" alternatives).
    fn alternatives(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Option<Ty> {
        if n.one_of.is_empty() && n.any_of.is_empty() {
            return None;
        }
        let parts = if n.one_of.is_empty() { n.any_of } else { n.one_of };
        // `type: array` with `items` beside object alternatives: an array satisfies them all
        // (they constrain objects only), so the array is the type.
        let array = n.typ == Some("array") && n.items.is_some();
        // Alternatives that only say which properties are required ("at least one of `a`, `b`")
        // constrain the object's own properties: the object is the type.
        let presence = !n.properties.is_empty() && parts.iter().all(|p| self.is_presence_only(S::from(p)));
        if !array && !presence {
            return Some(self.union(schema, parts, ctx));
        }
        if array {
            self.diags
                .warning(
                    &ctx.pointer,
                    "`type: array` beside `oneOf`/`anyOf`: the array is the type, the alternatives are ignored",
                )
                .with_hint("put the alternatives under `items` if they describe the array's items");
        }
        None
    }

    /// A string enum (nullable when `null` is one of its values); `None` without string values.
    fn string_enum(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Option<Ty> {
        let values: Vec<&str> = n.enumeration.iter().filter_map(Value::as_str).collect();
        if values.is_empty() {
            return None;
        }
        let id = self.add(ctx, docs_of(schema), TypeKind::Enum(enum_def(&values)));
        Some(if n.enumeration.iter().any(Value::is_null) {
            Ty::Nullable(Box::new(Ty::Named(id)))
        } else {
            Ty::Named(id)
        })
    }

    /// No `type`: an enum has the type of its values (strings make a string enum); anything
    /// else is any JSON value.
    fn untyped_enum(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Ty {
        let values: Vec<&Value> = n.enumeration.iter().filter(|v| !v.is_null()).collect();
        if !values.is_empty() && values.iter().all(|v| v.is_string()) {
            return self.string_enum(schema, n, ctx).unwrap_or(Ty::Any);
        }
        let ty = if values.is_empty() {
            return Ty::Any;
        } else if values.iter().all(|v| v.is_boolean()) {
            Ty::Boolean
        } else if values.iter().all(|v| v.is_i64() || v.is_u64()) {
            Ty::Integer
        } else if values.iter().all(|v| v.is_number()) {
            Ty::Number
        } else {
            return Ty::Any;
        };
        if values.len() < n.enumeration.len() { Ty::Nullable(Box::new(ty)) } else { ty }
    }

    /// `typ` with its typed format (`date-time`, `uuid`, `int32`, ...), when it has one and the
    /// config types formats; else the plain type.
    fn formatted(&self, typ: &str, n: &Norm<'a>) -> Ty {
        let format = n.format.as_deref().and_then(|f| super::Format::of(typ, f)).filter(|_| self.typed_formats);
        match (format, typ) {
            (Some(f), _) => Ty::Format(f),
            (None, "integer") => Ty::Integer,
            (None, "number") => Ty::Number,
            (None, _) => Ty::String,
        }
    }

    fn number_like(&mut self, n: &Norm<'a>, ctx: &Ctx, ty: Ty) -> Ty {
        if ty == Ty::Integer
            && let Some((m, _)) = n.constraints.maximum.or(n.constraints.minimum)
            && m.abs() > i64::MAX as f64
        {
            // A server may send any value up to the bound; i64 would fail to decode it.
            self.diags
                .warning(&ctx.pointer, format!("integer bound {m} is beyond i64; values are typed f64"))
                .with_hint("use a smaller bound if values really fit in i64");
            return Ty::Number;
        }
        ty
    }

    fn additional(&mut self, additional: Option<&'a AdditionalProperties>, ctx: &Ctx) -> Ty {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                self.ty(S::from(s.as_ref()), &ctx.child("Value", &["additionalProperties"]))
            }
            _ => Ty::Any,
        }
    }

    /// Docs for a property: its own description, or the referenced schema's.
    pub fn docs_for(&mut self, s: S<'a>, at: &str) -> Docs {
        match s {
            S::Item(schema) => {
                let mut d = docs_of(schema);
                if d.description.is_none()
                    && let SchemaKind::AllOf { all_of } = &schema.schema_kind
                    && let Some(ReferenceOr::Reference { reference }) = all_of.first()
                    && let Some((target, _)) = self.deref(reference, at)
                {
                    d.description = target.schema_data.description.clone();
                }
                d
            }
            S::Ref(r) => self.deref(r, at).map(|(t, _)| docs_of(t)).unwrap_or_default(),
        }
    }

    /// Validation constraints of a (possibly referenced) schema.
    pub fn constraints_of(&mut self, s: S<'a>, at: &str) -> (Constraints, Vec<String>) {
        let schema = match s {
            S::Ref(r) => match self.deref(r, at) {
                Some((schema, _)) => schema,
                None => return (Constraints::default(), Vec::new()),
            },
            S::Item(schema) => schema,
        };
        let n = norm(schema);
        let allowed = n.enumeration.iter().filter_map(|v| v.as_str().map(String::from)).collect();
        (n.constraints, allowed)
    }

    fn add(&mut self, ctx: &Ctx, docs: Docs, kind: TypeKind) -> TypeId {
        self.types.push(TypeDef {
            name_hint: ctx.hint.clone(),
            name: String::new(),
            home: ctx.home.clone(),
            docs,
            pointer: ctx.pointer.clone(),
            kind,
            groups: Default::default(),
            pruned: false,
            moved_from: None,
            serde: Default::default(),
            setters: false,
        });
        self.types.len() - 1
    }
}

fn enum_def(values: &[&str]) -> EnumDef {
    let mut seen = BTreeSet::new();
    EnumDef {
        variants: values
            .iter()
            .filter(|v| seen.insert(**v))
            .map(|v| Variant { wire: v.to_string(), ident: String::new() })
            .collect(),
    }
}

fn push(hint: &[String], word: &str) -> Vec<String> {
    let mut h = hint.to_vec();
    h.push(word.to_string());
    h
}

/// Canonical form of a local reference: percent-decoding applied, so `%7Bid%7D` and `{id}` match.
fn normalise_ref(reference: &str) -> String {
    crate::pointer::normalise(reference)
}
