//! `Serialize` of the generated structs: `serialize_object!` lists a struct's properties as
//! type-erased values (`erased_serde`), and one function writes them as a JSON object. serde's
//! derive writes a generic field-by-field body for every struct instead, which a crate of
//! thousands of types pays for in compile time.

use serde::ser::{SerializeMap, Serializer};

/// One property of a struct: its JSON name and its value, `None` when it is left out (an unset
/// optional field).
pub type Property<'a> = (&'static str, Option<&'a dyn erased_serde::Serialize>);

/// `Serialize::serialize` of a generated struct: its properties, in order, as a JSON object.
pub fn object<S: Serializer>(serializer: S, properties: &[Property<'_>]) -> Result<S::Ok, S::Error> {
    let present = properties.iter().filter(|(_, value)| value.is_some()).count();
    let mut map = serializer.serialize_map(Some(present))?;
    for (name, value) in properties {
        if let Some(value) = value {
            map.serialize_entry(name, value)?;
        }
    }
    map.end()
}

/// A required property.
pub fn value<T: serde::Serialize>(value: &T) -> Option<&dyn erased_serde::Serialize> {
    Some(value)
}

/// An optional property: left out when unset.
pub fn optional<T: serde::Serialize>(value: &Option<T>) -> Option<&dyn erased_serde::Serialize> {
    value.as_ref().map(|v| v as &dyn erased_serde::Serialize)
}

/// `Serialize` for struct `$name`: each property's JSON name, its field, and whether it is a
/// required `value` or left out when unset (`optional`).
// A crate may have no struct it sends, or none it receives.
#[allow(unused_macros)]
macro_rules! serialize_object {
    ($name:ident { $( $wire:literal => $field:ident $how:ident ),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::runtime::ser::object(s, &[ $( ($wire, $crate::runtime::ser::$how(&self.$field)), )* ])
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use serialize_object;
