//! The serde impls of a generated struct, written out instead of derived. `Deserialize` is the
//! map loop only, with the per-field work in the runtime's generic helpers (`runtime/de.rs`);
//! `Serialize` lists the properties as type-erased values for one runtime function
//! (`runtime/ser.rs`). serde's derives expand to about 180 lines per struct and were two thirds
//! of what rustc checked in a large API crate.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{Api, Field, StructDef, Ty};

/// Whether `s` can use the written-out impl: structs with `#[serde(flatten)]` members (allOf
/// alternatives, extra properties) keep serde's derive, which buffers what they share.
pub fn written_out(s: &StructDef) -> bool {
    s.additional.is_none() && !s.fields.iter().any(|f| f.flatten)
}

/// The `Deserialize` impl of struct `name`, through the runtime's `deserialize_object!`.
pub fn deserialize_impls(api: &Api, name: &Ident, s: &StructDef, gates: &TokenStream) -> TokenStream {
    let (required, others): (Vec<_>, Vec<_>) = s.fields.iter().partition(|f| missing(f).is_none());
    let required = required.iter().map(|f| {
        let (field, wire, read) = (super::types::ident(&f.ident), &f.wire, reader(api, f));
        quote! { #wire => #field #read, }
    });
    let others = others.iter().map(|f| {
        let (field, wire, read) = (super::types::ident(&f.ident), &f.wire, reader(api, f));
        let missing = missing(f);
        quote! { #wire => #field #missing #read, }
    });
    quote! {
        #gates
        crate::runtime::de::deserialize_object! { #name { #( #required )* ; #( #others )* } }
    }
}

/// Whether the field's Rust type is an `Option`: the property is optional or nullable.
fn is_option(f: &Field) -> bool {
    !f.required || matches!(f.ty, Ty::Nullable(_))
}

/// What serde reads for a missing property: `None` for an `Option` field (`optional`), `null` for
/// a required one of any JSON (`default`); `None` for a required property, whose absence is a
/// "missing field" error.
fn missing(f: &Field) -> Option<Ident> {
    let name = match (is_option(f), f.ty == Ty::Any) {
        (true, _) => "optional",
        (false, true) => "default",
        (false, false) => return None,
    };
    Some(Ident::new(name, proc_macro2::Span::call_site()))
}

/// The runtime function that reads the field's value (`runtime/de.rs`): `option` for an `Option`,
/// `list` for a `Vec`, `option_list` for both, `field` for anything else. They read what
/// `field` would; they only keep serde's generic visitors out of the type-erased deserializer.
fn reader(api: &Api, f: &Field) -> Ident {
    let inner = match &f.ty {
        Ty::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    let list = !f.boxed && matches!(super::types::resolve(api, inner), Ty::Array(_));
    let name = match (is_option(f), list) {
        (true, true) => "option_list",
        (true, false) => "option",
        (false, true) => "list",
        (false, false) => "field",
    };
    Ident::new(name, proc_macro2::Span::call_site())
}

/// The `Serialize` impl of struct `name`, through the runtime's `serialize_object!`: unset
/// optional fields are left out, as serde's `skip_serializing_if = "Option::is_none"` did.
pub fn serialize_impl(name: &Ident, s: &StructDef, gates: &TokenStream) -> TokenStream {
    let properties = s.fields.iter().map(|f| {
        let field = super::types::ident(&f.ident);
        let wire = &f.wire;
        let how = if f.required {
            quote! { value }
        } else {
            quote! { optional }
        };
        quote! { #wire => #field #how, }
    });
    quote! {
        #gates
        crate::runtime::ser::serialize_object! { #name { #( #properties )* } }
    }
}
