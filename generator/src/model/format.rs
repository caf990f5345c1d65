//! Typed formats: which `format`s get a Rust type of their own, and which ones a crate uses.

use std::collections::BTreeSet;

use super::{Api, Ty, TypeKind, sample};

/// The formats that get a Rust type of their own; the rest stay strings (`email`, `hostname`,
/// `uri-reference`, ...) or plain numbers (`int64`, `double`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `date-time`: `chrono::DateTime<chrono::Utc>` (RFC 3339 on the wire).
    DateTime,
    /// `date`: `chrono::NaiveDate` (`2024-01-31`).
    Date,
    /// `uuid`: `uuid::Uuid`.
    Uuid,
    /// `uri`: `url::Url` (absolute).
    Uri,
    /// `ipv4`: `std::net::Ipv4Addr`.
    Ipv4,
    /// `ipv6`: `std::net::Ipv6Addr`.
    Ipv6,
    /// `byte`: base64 text, `runtime::Base64` (the decoded bytes).
    Bytes,
    /// `int32` integers: `i32`.
    Int32,
    /// `float` numbers: `f32`.
    Float,
}

impl Format {
    /// The typed format of a schema's `type` and `format`, if it has one.
    pub fn of(typ: &str, format: &str) -> Option<Format> {
        Some(match (typ, format) {
            ("string", "date-time") => Format::DateTime,
            ("string", "date") => Format::Date,
            ("string", "uuid") => Format::Uuid,
            ("string", "uri") => Format::Uri,
            ("string", "ipv4") => Format::Ipv4,
            ("string", "ipv6") => Format::Ipv6,
            ("string", "byte") => Format::Bytes,
            ("integer", "int32") => Format::Int32,
            ("number", "float") => Format::Float,
            _ => return None,
        })
    }

    /// The plain type it refines (`String`, `Integer` or `Number`).
    pub fn plain(self) -> Ty {
        match self {
            Format::Int32 => Ty::Integer,
            Format::Float => Ty::Number,
            _ => Ty::String,
        }
    }

    /// Whether `text` reads as this (string) format, as a validating server would check it.
    pub fn accepts(self, text: &str) -> bool {
        sample::format_ok(self.name(), text)
    }

    /// The spec's name of it.
    pub fn name(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Uuid => "uuid",
            Format::Uri => "uri",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Bytes => "byte",
            Format::Int32 => "int32",
            Format::Float => "float",
        }
    }
}

impl<S> Api<S> {
    /// The typed formats the crate's types and operations use (each needs its crate).
    pub fn formats(&self) -> BTreeSet<Format> {
        fn walk(ty: &Ty, out: &mut BTreeSet<Format>) {
            match ty {
                Ty::Format(f) => {
                    out.insert(*f);
                }
                Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => walk(t, out),
                Ty::Tuple(items) => items.iter().for_each(|t| walk(t, out)),
                _ => {}
            }
        }
        let mut out = BTreeSet::new();
        for t in self.types.iter().filter(|t| !t.pruned) {
            match &t.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().map(|f| &f.ty).chain(&s.additional).for_each(|ty| walk(ty, &mut out))
                }
                TypeKind::Union(u) => u.variants.iter().for_each(|v| walk(&v.ty, &mut out)),
                TypeKind::Alias(ty) => walk(ty, &mut out),
                TypeKind::Enum(_) | TypeKind::Pending => {}
            }
        }
        for op in &self.operations {
            op.params.iter().map(|p| &p.ty).chain(op.body.as_ref().map(|b| &b.ty)).for_each(|ty| walk(ty, &mut out));
            op.response.types().into_iter().for_each(|ty| walk(ty, &mut out));
        }
        out
    }
}
