//! Emission of one operation: a thin method that returns a runtime `Request`, a private
//! `prepare_*` function that validates and builds the request, and the params struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_lines;
use super::payload::{body_stmt, body_type, response, statuses_enum};
use super::types::{field_type, ident, is_open_enum, resolve, ty_tokens};
use crate::model::{Api, Home, Operation, Param, ParamLocation, ParamStyle, Response, Ty};

pub struct Emitted {
    /// The method, inside `impl<'c> Resource<'c>`.
    pub method: TokenStream,
    /// Module-level items: prepare function, params struct.
    pub items: TokenStream,
}

pub fn emit_operation(api: &Api, op: &Operation) -> Emitted {
    let here = &Home::Resource(op.resource.clone());
    let sig = Signature::of(api, op, here);
    let (out_ty, decoder) = response(api, &op.response, here);
    let constructor = if matches!(op.response, Response::Events { .. }) {
        quote! { streaming }
    } else {
        quote! { deferred }
    };
    let Signature { prepare, pos_args, owned, pos_pass, params_pass, body_arg, body_pass, params_ident, .. } = &sig;
    let method = ident(&op.method_name);
    let deprecated = deprecated(op);
    let doc = doc_lines(&super::method_docs::method_docs(api, op));
    let prepare_fn = prepare_fn(api, op, &sig);
    let (params_struct, setters) = match (params_ident, op.params_alias_of) {
        (Some(name), Some(original)) => (Some(params_alias(api, op, name, &api.operations[original])), None),
        (Some(name), None) => (Some(params_struct(api, op, name)), Some(setters(api, op, name, here))),
        (None, _) => (None, None),
    };
    let (params_ty, params_init, params_pat) = match params_ident {
        Some(name) => (quote! { , #name }, quote! { ::std::default::Default::default() }, quote! { params }),
        None => (quote! {}, quote! { () }, quote! { () }),
    };
    let statuses = match &op.response {
        Response::Statuses(s) => Some(statuses_enum(api, op, s, here)),
        _ => None,
    };
    Emitted {
        method: quote! {
            #doc
            #deprecated
            pub fn #method(&self, #( #pos_args, )* #body_arg) -> crate::runtime::Request<'c, #out_ty #params_ty> {
                #( #owned )*
                crate::runtime::Request::#constructor(
                    self.client,
                    #params_init,
                    move |__client, #params_pat| #prepare(__client, #( #pos_pass, )* #params_pass #body_pass),
                    #decoder,
                )
            }
        },
        items: quote! {
            #prepare_fn
            #params_struct
            #setters
            #statuses
        },
    }
}

/// The arguments an operation's method and prepare function share.
struct Signature {
    prepare: proc_macro2::Ident,
    /// The params struct, when the operation has one.
    params_ident: Option<proc_macro2::Ident>,
    /// The method's (and the prepare function's) positional arguments.
    pos_args: Vec<TokenStream>,
    /// Statements turning borrowed arguments into owned values the request keeps until sent.
    owned: Vec<TokenStream>,
    /// The positional arguments as passed to the prepare function.
    pos_pass: Vec<TokenStream>,
    params_arg: Option<TokenStream>,
    params_pass: Option<TokenStream>,
    body_arg: Option<TokenStream>,
    body_pass: Option<TokenStream>,
}

