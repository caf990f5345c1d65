//! Unions: `oneOf`/`anyOf` as enums of variants (tagged by a discriminator when every variant
//! has a tag value), and the alternatives that are not real variants (one alternative only, or
//! alternatives that only list required names).

use openapiv3::{ReferenceOr, Schema};

use super::normalise::{adds_no_shape, docs_of, norm};
use super::{Ctx, Lowerer, S};
use crate::model::{Ty, TypeKind, UnionDef, UnionVariant};

impl<'a> Lowerer<'a> {
    pub(super) fn union(&mut self, schema: &'a Schema, parts: &'a [ReferenceOr<Schema>], ctx: &Ctx) -> Ty {
        // By keyword, not by parse: `type: object` beside `oneOf` parses as `Any`.
        let key = if norm(schema).one_of.is_empty() { "anyOf" } else { "oneOf" };
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
        let def = UnionDef { variants, tag, one_of: key == "oneOf" };
        Ty::Named(self.add(ctx, docs_of(schema), TypeKind::Union(def)))
    }

    pub(super) fn is_union(&self, s: S<'a>) -> bool {
        self.quiet_schema(s).is_some_and(|schema| {
            let n = norm(schema);
            !n.one_of.is_empty() || !n.any_of.is_empty()
        })
    }

    /// The only alternative of a `oneOf`/`anyOf` that has exactly one, and its keyword.
    pub(super) fn single_alternative(&self, s: S<'a>) -> Option<(S<'a>, &'static str)> {
        let schema = self.quiet_schema(s)?;
        let n = norm(schema);
        match (n.one_of, n.any_of) {
            ([only], []) if n.properties.is_empty() => Some((S::from(only), "oneOf")),
            ([], [only]) if n.properties.is_empty() => Some((S::from(only), "anyOf")),
            _ => None,
        }
    }

    /// A `oneOf`/`anyOf` whose alternatives only list required names ("at least one of").
    pub(super) fn is_presence_union(&self, s: S<'a>) -> bool {
        let Some(schema) = self.quiet_schema(s) else { return false };
        let n = norm(schema);
        let parts = if n.one_of.is_empty() { n.any_of } else { n.one_of };
        !parts.is_empty() && n.properties.is_empty() && parts.iter().all(|p| self.is_presence_only(S::from(p)))
    }

    /// A schema that only lists required property names (besides annotations).
    pub(super) fn is_presence_only(&self, s: S<'a>) -> bool {
        let S::Item(schema) = s else { return false };
        let n = norm(schema);
        !n.required.is_empty() && n.typ.is_none_or(|t| t == "object") && adds_no_shape(&n)
    }
}
