//! Emission of an operation's payloads: the request body's argument type and how it is put on
//! the request, and the success response's type and decoder (an enum by status when the
//! success responses differ).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_lines;
use super::types::{ident, is_open_enum, resolve, ty_tokens};
use crate::model::{
    Api, BodyKind, Field, Home, Operation, RequestBody, Response, StatusVariant, Statuses, Ty, form_fields,
};

pub(super) fn body_type(api: &Api, kind: BodyKind, ty: &Ty, required: bool, here: &Home) -> TokenStream {
    let t = match kind {
        BodyKind::Json | BodyKind::Form => ty_tokens(api, ty, here),
        BodyKind::Text => quote! { ::std::string::String },
        BodyKind::Bytes => quote! { ::bytes::Bytes },
        BodyKind::Multipart if form_fields(&api.types, ty).is_some() => ty_tokens(api, ty, here),
        BodyKind::Multipart => quote! { ::std::vec::Vec<crate::runtime::Part> },
    };
    if required {
        t
    } else {
        quote! { ::std::option::Option<#t> }
    }
}

pub(super) fn body_stmt(api: &Api, body: &RequestBody) -> TokenStream {
    let RequestBody { kind, content_type, required, indexed, ty, .. } = body;
    let make = match kind {
        BodyKind::Form => quote! {
            crate::runtime::Body::Bytes {
                data: crate::runtime::encode::form(
                    &::serde_json::to_value(&__body)
                        .map_err(|__e| crate::Error::InvalidParameter { name: "body", rule: ::std::format!("must serialize to a form: {__e}") })?,
                    &[ #( #indexed ),* ],
                )
                .into(),
                content_type: #content_type,
            }
        },
        // `application/merge-patch+json`, vendor `+json` types: JSON sent under its own name.
        BodyKind::Json if is_plain_json(content_type) => quote! { crate::runtime::Body::json(&__body)? },
        BodyKind::Json => quote! { crate::runtime::Body::json_as(&__body, #content_type)? },
        BodyKind::Text => quote! { crate::runtime::Body::Text { data: __body, content_type: #content_type } },
        BodyKind::Bytes => quote! { crate::runtime::Body::Bytes { data: __body, content_type: #content_type } },
        // The runtime writes the boundary into the content type.
        BodyKind::Multipart => match form_fields(&api.types, ty) {
            Some(fields) => {
                let parts = fields.iter().map(|f| form_field(api, f, body.part_types.get(&f.wire)));
                quote! {
                    crate::runtime::Body::Multipart({
                        let mut __parts = ::std::vec::Vec::new();
                        #( #parts )*
                        __parts
                    })
                }
            }
            None => quote! { crate::runtime::Body::Multipart(__body) },
        },
    };
    if *required {
        quote! { let __body = body; __request.body = #make; }
    } else {
        quote! { if let ::std::option::Option::Some(__body) = body { __request.body = #make; } }
    }
}

/// Whether a JSON body goes out as `application/json` itself (`Body::Json`).
pub(super) fn is_plain_json(content_type: &str) -> bool {
    content_type.eq_ignore_ascii_case("application/json")
}

/// The parts of one form field: a file part for a file, a text part for text, a number, a boolean
/// or an enum, one part per item for a list of those, and a JSON part for anything else.
fn form_field(api: &Api, f: &Field, declared: Option<&String>) -> TokenStream {
    let name = ident(&f.ident);
    let wire = &f.wire;
    let (inner, optional) = match &f.ty {
        Ty::Nullable(inner) => (inner.as_ref(), true),
        ty => (ty, !f.required),
    };
    // The part's declared content type (`encoding`): a file keeps the one its caller gave it.
    let typed = declared.map(|ct| quote! { .with_content_type(#ct) });
    let text = |value: TokenStream| Some(quote! { __parts.push(crate::runtime::Part::text(#wire, #value) #typed); });
    let push = |ty: &Ty, value: TokenStream| match resolve(api, ty) {
        Ty::File => {
            let file = match declared {
                Some(ct) => quote! { #value.or_content_type(#ct) },
                None => value,
            };
            Some(quote! { __parts.push(crate::runtime::Part::from_file(#wire, #file)); })
        }
        Ty::String => text(value),
        Ty::Integer | Ty::Number | Ty::Boolean => text(quote! { #value.to_string() }),
        Ty::Format(f) => text(super::types::format_text(*f, value)),
        _ if is_open_enum(api, ty) => text(quote! { #value.as_str() }),
        _ => None,
    };
    let json = quote! { __parts.push(crate::runtime::Part::json(#wire, &__value)? #typed); };
    let each = match resolve(api, inner) {
        _ if f.boxed => json,
        Ty::Array(item) => match push(item, quote! { __item }) {
            Some(one) => quote! { for __item in __value { #one } },
            None => json,
        },
        _ => push(inner, quote! { __value }).unwrap_or(json),
    };
    if optional {
        quote! { if let ::std::option::Option::Some(__value) = __body.#name { #each } }
    } else {
        quote! { let __value = __body.#name; #each }
    }
}

pub(super) fn response(api: &Api, r: &Response, here: &Home) -> (TokenStream, TokenStream) {
    match r {
        Response::Json { ty, envelope } => {
            let t = ty_tokens(api, ty, here);
            if *envelope {
                (t.clone(), quote! { crate::runtime::decode::envelope::<#t> })
            } else {
                (t.clone(), quote! { crate::runtime::decode::json::<#t> })
            }
        }
        Response::Text => (quote! { ::std::string::String }, quote! { crate::runtime::decode::text }),
        Response::Bytes => (quote! { ::bytes::Bytes }, quote! { crate::runtime::decode::bytes }),
        Response::Empty => (quote! { () }, quote! { crate::runtime::decode::unit }),
        Response::Events { ty } => {
            let t = ty_tokens(api, ty, here);
            (quote! { crate::runtime::EventStream<#t> }, quote! { crate::runtime::events::stream::<#t> })
        }
        Response::Statuses(s) => {
            let name = ident(&s.name);
            // Exact codes before ranges before `default` (`_`); without a `default`, the first
            // declared status is `_`, so an undeclared success status decodes as that one.
            let mut arms: Vec<_> = s.variants.iter().collect();
            let catch_all = match arms.iter().position(|v| v.status == "default") {
                Some(i) => arms.remove(i),
                None => arms.remove(0),
            };
            // A range must not take the first status's own code from it.
            if arms.iter().any(|v| v.status.ends_with("XX")) && catch_all.status.parse::<u16>().is_ok() {
                arms.push(catch_all);
            }
            arms.sort_by_key(|v| v.status.ends_with("XX"));
            let arm = |v: &StatusVariant, pattern: TokenStream| {
                let variant = ident(&v.ident);
                let (_, decode) = response(api, &v.body, here);
                let wrap = if v.body == Response::Empty {
                    quote! { |()| #name::#variant }
                } else {
                    quote! { #name::#variant }
                };
                quote! { #pattern => #decode(__head, __body).map(#wrap), }
            };
            let arms = arms.into_iter().map(|v| {
                let pattern = match v.status.parse::<u16>() {
                    Ok(code) => {
                        let code = proc_macro2::Literal::u16_unsuffixed(code);
                        quote! { #code }
                    }
                    Err(_) => {
                        let hundreds = u16::from(v.status.as_bytes()[0].saturating_sub(b'0')) * 100;
                        let (low, high) = (
                            proc_macro2::Literal::u16_unsuffixed(hundreds),
                            proc_macro2::Literal::u16_unsuffixed(hundreds + 99),
                        );
                        quote! { #low..=#high }
                    }
                };
                arm(v, pattern)
            });
            let last = arm(catch_all, quote! { _ });
            (quote! { #name }, quote! { |__head, __body| match __head.status.as_u16() { #( #arms )* #last } })
        }
    }
}

/// The enum of an operation's success responses: one variant per status, with its body.
pub(super) fn statuses_enum(api: &Api, op: &Operation, s: &Statuses, here: &Home) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_lines(&[format!(
        "What [`{}`]({}::{}) returns: the response for the status the server sent (an undeclared success status decodes as the first).",
        op.method_name,
        api.resource_names(&op.resource).struct_name,
        op.method_name
    )]);
    let variants = s.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let mut lines = vec![format!("`{}`", v.status)];
        if !v.description.trim().is_empty() {
            lines[0].push_str(": ");
            lines[0].push_str(v.description.trim().lines().next().unwrap_or_default());
        }
        let doc = doc_lines(&lines);
        match &v.body {
            Response::Empty => quote! { #doc #variant, },
            body => {
                let (ty, _) = response(api, body, here);
                quote! { #doc #variant(#ty), }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
        }
    }
}
