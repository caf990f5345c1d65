//! One schema's keywords, whichever way openapiv3 parsed it: a typed variant or, when keywords
//! mix (a `type` beside `allOf`, no `type` at all, ...), the catch-all `Any`. [`Norm`] flattens
//! both into one view so every rule is written once.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::S;
use crate::model::{Constraints, Docs};

/// One schema's keywords, whichever way openapiv3 parsed it.
#[derive(Default)]
pub(super) struct Norm<'a> {
    pub(super) typ: Option<&'a str>,
    pub(super) format: Option<String>,
    pub(super) properties: Vec<(&'a str, S<'a>)>,
    pub(super) required: Vec<&'a str>,
    pub(super) additional: Option<&'a AdditionalProperties>,
    pub(super) items: Option<S<'a>>,
    pub(super) enumeration: Vec<Value>,
    pub(super) all_of: &'a [ReferenceOr<Schema>],
    pub(super) one_of: &'a [ReferenceOr<Schema>],
    pub(super) any_of: &'a [ReferenceOr<Schema>],
    pub(super) not: bool,
    pub(super) constraints: Constraints,
}

pub(super) fn norm(schema: &Schema) -> Norm<'_> {
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
pub(super) fn adds_no_shape(n: &Norm) -> bool {
    n.properties.is_empty()
        && n.items.is_none()
        && n.all_of.is_empty()
        && n.one_of.is_empty()
        && n.any_of.is_empty()
        && n.enumeration.is_empty()
        && n.additional.is_none()
        && !n.not
}

pub(super) fn fmt<T: std::fmt::Debug>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
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
pub(super) fn is_bare(schema: Option<&Schema>) -> bool {
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
pub(super) type Shape = (BTreeSet<String>, BTreeSet<String>);
