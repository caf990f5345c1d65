//! Emission of named types: structs, open enums, unions and aliases. Paths are fully qualified
//! (`::std::option::Option`) so a spec type called `Option` or `Box` cannot shadow std.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::{doc_lines, docs};
use crate::model::{Api, EnumDef, Field, Format, Home, Serde, StructDef, Ty, TypeDef, TypeKind, UnionDef};

/// An identifier token; handles `r#type` spellings from naming.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Module path tokens of a home: `crate::types` or `crate::zero_trust::access`.
pub fn home_path(api: &Api, home: &Home) -> TokenStream {
    let mods = api.module_path(home).into_iter().map(|m| ident(&m));
    quote! { crate #( :: #mods )* }
}

/// The Rust type of a typed format.
pub fn format_tokens(f: Format) -> TokenStream {
    match f {
        Format::DateTime => quote! { ::chrono::DateTime<::chrono::Utc> },
        Format::Date => quote! { ::chrono::NaiveDate },
        Format::Uuid => quote! { ::uuid::Uuid },
        Format::Uri => quote! { ::url::Url },
        Format::Ipv4 => quote! { ::std::net::Ipv4Addr },
        Format::Ipv6 => quote! { ::std::net::Ipv6Addr },
        Format::Bytes => quote! { crate::runtime::Base64 },
        Format::Int32 => quote! { i32 },
        Format::Float => quote! { f32 },
    }
}

/// A typed format's value as the text the API reads (RFC 3339 for timestamps).
pub fn format_text(f: Format, value: TokenStream) -> TokenStream {
    match f {
        Format::DateTime => quote! { #value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true) },
        _ => quote! { #value.to_string() },
    }
}

/// The Rust type for `ty`, as written in module `here` (types of that module by bare name).
pub fn ty_tokens(api: &Api, ty: &Ty, here: &Home) -> TokenStream {
    match ty {
        Ty::String => quote! { ::std::string::String },
        Ty::File => quote! { crate::runtime::File },
        Ty::Integer => quote! { i64 },
        Ty::Number => quote! { f64 },
        Ty::Boolean => quote! { bool },
        Ty::Any => quote! { ::serde_json::Value },
        Ty::Format(f) => format_tokens(*f),
        Ty::Array(inner) => {
            let inner = ty_tokens(api, inner, here);
            quote! { ::std::vec::Vec<#inner> }
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(|t| ty_tokens(api, t, here));
            quote! { ( #( #items, )* ) }
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(api, inner, here);
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        Ty::Nullable(inner) => {
            let inner = ty_tokens(api, inner, here);
            quote! { ::std::option::Option<#inner> }
        }
        Ty::Named(id) => {
            let t = &api.types[*id];
            let name = ident(&t.name);
            if &t.home == here {
                return quote! { #name };
            }
            let path = home_path(api, &t.home);
            quote! { #path :: #name }
        }
    }
}

/// The flattened map holding a struct's undeclared properties (named by naming).
pub fn extra_field(s: &StructDef) -> Ident {
    ident(&s.extra_ident)
}

/// Follows aliases to the type underneath (for choosing `&str` arguments and conversions).
pub fn resolve<'a>(api: &'a Api, ty: &'a Ty) -> &'a Ty {
    crate::model::resolve(&api.types, ty)
}

pub fn is_open_enum(api: &Api, ty: &Ty) -> bool {
    matches!(resolve(api, ty), Ty::Named(id) if matches!(api.types[*id].kind, TypeKind::Enum(_)))
}

/// The field's declared type: optional → `Option`, recursion → `Box`.
pub fn field_type(api: &Api, ty: &Ty, required: bool, boxed: bool, here: &Home) -> TokenStream {
    let (inner, nullable) = match ty {
        Ty::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let mut t = ty_tokens(api, inner, here);
    if boxed {
        t = quote! { ::std::boxed::Box<#t> };
    }
    if nullable || !required {
        t = quote! { ::std::option::Option<#t> };
    }
    t
}

/// Emits a named type. `cfg` (possibly empty) is put on every item, so a type used only by some
/// resource groups compiles only when one of their Cargo features is on.
pub fn emit_type(api: &Api, t: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let mut doc = super::docs::docs_text(&t.docs);
    if doc.is_empty() {
        doc.push(crate::pointer::describe(&t.pointer));
    }
    let doc = doc_lines(&doc);
    match &t.kind {
        TypeKind::Struct(s) => emit_struct(api, &name, doc, s, t, &(cfg, t.serde)),
        TypeKind::Enum(e) => emit_enum(&name, doc, e, &(cfg, t.serde)),
        TypeKind::Union(u) => emit_union(api, &name, doc, u, &t.home, &(cfg, t.serde)),
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(api, ty, &t.home);
            quote! { #doc #cfg pub type #name = #ty; }
        }
        TypeKind::Pending => quote! {},
    }
}

/// The feature that derives both serde traits on every type.
const SERDE_ALL: &str = "serde-all";

/// The serde derives a type gets: those it needs in `derive(..)`, the others behind the
/// `serde-all` feature. A type needing neither still derives `Deserialize`, which its `#[serde]`
/// field attributes need.
fn serde_derives(serde: Serde) -> (TokenStream, TokenStream) {
    let mut needed = TokenStream::new();
    let mut gated = Vec::new();
    for (wanted, path) in [
        (serde.serialize, quote! { ::serde::Serialize }),
        (serde.deserialize || !serde.serialize, quote! { ::serde::Deserialize }),
    ] {
        if wanted {
            needed.extend(quote! { #path, });
        } else {
            gated.push(path);
        }
    }
    let gated = (!gated.is_empty()).then(|| quote! { #[cfg_attr(feature = #SERDE_ALL, derive( #( #gated ),* ))] });
    (needed, gated.unwrap_or_default())
}

/// `#[cfg(feature = "serde-all")]` on a hand-written serde impl the type does not need.
fn serde_impl_gate(needed: bool) -> Option<TokenStream> {
    (!needed).then(|| quote! { #[cfg(feature = #SERDE_ALL)] })
}

fn emit_struct(
    api: &Api,
    name: &Ident,
    doc: TokenStream,
    s: &StructDef,
    t: &TypeDef,
    (cfg, serde): &(&TokenStream, Serde),
) -> TokenStream {
    let here = &t.home;
    let written_out = super::serde_impls::written_out(s);
    let fields = s.fields.iter().map(|f| emit_field(api, f, here, !written_out));
    let extra = s.additional.as_ref().map(|ty| {
        let ty = ty_tokens(api, ty, here);
        let field = extra_field(s);
        quote! {
            /// Properties not listed in the API description.
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let default = (!super::builders::constructed(s)).then(|| {
        let extra = s.additional.as_ref().map(|_| extra_field(s));
        super::builders::default_impl(name, s.fields.iter().map(|f| f.ident.as_str()), extra, cfg)
    });
    let (derives, gated, serde_impls) = if written_out {
        let gate = serde_impl_gate(serde.serialize);
        let serialize = super::serde_impls::serialize_impl(name, s, &quote! { #cfg #gate });
        // A type needing neither trait still deserialises, as it did when both were derived.
        let gate = serde_impl_gate(serde.deserialize || !serde.serialize);
        let deserialize = super::serde_impls::deserialize_impls(api, name, s, &quote! { #cfg #gate });
        (TokenStream::new(), TokenStream::new(), quote! { #serialize #deserialize })
    } else {
        let (derives, gated) = serde_derives(*serde);
        (derives, gated, TokenStream::new())
    };
    let builders = serde.serialize.then(|| super::builders::struct_builders(api, name, s, (here, t.setters), cfg));
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, #derives)]
        #gated
        pub struct #name {
            #( #fields )*
            #extra
        }
        #default
        #serde_impls
        #builders
    }
}

/// A struct field; `serde_attrs` when a serde derive reads its `#[serde]` attributes.
fn emit_field(api: &Api, f: &Field, here: &Home, serde_attrs: bool) -> TokenStream {
    let name = ident(&f.ident);
    let ty = field_type(api, &f.ty, f.required, f.boxed, here);
    let doc = docs(&f.docs);
    if f.flatten {
        let note =
            super::docs::doc_line("One of the alternatives; its properties sit beside this struct's own on the wire.");
        return quote! {
            #doc
            #note
            #[serde(flatten)]
            pub #name: #ty,
        };
    }
    let plain = f.ident.trim_start_matches("r#");
    let wire = &f.wire;
    let mut serde = Vec::new();
    if plain != wire {
        serde.push(quote! { rename = #wire });
    }
    let optional = !f.required || matches!(f.ty, Ty::Nullable(_));
    if optional && !f.required {
        serde.push(quote! { default, skip_serializing_if = "::std::option::Option::is_none" });
    } else if f.ty == Ty::Any {
        // A required value of any JSON type reads a missing property as `null`.
        serde.push(quote! { default });
    }
    let serde = serde.iter().filter(|_| serde_attrs).map(|a| quote! { #[serde(#a)] });
    quote! {
        #doc
        #( #serde )*
        pub #name: #ty,
    }
}

fn emit_enum(name: &Ident, doc: TokenStream, e: &EnumDef, (cfg, serde): &(&TokenStream, Serde)) -> TokenStream {
    let serialize_gate = serde_impl_gate(serde.serialize);
    let deserialize_gate = serde_impl_gate(serde.deserialize);
    let idents: Vec<Ident> = e.variants.iter().map(|v| ident(&v.ident)).collect();
    let wires: Vec<&String> = e.variants.iter().map(|v| &v.wire).collect();
    let variant_docs = wires.iter().map(|w| super::docs::doc_line(&format!("`{}`", w.replace('`', "'"))));
    quote! {
        #doc
        ///
        /// Values the API description does not list are kept in `Unknown`, so a new server
        /// value never breaks parsing.
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the crate does not know.
            Unknown(::std::string::String),
        }

        #cfg
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(__value) => __value.as_str(),
                }
            }
        }

        #cfg
        impl ::std::convert::From<&str> for #name {
            fn from(__value: &str) -> Self {
                match __value {
                    #( #wires => Self::#idents, )*
                    __other => Self::Unknown(__other.to_owned()),
                }
            }
        }

        #cfg
        impl ::std::fmt::Display for #name {
            fn fmt(&self, __f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                __f.write_str(self.as_str())
            }
        }

        #cfg
        #serialize_gate
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, __s: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                __s.serialize_str(self.as_str())
            }
        }

        #cfg
        #deserialize_gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<Self, __D::Error> {
                let __value = <::std::string::String as ::serde::Deserialize>::deserialize(__d)?;
                ::std::result::Result::Ok(Self::from(__value.as_str()))
            }
        }
    }
}

fn emit_union(
    api: &Api,
    name: &Ident,
    doc: TokenStream,
    u: &UnionDef,
    here: &Home,
    (cfg, serde): &(&TokenStream, Serde),
) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.ident);
        let ty = field_type(api, &v.ty, true, v.boxed, here);
        quote! { #vname(#ty), }
    });
    let froms = serde.serialize.then(|| super::builders::union_froms(api, name, u, here, cfg));
    let Some(tag) = &u.tag else {
        let (derives, gated) = serde_derives(*serde);
        return quote! {
            #froms
            #doc
            ///
            /// One of several shapes; deserialisation tries each variant in order.
            #cfg
            #[derive(Debug, Clone, PartialEq, #derives)]
            #gated
            #[serde(untagged)]
            pub enum #name {
                #( #variants )*
            }
        };
    };
    // Discriminated: the tag property picks the variant, which keeps the tag as a field; a tag
    // value this version does not know is kept whole instead of failing.
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.ident);
        let value = v.tag_value.as_deref().unwrap_or_default();
        quote! {
            ::std::option::Option::Some(#value) => ::serde_json::from_value(__value)
                .map(Self::#vname)
                .map_err(<__D::Error as ::serde::de::Error>::custom),
        }
    });
    let tag_doc = super::docs::doc_line(&format!("The `{}` property selects the variant.", tag.replace('`', "'")));
    let deserialize_gate = serde_impl_gate(serde.deserialize);
    // `Deserialize` is written by hand, so `#[serde(untagged)]` goes with the derived `Serialize`.
    let serialize = if serde.serialize {
        quote! { #[derive(::serde::Serialize)] #[serde(untagged)] }
    } else {
        quote! { #[cfg_attr(feature = #SERDE_ALL, derive(::serde::Serialize), serde(untagged))] }
    };
    quote! {
        #doc
        ///
        #tag_doc
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        #serialize
        pub enum #name {
            #( #variants )*
            /// A variant this version of the crate does not know, kept as JSON.
            Unknown(::serde_json::Value),
        }

        #cfg
        #deserialize_gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<Self, __D::Error> {
                let __value = <::serde_json::Value as ::serde::Deserialize>::deserialize(__d)?;
                match __value.get(#tag).and_then(::serde_json::Value::as_str) {
                    #( #arms )*
                    _ => ::std::result::Result::Ok(Self::Unknown(__value)),
                }
            }
        }

        #froms
    }
}
