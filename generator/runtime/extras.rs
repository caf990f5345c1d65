//! What a `Request` adds to the call the API description names: query pairs, a JSON body,
//! top-level body fields and multipart parts the spec does not know. They are kept apart from the `Prepared`
//! request and applied to it only when the call is sent, so building the `Prepared` stays the
//! generated method's business.

use std::fmt;

use bytes::Bytes;
use serde_json::{Map, Value};

use super::encode;
use super::error::Error;
use super::prepared::{Body, Part, Prepared};

/// The additions of one request, in the order they were made.
#[derive(Default)]
pub(crate) struct Extras {
    query: Vec<(String, String)>,
    /// A JSON body replacing the operation's, serialised when it was set (or why it could not be).
    json: Option<Result<Bytes, String>>,
    fields: Vec<(String, Value)>,
    parts: Vec<Part>,
}

impl fmt::Debug for Extras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: a value may be a credential or personal data.
        f.debug_struct("Extras")
            .field("query", &self.query.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("json", &self.json.is_some())
            .field("fields", &self.fields.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("parts", &self.parts.iter().map(|part| &part.name).collect::<Vec<_>>())
            .finish()
    }
}

/// The kind of body a field is added to.
enum FieldTarget {
    Json,
    Form,
}

impl Extras {
    pub(crate) fn query(&mut self, name: String, value: String) {
        self.query.push((name, value));
    }

    pub(crate) fn json(&mut self, value: &impl serde::Serialize) {
        self.json = Some(serde_json::to_vec(value).map(Bytes::from).map_err(|e| e.to_string()));
    }

    pub(crate) fn field(&mut self, name: String, value: Value) {
        self.fields.push((name, value));
    }

    pub(crate) fn part(&mut self, part: Part) {
        self.parts.push(part);
    }

    /// Adds everything to `prepared`: the JSON body first (it replaces the operation's), then
    /// fields and parts. A query name the operation already sends is replaced
    /// (every extra pair of that name is sent); a body field replaces a top-level field of the
    /// same name. Fails, before anything is sent, when the body cannot take fields or parts.
    pub(crate) fn apply(self, prepared: &mut Prepared) -> Result<(), Error> {
        if !self.query.is_empty() {
            let named = |key: &str| self.query.iter().any(|(name, _)| name == key);
            prepared.query.retain(|(key, _)| !named(key));
            prepared.query_pairs.retain(|(key, _)| !named(key));
            prepared.query_pairs.extend(self.query);
        }
        if let Some(json) = self.json {
            let data = json
                .map_err(|e| Error::InvalidParameter { name: "json", rule: format!("must serialize to JSON: {e}") })?;
            prepared.body = Body::Json(data);
        }
        if !self.fields.is_empty() {
            add_fields(&mut prepared.body, self.fields)?;
        }
        if !self.parts.is_empty() {
            let Body::Multipart(parts) = &mut prepared.body else {
                return Err(Error::InvalidParameter {
                    name: "part",
                    rule: "only a multipart/form-data body takes extra parts".to_owned(),
                });
            };
            parts.extend(self.parts);
        }
        Ok(())
    }
}

fn add_fields(body: &mut Body, fields: Vec<(String, Value)>) -> Result<(), Error> {
    let refused = |rule: &str| Error::InvalidParameter { name: "body_field", rule: rule.to_owned() };
    let (data, target) = match body {
        Body::Json(data) => (data, FieldTarget::Json),
        Body::Bytes { data, content_type } => match media_type(content_type) {
            t if t == "application/json" || t.ends_with("+json") => (data, FieldTarget::Json),
            t if t == "application/x-www-form-urlencoded" => (data, FieldTarget::Form),
            _ => return Err(refused("only a JSON object or form body takes extra fields")),
        },
        _ => return Err(refused("only a JSON object or form body takes extra fields")),
    };
    *data = match target {
        FieldTarget::Json => {
            let mut object: Map<String, Value> = serde_json::from_slice(data)
                .map_err(|_| refused("only a JSON object body takes extra fields (this body is not an object)"))?;
            object.extend(fields);
            let text = serde_json::to_vec(&object).map_err(|e| refused(&format!("must serialize to JSON: {e}")))?;
            Bytes::from(text)
        }
        FieldTarget::Form => Bytes::from(encode::form_with_fields(data, &fields)),
    };
    Ok(())
}

/// `application/json` from `Application/JSON; charset=utf-8`.
fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}
