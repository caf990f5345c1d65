//! `Deserialize` of the generated structs. serde's derive writes a field enum, a field visitor, a
//! sequence visitor and a map visitor for every struct (about 180 lines once expanded);
//! generated structs invoke `deserialize_object!` instead, which writes only the map loop and
//! calls the generic helpers below, so a large API crate is several times cheaper to compile.
//! Decoding reads the same JSON the derive did, with the same errors (missing, duplicate and
//! mistyped fields), and field paths still reach `Error::Decode`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

/// A struct read from a JSON object, one property at a time.
pub trait Object: Sized {
    /// The type's name, for "expected struct X" errors.
    const NAME: &'static str;

    /// Reads the object's properties from `map`.
    fn visit<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a generated struct.
pub fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit(map)
    }
}

/// The next property's name.
pub fn key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    map.next_key()
}

/// Reads the current property's value into `slot`; a property given twice is an error.
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a property the type does not declare.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A required property's value, or a "missing field" error.
pub fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// A property that may be missing: `None` for an `Option` field, `null` for any JSON.
pub fn optional<T: Default, E: Error>(slot: Option<T>, _name: &'static str) -> Result<T, E> {
    Ok(slot.unwrap_or_default())
}

/// `Deserialize` (and [`Object`]) for struct `$name`: each property's JSON name, its field, and
/// whether it is `required` or `optional`.
// A crate may have no struct it sends, or none it receives.
#[allow(unused_macros)]
macro_rules! deserialize_object {
    ($name:ident { $( $wire:literal => $field:ident $finish:ident ),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::de::object(d)
            }
        }

        impl $crate::runtime::de::Object for $name {
            const NAME: &'static str = ::std::stringify!($name);

            fn visit<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                $( let mut $field = ::std::option::Option::None; )*
                while let ::std::option::Option::Some(key) = $crate::runtime::de::key(&mut map)? {
                    match key.as_str() {
                        $( $wire => $crate::runtime::de::field(&mut map, &mut $field, $wire)?, )*
                        _ => $crate::runtime::de::skip(&mut map)?,
                    }
                }
                ::std::result::Result::Ok(Self { $( $field: $crate::runtime::de::$finish($field, $wire)?, )* })
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use deserialize_object;
