//! Emission of one operation: a thin method that returns a runtime `Request` (built in the
//! method when the arguments only fill and check the path and give a JSON body, else by a private
//! `prepare_*` function), and the params struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_lines;
use super::params::{checks, has_apply, params_alias, params_struct, push_param, to_string_expr, wire_list};
use super::payload::{body_stmt, body_type, is_plain_json, response, statuses_enum};
use super::types::{ident, resolve, ty_tokens};
use crate::model::{Api, BodyKind, Home, Operation, Param, ParamLocation, ParamStyle, RequestBody, Response, Ty};

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
    let Signature { prepare, pos_args, pos_pass, body_arg, body_pass, params_ident } = &sig;
    let method = ident(&op.method_name);
    let deprecated = deprecated(op);
    let doc = doc_lines(&super::method_docs::method_docs(api, op));
    // A request the arguments only put in the path (checked) and a JSON body is built in the
    // method; required query, header or cookie parameters or another body get a `prepare_*` fn.
    let steps = Steps::of(api, op);
    let (prepared, prepare_fn) = match steps.inline() {
        Some(prepared) => (prepared, None),
        None => (quote! { #prepare(#( #pos_pass, )* #body_pass) }, Some(steps.prepare_fn(&sig))),
    };
    let (params_struct, setters) = match (params_ident, op.params_alias_of) {
        (Some(name), Some(original)) => (Some(params_alias(api, op, name, &api.operations[original])), None),
        (Some(name), None) => (Some(params_struct(api, op, name)), Some(setters(api, op, name, here))),
        (None, _) => (None, None),
    };
    let params_ty = params_ident.as_ref().map(|name| quote! { , #name });
    // The optional parameters go on the request when it is sent, by their struct's `apply`.
    let apply = match params_ident {
        Some(name) if has_apply(op) => quote! { #name::apply },
        _ => quote! { crate::runtime::no_params },
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
                crate::runtime::Request::#constructor(self.client, #prepared, #apply, #decoder)
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
    /// The positional arguments as passed to the prepare function.
    pos_pass: Vec<proc_macro2::Ident>,
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
            pos_pass: positional.iter().map(|p| ident(&p.ident)).collect(),
            params_ident,
            body_arg,
            body_pass,
        }
    }
}

fn deprecated(op: &Operation) -> Option<TokenStream> {
    op.deprecated.then(|| quote! { #[deprecated(note = "deprecated in the API description")] })
}

/// What the method's arguments put on the request when the method is called: checks, the
/// encoded path, required query and headers, the body. The optional parameters and client
/// defaults come later, by the params struct's `apply`; a path parameter the client may default
/// leaves its hole for it.
struct Steps<'a> {
    checks: Vec<TokenStream>,
    /// `Prepared::operation(..)`: method, operationId, path template and its encoded segments.
    operation: TokenStream,
    /// Required query, header and cookie parameters.
    positional: Vec<TokenStream>,
    body: Option<&'a RequestBody>,
    api: &'a Api,
}

impl<'a> Steps<'a> {
    fn of(api: &'a Api, op: &'a Operation) -> Self {
        let checks = op
            .params
            .iter()
            .filter(|p| p.is_positional() && p.location == ParamLocation::Path)
            .flat_map(|p| {
                let name = ident(&p.ident);
                checks(p, quote! { #name })
            })
            .collect();
        // Each path parameter, encoded, fills the next `{..}` of the template (in the runtime).
        let segments = path_params_in_order(op).into_iter().map(|p| match p.client_default {
            true => {
                let wire = &p.wire;
                quote! { crate::runtime::encode::hole(#wire) }
            }
            false => path_segment(api, p),
        });
        // Required query, header and cookie parameters here; the optional ones by the params
        // struct's `apply`, written once for every operation that shares the struct.
        let positional = op
            .params
            .iter()
            .filter(|p| p.is_positional() && p.location != ParamLocation::Path)
            .map(|p| push_param(api, p, wire_list(p)))
            .collect();
        let http_method = format_ident!("{}", op.method);
        let op_id = &op.operation_id;
        let template = &op.path;
        let security = op.security.iter().map(|alt| quote! { &[ #( #alt ),* ] });
        let operation = quote! {
            crate::runtime::Prepared::operation(
                ::reqwest::Method::#http_method,
                #op_id,
                #template,
                &[ #( #segments ),* ],
                &[ #( #security ),* ],
            )
        };
        Steps { checks, operation, positional, body: op.body.as_ref(), api }
    }

    /// The request as one expression, when the arguments only fill the path (checked first)
    /// and a required `application/json` body.
    fn inline(&self) -> Option<TokenStream> {
        if !self.positional.is_empty() {
            return None;
        }
        let Steps { operation, checks, .. } = self;
        let json = match self.body {
            None => false,
            Some(b) if b.kind == BodyKind::Json && b.required && is_plain_json(&b.content_type) => true,
            Some(_) => return None,
        };
        Some(match (checks.is_empty(), json) {
            (true, false) => quote! { #operation.ready() },
            (true, true) => quote! { #operation.with_json(&body) },
            (false, false) => quote! { #operation.checked([ #( #checks ),* ]) },
            (false, true) => quote! { #operation.checked_json([ #( #checks ),* ], &body) },
        })
    }

    /// `fn prepare_x(..) -> Result<Prepared, Error>`, which the method calls.
    fn prepare_fn(&self, sig: &Signature) -> TokenStream {
        let Signature { prepare, pos_args, body_arg, .. } = sig;
        let Steps { checks, operation, positional, .. } = self;
        let body = self.body.map(|b| body_stmt(self.api, b));
        quote! {
            fn #prepare(#( #pos_args, )* #body_arg) -> ::std::result::Result<crate::runtime::Prepared, crate::Error> {
                #( #checks?; )*
                #[allow(unused_mut)]
                let mut __request = #operation;
                #( #positional )*
                #body
                ::std::result::Result::Ok(__request)
            }
        }
    }
}

/// One path parameter, percent-encoded, in its style (`simple` scalars, the common case,
/// without the styled encoder).
pub(super) fn path_segment(api: &Api, p: &Param) -> TokenStream {
    let name = ident(&p.ident);
    let array = match resolve(api, &p.ty) {
        Ty::Array(inner) => Some(inner),
        _ => None,
    };
    if p.style == ParamStyle::Simple && array.is_none() {
        let value = to_string_expr(api, &p.ty, quote! { #name }, true);
        return quote! { crate::runtime::encode::segment(#value) };
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
        crate::runtime::encode::styled_segment(crate::runtime::encode::PathStyle::#style, #wire, &#items, #explode)
    }
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
