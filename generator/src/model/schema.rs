//! Lowering of JSON schemas into [`Ty`] and named [`TypeDef`]s.
//!
//! openapiv3 parses a schema into either a typed variant or, when keywords mix (a `type` beside
//! `allOf`, no `type` at all, ...), the catch-all `Any`. [`Norm`] flattens both into one view so
//! every rule below is written once.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::{
    Constraints, Docs, EnumDef, Field, Home, StructDef, Ty, TypeDef, TypeId, TypeKind, UnionDef, UnionVariant, Variant,
};
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

/// One schema's keywords, whichever way openapiv3 parsed it.
#[derive(Default)]
struct Norm<'a> {
    typ: Option<&'a str>,
    format: Option<String>,
    properties: Vec<(&'a str, S<'a>)>,
    required: Vec<&'a str>,
    additional: Option<&'a AdditionalProperties>,
    items: Option<S<'a>>,
    enumeration: Vec<Value>,
    all_of: &'a [ReferenceOr<Schema>],
    one_of: &'a [ReferenceOr<Schema>],
    any_of: &'a [ReferenceOr<Schema>],
    not: bool,
    constraints: Constraints,
}

fn norm(schema: &Schema) -> Norm<'_> {
    let mut n = Norm::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            n.typ = Some("string");
            n.format = fmt(&t.format);
            n.enumeration = t.enumeration.iter().map(|v| v.clone().map_or(Value::Null, Value::String)).collect();
            n.constraints.min_length = t.min_length;
            n.constraints.max_length = t.max_length;
            n.constraints.pattern = t.pattern.clone();
        }
        SchemaKind::Type(Type::Number(t)) => {
            n.typ = Some("number");
            n.format = fmt(&t.format);
            n.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
            n.constraints.minimum = t.minimum.map(|m| (m, t.exclusive_minimum));
            n.constraints.maximum = t.maximum.map(|m| (m, t.exclusive_maximum));
        }
        SchemaKind::Type(Type::Integer(t)) => {
            n.typ = Some("integer");
            n.format = fmt(&t.format);
            n.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
            n.constraints.minimum = t.minimum.map(|m| (m as f64, t.exclusive_minimum));
            n.constraints.maximum = t.maximum.map(|m| (m as f64, t.exclusive_maximum));
        }
        SchemaKind::Type(Type::Boolean(t)) => {
            n.typ = Some("boolean");
            n.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::Bool)).collect();
        }
        SchemaKind::Type(Type::Object(t)) => {
            n.typ = Some("object");
            n.properties = t.properties.iter().map(|(k, v)| (k.as_str(), S::from(v))).collect();
            n.required = t.required.iter().map(String::as_str).collect();
            n.additional = t.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(t)) => {
            n.typ = Some("array");
            n.items = t.items.as_ref().map(S::from);
            n.constraints.min_items = t.min_items;
            n.constraints.max_items = t.max_items;
        }
        SchemaKind::OneOf { one_of } => n.one_of = one_of,
        SchemaKind::AllOf { all_of } => n.all_of = all_of,
        SchemaKind::AnyOf { any_of } => n.any_of = any_of,
        SchemaKind::Not { .. } => n.not = true,
        SchemaKind::Any(a) => {
            n.typ = a.typ.as_deref();
            n.format = a.format.clone();
            n.properties = a.properties.iter().map(|(k, v)| (k.as_str(), S::from(v))).collect();
            n.required = a.required.iter().map(String::as_str).collect();
            n.additional = a.additional_properties.as_ref();
            n.items = a.items.as_ref().map(S::from);
            n.enumeration = a.enumeration.clone();
            n.all_of = &a.all_of;
            n.one_of = &a.one_of;
            n.any_of = &a.any_of;
            n.not = a.not.is_some();
            n.constraints = Constraints {
                min_length: a.min_length,
                max_length: a.max_length,
                pattern: a.pattern.clone(),
                minimum: a.minimum.map(|m| (m, a.exclusive_minimum.unwrap_or(false))),
                maximum: a.maximum.map(|m| (m, a.exclusive_maximum.unwrap_or(false))),
                min_items: a.min_items,
                max_items: a.max_items,
            };
        }
    }
    n
}

