//! Constructors and setters for what users build: a struct that is sent gets `new(..)` taking
//! its required fields (a required field that can hold one value only, such as a record's
//! `type: A`, is filled in) and one setter per optional field; a union that is sent converts
//! from each of its variants' types (`record.into()`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::{ident, resolve, ty_tokens};
use crate::model::{Api, Field, Home, StructDef, Ty, TypeKind, UnionDef};

/// `impl Name { pub fn new(..); pub fn field(..) .. }` for a struct that is sent; the setters
/// only for a request body (or a variant of one).
pub fn struct_builders(
    api: &Api,
    name: &proc_macro2::Ident,
    s: &StructDef,
    (here, with_setters): (&Home, bool),
    cfg: &TokenStream,
) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in &s.fields {
        let field = ident(&f.ident);
        if needed(f) {
            match single_value(api, &f.ty) {
                Some(value) => {
                    let ty = ty_tokens(api, &f.ty, here);
                    let value = boxed(f, quote! { <#ty as ::std::convert::From<&str>>::from(#value) });
                    inits.push(quote! { #field: #value, });
                }
                None => {
                    let ty = ty_tokens(api, &f.ty, here);
                    let value = boxed(f, quote! { #field.into() });
                    args.push(quote! { #field: impl ::std::convert::Into<#ty> });
                    inits.push(quote! { #field: #value, });
                }
            }
            continue;
        }
        inits.push(quote! { #field: ::std::option::Option::None, });
        // Read-only properties are set by the server; nobody sends them.
        if with_setters && !f.docs.read_only {
            setters.push(setter(api, f, here));
        }
    }
    if s.additional.is_some() {
        let extra = super::types::extra_field(s);
        inits.push(quote! { #extra: ::std::default::Default::default(), });
    }
    // A struct of optional fields derives `Default`, its constructor; others get `new`.
    let new = constructed(s).then(|| {
        quote! {
            /// The value with its required fields; the optional ones are `None`.
            #[allow(clippy::too_many_arguments)]
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits )* }
            }
        }
    });
    if new.is_none() && setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #cfg
        impl #name {
            #new
            #( #setters )*
        }
    }
}

fn setter(api: &Api, f: &Field, here: &Home) -> TokenStream {
    let field = ident(&f.ident);
    let method = ident(&f.setter);
    let inner = match &f.ty {
        Ty::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    let ty = ty_tokens(api, inner, here);
    let value = boxed(f, quote! { value.into() });
    let doc = super::docs::doc_line(&format!("Sets `{}`.", f.wire.replace('`', "'")));
    quote! {
        #doc
        pub fn #method(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
            self.#field = ::std::option::Option::Some(#value);
            self
        }
    }
}

fn boxed(f: &Field, value: TokenStream) -> TokenStream {
    if f.boxed {
        quote! { ::std::boxed::Box::new(#value) }
    } else {
        value
    }
}

/// A field a value of the struct cannot be without: required and not nullable.
pub fn needed(f: &Field) -> bool {
    f.required && !matches!(f.ty, Ty::Nullable(_))
}

/// Whether the struct has `new(..)`; one of optional fields derives `Default` instead.
pub fn constructed(s: &StructDef) -> bool {
    s.fields.iter().any(needed)
}

/// `impl Default` for a struct of optional fields: each `None` (an empty map for `extra`), written
/// out, where the derive would call `Default::default()` once per field in every struct.
pub fn default_impl<'a>(
    name: &Ident,
    fields: impl Iterator<Item = &'a str>,
    extra: Option<Ident>,
    cfg: &TokenStream,
) -> TokenStream {
    let fields = fields.map(ident);
    let extra = extra.map(|e| quote! { #e: ::std::collections::BTreeMap::new(), });
    quote! {
        #cfg
        #[allow(clippy::derivable_impls)]
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self { #( #fields: ::std::option::Option::None, )* #extra }
            }
        }
    }
}

/// The fields `new(..)` takes, in its argument order (a needed field that can hold one value
/// only is filled in, not taken).
pub fn constructor_args<'a>(api: &Api, s: &'a StructDef) -> impl Iterator<Item = &'a Field> {
    s.fields.iter().filter(move |f| needed(f) && single_value(api, &f.ty).is_none())
}

/// The one value a required field can hold: a string enum with a single value.
fn single_value<'a>(api: &'a Api, ty: &Ty) -> Option<&'a str> {
    match resolve(api, ty) {
        Ty::Named(id) => match &api.types[*id].kind {
            TypeKind::Enum(e) if e.variants.len() == 1 => Some(e.variants[0].wire.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// `impl From<Variant> for Union` for each variant that is a named struct, enum or union of its
/// own (not an alias, a primitive or a container, whose conversions could overlap), used by no
/// other variant, and not the union itself.
pub fn union_froms(api: &Api, name: &proc_macro2::Ident, u: &UnionDef, here: &Home, cfg: &TokenStream) -> TokenStream {
    let named = |ty: &Ty| match resolve(api, ty) {
        Ty::Named(id) if !matches!(api.types[*id].kind, TypeKind::Alias(_)) && *name != api.types[*id].name => {
            Some(*id)
        }
        _ => None,
    };
    let ids: Vec<Option<usize>> = u.variants.iter().map(|v| named(&v.ty)).collect();
    let froms = u.variants.iter().zip(&ids).filter_map(|(v, id)| {
        let id = (*id)?;
        if ids.iter().filter(|o| **o == Some(id)).count() > 1 {
            return None;
        }
        let variant = ident(&v.ident);
        let ty = ty_tokens(api, resolve(api, &v.ty), here);
        let value = if v.boxed {
            quote! { ::std::boxed::Box::new(value) }
        } else {
            quote! { value }
        };
        Some(quote! {
            #cfg
            impl ::std::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant(#value)
                }
            }
        })
    });
    quote! { #( #froms )* }
}
