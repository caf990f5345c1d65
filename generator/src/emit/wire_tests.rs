//! Emission of the per-operation wire tests (`tests/operations.rs` of a crate generated with
//! `--wire-tests`): for every operation and every security alternative, one `#[tokio::test]`
//! that calls the operation through the public API, exactly as a user would, with the sample
//! values of `model::samples`, against the mock server named by `WIRE_BASE_URL`. A request the
//! server refuses, or a response that does not decode into the typed result, fails the test.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::types::{extra_field, ident};
use crate::model::{Api, BodyKind, Format, Home, Operation, OperationSample, SchemeKind, Ty, TypeKind};

/// A call of `op` with the values of `sample`, as a user would write it (for docs):
/// `client.<resource>().<method>(<arguments>)`, optional parameters left out.
pub fn example_call(api: &Api, op: &Operation, sample: &OperationSample) -> TokenStream {
    let lib = ident(&api.crate_name.replace('-', "_"));
    let e = Emitter { api, lib: quote! { #lib }, nesting: Default::default(), readable: true };
    let (call, _) = e.call(op, sample);
    quote! { client #call }
}

/// The test file: a test per operation with a sample, per security alternative.
pub fn wire_tests(api: &Api, samples: &[Option<OperationSample>]) -> TokenStream {
    let lib = ident(&api.crate_name.replace('-', "_"));
    let e = Emitter { api, lib: quote! { #lib }, nesting: Default::default(), readable: false };
    let mut tests = Vec::new();
    for (op, sample) in api.operations.iter().zip(samples) {
        let Some(sample) = sample else { continue };
        for (alt, name) in &op.wire_tests {
            tests.push(e.test(op, sample, alt, &format_ident!("{}", name)));
        }
    }
    let lib = &e.lib;
    quote! {
        //! One test per operation (and per security alternative), run against a mock server of the
        //! API description, e.g. `prism mock openapi.yaml`, whose URL is in `WIRE_BASE_URL`.
        #![allow(deprecated, clippy::all)]

        fn base_url() -> ::std::string::String {
            ::std::env::var("WIRE_BASE_URL").expect("WIRE_BASE_URL must name the mock server these tests run against")
        }

        fn client(builder: #lib::ClientBuilder) -> #lib::Client {
            builder.base_url(base_url()).max_retries(0).build().expect("the test client builds")
        }

        /// A refused request or an undecodable response fails the test with the server's words.
        fn check<T: ::std::fmt::Debug>(operation: &str, result: ::std::result::Result<#lib::ApiResponse<T>, #lib::Error>) {
            match result {
                ::std::result::Result::Ok(response) => {
                    assert!(response.status.is_success(), "{operation}: status {}", response.status);
                    // Mistyped values the client converted: the response disagrees with its own spec.
                    for c in &response.coerced {
                        println!("coerced {operation}: `{}` was {}, read as {}", c.path, c.found, c.into);
                    }
                }
                ::std::result::Result::Err(error) => {
                    // Prism names what it refused in `sl-violations` when it answers with one of
                    // the spec's own error examples.
                    let violations = match &error {
                        #lib::Error::Api(api) => api.headers.get("sl-violations").and_then(|v| v.to_str().ok()),
                        _ => ::std::option::Option::None,
                    };
                    match violations {
                        ::std::option::Option::Some(v) => panic!("{operation}: {error}; the mock server says: {v}\n{error:?}"),
                        ::std::option::Option::None => panic!("{operation}: {error}\n{error:?}"),
                    }
                }
            }
        }

        #( #tests )*
    }
}

struct Emitter<'a> {
    api: &'a Api,
    lib: TokenStream,
    /// `literal` calls on the stack: what is left of [`MAX_NESTING`] bounds `fits`, so a union
    /// variant is only chosen when its whole literal fits in the rest.
    nesting: std::cell::Cell<usize>,
    /// Written for a reader (docs): structs with a constructor are built with `new(..)` from
    /// their required fields, instead of a literal of every field.
    readable: bool,
}

/// Deepest literal expression written (aliases and union variants count as levels).
const MAX_NESTING: usize = 96;

impl Emitter<'_> {
    fn test(&self, op: &Operation, sample: &OperationSample, alt: &[String], name: &proc_macro2::Ident) -> TokenStream {
        let api = self.api;
        let credentials = alt.iter().filter_map(|scheme| api.schemes.iter().find(|s| &s.name == scheme)).map(|s| {
            let m = ident(&s.ident);
            let value = match s.kind {
                SchemeKind::Basic => "user:password",
                _ => "test-credential",
            };
            quote! { .#m(#value) }
        });
        // Client defaults (`account_id`) are set on the client, as users do.
        let defaults = op.params.iter().zip(&sample.params).filter(|(p, _)| p.client_default).filter_map(|(p, v)| {
            let m = ident(api.default_methods.get(&p.wire)?);
            let text = plain(v.as_ref()?);
            Some(quote! { .#m(#text) })
        });
        let (call, params) = self.call(op, sample);
        let op_id = &op.operation_id;
        let lib = &self.lib;
        quote! {
            #[tokio::test]
            async fn #name() {
                let client = client(#lib::Client::builder() #( #credentials )* #( #defaults )*);
                let result = client #call #params .send_with_response().await;
                check(#op_id, result);
            }
        }
    }

    /// `.<resource>()...<method>(<arguments>)` with the sample's values, and the sample's
    /// optional parameters as `.params(..)` (left out when written for a reader).
    fn call(&self, op: &Operation, sample: &OperationSample) -> (TokenStream, Option<TokenStream>) {
        let chain = (1..=op.resource.len()).map(|d| ident(&self.api.resource_names(&op.resource[..d]).accessor));
        let method = ident(&op.method_name);
        let mut args = Vec::new();
        for (p, v) in op.params.iter().zip(&sample.params).filter(|(p, _)| p.is_positional()) {
            let v = v.clone().unwrap_or(Value::Null);
            args.push(match super::types::resolve(self.api, &p.ty) {
                Ty::String => {
                    let s = plain(&v);
                    quote! { #s }
                }
                _ => self.literal(&p.ty, &v),
            });
        }
        let mut params = None;
        if !op.params_struct.is_empty() && !self.readable {
            let fields = op.params.iter().zip(&sample.params).filter(|(p, _)| !p.is_positional()).map(|(p, v)| {
                let f = ident(&p.ident);
                let value = if p.client_default {
                    quote! { ::std::option::Option::None }
                } else {
                    self.field(&p.ty, p.required, false, v.as_ref())
                };
                quote! { #f: #value }
            });
            let path = self.path(&Home::Resource(op.resource.clone()), &op.params_struct);
            params = Some(quote! { .params(#path { #( #fields, )* }) });
        }
        if let (Some(body), Some(value)) = (&op.body, &sample.body) {
            let v = match body.kind {
                BodyKind::Json | BodyKind::Form => self.literal(&body.ty, value),
                BodyKind::Multipart if crate::model::form_fields(&self.api.types, &body.ty).is_some() => {
                    self.literal(&body.ty, value)
                }
                BodyKind::Multipart => self.parts(value),
                BodyKind::Text => {
                    let s = plain(value);
                    quote! { ::std::string::String::from(#s) }
                }
                BodyKind::Bytes => {
                    let b = Literal::byte_string(plain(value).as_bytes());
                    quote! { ::bytes::Bytes::from_static(#b) }
                }
            };
            args.push(if body.required {
                v
            } else {
                quote! { ::std::option::Option::Some(#v) }
            });
        }
        (quote! { #( .#chain() )* .#method(#( #args ),*) }, params)
    }

    /// `lib::module::Name` for an item of a home.
    fn path(&self, home: &Home, name: &str) -> TokenStream {
        let lib = &self.lib;
        let mods = self.api.module_path(home).into_iter().map(|m| ident(&m));
        let name = ident(name);
        quote! { #lib #( :: #mods )* :: #name }
    }

    /// A struct field or params-struct field: `Option` when optional or nullable.
    fn field(&self, ty: &Ty, required: bool, boxed: bool, value: Option<&Value>) -> TokenStream {
        let (inner, nullable) = match ty {
            Ty::Nullable(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let optional = nullable || !required;
        match value {
            None | Some(Value::Null) if optional => quote! { ::std::option::Option::None },
            _ => {
                let mut v = self.literal(inner, value.unwrap_or(&Value::Null));
                if boxed {
                    v = quote! { ::std::boxed::Box::new(#v) };
                }
                if optional {
                    quote! { ::std::option::Option::Some(#v) }
                } else {
                    v
                }
            }
        }
    }

    /// A Rust expression of type `ty` holding `value` (which `model::samples` checked fits).
    fn literal(&self, ty: &Ty, value: &Value) -> TokenStream {
        self.nesting.set(self.nesting.get() + 1);
        let literal = self.literal_at(ty, value);
        self.nesting.set(self.nesting.get() - 1);
        literal
    }

    fn literal_at(&self, ty: &Ty, value: &Value) -> TokenStream {
        match ty {
            Ty::String => {
                let s = plain(value);
                quote! { ::std::string::String::from(#s) }
            }
            Ty::File => {
                let lib = &self.lib;
                let b = Literal::byte_string(plain(value).as_bytes());
                quote! { #lib::runtime::File::new(::bytes::Bytes::from_static(#b)) }
            }
            Ty::Integer => {
                let n = Literal::i64_suffixed(value.as_i64().unwrap_or_default());
                quote! { #n }
            }
            Ty::Number => {
                let n = Literal::f64_suffixed(value.as_f64().filter(|f| f.is_finite()).unwrap_or_default());
                quote! { #n }
            }
            Ty::Boolean => {
                let b = value.as_bool().unwrap_or_default();
                quote! { #b }
            }
            Ty::Any => json(value),
            Ty::Format(Format::Int32) => {
                let n = Literal::i32_suffixed(value.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or_default());
                quote! { #n }
            }
            Ty::Format(Format::Float) => {
                let n = Literal::f32_suffixed(value.as_f64().filter(|f| f.is_finite()).unwrap_or_default() as f32);
                quote! { #n }
            }
            // Parsed from the text the server would send, so the sample and the wire agree.
            Ty::Format(Format::Bytes) => {
                let lib = &self.lib;
                let s = plain(value);
                quote! { #lib::runtime::Base64::decode(#s).expect("base64") }
            }
            Ty::Format(f) => {
                let s = plain(value);
                let ty = super::types::format_tokens(*f);
                quote! { #s.parse::<#ty>().expect(#s) }
            }
            Ty::Nullable(inner) => match value {
                Value::Null => quote! { ::std::option::Option::None },
                v => {
                    let v = self.literal(inner, v);
                    quote! { ::std::option::Option::Some(#v) }
                }
            },
            Ty::Array(item) => {
                let items = value.as_array().into_iter().flatten().map(|v| self.literal(item, v));
                quote! { ::std::vec![ #( #items ),* ] }
            }
            Ty::Tuple(types) => {
                let values = value.as_array().cloned().unwrap_or_default();
                let items =
                    types.iter().enumerate().map(|(i, t)| self.literal(t, values.get(i).unwrap_or(&Value::Null)));
                quote! { ( #( #items, )* ) }
            }
            Ty::Map(inner) => {
                let entries = value.as_object().into_iter().flatten().map(|(k, v)| {
                    let v = self.literal(inner, v);
                    quote! { (::std::string::String::from(#k), #v) }
                });
                quote! { ::std::collections::BTreeMap::from([ #( #entries ),* ]) }
            }
            Ty::Named(id) => self.named(*id, value),
        }
    }

    fn named(&self, id: usize, value: &Value) -> TokenStream {
        let t = &self.api.types[id];
        let path = self.path(&t.home, &t.name);
        match &t.kind {
            TypeKind::Alias(inner) => self.literal(inner, value),
            TypeKind::Enum(e) => {
                let s = plain(value);
                match e.variants.iter().find(|v| v.wire == s) {
                    Some(v) => {
                        let v = ident(&v.ident);
                        quote! { #path::#v }
                    }
                    None => quote! { #path::Unknown(::std::string::String::from(#s)) },
                }
            }
            TypeKind::Struct(s) if self.readable && t.serde.serialize => {
                // As a user writes it: `new(..)` with the required fields, as builders emits it.
                if !super::builders::constructed(s) {
                    return quote! { #path::default() };
                }
                let args = super::builders::constructor_args(self.api, s)
                    .map(|f| self.literal(&f.ty, value.get(&f.wire).unwrap_or(&Value::Null)));
                quote! { #path::new(#( #args ),*) }
            }
            TypeKind::Struct(s) => {
                let fields = s.fields.iter().map(|f| {
                    let name = ident(&f.ident);
                    let v = if f.flatten {
                        self.literal(&f.ty, value)
                    } else {
                        self.field(&f.ty, f.required, f.boxed, value.get(&f.wire))
                    };
                    quote! { #name: #v }
                });
                let extra = s.additional.as_ref().map(|_| {
                    let name = extra_field(s);
                    quote! { #name: ::std::default::Default::default(), }
                });
                quote! { #path { #( #fields, )* #extra } }
            }
            TypeKind::Union(u) => {
                let chosen = match &u.tag {
                    Some(tag) => {
                        let tv = value.get(tag).and_then(Value::as_str);
                        u.variants.iter().find(|v| v.tag_value.as_deref() == tv)
                    }
                    None => u.variants.iter().find(|v| self.fits(&v.ty, value)),
                };
                match chosen {
                    Some(v) => {
                        let name = ident(&v.ident);
                        let mut inner = self.literal(&v.ty, value);
                        if v.boxed {
                            inner = quote! { ::std::boxed::Box::new(#inner) };
                        }
                        quote! { #path::#name(#inner) }
                    }
                    None if u.tag.is_some() => {
                        let j = json(value);
                        quote! { #path::Unknown(#j) }
                    }
                    None => quote! { ::std::unreachable!("no variant fits the sample") },
                }
            }
            TypeKind::Pending => quote! { ::std::unreachable!("unlowered type") },
        }
    }

    /// Whether `value` deserialises as `ty` (the shape check untagged unions need).
    fn fits(&self, ty: &Ty, value: &Value) -> bool {
        self.fits_within(ty, value, MAX_NESTING.saturating_sub(self.nesting.get()))
    }

    /// [`Self::fits`], giving up (no fit) after `budget` nested steps: a chain of thousands of
    /// aliases or unions must not exhaust the stack.
    fn fits_within(&self, ty: &Ty, value: &Value, budget: usize) -> bool {
        let Some(budget) = budget.checked_sub(1) else { return false };
        let fits = |ty: &Ty, v: &Value| self.fits_within(ty, v, budget);
        match (ty, value) {
            (Ty::Any, _) | (Ty::Nullable(_), Value::Null) => true,
            (Ty::Nullable(inner), v) => fits(inner, v),
            (Ty::String | Ty::File, Value::String(_)) | (Ty::Boolean, Value::Bool(_)) => true,
            (Ty::Integer, Value::Number(n)) => n.is_i64(),
            (Ty::Number, Value::Number(_)) => true,
            (Ty::Format(Format::Int32), Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            (Ty::Format(Format::Float), Value::Number(_)) => true,
            (Ty::Format(f), Value::String(s)) => f.plain() == Ty::String && f.accepts(s),
            (Ty::Array(item), Value::Array(items)) => items.iter().all(|v| fits(item, v)),
            (Ty::Tuple(types), Value::Array(items)) => {
                types.len() == items.len() && types.iter().zip(items).all(|(t, v)| fits(t, v))
            }
            (Ty::Map(inner), Value::Object(map)) => map.values().all(|v| fits(inner, v)),
            (Ty::Named(id), v) => match &self.api.types[*id].kind {
                TypeKind::Alias(inner) => fits(inner, v),
                TypeKind::Enum(e) => v.as_str().is_some_and(|s| e.variants.iter().any(|x| x.wire == s)),
                TypeKind::Struct(s) => v.as_object().is_some_and(|map| {
                    s.fields.iter().all(|f| match map.get(&f.wire) {
                        _ if f.flatten => fits(&f.ty, v),
                        None => !f.required || matches!(f.ty, Ty::Nullable(_)),
                        Some(fv) => fits(&f.ty, fv) || (!f.required && fv.is_null()),
                    })
                }),
                TypeKind::Union(u) => u.variants.iter().any(|variant| fits(&variant.ty, v)),
                TypeKind::Pending => false,
            },
            _ => false,
        }
    }

    /// `vec![Part::text(..), Part::json(..)]` for a multipart form that is not a plain object.
    fn parts(&self, value: &Value) -> TokenStream {
        let lib = &self.lib;
        let Some(map) = value.as_object() else { return quote! { ::std::vec::Vec::new() } };
        let parts = map.iter().map(|(name, v)| match v {
            Value::String(s) => quote! { #lib::runtime::Part::text(#name, #s) },
            Value::Number(_) | Value::Bool(_) => {
                let s = v.to_string();
                quote! { #lib::runtime::Part::text(#name, #s) }
            }
            other => {
                let j = json(other);
                quote! { #lib::runtime::Part::json(#name, &#j).expect("a JSON part") }
            }
        });
        quote! { ::std::vec![ #( #parts ),* ] }
    }
}

/// A JSON value as it goes on the wire as text: strings unquoted.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `serde_json::Value` parsed from its text (exact for every value, unlike a `json!` rebuild).
fn json(value: &Value) -> TokenStream {
    let text = value.to_string();
    quote! { ::serde_json::from_str::<::serde_json::Value>(#text).expect("valid JSON") }
}