/// No properties, items, alternatives, enum or additional properties: nothing that shapes a type.
fn adds_no_shape(n: &Norm) -> bool {
    n.properties.is_empty()
        && n.items.is_none()
        && n.all_of.is_empty()
        && n.one_of.is_empty()
        && n.any_of.is_empty()
        && n.enumeration.is_empty()
        && n.additional.is_none()
        && !n.not
}

fn fmt<T: std::fmt::Debug>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        // The typed formats' names are the spec's in CamelCase: `DateTime` → `date-time`.
        openapiv3::VariantOrUnknownOrEmpty::Item(v) => {
            Some(format!("{v:?}").chars().enumerate().fold(String::new(), |mut out, (i, c)| {
                if c.is_ascii_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
                out
            }))
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub fn docs_of(schema: &Schema) -> Docs {
    let d = &schema.schema_data;
    let n = norm(schema);
    let mut constraints = n.constraints.describe();
    // Formats are kept as their JSON type (a date-time stays a String); say which one it is.
    if let Some(format) = n.format.as_deref().filter(|f| !f.is_empty()) {
        constraints.insert(0, format!("format `{}`", format.replace('`', "'")));
    }
    Docs {
        title: d.title.clone(),
        description: d.description.clone(),
        constraints,
        deprecated: d.deprecated,
        read_only: d.read_only,
    }
}

/// `{type: string}` and the like: a type and nothing else.
fn is_bare(schema: Option<&Schema>) -> bool {
    schema.is_some_and(|s| {
        let n = norm(s);
        n.typ.is_some()
            && n.enumeration.is_empty()
            && n.properties.is_empty()
            && n.items.is_none()
            && n.constraints.is_empty()
    })
}

/// Property names and required names of an object schema.
type Shape = (BTreeSet<String>, BTreeSet<String>);

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
        if !n.one_of.is_empty() || !n.any_of.is_empty() {
            let parts = if n.one_of.is_empty() { n.any_of } else { n.one_of };
            // `type: array` with `items` beside object alternatives: an array satisfies them all
            // (they constrain objects only), so the array is the type.
            let array = n.typ == Some("array") && n.items.is_some();
            // Alternatives that only say which properties are required ("at least one of `a`,
            // `b`") constrain the object's own properties: the object is the type.
            let presence = !n.properties.is_empty() && parts.iter().all(|p| self.is_presence_only(S::from(p)));
            if !array && !presence {
                return self.union(schema, parts, ctx);
            }
            if array {
                self.diags
                    .warning(
                        &ctx.pointer,
                        "`type: array` beside `oneOf`/`anyOf`: the array is the type, the alternatives are ignored",
                    )
                    .with_hint("put the alternatives under `items` if they describe the array's items");
            }
        }
        let typ = n.typ.or_else(|| {
            if !n.properties.is_empty() || n.additional.is_some() {
                Some("object")
            } else if n.items.is_some() {
                Some("array")
            } else {
                None
            }
        });
        match typ {
            Some("string") => {
                let values: Vec<&str> = n.enumeration.iter().filter_map(Value::as_str).collect();
                let has_null = n.enumeration.iter().any(Value::is_null);
                if values.is_empty() {
                    return Ty::String;
                }
                let id = self.add(ctx, docs_of(schema), TypeKind::Enum(enum_def(&values)));
                if has_null { Ty::Nullable(Box::new(Ty::Named(id))) } else { Ty::Named(id) }
            }
            Some("integer") => self.number_like(n, ctx, Ty::Integer),
            Some("number") => self.number_like(n, ctx, Ty::Number),
            Some("boolean") => Ty::Boolean,
            Some("array") => {
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
            None => {
                // An enum without a type: string values make a string enum.
                let strings = n.enumeration.iter().all(|v| v.is_string() || v.is_null());
                if strings && n.enumeration.iter().any(Value::is_string) {
                    let values: Vec<&str> = n.enumeration.iter().filter_map(Value::as_str).collect();
                    let id = self.add(ctx, docs_of(schema), TypeKind::Enum(enum_def(&values)));
                    return if n.enumeration.iter().any(Value::is_null) {
                        Ty::Nullable(Box::new(Ty::Named(id)))
                    } else {
                        Ty::Named(id)
                    };
                }
                // An enum of booleans or numbers without a type has the type of its values.
                let values: Vec<&Value> = n.enumeration.iter().filter(|v| !v.is_null()).collect();
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

    fn all_of(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Ty {
        // `allOf: [$ref]` beside a description is how specs annotate a reference: same type.
        let only_one = n.all_of.len() == 1 && n.properties.is_empty() && n.typ.is_none_or(|t| t == "object");
        if only_one {
            return self.ty(S::from(&n.all_of[0]), &ctx.child("Inner", &["allOf", "0"]));
        }
        match self.object_view(S::Item(schema), &ctx.pointer) {
            Some(view) if !view.properties.is_empty() || view.additional.is_some() => {
                if view.properties.is_empty() {
                    let additional = view.additional.map(|(a, _)| a);
                    return Ty::Map(Box::new(self.additional(additional, ctx)));
                }
                let def = self.struct_def(&view, ctx);
                Ty::Named(self.add(ctx, docs_of(schema), TypeKind::Struct(def)))
            }
            Some(_) => Ty::Map(Box::new(Ty::Any)),
            None => {
                // Objects and one union of objects: a struct with the union flattened into it.
                if let Some(ty) = self.all_of_with_union(schema, n, ctx) {
                    return ty;
                }
                // Not all parts are objects: if exactly one part carries a type, use it.
                let typed: Vec<&ReferenceOr<Schema>> =
                    n.all_of.iter().filter(|p| !self.is_annotation_only(S::from(*p))).collect();
                if typed.len() == 1 {
                    return self.ty(S::from(typed[0]), &ctx.child("Inner", &["allOf"]));
                }
                self.diags
                    .warning(&ctx.pointer, "`allOf` mixes parts that are not all objects; using serde_json::Value")
                    .with_hint("only allOf of object schemas (or one typed part plus annotations) can be merged");
                Ty::Any
            }
        }
    }

    /// A schema that only annotates (description, example, nullable...) and constrains nothing.
    fn is_annotation_only(&mut self, s: S<'a>) -> bool {
        match s {
            S::Ref(_) => false,
            S::Item(schema) => {
                let n = norm(schema);
                n.typ.is_none() && n.required.is_empty() && adds_no_shape(&n)
            }
        }
    }

    /// `allOf: [{oneOf: [A, B]}, {properties: ..}]`: a struct of the other parts' properties and
    /// a flattened field holding the union, when every variant of the union is an object.
    fn all_of_with_union(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Option<Ty> {
        let mut unions = n
            .all_of
            .iter()
            .enumerate()
            .filter(|(_, p)| self.is_union(S::from(*p)) && !self.is_presence_union(S::from(*p)));
        let (i, part) = unions.next()?;
        if unions.next().is_some() {
            return None;
        }
        let view = self.object_view_without(schema, ctx.pointer.clone(), Some(i))?;
        let name = match part {
            ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or("variant").to_string(),
            ReferenceOr::Item(_) => "variant".to_string(),
        };
        let idx = i.to_string();
        let ty = self.ty(S::from(part), &ctx.child(&name, &["allOf", &idx]));
        let objects = match super::resolve(&self.types, &ty) {
            Ty::Named(id) => match &self.types[*id].kind {
                TypeKind::Union(u) => u.variants.iter().all(|v| match super::resolve(&self.types, &v.ty) {
                    Ty::Named(vid) => matches!(self.types[*vid].kind, TypeKind::Struct(_) | TypeKind::Pending),
                    Ty::Map(_) => true,
                    _ => false,
                }),
                _ => false,
            },
            _ => false,
        };
        if !objects {
            return None;
        }
        let mut def = self.struct_def(&view, ctx);
        let docs = self.docs_for(S::from(part), &child(&ctx.pointer, &["allOf", &idx]));
        let pointer = child(&ctx.pointer, &["allOf", &idx]);
        def.fields.push(Field {
            wire: name,
            ident: String::new(),
            ty,
            required: true,
            boxed: false,
            flatten: true,
            docs,
            pointer,
        });
        Some(Ty::Named(self.add(ctx, docs_of(schema), TypeKind::Struct(def))))
    }

    /// The only alternative of a `oneOf`/`anyOf` that has exactly one, and its keyword.
    fn single_alternative(&self, s: S<'a>) -> Option<(S<'a>, &'static str)> {
        let schema = self.quiet_schema(s)?;
        let n = norm(schema);
        match (n.one_of, n.any_of) {
            ([only], []) if n.properties.is_empty() => Some((S::from(only), "oneOf")),
            ([], [only]) if n.properties.is_empty() => Some((S::from(only), "anyOf")),
            _ => None,
        }
    }

    /// A `oneOf`/`anyOf` whose alternatives only list required names ("at least one of").
    fn is_presence_union(&self, s: S<'a>) -> bool {
        let Some(schema) = self.quiet_schema(s) else { return false };
        let n = norm(schema);
        let parts = if n.one_of.is_empty() { n.any_of } else { n.one_of };
        !parts.is_empty() && n.properties.is_empty() && parts.iter().all(|p| self.is_presence_only(S::from(p)))
    }

    /// A schema that only lists required property names (besides annotations).
    fn is_presence_only(&self, s: S<'a>) -> bool {
        let S::Item(schema) = s else { return false };
        let n = norm(schema);
        !n.required.is_empty() && n.typ.is_none_or(|t| t == "object") && adds_no_shape(&n)
    }

    fn union(&mut self, schema: &'a Schema, parts: &'a [ReferenceOr<Schema>], ctx: &Ctx) -> Ty {
        let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let idx = i.to_string();
            let hint = match part {
                ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or("Variant").to_string(),
                ReferenceOr::Item(s) => s.schema_data.title.clone().unwrap_or_else(|| format!("Variant{i}")),
            };
            let ty = self.ty(S::from(part), &ctx.child(&hint, &[key, &idx]));
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let tag_value = match (&schema.schema_data.discriminator, part) {
                (Some(d), ReferenceOr::Reference { reference }) => Some(
                    d.mapping
                        .iter()
                        .find(|(_, target)| *target == reference)
                        .map(|(value, _)| value.clone())
                        .unwrap_or_else(|| hint.clone()),
                ),
                _ => None,
            };
            variants.push(UnionVariant { boxed: false, name_hint: hint, ident: String::new(), ty, tag_value });
        }
        if variants.len() == 1 {
            return variants.remove(0).ty;
        }
        // A discriminator selects the variant by a property's value, when every variant has one.
        let tag = schema
            .schema_data
            .discriminator
            .as_ref()
            .filter(|_| variants.iter().all(|v| v.tag_value.is_some()))
            .map(|d| d.property_name.clone());
        if tag.is_none() {
            variants.iter_mut().for_each(|v| v.tag_value = None);
        }
        let def = UnionDef { variants, tag };
        Ty::Named(self.add(ctx, docs_of(schema), TypeKind::Union(def)))
    }

    /// Object view of any schema: follows refs, merges `allOf`; `None` if it is not object-like.
    pub fn object_view(&mut self, s: S<'a>, pointer: &str) -> Option<ObjectView<'a>> {
        let (schema, pointer) = match s {
            S::Ref(r) => self.deref(r, pointer)?,
            S::Item(schema) => (schema, pointer.to_string()),
        };
        // `A: {allOf: [$ref A]}` (directly or through others) would merge forever.
        if !self.viewing.insert(pointer.clone()) {
            self.diags
                .error(&pointer, "`allOf` includes itself (through `$ref`), so its properties are endless")
                .with_hint("remove the self-reference from the allOf list");
            return None;
        }
        let view = self.object_view_of(schema, pointer.clone());
        self.viewing.remove(&pointer);
        view
    }

    fn object_view_of(&mut self, schema: &'a Schema, pointer: String) -> Option<ObjectView<'a>> {
        self.object_view_without(schema, pointer, None)
    }

    /// The object view leaving out `allOf` part `skip` (a union the caller flattens).
    fn object_view_without(
        &mut self,
        schema: &'a Schema,
        pointer: String,
        skip: Option<usize>,
    ) -> Option<ObjectView<'a>> {
        let n = norm(schema);
        if n.typ.is_some_and(|t| t != "object")
            || !n.one_of.is_empty()
            || !n.any_of.is_empty()
            || n.not
            || n.items.is_some()
        {
            return None;
        }
        let mut view = self.view_of_norm(&n, &pointer);
        for (i, part) in n.all_of.iter().enumerate() {
            let part_ptr = child(&pointer, &["allOf", &i.to_string()]);
            if skip == Some(i) || self.is_annotation_only(S::from(part)) || self.is_presence_union(S::from(part)) {
                continue;
            }
            // A oneOf/anyOf of a single alternative is that alternative.
            let (part, part_ptr) = match self.single_alternative(S::from(part)) {
                Some((only, key)) => (only, child(&part_ptr, &[key, "0"])),
                None => (S::from(part), part_ptr),
            };
            let sub = self.object_view(part, &part_ptr)?;
            for (name, s, ptr) in sub.properties {
                let Some(slot) = view.properties.iter_mut().find(|(n, _, _)| *n == name) else {
                    view.properties.push((name, s, ptr));
                    continue;
                };
                // allOf means both definitions hold: keep the one that asks for more.
                match self.stricter(slot.1, s) {
                    Some(true) => {}
                    Some(false) => *slot = (name, s, ptr),
                    None => {
                        self.diags
                            .warning(&ptr, format!("property `{name}` is defined differently here and in {}; the first definition is used", slot.2))
                            .with_hint("allOf parts should agree on a property's schema, or one should extend the other");
                    }
                }
            }
            view.required.extend(sub.required);
            if view.additional.is_none() {
                view.additional = sub.additional;
            }
        }
        Some(view)
    }

    /// Which of two definitions of one property is stricter: `Some(true)` the first, `Some(false)`
    /// the second, `None` when neither includes the other. An object that has every property
    /// and every required name of the other is stricter; an enum is stricter than its base type.
    fn stricter(&self, a: S<'a>, b: S<'a>) -> Option<bool> {
        if let (S::Ref(x), S::Ref(y)) = (a, b)
            && x == y
        {
            return Some(true);
        }
        match (self.is_loose(a, 0), self.is_loose(b, 0)) {
            (true, false) => return Some(false),
            (false, true) => return Some(true),
            // Two placeholders: a single type narrows a union of types; otherwise nothing is lost.
            (true, true) => return Some(!self.is_union(b) || self.is_union(a)),
            _ => {}
        }
        match (self.shape(a, 0), self.shape(b, 0)) {
            (Some(sa), Some(sb)) => {
                let covers = |x: &Shape, y: &Shape| y.0.is_subset(&x.0) && y.1.is_subset(&x.1);
                if covers(&sa, &sb) {
                    Some(true)
                } else if covers(&sb, &sa) {
                    Some(false)
                } else {
                    None
                }
            }
            (None, None) => {
                let (na, nb) = (norm(self.quiet_schema(a)?), norm(self.quiet_schema(b)?));
                // An enum narrows its type; an untyped enum whose values have the other's type too.
                let values_fit = |typ: Option<&str>, values: &[Value]| {
                    values.iter().all(|v| match typ {
                        Some("string") => v.is_string(),
                        Some("integer") => v.is_i64() || v.is_u64(),
                        Some("number") => v.is_number(),
                        Some("boolean") => v.is_boolean(),
                        _ => false,
                    })
                };
                match (na.enumeration.is_empty(), nb.enumeration.is_empty()) {
                    (true, false)
                        if na.typ.is_none()
                            || na.typ == nb.typ
                            || nb.typ.is_none() && values_fit(na.typ, &nb.enumeration) =>
                    {
                        Some(false)
                    }
                    _ if na.typ == nb.typ || nb.typ.is_none() => Some(true),
                    _ if na.typ.is_none() => Some(false),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A placeholder definition that says little about the value: no keywords but annotations, a
    /// bare `type: object` or `array` of anything, or a union of such (envelopes often declare
    /// `result: {anyOf: [{type: object}, {type: string}]}` for the operation to narrow).
    fn is_loose(&self, s: S<'a>, depth: u8) -> bool {
        let Some(schema) = self.quiet_schema(s) else { return false };
        let n = norm(schema);
        if depth > 4 || !n.enumeration.is_empty() || !n.all_of.is_empty() || !n.properties.is_empty() {
            return false;
        }
        let parts: Vec<&ReferenceOr<Schema>> = n.one_of.iter().chain(n.any_of).collect();
        if !parts.is_empty() {
            return parts
                .iter()
                .all(|p| self.is_loose(S::from(*p), depth + 1) || is_bare(self.quiet_schema(S::from(*p))));
        }
        match n.typ {
            None => n.items.is_none(),
            Some("object") => n.additional.is_none(),
            Some("array") => n.items.is_none_or(|i| self.is_loose(i, depth + 1)),
            Some(_) => false,
        }
    }

    fn is_union(&self, s: S<'a>) -> bool {
        self.quiet_schema(s).is_some_and(|schema| {
            let n = norm(schema);
            !n.one_of.is_empty() || !n.any_of.is_empty()
        })
    }

    /// Property names and required names of an object-like schema (following `$ref`s and
    /// `allOf`), without diagnostics: those are reported where the schema itself is lowered.
    fn shape(&self, s: S<'a>, depth: u8) -> Option<Shape> {
        let schema = self.quiet_schema(s)?;
        let n = norm(schema);
        if depth > 16 || n.typ.is_some_and(|t| t != "object") || !n.one_of.is_empty() || !n.any_of.is_empty() {
            return None;
        }
        let mut shape: Shape = (
            n.properties.iter().map(|(k, _)| k.to_string()).collect(),
            n.required.iter().map(|k| k.to_string()).collect(),
        );
        for part in n.all_of {
            let sub = self.shape(S::from(part), depth + 1)?;
            shape.0.extend(sub.0);
            shape.1.extend(sub.1);
        }
        (n.typ.is_some() || !shape.0.is_empty()).then_some(shape)
    }

    /// The schema behind `s`, following `$ref`s; `None` for anything unresolved (no diagnostics).
    fn quiet_schema(&self, s: S<'a>) -> Option<&'a Schema> {
        match s {
            S::Item(schema) => Some(schema),
            S::Ref(r) => crate::pointer::resolve::<Schema>(self.spec, r).ok(),
        }
    }

    fn view_of_norm(&self, n: &Norm<'a>, pointer: &str) -> ObjectView<'a> {
        ObjectView {
            properties: n
                .properties
                .iter()
                .map(|(name, s)| (name.to_string(), *s, child(pointer, &["properties", name])))
                .collect(),
            required: n.required.iter().map(|s| s.to_string()).collect(),
            additional: n.additional.map(|a| (a, pointer.to_string())),
        }
    }

    fn struct_def(&mut self, view: &ObjectView<'a>, ctx: &Ctx) -> StructDef {
        let mut fields = Vec::new();
        for (name, s, ptr) in &view.properties {
            let fctx = Ctx { hint: push(&ctx.hint, name), home: ctx.home.clone(), pointer: ptr.clone() };
            let ty = self.ty(*s, &fctx);
            let docs = self.docs_for(*s, ptr);
            fields.push(Field {
                wire: name.clone(),
                ident: String::new(),
                ty,
                required: view.required.contains(name),
                boxed: false,
                flatten: false,
                docs,
                pointer: ptr.clone(),
            });
        }
        // A required name with no definition must still be sent: a field of any JSON value.
        if !matches!(view.additional, Some((AdditionalProperties::Schema(_) | AdditionalProperties::Any(true), _))) {
            for name in view.required.iter().filter(|n| view.property(n).is_none()) {
                self.diags
                    .warning(
                        &ctx.pointer,
                        format!("required property `{name}` is not defined; it is typed as any JSON value"),
                    )
                    .with_hint("add it to `properties` with a schema");
                fields.push(Field {
                    wire: name.clone(),
                    ident: String::new(),
                    ty: Ty::Any,
                    required: true,
                    boxed: false,
                    flatten: false,
                    docs: Docs::default(),
                    pointer: ctx.pointer.clone(),
                });
            }
        }
        let additional = match view.additional {
            Some((AdditionalProperties::Schema(s), _)) => {
                Some(self.ty(S::from(s.as_ref()), &ctx.child("Value", &["additionalProperties"])))
            }
            Some((AdditionalProperties::Any(true), _)) => Some(Ty::Any),
            _ => None,
        };
        StructDef { fields, additional }
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
