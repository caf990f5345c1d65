//! The params struct of an operation (its optional parameters) and the code that puts
//! parameters on the wire: each query, header or cookie parameter validated, then pushed in its
//! style. The optional ones (and client defaults) are put on the request by the struct's `apply`
//! method when it is sent, written once per struct: operations of a group with the same
//! parameters share the struct (an alias) and its `apply`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_lines;
use super::types::{field_type, ident, is_open_enum, resolve};
use crate::model::{Api, Home, Operation, Param, ParamLocation, ParamStyle, Ty};

/// An expression turning `value` into something `&str`-like (or a `String`) for the wire.
pub(super) fn to_string_expr(api: &Api, ty: &Ty, value: TokenStream, borrowed_str: bool) -> TokenStream {
    match resolve(api, ty) {
        Ty::String if borrowed_str => value,
        Ty::String => quote! { #value.as_str() },
        _ if is_open_enum(api, ty) => quote! { #value.as_str() },
        Ty::Integer | Ty::Number | Ty::Boolean => quote! { &#value.to_string() },
        // Strings inside a JSON value go on the wire as they are, never quoted.
        Ty::Any => quote! { &crate::runtime::encode::plain(&#value) },
        // Unions and objects: a string variant goes out as it is, anything else as JSON text.
        _ => quote! { &crate::runtime::encode::plain(&::serde_json::to_value(&#value).unwrap_or_default()) },
    }
}

/// Validation statements for a parameter value (`&str`, number, or Vec), nothing if no rules.
pub(super) fn validations(p: &Param, value: TokenStream) -> TokenStream {
    let checks = checks(p, value);
    quote! { #( #checks?; )* }
}

/// The parameter's checks as expressions (each a `Result<(), Error>`), in the order they run.
pub(super) fn checks(p: &Param, value: TokenStream) -> Vec<TokenStream> {
    let c = &p.constraints;
    let name = &p.wire;
    let mut out = Vec::new();
    if let Some(n) = c.min_length {
        out.push(quote! { crate::runtime::validate::min_length(#name, #value, #n) });
    }
    if let Some(n) = c.max_length {
        out.push(quote! { crate::runtime::validate::max_length(#name, #value, #n) });
    }
    if let Some(pat) = &c.pattern {
        out.push(quote! { crate::runtime::validate::pattern(#name, #value, #pat) });
    }
    if let Some((m, excl)) = c.minimum {
        out.push(quote! { crate::runtime::validate::minimum(#name, #value as f64, #m, #excl) });
    }
    if let Some((m, excl)) = c.maximum {
        out.push(quote! { crate::runtime::validate::maximum(#name, #value as f64, #m, #excl) });
    }
    if let Some(n) = c.min_items {
        out.push(quote! { crate::runtime::validate::min_items(#name, #value.len(), #n) });
    }
    if let Some(n) = c.max_items {
        out.push(quote! { crate::runtime::validate::max_items(#name, #value.len(), #n) });
    }
    out
}

/// `__request.query.push(..)` (or headers) for a params-struct field, validated first.
pub(super) fn push_param(api: &Api, p: &Param, list: TokenStream) -> TokenStream {
    let name = ident(&p.ident);
    let wire = &p.wire;
    let item = format_ident!("__value");
    let resolved = resolve(api, &p.ty).clone();
    let inner_ty = match &resolved {
        Ty::Nullable(inner) => resolve(api, inner).clone(),
        other => other.clone(),
    };
    let push_one = |ty: &Ty, v: TokenStream| -> TokenStream {
        let s = to_string_expr(api, ty, v, false);
        quote! { __request.#list.push((#wire, ::std::string::ToString::to_string(#s))); }
    };
    let body = match &inner_ty {
        Ty::Array(elem) if p.location == ParamLocation::Query && p.explode && p.style != ParamStyle::DeepObject => {
            // Form style, exploded: `?tag=a&tag=b`, as OpenAPI's default for query arrays.
            let each = push_one(elem, quote! { __item });
            let checks = validations(p, quote! { #item });
            quote! { #checks for __item in #item { #each } }
        }
        Ty::Array(elem) => {
            // Not exploded: one value, joined by the style's delimiter.
            let delimiter = match p.style {
                ParamStyle::SpaceDelimited => " ",
                ParamStyle::PipeDelimited => "|",
                _ => ",",
            };
            let s = to_string_expr(api, elem, quote! { __item }, false);
            let checks = validations(p, quote! { #item });
            quote! {
                #checks
                __request.#list.push((#wire, crate::runtime::encode::join(#item.iter().map(|__item| ::std::string::ToString::to_string(#s)), #delimiter)));
            }
        }
        Ty::Map(_) | Ty::Named(_) if p.location == ParamLocation::Query && is_object(api, &inner_ty) => {
            // `deepObject` (`filter[status]=open`) or exploded form (`status=open`); an object
            // in unexploded form style is `filter=status,open`.
            let deep = p.style == ParamStyle::DeepObject;
            let value = quote! {
                ::serde_json::to_value(#item).map_err(|__e| crate::Error::InvalidParameter { name: #wire, rule: ::std::format!("must serialize: {__e}") })?
            };
            if deep || p.explode {
                quote! { __request.query_pairs.extend(crate::runtime::encode::query_object(#wire, &#value, #deep)); }
            } else {
                quote! {
                    let __pairs = crate::runtime::encode::query_object(#wire, &#value, false);
                    let __flat: ::std::vec::Vec<::std::string::String> = __pairs.into_iter().flat_map(|(__k, __v)| [__k, __v]).collect();
                    __request.query.push((#wire, __flat.join(",")));
                }
            }
        }
        Ty::String => {
            let checks = validations(p, quote! { #item.as_str() });
            let push = push_one(&inner_ty, quote! { #item });
            quote! { #checks #push }
        }
        Ty::Integer | Ty::Number => {
            let checks = validations(p, quote! { *#item });
            let push = push_one(&inner_ty, quote! { #item });
            quote! { #checks #push }
        }
        _ => push_one(&p.ty, quote! { #item }),
    };
    if p.is_positional() {
        // A required argument: `&str` for text (owned here, so `#item` is `&String` as for a
        // params field), the value otherwise.
        return match &resolved {
            Ty::Nullable(_) => quote! { if let ::std::option::Option::Some(#item) = &#name { #body } },
            Ty::String => {
                quote! { { let __owned = ::std::string::ToString::to_string(#name); let #item = &__owned; #body } }
            }
            _ => quote! { { let #item = &#name; #body } },
        };
    }
    quote! { if let ::std::option::Option::Some(#item) = &params.#name { #body } }
}

/// Whether a parameter's type is a JSON object (a struct or a map) on the wire.
fn is_object(api: &Api, ty: &Ty) -> bool {
    match resolve(api, ty) {
        Ty::Map(_) => true,
        Ty::Named(id) => matches!(api.types[*id].kind, crate::model::TypeKind::Struct(_)),
        _ => false,
    }
}

/// The optional parameters of `op`: an alias of `original`'s struct, which has the same ones.
pub(super) fn params_alias(api: &Api, op: &Operation, name: &proc_macro2::Ident, original: &Operation) -> TokenStream {
    let target = ident(&original.params_struct);
    let ty = if original.resource == op.resource {
        quote! { #target }
    } else {
        let path = super::types::home_path(api, &Home::Resource(original.resource.clone()));
        quote! { #path::#target }
    };
    let doc = doc_lines(&[
        format!(
            "The optional parameters of `{}` (operation `{}`).",
            super::method_docs::endpoint(op),
            op.operation_id.replace('`', "'")
        ),
        String::new(),
        format!("The same as those of `{}`, so the same struct.", super::method_docs::endpoint(original)),
    ]);
    quote! { #doc pub type #name = #ty; }
}

pub(super) fn params_struct(api: &Api, op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let fields = op.params.iter().filter(|p| !p.is_positional()).map(|p| {
        let fname = ident(&p.ident);
        let mut lines = super::docs::docs_text(&p.docs);
        let loc = match p.location {
            ParamLocation::Path => "Path parameter; defaults to the client's value when `None`.",
            ParamLocation::Query => "Query parameter.",
            ParamLocation::Header => "Header parameter.",
            ParamLocation::Cookie => "Cookie parameter.",
        };
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("`{}`: {loc}", p.wire.replace('`', "'")));
        let doc = doc_lines(&lines);
        let here = Home::Resource(op.resource.clone());
        let ty = if p.client_default {
            quote! { ::std::option::Option<::std::string::String> }
        } else {
            field_type(api, &p.ty, false, false, &here)
        };
        quote! { #doc pub #fname: #ty, }
    });
    let mut doc = vec![
        format!(
            "The optional parameters of `{}` (operation `{}`).",
            super::method_docs::endpoint(op),
            op.operation_id.replace('`', "'")
        ),
        String::new(),
        "Set one with the request's method of the same name (`.per_page(50)`), or all at once with `.params(..)`."
            .to_string(),
    ];
    if op.params_shared_by > 0 {
        doc.push(String::new());
        doc.push(format!(
            "{} other operation(s) of this resource group take the same parameters; their params structs are aliases of this one.",
            op.params_shared_by
        ));
    }
    let doc = doc_lines(&doc);
    let apply = apply_fn(api, op);
    let names = op.params.iter().filter(|p| !p.is_positional()).map(|p| p.ident.as_str());
    let default = super::builders::default_impl(name, names, None, &TokenStream::new());
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #( #fields )*
        }
        #default
        #apply
    }
}

/// The optional query, header and cookie parameters: those the params struct's `apply` pushes.
fn encoded(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| !p.is_positional() && p.location != ParamLocation::Path)
}

/// Whether the params struct has an `apply` method: whether it has anything to put on the
/// request (optional query, header or cookie parameters, or client defaults for the path).
pub(super) fn has_apply(op: &Operation) -> bool {
    encoded(op).next().is_some() || op.params.iter().any(|p| p.client_default)
}

/// The list of the request that a parameter goes to.
pub(super) fn wire_list(p: &Param) -> TokenStream {
    match p.location {
        ParamLocation::Cookie => quote! { cookies },
        ParamLocation::Header => quote! { headers },
        _ => quote! { query },
    }
}

/// `impl XParams { fn apply(..) }`: fills the client defaults into the path, then validates the
/// optional query, header and cookie parameters that are set and pushes them onto the request,
/// in the spec's order.
fn apply_fn(api: &Api, op: &Operation) -> Option<TokenStream> {
    if !has_apply(op) {
        return None;
    }
    let name = ident(&op.params_struct);
    let defaults = op.params.iter().filter(|p| p.client_default).map(|p| {
        let field = ident(&p.ident);
        let wire = &p.wire;
        let check = validations(p, quote! { #field });
        let segment = super::operation::path_segment(api, p);
        quote! {
            let #field = __client.path_default(#wire, params.#field.as_deref())?;
            #check
            __request.fill(#wire, &#segment);
        }
    });
    let pushes = encoded(op).map(|p| push_param(api, p, wire_list(p)));
    Some(quote! {
        impl #name {
            /// Puts the parameters on the request when it is sent: client defaults into the path,
            /// then each optional parameter that is set, validated.
            pub(crate) fn apply(self, __client: &crate::Client, __request: &mut crate::runtime::Prepared) -> ::std::result::Result<(), crate::Error> {
                let params = &self;
                #( #defaults )*
                #( #pushes )*
                ::std::result::Result::Ok(())
            }
        }
    })
}