impl Signature {
    fn of(api: &Api, op: &Operation, here: &Home) -> Signature {
        let positional: Vec<&Param> = op.params.iter().filter(|p| p.is_positional()).collect();
        let params_ident = (!op.params_struct.is_empty()).then(|| ident(&op.params_struct));
        let (body_arg, body_pass) = match &op.body {
            Some(b) => {
                let ty = body_type(api, b.kind, &b.ty, b.required, here);
                (Some(quote! { body: #ty, }), Some(quote! { body, }))
            }
            None => (None, None),
        };
        let borrowed = |p: &Param| matches!(resolve(api, &p.ty), Ty::String);
        Signature {
            prepare: ident(&op.prepare_fn),
            pos_args: positional
                .iter()
                .map(|p| {
                    let name = ident(&p.ident);
                    let ty = arg_type(api, &p.ty, here);
                    quote! { #name: #ty }
                })
                .collect(),
            owned: positional
                .iter()
                .filter(|p| borrowed(p))
                .map(|p| {
                    let n = ident(&p.ident);
                    quote! { let #n = ::std::borrow::ToOwned::to_owned(#n); }
                })
                .collect(),
            pos_pass: positional
                .iter()
                .map(|p| {
                    let n = ident(&p.ident);
                    if borrowed(p) {
                        quote! { &#n }
                    } else {
                        quote! { #n }
                    }
                })
                .collect(),
            params_arg: params_ident.as_ref().map(|name| quote! { params: #name, }),
            params_pass: params_ident.as_ref().map(|_| quote! { params, }),
            params_ident,
            body_arg,
            body_pass,
        }
    }
}

fn deprecated(op: &Operation) -> Option<TokenStream> {
    op.deprecated.then(|| quote! { #[deprecated(note = "deprecated in the API description")] })
}

/// `fn prepare_x(..) -> Result<Prepared, Error>`: checks, client defaults, the encoded path,
/// query, headers and body.
fn prepare_fn(api: &Api, op: &Operation, sig: &Signature) -> TokenStream {
    let Signature { prepare, pos_args, params_arg, body_arg, .. } = sig;
    let checks = op.params.iter().filter(|p| p.is_positional() && p.location == ParamLocation::Path).map(|p| {
        let name = ident(&p.ident);
        validations(p, quote! { #name })
    });
    let defaults = op.params.iter().filter(|p| p.client_default).map(|p| {
        let name = ident(&p.ident);
        let wire = &p.wire;
        let check = validations(p, quote! { #name });
        quote! {
            let #name = __client.path_default(#wire, params.#name.as_deref())?;
            #check
        }
    });
    // Each path parameter is encoded into its own local, then spliced with inline format args.
    let path_args = path_params_in_order(op).into_iter().enumerate().map(|(i, p)| path_arg(api, p, i));
    let path_fmt = path_format(&op.path);
    let query =
        op.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| push_param(api, p, quote! { query }));
    let headers =
        op.params.iter().filter(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie)).map(|p| {
            push_param(
                api,
                p,
                if p.location == ParamLocation::Cookie {
                    quote! { cookies }
                } else {
                    quote! { headers }
                },
            )
        });
    let body = op.body.as_ref().map(|b| body_stmt(api, b));
    let http_method = format_ident!("{}", op.method);
    let op_id = &op.operation_id;
    let template = &op.path;
    let security = op.security.iter().map(|alt| quote! { &[ #( #alt ),* ] });
    let unused_params = (sig.params_ident.is_some() && !uses_params(op)).then(|| quote! { let _ = &params; });
    quote! {
        fn #prepare(__client: &crate::Client, #( #pos_args, )* #params_arg #body_arg) -> ::std::result::Result<crate::runtime::Prepared, crate::Error> {
            #unused_params
            #( #checks )*
            #( #defaults )*
            #( #path_args )*
            let __path = ::std::format!(#path_fmt);
            #[allow(unused_mut)]
            let mut __request = crate::runtime::Prepared::new(
                ::reqwest::Method::#http_method,
                #op_id,
                #template,
                __path,
                &[ #( #security ),* ],
            );
            #( #query )*
            #( #headers )*
            #body
            ::std::result::Result::Ok(__request)
        }
    }
}

/// `let __pN = ..;`: one path parameter, percent-encoded, in its style (`simple` scalars, the
/// common case, without the styled encoder).
fn path_arg(api: &Api, p: &Param, i: usize) -> TokenStream {
    let name = ident(&p.ident);
    let local = format_ident!("__p{}", i);
    let array = match resolve(api, &p.ty) {
        Ty::Array(inner) => Some(inner),
        _ => None,
    };
    if p.style == ParamStyle::Simple && array.is_none() {
        let value = to_string_expr(api, &p.ty, quote! { #name }, true);
        return quote! { let #local = crate::runtime::encode::segment(#value); };
    }
    let items = match array {
        Some(inner) => {
            let item = to_string_expr(api, inner, quote! { __item }, false);
            quote! { #name.iter().map(|__item| ::std::string::ToString::to_string(#item)).collect::<::std::vec::Vec<_>>() }
        }
        None => {
            let value = to_string_expr(api, &p.ty, quote! { #name }, true);
            quote! { ::std::vec![::std::string::ToString::to_string(#value)] }
        }
    };
    let style = match p.style {
        ParamStyle::Label => quote! { Label },
        ParamStyle::Matrix => quote! { Matrix },
        _ => quote! { Simple },
    };
    let (wire, explode) = (&p.wire, p.explode);
    quote! {
        let #local = crate::runtime::encode::styled_segment(crate::runtime::encode::PathStyle::#style, #wire, &#items, #explode);
    }
}

/// The path template as a format string: `{name}` → `{__pN}` (the Nth encoded parameter),
/// every other brace escaped.
fn path_format(path: &str) -> String {
    let mut out = String::new();
    for (i, part) in path.split('{').enumerate() {
        if i == 0 {
            out.push_str(&part.replace('}', "}}"));
        } else {
            let (_, rest) = part.split_once('}').unwrap_or(("", part));
            out.push_str(&format!("{{__p{}}}{}", i - 1, rest.replace('{', "{{").replace('}', "}}")));
        }
    }
    out
}

/// `impl Request<'c, T, XParams>`: a method per optional parameter (`.per_page(50)`), and
/// `pager()` for a list the client can page through.
fn setters(api: &Api, op: &Operation, params: &proc_macro2::Ident, here: &Home) -> TokenStream {
    let setters = op.params.iter().filter(|p| !p.is_positional()).map(|p| {
        let field = ident(&p.ident);
        let method = ident(&p.setter);
        let ty = if p.client_default {
            quote! { ::std::string::String }
        } else {
            let inner = match &p.ty {
                Ty::Nullable(inner) => inner.as_ref(),
                other => other,
            };
            ty_tokens(api, inner, here)
        };
        let mut lines = super::docs::docs_text(&p.docs);
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Sets `{}` ({}).", p.wire.replace('`', "'"), location_text(p)));
        let doc = doc_lines(&lines);
        quote! {
            #doc
            pub fn #method(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.params_mut().#field = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let pages = op.pagination.as_ref().map(|pg| {
        let method = ident(&pg.method);
        let item = ty_tokens(api, &pg.item, here);
        let param = &pg.param;
        let style = if pg.by_cursor {
            quote! { crate::runtime::PageStyle::Cursor(#param) }
        } else {
            quote! { crate::runtime::PageStyle::Number(#param) }
        };
        let doc = doc_lines(&[
            "Every page of this list, fetched as you go (`next_page`, `all`, or the `items()` / `pages()` streams)."
                .to_string(),
            String::new(),
            format!(
                "Pages by the `{param}` query parameter and stops after the last page (`result_info`), on an empty page, or when the cursor is missing or repeats."
            ),
        ]);
        quote! {
            #doc
            pub fn #method(self) -> crate::runtime::Pager<'c, #item> {
                self.into_pager(#style)
            }
        }
    });
    quote! {
        impl<'c, T> crate::runtime::Request<'c, T, #params> {
            #( #setters )*
            #pages
        }
    }
}

fn location_text(p: &Param) -> &'static str {
    match p.location {
        ParamLocation::Path => "path parameter; the client's default when unset",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header parameter",
        ParamLocation::Cookie => "cookie parameter",
    }
}

fn uses_params(op: &Operation) -> bool {
    op.params.iter().any(|p| !p.is_positional())
}

fn path_params_in_order(op: &Operation) -> Vec<&Param> {
    let mut out = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let name = &rest[start + 1..start + len];
        if let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire == name) {
            out.push(p);
        }
        rest = &rest[start + len + 1..];
    }
    out
}

/// Positional arguments: strings are borrowed, everything else by value.
fn arg_type(api: &Api, ty: &Ty, here: &Home) -> TokenStream {
    match resolve(api, ty) {
        Ty::String => quote! { &str },
        _ => ty_tokens(api, ty, here),
    }
}

/// An expression turning `value` into something `&str`-like (or a `String`) for the wire.
fn to_string_expr(api: &Api, ty: &Ty, value: TokenStream, borrowed_str: bool) -> TokenStream {
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
fn validations(p: &Param, value: TokenStream) -> TokenStream {
    let c = &p.constraints;
    let name = &p.wire;
    let mut out = TokenStream::new();
    if let Some(n) = c.min_length {
        out.extend(quote! { crate::runtime::validate::min_length(#name, #value, #n)?; });
    }
    if let Some(n) = c.max_length {
        out.extend(quote! { crate::runtime::validate::max_length(#name, #value, #n)?; });
    }
    if let Some(pat) = &c.pattern {
        out.extend(quote! { crate::runtime::validate::pattern(#name, #value, #pat)?; });
    }
    if let Some((m, excl)) = c.minimum {
        out.extend(quote! { crate::runtime::validate::minimum(#name, #value as f64, #m, #excl)?; });
    }
    if let Some((m, excl)) = c.maximum {
        out.extend(quote! { crate::runtime::validate::maximum(#name, #value as f64, #m, #excl)?; });
    }
    if let Some(n) = c.min_items {
        out.extend(quote! { crate::runtime::validate::min_items(#name, #value.len(), #n)?; });
    }
    if let Some(n) = c.max_items {
        out.extend(quote! { crate::runtime::validate::max_items(#name, #value.len(), #n)?; });
    }
    out
}

/// `__request.query.push(..)` (or headers) for a params-struct field, validated first.
fn push_param(api: &Api, p: &Param, list: TokenStream) -> TokenStream {
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
                let __joined: ::std::vec::Vec<::std::string::String> = #item.iter().map(|__item| ::std::string::ToString::to_string(#s)).collect();
                __request.#list.push((#wire, __joined.join(#delimiter)));
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
fn params_alias(api: &Api, op: &Operation, name: &proc_macro2::Ident, original: &Operation) -> TokenStream {
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

fn params_struct(api: &Api, op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
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
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #( #fields )*
        }
    }
}
