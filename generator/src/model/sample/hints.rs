//! What a schema says about its values (`Hints`), gathered from the raw document through
//! `$ref`s and `allOf` parts, with the examples of parameters and media types.

use serde_json::Value;

use super::Sampler;
use crate::pointer::escape;

/// What a schema says about its values, gathered through `$ref`s and `allOf` parts.
#[derive(Debug, Default, Clone)]
pub(super) struct Hints {
    /// Where the schema is (after following `$ref`s), for child pointers and warnings.
    pub(super) at: Option<String>,
    pub(super) examples: Vec<(Value, String)>,
    pub(super) default: Option<Value>,
    pub(super) enumeration: Vec<Value>,
    pub(super) typ: Option<String>,
    pub(super) format: Option<String>,
    pub(super) pattern: Option<String>,
    pub(super) min_length: Option<u64>,
    pub(super) max_length: Option<u64>,
    pub(super) minimum: Option<(f64, bool)>,
    pub(super) maximum: Option<(f64, bool)>,
    pub(super) multiple_of: Option<f64>,
    pub(super) min_items: Option<u64>,
    pub(super) max_items: Option<u64>,
}

impl Sampler<'_> {
    /// Hints for the schema at `pointer`, following `$ref`s and `allOf` parts.
    pub(super) fn hints_at(&self, pointer: &str) -> Hints {
        let mut h = Hints::default();
        self.gather(pointer, &mut h, 0);
        h
    }

    /// A parameter: its own `example`/`examples`, then its schema's hints.
    pub(super) fn param_hints(&self, pointer: &str) -> Hints {
        let (param, at) = self.follow(pointer);
        let mut h = Hints::default();
        if let Some(param) = param {
            push_examples(self.raw, param, &at, &mut h);
            self.gather(&format!("{at}/schema"), &mut h, 0);
        }
        h
    }

    pub(super) fn media_examples(&self, at: &str) -> Vec<(Value, String)> {
        let mut h = Hints::default();
        if let (Some(media), at) = self.follow(at) {
            push_examples(self.raw, media, &at, &mut h);
        }
        h.examples
    }

    /// The value at `pointer`, following `$ref`s; and where it really is.
    pub(super) fn follow(&self, pointer: &str) -> (Option<&Value>, String) {
        crate::pointer::follow(self.raw, pointer)
    }

    pub(super) fn gather(&self, pointer: &str, h: &mut Hints, depth: usize) {
        if depth > 8 {
            return;
        }
        let (Some(schema), at) = self.follow(pointer) else { return };
        if h.at.is_none() {
            h.at = Some(at.clone());
        }
        push_examples(self.raw, schema, &at, h);
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
    pub(super) fn child_hints(&self, hints: &Hints, key: &str) -> Hints {
        match &hints.at {
            Some(at) => self.hints_at(&format!("{at}/{key}")),
            None => Hints::default(),
        }
    }

    /// The hints at a use site, completed by the named type's own schema (what the site leaves
    /// unsaid; the type's examples come after the site's).
    pub(super) fn with_type_hints(&self, site: &Hints, pointer: &str) -> Hints {
        let mut h = site.clone();
        self.gather(pointer, &mut h, 0);
        h
    }
}

/// `example` and every value of `examples` (a map of Example Objects in OpenAPI 3.0, or an
/// array of values in JSON Schema). An Example Object may be a `$ref`
/// (`#/components/examples/X`); its value is where the reference leads.
fn push_examples(raw: &Value, node: &Value, at: &str, h: &mut Hints) {
    if let Some(v) = node.get("example") {
        h.examples.push((v.clone(), format!("{at}/example")));
    }
    match node.get("examples") {
        Some(Value::Object(map)) => {
            for name in map.keys() {
                let (ex, where_) = crate::pointer::follow(raw, &format!("{at}/examples/{}", escape(name)));
                if let Some(v) = ex.and_then(|ex| ex.get("value")) {
                    h.examples.push((v.clone(), format!("{where_}/value")));
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
