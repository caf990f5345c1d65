//! Whether a value is valid for a Rust type and its schema's rules: used to accept the spec's
//! examples, and to tell the variants of a union apart.

use serde_json::Value;

use super::hints::Hints;
use super::{MAX_DEPTH, MAX_NESTING, Sampler};
use crate::model::{Format, Ty, TypeKind, UnionVariant};

impl Sampler<'_> {
    /// Whether `value` is valid for `ty` and the schema's rules; the reason when it is not.
    pub(super) fn check(&self, ty: &Ty, value: &Value, hints: &Hints, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH + 4 || self.nesting.get() > MAX_NESTING {
            return Err("nested too deeply".into());
        }
        self.nesting.set(self.nesting.get() + 1);
        let checked = self.check_at(ty, value, hints, depth);
        self.nesting.set(self.nesting.get() - 1);
        checked
    }

    fn check_at(&self, ty: &Ty, value: &Value, hints: &Hints, depth: usize) -> Result<(), String> {
        if !hints.enumeration.is_empty() && !hints.enumeration.contains(value) {
            return Err(format!("{value} is not one of the allowed values"));
        }
        match (ty, value) {
            (Ty::Nullable(_), Value::Null) => Ok(()),
            (Ty::Nullable(inner), _) => self.check(inner, value, hints, depth),
            (Ty::Any, _) => Ok(()),
            (Ty::String | Ty::File, Value::String(s)) => check_string(s, hints),
            (Ty::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() && n.as_u64() <= Some(i64::MAX as u64) => {
                check_number(n.as_f64().unwrap_or_default(), hints)
            }
            (Ty::Number, Value::Number(n)) => check_number(n.as_f64().unwrap_or_default(), hints),
            // A typed format must parse as its type, whatever the spec's `format` hint says.
            (Ty::Format(f), Value::String(s)) if f.plain() == Ty::String => {
                check_string(s, hints)?;
                if format_ok(f.name(), s) { Ok(()) } else { Err(format!("{s:?} is not a valid `{}`", f.name())) }
            }
            (Ty::Format(Format::Int32), Value::Number(n)) if n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()) => {
                check_number(n.as_f64().unwrap_or_default(), hints)
            }
            (Ty::Format(Format::Float), Value::Number(n)) => check_number(n.as_f64().unwrap_or_default(), hints),
            (Ty::Boolean, Value::Bool(_)) => Ok(()),
            (Ty::Tuple(types), Value::Array(items)) => {
                if types.len() != items.len() {
                    return Err(format!("{} items where the tuple has {}", items.len(), types.len()));
                }
                types.iter().zip(items).try_for_each(|(t, v)| self.check(t, v, &Hints::default(), depth + 1))
            }
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
                        _ if u.one_of => Err(format!("{value} fits several variants of a oneOf")),
                        _ => Ok(()),
                    },
                    TypeKind::Pending => Err("unknown type".into()),
                }
            }
            _ => Err(format!("{value} does not have the expected type")),
        }
    }

    /// How many of a union's variants accept `value`.
    pub(super) fn fitting_variants(&self, variants: &[UnionVariant], value: &Value) -> usize {
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
pub(crate) fn format_ok(format: &str, s: &str) -> bool {
    let re = |p: &str| regex::Regex::new(p).is_ok_and(|r| r.is_match(s));
    match format {
        "date-time" => re(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$"),
        "date" => re(r"^\d{4}-\d{2}-\d{2}$"),
        "time" => re(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$"),
        "uuid" => re(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
        "email" => re(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "byte" => s.len() % 4 == 0 && re(r"^[A-Za-z0-9+/]*={0,2}$"),
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
