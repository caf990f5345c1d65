//! Objects: `allOf` merging (every part's properties and required names, the stricter of two
//! definitions of one property), the object view of any schema, and struct definitions.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::normalise::{Norm, Shape, adds_no_shape, docs_of, is_bare, norm};
use super::{Ctx, Lowerer, ObjectView, S, push};
use crate::model::{Docs, Field, StructDef, Ty, TypeKind};
use crate::pointer::child;

/// How many `allOf` levels (each through a `$ref`) one merge may follow; real specs use a few.
const MAX_ALL_OF_DEPTH: usize = 64;

impl<'a> Lowerer<'a> {
    pub(super) fn all_of(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Ty {
        // `allOf: [$ref]` beside a description is how specs annotate a reference: same type.
        // So is `allOf: [$ref, {description: ..}]`, the way AWS documents every reference.
        let typed: Vec<usize> =
            (0..n.all_of.len()).filter(|&i| !self.is_annotation_only(S::from(&n.all_of[i]))).collect();
        let own_shape = !n.properties.is_empty() || !n.required.is_empty() || n.additional.is_some();
        if let [only] = typed[..]
            && !own_shape
            && n.typ.is_none_or(|t| t == "object")
        {
            return self.ty(S::from(&n.all_of[only]), &ctx.child("Inner", &["allOf", &only.to_string()]));
        }
        match self.object_view(S::Item(schema), &ctx.pointer) {
            Some(view) if !view.properties.is_empty() || view.additional.is_some() => {
                if view.properties.is_empty() {
                    let additional = view.additional.map(|(a, _)| a);
                    return Ty::Map(Box::new(self.additional(additional, ctx)));
                }
                self.merged_struct(schema, n, &view, ctx)
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
                if self.too_deep {
                    return Ty::Any; // already an error
                }
                self.diags
                    .warning(&ctx.pointer, "`allOf` mixes parts that are not all objects; using serde_json::Value")
                    .with_hint("only allOf of object schemas (or one typed part plus annotations) can be merged");
                Ty::Any
            }
        }
    }

    /// The struct of an inline `allOf` that copies the properties of its `$ref` parts. Copying a
    /// schema into itself (`Expression.Not: {allOf: [$ref Expression, {properties: ..}]}`) would
    /// nest new structs without end: inside such a copy, the inner one is any JSON value.
    fn merged_struct(&mut self, schema: &'a Schema, n: &Norm<'a>, view: &ObjectView<'a>, ctx: &Ctx) -> Ty {
        let refs: Vec<String> = n
            .all_of
            .iter()
            .filter_map(|p| match p {
                ReferenceOr::Reference { reference } => Some(reference.clone()),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        if let Some(again) = refs.iter().find(|r| self.inlining.contains(*r)) {
            self.diags
                .warning(
                    &ctx.pointer,
                    format!("`allOf` copies `{again}` into itself; this inner copy is any JSON value"),
                )
                .with_hint("give the extended schema a name under #/components/schemas and `$ref` it");
            return Ty::Any;
        }
        let fresh: Vec<String> = refs.into_iter().filter(|r| self.inlining.insert(r.clone())).collect();
        let def = self.struct_def(view, ctx);
        for r in fresh {
            self.inlining.remove(&r);
        }
        Ty::Named(self.add(ctx, docs_of(schema), TypeKind::Struct(def)))
    }

    /// A schema that only annotates (description, example, nullable...) and constrains nothing.
    pub(super) fn is_annotation_only(&mut self, s: S<'a>) -> bool {
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
    pub(super) fn all_of_with_union(&mut self, schema: &'a Schema, n: &Norm<'a>, ctx: &Ctx) -> Option<Ty> {
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
        let objects = match crate::model::resolve(&self.types, &ty) {
            Ty::Named(id) => match &self.types[*id].kind {
                TypeKind::Union(u) => u.variants.iter().all(|v| match crate::model::resolve(&self.types, &v.ty) {
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
            setter: String::new(),
            ty,
            required: true,
            boxed: false,
            flatten: true,
            docs,
            pointer,
        });
        Some(Ty::Named(self.add(ctx, docs_of(schema), TypeKind::Struct(def))))
    }

    /// Object view of any schema: follows refs, merges `allOf`; `None` if it is not object-like.
    pub fn object_view(&mut self, s: S<'a>, pointer: &str) -> Option<ObjectView<'a>> {
        let (schema, pointer) = match s {
            S::Ref(r) => self.deref(r, pointer)?,
            S::Item(schema) => (schema, pointer.to_string()),
        };
        // `allOf` chains through `$ref`s are followed on the call stack: bound their length.
        if self.viewing.len() >= MAX_ALL_OF_DEPTH {
            if !std::mem::replace(&mut self.too_deep, true) {
                self.diags
                    .error(
                        &pointer,
                        format!("`allOf` parts nest more than {MAX_ALL_OF_DEPTH} levels deep through `$ref`s"),
                    )
                    .with_hint("flatten the chain: name the merged schema once and `$ref` it");
            }
            return None;
        }
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

    pub(super) fn object_view_of(&mut self, schema: &'a Schema, pointer: String) -> Option<ObjectView<'a>> {
        self.object_view_without(schema, pointer, None)
    }

    /// The object view leaving out `allOf` part `skip` (a union the caller flattens).
    pub(super) fn object_view_without(
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
    pub(super) fn stricter(&self, a: S<'a>, b: S<'a>) -> Option<bool> {
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
    pub(super) fn is_loose(&self, s: S<'a>, depth: u8) -> bool {
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

    /// Property names and required names of an object-like schema (following `$ref`s and
    /// `allOf`), without diagnostics: those are reported where the schema itself is lowered.
    pub(super) fn shape(&self, s: S<'a>, depth: u8) -> Option<Shape> {
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
    pub(super) fn quiet_schema(&self, s: S<'a>) -> Option<&'a Schema> {
        match s {
            S::Item(schema) => Some(schema),
            S::Ref(r) => crate::pointer::resolve::<Schema>(self.spec, r).ok(),
        }
    }

    pub(super) fn view_of_norm(&self, n: &Norm<'a>, pointer: &str) -> ObjectView<'a> {
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

    pub(super) fn struct_def(&mut self, view: &ObjectView<'a>, ctx: &Ctx) -> StructDef {
        let mut fields = Vec::new();
        for (name, s, ptr) in &view.properties {
            let fctx = Ctx { hint: push(&ctx.hint, name), home: ctx.home.clone(), pointer: ptr.clone() };
            let ty = self.ty(*s, &fctx);
            let docs = self.docs_for(*s, ptr);
            fields.push(Field {
                wire: name.clone(),
                ident: String::new(),
                setter: String::new(),
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
                    setter: String::new(),
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
            // With the config's `extra_fields`, properties the description does not list are
            // kept (and sent) in the struct's map, unless it says there are none.
            None if self.extra_fields => Some(Ty::Any),
            _ => None,
        };
        StructDef { fields, additional, extra_ident: String::new() }
    }
}
