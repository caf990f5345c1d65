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
    // A property serde requires: not nullable, and not any JSON (a missing one is `null`).
    let required = |f: &Field| f.required && !matches!(f.ty, Ty::Nullable(_)) && f.ty != Ty::Any;
    let required_props = s.fields.iter().filter(|f| required(f)).map(|f| {
        let (field, wire, read) = (super::types::ident(&f.ident), &f.wire, reader(api, f));
        quote! { #wire => #field #read, }
    });
    let other_props = s.fields.iter().filter(|f| !required(f)).map(|f| {
        let (field, wire, read) = (super::types::ident(&f.ident), &f.wire, reader(api, f));
        // What serde reads for a missing property: `None` for an `Option`, `null` for any JSON.
        let finish = if f.required && !matches!(f.ty, Ty::Nullable(_)) {
            quote! { default }
        } else {
            quote! { optional }
        };
        quote! { #wire => #field #finish #read, }
    });
    quote! {
        #gates
        crate::runtime::de::deserialize_object! { #name { #( #required_props )* ; #( #other_props )* } }
    }
}

/// The runtime function that reads the field's value (`runtime/de.rs`): `option` for an `Option`,
/// `list` for a `Vec`, `option_list` for both, `field` for anything else. They read what
/// `field` would; they only keep serde's generic visitors out of the type-erased deserializer.
fn reader(api: &Api, f: &Field) -> Ident {
    let (inner, nullable) = match &f.ty {
        Ty::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let list = !f.boxed && matches!(super::types::resolve(api, inner), Ty::Array(_));
    let name = match (nullable || !f.required, list) {
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
